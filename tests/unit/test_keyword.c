/* Unit tests for keyword tables: dispatch into nested blocks, unknown
 * keywords (one error, their block skipped silently), argument counts and
 * block presence, and that a handler never sees a statement of the wrong
 * shape. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "keyword.h"
#include "unit_util.h"

/* What the fake configuration collects. */
struct fake_conf {
	unsigned name_calls;
	char name[32];
	unsigned pair_calls, many_calls, flag_calls, opt_calls;
	unsigned groups;
	unsigned members;	/* `member` statements inside groups */
	size_t last_args;
};

static void on_name(struct diags *d, const struct conf_node *n, void *obj)
{
	struct fake_conf *c = obj;

	(void)d;
	c->name_calls++;
	snprintf(c->name, sizeof(c->name), "%s", n->words[1].text);
}

static void on_pair(struct diags *d, const struct conf_node *n, void *obj)
{
	struct fake_conf *c = obj;

	(void)d;
	assert_true(n->nwords == 2 || n->nwords == 3);
	c->pair_calls++;
	c->last_args = n->nwords - 1;
}

static void on_many(struct diags *d, const struct conf_node *n, void *obj)
{
	struct fake_conf *c = obj;

	(void)d;
	assert_true(n->nwords >= 2);
	c->many_calls++;
	c->last_args = n->nwords - 1;
}

static void on_flag(struct diags *d, const struct conf_node *n, void *obj)
{
	struct fake_conf *c = obj;

	(void)d;
	assert_int_equal(n->nwords, 1);
	assert_false(n->has_block);
	c->flag_calls++;
}

static void on_member(struct diags *d, const struct conf_node *n, void *obj)
{
	struct fake_conf *c = obj;

	(void)d;
	(void)n;
	c->members++;
}

