/* The virtual_server block.  Everything that concerns one virtual server
 * alone is checked when its block ends, with the tree's positions; what
 * involves groups or other virtual servers is check_parser_validate.c's.
 * Its real_server blocks are check_parser_rs.c's.
 *
 * A block is read in two passes: its own keywords first, then its
 * real_server blocks (and in a real server, its own keywords, then its
 * checkers), so what a real server or checker inherits is known however
 * the block is ordered. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check_parser_priv.h"
#include "value.h"

/* The schedulers of mainline Linux, in the order ipvsadm lists them. */
static const char *const schedulers[] = {
	"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh",
	"twos", NULL,
};

/* Scheduler flag keywords: the flag each sets and the scheduler it needs
 * (NULL: any). */
static const struct {
	const char *name;
	uint32_t flag;
	const char *sched;
} sched_flags[CP_N_SCHED_FLAGS] = {
	{ "flag-1", CHECK_SCHED_FLAG1, NULL },
	{ "flag-2", CHECK_SCHED_FLAG2, NULL },
	{ "flag-3", CHECK_SCHED_FLAG3, NULL },
	{ "sh-fallback", CHECK_SCHED_FLAG1, "sh" },
	{ "sh-port", CHECK_SCHED_FLAG2, "sh" },
	{ "mh-fallback", CHECK_SCHED_FLAG1, "mh" },
	{ "mh-port", CHECK_SCHED_FLAG2, "mh" },
};

/* "10.0.0.1 80", "fwmark 1", "group G": how the block was opened. */
static const char *vs_desc(const struct cp_vs_ctx *x, char *buf, size_t len)
{
	const struct virtual_server_conf *vs = x->vs;
	char addr[INET6_ADDRSTRLEN];

	if (vs->kind == VS_FWMARK)
		snprintf(buf, len, "fwmark %u", vs->fwmark);
	else if (vs->kind == VS_GROUP)
		snprintf(buf, len, "group %s", x->group_name);
	else if (vs->port)
		snprintf(buf, len, "%s %u", ip_addr_str(&vs->addr, addr, sizeof(addr)), vs->port);
	else
		snprintf(buf, len, "%s", ip_addr_str(&vs->addr, addr, sizeof(addr)));
	return buf;
}

/* ---- virtual_server keywords ---- */

static void kw_lvs_sched(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_vs_ctx *x = obj;
	int i;

	/* The message lists the valid names when the word is none of them. */
	if (val_choice(d, &n->words[1], schedulers, &i))
		snprintf(x->vs->sched, sizeof(x->vs->sched), "%s", schedulers[i]);
}

static void kw_lvs_method(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_vs_ctx *x = obj;

	cp_lvs_method(d, n, &x->vs->method);
}

/* persistence_timeout [SECS]: without a value, keepalived's 6 minutes. */
static void kw_persistence_timeout(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_vs_ctx *x = obj;

	if (n->nwords < 2)
		x->vs->persistence_timeout = CHECK_DEFAULT_PERSISTENCE_S;
	else
		cp_lvs_seconds(d, &n->words[1], &x->vs->persistence_timeout);
}

/* The prefix length of a contiguous IPv4 netmask, or -1. */
static int mask_prefix(struct in_addr mask)
{
	uint32_t m = ntohl(mask.s_addr);
	int len = 0;

	while (len < 32 && (m & (0x80000000u >> len)))
		len++;
	if (len < 32 && (m << len) != 0)
		return -1;
	return len;
}

/* A netmask (IPv4 services) or a prefix length (IPv6 services); which
 * one the service needs is known once the block ends. */
static void kw_persistence_granularity(struct diags *d, const struct conf_node *n, void *obj)
{
	const struct conf_word *w = &n->words[1];
	struct cp_vs_ctx *x = obj;
	struct ip_addr mask;
	uint64_t len;
	int prefix;

	if (strchr(w->text, '.')) {
		if (!val_ipaddr(d, w, AF_INET, &mask))
			return;
		prefix = mask_prefix(mask.u.v4);
		if (prefix <= 0) {
			diag_error(d, &w->pos, "'%s' is not a netmask (contiguous ones, like "
				   "255.255.255.0)", w->text);
			return;
		}
		x->granularity_family = AF_INET;
	} else {
		if (!val_uint(d, w, 1, 128, &len))
			return;
		prefix = (int)len;
		x->granularity_family = AF_INET6;
	}
	x->vs->persistence_granularity = (unsigned)prefix;
	x->granularity_w = w;
}

