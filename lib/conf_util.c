#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf_util.h"

void *conf_grow(struct diags *d, const struct conf_pos *pos, void *arr_ptr, size_t *n,
		size_t size)
{
	char *arr;

	/* arr_ptr is the address of some `T *`; memcpy reads and writes it
	 * without pretending it is a `char *` object. */
	memcpy(&arr, arr_ptr, sizeof(arr));
	/* The capacity is the next power of two of *n, so it need not be
	 * stored: reallocate when *n reaches one, and a list of N entries
	 * costs O(N) copying however long it gets. */
	if ((*n & (*n - 1)) == 0) {
		size_t cap = *n ? *n * 2 : 1;
		char *grown = cap <= SIZE_MAX / size ? realloc(arr, cap * size) : NULL;

		if (!grown) {
			diag_error(d, pos, "out of memory");
			return NULL;
		}
		arr = grown;
		memcpy(arr_ptr, &arr, sizeof(arr));
	}
	memset(arr + *n * size, 0, size);
	return arr + (*n)++ * size;
}

char *conf_strdup(struct diags *d, const struct conf_pos *pos, const char *s)
{
	char *copy = strdup(s);

	if (!copy)
		diag_error(d, pos, "out of memory");
	return copy;
}

const char *conf_names_copy(struct conf_names *names, const char *src)
{
	char **grown, *copy;

	if (!src)
		return NULL;
	if (names->n && names->last_src == src)
		return names->files[names->n - 1];
	copy = strdup(src);
	grown = copy ? realloc(names->files, (names->n + 1) * sizeof(*grown)) : NULL;
	if (!grown) {
		free(copy);
		return NULL;
	}
	names->files = grown;
	names->files[names->n++] = copy;
	names->last_src = src;
	return copy;
}

void conf_names_free(struct conf_names *names)
{
	for (size_t i = 0; i < names->n; i++)
		free(names->files[i]);
	free(names->files);
	memset(names, 0, sizeof(*names));
}
