/* VRRPv2 adverts with the IP Authentication Header (RFC 2338 section
 * 5.3.6.3, RFC 2402, HMAC-MD5-96 of RFC 2403), as keepalived's
 * `auth_type AH` puts them on the wire.  Pure functions: no sockets, no
 * globals, no clock.
 *
 * Wire format (every value below was observed on keepalived 2.2.7 by
 * capture, and the receive rules by sending it crafted packets):
 *
 *   IPv4 header, 20 octets, no options:
 *     version/IHL 0x45, TOS 0xc0, total length 20 + 24 + VRRP length,
 *     id (the sender's counter, never 0), flags/fragment 0, TTL 255,
 *     protocol 51 (AH), header checksum, source, destination
 *     (224.0.0.18, or the peer's address with unicast_peer).
 *   AH header, 24 octets (RFC 2402 section 2):
 *     +0  next header   112 (VRRP)
 *     +1  payload len   4   (= 24 / 4 - 2)
 *     +2  reserved      0 (2 octets)
 *     +4  SPI           the IPv4 source address, same 4 octets as the IP
 *                       header's source (10.77.0.1 -> 0x0a4d0001)
 *     +8  sequence      32-bit big-endian, see "Sequence numbers"
 *     +12 ICV           12 octets: HMAC-MD5 truncated to its first 96 bits
 *   VRRP message, 16 + 4n octets, exactly what vrrp_v2_encode writes for
 *     auth_type 2 (VRRP_AUTH_AH): auth type 2, the 8 auth data octets
 *     zero, the usual VRRP checksum over the VRRP message alone (computed
 *     with those zero auth octets).  Nothing follows it.
 *
 * The ICV is HMAC-MD5 (RFC 2104) over the whole IP datagram (total length
 * octets: IP header, AH header, VRRP message) with these fields taken as
 * zero: IP TOS, IP flags + fragment offset, IP header checksum, the AH ICV
 * field.  The IP id, total length, addresses, protocol and the AH reserved
 * and payload-length octets are covered as sent.  TTL depends on the
 * destination (keepalived 2.2.7 does this, RFC 2402 would zero it always):
 *   - destination multicast (224.0.0.18): TTL covered as sent (255);
 *   - destination unicast (unicast_peer):  TTL taken as zero.
 * The key is the auth_pass truncated to its first 8 octets (a longer
 * password is cut, as the keepalived.conf man page says); shorter ones are
 * used as they are (NUL padding makes no difference to HMAC).
 *
 * What keepalived 2.2.7 accepts (the runtime's job, helpers below):
 *   - multicast: TTL must be 255 (checked before AH); unicast: a TTL of 64
 *     was accepted;
 *   - SPI must equal the packet's source address, else dropped;
 *   - ICV must verify (a wrong password looks exactly like a modified
 *     packet); DF set on the wire is fine, MF/offset never arrive;
 *   - the AH payload length and reserved octets are not checked by it (we
 *     are stricter about payload length: it must be 4);
 *   - next header other than 112: dropped;
 *   - then the VRRP checks as for any advert (checksum, type, auth type 2
 *     in the VRRP header, ...); VRRP auth data octets are ignored;
 *   - a multicast instance ignores unicast-addressed AH packets, and a
 *     unicast instance never sees multicast ones.
 *
 * Sequence numbers (keepalived 2.2.7): ONE 32-bit counter per VRRP
 * instance, shared by sending and receiving, starting at 0 when the
 * process starts.
 *   - send: counter + 1 (saturating: at 0xffffffff it keeps sending
 *     0xffffffff), then the counter holds the value sent.  So the first
 *     advert of a fresh process carries 1.
 *   - receive, after SPI and ICV passed: a sequence number <= counter is
 *     dropped ("already processed"), whoever sent it and in every state;
 *     otherwise the counter becomes the received number.  This happens
 *     before the VRRP-level checks, so a lower-priority advert or one with
 *     a wrong interval still moves the counter; a packet failing the ICV
 *     never does.  Comparison is unsigned: 0 is never accepted.
 *   Consequence: all routers of a VRID share one rising sequence; a
 *   router that restarts learns the current value from the master's
 *   adverts before it may send.  keepalived therefore refuses `state
 *   MASTER` with AH ("Initial state master is incompatible with AH
 *   authentication - clearing") and starts as backup.  A master that
 *   receives a valid lower-priority advert also skips one number
 *   ("Syncing seq_num - Increment seq") before its immediate reply; any
 *   number above the counter is acceptable to peers, so this is cosmetic.
 */
#ifndef KA_VRRP_AH_H
#define KA_VRRP_AH_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrp_packet.h"

#define IPPROTO_AH_NUM		51
#define VRRP_AH_IP_HDR_LEN	20	/* we send and accept no IP options */
#define VRRP_AH_HDR_LEN		24	/* next header .. ICV */
#define VRRP_AH_PAYLOAD_LEN	4	/* the AH "payload length" octet */
#define VRRP_AH_ICV_LEN		12	/* HMAC-MD5-96 */
#define VRRP_AH_KEY_MAX		8	/* octets of auth_pass used as the key */
#define VRRP_AH_TOS		0xc0	/* as vrrp_socket.c and keepalived send */
/* The longest AH advert: anything longer is refused, nobody sends it. */
#define VRRP_AH_MAX_PKT		(VRRP_AH_IP_HDR_LEN + VRRP_AH_HDR_LEN + VRRP_V2_MAX_LEN)

