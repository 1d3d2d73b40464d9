/* Unit tests for the HTTP/1.x response parser of HTTP_GET/SSL_GET: a corpus
 * of valid responses fed whole, byte by byte and at random splits (fixed
 * seeds) with the body MD5 checked, and the hostile inputs of BI-H02..H06
 * (STD-R06), each expecting its exact named reason.  Every piece is fed
 * from an exact-size heap copy so that ASan catches any read past it. */
#include "config.h"

#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "http_parse.h"

#define W(s) s, sizeof(s) - 1
#define OK200 "HTTP/1.1 200 OK\r\n"
#define CHUNKED OK200 "Transfer-Encoding: chunked\r\n\r\n"

enum split { SPLIT_WHOLE, SPLIT_BYTES, SPLIT_RANDOM };

/* ---- helpers ---- */

static uint32_t xs32(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static struct http_parser *new_parser(bool keep)
{
	struct http_parser *p = malloc(sizeof(*p));

	assert_non_null(p);
	http_parser_init(p, keep);
	return p;
}

static void free_parser(struct http_parser *p)
{
	free(p);
}

static enum http_result feed_copy(struct http_parser *p, const uint8_t *data, size_t n)
{
	uint8_t *copy = NULL;
	enum http_result r;

	if (n) {
		copy = malloc(n);
		assert_non_null(copy);
		memcpy(copy, data, n);
	}
	r = http_parse_feed(p, copy, n);
	free(copy);
	return r;
}

/* Feed all of wire[0..len), even after the result is decided (it must not
 * change).  Random pieces are 1..max_piece bytes. */
static enum http_result feed_split(struct http_parser *p, const void *wire, size_t len,
				   enum split how, uint32_t seed, size_t max_piece)
{
	const uint8_t *w = wire;
	enum http_result r = http_parse_result(p);
	size_t off = 0;

	seed = seed * 2654435761u + 1;
	while (off < len) {
		size_t n = len - off;

		if (how == SPLIT_BYTES)
			n = 1;
		else if (how == SPLIT_RANDOM) {
			size_t k = 1 + xs32(&seed) % max_piece;

			if (k < n)
				n = k;
		}
		r = feed_copy(p, w + off, n);
		off += n;
	}
	return r;
}

static void expect(const char *what, int how, enum http_result got, enum http_result want)
{
	if (got != want)
		fail_msg("%s (split %d): got '%s', want '%s'", what, how,
			 http_result_name(got), http_result_name(want));
}

static void md5_of(const void *data, size_t len, uint8_t out[HTTP_DIGEST_LEN])
{
	unsigned int n = 0;

	assert_int_equal(EVP_Digest(data, len, out, &n, EVP_md5(), NULL), 1);
	assert_int_equal(n, HTTP_DIGEST_LEN);
}

/* A growing byte buffer for generated responses. */
struct buf {
	uint8_t *d;
	size_t n, cap;
};

static void buf_add(struct buf *b, const void *data, size_t n)
{
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		uint8_t *d;

		while (cap < b->n + n)
			cap *= 2;
		d = realloc(b->d, cap);
		assert_non_null(d);
		b->d = d;
		b->cap = cap;
	}
	memcpy(b->d + b->n, data, n);
	b->n += n;
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_rep(struct buf *b, char c, size_t count)
{
	while (count--)
		buf_add(b, &c, 1);
}

/* Parse a whole generated response (random pieces up to 4 KiB), with or
 * without a final EOF, and check the reason. */
static struct http_parser *parse_big(const char *what, const struct buf *b, bool eof,
				     enum http_result want)
{
	struct http_parser *p = new_parser(false);
	enum http_result r = feed_split(p, b->d, b->n, SPLIT_RANDOM, 7, 4096);

	if (eof)
		r = http_parse_eof(p);
	expect(what, SPLIT_RANDOM, r, want);
	return p;
}

/* ---- valid responses ---- */

struct sample {
	const char *name;
	const char *wire;
	size_t wire_len;
	unsigned status;
	const char *body;
	size_t body_len;
	bool needs_eof;
};

static const struct sample corpus[] = {
	{ "content-length", W(OK200 "Content-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"),
	  200, W("hello"), false },
	{ "http/1.0 until close", W("HTTP/1.0 200 OK\r\nServer: x\r\n\r\n<html>hi</html>\n"),
	  200, W("<html>hi</html>\n"), true },
	{ "http/1.1 until close", W(OK200 "Connection: close\r\n\r\nuntil close"),
	  200, W("until close"), true },
	{ "chunked, extensions, trailers",
	  W(CHUNKED "5;name=val\r\nhello\r\n6 ; x=\"q\"\r\n world\r\n0\r\n"
	    "X-Trailer: 1\r\nX-Other: 2\r\n\r\n"), 200, W("hello world"), false },
	{ "chunked, hex sizes, list",
	  W(OK200 "transfer-encoding: gzip, CHUNKED\r\n\r\n000a\r\n0123456789\r\n"
	    "A\r\nabcdefghij\r\n0\r\n\r\n"), 200, W("0123456789abcdefghij"), false },
	{ "100 and 103 before 200",
	  W("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n"
	    "Link: </s.css>; rel=preload\r\nContent-Length: 99\r\n\r\n"
	    OK200 "Content-Length: 2\r\n\r\nok"), 200, W("ok"), false },
	{ "204", W("HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n"), 204, W(""), false },
	{ "304 ignores length", W("HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\n\r\n"),
	  304, W(""), false },
	{ "101 is final", W("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
			    "Connection: Upgrade\r\n\r\n"), 101, W(""), false },
	{ "bare LF", W("HTTP/1.1 200 OK\nContent-Length: 3\n\nabc"), 200, W("abc"), false },
	{ "length 0", W(OK200 "Content-Length: 0\r\n\r\n"), 200, W(""), false },
	{ "binary body", W(OK200 "Content-Length: 6\r\n\r\n\0\x01\xff\0ab"),
	  200, W("\0\x01\xff\0ab"), false },
	{ "repeated equal lengths",
	  W(OK200 "Content-Length: 3\r\ncontent-LENGTH:3\r\nContent-Length: 3 , 3\r\n\r\nxyz"),
	  200, W("xyz"), false },
	{ "te not chunked: until close",
	  W(OK200 "Transfer-Encoding: gzip\r\n\r\n\x1f\x8b\x08" "data"),
	  200, W("\x1f\x8b\x08" "data"), true },
	{ "no reason, no SP", W("HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx"),
	  200, W("x"), false },
	{ "empty reason", W("HTTP/1.1 404 \r\nContent-Length: 1\r\n\r\nx"), 404, W("x"), false },
	{ "obs-text reason", W("HTTP/1.1 200 \xc3\xa9t\xc3\xa9\t!\r\nContent-Length: 1\r\n\r\nx"),
	  200, W("x"), false },
	{ "http/1.2", W("HTTP/1.2 200 OK\r\nContent-Length: 1\r\n\r\ny"), 200, W("y"), false },
	{ "obs-fold of another field", W(OK200 "X-Long: a\r\n  b\r\nContent-Length: 1\r\n\r\nz"),
	  200, W("z"), false },
	{ "500 with body", W("HTTP/1.0 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nfail"),
	  500, W("fail"), false },
	{ "bytes after the response", W(OK200 "Content-Length: 2\r\n\r\nokHTTP/1.1 garbage"),
	  200, W("ok"), false },
	{ "field value blanks", W(OK200 "Content-Length:\t 2 \t\r\nX-Empty:\r\n\r\nab"),
	  200, W("ab"), false },
};

#define NCORPUS (sizeof(corpus) / sizeof(corpus[0]))

static void check_sample(const struct sample *s, enum split how, uint32_t seed)
{
	struct http_parser *p = new_parser(true);
	uint8_t want[HTTP_DIGEST_LEN];
	enum http_result r;
	const char *kept;
	size_t kept_len;
	bool clipped;

	r = feed_split(p, s->wire, s->wire_len, how, seed, 1 + seed % 23);
	expect(s->name, how, r, s->needs_eof ? HTTP_INCOMPLETE : HTTP_DONE);
	expect(s->name, how, http_parse_eof(p), HTTP_DONE);
	assert_int_equal(http_status(p), s->status);
	assert_true(http_body_complete(p));
	assert_int_equal(http_body_len(p), s->body_len);
	md5_of(s->body, s->body_len, want);
	assert_memory_equal(http_digest(p), want, HTTP_DIGEST_LEN);
	assert_int_equal(strlen(http_digest_hex(p)), 2 * HTTP_DIGEST_LEN);
	kept = http_body(p, &kept_len, &clipped);
	assert_non_null(kept);
	assert_false(clipped);
	assert_int_equal(kept_len, s->body_len);
	assert_memory_equal(kept, s->body, s->body_len);
	assert_int_equal(kept[kept_len], '\0');
	free_parser(p);
}

static void test_corpus_all_splits(void **state)
{
	size_t i;
	uint32_t seed;

	(void)state;
	for (i = 0; i < NCORPUS; i++) {
		check_sample(&corpus[i], SPLIT_WHOLE, 0);
		check_sample(&corpus[i], SPLIT_BYTES, 0);
		for (seed = 1; seed <= 16; seed++)
			check_sample(&corpus[i], SPLIT_RANDOM, seed);
	}
}

/* Digests as printed by `printf ... | md5sum`. */
static void test_digest_known_values(void **state)
{
	static const struct { const char *wire, *hex; } v[] = {
		{ OK200 "Content-Length: 5\r\n\r\nhello", "5d41402abc4b2a76b9719d911017c592" },
		{ CHUNKED "6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n",
		  "5eb63bbbe01eeed093cb22bb8f5acdc3" },
		{ "HTTP/1.1 204 No Content\r\n\r\n", "d41d8cd98f00b204e9800998ecf8427e" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct http_parser *p = new_parser(false);

		expect(v[i].hex, 0, feed_split(p, v[i].wire, strlen(v[i].wire), SPLIT_BYTES, 0, 1),
		       HTTP_DONE);
		assert_string_equal(http_digest_hex(p), v[i].hex);
		free_parser(p);
	}
}

static void test_accessors_progress(void **state)
{
	static const char a[] = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n";
	static const char b[] = "Connection: keep-alive, Close\r\nContent-Length: 4\r\n\r\nab";
	struct http_parser *p = new_parser(false);
	size_t len;
	bool clipped;

	(void)state;
	assert_int_equal(http_parse_feed(p, NULL, 0), HTTP_INCOMPLETE);
	assert_int_equal(feed_copy(p, (const uint8_t *)a, 25), HTTP_INCOMPLETE);
	assert_int_equal(http_status(p), 0);		/* interim */
	assert_int_equal(feed_copy(p, (const uint8_t *)a + 25, sizeof(a) - 26), HTTP_INCOMPLETE);
	assert_int_equal(http_status(p), 200);		/* known before the body */
	assert_int_equal(feed_copy(p, (const uint8_t *)b, sizeof(b) - 1), HTTP_INCOMPLETE);
	assert_true(http_conn_close(p));
	assert_int_equal(http_body_len(p), 2);
	assert_false(http_body_complete(p));
	assert_null(http_digest(p));
	assert_null(http_digest_hex(p));
	assert_null(http_body(p, &len, &clipped));
	assert_int_equal(feed_copy(p, (const uint8_t *)"cd", 2), HTTP_DONE);
	assert_non_null(http_digest(p));
	free(p);
}

/* ---- hostile inputs (BI-H) with their exact reasons ---- */

struct hostile {
	const char *name;
	const char *wire;
	size_t len;
	bool eof;
	enum http_result want;
};

static const struct hostile hostile[] = {
	/* BI-H04 invalid status lines */
	{ "code of 2 digits", W("HTTP/1.1 20\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "code of 4 digits", W("HTTP/1.1 2000 OK\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "negative code", W("HTTP/1.1 -1 OK\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "abc", W("abc\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "2000", W("2000\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "-1", W("-1\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "missing version", W("200 OK\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "lowercase version", W("http/1.1 200 OK\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "leading space", W(" HTTP/1.1 200 OK\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "leading CRLF", W("\r\nHTTP/1.1 200 OK\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "code 099", W("HTTP/1.1 099 X\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "code 600", W("HTTP/1.1 600 X\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "HTTP/2", W("HTTP/2 200\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "HTTP/0.9 version", W("HTTP/0.9 200 OK\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "HTTP/1.10", W("HTTP/1.10 200 OK\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "HTTP/0.9 body only", W("<html><body>0.9</body></html>"), true, HTTP_BAD_STATUS_LINE },
	{ "two spaces", W("HTTP/1.1  200 OK\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "bare CR in status", W("HTTP/1.1 200 OK\rX\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "control in reason", W("HTTP/1.1 200 O\x01K\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "DEL in reason", W("HTTP/1.1 200 OK\x7f\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "NUL in status", W("HTTP/1.1 200 O\0K\r\n\r\n"), false, HTTP_BAD_STATUS_LINE },
	{ "interim then garbage", W("HTTP/1.1 100 Continue\r\n\r\nabc"), false,
	  HTTP_BAD_STATUS_LINE },
	/* BI-H02 header syntax and NUL */
	{ "no colon", W(OK200 "NoColon\r\n\r\n"), false, HTTP_BAD_HEADER },
	{ "empty name", W(OK200 ": v\r\n\r\n"), false, HTTP_BAD_HEADER },
	{ "blank before colon", W(OK200 "Content-Length : 1\r\n\r\nx"), false, HTTP_BAD_HEADER },
	{ "blank in name", W(OK200 "Na me: v\r\n\r\n"), false, HTTP_BAD_HEADER },
	{ "fold as first line", W(OK200 " folded\r\n\r\n"), false, HTTP_BAD_HEADER },
	{ "fold of length", W(OK200 "Content-Length: 5\r\n 6\r\n\r\nhello"), false,
	  HTTP_BAD_HEADER },
	{ "fold of te", W(OK200 "Transfer-Encoding: gzip,\r\n\tchunked\r\n\r\n"), false,
	  HTTP_BAD_HEADER },
	{ "bare CR in header", W(OK200 "X: a\rb\r\n\r\n"), false, HTTP_BAD_HEADER },
	{ "NUL in value", W(OK200 "X: a\0b\r\n\r\n"), false, HTTP_NUL_IN_HEADER },
	{ "NUL in name", W(OK200 "X\0: b\r\n\r\n"), false, HTTP_NUL_IN_HEADER },
	{ "NUL line", W(OK200 "\0\r\n\r\n"), false, HTTP_NUL_IN_HEADER },
	/* BI-H03 Content-Length */
	{ "conflicting lengths", W(OK200 "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello"),
	  false, HTTP_BAD_CONTENT_LENGTH },
	{ "conflicting list", W(OK200 "Content-Length: 5, 6\r\n\r\nhello"), false,
	  HTTP_BAD_CONTENT_LENGTH },
	{ "negative length", W(OK200 "Content-Length: -1\r\n\r\n"), false,
	  HTTP_BAD_CONTENT_LENGTH },
	{ "empty length", W(OK200 "Content-Length:\r\n\r\n"), false, HTTP_BAD_CONTENT_LENGTH },
	{ "length overflow", W(OK200 "Content-Length: 18446744073709551616\r\n\r\n"), false,
	  HTTP_BAD_CONTENT_LENGTH },
	{ "length far overflow", W(OK200 "Content-Length: 99999999999999999999999\r\n\r\n"),
	  false, HTTP_BAD_CONTENT_LENGTH },
	{ "length UINT64_MAX", W(OK200 "Content-Length: 18446744073709551615\r\n\r\n"), false,
	  HTTP_BODY_TOO_LARGE },
	{ "length 5a", W(OK200 "Content-Length: 5a\r\n\r\nhello"), false,
	  HTTP_BAD_CONTENT_LENGTH },
	{ "length +5", W(OK200 "Content-Length: +5\r\n\r\nhello"), false,
	  HTTP_BAD_CONTENT_LENGTH },
	{ "length 0x5", W(OK200 "Content-Length: 0x5\r\n\r\nhello"), false,
	  HTTP_BAD_CONTENT_LENGTH },
	{ "length 5,", W(OK200 "Content-Length: 5,\r\n\r\nhello"), false,
	  HTTP_BAD_CONTENT_LENGTH },
	{ "length 1 5", W(OK200 "Content-Length: 1 5\r\n\r\nhello"), false,
	  HTTP_BAD_CONTENT_LENGTH },
	{ "length over the cap", W(OK200 "Content-Length: 1048577\r\n\r\n"), false,
	  HTTP_BODY_TOO_LARGE },
	{ "CL then TE", W(OK200 "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
			  "5\r\nhello\r\n0\r\n\r\n"), false, HTTP_CL_AND_TE },
	{ "TE then CL", W(OK200 "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"),
	  false, HTTP_CL_AND_TE },
	/* BI-H03 chunked */
	{ "chunk size overflow", W(CHUNKED "FFFFFFFFFFFFFFFFF\r\n"), false, HTTP_BAD_CHUNK },
	{ "chunk size 17 digits", W(CHUNKED "00000000000000005\r\nhello\r\n0\r\n\r\n"), false,
	  HTTP_BAD_CHUNK },
	{ "chunk size 2^64-1", W(CHUNKED "ffffffffffffffff\r\n"), false, HTTP_BODY_TOO_LARGE },
	{ "chunk size non-hex", W(CHUNKED "zz\r\n"), false, HTTP_BAD_CHUNK },
	{ "chunk size negative", W(CHUNKED "-1\r\n"), false, HTTP_BAD_CHUNK },
	{ "chunk size 0x5", W(CHUNKED "0x5\r\nhello\r\n"), false, HTTP_BAD_CHUNK },
	{ "chunk size empty", W(CHUNKED "\r\n"), false, HTTP_BAD_CHUNK },
	{ "chunk size junk", W(CHUNKED "5 x\r\nhello\r\n"), false, HTTP_BAD_CHUNK },
	{ "chunk size NUL", W(CHUNKED "5\0\r\nhello\r\n"), false, HTTP_BAD_CHUNK },
	{ "chunk size bare CR", W(CHUNKED "5\r\0\nhello\r\n"), false, HTTP_BAD_CHUNK },
	{ "chunk data too long", W(CHUNKED "5\r\nhelloX\r\n0\r\n\r\n"), false, HTTP_BAD_CHUNK },
	{ "chunk data bare CR", W(CHUNKED "5\r\nhello\rX"), false, HTTP_BAD_CHUNK },
	{ "NUL in trailer", W(CHUNKED "0\r\nX: \0\r\n\r\n"), false, HTTP_NUL_IN_HEADER },
	{ "bad trailer", W(CHUNKED "0\r\nbad trailer\r\n\r\n"), false, HTTP_BAD_HEADER },
	{ "fold as first trailer", W(CHUNKED "0\r\n x\r\n\r\n"), false, HTTP_BAD_HEADER },
	/* BI-H05 closed early */
	{ "closed at once", W(""), true, HTTP_TRUNCATED },
	{ "closed in status", W("HTTP/1.1 20"), true, HTTP_TRUNCATED },
	{ "closed after CR", W("HTTP/1.1 200 OK\r"), true, HTTP_TRUNCATED },
	{ "closed mid-header", W(OK200 "Content-Le"), true, HTTP_TRUNCATED },
	{ "closed before blank line", W(OK200 "Content-Length: 1\r\n"), true, HTTP_TRUNCATED },
	{ "closed after interim", W("HTTP/1.1 100 Continue\r\n\r\n"), true, HTTP_TRUNCATED },
	{ "closed mid-body", W(OK200 "Content-Length: 10\r\n\r\nhello"), true, HTTP_TRUNCATED },
	{ "closed mid-chunk", W(CHUNKED "a\r\nhello"), true, HTTP_TRUNCATED },
	{ "closed mid-chunk-size", W(CHUNKED "a"), true, HTTP_TRUNCATED },
	{ "closed before chunk CRLF", W(CHUNKED "5\r\nhello"), true, HTTP_TRUNCATED },
	{ "closed before last chunk", W(CHUNKED "5\r\nhello\r\n"), true, HTTP_TRUNCATED },
	{ "closed in trailers", W(CHUNKED "0\r\nX: 1\r\n"), true, HTTP_TRUNCATED },
};

static void test_hostile_exact_reasons(void **state)
{
	size_t i;
	uint32_t seed;

	(void)state;
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		const struct hostile *h = &hostile[i];

		for (seed = 0; seed < 8; seed++) {
			enum split how = seed < 2 ? (enum split)seed : SPLIT_RANDOM;
			struct http_parser *p = new_parser(true);
			enum http_result r = feed_split(p, h->wire, h->len, how, seed, 5);

			if (h->eof)
				r = http_parse_eof(p);
			expect(h->name, how, r, h->want);
			/* sticky: more input or a close changes nothing */
			expect(h->name, how, feed_copy(p, (const uint8_t *)OK200, 17), h->want);
			expect(h->name, how, http_parse_eof(p), h->want);
			assert_null(http_digest(p));
			free_parser(p);
		}
	}
}

/* A status line with a reason of `reason` bytes. */
static void status_line_of(size_t reason, enum http_result want)
{
	struct buf b = { 0 };

	buf_str(&b, "HTTP/1.1 200 ");
	buf_rep(&b, 'r', reason);
	buf_str(&b, "\r\nContent-Length: 0\r\n\r\n");
	free_parser(parse_big("long status line", &b, true, want));
	free(b.d);
}

/* CVE-2018-19115 class: a status line far longer than any buffer. */
static void test_status_line_cap(void **state)
{
	(void)state;
	status_line_of(HTTP_LINE_MAX - 13, HTTP_DONE);
	status_line_of(HTTP_LINE_MAX - 12, HTTP_STATUS_LINE_TOO_LONG);
	status_line_of(64 * 1024, HTTP_STATUS_LINE_TOO_LONG);
	status_line_of(100 * 1000, HTTP_STATUS_LINE_TOO_LONG);
}

/* A peer that never sends a line end: feed until the cap trips, which
 * must happen within one line's worth of bytes. */
static void never_ending(const char *prefix, enum http_result want)
{
	struct http_parser *p = new_parser(false);
	uint8_t chunk[1024];
	size_t fed = strlen(prefix);
	enum http_result r;

	memset(chunk, 'a', sizeof(chunk));
	r = feed_copy(p, (const uint8_t *)prefix, fed);
	while (r == HTTP_INCOMPLETE && fed < 1024 * 1024) {
		r = feed_copy(p, chunk, sizeof(chunk));
		fed += sizeof(chunk);
	}
	expect(prefix, 0, r, want);
	assert_true(fed <= strlen(prefix) + HTTP_LINE_MAX + sizeof(chunk));
	free_parser(p);
}

static void test_lines_that_never_end(void **state)
{
	struct buf b = { 0 };

	(void)state;
	never_ending("HTTP/1.1 200 OK", HTTP_STATUS_LINE_TOO_LONG);
	never_ending(OK200 "X-Never: ", HTTP_HEADER_TOO_LONG);
	never_ending(CHUNKED "5;", HTTP_BAD_CHUNK);
	never_ending(CHUNKED "0\r\nX-Trailer: ", HTTP_HEADER_TOO_LONG);
	buf_str(&b, OK200 "X-Big: ");
	buf_rep(&b, 'b', 1024 * 1024);
	buf_str(&b, "\r\nContent-Length: 0\r\n\r\n");
	free_parser(parse_big("1 MiB header", &b, true, HTTP_HEADER_TOO_LONG));
	free(b.d);
}

static void headers_count(size_t n, enum http_result want)
{
	struct buf b = { 0 };
	size_t i;

	buf_str(&b, OK200);
	for (i = 1; i < n; i++)
		buf_str(&b, "X-N: v\r\n");
	buf_str(&b, "Content-Length: 0\r\n\r\n");
	free_parser(parse_big("header count", &b, false, want));
	free(b.d);
}

static void test_too_many_headers(void **state)
{
	(void)state;
	headers_count(HTTP_HEADERS_MAX_COUNT, HTTP_DONE);
	headers_count(HTTP_HEADERS_MAX_COUNT + 1, HTTP_TOO_MANY_HEADERS);
	headers_count(100000, HTTP_TOO_MANY_HEADERS);
}

/* Header section of exactly `total` bytes (status line and blank line
 * included), in lines of at most 8000 bytes. */
static void headers_total(size_t total, enum http_result want)
{
	static const char head[] = OK200 "Content-Length: 0\r\n";
	struct buf b = { 0 };
	size_t left = total - (sizeof(head) - 1) - 2;

	buf_str(&b, head);
	while (left) {
		size_t line = left > 8000 + 8 ? 8000 : left;	/* never leave < 8 */

		buf_str(&b, "X: ");
		buf_rep(&b, 'h', line - 5);
		buf_str(&b, "\r\n");
		left -= line;
	}
	buf_str(&b, "\r\n");
	assert_int_equal(b.n, total);
	free_parser(parse_big("header bytes", &b, false, want));
	free(b.d);
}

static void test_headers_too_large(void **state)
{
	struct buf b = { 0 };
	size_t i;

	(void)state;
	headers_total(HTTP_HEADERS_MAX_BYTES, HTTP_DONE);
	headers_total(HTTP_HEADERS_MAX_BYTES + 1, HTTP_HEADERS_TOO_LARGE);
	headers_total(10 * 8002 + 38, HTTP_HEADERS_TOO_LARGE);
	/* endless "100 Continue": the caps span interim responses */
	for (i = 0; i < 10000; i++)
		buf_str(&b, "HTTP/1.1 100 Continue\r\n\r\n");
	free_parser(parse_big("interim flood", &b, false, HTTP_HEADERS_TOO_LARGE));
	free(b.d);
}

static void test_endless_chunked_streams(void **state)
{
	struct http_parser *p = new_parser(false);
	struct buf b = { 0 };
	uint8_t chunk[6 + 4096 + 2];
	size_t rounds = 0;
	enum http_result r;

	(void)state;
	memcpy(chunk, "1000\r\n", 6);
	memset(chunk + 6, 'c', 4096);
	memcpy(chunk + 6 + 4096, "\r\n", 2);
	r = feed_copy(p, (const uint8_t *)CHUNKED, strlen(CHUNKED));
	while (r == HTTP_INCOMPLETE && rounds++ < 100000)
		r = feed_copy(p, chunk, sizeof(chunk));
	expect("endless chunked", 0, r, HTTP_BODY_TOO_LARGE);
	assert_int_equal(http_body_len(p), HTTP_BODY_MAX);
	assert_int_equal(rounds, HTTP_BODY_MAX / 4096 + 1);
	free_parser(p);
	/* small chunks with large extensions: the extension cap trips */
	buf_str(&b, CHUNKED);
	for (rounds = 0; rounds < 10; rounds++) {
		buf_str(&b, "1;");
		buf_rep(&b, 'e', 8000);
		buf_str(&b, "\r\nx\r\n");
	}
	buf_str(&b, "0\r\n\r\n");
	free_parser(parse_big("extension flood", &b, false, HTTP_BAD_CHUNK));
	free(b.d);
}

/* A body of exactly the cap is fine; one byte more is not, whichever way
 * its length is told. */
static void body_at_cap(int framing, size_t size, enum http_result want)
{
	struct buf b = { 0 };
	char head[96];
	struct http_parser *p;

	if (framing == 0)
		snprintf(head, sizeof(head), OK200 "Content-Length: %zu\r\n\r\n", size);
	else if (framing == 1)
		snprintf(head, sizeof(head), CHUNKED "%zx\r\n", size);
	else
		snprintf(head, sizeof(head), "HTTP/1.0 200 OK\r\n\r\n");
	buf_str(&b, head);
	buf_rep(&b, 'z', size);
	if (framing == 1)
		buf_str(&b, "\r\n0\r\n\r\n");
	p = parse_big("body at the cap", &b, framing == 2, want);
	if (want == HTTP_DONE) {
		uint8_t md[HTTP_DIGEST_LEN];

		md5_of(b.d + strlen(head), size, md);
		assert_memory_equal(http_digest(p), md, HTTP_DIGEST_LEN);
		assert_int_equal(http_body_len(p), size);
	}
	free_parser(p);
	free(b.d);
}

static void test_body_cap(void **state)
{
	int framing;

	(void)state;
	for (framing = 0; framing < 3; framing++) {
		body_at_cap(framing, HTTP_BODY_MAX, HTTP_DONE);
		body_at_cap(framing, HTTP_BODY_MAX + 1, HTTP_BODY_TOO_LARGE);
	}
}

/* The same bytes fed whole and in random pieces: the same outcome. */
static enum http_result both_ways(const uint8_t *g, size_t n, uint32_t seed)
{
	struct http_parser *a = new_parser(true), *b = new_parser(true);
	enum http_result r;

	r = feed_split(a, g, n, SPLIT_WHOLE, 0, 1);
	assert_int_equal(r, feed_split(b, g, n, seed % 4 ? SPLIT_RANDOM : SPLIT_BYTES, seed, 9));
	r = http_parse_eof(a);
	assert_int_equal(r, http_parse_eof(b));
	assert_true(r < HTTP_RESULT_COUNT);
	assert_int_equal(http_status(a), http_status(b));
	assert_int_equal(http_body_len(a), http_body_len(b));
	if (r == HTTP_DONE)
		assert_string_equal(http_digest_hex(a), http_digest_hex(b));
	free_parser(a);
	free_parser(b);
	return r;
}

/* Random bytes, random bytes after a valid status line, and corpus
 * responses with a few bytes changed: never a crash, and the outcome does
 * not depend on the split. */
static void test_garbage_and_mutations(void **state)
{
	uint32_t rng = 12345;
	uint32_t iter;

	(void)state;
	for (iter = 0; iter < 6000; iter++) {
		uint8_t g[512];
		size_t n = 1 + xs32(&rng) % sizeof(g), i, off = 0;
		const struct sample *s = &corpus[iter % NCORPUS];
		enum http_result r;

		if (iter % 3 == 1) {
			memcpy(g, OK200, 17);
			off = 17;
			n = n < 18 ? 18 : n;
		}
		for (i = off; i < n; i++)
			g[i] = (uint8_t)xs32(&rng);
		if (iter % 3 == 2) {
			assert_true(s->wire_len <= sizeof(g));
			memcpy(g, s->wire, s->wire_len);
			n = s->wire_len;
			for (i = 0; i < 1 + xs32(&rng) % 3; i++)
				g[xs32(&rng) % n] = (uint8_t)xs32(&rng);
		}
		r = both_ways(g, n, iter);
		if (iter % 3 == 0 && g[0] != 'H' && g[0] != '\r')
			assert_int_equal(r, HTTP_BAD_STATUS_LINE);
	}
}

/* ---- regex on the kept body (BI-H06) ---- */

static int match(const struct http_parser *p, const char *pattern)
{
	regex_t re;
	int rc;

	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
	rc = http_body_matches(p, &re);
	regfree(&re);
	return rc;
}

static struct http_parser *parsed(const void *wire, size_t len, bool keep)
{
	struct http_parser *p = new_parser(keep);

	expect("regex sample", 0, feed_split(p, wire, len, SPLIT_BYTES, 0, 1), HTTP_DONE);
	return p;
}

static void test_regex_short_binary_chunked(void **state)
{
	struct http_parser *p = parsed(W(OK200 "Content-Length: 8\r\n\r\nabc\0def\0"), true);

	(void)state;
	assert_int_equal(match(p, "^abc"), 1);
	assert_int_equal(match(p, "def"), 1);		/* past the NUL (REG_STARTEND) */
	assert_int_equal(match(p, "xyz"), 0);
	free_parser(p);
	p = parsed(W("HTTP/1.1 204 No Content\r\n\r\n"), true);
	assert_int_equal(match(p, "^$"), 1);
	assert_int_equal(match(p, "."), 0);
	free_parser(p);
	p = parsed(W(CHUNKED "3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n"), true);
	assert_int_equal(match(p, "^hello$"), 1);
	free_parser(p);
	p = parsed(W(CHUNKED "3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n"), false);
	assert_int_equal(match(p, "hello"), -1);	/* body not kept */
	free_parser(p);
}

static void test_regex_body_over_copy(void **state)
{
	struct buf b = { 0 };
	struct http_parser *p;
	char head[64];
	size_t len;
	bool clipped;

	(void)state;
	snprintf(head, sizeof(head), OK200 "Content-Length: %d\r\n\r\n",
		 HTTP_BODY_KEEP_MAX + 10);
	buf_str(&b, head);
	buf_str(&b, "EARLY");
	buf_rep(&b, '.', HTTP_BODY_KEEP_MAX - 5);
	buf_str(&b, "LATE!LATE!");
	p = new_parser(true);
	expect("big body", 0, feed_split(p, b.d, b.n, SPLIT_RANDOM, 3, 3000), HTTP_DONE);
	assert_non_null(http_body(p, &len, &clipped));
	assert_int_equal(len, HTTP_BODY_KEEP_MAX);
	assert_true(clipped);
	assert_int_equal(http_body_len(p), HTTP_BODY_KEEP_MAX + 10);
	assert_int_equal(match(p, "EARLY"), 1);
	assert_int_equal(match(p, "LATE"), 0);		/* beyond the copy */
	free_parser(p);
	free(b.d);
}

static void test_result_names(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < HTTP_RESULT_COUNT; i++) {
		assert_string_not_equal(http_result_name((enum http_result)i), "unknown");
		for (j = 0; j < i; j++)
			assert_string_not_equal(http_result_name((enum http_result)i),
						http_result_name((enum http_result)j));
	}
	assert_string_equal(http_result_name(HTTP_BAD_STATUS_LINE), "bad status line");
	assert_string_equal(http_result_name(HTTP_RESULT_COUNT), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_all_splits),
		cmocka_unit_test(test_digest_known_values),
		cmocka_unit_test(test_accessors_progress),
		cmocka_unit_test(test_hostile_exact_reasons),
		cmocka_unit_test(test_status_line_cap),
		cmocka_unit_test(test_lines_that_never_end),
		cmocka_unit_test(test_too_many_headers),
		cmocka_unit_test(test_headers_too_large),
		cmocka_unit_test(test_endless_chunked_streams),
		cmocka_unit_test(test_body_cap),
		cmocka_unit_test(test_garbage_and_mutations),
		cmocka_unit_test(test_regex_short_binary_chunked),
		cmocka_unit_test(test_regex_body_over_copy),
		cmocka_unit_test(test_result_names),
	};

	return cmocka_run_group_tests_name("http_parse", tests, NULL, NULL);
}
