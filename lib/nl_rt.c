/* Routes and rules over rtnetlink: request building, and parsing of the
 * kernel's route and rule messages (dumps and notifications).  The
 * messages are built by hand with libnl's attribute helpers: libnl-route's
 * route objects would cost more code than the few attributes we set. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "log.h"
#include "nl_rt.h"
#include "nl_txn.h"

/* A dump interrupted this many times in a row gives up with -EAGAIN. */
#define NLRT_DUMP_TRIES 8

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static bool same_addr(int family, const struct ip_addr *a, const struct ip_addr *b)
{
	return memcmp(&a->u, &b->u, addr_len(family)) == 0;
}

static int put_addr(struct nl_msg *m, int attr, int family, const struct ip_addr *a)
{
	return nla_put(m, attr, (int)addr_len(family), &a->u);
}

/* Copy an address attribute of the right length into *out. */
static bool get_addr(const struct nlattr *a, int family, struct ip_addr *out)
{
	if (a == NULL || nla_len(a) != (int)addr_len(family))
		return false;
	out->family = family;
	memcpy(&out->u, nla_data(a), addr_len(family));
	return true;
}

static int send_msg(struct nl_route *nr, struct nl_msg *m, int rc)
{
	/* rc: the first attribute failure while building, from libnl. */
	if (rc >= 0)
		rc = nl_route_txn(nr, m, 0, NULL, NULL);
	else
		rc = -EMSGSIZE;
	nlmsg_free(m);
	return rc;
}

/* ---- routes ---- */

static int route_msg(struct nl_route *nr, const struct nl_rt_route *r, int type, int flags)
{
	struct rtmsg rtm = {
		.rtm_family = (unsigned char)r->family,
		.rtm_dst_len = (unsigned char)r->dst_len,
		.rtm_table = r->table < 256 ? (unsigned char)r->table : RT_TABLE_UNSPEC,
		.rtm_protocol = r->proto,
		/* A deletion of any scope: scope is no part of a route's key. */
		.rtm_scope = type == RTM_DELROUTE ? RT_SCOPE_NOWHERE : r->scope,
		.rtm_type = r->type,
	};
	struct nl_msg *m;
	int rc;

	if ((r->family != AF_INET && r->family != AF_INET6) || r->dst_len > addr_len(r->family) * 8)
		return -EINVAL;
	m = nlmsg_alloc_simple(type, flags);
	if (m == NULL)
		return -ENOMEM;
	rc = nlmsg_append(m, &rtm, sizeof(rtm), NLMSG_ALIGNTO);
	if (rc >= 0)
		rc = nla_put_u32(m, RTA_TABLE, r->table);
	if (rc >= 0 && r->dst_len > 0)
		rc = put_addr(m, RTA_DST, r->family, &r->dst);
	if (rc >= 0 && r->has_src)
		rc = put_addr(m, RTA_PREFSRC, r->family, &r->src);
	if (rc >= 0 && r->has_via)
		rc = put_addr(m, RTA_GATEWAY, r->family, &r->via);
	if (rc >= 0 && r->oif > 0)
		rc = nla_put_u32(m, RTA_OIF, (uint32_t)r->oif);
	if (rc >= 0 && r->metric)
		rc = nla_put_u32(m, RTA_PRIORITY, r->metric);
	return send_msg(nr, m, rc);
}

