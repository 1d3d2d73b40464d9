/* The RFC 3768 section 6.4 state machine plus FAULT; see vrrp_state.h.
 *
 * Conventions that hold everywhere below:
 * - set_state() is the only assignment of sm->state.
 * - A timer belongs to one state: Master_Down_Timer is armed only in
 *   BACKUP, Adver_Timer only in MASTER.  Every transition cancels the timer
 *   of the state it leaves before arming the one of the state it enters.
 * - Becoming MASTER sends the advert first and then changes state, as the
 *   RFC lists the actions (V2-R23, V2-R29); the runtime adds the VIPs and
 *   sends gratuitous ARPs from state_changed, so they follow the advert.
 * - Reason strings handed to state_changed live only during the call. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "vrrp_state.h"

#define USEC_PER_SEC		1000000ull
#define REASON_MAX		96

static void set_state(struct vrrp_sm *sm, enum vrrp_state to, const char *reason, uint64_t now)
{
	enum vrrp_state from = sm->state;

	sm->state = to;
	sm->last_transition_us = now;
	sm->transitions++;
	if (to == VRRP_STATE_MASTER) {
		sm->become_master++;
		/* Winning ends any preempt_delay episode; the next
		 * lower-priority master we meet starts a new one. */
		sm->preempt_after = 0;
	}
	sm->ops->state_changed(sm->ctx, from, to, reason);
}

/* Every advert leaves through here so the counters cannot drift. */
static void send_advert(struct vrrp_sm *sm, uint8_t priority)
{
	sm->adverts_sent++;
	if (priority == 0)
		sm->prio0_sent++;
	sm->ops->send_advert(sm->ctx, priority);
}

uint64_t vrrp_skew_time_us(uint8_t priority, uint64_t adver_int_us)
{
	/* RFC 3768 (V2-R19) does not scale the skew by the interval; VRRPv3
	 * does (vrrp_v3_skew_time_us). */
	(void)adver_int_us;
	return (256u - priority) * USEC_PER_SEC / 256u;
}

uint64_t vrrp_master_down_interval_us(uint8_t priority, uint64_t adver_int_us)
{
	return 3 * adver_int_us + vrrp_skew_time_us(priority, adver_int_us);	/* V2-R20 */
}

uint64_t vrrp_v3_skew_time_us(uint8_t priority, uint64_t master_adver_int_us)
{
	return (256u - priority) * master_adver_int_us / 256u;			/* V3-R08 */
}

uint64_t vrrp_v3_master_down_interval_us(uint8_t priority, uint64_t master_adver_int_us)
{
	return 3 * master_adver_int_us + vrrp_v3_skew_time_us(priority, master_adver_int_us);
}

static uint64_t skew(const struct vrrp_sm *sm)
{
	if (sm->p.v3)
		return vrrp_v3_skew_time_us(sm->priority, sm->master_adver_int_us);
	return vrrp_skew_time_us(sm->priority, sm->p.adver_int_us);
}

static uint64_t mdi(const struct vrrp_sm *sm)
{
	if (sm->p.v3)
		return vrrp_v3_master_down_interval_us(sm->priority, sm->master_adver_int_us);
	return vrrp_master_down_interval_us(sm->priority, sm->p.adver_int_us);
}

/* Priority 0 means "resigning" on the wire, so it is never a local
 * priority; the runtime clamps, this only guards. */
static uint8_t sane_priority(uint8_t priority)
{
	return priority ? priority : 1;
}

void vrrp_sm_init(struct vrrp_sm *sm, const struct vrrp_sm_params *p,
		  const struct vrrp_sm_ops *ops, void *ctx)
{
	*sm = (struct vrrp_sm){ 0 };
	sm->p = *p;
	/* A zero interval would re-arm Adver_Timer at `now` and make the
	 * runtime spin; the parser refuses it, 1 s (V2-R18) is the guard. */
	if (sm->p.adver_int_us == 0)
		sm->p.adver_int_us = USEC_PER_SEC;
	sm->priority = sane_priority(p->priority);
	sm->master_adver_int_us = sm->p.adver_int_us;
	sm->state = VRRP_STATE_INIT;
	sm->master_down_timer = VRRP_NO_DEADLINE;
	sm->adver_timer = VRRP_NO_DEADLINE;
	sm->ops = ops;
	sm->ctx = ctx;
}

static void become_master(struct vrrp_sm *sm, uint64_t now, const char *reason)
{
	sm->master_down_timer = VRRP_NO_DEADLINE;
	send_advert(sm, sm->priority);
	sm->adver_timer = now + sm->p.adver_int_us;
	set_state(sm, VRRP_STATE_MASTER, reason, now);
}

static void become_backup(struct vrrp_sm *sm, uint64_t now, const char *reason)
{
	sm->adver_timer = VRRP_NO_DEADLINE;
	sm->master_down_timer = now + mdi(sm);
	set_state(sm, VRRP_STATE_BACKUP, reason, now);
}

