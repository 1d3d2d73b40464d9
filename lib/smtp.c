/* The SMTP client: a queue of messages and one session at a time, driven
 * by the event loop (see smtp.h for the contract and the retry policy). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "log.h"
#include "smtp.h"
#include "smtp_proto.h"

/* A message is tried at most this many times (the first try and one retry). */
#define SMTP_TRIES	2

struct smtp_msg {
	char *from;
	char **rcpt;
	size_t n_rcpt;
	char *data;		/* dot-stuffed, ends with ".\r\n" */
	size_t data_len;
	unsigned tries;
};

/* What the session waits for. */
enum smtp_step {
	STEP_IDLE,
	STEP_CONNECT,
	STEP_GREETING,
	STEP_EHLO,
	STEP_HELO,
	STEP_MAIL,
	STEP_RCPT,
	STEP_DATA,
	STEP_BODY,
	STEP_QUIT,
};

static const char *const step_names[] = {
	"idle", "connect", "greeting", "EHLO reply", "HELO reply", "MAIL FROM reply",
	"RCPT TO reply", "DATA reply", "end of data reply", "QUIT reply",
};

struct smtp_client {
	struct ev_loop *loop;
	bool has_server;
	struct smtp_server server;	/* for the next session */
	struct smtp_server cur;		/* of the session in progress */
	struct smtp_msg *queue[SMTP_QUEUE_MAX];
	unsigned head, len;
	/* the session */
	struct smtp_msg *msg;
	enum smtp_step step;
	int fd;
	unsigned gen;			/* bumped when a session ends: a callback
					 * tells that its session is gone even if
					 * the next one got the same fd number */
	size_t rcpt_next, rcpt_ok;
	struct smtp_reply reply;
	char in[SMTP_LINE_MAX];
	size_t in_len;
	char cmd[SMTP_LINE_MAX];
	const char *out;		/* cmd or msg->data */
	size_t out_len, out_off;
	struct ev_timer step_timer;
	struct ev_timer retry_timer;
	/* an outage: from the first failure to the next success */
	bool failing;
	uint64_t lost_in_outage;
	struct smtp_stats stats;
};

static void msg_free(struct smtp_msg *m)
{
	if (!m)
		return;
	free(m->from);
	for (size_t i = 0; i < m->n_rcpt; i++)
		free(m->rcpt[i]);
	free(m->rcpt);
	free(m->data);
	free(m);
}

static const char *server_str(const struct smtp_server *s, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	const struct sockaddr_in *v4 = (const struct sockaddr_in *)&s->addr;
	const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&s->addr;

	if (s->addr.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &v6->sin6_addr, ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, ntohs(v6->sin6_port));
	} else {
		inet_ntop(AF_INET, &v4->sin_addr, ip, sizeof(ip));
		snprintf(buf, len, "%s:%u", ip, ntohs(v4->sin_port));
	}
	return buf;
}

/* ---- the queue ------------------------------------------------------------ */

static struct smtp_msg *queue_pop(struct smtp_client *c)
{
	struct smtp_msg *m;

	if (!c->len)
		return NULL;
	m = c->queue[c->head];
	c->head = (c->head + 1) % SMTP_QUEUE_MAX;
	c->len--;
	return m;
}

static void queue_push(struct smtp_client *c, struct smtp_msg *m)
{
	if (c->len == SMTP_QUEUE_MAX) {
		msg_free(queue_pop(c));
		c->stats.dropped++;
		c->lost_in_outage++;
	}
	c->queue[(c->head + c->len) % SMTP_QUEUE_MAX] = m;
	c->len++;
}

/* A message going back for its retry goes first, unless the queue filled
 * up meanwhile: then it is the oldest and the one to drop. */
static void queue_push_front(struct smtp_client *c, struct smtp_msg *m)
{
	if (c->len == SMTP_QUEUE_MAX) {
		msg_free(m);
		c->stats.dropped++;
		c->lost_in_outage++;
		return;
	}
	c->head = (c->head + SMTP_QUEUE_MAX - 1) % SMTP_QUEUE_MAX;
	c->queue[c->head] = m;
	c->len++;
}

