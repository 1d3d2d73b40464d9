/* Configuration of the VRRP child, as parsed from vrrp_instance,
 * vrrp_sync_group, vrrp_script and the VRRP keywords of global_defs.
 * Plain data: comparable, copyable, no runtime state.  Names follow
 * keepalived's keywords; defaults are keepalived's. */
#ifndef KA_VRRP_CONF_H
#define KA_VRRP_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "value.h"

#define VRRP_NAME_MAX		63
#define VRRP_AUTH_PASS_MAX	8
#define VRRP_MAX_VIPS		255	/* octet "Count IP Addrs" (V2-R12) */
#define VRRP_PRIO_OWNER		255
#define VRRP_PRIO_DEFAULT	100

enum vrrp_state {
	VRRP_STATE_INIT,
	VRRP_STATE_BACKUP,
	VRRP_STATE_MASTER,
	VRRP_STATE_FAULT,
};

enum vrrp_auth_type {
	VRRP_AUTH_NONE = 0,
	VRRP_AUTH_PASS = 1,	/* RFC 2338 simple text password */
	VRRP_AUTH_AH = 2,	/* RFC 2338 IP authentication header */
};

/* One line of virtual_ipaddress: ADDR[/PREFIX] [dev IF] [brd B] [scope S] [label L] */
struct vip_conf {
	struct ip_addr addr;
	unsigned prefix_len;		/* default 32 */
	char dev[IF_NAMESIZE];		/* empty: the instance's interface */
	bool has_brd;
	struct in_addr brd;
	unsigned char scope;		/* RT_SCOPE_*; default RT_SCOPE_UNIVERSE */
	char label[IF_NAMESIZE];	/* empty: none */
};

/* One line of virtual_routes or static_routes, as `ip route add` reads
 * it: [TYPE] [src ADDR] [to] PREFIX [via|gw ADDR] [dev IF] [scope S]
 * [table T] [metric M] [proto P] [no_track].  Family AF_INET or AF_INET6
 * for the whole route (dst, src and via agree). */
struct route_conf {
	int family;
	unsigned char type;		/* RTN_UNICAST, _BLACKHOLE, _UNREACHABLE, _PROHIBIT */
	struct ip_addr dst;
	unsigned dst_len;
	bool has_src;			/* preferred source address (RTA_PREFSRC) */
	struct ip_addr src;
	bool has_via;
	struct ip_addr via;
	char dev[IF_NAMESIZE];		/* empty: the kernel picks it from via */
	unsigned char scope;		/* RT_SCOPE_*; default: link for a unicast
					 * route without via, else universe */
	uint32_t table;			/* default RT_TABLE_MAIN */
	uint32_t metric;		/* default 0 */
	unsigned char proto;		/* default RTPROT_KEEPALIVED, as keepalived */
	bool no_track;			/* not restored when deleted by someone else */
};

/* One line of virtual_rules or static_rules, as `ip rule add` reads it:
 * [from PREFIX] [to PREFIX] [iif IF] [oif IF] [fwmark M[/MASK]]
 * [table T] [preference P] [no_track] [inet6]. */
struct rule_conf {
	int family;
	bool has_from, has_to;
	struct ip_addr from, to;
	unsigned from_len, to_len;
	char iif[IF_NAMESIZE], oif[IF_NAMESIZE];	/* empty: any */
	bool has_fwmark;
	uint32_t fwmark, fwmask;	/* mask default 0xffffffff */
	uint32_t table;			/* default RT_TABLE_MAIN */
	bool has_priority;		/* without it the kernel picks one */
	uint32_t priority;
	bool no_track;
};

/* A tracked object's weight: `weight W` given or not.  Without a weight or
 * with W = 0 (keepalived's default), failure puts the instance in FAULT;
 * with W > 0 the priority gains W while the object is up; with W < 0 it
 * loses |W| while the object is down. */
struct track_weight {
	bool has_weight;
	int weight;			/* -254 .. 254 */
};

struct track_if_conf {
	char ifname[IF_NAMESIZE];
	struct track_weight w;
};

struct track_script_conf {
	char name[VRRP_NAME_MAX + 1];	/* a vrrp_script */
	struct track_weight w;		/* overrides the script's own weight if set */
};

/* One line of an instance's or sync group's track_file or track_process
 * block: NAME [weight W [reverse|noreverse]].  Without a weight the
 * tracker's own weight and reverse apply. */
struct track_ref_conf {
	char name[VRRP_NAME_MAX + 1];
	struct track_weight w;
	bool reverse;			/* with w.has_weight only */
};

/* track_file (vrrp_track_file): a file holding an integer.  With weight 0
 * a non-zero value is a failure; otherwise value x weight (negated with
 * reverse) is added to the priority, and below -253 means FAULT. */
