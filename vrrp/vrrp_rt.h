/* The VRRP child's runtime: what exists while instances run.  Internal to
 * vrrp/: the files here share these types; nothing outside includes it.
 *
 *   vrrp_child.c    start, reload (matching old and new instances), stop
 *   vrrp_if.c       interfaces: links, primary addresses, sockets, receive
 *   vrrp_instance.c one instance: adverts out, adverts in, state changes
 *   vrrp_vip.c      virtual addresses, gratuitous ARP and unsolicited NA
 *   vrrp_routes.c   virtual and static routes and rules, static addresses
 *   vrrp_repair.c   putting back what others delete
 *   vrrp_vmac.c     use_vmac: the macvlan interfaces of instances
 *   vrrp_track.c    track_interface, vrrp_script, effective priority, FAULT
 *   vrrp_track_file.c     track_file values, re-read on inotify events
 *   vrrp_track_process.c  vrrp_track_process counts, from the proc connector
 *   vrrp_notify.c   notify scripts, in order, one at a time per owner
 *   vrrp_sync.c     sync groups
 *   vrrp_alert.c    e-mail alerts of state changes */
#ifndef KA_VRRP_RT_H
#define KA_VRRP_RT_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "alert.h"
#include "event.h"
#include "keepalived/global_conf.h"
#include "nl_route.h"
#include "proc.h"
#include "vrrp_ah.h"
#include "vrrp_arp.h"
#include "vrrp_child.h"
#include "vrrp_conf.h"
#include "vrrp_packet.h"
#include "vrrp_snmp.h"
#include "vrrp_socket.h"
#include "vrrp_state.h"
#include "vrrp_track_eval.h"

struct vrrp_rt;
struct nl_rt_route;
struct nl_rt_rule;

/* One repair pass (vrrp_repair.c) and its back-off. */
struct vrrp_repair {
	struct ev_timer timer;
	uint64_t delay_us;		/* before the next pass */
	uint64_t last_action_us;	/* last pass that restored or failed */
	bool failing;			/* the last pass failed: quieter logs */
};

/* What a repair pass did. */
struct vrrp_tally {
	unsigned restored, failed;
};

/* An interface some instance uses (its own, a VIP's dev, a tracked one). */
struct vrrp_if {
	struct vrrp_rt *rt;
	char name[IF_NAMESIZE];
	int ifindex;			/* 0 while the link does not exist */
	bool up;			/* admin up and running */
	bool admin_up;			/* IFF_UP alone */
	uint8_t mac[6];
	bool has_primary;
	struct in_addr primary;		/* first non-secondary IPv4 address */
	bool has_linklocal;
	struct in6_addr linklocal;	/* first usable fe80::/10 address */
	struct vrrp_sock sock;		/* protocol 112; fd -1 unless wanted */
	struct vrrp_sock sock6;		/* IPv6 protocol 112, for IPv6 instances */
	struct vrrp_sock sock_ah;	/* protocol 51, for auth_type AH */
	bool want_socket;		/* an instance sends plain adverts here */
	bool want_ah;			/* an instance sends AH adverts here */
	bool want_multicast;		/* ... and one of them uses multicast */
	bool want_socket6;		/* an IPv6 instance runs here */
	bool want_multicast6;		/* ... and one of them uses multicast */
	uint64_t drops[VRRP_DROP_REASONS];	/* before an instance is known */
	struct vrrp_inst *by_vrid[256];		/* O(1) dispatch of adverts */
	/* A use_vmac parent: how many instances keep a vmac on it, and its
	 * sysctls from before the first, put back when the last one goes. */
	unsigned vmac_children;
	bool sysctls_saved;
	int saved_arp_ignore, saved_arp_filter;
	struct vrrp_inst *by_vrid6[256];	/* IPv6 instances: VRIDs of their own */
};

/* Notify scripts of one instance or group run one at a time, in the order
 * the transitions happened; a hung script is killed at NOTIFY_TIMEOUT_US so
 * the queue never stalls for good. */
#define NOTIFY_QUEUE_MAX	16
#define NOTIFY_TIMEOUT_US	(30ull * 1000000)

struct notify_job {
	struct proc_cmd cmd;
	struct proc_user user;		/* unset: the global script user */
	char *args[5];			/* NULL-terminated extra arguments */
};

struct notify_queue {
	struct vrrp_rt *rt;
	const char *owner;		/* instance or group name, for logs */
	struct notify_job jobs[NOTIFY_QUEUE_MAX];
	unsigned head, len;
	struct proc *running;
	uint64_t dropped;		/* queue full */
};

