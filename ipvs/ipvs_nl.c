/* The IPVS generic netlink socket: opening it, sending requests and reading
 * the answers (see ipvs.h for the API).
 *
 * libnl allocates the socket, resolves the family and builds messages
 * (ipvs_msg.c); the answers are read by lib/nl_txn.c, as for rtnetlink, so
 * that the kernel's errno reaches the caller unchanged (libnl's translation
 * folds ESRCH, ENOENT and others together, and the reconciler's retries
 * depend on telling them apart), and so that datagrams not sent by the
 * kernel are ignored (BI-N04). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "ipvs.h"
#include "ipvs_msg.h"
#include "log.h"
#include "nl_txn.h"

/* A dump the kernel flags as interrupted this many times running gives up
 * with -EAGAIN. */
#define IPVS_DUMP_TRIES 8
#define MODPROBE_DEFAULT "/sbin/modprobe"

struct ipvs {
	struct nl_sock *sk;
	int family;		/* the IPVS generic netlink family id */
	struct nl_buf buf;
	struct ipvs_counters counters;
};

/* Parsed objects of one answer. */
struct vec {
	struct nl_vec v;
	size_t bad;		/* malformed entries skipped */
	int af;			/* destination dumps: the service's family */
};

/* Send msg and read its answer (see nl_txn), giving each IPVS message to
 * fn.  `change` says which counter to bump; an interrupted dump (-EINTR)
 * is read again by the caller, so it is not a failure. */
static int transact(struct ipvs *ipvs, struct nl_msg *msg, bool change, nl_txn_fn *fn,
		    void *arg)
{
	int rc;

	if (change)
		ipvs->counters.changes++;
	else
		ipvs->counters.queries++;
	rc = nl_txn(ipvs->sk, &ipvs->buf, msg, (uint16_t)ipvs->family, fn, arg);
	if (rc != 0 && rc != -EINTR)
		ipvs->counters.failures++;
	return rc;
}

/* ---- requests ---- */

static int svc_request(struct ipvs *ipvs, uint8_t cmd, const struct ipvs_service *s, bool full)
{
	struct nl_msg *m = ipvs_msg_new(ipvs->family, cmd, 0);
	int rc;

	if (m == NULL)
		return -ENOMEM;
	rc = ipvs_put_service(m, s, full);
	if (rc == 0)
		rc = transact(ipvs, m, true, NULL, NULL);
	nlmsg_free(m);
	return rc;
}

static int dest_request(struct ipvs *ipvs, uint8_t cmd, const struct ipvs_service *s,
			const struct ipvs_dest *d, bool full)
{
	struct nl_msg *m = ipvs_msg_new(ipvs->family, cmd, 0);
	int rc;

	if (m == NULL)
		return -ENOMEM;
	rc = ipvs_put_service(m, s, false);
	if (rc == 0)
		rc = ipvs_put_dest(m, d, full);
	if (rc == 0)
		rc = transact(ipvs, m, true, NULL, NULL);
	nlmsg_free(m);
	return rc;
}

int ipvs_service_add(struct ipvs *ipvs, const struct ipvs_service *s)
{
	return svc_request(ipvs, IPVS_CMD_NEW_SERVICE, s, true);
}

int ipvs_service_edit(struct ipvs *ipvs, const struct ipvs_service *s)
{
	return svc_request(ipvs, IPVS_CMD_SET_SERVICE, s, true);
}

int ipvs_service_del(struct ipvs *ipvs, const struct ipvs_service *s)
{
	return svc_request(ipvs, IPVS_CMD_DEL_SERVICE, s, false);
}

int ipvs_dest_add(struct ipvs *ipvs, const struct ipvs_service *s, const struct ipvs_dest *d)
{
	return dest_request(ipvs, IPVS_CMD_NEW_DEST, s, d, true);
}

int ipvs_dest_edit(struct ipvs *ipvs, const struct ipvs_service *s, const struct ipvs_dest *d)
{
	return dest_request(ipvs, IPVS_CMD_SET_DEST, s, d, true);
}

int ipvs_dest_del(struct ipvs *ipvs, const struct ipvs_service *s, const struct ipvs_dest *d)
{
	return dest_request(ipvs, IPVS_CMD_DEL_DEST, s, d, false);
}

int ipvs_flush(struct ipvs *ipvs)
{
	struct nl_msg *m = ipvs_msg_new(ipvs->family, IPVS_CMD_FLUSH, 0);
	int rc;

	if (m == NULL)
		return -ENOMEM;
	rc = transact(ipvs, m, true, NULL, NULL);
	nlmsg_free(m);
	return rc;
}

int ipvs_daemon_start(struct ipvs *ipvs, const struct ipvs_daemon *d)
{
	struct nl_msg *m = ipvs_msg_new(ipvs->family, IPVS_CMD_NEW_DAEMON, 0);
	int rc;

	if (m == NULL)
		return -ENOMEM;
	rc = ipvs_put_daemon(m, d, true);
	if (rc == 0)
		rc = transact(ipvs, m, true, NULL, NULL);
	nlmsg_free(m);
	return rc;
}

