/* The checker blocks of a real server: TCP_CHECK, HTTP_GET, SSL_GET and
 * MISC_CHECK, read in full (their values land in struct checker_conf). */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check_parser_priv.h"
#include "value.h"

#define HTTP_PATH_MAX		1024	/* a request line we are willing to send */
#define HTTP_REGEX_MAX		1024
#define HTTP_STATUS_MIN		100
#define HTTP_STATUS_MAX		599
#define HTTP_DEFAULT_DELAY_BEFORE_RETRY_US	(3ull * US_PER_S)
#define DEFAULT_DELAY_BEFORE_RETRY_US		(1ull * US_PER_S)

struct chk_ctx {
	struct checker_conf k;
	struct cp_inherit inh;
	const struct real_server_conf *rs;
	bool has_connect_ip;
	const struct conf_word *bindto_w;
};

/* ---- connection keywords (TCP_CHECK, HTTP_GET, SSL_GET) ---- */

static void kw_connect_ip(struct diags *d, const struct conf_node *n, void *obj)
{
	struct chk_ctx *x = obj;

	if (val_ipaddr(d, &n->words[1], AF_UNSPEC, &x->k.connect_ip))
		x->has_connect_ip = true;
}

static void kw_connect_port(struct diags *d, const struct conf_node *n, void *obj)
{
	val_port(d, &n->words[1], &((struct chk_ctx *)obj)->k.connect_port);
}

static void kw_bindto(struct diags *d, const struct conf_node *n, void *obj)
{
	struct chk_ctx *x = obj;

	if (!val_ipaddr(d, &n->words[1], AF_UNSPEC, &x->k.bindto))
		return;
	x->k.has_bindto = true;
	x->bindto_w = &n->words[1];
}

static void kw_bind_if(struct diags *d, const struct conf_node *n, void *obj)
{
	val_ifname(d, &n->words[1], ((struct chk_ctx *)obj)->k.bind_if);
}

static void kw_bind_port(struct diags *d, const struct conf_node *n, void *obj)
{
	val_port(d, &n->words[1], &((struct chk_ctx *)obj)->k.bind_port);
}

static void kw_fwmark(struct diags *d, const struct conf_node *n, void *obj)
{
	struct chk_ctx *x = obj;
	uint64_t v;

	if (val_uint(d, &n->words[1], 1, UINT32_MAX, &v))
		x->k.fwmark = (uint32_t)v;
}