struct vrrp_script_rt {
	struct vrrp_rt *rt;
	const struct vrrp_script_conf *conf;
	struct ev_timer timer;
	struct proc_cmd cmd;
	struct proc_user user;
	struct proc *running;
	bool disabled;			/* refused by script security */
	bool ok;			/* current verdict after rise/fall */
	bool known;			/* at least one result seen */
	unsigned streak;		/* consecutive results against the verdict */
	uint64_t runs, failures;
};

struct vrrp_inst {
	struct vrrp_rt *rt;
	const struct vrrp_instance_conf *conf;
	struct vrrp_if *vif;		/* adverts are sent and received here */
	struct vrrp_if *base_if;	/* `interface`; its primary address sources adverts */
	struct vrrp_if *vip_if;		/* VIPs without dev, GARPs: the vmac, or base_if */
	bool vmac_counted;		/* counted in base_if->vmac_children */
	bool vmac_released;		/* shut down: the vmac is no longer ours to keep */
	char vmac_fault[96];		/* why the vmac cannot be used, "" when it can */
	struct vrrp_sm sm;
	struct ev_timer timer;		/* the state machine's deadlines */
	struct ev_timer garp_timer;	/* delayed GARP burst, then refresh */
	bool garp_delayed_done;
	struct in_addr src;		/* advert source address (IPv4 instances) */
	struct in6_addr src6;		/* the same for IPv6 instances */
	struct in_addr vips4[VRRP_MAX_VIPS];	/* carried in adverts (IPv4) */
	unsigned n_vips4;
	struct in6_addr vips6[VRRP_MAX_VIPS];	/* carried in adverts (IPv6) */
	unsigned n_vips6;
	bool vips_installed;
	bool routes_installed;		/* virtual_routes and virtual_rules */
	bool own_fault;			/* a fault of this instance alone */
	char fault_reason[96];
	int group;			/* runtime group index, -1 */
	bool started;
	struct notify_queue nq;
	uint64_t drops[VRRP_DROP_REASONS];
	uint64_t garps_sent;		/* gratuitous ARPs and unsolicited NAs */
	uint64_t addr_list_tolerated;
	uint64_t owner_conflicts;	/* adverts heard while we own the VIPs */
	/* VRRPv3 adverts accepted, by the checksum form that matched (V3-R07) */
	uint64_t v3_rx_pseudo_header, v3_rx_plain;
	uint32_t ah_seq;		/* AH sequence, shared by send and receive */
	bool send_failing;		/* log a send failure once, not per advert */
	char last_reason[96];		/* of the last transition, for status */
};

struct vrrp_group_rt {
	struct vrrp_rt *rt;
	const struct vrrp_sync_group_conf *conf;
	struct vrrp_inst **members;
	size_t n_members;
	enum vrrp_state state;
	struct notify_queue nq;
};

struct vrrp_rt {
	struct ev_loop *loop;
	struct nl_route *nl;
	struct garp_sock garp;
	const struct vrrp_conf *conf;
	const struct global_conf *global;
	struct proc_script_user_cache script_user;	/* through vrrp_script_user() */
	struct vrrp_if **ifs;
	size_t n_ifs;
	struct vrrp_inst **insts;
	size_t n_insts;
	struct vrrp_script_rt **scripts;
	size_t n_scripts;
	struct vrrp_group_rt **groups;
	size_t n_groups;
	struct vrrp_tfiles *tfiles;	/* vrrp_track_file.c, NULL: none */
	struct vrrp_tprocs *tprocs;	/* vrrp_track_process.c, NULL: none */
	struct vrrp_hooks hooks;
	struct alerter *alerter;	/* NULL: out of memory, no alerts */
	struct vrrp_snmp *snmp;		/* SNMP subagent (vrrp_snmp.c), NULL: off */
	struct vrrp_repair repair;
	bool statics_installed;		/* static_ipaddress, _routes, _rules */
	bool syncing;			/* inside a sync-group propagation */
	bool stopping;
};

/* vrrp_if.c */
struct vrrp_if *vrrp_if_get(struct vrrp_rt *rt, const char *name);
struct vrrp_if *vrrp_if_get_quiet(struct vrrp_rt *rt, const char *name);
void vrrp_if_close_sockets(struct vrrp_if *vif);
int vrrp_if_refresh(struct vrrp_if *vif);
int vrrp_if_open_socket(struct vrrp_if *vif, bool ah, bool multicast);
/* The IPv6 socket of the interface, shared by its IPv6 instances; joined to
 * ff02::12 once one of them is multicast.  0, or -1 (logged). */
