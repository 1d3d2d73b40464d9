/* The SNMP AgentX subagent of one child process, on our event loop.
 *
 * net-snmp does the AgentX protocol; this file keeps it from blocking the
 * loop (its sockets are watched by epoll, its timeouts and alarms run from
 * an ev_timer, never from SIGALRM) and offers the MIB code a simpler model
 * than net-snmp's handlers: a subtree is served by a `fill` callback that
 * lists every (OID, value) under it, in any order; GET and GETNEXT are
 * answered from that list.  The list is rebuilt per request: O(n log n) in
 * the number of objects, fine for the hundreds a daemon has.
 *
 * One wait remains that net-snmp gives no way around: it opens the AgentX
 * session and registers subtrees synchronously.  A live master answers at
 * once; one that accepts but never answers (a stopped snmpd) holds the
 * loop up to 1 s per attempt, every SNMP_AGENTX_PING_S seconds.
 *
 * net-snmp lives in a module (snmp_module.h) that snmp_agent_start()
 * loads; no file of the daemon includes its headers, callers use our own
 * types.  net-snmp is process-global: one agent per process. */
#ifndef KA_SNMP_AGENT_H
#define KA_SNMP_AGENT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define SNMP_OID_MAX		48
#define SNMP_AGENTX_PING_S	5	/* reconnect/ping period towards the master */

/* An object identifier being built: a prefix, then index sub-ids. */
struct snmp_oid {
	uint32_t n[SNMP_OID_MAX];
	size_t len;
};

enum snmp_type {
	SNMP_T_INTEGER,		/* INTEGER / Integer32 / enumerations */
	SNMP_T_GAUGE,		/* Gauge32 / Unsigned32 */
	SNMP_T_COUNTER32,
	SNMP_T_COUNTER64,
	SNMP_T_TIMETICKS,
	SNMP_T_OCTETS,		/* OCTET STRING, DisplayString, MacAddress */
	SNMP_T_IPADDR,
};

struct snmp_agent;
struct snmp_vars;

/* Lists the objects of one subtree (or the varbinds of one notification,
 * in order) into `v`. */
typedef void snmp_fill_fn(struct snmp_vars *v, void *arg);

/* `o` = prefix (len sub-ids), then appenders; an OID longer than
 * SNMP_OID_MAX is truncated and the object later ignored. */
void snmp_oid_set(struct snmp_oid *o, const uint32_t *prefix, size_t len);
void snmp_oid_add(struct snmp_oid *o, uint32_t sub);
/* A string index: its length, then one sub-id per byte (RFC 2578 7.7). */
void snmp_oid_add_str(struct snmp_oid *o, const char *s);
void snmp_oid_add_ip(struct snmp_oid *o, struct in_addr a);

/* Add one object: `o` followed by `col` and the sub-ids of `index`
 * (index may be NULL).  Integers for the numeric types; bytes for
 * SNMP_T_OCTETS; the address for SNMP_T_IPADDR. */
void snmp_vars_num(struct snmp_vars *v, const struct snmp_oid *o, uint32_t col,
		   const struct snmp_oid *index, enum snmp_type t, uint64_t value);
void snmp_vars_str(struct snmp_vars *v, const struct snmp_oid *o, uint32_t col,
		   const struct snmp_oid *index, const char *s);
void snmp_vars_bytes(struct snmp_vars *v, const struct snmp_oid *o, uint32_t col,
		     const struct snmp_oid *index, const void *bytes, size_t n);
void snmp_vars_ip(struct snmp_vars *v, const struct snmp_oid *o, uint32_t col,
		  const struct snmp_oid *index, struct in_addr a);

/* Become an AgentX subagent named `app` ("keepalived-vrrp") of the master
 * at `socket` (NULL or "": net-snmp's default, unix:/var/agentx/master).
 * Never fails because the master is absent: the agent keeps trying every
 * SNMP_AGENTX_PING_S seconds and logs the first failure and each
 * (re)connection.  NULL (logged) only if net-snmp cannot initialise. */
struct snmp_agent *snmp_agent_start(struct ev_loop *loop, const char *app, const char *socket);

/* Serve the subtree `root` from `fill(arg)`.  `priority`: AgentX
 * registration priority (lower wins when two children register the same
 * subtree; net-snmp's default is 127).  0 or -1 (logged). */
int snmp_agent_register(struct snmp_agent *a, const uint32_t *root, size_t len,
			int priority, snmp_fill_fn *fill, void *arg);

/* Send an SNMPv2 notification `trap` with the varbinds `fill(arg)` lists
 * (sysUpTime and snmpTrapOID are added first).  Dropped (debug log) while
 * no master is connected: a trap is news, not state to replay. */
void snmp_agent_notify(struct snmp_agent *a, const uint32_t *trap, size_t len,
		       snmp_fill_fn *fill, void *arg);

/* Whether the AgentX session with the master is up now. */
bool snmp_agent_connected(const struct snmp_agent *a);

/* Unregister everything and shut net-snmp down; `a` may be NULL. */
void snmp_agent_stop(struct snmp_agent *a);

#endif
