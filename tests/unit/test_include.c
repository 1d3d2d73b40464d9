/* Unit tests for `include` and for configuration snapshots: relative and
 * glob includes, errors at the include statement, loops and depth bombs
 * (BI-C01), and the sealed snapshot: a replayed parse matches the recorded
 * one exactly, the memfd cannot be written, and truncated or corrupt
 * snapshots are refused. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf_tree.h"
#include "snapshot.h"
#include "unit_util.h"

static int setup_dir(void **state)
{
	*state = ut_tmpdir();
	return 0;
}

static int teardown_dir(void **state)
{
	ut_rmtree(*state);
	free(*state);
	return 0;
}

static void expect_tree(const char *dir, const char *text, const char *tree)
{
	struct ut_parse p;

	ut_parse_text(&p, dir, text);
	ut_assert_counts(&p.d, 0, 0);
	ut_assert_tree(p.root, tree);
	ut_parse_free(&p);
}

static void write_file(const char *dir, const char *rel, const char *text)
{
	free(ut_write(dir, rel, text));
}

/* ---- includes -------------------------------------------------------- */

static void test_relative_include(void **state)
{
	const char *dir = *state;
	struct ut_parse p;
	char *got, *want = NULL;

	write_file(dir, "sub/b.conf", "b1\ninclude c.conf\n  b2\n");
	write_file(dir, "sub/c.conf", "c1");
	expect_tree(dir, "a\ninclude sub/b.conf\nz\n", "a; b1; c1; b2; z");

	/* Positions point into the included files. */
	ut_parse_text(&p, dir, "a\ninclude sub/b.conf\n");
	got = ut_dump(p.root, true);
	assert_true(asprintf(&want, "a@%1$s/keepalived.conf:1:1; b1@%1$s/sub/b.conf:1:1; "
			     "c1@%1$s/sub/c.conf:1:1; b2@%1$s/sub/b.conf:3:3", dir) > 0);
	assert_string_equal(got, want);
	free(got);
	free(want);
	ut_parse_free(&p);

	/* "." and empty components are tidied away; absolute paths work. */
	ut_parse_text(&p, dir, "include ./sub//./c.conf\n");
	ut_assert_counts(&p.d, 0, 0);
	got = ut_dump(p.root, true);
	assert_true(asprintf(&want, "c1@%s/sub/c.conf:1:1", dir) > 0);
	assert_string_equal(got, want);
	free(got);
	free(want);
	ut_parse_free(&p);
	assert_true(asprintf(&want, "include %s/sub/c.conf\n", dir) > 0);
	expect_tree(dir, want, "c1");
	free(want);
}

static void test_glob_sorted(void **state)
{
	const char *dir = *state;

	write_file(dir, "conf.d/20.conf", "twenty\n");
	write_file(dir, "conf.d/10.conf", "ten\n");
	write_file(dir, "conf.d/3.conf", "three\n");
	write_file(dir, "conf.d/b.txt", "other\n");
	write_file(dir, "conf.d/a.conf", "a { x }\n");
	expect_tree(dir, "first\ninclude conf.d/*.conf\nlast\n",
		    "first; ten; twenty; three; a { x }; last");
	expect_tree(dir, "include conf.d/?0.conf\n", "ten; twenty");
	expect_tree(dir, "include \"conf.d/[ab].*\"\n", "a { x }; other");
}

static void test_glob_escapes_directory(void **state)
{
	const char *dir = *state;

	/* The including file's directory is literal even with glob magic. */
	write_file(dir, "d[1]/keepalived.conf", "include *.inc\n");
	write_file(dir, "d[1]/x.inc", "x\n");
	write_file(dir, "d1/y.inc", "y\n");
	{
		struct ut_parse p;
		char *path = ut_path(dir, "d[1]/keepalived.conf");

		ut_parse_file(&p, path);
		ut_assert_counts(&p.d, 0, 0);
		ut_assert_tree(p.root, "x");
		ut_parse_free(&p);
		free(path);
	}
}

static void test_include_in_block(void **state)
{
	const char *dir = *state;

	write_file(dir, "inner.conf", "b 1\nc { d }\n");
	expect_tree(dir, "a {\n  include inner.conf\n  e\n}\n", "a { b 1; c { d }; e }");
	expect_tree(dir, "a { include inner.conf }\n", "a { b 1; c { d } }");
	/* The same file twice is not a loop. */
	expect_tree(dir, "include inner.conf\ninclude inner.conf\n", "b 1; c { d }; b 1; c { d }");
}

