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

/* A tracked object's weight: `weight W` given or not.  Without a weight,
 * failure puts the instance in FAULT; with W > 0 the priority gains W while
 * the object is up; with W < 0 it loses |W| while the object is down
 * (W = 0 means the object is watched but does not count). */
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
	uint64_t garp_master_delay_us;		/* second burst after this; 0 = none */
	unsigned garp_master_repeat;		/* GARPs per VIP per burst */
	uint64_t garp_master_refresh_us;	/* 0 = no periodic refresh */
	unsigned garp_master_refresh_repeat;
	struct vrrp_notify_conf notify;
	bool debug;
	int sync_group;				/* index into groups, -1 if none */
};

struct vrrp_sync_group_conf {
	char name[VRRP_NAME_MAX + 1];
	size_t *members;			/* indexes into instances */
	size_t n_members;
	struct vrrp_notify_conf notify;
	struct track_script_conf *track_scripts;
	size_t n_track_scripts;
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
};

#define VRRP_DEFAULT_GARP_DELAY_US	(5ull * 1000000)
#define VRRP_DEFAULT_GARP_REPEAT	5

const char *vrrp_state_name(enum vrrp_state s);	/* "MASTER", "BACKUP", ... */

/* Lookups by name; NULL / -1 when absent. */
const struct vrrp_script_conf *vrrp_conf_script(const struct vrrp_conf *c, const char *name);
long vrrp_conf_instance_index(const struct vrrp_conf *c, const char *name);

#endif
