/* HTTP_GET and SSL_GET: the server is up when every url, fetched in order,
 * answers
 * with an accepted status (none configured: 200-299) and, when
 * configured, the expected MD5 digest of the body and a regex match (or
 * none, with regex_no_match).
 *
 * One connection per url, one request each ("Connection: close" where the
 * protocol allows keep-alive), the response read through http_parse.c.
 * SSL_GET runs the same over a TLS session (check_tls.c) opened right
 * after the connect.  Everything is non-blocking, and one deadline of
 * connect_timeout covers the whole attempt: a server that trickles its
 * answer (or its handshake) a byte at a time cannot hold the check longer
 * than that, nor the event loop at all. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "check_rt.h"
#include "check_tls.h"
#include "http_parse.h"
#include "http_request.h"
#include "log.h"

#define HTTP_READ_CHUNK		16384	/* a TLS record's worth */

enum http_phase {
	PHASE_CONNECT,
	PHASE_HANDSHAKE,		/* SSL_GET only */
	PHASE_SEND,
	PHASE_RECEIVE,
};

/* What one attempt owns; freed by http_check_abort(). */
struct http_attempt {
	struct http_parser parser;	/* ~72 KiB: never on the stack */
	size_t url;			/* index of the url being fetched */
	enum http_phase phase;
	char *request;
	size_t req_len, req_sent;
	bool has_re;
	regex_t re;
	struct tls_conn tls;		/* SSL_GET: the session, ssl NULL before */
};

/* How a read or write on the connection went. */
enum io_step {
	IO_DONE,			/* some bytes moved */
	IO_WAIT_IN,			/* try again once readable */
	IO_WAIT_OUT,			/* try again once writable */
	IO_EOF,				/* the server closed (reads) */
	IO_FAILED,			/* errno, or the TLS reason */
};

static const struct http_url_conf *cur_url(const struct checker_rt *c)
{
	return &c->conf->http.urls[c->http->url];
}

static bool is_tls(const struct checker_rt *c)
{
	return c->conf->type == CHECKER_SSL;
}

/* End the attempt with `r`; `what` says why, the url's path is appended. */
static void fail(struct checker_rt *c, enum check_result r, const char *what)
{
	char detail[sizeof(c->last_detail)];

	snprintf(detail, sizeof(detail), "%s for %s", what, cur_url(c)->path);
	http_check_abort(c);
	check_done(c, r, detail);
}

static const char *url_vhost(const struct checker_rt *c)
{
	const char *vhost = cur_url(c)->virtualhost;

	return vhost ? vhost : c->conf->http.virtualhost;
}

static int build_request(struct checker_rt *c)
{
	const struct checker_conf *cc = c->conf;
	struct http_attempt *a = c->http;
	char host[INET6_ADDRSTRLEN + 8];
	const char *vhost = url_vhost(c);

	if (!vhost) {
		http_default_host(&cc->connect_ip, cc->connect_port, is_tls(c), host, sizeof(host));
		vhost = host;
	}
	a->request = http_request_new(cur_url(c)->path, vhost, cc->http.protocol, &a->req_len);
	a->req_sent = 0;
	return a->request ? 0 : -1;
}

/* Forget the url just fetched (its session, connection, request, parser,
 * regex). */
static void url_release(struct checker_rt *c)
{
	struct http_attempt *a = c->http;

	tls_conn_end(&a->tls);
	check_connect_close(c);
	free(a->request);
	a->request = NULL;
	if (a->has_re)
		regfree(&a->re);
	a->has_re = false;
	a->phase = PHASE_CONNECT;
}

static int compile_regex(struct checker_rt *c)
{
	const struct http_url_conf *u = cur_url(c);
	struct http_attempt *a = c->http;
	char err[64], what[80];
	int rc;

	if (!u->regex)
		return 0;
	rc = regcomp(&a->re, u->regex, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, &a->re, err, sizeof(err));
		snprintf(what, sizeof(what), "regex: %s", err);
		fail(c, CHECK_HTTP_BAD_REGEX, what);
		return -1;
	}
	a->has_re = true;
	return 0;
}

static void on_io(struct ev_loop *loop, int fd, uint32_t events, void *arg);

/* Start fetching the current url. */
static void url_start(struct checker_rt *c)
{
	struct http_attempt *a = c->http;
	const struct http_url_conf *u = cur_url(c);
	enum check_result r;
	int err;

	http_parser_init(&a->parser, u->regex != NULL);
	if (compile_regex(c) < 0)
		return;
	if (build_request(c) < 0) {
		fail(c, CHECK_SOCKET_ERROR, "out of memory");
		return;
	}
	r = check_connect_start(c, on_io, &err);
	if (r != CHECK_OK)
		fail(c, r, err ? strerror(err) : check_result_name(r));
}