static void test_include_errors(void **state)
{
	const char *dir = *state;
	struct ut_parse p;

	write_file(dir, "sub/x.conf", "x\n");
	ut_parse_text(&p, dir,
		      "a\n  include nope.conf\ninclude none/*.conf\ninclude\ninclude a b\n"
		      "include sub/x.conf { y }\ninclude sub\n");
	ut_assert_diag(&p.d, "%s/keepalived.conf:2:3: error: include file '%s/nope.conf' not found",
		       dir, dir);
	ut_assert_diag(&p.d,
		       "%s/keepalived.conf:3:1: warning: include pattern '%s/none/*.conf' matches "
		       "no file", dir, dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:4:1: error: 'include' takes 1 argument, got 0",
		       dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:5:1: error: 'include' takes 1 argument, got 2",
		       dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:6:20: error: 'include' does not take a block",
		       dir);
	ut_assert_diag(&p.d,
		       "%s/keepalived.conf:7:1: error: cannot read include file '%s/sub': Is a "
		       "directory", dir, dir);
	ut_assert_counts(&p.d, 5, 1);
	ut_assert_tree(p.root, "a");
	ut_parse_free(&p);
}

static void test_include_braces_per_file(void **state)
{
	const char *dir = *state;
	struct ut_parse p;

	/* An included file can neither close nor leave open a block. */
	write_file(dir, "close.conf", "b\n}\n");
	write_file(dir, "open.conf", "c {\nd\n");
	ut_parse_text(&p, dir, "a {\n include close.conf\n include open.conf\n e\n}\n");
	ut_assert_diag(&p.d, "%s/close.conf:2:1: error: unexpected '}'", dir);
	ut_assert_diag(&p.d, "%s/open.conf:1:3: error: unclosed '{' of 'c'", dir);
	ut_assert_counts(&p.d, 2, 0);
	ut_assert_tree(p.root, "a { b; c { d }; e }");
	ut_parse_free(&p);
}

static void test_include_loops(void **state)
{
	const char *dir = *state;
	struct ut_parse p;

	ut_parse_text(&p, dir, "a\ninclude keepalived.conf\n");
	ut_assert_diag(&p.d,
		       "%s/keepalived.conf:2:1: error: include loop: '%s/keepalived.conf' is "
		       "already being read", dir, dir);
	ut_assert_counts(&p.d, 1, 0);
	ut_assert_tree(p.root, "a");
	ut_parse_free(&p);

	write_file(dir, "b.conf", "b\n include ./keepalived.conf\n");
	ut_parse_text(&p, dir, "a\ninclude b.conf\n");
	ut_assert_diag(&p.d,
		       "%s/b.conf:2:2: error: include loop: '%s/keepalived.conf' is already "
		       "being read", dir, dir);
	ut_assert_counts(&p.d, 1, 0);
	ut_assert_tree(p.root, "a; b");
	ut_parse_free(&p);

	/* A glob that matches its own file. */
	write_file(dir, "g/a.conf", "include *.conf\n");
	write_file(dir, "g/b.conf", "gb\n");
	ut_parse_text(&p, dir, "include g/a.conf\n");
	ut_assert_diag(&p.d, "%s/g/a.conf:1:1: error: include loop: '%s/g/a.conf' is already "
		       "being read", dir, dir);
	ut_assert_counts(&p.d, 1, 0);
	ut_assert_tree(p.root, "gb");
	ut_parse_free(&p);
}

static void test_include_depth_bomb(void **state)
{
	const char *dir = *state;
	struct ut_parse p;
	char name[32], text[64];
	int i;

	for (i = 1; i < 40; i++) {
		snprintf(name, sizeof(name), "f%d.conf", i);
		snprintf(text, sizeof(text), "x%d\ninclude f%d.conf\n", i, i + 1);
		write_file(dir, name, text);
	}
	ut_parse_text(&p, dir, "x0\ninclude f1.conf\n");
	ut_assert_diag(&p.d, "%s/f%d.conf:2:1: error: includes nested deeper than %d levels",
		       dir, CONF_MAX_INCLUDE_DEPTH, CONF_MAX_INCLUDE_DEPTH);
	ut_assert_counts(&p.d, 1, 0);
	assert_int_equal(p.root->nchildren, CONF_MAX_INCLUDE_DEPTH + 1);
	ut_parse_free(&p);
}

static bool has_message(const struct diags *d, const char *part)
{
	size_t i;

	for (i = 0; i < d->len; i++)
		if (strstr(d->items[i].msg, part))
			return true;
	return false;
}

/* Globs of globs multiply: 4 files per level over 8 levels would be 87380
 * inclusions without the whole-parse limit. */