struct vrrp_track_file_conf {
	char name[VRRP_NAME_MAX + 1];
	char *path;
	int weight;			/* -254..254, default 1 */
	bool reverse;
	bool init_file;			/* write init_value at start ... */
	int init_value;
	bool init_overwrite;		/* ... even when the file exists */
};

/* How the parameters of vrrp_track_process are compared with a command
 * line: not at all (none given, no param_match), all of them (exact), the
 * first N whole words (partial), or as a prefix of the text (initial). */
enum track_param_match {
	TRACK_PARAM_NONE,
	TRACK_PARAM_EXACT,
	TRACK_PARAM_PARTIAL,
	TRACK_PARAM_INITIAL,
};

/* vrrp_track_process: how many processes match, against quorum and
 * quorum_max.  Matched by name (/proc/PID/comm) unless full_command, a
 * parameter or param_match asks for the command line. */
struct vrrp_track_process_conf {
	char name[VRRP_NAME_MAX + 1];
	char *cmd;			/* process, then each parameter, NUL-terminated */
	size_t cmd_len;			/* bytes of cmd, the NULs included */
	size_t n_params;
	enum track_param_match param_match;
	bool full_command;
	int weight;			/* -254..254, default 0: no quorum = FAULT */
	bool reverse;
	unsigned quorum;		/* default 1 */
	unsigned quorum_max;		/* default UINT_MAX */
	uint64_t fork_delay_us;		/* quorum gained counts after this */
	uint64_t terminate_delay_us;	/* quorum lost counts after this */
};

/* Who runs a script: `user USER [GROUP]` in vrrp_script, the words after
 * the command of notify_*.  Names were checked to exist when parsed.
 * Empty user: the global script_user; empty group: the user's own. */
struct vrrp_run_as {
	char user[33];
	char group[33];
};

struct vrrp_script_conf {
	char name[VRRP_NAME_MAX + 1];
	char *script;			/* command line; unquoted words joined by one space */
	uint64_t interval_us;		/* default 1 s */
	uint64_t timeout_us;		/* default: interval */
	struct track_weight w;		/* default: none (failure = FAULT) */
	unsigned rise;			/* default 1 */
	unsigned fall;			/* default 1 */
	char user[33];			/* empty: global script_user */
	char group[33];
};

/* smtp_alert of an instance or a group: given or not, since one not given
 * follows global_defs' smtp_alert. */
enum vrrp_smtp_alert {
	VRRP_SMTP_UNSET,
	VRRP_SMTP_OFF,
	VRRP_SMTP_ON,
};

/* notify_* CMD [USER [GROUP]]: CMD is one word, quoted when it has
 * arguments ("/bin/x.sh a b"), as in keepalived; the words after it name
 * the user and group that run it (kept in the matching *_as). */
struct vrrp_notify_conf {
	char *master, *backup, *fault, *stop;	/* notify_master ... notify_stop */
	char *any;				/* notify: gets TYPE NAME STATE PRIORITY */
	struct vrrp_run_as master_as, backup_as, fault_as, stop_as, any_as;
	enum vrrp_smtp_alert smtp_alert;
};

struct vrrp_instance_conf {
	char name[VRRP_NAME_MAX + 1];
	enum vrrp_state initial_state;		/* BACKUP unless `state MASTER` */
	char ifname[IF_NAMESIZE];
	int family;				/* AF_INET or AF_INET6: that of the
						 * virtual_ipaddress entries (without
						 * any: of unicast_src_ip, mcast_src_ip
						 * or the first unicast_peer; else
						 * AF_INET); IPv6 is always VRRPv3 */
	uint8_t vrid;				/* 1..255, required */
	uint8_t priority;			/* 1..255, default 100 */
	unsigned version;			/* 2 or 3 (0 while parsing: vrrp_version's) */
	uint64_t advert_int_us;			/* default 1 s; VRRPv2: whole seconds 1..255,
						 * VRRPv3: 10 ms steps, 10 ms..40.95 s */
	unsigned advert_int_s;			/* VRRPv2: advert_int_us in seconds */
	unsigned v3_checksum_as_v2;		/* VRRPv3 IPv4: 1 = checksum without the
						 * pseudo-header (RFC 9568 form), 0 = with
						 * it (keepalived's default) */
	enum vrrp_auth_type auth_type;
	char auth_pass[VRRP_AUTH_PASS_MAX + 1];	/* PASS/AH secret, at most 8 bytes */
	struct vip_conf *vips;			/* carried in adverts */
	size_t n_vips;
	struct vip_conf *vips_excluded;		/* managed, not carried in adverts */
	size_t n_vips_excluded;
	struct route_conf *routes;		/* virtual_routes: installed as MASTER */
	size_t n_routes;
	struct rule_conf *rules;		/* virtual_rules: installed as MASTER */
	size_t n_rules;
	bool nopreempt;
	uint64_t preempt_delay_us;		/* 0..1000 s */
	bool has_mcast_src;
	struct ip_addr mcast_src;
	bool has_unicast_src;
	struct ip_addr unicast_src;
	struct ip_addr *unicast_peers;		/* none: multicast to 224.0.0.18 */
	size_t n_unicast_peers;
	bool dont_track_primary;
	struct track_if_conf *track_ifs;
	size_t n_track_ifs;
	struct track_script_conf *track_scripts;
	size_t n_track_scripts;
	struct track_ref_conf *track_files;
	size_t n_track_files;
	struct track_ref_conf *track_procs;
	size_t n_track_procs;
	uint64_t garp_master_delay_us;		/* second burst after this; 0 = none */
	unsigned garp_master_repeat;		/* GARPs per VIP per burst */
	uint64_t garp_master_refresh_us;	/* 0 = no periodic refresh */
	unsigned garp_master_refresh_repeat;
	struct vrrp_notify_conf notify;
	bool debug;
	int sync_group;				/* index into groups, -1 if none */
	bool use_vmac;				/* use_vmac [NAME]: VIPs on a macvlan */
	char vmac_name[IF_NAMESIZE];		/* its name; vrrp.VRID unless given */
	bool vmac_xmit_base;			/* adverts on `interface`, not the vmac */
};