int vrrp_if_open_socket6(struct vrrp_if *vif, bool multicast);
void vrrp_if_free(struct vrrp_if *vif);
extern const struct nl_route_events vrrp_if_events;

/* vrrp_instance.c */
struct vrrp_inst *vrrp_inst_new(struct vrrp_rt *rt, const struct vrrp_instance_conf *c);
void vrrp_inst_start(struct vrrp_inst *in);
void vrrp_inst_adopt_conf(struct vrrp_inst *in, const struct vrrp_instance_conf *c);
void vrrp_inst_receive(struct vrrp_inst *in, struct vrrp_rx *rx);
void vrrp_inst_shutdown(struct vrrp_inst *in);
void vrrp_inst_free(struct vrrp_inst *in);
void vrrp_inst_sync_timer(struct vrrp_inst *in);
struct vrrp_inst *vrrp_inst_by_vrid(struct vrrp_rt *rt, const struct vrrp_if *vif, uint8_t vrid);
/* Where adverts for the instance's VRID are dispatched from: by_vrid or
 * by_vrid6 of its interface, by its family. */
struct vrrp_inst **vrrp_inst_vrid_slot(struct vrrp_inst *in);
/* The source of an advert as text, either family; "?" if unprintable. */
const char *vrrp_rx_src_str(const struct vrrp_rx *rx, char *buf, size_t len);

/* vrrp_vip.c */
void vrrp_vip_install(struct vrrp_inst *in);
void vrrp_vip_remove(struct vrrp_inst *in);
void vrrp_vip_update(struct vrrp_inst *in, const struct vrrp_instance_conf *old);
void vrrp_garp_init(struct vrrp_inst *in);
void vrrp_garp_start(struct vrrp_inst *in);
void vrrp_garp_stop(struct vrrp_inst *in);
/* The request adding or deleting address v on link `ifindex` (passed on
 * as is, even when not a valid index). */
void vrrp_addr_req(const struct vip_conf *v, int ifindex, struct nl_addr_req *r);
/* Re-add the instance's VIPs the kernel lacks, logging each one. */
void vrrp_vip_reassert(struct vrrp_inst *in, struct vrrp_tally *t);

/* vrrp_routes.c: an instance's virtual_routes and virtual_rules, added
 * after its VIPs when it becomes MASTER (routes may go through a VIP) and
 * deleted when it stops being MASTER.  Adding keeps what is already there;
 * a failed add (dev missing or down) is logged and retried by repair. */
void vrrp_routes_install(struct vrrp_inst *in);
void vrrp_routes_remove(struct vrrp_inst *in);
/* A MASTER's reload: delete what `old` had and in->conf lacks, add the
 * reverse, leave the rest untouched. */
void vrrp_routes_update(struct vrrp_inst *in, const struct vrrp_instance_conf *old);
/* Repair: re-add what the kernel lacks, logging each, counting in *t. */
void vrrp_routes_reassert(struct vrrp_inst *in, struct vrrp_tally *t);
/* Whether the installed, tracked (no no_track) routes or rules of the
 * instance include `route` or `rule` (one of them NULL). */
bool vrrp_routes_owns(struct vrrp_inst *in, const struct nl_rt_route *route,
		      const struct nl_rt_rule *rule);
/* Statics: installed at start (old NULL), or moved from `old` to rt->conf
 * on reload by their difference; removed at exit. */
void vrrp_static_apply(struct vrrp_rt *rt, const struct vrrp_conf *old);
void vrrp_static_remove(struct vrrp_rt *rt);
void vrrp_static_reassert(struct vrrp_rt *rt, struct vrrp_tally *t);
bool vrrp_static_owns(struct vrrp_rt *rt, const struct nl_rt_route *route,
		      const struct nl_rt_rule *rule);

/* vrrp_repair.c: schedule a repair pass (`now`: at once, back-off reset,
 * for a link that came back); init before the first kick, stop at exit. */
void vrrp_repair_init(struct vrrp_rt *rt);
void vrrp_repair_kick(struct vrrp_rt *rt, bool now);
void vrrp_repair_stop(struct vrrp_rt *rt);
/* nl_route_events callbacks: a deleted route or rule we hold -> a pass. */
void vrrp_repair_on_route(void *arg, const struct nl_rt_route *r, bool deleted);
void vrrp_repair_on_rule(void *arg, const struct nl_rt_rule *r, bool deleted);

