/* The IPVS generic netlink socket: opening it, sending requests and reading
 * the answers (see ipvs.h for the API).
 *
 * libnl allocates the socket, resolves the family and builds messages
 * (ipvs_msg.c); the answers are read here, as lib/nl_route.c does for
 * rtnetlink, so that the kernel's errno reaches the caller unchanged
 * (libnl's translation folds ESRCH, ENOENT and others together, and the
 * reconciler's retries depend on telling them apart), and so that
 * datagrams not sent by the kernel are ignored (BI-N04). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "ipvs.h"
#include "ipvs_msg.h"
#include "log.h"

#define IPVS_BUF_INITIAL 32768
/* A dump the kernel flags as interrupted this many times running gives up
 * with -EAGAIN. */
#define IPVS_DUMP_TRIES 8
#define MODPROBE_DEFAULT "/sbin/modprobe"

struct ipvs {
	struct nl_sock *sk;
	int family;		/* the IPVS generic netlink family id */
	uint8_t *buf;		/* receive buffer, grown to the largest datagram */
	size_t bufsize;
	struct ipvs_counters counters;
};

typedef int ipvs_msg_fn(struct nlmsghdr *h, void *arg);

/* A growable array of parsed objects. */
struct vec {
	void *items;
	size_t n, cap, elem;
	size_t bad;		/* malformed entries skipped */
	int af;			/* destination dumps: the service's family */
};

static int vec_push(struct vec *v, const void *item)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *grown = realloc(v->items, cap * v->elem);

		if (grown == NULL)
			return -ENOMEM;
		v->items = grown;
		v->cap = cap;
	}
	memcpy((uint8_t *)v->items + v->n * v->elem, item, v->elem);
	v->n++;
	return 0;
}

/* ---- receiving ---- */

/* One whole datagram into the handle's buffer, grown as needed.  Its
 * length, or -errno (-EAGAIN when the receive timeout expired). */
static ssize_t recv_datagram(struct ipvs *ipvs, bool *from_kernel)
{
	int fd = nl_socket_get_fd(ipvs->sk);
	struct sockaddr_nl from;
	struct iovec iov;
	struct msghdr mh;
	ssize_t n;

	/* Peek at the real size first: a datagram cut to fit the buffer would
	 * lose the messages at its end. */
	do
		n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n > ipvs->bufsize) {
		uint8_t *grown = realloc(ipvs->buf, (size_t)n);

		if (grown == NULL)
			return -ENOMEM;
		ipvs->buf = grown;
		ipvs->bufsize = (size_t)n;
	}
	iov.iov_base = ipvs->buf;
	iov.iov_len = ipvs->bufsize;
	memset(&mh, 0, sizeof(mh));
	memset(&from, 0, sizeof(from));
	mh.msg_name = &from;
	mh.msg_namelen = sizeof(from);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	do
		n = recvmsg(fd, &mh, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	*from_kernel = mh.msg_namelen == sizeof(from) && from.nl_family == AF_NETLINK &&
		       from.nl_pid == 0;
	return n;
}

struct reply {
	uint32_t seq;
	int family;
	ipvs_msg_fn *fn;
	void *arg;
	bool done;
	bool intr;		/* NLM_F_DUMP_INTR seen */
	int err;		/* the kernel's answer */
	int fn_err;		/* first failure of fn */
};

/* The errno of an NLMSG_ERROR (0 for an ack) or of an NLMSG_DONE. */
static int reply_errno(struct nlmsghdr *h)
{
	const struct nlmsgerr *e = nlmsg_data(h);
	int done_err;

	if (h->nlmsg_type == NLMSG_DONE) {
		if (nlmsg_datalen(h) < (int)sizeof(done_err))
			return 0;
		memcpy(&done_err, nlmsg_data(h), sizeof(done_err));
		return done_err < 0 ? done_err : 0;
	}
	if (nlmsg_datalen(h) < (int)sizeof(*e) || e->error > 0)
		return -EPROTO;
	return e->error;
}

static void reply_datagram(struct reply *r, uint8_t *data, int len)
{
	struct nlmsghdr *h;
	int rem = len;

	for (h = (struct nlmsghdr *)data; nlmsg_ok(h, rem); h = nlmsg_next(h, &rem)) {
		/* A late answer to a request abandoned after a timeout. */
		if (h->nlmsg_seq != r->seq)
			continue;
		if (h->nlmsg_flags & NLM_F_DUMP_INTR)
			r->intr = true;
		if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE) {
			r->err = reply_errno(h);
			r->done = true;
			return;
		}
		if (h->nlmsg_type == NLMSG_OVERRUN) {
			r->err = -EOVERFLOW;
			r->done = true;
			return;
		}
		/* Keep reading after a failure of fn: the rest of the answer
		 * must not stay queued for the next request. */
		if (h->nlmsg_type == r->family && r->fn != NULL && r->fn_err == 0)
			r->fn_err = r->fn(h, r->arg);
	}
}

/* Send msg and read the answer up to its ack, error or end of dump, giving
 * each IPVS message to fn.  `change` says which counter to bump.  0, the
 * kernel's -errno, a local -errno, or -EINTR for an interrupted dump. */