static const struct keyword conn_keywords[] = {
	{ "connect_ip", kw_connect_ip, 1, 1, KW_NO_BLOCK },
	{ "connect_port", kw_connect_port, 1, 1, KW_NO_BLOCK },
	{ "bindto", kw_bindto, 1, 1, KW_NO_BLOCK },
	{ "bind_if", kw_bind_if, 1, 1, KW_NO_BLOCK },
	{ "bind_port", kw_bind_port, 1, 1, KW_NO_BLOCK },
	{ "fwmark", kw_fwmark, 1, 1, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

static void kw_log_all_failures(struct diags *d, const struct conf_node *n, void *obj)
{
	conf_opt_bool(d, n, &((struct chk_ctx *)obj)->k.log_all_failures);
}

static const struct keyword common_keywords[] = {
	{ "log_all_failures", kw_log_all_failures, 0, 1, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

/* ---- url { ... } of HTTP_GET and SSL_GET ---- */

/* Handlers take the url itself, the first member, except kw_path. */
struct url_ctx {
	struct http_url_conf u;
	bool path_seen;		/* given, even if invalid: one message is enough */
};

/* The path goes into the request line: it must be an absolute path, and
 * a blank or control character would let it forge the request. */
static void kw_path(struct diags *d, const struct conf_node *n, void *obj)
{
	const struct conf_word *w = &n->words[1];
	struct url_ctx *x = obj;
	char shown[DIAG_TEXT_BUF];

	x->path_seen = true;
	for (const unsigned char *p = (const unsigned char *)w->text; *p; p++) {
		if (*p <= ' ' || *p == 0x7f) {
			diag_error(d, &w->pos, "'%s' is not a valid URL path (no blanks or control "
				   "characters)", diag_text(w->text, shown, sizeof(shown)));
			return;
		}
	}
	if (w->text[0] != '/') {
		diag_error(d, &w->pos, "'%s' is not a valid URL path (it must start with '/')",
			   diag_text(w->text, shown, sizeof(shown)));
		return;
	}
	cp_string(d, w, HTTP_PATH_MAX, &x->u.path);
}

static void kw_digest(struct diags *d, const struct conf_node *n, void *obj)
{
	const struct conf_word *w = &n->words[1];
	struct http_url_conf *u = obj;
	uint8_t md5[sizeof(u->digest)];
	bool ok = strlen(w->text) == 2 * sizeof(md5);

	for (size_t i = 0; ok && i < sizeof(md5); i++) {
		int hi = val_hex_digit(w->text[2 * i]), lo = val_hex_digit(w->text[2 * i + 1]);

		ok = hi >= 0 && lo >= 0;
		md5[i] = (uint8_t)(hi << 4 | lo);
	}
	if (!ok) {
		char shown[DIAG_TEXT_BUF];

		diag_error(d, &w->pos, "'%s' is not an MD5 digest (32 hexadecimal digits, as "
			   "genhash prints)", diag_text(w->text, shown, sizeof(shown)));
		return;
	}
	memcpy(u->digest, md5, sizeof(md5));
	u->has_digest = true;
}

/* One side of N-M as a word of its own, at its column, for val_uint's
 * messages. */
static bool status_part(struct diags *d, const struct conf_word *w, size_t off, size_t len,
			uint64_t *out)
{
	struct conf_word part = *w;
	char text[16];

	if (len >= sizeof(text))
		len = sizeof(text) - 1;	/* too long to be in range: val_uint says so */
	memcpy(text, w->text + off, len);
	text[len] = '\0';
	part.text = text;
	part.pos.col += (unsigned)off;
	return val_uint(d, &part, HTTP_STATUS_MIN, HTTP_STATUS_MAX, out);
}

/* N or N-M */
static bool status_range(struct diags *d, const struct conf_word *w, struct http_status_range *r)
{
	const char *dash = strchr(w->text, '-');
	size_t len = strlen(w->text), cut = dash ? (size_t)(dash - w->text) : len;
	uint64_t lo, hi;

	if (!status_part(d, w, 0, cut, &lo))
		return false;
	hi = lo;
	if (dash && !status_part(d, w, cut + 1, len - cut - 1, &hi))
		return false;
	if (lo > hi) {
		char shown[DIAG_TEXT_BUF];

		diag_error(d, &w->pos, "'%s' is an empty range (%u is above %u)",
			   diag_text(w->text, shown, sizeof(shown)), (unsigned)lo, (unsigned)hi);
		return false;
	}
	r->lo = (uint16_t)lo;
	r->hi = (uint16_t)hi;
	return true;
}

static void kw_status_code(struct diags *d, const struct conf_node *n, void *obj)
{
	struct http_url_conf *u = obj;

	for (size_t i = 1; i < n->nwords; i++) {
		struct http_status_range r, *slot;

		if (!status_range(d, &n->words[i], &r))
			continue;
		slot = conf_grow(d, &n->words[i].pos, &u->status, &u->n_status, sizeof(*slot));
		if (!slot)
			return;
		*slot = r;
	}
}

static void kw_url_virtualhost(struct diags *d, const struct conf_node *n, void *obj)
{
	cp_host(d, &n->words[1], &((struct http_url_conf *)obj)->virtualhost);
}

static void kw_regex(struct diags *d, const struct conf_node *n, void *obj)
{
	cp_string(d, &n->words[1], HTTP_REGEX_MAX, &((struct http_url_conf *)obj)->regex);
}

static void kw_regex_no_match(struct diags *d, const struct conf_node *n, void *obj)
{
	(void)d;
	(void)n;
	((struct http_url_conf *)obj)->regex_no_match = true;
}

static const struct keyword url_keywords[] = {
	{ "path", kw_path, 1, 1, KW_NO_BLOCK },
	{ "digest", kw_digest, 1, 1, KW_NO_BLOCK },
	{ "status_code", kw_status_code, 1, -1, KW_NO_BLOCK },
	{ "virtualhost", kw_url_virtualhost, 1, 1, KW_NO_BLOCK },
	{ "regex", kw_regex, 1, 1, KW_NO_BLOCK },
	{ "regex_no_match", kw_regex_no_match, 0, 0, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

static void url_free(struct http_url_conf *u)
{
	free(u->path);
	free(u->status);
	free(u->virtualhost);
	free(u->regex);
}

static void kw_url(struct diags *d, const struct conf_node *n, void *obj)
{
	struct chk_ctx *x = obj;
	struct http_url_conf *slot;
	struct url_ctx u;

	memset(&u, 0, sizeof(u));
	kw_dispatch(d, url_keywords, "url", n->children, n->nchildren, &u);
	if (!u.path_seen)
		diag_error(d, &n->pos, "url has no path");
	if (u.u.regex_no_match && !u.u.regex)
		diag_error(d, &n->pos, "regex_no_match without regex");
	slot = conf_grow(d, &n->pos, &x->k.http.urls, &x->k.http.n_urls, sizeof(*slot));
	if (!slot) {
		url_free(&u.u);
		return;
	}
	*slot = u.u;
}

static void kw_http_protocol(struct diags *d, const struct conf_node *n, void *obj)
{
	static const char *const versions[] = { "1.0", "1.0C", "1.1", NULL };
	static const enum http_protocol values[] = {
		HTTP_PROTO_1_0, HTTP_PROTO_1_0C, HTTP_PROTO_1_1,
	};
	struct chk_ctx *x = obj;
	int i;

	if (val_choice(d, &n->words[1], versions, &i))
		x->k.http.protocol = values[i];
}

static void kw_http_virtualhost(struct diags *d, const struct conf_node *n, void *obj)
{
	cp_host(d, &n->words[1], &((struct chk_ctx *)obj)->k.http.virtualhost);
}

static void kw_fast_recovery(struct diags *d, const struct conf_node *n, void *obj)
{
	conf_opt_bool(d, n, &((struct chk_ctx *)obj)->k.http.fast_recovery);
}

static void kw_enable_sni(struct diags *d, const struct conf_node *n, void *obj)
{
	(void)d;
	(void)n;
	((struct chk_ctx *)obj)->k.http.enable_sni = true;
}

static const struct keyword http_keywords[] = {
	{ "url", kw_url, 0, 0, KW_BLOCK },
	{ "http_protocol", kw_http_protocol, 1, 1, KW_NO_BLOCK },
	{ "virtualhost", kw_http_virtualhost, 1, 1, KW_NO_BLOCK },
	{ "fast_recovery", kw_fast_recovery, 0, 1, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

static void kw_sni_name(struct diags *d, const struct conf_node *n, void *obj)
{
	cp_host(d, &n->words[1], &((struct chk_ctx *)obj)->k.http.sni_name);
}

static const struct keyword ssl_keywords[] = {
	{ "enable_sni", kw_enable_sni, 0, 0, KW_NO_BLOCK },
	{ "sni_name", kw_sni_name, 1, 1, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

/* ---- MISC_CHECK ---- */

static void kw_misc_path(struct diags *d, const struct conf_node *n, void *obj)
{
	struct chk_ctx *x = obj;
	char *cmd = cp_join_words(d, n);

	if (!cmd)
		return;
	free(x->k.misc.path);
	x->k.misc.path = cmd;
}

static void kw_misc_timeout(struct diags *d, const struct conf_node *n, void *obj)
{
	struct chk_ctx *x = obj;
	uint64_t v;

	/* Whole seconds, as keepalived reads it. */
	if (val_uint(d, &n->words[1], 1, CP_MAX_US / US_PER_S, &v))
		x->k.misc.timeout_us = v * US_PER_S;
}

static void kw_misc_dynamic(struct diags *d, const struct conf_node *n, void *obj)
{
	(void)d;
	(void)n;
	((struct chk_ctx *)obj)->k.misc.dynamic = true;
}

static void kw_user(struct diags *d, const struct conf_node *n, void *obj)
{
	struct chk_ctx *x = obj;

	cp_run_as(d, &n->words[1], n->nwords - 1, &x->k.misc.as);
}

static const struct keyword misc_keywords[] = {
	{ "misc_path", kw_misc_path, 1, -1, KW_NO_BLOCK },
	{ "misc_timeout", kw_misc_timeout, 1, 1, KW_NO_BLOCK },
	{ "misc_dynamic", kw_misc_dynamic, 0, 0, KW_NO_BLOCK },
	{ "user", kw_user, 1, 2, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

/* ---- the checker as a whole ---- */

static const struct {
	const char *name;
	enum checker_type type;
} checkers[] = {
	{ "TCP_CHECK", CHECKER_TCP },
	{ "HTTP_GET", CHECKER_HTTP },
	{ "SSL_GET", CHECKER_SSL },
	{ "MISC_CHECK", CHECKER_MISC },
};

/* keepalived's other checkers: recognised, so the message can say more
 * than "unknown keyword". */
static const char *const unsupported[] = {
	"SMTP_CHECK", "DNS_CHECK", "BFD_CHECK", "UDP_CHECK", "PING_CHECK", "FILE_CHECK", NULL,
};

bool cp_is_checker(const char *keyword)
{
	for (size_t i = 0; i < sizeof(checkers) / sizeof(checkers[0]); i++)
		if (strcmp(keyword, checkers[i].name) == 0)
			return true;
	for (size_t i = 0; unsupported[i]; i++)
		if (strcmp(keyword, unsupported[i]) == 0)
			return true;
	return false;
}

/* One statement of a checker block, by the tables its type has. */
static void dispatch_checker_stmt(struct diags *d, const struct conf_node *st, struct chk_ctx *x,
				  const char *where)
{
	enum checker_type t = x->k.type;

	if (t == CHECKER_MISC) {
		if (kw_try_dispatch(d, misc_keywords, st, x))
			return;
		/* MISC_CHECK opens no connection: say so rather than "unknown". */
		if (strcmp(st->words[0].text, "connect_timeout") == 0) {
			diag_error(d, &st->pos, "'connect_timeout' does not apply to MISC_CHECK "
				   "(use misc_timeout)");
			return;
		}
		if (kw_find(conn_keywords, st->words[0].text)) {
			diag_error(d, &st->pos, "'%s' does not apply to MISC_CHECK",
				   st->words[0].text);
			return;
		}
	} else if (kw_try_dispatch(d, conn_keywords, st, x)) {
		return;
	}
	if (kw_try_dispatch(d, cp_inherit_keywords, st, &x->inh) ||
	    kw_try_dispatch(d, common_keywords, st, x))
		return;
	if ((t == CHECKER_HTTP || t == CHECKER_SSL) && kw_try_dispatch(d, http_keywords, st, x))
		return;
	if (t == CHECKER_SSL && kw_try_dispatch(d, ssl_keywords, st, x))
		return;
	kw_unknown(d, st, where);
}

/* Inherited values, then the defaults of the checker's type. */
static void resolve(struct diags *d, const struct conf_node *n, struct chk_ctx *x,
		    const struct cp_inherit *parent)
{
	struct checker_conf *k = &x->k;
	struct cp_inherit *i = &x->inh;
	bool http = k->type == CHECKER_HTTP || k->type == CHECKER_SSL;

	cp_inherit_merge(i, parent);
	k->connect_timeout_us = i->connect_timeout_us != CP_UNSET_US
					? i->connect_timeout_us : CHECK_DEFAULT_CONNECT_TIMEOUT_US;
	k->retry = i->retry != CP_UNSET_US ? (unsigned)i->retry : k->type == CHECKER_MISC ? 0 : 1;
	k->delay_before_retry_us = i->delay_before_retry_us != CP_UNSET_US
		? i->delay_before_retry_us
		: http ? HTTP_DEFAULT_DELAY_BEFORE_RETRY_US : DEFAULT_DELAY_BEFORE_RETRY_US;
	k->delay_loop_us = i->delay_loop_us != CP_UNSET_US ? i->delay_loop_us
							    : CHECK_DEFAULT_DELAY_LOOP_US;
	k->warmup_us = i->warmup_us != CP_UNSET_US ? i->warmup_us : k->delay_loop_us;
	k->alpha = i->alpha > 0;
	if (http && !k->http.virtualhost && i->virtualhost)
		k->http.virtualhost = conf_strdup(d, &n->pos, i->virtualhost);
	/* A script may take the whole interval unless told otherwise. */
	if (k->type == CHECKER_MISC && !k->misc.timeout_us)
		k->misc.timeout_us = k->delay_loop_us;
	if (!x->has_connect_ip)
		k->connect_ip = x->rs->addr;
	if (!k->connect_port)
		k->connect_port = x->rs->port;
}

static void finish_checker(struct diags *d, const struct conf_node *n, struct chk_ctx *x)
{
	struct checker_conf *k = &x->k;
	const char *name = n->words[0].text;
	char a[INET6_ADDRSTRLEN];

	if (k->type == CHECKER_MISC && !k->misc.path)
		diag_error(d, &n->pos, "MISC_CHECK has no misc_path");
	if ((k->type == CHECKER_HTTP || k->type == CHECKER_SSL) && k->http.n_urls == 0)
		diag_error(d, &n->pos, "%s has no url", name);
	/* The rest compares with the real server, unless it was invalid. */
	if (k->type == CHECKER_MISC || x->rs->addr.family == AF_UNSPEC)
		return;
	if (!k->connect_port)
		diag_error(d, &n->pos, "%s needs connect_port: the real server has no port", name);
	if (k->has_bindto && k->bindto.family != k->connect_ip.family) {
		char b[INET6_ADDRSTRLEN];

		diag_error(d, &x->bindto_w->pos, "bindto %s is %s but the check connects to %s",
			   ip_addr_str(&k->bindto, a, sizeof(a)), cp_family_name(k->bindto.family),
			   ip_addr_str(&k->connect_ip, b, sizeof(b)));
	} else if (k->has_bindto && k->bindto.family == AF_INET6 &&
		 IN6_IS_ADDR_LINKLOCAL(&k->bindto.u.v6) && !k->bind_if[0])
		diag_error(d, &x->bindto_w->pos, "bindto %s is link-local: bind_if is required",
			   ip_addr_str(&k->bindto, a, sizeof(a)));
}

void cp_parse_checker(struct diags *d, const struct conf_node *n,
		      const struct cp_inherit *parent, struct real_server_conf *rs)
{
	const char *name = n->words[0].text;
	const struct keyword shape = { name, NULL, 0, 0, KW_BLOCK };
	struct checker_conf *slot;
	struct chk_ctx x;
	size_t i;

	for (i = 0; i < sizeof(checkers) / sizeof(checkers[0]); i++)
		if (strcmp(name, checkers[i].name) == 0)
			break;
	if (i == sizeof(checkers) / sizeof(checkers[0])) {
		diag_error(d, &n->pos, "%s is not supported", name);
		return;
	}
	if (!kw_check_shape(d, &shape, n))
		return;
	memset(&x, 0, sizeof(x));
	x.k.type = checkers[i].type;
	x.rs = rs;
	cp_inherit_init(&x.inh);
	for (size_t j = 0; j < n->nchildren; j++)
		if (n->children[j].nwords)
			dispatch_checker_stmt(d, &n->children[j], &x, name);
	resolve(d, n, &x, parent);
	finish_checker(d, n, &x);
	slot = conf_grow(d, &n->pos, &rs->checkers, &rs->n_checkers, sizeof(*slot));
	if (!slot) {
		cp_checker_free(&x.k);
		return;
	}
	*slot = x.k;
}

void cp_checker_free(struct checker_conf *k)
{
	for (size_t i = 0; i < k->http.n_urls; i++)
		url_free(&k->http.urls[i]);
	free(k->http.urls);
	free(k->http.virtualhost);
	free(k->http.sni_name);
	free(k->misc.path);
	memset(k, 0, sizeof(*k));
}
