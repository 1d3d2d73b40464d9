/* The control socket; see ctl_server.h.  A client goes through three
 * phases: READING its request line, GATHERING the children's reports
 * (bounded by CTL_CHILD_TIMEOUT_US), WRITING the answer.  Its deadline
 * covers all three. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl_server.h"
#include "json_out.h"
#include "log.h"
#include "rundir.h"

enum client_phase { READING, GATHERING, WRITING };

struct ctl_client {
	struct ctl_server *srv;
	int fd;
	enum client_phase phase;
	uint64_t since_us;		/* connected at (monotonic) */
	char req[CTL_REQUEST_MAX];
	size_t req_len;
	uint32_t format;		/* enum ctl_status_format */
	uint32_t seq;
	bool awaited[CHILD_KINDS];
	char *part[CHILD_KINDS];	/* a child's report */
	const char *why_null[CHILD_KINDS];	/* why a section is missing */
	char *out;
	size_t out_len, out_off;
	struct ev_timer deadline;
	struct ev_timer gather;
};

struct ctl_server {
	struct ev_loop *loop;
	const struct ctl_server_ops *ops;
	void *arg;
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t dev;			/* of the socket file we bound, so */
	ino_t ino;			/* we remove only our own */
	uint32_t next_seq;
	struct ctl_client *clients[CTL_MAX_CLIENTS];
	bool refusing;			/* full: logged once, until a slot frees */
};

static const char *const section_names[CHILD_KINDS] = {
	[CHILD_VRRP] = "vrrp", [CHILD_CHECKER] = "checker",
};

static void client_free(struct ctl_client *c, bool touch_loop)
{
	struct ctl_server *s = c->srv;

	for (int i = 0; i < CTL_MAX_CLIENTS; i++)
		if (s->clients[i] == c)
			s->clients[i] = NULL;
	s->refusing = false;
	if (touch_loop) {
		ev_timer_disarm(s->loop, &c->deadline);
		ev_timer_disarm(s->loop, &c->gather);
		ev_io_del(s->loop, c->fd);
	}
	close(c->fd);
	for (int k = 0; k < CHILD_KINDS; k++)
		free(c->part[k]);
	free(c->out);
	free(c);
}

/* ---- the answer ------------------------------------------------------- */

static void compose_json(struct ctl_client *c, FILE *out)
{
	struct ctl_server *s = c->srv;
	struct json_out j;
	const char *doc;
	bool any_null = false;

	json_out_init(&j);
	json_begin_object(&j, NULL);
	json_string(&j, "version", PACKAGE_VERSION);
	json_uint(&j, "pid", (uint64_t)getpid());
	json_uint(&j, "config_generation", s->ops->generation(s->arg));
	for (int k = 0; k < CHILD_KINDS; k++) {
		if (c->part[k])
			json_raw(&j, section_names[k], c->part[k], strlen(c->part[k]));
		else
			json_null(&j, section_names[k]);
		any_null = any_null || !c->part[k];
	}
	if (any_null) {
		json_begin_object(&j, "errors");
		for (int k = 0; k < CHILD_KINDS; k++)
			if (!c->part[k])
				json_string(&j, section_names[k], c->why_null[k]);
		json_end_object(&j);
	}
	json_end_object(&j);
	doc = json_out_finish(&j, NULL);
	fprintf(out, "%s\n", doc ? doc : "{\"error\":\"out of memory\"}");
	json_out_free(&j);
}

static void compose_text(struct ctl_client *c, FILE *out)
{
	struct ctl_server *s = c->srv;

	fprintf(out, "%s %s, pid %ld, configuration generation %u\n", PACKAGE_NAME,
		PACKAGE_VERSION, (long)getpid(), s->ops->generation(s->arg));
	for (int k = 0; k < CHILD_KINDS; k++) {
		if (c->part[k])
			fputs(c->part[k], out);
		else
			fprintf(out, "%s: %s\n", child_kind_name((enum child_kind)k),
				c->why_null[k]);
	}
}

static void on_client_io(struct ev_loop *loop, int fd, uint32_t events, void *arg);

/* Send what is left of the answer; the client goes when it is all out. */
static void flush_answer(struct ctl_client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;		/* EPOLLOUT brings us back */
		if (n <= 0) {
			client_free(c, true);
			return;
		}
		c->out_off += (size_t)n;
	}
	client_free(c, true);
}

static void start_answer(struct ctl_client *c, const char *error)
{
	FILE *out = open_memstream(&c->out, &c->out_len);

	ev_timer_disarm(c->srv->loop, &c->gather);
	c->phase = WRITING;
	if (!out) {
		client_free(c, true);
		return;
	}
	if (error)
		fprintf(out, "{\"error\":\"%s\"}\n", error);	/* our own fixed words */
	else if (c->format == CTL_STATUS_JSON)
		compose_json(c, out);
	else
		compose_text(c, out);
	if (fclose(out) != 0) {
		client_free(c, true);
		return;
	}
	ev_io_modify(c->srv->loop, c->fd, EPOLLOUT);
	flush_answer(c);
}

