/* Unsolicited Neighbour Advertisements; see vrrp_ndisc.h.  The frame is
 * built whole (Ethernet header included) and sent on the AF_PACKET socket
 * gratuitous ARP uses: an ICMPv6 socket would need the VIP to have passed
 * duplicate address detection and would pick its own hop limit rules. */
#include "config.h"

#include <string.h>

#include <linux/if_ether.h>

#include "vrrp_ndisc.h"
#include "vrrp_packet.h"

#define ETH_HDR		14
#define IP6_HDR		40
#define NA_LEN		(NDISC_NA_FRAME_LEN - ETH_HDR - IP6_HDR)	/* 32 */
#define ICMP6_NA	136
#define NA_OVERRIDE	0x20	/* first octet of the flags word: R S O */
#define OPT_TARGET_LLA	2
#define HOP_LIMIT	255	/* RFC 4861 section 7.1.2: receivers insist */

/* ff02::1 and its Ethernet mapping (RFC 2464 section 7). */
static const struct in6_addr all_nodes = { .s6_addr = { 0xff, 0x02, [15] = 0x01 } };
static const uint8_t all_nodes_mac[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };

void ndisc_build_na(uint8_t frame[NDISC_NA_FRAME_LEN], const uint8_t mac[6],
		    const struct in6_addr *target)
{
	uint8_t *ip = frame + ETH_HDR, *na = ip + IP6_HDR;
	uint16_t ck;

	memset(frame, 0, NDISC_NA_FRAME_LEN);
	memcpy(frame, all_nodes_mac, 6);
	memcpy(frame + 6, mac, 6);
	frame[12] = ETH_P_IPV6 >> 8;
	frame[13] = ETH_P_IPV6 & 0xff;
	ip[0] = 0x60;				/* version 6, class 0, no flow label */
	ip[5] = NA_LEN;				/* payload length */
	ip[6] = IPPROTO_ICMPV6;
	ip[7] = HOP_LIMIT;
	memcpy(ip + 8, target, 16);		/* from the address announced */
	memcpy(ip + 24, &all_nodes, 16);
	na[0] = ICMP6_NA;
	na[4] = NA_OVERRIDE;			/* replace what caches hold */
	memcpy(na + 8, target, 16);
	na[24] = OPT_TARGET_LLA;
	na[25] = 1;				/* option length in units of 8 octets */
	memcpy(na + 26, mac, 6);
	/* RFC 4443 section 2.3: over the IPv6 pseudo-header too. */
	ck = vrrp_ip6_checksum(target, &all_nodes, IPPROTO_ICMPV6, na, NA_LEN);
	memcpy(na + 2, &ck, 2);
}

int ndisc_send_na(struct garp_sock *g, int ifindex, const uint8_t mac[6],
		  const struct in6_addr *target)
{
	uint8_t frame[NDISC_NA_FRAME_LEN];

	ndisc_build_na(frame, mac, target);
	return garp_send_frame(g, ifindex, ETH_P_IPV6, frame, sizeof(frame));
}