static void test_include_fan_out(void **state)
{
	const char *dir = *state;
	char name[64], text[64], want[64];
	struct ut_parse p;
	int level, f;

	for (level = 1; level <= 8; level++) {
		for (f = 0; f < 4; f++) {
			snprintf(name, sizeof(name), "L%d/%c.conf", level, 'a' + f);
			snprintf(text, sizeof(text), "x\ninclude ../L%d/*.conf\n", level + 1);
			write_file(dir, name, level < 8 ? text : "x\n");
		}
	}
	ut_parse_text(&p, dir, "include L1/*.conf\n");
	snprintf(want, sizeof(want), "more than %u included files", CONF_MAX_INCLUDES);
	assert_true(has_message(&p.d, want));
	ut_assert_counts(&p.d, 1, 0);
	assert_int_equal(p.root->nchildren, CONF_MAX_INCLUDES);
	ut_parse_free(&p);
}

static void test_glob_too_many(void **state)
{
	const char *dir = *state;
	struct ut_parse p;
	char name[32];
	int i;

	for (i = 0; i <= SNAPSHOT_MAX_GLOB; i++) {
		snprintf(name, sizeof(name), "many/%05d.conf", i);
		write_file(dir, name, "");
	}
	ut_parse_text(&p, dir, "include many/*\n");
	ut_assert_diag(&p.d, "%s/keepalived.conf:1:1: error: include pattern '%s/many/*' matches "
		       "more than %d files", dir, dir, SNAPSHOT_MAX_GLOB);
	ut_assert_counts(&p.d, 1, 0);
	ut_parse_free(&p);
}

/* ---- the snapshot itself --------------------------------------------- */

