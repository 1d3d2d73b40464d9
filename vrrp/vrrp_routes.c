/* Routes and rules an instance holds as MASTER (virtual_routes,
 * virtual_rules), and the static addresses, routes and rules the child
 * holds from start to exit (static_ipaddress, static_routes,
 * static_rules).
 *
 * Both are "sets": installing one adds what is missing (what is there
 * already is left alone, so a restart or a reload never flaps a route),
 * removing one deletes what is ours, and a reload applies only the
 * difference between two sets.  vrrp_repair.c reinstalls sets when
 * someone else deletes part of them. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/rtnetlink.h>

#include "log.h"
#include "nl_rt.h"
#include "vrrp_rt.h"

/* What one owner holds; addresses are statics only (an instance's VIPs
 * are vrrp_vip.c's). */
struct net_set {
	const char *owner;		/* for logs: "(VI_1)" or "static" */
	const struct vip_conf *addrs;
	size_t n_addrs;
	const struct route_conf *routes;
	size_t n_routes;
	const struct rule_conf *rules;
	size_t n_rules;
};

static struct net_set inst_set(const struct vrrp_instance_conf *c, char *owner, size_t len)
{
	snprintf(owner, len, "(%s)", c->name);
	return (struct net_set){ owner, NULL, 0, c->routes, c->n_routes, c->rules, c->n_rules };
}

static struct net_set static_set(const struct vrrp_conf *c)
{
	return (struct net_set){ "static", c->static_addrs, c->n_static_addrs, c->static_routes,
				 c->n_static_routes, c->static_rules, c->n_static_rules };
}

/* ---- for logs ---- */

static const char *type_name(unsigned char type)
{
	switch (type) {
	case RTN_BLACKHOLE:
		return "blackhole ";
	case RTN_UNREACHABLE:
		return "unreachable ";
	case RTN_PROHIBIT:
		return "prohibit ";
	default:
		return "";
	}
}

static const char *route_str(const struct route_conf *c, char *buf, size_t len)
{
	char dst[INET6_ADDRSTRLEN], via[INET6_ADDRSTRLEN] = "", table[20] = "";

	if (c->has_via)
		ip_addr_str(&c->via, via, sizeof(via));
	if (c->table != RT_TABLE_MAIN)
		snprintf(table, sizeof(table), " table %u", c->table);
	snprintf(buf, len, "route %s%s/%u%s%s%s%s%s", type_name(c->type),
		 ip_addr_str(&c->dst, dst, sizeof(dst)), c->dst_len, via[0] ? " via " : "", via,
		 c->dev[0] ? " dev " : "", c->dev, table);
	return buf;
}

/* "rule from 10.1.0.0/24 to 10.2.0.0/24 table 100 pref 300" */
static const char *rule_str(const struct rule_conf *c, char *buf, size_t len)
{
	char from[INET6_ADDRSTRLEN + 10] = "", to[INET6_ADDRSTRLEN + 8] = "", a[INET6_ADDRSTRLEN];
	char pref[20] = "";

	if (c->has_from)
		snprintf(from, sizeof(from), " from %s/%u", ip_addr_str(&c->from, a, sizeof(a)),
			 c->from_len);
	if (c->has_to)
		snprintf(to, sizeof(to), " to %s/%u", ip_addr_str(&c->to, a, sizeof(a)), c->to_len);
	if (c->has_priority)
		snprintf(pref, sizeof(pref), " pref %u", c->priority);
	snprintf(buf, len, "rule%s%s%s%s%s%s table %u%s", from, to, c->iif[0] ? " iif " : "",
		 c->iif, c->oif[0] ? " oif " : "", c->oif, c->table, pref);
	return buf;
}

static const char *addr_str(const struct vip_conf *v, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	snprintf(buf, len, "address %s/%u dev %s", ip_addr_str(&v->addr, a, sizeof(a)),
		 v->prefix_len, v->dev);
	return buf;
}

/* ---- one object: requests ---- */

static int dev_index(struct vrrp_rt *rt, const char *dev)
{
	struct vrrp_if *vif = vrrp_if_get(rt, dev);

	return vif && vif->ifindex > 0 ? vif->ifindex : -ENODEV;
}

