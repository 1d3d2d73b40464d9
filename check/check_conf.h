/* Configuration of the checker child, as parsed from virtual_server,
 * virtual_server_group, SSL and the checker keywords of global_defs.
 * Plain data: comparable, copyable, no runtime state.  Names follow
 * keepalived's keywords; defaults are keepalived's.
 *
 * Every value is final once the file is parsed: what a checker inherits
 * from its real server and virtual server (connect_timeout, delay_loop,
 * virtualhost, ...) is already copied into the checker, and a real
 * server's port and forwarding method are filled in from its virtual
 * server.  The runtime never needs to walk up the tree. */
#ifndef KA_CHECK_CONF_H
#define KA_CHECK_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "value.h"

#define CHECK_NAME_MAX		63	/* virtual_server_group and vrrp_instance names */
#define CHECK_SCHED_NAME_MAX	15	/* IP_VS_SCHEDNAME_MAXLEN - 1 */
#define CHECK_PE_NAME_MAX	15	/* IP_VS_PENAME_MAXLEN - 1 */
#define CHECK_HOST_MAX		255	/* virtualhost: a DNS name fits in 253 */
#define CHECK_USER_MAX		32

/* IPVS forwarding methods, with the kernel's IP_VS_CONN_F_* values so
 * the IPVS layer can pass them on unchanged. */
enum lvs_method {
	LVS_NAT = 0,		/* IP_VS_CONN_F_MASQ: the only one that can change ports */
	LVS_TUN = 2,		/* IP_VS_CONN_F_TUNNEL, IPIP encapsulation */
	LVS_DR = 3,		/* IP_VS_CONN_F_DROUTE */
};

/* Scheduler flags of `flag-1`..`flag-3`, `sh-*` and `mh-*`, with the
 * kernel's IP_VS_SVC_F_SCHED* values. */
#define CHECK_SCHED_FLAG1	0x0008u	/* sh-fallback, mh-fallback */
#define CHECK_SCHED_FLAG2	0x0010u	/* sh-port, mh-port */
#define CHECK_SCHED_FLAG3	0x0020u

/* Who runs a script: the words after the command of notify_up,
 * notify_down, quorum_up and quorum_down, or MISC_CHECK's `user`.
 * Names were checked to exist when parsed.  Empty user: the global
 * script_user; empty group: the user's own. */
struct check_run_as {
	char user[CHECK_USER_MAX + 1];
	char group[CHECK_USER_MAX + 1];
};

/* A script: the command line (one word as written, quoted when it has
 * arguments) and who runs it.  NULL cmd: none configured.  `as` is
 * allocated only when a user is written: every real server has two of
 * these, and 66 bytes of names each were most of its size. */
struct check_script {
	char *cmd;
	struct check_run_as *as;		/* NULL: the global script_user */
};

/* smtp_alert: given or not.  A real server without one follows its
 * virtual server's, and that one global_defs' (check_alert.c). */
enum check_smtp_alert {
	CHECK_SMTP_UNSET,
	CHECK_SMTP_OFF,
	CHECK_SMTP_ON,
};

/* status_code N or N-M of an HTTP_GET/SSL_GET url. */
struct http_status_range {
	uint16_t lo, hi;			/* 100..599, lo <= hi */
};

/* url { path P digest HEX status_code ... virtualhost H regex R } */
struct http_url_conf {
	char *path;				/* required */
	bool has_digest;
	uint8_t digest[16];			/* MD5 of the body, as genhash prints it */
	struct http_status_range *status;	/* none: 200-299 */
	size_t n_status;
	char *virtualhost;			/* NULL: the checker's */
	char *regex;				/* NULL: no regex */
	bool regex_no_match;			/* a match fails the check */
};

enum http_protocol {
	HTTP_PROTO_1_0,				/* default */
	HTTP_PROTO_1_0C,			/* 1.0 with "Connection: close" */
	HTTP_PROTO_1_1,
};

struct http_check_conf {
	struct http_url_conf *urls;
	size_t n_urls;
	enum http_protocol protocol;
	/* resolved: the checker's, else the real server's, else the virtual
	 * server's; NULL: none */
	char *virtualhost;
	bool fast_recovery;
	bool enable_sni;			/* SSL_GET: send the virtualhost as SNI */
	char *sni_name;				/* SSL_GET: this SNI instead; NULL: none */
};