static void kw_persistence_engine(struct diags *d, const struct conf_node *n, void *obj)
{
	static const char *const engines[] = { "sip", NULL };
	struct cp_vs_ctx *x = obj;
	int i;

	if (val_choice(d, &n->words[1], engines, &i))
		snprintf(x->vs->pe_name, sizeof(x->vs->pe_name), "%s", engines[i]);
}

static void kw_protocol(struct diags *d, const struct conf_node *n, void *obj)
{
	static const char *const protos[] = { "TCP", "UDP", "SCTP", NULL };
	static const uint8_t values[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP };
	struct cp_vs_ctx *x = obj;
	int i;

	/* Set even when invalid: the error is enough, no "not set" warning. */
	x->vs->protocol_set = true;
	x->protocol_n = n;
	if (val_choice(d, &n->words[1], protos, &i))
		x->vs->protocol = values[i];
}

static void kw_ops(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_vs_ctx *x = obj;

	(void)d;
	x->vs->ops = true;
	x->ops_n = n;
}

static void kw_sched_flag(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_vs_ctx *x = obj;

	(void)d;
	for (size_t i = 0; i < CP_N_SCHED_FLAGS; i++) {
		if (strcmp(n->words[0].text, sched_flags[i].name) == 0) {
			x->vs->sched_flags |= sched_flags[i].flag;
			x->flag_n[i] = n;
		}
	}
}

static void kw_ha_suspend(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_vs_ctx *x = obj;

	diag_warn(d, &n->pos, "ha_suspend is not implemented: checks run whatever the state "
		  "of the virtual address");
	x->vs->ha_suspend = true;
	x->ha_suspend_n = n;
}

static void kw_omega(struct diags *d, const struct conf_node *n, void *obj)
{
	(void)d;
	(void)n;
	((struct cp_vs_ctx *)obj)->vs->omega = true;
}

static void kw_vs_smtp_alert(struct diags *d, const struct conf_node *n, void *obj)
{
	cp_smtp_alert(d, n, &((struct cp_vs_ctx *)obj)->vs->smtp_alert);
}

static void kw_vs_virtualhost(struct diags *d, const struct conf_node *n, void *obj)
{
	cp_host(d, &n->words[1], &((struct cp_vs_ctx *)obj)->vs->virtualhost);
}

static void kw_vs_snmp_name(struct diags *d, const struct conf_node *n, void *obj)
{
	cp_string(d, &n->words[1], CHECK_HOST_MAX, &((struct cp_vs_ctx *)obj)->vs->snmp_name);
}

static void kw_quorum(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_vs_ctx *x = obj;
	uint64_t v;

	if (!val_uint(d, &n->words[1], 0, INT32_MAX, &v))
		return;
	x->vs->quorum = (unsigned)v;
	x->quorum_n = n;
}

static void kw_hysteresis(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_vs_ctx *x = obj;
	uint64_t v;

	if (!val_uint(d, &n->words[1], 0, INT32_MAX, &v))
		return;
	x->vs->hysteresis = (unsigned)v;
	x->hysteresis_n = n;
}

static void kw_quorum_up(struct diags *d, const struct conf_node *n, void *obj)
{
	cp_script(d, n, &((struct cp_vs_ctx *)obj)->vs->quorum_up);
}

static void kw_quorum_down(struct diags *d, const struct conf_node *n, void *obj)
{
	cp_script(d, n, &((struct cp_vs_ctx *)obj)->vs->quorum_down);
}

