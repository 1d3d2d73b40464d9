/* SMTP replies and DATA encoding (RFC 5321 4.2 and 4.5.2). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "smtp_proto.h"

void smtp_reply_reset(struct smtp_reply *r)
{
	memset(r, 0, sizeof(*r));
}

static int line_code(const char *line)
{
	for (int i = 0; i < 3; i++)
		if (line[i] < '0' || line[i] > '9')
			return -1;
	return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

int smtp_reply_feed(struct smtp_reply *r, const char *line, size_t len)
{
	int code;
	bool last;

	if (len < 3 || len >= SMTP_LINE_MAX)
		return -1;
	code = line_code(line);
	if (code < 200 || code > 599 || (r->code && code != r->code))
		return -1;
	if (len > 3 && line[3] != ' ' && line[3] != '-')
		return -1;
	last = len == 3 || line[3] == ' ';
	r->code = code;
	/* The text reaches our logs: no control characters from the network. */
	for (size_t i = 4; i < len; i++)
		r->text[i - 4] = (unsigned char)line[i] < ' ' || line[i] == 0x7f ? '?' : line[i];
	r->text[len > 4 ? len - 4 : 0] = '\0';
	r->complete = last;
	return last ? 1 : 0;
}

/* Worst case every byte is a line end that grows to CRLF or a dot that is
 * doubled: twice the input, plus the final CRLF and ".\r\n". */
char *smtp_data_encode(const char *text, size_t *len)
{
	size_t n = strlen(text);
	char *out = malloc(2 * n + 6), *o = out;
	bool line_start = true;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = text[i];

		if (c == '\r' || c == '\n') {
			if (c == '\r' && text[i + 1] == '\n')
				i++;
			*o++ = '\r';
			*o++ = '\n';
			line_start = true;
			continue;
		}
		if (line_start && c == '.')
			*o++ = '.';
		*o++ = c;
		line_start = false;
	}
	if (!line_start) {
		*o++ = '\r';
		*o++ = '\n';
	}
	memcpy(o, ".\r\n", 4);
	*len = (size_t)(o - out) + 3;
	return out;
}