struct misc_check_conf {
	char *path;				/* command line; words joined by a blank */
	uint64_t timeout_us;			/* misc_timeout (whole seconds); default: the
						 * checker's delay_loop */
	bool dynamic;				/* misc_dynamic: exit 2..255 sets the weight */
	struct check_run_as as;			/* user USER [GROUP] */
};

enum checker_type {
	CHECKER_TCP,
	CHECKER_HTTP,
	CHECKER_SSL,
	CHECKER_MISC,
};

/* One health check of a real server.  The connection fields apply to
 * TCP_CHECK, HTTP_GET and SSL_GET; MISC_CHECK only runs its program. */
struct checker_conf {
	enum checker_type type;
	struct ip_addr connect_ip;		/* resolved: default the real server's address */
	uint16_t connect_port;			/* resolved: default the real server's port;
						 * never 0 for TCP_CHECK/HTTP_GET/SSL_GET */
	bool has_bindto;
	struct ip_addr bindto;
	char bind_if[IF_NAMESIZE];		/* empty: none */
	uint16_t bind_port;			/* 0: any */
	uint32_t fwmark;			/* mark on the check's packets, 0: none */
	uint64_t connect_timeout_us;		/* default 5 s */
	unsigned retry;				/* default 1; MISC_CHECK 0 */
	uint64_t delay_before_retry_us;		/* default 1 s; HTTP_GET/SSL_GET 3 s */
	uint64_t delay_loop_us;			/* default: the virtual server's, 60 s */
	uint64_t warmup_us;			/* random delay before the first check, at most
						 * this; default delay_loop; 0: none */
	bool alpha;				/* start as failed */
	bool log_all_failures;
	struct http_check_conf http;		/* CHECKER_HTTP, CHECKER_SSL */
	struct misc_check_conf misc;		/* CHECKER_MISC */
};

struct real_server_conf {
	struct ip_addr addr;
	uint16_t port;				/* resolved: default the virtual server's;
						 * 0: the packet's own port (fwmark, group,
						 * all-ports) */
	unsigned weight;			/* 0..65535, default 1 */
	unsigned uthreshold;			/* 0: no limit */
	unsigned lthreshold;			/* <= uthreshold */
	enum lvs_method method;			/* resolved: default the virtual server's */
	bool inhibit_on_failure;		/* resolved: default the virtual server's */
	bool alpha;				/* resolved: start as failed */
	struct check_script notify_up, notify_down;
	enum check_smtp_alert smtp_alert;
	char *snmp_name;			/* NULL: none */
	struct checker_conf *checkers;		/* none: always up */
	size_t n_checkers;
};

/* sorry_server IP [PORT]: replaces the real servers while below quorum. */
struct sorry_server_conf {
	struct ip_addr addr;
	uint16_t port;				/* resolved like a real server's */
	enum lvs_method method;			/* sorry_server_lvs_method, or the VS's */
	bool inhibit;				/* sorry_server_inhibit */
};

enum vs_kind {
	VS_ADDR,				/* virtual_server IP [PORT] */
	VS_FWMARK,				/* virtual_server fwmark N */
	VS_GROUP,				/* virtual_server group NAME */
};

struct virtual_server_conf {
	enum vs_kind kind;
	struct ip_addr addr;			/* VS_ADDR */
	uint16_t port;				/* VS_ADDR; 0: all ports */
	uint32_t fwmark;			/* VS_FWMARK */
	size_t group;				/* VS_GROUP: index into check_conf.groups */
	int family;				/* AF_INET or AF_INET6: the address's; for a
						 * fwmark, ip_family, else the real servers'
						 * (the first not tunnelled), else IPv4; for a
						 * group, its first address's */
	uint8_t protocol;			/* IPPROTO_TCP (default), _UDP or _SCTP */
	bool protocol_set;			/* `protocol` was written */
	char sched[CHECK_SCHED_NAME_MAX + 1];	/* lvs_sched / lb_algo, default "wlc" */
	uint32_t sched_flags;			/* CHECK_SCHED_FLAG* */
	bool ops;				/* one-packet scheduling (UDP) */
	enum lvs_method method;			/* lvs_method / lb_kind, default NAT */
	uint32_t persistence_timeout;		/* seconds, 0: no persistence; 360 when a
						 * service of all ports gave none */
	unsigned persistence_granularity;	/* as a prefix length (IPv4: the netmask's
						 * ones); 0: the kernel's (32 or 128) */
	char pe_name[CHECK_PE_NAME_MAX + 1];	/* persistence_engine; empty: none */
	uint64_t delay_loop_us;			/* default 60 s; its checkers' default */
	unsigned quorum;			/* default 1 */
	unsigned hysteresis;			/* default 0; below quorum (or 0) */
	struct check_script quorum_up, quorum_down;
	bool alpha, omega;
	bool ha_suspend;			/* never set for fwmark services */
	enum check_smtp_alert smtp_alert;
	char *virtualhost;			/* NULL: none */
	char *snmp_name;			/* NULL: none */
	bool inhibit_on_failure;		/* default for its real servers */
	bool has_sorry_server;
	struct sorry_server_conf sorry;
	struct real_server_conf *real_servers;
	size_t n_real_servers;
};

