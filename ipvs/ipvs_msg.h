/* IPVS generic netlink messages: building requests and parsing answers.
 * Pure (no socket): libnl builds and parses, nothing is sent.  Private to
 * ipvs/ and to the unit tests, which parse what we build with the same
 * policies and feed hand-built answers to the parsers.
 *
 * One function per object kind writes its nested attribute, used by every
 * command about that kind; `full` selects the settings on top of the
 * identity (NEW/SET commands want them, DEL and the selector of a
 * destination dump want only the identity). */
#ifndef KA_IPVS_MSG_H
#define KA_IPVS_MSG_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "ipvs.h"

/* The attribute policies answers are parsed with.  Lengths are lower
 * bounds (libnl) with upper bounds for addresses and names; parsers check
 * on top that required attributes are present. */
extern const struct nla_policy ipvs_cmd_policy[IPVS_CMD_ATTR_MAX + 1];
extern const struct nla_policy ipvs_svc_policy[IPVS_SVC_ATTR_MAX + 1];
extern const struct nla_policy ipvs_dest_policy[IPVS_DEST_ATTR_MAX + 1];
extern const struct nla_policy ipvs_daemon_policy[IPVS_DAEMON_ATTR_MAX + 1];

/* A new request for `cmd` of the IPVS family `family`, with the generic
 * netlink header; `nlflags` adds e.g. NLM_F_DUMP.  NULL without memory. */
struct nl_msg *ipvs_msg_new(int family, uint8_t cmd, int nlflags);

/* Append IPVS_CMD_ATTR_SERVICE for `s`: AF and either FWMARK or PROTOCOL,
 * ADDR (4 or 16 bytes), PORT (network order); with `full` also SCHED_NAME,
 * FLAGS ({flags, mask}, both without HASHED), TIMEOUT, NETMASK (network
 * order for IPv4, a prefix length for IPv6; 0 becomes the default) and
 * PE_NAME when set.  0, -EINVAL for an unusable service (family, protocol,
 * address family mismatch), -EMSGSIZE when the message is full. */
int ipvs_put_service(struct nl_msg *m, const struct ipvs_service *s, bool full);

/* Append IPVS_CMD_ATTR_DEST for `d`: ADDR, PORT, ADDR_FAMILY; with `full`
 * also FWD_METHOD, WEIGHT, U_THRESH, L_THRESH, and TUN_TYPE, TUN_PORT
 * (network order), TUN_FLAGS for TUNNEL forwarding.  Same returns. */
int ipvs_put_dest(struct nl_msg *m, const struct ipvs_dest *d, bool full);

/* Append IPVS_CMD_ATTR_DAEMON: STATE; with `full` also MCAST_IFN, SYNC_ID
 * and the optional settings that are not 0 (MCAST_PORT in host order, as
 * the kernel reads it; MCAST_GROUP in network order). */
int ipvs_put_daemon(struct nl_msg *m, const struct ipvs_daemon *d, bool full);

/* Append the TIMEOUT_* attributes (all three; 0 means unchanged). */
int ipvs_put_timeouts(struct nl_msg *m, const struct ipvs_timeouts *t);

/* Parse one answer message (the netlink header onwards) into `out`.
 * 0, or -EBADMSG when it is malformed: not the expected command, an
 * attribute failing its policy, a required attribute missing, an unknown
 * address family.  Never reads outside the message. */
int ipvs_parse_service(struct nlmsghdr *h, struct ipvs_service *out);
/* `svc_af` is the service's family, for kernels that omit ADDR_FAMILY. */
int ipvs_parse_dest(struct nlmsghdr *h, int svc_af, struct ipvs_dest *out);
int ipvs_parse_daemon(struct nlmsghdr *h, struct ipvs_daemon *out);
int ipvs_parse_timeouts(struct nlmsghdr *h, struct ipvs_timeouts *out);

#endif
