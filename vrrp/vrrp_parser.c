/* Top-level VRRP keywords.  The blocks' contents are the subject of issue #3;
 * for now each block is recognised and counted (so the parent knows to start
 * the VRRP child) and reported with a warning that names what is missing. */
#include "config.h"

#include <string.h>

#include "vrrp_parser.h"

void vrrp_conf_init(struct vrrp_conf *c)
{
	memset(c, 0, sizeof(*c));
}

const struct keyword vrrp_global_keywords[] = {
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

void vrrp_conf_free(struct vrrp_conf *c)
{
	(void)c;
}

static void not_yet(struct diags *d, const struct conf_node *n)
{
	diag_warn(d, &n->pos, "'%s' is recognised but VRRP is not implemented yet "
		  "(issue #3): block ignored", n->words[0].text);
}

static void kw_vrrp_instance(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_conf *c = obj;

	not_yet(d, n);
	c->n_instances++;
}

static void kw_vrrp_sync_group(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_conf *c = obj;

	not_yet(d, n);
	c->n_groups++;
}

static void kw_vrrp_script(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_conf *c = obj;

	not_yet(d, n);
	c->n_scripts++;
}

const struct keyword vrrp_top_keywords[] = {
	{ "vrrp_instance", kw_vrrp_instance, 1, 1, KW_BLOCK },
	{ "vrrp_sync_group", kw_vrrp_sync_group, 1, 1, KW_BLOCK },
	{ "vrrp_script", kw_vrrp_script, 1, 1, KW_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

void vrrp_conf_validate(struct vrrp_conf *c, struct diags *d)
{
	(void)c;
	(void)d;
}