static void kw_ip_family(struct diags *d, const struct conf_node *n, void *obj)
{
	static const char *const families[] = { "inet", "inet6", NULL };
	struct cp_vs_ctx *x = obj;
	int i;

	if (!val_choice(d, &n->words[1], families, &i))
		return;
	if (x->vs->kind == VS_ADDR) {
		diag_error(d, &n->pos, "ip_family applies to fwmark and group virtual servers "
			   "only: this one's family is its address's");
		return;
	}
	x->ip_family = i == 0 ? AF_INET : AF_INET6;
}

static void kw_sorry_server(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_vs_ctx *x = obj;
	struct sorry_server_conf *s = &x->vs->sorry;
	struct ip_addr a;
	uint16_t port = cp_default_port(x->vs);

	if (!val_ipaddr(d, &n->words[1], AF_UNSPEC, &a))
		return;
	if (n->nwords > 2 && !val_port(d, &n->words[2], &port))
		return;
	s->addr = a;
	s->port = port;
	x->vs->has_sorry_server = true;
	x->sorry_n = n;
}

static void kw_sorry_server_inhibit(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_vs_ctx *x = obj;

	(void)d;
	(void)n;
	x->vs->sorry.inhibit = true;
}

static void kw_sorry_server_lvs_method(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_vs_ctx *x = obj;

	if (cp_lvs_method(d, n, &x->vs->sorry.method))
		x->sorry_method_set = true;
}

static void kw_vs_inhibit_on_failure(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_vs_ctx *x = obj;

	conf_opt_bool(d, n, &x->vs->inhibit_on_failure);
}

