/* track_file and vrrp_track_process: the parsed blocks and lists, the
 * value -> priority/FAULT mapping, and process matching by name and by
 * command line. */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "conf_fixture.h"
#include "keepalived/ka_conf.h"
#include "unit_util.h"
#include "vrrp_track_eval.h"

static const char TRACKERS[] =
	"track_file F1 {\n  file /run/f1\n  weight -3 reverse\n  init_file 7 overwrite\n}\n"
	"vrrp_track_file F2 {\n  file \"/run/f 2\"\n  init_file\n}\n"
	"vrrp_track_process P1 {\n  process \"/usr/sbin/x y\" -a \"b c\"\n"
	"  param_match initial\n  quorum 2\n  quorum_max 3\n  weight 4\n"
	"  delay 0.25\n  terminate_delay 1.5\n  full_command\n}\n"
	"vrrp_track_process P2 {\n  process sshd\n  quorum_max 0\n}\n"
	"vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 1\n"
	"  virtual_ipaddress {\n    10.0.0.1\n  }\n"
	"  track_file {\n    F1\n    F2 weight -5 reverse\n  }\n"
	"  track_process {\n    P1 weight 0 noreverse\n  }\n}\n"
	"vrrp_instance VI_2 {\n  interface eth0\n  virtual_router_id 2\n"
	"  virtual_ipaddress {\n    10.0.0.2\n  }\n}\n"
	"vrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n"
	"  sync_group_tracking_weight\n"
	"  track_file {\n    F2\n  }\n  track_process {\n    P2 weight 9\n  }\n}\n";

static void test_parse_blocks(void **state)
{
	struct fx *f = *state;
	struct ka_config *c = cfx_load(f, TRACKERS);
	const struct vrrp_conf *v;
	const struct vrrp_track_process_conf *p;

	assert_non_null(c);
	v = &c->vrrp;
	assert_int_equal(v->n_track_files, 2);
	assert_string_equal(v->track_files[0].path, "/run/f1");
	assert_int_equal(v->track_files[0].weight, -3);
	assert_true(v->track_files[0].reverse);
	assert_true(v->track_files[0].init_file && v->track_files[0].init_overwrite);
	assert_int_equal(v->track_files[0].init_value, 7);
	assert_string_equal(v->track_files[1].path, "/run/f 2");
	assert_int_equal(v->track_files[1].weight, 1);		/* keepalived's default */
	assert_true(v->track_files[1].init_file && !v->track_files[1].init_overwrite);
	assert_int_equal(v->track_files[1].init_value, 0);

	assert_int_equal(v->n_track_procs, 2);
	p = &v->track_procs[0];
	assert_int_equal(p->cmd_len, sizeof("/usr/sbin/x y\0-a\0b c"));
	assert_memory_equal(p->cmd, "/usr/sbin/x y\0-a\0b c", p->cmd_len);
	assert_int_equal(p->n_params, 2);
	assert_int_equal(p->param_match, TRACK_PARAM_INITIAL);
	assert_int_equal(p->quorum, 2);
	assert_int_equal(p->quorum_max, 3);
	assert_int_equal(p->weight, 4);
	assert_int_equal(p->fork_delay_us, 250000);
	assert_int_equal(p->terminate_delay_us, 1500000);
	assert_true(p->full_command);
	p = &v->track_procs[1];
	assert_int_equal(p->weight, 0);				/* keepalived's default */
	assert_int_equal(p->quorum, 0);		/* quorum_max 0 alone: none may run */
	assert_int_equal(p->quorum_max, 0);

	assert_int_equal(v->instances[0].n_track_files, 2);
	assert_false(v->instances[0].track_files[0].w.has_weight);
	assert_true(v->instances[0].track_files[1].w.has_weight);
	assert_int_equal(v->instances[0].track_files[1].w.weight, -5);
	assert_true(v->instances[0].track_files[1].reverse);
	assert_int_equal(v->instances[0].n_track_procs, 1);
	assert_false(v->instances[0].track_procs[0].reverse);
	assert_int_equal(v->groups[0].n_track_files, 1);
	assert_int_equal(v->groups[0].n_track_procs, 1);
	assert_int_equal(v->groups[0].track_procs[0].w.weight, 9);
}

static void test_parse_errors(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f, "track_file F {\n  file /a\n  weight 255\n  init_file 1 2\n}\n"
			     "vrrp_track_process P {\n  process p\n  quorum 5\n  quorum_max 4\n"
			     "  param_match all\n  delay -1\n}\n"
			     "vrrp_track_process P {\n  process q\n}\n"));
	cfx_expect(f, "3:10: error: '255' is out of range (expected -254 to 254)");
	cfx_expect(f, "4:15: error: unexpected '2' in init_file (expected init_file [VALUE] "
		   "[overwrite])");
	cfx_expect(f, "9:3: error: quorum_max 4 is less than quorum 5");
	cfx_expect(f, "13:20: error: vrrp_track_process 'P' is defined twice");
}