int ipvs_daemon_stop(struct ipvs *ipvs, uint32_t state)
{
	struct nl_msg *m = ipvs_msg_new(ipvs->family, IPVS_CMD_DEL_DAEMON, 0);
	struct ipvs_daemon d = { .state = state };
	int rc;

	if (m == NULL)
		return -ENOMEM;
	rc = ipvs_put_daemon(m, &d, false);
	if (rc == 0)
		rc = transact(ipvs, m, true, NULL, NULL);
	nlmsg_free(m);
	return rc;
}

int ipvs_set_timeouts(struct ipvs *ipvs, const struct ipvs_timeouts *t)
{
	struct nl_msg *m = ipvs_msg_new(ipvs->family, IPVS_CMD_SET_CONFIG, 0);
	int rc;

	if (m == NULL)
		return -ENOMEM;
	rc = ipvs_put_timeouts(m, t);
	if (rc == 0)
		rc = transact(ipvs, m, true, NULL, NULL);
	nlmsg_free(m);
	return rc;
}

/* ---- queries ---- */

static int collect_timeouts(struct nlmsghdr *h, void *arg)
{
	struct vec *v = arg;
	struct ipvs_timeouts t;

	if (ipvs_parse_timeouts(h, &t) < 0) {
		v->bad++;
		return 0;
	}
	return nl_vec_push(&v->v, &t);
}

int ipvs_get_timeouts(struct ipvs *ipvs, struct ipvs_timeouts *out)
{
	struct nl_msg *m = ipvs_msg_new(ipvs->family, IPVS_CMD_GET_CONFIG, 0);
	struct vec v = { .v.elem = sizeof(*out) };
	int rc;

	if (m == NULL)
		return -ENOMEM;
	rc = transact(ipvs, m, false, collect_timeouts, &v);
	nlmsg_free(m);
	if (rc == 0 && v.v.n == 0)
		rc = -EBADMSG;	/* acked without an answer */
	if (rc == 0)
		memcpy(out, v.v.items, sizeof(*out));
	free(v.v.items);
	return rc;
}

static int collect_service(struct nlmsghdr *h, void *arg)
{
	struct vec *v = arg;
	struct ipvs_service s;

	/* One odd entry must not hide the others: skipped and counted. */
	if (ipvs_parse_service(h, &s) < 0) {
		v->bad++;
		return 0;
	}
	return nl_vec_push(&v->v, &s);
}

static int collect_dest(struct nlmsghdr *h, void *arg)
{
	struct vec *v = arg;
	struct ipvs_dest d;

	if (ipvs_parse_dest(h, v->af, &d) < 0) {
		v->bad++;
		return 0;
	}
	return nl_vec_push(&v->v, &d);
}

static int collect_daemon(struct nlmsghdr *h, void *arg)
{
	struct vec *v = arg;
	struct ipvs_daemon d;

	/* There is one master and one backup at most. */
	if (ipvs_parse_daemon(h, &d) < 0 || v->v.n == 2) {
		v->bad++;
		return 0;
	}
	return nl_vec_push(&v->v, &d);
}

/* Dump `cmd` (with the service selector `s` when not NULL) into v,
 * starting again while the kernel reports the dump as interrupted.  On
 * failure v is emptied. */
static int dump(struct ipvs *ipvs, uint8_t cmd, const struct ipvs_service *s, nl_txn_fn *fn,
		struct vec *v)
{
	int tries, rc = -EINTR;

	for (tries = 0; tries < IPVS_DUMP_TRIES && rc == -EINTR; tries++) {
		struct nl_msg *m = ipvs_msg_new(ipvs->family, cmd, NLM_F_DUMP);

		if (m == NULL)
			return -ENOMEM;
		v->v.n = 0;
		v->bad = 0;
		rc = s != NULL ? ipvs_put_service(m, s, false) : 0;
		if (rc == 0)
			rc = transact(ipvs, m, false, fn, v);
		nlmsg_free(m);
	}
	if (rc == -EINTR)
		rc = -EAGAIN;
	if (rc == 0 && v->bad > 0)
		log_warnx("IPVS: %zu malformed entries ignored in a kernel dump", v->bad);
	if (rc < 0) {
		free(v->v.items);
		v->v.items = NULL;
		v->v.n = 0;
	}
	return rc;
}

int ipvs_get_services(struct ipvs *ipvs, struct ipvs_service **out, size_t *n)
{
	struct vec v = { .v.elem = sizeof(**out) };
	int rc = dump(ipvs, IPVS_CMD_GET_SERVICE, NULL, collect_service, &v);

	*out = v.v.n > 0 ? v.v.items : NULL;
	if (v.v.n == 0)
		free(v.v.items);
	*n = v.v.n;
	return rc;
}

