/* What moves an instance's priority or puts it in FAULT: its own interface,
 * track_interface, track_script (vrrp_script checks run here), and the
 * faults of its sync group. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "vrrp_rt.h"

/* ---- vrrp_script ---------------------------------------------------- */

static void script_result(void *arg, const struct proc_result *r);

static void script_due(struct ev_loop *loop, void *arg)
{
	struct vrrp_script_rt *s = arg;
	const struct proc_user *u = vrrp_script_user(s->rt, &s->user);

	ev_timer_arm(loop, &s->timer, s->conf->interval_us);
	if (s->running || s->disabled)
		return;		/* a slow script is not started twice */
	s->running = proc_start(loop, &s->cmd, NULL, u, s->conf->timeout_us, script_result, s);
	if (!s->running)
		log_warn("VRRP_Script(%s) cannot start", s->conf->name);
}

/* rise/fall: the verdict flips after `rise` successes or `fall` failures in
 * a row; until the first success a script counts as failed. */
static void script_result(void *arg, const struct proc_result *r)
{
	struct vrrp_script_rt *s = arg;
	bool ok = proc_result_ok(r);
	char why[128];

	s->running = NULL;
	s->runs++;
	if (!ok)
		s->failures++;
	if (ok == s->ok) {
		s->streak = 0;
		s->known = true;
		return;
	}
	if (++s->streak < (ok ? s->conf->rise : s->conf->fall))
		return;
	s->ok = ok;
	s->known = true;
	s->streak = 0;
	if (ok)
		log_info("VRRP_Script(%s) succeeded", s->conf->name);
	else
		log_info("VRRP_Script(%s) failed: %s", s->conf->name,
			 proc_result_describe(r, why, sizeof(why)));
	vrrp_track_update_all(s->rt);
}

struct vrrp_script_rt *vrrp_script_new(struct vrrp_rt *rt, const struct vrrp_script_conf *c)
{
	struct vrrp_script_rt *s = calloc(1, sizeof(*s));
	char err[160];

	if (!s)
		return NULL;
	s->rt = rt;
	s->conf = c;
	ev_timer_init(&s->timer, script_due, s);
	if (proc_cmd_parse(c->script, &s->cmd, err, sizeof(err)) < 0) {
		log_err("VRRP_Script(%s): %s; the script counts as failed", c->name, err);
		s->disabled = true;
	} else if (c->user[0] && proc_user_lookup(c->user, c->group, &s->user, err,
						   sizeof(err)) < 0) {
		log_err("VRRP_Script(%s): %s; the script counts as failed", c->name, err);
		s->disabled = true;
	} else if (!vrrp_script_allowed(rt, &s->cmd, vrrp_script_user(rt, &s->user), c->name)) {
		s->disabled = true;
	}
	return s;
}

void vrrp_script_start(struct vrrp_script_rt *s)
{
	ev_timer_arm(s->rt->loop, &s->timer, 0);
}

void vrrp_script_free(struct vrrp_script_rt *s)
{
	if (!s)
		return;
	ev_timer_disarm(s->rt->loop, &s->timer);
	proc_cancel(s->running);
	proc_cmd_free(&s->cmd);
	free(s);
}

struct vrrp_script_rt *vrrp_script_find(struct vrrp_rt *rt, const char *name)
{
	for (size_t i = 0; i < rt->n_scripts; i++)
		if (strcmp(rt->scripts[i]->conf->name, name) == 0)
			return rt->scripts[i];
	return NULL;
}

/* ---- effective priority and fault ----------------------------------- */

struct verdict {
	bool fault;
	int adjust;
	char why[96];
};

/* A tracked object without a weight (or weight 0) faults the instance when
 * it fails; with W > 0 it adds W while up, with W < 0 it adds W while down. */
static void apply(struct verdict *v, bool ok, struct track_weight w, const char *what)
{
	if (!w.has_weight || w.weight == 0) {
		if (!ok && !v->fault) {
			v->fault = true;
			snprintf(v->why, sizeof(v->why), "%s", what);
		}
	} else if ((w.weight > 0 && ok) || (w.weight < 0 && !ok)) {
		v->adjust += w.weight;
	}
}

static void apply_scripts(struct vrrp_rt *rt, struct verdict *v,
			  const struct track_script_conf *ts, size_t n)
{
	char what[VRRP_NAME_MAX + 32];

	for (size_t i = 0; i < n; i++) {
		struct vrrp_script_rt *s = vrrp_script_find(rt, ts[i].name);
		struct track_weight w;

		if (!s)
			continue;	/* validated at parse time */
		w = ts[i].w.has_weight ? ts[i].w : s->conf->w;
		snprintf(what, sizeof(what), "track_script %s failed", ts[i].name);
		apply(v, s->ok, w, what);
	}
}

/* track_file and track_process entries: their trackers say what each
 * does (vrrp_track_file.c, vrrp_track_process.c). */