/* ---- one session ---------------------------------------------------------- */

static void kick(struct smtp_client *c);

static void session_close(struct smtp_client *c)
{
	if (c->fd >= 0) {
		ev_io_del(c->loop, c->fd);
		close(c->fd);
	}
	c->fd = -1;
	ev_timer_disarm(c->loop, &c->step_timer);
	c->gen++;
	c->step = STEP_IDLE;
	c->in_len = 0;
	c->out = NULL;
	c->out_len = c->out_off = 0;
}

/* The one funnel of failures.  `code` is the server's reply (0: none); a
 * 5xx is final, anything else earns the message its retry. */
static void session_fail(struct smtp_client *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void session_fail(struct smtp_client *c, int code, const char *fmt, ...)
{
	struct smtp_msg *m = c->msg;
	char why[SMTP_LINE_MAX + 64], where[INET6_ADDRSTRLEN + 8];
	va_list ap;

	if (!m) {		/* after delivery (QUIT): nothing was lost */
		session_close(c);
		kick(c);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	session_close(c);
	c->msg = NULL;
	server_str(&c->cur, where, sizeof(where));
	if (!c->failing)
		log_warnx("SMTP server %s: %s; e-mail alerts are failing (not logged again "
			  "until one gets through)", where, why);
	else
		log_debug("SMTP server %s: %s", where, why);
	c->failing = true;
	if (smtp_code_class(code) != 5 && ++m->tries < SMTP_TRIES) {
		c->stats.retried++;
		queue_push_front(c, m);
		ev_timer_arm(c->loop, &c->retry_timer, SMTP_RETRY_US);
		return;
	}
	c->stats.failed++;
	c->lost_in_outage++;
	msg_free(m);
	kick(c);
}

static void want_events(struct smtp_client *c)
{
	uint32_t ev = EPOLLIN | (c->out_off < c->out_len ? EPOLLOUT : 0);

	if (ev_io_modify(c->loop, c->fd, ev) < 0)
		session_fail(c, 0, "epoll: %s", strerror(errno));
}

/* Write what the socket takes now; the rest when it is writable again. */
static void flush(struct smtp_client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			session_fail(c, 0, "send: %s", strerror(errno));
			return;
		}
		c->out_off += (size_t)n;
	}
	want_events(c);
}

/* Send `data` and wait for the reply that `next` names. */
static void expect(struct smtp_client *c, enum smtp_step next, const char *data, size_t len)
{
	c->step = next;
	smtp_reply_reset(&c->reply);
	c->out = data;
	c->out_len = len;
	c->out_off = 0;
	ev_timer_arm(c->loop, &c->step_timer, c->cur.step_timeout_us);
	flush(c);
}

