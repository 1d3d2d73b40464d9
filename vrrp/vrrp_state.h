/* The VRRP state machine of RFC 3768 section 6.4 (Initialize, Backup,
 * Master) plus keepalived's FAULT, for one instance.  Pure logic: the clock
 * is passed in, effects go out through `ops`, timers are deadlines the
 * runtime reads with vrrp_sm_next_deadline() after every call.  One function
 * changes state (vrrp_state.c: set_state); nothing else assigns it.  When
 * becoming MASTER the advert is sent before state_changed runs (the RFC's
 * order: advert, then gratuitous ARP, then the transition).
 *
 * VRRPv2:
 *   Skew_Time            = (256 - Priority) / 256 s                 (V2-R19)
 *   Master_Down_Interval = 3 * Advertisement_Interval + Skew_Time   (V2-R20)
 * VRRPv3 (the interval is the master's, learned from its adverts):
 *   Skew_Time            = ((256 - Priority) * Master_Adver_Interval) / 256
 *   Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time    (V3-R08)
 */
#ifndef KA_VRRP_STATE_H
#define KA_VRRP_STATE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "vrrp_conf.h"

#define VRRP_NO_DEADLINE UINT64_MAX

/* Effects of the state machine, implemented by the runtime (or a test). */
struct vrrp_sm_ops {
	/* Send one advert now with this priority (0 when resigning). */
	void (*send_advert)(void *ctx, uint8_t priority);
	/* The state changed; `reason` is a short phrase for the log
	 * ("master down timer expired", "higher priority advert from 10.0.0.2",
	 * "priority 0 advert", "shutdown", "fault: <why>", "sync group").
	 * Entering MASTER: the runtime adds VIPs and sends GARPs; leaving
	 * MASTER: it removes them.  `reason` lives only during the call. */
	void (*state_changed)(void *ctx, enum vrrp_state from, enum vrrp_state to,
			      const char *reason);
};

struct vrrp_sm_params {
	uint8_t priority;		/* configured (base) priority */
	uint64_t adver_int_us;		/* Advertisement_Interval */
	bool preempt;			/* Preempt_Mode (false with nopreempt) */
	uint64_t preempt_delay_us;	/* keepalived preempt_delay */
	struct ip_addr primary_ip;	/* ours, for the equal-priority tie-break:
					 * IPv4, or IPv6 (link-local or unicast_src_ip) */
	bool start_as_master_wish;	/* `state MASTER`: informational only */
	bool v3;			/* RFC 5798 timers (V3-R08..R11) */
};

struct vrrp_sm {
	struct vrrp_sm_params p;
	uint8_t priority;		/* effective: base +/- tracking weights */
	enum vrrp_state state;
	bool fault;			/* a fault condition holds */
	uint64_t master_down_timer;	/* deadline (us) or VRRP_NO_DEADLINE */
	uint64_t adver_timer;		/* deadline (us) or VRRP_NO_DEADLINE */
	uint64_t preempt_after;		/* no preemption before this (us), 0: unset */
	/* VRRPv3: the master's interval, learned from its adverts (V3-R10,
	 * R11) and reset to ours at startup (V3-R09); VRRPv2: always ours. */
	uint64_t master_adver_int_us;
	struct ip_addr master_ip;	/* source of the last advert we accepted
					 * (family 0 before the first) */
	uint8_t master_priority;
	uint64_t last_transition_us;
	/* counters (RFC 2787 names) */
	uint64_t become_master;
	uint64_t adverts_rcvd;
	uint64_t prio0_rcvd;
	uint64_t prio0_sent;
	uint64_t adverts_sent;
	uint64_t transitions;
	const struct vrrp_sm_ops *ops;
	void *ctx;
};

/* Skew_Time and Master_Down_Interval in microseconds for `priority`.
 * The VRRPv2 skew does not depend on the interval (adver_int_us is unused
 * by it); the VRRPv3 one scales with Master_Adver_Interval. */
uint64_t vrrp_skew_time_us(uint8_t priority, uint64_t adver_int_us);
uint64_t vrrp_master_down_interval_us(uint8_t priority, uint64_t adver_int_us);
uint64_t vrrp_v3_skew_time_us(uint8_t priority, uint64_t master_adver_int_us);
uint64_t vrrp_v3_master_down_interval_us(uint8_t priority, uint64_t master_adver_int_us);

void vrrp_sm_init(struct vrrp_sm *sm, const struct vrrp_sm_params *p,
		  const struct vrrp_sm_ops *ops, void *ctx);

/* Startup event (section 6.4.1): owner -> MASTER, otherwise BACKUP; or
 * FAULT if a fault condition is already set. */
void vrrp_sm_start(struct vrrp_sm *sm, uint64_t now);

/* A valid advert (already through vrrp_v2_parse/check_instance) from `src`
 * with `priority` (sections 6.4.2 / 6.4.3).  A MASTER hearing a lower
 * priority answers at once with its own advert so the other side yields.
 * preempt_delay: a BACKUP keeps deferring to a lower-priority master until
 * preempt_after, which startup sets to now + delay and, when unset, the
 * first lower-priority advert sets; it is unset on becoming MASTER and by a
 * higher-or-equal advert once it has passed. */
void vrrp_sm_advert(struct vrrp_sm *sm, uint64_t now, struct in_addr src, uint8_t priority);

/* The same for a VRRPv3 advert carrying Max Adver Int `adver_int_us`
 * (non-zero: the parser drops 0).  A Backup that accepts it, and a Master
 * that yields to it, take it as Master_Adver_Interval (V3-R10, V3-R11). */
void vrrp_sm_advert_v3(struct vrrp_sm *sm, uint64_t now, struct in_addr src, uint8_t priority,
		       uint64_t adver_int_us);

/* Either of the above for a source of either family (IPv6 instances):
 * adver_int_us 0 is the VRRPv2 form.  Equal priorities are broken by
 * comparing src with p.primary_ip as unsigned numbers (V3-R12). */
void vrrp_sm_advert_from(struct vrrp_sm *sm, uint64_t now, const struct ip_addr *src,
			 uint8_t priority, uint64_t adver_int_us);

/* Run the timers due at `now`. */
void vrrp_sm_timers(struct vrrp_sm *sm, uint64_t now);

/* Shutdown event: a MASTER sends priority 0 (V2-R36); -> INIT. */
void vrrp_sm_shutdown(struct vrrp_sm *sm, uint64_t now);

/* A fault condition appears or clears.  Entering FAULT from MASTER resigns
 * with a priority-0 advert; leaving FAULT goes through the startup event. */
void vrrp_sm_set_fault(struct vrrp_sm *sm, uint64_t now, bool fault, const char *reason);

/* New effective priority (tracking weights).  The owner's 255 applies only
 * when nothing lowers it.  No immediate transition: a MASTER keeps sending
 * (with the new value), a BACKUP that now outranks the master discards its
 * adverts and preempts when Master_Down_Timer runs out.  0 is taken as 1. */
void vrrp_sm_set_priority(struct vrrp_sm *sm, uint64_t now, uint8_t priority);

/* Sync groups: move to MASTER or BACKUP because a group member did.
 * Ignored in FAULT and INIT and when already there; FAULT itself is forced
 * with vrrp_sm_set_fault.  A NULL reason reads "sync group". */
void vrrp_sm_force(struct vrrp_sm *sm, uint64_t now, enum vrrp_state to, const char *reason);

/* Earliest armed deadline, or VRRP_NO_DEADLINE. */
uint64_t vrrp_sm_next_deadline(const struct vrrp_sm *sm);

#endif