/* One reason per rejected packet.  Suggested counters: BAD_IP as
 * VRRP_DROP_IP_HEADER, the others as VRRP_DROP_AUTH (vrrpStatsAuthFailures). */
enum vrrp_ah_result {
	VRRP_AH_OK = 0,
	VRRP_AH_BAD_IP,		/* not IPv4 / IHL != 5 / total length beyond the
				 * buffer or below 20 / protocol != 51 / MF or
				 * fragment offset set */
	VRRP_AH_BAD_HEADER,	/* AH header truncated, next header != 112,
				 * payload length != 4, or longer than
				 * VRRP_AH_MAX_PKT */
	VRRP_AH_BAD_SPI,	/* SPI is not the source address */
	VRRP_AH_BAD_ICV,	/* HMAC mismatch: wrong password or altered */
	VRRP_AH_RESULTS
};

/* Short name of a result, for logs ("ok", "ip-header", "ah-header", "spi",
 * "icv"). */
const char *vrrp_ah_result_name(enum vrrp_ah_result r);

/* What a verified packet carried.  vrrp points into the caller's packet. */
struct vrrp_ah_info {
	struct in_addr src;
	struct in_addr dst;
	uint8_t ttl;		/* as received: the caller checks it */
	uint16_t ip_id;		/* host order */
	uint32_t spi;		/* host order (== ntohl(src.s_addr)) */
	uint32_t seq;		/* host order */
	const uint8_t *vrrp;	/* the VRRP message: IP payload after AH */
	size_t vrrp_len;	/* up to the IP total length (no Ethernet padding) */
};

/* The SPI keepalived uses and requires for a sender: its source address
 * (host-order value of the network-order address). */
static inline uint32_t vrrp_ah_spi(struct in_addr src)
{
	return ntohl(src.s_addr);
}

/* Whether the ICV covers the TTL (true) or takes it as zero: true exactly
 * when dst is a multicast address. */
bool vrrp_ah_icv_covers_ttl(struct in_addr dst);

/* Write the complete IPv4 datagram for the VRRP message vrrp[0..vrrp_len)
 * (encode it with vrrp_v2_encode and auth_type VRRP_AUTH_AH; it needs no
 * fix-up) into out: IP header (TOS 0xc0, id ip_id, no flags, TTL 255,
 * protocol 51, checksum filled in), AH header (next header 112, payload
 * length 4, SPI spi -- pass vrrp_ah_spi(src) --, sequence seq, ICV) and the
 * message.  key: the auth_pass, first 8 octets used; NULL means empty.
 * ip_id should not be 0: the kernel replaces a zero id of an IP_HDRINCL
 * packet, which would break the ICV.
 * Returns the datagram length (20 + 24 + vrrp_len), or 0 when out is too
 * small or the datagram would exceed VRRP_AH_MAX_PKT. */
size_t vrrp_ah_build(uint8_t *out, size_t outlen, const struct in_addr src,
		     const struct in_addr dst, uint16_t ip_id, uint32_t spi, uint32_t seq,
		     const char *key, const uint8_t *vrrp, size_t vrrp_len);

/* Validate an IPv4 datagram as a raw IPPROTO_AH socket hands it over (IP
 * header first, len octets; octets after the IP total length, e.g.
 * Ethernet padding, are ignored and not authenticated).  Checks in order:
 * IP header sanity (VRRP_AH_BAD_IP), AH layout (VRRP_AH_BAD_HEADER), SPI
 * equals source (VRRP_AH_BAD_SPI), ICV with key (VRRP_AH_BAD_ICV, compared
 * in constant time).  Does NOT check the TTL, the sequence number
 * (vrrp_ah_seq_accept) or anything inside the VRRP message (vrrp_ah_decap
 * then vrrp_v2_parse).  Fills *out only on VRRP_AH_OK. */
enum vrrp_ah_result vrrp_ah_parse(const uint8_t *pkt, size_t len, const char *key,
				  struct vrrp_ah_info *out);

/* Rebuild a plain VRRP datagram (20-octet IPv4 header with protocol 112,
 * the received src, dst, TTL and id, then the VRRP message) from a packet
 * vrrp_ah_parse accepted, so that vrrp_v2_parse can run the usual checks
 * (TTL, version, length, checksum, type) on it unchanged.  Returns its
 * length, or 0 if buf is too small. */
size_t vrrp_ah_decap(const struct vrrp_ah_info *info, uint8_t *buf, size_t buflen);

/* keepalived's replay rule on the instance's shared counter: accept seq
 * only if it is greater than *counter (unsigned), and then make it the
 * counter.  Call after vrrp_ah_parse succeeded, before the VRRP checks. */
bool vrrp_ah_seq_accept(uint32_t *counter, uint32_t seq);

/* The sequence number for the next advert sent: *counter + 1, saturating
 * at 0xffffffff; *counter takes the value returned. */
uint32_t vrrp_ah_seq_next(uint32_t *counter);

#endif
