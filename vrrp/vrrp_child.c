/* The VRRP child: builds the runtime from the configuration, moves it to a
 * new configuration on reload without disturbing what did not change, and
 * shuts it down cleanly (masters resign with priority 0). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ptr_array.h"
#include "script_sec.h"
#include "vrrp_child.h"
#include "vrrp_rt.h"

/* Notify scripts started by the shutdown get this long to finish. */
#define STOP_NOTIFY_WAIT_US	(5ull * 1000000)

struct vrrp_child {
	struct vrrp_rt rt;
	struct ev_wait stopping;
	void (*done)(void *arg);
	void *done_arg;
};

/* ---- scripts: who runs them, and whether they may run ------------------ */

const struct proc_user *vrrp_script_user(struct vrrp_rt *rt, const struct proc_user *own)
{
	if (own && own->set)
		return own;
	return proc_script_user_cached(&rt->script_user, rt->global->script_user,
				       rt->global->script_group);
}

bool vrrp_script_allowed(struct vrrp_rt *rt, const struct proc_cmd *cmd, const struct proc_user *u,
			 const char *what)
{
	char why[256];

	if (!rt->global->enable_script_security)
		return true;
	if (script_sec_check_cmd(cmd, u->set ? u->uid : 0, why, sizeof(why)) == 0)
		return true;
	log_err("(%s) script '%s' refused by enable_script_security: %s", what, cmd->text, why);
	return false;
}

/* ---- building the runtime --------------------------------------------- */

static struct vrrp_group_rt *group_new(struct vrrp_rt *rt, const struct vrrp_sync_group_conf *gc,
				       size_t index)
{
	struct vrrp_group_rt *g = calloc(1, sizeof(*g));

	if (!g || !(g->members = calloc(gc->n_members ? gc->n_members : 1, sizeof(*g->members)))) {
		free(g);
		return NULL;
	}
	g->rt = rt;
	g->conf = gc;
	g->state = VRRP_STATE_INIT;
	notify_queue_init(&g->nq, rt, gc->name);
	for (size_t i = 0; i < gc->n_members; i++) {
		struct vrrp_inst *m = rt->insts[gc->members[i]];

		g->members[g->n_members++] = m;
		m->group = (int)index;
	}
	return g;
}

static void groups_free(struct vrrp_rt *rt)
{
	for (size_t i = 0; i < rt->n_groups; i++) {
		notify_queue_clear(&rt->groups[i]->nq);
		free(rt->groups[i]->members);
		free(rt->groups[i]);
	}
	free(rt->groups);
	rt->groups = NULL;
	rt->n_groups = 0;
}

static int build_groups(struct vrrp_rt *rt)
{
	for (size_t i = 0; i < rt->n_insts; i++)
		rt->insts[i]->group = -1;
	for (size_t i = 0; i < rt->conf->n_groups; i++) {
		struct vrrp_group_rt *g = group_new(rt, &rt->conf->groups[i], i);

		if (!g || ptr_array_push(&rt->groups, &rt->n_groups, g) < 0)
			return -1;
	}
	return 0;
}

static bool script_unchanged(const struct vrrp_script_conf *a, const struct vrrp_script_conf *b)
{
	return strcmp(a->script, b->script) == 0 && a->interval_us == b->interval_us &&
	       a->timeout_us == b->timeout_us && strcmp(a->user, b->user) == 0 &&
	       strcmp(a->group, b->group) == 0;
}

/* Scripts of the new configuration: an unchanged one keeps its verdict and
 * its schedule; the others start afresh. */
static int build_scripts(struct vrrp_rt *rt, struct vrrp_script_rt **old, size_t n_old)
{
	for (size_t i = 0; i < rt->conf->n_scripts; i++) {
		const struct vrrp_script_conf *c = &rt->conf->scripts[i];
		struct vrrp_script_rt *s = NULL;

		for (size_t j = 0; j < n_old && !s; j++)
			if (old[j] && strcmp(old[j]->conf->name, c->name) == 0 &&
			    script_unchanged(old[j]->conf, c)) {
				s = old[j];
				old[j] = NULL;
				s->conf = c;
			}
		if (!s) {
			s = vrrp_script_new(rt, c);
			if (s)
				vrrp_script_start(s);
		}
		if (!s || ptr_array_push(&rt->scripts, &rt->n_scripts, s) < 0)
			return -1;
	}
	return 0;
}

