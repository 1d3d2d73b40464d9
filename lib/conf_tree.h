/* The syntax of the keepalived configuration language, with no knowledge of
 * keywords: a file is a list of statements; a statement is the words of one
 * line, optionally followed by a block `{ ... }` of statements.
 *
 *   - words are separated by blanks; `{` and `}` are always tokens of their
 *     own outside quotes; a block may open on the statement's line or on a
 *     following line, and may close on any line
 *   - `#` and `!` start a comment wherever a word could start
 *   - "double quoted strings" keep blanks, braces and comment characters;
 *     \" and \\ are the only escapes; a quote may not span lines
 *   - `include PATTERN` (at any level) is replaced by the statements of the
 *     files matching PATTERN, relative to the directory of the including file
 *
 * Errors (unbalanced braces, unterminated quotes, control characters, over-long
 * lines, include loops and depth, missing include files, nesting deeper than
 * CONF_MAX_DEPTH) are reported with positions and parsing continues. */
#ifndef KA_CONF_TREE_H
#define KA_CONF_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "snapshot.h"

#define CONF_MAX_DEPTH		64	/* nested blocks */
#define CONF_MAX_INCLUDE_DEPTH	16	/* nested includes */
#define CONF_MAX_LINE		(64u << 10)	/* bytes in one line */
/* Work limits across the whole parse, counting a file included N times N
 * times, so that globs including each other cannot multiply the work. */
#define CONF_MAX_INCLUDES	16384u		/* files included */
#define CONF_MAX_BYTES		SNAPSHOT_MAX_TOTAL	/* bytes parsed */

struct conf_word {
	char *text;		/* NUL-terminated, quotes and escapes removed */
	struct conf_pos pos;	/* where the word (or its opening quote) starts */
	bool quoted;
};

struct conf_node {
	struct conf_pos pos;		/* position of words[0] */
	struct conf_word *words;	/* at least one */
	size_t nwords;
	bool has_block;			/* a `{ ... }` followed the words */
	struct conf_pos block_pos;	/* position of the `{` */
	struct conf_node *children;	/* statements of the block */
	size_t nchildren;
};

/* Parse the file `path` (and its includes) read through `snap`.  Returns a
 * root node whose children are the top-level statements; never NULL except on
 * allocation failure.  All problems are added to `d`.  The root has no
 * words; its pos.file is `path`.  The file names in positions are owned by
 * the tree and stay valid until conf_tree_free(). */
struct conf_node *conf_parse(struct snapshot *snap, const char *path, struct diags *d);

/* Free a tree returned by conf_parse() (only roots: the root also owns the
 * file names that positions point to).  NULL is ignored. */
void conf_tree_free(struct conf_node *root);

#endif
