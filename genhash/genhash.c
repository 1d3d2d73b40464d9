/* genhash: fetch one page the way HTTP_GET / SSL_GET do and print the MD5
 * digest of its body, the value to write as `digest` in a url block.
 *
 * The request (http_request.c), the TLS session (check_tls.c) and the
 * response parser that computes the digest (http_parse.c) are the
 * checker's own, so the printed digest is the one the checker compares.
 * Only the driving differs: a command-line tool may block, so this waits
 * with poll() against one overall deadline instead of an event loop. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bytes.h"
#include "check_tls.h"
#include "http_parse.h"
#include "http_request.h"

#define DEFAULT_TIMEOUT_S	5
#define HEAD_KEEP_MAX		65536	/* response bytes kept to show the headers */

struct options {
	struct ip_addr server;
	uint16_t port;
	const char *url, *vhost, *sni;
	enum http_protocol proto;
	bool tls, verbose;
	uint32_t fwmark;
	unsigned timeout_s;
};

struct fetch {
	const struct options *o;
	int fd;
	struct tls_conn tls;
	uint64_t deadline_ms;
	struct http_parser parser;
	char head[HEAD_KEEP_MAX + 1];
	size_t head_len;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: genhash [-S] -s ADDRESS -p PORT -u URL [options]\n"
		"Fetch URL like HTTP_GET (SSL_GET with -S) and print the MD5 digest of the body.\n"
		"  -s, --server ADDRESS        the real server's IPv4 or IPv6 address\n"
		"  -p, --port PORT             its port\n"
		"  -u, --url PATH              the url's path, as in 'path' of a url block\n"
		"  -S, --use-ssl               TLS (SSL_GET)\n"
		"  -V, --use-virtualhost NAME  Host header (and SNI with -S)\n"
		"  -I, --sni NAME              SNI name (with -S), as sni_name\n"
		"  -P, --protocol VERSION      1.0, 1.0C or 1.1 (default 1.0), as http_protocol\n"
		"  -H, --hash md5              the digest algorithm (md5 only, as HTTP_GET)\n"
		"  -m, --fwmark MARK           mark the connection's packets\n"
		"  -t, --timeout SECONDS       give up after this long (default %d)\n"
		"  -v, --verbose               show the request, the response headers, the\n"
		"                              status and how the digest was made\n"
		"  -r, --release               print the version and exit\n"
		"  -h, --help                  this help\n", DEFAULT_TIMEOUT_S);
}

__attribute__((format(printf, 1, 2), noreturn))
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "genhash: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static unsigned long number(const char *s, unsigned long min, unsigned long max, const char *opt)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < min || v > max)
		die("%s: invalid value '%s'", opt, s);
	return v;
}


static enum http_protocol parse_protocol(const char *s)
{
	if (strcmp(s, "1.0") == 0)
		return HTTP_PROTO_1_0;
	if (strcasecmp(s, "1.0C") == 0)
		return HTTP_PROTO_1_0C;
	if (strcmp(s, "1.1") == 0)
		return HTTP_PROTO_1_1;
	die("protocol %s: expected 1.0, 1.0C or 1.1", s);
}