static struct vrrp_inst *take_match(struct vrrp_inst **old, size_t n_old,
				    const struct vrrp_instance_conf *c)
{
	for (size_t j = 0; j < n_old; j++) {
		struct vrrp_inst *in = old[j];

		if (in && strcmp(in->conf->name, c->name) == 0 &&
		    strcmp(in->conf->ifname, c->ifname) == 0 && in->conf->vrid == c->vrid &&
		    vrrp_vmac_same(in->conf, c) && in->conf->family == c->family) {
			old[j] = NULL;
			return in;
		}
	}
	return NULL;
}

/* Instances of the new configuration, reusing running ones that keep their
 * name, interface, VRID, address family and vmac.  `fresh[i]` says which ones
 * must be started. */
static int build_instances(struct vrrp_rt *rt, struct vrrp_inst **old, size_t n_old, bool *fresh)
{
	for (size_t i = 0; i < rt->conf->n_instances; i++) {
		const struct vrrp_instance_conf *c = &rt->conf->instances[i];
		struct vrrp_inst *in = take_match(old, n_old, c);

		fresh[i] = !in;
		if (!in)
			in = vrrp_inst_new(rt, c);
		if (!in || ptr_array_push(&rt->insts, &rt->n_insts, in) < 0)
			return -1;
	}
	return 0;
}

static void retire_instances(struct vrrp_inst **old, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!old[i])
			continue;
		log_info("(%s) removed by reload", old[i]->conf->name);
		vrrp_inst_shutdown(old[i]);
		vrrp_inst_free(old[i]);
	}
	free(old);
}

/* Route and rule notifications (for repair) only when the configuration
 * manages routes or rules: a host with a full routing table sends floods. */
static void watch_routes(struct vrrp_rt *rt, const struct vrrp_conf *c)
{
	bool routes = c->n_static_routes > 0, rules = c->n_static_rules > 0;
	int rc;

	for (size_t i = 0; i < c->n_instances; i++) {
		routes |= c->instances[i].n_routes > 0;
		rules |= c->instances[i].n_rules > 0;
	}
	rc = nl_route_watch(rt->nl, routes, rules);
	if (rc < 0) {
		errno = -rc;
		log_warn("rtnetlink: route and rule notifications: routes and rules deleted "
			 "by others will not be put back");
	}
}

/* Move the runtime to `conf`.  On the first call `rt` is empty. */
static int apply(struct vrrp_rt *rt, const struct vrrp_conf *conf)
{
	struct vrrp_inst **old_insts = rt->insts;
	struct vrrp_script_rt **old_scripts = rt->scripts;
	const struct vrrp_conf *old_conf = rt->conf;
	size_t n_old_insts = rt->n_insts, n_old_scripts = rt->n_scripts;
	bool *fresh = calloc(conf->n_instances + 1, sizeof(*fresh));
	int r = -1;

	for (size_t i = 0; i < n_old_insts; i++)
		old_insts[i]->group = -1;	/* their groups go with the old config */
	rt->insts = NULL;
	rt->n_insts = 0;
	rt->scripts = NULL;
	rt->n_scripts = 0;
	rt->conf = conf;
	groups_free(rt);
	if (fresh && build_scripts(rt, old_scripts, n_old_scripts) == 0 &&
	    build_instances(rt, old_insts, n_old_insts, fresh) == 0 && build_groups(rt) == 0)
		r = 0;
	retire_instances(old_insts, n_old_insts);
	for (size_t i = 0; i < n_old_scripts; i++)
		vrrp_script_free(old_scripts[i]);
	free(old_scripts);
	/* Even after a failure: trackers must not keep the old configuration. */
	if (vrrp_tfiles_apply(rt) < 0)
		r = -1;
	if (vrrp_tprocs_apply(rt) < 0)
		r = -1;
	watch_routes(rt, conf);
	/* Before the instances start: a static address may be the primary
	 * address an instance sends from. */
	vrrp_static_apply(rt, old_conf);
	for (size_t i = 0; r == 0 && i < rt->n_insts; i++) {
		if (fresh[i])
			vrrp_inst_start(rt->insts[i]);
		else
			vrrp_inst_adopt_conf(rt->insts[i], &conf->instances[i]);
	}
	vrrp_track_update_all(rt);
	free(fresh);
	if (r < 0)
		log_err("VRRP: out of memory while applying the configuration");
	return r;
}

/* ---- the child's life ----------------------------------------------------- */

