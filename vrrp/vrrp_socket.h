/* Raw sockets for VRRP adverts: one per interface and family, IP protocol
 * 112, bound to the interface, joined to 224.0.0.18 (IPv4) or ff02::12
 * (IPv6) there when multicast is used.  IPv4: we write the IP header
 * ourselves (IP_HDRINCL) so the source address is the one VRRP requires
 * (V2-R01/R52) and TTL is 255 (V2-R03) whatever the routing table says.
 * IPv6 has no IP_HDRINCL: the source is set per packet (IPV6_PKTINFO), the
 * hop limit is 255 for unicast and multicast, and the hop limit and
 * destination of each received packet come back as control messages. */
#ifndef KA_VRRP_SOCKET_H
#define KA_VRRP_SOCKET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct vrrp_sock {
	int fd;			/* -1 when closed */
	int ifindex;
	int proto;		/* 112 (VRRP) or 51 (AH, for auth_type AH) */
	bool multicast;		/* joined 224.0.0.18 / ff02::12 */
	uint16_t ip_id;
};

/* Open the socket for `ifindex`/`ifname` and IP protocol `proto` (112, or
 * 51 for adverts wrapped in AH); join the VRRP group when `multicast`.
 * Non-blocking, close-on-exec, multicast loop off.  0, or -1 with a
 * message in err. */
int vrrp_sock_open(struct vrrp_sock *s, int ifindex, const char *ifname, int proto,
		   bool multicast, char *err, size_t errlen);
void vrrp_sock_close(struct vrrp_sock *s);

/* Receive one IPv4 packet (IP header included) into buf.  Returns its
 * length, 0 when nothing is waiting, -1 on error (errno). */
ssize_t vrrp_sock_recv(struct vrrp_sock *s, uint8_t *buf, size_t len);

/* Send the VRRP payload from `src` to `dst` (224.0.0.18 or a unicast
 * peer) with TTL 255.  0, or -1 with errno. */
int vrrp_sock_send(struct vrrp_sock *s, struct in_addr src, struct in_addr dst,
		   const uint8_t *payload, size_t len);

/* The next IP id to use: never 0, which would let the kernel choose one
 * (an AH ICV covers the id, so it must be ours). */
uint16_t vrrp_sock_next_id(struct vrrp_sock *s);

/* Send a complete IPv4 packet (header included, as vrrp_ah_build makes
 * it) to `dst`.  0, or -1 with errno. */
int vrrp_sock_send_packet(struct vrrp_sock *s, struct in_addr dst, const uint8_t *pkt,
			  size_t len);

/* The IPv6 socket (family AF_INET6, protocol 112) for `ifindex`/`ifname`,
 * joined to ff02::12 when `multicast`: non-blocking, close-on-exec,
 * multicast loop off, hop limit 255, traffic class 0xc0 as for IPv4,
 * hop limit and destination reported per packet.  0, or -1 with err. */
int vrrp_sock6_open(struct vrrp_sock *s, int ifindex, const char *ifname, bool multicast,
		    char *err, size_t errlen);

/* Receive one VRRP message (no IP header) with its source, destination
 * and hop limit (-1 when the kernel did not say).  Returns its length, 0
 * when nothing is waiting, -1 on error (errno). */
ssize_t vrrp_sock6_recv(struct vrrp_sock *s, uint8_t *buf, size_t len, struct in6_addr *src,
			struct in6_addr *dst, int *hop_limit);

/* Send a VRRP message from `src` (which must be on the interface) to `dst`
 * (ff02::12 or a unicast peer) out of the socket's interface.  0, or -1
 * with errno. */
int vrrp_sock6_send(struct vrrp_sock *s, const struct in6_addr *src, const struct in6_addr *dst,
		    const uint8_t *payload, size_t len);

/* Build the IPv4 header for vrrp_sock_send into hdr (20 bytes); exposed
 * for unit tests. */
void vrrp_ip_header(uint8_t hdr[20], struct in_addr src, struct in_addr dst, size_t payload_len,
		    uint16_t id);

#endif
