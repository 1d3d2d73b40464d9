/* Helpers shared by the configuration unit tests; see unit_util.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit_util.h"

char *ut_tmpdir(void)
{
	char *dir = strdup("/tmp/ka-unit-XXXXXX");

	assert_non_null(dir);
	if (!mkdtemp(dir))
		fail_msg("mkdtemp: %s", strerror(errno));
	return dir;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) < 0 && errno != ENOENT)
		fprintf(stderr, "cannot remove %s: %s\n", path, strerror(errno));
	return 0;
}

void ut_rmtree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *ut_path(const char *dir, const char *rel)
{
	char *p = NULL;

	if (asprintf(&p, "%s/%s", dir, rel) < 0)
		fail_msg("out of memory");
	return p;
}

/* mkdir -p for the directories above the file `path`. */
static void make_parents(const char *path)
{
	char *copy = strdup(path);
	char *slash;

	assert_non_null(copy);
	for (slash = strchr(copy + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(copy, 0755) < 0 && errno != EEXIST)
			fail_msg("mkdir %s: %s", copy, strerror(errno));
		*slash = '/';
	}
	free(copy);
}

char *ut_write_bytes(const char *dir, const char *rel, const void *data, size_t len)
{
	char *path = ut_path(dir, rel);
	const char *p = data;
	int fd;

	make_parents(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n <= 0)
			fail_msg("write %s: %s", path, strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	close(fd);
	return path;
}

char *ut_write(const char *dir, const char *rel, const char *text)
{
	return ut_write_bytes(dir, rel, text, strlen(text));
}

void ut_parse_file(struct ut_parse *p, const char *path)
{
	memset(p, 0, sizeof(*p));
	diags_init(&p->d);
	p->snap = snapshot_recorder();
	assert_non_null(p->snap);
	p->root = conf_parse(p->snap, path, &p->d);
	assert_non_null(p->root);
}

void ut_parse_bytes(struct ut_parse *p, const char *dir, const void *data, size_t len)
{
	char *path = ut_write_bytes(dir, "keepalived.conf", data, len);

	ut_parse_file(p, path);
	free(path);
}

void ut_parse_text(struct ut_parse *p, const char *dir, const char *text)
{
	ut_parse_bytes(p, dir, text, strlen(text));
}

void ut_parse_free(struct ut_parse *p)
{
	conf_tree_free(p->root);
	snapshot_free(p->snap);
	diags_free(&p->d);
	memset(p, 0, sizeof(*p));
}

void ut_print_diags(const struct diags *d)
{
	fprintf(stderr, "--- %u errors, %u warnings, %u dropped:\n", d->errors, d->warnings,
		d->dropped);
	diags_print(d, stderr);
}

static bool has_line(const struct diags *d, const char *want)
{
	char line[DIAG_FILE_MAX + DIAG_MSG_MAX + 64];
	size_t i;

	for (i = 0; i < d->len; i++)
		if (strcmp(diag_format(&d->items[i], line, sizeof(line)), want) == 0)
			return true;
	return false;
}

bool ut_has_diag(const struct diags *d, const char *fmt, ...)
{
	char *want = NULL;
	va_list ap;
	bool found;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&want, fmt, ap);
	va_end(ap);
	if (n < 0)
		fail_msg("out of memory");
	found = has_line(d, want);
	free(want);
	return found;
}

void ut_assert_diag(const struct diags *d, const char *fmt, ...)
{
	char *want = NULL;
	va_list ap;
	bool found;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&want, fmt, ap);
	va_end(ap);
	if (n < 0)
		fail_msg("out of memory");
	found = has_line(d, want);
	if (!found) {
		ut_print_diags(d);
		fprintf(stderr, "--- missing: %s\n", want);
	}
	free(want);
	if (!found)
		fail_msg("diagnostic not found");
}

void ut_assert_counts(const struct diags *d, unsigned errors, unsigned warnings)
{
	if (d->errors != errors || d->warnings != warnings) {
		ut_print_diags(d);
		fail_msg("expected %u errors and %u warnings, got %u and %u", errors, warnings,
			 d->errors, d->warnings);
	}
}

static void dump_pos(FILE *f, const struct conf_pos *pos, bool positions)
{
	if (positions)
		fprintf(f, "@%s:%u:%u", pos->file ? pos->file : "?", pos->line, pos->col);
}

static void dump_node(FILE *f, const struct conf_node *n, bool positions);

static void dump_children(FILE *f, const struct conf_node *n, bool positions)
{
	size_t i;

	for (i = 0; i < n->nchildren; i++) {
		if (i > 0)
			fputs("; ", f);
		dump_node(f, &n->children[i], positions);
	}
}

static void dump_node(FILE *f, const struct conf_node *n, bool positions)
{
	size_t i;

	for (i = 0; i < n->nwords; i++) {
		const struct conf_word *w = &n->words[i];

		fprintf(f, i ? " %s%s%s" : "%s%s%s", w->quoted ? "\"" : "", w->text,
			w->quoted ? "\"" : "");
		dump_pos(f, &w->pos, positions);
	}
	if (!n->has_block)
		return;
	fputs(" {", f);
	dump_pos(f, &n->block_pos, positions);
	fputs(n->nchildren ? " " : "", f);
	dump_children(f, n, positions);
	fputs(" }", f);
}

char *ut_dump(const struct conf_node *n, bool positions)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	if (n->nwords == 0)
		dump_children(f, n, positions);
	else
		dump_node(f, n, positions);
	fclose(f);
	return out;
}

void ut_assert_tree(const struct conf_node *root, const char *expected)
{
	char *got = ut_dump(root, false);
	bool same = strcmp(got, expected) == 0;

	if (!same)
		fprintf(stderr, "--- expected tree: %s\n--- got tree:      %s\n", expected, got);
	free(got);
	if (!same)
		fail_msg("tree mismatch");
}

struct conf_word ut_word(const char *text)
{
	struct conf_word w;

	memset(&w, 0, sizeof(w));
	w.text = (char *)(uintptr_t)text;
	w.pos.file = "test.conf";
	w.pos.line = 2;
	w.pos.col = 7;
	return w;
}

void ut_random_bytes(void *buf, size_t len, unsigned long long seed)
{
	unsigned char *p = buf;
	uint64_t x = seed ? seed : 1;
	size_t i;

	for (i = 0; i < len; i++) {
		/* xorshift64: fixed, portable, good enough for garbage input */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (unsigned char)(x >> 32);
	}
}
