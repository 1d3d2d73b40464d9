/* SNMP for the VRRP child: the VRRP part of KEEPALIVED-MIB (instances and
 * sync groups), the standard VRRP-MIB of RFC 2787 (vrrpOperTable,
 * vrrpAssoIpAddrTable, vrrpRouterStatsTable and the router-wide counters)
 * and their notifications, as global_defs (or -x) enables them.  Values
 * are read from the runtime when a manager asks, so they are never stale.
 * Without net-snmp (configure --disable-snmp) these are no-ops; the parser
 * refuses the keywords then. */
#ifndef KA_VRRP_SNMP_H
#define KA_VRRP_SNMP_H

#include <netinet/in.h>

#include "vrrp_conf.h"
#include "vrrp_packet.h"

struct vrrp_rt;
struct vrrp_inst;
struct vrrp_group_rt;

#ifdef WITH_SNMP
/* Start the subagent if the configuration enables any part; on reload,
 * also pick up a newly enabled part and the new router_id (a part that is
 * switched off stays served until the child restarts: net-snmp cannot be
 * set up twice in one process). */
void vrrp_snmp_apply(struct vrrp_rt *rt);
void vrrp_snmp_stop(struct vrrp_rt *rt);
/* Notifications, sent when enable_traps is set: kaVrrpInstanceStateChange
 * (our MIB) and vrrpTrapNewMaster (RFC 2787) on becoming MASTER. */
void vrrp_snmp_instance_state(struct vrrp_inst *in, enum vrrp_state to);
void vrrp_snmp_group_state(struct vrrp_group_rt *g);
/* vrrpTrapAuthFailure for an advert dropped for its authentication. */
void vrrp_snmp_auth_failure(struct vrrp_inst *in, struct in_addr src, enum vrrp_drop why);
#else
static inline void vrrp_snmp_apply(struct vrrp_rt *rt) { (void)rt; }
static inline void vrrp_snmp_stop(struct vrrp_rt *rt) { (void)rt; }
static inline void vrrp_snmp_instance_state(struct vrrp_inst *in, enum vrrp_state to)
{
	(void)in;
	(void)to;
}
static inline void vrrp_snmp_group_state(struct vrrp_group_rt *g) { (void)g; }
static inline void vrrp_snmp_auth_failure(struct vrrp_inst *in, struct in_addr src,
					  enum vrrp_drop why)
{
	(void)in;
	(void)src;
	(void)why;
}
#endif

#endif
