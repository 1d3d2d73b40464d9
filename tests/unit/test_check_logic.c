/* The checker's decisions without sockets or kernel: retry before a server
 * is declared down, one success to come back, inhibit_on_failure, the
 * sorry server, quorum with hysteresis, and the IPVS table that follows. */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check_rt.h"

#define NRS 3

struct fx {
	struct check_rt rt;
	struct check_conf conf;
	struct virtual_server_conf vs_conf;
	struct real_server_conf rs_conf[NRS];
	struct checker_conf ck_conf[NRS];
	struct vs_rt vs;
	struct rs_rt rs[NRS];
	struct rs_rt *rs_ptr[NRS];
	struct checker_rt ck[NRS];
	struct checker_rt *ck_ptr[NRS];
	struct global_conf global;
};

static struct ip_addr ip(const char *s)
{
	struct ip_addr a = { .family = AF_INET };

	assert_int_equal(inet_pton(AF_INET, s, &a.u.v4), 1);
	return a;
}

/* VS TCP 10.0.0.1:80 rr NAT; real servers .11 .12 .13 weights 1 2 3 with
 * one TCP_CHECK each (retry 1); the one at .12 inhibit_on_failure. */
static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	static const char *const addrs[NRS] = { "10.0.0.11", "10.0.0.12", "10.0.0.13" };

	assert_non_null(f);
	f->rt.loop = ev_loop_new();
	f->rt.conf = &f->conf;
	f->rt.global = &f->global;
	check_ipvs_init(&f->rt);
	f->conf.virtual_servers = &f->vs_conf;
	f->conf.n_virtual_servers = 1;
	f->vs_conf = (struct virtual_server_conf){ .kind = VS_ADDR, .addr = ip("10.0.0.1"),
		.port = 80, .family = AF_INET, .protocol = IPPROTO_TCP, .sched = "rr",
		.method = LVS_NAT, .quorum = 1, .real_servers = f->rs_conf,
		.n_real_servers = NRS, .sorry = { .addr = ip("10.0.0.99"), .port = 80 } };
	f->vs = (struct vs_rt){ .rt = &f->rt, .conf = &f->vs_conf, .rs = f->rs, .n_rs = NRS,
		.name = "TCP 10.0.0.1:80" };
	f->rt.vs = &f->vs;
	f->rt.n_vs = 1;
	for (int i = 0; i < NRS; i++) {
		f->ck_conf[i] = (struct checker_conf){ .type = CHECKER_TCP, .connect_ip = ip(addrs[i]),
			.connect_port = 80, .retry = 1, .delay_loop_us = 1000000,
			.delay_before_retry_us = 1000000, .connect_timeout_us = 1000000 };
		f->rs_conf[i] = (struct real_server_conf){ .addr = ip(addrs[i]), .port = 80,
			.weight = (unsigned)i + 1, .method = LVS_NAT,
			.inhibit_on_failure = i == 1, .checkers = &f->ck_conf[i], .n_checkers = 1 };
		checker_init(&f->ck[i], &f->rt, &f->ck_conf[i]);
		f->ck_ptr[i] = &f->ck[i];
		f->rs_ptr[i] = &f->rs[i];
		f->ck[i].subs = &f->rs_ptr[i];
		f->ck[i].n_subs = 1;
		f->rs[i] = (struct rs_rt){ .vs = &f->vs, .conf = &f->rs_conf[i],
			.checkers = &f->ck_ptr[i], .n_checkers = 1 };
		rs_update(&f->rs[i]);
	}
	vs_update(&f->vs);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	f->rt.stopping = true;
	for (int i = 0; i < NRS; i++)
		checker_stop(&f->ck[i]);
	ev_timer_disarm(f->rt.loop, &f->rt.reconcile_timer);
	ev_loop_free(f->rt.loop);
	free(f);
	return 0;
}

/* The desired table as "addr:weight" words in identity order. */
static void assert_dests(struct fx *f, const char *expected)
{
	struct ipvs_table t;
	char got[256] = "", one[64], a[INET6_ADDRSTRLEN];

	assert_int_equal(check_ipvs_desired(&f->rt, &t), 0);
	ipvs_table_sort(&t);
	assert_int_equal(t.n, 1);
	for (size_t i = 0; i < t.vs[0].n_dests; i++) {
		const struct ipvs_dest *d = &t.vs[0].dests[i];

		snprintf(one, sizeof(one), "%s%s:%d", got[0] ? " " : "",
			 ip_addr_str(&d->addr, a, sizeof(a)), d->weight);
		strncat(got, one, sizeof(got) - strlen(got) - 1);
	}
	ipvs_table_free(&t);
	assert_string_equal(got, expected);
}

static void check_fails(struct fx *f, int i)
{
	f->ck[i].running = true;
	check_done(&f->ck[i], CHECK_CONNECT_REFUSED, "Connection refused");
}

static void check_passes(struct fx *f, int i)
{
	f->ck[i].running = true;
	check_done(&f->ck[i], CHECK_OK, NULL);
}

static void test_all_up_at_start(void **state)
{
	struct fx *f = *state;

	assert_true(f->vs.quorum_ok);
	assert_dests(f, "10.0.0.11:1 10.0.0.12:2 10.0.0.13:3");
}