/* Section 6.4.1, from INIT or when a fault clears. */
static void startup(struct vrrp_sm *sm, uint64_t now, const char *reason)
{
	if (sm->fault) {
		sm->master_down_timer = sm->adver_timer = VRRP_NO_DEADLINE;
		set_state(sm, VRRP_STATE_FAULT, "fault condition at startup", now);
		return;
	}
	if (sm->priority == VRRP_PRIO_OWNER) {		/* V2-R23 */
		become_master(sm, now, reason);
		return;
	}
	sm->preempt_after = sm->p.preempt_delay_us ? now + sm->p.preempt_delay_us : 0;
	sm->master_adver_int_us = sm->p.adver_int_us;	/* V3-R09 */
	become_backup(sm, now, reason);			/* V2-R24 */
}

void vrrp_sm_start(struct vrrp_sm *sm, uint64_t now)
{
	if (sm->state != VRRP_STATE_INIT)
		return;
	startup(sm, now, sm->priority == VRRP_PRIO_OWNER ? "startup as address owner" : "startup");
}

/* Whether a lower-priority master may be preempted now.  With
 * preempt_delay, the first such advert (or startup) opens a window during
 * which we keep deferring to it. */
static bool preempt_allowed(struct vrrp_sm *sm, uint64_t now)
{
	if (sm->priority == VRRP_PRIO_OWNER)		/* V2-R21: always */
		return true;
	if (!sm->p.preempt)
		return false;
	if (sm->p.preempt_delay_us == 0)
		return true;
	if (sm->preempt_after == 0)
		sm->preempt_after = now + sm->p.preempt_delay_us;
	return now >= sm->preempt_after;
}

/* V2-R39 / V2-R41 / V3-R12: the tie-break compares addresses as unsigned
 * numbers; network order makes that a byte-wise compare for both families.
 * An address of the other family (never sent by a valid peer) loses. */
static bool sender_wins(const struct vrrp_sm *sm, const struct ip_addr *src, uint8_t priority)
{
	const struct ip_addr *own = &sm->p.primary_ip;

	if (priority != sm->priority)
		return priority > sm->priority;
	if (src->family != own->family)
		return false;
	if (src->family == AF_INET6)
		return memcmp(&src->u.v6, &own->u.v6, sizeof(src->u.v6)) > 0;
	return ntohl(src->u.v4.s_addr) > ntohl(own->u.v4.s_addr);
}

static void backup_advert(struct vrrp_sm *sm, uint64_t now, const struct ip_addr *src,
			  uint8_t priority, uint64_t adver_int_us)
{
	if (priority == 0) {				/* V2-R30 */
		sm->master_down_timer = now + skew(sm);
		return;
	}
	if (priority >= sm->priority) {
		/* A legitimate master, even at our priority from a lower
		 * address (RFC 3768 6.4.2, and keepalived 2.2.7 behaves so:
		 * an equal newcomer does not preempt).  A later lower-priority
		 * one gets a fresh preempt_delay, unless the startup window
		 * still runs. */
		if (sm->preempt_after && now >= sm->preempt_after)
			sm->preempt_after = 0;
	} else if (preempt_allowed(sm, now)) {
		return;		/* V2-R31: discard, the timer runs out, we preempt */
	}
	if (sm->p.v3 && adver_int_us)			/* V3-R10 */
		sm->master_adver_int_us = adver_int_us;
	sm->master_down_timer = now + mdi(sm);		/* V2-R31 */
	sm->master_ip = *src;
	sm->master_priority = priority;
}

/* V2-R39: cancel Adver_Timer, arm Master_Down_Timer, -> BACKUP. */
static void yield_to(struct vrrp_sm *sm, uint64_t now, const struct ip_addr *src,
		     uint8_t priority, uint64_t adver_int_us)
{
	char reason[REASON_MAX], ip[INET6_ADDRSTRLEN];

	if (sm->p.v3 && adver_int_us)			/* V3-R11 */
		sm->master_adver_int_us = adver_int_us;
	sm->master_ip = *src;
	sm->master_priority = priority;
	if (!inet_ntop(src->family, &src->u, ip, sizeof(ip)))
		snprintf(ip, sizeof(ip), "?");
	snprintf(reason, sizeof(reason), "%s advert from %s",
		 priority > sm->priority ? "higher priority" : "equal priority, higher address", ip);
	become_backup(sm, now, reason);
}

static void master_advert(struct vrrp_sm *sm, uint64_t now, const struct ip_addr *src,
			  uint8_t priority, uint64_t adver_int_us)
{
	if (priority != 0 && sender_wins(sm, src, priority)) {
		yield_to(sm, now, src, priority, adver_int_us);
		return;
	}
	/* V2-R38 for priority 0; for a lower priority RFC 3768 only discards
	 * (V2-R40), and answering at once makes the other side yield within
	 * one round trip instead of one interval. */
	send_advert(sm, sm->priority);
	sm->adver_timer = now + sm->p.adver_int_us;
}