static void command(struct smtp_client *c, enum smtp_step next, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void command(struct smtp_client *c, enum smtp_step next, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->cmd, sizeof(c->cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(c->cmd)) {
		session_fail(c, 500, "command too long");
		return;
	}
	expect(c, next, c->cmd, (size_t)n);
}

static void next_rcpt_or_data(struct smtp_client *c)
{
	if (c->rcpt_next < c->msg->n_rcpt) {
		command(c, STEP_RCPT, "RCPT TO:<%s>\r\n", c->msg->rcpt[c->rcpt_next++]);
		return;
	}
	if (!c->rcpt_ok) {
		session_fail(c, c->reply.code, "every recipient was refused (last: %d %s)",
			     c->reply.code, c->reply.text);
		return;
	}
	command(c, STEP_DATA, "DATA\r\n");
}

static void delivered(struct smtp_client *c)
{
	char where[INET6_ADDRSTRLEN + 8];

	c->stats.sent++;
	if (c->failing)
		log_info("SMTP server %s accepts alerts again (%llu lost meanwhile)",
			 server_str(&c->cur, where, sizeof(where)),
			 (unsigned long long)c->lost_in_outage);
	c->failing = false;
	c->lost_in_outage = 0;
	msg_free(c->msg);
	c->msg = NULL;
	command(c, STEP_QUIT, "QUIT\r\n");
}

static void on_reply(struct smtp_client *c)
{
	int code = c->reply.code, cls = smtp_code_class(code);

	switch (c->step) {
	case STEP_GREETING:
		if (code != 220)
			break;
		command(c, STEP_EHLO, "EHLO %s\r\n", c->cur.helo);
		return;
	case STEP_EHLO:
		if (cls == 5) {		/* an old server: say HELO */
			command(c, STEP_HELO, "HELO %s\r\n", c->cur.helo);
			return;
		}
		/* fall through */
	case STEP_HELO:
		if (cls != 2)
			break;
		command(c, STEP_MAIL, "MAIL FROM:<%s>\r\n", c->msg->from);
		return;
	case STEP_MAIL:
		if (cls != 2)
			break;
		c->rcpt_next = c->rcpt_ok = 0;
		next_rcpt_or_data(c);
		return;
	case STEP_RCPT:
		if (cls == 2)
			c->rcpt_ok++;
		else
			log_warnx("SMTP: recipient <%s> refused: %d %s",
				  c->msg->rcpt[c->rcpt_next - 1], code, c->reply.text);
		next_rcpt_or_data(c);
		return;
	case STEP_DATA:
		if (code != 354)
			break;
		expect(c, STEP_BODY, c->msg->data, c->msg->data_len);
		return;
	case STEP_BODY:
		if (cls != 2)
			break;
		delivered(c);
		return;
	case STEP_QUIT:
		session_close(c);
		kick(c);
		return;
	case STEP_IDLE:
	case STEP_CONNECT:
		break;
	}
	session_fail(c, code, "unexpected %d %s to %s", code, c->reply.text,
		     step_names[c->step]);
}

/* Take whole lines out of the input buffer; a line that does not fit in
 * it is a protocol error, so a hostile server cannot grow our memory. */
static void read_input(struct smtp_client *c)
{
	int fd = c->fd;
	unsigned gen = c->gen;

	for (;;) {
		ssize_t n = recv(fd, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);
		char *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			if (c->step == STEP_QUIT) {
				session_close(c);
				kick(c);
			} else {
				session_fail(c, 0, "connection closed while waiting for %s%s%s",
					     step_names[c->step], n < 0 ? ": " : "",
					     n < 0 ? strerror(errno) : "");
			}
			return;
		}
		c->in_len += (size_t)n;
		while (c->gen == gen && (nl = memchr(c->in, '\n', c->in_len))) {
			size_t len = (size_t)(nl - c->in) + 1, text = len - 1;
			int r;

			if (text && c->in[text - 1] == '\r')
				text--;
			r = smtp_reply_feed(&c->reply, c->in, text);
			memmove(c->in, c->in + len, c->in_len - len);
			c->in_len -= len;
			if (r < 0)
				session_fail(c, 0, "malformed reply while waiting for %s",
					     step_names[c->step]);
			else if (r > 0)
				on_reply(c);
		}
		if (c->gen != gen)
			return;
		if (c->in_len == sizeof(c->in)) {
			session_fail(c, 0, "reply line longer than %d bytes", SMTP_LINE_MAX);
			return;
		}
	}
}

static void connected(struct smtp_client *c)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		session_fail(c, 0, "connect: %s", strerror(err));
		return;
	}
	c->step = STEP_GREETING;
	smtp_reply_reset(&c->reply);
	ev_timer_arm(c->loop, &c->step_timer, c->cur.step_timeout_us);
	want_events(c);
}

static void on_io(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct smtp_client *c = arg;
	unsigned gen = c->gen;

	(void)loop;
	(void)fd;
	if (c->step == STEP_CONNECT) {
		connected(c);
		return;
	}
	if ((events & EPOLLOUT) && c->out_off < c->out_len) {
		flush(c);
		if (c->gen != gen)
			return;
	}
	if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
		read_input(c);
}