/* The request for c; -ENODEV when its dev does not exist now. */
static int route_req(struct vrrp_rt *rt, const struct route_conf *c, struct nl_rt_route *r)
{
	memset(r, 0, sizeof(*r));
	r->family = c->family;
	r->type = c->type;
	r->scope = c->scope;
	r->proto = c->proto;
	r->table = c->table;
	r->dst = c->dst;
	r->dst_len = c->dst_len;
	r->has_src = c->has_src;
	r->src = c->src;
	r->has_via = c->has_via;
	r->via = c->via;
	r->metric = c->metric;
	if (c->dev[0])
		r->oif = dev_index(rt, c->dev);
	return r->oif < 0 ? r->oif : 0;
}

static void rule_req(const struct rule_conf *c, struct nl_rt_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->family = c->family;
	r->has_from = c->has_from;
	r->from = c->from;
	r->from_len = c->from_len;
	r->has_to = c->has_to;
	r->to = c->to;
	r->to_len = c->to_len;
	memcpy(r->iif, c->iif, sizeof(r->iif));
	memcpy(r->oif, c->oif, sizeof(r->oif));
	r->has_fwmark = c->has_fwmark;
	r->fwmark = c->fwmark;
	r->fwmask = c->fwmask;
	r->table = c->table;
	r->has_priority = c->has_priority;
	r->priority = c->priority;
	r->proto = RTPROT_KEEPALIVED;
}

static int addr_req(struct vrrp_rt *rt, const struct vip_conf *v, struct nl_addr_req *r)
{
	vrrp_addr_req(v, dev_index(rt, v->dev), r);
	return r->ifindex < 0 ? r->ifindex : 0;
}

/* ---- one object: add if missing (1 added, 0 there already, -errno) ---- */

static int added(int e)
{
	return e == 0 ? 1 : e == -EEXIST ? 0 : e;
}

static int route_put(struct vrrp_rt *rt, const struct route_conf *c)
{
	struct nl_rt_route r;
	int e = route_req(rt, c, &r);

	return added(e == 0 ? nl_rt_route_add(rt->nl, &r) : e);
}

/* A rule without a preference gets a new one from the kernel at each add,
 * so NLM_F_EXCL cannot see it is there already: look first. */
static int rule_put(struct vrrp_rt *rt, const struct rule_conf *c)
{
	struct nl_rt_rule r;
	int present = 0;

	rule_req(c, &r);
	if (!c->has_priority)
		present = nl_rt_rule_present(rt->nl, &r);
	if (present != 0)
		return present > 0 ? 0 : present;
	return added(nl_rt_rule_add(rt->nl, &r));
}

static int addr_put(struct vrrp_rt *rt, const struct vip_conf *v)
{
	struct nl_addr_req r;
	int e = addr_req(rt, v, &r);

	return added(e == 0 ? nl_addr_add(rt->nl, &r) : e);
}

/* ---- one object: delete; absent is fine, anything else is logged ---- */

static void drop_failed(const char *owner, const char *what, int e)
{
	if (e < 0 && e != -ESRCH && e != -ENOENT && e != -ENODEV && e != -EADDRNOTAVAIL)
		log_err("%s cannot remove %s: %s", owner, what, strerror(-e));
}

static void route_drop(struct vrrp_rt *rt, const char *owner, const struct route_conf *c)
{
	struct nl_rt_route r;
	char what[160];
	int e = route_req(rt, c, &r);

	if (e == 0)
		e = nl_rt_route_del(rt->nl, &r);
	drop_failed(owner, route_str(c, what, sizeof(what)), e);
}

static void rule_drop(struct vrrp_rt *rt, const char *owner, const struct rule_conf *c)
{
	struct nl_rt_rule r;
	char what[160];

	rule_req(c, &r);
	drop_failed(owner, rule_str(c, what, sizeof(what)), nl_rt_rule_del(rt->nl, &r));
}

static void addr_drop(struct vrrp_rt *rt, const char *owner, const struct vip_conf *v)
{
	struct nl_addr_req r;
	char what[96];
	int e = addr_req(rt, v, &r);

	if (e == 0)
		e = nl_addr_del(rt->nl, &r);
	drop_failed(owner, addr_str(v, what, sizeof(what)), e);
}

/* ---- equality, for reloads ---- */

static bool addr_eq(int family, const struct ip_addr *a, const struct ip_addr *b)
{
	return memcmp(&a->u, &b->u, family == AF_INET ? 4 : 16) == 0;
}