/* retry 1: the first failure is retried, the second declares it down. */
static void test_retry_then_down_then_one_success_up(void **state)
{
	struct fx *f = *state;

	check_fails(f, 0);
	assert_true(f->rs[0].up);
	/* delay_before_retry (1 s), on the checks' grid */
	assert_int_equal(f->ck[0].timer.node.expires_us - monotonic_us() <= 1000000 + CHECK_GRAIN_US,
			 1);
	assert_int_equal(f->ck[0].timer.node.expires_us % CHECK_GRAIN_US, 0);
	check_fails(f, 0);
	assert_false(f->rs[0].up);
	assert_dests(f, "10.0.0.12:2 10.0.0.13:3");
	check_passes(f, 0);
	assert_true(f->rs[0].up);
	assert_dests(f, "10.0.0.11:1 10.0.0.12:2 10.0.0.13:3");
	/* a failure after a success starts the count again */
	check_fails(f, 0);
	assert_true(f->rs[0].up);
}

static void test_inhibit_keeps_weight_zero(void **state)
{
	struct fx *f = *state;

	check_fails(f, 1);
	check_fails(f, 1);
	assert_false(f->rs[1].up);
	assert_dests(f, "10.0.0.11:1 10.0.0.12:0 10.0.0.13:3");
}

static void test_sorry_server_when_all_down(void **state)
{
	struct fx *f = *state;

	f->vs_conf.has_sorry_server = true;
	for (int i = 0; i < NRS; i++) {
		check_fails(f, i);
		check_fails(f, i);
	}
	assert_false(f->vs.quorum_ok);
	assert_dests(f, "10.0.0.12:0 10.0.0.99:1");
	check_passes(f, 2);
	assert_true(f->vs.quorum_ok);
	assert_dests(f, "10.0.0.12:0 10.0.0.13:3");
	f->vs_conf.sorry.inhibit = true;	/* sorry_server_inhibit: kept at 0 */
	assert_dests(f, "10.0.0.12:0 10.0.0.13:3 10.0.0.99:0");
}

/* quorum 4, hysteresis 1: lost below 3, regained at 5. */
static void test_quorum_hysteresis(void **state)
{
	struct fx *f = *state;

	f->vs_conf.quorum = 4;
	f->vs_conf.hysteresis = 1;
	f->vs_conf.has_sorry_server = true;
	vs_update(&f->vs);
	assert_true(f->vs.quorum_ok);		/* 6 */
	check_fails(f, 0);
	check_fails(f, 0);
	assert_true(f->vs.quorum_ok);		/* 5 */
	check_fails(f, 1);
	check_fails(f, 1);
	assert_true(f->vs.quorum_ok);		/* 3: still >= 4 - 1 */
	check_fails(f, 2);
	check_fails(f, 2);
	assert_false(f->vs.quorum_ok);		/* 0 */
	assert_dests(f, "10.0.0.12:0 10.0.0.99:1");
	check_passes(f, 2);
	assert_false(f->vs.quorum_ok);		/* 3 < 4 + 1 */
	check_passes(f, 1);
	assert_true(f->vs.quorum_ok);		/* 5 */
	assert_dests(f, "10.0.0.12:2 10.0.0.13:3");
}

/* MISC_CHECK's exit codes: 0 up; 1 down; 2..255 down, or with misc_dynamic
 * up with weight code - 2, set (never accumulated); a signal or timeout
 * down without touching the weight. */
static void test_misc_exit_codes(void **state)
{
	int w = 7;

	(void)state;
	assert_int_equal(misc_verdict(0, false, false, &w), CHECK_OK);
	assert_int_equal(w, -1);
	w = 7;
	assert_int_equal(misc_verdict(0, false, true, &w), CHECK_OK);
	assert_int_equal(w, -1);
	assert_int_equal(misc_verdict(1, false, true, &w), CHECK_SCRIPT_FAILED);
	assert_int_equal(misc_verdict(2, false, false, &w), CHECK_SCRIPT_FAILED);
	assert_int_equal(misc_verdict(255, false, false, &w), CHECK_SCRIPT_FAILED);
	assert_int_equal(misc_verdict(2, false, true, &w), CHECK_OK);
	assert_int_equal(w, 0);
	assert_int_equal(misc_verdict(12, false, true, &w), CHECK_OK);
	assert_int_equal(w, 10);
	assert_int_equal(misc_verdict(12, false, true, &w), CHECK_OK);
	assert_int_equal(w, 10);		/* set again, not added */
	assert_int_equal(misc_verdict(255, false, true, &w), CHECK_OK);
	assert_int_equal(w, 253);
	assert_int_equal(misc_verdict(-1, true, true, &w), CHECK_SCRIPT_TIMEOUT);
	assert_int_equal(misc_verdict(-1, false, true, &w), CHECK_SCRIPT_FAILED);
	assert_int_equal(misc_verdict(5, true, true, &w), CHECK_SCRIPT_TIMEOUT);
	assert_int_equal(w, 253);		/* failures keep the last weight */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_all_up_at_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_then_down_then_one_success_up, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_inhibit_keeps_weight_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sorry_server_when_all_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quorum_hysteresis, setup, teardown),
		cmocka_unit_test(test_misc_exit_codes),
	};

	return cmocka_run_group_tests_name("check_logic", tests, NULL, NULL);
}
