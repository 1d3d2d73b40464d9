/* The VRRP child's runtime: what exists while instances run.  Internal to
 * vrrp/: the files here share these types; nothing outside includes it.
 *
 *   vrrp_child.c    start, reload (matching old and new instances), stop
 *   vrrp_if.c       interfaces: links, primary addresses, sockets, receive
 *   vrrp_instance.c one instance: adverts out, adverts in, state changes
 *   vrrp_vip.c      virtual addresses, gratuitous ARP and unsolicited NA
 *   vrrp_track.c    track_interface, vrrp_script, effective priority, FAULT
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

struct vrrp_rt;

/* An interface some instance uses (its own, a VIP's dev, a tracked one). */
struct vrrp_if {
	struct vrrp_rt *rt;
	char name[IF_NAMESIZE];
	int ifindex;			/* 0 while the link does not exist */
	bool up;			/* admin up and running */
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
	struct vrrp_if *vif;
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
	struct proc_user script_user;
	struct vrrp_if **ifs;
	size_t n_ifs;
	struct vrrp_inst **insts;
	size_t n_insts;
	struct vrrp_script_rt **scripts;
	size_t n_scripts;
	struct vrrp_group_rt **groups;
	size_t n_groups;
	struct vrrp_hooks hooks;
	struct alerter *alerter;	/* NULL: out of memory, no alerts */
	struct vrrp_snmp *snmp;		/* SNMP subagent (vrrp_snmp.c), NULL: off */
	bool syncing;			/* inside a sync-group propagation */
	bool stopping;
};

/* vrrp_if.c */
struct vrrp_if *vrrp_if_get(struct vrrp_rt *rt, const char *name);
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

/* vrrp_track.c */
struct vrrp_script_rt *vrrp_script_new(struct vrrp_rt *rt, const struct vrrp_script_conf *c);
void vrrp_script_start(struct vrrp_script_rt *s);
void vrrp_script_free(struct vrrp_script_rt *s);
struct vrrp_script_rt *vrrp_script_find(struct vrrp_rt *rt, const char *name);
void vrrp_track_update(struct vrrp_inst *in);
void vrrp_track_update_all(struct vrrp_rt *rt);

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