/* ---- gathering the children's reports --------------------------------- */

static bool still_gathering(const struct ctl_client *c)
{
	for (int k = 0; k < CHILD_KINDS; k++)
		if (c->awaited[k])
			return true;
	return false;
}

static void gather_timeout(struct ev_loop *loop, void *arg)
{
	struct ctl_client *c = arg;

	(void)loop;
	for (int k = 0; k < CHILD_KINDS; k++)
		if (c->awaited[k]) {
			c->awaited[k] = false;
			c->why_null[k] = "no answer within 2 s";
			log_warnx("%s child did not answer a status request in time",
				  child_kind_name((enum child_kind)k));
		}
	start_answer(c, NULL);
}

static void start_gathering(struct ctl_client *c)
{
	struct ctl_server *s = c->srv;

	c->phase = GATHERING;
	c->seq = ++s->next_seq;
	for (int k = 0; k < CHILD_KINDS; k++)
		c->awaited[k] = s->ops->ask_child(s->arg, (enum child_kind)k, c->format, c->seq,
						  &c->why_null[k]) == 0;
	if (!still_gathering(c)) {
		start_answer(c, NULL);
		return;
	}
	ev_timer_arm(s->loop, &c->gather, CTL_CHILD_TIMEOUT_US);
}

void ctl_server_child_reply(struct ctl_server *s, enum child_kind kind, const struct ctl_msg *m,
			    int fd)
{
	struct ctl_client *c = NULL;
	size_t len;

	if (!s)
		return;
	for (int i = 0; i < CTL_MAX_CLIENTS && !c; i++)
		if (s->clients[i] && s->clients[i]->phase == GATHERING &&
		    s->clients[i]->seq == m->seq && s->clients[i]->awaited[kind])
			c = s->clients[i];
	if (!c)
		return;		/* late: that client was answered already */
	c->awaited[kind] = false;
	if (fd < 0) {
		c->why_null[kind] = "stopping";
	} else if (ctl_blob_read(fd, CTL_REPORT_MAX, &c->part[kind], &len) < 0) {
		c->part[kind] = NULL;
		c->why_null[kind] = "unreadable report";
		log_warnx("%s child sent an unreadable status report", child_kind_name(kind));
	}
	if (!still_gathering(c))
		start_answer(c, NULL);
}

/* ---- reading the request ---------------------------------------------- */

static void handle_request(struct ctl_client *c)
{
	if (strcmp(c->req, "status") == 0) {
		c->format = CTL_STATUS_JSON;
		start_gathering(c);
	} else if (strcmp(c->req, "summary") == 0) {
		c->format = CTL_STATUS_TEXT;
		start_gathering(c);
	} else {
		start_answer(c, "unknown request; try status or summary");
	}
}

static void read_request(struct ctl_client *c)
{
	char *nl;
	ssize_t n;

	n = recv(c->fd, c->req + c->req_len, sizeof(c->req) - 1 - c->req_len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n < 0 || (n == 0 && c->req_len == 0)) {
		client_free(c, true);	/* gone before asking */
		return;
	}
	c->req_len += (size_t)n;
	c->req[c->req_len] = '\0';
	nl = strchr(c->req, '\n');
	if (!nl && n == 0)		/* a last line without its newline */
		nl = c->req + c->req_len;
	if (nl) {
		*nl = '\0';
		if (nl > c->req && nl[-1] == '\r')
			nl[-1] = '\0';
		ev_io_modify(c->srv->loop, c->fd, 0);	/* nothing more to read */
		handle_request(c);
	} else if (c->req_len == sizeof(c->req) - 1) {
		start_answer(c, "request too long");
	}
}

static void on_client_io(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct ctl_client *c = arg;

	(void)loop;
	(void)fd;
	if (c->phase == READING && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		read_request(c);
	else if (c->phase == GATHERING && (events & (EPOLLHUP | EPOLLERR)))
		client_free(c, true);	/* nobody left to answer */
	else if (c->phase == WRITING && (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)))
		flush_answer(c);
}

static void client_deadline(struct ev_loop *loop, void *arg)
{
	struct ctl_client *c = arg;

	(void)loop;
	log_debug("control socket: dropping a client that took longer than %llu s",
		  CTL_CLIENT_TIMEOUT_US / 1000000);
	client_free(c, true);
}

/* When every slot is taken, the client that has waited longest without
 * sending its request makes room: a crowd of silent connections cannot
 * lock the operator out.  -1 when all are busy with real requests. */
static int evict_silent(struct ctl_server *s)
{
	int oldest = -1;

	for (int i = 0; i < CTL_MAX_CLIENTS; i++)
		if (s->clients[i] && s->clients[i]->phase == READING &&
		    (oldest < 0 || s->clients[i]->since_us < s->clients[oldest]->since_us))
			oldest = i;
	if (oldest >= 0)
		client_free(s->clients[oldest], true);
	return oldest;
}