struct vrrp_sync_group_conf {
	char name[VRRP_NAME_MAX + 1];
	size_t *members;			/* indexes into instances */
	size_t n_members;
	struct vrrp_notify_conf notify;
	struct track_script_conf *track_scripts;
	size_t n_track_scripts;
	struct track_ref_conf *track_files;
	size_t n_track_files;
	struct track_ref_conf *track_procs;
	size_t n_track_procs;
};

/* global_defs keywords owned by VRRP. */
struct vrrp_globals {
	uint64_t garp_master_delay_us;		/* vrrp_garp_master_delay, default 5 s */
	unsigned garp_master_repeat;		/* vrrp_garp_master_repeat, default 5 */
	uint64_t garp_master_refresh_us;	/* vrrp_garp_master_refresh, default 0 */
	unsigned garp_master_refresh_repeat;	/* vrrp_garp_master_refresh_repeat, default 1 */
	bool skip_check_adv_addr;		/* vrrp_skip_check_adv_addr */
	unsigned version;			/* vrrp_version: 2 (default) or 3 */
	bool v3_checksum_as_v2;			/* v3_checksum_as_v2: instances' default */
};

struct conf_refs;

struct vrrp_conf {
	struct vrrp_globals globals;
	/* Parse-time only: the words the whole-file checks need (names,
	 * VRIDs, track_script entries, sync group members) with copies of
	 * their positions; freed by vrrp_conf_validate(), NULL afterwards. */
	struct conf_refs *refs;
	struct vrrp_instance_conf *instances;
	size_t n_instances;
	struct vrrp_sync_group_conf *groups;
	size_t n_groups;
	struct vrrp_script_conf *scripts;
	size_t n_scripts;
	struct vrrp_track_file_conf *track_files;
	size_t n_track_files;
	struct vrrp_track_process_conf *track_procs;
	size_t n_track_procs;
	/* static_ipaddress, static_routes, static_rules: installed at start
	 * whatever the instances' states, removed at exit. */
	struct vip_conf *static_addrs;		/* dev is always set */
	size_t n_static_addrs;
	struct route_conf *static_routes;
	size_t n_static_routes;
	struct rule_conf *static_rules;
	size_t n_static_rules;
};

#define VRRP_DEFAULT_GARP_DELAY_US	(5ull * 1000000)
#define VRRP_DEFAULT_GARP_REPEAT	5

const char *vrrp_state_name(enum vrrp_state s);	/* "MASTER", "BACKUP", ... */

/* Lookups by name; NULL / -1 when absent. */
const struct vrrp_script_conf *vrrp_conf_script(const struct vrrp_conf *c, const char *name);
long vrrp_conf_instance_index(const struct vrrp_conf *c, const char *name);

/* use_vmac: the virtual router MAC address of RFC 5798 7.3 (RFC 3768 7.3
 * for IPv4), 00-00-5E-00-01-VRID for AF_INET, 00-00-5E-00-02-VRID for
 * AF_INET6. */
void vrrp_vmac_address(int family, uint8_t vrid, uint8_t mac[6]);

/* The vmac's name when use_vmac names none: "vrrp.VRID" for AF_INET,
 * "vrrp6.VRID" for AF_INET6 (an IPv4 and an IPv6 router may share a VRID
 * on one link, and need two macvlans). */
void vrrp_vmac_default_name(int family, uint8_t vrid, char name[IF_NAMESIZE]);

#endif
