/* The kernel's IPVS table, through the IPVS generic netlink family.
 *
 * This directory is the only code that talks to IPVS.  It offers:
 *  - ipvs.h (this file): our own service, destination, sync daemon and
 *    timeout structs, and a handle on the kernel (one long-lived generic
 *    netlink socket) to add, edit, delete and list them;
 *  - ipvs_reconcile.h: a table of services with their destinations, the
 *    difference between a desired and a kernel table as a list of
 *    operations, and applying that list;
 *  - ipvs_msg.h (private to ipvs/ and its unit tests): building and parsing
 *    the netlink messages.
 *
 * Every call that reaches the kernel returns 0 or a negative errno: the
 * kernel's own answer (-EEXIST, -ENOENT, -ESRCH, -ERANGE, -EINVAL, -EPERM,
 * ...) unchanged, or a local failure (-ENOMEM, -ETIMEDOUT when no answer
 * came within IPVS_REPLY_TIMEOUT_S).  Nothing here logs a failure; callers
 * log it with their context (see ipvs_op_describe in ipvs_reconcile.h).
 * Calls block until the kernel answers, which IPVS does at once.
 *
 * Ports are in host order and IPv4 netmasks are host-order masks here; the
 * conversion to the kernel's byte orders happens in one place (ipvs_msg.c).
 */
#ifndef KA_IPVS_H
#define KA_IPVS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/ip_vs.h>

#include "value.h"

/* How long a request waits for the kernel's answer before -ETIMEDOUT. */
#define IPVS_REPLY_TIMEOUT_S 5

/* Flags callers may set on a service.  HASHED is the kernel's own
 * bookkeeping: it is never sent and is cleared from dumps. */
#define IPVS_SVC_USER_FLAGS \
	(IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_ONEPACKET | IP_VS_SVC_F_SCHED1 | \
	 IP_VS_SVC_F_SCHED2 | IP_VS_SVC_F_SCHED3)

/* Traffic counters of a service or destination, as dumped (64-bit). */
struct ipvs_stats {
	uint64_t conns, inpkts, outpkts, inbytes, outbytes;
	uint64_t cps, inpps, outpps, inbps, outbps;	/* current rates */
};

/* A virtual service.  Identity: (af, fwmark) when fwmark != 0, else
 * (af, protocol, addr, port); everything else is its settings. */
struct ipvs_service {
	int af;			/* AF_INET or AF_INET6 */
	uint16_t protocol;	/* IPPROTO_TCP/UDP/SCTP; 0 for a fwmark service */
	struct ip_addr addr;	/* family == af; all zero for a fwmark service */
	uint16_t port;		/* host order; 0 for a fwmark service */
	uint32_t fwmark;	/* 0 unless a fwmark service */
	char sched[IP_VS_SCHEDNAME_MAXLEN];	/* "rr", "wlc", "sh", ... */
	uint32_t flags;		/* IPVS_SVC_USER_FLAGS bits */
	uint32_t timeout;	/* persistence timeout, seconds */
	/* Persistence granularity: an IPv4 mask in host order (0xffffff00
	 * for /24) or an IPv6 prefix length (1..128).  0 means the default,
	 * /32 or /128, which is what the kernel reports back. */
	uint32_t netmask;
	char pe_name[IP_VS_PENAME_MAXLEN];	/* persistence engine, "" for none */
	struct ipvs_stats stats;	/* dumps only; ignored when sent */
};

/* A destination (real server) of a service.  Identity: (af, addr, port). */
struct ipvs_dest {
	int af;			/* usually the service's; may differ for TUNNEL */
	struct ip_addr addr;	/* family == af */
	uint16_t port;		/* host order */
	uint32_t fwd_method;	/* IP_VS_CONN_F_MASQ, _DROUTE, _TUNNEL, ... */
	int32_t weight;		/* >= 0; 0 = quiescent (no new connections) */
	uint32_t u_threshold, l_threshold;	/* 0 = no limit */
	/* TUNNEL only (sent only then): IP_VS_CONN_F_TUNNEL_TYPE_*, the GUE
	 * port (host order), IP_VS_TUNNEL_ENCAP_FLAG_* bits. */
	uint16_t tun_type, tun_port, tun_flags;
	/* Dumps only; ignored when sent. */
	uint32_t active_conns, inact_conns, persist_conns;
	struct ipvs_stats stats;
};

