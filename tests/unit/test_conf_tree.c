/* Unit tests for the configuration syntax (conf_tree, its lexer and the
 * diagnostics): words, quotes, comments, blocks, positions, and the bad
 * inputs of BI-C01/BI-C02 (NUL, CRLF, long lines, unbalanced and deep
 * braces, binary garbage, missing and non-regular files). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "conf_tree.h"
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

/* Parse `text`, expect the tree `tree` and no diagnostics at all. */
static void expect_clean(const char *dir, const char *text, const char *tree)
{
	struct ut_parse p;

	ut_parse_text(&p, dir, text);
	ut_assert_counts(&p.d, 0, 0);
	ut_assert_tree(p.root, tree);
	ut_parse_free(&p);
}

static double elapsed_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

/* ---- words, quotes, comments ---------------------------------------- */

static void test_words(void **state)
{
	expect_clean(*state, "a b\tc  d\n  e\n", "a b c d; e");
	expect_clean(*state, "path /a\\b c,d x=y\n", "path /a\\b c,d x=y");
}

static void test_quotes(void **state)
{
	struct ut_parse p;

	expect_clean(*state, "a \"b c\" \"\" \"{ } # !\"\n", "a \"b c\" \"\" \"{ } # !\"");
	expect_clean(*state, "a \"x\\\"y\" \"p\\\\q\" \"r\\ns\"\n",
		     "a \"x\"y\" \"p\\q\" \"r\\ns\"");
	/* Parts written together make one word. */
	expect_clean(*state, "a\"b c\"d \"e\"f\n", "\"ab cd\" \"ef\"");
	/* A tab inside quotes is kept. */
	ut_parse_text(&p, *state, "a \"b\tc\"\n");
	ut_assert_counts(&p.d, 0, 0);
	assert_string_equal(p.root->children[0].words[1].text, "b\tc");
	assert_true(p.root->children[0].words[1].quoted);
	assert_false(p.root->children[0].words[0].quoted);
	ut_parse_free(&p);
}

static void test_comments(void **state)
{
	expect_clean(*state, "# one\n! two\na b # trailing\nc d ! trailing\n  # indented\n",
		     "a b; c d");
	/* Only at the start of a word. */
	expect_clean(*state, "e#f g!h \"#x\"\n", "e#f g!h \"#x\"");
	expect_clean(*state, "a {#c\nb }!x\n", "a { b }");
	expect_clean(*state, "a { b } # x\n", "a { b }");
}

static void test_empty_files(void **state)
{
	expect_clean(*state, "", "");
	expect_clean(*state, "\n\n   \n\t\n", "");
	expect_clean(*state, "# only\n! comments\n", "");
	expect_clean(*state, "# no newline", "");
}

/* ---- blocks ---------------------------------------------------------- */

static void test_blocks(void **state)
{
	expect_clean(*state, "a x {\n b 1\n c\n}\n", "a x { b 1; c }");
	expect_clean(*state, "a x\n{\n b\n}\n", "a x { b }");
	expect_clean(*state, "a x # c\n\n# c\n  {\n b\n}\n", "a x { b }");
	expect_clean(*state, "a { b c }\n", "a { b c }");
	expect_clean(*state, "a{b}c{d}\n", "a { b }; c { d }");
	expect_clean(*state, "a {\n}\n", "a { }");
	expect_clean(*state, "a { b { c { d } } e }\nf\n", "a { b { c { d } }; e }; f");
	expect_clean(*state, "a { b\n}\n", "a { b }");
	expect_clean(*state, "a\nb\n", "a; b");
	expect_clean(*state, "a {\n b\n c\n {\n d\n }\n}\n", "a { b; c { d } }");
}

static void test_crlf_and_no_newline(void **state)
{
	struct ut_parse p;

	expect_clean(*state, "a b\r\nc {\r\n d \"e f\"\r\n}\r\n", "a b; c { d \"e f\" }");
	expect_clean(*state, "a b", "a b");
	expect_clean(*state, "a {\n b }", "a { b }");
	expect_clean(*state, "a \"b\"", "a \"b\"");
	expect_clean(*state, "a # c\r\n", "a");
	/* CRLF does not shift the columns of the next line. */
	ut_parse_text(&p, *state, "a\r\n  b\r\n");
	assert_int_equal(p.root->children[1].pos.line, 2);
	assert_int_equal(p.root->children[1].pos.col, 3);
	ut_parse_free(&p);
}