/* vrrp_vmac.c: use_vmac, the macvlan carrying an instance's VIPs.
 *
 * vrrp_vmac_attach (from vrrp_inst_new) picks the instance's interfaces:
 * vif, base_if and vip_if are all `interface` without use_vmac; with it the
 * VIPs go to the vmac, and so do the adverts unless vmac_xmit_base (or
 * unicast peers) keep them on `interface`.  -1 when out of memory.
 * vrrp_vmac_ensure (from vrrp_inst_start) creates the vmac, or takes over
 * a leftover of ours (a macvlan of that name, parent, MAC and mode), sets
 * its sysctls and those of its parent, and sets it up; another interface
 * holding the name is left alone and the instance stays in FAULT.
 * vrrp_vmac_release (from vrrp_inst_shutdown) deletes it unless an
 * instance of the current configuration uses the same one (reload), and
 * gives the parent its sysctls back with the last vmac on it.
 * vrrp_vmac_repair_all (on link events) recreates a vmac deleted behind our
 * back (or with its parent) and sets a vmac set down by hand up again.
 * vrrp_vmac_same: whether a reload may keep an instance's vmac as it is.
 * vrrp_vmac_fault: why the instance cannot run on its vmac, or NULL. */
int vrrp_vmac_attach(struct vrrp_inst *in);
void vrrp_vmac_ensure(struct vrrp_inst *in);
void vrrp_vmac_release(struct vrrp_inst *in);
void vrrp_vmac_repair_all(struct vrrp_rt *rt);
bool vrrp_vmac_same(const struct vrrp_instance_conf *a, const struct vrrp_instance_conf *b);
const char *vrrp_vmac_fault(const struct vrrp_inst *in);

/* vrrp_track.c */
struct vrrp_script_rt *vrrp_script_new(struct vrrp_rt *rt, const struct vrrp_script_conf *c);
void vrrp_script_start(struct vrrp_script_rt *s);
void vrrp_script_free(struct vrrp_script_rt *s);
struct vrrp_script_rt *vrrp_script_find(struct vrrp_rt *rt, const char *name);
void vrrp_track_update(struct vrrp_inst *in);
void vrrp_track_update_all(struct vrrp_rt *rt);

/* vrrp_track_file.c and vrrp_track_process.c.  *_apply moves the trackers
 * to rt->conf: a tracker whose configuration did not change keeps its
 * value or verdict, the others start afresh, removed ones stop; it returns
 * -1 only when out of memory.  A tracker that changes calls
 * vrrp_track_update_all().  *_effect fills *e for one entry of an instance's
 * or group's list and returns false when no tracker has that name.  *_free
 * stops everything (rt->tfiles / rt->tprocs become NULL). */
int vrrp_tfiles_apply(struct vrrp_rt *rt);
bool vrrp_tfile_effect(struct vrrp_rt *rt, const struct track_ref_conf *ref,
		       struct track_effect *e);
void vrrp_tfiles_free(struct vrrp_rt *rt);
int vrrp_tprocs_apply(struct vrrp_rt *rt);
bool vrrp_tproc_effect(struct vrrp_rt *rt, const struct track_ref_conf *ref,
		       struct track_effect *e);
void vrrp_tprocs_free(struct vrrp_rt *rt);

/* vrrp_notify.c */
void notify_queue_init(struct notify_queue *q, struct vrrp_rt *rt, const char *owner);
bool notify_queue_busy(const struct notify_queue *q);
void notify_queue_clear(struct notify_queue *q);
void vrrp_notify_instance(struct vrrp_inst *in, enum vrrp_state to);
void vrrp_notify_group(struct vrrp_group_rt *g, enum vrrp_state to);

/* vrrp_alert.c: mail a state change when smtp_alert asks for it. */
void vrrp_alert_instance(struct vrrp_inst *in, enum vrrp_state from, enum vrrp_state to,
			 const char *reason);
void vrrp_alert_group(struct vrrp_group_rt *g, enum vrrp_state from, enum vrrp_state to);

/* vrrp_sync.c */
void vrrp_sync_state_changed(struct vrrp_inst *in, enum vrrp_state to);
bool vrrp_sync_group_fault(const struct vrrp_inst *in);

/* vrrp_child.c: the user scripts run as, and whether a command may run. */
const struct proc_user *vrrp_script_user(struct vrrp_rt *rt, const struct proc_user *own);
bool vrrp_script_allowed(struct vrrp_rt *rt, const struct proc_cmd *cmd, const struct proc_user *u,
			 const char *what);

/* vrrp_child.c: the runtime inside the child's handle. */
struct vrrp_rt *vrrp_child_rt(struct vrrp_child *v);

#endif
