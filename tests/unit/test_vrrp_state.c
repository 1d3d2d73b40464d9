/* Unit tests for the RFC 3768 section 6.4 state machine with a fake clock
 * and recording ops: every branch of Initialize, Backup and Master, FAULT,
 * preempt_delay, sync-group forcing and the timer arithmetic.  Times are in
 * microseconds; test names cite requirement IDs. */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vrrp_state.h"

#define SEC		1000000ull
#define MAX_REC		256
/* Golden numbers of the reference (section 2.6), priority 100, AI 1 s. */
#define SKEW_100	609375ull
#define MDI_100		(3 * SEC + SKEW_100)

struct sent {
	uint64_t at;
	uint8_t priority;
	enum vrrp_state state;		/* the state while sending */
	size_t seq;
};

struct trans {
	uint64_t at;
	enum vrrp_state from, to;
	char reason[128];
	size_t seq;
};

/* The fake runtime: a clock, the machine, and what it did, in order. */
struct fx {
	uint64_t now;
	struct vrrp_sm sm;
	struct sent sends[MAX_REC];
	size_t n_sends;
	struct trans trans[MAX_REC];
	size_t n_trans;
	size_t seq;
};

static void rec_send(void *ctx, uint8_t priority)
{
	struct fx *f = ctx;

	assert_true(f->n_sends < MAX_REC);
	f->sends[f->n_sends++] = (struct sent){ f->now, priority, f->sm.state, f->seq++ };
}

static void rec_state(void *ctx, enum vrrp_state from, enum vrrp_state to, const char *reason)
{
	struct fx *f = ctx;
	struct trans *t;

	assert_true(f->n_trans < MAX_REC);
	/* The state is already assigned, and transitions chain. */
	assert_int_equal(f->sm.state, to);
	assert_int_not_equal(from, to);
	assert_int_equal(from, f->n_trans ? f->trans[f->n_trans - 1].to : VRRP_STATE_INIT);
	assert_int_equal(f->sm.last_transition_us, f->now);
	t = &f->trans[f->n_trans++];
	t->at = f->now;
	t->from = from;
	t->to = to;
	snprintf(t->reason, sizeof(t->reason), "%s", reason);
	t->seq = f->seq++;
}

static const struct vrrp_sm_ops rec_ops = { rec_send, rec_state };

static struct in_addr ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* Each timer belongs to one state (see vrrp_state.c). */
static void check_invariants(const struct fx *f)
{
	const struct vrrp_sm *sm = &f->sm;

	switch (sm->state) {
	case VRRP_STATE_BACKUP:
		assert_true(sm->master_down_timer != VRRP_NO_DEADLINE);
		assert_true(sm->adver_timer == VRRP_NO_DEADLINE);
		break;
	case VRRP_STATE_MASTER:
		assert_true(sm->adver_timer != VRRP_NO_DEADLINE);
		assert_true(sm->master_down_timer == VRRP_NO_DEADLINE);
		break;
	default:
		assert_true(sm->adver_timer == VRRP_NO_DEADLINE);
		assert_true(sm->master_down_timer == VRRP_NO_DEADLINE);
	}
	assert_int_equal(sm->transitions, f->n_trans);
	assert_int_equal(sm->adverts_sent, f->n_sends);
}

static struct fx *fx_new(uint8_t prio, bool preempt, uint64_t preempt_delay)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vrrp_sm_params p = { .priority = prio, .adver_int_us = SEC, .preempt = preempt,
				    .preempt_delay_us = preempt_delay };

	assert_non_null(f);
	p.primary_ip = (struct ip_addr){ .family = AF_INET, .u.v4 = ip4("10.0.0.1") };
	vrrp_sm_init(&f->sm, &p, &rec_ops, f);
	return f;
}

static void fx_start(struct fx *f, uint64_t at)
{
	f->now = at;
	vrrp_sm_start(&f->sm, at);
	check_invariants(f);
}

