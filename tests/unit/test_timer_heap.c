/* Unit tests for the timer heap: order, FIFO ties, removal anywhere, and a
 * long random run checked against a brute-force reference. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "timer_heap.h"

static void timer_set(struct heap_timer *t, uint64_t expires)
{
	t->expires_us = expires;
	t->seq = 0;
	t->index = HEAP_NOT_QUEUED;
}

/* Every parent fires no later than its children and every index is right. */
static void check_invariant(const struct timer_heap *h)
{
	size_t i;

	for (i = 0; i < h->len; i++) {
		const struct heap_timer *t = h->items[i];

		assert_int_equal(t->index, i);
		if (i > 0) {
			const struct heap_timer *p = h->items[(i - 1) / 2];

			assert_true(p->expires_us < t->expires_us ||
				    (p->expires_us == t->expires_us && p->seq < t->seq));
		}
	}
}

static void test_order(void **state)
{
	static const uint64_t keys[] = { 50, 10, 40, 30, 20, 60, 5, 45 };
	static const uint64_t sorted[] = { 5, 10, 20, 30, 40, 45, 50, 60 };
	struct heap_timer t[8];
	struct timer_heap h;
	size_t i;

	(void)state;
	timer_heap_init(&h);
	for (i = 0; i < 8; i++) {
		timer_set(&t[i], keys[i]);
		assert_int_equal(timer_heap_push(&h, &t[i]), 0);
		assert_true(timer_heap_queued(&t[i]));
		check_invariant(&h);
	}
	for (i = 0; i < 8; i++) {
		struct heap_timer *p = timer_heap_pop(&h);

		assert_non_null(p);
		assert_int_equal(p->expires_us, sorted[i]);
		assert_false(timer_heap_queued(p));
		check_invariant(&h);
	}
	assert_null(timer_heap_pop(&h));
	timer_heap_free(&h);
}

static void test_ties_fifo(void **state)
{
	struct heap_timer t[20];
	struct timer_heap h;
	size_t i;

	(void)state;
	timer_heap_init(&h);
	for (i = 0; i < 20; i++) {
		timer_set(&t[i], 100);
		assert_int_equal(timer_heap_push(&h, &t[i]), 0);
	}
	for (i = 0; i < 20; i++)
		assert_ptr_equal(timer_heap_pop(&h), &t[i]);
	timer_heap_free(&h);
}

static void push_range(struct timer_heap *h, struct heap_timer *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		timer_set(&t[i], (i * 7919) % 101);
		assert_int_equal(timer_heap_push(h, &t[i]), 0);
	}
	check_invariant(h);
}

static void drain_sorted(struct timer_heap *h, size_t expect)
{
	uint64_t prev = 0;
	size_t n = 0;
	struct heap_timer *p;

	while ((p = timer_heap_pop(h)) != NULL) {
		assert_true(p->expires_us >= prev);
		prev = p->expires_us;
		n++;
	}
	assert_int_equal(n, expect);
}

static void test_remove_positions(void **state)
{
	struct heap_timer t[31];
	struct timer_heap h;
	struct heap_timer *top, *last, *mid;

	(void)state;
	timer_heap_init(&h);
	push_range(&h, t, 31);

	top = timer_heap_peek(&h);
	timer_heap_remove(&h, top);
	assert_false(timer_heap_queued(top));
	check_invariant(&h);

	last = h.items[h.len - 1];
	timer_heap_remove(&h, last);
	assert_false(timer_heap_queued(last));
	check_invariant(&h);

	mid = h.items[h.len / 2];
	timer_heap_remove(&h, mid);
	assert_false(timer_heap_queued(mid));
	check_invariant(&h);

	/* Removing something not queued is a no-op. */
	timer_heap_remove(&h, mid);
	assert_int_equal(h.len, 28);
	drain_sorted(&h, 28);
	timer_heap_free(&h);
}

static void test_empty(void **state)
{
	struct timer_heap h;
	struct heap_timer t;

	(void)state;
	timer_heap_init(&h);
	assert_null(timer_heap_peek(&h));
	assert_null(timer_heap_pop(&h));
	timer_set(&t, 1);
	timer_heap_remove(&h, &t);
	timer_heap_free(&h);
}

static void test_free_unqueues(void **state)
{
	struct heap_timer t[5];
	struct timer_heap h;
	size_t i;

	(void)state;
	timer_heap_init(&h);
	push_range(&h, t, 5);
	timer_heap_free(&h);
	for (i = 0; i < 5; i++)
		assert_false(timer_heap_queued(&t[i]));
}

#define POOL 200
#define OPS 5000

/* The queued timer that must come out first, by brute force. */
static struct heap_timer *reference_min(struct heap_timer *pool)
{
	struct heap_timer *best = NULL;
	size_t i;

	for (i = 0; i < POOL; i++) {
		struct heap_timer *t = &pool[i];

		if (!timer_heap_queued(t))
			continue;
		if (best == NULL || t->expires_us < best->expires_us ||
		    (t->expires_us == best->expires_us && t->seq < best->seq))
			best = t;
	}
	return best;
}

static void random_step(struct timer_heap *h, struct heap_timer *pool, size_t *queued)
{
	struct heap_timer *t = &pool[(size_t)rand() % POOL];
	int op = rand() % 3;

	if (op == 0 && !timer_heap_queued(t)) {
		/* A narrow key range makes ties common. */
		t->expires_us = (uint64_t)(rand() % 50);
		assert_int_equal(timer_heap_push(h, t), 0);
		(*queued)++;
	} else if (op == 1 && timer_heap_queued(t)) {
		timer_heap_remove(h, t);
		assert_false(timer_heap_queued(t));
		(*queued)--;
	} else if (op == 2) {
		struct heap_timer *want = reference_min(pool);

		assert_ptr_equal(timer_heap_peek(h), want);
		assert_ptr_equal(timer_heap_pop(h), want);
		if (want != NULL)
			(*queued)--;
	}
	assert_int_equal(h->len, *queued);
	check_invariant(h);
}

static void test_random_against_reference(void **state)
{
	static struct heap_timer pool[POOL];
	struct timer_heap h;
	size_t i, queued = 0;

	(void)state;
	srand(12345);
	for (i = 0; i < POOL; i++)
		timer_set(&pool[i], 0);
	timer_heap_init(&h);
	for (i = 0; i < OPS; i++)
		random_step(&h, pool, &queued);
	while (queued > 0) {
		struct heap_timer *want = reference_min(pool);

		assert_non_null(want);
		assert_ptr_equal(timer_heap_pop(&h), want);
		queued--;
	}
	assert_null(reference_min(pool));
	timer_heap_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_ties_fifo),
		cmocka_unit_test(test_remove_positions),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_free_unqueues),
		cmocka_unit_test(test_random_against_reference),
	};

	return cmocka_run_group_tests_name("timer_heap", tests, NULL, NULL);
}
