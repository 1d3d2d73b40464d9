/* The HTTP/1.x response parser of HTTP_GET and SSL_GET: pure, incremental,
 * no sockets (RFC 9112 framing, RFC 9110 interim responses).
 *
 * The checker feeds whatever bytes a read returned, in any split, and calls
 * http_parse_eof() when the server closes.  The parser reports either
 * "more please", "done" or one named reason the response is unusable, so a
 * log line says exactly why a real server failed its check.  Every size is
 * capped (lines, header count and bytes, chunk framing, body), so a hostile
 * server costs bounded memory and work; time limits are the caller's.
 *
 * The parser keeps an MD5 digest of the body as received after de-chunking
 * (the value HTTP_GET compares and genhash prints) and, on request, a
 * bounded copy of the body for a regex match.
 *
 * Decisions (RFC 9112 leaves some to the recipient):
 * - Status line: "HTTP/1." DIGIT SP 3DIGIT (100..599) [SP reason] line end.
 *   Any HTTP/1.x minor is accepted and treated as 1.1 framing (9112 2.5);
 *   HTTP/0.9, HTTP/2, lowercase, leading blanks, a code of other than three
 *   digits, control characters in the reason => HTTP_BAD_STATUS_LINE, found
 *   at the first wrong byte.  A missing SP after the code when the line ends
 *   there ("HTTP/1.1 200") is accepted: the reason is optional anyway.
 * - Line ends: CRLF, or a bare LF (9112 2.2 allows it); a CR not followed
 *   by LF is an error of the line it is in.
 * - Interim 1xx responses (except 101) are skipped; their lines count
 *   against the header caps, which are cumulative over the whole message
 *   (interim responses, final headers and chunked trailers), so a flood of
 *   "100 Continue" is bounded too.  101 is final and has no body, as have
 *   204 and 304 (their Content-Length is ignored).
 * - Content-Length and Transfer-Encoding together => HTTP_CL_AND_TE, an
 *   error rather than following Transfer-Encoding: 9112 6.3 says such a
 *   message "ought to be handled as an error", and a health check should
 *   flag a server that frames ambiguously.
 * - Transfer-Encoding whose last coding is "chunked" => chunked; any other
 *   final coding => the body runs until the server closes (9112 6.3 rule 4).
 *   No Content-Length and no Transfer-Encoding => until close, whatever the
 *   version, and Transfer-Encoding is followed in an HTTP/1.0 response too
 *   (9112 6.1 only says such framing is suspect; the connection is closed
 *   after one response anyway).  The digest is over the bytes as sent
 *   after de-chunking (no content decoding).
 * - Content-Length: decimal digits only; a list ("5, 5") or repeated fields
 *   must all agree; anything else => HTTP_BAD_CONTENT_LENGTH.  A length over
 *   HTTP_BODY_MAX fails at once with HTTP_BODY_TOO_LARGE.
 * - A header field name is a token followed directly by ':'; a line without
 *   ':' or with blanks before it => HTTP_BAD_HEADER.  A folded line (obs-fold)
 *   continuing Content-Length or Transfer-Encoding => HTTP_BAD_HEADER; one
 *   continuing any other field is ignored like that field.
 * - Chunk sizes have at most 16 hex digits (leading zeros included, so the
 *   line is bounded and the value cannot overflow); chunk extensions are
 *   ignored but their bytes over the whole body are capped.
 * - Bytes after a complete response are ignored.
 * - A body over HTTP_BODY_MAX fails with HTTP_BODY_TOO_LARGE rather than
 *   digesting a prefix: a digest of a truncated page would be misleading.
 */
#ifndef KA_HTTP_PARSE_H
#define KA_HTTP_PARSE_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "md5.h"

/* Caps.  Header caps count every status, header and trailer line of the
 * message (interim responses included), line ends included; the chunk
 * extension cap counts chunk-size line bytes after the digits. */
#define HTTP_LINE_MAX		8192		/* one line, line end excluded */
#define HTTP_HEADERS_MAX_COUNT	100		/* header + trailer lines */
#define HTTP_HEADERS_MAX_BYTES	65536		/* status + header + trailer bytes */
#define HTTP_CHUNK_EXT_MAX	65536		/* over the whole body */
#define HTTP_BODY_MAX		(1024 * 1024)	/* de-chunked body */
#define HTTP_BODY_KEEP_MAX	65536		/* copy kept for http_body_matches() */
#define HTTP_DIGEST_LEN		16		/* MD5 */

