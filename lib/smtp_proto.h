/* The pure parts of SMTP (RFC 5321), apart from any socket so they can be
 * unit-tested: reading a reply, possibly spread over several lines, and
 * turning a message into the bytes that follow DATA. */
#ifndef KA_SMTP_PROTO_H
#define KA_SMTP_PROTO_H

#include <stdbool.h>
#include <stddef.h>

/* RFC 5321 4.5.3.1.5: a reply line is at most 512 bytes with its CRLF.
 * Longer lines are a protocol error, which keeps our buffers bounded. */
#define SMTP_LINE_MAX	512

/* A reply being read, line by line.  `text` keeps the last line's text
 * (after the code), for logs, with control characters turned into '?'. */
struct smtp_reply {
	int code;		/* 0 until the first line is read */
	bool complete;
	char text[SMTP_LINE_MAX];
};

void smtp_reply_reset(struct smtp_reply *r);

/* Feed one reply line of `len` bytes, without its line end.  Every line of
 * a reply is "NNN-text" except the last, "NNN text" or just "NNN"; all carry
 * the same code.  Returns 1 when the reply is complete (r->code is its code),
 * 0 when more lines follow, -1 when the line is malformed (no 3-digit code
 * in 200..599, a bad separator, a code that changed mid-reply, a line that
 * is too long).  After 1 or -1, reset before the next reply. */
int smtp_reply_feed(struct smtp_reply *r, const char *line, size_t len);

/* The class of a code: 2 (done), 3 (go on), 4 (try later), 5 (refused). */
static inline int smtp_code_class(int code)
{
	return code / 100;
}

/* The DATA payload for `text`: each line end (LF, CRLF or a lone CR)
 * becomes CRLF, a line that starts with '.' gets one more '.' in front
 * (RFC 5321 4.5.2), the text ends with CRLF whatever it ended with, and the
 * terminating ".\r\n" follows.  NUL-terminated; *len gets its length.
 * Returns NULL when out of memory. */
char *smtp_data_encode(const char *text, size_t *len);

#endif
