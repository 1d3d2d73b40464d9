/* E-mail alerts of the VRRP child: an instance or a sync group entering
 * MASTER, BACKUP or FAULT, when its smtp_alert (or global_defs') asks. */
#include "config.h"

#include <stdio.h>

#include "alert.h"
#include "vrrp_rt.h"

/* An object's own smtp_alert wins; without one, global_defs decides. */
static bool wanted(const struct vrrp_rt *rt, enum vrrp_smtp_alert own)
{
	if (!rt->alerter)
		return false;
	if (own == VRRP_SMTP_UNSET)
		return rt->global->smtp_alert;
	return own == VRRP_SMTP_ON;
}

/* INIT is where instances start and stop: not news for a mailbox. */
static bool newsworthy(enum vrrp_state to)
{
	return to == VRRP_STATE_MASTER || to == VRRP_STATE_BACKUP || to == VRRP_STATE_FAULT;
}

void vrrp_alert_instance(struct vrrp_inst *in, enum vrrp_state from, enum vrrp_state to,
			 const char *reason)
{
	const struct vrrp_instance_conf *c = in->conf;
	char subject[VRRP_NAME_MAX + 64], body[4 * VRRP_NAME_MAX + 512];

	if (!newsworthy(to) || !wanted(in->rt, c->notify.smtp_alert))
		return;
	snprintf(subject, sizeof(subject), "VRRP instance %s is now %s", c->name,
		 vrrp_state_name(to));
	snprintf(body, sizeof(body),
		 "%s\n"
		 "went from %s to %s on router %s.\n\n"
		 "Why:              %s\n"
		 "Interface:        %s\n"
		 "Virtual router:   %u\n"
		 "Priority now:     %u (configured %u)\n",
		 c->name, vrrp_state_name(from), vrrp_state_name(to),
		 alerter_router_id(in->rt->alerter), reason, c->ifname, c->vrid, in->sm.priority,
		 c->priority);
	alert_send(in->rt->alerter, subject, body);
}

void vrrp_alert_group(struct vrrp_group_rt *g, enum vrrp_state from, enum vrrp_state to)
{
	char subject[VRRP_NAME_MAX + 64], body[4 * VRRP_NAME_MAX + 512];
	size_t used;

	if (!newsworthy(to) || !wanted(g->rt, g->conf->notify.smtp_alert))
		return;
	snprintf(subject, sizeof(subject), "VRRP sync group %s is now %s", g->conf->name,
		 vrrp_state_name(to));
	used = (size_t)snprintf(body, sizeof(body),
				"%s\n"
				"went from %s to %s on router %s.\n\n"
				"Members:\n",
				g->conf->name, vrrp_state_name(from), vrrp_state_name(to),
				alerter_router_id(g->rt->alerter));
	for (size_t i = 0; i < g->n_members && used < sizeof(body); i++)
		used += (size_t)snprintf(body + used, sizeof(body) - used, "  %s (%s)\n",
					 g->members[i]->conf->name,
					 vrrp_state_name(g->members[i]->sm.state));
	alert_send(g->rt->alerter, subject, body);
}