static void test_recorder_answers(void **state)
{
	const char *dir = *state;
	struct snapshot *s = snapshot_recorder();
	char *path = ut_write(dir, "f.conf", "one\n");
	char *fifo = ut_path(dir, "fifo");
	char *big = ut_path(dir, "big");
	const char *const *paths;
	const char *data;
	size_t len, n;
	int err, fd;

	assert_null(snapshot_root(s));
	assert_int_equal(snapshot_file(s, path, &data, &len, &err), 0);
	assert_string_equal(snapshot_root(s), path);
	assert_int_equal(len, 4);
	assert_memory_equal(data, "one\n", 4);
	/* Later questions get the first answer, whatever the disk says. */
	free(ut_write(dir, "f.conf", "changed\n"));
	assert_int_equal(snapshot_file(s, path, &data, &len, &err), 0);
	assert_int_equal(len, 4);

	assert_int_equal(snapshot_file(s, dir, &data, &len, &err), -1);
	assert_int_equal(err, EISDIR);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(snapshot_file(s, fifo, &data, &len, &err), -1);
	assert_int_equal(err, EINVAL);
	fd = open(big, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)SNAPSHOT_MAX_FILE_SIZE + 1), 0);
	close(fd);
	assert_int_equal(snapshot_file(s, big, &data, &len, &err), -1);
	assert_int_equal(err, EFBIG);
	assert_int_equal(snapshot_file(s, "/nonexistent/x", &data, &len, &err), -1);
	assert_int_equal(err, ENOENT);

	assert_int_equal(snapshot_glob(s, "/nonexistent/*", &paths, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_string_equal(snapshot_root(s), path);
	snapshot_free(s);
	free(path);
	free(fifo);
	free(big);
}

/* A parse rendered as text: the tree with positions, then every diagnostic. */
static char *render(const struct conf_node *root, const struct diags *d)
{
	char line[DIAG_FILE_MAX + DIAG_MSG_MAX + 64];
	char *tree = ut_dump(root, true), *out = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	fprintf(f, "%s\n", tree);
	for (i = 0; i < d->len; i++)
		fprintf(f, "%s\n", diag_format(&d->items[i], line, sizeof(line)));
	fclose(f);
	free(tree);
	return out;
}

/* Record a configuration with includes, globs and errors; seal it. */
static int record_sample(const char *dir, char **rendered, char **root_path)
{
	struct ut_parse p;
	int fd;

	write_file(dir, "conf.d/1.conf", "vrrp_instance A {\n  include ../common.conf\n}\n");
	write_file(dir, "conf.d/2.conf", "vrrp_instance B { priority 2 }\n");
	write_file(dir, "common.conf", "priority 1\nbad \"quote\n");
	ut_parse_text(&p, dir,
		      "global_defs {\n  router_id r1\n}\ninclude conf.d/*.conf\n"
		      "include missing.conf\ninclude nothing/*.conf\n}\n");
	assert_int_equal(p.d.errors, 3);
	assert_int_equal(p.d.warnings, 1);
	*rendered = render(p.root, &p.d);
	*root_path = strdup(snapshot_root(p.snap));
	fd = snapshot_seal(p.snap);
	assert_true(fd >= 0);
	ut_parse_free(&p);
	return fd;
}

static void test_snapshot_round_trip(void **state)
{
	const char *dir = *state;
	char *recorded, *replayed, *root, err[256] = "";
	struct snapshot *s;
	struct diags d;
	struct conf_node *tree;
	const char *const *paths;
	const char *data;
	size_t len, n;
	int fd, e;

	fd = record_sample(dir, &recorded, &root);
	ut_rmtree(dir);
	s = snapshot_open_fd(fd, err, sizeof(err));
	assert_non_null(s);
	close(fd);	/* the snapshot holds its own copy */
	assert_string_equal(snapshot_root(s), root);
	diags_init(&d);
	tree = conf_parse(s, root, &d);
	replayed = render(tree, &d);
	assert_string_equal(replayed, recorded);
	/* A replayer never looks at the disk. */
	assert_int_equal(snapshot_file(s, "/etc/hostname", &data, &len, &e), -1);
	assert_int_equal(e, ENOENT);
	assert_int_equal(snapshot_glob(s, "/etc/*", &paths, &n, &e), -1);
	assert_int_equal(e, ENOENT);
	conf_tree_free(tree);
	diags_free(&d);
	snapshot_free(s);
	free(recorded);
	free(replayed);
	free(root);
}

static void test_snapshot_sealed(void **state)
{
	char *rendered, *root;
	int fd = record_sample(*state, &rendered, &root);
	void *map;

	errno = 0;
	assert_int_equal(pwrite(fd, "x", 1, 0), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(write(fd, "x", 1), -1);
	assert_int_equal(ftruncate(fd, 0), -1);
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(map == MAP_FAILED);
	assert_true(fcntl(fd, F_GET_SEALS) & F_SEAL_SEAL);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	free(rendered);
	free(root);
}

/* A fresh memfd holding data[0..len). */
static int memfd_with(const char *data, size_t len)
{
	int fd = memfd_create("test-snapshot", MFD_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	return fd;
}

static void expect_refused(const char *data, size_t len)
{
	char err[256] = "";
	int fd = memfd_with(data, len);
	struct snapshot *s = snapshot_open_fd(fd, err, sizeof(err));

	if (s)
		fail_msg("a damaged snapshot of %zu bytes was accepted", len);
	assert_true(err[0] != '\0');
	close(fd);
}

static void test_snapshot_corrupt(void **state)
{
	char *rendered, *root, err[256];
	int fd = record_sample(*state, &rendered, &root);
	struct stat st;
	char *data, *copy;
	size_t size, i;
	int good;

	assert_int_equal(fstat(fd, &st), 0);
	size = (size_t)st.st_size;
	data = malloc(size);
	copy = malloc(size);
	assert_int_equal(pread(fd, data, size, 0), (ssize_t)size);
	close(fd);

	/* The intact copy opens. */
	good = memfd_with(data, size);
	{
		struct snapshot *s = snapshot_open_fd(good, err, sizeof(err));

		if (!s)
			fail_msg("intact copy refused: %s", err);
		snapshot_free(s);
	}
	close(good);

	for (i = 0; i < size; i++)
		expect_refused(data, i);
	for (i = 0; i < size; i++) {
		memcpy(copy, data, size);
		copy[i] ^= 0x5a;
		expect_refused(copy, size);
	}
	/* Lengths blown up to huge values in the header. */
	memcpy(copy, data, size);
	memset(copy + 16, 0xff, 8);
	expect_refused(copy, size);
	memset(copy + 12, 0xff, 4);
	expect_refused(copy, size);
	/* Not a regular file at all. */
	{
		int pipefd[2];

		assert_int_equal(pipe(pipefd), 0);
		assert_null(snapshot_open_fd(pipefd[0], err, sizeof(err)));
		close(pipefd[0]);
		close(pipefd[1]);
	}
	free(data);
	free(copy);
	free(rendered);
	free(root);
}

static void test_empty_snapshot(void **state)
{
	struct snapshot *rec = snapshot_recorder(), *s;
	char err[256];
	int fd;

	(void)state;
	fd = snapshot_seal(rec);
	assert_true(fd >= 0);
	s = snapshot_open_fd(fd, err, sizeof(err));
	assert_non_null(s);
	assert_null(snapshot_root(s));
	snapshot_free(s);
	snapshot_free(rec);
	close(fd);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_dir, teardown_dir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_relative_include),
		T(test_glob_sorted),
		T(test_glob_escapes_directory),
		T(test_include_in_block),
		T(test_include_errors),
		T(test_include_braces_per_file),
		T(test_include_loops),
		T(test_include_depth_bomb),
		T(test_include_fan_out),
		T(test_glob_too_many),
		T(test_recorder_answers),
		T(test_snapshot_round_trip),
		T(test_snapshot_sealed),
		T(test_snapshot_corrupt),
		T(test_empty_snapshot),
	};

	return cmocka_run_group_tests_name("include", tests, NULL, NULL);
}
