/* Helpers shared by the configuration unit tests: scratch directories and
 * files, parsing through a recording snapshot, and checks on diagnostics
 * and trees written as short strings.
 *
 * Every helper fails the running cmocka test on a setup error (a file that
 * cannot be written, ...), so tests need not check their results. */
#ifndef KA_UNIT_UTIL_H
#define KA_UNIT_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "conf_tree.h"
#include "diag.h"
#include "snapshot.h"

/* A new empty directory under /tmp (malloc'd path, no trailing '/'). */
char *ut_tmpdir(void);

/* Remove `dir` and everything under it; symbolic links are removed, never
 * followed.  Missing is fine. */
void ut_rmtree(const char *dir);

/* "dir/rel", malloc'd. */
char *ut_path(const char *dir, const char *rel);

/* Write data[0..len) (or a NUL-terminated text) to dir/rel, creating the
 * directories of `rel` as needed.  Returns the full path, malloc'd. */
char *ut_write_bytes(const char *dir, const char *rel, const void *data, size_t len);
char *ut_write(const char *dir, const char *rel, const char *text);

/* The result of parsing through a recorder. */
struct ut_parse {
	struct snapshot *snap;
	struct conf_node *root;
	struct diags d;
};

/* Parse the file `path` through a new recorder. */
void ut_parse_file(struct ut_parse *p, const char *path);

/* Write `text` to dir/keepalived.conf and parse it. */
void ut_parse_text(struct ut_parse *p, const char *dir, const char *text);

/* Same with data that may hold NUL bytes. */
void ut_parse_bytes(struct ut_parse *p, const char *dir, const void *data, size_t len);

void ut_parse_free(struct ut_parse *p);

/* Print every diagnostic to stderr (for failing tests). */
void ut_print_diags(const struct diags *d);

/* Whether one of the diagnostics formats (diag_format) exactly as the
 * printf-formatted line, e.g.
 *   ut_has_diag(d, "%s/keepalived.conf:3:5: error: unknown keyword 'x' in y", dir) */
bool ut_has_diag(const struct diags *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Fail the test, printing all diagnostics, when that line is missing. */
void ut_assert_diag(const struct diags *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Fail the test, printing all diagnostics, unless the totals are these. */
void ut_assert_counts(const struct diags *d, unsigned errors, unsigned warnings);

/* A tree as one line: statements separated by "; ", a block as
 * " { ... }", quoted words in double quotes, e.g.
 *   a b { c; d "e f" }; g
 * With `positions`, each word and `{` is followed by @file:line:col.
 * The argument is a root or any node with children; malloc'd result. */
char *ut_dump(const struct conf_node *n, bool positions);

/* Fail the test unless ut_dump(root, false) is `expected`. */
void ut_assert_tree(const struct conf_node *root, const char *expected);

/* A word at "test.conf:2:7" for the value parsers; text is borrowed. */
struct conf_word ut_word(const char *text);

/* Fill buf with len bytes from a fixed-seed generator (reproducible). */
void ut_random_bytes(void *buf, size_t len, unsigned long long seed);

#endif
