/* Configuration diagnostics; see diag.h.
 *
 * Everything that ends up in a message may come from a hostile or broken
 * file, so each message and file name is escaped (no raw control bytes, no
 * invalid UTF-8) and capped in size before it is stored. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* Output under construction; always NUL-terminated when cap > 0. */
struct esc_out {
	char *buf;
	size_t cap;
	size_t len;
};

static bool esc_put(struct esc_out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap)
		return false;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
	return true;
}

static bool in_range(unsigned char c, unsigned char lo, unsigned char hi)
{
	return c >= lo && c <= hi;
}

/* Length of the well-formed, printable UTF-8 sequence at s[0..n), or 0 when
 * the byte must be escaped: not UTF-8, overlong, a surrogate, beyond
 * U+10FFFF, cut short, or a C1 control character (U+0080..U+009F), which
 * some terminals obey like ESC. */
static size_t utf8_printable_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c >= 0x20 && c < 0x7f)
		return 1;
	if (in_range(c, 0xc2, 0xdf))
		len = 2;
	else if (in_range(c, 0xe0, 0xef))
		len = 3;
	else if (in_range(c, 0xf0, 0xf4))
		len = 4;
	else
		return 0;
	if (c == 0xc2)
		lo = 0xa0;		/* C2 80..9F are the C1 controls */
	else if (c == 0xe0)
		lo = 0xa0;		/* overlong */
	else if (c == 0xed)
		hi = 0x9f;		/* surrogates */
	else if (c == 0xf0)
		lo = 0x90;		/* overlong */
	else if (c == 0xf4)
		hi = 0x8f;		/* above U+10FFFF */
	if (n < len || !in_range(s[1], lo, hi))
		return 0;
	for (i = 2; i < len; i++)
		if (!in_range(s[i], 0x80, 0xbf))
			return 0;
	return len;
}

/* Escape in[0..n) into o.  When it does not all fit, or `cut` says the
 * input was already shortened, the output ends in "...".  Room for the
 * marker is kept aside from the start so it always fits. */
static void escape_into(struct esc_out *o, const char *in, size_t n, bool cut)
{
	const unsigned char *s = (const unsigned char *)in;
	struct esc_out body = { o->buf, o->cap > 4 ? o->cap - 3 : 0, o->len };
	size_t i = 0;

	if (body.cap == 0)
		return;
	while (i < n) {
		size_t len = utf8_printable_len(s + i, n - i);
		char hex[5];

		if (len > 0) {
			if (!esc_put(&body, in + i, len))
				break;
			i += len;
			continue;
		}
		snprintf(hex, sizeof(hex), "\\x%02x", s[i]);
		if (!esc_put(&body, hex, 4))
			break;
		i++;
	}
	o->len = body.len;
	if (i < n || cut)
		esc_put(o, "...", 3);
}

static const char *escape_cut(const char *text, size_t max, char *buf, size_t len)
{
	struct esc_out o = { buf, len, 0 };
	size_t n = strnlen(text, max + 1);

	if (len == 0)
		return buf;
	buf[0] = '\0';
	escape_into(&o, text, n > max ? max : n, n > max);
	return buf;
}

const char *diag_text(const char *text, char *buf, size_t len)
{
	return escape_cut(text, DIAG_TEXT_MAX, buf, len);
}

const char *diag_path(const char *path, char *buf, size_t len)
{
	return escape_cut(path, DIAG_PATH_MAX, buf, len);
}

void diags_init(struct diags *d)
{
	memset(d, 0, sizeof(*d));
}

void diags_free(struct diags *d)
{
	size_t i;

	for (i = 0; i < d->len; i++) {
		free(d->items[i].file);
		free(d->items[i].msg);
	}
	free(d->items);
	diags_init(d);
}

/* A heap copy of the escaped, capped form of s[0..n). */
static char *escaped_copy(const char *s, size_t n, bool cut, size_t max)
{
	char *buf = malloc(max + 1);
	struct esc_out o = { buf, max + 1, 0 };

	if (!buf)
		return NULL;
	buf[0] = '\0';
	escape_into(&o, s, n, cut);
	return buf;
}

static bool diags_grow(struct diags *d)
{
	size_t cap = d->cap ? d->cap * 2 : 16;
	struct diag *items;

	if (cap > DIAG_MAX)
		cap = DIAG_MAX;
	items = realloc(d->items, cap * sizeof(*items));
	if (!items)
		return false;
	d->items = items;
	d->cap = cap;
	return true;
}

void diag_verror(struct diags *d, enum diag_level lvl, const struct conf_pos *pos,
		 const char *fmt, va_list ap)
{
	char raw[DIAG_MSG_MAX * 2];
	struct diag *dg;
	int n;

	if (lvl == DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
	if (d->len >= DIAG_MAX || (d->len == d->cap && !diags_grow(d))) {
		d->dropped++;
		return;
	}
	n = vsnprintf(raw, sizeof(raw), fmt, ap);
	if (n < 0)
		n = 0;
	dg = &d->items[d->len];
	memset(dg, 0, sizeof(*dg));
	dg->level = lvl;
	dg->msg = escaped_copy(raw, strlen(raw), (size_t)n >= sizeof(raw), DIAG_MSG_MAX);
	if (pos && pos->file) {
		size_t flen = strnlen(pos->file, DIAG_FILE_MAX + 1);

		dg->file = escaped_copy(pos->file, flen, flen > DIAG_FILE_MAX, DIAG_FILE_MAX);
		dg->line = pos->line;
		dg->col = pos->col;
	}
	if (!dg->msg || (pos && pos->file && !dg->file)) {
		free(dg->msg);
		free(dg->file);
		d->dropped++;
		return;
	}
	d->len++;
}

void diag_error(struct diags *d, const struct conf_pos *pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(d, DIAG_ERROR, pos, fmt, ap);
	va_end(ap);
}

void diag_warn(struct diags *d, const struct conf_pos *pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(d, DIAG_WARNING, pos, fmt, ap);
	va_end(ap);
}

const char *diag_format(const struct diag *dg, char *buf, size_t len)
{
	const char *level = dg->level == DIAG_ERROR ? "error" : "warning";

	if (!dg->file)
		snprintf(buf, len, "%s: %s", level, dg->msg);
	else if (dg->line == 0)
		snprintf(buf, len, "%s: %s: %s", dg->file, level, dg->msg);
	else if (dg->col == 0)
		snprintf(buf, len, "%s:%u: %s: %s", dg->file, dg->line, level, dg->msg);
	else
		snprintf(buf, len, "%s:%u:%u: %s: %s", dg->file, dg->line, dg->col, level,
			 dg->msg);
	return buf;
}

void diags_print(const struct diags *d, FILE *out)
{
	char line[DIAG_FILE_MAX + DIAG_MSG_MAX + 64];
	size_t i;

	for (i = 0; i < d->len; i++)
		fprintf(out, "%s\n", diag_format(&d->items[i], line, sizeof(line)));
	if (d->dropped)
		fprintf(out, "%u more errors and warnings not shown\n", d->dropped);
}
