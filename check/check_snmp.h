/* SNMP for the checker child: the checker part of KEEPALIVED-MIB (virtual
 * servers and real servers with state, weight and check counters) and the
 * real server state notification, as global_defs (or -x) enables them.
 * Values are read from the runtime when a manager asks.  Without net-snmp
 * (configure --disable-snmp) these are no-ops. */
#ifndef KA_CHECK_SNMP_H
#define KA_CHECK_SNMP_H

struct check_rt;
struct rs_rt;

#ifdef WITH_SNMP
/* Start the subagent if enable_snmp_checker is set; on reload, pick up a
 * newly enabled part and the new router_id. */
void check_snmp_apply(struct check_rt *rt);
/* Before the runtime is torn down: no request may read it afterwards. */
void check_snmp_stop(struct check_rt *rt);
/* kaRealServerStateChange, when enable_traps is set. */
void check_snmp_rs_state(struct rs_rt *rs);
#else
static inline void check_snmp_apply(struct check_rt *rt) { (void)rt; }
static inline void check_snmp_stop(struct check_rt *rt) { (void)rt; }
static inline void check_snmp_rs_state(struct rs_rt *rs) { (void)rs; }
#endif

#endif
