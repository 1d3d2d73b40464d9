/* Small helpers shared by the keyword handlers of every subsystem. */
#ifndef KA_CONF_UTIL_H
#define KA_CONF_UTIL_H

#include <stddef.h>

#include "diag.h"

/* Append one zeroed element of `size` bytes to the array whose address is
 * `arr_ptr` (a `T **`) holding *n elements, growing it as needed; returns
 * the new element, or NULL after reporting "out of memory" at `pos`. */
void *conf_grow(struct diags *d, const struct conf_pos *pos, void *arr_ptr, size_t *n,
		size_t size);

/* strdup that reports "out of memory" at `pos` instead of failing quietly. */
char *conf_strdup(struct diags *d, const struct conf_pos *pos, const char *s);

#endif