int nl_rt_route_add(struct nl_route *nr, const struct nl_rt_route *r)
{
	return route_msg(nr, r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
}

int nl_rt_route_del(struct nl_route *nr, const struct nl_rt_route *r)
{
	return route_msg(nr, r, RTM_DELROUTE, 0);
}

/* 0 parsed, 1 not a route we could own (cloned, other family), -1 bad. */
static int parse_route(struct nlmsghdr *h, struct nl_rt_route *out)
{
	static const struct nla_policy pol[RTA_MAX + 1] = {
		[RTA_TABLE] = { .type = NLA_U32 },
		[RTA_OIF] = { .type = NLA_U32 },
		[RTA_PRIORITY] = { .type = NLA_U32 },
	};
	struct nlattr *tb[RTA_MAX + 1];
	struct rtmsg *rtm;

	if (nlmsg_parse(h, sizeof(*rtm), tb, RTA_MAX, pol) < 0)
		return -1;
	rtm = nlmsg_data(h);
	if ((rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6) ||
	    (rtm->rtm_flags & RTM_F_CLONED))
		return 1;
	memset(out, 0, sizeof(*out));
	out->family = rtm->rtm_family;
	out->type = rtm->rtm_type;
	out->scope = rtm->rtm_scope;
	out->proto = rtm->rtm_protocol;
	out->table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	out->dst_len = rtm->rtm_dst_len;
	out->dst.family = out->family;
	if (out->dst_len > addr_len(out->family) * 8 ||
	    (out->dst_len > 0 && !get_addr(tb[RTA_DST], out->family, &out->dst)))
		return -1;
	out->has_src = get_addr(tb[RTA_PREFSRC], out->family, &out->src);
	out->has_via = get_addr(tb[RTA_GATEWAY], out->family, &out->via);
	out->oif = tb[RTA_OIF] ? (int)nla_get_u32(tb[RTA_OIF]) : 0;
	out->metric = tb[RTA_PRIORITY] ? nla_get_u32(tb[RTA_PRIORITY]) : 0;
	return 0;
}

bool nl_rt_route_match(const struct nl_rt_route *want, const struct nl_rt_route *got)
{
	return want->family == got->family && want->type == got->type &&
	       want->table == got->table && want->dst_len == got->dst_len &&
	       same_addr(want->family, &want->dst, &got->dst) &&
	       (want->metric == 0 || want->metric == got->metric);
}

/* ---- rules ---- */

static int rule_attrs(struct nl_msg *m, const struct nl_rt_rule *r)
{
	int rc = nla_put_u32(m, FRA_TABLE, r->table);

	if (rc >= 0 && r->has_from)
		rc = put_addr(m, FRA_SRC, r->family, &r->from);
	if (rc >= 0 && r->has_to)
		rc = put_addr(m, FRA_DST, r->family, &r->to);
	if (rc >= 0 && r->iif[0])
		rc = nla_put_string(m, FRA_IIFNAME, r->iif);
	if (rc >= 0 && r->oif[0])
		rc = nla_put_string(m, FRA_OIFNAME, r->oif);
	if (rc >= 0 && r->has_fwmark)
		rc = nla_put_u32(m, FRA_FWMARK, r->fwmark);
	if (rc >= 0 && r->has_fwmark)
		rc = nla_put_u32(m, FRA_FWMASK, r->fwmask);
	if (rc >= 0 && r->has_priority)
		rc = nla_put_u32(m, FRA_PRIORITY, r->priority);
	if (rc >= 0 && r->proto)
		rc = nla_put_u8(m, FRA_PROTOCOL, r->proto);
	return rc;
}

static int rule_msg(struct nl_route *nr, const struct nl_rt_rule *r, int type, int flags)
{
	struct fib_rule_hdr frh = {
		.family = (unsigned char)r->family,
		.dst_len = (unsigned char)(r->has_to ? r->to_len : 0),
		.src_len = (unsigned char)(r->has_from ? r->from_len : 0),
		.table = r->table < 256 ? (unsigned char)r->table : RT_TABLE_UNSPEC,
		.action = FR_ACT_TO_TBL,
	};
	struct nl_msg *m;
	int rc;

	if (r->family != AF_INET && r->family != AF_INET6)
		return -EINVAL;
	m = nlmsg_alloc_simple(type, flags);
	if (m == NULL)
		return -ENOMEM;
	rc = nlmsg_append(m, &frh, sizeof(frh), NLMSG_ALIGNTO);
	if (rc >= 0)
		rc = rule_attrs(m, r);
	return send_msg(nr, m, rc);
}

int nl_rt_rule_add(struct nl_route *nr, const struct nl_rt_rule *r)
{
	return rule_msg(nr, r, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL);
}

int nl_rt_rule_del(struct nl_route *nr, const struct nl_rt_rule *r)
{
	return rule_msg(nr, r, RTM_DELRULE, 0);
}

/* Selectors and actions we never configure: a rule with any of them is
 * not one of ours, whatever else it shares with one. */
static bool rule_has_foreign(const struct fib_rule_hdr *frh, struct nlattr **tb)
{
	return frh->action != FR_ACT_TO_TBL || frh->tos != 0 || (frh->flags & FIB_RULE_INVERT) ||
	       tb[FRA_GOTO] || tb[FRA_FLOW] || tb[FRA_TUN_ID] || tb[FRA_L3MDEV] ||
	       tb[FRA_UID_RANGE] || tb[FRA_IP_PROTO] || tb[FRA_SPORT_RANGE] ||
	       tb[FRA_DPORT_RANGE];
}

static void get_name(const struct nlattr *a, char *buf)
{
	if (a != NULL)
		nla_strlcpy(buf, a, IF_NAMESIZE);
}

/* Same return convention as parse_route. */
static int parse_rule(struct nlmsghdr *h, struct nl_rt_rule *out)
{
	static const struct nla_policy pol[FRA_MAX + 1] = {
		[FRA_TABLE] = { .type = NLA_U32 },
		[FRA_PRIORITY] = { .type = NLA_U32 },
		[FRA_FWMARK] = { .type = NLA_U32 },
		[FRA_FWMASK] = { .type = NLA_U32 },
		[FRA_PROTOCOL] = { .type = NLA_U8 },
	};
	struct nlattr *tb[FRA_MAX + 1];
	struct fib_rule_hdr *frh;

	if (nlmsg_parse(h, sizeof(*frh), tb, FRA_MAX, pol) < 0)
		return -1;
	frh = nlmsg_data(h);
	if ((frh->family != AF_INET && frh->family != AF_INET6) || rule_has_foreign(frh, tb))
		return 1;
	memset(out, 0, sizeof(*out));
	out->family = frh->family;
	out->table = tb[FRA_TABLE] ? nla_get_u32(tb[FRA_TABLE]) : frh->table;
	out->has_from = get_addr(tb[FRA_SRC], out->family, &out->from);
	out->from_len = out->has_from ? frh->src_len : 0;
	out->has_to = get_addr(tb[FRA_DST], out->family, &out->to);
	out->to_len = out->has_to ? frh->dst_len : 0;
	get_name(tb[FRA_IIFNAME], out->iif);
	get_name(tb[FRA_OIFNAME], out->oif);
	out->has_fwmark = tb[FRA_FWMARK] != NULL;
	out->fwmark = out->has_fwmark ? nla_get_u32(tb[FRA_FWMARK]) : 0;
	out->fwmask = tb[FRA_FWMASK] ? nla_get_u32(tb[FRA_FWMASK]) : UINT32_MAX;
	out->has_priority = tb[FRA_PRIORITY] != NULL;
	out->priority = out->has_priority ? nla_get_u32(tb[FRA_PRIORITY]) : 0;
	out->proto = tb[FRA_PROTOCOL] ? nla_get_u8(tb[FRA_PROTOCOL]) : 0;
	return 0;
}

static bool same_prefix(bool has_a, bool has_b, unsigned len_a, unsigned len_b, int family,
			const struct ip_addr *a, const struct ip_addr *b)
{
	if (has_a != has_b)
		return false;
	return !has_a || (len_a == len_b && same_addr(family, a, b));
}

bool nl_rt_rule_match(const struct nl_rt_rule *want, const struct nl_rt_rule *got)
{
	return want->family == got->family && want->table == got->table &&
	       same_prefix(want->has_from, got->has_from, want->from_len, got->from_len,
			   want->family, &want->from, &got->from) &&
	       same_prefix(want->has_to, got->has_to, want->to_len, got->to_len, want->family,
			   &want->to, &got->to) &&
	       strcmp(want->iif, got->iif) == 0 && strcmp(want->oif, got->oif) == 0 &&
	       want->has_fwmark == got->has_fwmark &&
	       (!want->has_fwmark || (want->fwmark == got->fwmark && want->fwmask == got->fwmask)) &&
	       (!want->has_priority || want->priority == got->priority);
}

struct presence {
	const struct nl_rt_rule *want;
	bool found;
};

static int check_rule(struct nlmsghdr *h, void *arg)
{
	struct presence *p = arg;
	struct nl_rt_rule got;

	if (!p->found && parse_rule(h, &got) == 0)
		p->found = nl_rt_rule_match(p->want, &got);
	return 0;
}

int nl_rt_rule_present(struct nl_route *nr, const struct nl_rt_rule *want)
{
	struct fib_rule_hdr frh = { .family = (unsigned char)want->family };
	struct presence p = { want, false };
	int tries, rc = -EINTR;

	for (tries = 0; tries < NLRT_DUMP_TRIES && rc == -EINTR; tries++) {
		struct nl_msg *m = nlmsg_alloc_simple(RTM_GETRULE, NLM_F_DUMP);

		if (m == NULL)
			return -ENOMEM;
		p.found = false;
		rc = nlmsg_append(m, &frh, sizeof(frh), NLMSG_ALIGNTO);
		if (rc >= 0)
			rc = nl_route_txn(nr, m, RTM_NEWRULE, check_rule, &p);
		else
			rc = -ENOMEM;
		nlmsg_free(m);
	}
	if (rc == -EINTR)
		return -EAGAIN;
	return rc < 0 ? rc : p.found;
}

/* ---- notifications ---- */

void nl_rt_deliver(const struct nl_route_events *ev, void *arg, struct nlmsghdr *h)
{
	uint16_t t = h->nlmsg_type;
	int rc = 1;

	if ((t == RTM_NEWROUTE || t == RTM_DELROUTE) && ev->route != NULL) {
		struct nl_rt_route r;

		rc = parse_route(h, &r);
		if (rc == 0)
			ev->route(arg, &r, t == RTM_DELROUTE);
	} else if ((t == RTM_NEWRULE || t == RTM_DELRULE) && ev->rule != NULL) {
		struct nl_rt_rule r;

		rc = parse_rule(h, &r);
		if (rc == 0)
			ev->rule(arg, &r, t == RTM_DELRULE);
	}
	if (rc < 0)
		log_debug("rtnetlink: malformed message of type %u ignored", t);
}
