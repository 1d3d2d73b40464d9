/* Keyword tables of the checker child's configuration: the top-level
 * blocks virtual_server, virtual_server_group and SSL, and the checker
 * keywords of global_defs (lvs_timeouts, lvs_sync_daemon, lvs_flush,
 * lvs_flush_on_stop).  Cross-object checks run in check_conf_validate()
 * once the whole file is read. */
#ifndef KA_CHECK_PARSER_H
#define KA_CHECK_PARSER_H

#include "check_conf.h"
#include "keyword.h"

/* Top-level keywords; handlers take a struct check_conf *. */
extern const struct keyword check_top_keywords[];
/* global_defs keywords; handlers take a struct check_globals *. */
extern const struct keyword check_global_keywords[];

void check_conf_init(struct check_conf *c);
void check_conf_free(struct check_conf *c);

/* Checks that need the whole file: virtual_server group names resolved,
 * the same IPVS service configured twice (directly or through groups),
 * protocol and address families of group services, unused groups.
 * Frees the parse-time side table. */
void check_conf_validate(struct check_conf *c, struct diags *d);

#endif
