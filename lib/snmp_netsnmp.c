/* The AgentX subagent on our event loop, with net-snmp: the body of
 * keepalived-snmp.so (snmp_module.h).  The daemon's snmp_agent.c loads it
 * and forwards snmp_agent.h's calls to the table at the end. */
#include "config.h"

/* Before snmp_netsnmp.h replaces PACKAGE_VERSION with net-snmp's. */
static const char our_version[] = PACKAGE_VERSION;

#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "log.h"
#include "snmp_module.h"
#include "snmp_netsnmp.h"
#include "snmp_vars.h"

#define AGENT_FDS_MAX		8

static int oid_cmp(const uint32_t *a, size_t alen, const oid *b, size_t blen)
{
	for (size_t i = 0; i < alen && i < blen; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return alen < blen ? -1 : alen > blen;
}

static int var_cmp(const void *pa, const void *pb)
{
	const struct snmp_var *a = pa, *b = pb;
	oid bo[SNMP_OID_MAX];

	for (size_t i = 0; i < b->oid.len; i++)
		bo[i] = b->oid.n[i];
	return oid_cmp(a->oid.n, a->oid.len, bo, b->oid.len);
}

/* ---- net-snmp values ------------------------------------------------------ */

static void set_value(netsnmp_variable_list *vb, const struct snmp_var *x)
{
	struct counter64 c64 = { .high = x->num >> 32, .low = x->num & 0xffffffffu };
	u_long u = (u_long)(x->num & 0xffffffffu);	/* 32-bit types wrap, as counters do */
	long l = (long)(int32_t)x->num;
	in_addr_t ip = (in_addr_t)x->num;

	switch (x->type) {
	case SNMP_T_INTEGER:
		snmp_set_var_typed_value(vb, ASN_INTEGER, &l, sizeof(l));
		break;
	case SNMP_T_GAUGE:
		snmp_set_var_typed_value(vb, ASN_GAUGE, &u, sizeof(u));
		break;
	case SNMP_T_COUNTER32:
		snmp_set_var_typed_value(vb, ASN_COUNTER, &u, sizeof(u));
		break;
	case SNMP_T_COUNTER64:
		snmp_set_var_typed_value(vb, ASN_COUNTER64, &c64, sizeof(c64));
		break;
	case SNMP_T_TIMETICKS:
		snmp_set_var_typed_value(vb, ASN_TIMETICKS, &u, sizeof(u));
		break;
	case SNMP_T_OCTETS:
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, x->bytes, x->n);
		break;
	case SNMP_T_IPADDR:
		snmp_set_var_typed_value(vb, ASN_IPADDRESS, &ip, sizeof(ip));
		break;
	}
}

static void set_name(netsnmp_variable_list *vb, const struct snmp_oid *o)
{
	oid name[SNMP_OID_MAX];

	for (size_t i = 0; i < o->len; i++)
		name[i] = o->n[i];
	snmp_set_var_objid(vb, name, o->len);
}

/* ---- serving subtrees ------------------------------------------------------ */

struct subtree {
	snmp_fill_fn *fill;
	void *arg;
	netsnmp_handler_registration *reg;
};

/* First object at or after `name` (strictly after when `next`); NULL. */
static const struct snmp_var *lookup(const struct snmp_vars *v, const oid *name, size_t len,
				     bool next)
{
	for (size_t i = 0; i < v->len; i++) {
		int c = oid_cmp(v->v[i].oid.n, v->v[i].oid.len, name, len);

		if (next ? c > 0 : c == 0)
			return &v->v[i];
		if (!next && c > 0)
			break;
	}
	return NULL;
}

