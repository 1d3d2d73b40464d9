/* VRRPv2 adverts (RFC 3768 section 5, with the RFC 2338 authentication
 * keepalived keeps) and VRRPv3 adverts over IPv4 and IPv6 (RFC 5798 /
 * RFC 9568 section 5): pure encoding, decoding and validation.  No sockets, no
 * globals, no clock.  Validation follows RFC 3768 section 7.1 in order; each
 * rejected packet gets exactly one reason, and each reason has a counter
 * named after its RFC 2787 statistic where one exists. */
#ifndef KA_VRRP_PACKET_H
#define KA_VRRP_PACKET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrp_conf.h"

#define IPPROTO_VRRP_NUM	112
#define VRRP_MCAST_GROUP	0xe0000012u	/* 224.0.0.18, host order */
#define VRRP_TTL		255
#define VRRP_V2_FIXED_LEN	8		/* version..checksum */
#define VRRP_V2_AUTH_LEN	8
#define VRRP_V2_MAX_LEN		(VRRP_V2_FIXED_LEN + 4 * VRRP_MAX_VIPS + VRRP_V2_AUTH_LEN)
#define VRRP_V3_FIXED_LEN	8		/* version..checksum, no auth (V3-R02) */
#define VRRP_V3_MAX_LEN		(VRRP_V3_FIXED_LEN + 4 * VRRP_MAX_VIPS)
#define VRRP_V3_MAX_LEN6	(VRRP_V3_FIXED_LEN + 16 * VRRP_MAX_VIPS)
#define VRRP_MCAST_GROUP6	"ff02::12"	/* RFC 5798 section 5.1.2.2 */
#define VRRP_V3_MAX_INT_CS	4095		/* 12 bits of centiseconds (V3-R03) */
#define VRRP_CS_US		10000		/* a centisecond in microseconds */

struct vrrp_adv {
	uint8_t version;		/* 2 or 3 */
	uint8_t type;			/* 1 = ADVERTISEMENT */
	uint8_t vrid;
	uint8_t priority;
	uint8_t naddr;			/* Count IP Addrs */
	uint8_t auth_type;
	uint8_t adver_int;		/* v2: seconds */
	uint16_t max_adver_int_cs;	/* v3: centiseconds, 1..4095 */
	uint16_t checksum;		/* as received (network order value) */
	struct in_addr addrs[VRRP_MAX_VIPS];		/* IPv4 adverts */
	struct in6_addr addrs6[VRRP_MAX_VIPS];		/* IPv6 adverts (v3 only) */
	uint8_t auth_data[VRRP_V2_AUTH_LEN];
};

/* One reason per rejected packet.  RFC 2787 names in comments. */
enum vrrp_drop {
	VRRP_RX_OK = 0,
	VRRP_DROP_IP_HEADER,	/* not a sane IPv4 header for protocol 112 */
	VRRP_DROP_TTL,		/* vrrpStatsIpTtlErrors (V2-R42) */
	VRRP_DROP_VERSION,	/* vrrpRouterVersionErrors (V2-R43) */
	VRRP_DROP_LENGTH,	/* vrrpStatsPacketLengthErrors (V2-R44) */
	VRRP_DROP_CHECKSUM,	/* vrrpRouterChecksumErrors (V2-R45) */
	VRRP_DROP_TYPE,		/* vrrpStatsInvalidTypePktsRcvd (V2-R07) */
	VRRP_DROP_VRID,		/* vrrpRouterVrIdErrors: no such VRID here (V2-R46) */
	VRRP_DROP_OWNER,	/* we own the addresses (priority 255) (V2-R46) */
	VRRP_DROP_AUTH_TYPE,	/* vrrpStatsAuthTypeMismatch / InvalidAuthType (V2-R47) */
	VRRP_DROP_AUTH,		/* vrrpStatsAuthFailures: wrong password (V2-R47) */
	VRRP_DROP_ADDR_LIST,	/* vrrpStatsAddressListErrors from a non-owner (V2-R49) */
	VRRP_DROP_INTERVAL,	/* vrrpStatsAdvertiseIntervalErrors (V2-R50) */
	VRRP_DROP_SOURCE,	/* our own advert, or not from a configured unicast peer */
	VRRP_DROP_REASONS
};

/* Short name of a reason, for logs and status ("ttl", "checksum", ...). */
const char *vrrp_drop_name(enum vrrp_drop r);

/* An advert as received, with what the IP header said.  IPv6 adverts
 * (family AF_INET6) fill src6/dst6 and adv.addrs6; IPv4 ones src/dst and
 * adv.addrs. */
struct vrrp_rx {
	int family;
	struct in_addr src;
	struct in_addr dst;
	struct in6_addr src6;
	struct in6_addr dst6;
	uint8_t ttl;			/* IPv6: the hop limit */
	struct vrrp_adv adv;
	bool addr_list_mismatch;	/* set by vrrp_v2_check_instance when tolerated */
	bool v3_pseudo_header;		/* v3: the checksum covered the IPv4 pseudo-header */
};

/* Internet checksum (RFC 1071) of `len` bytes: the value to store in the
 * checksum field (network byte order as a uint16_t in memory). */
