/* Keyword tables of the VRRP child's configuration: the top-level blocks
 * vrrp_instance, vrrp_sync_group and vrrp_script, and the VRRP keywords of
 * global_defs.  Cross-object checks run in vrrp_conf_validate() once the
 * whole file is read. */
#ifndef KA_VRRP_PARSER_H
#define KA_VRRP_PARSER_H

#include "keyword.h"
#include "vrrp_conf.h"

/* Top-level keywords; handlers take a struct vrrp_conf *. */
extern const struct keyword vrrp_top_keywords[];
/* global_defs keywords; handlers take a struct vrrp_globals *. */
extern const struct keyword vrrp_global_keywords[];

void vrrp_conf_init(struct vrrp_conf *c);
void vrrp_conf_free(struct vrrp_conf *c);

/* Checks that need the whole file: names resolved (track_script,
 * sync group members), duplicate VRIDs per interface, unicast peers without
 * a source, ...; global defaults applied to instances that did not set
 * their own. */
void vrrp_conf_validate(struct vrrp_conf *c, struct diags *d);

#endif
