/* Virtual links over rtnetlink, for use_vmac: creating a macvlan on a
 * parent link, describing a link (its kind, its parent, its MAC), setting
 * it up, and deleting it.  Requests go through the command socket of a
 * struct nl_route (lib/nl_route.h) and wait for the kernel's ack, which
 * rtnetlink gives at once; the link events they cause arrive later through
 * nl_route's event callbacks, like any other. */
#ifndef KA_NL_LINK_H
#define KA_NL_LINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "nl_route.h"

/* What tells a link keepalived made from one somebody else made. */
struct nl_link_detail {
	int ifindex;
	int parent;		/* IFLA_LINK: the lower link's ifindex, 0 if none */
	char kind[16];		/* IFLA_INFO_KIND ("macvlan", "veth"), "" if none */
	uint32_t macvlan_mode;	/* MACVLAN_MODE_* when kind is "macvlan", else 0 */
	uint8_t mac[6];		/* zeros for links without a 6-byte address */
};

/* Describe the link called `name`.  0, -ENODEV when there is none, or
 * -errno. */
int nl_link_detail(struct nl_route *nr, const char *name, struct nl_link_detail *out);

/* Create `name`, a macvlan of link `parent` in macvlan `mode`
 * (MACVLAN_MODE_PRIVATE, ...), with MAC address `mac`, administratively
 * down.  0, or -errno from the kernel: -EEXIST when the name is taken,
 * -ENODEV when the parent is gone, -EOPNOTSUPP (or -EINVAL) without macvlan
 * support in the kernel. */
int nl_macvlan_add(struct nl_route *nr, const char *name, int parent, const uint8_t mac[6],
		   uint32_t mode);

/* Set IFF_UP on the link, or clear it.  0 or -errno (-ENODEV). */
int nl_link_set_up(struct nl_route *nr, int ifindex, bool up);

/* Delete the link.  0 or -errno (-ENODEV when it is already gone). */
int nl_link_del(struct nl_route *nr, int ifindex);

#endif
