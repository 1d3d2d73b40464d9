/* Bounded byte buffers. */
#ifndef KA_BYTES_H
#define KA_BYTES_H

#include <stddef.h>
#include <string.h>

/* Append what fits of src[0..n) to buf, which holds *len bytes of at most
 * `cap` (buf has room for cap + 1: it stays NUL-terminated).  Returns how
 * many bytes were appended: fewer than n when the buffer is full. */
static inline size_t bytes_append_capped(char *buf, size_t *len, size_t cap, const void *src,
					 size_t n)
{
	size_t k = cap - *len;

	if (k > n)
		k = n;
	memcpy(buf + *len, src, k);
	*len += k;
	buf[*len] = '\0';
	return k;
}

#endif