static bool status_ok(const struct http_url_conf *u, unsigned status)
{
	if (!u->n_status)
		return status >= 200 && status <= 299;
	for (size_t i = 0; i < u->n_status; i++)
		if (status >= u->status[i].lo && status <= u->status[i].hi)
			return true;
	return false;
}

/* The response is complete: judge it, then go on with the next url. */
static void url_judge(struct checker_rt *c)
{
	struct http_attempt *a = c->http;
	const struct http_url_conf *u = cur_url(c);
	enum http_result hr = http_parse_result(&a->parser);
	char what[80];

	if (hr != HTTP_DONE) {
		fail(c, CHECK_HTTP_PROTOCOL, http_result_name(hr));
		return;
	}
	if (!status_ok(u, http_status(&a->parser))) {
		snprintf(what, sizeof(what), "status %u", http_status(&a->parser));
		fail(c, CHECK_HTTP_STATUS, what);
		return;
	}
	if (u->has_digest && memcmp(http_digest(&a->parser), u->digest, HTTP_DIGEST_LEN) != 0) {
		snprintf(what, sizeof(what), "digest %s", http_digest_hex(&a->parser));
		fail(c, CHECK_HTTP_DIGEST, what);
		return;
	}
	if (a->has_re) {
		int m = http_body_matches(&a->parser, &a->re);

		if (m < 0 || m == (int)u->regex_no_match) {
			fail(c, CHECK_HTTP_REGEX, m < 0 ? "regexec failed" :
			     m ? "regex matched" : "regex did not match");
			return;
		}
	}
	url_release(c);
	if (++a->url < c->conf->http.n_urls) {
		url_start(c);
		return;
	}
	http_check_abort(c);
	check_done(c, CHECK_OK, NULL);
}

static enum io_step io_from_tls(enum tls_step s)
{
	switch (s) {
	case TLS_STEP_DONE: return IO_DONE;
	case TLS_STEP_WANT_READ: return IO_WAIT_IN;
	case TLS_STEP_WANT_WRITE: return IO_WAIT_OUT;
	case TLS_STEP_EOF: return IO_EOF;
	default: return IO_FAILED;
	}
}

static enum io_step io_from_errno(ssize_t n, enum io_step again)
{
	if (n > 0)
		return IO_DONE;
	if (n == 0)
		return IO_EOF;
	return errno == EAGAIN || errno == EINTR ? again : IO_FAILED;
}

static enum io_step conn_send(struct checker_rt *c, int fd, const char *buf, size_t len,
			      size_t *done)
{
	ssize_t n;

	if (is_tls(c))
		return io_from_tls(tls_write(&c->http->tls, buf, len, done));
	n = send(fd, buf, len, MSG_NOSIGNAL);
	*done = n > 0 ? (size_t)n : 0;
	return n == 0 ? IO_WAIT_OUT : io_from_errno(n, IO_WAIT_OUT);
}

static enum io_step conn_recv(struct checker_rt *c, int fd, uint8_t *buf, size_t len,
			      size_t *got)
{
	ssize_t n;

	if (is_tls(c))
		return io_from_tls(tls_read(&c->http->tls, buf, len, got));
	n = recv(fd, buf, len, 0);
	*got = n > 0 ? (size_t)n : 0;
	return io_from_errno(n, IO_WAIT_IN);
}

/* Wait for what the connection needs next; false when the attempt ended. */
static bool io_wait(struct checker_rt *c, int fd, enum io_step s)
{
	const char *why;

	if (s == IO_WAIT_IN || s == IO_WAIT_OUT) {
		if (ev_io_modify(c->rt->loop, fd, s == IO_WAIT_IN ? EPOLLIN : EPOLLOUT) == 0)
			return true;
		fail(c, CHECK_SOCKET_ERROR, strerror(errno));
		return false;
	}
	why = is_tls(c) ? c->http->tls.reason : strerror(errno);
	fail(c, is_tls(c) ? CHECK_TLS_FAILED : CHECK_CONNECT_ERROR, why);
	return false;
}

static void send_request(struct checker_rt *c, int fd)
{
	struct http_attempt *a = c->http;
	size_t n = 0;
	enum io_step s = conn_send(c, fd, a->request + a->req_sent, a->req_len - a->req_sent, &n);

	if (s == IO_EOF) {
		fail(c, CHECK_CONNECT_ERROR, "closed by the server before the request was sent");
		return;
	}
	if (s != IO_DONE) {
		io_wait(c, fd, s);
		return;
	}
	a->req_sent += n;
	if (a->req_sent == a->req_len) {
		a->phase = PHASE_RECEIVE;
		io_wait(c, fd, IO_WAIT_IN);
	}
}