enum http_result {
	HTTP_INCOMPLETE,		/* need more bytes */
	HTTP_DONE,			/* a complete final response */
	HTTP_BAD_STATUS_LINE,
	HTTP_STATUS_LINE_TOO_LONG,
	HTTP_HEADER_TOO_LONG,
	HTTP_TOO_MANY_HEADERS,
	HTTP_HEADERS_TOO_LARGE,
	HTTP_BAD_HEADER,
	HTTP_BAD_CONTENT_LENGTH,
	HTTP_CL_AND_TE,
	HTTP_BAD_CHUNK,
	HTTP_BODY_TOO_LARGE,
	HTTP_TRUNCATED,			/* closed before the response was complete */
	HTTP_NUL_IN_HEADER,
	HTTP_RESULT_COUNT		/* not a result */
};


/* All fields are private: use the functions below.  The struct is public
 * only so that the caller can embed it (about 72 KiB: allocate it with the
 * check, not on a small stack). */
struct http_parser {
	unsigned state;
	enum http_result result;	/* sticky once not HTTP_INCOMPLETE */
	uint16_t status;		/* of the response being parsed */
	uint8_t minor;			/* HTTP/1.<minor> */
	bool cr_pending;		/* the last byte was a CR */
	uint8_t last_field;		/* what an obs-fold line would continue */
	bool has_cl, has_te, chunked, conn_close;
	uint64_t cl;
	uint64_t remaining;		/* of the Content-Length body or the chunk */
	uint64_t body_len;		/* body bytes seen, de-chunked */
	unsigned n_headers;
	size_t header_bytes;
	size_t ext_bytes;
	size_t line_len;
	char line[HTTP_LINE_MAX];
	struct md5_ctx md;		/* of the body */
	uint8_t digest[HTTP_DIGEST_LEN];
	char digest_hex[2 * HTTP_DIGEST_LEN + 1];
	bool keep_body;
	bool body_clipped;		/* the body is longer than the copy */
	size_t body_kept;
	char body[HTTP_BODY_KEEP_MAX + 1];	/* always NUL-terminated */
};

/* Make `p` ready for one response.  With `keep_body`, the first
 * HTTP_BODY_KEEP_MAX body bytes are kept for http_body() and
 * http_body_matches().  Overwrites `p` entirely; it holds no allocation. */
void http_parser_init(struct http_parser *p, bool keep_body);

/* Parse the next `len` bytes of the response (`data` may be NULL when `len`
 * is 0).  Reads only data[0..len).  Returns HTTP_INCOMPLETE while more is
 * needed, HTTP_DONE once the final response is complete (later bytes are
 * ignored), or the reason the response is unusable.  Once the result is
 * not HTTP_INCOMPLETE it never changes, and later calls return it. */
enum http_result http_parse_feed(struct http_parser *p, const uint8_t *data, size_t len);

/* The server closed the connection (or the TLS stream ended).  Completes a
 * body that runs until close; anything else unfinished is HTTP_TRUNCATED.
 * Returns the final result. */
enum http_result http_parse_eof(struct http_parser *p);

/* The result so far: what the last feed or eof call returned. */
enum http_result http_parse_result(const struct http_parser *p);

/* A short lowercase description ("bad status line", ...), for logs;
 * "unknown" for a value outside the enum. */
const char *http_result_name(enum http_result r);

/* The status code of the final response (100..599) once its status line
 * has been parsed, else 0.  During interim responses: 0. */
unsigned http_status(const struct http_parser *p);

/* Whether the whole response, body included, has been received. */
bool http_body_complete(const struct http_parser *p);

/* Body bytes seen so far, after de-chunking. */
uint64_t http_body_len(const struct http_parser *p);

/* The MD5 digest of the body: HTTP_DIGEST_LEN bytes, or NULL before the
 * response is complete. */
const uint8_t *http_digest(const struct http_parser *p);

/* The same as 32 lowercase hex digits (as genhash prints it), or NULL
 * before the response is complete. */
const char *http_digest_hex(const struct http_parser *p);

/* Whether the server asked to close the connection ("Connection: close"
 * in the final response). */
bool http_conn_close(const struct http_parser *p);

/* The kept copy of the body (NUL-terminated after *len bytes, but it may
 * hold NUL bytes itself), or NULL when the parser does not keep the body.
 * *clipped tells whether the body was longer than the copy. */
const char *http_body(const struct http_parser *p, size_t *len, bool *clipped);

/* Run `re` over the kept copy of the body, whole: embedded NUL bytes do not
 * end it (glibc REG_STARTEND; without it, the match stops at the first NUL).
 * A body longer than HTTP_BODY_KEEP_MAX is matched on its first
 * HTTP_BODY_KEEP_MAX bytes.  Returns 1 on a match, 0 on none, -1 when the
 * body is not kept or regexec() fails otherwise.  Meaningful once the
 * response is complete. */
int http_body_matches(const struct http_parser *p, const regex_t *re);

#endif
