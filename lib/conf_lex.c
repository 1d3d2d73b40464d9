/* Tokenizer of the configuration language; see conf_lex.h.
 *
 * Every byte is looked at a bounded number of times (long lines are found
 * with one memchr and skipped), so any input is tokenized in linear time
 * and with memory bounded by CONF_MAX_LINE per word. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf_lex.h"
#include "conf_tree.h"

void lex_init(struct lexer *lx, const char *file, const char *data, size_t len,
	      struct diags *d)
{
	memset(lx, 0, sizeof(*lx));
	lx->cur = data;
	lx->end = data + len;
	lx->line_start = data;
	lx->line = 1;
	lx->file = file;
	lx->d = d;
}

void lex_free(struct lexer *lx)
{
	if (lx->has_pushed)
		free(lx->pushed.text);
	free(lx->word);
	lx->has_pushed = false;
	lx->word = NULL;
}

void lex_unget(struct lexer *lx, const struct token *t)
{
	lx->pushed = *t;
	lx->has_pushed = true;
}

static struct conf_pos pos_at(const struct lexer *lx, const char *p)
{
	struct conf_pos pos = { lx->file, lx->line, (unsigned)(p - lx->line_start) + 1 };

	return pos;
}

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static bool crlf_at(const struct lexer *lx, const char *p)
{
	return p[0] == '\r' && p + 1 < lx->end && p[1] == '\n';
}

static void new_line(struct lexer *lx, const char *start)
{
	lx->cur = start;
	lx->line++;
	lx->line_start = start;
	lx->line_checked = false;
}

/* At the start of a line: skip it whole, with one error, when it is longer
 * than CONF_MAX_LINE.  Such a line still ends the statement before it,
 * because that statement already saw its own newline. */
static void check_line_length(struct lexer *lx)
{
	while (lx->cur < lx->end) {
		const char *nl = memchr(lx->cur, '\n', (size_t)(lx->end - lx->cur));
		size_t len = (size_t)((nl ? nl : lx->end) - lx->cur);
		struct conf_pos pos = pos_at(lx, lx->cur);

		if (len <= CONF_MAX_LINE)
			break;
		diag_error(lx->d, &pos, "line longer than %u bytes; ignored", CONF_MAX_LINE);
		if (!nl) {
			lx->cur = lx->end;
			break;
		}
		new_line(lx, nl + 1);
	}
	lx->line_checked = true;
}

static void bad_char(struct lexer *lx)
{
	struct conf_pos pos = pos_at(lx, lx->cur);

	diag_error(lx->d, &pos, "invalid character 0x%02x", (unsigned char)*lx->cur);
	lx->cur++;
}

/* Out of memory: report it once; the lexer then ends the file. */
static void lex_oom(struct lexer *lx)
{
	if (!lx->out_of_memory)
		diag_error(lx->d, NULL, "out of memory reading '%s'", lx->file);
	lx->out_of_memory = true;
}

static void word_add(struct lexer *lx, char c)
{
	if (lx->word_len + 1 >= lx->word_cap) {
		size_t cap = lx->word_cap ? lx->word_cap * 2 : 64;
		char *w = realloc(lx->word, cap);

		if (!w) {
			lex_oom(lx);
			return;
		}
		lx->word = w;
		lx->word_cap = cap;
	}
	lx->word[lx->word_len++] = c;
}

/* A quoted part, from its opening quote.  It cannot span lines: a missing
 * closing quote is reported at the opening one and the part ends with the
 * line, leaving the newline for the caller. */
static void lex_quoted(struct lexer *lx)
{
	struct conf_pos open = pos_at(lx, lx->cur);

	lx->cur++;
	for (;;) {
		unsigned char c;

		if (lx->cur >= lx->end || *lx->cur == '\n' || crlf_at(lx, lx->cur)) {
			diag_error(lx->d, &open, "unterminated quoted string");
			return;
		}
		c = (unsigned char)*lx->cur;
		if (c == '"') {
			lx->cur++;
			return;
		}
		if (c == '\\' && lx->cur + 1 < lx->end &&
		    (lx->cur[1] == '"' || lx->cur[1] == '\\')) {
			word_add(lx, lx->cur[1]);
			lx->cur += 2;
		} else if (is_control(c) && c != '\t') {
			bad_char(lx);
		} else {
			word_add(lx, (char)c);
			lx->cur++;
		}
	}
}

static bool ends_word(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '{' || c == '}' || is_control(c);
}

static void lex_word(struct lexer *lx, struct token *t)
{
	t->kind = TOK_WORD;
	t->pos = pos_at(lx, lx->cur);
	lx->word_len = 0;
	while (lx->cur < lx->end) {
		unsigned char c = (unsigned char)*lx->cur;

		if (c == '"') {
			t->quoted = true;
			lex_quoted(lx);
		} else if (ends_word(c)) {
			break;
		} else {
			word_add(lx, (char)c);
			lx->cur++;
		}
	}
	t->text = lx->out_of_memory ? NULL : strndup(lx->word ? lx->word : "", lx->word_len);
	if (!t->text)
		lex_oom(lx);
}

/* Tokens that are a single character: newline and braces. */
static bool lex_single(struct lexer *lx, struct token *t)
{
	switch (*lx->cur) {
	case '\n':
		t->kind = TOK_EOL;
		t->pos = pos_at(lx, lx->cur);
		new_line(lx, lx->cur + 1);
		return true;
	case '{':
	case '}':
		t->kind = *lx->cur == '{' ? TOK_OPEN : TOK_CLOSE;
		t->pos = pos_at(lx, lx->cur);
		lx->cur++;
		return true;
	default:
		return false;
	}
}

/* Skip what produces no token: blanks, comments, the CR of a CRLF, and
 * (after reporting them) control characters.  Returns false at a token. */
static bool lex_skip(struct lexer *lx)
{
	unsigned char c = (unsigned char)*lx->cur;
	const char *nl;

	if (c == ' ' || c == '\t' || crlf_at(lx, lx->cur)) {
		lx->cur++;
	} else if (c == '#' || c == '!') {
		nl = memchr(lx->cur, '\n', (size_t)(lx->end - lx->cur));
		lx->cur = nl ? nl : lx->end;
	} else if (is_control(c) && c != '\n') {
		bad_char(lx);
	} else {
		return false;
	}
	return true;
}

void lex_next(struct lexer *lx, struct token *t)
{
	if (lx->has_pushed) {
		*t = lx->pushed;
		lx->has_pushed = false;
		return;
	}
	memset(t, 0, sizeof(*t));
	for (;;) {
		if (!lx->line_checked)
			check_line_length(lx);
		if (lx->cur >= lx->end || lx->out_of_memory) {
			t->kind = TOK_EOF;
			t->pos = pos_at(lx, lx->cur);
			return;
		}
		if (lex_single(lx, t))
			return;
		if (lex_skip(lx))
			continue;
		lex_word(lx, t);
		if (t->text)
			return;
	}
}
