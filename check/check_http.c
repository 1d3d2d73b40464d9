/* HTTP_GET: the server is up when every url, fetched in order, answers
 * with an accepted status (none configured: 200-299) and, when
 * configured, the expected MD5 digest of the body and a regex match (or
 * none, with regex_no_match).
 *
 * One connection per url, one request each ("Connection: close" where the
 * protocol allows keep-alive), the response read through http_parse.c.
 * Everything is non-blocking, and one deadline of connect_timeout covers
 * the whole attempt: a server that trickles its answer a byte at a time
 * cannot hold the check longer than that, nor the event loop at all. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "check_rt.h"
#include "http_parse.h"
#include "log.h"

#define HTTP_DEFAULT_PORT	80
#define HTTP_READ_CHUNK		16384

/* What one attempt owns; freed by http_check_abort(). */
struct http_attempt {
	struct http_parser parser;	/* ~72 KiB: never on the stack */
	size_t url;			/* index of the url being fetched */
	char *request;
	size_t req_len, req_sent;
	bool parser_live;		/* http_parser_init() succeeded */
	bool connected;
	bool has_re;
	regex_t re;
};

static const struct http_url_conf *cur_url(const struct checker_rt *c)
{
	return &c->conf->http.urls[c->http->url];
}

/* End the attempt with `r`; `what` says why, the url's path is appended. */
static void fail(struct checker_rt *c, enum check_result r, const char *what)
{
	char detail[sizeof(c->last_detail)];

	snprintf(detail, sizeof(detail), "%s for %s", what, cur_url(c)->path);
	http_check_abort(c);
	check_done(c, r, detail);
}

/* The Host header when no virtualhost is configured: the address, with
 * the port unless it is HTTP's own (RFC 9110 7.2). */
static void default_host(const struct checker_conf *cc, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "";
	bool v6 = cc->connect_ip.family == AF_INET6;

	inet_ntop(cc->connect_ip.family, &cc->connect_ip.u, ip, sizeof(ip));
	if (cc->connect_port == HTTP_DEFAULT_PORT)
		snprintf(buf, len, v6 ? "[%s]" : "%s", ip);
	else
		snprintf(buf, len, v6 ? "[%s]:%u" : "%s:%u", ip, cc->connect_port);
}

static int build_request(struct checker_rt *c)
{
	const struct http_check_conf *h = &c->conf->http;
	const struct http_url_conf *u = cur_url(c);
	struct http_attempt *a = c->http;
	char host[INET6_ADDRSTRLEN + 8];
	const char *vhost = u->virtualhost ? u->virtualhost : h->virtualhost;
	const char *version = h->protocol == HTTP_PROTO_1_1 ? "1.1" : "1.0";
	const char *conn_close = h->protocol == HTTP_PROTO_1_0 ? "" : "Connection: close\r\n";
	int n;

	if (!vhost) {
		default_host(c->conf, host, sizeof(host));
		vhost = host;
	}
	n = asprintf(&a->request, "GET %s HTTP/%s\r\nUser-Agent: keepalived-checker\r\n"
		     "Host: %s\r\n%s\r\n", u->path, version, vhost, conn_close);
	if (n < 0) {
		a->request = NULL;
		return -1;
	}
	a->req_len = (size_t)n;
	a->req_sent = 0;
	return 0;
}

/* Forget the url just fetched (its connection, request, parser, regex). */
static void url_release(struct checker_rt *c)
{
	struct http_attempt *a = c->http;

	check_connect_close(c);
	free(a->request);
	a->request = NULL;
	if (a->parser_live)
		http_parser_release(&a->parser);
	a->parser_live = false;
	if (a->has_re)
		regfree(&a->re);
	a->has_re = false;
	a->connected = false;
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

	if (http_parser_init(&a->parser, u->regex != NULL) < 0) {
		fail(c, CHECK_HTTP_PROTOCOL, "no MD5 context");
		return;
	}
	a->parser_live = true;
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

static void send_request(struct checker_rt *c, int fd)
{
	struct http_attempt *a = c->http;
	ssize_t n = send(fd, a->request + a->req_sent, a->req_len - a->req_sent, MSG_NOSIGNAL);

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			fail(c, CHECK_CONNECT_ERROR, strerror(errno));
		return;
	}
	a->req_sent += (size_t)n;
	if (a->req_sent == a->req_len && ev_io_modify(c->rt->loop, fd, EPOLLIN) < 0)
		fail(c, CHECK_SOCKET_ERROR, strerror(errno));
}

/* One read per wakeup: epoll is level-triggered, so the rest comes on the
 * next turn of the loop, after other checkers had theirs. */
static void read_response(struct checker_rt *c, int fd)
{
	static uint8_t buf[HTTP_READ_CHUNK];
	struct http_attempt *a = c->http;
	ssize_t n = recv(fd, buf, sizeof(buf), 0);

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			fail(c, CHECK_CONNECT_ERROR, strerror(errno));
		return;
	}
	if (n == 0)
		http_parse_eof(&a->parser);
	else if (http_parse_feed(&a->parser, buf, (size_t)n) == HTTP_INCOMPLETE)
		return;
	url_judge(c);
}

static void on_io(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct checker_rt *c = arg;
	struct http_attempt *a = c->http;

	(void)loop;
	(void)events;
	if (!a->connected) {
		int err;
		enum check_result r = check_connect_result(fd, &err);

		if (r != CHECK_OK) {
			fail(c, r, err ? strerror(err) : check_result_name(r));
			return;
		}
		a->connected = true;
	}
	if (a->req_sent < a->req_len)
		send_request(c, fd);
	else
		read_response(c, fd);
}

static void on_deadline(struct ev_loop *loop, void *arg)
{
	struct checker_rt *c = arg;
	bool connected = c->http->connected;

	(void)loop;
	fail(c, connected ? CHECK_HTTP_TIMEOUT : CHECK_CONNECT_TIMEOUT,
	     connected ? "no complete response" : "no connection");
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

/* Drop the attempt in flight, if any: connection, deadline, memory. */
void http_check_abort(struct checker_rt *c)
{
	if (!c->http)
		return;
	url_release(c);
	ev_timer_disarm(c->rt->loop, &c->deadline);
	free(c->http);
	c->http = NULL;
}