static const struct keyword vs_keywords[] = {
	{ "lvs_sched", kw_lvs_sched, 1, 1, KW_NO_BLOCK },
	{ "lb_algo", kw_lvs_sched, 1, 1, KW_NO_BLOCK },
	{ "lvs_method", kw_lvs_method, 1, 5, KW_NO_BLOCK },
	{ "lb_kind", kw_lvs_method, 1, 5, KW_NO_BLOCK },
	{ "persistence_timeout", kw_persistence_timeout, 0, 1, KW_NO_BLOCK },
	{ "persistence_granularity", kw_persistence_granularity, 1, 1, KW_NO_BLOCK },
	{ "persistence_engine", kw_persistence_engine, 1, 1, KW_NO_BLOCK },
	{ "protocol", kw_protocol, 1, 1, KW_NO_BLOCK },
	{ "ops", kw_ops, 0, 0, KW_NO_BLOCK },
	{ "flag-1", kw_sched_flag, 0, 0, KW_NO_BLOCK },
	{ "flag-2", kw_sched_flag, 0, 0, KW_NO_BLOCK },
	{ "flag-3", kw_sched_flag, 0, 0, KW_NO_BLOCK },
	{ "sh-fallback", kw_sched_flag, 0, 0, KW_NO_BLOCK },
	{ "sh-port", kw_sched_flag, 0, 0, KW_NO_BLOCK },
	{ "mh-fallback", kw_sched_flag, 0, 0, KW_NO_BLOCK },
	{ "mh-port", kw_sched_flag, 0, 0, KW_NO_BLOCK },
	{ "ha_suspend", kw_ha_suspend, 0, 0, KW_NO_BLOCK },
	{ "omega", kw_omega, 0, 0, KW_NO_BLOCK },
	{ "smtp_alert", kw_vs_smtp_alert, 0, 1, KW_NO_BLOCK },
	{ "virtualhost", kw_vs_virtualhost, 1, 1, KW_NO_BLOCK },
	{ "snmp_name", kw_vs_snmp_name, 1, 1, KW_NO_BLOCK },
	{ "quorum", kw_quorum, 1, 1, KW_NO_BLOCK },
	{ "hysteresis", kw_hysteresis, 1, 1, KW_NO_BLOCK },
	{ "quorum_up", kw_quorum_up, 1, 3, KW_NO_BLOCK },
	{ "quorum_down", kw_quorum_down, 1, 3, KW_NO_BLOCK },
	{ "ip_family", kw_ip_family, 1, 1, KW_NO_BLOCK },
	{ "sorry_server", kw_sorry_server, 1, 2, KW_NO_BLOCK },
	{ "sorry_server_inhibit", kw_sorry_server_inhibit, 0, 0, KW_NO_BLOCK },
	{ "sorry_server_lvs_method", kw_sorry_server_lvs_method, 1, 5, KW_NO_BLOCK },
	{ "inhibit_on_failure", kw_vs_inhibit_on_failure, 0, 1, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

/* ---- the virtual_server block as a whole ---- */

/* keepalived wants a block even when it is empty. */
static const struct keyword rs_keyword = { "real_server", NULL, 1, 2, KW_BLOCK };

static bool parse_header(struct diags *d, const struct conf_node *n, struct cp_vs_ctx *x)
{
	struct virtual_server_conf *vs = x->vs;
	const char *first = n->words[1].text;
	uint64_t mark;

	if (strcmp(first, "fwmark") == 0 || strcmp(first, "group") == 0) {
		vs->kind = first[0] == 'f' ? VS_FWMARK : VS_GROUP;
		if (n->nwords < 3) {
			diag_error(d, &n->words[1].pos, "'virtual_server %s' needs a %s", first,
				   vs->kind == VS_FWMARK ? "mark" : "group name");
			return false;
		}
		if (vs->kind == VS_GROUP)
			return cp_name(d, &n->words[2], x->group_name);
		if (!val_uint(d, &n->words[2], 1, UINT32_MAX, &mark))
			return false;
		vs->fwmark = (uint32_t)mark;
		return true;
	}
	vs->kind = VS_ADDR;
	if (!val_ipaddr(d, &n->words[1], AF_UNSPEC, &vs->addr))
		return false;
	vs->family = vs->addr.family;
	return n->nwords < 3 || val_port(d, &n->words[2], &vs->port);
}

/* The pass over the virtual server's own keywords. */
static void parse_vs_keywords(struct diags *d, const struct conf_node *n, struct cp_vs_ctx *x)
{
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *st = &n->children[i];

		if (st->nwords == 0 || strcmp(st->words[0].text, "real_server") == 0)
			continue;
		if (kw_try_dispatch(d, vs_keywords, st, x) ||
		    kw_try_dispatch(d, cp_inherit_keywords, st, &x->inh))
			continue;
		kw_unknown(d, st, "virtual_server");
	}
	if (x->vs->virtualhost)
		x->inh.virtualhost = x->vs->virtualhost;
	x->vs->alpha = x->inh.alpha > 0;
	x->vs->delay_loop_us = x->inh.delay_loop_us != CP_UNSET_US ? x->inh.delay_loop_us
								   : CHECK_DEFAULT_DELAY_LOOP_US;
	if (!x->sorry_method_set)
		x->vs->sorry.method = x->vs->method;
}

/* An fwmark service takes ip_family, else its real servers' family. */
static void resolve_family(struct cp_vs_ctx *x)
{
	struct virtual_server_conf *vs = x->vs;

	if (vs->kind == VS_ADDR)
		return;
	vs->family = x->ip_family;
	for (size_t i = 0; !vs->family && i < vs->n_real_servers; i++)
		if (vs->real_servers[i].method != LVS_TUN)
			vs->family = vs->real_servers[i].addr.family;
	if (!vs->family && vs->n_real_servers)
		vs->family = vs->real_servers[0].addr.family;
	if (!vs->family && vs->has_sorry_server)
		vs->family = vs->sorry.addr.family;
	if (!vs->family)
		vs->family = AF_INET;
}

/* IPVS forwards to another address family only through a tunnel. */
static void check_family(struct diags *d, const struct conf_pos *pos, const char *what,
			 const struct ip_addr *a, enum lvs_method m, int vs_family)
{
	char addr[INET6_ADDRSTRLEN];

	if (a->family == vs_family || m == LVS_TUN)
		return;
	diag_error(d, pos, "%s %s is %s but the virtual server is %s: mixing address families "
		   "needs lvs_method TUN", what, ip_addr_str(a, addr, sizeof(addr)),
		   cp_family_name(a->family), cp_family_name(vs_family));
}

static void check_granularity(struct diags *d, const struct cp_vs_ctx *x)
{
	const struct virtual_server_conf *vs = x->vs;

	if (!x->granularity_w)
		return;
	if (!vs->persistence_timeout)
		diag_warn(d, &x->granularity_w->pos, "persistence_granularity has no effect "
			  "without persistence_timeout");
	if (vs->kind == VS_GROUP) {
		/* The group's families are known once the file is read. */
		cp_add_ref(d, x->c, CP_REF_GRANULARITY, x->idx, (size_t)x->granularity_family,
			   NULL, &x->granularity_w->pos);
		return;
	}
	if (x->granularity_family == vs->family)
		return;
	if (vs->family == AF_INET)
		diag_error(d, &x->granularity_w->pos, "persistence_granularity of an IPv4 virtual "
			   "server is a netmask, like 255.255.255.0");
	else
		diag_error(d, &x->granularity_w->pos, "persistence_granularity of an IPv6 virtual "
			   "server is a prefix length, 1 to 128");
}

static void check_scheduling(struct diags *d, const struct cp_vs_ctx *x)
{
	const struct virtual_server_conf *vs = x->vs;

	/* The kernel applies one-packet scheduling to UDP packets only; an
	 * fwmark service may carry UDP whatever `protocol` says. */
	if (x->ops_n && vs->kind != VS_FWMARK && vs->protocol != IPPROTO_UDP)
		diag_error(d, &x->ops_n->pos, "ops (one-packet scheduling) needs protocol UDP");
	for (size_t i = 0; i < CP_N_SCHED_FLAGS; i++)
		if (x->flag_n[i] && sched_flags[i].sched &&
		    strcmp(vs->sched, sched_flags[i].sched) != 0)
			diag_error(d, &x->flag_n[i]->pos, "%s needs lvs_sched %s (not %s)",
				   sched_flags[i].name, sched_flags[i].sched, vs->sched);
}

static void check_quorum(struct diags *d, const struct cp_vs_ctx *x)
{
	struct virtual_server_conf *vs = x->vs;
	const struct conf_pos *pos = x->quorum_n ? &x->quorum_n->pos : &x->n->pos;
	unsigned long long total = 0, need;
	char hyst[48] = "";

	/* The quorum is lost below quorum - hysteresis: at or above the
	 * quorum it could never be lost.  keepalived lowers it the same way. */
	if (vs->hysteresis && vs->hysteresis >= vs->quorum) {
		unsigned used = vs->quorum ? vs->quorum - 1 : 0;

		diag_warn(d, &x->hysteresis_n->pos, "hysteresis %u is not below quorum %u: %u used",
			  vs->hysteresis, vs->quorum, used);
		vs->hysteresis = used;
	}
	if (vs->n_real_servers == 0)
		return;		/* check_pool() says so */
	for (size_t i = 0; i < vs->n_real_servers; i++)
		total += vs->real_servers[i].weight;
	if (vs->hysteresis)
		snprintf(hyst, sizeof(hyst), " plus hysteresis %u", vs->hysteresis);
	/* The quorum is gained at quorum + hysteresis live weight. */
	need = (unsigned long long)vs->quorum + vs->hysteresis;
	if (need > total)
		diag_warn(d, pos, "quorum %u%s is more than the total weight of the real servers "
			  "(%llu): the quorum can never be reached", vs->quorum, hyst, total);
}

/* An empty pool is legal (the sorry server, or servers added later), but
 * rarely meant. */
static void check_pool(struct diags *d, const struct cp_vs_ctx *x)
{
	if (x->vs->n_real_servers == 0 && !x->vs->has_sorry_server) {
		char desc[DIAG_TEXT_BUF + 64];

		diag_warn(d, &x->n->pos, "virtual_server %s has no real_server",
			  vs_desc(x, desc, sizeof(desc)));
	}
}

/* What keepalived ignores or adjusts in a virtual server, said aloud. */
static void check_kind_specific(struct diags *d, const struct cp_vs_ctx *x)
{
	struct virtual_server_conf *vs = x->vs;

	if (vs->kind == VS_ADDR && !vs->protocol_set)
		diag_warn(d, &x->n->pos, "protocol not set: TCP assumed");
	if (vs->kind == VS_FWMARK && x->protocol_n)
		diag_warn(d, &x->protocol_n->pos, "protocol is not used by fwmark virtual servers: "
			  "ignored");
	/* ha_suspend watches the virtual address, which a mark does not have. */
	if (vs->kind == VS_FWMARK && vs->ha_suspend) {
		diag_warn(d, &x->ha_suspend_n->pos, "ha_suspend does not apply to fwmark virtual "
			  "servers: ignored");
		vs->ha_suspend = false;
	}
	/* IPVS serves all ports of an address only with persistence. */
	if (vs->kind == VS_ADDR && !vs->port && !vs->persistence_timeout) {
		diag_warn(d, &x->n->pos, "a service of all ports needs persistence: "
			  "persistence_timeout %u assumed", CHECK_DEFAULT_PERSISTENCE_S);
		vs->persistence_timeout = CHECK_DEFAULT_PERSISTENCE_S;
	}
}

static void finish_vs(struct diags *d, struct cp_vs_ctx *x)
{
	struct virtual_server_conf *vs = x->vs;

	resolve_family(x);
	check_kind_specific(d, x);
	check_scheduling(d, x);
	check_granularity(d, x);
	cp_check_duplicate_rs(d, x);
	check_quorum(d, x);
	check_pool(d, x);
	if (vs->kind == VS_GROUP) {
		/* Families against the group's services: check_parser_validate.c. */
		for (size_t i = 0; i < vs->n_real_servers && i < x->n_rs_n; i++)
			cp_add_ref(d, x->c, CP_REF_RS, x->idx, i, NULL, &x->rs_n[i]->pos);
		if (vs->has_sorry_server)
			cp_add_ref(d, x->c, CP_REF_SORRY, x->idx, 0, NULL, &x->sorry_n->pos);
		return;
	}
	for (size_t i = 0; i < vs->n_real_servers && i < x->n_rs_n; i++)
		check_family(d, &x->rs_n[i]->pos, "real_server", &vs->real_servers[i].addr,
			     vs->real_servers[i].method, vs->family);
	if (vs->has_sorry_server)
		check_family(d, &x->sorry_n->pos, "sorry_server", &vs->sorry.addr,
			     vs->sorry.method, vs->family);
}

static void vs_defaults(struct virtual_server_conf *vs)
{
	memset(vs, 0, sizeof(*vs));
	vs->protocol = IPPROTO_TCP;
	snprintf(vs->sched, sizeof(vs->sched), "%s", CHECK_DEFAULT_SCHED);
	vs->method = LVS_NAT;
	vs->quorum = 1;
	vs->delay_loop_us = CHECK_DEFAULT_DELAY_LOOP_US;
}

void cp_kw_virtual_server(struct diags *d, const struct conf_node *n, void *obj)
{
	struct check_conf *c = obj;
	struct virtual_server_conf vs, *slot = NULL;
	struct cp_vs_ctx x;
	size_t count = c->n_virtual_servers;

	vs_defaults(&vs);
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.vs = &vs;
	x.n = n;
	x.idx = c->n_virtual_servers;
	cp_inherit_init(&x.inh);
	x.valid = parse_header(d, n, &x);
	/* The body is read even after a bad header, for its own errors. */
	parse_vs_keywords(d, n, &x);
	/* Second pass: the real servers, which see the virtual server complete. */
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *st = &n->children[i];

		if (st->nwords && strcmp(st->words[0].text, rs_keyword.name) == 0 &&
		    kw_check_shape(d, &rs_keyword, st))
			cp_parse_real_server(d, st, &x);
	}
	if (x.valid) {
		finish_vs(d, &x);
		slot = conf_grow(d, &n->pos, &c->virtual_servers, &count, sizeof(*slot));
	}
	free(x.rs_n);
	if (!x.valid || !slot) {
		cp_virtual_server_free(&vs);
		return;
	}
	*slot = vs;
	c->n_virtual_servers = (unsigned)count;
	cp_add_ref(d, c, CP_REF_VS, x.idx, 0, NULL, &n->pos);
	if (vs.kind == VS_GROUP)
		cp_add_ref(d, c, CP_REF_VS_GROUP, x.idx, 0, x.group_name, &n->words[2].pos);
}
