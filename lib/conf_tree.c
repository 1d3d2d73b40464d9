/* Statement and block parser of the configuration language; see
 * conf_tree.h for the syntax and conf_lex.h for the token-level decisions.
 *
 * Shape of the recursion: parse_statements -> parse_statement -> (a block)
 * parse_statements, at most CONF_MAX_DEPTH deep, and -> (an include)
 * parse_text -> parse_statements, at most CONF_MAX_INCLUDE_DEPTH deep.
 * Blocks nested deeper than the limit are skipped by counting braces, so no
 * input can make the recursion deeper than those two limits together.
 *
 * Braces balance within each file: an included file cannot close a block
 * of the file that includes it, and its unclosed blocks are reported at the
 * end of that file. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "conf_lex.h"
#include "conf_tree.h"

/* The root owns the file names that positions point to. */
struct conf_root {
	struct conf_node node;	/* first, so a root node is a conf_root */
	char **names;
	size_t nnames, names_cap;
};

struct node_list {
	struct conf_node *items;
	size_t len, cap;
};

struct parser {
	struct snapshot *snap;
	struct diags *d;
	struct conf_root *root;
	/* Tidied paths of the files being read, root first: the include stack
	 * that loops are detected against. */
	const char *open_files[CONF_MAX_INCLUDE_DEPTH + 1];
	unsigned nopen;
	unsigned includes;	/* files included so far */
	size_t bytes;		/* bytes parsed so far */
	bool over_budget;	/* the work limit was reported */
};

static void parse_text(struct parser *ps, const char *name, const char *data, size_t len,
		       struct node_list *out, unsigned depth);

/* ---- memory ---------------------------------------------------------- */

static void words_free(struct conf_word *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(words[i].text);
	free(words);
}

static void node_free_contents(struct conf_node *n)
{
	size_t i;

	words_free(n->words, n->nwords);
	for (i = 0; i < n->nchildren; i++)
		node_free_contents(&n->children[i]);
	free(n->children);
}

static void out_of_memory(struct parser *ps)
{
	diag_error(ps->d, NULL, "out of memory while parsing the configuration");
}

/* Append n to l, taking ownership of its contents (freed on failure). */
static void list_add(struct parser *ps, struct node_list *l, struct conf_node *n)
{
	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct conf_node *items = realloc(l->items, cap * sizeof(*items));

		if (!items) {
			out_of_memory(ps);
			node_free_contents(n);
			return;
		}
		l->items = items;
		l->cap = cap;
	}
	l->items[l->len++] = *n;
}

/* Keep a copy of `name` for as long as the tree lives. */
static const char *intern_name(struct parser *ps, const char *name)
{
	struct conf_root *r = ps->root;
	char *copy;

	if (r->nnames == r->names_cap) {
		size_t cap = r->names_cap ? r->names_cap * 2 : 8;
		char **names = realloc(r->names, cap * sizeof(*names));

		if (!names)
			return NULL;
		r->names = names;
		r->names_cap = cap;
	}
	copy = strdup(name);
	if (copy)
		r->names[r->nnames++] = copy;
	return copy;
}

/* ---- paths ----------------------------------------------------------- */

/* `path` with empty and "." components removed ("a//./b" -> "a/b"), which
 * never changes the file it names.  ".." is kept: through a symbolic link
 * it does not mean "drop the previous component". */
static char *path_tidy(const char *path)
{
	char *out = malloc(strlen(path) + 2);
	const char *p = path;
	size_t o = 0;

	if (!out)
		return NULL;
	if (*p == '/')
		out[o++] = '/';
	while (*p) {
		const char *end;

		while (*p == '/')
			p++;
		end = strchrnul(p, '/');
		if (end > p && !(end - p == 1 && *p == '.')) {
			if (o > 0 && out[o - 1] != '/')
				out[o++] = '/';
			memcpy(out + o, p, (size_t)(end - p));
			o += (size_t)(end - p);
		}
		p = end;
	}
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
	return out;
}