uint16_t vrrp_checksum(const void *data, size_t len);
/* The upper-layer checksum of an IPv6 packet (RFC 8200 section 8.1): `msg`
 * (its checksum field zero) with the pseudo-header of src -> dst and
 * next_header; network byte order, like vrrp_checksum.  VRRPv3 adverts and
 * ICMPv6 neighbour advertisements use it. */
uint16_t vrrp_ip6_checksum(const struct in6_addr *src, const struct in6_addr *dst,
			   uint8_t next_header, const void *msg, size_t len);

/* Write the VRRP part of an advert (no IP header) for `a` into buf,
 * computing the checksum; auth data is copied for PASS and zero otherwise
 * (V2-R16).  Returns the length, or 0 if `len` is too small or naddr is 0. */
size_t vrrp_v2_encode(const struct vrrp_adv *a, uint8_t *buf, size_t len);

/* Packet-level checks on an IPv4 packet as a raw socket hands it over (IP
 * header first): IP header sanity (IHL, total length within `len`, protocol
 * 112; trailing bytes beyond the IP total length, e.g. Ethernet padding, are
 * ignored; fragments are dropped, IP options skipped), TTL 255, version 2,
 * complete length for Count (Count 0 is a length error), checksum, type 1.
 * Octets after the 16 + 4 * Count of the message inside the IP payload are
 * accepted and ignored; the checksum covers exactly 16 + 4 * Count.
 * Fills `out` when it returns VRRP_RX_OK. */
enum vrrp_drop vrrp_v2_parse(const uint8_t *pkt, size_t len, struct vrrp_rx *out);

/* The VRRPv3 IPv4 advert (no IP header) for `a` (a->max_adver_int_cs,
 * no auth fields), checksummed with the IPv4 pseudo-header of src -> dst
 * (keepalived's default) or, with !pseudo_header, over the message alone
 * (RFC 9568 section 5.2.8, keepalived's v3_checksum_as_v2) (V3-R07).  The
 * reserved bits are zero (V3-R02).  Returns the length, or 0 if `len` is too
 * small, naddr is 0 or the interval is outside 1..4095 cs. */
size_t vrrp_v3_encode(const struct vrrp_adv *a, uint8_t *buf, size_t len, struct in_addr src,
		      struct in_addr dst, bool pseudo_header);

/* vrrp_v2_parse for VRRPv2 and VRRPv3 alike, by the version nibble.  A v3
 * advert is complete at 8 + 4 * Count octets (V3-R17), its checksum is
 * accepted in either form (rx->v3_pseudo_header says which matched,
 * V3-R07), and a Max Adver Int of 0 is an interval error (V3-R03, RFC
 * 9568 erratum 8301).  Other versions: VRRP_DROP_VERSION. */
enum vrrp_drop vrrp_parse(const uint8_t *pkt, size_t len, struct vrrp_rx *out);

/* The VRRPv3 IPv6 advert (no IP header) for `a` (a->addrs6), checksummed
 * over the IPv6 pseudo-header of src -> dst (RFC 5798 section 5.2.8 with
 * RFC 8200 section 8.1: addresses, 32-bit length, next header 112), as
 * keepalived 2.2.7 sends it.  Returns the length, or 0 as vrrp_v3_encode. */
size_t vrrp_v3_encode6(const struct vrrp_adv *a, uint8_t *buf, size_t len,
		       const struct in6_addr *src, const struct in6_addr *dst);

/* An IPv6 advert as a raw IPv6 socket hands it over: the VRRP message
 * alone, with the addresses and hop limit from the socket (hop_limit < 0:
 * unknown, which is a TTL error).  Checks in RFC 5798 section 7.1 order:
 * hop limit 255 (V3-R04), version 3, complete length for Count (16 octets
 * per address), checksum with the IPv6 pseudo-header, type, non-zero
 * interval.  Fills `out` (family AF_INET6) when it returns VRRP_RX_OK. */
enum vrrp_drop vrrp_parse6(const uint8_t *msg, size_t len, const struct in6_addr *src,
			   const struct in6_addr *dst, int hop_limit, struct vrrp_rx *out);

/* What an instance expects of adverts for its VRID. */
struct vrrp_expect {
	enum vrrp_auth_type auth_type;
	const char *auth_pass;		/* up to 8 bytes, NUL-padded on the wire */
	uint8_t adver_int;		/* seconds */
	uint8_t local_priority;		/* 255: we are the owner */
	const struct in_addr *vips;	/* IPv4 VIPs carried in our adverts */
	const struct in6_addr *vips6;	/* IPv6 ones, for IPv6 adverts */
	size_t n_vips;			/* entries of the list of the advert's family */
	bool skip_addr_check;		/* vrrp_skip_check_adv_addr */
};

/* Instance-level checks, in RFC order after the VRID match: owner (an
 * instance at priority 255 drops every advert, RFC 3768 section 7.1), auth type
 * then password, address list (a mismatch from a sender at priority 255 is
 * tolerated and flagged in rx->addr_list_mismatch, V2-R49), interval. */
enum vrrp_drop vrrp_v2_check_instance(struct vrrp_rx *rx, const struct vrrp_expect *e);

/* The same for VRRPv3: owner, then address list.  There is no
 * authentication, and the interval is learned, not compared (V3-R10). */
enum vrrp_drop vrrp_v3_check_instance(struct vrrp_rx *rx, const struct vrrp_expect *e);

#endif