static void answer(const struct snmp_vars *v, netsnmp_agent_request_info *ri,
		   netsnmp_request_info *req)
{
	netsnmp_variable_list *vb = req->requestvb;
	const struct snmp_var *x;

	if (ri->mode == MODE_GET) {
		x = lookup(v, vb->name, vb->name_length, false);
		if (x)
			set_value(vb, x);
		else
			netsnmp_set_request_error(ri, req, SNMP_NOSUCHINSTANCE);
	} else if (ri->mode == MODE_GETNEXT) {
		x = lookup(v, vb->name, vb->name_length, true);
		if (x) {
			set_name(vb, &x->oid);
			set_value(vb, x);
		}
		/* nothing after it here: the agent moves on to the next subtree */
	}
}

static int handle(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
		  netsnmp_agent_request_info *ri, netsnmp_request_info *reqs)
{
	struct subtree *st = h->myvoid;
	struct snmp_vars v = { 0 };

	(void)reg;
	if (ri->mode != MODE_GET && ri->mode != MODE_GETNEXT)
		return SNMP_ERR_NOERROR;	/* read-only: net-snmp refuses SETs itself */
	st->fill(&v, st->arg);
	if (v.failed)
		log_warnx("SNMP: out of memory answering a request");
	else
		qsort(v.v, v.len, sizeof(*v.v), var_cmp);
	for (netsnmp_request_info *r = reqs; r && !v.failed; r = r->next)
		if (!r->processed)
			answer(&v, ri, r);
	snmp_vars_free(&v);
	return SNMP_ERR_NOERROR;
}

/* ---- the agent on the loop -------------------------------------------- */

struct snmp_agent {
	struct ev_loop *loop;
	char app[64];
	char master[256];		/* for logs */
	int fds[AGENT_FDS_MAX];
	size_t n_fds;
	struct ev_timer timer;
	bool session_up;		/* as net-snmp's subagent callbacks say */
	bool connected;			/* as last logged */
	bool told_unreachable;
	struct subtree **subtrees;
	size_t n_subtrees;
};

static void sync_loop(struct snmp_agent *a);

static void on_io(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct snmp_agent *a = arg;
	netsnmp_large_fd_set set;

	(void)loop;
	(void)events;
	netsnmp_large_fd_set_init(&set, fd + 1);
	NETSNMP_LARGE_FD_SET(fd, &set);
	snmp_read2(&set);
	netsnmp_large_fd_set_cleanup(&set);
	netsnmp_check_outstanding_agent_requests();
	sync_loop(a);
}

static void on_timer(struct ev_loop *loop, void *arg)
{
	(void)loop;
	snmp_timeout();
	run_alarms();	/* AgentX pings and reconnects are net-snmp alarms */
	netsnmp_check_outstanding_agent_requests();
	sync_loop(arg);
}

static void note_connection(struct snmp_agent *a, bool up)
{
	if (up && !a->connected)
		log_info("SNMP: AgentX subagent connected to %s", a->master);
	else if (!up && a->connected)
		log_warnx("SNMP: AgentX master %s went away; reconnecting every %d s", a->master,
			  SNMP_AGENTX_PING_S);
	else if (!up && !a->told_unreachable)
		log_warnx("SNMP: AgentX master %s not reachable; retrying every %d s", a->master,
			  SNMP_AGENTX_PING_S);
	a->told_unreachable = true;
	a->connected = up;
}

/* Ask net-snmp which sockets and which deadline it waits for, and mirror
 * them in the loop.  Called after every call into net-snmp, before anything
 * else can run, so a descriptor it closed is forgotten before the number is
 * reused.  Every watcher is re-added: a socket net-snmp closed and reopened
 * under the same number in one call would otherwise stay unwatched. */