static void advert(struct vrrp_sm *sm, uint64_t now, const struct ip_addr *src,
		   uint8_t priority, uint64_t adver_int_us)
{
	sm->adverts_rcvd++;
	if (priority == 0)
		sm->prio0_rcvd++;
	if (sm->state == VRRP_STATE_BACKUP)
		backup_advert(sm, now, src, priority, adver_int_us);
	else if (sm->state == VRRP_STATE_MASTER)
		master_advert(sm, now, src, priority, adver_int_us);
}

static struct ip_addr v4(struct in_addr a)
{
	struct ip_addr r = { .family = AF_INET };

	r.u.v4 = a;
	return r;
}

void vrrp_sm_advert(struct vrrp_sm *sm, uint64_t now, struct in_addr src, uint8_t priority)
{
	struct ip_addr a = v4(src);

	advert(sm, now, &a, priority, 0);
}

void vrrp_sm_advert_v3(struct vrrp_sm *sm, uint64_t now, struct in_addr src, uint8_t priority,
		       uint64_t adver_int_us)
{
	struct ip_addr a = v4(src);

	advert(sm, now, &a, priority, adver_int_us);
}

void vrrp_sm_advert_from(struct vrrp_sm *sm, uint64_t now, const struct ip_addr *src,
			 uint8_t priority, uint64_t adver_int_us)
{
	advert(sm, now, src, priority, adver_int_us);
}

/* Each due timer is handled once per call and re-armed strictly later
 * (the interval is never 0), so a caller looping on the deadline ends. */
void vrrp_sm_timers(struct vrrp_sm *sm, uint64_t now)
{
	if (sm->state == VRRP_STATE_BACKUP && sm->master_down_timer <= now) {
		become_master(sm, now, "master down timer expired");	/* V2-R29 */
	} else if (sm->state == VRRP_STATE_MASTER && sm->adver_timer <= now) {
		send_advert(sm, sm->priority);				/* V2-R37 */
		sm->adver_timer = now + sm->p.adver_int_us;
	}
}

void vrrp_sm_shutdown(struct vrrp_sm *sm, uint64_t now)
{
	if (sm->state == VRRP_STATE_INIT)
		return;
	if (sm->state == VRRP_STATE_MASTER) {		/* V2-R36 */
		sm->adver_timer = VRRP_NO_DEADLINE;
		send_advert(sm, 0);
	}
	sm->master_down_timer = VRRP_NO_DEADLINE;	/* V2-R28 */
	sm->adver_timer = VRRP_NO_DEADLINE;
	sm->preempt_after = 0;
	set_state(sm, VRRP_STATE_INIT, "shutdown", now);
}

static void enter_fault(struct vrrp_sm *sm, uint64_t now, const char *why)
{
	char reason[REASON_MAX];

	if (sm->state == VRRP_STATE_MASTER) {
		sm->adver_timer = VRRP_NO_DEADLINE;
		send_advert(sm, 0);	/* resign so a backup takes over after Skew_Time */
	}
	sm->master_down_timer = VRRP_NO_DEADLINE;
	sm->adver_timer = VRRP_NO_DEADLINE;
	snprintf(reason, sizeof(reason), "fault: %s", why && *why ? why : "unspecified");
	set_state(sm, VRRP_STATE_FAULT, reason, now);
}

void vrrp_sm_set_fault(struct vrrp_sm *sm, uint64_t now, bool fault, const char *reason)
{
	char why[REASON_MAX];

	sm->fault = fault;
	/* In INIT only the flag matters: vrrp_sm_start() reads it. */
	if (fault && (sm->state == VRRP_STATE_MASTER || sm->state == VRRP_STATE_BACKUP)) {
		enter_fault(sm, now, reason);
	} else if (!fault && sm->state == VRRP_STATE_FAULT) {
		if (reason && *reason)
			snprintf(why, sizeof(why), "fault cleared: %s", reason);
		else
			snprintf(why, sizeof(why), "fault cleared");
		startup(sm, now, why);
	}
}

/* No transition here: a MASTER keeps advertising, now with the new value
 * (the runtime sends sm->priority), and a BACKUP whose priority rose above
 * the master's starts discarding its adverts and preempts on expiry of
 * Master_Down_Timer (V2-R31).  The skew of an armed timer is not
 * recomputed; the next reset uses the new priority. */
void vrrp_sm_set_priority(struct vrrp_sm *sm, uint64_t now, uint8_t priority)
{
	(void)now;
	sm->priority = sane_priority(priority);
}

void vrrp_sm_force(struct vrrp_sm *sm, uint64_t now, enum vrrp_state to, const char *reason)
{
	if (!reason || !*reason)
		reason = "sync group";
	if (to == VRRP_STATE_MASTER && sm->state == VRRP_STATE_BACKUP)
		become_master(sm, now, reason);
	else if (to == VRRP_STATE_BACKUP && sm->state == VRRP_STATE_MASTER)
		become_backup(sm, now, reason);
}

uint64_t vrrp_sm_next_deadline(const struct vrrp_sm *sm)
{
	return sm->master_down_timer < sm->adver_timer ? sm->master_down_timer : sm->adver_timer;
}
