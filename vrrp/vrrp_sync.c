/* Sync groups: the members of a vrrp_sync_group change state together.
 * A member that becomes MASTER or BACKUP by itself takes the others along;
 * a member in FAULT puts the whole group in FAULT (vrrp_track.c asks
 * vrrp_sync_group_fault). */
#include "config.h"

#include "log.h"
#include "vrrp_rt.h"

bool vrrp_sync_group_fault(const struct vrrp_inst *in)
{
	const struct vrrp_group_rt *g;

	if (in->group < 0)
		return false;
	g = in->rt->groups[in->group];
	for (size_t i = 0; i < g->n_members; i++)
		if (g->members[i]->own_fault)
			return true;
	return false;
}

/* The group's own state (for its notify scripts) is the state all its
 * members share, once they all share one. */
static void update_group_state(struct vrrp_group_rt *g)
{
	enum vrrp_state s = g->members[0]->sm.state;

	for (size_t i = 1; i < g->n_members; i++)
		if (g->members[i]->sm.state != s)
			return;
	if (s == g->state)
		return;
	log_info("(group %s) %s -> %s", g->conf->name, vrrp_state_name(g->state),
		 vrrp_state_name(s));
	vrrp_alert_group(g, g->state, s);
	g->state = s;
	vrrp_notify_group(g, s);
	vrrp_snmp_group_state(g);
}

void vrrp_sync_state_changed(struct vrrp_inst *in, enum vrrp_state to)
{
	struct vrrp_rt *rt = in->rt;
	struct vrrp_group_rt *g;
	char reason[2 * VRRP_NAME_MAX + 32];

	if (in->group < 0)
		return;
	g = rt->groups[in->group];
	if (!rt->syncing && (to == VRRP_STATE_MASTER || to == VRRP_STATE_BACKUP)) {
		snprintf(reason, sizeof(reason), "sync group %s, with %s", g->conf->name,
			 in->conf->name);
		rt->syncing = true;
		for (size_t i = 0; i < g->n_members; i++) {
			struct vrrp_inst *m = g->members[i];

			if (m == in || !m->started)
				continue;
			vrrp_sm_force(&m->sm, monotonic_us(), to, reason);
			vrrp_inst_sync_timer(m);
		}
		rt->syncing = false;
	}
	update_group_state(g);
}