/* One line of virtual_server_group: an address range with a port (a
 * single address has first == last) or a firewall mark. */
struct vsg_entry_conf {
	bool is_fwmark;
	struct ip_addr first, last;		/* address entries: same family, first <= last */
	uint16_t port;				/* 0: all ports */
	uint32_t fwmark;
	int family;				/* fwmark entries: AF_INET, AF_INET6 or AF_UNSPEC
						 * (the virtual server's); else first.family */
};

struct vs_group_conf {
	char name[CHECK_NAME_MAX + 1];
	struct vsg_entry_conf *entries;
	size_t n_entries;
};

/* SSL { password ca certificate key }: the client context of SSL_GET. */
struct check_ssl_conf {
	char *password, *ca, *certificate, *key;	/* NULL: not set */
};

/* lvs_timeouts: 0 leaves the kernel's value alone. */
struct lvs_timeouts_conf {
	uint32_t tcp, tcpfin, udp;		/* seconds */
};

/* lvs_sync_daemon INTERFACE [[inst] VRRP_INSTANCE] [id N] [maxlen N]
 * [port N] [ttl N] [group ADDR] */
struct lvs_sync_daemon_conf {
	bool enabled;
	char ifname[IF_NAMESIZE];
	/* The vrrp_instance whose state chooses master or backup; empty: both
	 * daemons run.  The VRRP configuration is not the checker's to see:
	 * keepalived/ka_conf.c checks the name exists (reporting at the copied
	 * position) and fills syncid from its VRID when has_syncid is false. */
	char vrrp_instance[CHECK_NAME_MAX + 1];
	char *vrrp_instance_file;		/* position of the name, for that check */
	unsigned vrrp_instance_line, vrrp_instance_col;
	bool has_syncid;
	uint8_t syncid;				/* default: the instance's VRID, else 0 */
	uint16_t maxlen;			/* 1..65507; 0: the kernel's */
	uint16_t port;				/* default 8848 */
	uint8_t ttl;				/* 1..255; 0: the kernel's */
	struct ip_addr group;			/* multicast; default 224.0.0.81 */
};

/* global_defs keywords owned by the checker. */
struct check_globals {
	struct lvs_timeouts_conf timeouts;
	struct lvs_sync_daemon_conf sync;
	/* lvs_flush_on_stop [VS]: our services are removed on stop whether
	 * or not it is written (other IPVS entries are never touched). */
	bool lvs_flush_on_stop;
};

#define CHECK_DEFAULT_DELAY_LOOP_US	(60ull * 1000000)
#define CHECK_DEFAULT_CONNECT_TIMEOUT_US	(5ull * 1000000)
#define CHECK_DEFAULT_SCHED		"wlc"
#define CHECK_DEFAULT_SYNC_PORT		8848
#define CHECK_DEFAULT_SYNC_GROUP	"224.0.0.81"
#define CHECK_DEFAULT_PERSISTENCE_S	360	/* persistence_timeout without a value */

struct conf_refs;

struct check_conf {
	struct check_globals globals;
	/* Parse-time only: positions of what the whole-file checks report
	 * on; freed by check_conf_validate(), NULL afterwards. */
	struct conf_refs *refs;
	struct virtual_server_conf *virtual_servers;
	unsigned n_virtual_servers;
	struct vs_group_conf *groups;
	unsigned n_groups;
	struct check_ssl_conf ssl;
};

/* "NAT", "DR", "TUN"; "TCP", "UDP", "SCTP"; "TCP_CHECK", "HTTP_GET", ... */
const char *lvs_method_name(enum lvs_method m);
const char *check_protocol_name(uint8_t protocol);
const char *checker_type_name(enum checker_type t);

/* The group named `name`, or NULL. */
const struct vs_group_conf *check_conf_group(const struct check_conf *c, const char *name);

#endif
