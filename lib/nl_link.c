/* macvlan links over rtnetlink (see nl_link.h).  The messages are built
 * attribute by attribute with libnl's message API: the layout the kernel
 * expects (IFLA_LINKINFO > IFLA_INFO_KIND + IFLA_INFO_DATA > IFLA_MACVLAN_*)
 * is then visible here rather than hidden in a libnl link object. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "nl_link.h"

/* An RTM_*LINK request about one link; NULL when out of memory. */
static struct nl_msg *link_msg(int type, int flags, int ifindex, unsigned ifi_flags,
			       unsigned ifi_change)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = ifindex,
		.ifi_flags = ifi_flags,
		.ifi_change = ifi_change,
	};
	struct nl_msg *msg = nlmsg_alloc_simple(type, flags);

	if (msg != NULL && nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* Send a request that only wants an ack, and free it. */
static int ack_only(struct nl_route *nr, struct nl_msg *msg)
{
	int rc;

	if (msg == NULL)
		return -ENOMEM;
	rc = nl_route_txn(nr, msg, 0, NULL, NULL);
	nlmsg_free(msg);
	return rc;
}

/* ---- describing a link ---- */

static void parse_linkinfo(struct nlattr *info, struct nl_link_detail *out)
{
	struct nlattr *li[IFLA_INFO_MAX + 1];
	struct nlattr *mv[IFLA_MACVLAN_MAX + 1];

	if (nla_parse_nested(li, IFLA_INFO_MAX, info, NULL) < 0 || li[IFLA_INFO_KIND] == NULL)
		return;
	nla_strlcpy(out->kind, li[IFLA_INFO_KIND], sizeof(out->kind));
	if (strcmp(out->kind, "macvlan") != 0 || li[IFLA_INFO_DATA] == NULL)
		return;
	if (nla_parse_nested(mv, IFLA_MACVLAN_MAX, li[IFLA_INFO_DATA], NULL) == 0 &&
	    mv[IFLA_MACVLAN_MODE] != NULL && nla_len(mv[IFLA_MACVLAN_MODE]) == 4)
		out->macvlan_mode = nla_get_u32(mv[IFLA_MACVLAN_MODE]);
}

static int collect_detail(struct nlmsghdr *h, void *arg)
{
	struct nl_link_detail *out = arg;
	struct nlattr *tb[IFLA_MAX + 1];
	struct ifinfomsg *ifi;

	if (nlmsg_parse(h, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return -EPROTO;
	ifi = nlmsg_data(h);
	memset(out, 0, sizeof(*out));
	out->ifindex = ifi->ifi_index;
	if (tb[IFLA_LINK] != NULL && nla_len(tb[IFLA_LINK]) == 4)
		out->parent = (int)nla_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_ADDRESS] != NULL && nla_len(tb[IFLA_ADDRESS]) == 6)
		memcpy(out->mac, nla_data(tb[IFLA_ADDRESS]), 6);
	if (tb[IFLA_LINKINFO] != NULL)
		parse_linkinfo(tb[IFLA_LINKINFO], out);
	return 0;
}

int nl_link_detail(struct nl_route *nr, const char *name, struct nl_link_detail *out)
{
	struct nl_msg *msg;
	int rc;

	if (name == NULL || name[0] == '\0' || strlen(name) >= IF_NAMESIZE)
		return -ENODEV;
	msg = link_msg(RTM_GETLINK, 0, 0, 0, 0);
	if (msg == NULL)
		return -ENOMEM;
	memset(out, 0, sizeof(*out));
	rc = nla_put_string(msg, IFLA_IFNAME, name) < 0 ? -ENOMEM
		: nl_route_txn(nr, msg, RTM_NEWLINK, collect_detail, out);
	nlmsg_free(msg);
	if (rc == 0 && out->ifindex <= 0)
		rc = -ENODEV;
	return rc;
}

/* ---- changing links ---- */

static int put_macvlan_info(struct nl_msg *msg, uint32_t mode)
{
	struct nlattr *info, *data;

	info = nla_nest_start(msg, IFLA_LINKINFO);
	if (info == NULL || nla_put_string(msg, IFLA_INFO_KIND, "macvlan") < 0)
		return -ENOMEM;
	data = nla_nest_start(msg, IFLA_INFO_DATA);
	if (data == NULL || nla_put_u32(msg, IFLA_MACVLAN_MODE, mode) < 0)
		return -ENOMEM;
	nla_nest_end(msg, data);
	nla_nest_end(msg, info);
	return 0;
}

int nl_macvlan_add(struct nl_route *nr, const char *name, int parent, const uint8_t mac[6],
		   uint32_t mode)
{
	struct nl_msg *msg;

	if (name == NULL || name[0] == '\0' || strlen(name) >= IF_NAMESIZE || parent <= 0)
		return -EINVAL;
	/* EXCL: a link of that name is somebody's; never reconfigure it. */
	msg = link_msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, 0, 0);
	if (msg == NULL)
		return -ENOMEM;
	if (nla_put_string(msg, IFLA_IFNAME, name) < 0 || nla_put_u32(msg, IFLA_LINK,
								     (uint32_t)parent) < 0 ||
	    nla_put(msg, IFLA_ADDRESS, 6, mac) < 0 || put_macvlan_info(msg, mode) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return ack_only(nr, msg);
}

int nl_link_set_up(struct nl_route *nr, int ifindex, bool up)
{
	if (ifindex <= 0)
		return -ENODEV;
	return ack_only(nr, link_msg(RTM_NEWLINK, 0, ifindex, up ? IFF_UP : 0, IFF_UP));
}

int nl_link_del(struct nl_route *nr, int ifindex)
{
	if (ifindex <= 0)
		return -ENODEV;
	return ack_only(nr, link_msg(RTM_DELLINK, 0, ifindex, 0, 0));
}
