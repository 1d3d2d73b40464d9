/* Unsolicited Neighbour Advertisements (RFC 4861 section 7.2.6): what a new
 * master sends for each IPv6 virtual address instead of a gratuitous ARP,
 * so neighbours point their cache entry for it at our MAC address at once
 * (RFC 5798 section 6.4.1 / 6.4.2). */
#ifndef KA_VRRP_NDISC_H
#define KA_VRRP_NDISC_H

#include <netinet/in.h>
#include <stdint.h>

#include "vrrp_arp.h"

/* Ethernet 14 + IPv6 40 + NA 24 + target link-layer address option 8 */
#define NDISC_NA_FRAME_LEN 86

/* Write the advertisement for `target` from `mac` into frame: from the
 * target itself to all-nodes ff02::1 (33:33:00:00:00:01), hop limit 255,
 * Override set, Router and Solicited clear, with the target link-layer
 * address option, ICMPv6 checksum over the IPv6 pseudo-header.  The same
 * packet keepalived 2.2.7 sends. */
void ndisc_build_na(uint8_t frame[NDISC_NA_FRAME_LEN], const uint8_t mac[6],
		    const struct in6_addr *target);

/* Send one on `ifindex` through the gratuitous ARP packet socket.  0, or
 * -1 with errno. */
int ndisc_send_na(struct garp_sock *g, int ifindex, const uint8_t mac[6],
		  const struct in6_addr *target);

#endif