static void on_step_timeout(struct ev_loop *loop, void *arg)
{
	struct smtp_client *c = arg;

	(void)loop;
	if (c->step == STEP_QUIT) {	/* the message is delivered; just hang up */
		session_close(c);
		kick(c);
		return;
	}
	session_fail(c, 0, "no %s within %llu ms", step_names[c->step],
		     (unsigned long long)(c->cur.step_timeout_us / 1000));
}

static void session_start(struct smtp_client *c)
{
	c->cur = c->server;
	c->fd = socket(c->cur.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		session_fail(c, 0, "socket: %s", strerror(errno));
		return;
	}
	if (ev_io_add(c->loop, c->fd, EPOLLOUT, on_io, c) < 0) {
		close(c->fd);
		c->fd = -1;
		session_fail(c, 0, "epoll: %s", strerror(errno));
		return;
	}
	c->step = STEP_CONNECT;
	ev_timer_arm(c->loop, &c->step_timer, c->cur.step_timeout_us);
	if (connect(c->fd, (const struct sockaddr *)&c->cur.addr, c->cur.addr_len) < 0 &&
	    errno != EINPROGRESS)
		session_fail(c, 0, "connect: %s", strerror(errno));
	/* otherwise the socket turns writable once the connect is settled */
}

/* Start the next message, unless a session runs or a retry waits. */
static void kick(struct smtp_client *c)
{
	if (c->step != STEP_IDLE || ev_timer_armed(&c->retry_timer) || !c->has_server)
		return;
	c->msg = queue_pop(c);
	if (c->msg)
		session_start(c);
}

static void on_retry(struct ev_loop *loop, void *arg)
{
	(void)loop;
	kick(arg);
}

/* ---- the public face ------------------------------------------------------ */

struct smtp_client *smtp_client_new(struct ev_loop *loop)
{
	struct smtp_client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->loop = loop;
	c->fd = -1;
	ev_timer_init(&c->step_timer, on_step_timeout, c);
	ev_timer_init(&c->retry_timer, on_retry, c);
	return c;
}

void smtp_client_set_server(struct smtp_client *c, const struct smtp_server *s)
{
	c->server = *s;
	c->has_server = true;
	kick(c);
}

static struct smtp_msg *msg_new(const char *from, char *const *rcpt, size_t n_rcpt,
				const char *text)
{
	struct smtp_msg *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->from = strdup(from);
	m->rcpt = calloc(n_rcpt, sizeof(*m->rcpt));
	m->data = smtp_data_encode(text, &m->data_len);
	if (!m->from || !m->rcpt || !m->data)
		goto bad;
	for (; m->n_rcpt < n_rcpt; m->n_rcpt++)
		if (!(m->rcpt[m->n_rcpt] = strdup(rcpt[m->n_rcpt])))
			goto bad;
	return m;
bad:
	msg_free(m);
	return NULL;
}

int smtp_client_send(struct smtp_client *c, const char *from, char *const *rcpt, size_t n_rcpt,
		     const char *text)
{
	struct smtp_msg *m;

	if (!c->has_server || !n_rcpt)
		return -1;
	m = msg_new(from, rcpt, n_rcpt, text);
	if (!m)
		return -1;
	queue_push(c, m);
	kick(c);
	return 0;
}

bool smtp_client_busy(const struct smtp_client *c)
{
	return c->msg || c->len;
}

void smtp_client_stats(const struct smtp_client *c, struct smtp_stats *out)
{
	*out = c->stats;
}

void smtp_client_free(struct smtp_client *c)
{
	if (!c)
		return;
	session_close(c);
	ev_timer_disarm(c->loop, &c->retry_timer);
	msg_free(c->msg);
	while (c->len)
		msg_free(queue_pop(c));
	free(c);
}
