/* Configuration diagnostics: every error and warning found while reading a
 * configuration, each with the position it refers to.  Parsing never stops at
 * the first problem; callers collect everything and print it at once. */
#ifndef KA_DIAG_H
#define KA_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A position in a configuration file.  `file` points to a name owned by the
 * tree that conf_parse() returned and stays valid as long as that tree
 * lives.  Lines and columns count from 1 (columns in bytes, a tab is one);
 * a NULL file means "no position" (e.g. whole config). */
struct conf_pos {
	const char *file;
	unsigned line;
	unsigned col;
};

enum diag_level { DIAG_ERROR, DIAG_WARNING };

struct diag {
	enum diag_level level;
	char *file;		/* copied: diagnostics outlive the snapshot */
	unsigned line, col;
	char *msg;
};

/* After DIAG_MAX messages further ones are only counted, so a binary file
 * fed as a config cannot make the error list grow without bound. */
#define DIAG_MAX 200

struct diags {
	struct diag *items;
	size_t len, cap;
	unsigned errors, warnings;	/* totals, including the dropped ones */
	unsigned dropped;
};

void diags_init(struct diags *d);
void diags_free(struct diags *d);

/* Record an error or a warning at `pos` (which may be NULL). */
void diag_error(struct diags *d, const struct conf_pos *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warn(struct diags *d, const struct conf_pos *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_verror(struct diags *d, enum diag_level lvl, const struct conf_pos *pos,
		 const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

/* Stored messages and file names are cut to these many bytes (after
 * escaping), so no input can make one diagnostic arbitrarily large. */
#define DIAG_MSG_MAX	1024
#define DIAG_FILE_MAX	1024

/* User text shown in a message keeps at most DIAG_TEXT_MAX input bytes;
 * DIAG_TEXT_BUF is a buffer size that always holds the result. */
#define DIAG_TEXT_MAX	64
#define DIAG_TEXT_BUF	(DIAG_TEXT_MAX * 4 + 4)

/* Render user text for a message: control characters, DEL and bytes that
 * are not valid UTF-8 become \xNN, and text longer than DIAG_TEXT_MAX bytes
 * is cut and ends in "...".  Callers add the quotes ("'%s'").  Returns buf.
 * diag_error() also escapes the whole message, so a caller that forgets
 * this can make a long message but never a raw control character. */
const char *diag_text(const char *text, char *buf, size_t len);

/* The same for a file name or pattern, which an operator needs whole to act
 * on: up to DIAG_PATH_MAX bytes are kept. */
#define DIAG_PATH_MAX	512
#define DIAG_PATH_BUF	(DIAG_PATH_MAX * 4 + 4)
const char *diag_path(const char *path, char *buf, size_t len);

/* Format one diagnostic as "file:line:col: error: msg" (or "warning:"),
 * without the position part when it has none.  Returns `buf`. */
const char *diag_format(const struct diag *dg, char *buf, size_t len);

/* Print every diagnostic, one per line, then a "N more not shown" line if
 * some were dropped. */
void diags_print(const struct diags *d, FILE *out);

#endif
