/* A binary min-heap of timers ordered by expiry, then by insertion order so
 * timers due at the same instant fire in the order they were armed.  Each
 * timer records its heap index, so removal is O(log n). The heap stores
 * pointers; timers are owned by the caller. */
#ifndef KA_TIMER_HEAP_H
#define KA_TIMER_HEAP_H

#include <stddef.h>
#include <stdint.h>

#define HEAP_NOT_QUEUED ((size_t)-1)

struct heap_timer {
	uint64_t expires_us;	/* CLOCK_MONOTONIC, microseconds */
	uint64_t seq;		/* tie-break, assigned by timer_heap_push */
	size_t index;		/* position in the heap or HEAP_NOT_QUEUED */
};

struct timer_heap {
	struct heap_timer **items;
	size_t len, cap;
	uint64_t next_seq;
};

void timer_heap_init(struct timer_heap *h);
void timer_heap_free(struct timer_heap *h);	/* frees the array, not the timers */

/* Queue `t` (which must not be queued).  Returns 0, or -1 on allocation failure. */
int timer_heap_push(struct timer_heap *h, struct heap_timer *t);

/* Earliest timer, or NULL when empty. */
struct heap_timer *timer_heap_peek(const struct timer_heap *h);

/* Remove and return the earliest timer, or NULL when empty. */
struct heap_timer *timer_heap_pop(struct timer_heap *h);

/* Remove `t` if queued; a no-op otherwise. */
void timer_heap_remove(struct timer_heap *h, struct heap_timer *t);

static inline int timer_heap_queued(const struct heap_timer *t)
{
	return t->index != HEAP_NOT_QUEUED;
}

#endif