static bool route_same(const struct route_conf *a, const struct route_conf *b)
{
	return a->family == b->family && a->type == b->type && a->dst_len == b->dst_len &&
	       addr_eq(a->family, &a->dst, &b->dst) && a->has_src == b->has_src &&
	       (!a->has_src || addr_eq(a->family, &a->src, &b->src)) && a->has_via == b->has_via &&
	       (!a->has_via || addr_eq(a->family, &a->via, &b->via)) &&
	       strcmp(a->dev, b->dev) == 0 && a->scope == b->scope && a->table == b->table &&
	       a->metric == b->metric && a->proto == b->proto;
}

static bool rule_same(const struct rule_conf *a, const struct rule_conf *b)
{
	struct nl_rt_rule x, y;

	rule_req(a, &x);
	rule_req(b, &y);
	return nl_rt_rule_match(&x, &y) && a->has_priority == b->has_priority;
}

static bool static_addr_same(const struct vip_conf *a, const struct vip_conf *b)
{
	return a->addr.family == b->addr.family && addr_eq(a->addr.family, &a->addr, &b->addr) &&
	       a->prefix_len == b->prefix_len && strcmp(a->dev, b->dev) == 0 &&
	       a->has_brd == b->has_brd && a->brd.s_addr == b->brd.s_addr &&
	       a->scope == b->scope && strcmp(a->label, b->label) == 0;
}

static bool addr_in(const struct vip_conf *v, const struct net_set *s)
{
	for (size_t i = 0; i < s->n_addrs; i++)
		if (static_addr_same(v, &s->addrs[i]))
			return true;
	return false;
}

static bool route_in(const struct route_conf *r, const struct net_set *s)
{
	for (size_t i = 0; i < s->n_routes; i++)
		if (route_same(r, &s->routes[i]))
			return true;
	return false;
}

static bool rule_in(const struct rule_conf *r, const struct net_set *s)
{
	for (size_t i = 0; i < s->n_rules; i++)
		if (rule_same(r, &s->rules[i]))
			return true;
	return false;
}

/* ---- sets ---- */

/* What put returned for one object: count it, and say so.  `repairing`:
 * the object was there before, so adding it means someone removed it. */
static void note_put(struct vrrp_rt *rt, const char *owner, const char *what, int r,
		     bool repairing, struct vrrp_tally *t)
{
	if (r > 0 && repairing) {
		t->restored++;
		log_warnx("%s %s was removed externally, restored", owner, what);
	} else if (r < 0) {
		t->failed++;
		if (!repairing || !rt->repair.failing)
			log_err("%s cannot add %s: %s (retrying)", owner, what, strerror(-r));
		else
			log_debug("%s cannot add %s yet: %s", owner, what, strerror(-r));
	}
}

/* Add the objects of s missing from the kernel (all of s, or those not
 * in `except`); addresses first, which routes may need, rules last. */
static void set_put(struct vrrp_rt *rt, const struct net_set *s, const struct net_set *except,
		    bool repairing, struct vrrp_tally *t)
{
	char what[160];

	for (size_t i = 0; i < s->n_addrs; i++)
		if (!except || !addr_in(&s->addrs[i], except))
			note_put(rt, s->owner, addr_str(&s->addrs[i], what, sizeof(what)),
				 addr_put(rt, &s->addrs[i]), repairing, t);
	for (size_t i = 0; i < s->n_routes; i++)
		if ((!except || !route_in(&s->routes[i], except)) &&
		    (!repairing || !s->routes[i].no_track))
			note_put(rt, s->owner, route_str(&s->routes[i], what, sizeof(what)),
				 route_put(rt, &s->routes[i]), repairing, t);
	for (size_t i = 0; i < s->n_rules; i++)
		if ((!except || !rule_in(&s->rules[i], except)) &&
		    (!repairing || !s->rules[i].no_track))
			note_put(rt, s->owner, rule_str(&s->rules[i], what, sizeof(what)),
				 rule_put(rt, &s->rules[i]), repairing, t);
}

/* Delete the objects of s (all, or those not in `keep`): rules first,
 * addresses last. */
static void set_drop(struct vrrp_rt *rt, const struct net_set *s, const struct net_set *keep)
{
	for (size_t i = 0; i < s->n_rules; i++)
		if (!keep || !rule_in(&s->rules[i], keep))
			rule_drop(rt, s->owner, &s->rules[i]);
	for (size_t i = 0; i < s->n_routes; i++)
		if (!keep || !route_in(&s->routes[i], keep))
			route_drop(rt, s->owner, &s->routes[i]);
	for (size_t i = 0; i < s->n_addrs; i++)
		if (!keep || !addr_in(&s->addrs[i], keep))
			addr_drop(rt, s->owner, &s->addrs[i]);
}