static void test_positions(void **state)
{
	const char *dir = *state;
	struct ut_parse p;
	char *path = ut_path(dir, "keepalived.conf");
	char *got, *want = NULL;

	ut_parse_text(&p, dir, "a bb\n\n  c \"d e\" {\n\tf\n }\n");
	ut_assert_counts(&p.d, 0, 0);
	got = ut_dump(p.root, true);
	assert_true(asprintf(&want, "a@%1$s:1:1 bb@%1$s:1:3; c@%1$s:3:3 \"d e\"@%1$s:3:5 "
			     "{@%1$s:3:11 f@%1$s:4:2 }", path) > 0);
	assert_string_equal(got, want);
	assert_string_equal(p.root->pos.file, path);
	assert_int_equal(p.root->nwords, 0);
	assert_int_equal(p.root->children[1].pos.line, 3);
	assert_int_equal(p.root->children[1].pos.col, 3);
	free(got);
	free(want);
	free(path);
	ut_parse_free(&p);
}

/* ---- errors ---------------------------------------------------------- */

static void test_control_characters(void **state)
{
	const char *dir = *state;
	static const char text[] = "a\0b c\n\"x\001y\" z\x7f\n w\rv\n";
	struct ut_parse p;

	ut_parse_bytes(&p, dir, text, sizeof(text) - 1);
	ut_assert_diag(&p.d, "%s/keepalived.conf:1:2: error: invalid character 0x00", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:2:3: error: invalid character 0x01", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:2:8: error: invalid character 0x7f", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:3:3: error: invalid character 0x0d", dir);
	ut_assert_counts(&p.d, 4, 0);
	ut_assert_tree(p.root, "a b c; \"xy\" z; w v");
	ut_parse_free(&p);
}

static void test_high_bytes_kept(void **state)
{
	/* Invalid UTF-8 is taken as it is; only diagnostics escape it. */
	expect_clean(*state, "name \xff\xfe caf\xc3\xa9\n", "name \xff\xfe caf\xc3\xa9");
}

static void test_unterminated_quote(void **state)
{
	const char *dir = *state;
	struct ut_parse p;

	ut_parse_text(&p, dir, "a \"bc d\ne f\ng \"h\r\n");
	ut_assert_diag(&p.d, "%s/keepalived.conf:1:3: error: unterminated quoted string", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:3:3: error: unterminated quoted string", dir);
	ut_assert_counts(&p.d, 2, 0);
	ut_assert_tree(p.root, "a \"bc d\"; e f; g \"h\"");
	ut_parse_free(&p);

	ut_parse_text(&p, dir, "x \"at end");
	ut_assert_diag(&p.d, "%s/keepalived.conf:1:3: error: unterminated quoted string", dir);
	ut_assert_counts(&p.d, 1, 0);
	ut_parse_free(&p);
}

static void test_unexpected_close(void **state)
{
	const char *dir = *state;
	struct ut_parse p;

	ut_parse_text(&p, dir, "a\n}\nb { c } }\n");
	ut_assert_diag(&p.d, "%s/keepalived.conf:2:1: error: unexpected '}'", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:3:9: error: unexpected '}'", dir);
	ut_assert_counts(&p.d, 2, 0);
	ut_assert_tree(p.root, "a; b { c }");
	ut_parse_free(&p);
}

static void test_unclosed_blocks(void **state)
{
	const char *dir = *state;
	struct ut_parse p;

	ut_parse_text(&p, dir, "a {\n b {\n  c\n d { }\n");
	ut_assert_diag(&p.d, "%s/keepalived.conf:1:3: error: unclosed '{' of 'a'", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:2:4: error: unclosed '{' of 'b'", dir);
	ut_assert_counts(&p.d, 2, 0);
	/* What was read is kept. */
	ut_assert_tree(p.root, "a { b { c; d { } } }");
	ut_parse_free(&p);
}

static void test_block_without_keyword(void **state)
{
	const char *dir = *state;
	struct ut_parse p;

	ut_parse_text(&p, dir, "{ a { b } }\nc\nd { } { e }\n{\n");
	ut_assert_diag(&p.d, "%s/keepalived.conf:1:1: error: block without keyword", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:3:7: error: block without keyword", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:4:1: error: block without keyword", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:4:1: error: unclosed '{'", dir);
	ut_assert_counts(&p.d, 4, 0);
	ut_assert_tree(p.root, "c; d { }");
	ut_parse_free(&p);
}

/* Depth of the first-child chain of a tree. */
static unsigned chain_depth(const struct conf_node *n)
{
	unsigned depth = 0;

	while (n->nchildren > 0) {
		n = &n->children[0];
		if (n->has_block)
			depth++;
	}
	return depth;
}

static void test_deep_nesting(void **state)
{
	const char *dir = *state;
	const size_t levels = 10000;
	char *text = malloc(levels * 6 + 1);
	struct ut_parse p;
	size_t i, o = 0;

	assert_non_null(text);
	for (i = 0; i < levels; i++)
		o += (size_t)sprintf(text + o, "a {\n");
	for (i = 0; i < levels; i++)
		o += (size_t)sprintf(text + o, "}\n");
	ut_parse_text(&p, dir, text);
	ut_assert_diag(&p.d, "%s/keepalived.conf:65:3: error: blocks nested deeper than 64 levels",
		       dir);
	ut_assert_counts(&p.d, 1, 0);
	assert_int_equal(chain_depth(p.root), CONF_MAX_DEPTH);
	ut_parse_free(&p);

	/* Only opening braces: no crash, errors bounded. */
	memset(text, '{', levels);
	ut_parse_bytes(&p, dir, text, levels);
	assert_true(p.d.len <= DIAG_MAX);
	assert_int_equal(p.root->nchildren, 0);
	ut_parse_free(&p);

	/* Keywords and braces only, never closed. */
	for (i = 0, o = 0; i < levels; i++)
		o += (size_t)sprintf(text + o, "a{");
	ut_parse_bytes(&p, dir, text, o);
	assert_true(p.d.len <= DIAG_MAX);
	assert_int_equal(chain_depth(p.root), CONF_MAX_DEPTH);
	ut_parse_free(&p);
	free(text);
}

static void test_long_line(void **state)
{
	const char *dir = *state;
	const size_t big = 10u << 20;
	char *text = malloc(big + 64);
	struct timespec start;
	struct ut_parse p;
	size_t o;

	assert_non_null(text);
	o = (size_t)sprintf(text, "a\n");
	memset(text + o, 'x', big);
	o += big;
	o += (size_t)sprintf(text + o, " {\nb\n");
	clock_gettime(CLOCK_MONOTONIC, &start);
	ut_parse_bytes(&p, dir, text, o);
	assert_true(elapsed_since(&start) < 5.0);
	ut_assert_diag(&p.d, "%s/keepalived.conf:2:1: error: line longer than 65536 bytes; ignored",
		       dir);
	ut_assert_counts(&p.d, 1, 0);
	ut_assert_tree(p.root, "a; b");
	ut_parse_free(&p);

	/* Exactly the limit is fine, one more byte is not. */
	memset(text, 'y', CONF_MAX_LINE);
	text[CONF_MAX_LINE] = '\n';
	ut_parse_bytes(&p, dir, text, CONF_MAX_LINE + 1);
	ut_assert_counts(&p.d, 0, 0);
	assert_int_equal(strlen(p.root->children[0].words[0].text), CONF_MAX_LINE);
	ut_parse_free(&p);
	memset(text, 'y', CONF_MAX_LINE + 1);
	ut_parse_bytes(&p, dir, text, CONF_MAX_LINE + 1);
	ut_assert_counts(&p.d, 1, 0);
	assert_int_equal(p.root->nchildren, 0);
	ut_parse_free(&p);
	free(text);
}

static void test_binary_garbage(void **state)
{
	const char *dir = *state;
	const size_t len = 1u << 20;
	unsigned char *data = malloc(len);
	struct timespec start;
	struct ut_parse p;
	unsigned long long seed;

	assert_non_null(data);
	for (seed = 1; seed <= 3; seed++) {
		ut_random_bytes(data, len, seed);
		clock_gettime(CLOCK_MONOTONIC, &start);
		ut_parse_bytes(&p, dir, data, len);
		assert_true(elapsed_since(&start) < 10.0);
		assert_true(p.d.errors > DIAG_MAX);
		assert_int_equal(p.d.len, DIAG_MAX);
		assert_int_equal(p.d.dropped, p.d.errors + p.d.warnings - DIAG_MAX);
		ut_parse_free(&p);
	}
	free(data);
}

/* ---- root file problems (BI-C01) ------------------------------------- */

static void test_missing_root(void **state)
{
	const char *dir = *state;
	struct ut_parse p;
	char *path = ut_path(dir, "nope.conf");

	ut_parse_file(&p, path);
	ut_assert_diag(&p.d, "error: cannot read config file '%s': No such file or directory",
		       path);
	ut_assert_counts(&p.d, 1, 0);
	assert_int_equal(p.root->nchildren, 0);
	assert_string_equal(p.root->pos.file, path);
	ut_parse_free(&p);

	ut_parse_file(&p, dir);
	ut_assert_diag(&p.d, "error: cannot read config file '%s': Is a directory", dir);
	ut_parse_free(&p);

	assert_int_equal(mkfifo(path, 0600), 0);
	ut_parse_file(&p, path);
	ut_assert_diag(&p.d, "error: cannot read config file '%s': not a regular file", path);
	ut_parse_free(&p);
	free(path);
}

/* ---- diagnostics ----------------------------------------------------- */

static void test_diag_format(void **state)
{
	struct conf_pos pos = { "f.conf", 3, 5 };
	struct conf_pos line_only = { "f.conf", 3, 0 };
	struct conf_pos file_only = { "f.conf", 0, 0 };
	struct diags d;
	char buf[256];

	(void)state;
	diags_init(&d);
	diag_error(&d, &pos, "bad %s", "thing");
	diag_warn(&d, &line_only, "meh");
	diag_error(&d, &file_only, "whole file");
	diag_error(&d, NULL, "no position");
	assert_string_equal(diag_format(&d.items[0], buf, sizeof(buf)),
			    "f.conf:3:5: error: bad thing");
	assert_string_equal(diag_format(&d.items[1], buf, sizeof(buf)),
			    "f.conf:3: warning: meh");
	assert_string_equal(diag_format(&d.items[2], buf, sizeof(buf)),
			    "f.conf: error: whole file");
	assert_string_equal(diag_format(&d.items[3], buf, sizeof(buf)), "error: no position");
	assert_int_equal(d.errors, 3);
	assert_int_equal(d.warnings, 1);
	diags_free(&d);
}

static void test_diag_escaping(void **state)
{
	char big[1000], buf[DIAG_TEXT_BUF], line[4096];
	struct conf_pos pos = { "a\nb", 1, 1 };
	struct diags d;

	(void)state;
	assert_string_equal(diag_text("a\tb\x01\x7f", buf, sizeof(buf)), "a\\x09b\\x01\\x7f");
	assert_string_equal(diag_text("caf\xc3\xa9 \xff\xc3", buf, sizeof(buf)),
			    "caf\xc3\xa9 \\xff\\xc3");
	assert_string_equal(diag_text("\xc2\x9b", buf, sizeof(buf)), "\\xc2\\x9b");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	diag_text(big, buf, sizeof(buf));
	assert_int_equal(strlen(buf), DIAG_TEXT_MAX + 3);
	assert_string_equal(buf + DIAG_TEXT_MAX, "...");
	/* Exactly the limit is not cut. */
	big[DIAG_TEXT_MAX] = '\0';
	assert_int_equal(strlen(diag_text(big, buf, sizeof(buf))), DIAG_TEXT_MAX);
	/* A small buffer is never overrun. */
	assert_string_equal(diag_text("abcdefgh", buf, 6), "ab...");

	/* The whole message and file name are escaped even if a caller
	 * forgot, and a huge message is capped. */
	diags_init(&d);
	diag_error(&d, &pos, "raw \x1b[31m");
	assert_string_equal(diag_format(&d.items[0], line, sizeof(line)),
			    "a\\x0ab:1:1: error: raw \\x1b[31m");
	big[DIAG_TEXT_MAX] = 'x';
	diag_error(&d, NULL, "%s%s%s", big, big, big);
	assert_true(strlen(d.items[1].msg) <= DIAG_MSG_MAX);
	assert_string_equal(d.items[1].msg + strlen(d.items[1].msg) - 3, "...");
	diags_free(&d);
}

static void test_diag_cap(void **state)
{
	struct diags d;
	char *out = NULL;
	size_t len = 0;
	FILE *f;
	unsigned i;

	(void)state;
	diags_init(&d);
	for (i = 0; i < DIAG_MAX + 50; i++)
		diag_error(&d, NULL, "e%u", i);
	diag_warn(&d, NULL, "last");
	assert_int_equal(d.len, DIAG_MAX);
	assert_int_equal(d.errors, DIAG_MAX + 50);
	assert_int_equal(d.warnings, 1);
	assert_int_equal(d.dropped, 51);
	f = open_memstream(&out, &len);
	assert_non_null(f);
	diags_print(&d, f);
	fclose(f);
	assert_non_null(strstr(out, "error: e0\nerror: e1\n"));
	assert_non_null(strstr(out, "\n51 more errors and warnings not shown\n"));
	free(out);
	diags_free(&d);
	assert_int_equal(d.len, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_dir, teardown_dir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_words),
		T(test_quotes),
		T(test_comments),
		T(test_empty_files),
		T(test_blocks),
		T(test_crlf_and_no_newline),
		T(test_positions),
		T(test_control_characters),
		T(test_high_bytes_kept),
		T(test_unterminated_quote),
		T(test_unexpected_close),
		T(test_unclosed_blocks),
		T(test_block_without_keyword),
		T(test_deep_nesting),
		T(test_long_line),
		T(test_binary_garbage),
		T(test_missing_root),
		cmocka_unit_test(test_diag_format),
		cmocka_unit_test(test_diag_escaping),
		cmocka_unit_test(test_diag_cap),
	};

	return cmocka_run_group_tests_name("conf_tree", tests, NULL, NULL);
}