/* One read per wakeup (and what TLS already decrypted): epoll is
 * level-triggered, so the rest comes on the next turn of the loop, after
 * other checkers had theirs. */
static void read_response(struct checker_rt *c, int fd)
{
	static uint8_t buf[HTTP_READ_CHUNK];
	struct http_attempt *a = c->http;
	enum io_step s;
	size_t n;

	do {
		s = conn_recv(c, fd, buf, sizeof(buf), &n);
		if (s == IO_EOF) {
			http_parse_eof(&a->parser);
			break;
		}
		if (s != IO_DONE) {
			io_wait(c, fd, s);
			return;
		}
		if (http_parse_feed(&a->parser, buf, n) != HTTP_INCOMPLETE)
			break;
	} while (tls_pending(&a->tls));
	if (http_parse_result(&a->parser) != HTTP_INCOMPLETE)
		url_judge(c);
	else
		io_wait(c, fd, IO_WAIT_IN);
}

static const char *sni_name(const struct checker_rt *c)
{
	const struct http_check_conf *h = &c->conf->http;

	if (h->sni_name)
		return h->sni_name;
	return h->enable_sni ? url_vhost(c) : NULL;
}

static void handshake(struct checker_rt *c, int fd)
{
	struct http_attempt *a = c->http;
	enum tls_step s;

	if (!a->tls.ssl) {
		if (!c->rt->tls) {
			fail(c, CHECK_TLS_FAILED, c->rt->tls_error);
			return;
		}
		if (tls_conn_start(&a->tls, c->rt->tls, fd, sni_name(c)) < 0) {
			fail(c, CHECK_TLS_FAILED, a->tls.reason);
			return;
		}
	}
	s = tls_handshake(&a->tls);
	if (s == TLS_STEP_VERIFY_FAILED) {
		fail(c, CHECK_TLS_VERIFY, a->tls.reason);
		return;
	}
	if (s != TLS_STEP_DONE) {
		io_wait(c, fd, io_from_tls(s == TLS_STEP_EOF ? TLS_STEP_FAILED : s));
		return;
	}
	a->phase = PHASE_SEND;
	send_request(c, fd);
}

static void connected(struct checker_rt *c, int fd)
{
	int err;
	enum check_result r = check_connect_result(fd, &err);

	if (r != CHECK_OK) {
		fail(c, r, err ? strerror(err) : check_result_name(r));
		return;
	}
	c->http->phase = is_tls(c) ? PHASE_HANDSHAKE : PHASE_SEND;
	if (is_tls(c))
		handshake(c, fd);
	else
		send_request(c, fd);
}

static void on_io(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct checker_rt *c = arg;

	(void)loop;
	(void)events;
	switch (c->http->phase) {
	case PHASE_CONNECT:
		connected(c, fd);
		break;
	case PHASE_HANDSHAKE:
		handshake(c, fd);
		break;
	case PHASE_SEND:
		send_request(c, fd);
		break;
	case PHASE_RECEIVE:
		read_response(c, fd);
		break;
	}
}

static void on_deadline(struct ev_loop *loop, void *arg)
{
	struct checker_rt *c = arg;

	(void)loop;
	switch (c->http->phase) {
	case PHASE_CONNECT:
		fail(c, CHECK_CONNECT_TIMEOUT, "no connection");
		break;
	case PHASE_HANDSHAKE:
		fail(c, CHECK_TLS_FAILED, "TLS handshake timed out");
		break;
	default:
		fail(c, CHECK_HTTP_TIMEOUT, "no complete response");
		break;
	}
}

void http_check_begin(struct checker_rt *c)
{
	if (!c->conf->http.n_urls) {
		/* The parser requires a url; never run a check that checks nothing. */
		check_done(c, CHECK_HTTP_PROTOCOL, "no url");
		return;
	}
	c->http = calloc(1, sizeof(*c->http));
	if (!c->http) {
		check_done(c, CHECK_SOCKET_ERROR, "out of memory");
		return;
	}
	ev_timer_init(&c->deadline, on_deadline, c);
	ev_timer_arm(c->rt->loop, &c->deadline, c->conf->connect_timeout_us);
	url_start(c);
}

/* Drop the attempt in flight, if any: session, connection, deadline, memory. */
void http_check_abort(struct checker_rt *c)
{
	if (!c->http)
		return;
	url_release(c);
	ev_timer_disarm(c->rt->loop, &c->deadline);
	free(c->http);
	c->http = NULL;
}
