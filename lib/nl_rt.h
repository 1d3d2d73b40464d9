/* Routes and policy-routing rules over rtnetlink: adding and deleting them
 * (RTM_NEWROUTE/DELROUTE, RTM_NEWRULE/DELRULE), listing rules, and reading
 * route and rule notifications.  Requests go through the command socket of
 * a struct nl_route (nl_route.h); notifications arrive through its event
 * callbacks when `route` or `rule` is set there. */
#ifndef KA_NL_RT_H
#define KA_NL_RT_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "nl_route.h"
#include "value.h"

/* A route, as a request or as read from the kernel.  Addresses share
 * `family`; unset ones are all zeros. */
struct nl_rt_route {
	int family;			/* AF_INET or AF_INET6 */
	unsigned char type;		/* RTN_* */
	unsigned char scope;		/* RT_SCOPE_*; ignored by deletions */
	unsigned char proto;		/* RTPROT_* */
	uint32_t table;			/* RT_TABLE_* or any other id but 0 */
	struct ip_addr dst;
	unsigned dst_len;
	bool has_src;			/* preferred source (RTA_PREFSRC) */
	struct ip_addr src;
	bool has_via;
	struct ip_addr via;
	int oif;			/* 0: none */
	uint32_t metric;		/* 0: the kernel's default */
};

/* A rule whose action is "look up table T". */
struct nl_rt_rule {
	int family;
	bool has_from, has_to;
	struct ip_addr from, to;
	unsigned from_len, to_len;
	char iif[IF_NAMESIZE], oif[IF_NAMESIZE];	/* "" : any */
	bool has_fwmark;
	uint32_t fwmark, fwmask;
	uint32_t table;
	bool has_priority;		/* requests only; read rules always have one */
	uint32_t priority;
	unsigned char proto;		/* RTPROT_*; 0 for none (kernels before 4.17) */
};

/* Add a route (never replacing one: -EEXIST when the kernel already has a
 * route for the same destination, table and metric) or delete one (the
 * proto, metric, via and oif given must match; -ESRCH when none does).
 * 0 or -errno from the kernel (-ENODEV, -ENETDOWN, -ENETUNREACH, ...). */
int nl_rt_route_add(struct nl_route *nr, const struct nl_rt_route *r);
int nl_rt_route_del(struct nl_route *nr, const struct nl_rt_route *r);

/* Add a rule with NLM_F_EXCL, or delete the first rule matching every
 * field given (priority only when has_priority).  0 or -errno (-EEXIST,
 * -ENOENT). */
int nl_rt_rule_add(struct nl_route *nr, const struct nl_rt_rule *r);
int nl_rt_rule_del(struct nl_route *nr, const struct nl_rt_rule *r);

/* Whether the kernel has a rule nl_rt_rule_match() accepts for `want`
 * (one dump of want's family): 1, 0, or -errno. */
int nl_rt_rule_present(struct nl_route *nr, const struct nl_rt_rule *want);

/* Whether `got` (read from the kernel) is the object `want` describes:
 * same family, table and selectors; a route also the same type and
 * destination, and metric when want's is not 0; a rule also the same
 * priority when want has one. */
bool nl_rt_route_match(const struct nl_rt_route *want, const struct nl_rt_route *got);
bool nl_rt_rule_match(const struct nl_rt_rule *want, const struct nl_rt_rule *got);

/* For nl_route.c: pass one RTM_NEWROUTE/DELROUTE/NEWRULE/DELRULE event to
 * ev's route or rule callback.  Malformed messages are logged at debug
 * level and dropped. */
void nl_rt_deliver(const struct nl_route_events *ev, void *arg, struct nlmsghdr *h);

#endif