static int open_io(struct vrrp_rt *rt)
{
	char err[160];

	if (proc_become_subreaper() < 0)
		log_warn("cannot become a subreaper for scripts");
	rt->nl = nl_route_open(rt->loop, &vrrp_if_events, rt);
	if (!rt->nl) {
		log_warn("rtnetlink");
		return -1;
	}
	if (garp_open(&rt->garp, err, sizeof(err)) < 0)
		log_err("gratuitous ARP disabled: %s", err);
	return 0;
}

struct vrrp_child *vrrp_child_start(struct ev_loop *loop, const struct vrrp_conf *conf,
				    const struct global_conf *global,
				    const struct vrrp_hooks *hooks)
{
	struct vrrp_child *v = calloc(1, sizeof(*v));

	if (!v) {
		log_err("VRRP child: out of memory");
		return NULL;
	}
	v->rt.loop = loop;
	v->rt.global = global;
	if (hooks)
		v->rt.hooks = *hooks;
	v->rt.garp.fd = -1;
	vrrp_repair_init(&v->rt);
	if (open_io(&v->rt) < 0) {
		free(v);
		return NULL;
	}
	/* SNMP first, so the startup transitions are notified too. */
	vrrp_snmp_apply(&v->rt);
	v->rt.alerter = alerter_new(loop);
	if (v->rt.alerter)
		alerter_configure(v->rt.alerter, global);
	else
		log_err("VRRP child: out of memory; no e-mail alerts");
	apply(&v->rt, conf);
	log_info("VRRP child started: %zu vrrp_instance, %zu vrrp_sync_group, %zu vrrp_script",
		 conf->n_instances, conf->n_groups, conf->n_scripts);
	return v;
}

int vrrp_child_reload(struct vrrp_child *v, const struct vrrp_conf *conf,
		      const struct global_conf *global)
{
	v->rt.global = global;
	v->rt.script_user.known = false;	/* global_defs may name another */
	if (v->rt.alerter)
		alerter_configure(v->rt.alerter, global);
	if (apply(&v->rt, conf) < 0)
		return -1;
	vrrp_snmp_apply(&v->rt);
	log_info("VRRP configuration reloaded: %zu vrrp_instance, %zu vrrp_sync_group, "
		 "%zu vrrp_script", conf->n_instances, conf->n_groups, conf->n_scripts);
	return 0;
}

static bool notifies_pending(void *arg)
{
	const struct vrrp_rt *rt = &((struct vrrp_child *)arg)->rt;

	for (size_t i = 0; i < rt->n_insts; i++)
		if (notify_queue_busy(&rt->insts[i]->nq))
			return true;
	for (size_t i = 0; i < rt->n_groups; i++)
		if (notify_queue_busy(&rt->groups[i]->nq))
			return true;
	return false;
}

static void release(void *arg)
{
	struct vrrp_child *v = arg;
	struct vrrp_rt *rt = &v->rt;
	void (*done)(void *) = v->done;
	void *done_arg = v->done_arg;

	vrrp_snmp_stop(rt);
	groups_free(rt);
	for (size_t i = 0; i < rt->n_insts; i++)
		vrrp_inst_free(rt->insts[i]);
	free(rt->insts);
	for (size_t i = 0; i < rt->n_ifs; i++)
		vrrp_if_free(rt->ifs[i]);
	free(rt->ifs);
	garp_close(&rt->garp);
	nl_route_close(rt->nl);
	alerter_free(rt->alerter);
	free(v);
	done(done_arg);
}

void vrrp_child_stop(struct vrrp_child *v, void (*done)(void *arg), void *arg)
{
	struct vrrp_rt *rt = &v->rt;

	v->done = done;
	v->done_arg = arg;
	rt->stopping = true;
	for (size_t i = 0; i < rt->n_scripts; i++)
		vrrp_script_free(rt->scripts[i]);
	free(rt->scripts);
	rt->scripts = NULL;
	rt->n_scripts = 0;
	vrrp_tfiles_free(rt);
	vrrp_tprocs_free(rt);
	vrrp_repair_stop(rt);
	for (size_t i = 0; i < rt->n_insts; i++)
		vrrp_inst_shutdown(rt->insts[i]);
	vrrp_static_remove(rt);
	ev_wait_start(rt->loop, &v->stopping, notifies_pending, STOP_NOTIFY_WAIT_US, release, v);
}

struct vrrp_rt *vrrp_child_rt(struct vrrp_child *v)
{
	return &v->rt;
}
