/* The HTTP/1.x response parser: a byte-driven state machine over lines
 * (status, header, chunk size, chunk end, trailer) and body spans.  Lines
 * are collected in one fixed buffer and parsed when their LF arrives; body
 * bytes are hashed and copied a span at a time.  See http_parse.h for the
 * decisions RFC 9112 leaves to the recipient. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "bytes.h"
#include "http_parse.h"
#include "value.h"

enum parse_state {
	/* line states: the bytes up to the next LF form one line */
	ST_STATUS,
	ST_HEADER,
	ST_CHUNK_SIZE,
	ST_CHUNK_END,		/* the empty line after chunk data */
	ST_TRAILER,
	/* data states: a span of body bytes */
	ST_BODY_LEN,		/* Content-Length body */
	ST_CHUNK_DATA,
	ST_BODY_EOF,		/* body until the server closes */
	ST_END,			/* result decided */
};

/* The header field an obs-fold line would continue. */
enum last_field { F_NONE, F_OTHER, F_CL, F_TE };

/* What a line state allows, and the reason for each way a line goes wrong. */
struct line_rules {
	size_t max;			/* content bytes, line end excluded */
	bool header_bytes;		/* counts against HTTP_HEADERS_MAX_BYTES */
	enum http_result too_long, bad, nul;
};

static const struct line_rules rules[] = {
	[ST_STATUS] = { HTTP_LINE_MAX, true, HTTP_STATUS_LINE_TOO_LONG,
			HTTP_BAD_STATUS_LINE, HTTP_BAD_STATUS_LINE },
	[ST_HEADER] = { HTTP_LINE_MAX, true, HTTP_HEADER_TOO_LONG,
			HTTP_BAD_HEADER, HTTP_NUL_IN_HEADER },
	[ST_CHUNK_SIZE] = { HTTP_LINE_MAX, false, HTTP_BAD_CHUNK,
			    HTTP_BAD_CHUNK, HTTP_BAD_CHUNK },
	[ST_CHUNK_END] = { 0, false, HTTP_BAD_CHUNK, HTTP_BAD_CHUNK, HTTP_BAD_CHUNK },
	[ST_TRAILER] = { HTTP_LINE_MAX, true, HTTP_HEADER_TOO_LONG,
			 HTTP_BAD_HEADER, HTTP_NUL_IN_HEADER },
};

static const char *const result_names[HTTP_RESULT_COUNT] = {
	[HTTP_INCOMPLETE] = "incomplete",
	[HTTP_DONE] = "complete",
	[HTTP_BAD_STATUS_LINE] = "bad status line",
	[HTTP_STATUS_LINE_TOO_LONG] = "status line too long",
	[HTTP_HEADER_TOO_LONG] = "header line too long",
	[HTTP_TOO_MANY_HEADERS] = "too many headers",
	[HTTP_HEADERS_TOO_LARGE] = "headers too large",
	[HTTP_BAD_HEADER] = "bad header",
	[HTTP_BAD_CONTENT_LENGTH] = "bad Content-Length",
	[HTTP_CL_AND_TE] = "both Content-Length and Transfer-Encoding",
	[HTTP_BAD_CHUNK] = "bad chunk",
	[HTTP_BODY_TOO_LARGE] = "body too large",
	[HTTP_TRUNCATED] = "truncated",
	[HTTP_NUL_IN_HEADER] = "NUL in header",
};

static void fail(struct http_parser *p, enum http_result r)
{
	p->result = r;
	p->state = ST_END;
}

