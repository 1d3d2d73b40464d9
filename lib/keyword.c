/* Keyword tables; see keyword.h.  Tables are short (tens of entries) and
 * read once per statement, so a linear search is all they need. */
#include "config.h"

#include <string.h>

#include "keyword.h"

const struct keyword *kw_find(const struct keyword *table, const char *name)
{
	for (; table->name; table++)
		if (strcmp(table->name, name) == 0)
			return table;
	return NULL;
}

static const char *plural(long n)
{
	return n == 1 ? "" : "s";
}

/* "'x' takes 1 argument, got 0" and its variants for ranges. */
static void report_arity(struct diags *d, const struct keyword *kw, const struct conf_node *node,
			 size_t got)
{
	char name[DIAG_TEXT_BUF];

	diag_text(kw->name, name, sizeof(name));
	if (kw->max_args == 0)
		diag_error(d, &node->pos, "'%s' takes no arguments, got %zu", name, got);
	else if (kw->min_args == kw->max_args)
		diag_error(d, &node->pos, "'%s' takes %d argument%s, got %zu", name,
			   kw->min_args, plural(kw->min_args), got);
	else if (kw->max_args < 0)
		diag_error(d, &node->pos, "'%s' takes at least %d argument%s, got %zu", name,
			   kw->min_args, plural(kw->min_args), got);
	else
		diag_error(d, &node->pos, "'%s' takes %d to %d arguments, got %zu", name,
			   kw->min_args, kw->max_args, got);
}

bool kw_check_shape(struct diags *d, const struct keyword *kw, const struct conf_node *node)
{
	size_t got = node->nwords ? node->nwords - 1 : 0;
	bool ok = true;
	char name[DIAG_TEXT_BUF];

	if (got < (size_t)(kw->min_args > 0 ? kw->min_args : 0) ||
	    (kw->max_args >= 0 && got > (size_t)kw->max_args)) {
		report_arity(d, kw, node, got);
		ok = false;
	}
	diag_text(kw->name, name, sizeof(name));
	if (kw->block == KW_BLOCK && !node->has_block) {
		diag_error(d, &node->pos, "'%s' needs a block '{ ... }'", name);
		ok = false;
	} else if (kw->block == KW_NO_BLOCK && node->has_block) {
		diag_error(d, &node->block_pos, "'%s' does not take a block", name);
		ok = false;
	}
	return ok;
}

bool kw_try_dispatch(struct diags *d, const struct keyword *table,
		     const struct conf_node *node, void *obj)
{
	const struct keyword *kw;

	if (node->nwords == 0)
		return false;
	kw = kw_find(table, node->words[0].text);
	if (!kw)
		return false;
	if (kw_check_shape(d, kw, node) && kw->handler)
		kw->handler(d, node, obj);
	return true;
}

void kw_dispatch(struct diags *d, const struct keyword *table, const char *where,
		 const struct conf_node *nodes, size_t n, void *obj)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct conf_node *node = &nodes[i];

		if (node->nwords == 0 || kw_try_dispatch(d, table, node, obj))
			continue;
		kw_unknown(d, node, where);
	}
}

void kw_unknown(struct diags *d, const struct conf_node *node, const char *where)
{
	char name[DIAG_TEXT_BUF];

	/* The block of an unknown keyword is not looked at: what it holds
	 * means nothing without the keyword. */
	diag_error(d, &node->pos, "unknown keyword '%s' in %s",
		   diag_text(node->words[0].text, name, sizeof(name)), where);
}