static void apply_refs(struct vrrp_rt *rt, struct verdict *v, const struct track_ref_conf *r,
		       size_t n, bool files)
{
	for (size_t i = 0; i < n; i++) {
		struct track_effect e;

		if (!(files ? vrrp_tfile_effect(rt, &r[i], &e) : vrrp_tproc_effect(rt, &r[i], &e)))
			continue;	/* validated at parse time */
		if (e.fault && !v->fault) {
			v->fault = true;
			snprintf(v->why, sizeof(v->why), "%s %s failed",
				 files ? "track_file" : "track_process", r[i].name);
		}
		v->adjust += e.adjust;
	}
}

/* IPv6: the configured source, else the link-local address (RFC 5798
 * section 5.1.2.1), which is also what equal priorities compare. */
static bool choose_source6(struct vrrp_inst *in)
{
	const struct vrrp_instance_conf *c = in->conf;

	if (c->has_mcast_src)
		in->src6 = c->mcast_src.u.v6;
	else if (c->has_unicast_src)
		in->src6 = c->unicast_src.u.v6;
	else if (in->base_if->has_linklocal)
		in->src6 = in->base_if->linklocal;
	else
		return false;
	in->sm.p.primary_ip.family = AF_INET6;
	in->sm.p.primary_ip.u.v6 = in->src6;
	return true;
}

static bool choose_source(struct vrrp_inst *in)
{
	const struct vrrp_instance_conf *c = in->conf;

	if (c->family == AF_INET6)
		return choose_source6(in);
	if (c->has_mcast_src)
		in->src = c->mcast_src.u.v4;
	else if (c->has_unicast_src)
		in->src = c->unicast_src.u.v4;
	else if (in->base_if->has_primary)
		in->src = in->base_if->primary;
	else
		return false;
	in->sm.p.primary_ip.family = AF_INET;
	in->sm.p.primary_ip.u.v4 = in->src;
	return true;
}

static void judge(struct vrrp_inst *in, struct verdict *v)
{
	const struct vrrp_instance_conf *c = in->conf;
	char what[IF_NAMESIZE + 40];

	memset(v, 0, sizeof(*v));
	if (in->base_if->ifindex <= 0)
		apply(v, false, (struct track_weight){ 0 }, "interface not found");
	else if (!c->dont_track_primary)
		apply(v, in->base_if->up, (struct track_weight){ 0 }, "interface down");
	if (vrrp_vmac_fault(in))
		apply(v, false, (struct track_weight){ 0 }, vrrp_vmac_fault(in));
	if (!choose_source(in))
		apply(v, false, (struct track_weight){ 0 }, c->family == AF_INET6
		      ? "no IPv6 link-local address on the interface"
		      : "no IPv4 address on the interface");
	for (size_t i = 0; i < c->n_track_ifs; i++) {
		struct vrrp_if *t = vrrp_if_get(in->rt, c->track_ifs[i].ifname);

		snprintf(what, sizeof(what), "tracked interface %s down", c->track_ifs[i].ifname);
		apply(v, t && t->up, c->track_ifs[i].w, what);
	}
	apply_scripts(in->rt, v, c->track_scripts, c->n_track_scripts);
	apply_refs(in->rt, v, c->track_files, c->n_track_files, true);
	apply_refs(in->rt, v, c->track_procs, c->n_track_procs, false);
	if (in->group >= 0) {
		const struct vrrp_sync_group_conf *g = in->rt->groups[in->group]->conf;

		apply_scripts(in->rt, v, g->track_scripts, g->n_track_scripts);
		apply_refs(in->rt, v, g->track_files, g->n_track_files, true);
		apply_refs(in->rt, v, g->track_procs, g->n_track_procs, false);
	}
}

static uint8_t effective_priority(uint8_t base, int adjust)
{
	int p = base + adjust;

	if (base == VRRP_PRIO_OWNER && adjust == 0)
		return VRRP_PRIO_OWNER;
	return (uint8_t)(p < 1 ? 1 : p > 254 ? 254 : p);
}

void vrrp_track_update(struct vrrp_inst *in)
{
	struct verdict v;
	uint8_t prio;
	uint64_t now = monotonic_us();

	judge(in, &v);
	in->own_fault = v.fault;
	snprintf(in->fault_reason, sizeof(in->fault_reason), "%s", v.why);
	if (!v.fault && vrrp_sync_group_fault(in)) {
		v.fault = true;
		snprintf(v.why, sizeof(v.why), "a member of its sync group is in fault");
	}
	prio = effective_priority(in->conf->priority, v.adjust);
	if (!in->started || in->sm.state == VRRP_STATE_INIT) {
		in->sm.priority = prio;
		in->sm.fault = v.fault;
		return;
	}
	if (prio != in->sm.priority) {
		log_info("(%s) priority %u -> %u", in->conf->name, in->sm.priority, prio);
		vrrp_sm_set_priority(&in->sm, now, prio);
	}
	if (v.fault != in->sm.fault)
		vrrp_sm_set_fault(&in->sm, now, v.fault, v.fault ? v.why : NULL);
	vrrp_inst_sync_timer(in);
}

/* Faults of one member change its whole sync group, so every instance is
 * judged again; O(instances), fine for the hundreds a node runs. */
void vrrp_track_update_all(struct vrrp_rt *rt)
{
	if (rt->stopping)
		return;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < rt->n_insts; i++)
			vrrp_track_update(rt->insts[i]);
}
