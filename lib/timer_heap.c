/* Binary min-heap of timers; see timer_heap.h.  Each timer carries its own
 * index so that removing an arbitrary timer needs no search. */
#include "config.h"

#include <stdlib.h>

#include "timer_heap.h"

#define HEAP_MIN_CAP 16

void timer_heap_init(struct timer_heap *h)
{
	h->items = NULL;
	h->len = 0;
	h->cap = 0;
	h->next_seq = 0;
}

void timer_heap_free(struct timer_heap *h)
{
	size_t i;

	/* Leave the timers in a state where they can be re-armed elsewhere. */
	for (i = 0; i < h->len; i++)
		h->items[i]->index = HEAP_NOT_QUEUED;
	free(h->items);
	timer_heap_init(h);
}

/* Strict "fires before": the sequence number makes the order total, so
 * timers due at the same instant come out in the order they were pushed. */
static int timer_before(const struct heap_timer *a, const struct heap_timer *b)
{
	if (a->expires_us != b->expires_us)
		return a->expires_us < b->expires_us;
	return a->seq < b->seq;
}

static void heap_place(struct timer_heap *h, size_t i, struct heap_timer *t)
{
	h->items[i] = t;
	t->index = i;
}

static void sift_up(struct timer_heap *h, size_t i)
{
	struct heap_timer *t = h->items[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!timer_before(t, h->items[parent]))
			break;
		heap_place(h, i, h->items[parent]);
		i = parent;
	}
	heap_place(h, i, t);
}

static void sift_down(struct timer_heap *h, size_t i)
{
	struct heap_timer *t = h->items[i];

	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= h->len)
			break;
		if (child + 1 < h->len && timer_before(h->items[child + 1], h->items[child]))
			child++;
		if (!timer_before(h->items[child], t))
			break;
		heap_place(h, i, h->items[child]);
		i = child;
	}
	heap_place(h, i, t);
}

static int heap_grow(struct timer_heap *h)
{
	size_t cap = h->cap ? h->cap * 2 : HEAP_MIN_CAP;
	struct heap_timer **items;

	if (cap < h->cap || cap > SIZE_MAX / sizeof(*items))
		return -1;
	items = realloc(h->items, cap * sizeof(*items));
	if (items == NULL)
		return -1;
	h->items = items;
	h->cap = cap;
	return 0;
}

int timer_heap_push(struct timer_heap *h, struct heap_timer *t)
{
	if (h->len == h->cap && heap_grow(h) < 0)
		return -1;
	t->seq = h->next_seq++;
	h->items[h->len] = t;
	t->index = h->len;
	h->len++;
	sift_up(h, t->index);
	return 0;
}

struct heap_timer *timer_heap_peek(const struct timer_heap *h)
{
	return h->len ? h->items[0] : NULL;
}

struct heap_timer *timer_heap_pop(struct timer_heap *h)
{
	struct heap_timer *top = timer_heap_peek(h);

	if (top != NULL)
		timer_heap_remove(h, top);
	return top;
}

void timer_heap_remove(struct timer_heap *h, struct heap_timer *t)
{
	size_t i = t->index;
	struct heap_timer *last;

	if (i == HEAP_NOT_QUEUED || i >= h->len || h->items[i] != t)
		return;
	t->index = HEAP_NOT_QUEUED;
	last = h->items[--h->len];
	if (last == t)
		return;
	/* The last element fills the hole; it may belong above or below it. */
	heap_place(h, i, last);
	if (i > 0 && timer_before(last, h->items[(i - 1) / 2]))
		sift_up(h, i);
	else
		sift_down(h, i);
}
