/* Configuration owned by the VRRP child: vrrp_instance, vrrp_sync_group,
 * vrrp_script.  Until the VRRP child implements them (issue #3) the blocks
 * are recognised, counted and reported as not implemented. */
#ifndef KA_VRRP_PARSER_H
#define KA_VRRP_PARSER_H

#include "keyword.h"

struct vrrp_conf {
	unsigned n_instances;
	unsigned n_sync_groups;
	unsigned n_scripts;
};

extern const struct keyword vrrp_top_keywords[];

void vrrp_conf_init(struct vrrp_conf *c);
void vrrp_conf_free(struct vrrp_conf *c);
/* Checks that need the whole file. */
void vrrp_conf_validate(struct vrrp_conf *c, struct diags *d);

#endif