/* A connection synchronisation daemon (master or backup). */
struct ipvs_daemon {
	uint32_t state;		/* IP_VS_STATE_MASTER or IP_VS_STATE_BACKUP */
	char mcast_ifn[IP_VS_IFNAME_MAXLEN];	/* interface name */
	uint32_t syncid;	/* 0..255 */
	/* Optional when starting (0 / family 0: the kernel's default);
	 * always filled in by ipvs_get_daemons. */
	uint16_t sync_maxlen;	/* UDP payload size */
	uint16_t mcast_port;	/* host order; kernel default 8848 */
	uint8_t mcast_ttl;
	struct ip_addr mcast_group;	/* family 0: 224.0.0.81 */
};

/* Connection timeouts in seconds, as `ipvsadm --set` / `-L --timeout`. */
struct ipvs_timeouts {
	uint32_t tcp, tcp_fin, udp;
};

/* What a handle has sent so far.  `changes` counts requests that may modify
 * the kernel (add, edit, delete, daemon, timeouts), `queries` requests that
 * only read; a retried request counts each time it is sent. */
struct ipvs_counters {
	uint64_t changes;
	uint64_t queries;
	uint64_t failures;	/* requests the kernel refused, or unanswered */
};

struct ipvs;

/* ---- the handle ---- */

/* Open the generic netlink socket and resolve the "IPVS" family once.  When
 * the family is missing, loads ip_vs once with modprobe (asking the family
 * usually loads the module by itself; some kernels need the explicit load)
 * and asks again.  Returns the handle, or NULL with a one-line reason in
 * `err` ("IPVS is not available: load the ip_vs module (...)",
 * "cannot open a generic netlink socket: ...") and errno set.  Not
 * thread-safe; one handle per process is the intended use. */
struct ipvs *ipvs_open(char *err, size_t errlen);

/* Close the socket and free the handle.  NULL is a no-op.  Leaves the
 * kernel's table as it is. */
void ipvs_close(struct ipvs *ipvs);

/* The request counters since ipvs_open (see struct ipvs_counters). */
void ipvs_get_counters(const struct ipvs *ipvs, struct ipvs_counters *out);

/* ---- services ---- */

/* Add `s` with all its settings.  -EEXIST if a service with its identity
 * exists; -ENOENT if the kernel has no scheduler (or persistence engine) of
 * that name (ip_vs_<sched> is loaded on demand, so a name that is missing
 * from the kernel's modules); -EINVAL for an IPv6 netmask out of 1..128.
 * The kernel does not check the protocol: callers do. */
int ipvs_service_add(struct ipvs *ipvs, const struct ipvs_service *s);

/* Change the settings of the existing service with the identity of `s`
 * (scheduler, flags, timeout, netmask, persistence engine) in place: its
 * destinations and connections stay.  -ESRCH if there is no such service. */
int ipvs_service_edit(struct ipvs *ipvs, const struct ipvs_service *s);

/* Delete the service with the identity of `s`, and its destinations.
 * Only the identity fields of `s` are read.  -ESRCH if there is none. */
int ipvs_service_del(struct ipvs *ipvs, const struct ipvs_service *s);

/* List every service of this network namespace into a new array `*out` of
 * `*n` entries (free() it; NULL when empty).  HASHED is cleared from the
 * flags.  On failure *out is NULL and *n 0. */
int ipvs_get_services(struct ipvs *ipvs, struct ipvs_service **out, size_t *n);

/* ---- destinations ---- */