/* The runtime's loop: fire each deadline up to `until`, then move there. */
static void run_until(struct fx *f, uint64_t until)
{
	unsigned guard = 0;
	uint64_t d;

	while ((d = vrrp_sm_next_deadline(&f->sm)) <= until) {
		assert_true(++guard < 100000);
		f->now = d;
		vrrp_sm_timers(&f->sm, d);
		check_invariants(f);
	}
	f->now = until;
}

static void advert_at(struct fx *f, uint64_t at, const char *src, uint8_t prio)
{
	run_until(f, at);
	vrrp_sm_advert(&f->sm, at, ip4(src), prio);
	check_invariants(f);
}

static const struct trans *last_trans(const struct fx *f)
{
	assert_true(f->n_trans > 0);
	return &f->trans[f->n_trans - 1];
}

/* V2-R19, V2-R20 against the reference's golden numbers (truncated to us). */
static void test_skew_and_mdi_golden_v2_r19_r20(void **state)
{
	static const struct { uint8_t p; uint64_t skew; } g[] = {
		{ 1, 996093 }, { 100, 609375 }, { 200, 218750 }, { 254, 7812 }, { 255, 3906 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		assert_int_equal(vrrp_skew_time_us(g[i].p, SEC), g[i].skew);
		assert_int_equal(vrrp_master_down_interval_us(g[i].p, SEC), 3 * SEC + g[i].skew);
		/* v2: the skew does not scale with the interval. */
		assert_int_equal(vrrp_skew_time_us(g[i].p, 5 * SEC), g[i].skew);
		assert_int_equal(vrrp_master_down_interval_us(g[i].p, 5 * SEC),
				 15 * SEC + g[i].skew);
	}
}

/* V2-R23: the owner sends, arms Adver_Timer and is MASTER, in that order. */
static void test_init_owner_v2_r23(void **state)
{
	struct fx *f = fx_new(255, true, 0);

	(void)state;
	fx_start(f, 1000);
	assert_int_equal(f->sm.state, VRRP_STATE_MASTER);
	assert_int_equal(f->n_sends, 1);
	assert_int_equal(f->sends[0].priority, 255);
	assert_int_equal(f->sends[0].at, 1000);
	assert_int_equal(f->n_trans, 1);
	assert_true(f->sends[0].seq < f->trans[0].seq);
	assert_int_equal(f->trans[0].to, VRRP_STATE_MASTER);
	assert_int_equal(f->sm.adver_timer, 1000 + SEC);
	assert_int_equal(f->sm.become_master, 1);
	free(f);
}

/* V2-R24, then V2-R29 at exactly Master_Down_Interval. */
static void test_init_backup_then_master_v2_r24_r29(void **state)
{
	struct fx *f = fx_new(100, true, 0);

	(void)state;
	fx_start(f, 5000);
	assert_int_equal(f->sm.state, VRRP_STATE_BACKUP);
	assert_int_equal(f->n_sends, 0);
	assert_int_equal(f->sm.master_down_timer, 5000 + MDI_100);
	assert_int_equal(vrrp_sm_next_deadline(&f->sm), 5000 + MDI_100);
	run_until(f, 5000 + MDI_100 - 1);
	assert_int_equal(f->sm.state, VRRP_STATE_BACKUP);
	run_until(f, 5000 + MDI_100);
	assert_int_equal(f->sm.state, VRRP_STATE_MASTER);
	assert_int_equal(f->n_sends, 1);
	assert_int_equal(f->sends[0].at, 5000 + MDI_100);
	assert_int_equal(f->sends[0].priority, 100);
	assert_int_equal(f->sends[0].state, VRRP_STATE_BACKUP);	/* advert first */
	assert_string_equal(last_trans(f)->reason, "master down timer expired");
	assert_int_equal(last_trans(f)->at, 5000 + MDI_100);
	assert_int_equal(f->sm.adver_timer, 5000 + MDI_100 + SEC);
	assert_int_equal(f->sm.become_master, 1);
	free(f);
}

/* V2-R30: a priority-0 advert shortens the wait to Skew_Time. */
static void test_backup_prio0_takeover_after_skew_v2_r30(void **state)
{
	struct fx *f = fx_new(100, true, 0);

	(void)state;
	fx_start(f, 0);
	advert_at(f, SEC, "10.0.0.2", 0);
	assert_int_equal(f->sm.master_down_timer, SEC + SKEW_100);
	assert_int_equal(f->sm.prio0_rcvd, 1);
	run_until(f, SEC + SKEW_100 - 1);
	assert_int_equal(f->sm.state, VRRP_STATE_BACKUP);
	run_until(f, SEC + SKEW_100);
	assert_int_equal(f->sm.state, VRRP_STATE_MASTER);
	assert_int_equal(last_trans(f)->at, SEC + SKEW_100);
	free(f);
}

/* V2-R31: higher or equal priority resets Master_Down_Timer each time. */
static void test_backup_higher_or_equal_keeps_backup_v2_r31(void **state)
{
	struct fx *f = fx_new(100, true, 0);
	uint64_t t;

	(void)state;
	fx_start(f, 0);
	for (t = SEC; t <= 20 * SEC; t += SEC) {
		advert_at(f, t, "10.0.0.2", t < 10 * SEC ? 200 : 100);
		assert_int_equal(f->sm.master_down_timer, t + MDI_100);
	}
	run_until(f, 20 * SEC + MDI_100 - 1);
	assert_int_equal(f->sm.state, VRRP_STATE_BACKUP);
	assert_int_equal(f->n_trans, 1);
	assert_int_equal(f->sm.master_ip.family, AF_INET);
	assert_int_equal(f->sm.master_ip.u.v4.s_addr, ip4("10.0.0.2").s_addr);
	assert_int_equal(f->sm.master_priority, 100);
	assert_int_equal(f->sm.adverts_rcvd, 20);
	free(f);
}

/* V2-R31: with preemption, a lower priority is discarded, so we take over
 * at the deadline armed before it, not later. */
static void test_backup_lower_prio_preempts_v2_r31(void **state)
{
	struct fx *f = fx_new(100, true, 0);

	(void)state;
	fx_start(f, 0);
	advert_at(f, SEC, "10.0.0.2", 50);
	advert_at(f, 2 * SEC, "10.0.0.2", 50);
	advert_at(f, 3 * SEC, "10.0.0.2", 50);
	assert_int_equal(f->sm.master_down_timer, MDI_100);
	run_until(f, MDI_100);
	assert_int_equal(f->sm.state, VRRP_STATE_MASTER);
	assert_int_equal(last_trans(f)->at, MDI_100);
	free(f);
}

/* V2-R31: an advert of our own priority holds a Backup even from a lower
 * address (keepalived 2.2.7 agrees); only a Master applies the address
 * tie-break (V2-R39). */
static void test_backup_equal_prio_lower_address_holds(void **state)
{
	struct fx *f = fx_new(100, true, 0);

	(void)state;
	fx_start(f, 0);
	for (uint64_t t = SEC; t <= 10 * SEC; t += SEC) {
		advert_at(f, t, "9.0.0.1", 100);
		assert_int_equal(f->sm.master_down_timer, t + MDI_100);
	}
	run_until(f, 10 * SEC + MDI_100 - 1);
	assert_int_equal(f->sm.state, VRRP_STATE_BACKUP);
	free(f);
}

/* V2-R31 / V2-R21: nopreempt defers to any master forever. */
static void test_backup_nopreempt_stays_v2_r21(void **state)
{
	struct fx *f = fx_new(100, false, 0);
	uint64_t t;

	(void)state;
	fx_start(f, 0);
	for (t = SEC; t <= 120 * SEC; t += SEC)
		advert_at(f, t, "10.0.0.2", 1);
	assert_int_equal(f->sm.state, VRRP_STATE_BACKUP);
	assert_int_equal(f->sm.master_down_timer, 120 * SEC + MDI_100);
	assert_int_equal(f->n_sends, 0);
	free(f);
}

/* V2-R21: priority 255 preempts even with nopreempt. */
static void test_owner_always_preempts_v2_r21(void **state)
{
	struct fx *f = fx_new(100, false, 0);

	(void)state;
	fx_start(f, 0);
	vrrp_sm_set_priority(&f->sm, SEC / 2, 255);
	advert_at(f, SEC, "10.0.0.2", 200);
	advert_at(f, 2 * SEC, "10.0.0.2", 200);
	/* Discarded: the deadline armed at startup stands. */
	assert_int_equal(f->sm.master_down_timer, MDI_100);
	run_until(f, MDI_100 - 1);
	assert_int_equal(f->sm.state, VRRP_STATE_BACKUP);
	run_until(f, MDI_100);
	assert_int_equal(f->sm.state, VRRP_STATE_MASTER);
	assert_int_equal(f->sends[0].priority, 255);
	free(f);
}

/* preempt_delay: no preemption before startup + delay; after it the
 * lower-priority adverts are discarded and the timer runs out. */
static void test_preempt_delay_after_startup(void **state)
{
	struct fx *f = fx_new(100, true, 10 * SEC);
	uint64_t t;

	(void)state;
	fx_start(f, 0);
	assert_int_equal(f->sm.preempt_after, 10 * SEC);
	for (t = SEC; t <= 30 * SEC && f->sm.state == VRRP_STATE_BACKUP; t += SEC)
		advert_at(f, t, "10.0.0.2", 50);
	/* Adverts up to 9 s reset the timer; the one at 10 s did not. */
	assert_int_equal(f->sm.state, VRRP_STATE_MASTER);
	assert_int_equal(last_trans(f)->at, 9 * SEC + MDI_100);
	assert_int_equal(f->sm.preempt_after, 0);
	free(f);
}

/* preempt_delay restarts at the first lower-priority master seen after a
 * legitimate one, once the startup window is over. */
static void test_preempt_delay_new_episode(void **state)
{
	struct fx *f = fx_new(100, true, 5 * SEC);
	uint64_t t;

	(void)state;
	fx_start(f, 0);
	for (t = SEC; t <= 10 * SEC; t += SEC)
		advert_at(f, t, "10.0.0.3", 200);
	assert_int_equal(f->sm.preempt_after, 0);
	for (t = 11 * SEC; t <= 40 * SEC && f->sm.state == VRRP_STATE_BACKUP; t += SEC) {
		advert_at(f, t, "10.0.0.2", 50);
		if (t == 11 * SEC)
			assert_int_equal(f->sm.preempt_after, 16 * SEC);
	}
	assert_int_equal(f->sm.state, VRRP_STATE_MASTER);
	assert_int_equal(last_trans(f)->at, 15 * SEC + MDI_100);
	free(f);
}

/* A non-owner MASTER, reached through Master_Down_Timer at MDI_100. */
static struct fx *master_fx(const char *primary)
{
	struct fx *f = fx_new(100, true, 0);

	f->sm.p.primary_ip = (struct ip_addr){ .family = AF_INET, .u.v4 = ip4(primary) };
	fx_start(f, 0);
	run_until(f, MDI_100);
	assert_int_equal(f->sm.state, VRRP_STATE_MASTER);
	return f;
}

/* V2-R37: Adver_Timer fires every interval. */
static void test_master_adver_timer_v2_r37(void **state)
{
	struct fx *f = fx_new(255, true, 0);
	size_t i;

	(void)state;
	fx_start(f, 0);
	run_until(f, 10 * SEC);
	assert_int_equal(f->n_sends, 11);
	for (i = 0; i < f->n_sends; i++) {
		assert_int_equal(f->sends[i].at, i * SEC);
		assert_int_equal(f->sends[i].priority, 255);
	}
	assert_int_equal(vrrp_sm_next_deadline(&f->sm), 11 * SEC);
	free(f);
}

/* V2-R39: a higher priority makes us BACKUP without sending. */
static void test_master_higher_prio_to_backup_v2_r39(void **state)
{
	struct fx *f = master_fx("10.0.0.1");
	size_t sends = f->n_sends;
	uint64_t t = MDI_100 + SEC / 2;

	(void)state;
	advert_at(f, t, "10.0.0.2", 101);
	assert_int_equal(f->sm.state, VRRP_STATE_BACKUP);
	assert_int_equal(f->n_sends, sends);
	assert_int_equal(f->sm.adver_timer, VRRP_NO_DEADLINE);
	assert_int_equal(f->sm.master_down_timer, t + MDI_100);
	assert_string_equal(last_trans(f)->reason, "higher priority advert from 10.0.0.2");
	assert_int_equal(f->sm.master_priority, 101);
	free(f);
}

/* V2-R39 / V2-R41: equal priority, the higher address wins, compared as
 * host-order numbers (10.0.0.2 > 9.0.0.3 although the raw little-endian
 * words compare the other way; 192.x has the top bit set). */
static void test_master_equal_prio_tie_break_v2_r41(void **state)
{
	static const struct { const char *ours, *theirs; bool yield; } c[] = {
		{ "10.0.0.1", "10.0.0.2", true },
		{ "10.0.0.2", "10.0.0.1", false },
		{ "10.0.0.2", "9.0.0.3", false },
		{ "9.0.0.3", "10.0.0.2", true },
		{ "10.0.0.1", "192.168.0.1", true },
		{ "192.168.0.1", "10.0.0.1", false },
		{ "10.0.0.1", "10.0.0.1", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct fx *f = master_fx(c[i].ours);
		size_t sends = f->n_sends;

		advert_at(f, MDI_100 + 100, c[i].theirs, 100);
		if (c[i].yield) {
			assert_int_equal(f->sm.state, VRRP_STATE_BACKUP);
			assert_int_equal(f->n_sends, sends);
		} else {
			/* V2-R40 + answer at once, Adver_Timer reset. */
			assert_int_equal(f->sm.state, VRRP_STATE_MASTER);
			assert_int_equal(f->n_sends, sends + 1);
			assert_int_equal(f->sm.adver_timer, MDI_100 + 100 + SEC);
		}
		free(f);
	}
}

/* V2-R40: a lower priority is answered with our advert at once. */
static void test_master_lower_prio_answers_v2_r40(void **state)
{
	struct fx *f = master_fx("10.0.0.1");
	uint64_t t = MDI_100 + SEC / 4;

	(void)state;
	advert_at(f, t, "10.0.0.2", 99);
	assert_int_equal(f->sm.state, VRRP_STATE_MASTER);
	assert_int_equal(f->n_sends, 2);
	assert_int_equal(f->sends[1].at, t);
	assert_int_equal(f->sends[1].priority, 100);
	assert_int_equal(f->sm.adver_timer, t + SEC);
	free(f);
}

/* V2-R38: a priority-0 advert is answered and Adver_Timer reset. */
static void test_master_prio0_answers_v2_r38(void **state)
{
	struct fx *f = master_fx("10.0.0.1");
	uint64_t t = MDI_100 + SEC / 3;

	(void)state;
	advert_at(f, t, "10.0.0.9", 0);
	assert_int_equal(f->sm.state, VRRP_STATE_MASTER);
	assert_int_equal(f->n_sends, 2);
	assert_int_equal(f->sends[1].priority, 100);
	assert_int_equal(f->sm.adver_timer, t + SEC);
	assert_int_equal(f->sm.prio0_rcvd, 1);
	free(f);
}

/* V2-R36: a MASTER resigns with priority 0 on shutdown. */
static void test_shutdown_master_v2_r36(void **state)
{
	struct fx *f = master_fx("10.0.0.1");

	(void)state;
	f->now = MDI_100 + 10;
	vrrp_sm_shutdown(&f->sm, f->now);
	check_invariants(f);
	assert_int_equal(f->sm.state, VRRP_STATE_INIT);
	assert_int_equal(f->n_sends, 2);
	assert_int_equal(f->sends[1].priority, 0);
	assert_int_equal(f->sends[1].state, VRRP_STATE_MASTER);
	assert_int_equal(f->sm.prio0_sent, 1);
	assert_string_equal(last_trans(f)->reason, "shutdown");
	assert_int_equal(vrrp_sm_next_deadline(&f->sm), VRRP_NO_DEADLINE);
	free(f);
}

/* V2-R28: a BACKUP just stops; INIT ignores shutdown and adverts. */
static void test_shutdown_backup_v2_r28(void **state)
{
	struct fx *f = fx_new(100, true, 0);

	(void)state;
	vrrp_sm_shutdown(&f->sm, 0);
	advert_at(f, 1, "10.0.0.2", 0);
	run_until(f, 100 * SEC);
	assert_int_equal(f->n_trans, 0);
	fx_start(f, 100 * SEC);
	f->now = 101 * SEC;
	vrrp_sm_shutdown(&f->sm, f->now);
	check_invariants(f);
	assert_int_equal(f->sm.state, VRRP_STATE_INIT);
	assert_int_equal(f->n_sends, 0);
	assert_int_equal(vrrp_sm_next_deadline(&f->sm), VRRP_NO_DEADLINE);
	/* Restartable. */
	fx_start(f, 102 * SEC);
	assert_int_equal(f->sm.state, VRRP_STATE_BACKUP);
	free(f);
}

/* FAULT from MASTER resigns first; while in FAULT nothing happens;
 * clearing it runs the startup event. */
static void test_fault_from_master_and_clear(void **state)
{
	struct fx *f = master_fx("10.0.0.1");
	uint64_t t = MDI_100 + SEC / 2;

	(void)state;
	f->now = t;
	vrrp_sm_set_fault(&f->sm, t, true, "eth0 down");
	check_invariants(f);
	assert_int_equal(f->sm.state, VRRP_STATE_FAULT);
	assert_int_equal(f->n_sends, 2);
	assert_int_equal(f->sends[1].priority, 0);
	assert_true(f->sends[1].seq < last_trans(f)->seq);
	assert_string_equal(last_trans(f)->reason, "fault: eth0 down");
	advert_at(f, t + SEC, "10.0.0.2", 50);
	run_until(f, t + 100 * SEC);
	assert_int_equal(f->n_sends, 2);
	assert_int_equal(f->sm.state, VRRP_STATE_FAULT);
	vrrp_sm_set_fault(&f->sm, f->now, true, "still down");	/* no new transition */
	assert_int_equal(f->n_trans, 3);
	vrrp_sm_set_fault(&f->sm, f->now, false, "eth0 up");
	check_invariants(f);
	assert_int_equal(f->sm.state, VRRP_STATE_BACKUP);
	assert_string_equal(last_trans(f)->reason, "fault cleared: eth0 up");
	assert_int_equal(f->sm.master_down_timer, f->now + MDI_100);
	free(f);
}

/* FAULT from BACKUP sends nothing; an owner leaving FAULT is MASTER. */
static void test_fault_backup_and_owner(void **state)
{
	struct fx *f = fx_new(255, true, 0);

	(void)state;
	fx_start(f, 0);
	f->now = 10;
	vrrp_sm_set_fault(&f->sm, 10, true, NULL);
	assert_int_equal(f->sends[f->n_sends - 1].priority, 0);
	assert_int_equal(f->sm.state, VRRP_STATE_FAULT);
	assert_string_equal(last_trans(f)->reason, "fault: unspecified");
	f->now = 20;
	vrrp_sm_set_fault(&f->sm, 20, false, NULL);
	check_invariants(f);
	assert_int_equal(f->sm.state, VRRP_STATE_MASTER);
	assert_string_equal(last_trans(f)->reason, "fault cleared");
	assert_int_equal(f->sends[f->n_sends - 1].priority, 255);
	free(f);

	f = fx_new(100, true, 0);
	fx_start(f, 0);
	f->now = 5;
	vrrp_sm_set_fault(&f->sm, 5, true, "script chk failed");
	check_invariants(f);
	assert_int_equal(f->sm.state, VRRP_STATE_FAULT);
	assert_int_equal(f->n_sends, 0);
	free(f);
}

/* A fault set before start keeps the instance in FAULT from the start. */
static void test_fault_before_start(void **state)
{
	struct fx *f = fx_new(255, true, 7 * SEC);

	(void)state;
	vrrp_sm_set_fault(&f->sm, 0, true, "no link");
	assert_int_equal(f->sm.state, VRRP_STATE_INIT);
	fx_start(f, 0);
	assert_int_equal(f->sm.state, VRRP_STATE_FAULT);
	assert_int_equal(f->n_sends, 0);
	f->sm.p.priority = 100;
	vrrp_sm_set_priority(&f->sm, 0, 100);
	f->now = 3 * SEC;
	vrrp_sm_set_fault(&f->sm, f->now, false, "link up");
	assert_int_equal(f->sm.state, VRRP_STATE_BACKUP);
	assert_int_equal(f->sm.preempt_after, 10 * SEC);	/* fresh window */
	free(f);
}

/* Sync groups: forced moves, ignored in FAULT, INIT or the same state. */
static void test_force(void **state)
{
	struct fx *f = fx_new(100, true, 0);

	(void)state;
	vrrp_sm_force(&f->sm, 0, VRRP_STATE_MASTER, "sync group");
	assert_int_equal(f->n_trans, 0);
	fx_start(f, 0);
	vrrp_sm_force(&f->sm, 0, VRRP_STATE_BACKUP, "sync group");
	assert_int_equal(f->n_trans, 1);
	f->now = SEC;
	vrrp_sm_force(&f->sm, SEC, VRRP_STATE_MASTER, "sync group G1");
	check_invariants(f);
	assert_int_equal(f->sm.state, VRRP_STATE_MASTER);
	assert_string_equal(last_trans(f)->reason, "sync group G1");
	assert_int_equal(f->n_sends, 1);
	assert_int_equal(f->sm.adver_timer, 2 * SEC);
	vrrp_sm_force(&f->sm, SEC, VRRP_STATE_MASTER, NULL);
	vrrp_sm_force(&f->sm, SEC, VRRP_STATE_FAULT, NULL);
	vrrp_sm_force(&f->sm, SEC, VRRP_STATE_INIT, NULL);
	assert_int_equal(f->n_trans, 2);
	f->now = 3 * SEC / 2;
	vrrp_sm_force(&f->sm, f->now, VRRP_STATE_BACKUP, NULL);
	check_invariants(f);
	assert_int_equal(f->sm.state, VRRP_STATE_BACKUP);
	assert_string_equal(last_trans(f)->reason, "sync group");
	assert_int_equal(f->sm.master_down_timer, f->now + MDI_100);
	assert_int_equal(f->n_sends, 1);
	vrrp_sm_set_fault(&f->sm, f->now, true, "x");
	vrrp_sm_force(&f->sm, f->now, VRRP_STATE_MASTER, NULL);
	assert_int_equal(f->sm.state, VRRP_STATE_FAULT);
	free(f);
}

/* A new effective priority changes what is sent and the next MDI, but
 * causes no transition by itself. */
static void test_set_priority(void **state)
{
	struct fx *f = master_fx("10.0.0.1");
	uint64_t t = MDI_100 + SEC / 2;

	(void)state;
	vrrp_sm_set_priority(&f->sm, t, 80);
	assert_int_equal(f->sm.state, VRRP_STATE_MASTER);
	run_until(f, MDI_100 + SEC);
	assert_int_equal(f->sends[f->n_sends - 1].priority, 80);
	/* An advert at 90 now wins against us. */
	advert_at(f, MDI_100 + SEC + 1, "10.0.0.2", 90);
	assert_int_equal(f->sm.state, VRRP_STATE_BACKUP);
	assert_int_equal(f->sm.master_down_timer,
			 MDI_100 + SEC + 1 + vrrp_master_down_interval_us(80, SEC));
	vrrp_sm_set_priority(&f->sm, f->now, 0);		/* guarded */
	assert_int_equal(f->sm.priority, 1);
	free(f);
}

/* next_deadline is the armed timer; a late call fires once, no catch-up. */
static void test_next_deadline_and_late_timers(void **state)
{
	struct fx *f = fx_new(100, true, 0);

	(void)state;
	assert_int_equal(vrrp_sm_next_deadline(&f->sm), VRRP_NO_DEADLINE);
	fx_start(f, 0);
	assert_int_equal(vrrp_sm_next_deadline(&f->sm), MDI_100);
	vrrp_sm_timers(&f->sm, MDI_100 - 1);		/* early: nothing */
	assert_int_equal(f->n_trans, 1);
	f->now = 50 * SEC;
	vrrp_sm_timers(&f->sm, f->now);			/* very late */
	assert_int_equal(f->sm.state, VRRP_STATE_MASTER);
	assert_int_equal(f->n_sends, 1);
	assert_int_equal(vrrp_sm_next_deadline(&f->sm), 51 * SEC);
	vrrp_sm_timers(&f->sm, 60 * SEC);
	assert_int_equal(f->n_sends, 2);
	assert_int_equal(vrrp_sm_next_deadline(&f->sm), 61 * SEC);
	free(f);
}

/* A long mixed scenario: the counters agree with what the ops saw, and
 * the recorded transitions chain (rec_state checks each one). */
static void test_counters_and_transitions_consistent(void **state)
{
	struct fx *f = fx_new(150, true, 0);
	uint64_t masters = 0, prio0 = 0;
	size_t i;

	(void)state;
	fx_start(f, 0);
	run_until(f, 10 * SEC);				/* -> MASTER */
	advert_at(f, 11 * SEC, "10.0.0.5", 200);	/* -> BACKUP */
	advert_at(f, 12 * SEC, "10.0.0.5", 0);		/* -> MASTER after skew */
	run_until(f, 14 * SEC);
	vrrp_sm_set_fault(&f->sm, f->now, true, "a");	/* -> FAULT, prio 0 */
	vrrp_sm_set_fault(&f->sm, f->now, false, "a");	/* -> BACKUP */
	run_until(f, 20 * SEC);				/* -> MASTER */
	advert_at(f, 21 * SEC, "10.0.0.5", 10);		/* answered */
	vrrp_sm_shutdown(&f->sm, f->now);		/* -> INIT, prio 0 */
	check_invariants(f);
	for (i = 0; i < f->n_trans; i++)
		masters += f->trans[i].to == VRRP_STATE_MASTER;
	for (i = 0; i < f->n_sends; i++)
		prio0 += f->sends[i].priority == 0;
	assert_int_equal(f->n_trans, 8);
	assert_int_equal(f->sm.become_master, masters);
	assert_int_equal(masters, 3);
	assert_int_equal(f->sm.prio0_sent, prio0);
	assert_int_equal(prio0, 2);
	assert_int_equal(f->sm.adverts_rcvd, 3);
	assert_int_equal(f->sm.state, VRRP_STATE_INIT);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skew_and_mdi_golden_v2_r19_r20),
		cmocka_unit_test(test_init_owner_v2_r23),
		cmocka_unit_test(test_init_backup_then_master_v2_r24_r29),
		cmocka_unit_test(test_backup_prio0_takeover_after_skew_v2_r30),
		cmocka_unit_test(test_backup_higher_or_equal_keeps_backup_v2_r31),
		cmocka_unit_test(test_backup_lower_prio_preempts_v2_r31),
		cmocka_unit_test(test_backup_equal_prio_lower_address_holds),
		cmocka_unit_test(test_backup_nopreempt_stays_v2_r21),
		cmocka_unit_test(test_owner_always_preempts_v2_r21),
		cmocka_unit_test(test_preempt_delay_after_startup),
		cmocka_unit_test(test_preempt_delay_new_episode),
		cmocka_unit_test(test_master_adver_timer_v2_r37),
		cmocka_unit_test(test_master_higher_prio_to_backup_v2_r39),
		cmocka_unit_test(test_master_equal_prio_tie_break_v2_r41),
		cmocka_unit_test(test_master_lower_prio_answers_v2_r40),
		cmocka_unit_test(test_master_prio0_answers_v2_r38),
		cmocka_unit_test(test_shutdown_master_v2_r36),
		cmocka_unit_test(test_shutdown_backup_v2_r28),
		cmocka_unit_test(test_fault_from_master_and_clear),
		cmocka_unit_test(test_fault_backup_and_owner),
		cmocka_unit_test(test_fault_before_start),
		cmocka_unit_test(test_force),
		cmocka_unit_test(test_set_priority),
		cmocka_unit_test(test_next_deadline_and_late_timers),
		cmocka_unit_test(test_counters_and_transitions_consistent),
	};

	return cmocka_run_group_tests_name("vrrp_state", tests, NULL, NULL);
}
