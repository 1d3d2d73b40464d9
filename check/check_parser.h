/* Configuration owned by the checker child: virtual_server and
 * virtual_server_group.  Until the checker implements them (issue #4) the
 * blocks are recognised, counted and reported as not implemented. */
#ifndef KA_CHECK_PARSER_H
#define KA_CHECK_PARSER_H

#include "keyword.h"

struct check_conf {
	unsigned n_virtual_servers;
	unsigned n_groups;
};

extern const struct keyword check_top_keywords[];

void check_conf_init(struct check_conf *c);
void check_conf_free(struct check_conf *c);
void check_conf_validate(struct check_conf *c, struct diags *d);

#endif
