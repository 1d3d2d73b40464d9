/* Arrays of pointers that grow one entry at a time. */
#ifndef KA_PTR_ARRAY_H
#define KA_PTR_ARRAY_H

#include <stdlib.h>
#include <string.h>

/* Append `item` to the array whose address is `arrayp` (a `T **`) holding
 * *n pointers.  0, or -1 when out of memory (the array is unchanged).  One
 * realloc per append: meant for lists built once per configuration.  The
 * array pointer is read and written with memcpy, not through a `void **`
 * that would alias a `T **`. */
static inline int ptr_array_push(void *arrayp, size_t *n, void *item)
{
	void **arr, **grown;

	memcpy(&arr, arrayp, sizeof(arr));
	grown = realloc(arr, (*n + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	grown[(*n)++] = item;
	memcpy(arrayp, &grown, sizeof(grown));
	return 0;
}

#endif