static void parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
		{ "server", required_argument, NULL, 's' },
		{ "port", required_argument, NULL, 'p' },
		{ "url", required_argument, NULL, 'u' },
		{ "use-ssl", no_argument, NULL, 'S' },
		{ "use-virtualhost", required_argument, NULL, 'V' },
		{ "sni", required_argument, NULL, 'I' },
		{ "protocol", required_argument, NULL, 'P' },
		{ "hash", required_argument, NULL, 'H' },
		{ "fwmark", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "release", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->timeout_s = DEFAULT_TIMEOUT_S;
	while ((ch = getopt_long(argc, argv, "s:p:u:SV:I:P:H:m:t:vrh", longs, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (!ip_addr_parse(optarg, &o->server))
				die("%s: not an IPv4 or IPv6 address", optarg);
			break;
		case 'p': o->port = (uint16_t)number(optarg, 1, 65535, "-p"); break;
		case 'u': o->url = optarg; break;
		case 'S': o->tls = true; break;
		case 'V': o->vhost = optarg; break;
		case 'I': o->sni = optarg; break;
		case 'P': o->proto = parse_protocol(optarg); break;
		case 'H':
			if (strcasecmp(optarg, "md5") != 0)
				die("hash %s: only md5 is supported (HTTP_GET compares MD5)",
				    optarg);
			break;
		case 'm': o->fwmark = (uint32_t)number(optarg, 1, UINT32_MAX, "-m"); break;
		case 't': o->timeout_s = (unsigned)number(optarg, 1, 3600, "-t"); break;
		case 'v': o->verbose = true; break;
		case 'r': printf("genhash %s\n", PACKAGE_VERSION); exit(0);
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(1);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s'", argv[optind]);
	if (!o->server.family || !o->port || !o->url) {
		usage(stderr);
		exit(1);
	}
	if (o->url[0] != '/')
		die("url %s: a path starting with '/'", o->url);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Wait until fd is ready for `events`, or die at the deadline. */
static void wait_for(struct fetch *f, short events, const char *doing)
{
	struct pollfd p = { .fd = f->fd, .events = events };
	uint64_t now = now_ms();
	int n;

	do {
		n = poll(&p, 1, now < f->deadline_ms ? (int)(f->deadline_ms - now) : 0);
	} while (n < 0 && errno == EINTR);
	if (n == 0)
		die("%s: timed out", doing);
	if (n < 0)
		die("%s: %s", doing, strerror(errno));
}

static void connect_server(struct fetch *f)
{
	const struct options *o = f->o;
	struct sockaddr_storage ss;
	socklen_t len = ip_addr_sockaddr(&o->server, o->port, &ss);
	int err = 0;

	f->fd = socket(o->server.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (f->fd < 0)
		die("socket: %s", strerror(errno));
	if (o->fwmark && setsockopt(f->fd, SOL_SOCKET, SO_MARK, &o->fwmark, sizeof(o->fwmark)) < 0)
		die("fwmark: %s", strerror(errno));
	if (connect(f->fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS)
		die("connect: %s", strerror(errno));
	wait_for(f, POLLOUT, "connect");
	len = sizeof(err);
	if (getsockopt(f->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err)
		die("connect: %s", strerror(err ? err : errno));
}

/* Wait for what a TLS step asked for; false when it is final. */
static bool tls_wait(struct fetch *f, enum tls_step s, const char *doing)
{
	if (s == TLS_STEP_WANT_READ || s == TLS_STEP_WANT_WRITE) {
		wait_for(f, s == TLS_STEP_WANT_READ ? POLLIN : POLLOUT, doing);
		return true;
	}
	if (s == TLS_STEP_FAILED || s == TLS_STEP_VERIFY_FAILED)
		die("%s: %s", doing, f->tls.reason);
	return false;
}

static void start_tls(struct fetch *f)
{
	const struct options *o = f->o;
	const char *sni = o->sni ? o->sni : o->vhost;
	char err[160], desc[96];
	struct ssl_ctx_st *ctx = tls_ctx_new(NULL, err, sizeof(err));
	enum tls_step s;

	if (!ctx)
		die("TLS: %s", err);
	if (tls_conn_start(&f->tls, ctx, f->fd, sni) < 0)
		die("TLS: %s", f->tls.reason);
	tls_ctx_free(ctx);		/* the session holds its own reference */
	do
		s = tls_handshake(&f->tls);
	while (tls_wait(f, s, "TLS handshake"));
	if (s != TLS_STEP_DONE)
		die("TLS handshake: connection closed by the server");
	if (o->verbose)
		printf("TLS: %s%s%s\n", tls_conn_describe(&f->tls, desc, sizeof(desc)),
		       sni ? ", SNI " : "", sni ? sni : "");
}

static void send_all(struct fetch *f, const char *req, size_t len)
{
	size_t sent = 0, n;
	ssize_t r;

	while (sent < len) {
		if (f->o->tls) {
			enum tls_step s = tls_write(&f->tls, req + sent, len - sent, &n);

			if (tls_wait(f, s, "send"))
				continue;
			if (s != TLS_STEP_DONE)
				die("send: connection closed by the server");
		} else {
			r = send(f->fd, req + sent, len - sent, MSG_NOSIGNAL);
			if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
				wait_for(f, POLLOUT, "send");
				continue;
			}
			if (r < 0)
				die("send: %s", strerror(errno));
			n = (size_t)r;
		}
		sent += n;
	}
}

/* Read some bytes: >0, 0 at the end of the stream; waits as needed. */
static size_t receive(struct fetch *f, uint8_t *buf, size_t len)
{
	size_t n;
	ssize_t r;

	for (;;) {
		if (f->o->tls) {
			enum tls_step s = tls_read(&f->tls, buf, len, &n);

			if (tls_wait(f, s, "receive"))
				continue;
			return s == TLS_STEP_DONE ? n : 0;
		}
		r = recv(f->fd, buf, len, 0);
		if (r >= 0)
			return (size_t)r;
		if (errno != EAGAIN && errno != EINTR)
			die("receive: %s", strerror(errno));
		wait_for(f, POLLIN, "receive");
	}
}

static void read_response(struct fetch *f)
{
	static uint8_t buf[16384];
	enum http_result r = HTTP_INCOMPLETE;
	size_t n;

	while (r == HTTP_INCOMPLETE) {
		n = receive(f, buf, sizeof(buf));
		if (n == 0) {
			r = http_parse_eof(&f->parser);
			break;
		}
		bytes_append_capped(f->head, &f->head_len, HEAD_KEEP_MAX, buf, n);
		r = http_parse_feed(&f->parser, buf, n);
	}
	if (r != HTTP_DONE)
		die("response: %s", http_result_name(r));
}

/* The status line and headers as received (the body is not shown). */
static void show_head(const struct fetch *f)
{
	const char *end = strstr(f->head, "\r\n\r\n");
	const char *lf = strstr(f->head, "\n\n");

	if (!end || (lf && lf < end))
		end = lf;
	printf("---- response headers ----\n%.*s\n--------------------------\n",
	       end ? (int)(end - f->head) : (int)f->head_len, f->head);
}

int main(int argc, char **argv)
{
	struct options o;
	struct fetch *f;
	char host[INET6_ADDRSTRLEN + 8];
	char *req;
	size_t req_len;
	unsigned status;

	parse_args(argc, argv, &o);
	f = calloc(1, sizeof(*f));	/* the parser is ~72 KiB */
	if (!f)
		die("setup: out of memory");
	http_parser_init(&f->parser, false);
	f->o = &o;
	f->deadline_ms = now_ms() + (uint64_t)o.timeout_s * 1000;
	if (!o.vhost)
		http_default_host(&o.server, o.port, o.tls, host, sizeof(host));
	req = http_request_new(o.url, o.vhost ? o.vhost : host, o.proto, &req_len);
	if (!req)
		die("request: out of memory");
	connect_server(f);
	if (o.tls)
		start_tls(f);
	if (o.verbose)
		printf("---- request ----\n%s-----------------\n", req);
	send_all(f, req, req_len);
	read_response(f);
	status = http_status(&f->parser);
	if (o.verbose) {
		show_head(f);
		printf("HTTP status: %u\nbody: %llu bytes (after de-chunking); MD5 of those bytes\n",
		       status, (unsigned long long)http_body_len(&f->parser));
	}
	printf("MD5SUM = %s\n", http_digest_hex(&f->parser));
	if (status < 200 || status > 299)
		fprintf(stderr, "genhash: warning: status %u; HTTP_GET accepts 200-299 unless "
			"the url has status_code\n", status);
	tls_conn_end(&f->tls);
	close(f->fd);
	free(req);
	free(f);
	return 0;
}
