/* Gratuitous ARP (STD-R03: an ARP request whose sender and target IP are
 * the VIP, broadcast), sent from the interface's own MAC address. */
#ifndef KA_VRRP_ARP_H
#define KA_VRRP_ARP_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define GARP_FRAME_LEN 42	/* Ethernet header + ARP for IPv4 */

/* Write a gratuitous ARP frame for `ip` from `mac` into frame. */
void garp_build(uint8_t frame[GARP_FRAME_LEN], const uint8_t mac[6], struct in_addr ip);

/* An AF_PACKET socket for sending frames on any interface. */
struct garp_sock {
	int fd;			/* -1 when closed */
};

int garp_open(struct garp_sock *g, char *err, size_t errlen);
void garp_close(struct garp_sock *g);

/* Send a whole Ethernet frame (`ethertype` is its protocol, its first six
 * octets the destination) on `ifindex`.  0 or -1 (errno). */
int garp_send_frame(struct garp_sock *g, int ifindex, uint16_t ethertype, const uint8_t *frame,
		    size_t len);

/* Send one gratuitous ARP for `ip` on `ifindex` from `mac`.  0 or -1 (errno). */
int garp_send(struct garp_sock *g, int ifindex, const uint8_t mac[6], struct in_addr ip);

#endif