static const struct keyword group_table[] = {
	{ "member", on_member, 1, 1, KW_NO_BLOCK },
	{ "flag", on_flag, 0, 0, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

static void on_group(struct diags *d, const struct conf_node *n, void *obj)
{
	struct fake_conf *c = obj;

	assert_true(n->has_block);
	c->groups++;
	kw_dispatch(d, group_table, "group", n->children, n->nchildren, obj);
}

static void on_opt(struct diags *d, const struct conf_node *n, void *obj)
{
	struct fake_conf *c = obj;

	c->opt_calls++;
	if (n->has_block)
		kw_dispatch(d, group_table, "opt", n->children, n->nchildren, obj);
}

static const struct keyword top_table[] = {
	{ "name", on_name, 1, 1, KW_NO_BLOCK },
	{ "pair", on_pair, 1, 2, KW_NO_BLOCK },
	{ "many", on_many, 1, -1, KW_NO_BLOCK },
	{ "flag", on_flag, 0, 0, KW_NO_BLOCK },
	{ "group", on_group, 1, 1, KW_BLOCK },
	{ "opt", on_opt, 0, -1, KW_OPT_BLOCK },
	{ "ignored", NULL, 0, -1, KW_OPT_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

/* Parse `text` (which must be syntactically clean) and dispatch it. */
static void run(const char *dir, const char *text, struct fake_conf *c, struct ut_parse *p)
{
	memset(c, 0, sizeof(*c));
	ut_parse_text(p, dir, text);
	ut_assert_counts(&p->d, 0, 0);
	kw_dispatch(&p->d, top_table, "configuration", p->root->children, p->root->nchildren, c);
}

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

static void test_dispatch(void **state)
{
	struct fake_conf c;
	struct ut_parse p;

	run(*state,
	    "name n1\npair a\npair a b\nmany x y z w\nflag\n"
	    "group g1 {\n member m1\n member m2\n flag\n}\n"
	    "opt\nopt a b { member m3 }\nignored whatever { anything at all }\n",
	    &c, &p);
	ut_assert_counts(&p.d, 0, 0);
	assert_int_equal(c.name_calls, 1);
	assert_string_equal(c.name, "n1");
	assert_int_equal(c.pair_calls, 2);
	assert_int_equal(c.many_calls, 1);
	assert_int_equal(c.flag_calls, 2);
	assert_int_equal(c.groups, 1);
	assert_int_equal(c.members, 3);
	assert_int_equal(c.opt_calls, 2);
	ut_parse_free(&p);
}

static void test_unknown_keywords(void **state)
{
	const char *dir = *state;
	struct fake_conf c;
	struct ut_parse p;

	run(dir,
	    "nmae x\n  Name y\nbogus {\n  more bogus { deeper 1 2 3 }\n  name inside\n}\n"
	    "group g {\n  member m\n  membr m\n  name n\n}\n",
	    &c, &p);
	ut_assert_diag(&p.d, "%s/keepalived.conf:1:1: error: unknown keyword 'nmae' in configuration",
		       dir);
	/* Keywords are case-sensitive. */
	ut_assert_diag(&p.d, "%s/keepalived.conf:2:3: error: unknown keyword 'Name' in configuration",
		       dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:3:1: error: unknown keyword 'bogus' in configuration",
		       dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:9:3: error: unknown keyword 'membr' in group", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:10:3: error: unknown keyword 'name' in group", dir);
	/* Nothing inside the unknown block was looked at. */
	ut_assert_counts(&p.d, 5, 0);
	assert_int_equal(c.name_calls, 0);
	assert_int_equal(c.members, 1);
	ut_parse_free(&p);
}

static void test_arity(void **state)
{
	const char *dir = *state;
	struct fake_conf c;
	struct ut_parse p;

	run(dir, "name\nname a b\npair\npair a b c\nmany\nflag x\ngroup {\n}\ngroup a b { }\n", &c,
	    &p);
	ut_assert_diag(&p.d, "%s/keepalived.conf:1:1: error: 'name' takes 1 argument, got 0", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:2:1: error: 'name' takes 1 argument, got 2", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:3:1: error: 'pair' takes 1 to 2 arguments, got 0",
		       dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:4:1: error: 'pair' takes 1 to 2 arguments, got 3",
		       dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:5:1: error: 'many' takes at least 1 argument, "
		       "got 0", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:6:1: error: 'flag' takes no arguments, got 1", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:7:1: error: 'group' takes 1 argument, got 0", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:9:1: error: 'group' takes 1 argument, got 2", dir);
	ut_assert_counts(&p.d, 8, 0);
	/* No handler saw a malformed statement. */
	assert_int_equal(c.name_calls + c.pair_calls + c.many_calls + c.flag_calls + c.groups, 0);
	ut_parse_free(&p);
}

static void test_block_shape(void **state)
{
	const char *dir = *state;
	struct fake_conf c;
	struct ut_parse p;

	run(dir, "group g\nname n { member m }\nflag {\n}\ngroup\n", &c, &p);
	ut_assert_diag(&p.d, "%s/keepalived.conf:1:1: error: 'group' needs a block '{ ... }'", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:2:8: error: 'name' does not take a block", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:3:6: error: 'flag' does not take a block", dir);
	/* Both problems of one statement are reported. */
	ut_assert_diag(&p.d, "%s/keepalived.conf:5:1: error: 'group' takes 1 argument, got 0", dir);
	ut_assert_diag(&p.d, "%s/keepalived.conf:5:1: error: 'group' needs a block '{ ... }'", dir);
	ut_assert_counts(&p.d, 5, 0);
	assert_int_equal(c.groups + c.name_calls + c.flag_calls + c.members, 0);
	ut_parse_free(&p);
}

static void test_try_dispatch_and_find(void **state)
{
	const char *dir = *state;
	struct fake_conf c;
	struct ut_parse p;

	memset(&c, 0, sizeof(c));
	ut_parse_text(&p, dir, "member m\nname x\nflag\n");
	/* A caller trying several tables: no error for a miss. */
	assert_false(kw_try_dispatch(&p.d, top_table, &p.root->children[0], &c));
	assert_true(kw_try_dispatch(&p.d, group_table, &p.root->children[0], &c));
	assert_true(kw_try_dispatch(&p.d, top_table, &p.root->children[1], &c));
	assert_false(kw_try_dispatch(&p.d, group_table, &p.root->children[1], &c));
	ut_assert_counts(&p.d, 0, 0);
	assert_int_equal(c.members, 1);
	assert_int_equal(c.name_calls, 1);

	assert_ptr_equal(kw_find(top_table, "group"), &top_table[4]);
	assert_null(kw_find(top_table, "GROUP"));
	assert_null(kw_find(top_table, ""));
	assert_true(kw_check_shape(&p.d, kw_find(top_table, "flag"), &p.root->children[2]));
	assert_false(kw_check_shape(&p.d, kw_find(top_table, "name"), &p.root->children[2]));
	ut_assert_counts(&p.d, 1, 0);
	ut_parse_free(&p);
}

static void test_unknown_keyword_escaped(void **state)
{
	const char *dir = *state;
	struct fake_conf c;
	struct ut_parse p;
	char word[300];

	/* A long, odd keyword is cut and escaped in the message. */
	memset(word, 'k', sizeof(word));
	memcpy(word, "\"\xff", 2);
	memcpy(word + sizeof(word) - 2, "\"\n", 2);
	memset(&c, 0, sizeof(c));
	ut_parse_bytes(&p, dir, word, sizeof(word));
	kw_dispatch(&p.d, top_table, "configuration", p.root->children, p.root->nchildren, &c);
	ut_assert_counts(&p.d, 1, 0);
	assert_non_null(strstr(p.d.items[0].msg, "unknown keyword '\\xffkkk"));
	assert_non_null(strstr(p.d.items[0].msg, "kkk...' in configuration"));
	ut_parse_free(&p);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_dir, teardown_dir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_dispatch),
		T(test_unknown_keywords),
		T(test_arity),
		T(test_block_shape),
		T(test_try_dispatch_and_find),
		T(test_unknown_keyword_escaped),
	};

	return cmocka_run_group_tests_name("keyword", tests, NULL, NULL);
}
