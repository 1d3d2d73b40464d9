/* lvs_sync_daemon: the kernel's IPVS connection synchronisation.  Tied to
 * a VRRP instance, the master sync daemon runs while that instance is
 * MASTER and the backup one otherwise, so connections follow a failover;
 * without an instance both run.  The VRRP state arrives from the VRRP
 * child through the parent (check_child_vrrp_state). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "check_rt.h"
#include "log.h"

/* enum vrrp_state's MASTER; the checker does not include VRRP headers. */
#define VRRP_MASTER_STATE 2

static bool instance_is_master(const struct check_rt *rt, const char *name)
{
	for (size_t i = 0; i < rt->n_vrrp_states; i++)
		if (strcmp(rt->vrrp_states[i].name, name) == 0)
			return rt->vrrp_states[i].state == VRRP_MASTER_STATE;
	return false;
}

static void want_daemon(const struct lvs_sync_daemon_conf *c, uint32_t state,
			struct ipvs_daemon *d)
{
	memset(d, 0, sizeof(*d));
	d->state = state;
	snprintf(d->mcast_ifn, sizeof(d->mcast_ifn), "%s", c->ifname);
	d->syncid = c->syncid;
	d->sync_maxlen = c->maxlen;
	d->mcast_port = c->port;
	d->mcast_ttl = c->ttl;
	d->mcast_group = c->group;
}

/* Equal in what we asked for; what we left to the kernel is not compared. */
static bool daemon_matches(const struct ipvs_daemon *have, const struct ipvs_daemon *want)
{
	return strcmp(have->mcast_ifn, want->mcast_ifn) == 0 && have->syncid == want->syncid &&
	       (!want->sync_maxlen || have->sync_maxlen == want->sync_maxlen) &&
	       (!want->mcast_port || have->mcast_port == want->mcast_port) &&
	       (!want->mcast_ttl || have->mcast_ttl == want->mcast_ttl);
}

static const struct ipvs_daemon *running(const struct ipvs_daemon *list, size_t n, uint32_t state)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].state == state)
			return &list[i];
	return NULL;
}

static void converge(struct check_rt *rt, const struct ipvs_daemon *list, size_t n,
		     uint32_t state, bool want)
{
	const struct ipvs_daemon *have = running(list, n, state);
	const char *role = state == IP_VS_STATE_MASTER ? "master" : "backup";
	struct ipvs_daemon d;
	int r;

	want_daemon(&rt->conf->globals.sync, state, &d);
	if (have && (!want || !daemon_matches(have, &d))) {
		r = ipvs_daemon_stop(rt->ipvs, state);
		if (r < 0 && r != -ESRCH)
			log_err("cannot stop the %s sync daemon: %s", role, strerror(-r));
		else
			log_info("IPVS %s sync daemon stopped", role);
		have = NULL;
	}
	if (want && !have) {
		r = ipvs_daemon_start(rt->ipvs, &d);
		if (r < 0)
			log_err("cannot start the %s sync daemon on %s: %s", role, d.mcast_ifn,
				strerror(-r));
		else
			log_info("IPVS %s sync daemon started on %s (syncid %u)", role, d.mcast_ifn,
				 d.syncid);
	}
}

void check_sync_apply(struct check_rt *rt)
{
	const struct lvs_sync_daemon_conf *c = &rt->conf->globals.sync;
	struct ipvs_daemon list[2];
	size_t n = 0;
	bool master;

	if (!rt->ipvs || (!c->enabled && !rt->sync_started))
		return;
	if (ipvs_get_daemons(rt->ipvs, list, &n) < 0)
		n = 0;
	master = !c->vrrp_instance[0] || instance_is_master(rt, c->vrrp_instance);
	converge(rt, list, n, IP_VS_STATE_MASTER, c->enabled && master);
	converge(rt, list, n, IP_VS_STATE_BACKUP,
		 c->enabled && (!c->vrrp_instance[0] || !master));
	rt->sync_started = c->enabled;
}

void check_sync_stop(struct check_rt *rt)
{
	if (!rt->ipvs || !rt->sync_started || rt->keep_ipvs)
		return;
	ipvs_daemon_stop(rt->ipvs, IP_VS_STATE_MASTER);
	ipvs_daemon_stop(rt->ipvs, IP_VS_STATE_BACKUP);
	rt->sync_started = false;
}