/* ---- character classes (ASCII, independent of the locale) ---- */

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 9110 5.6.2 tchar */
static bool is_tchar(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Byte `c` at offset `pos` of a status line: "HTTP/1.D DDD " then a
 * reason of HTAB, SP, VCHAR and obs-text.  The first digit of the code is
 * 1..5 so the code is 100..599. */
static bool status_byte_ok(size_t pos, uint8_t c)
{
	static const char shape[] = "HTTP/1.D DDD ";

	if (pos >= sizeof(shape) - 1)
		return c == '\t' || (c >= 0x20 && c != 0x7f);
	if (pos == 9)
		return c >= '1' && c <= '5';
	if (shape[pos] == 'D')
		return is_digit(c);
	return c == (uint8_t)shape[pos];
}

/* ---- body ---- */

static void finish(struct http_parser *p)
{
	static const char hexd[] = "0123456789abcdef";
	size_t i;

	md5_final(&p->md, p->digest);
	for (i = 0; i < HTTP_DIGEST_LEN; i++) {
		p->digest_hex[2 * i] = hexd[p->digest[i] >> 4];
		p->digest_hex[2 * i + 1] = hexd[p->digest[i] & 0xf];
	}
	p->digest_hex[2 * HTTP_DIGEST_LEN] = '\0';
	p->result = HTTP_DONE;
	p->state = ST_END;
}

static void body_bytes(struct http_parser *p, const uint8_t *data, size_t n)
{
	md5_update(&p->md, data, n);
	p->body_len += n;
	if (p->keep_body &&
	    bytes_append_capped(p->body, &p->body_kept, HTTP_BODY_KEEP_MAX, data, n) < n)
		p->body_clipped = true;
}

/* Consume body bytes from data[0..len); returns how many. */
static size_t body_span(struct http_parser *p, const uint8_t *data, size_t len)
{
	size_t n = len;

	if (p->state == ST_BODY_EOF) {
		if (n > HTTP_BODY_MAX - p->body_len) {
			fail(p, HTTP_BODY_TOO_LARGE);
			return len;
		}
		body_bytes(p, data, n);
		return n;
	}
	if (n > p->remaining)
		n = (size_t)p->remaining;
	body_bytes(p, data, n);
	p->remaining -= n;
	if (p->remaining == 0 && p->result == HTTP_INCOMPLETE) {
		if (p->state == ST_BODY_LEN)
			finish(p);
		else
			p->state = ST_CHUNK_END;
	}
	return n;
}

/* ---- status line ---- */

/* Every byte was checked by status_byte_ok(); what is left is the length:
 * the code must be complete ("HTTP/1.1 20" is not). */
static void status_line(struct http_parser *p, size_t n)
{
	const char *l = p->line;

	if (n < 12) {
		fail(p, HTTP_BAD_STATUS_LINE);
		return;
	}
	p->minor = (uint8_t)(l[7] - '0');
	p->status = (uint16_t)((l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0'));
	p->has_cl = p->has_te = p->chunked = p->conn_close = false;
	p->cl = 0;
	p->last_field = F_NONE;
	p->state = ST_HEADER;
}

/* ---- header fields ---- */

/* Split "name: value" (value without surrounding OWS).  -1 when the line
 * does not start with a token directly followed by ':'. */
static int split_field(const char *l, size_t n, size_t *name_len, const char **value,
		       size_t *value_len)
{
	size_t i = 0, end = n;

	while (i < n && is_tchar(l[i]))
		i++;
	if (i == 0 || i == n || l[i] != ':')
		return -1;
	*name_len = i++;
	while (i < end && is_ows(l[i]))
		i++;
	while (end > i && is_ows(l[end - 1]))
		end--;
	*value = l + i;
	*value_len = end - i;
	return 0;
}

static bool name_is(const char *name, size_t n, const char *want)
{
	return n == strlen(want) && strncasecmp(name, want, n) == 0;
}

/* 1#( OWS DIGITS OWS ) separated by ',', all equal (RFC 9110 8.6). */
static int parse_content_length(const char *v, size_t n, uint64_t *out)
{
	size_t i = 0;
	bool have = false;
	uint64_t first = 0;

	for (;;) {
		uint64_t x = 0;
		size_t start;

		while (i < n && is_ows(v[i]))
			i++;
		for (start = i; i < n && is_digit((uint8_t)v[i]); i++) {
			unsigned d = (unsigned)(v[i] - '0');

			if (x > (UINT64_MAX - d) / 10)
				return -1;
			x = x * 10 + d;
		}
		if (i == start || (have && x != first))
			return -1;
		first = x;
		have = true;
		while (i < n && is_ows(v[i]))
			i++;
		if (i == n)
			break;
		if (v[i++] != ',')
			return -1;
	}
	*out = first;
	return 0;
}

/* Whether the last element of the comma list v[0..n) is `token`. */
static bool last_token_is(const char *v, size_t n, const char *token)
{
	size_t end = n, start;

	while (end > 0 && (is_ows(v[end - 1]) || v[end - 1] == ','))
		end--;
	start = end;
	while (start > 0 && v[start - 1] != ',')
		start--;
	while (start < end && is_ows(v[start]))
		start++;
	return name_is(v + start, end - start, token);
}

/* Whether any element of the comma list v[0..n) is `token`. */
static bool has_token(const char *v, size_t n, const char *token)
{
	size_t i = 0;

	while (i < n) {
		size_t start, end;

		while (i < n && (is_ows(v[i]) || v[i] == ','))
			i++;
		start = i;
		while (i < n && v[i] != ',')
			i++;
		end = i;
		while (end > start && is_ows(v[end - 1]))
			end--;
		if (end > start && name_is(v + start, end - start, token))
			return true;
	}
	return false;
}

static void apply_field(struct http_parser *p, const char *name, size_t name_len,
			const char *v, size_t vlen)
{
	uint64_t cl;

	p->last_field = F_OTHER;
	if (name_is(name, name_len, "content-length")) {
		p->last_field = F_CL;
		if (parse_content_length(v, vlen, &cl) < 0 || (p->has_cl && cl != p->cl)) {
			fail(p, HTTP_BAD_CONTENT_LENGTH);
			return;
		}
		p->has_cl = true;
		p->cl = cl;
	} else if (name_is(name, name_len, "transfer-encoding")) {
		p->last_field = F_TE;
		p->has_te = true;
		p->chunked = last_token_is(v, vlen, "chunked");
	} else if (name_is(name, name_len, "connection")) {
		if (has_token(v, vlen, "close"))
			p->conn_close = true;
	}
}

/* RFC 9112 6.3, in order, for a final response. */
static void headers_end(struct http_parser *p)
{
	if (p->status < 200 && p->status != 101) {
		p->state = ST_STATUS;		/* interim: the real answer follows */
		return;
	}
	if (p->has_cl && p->has_te) {
		fail(p, HTTP_CL_AND_TE);
		return;
	}
	if (p->status == 101 || p->status == 204 || p->status == 304)
		finish(p);
	else if (p->has_te)
		p->state = p->chunked ? ST_CHUNK_SIZE : ST_BODY_EOF;
	else if (!p->has_cl)
		p->state = ST_BODY_EOF;
	else if (p->cl > HTTP_BODY_MAX)
		fail(p, HTTP_BODY_TOO_LARGE);
	else if (p->cl == 0)
		finish(p);
	else {
		p->remaining = p->cl;
		p->state = ST_BODY_LEN;
	}
}

/* A non-empty header or trailer line: counts, then its syntax.  Returns
 * false when the line is a fold or the parser failed; otherwise the field. */
static bool field_line(struct http_parser *p, size_t n, size_t *name_len,
		       const char **v, size_t *vlen)
{
	if (++p->n_headers > HTTP_HEADERS_MAX_COUNT) {
		fail(p, HTTP_TOO_MANY_HEADERS);
		return false;
	}
	if (is_ows(p->line[0])) {
		/* obs-fold: harmless unless it continues a framing field */
		if (p->last_field != F_OTHER)
			fail(p, HTTP_BAD_HEADER);
		return false;
	}
	if (split_field(p->line, n, name_len, v, vlen) < 0) {
		fail(p, HTTP_BAD_HEADER);
		return false;
	}
	return true;
}

static void header_line(struct http_parser *p, size_t n)
{
	size_t name_len, vlen;
	const char *v;

	if (n == 0)
		headers_end(p);
	else if (field_line(p, n, &name_len, &v, &vlen))
		apply_field(p, p->line, name_len, v, vlen);
}

/* Trailer fields are checked like header fields and otherwise ignored. */
static void trailer_line(struct http_parser *p, size_t n)
{
	size_t name_len, vlen;
	const char *v;

	if (n == 0)
		finish(p);
	else if (field_line(p, n, &name_len, &v, &vlen))
		p->last_field = F_OTHER;
}

/* ---- chunked coding ---- */

/* chunk-size [ BWS ";" chunk-ext ] */
static void chunk_size_line(struct http_parser *p, size_t n)
{
	const char *l = p->line;
	uint64_t size = 0;
	size_t i;
	int h;

	for (i = 0; i < n && (h = val_hex_digit(l[i])) >= 0; i++) {
		if (i == 16) {
			fail(p, HTTP_BAD_CHUNK);
			return;
		}
		size = size << 4 | (uint64_t)h;
	}
	p->ext_bytes += n - i;
	if (i == 0 || p->ext_bytes > HTTP_CHUNK_EXT_MAX) {
		fail(p, HTTP_BAD_CHUNK);
		return;
	}
	while (i < n && is_ows(l[i]))
		i++;
	if (i < n && l[i] != ';')
		fail(p, HTTP_BAD_CHUNK);
	else if (size == 0) {
		p->last_field = F_NONE;
		p->state = ST_TRAILER;
	}
	else if (size > HTTP_BODY_MAX - p->body_len)
		fail(p, HTTP_BODY_TOO_LARGE);
	else {
		p->remaining = size;
		p->state = ST_CHUNK_DATA;
	}
}

/* ---- lines ---- */

static void line_end(struct http_parser *p)
{
	size_t n = p->line_len;

	p->line_len = 0;
	switch (p->state) {
	case ST_STATUS:
		status_line(p, n);
		break;
	case ST_HEADER:
		header_line(p, n);
		break;
	case ST_CHUNK_SIZE:
		chunk_size_line(p, n);
		break;
	case ST_CHUNK_END:
		p->state = ST_CHUNK_SIZE;	/* rules[] allow no content */
		break;
	default:
		trailer_line(p, n);
		break;
	}
}

static void line_byte(struct http_parser *p, uint8_t c)
{
	const struct line_rules *r = &rules[p->state];

	if (r->header_bytes && ++p->header_bytes > HTTP_HEADERS_MAX_BYTES)
		fail(p, HTTP_HEADERS_TOO_LARGE);
	else if (p->cr_pending && c != '\n')
		fail(p, r->bad);
	else if (c == '\n') {
		p->cr_pending = false;
		line_end(p);
	} else if (c == '\r')
		p->cr_pending = true;
	else if (c == '\0')
		fail(p, r->nul);
	else if (p->line_len >= r->max)
		fail(p, r->too_long);
	else if (p->state == ST_STATUS && !status_byte_ok(p->line_len, c))
		fail(p, HTTP_BAD_STATUS_LINE);
	else
		p->line[p->line_len++] = (char)c;
}

/* ---- public ---- */

void http_parser_init(struct http_parser *p, bool keep_body)
{
	memset(p, 0, sizeof(*p));
	p->state = ST_STATUS;
	p->result = HTTP_INCOMPLETE;
	p->keep_body = keep_body;
	md5_init(&p->md);
}

enum http_result http_parse_feed(struct http_parser *p, const uint8_t *data, size_t len)
{
	size_t i = 0;

	while (i < len && p->result == HTTP_INCOMPLETE) {
		if (p->state >= ST_BODY_LEN)
			i += body_span(p, data + i, len - i);
		else
			line_byte(p, data[i++]);
	}
	return p->result;
}

enum http_result http_parse_eof(struct http_parser *p)
{
	if (p->result != HTTP_INCOMPLETE)
		return p->result;
	if (p->state == ST_BODY_EOF)
		finish(p);
	else
		fail(p, HTTP_TRUNCATED);
	return p->result;
}

enum http_result http_parse_result(const struct http_parser *p)
{
	return p->result;
}

const char *http_result_name(enum http_result r)
{
	if ((unsigned)r >= HTTP_RESULT_COUNT || !result_names[r])
		return "unknown";
	return result_names[r];
}

unsigned http_status(const struct http_parser *p)
{
	return p->status >= 200 || p->status == 101 ? p->status : 0;
}

bool http_body_complete(const struct http_parser *p)
{
	return p->result == HTTP_DONE;
}

uint64_t http_body_len(const struct http_parser *p)
{
	return p->body_len;
}

const uint8_t *http_digest(const struct http_parser *p)
{
	return p->result == HTTP_DONE ? p->digest : NULL;
}

const char *http_digest_hex(const struct http_parser *p)
{
	return p->result == HTTP_DONE ? p->digest_hex : NULL;
}

bool http_conn_close(const struct http_parser *p)
{
	return p->conn_close;
}

const char *http_body(const struct http_parser *p, size_t *len, bool *clipped)
{
	if (!p->keep_body)
		return NULL;
	*len = p->body_kept;
	*clipped = p->body_clipped;
	return p->body;
}

int http_body_matches(const struct http_parser *p, const regex_t *re)
{
	int rc;

	if (!p->keep_body)
		return -1;
#ifdef REG_STARTEND
	{
		regmatch_t m[1];

		m[0].rm_so = 0;
		m[0].rm_eo = (regoff_t)p->body_kept;
		rc = regexec(re, p->body, 1, m, REG_STARTEND);
	}
#else
	rc = regexec(re, p->body, 0, NULL, 0);
#endif
	if (rc == 0)
		return 1;
	return rc == REG_NOMATCH ? 0 : -1;
}
