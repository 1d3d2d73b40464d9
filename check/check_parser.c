/* Top-level checker keywords.  The blocks' contents are the subject of
 * issue #4; for now each block is recognised and counted (so the parent knows
 * to start the checker child) and reported with a warning. */
#include "config.h"

#include <string.h>

#include "check_parser.h"

void check_conf_init(struct check_conf *c)
{
	memset(c, 0, sizeof(*c));
}

void check_conf_free(struct check_conf *c)
{
	(void)c;
}

static void not_yet(struct diags *d, const struct conf_node *n)
{
	diag_warn(d, &n->pos, "'%s' is recognised but the checker is not implemented yet "
		  "(issue #4): block ignored", n->words[0].text);
}

static void kw_virtual_server(struct diags *d, const struct conf_node *n, void *obj)
{
	struct check_conf *c = obj;

	not_yet(d, n);
	c->n_virtual_servers++;
}

static void kw_virtual_server_group(struct diags *d, const struct conf_node *n, void *obj)
{
	struct check_conf *c = obj;

	not_yet(d, n);
	c->n_groups++;
}

const struct keyword check_top_keywords[] = {
	{ "virtual_server", kw_virtual_server, 1, 2, KW_BLOCK },
	{ "virtual_server_group", kw_virtual_server_group, 1, 1, KW_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

void check_conf_validate(struct check_conf *c, struct diags *d)
{
	(void)c;
	(void)d;
}
