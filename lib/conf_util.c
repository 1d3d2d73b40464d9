#include "config.h"

#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_util.h"
#include "value.h"

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

bool conf_command_user(struct diags *d, const struct conf_node *n, size_t name_max,
		       char **cmd, char *user, char *group)
{
	char u[256] = "", g[256] = "";
	char *copy;

	if (name_max >= sizeof(u))
		return false;
	if (n->words[1].text[0] == '\0') {
		diag_error(d, &n->words[1].pos, "empty command in '%s'", n->words[0].text);
		return false;
	}
	if (n->nwords > 2 && !val_user_group(d, &n->words[2], n->nwords - 2, name_max, u, g)) {
		/* An unquoted command followed by a word that is no user is most
		 * likely `notify_x /bin/x.sh arg`, written for some other tool:
		 * say how keepalived reads it. */
		if (!n->words[1].quoted && !getpwnam(n->words[2].text))
			diag_error(d, &n->words[2].pos, "the words after the command of '%s' "
				   "name a user and group; quote the command to pass arguments",
				   n->words[0].text);
		return false;
	}
	copy = conf_strdup(d, &n->words[1].pos, n->words[1].text);
	if (!copy)
		return false;
	free(*cmd);
	*cmd = copy;
	memcpy(user, u, strlen(u) + 1);
	memcpy(group, g, strlen(g) + 1);
	return true;
}

bool conf_opt_bool(struct diags *d, const struct conf_node *n, bool *out)
{
	if (n->nwords < 2) {
		*out = true;
		return true;
	}
	return val_bool(d, &n->words[1], out);
}

void conf_refs_add(struct diags *d, struct conf_refs **tab, unsigned kind, size_t a, size_t b,
		   const char *name, const struct conf_pos *pos)
{
	struct conf_refs *r = *tab;
	struct conf_ref *ref;

	if (!r && !(r = *tab = calloc(1, sizeof(*r)))) {
		diag_error(d, pos, "out of memory");
		return;
	}
	ref = conf_grow(d, pos, &r->items, &r->len, sizeof(*ref));
	if (!ref)
		return;
	ref->kind = kind;
	ref->a = a;
	ref->b = b;
	if (name)
		snprintf(ref->name, sizeof(ref->name), "%s", name);
	ref->file = conf_names_copy(&r->names, pos->file);
	ref->line = pos->line;
	ref->col = pos->col;
}

void conf_refs_free(struct conf_refs **tab)
{
	if (!*tab)
		return;
	conf_names_free(&(*tab)->names);
	free((*tab)->items);
	free(*tab);
	*tab = NULL;
}
