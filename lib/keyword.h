/* Keyword tables: each configuration block is described by a table owned by
 * the subsystem that owns the block.  kw_dispatch() walks the statements of a
 * block, finds each keyword (case-sensitive, as keepalived's), checks the
 * number of arguments and whether a block may follow, and calls the handler.
 * An unknown keyword is one error at its position; its block, if any, is
 * skipped without further errors. */
#ifndef KA_KEYWORD_H
#define KA_KEYWORD_H

#include <stdbool.h>

#include "conf_tree.h"
#include "diag.h"

enum kw_block {
	KW_NO_BLOCK,		/* `keyword args` only */
	KW_BLOCK,		/* `keyword args { ... }` required */
	KW_OPT_BLOCK,		/* block allowed but not required */
};

struct keyword;

/* Called for a statement whose first word matched.  `obj` is the object the
 * enclosing block is filling; `node` the whole statement (its block, if any,
 * is the handler's to dispatch, usually with kw_dispatch and a sub-table). */
typedef void kw_handler(struct diags *d, const struct conf_node *node, void *obj);

struct keyword {
	const char *name;
	kw_handler *handler;	/* NULL: accepted, shape-checked, ignored */
	int min_args;		/* words after the keyword */
	int max_args;		/* -1: unbounded */
	enum kw_block block;
};

/* Find `name` in a table terminated by an entry with a NULL name. */
const struct keyword *kw_find(const struct keyword *table, const char *name);

/* Check arity and block presence of `node` against `kw`; reports the error
 * and returns false when they do not match. */
bool kw_check_shape(struct diags *d, const struct keyword *kw, const struct conf_node *node);

/* Dispatch each statement in nodes[0..n) with `table` and `obj`.  Statements
 * whose keyword is unknown are errors ("unknown keyword 'x' in <where>"). */
void kw_dispatch(struct diags *d, const struct keyword *table, const char *where,
		 const struct conf_node *nodes, size_t n, void *obj);

/* Report `node` as an unknown keyword of block `where` (one error; its
 * block, if any, is not examined). */
void kw_unknown(struct diags *d, const struct conf_node *node, const char *where);

/* Dispatch one statement; returns false (without reporting) when its keyword
 * is not in `table`, so a caller can try several tables in turn. */
bool kw_try_dispatch(struct diags *d, const struct keyword *table,
		     const struct conf_node *node, void *obj);

#endif