/* Add `d` to the service with the identity of `s`.  -ESRCH if the service
 * does not exist, -EEXIST if the destination does, -ERANGE for a negative
 * weight or l_threshold > u_threshold, -EINVAL for an address family that
 * differs from the service's without TUNNEL forwarding. */
int ipvs_dest_add(struct ipvs *ipvs, const struct ipvs_service *s, const struct ipvs_dest *d);

/* Change weight, thresholds, forwarding method and tunnel settings of the
 * existing destination with the identity of `d`.  -ESRCH if the service is
 * missing, -ENOENT if the destination is. */
int ipvs_dest_edit(struct ipvs *ipvs, const struct ipvs_service *s, const struct ipvs_dest *d);

/* Delete the destination with the identity of `d` (the kernel keeps it in
 * its trash while connections use it).  -ESRCH / -ENOENT as for edit. */
int ipvs_dest_del(struct ipvs *ipvs, const struct ipvs_service *s, const struct ipvs_dest *d);

/* List the destinations of the service with the identity of `s` into a new
 * array (free() it).  A service that does not exist has none: the kernel
 * answers with an empty list, not an error. */
int ipvs_get_dests(struct ipvs *ipvs, const struct ipvs_service *s, struct ipvs_dest **out,
		   size_t *n);

/* ---- sync daemons ---- */

/* Start a sync daemon.  -EEXIST if one of that state already runs; -ENODEV
 * for an unknown interface; -EINVAL for a bad combination. */
int ipvs_daemon_start(struct ipvs *ipvs, const struct ipvs_daemon *d);

/* Stop the daemon of `state` (IP_VS_STATE_MASTER or _BACKUP).  -ESRCH when
 * none of that state runs. */
int ipvs_daemon_stop(struct ipvs *ipvs, uint32_t state);

/* The running daemons (at most a master and a backup) into out[0..*n). */
int ipvs_get_daemons(struct ipvs *ipvs, struct ipvs_daemon out[2], size_t *n);

/* ---- timeouts ---- */

/* Set the connection timeouts; a field of 0 leaves that timeout as it is
 * (the kernel's own convention). */
int ipvs_set_timeouts(struct ipvs *ipvs, const struct ipvs_timeouts *t);

/* The current connection timeouts into *out (a protocol the kernel was
 * built without reads as 0). */
int ipvs_get_timeouts(struct ipvs *ipvs, struct ipvs_timeouts *out);

/* ---- for tests only ---- */

/* Delete every service of this network namespace, whoever made it.  The
 * daemon never calls this: a restart adopts what it finds. */
int ipvs_flush(struct ipvs *ipvs);

/* ---- identities and names (pure) ---- */

/* True when a and b name the same service / destination (see above). */
bool ipvs_service_same(const struct ipvs_service *a, const struct ipvs_service *b);
bool ipvs_dest_same(const struct ipvs_dest *a, const struct ipvs_dest *b);

/* A total order on identities (<0, 0, >0), for sorting and for a
 * deterministic order of operations: by family, then fwmark services after
 * address services, then protocol, address, port. */
int ipvs_service_cmp(const struct ipvs_service *a, const struct ipvs_service *b);
int ipvs_dest_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b);

/* The netmask the kernel keeps for `s`: its own, or the default for 0. */
uint32_t ipvs_service_netmask(const struct ipvs_service *s);

/* "TCP 10.0.0.1:80", "UDP [2001:db8::1]:53", "FWM 5" (IPv6: "FWM 5 IPv6"),
 * as ipvsadm names them.  Returns buf, always NUL-terminated. */
const char *ipvs_service_str(const struct ipvs_service *s, char *buf, size_t len);

/* "10.1.0.3:80", "[2001:db8::3]:80".  Returns buf. */
const char *ipvs_dest_str(const struct ipvs_dest *d, char *buf, size_t len);

/* Room for either string. */
#define IPVS_STR_LEN 64

#endif