int ipvs_get_dests(struct ipvs *ipvs, const struct ipvs_service *s, struct ipvs_dest **out,
		   size_t *n)
{
	struct vec v = { .v.elem = sizeof(**out), .af = s->af };
	int rc = dump(ipvs, IPVS_CMD_GET_DEST, s, collect_dest, &v);

	*out = v.v.n > 0 ? v.v.items : NULL;
	if (v.v.n == 0)
		free(v.v.items);
	*n = v.v.n;
	return rc;
}

int ipvs_get_daemons(struct ipvs *ipvs, struct ipvs_daemon out[2], size_t *n)
{
	struct vec v = { .v.elem = sizeof(*out) };
	int rc = dump(ipvs, IPVS_CMD_GET_DAEMON, NULL, collect_daemon, &v);

	*n = v.v.n;
	if (v.v.n > 0)
		memcpy(out, v.v.items, v.v.n * sizeof(*out));
	free(v.v.items);
	return rc;
}

void ipvs_get_counters(const struct ipvs *ipvs, struct ipvs_counters *out)
{
	*out = ipvs->counters;
}

/* ---- opening ---- */

/* Run `modprobe -q ip_vs` and wait for it.  Only ever at start, before the
 * event loop runs, so waiting here holds nothing up. */
static void modprobe_ip_vs(void)
{
	char path[PATH_MAX] = MODPROBE_DEFAULT;
	char a0[] = "modprobe", a1[] = "-q", a2[] = "ip_vs";
	char e0[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	char *argv[] = { a0, a1, a2, NULL }, *envp[] = { e0, NULL };
	posix_spawn_file_actions_t fa;
	FILE *f;
	pid_t pid;
	int st, i;

	/* The kernel's own choice of modprobe, as its autoloader uses. */
	f = fopen("/proc/sys/kernel/modprobe", "re");
	if (f != NULL) {
		if (fgets(path, sizeof(path), f) == NULL || path[0] != '/')
			snprintf(path, sizeof(path), "%s", MODPROBE_DEFAULT);
		path[strcspn(path, "\n")] = '\0';
		fclose(f);
	}
	if (posix_spawn_file_actions_init(&fa) != 0)
		return;
	for (i = 0; i < 3; i++)
		posix_spawn_file_actions_addopen(&fa, i, "/dev/null", i == 0 ? O_RDONLY : O_WRONLY, 0);
	if (posix_spawn(&pid, path, &fa, NULL, argv, envp) == 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	posix_spawn_file_actions_destroy(&fa);
}

static int sock_open(struct ipvs *ipvs, char *err, size_t errlen)
{
	int rc;

	ipvs->sk = nl_socket_alloc();
	if (ipvs->sk == NULL) {
		snprintf(err, errlen, "cannot open a generic netlink socket: out of memory");
		return -ENOMEM;
	}
	rc = genl_connect(ipvs->sk);
	if (rc < 0) {
		snprintf(err, errlen, "cannot open a generic netlink socket: %s", nl_geterror(rc));
		return -EIO;
	}
	rc = nl_txn_timeout(ipvs->sk, IPVS_REPLY_TIMEOUT_S);
	if (rc < 0) {
		snprintf(err, errlen, "cannot set a netlink receive timeout: %s", strerror(-rc));
		return rc;
	}
	return 0;
}

static int family_resolve(struct ipvs *ipvs, char *err, size_t errlen)
{
	int id = genl_ctrl_resolve(ipvs->sk, IPVS_GENL_NAME);

	if (id == -NLE_OBJ_NOTFOUND) {
		modprobe_ip_vs();
		id = genl_ctrl_resolve(ipvs->sk, IPVS_GENL_NAME);
	}
	if (id == -NLE_OBJ_NOTFOUND) {
		snprintf(err, errlen, "IPVS is not available: load the ip_vs module "
			 "(generic netlink family \"%s\" not found)", IPVS_GENL_NAME);
		return -ENOENT;
	}
	if (id < 0) {
		snprintf(err, errlen, "IPVS is not available: resolving generic netlink family "
			 "\"%s\": %s", IPVS_GENL_NAME, nl_geterror(id));
		return -EIO;
	}
	ipvs->family = id;
	return 0;
}

struct ipvs *ipvs_open(char *err, size_t errlen)
{
	struct ipvs *ipvs = calloc(1, sizeof(*ipvs));
	int rc;

	if (ipvs == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rc = sock_open(ipvs, err, errlen);
	if (rc == 0)
		rc = family_resolve(ipvs, err, errlen);
	if (rc == 0)
		return ipvs;
	ipvs_close(ipvs);
	errno = -rc;
	return NULL;
}

void ipvs_close(struct ipvs *ipvs)
{
	if (ipvs == NULL)
		return;
	/* nl_socket_free closes the descriptor. */
	if (ipvs->sk != NULL)
		nl_socket_free(ipvs->sk);
	free(ipvs->buf.data);
	free(ipvs);
}
