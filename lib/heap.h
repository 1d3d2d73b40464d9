/* Giving freed heap memory back to the kernel.
 *
 * Parsing a configuration builds a tree of every statement and word, then
 * the configuration structs, then frees the tree.  The structs that stay
 * sit between the freed nodes, so the C library cannot shrink the heap from
 * its top and the whole peak stays resident: 27 MiB in each process for
 * 10,000 virtual servers, where the live data is a few MiB. */
#ifndef KA_HEAP_H
#define KA_HEAP_H

#ifdef __GLIBC__
#include <malloc.h>
#endif

/* Return the free pages inside the heap to the kernel (glibc's
 * malloc_trim also releases whole free pages in the middle of the heap,
 * not only its top).  Call it after a big free, not on a hot path: it walks
 * every free chunk.  A no-op with other C libraries. */
static inline void heap_trim(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

#endif
