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

#endif