static void add_client(struct ctl_server *s, int fd)
{
	struct ctl_client *c;
	int slot = -1;

	for (int i = 0; i < CTL_MAX_CLIENTS && slot < 0; i++)
		if (!s->clients[i])
			slot = i;
	if (slot < 0)
		slot = evict_silent(s);
	if (slot < 0 || !(c = calloc(1, sizeof(*c)))) {
		if (!s->refusing)
			log_warnx("control socket: %d clients at once; refusing more",
				  CTL_MAX_CLIENTS);
		s->refusing = true;
		close(fd);
		return;
	}
	c->srv = s;
	c->fd = fd;
	c->since_us = monotonic_us();
	ev_timer_init(&c->deadline, client_deadline, c);
	ev_timer_init(&c->gather, gather_timeout, c);
	if (ev_io_add(s->loop, fd, EPOLLIN, on_client_io, c) < 0) {
		log_warn("control socket: cannot watch a client");
		close(fd);
		free(c);
		return;
	}
	s->clients[slot] = c;
	ev_timer_arm(s->loop, &c->deadline, CTL_CLIENT_TIMEOUT_US);
}

static void on_accept(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct ctl_server *s = arg;
	int cfd;

	(void)loop;
	(void)events;
	while ((cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
		add_client(s, cfd);
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
	    errno != ECONNABORTED)
		log_warn("control socket: accept");
}

/* ---- the listening socket --------------------------------------------- */

/* Whether a daemon answers on `path`: a probe connect, which on a local
 * socket succeeds or fails at once. */
static bool socket_alive(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	bool alive;

	if (fd < 0)
		return false;
	alive = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0 || errno == EAGAIN;
	close(fd);
	return alive;
}

/* Make room for our socket at sa->sun_path: 0, or -1 (logged) when the
 * path must be left alone. */
static int clear_path(const struct sockaddr_un *sa)
{
	struct stat st;

	if (lstat(sa->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		log_err("%s exists and is not a socket: running without a control socket",
			sa->sun_path);
		return -1;
	}
	if (socket_alive(sa)) {
		log_warnx("another keepalived answers on %s: running without a control socket",
			  sa->sun_path);
		return -1;
	}
	log_info("removing the stale control socket %s", sa->sun_path);
	if (unlink(sa->sun_path) < 0 && errno != ENOENT) {
		log_warn("cannot remove %s", sa->sun_path);
		return -1;
	}
	return 0;
}

static int listen_at(struct ctl_server *s, const struct sockaddr_un *sa)
{
	struct stat st;
	mode_t old_mask;
	int r;

	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return -1;
	old_mask = umask(0177);		/* the file is born 0600 */
	r = bind(s->fd, (const struct sockaddr *)sa, sizeof(*sa));
	umask(old_mask);
	if (r < 0)
		return -1;
	if (chmod(sa->sun_path, 0600) < 0 || lstat(sa->sun_path, &st) < 0 ||
	    listen(s->fd, CTL_MAX_CLIENTS) < 0) {
		unlink(sa->sun_path);
		return -1;
	}
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	return ev_io_add(s->loop, s->fd, EPOLLIN, on_accept, s);
}

struct ctl_server *ctl_server_open(struct ev_loop *loop, const char *run_dir,
				   const struct ctl_server_ops *ops, void *arg)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ctl_server *s;
	char err[320];
	int dirfd;

	dirfd = rundir_prepare(run_dir, err, sizeof(err));
	if (dirfd < 0) {
		log_err("run directory refused: %s; running without a control socket", err);
		return NULL;
	}
	close(dirfd);
	if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", run_dir,
			     CTL_SOCKET_NAME) >= sizeof(sa.sun_path)) {
		log_err("run directory %s: path too long for a socket; running without a "
			"control socket", run_dir);
		return NULL;
	}
	if (clear_path(&sa) < 0 || !(s = calloc(1, sizeof(*s))))
		return NULL;
	s->loop = loop;
	s->ops = ops;
	s->arg = arg;
	snprintf(s->path, sizeof(s->path), "%s", sa.sun_path);
	if (listen_at(s, &sa) < 0) {
		log_warn("control socket %s", sa.sun_path);
		if (s->fd >= 0)
			close(s->fd);
		free(s);
		return NULL;
	}
	log_info("Control socket listening on %s", s->path);
	return s;
}

static void release(struct ctl_server *s, bool in_parent)
{
	for (int i = 0; i < CTL_MAX_CLIENTS; i++)
		if (s->clients[i])
			client_free(s->clients[i], in_parent);
	if (in_parent)
		ev_io_del(s->loop, s->fd);
	close(s->fd);
	free(s);
}

void ctl_server_close(struct ctl_server *s)
{
	struct stat st;

	if (!s)
		return;
	/* Only the file we bound: a later daemon may own the path now. */
	if (lstat(s->path, &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino)
		unlink(s->path);
	release(s, true);
}

void ctl_server_forget(struct ctl_server *s)
{
	if (s)
		release(s, false);
}
