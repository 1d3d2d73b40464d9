/* Putting back what someone else deleted: the VIPs and routes of
 * masters, and the static addresses, routes and rules.
 *
 * Any sign that something of ours may be gone (a deleted address,
 * route or rule we hold, a link that came back, lost events) schedules one
 * repair pass, which re-adds every object we hold that the kernel lacks and
 * logs each one it had to restore.  One pass serves a burst of events.
 * An address deletion always schedules a pass: with it the kernel drops the
 * IPv4 routes that used it without telling anyone.
 *
 * If someone keeps deleting what we restore, or the kernel keeps refusing
 * it, the delay between passes doubles up to REPAIR_MAX_US, so a fight with
 * another tool costs a pass every few seconds, not a busy loop; after
 * REPAIR_CALM_US of quiet the next event is served quickly again. */
#include "config.h"

#include "log.h"
#include "nl_rt.h"
#include "vrrp_rt.h"

#define REPAIR_FIRST_US		20000ull		/* 20 ms */
#define REPAIR_MAX_US		(10ull * 1000000)
#define REPAIR_CALM_US		(30ull * 1000000)

static void repair_pass(struct ev_loop *loop, void *arg)
{
	struct vrrp_rt *rt = arg;
	struct vrrp_repair *r = &rt->repair;
	struct vrrp_tally t = { 0, 0 };

	if (rt->stopping)
		return;
	vrrp_static_reassert(rt, &t);
	for (size_t i = 0; i < rt->n_insts; i++) {
		struct vrrp_inst *in = rt->insts[i];

		/* VIPs first: routes through a VIP need it. */
		if (in->vips_installed)
			vrrp_vip_reassert(in, &t);
		if (in->routes_installed)
			vrrp_routes_reassert(in, &t);
	}
	r->failing = t.failed > 0;
	if (t.restored == 0 && t.failed == 0)
		return;
	r->last_action_us = monotonic_us();
	r->delay_us = r->delay_us * 2 < REPAIR_MAX_US ? r->delay_us * 2 : REPAIR_MAX_US;
	if (t.failed)
		ev_timer_arm(loop, &r->timer, r->delay_us);
}

void vrrp_repair_init(struct vrrp_rt *rt)
{
	ev_timer_init(&rt->repair.timer, repair_pass, rt);
	rt->repair.delay_us = REPAIR_FIRST_US;
}

void vrrp_repair_kick(struct vrrp_rt *rt, bool now)
{
	struct vrrp_repair *r = &rt->repair;

	if (rt->stopping)
		return;
	if (now || monotonic_us() - r->last_action_us > REPAIR_CALM_US)
		r->delay_us = REPAIR_FIRST_US;
	/* An armed pass keeps its time: events must not postpone it. */
	if (now && ev_timer_armed(&r->timer))
		ev_timer_disarm(rt->loop, &r->timer);
	if (!ev_timer_armed(&r->timer))
		ev_timer_arm(rt->loop, &r->timer, r->delay_us);
}

void vrrp_repair_stop(struct vrrp_rt *rt)
{
	ev_timer_disarm(rt->loop, &rt->repair.timer);
}

static bool owned(struct vrrp_rt *rt, const struct nl_rt_route *route,
		  const struct nl_rt_rule *rule)
{
	if (vrrp_static_owns(rt, route, rule))
		return true;
	for (size_t i = 0; i < rt->n_insts; i++)
		if (vrrp_routes_owns(rt->insts[i], route, rule))
			return true;
	return false;
}

void vrrp_repair_on_route(void *arg, const struct nl_rt_route *r, bool deleted)
{
	struct vrrp_rt *rt = arg;

	if (deleted && owned(rt, r, NULL))
		vrrp_repair_kick(rt, false);
}

void vrrp_repair_on_rule(void *arg, const struct nl_rt_rule *r, bool deleted)
{
	struct vrrp_rt *rt = arg;

	if (deleted && owned(rt, NULL, r))
		vrrp_repair_kick(rt, false);
}