/* A failed add is retried by vrrp_repair.c (a missing or down dev). */
static void after_put(struct vrrp_rt *rt, const struct vrrp_tally *t)
{
	if (t->failed)
		vrrp_repair_kick(rt, false);
}

/* ---- instances ---- */

void vrrp_routes_install(struct vrrp_inst *in)
{
	struct vrrp_tally t = { 0, 0 };
	char owner[VRRP_NAME_MAX + 3];
	struct net_set s = inst_set(in->conf, owner, sizeof(owner));

	set_put(in->rt, &s, NULL, false, &t);
	in->routes_installed = true;
	after_put(in->rt, &t);
}

void vrrp_routes_remove(struct vrrp_inst *in)
{
	char owner[VRRP_NAME_MAX + 3];
	struct net_set s = inst_set(in->conf, owner, sizeof(owner));

	in->routes_installed = false;
	set_drop(in->rt, &s, NULL);
}

void vrrp_routes_update(struct vrrp_inst *in, const struct vrrp_instance_conf *old)
{
	struct vrrp_tally t = { 0, 0 };
	char owner[VRRP_NAME_MAX + 3], owner_old[VRRP_NAME_MAX + 3];
	struct net_set now = inst_set(in->conf, owner, sizeof(owner));
	struct net_set before = inst_set(old, owner_old, sizeof(owner_old));

	set_drop(in->rt, &before, &now);
	set_put(in->rt, &now, &before, false, &t);
	after_put(in->rt, &t);
}

void vrrp_routes_reassert(struct vrrp_inst *in, struct vrrp_tally *t)
{
	char owner[VRRP_NAME_MAX + 3];
	struct net_set s = inst_set(in->conf, owner, sizeof(owner));

	set_put(in->rt, &s, NULL, true, t);
}

/* Whether the tracked routes or rules of s include `route` or `rule`
 * (one of them NULL), as read from the kernel. */
static bool set_owns(struct vrrp_rt *rt, const struct net_set *s, const struct nl_rt_route *route,
		     const struct nl_rt_rule *rule)
{
	for (size_t i = 0; route && i < s->n_routes; i++) {
		struct nl_rt_route want;

		route_req(rt, &s->routes[i], &want);
		if (!s->routes[i].no_track && nl_rt_route_match(&want, route))
			return true;
	}
	for (size_t i = 0; rule && i < s->n_rules; i++) {
		struct nl_rt_rule want;

		rule_req(&s->rules[i], &want);
		if (!s->rules[i].no_track && nl_rt_rule_match(&want, rule))
			return true;
	}
	return false;
}

bool vrrp_routes_owns(struct vrrp_inst *in, const struct nl_rt_route *route,
		      const struct nl_rt_rule *rule)
{
	char owner[VRRP_NAME_MAX + 3];
	struct net_set s = inst_set(in->conf, owner, sizeof(owner));

	return in->routes_installed && set_owns(in->rt, &s, route, rule);
}

/* ---- statics ---- */

void vrrp_static_apply(struct vrrp_rt *rt, const struct vrrp_conf *old)
{
	struct vrrp_tally t = { 0, 0 };
	struct net_set now = static_set(rt->conf), before;

	if (old && rt->statics_installed) {
		before = static_set(old);
		set_drop(rt, &before, &now);
		set_put(rt, &now, &before, false, &t);
	} else {
		set_put(rt, &now, NULL, false, &t);
	}
	rt->statics_installed = true;
	after_put(rt, &t);
	/* A reload also puts back what went missing meanwhile. */
	if (old)
		vrrp_repair_kick(rt, false);
}

void vrrp_static_remove(struct vrrp_rt *rt)
{
	struct net_set s;

	if (!rt->statics_installed || !rt->conf)
		return;
	s = static_set(rt->conf);
	rt->statics_installed = false;
	set_drop(rt, &s, NULL);
}

void vrrp_static_reassert(struct vrrp_rt *rt, struct vrrp_tally *t)
{
	struct net_set s;

	if (!rt->statics_installed)
		return;
	s = static_set(rt->conf);
	set_put(rt, &s, NULL, true, t);
}

bool vrrp_static_owns(struct vrrp_rt *rt, const struct nl_rt_route *route,
		      const struct nl_rt_rule *rule)
{
	struct net_set s;

	if (!rt->statics_installed)
		return false;
	s = static_set(rt->conf);
	return set_owns(rt, &s, route, rule);
}