static void sync_loop(struct snmp_agent *a)
{
	netsnmp_large_fd_set set;
	struct timeval tv = { 0, 0 };
	int numfds = 0, block = 1;

	netsnmp_large_fd_set_init(&set, FD_SETSIZE);
	snmp_select_info2(&numfds, &set, &tv, &block);
	for (size_t i = 0; i < a->n_fds; i++)
		ev_io_del(a->loop, a->fds[i]);
	a->n_fds = 0;
	for (int fd = 0; fd < numfds && a->n_fds < AGENT_FDS_MAX; fd++) {
		if (!NETSNMP_LARGE_FD_ISSET(fd, &set))
			continue;
		if (ev_io_add(a->loop, fd, EPOLLIN, on_io, a) < 0)
			log_warn("SNMP: cannot watch AgentX socket %d", fd);
		else
			a->fds[a->n_fds++] = fd;
	}
	netsnmp_large_fd_set_cleanup(&set);
	note_connection(a, a->session_up);
	if (block)
		ev_timer_disarm(a->loop, &a->timer);
	else
		ev_timer_arm(a->loop, &a->timer,
			     (uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec);
}

/* net-snmp's own messages ("Failed to connect to the agentx master agent",
 * every few seconds while it is down) become debug lines; this file logs
 * what an operator needs once. */
static int log_from_netsnmp(int major, int minor, void *server, void *client)
{
	const struct snmp_log_message *m = server;
	size_t n = m && m->msg ? strlen(m->msg) : 0;

	(void)major;
	(void)minor;
	(void)client;
	while (n && m->msg[n - 1] == '\n')
		n--;
	if (n)
		log_debug("net-snmp: %.*s", (int)n, m->msg);
	return 0;
}

/* The subagent announces its AgentX session opening and closing through
 * the "index" callbacks (they exist for index reallocation). */
static int on_session(int major, int minor, void *server, void *client)
{
	struct snmp_agent *a = client;

	(void)major;
	(void)server;
	a->session_up = minor == SNMPD_CALLBACK_INDEX_START;
	return 0;
}

/* AgentX timing.  net-snmp resets these while it reads its configuration
 * in init_snmp(), then opens the first connection from a post-config
 * callback; ours is registered before that one, so it runs in between.
 *
 * net-snmp opens the AgentX session and registers subtrees synchronously
 * (snmp_synch_response): a master that accepts the connection but never
 * answers (a stopped snmpd) would hold the loop for its default 1 s x 6
 * tries at every reconnect.  One try of the shortest timeout the library
 * takes (1 s; a live master answers in well under a millisecond) keeps
 * that stall below VRRP's three advert intervals. */
static int set_agentx_timing(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
			   SNMP_AGENTX_PING_S);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_RETRIES, 0);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_TIMEOUT, 1);	/* seconds */
	return 0;
}

static void configure_netsnmp(struct snmp_agent *a, const char *socket)
{
	snmp_disable_log();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, log_from_netsnmp,
			       NULL);
	snmp_enable_calllog();
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	/* Alarms run from our timer, never from SIGALRM. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	/* keepalived.conf is the configuration: no /etc/snmp files, no
	 * persistent state under /var/lib/snmp. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG,
			       set_agentx_timing, NULL);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START, on_session, a);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP, on_session, a);
	if (socket && socket[0])
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, socket);
}

/* The subagent names objects by number and needs no MIB file; an empty
 * MIBS keeps init_snmp from parsing every MIB on the system (slow, and
 * noisy when the IETF modules are missing).  The variable is put back so
 * the scripts we start see the environment they were given. */
static void init_snmp_quietly(const char *app)
{
	const char *old = getenv("MIBS");
	char *saved = old ? strdup(old) : NULL;

	setenv("MIBS", "", 1);
	init_snmp(app);
	if (saved)
		setenv("MIBS", saved, 1);
	else
		unsetenv("MIBS");
	free(saved);
}

static struct snmp_agent *agent_start(struct ev_loop *loop, const char *app, const char *socket)
{
	struct snmp_agent *a = calloc(1, sizeof(*a));

	if (!a) {
		log_err("SNMP: out of memory");
		return NULL;
	}
	a->loop = loop;
	snprintf(a->app, sizeof(a->app), "%s", app);
	snprintf(a->master, sizeof(a->master), "%s",
		 socket && socket[0] ? socket : "the default AgentX socket");
	ev_timer_init(&a->timer, on_timer, a);
	configure_netsnmp(a, socket);
	if (init_agent(a->app) != 0) {
		log_err("SNMP: net-snmp agent initialisation failed");
		free(a);
		return NULL;
	}
	init_snmp_quietly(a->app);
	sync_loop(a);
	return a;
}