static bool has_glob_magic(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* The including file's directory (with its '/'), then `pattern`; an
 * absolute pattern is used as it is.  For a glob, the directory's own
 * magic characters are escaped so that they match only themselves. */
static char *include_path(const char *includer, const char *pattern, bool for_glob)
{
	const char *slash = strrchr(includer, '/');
	size_t dir = pattern[0] == '/' || !slash ? 0 : (size_t)(slash - includer) + 1;
	char *out = malloc(dir * 2 + strlen(pattern) + 1);
	size_t i, o = 0;

	if (!out)
		return NULL;
	for (i = 0; i < dir; i++) {
		if (for_glob && strchr("*?[\\", includer[i]))
			out[o++] = '\\';
		out[o++] = includer[i];
	}
	strcpy(out + o, pattern);
	return out;
}

static const char *reason(int err)
{
	if (err == EINVAL)
		return "not a regular file";
	return strerror(err);
}

/* ---- includes -------------------------------------------------------- */

/* Whether one more file of `len` bytes fits in the whole-parse work limits
 * (reported once when it does not). */
static bool within_budget(struct parser *ps, const struct conf_pos *pos, size_t len)
{
	if (ps->over_budget)
		return false;
	if (ps->includes < CONF_MAX_INCLUDES && len <= CONF_MAX_BYTES - ps->bytes) {
		ps->includes++;
		ps->bytes += len;
		return true;
	}
	ps->over_budget = true;
	if (ps->includes >= CONF_MAX_INCLUDES)
		diag_error(ps->d, pos, "more than %u included files; further includes ignored",
			   CONF_MAX_INCLUDES);
	else
		diag_error(ps->d, pos,
			   "more than %u MiB of configuration read (counting repeated includes); "
			   "further includes ignored", CONF_MAX_BYTES >> 20);
	return false;
}

/* `path` with "." and ".." resolved by name, into buf (size PATH_MAX).
 * Files are still opened by their tidied path, since ".." after a symlink
 * leads elsewhere; this form only serves to recognise a file already on the
 * include stack, so that "d/../k.conf" including "k.conf" is called a loop
 * rather than running into the depth limit. */
static const char *lexical_path(const char *path, char *buf)
{
	size_t len = 0, keep = 0;	/* buf[0..keep) cannot be climbed out of */
	const char *p = path;

	if (*p == '/')
		buf[len++] = '/', keep = 1;
	while (*p) {
		const char *end = strchrnul(p, '/');
		size_t n = (size_t)(end - p);

		if (n == 2 && p[0] == '.' && p[1] == '.' && len > keep) {
			while (len > keep && buf[len - 1] != '/')
				len--;
			if (len > keep)
				len--;
		} else if (n == 2 && p[0] == '.' && p[1] == '.' && *path == '/') {
			;	/* "/.." is "/" */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			/* a relative path climbing above its start keeps its ".." */
			if (len + 4 < PATH_MAX) {
				memcpy(buf + len, len > keep ? "/.." : "..", len > keep ? 3 : 2);
				len += len > keep ? 3 : 2;
				keep = len;
			}
		} else if (n > 0 && !(n == 1 && p[0] == '.') && len + n + 2 < PATH_MAX) {
			if (len > 0 && buf[len - 1] != '/')
				buf[len++] = '/';
			memcpy(buf + len, p, n);
			len += n;
		}
		p = *end ? end + 1 : end;
	}
	buf[len] = '\0';
	return buf;
}

static bool already_open(const struct parser *ps, const char *path)
{
	char want[PATH_MAX], have[PATH_MAX];
	unsigned i;

	lexical_path(path, want);
	for (i = 0; i < ps->nopen; i++)
		if (strcmp(lexical_path(ps->open_files[i], have), want) == 0)
			return true;
	return false;
}

/* Include one file (path already tidied) at `pos`, splicing its statements
 * into `out`. */
static void include_file(struct parser *ps, const struct conf_pos *pos, const char *path,
			 struct node_list *out, unsigned depth)
{
	char shown[DIAG_PATH_BUF];
	const char *data, *name;
	size_t len;
	int err;

	diag_path(path, shown, sizeof(shown));
	if (already_open(ps, path)) {
		diag_error(ps->d, pos, "include loop: '%s' is already being read", shown);
		return;
	}
	if (snapshot_file(ps->snap, path, &data, &len, &err) < 0) {
		if (err == ENOENT)
			diag_error(ps->d, pos, "include file '%s' not found", shown);
		else
			diag_error(ps->d, pos, "cannot read include file '%s': %s", shown,
				   reason(err));
		return;
	}
	if (!within_budget(ps, pos, len))
		return;
	name = intern_name(ps, path);
	if (!name) {
		out_of_memory(ps);
		return;
	}
	ps->open_files[ps->nopen++] = name;
	parse_text(ps, name, data, len, out, depth);
	ps->nopen--;
}

/* Include every file a glob pattern matches, in sorted order. */
static void include_glob(struct parser *ps, const struct conf_pos *pos, const char *pattern,
			 struct node_list *out, unsigned depth)
{
	char shown[DIAG_PATH_BUF];
	const char *const *paths;
	size_t i, n;
	int err;

	diag_path(pattern, shown, sizeof(shown));
	if (snapshot_glob(ps->snap, pattern, &paths, &n, &err) < 0) {
		if (err == E2BIG)
			diag_error(ps->d, pos, "include pattern '%s' matches more than %d files",
				   shown, SNAPSHOT_MAX_GLOB);
		else
			diag_error(ps->d, pos, "cannot expand include pattern '%s': %s", shown,
				   reason(err));
		return;
	}
	if (n == 0)
		diag_warn(ps->d, pos, "include pattern '%s' matches no file", shown);
	for (i = 0; i < n; i++) {
		char *path = path_tidy(paths[i]);

		if (!path) {
			out_of_memory(ps);
			return;
		}
		include_file(ps, pos, path, out, depth);
		free(path);
	}
}

/* `include PATTERN`, read from the file `includer`. */
static void do_include(struct parser *ps, const char *includer, const struct conf_word *kw,
		       const char *pattern, struct node_list *out, unsigned depth)
{
	bool glob = has_glob_magic(pattern);
	char *joined, *path;

	if (ps->nopen > CONF_MAX_INCLUDE_DEPTH) {
		diag_error(ps->d, &kw->pos, "includes nested deeper than %d levels",
			   CONF_MAX_INCLUDE_DEPTH);
		return;
	}
	joined = include_path(includer, pattern, glob);
	path = joined && !glob ? path_tidy(joined) : NULL;
	if (!joined || (!glob && !path))
		out_of_memory(ps);
	else if (glob)
		include_glob(ps, &kw->pos, joined, out, depth);
	else
		include_file(ps, &kw->pos, path, out, depth);
	free(path);
	free(joined);
}

/* ---- statements and blocks ------------------------------------------- */

/* Skip a block whose `{` was just read, up to its matching `}`, without
 * building anything; used for blocks that cannot be kept.  Iterative, so
 * any depth of nesting costs no stack. */
static void skip_block(struct lexer *lx, const struct conf_pos *open)
{
	size_t depth = 1;
	struct token t;

	for (;;) {
		lex_next(lx, &t);
		free(t.text);
		if (t.kind == TOK_OPEN) {
			depth++;
		} else if (t.kind == TOK_CLOSE && --depth == 0) {
			return;
		} else if (t.kind == TOK_EOF) {
			diag_error(lx->d, open, "unclosed '{'");
			return;
		}
	}
}

static bool parse_statements(struct parser *ps, struct lexer *lx, struct node_list *out,
			     unsigned depth, bool in_block);

/* Read the rest of a statement's words after `first`.  Returns whether a
 * block follows, its `{` having been read; a `{` on a later line still
 * belongs to the statement when only blank and comment lines come between. */
static bool read_words(struct parser *ps, struct lexer *lx, struct token *first,
		       struct conf_node *n, struct conf_pos *open)
{
	size_t cap = 4;
	struct token t;

	n->words = malloc(cap * sizeof(*n->words));
	if (!n->words) {
		free(first->text);
		out_of_memory(ps);
		return false;
	}
	t = *first;
	for (;;) {
		if (n->nwords == cap) {
			struct conf_word *w = realloc(n->words, 2 * cap * sizeof(*w));

			if (!w) {
				free(t.text);
				out_of_memory(ps);
				return false;
			}
			n->words = w;
			cap *= 2;
		}
		n->words[n->nwords].text = t.text;
		n->words[n->nwords].pos = t.pos;
		n->words[n->nwords++].quoted = t.quoted;
		lex_next(lx, &t);
		while (t.kind == TOK_EOL) {
			lex_next(lx, &t);
			if (t.kind == TOK_WORD || t.kind == TOK_CLOSE) {
				lex_unget(lx, &t);
				return false;
			}
		}
		if (t.kind == TOK_OPEN) {
			*open = t.pos;
			return true;
		}
		if (t.kind != TOK_WORD) {
			lex_unget(lx, &t);
			return false;
		}
	}
}

/* Parse a block whose `{` was just read into n's children.  Reports an
 * unclosed block; returns false when the block cannot be kept. */
static void report_unclosed(struct parser *ps, const struct conf_node *n)
{
	char shown[DIAG_TEXT_BUF];

	diag_error(ps->d, &n->block_pos, "unclosed '{' of '%s'",
		   diag_text(n->words[0].text, shown, sizeof(shown)));
}

static bool parse_block(struct parser *ps, struct lexer *lx, struct conf_node *n,
			unsigned depth)
{
	struct node_list children = { NULL, 0, 0 };

	if (depth >= CONF_MAX_DEPTH) {
		diag_error(ps->d, &n->block_pos, "blocks nested deeper than %d levels",
			   CONF_MAX_DEPTH);
		skip_block(lx, &n->block_pos);
		return false;
	}
	if (!parse_statements(ps, lx, &children, depth + 1, true))
		report_unclosed(ps, n);
	n->children = children.items;
	n->nchildren = children.len;
	return true;
}

/* One statement starting with the word `first`; the node goes to `out`,
 * or, for an include, the included statements do. */
static void parse_statement(struct parser *ps, struct lexer *lx, struct token *first,
			    struct node_list *out, unsigned depth)
{
	struct conf_node n;
	bool keep;

	memset(&n, 0, sizeof(n));
	n.pos = first->pos;
	n.has_block = read_words(ps, lx, first, &n, &n.block_pos);
	if (n.nwords == 0) {
		node_free_contents(&n);
		return;
	}
	keep = n.has_block ? parse_block(ps, lx, &n, depth) : true;
	if (keep && strcmp(n.words[0].text, "include") == 0) {
		if (n.nwords != 2)
			diag_error(ps->d, &n.pos, "'include' takes 1 argument, got %zu",
				   n.nwords - 1);
		else if (n.has_block)
			diag_error(ps->d, &n.block_pos, "'include' does not take a block");
		else
			do_include(ps, lx->file, &n.words[0], n.words[1].text, out, depth);
		keep = false;
	}
	if (keep)
		list_add(ps, out, &n);
	else
		node_free_contents(&n);
}

/* Statements up to the `}` closing the current block (returns true) or up
 * to the end of the file (returns false).  Outside a block of this file
 * (`in_block` false) a `}` is an error and is ignored. */
static bool parse_statements(struct parser *ps, struct lexer *lx, struct node_list *out,
			     unsigned depth, bool in_block)
{
	struct token t;

	for (;;) {
		lex_next(lx, &t);
		switch (t.kind) {
		case TOK_EOL:
			break;
		case TOK_EOF:
			return false;
		case TOK_CLOSE:
			if (in_block)
				return true;
			diag_error(ps->d, &t.pos, "unexpected '}'");
			break;
		case TOK_OPEN:
			diag_error(ps->d, &t.pos, "block without keyword");
			skip_block(lx, &t.pos);
			break;
		case TOK_WORD:
			parse_statement(ps, lx, &t, out, depth);
			break;
		}
	}
}

static void parse_text(struct parser *ps, const char *name, const char *data, size_t len,
		       struct node_list *out, unsigned depth)
{
	struct lexer lx;

	lex_init(&lx, name, data, len, ps->d);
	parse_statements(ps, &lx, out, depth, false);
	lex_free(&lx);
}

/* ---- entry points ---------------------------------------------------- */

static void parse_root(struct parser *ps, const char *path, struct node_list *top)
{
	const char *data, *name, *tidy_name;
	char *tidy = path_tidy(path);
	size_t len;
	int err;

	name = intern_name(ps, path);
	tidy_name = tidy ? intern_name(ps, tidy) : NULL;
	free(tidy);
	if (!name || !tidy_name) {
		out_of_memory(ps);
		return;
	}
	ps->root->node.pos.file = name;
	if (snapshot_file(ps->snap, path, &data, &len, &err) < 0) {
		char shown[DIAG_PATH_BUF];

		diag_error(ps->d, NULL, "cannot read config file '%s': %s",
			   diag_path(path, shown, sizeof(shown)), reason(err));
		return;
	}
	ps->bytes = len;
	ps->open_files[ps->nopen++] = tidy_name;
	parse_text(ps, name, data, len, top, 0);
}

struct conf_node *conf_parse(struct snapshot *snap, const char *path, struct diags *d)
{
	struct parser ps;
	struct node_list top = { NULL, 0, 0 };

	memset(&ps, 0, sizeof(ps));
	ps.snap = snap;
	ps.d = d;
	ps.root = calloc(1, sizeof(*ps.root));
	if (!ps.root) {
		out_of_memory(&ps);
		return NULL;
	}
	parse_root(&ps, path, &top);
	ps.root->node.children = top.items;
	ps.root->node.nchildren = top.len;
	return &ps.root->node;
}

void conf_tree_free(struct conf_node *root)
{
	struct conf_root *r = (struct conf_root *)root;
	size_t i;

	if (!r)
		return;
	node_free_contents(&r->node);
	for (i = 0; i < r->nnames; i++)
		free(r->names[i]);
	free(r->names);
	free(r);
}
