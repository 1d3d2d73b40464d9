/* Small helpers shared by the keyword handlers of every subsystem. */
#ifndef KA_CONF_UTIL_H
#define KA_CONF_UTIL_H

#include <stddef.h>

#include <stdbool.h>

#include "conf_tree.h"
#include "diag.h"

/* Append one zeroed element of `size` bytes to the array whose address is
 * `arr_ptr` (a `T **`) holding *n elements, growing it as needed; returns
 * the new element, or NULL after reporting "out of memory" at `pos`. */
void *conf_grow(struct diags *d, const struct conf_pos *pos, void *arr_ptr, size_t *n,
		size_t size);

/* strdup that reports "out of memory" at `pos` instead of failing quietly. */
char *conf_strdup(struct diags *d, const struct conf_pos *pos, const char *s);

/* KEYWORD [BOOL]: the keyword alone means true (as keepalived reads
 * smtp_alert, fast_recovery, ...); a value must be a boolean word. */
bool conf_opt_bool(struct diags *d, const struct conf_node *n, bool *out);

/* `keyword CMD [USER [GROUP]]`, as keepalived reads notify and quorum
 * scripts: the command is one word (quoted when it has arguments), the
 * words after it name the user and group to run it as (each at most
 * `name_max` bytes and existing).  On success *cmd is replaced and user and
 * group (name_max + 1 bytes each; empty when not given) are set; on error
 * nothing changes and the error says how the words are read. */
bool conf_command_user(struct diags *d, const struct conf_node *n, size_t name_max,
		       char **cmd, char *user, char *group);

/* Copies of file names for positions that must outlive the parse tree
 * (cross-checks reported after the whole file is read).  One copy per
 * distinct source file: consecutive requests usually name the same one. */
struct conf_names {
	char **files;
	size_t n;
	const char *last_src;	/* tree-owned name last copied: files[n - 1] */
};

/* A lasting copy of `src` (a tree-owned file name), or NULL when out of
 * memory (the diagnostic then lacks a file name, nothing worse). */
const char *conf_names_copy(struct conf_names *names, const char *src);
void conf_names_free(struct conf_names *names);

/* The side table of positions a parser keeps for its whole-file checks
 * (names defined or referred to, values checked once the file is read):
 * each entry a kind and two numbers of the parser's choosing, a name, and a
 * position that outlives the parse tree. */
#define CONF_REF_NAME_MAX	63

struct conf_ref {
	unsigned kind;
	size_t a, b;
	char name[CONF_REF_NAME_MAX + 1];	/* "" when none */
	const char *file;			/* a copy owned by the table */
	unsigned line, col;
};

struct conf_refs {
	struct conf_ref *items;
	size_t len;
	struct conf_names names;		/* lasting copies of the file names */
};

/* Record an entry in *tab (created on first use); `name` may be NULL and
 * is cut at CONF_REF_NAME_MAX.  Out of memory is reported at `pos`. */
void conf_refs_add(struct diags *d, struct conf_refs **tab, unsigned kind, size_t a, size_t b,
		   const char *name, const struct conf_pos *pos);

/* Free *tab and set it to NULL. */
void conf_refs_free(struct conf_refs **tab);

#endif