static void test_file_effect(void **state)
{
	struct track_effect e;

	(void)state;
	e = track_file_effect(3, 5, false);
	assert_false(e.fault);
	assert_int_equal(e.adjust, 15);
	e = track_file_effect(3, 5, true);
	assert_int_equal(e.adjust, -15);
	e = track_file_effect(-253, 1, false);			/* the last non-fault */
	assert_false(e.fault);
	assert_int_equal(e.adjust, -253);
	assert_true(track_file_effect(-254, 1, false).fault);
	assert_true(track_file_effect(127, -2, false).fault);
	assert_true(track_file_effect(INT_MIN, 254, false).fault);	/* no overflow */
	assert_int_equal(track_file_effect(INT_MAX, 254, false).adjust, 254);	/* clamped */
	assert_true(track_file_effect(1, 0, false).fault);	/* weight 0: non-zero fails */
	assert_false(track_file_effect(0, 0, false).fault);
	assert_true(track_file_effect(0, 0, true).fault);
	assert_int_equal(track_file_effect(0, 0, false).adjust, 0);
}

static void test_file_parse(void **state)
{
	int v = 42;

	(void)state;
	assert_true(track_file_parse("  17\n", &v));
	assert_int_equal(v, 17);
	assert_true(track_file_parse("-8", &v));
	assert_int_equal(v, -8);
	assert_true(track_file_parse("0x10", &v));
	assert_int_equal(v, 16);
	assert_true(track_file_parse("12abc", &v));
	assert_int_equal(v, 12);
	assert_true(track_file_parse("down", &v));
	assert_int_equal(v, 0);
	v = 5;
	assert_false(track_file_parse("99999999999", &v));
	assert_int_equal(v, 5);
}

static void test_process_effect(void **state)
{
	(void)state;
	assert_true(track_process_effect(false, 0, false).fault);
	assert_false(track_process_effect(true, 0, false).fault);
	assert_true(track_process_effect(true, 0, true).fault);
	assert_int_equal(track_process_effect(true, 10, false).adjust, 10);
	assert_int_equal(track_process_effect(false, 10, false).adjust, 0);
	assert_int_equal(track_process_effect(false, -10, false).adjust, -10);
	assert_int_equal(track_process_effect(true, -10, false).adjust, 0);
	assert_int_equal(track_process_effect(false, 10, true).adjust, 10);
}

static struct vrrp_track_process_conf proc(const char *cmd, size_t len, size_t n_params,
					   enum track_param_match m, bool full)
{
	struct vrrp_track_process_conf c;

	memset(&c, 0, sizeof(c));
	c.cmd = (char *)(uintptr_t)cmd;
	c.cmd_len = len;
	c.n_params = n_params;
	c.param_match = m;
	c.full_command = full;
	return c;
}

#define CMD(s) s, sizeof(s)
#define LINE(s) s, sizeof(s)

static void test_process_match(void **state)
{
	struct vrrp_track_process_conf c;

	(void)state;
	c = proc(CMD("kapz"), 0, TRACK_PARAM_NONE, false);
	assert_true(track_process_matches(&c, "kapz", NULL, 0));
	assert_false(track_process_matches(&c, "kapzz", NULL, 0));
	assert_false(track_process_matches(&c, "kap", NULL, 0));
	c = proc(CMD("averyveryverylongname"), 0, TRACK_PARAM_NONE, false);
	assert_true(track_process_matches(&c, "averyveryverylo", NULL, 0));

	/* full_command alone: the program, whatever follows. */
	c = proc(CMD("./kapz"), 0, TRACK_PARAM_NONE, true);
	assert_true(track_process_matches(&c, "kapz", LINE("./kapz\0" "100")));
	assert_false(track_process_matches(&c, "kapz", LINE("/x/kapz\0" "100")));
	assert_false(track_process_matches(&c, "kapz", NULL, 0));
	/* Parameters without param_match: all of them. */
	c = proc(CMD("./kapz\0" "100"), 1, TRACK_PARAM_NONE, false);
	assert_true(track_process_matches(&c, "kapz", LINE("./kapz\0" "100")));
	assert_false(track_process_matches(&c, "kapz", LINE("./kapz\0" "100\0" "200")));
	assert_false(track_process_matches(&c, "kapz", LINE("./kapz\0" "1000")));
	/* partial: the first N whole; initial: a prefix of the text. */
	c = proc(CMD("./kapz\0" "10"), 1, TRACK_PARAM_PARTIAL, false);
	assert_true(track_process_matches(&c, "kapz", LINE("./kapz\0" "10\0" "x")));
	assert_false(track_process_matches(&c, "kapz", LINE("./kapz\0" "100")));
	c.param_match = TRACK_PARAM_INITIAL;
	assert_true(track_process_matches(&c, "kapz", LINE("./kapz\0" "100")));
	assert_true(track_process_matches(&c, "kapz", LINE("./kapz\0" "10\0" "x")));
	assert_false(track_process_matches(&c, "kapz", LINE("./kapz\0" "5")));
	/* param_match alone: no parameters at all. */
	c = proc(CMD("./kapz"), 0, TRACK_PARAM_EXACT, false);
	assert_true(track_process_matches(&c, "kapz", LINE("./kapz")));
	assert_false(track_process_matches(&c, "kapz", LINE("./kapz\0" "1")));
	/* A command line rewritten without a final NUL. */
	assert_true(track_process_matches(&c, "kapz", "./kapz", 6));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, cfx_setup, cfx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_parse_blocks),
		T(test_parse_errors),
		cmocka_unit_test(test_file_effect),
		cmocka_unit_test(test_file_parse),
		cmocka_unit_test(test_process_effect),
		cmocka_unit_test(test_process_match),
	};

	return cmocka_run_group_tests_name("vrrp_track", tests, NULL, NULL);
}