static int agent_register(struct snmp_agent *a, const uint32_t *root, size_t len, int priority,
			  snmp_fill_fn *fill, void *arg)
{
	struct subtree *st = calloc(1, sizeof(*st)), **grown = NULL;
	oid name[SNMP_OID_MAX];
	netsnmp_mib_handler *h;

	for (size_t i = 0; i < len && i < SNMP_OID_MAX; i++)
		name[i] = root[i];
	if (st)
		grown = realloc(a->subtrees, (a->n_subtrees + 1) * sizeof(*grown));
	if (!grown)
		goto bad;
	a->subtrees = grown;
	st->fill = fill;
	st->arg = arg;
	st->reg = netsnmp_create_handler_registration(a->app, handle, name, len,
						      HANDLER_CAN_RONLY);
	if (!st->reg)
		goto bad;
	h = st->reg->handler;
	h->myvoid = st;
	st->reg->priority = priority;
	if (netsnmp_register_handler(st->reg) != MIB_REGISTERED_OK) {
		st->reg = NULL;		/* net-snmp freed it */
		goto bad;
	}
	a->subtrees[a->n_subtrees++] = st;
	sync_loop(a);
	return 0;
bad:
	free(st);
	log_err("SNMP: cannot register a MIB subtree");
	return -1;
}

static void agent_notify(struct snmp_agent *a, const uint32_t *trap, size_t len,
			 snmp_fill_fn *fill, void *arg)
{
	static const oid trap_oid_name[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };	/* snmpTrapOID.0 */
	netsnmp_variable_list *list = NULL;
	struct snmp_vars v = { 0 };
	oid value[SNMP_OID_MAX];

	if (!a->connected) {
		log_debug("SNMP: no AgentX master; notification not sent");
		return;
	}
	for (size_t i = 0; i < len && i < SNMP_OID_MAX; i++)
		value[i] = trap[i];
	snmp_varlist_add_variable(&list, trap_oid_name, OID_LENGTH(trap_oid_name), ASN_OBJECT_ID,
				  value, len * sizeof(oid));
	fill(&v, arg);
	for (size_t i = 0; i < v.len && !v.failed; i++) {
		netsnmp_variable_list *vb = snmp_varlist_add_variable(&list, NULL, 0, ASN_NULL,
								      NULL, 0);
		if (vb) {
			set_name(vb, &v.v[i].oid);
			set_value(vb, &v.v[i]);
		}
	}
	if (!v.failed)
		send_v2trap(list);
	snmp_free_varbind(list);
	snmp_vars_free(&v);
	sync_loop(a);
}

static bool agent_connected(const struct snmp_agent *a)
{
	return a->connected;
}

static void agent_stop(struct snmp_agent *a)
{
	for (size_t i = 0; i < a->n_fds; i++)
		ev_io_del(a->loop, a->fds[i]);
	ev_timer_disarm(a->loop, &a->timer);
	for (size_t i = 0; i < a->n_subtrees; i++) {
		if (a->subtrees[i]->reg)
			netsnmp_unregister_handler(a->subtrees[i]->reg);
		free(a->subtrees[i]);
	}
	free(a->subtrees);
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START, on_session,
				 a, 1);
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP, on_session,
				 a, 1);
	snmp_shutdown(a->app);
	shutdown_agent();
	free(a);
}

__attribute__((visibility("default"))) extern const struct snmp_module ka_snmp_module;

const struct snmp_module ka_snmp_module = {
	.head = { .abi = SNMP_MODULE_ABI, .version = our_version },
	.start = agent_start,
	.register_subtree = agent_register,
	.notify = agent_notify,
	.connected = agent_connected,
	.stop = agent_stop,
};
