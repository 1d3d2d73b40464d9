/* Object identifiers of doc/KEEPALIVED-MIB.txt shared by the VRRP and the
 * checker child, and its global group (version, router_id), which both
 * children serve: the VRRP child at a better AgentX priority, so the
 * checker's copy answers only when the VRRP child does not run.
 *
 * The arc is enterprises.32473, the enterprise number IANA reserves for
 * documentation (RFC 5612); doc/KEEPALIVED-MIB.txt explains the choice. */
#ifndef KA_KA_MIB_H
#define KA_KA_MIB_H

#include "snmp_agent.h"

#define KA_MIB_OID		1, 3, 6, 1, 4, 1, 32473, 1
#define KA_MIB_LEN		8

/* Arcs under KA_MIB_OID. */
enum ka_mib_arc {
	KA_MIB_NOTIFICATIONS = 0,
	KA_MIB_GLOBAL = 1,
	KA_MIB_VRRP = 2,
	KA_MIB_CHECK = 3,
};

/* kaNotifications */
enum ka_mib_trap {
	KA_TRAP_VRRP_INSTANCE_STATE = 1,
	KA_TRAP_VRRP_GROUP_STATE = 2,
	KA_TRAP_REAL_SERVER_STATE = 3,
};

/* kaGlobal scalars */
#define KA_GLOBAL_VERSION	1
#define KA_GLOBAL_ROUTER_ID	2

#define KA_ROUTER_ID_MAX	255

struct ka_mib_global {
	char router_id[KA_ROUTER_ID_MAX + 1];
};

/* Record `router_id` (empty: the host name, as the daemon uses it). */
void ka_mib_global_set(struct ka_mib_global *g, const char *router_id);

/* Serve kaGlobal from `g` (which must outlive the agent) at `priority`. */
int ka_mib_register_global(struct snmp_agent *a, struct ka_mib_global *g, int priority);

/* Append the kaRouterId.0 varbind (every notification of ours starts so). */
void ka_mib_add_router_id(struct snmp_vars *v, const struct ka_mib_global *g);

/* `o` = KA_MIB_OID followed by `n` further sub-ids. */
void ka_mib_oid(struct snmp_oid *o, size_t n, const uint32_t *subs);

#endif
