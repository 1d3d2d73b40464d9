/* The tokenizer of the configuration language, private to conf_tree.c.
 *
 * Decisions that conf_tree.h leaves open:
 *   - `#` and `!` start a comment only where a word could start; inside a
 *     word (`a#b`) they are ordinary characters.  Comments may hold any
 *     bytes, control characters included.
 *   - A word may be made of unquoted and quoted parts written together:
 *     `a"b c"d` is the one word `ab cd` (marked quoted).  Outside quotes a
 *     backslash is an ordinary character; inside, only \" and \\ are
 *     escapes and any other backslash is kept as written.
 *   - Columns count bytes from 1 (a tab is one column).
 *   - CR is ignored just before LF; anywhere else it is a control
 *     character.  Control characters other than tab (and DEL) are errors,
 *     reported one by one and then treated as blanks (dropped in quotes).
 *   - Bytes >= 0x80 are taken as they are: no UTF-8 validation.
 *   - A line longer than CONF_MAX_LINE bytes (not counting its LF) is one
 *     error at its column 1 and is skipped whole. */
#ifndef KA_CONF_LEX_H
#define KA_CONF_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum tok_kind { TOK_WORD, TOK_OPEN, TOK_CLOSE, TOK_EOL, TOK_EOF };

struct token {
	enum tok_kind kind;
	struct conf_pos pos;
	char *text;		/* TOK_WORD only: malloc'd, the receiver's to free */
	bool quoted;
};

struct lexer {
	const char *cur, *end;
	const char *line_start;
	unsigned line;
	bool line_checked;	/* the length of the current line was checked */
	bool out_of_memory;	/* reported once; the lexer then reports EOF */
	const char *file;
	struct diags *d;
	struct token pushed;
	bool has_pushed;
	char *word;		/* the word being built */
	size_t word_len, word_cap;
};

/* Tokenize data[0..len) of `file` (kept by pointer), reporting into d. */
void lex_init(struct lexer *lx, const char *file, const char *data, size_t len,
	      struct diags *d);
void lex_free(struct lexer *lx);

/* The next token.  Errors (bad characters, unterminated quotes, long lines)
 * are reported here and never returned as tokens. */
void lex_next(struct lexer *lx, struct token *t);

/* Give back one token; the next lex_next() returns it again. */
void lex_unget(struct lexer *lx, const struct token *t);

#endif