static int transact(struct ipvs *ipvs, struct nl_msg *msg, bool change, ipvs_msg_fn *fn,
		    void *arg)
{
	struct nlmsghdr *req = nlmsg_hdr(msg);
	struct reply r = { .family = ipvs->family, .fn = fn, .arg = arg };
	int fd = nl_socket_get_fd(ipvs->sk);
	bool from_kernel;
	ssize_t n;

	/* Our port id, a fresh sequence number, NLM_F_REQUEST | NLM_F_ACK. */
	nl_complete_msg(ipvs->sk, msg);
	r.seq = req->nlmsg_seq;
	if (change)
		ipvs->counters.changes++;
	else
		ipvs->counters.queries++;
	if (send(fd, req, req->nlmsg_len, 0) < 0) {
		r.err = -errno;
		goto out;
	}
	while (!r.done) {
		n = recv_datagram(ipvs, &from_kernel);
		if (n < 0) {
			r.err = n == -EAGAIN ? -ETIMEDOUT : (int)n;
			goto out;
		}
		if (!from_kernel) {
			log_debug("IPVS: ignored a netlink message not sent by the kernel");
			continue;
		}
		reply_datagram(&r, ipvs->buf, (int)n);
	}
	if (r.err == 0)
		r.err = r.fn_err != 0 ? r.fn_err : r.intr ? -EINTR : 0;
out:
	if (r.err != 0 && r.err != -EINTR)
		ipvs->counters.failures++;
	return r.err;
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
	return vec_push(v, &t);
}

int ipvs_get_timeouts(struct ipvs *ipvs, struct ipvs_timeouts *out)
{
	struct nl_msg *m = ipvs_msg_new(ipvs->family, IPVS_CMD_GET_CONFIG, 0);
	struct vec v = { .elem = sizeof(*out) };
	int rc;

	if (m == NULL)
		return -ENOMEM;
	rc = transact(ipvs, m, false, collect_timeouts, &v);
	nlmsg_free(m);
	if (rc == 0 && v.n == 0)
		rc = -EBADMSG;	/* acked without an answer */
	if (rc == 0)
		memcpy(out, v.items, sizeof(*out));
	free(v.items);
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
	return vec_push(v, &s);
}

static int collect_dest(struct nlmsghdr *h, void *arg)
{
	struct vec *v = arg;
	struct ipvs_dest d;

	if (ipvs_parse_dest(h, v->af, &d) < 0) {
		v->bad++;
		return 0;
	}
	return vec_push(v, &d);
}

static int collect_daemon(struct nlmsghdr *h, void *arg)
{
	struct vec *v = arg;
	struct ipvs_daemon d;

	/* There is one master and one backup at most. */
	if (ipvs_parse_daemon(h, &d) < 0 || v->n == 2) {
		v->bad++;
		return 0;
	}
	return vec_push(v, &d);
}

/* Dump `cmd` (with the service selector `s` when not NULL) into v,
 * starting again while the kernel reports the dump as interrupted.  On
 * failure v is emptied. */
static int dump(struct ipvs *ipvs, uint8_t cmd, const struct ipvs_service *s, ipvs_msg_fn *fn,
		struct vec *v)
{
	int tries, rc = -EINTR;

	for (tries = 0; tries < IPVS_DUMP_TRIES && rc == -EINTR; tries++) {
		struct nl_msg *m = ipvs_msg_new(ipvs->family, cmd, NLM_F_DUMP);

		if (m == NULL)
			return -ENOMEM;
		v->n = 0;
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
		free(v->items);
		v->items = NULL;
		v->n = 0;
	}
	return rc;
}

int ipvs_get_services(struct ipvs *ipvs, struct ipvs_service **out, size_t *n)
{
	struct vec v = { .elem = sizeof(**out) };
	int rc = dump(ipvs, IPVS_CMD_GET_SERVICE, NULL, collect_service, &v);

	*out = v.n > 0 ? v.items : NULL;
	if (v.n == 0)
		free(v.items);
	*n = v.n;
	return rc;
}

int ipvs_get_dests(struct ipvs *ipvs, const struct ipvs_service *s, struct ipvs_dest **out,
		   size_t *n)
{
	struct vec v = { .elem = sizeof(**out), .af = s->af };
	int rc = dump(ipvs, IPVS_CMD_GET_DEST, s, collect_dest, &v);

	*out = v.n > 0 ? v.items : NULL;
	if (v.n == 0)
		free(v.items);
	*n = v.n;
	return rc;
}

int ipvs_get_daemons(struct ipvs *ipvs, struct ipvs_daemon out[2], size_t *n)
{
	struct vec v = { .elem = sizeof(*out) };
	int rc = dump(ipvs, IPVS_CMD_GET_DAEMON, NULL, collect_daemon, &v);

	*n = v.n;
	if (v.n > 0)
		memcpy(out, v.items, v.n * sizeof(*out));
	free(v.items);
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
	struct timeval tv = { .tv_sec = IPVS_REPLY_TIMEOUT_S };
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
	if (setsockopt(nl_socket_get_fd(ipvs->sk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		rc = -errno;
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
	ipvs->buf = malloc(IPVS_BUF_INITIAL);
	if (ipvs->buf == NULL) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
		goto bad;
	}
	ipvs->bufsize = IPVS_BUF_INITIAL;
	rc = sock_open(ipvs, err, errlen);
	if (rc == 0)
		rc = family_resolve(ipvs, err, errlen);
	if (rc == 0)
		return ipvs;
bad:
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
	free(ipvs->buf);
	free(ipvs);
}
