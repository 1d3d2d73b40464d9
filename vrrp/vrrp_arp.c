/* Gratuitous ARP: an ARP request from the VIP for the VIP, broadcast, in
 * the announcement form of RFC 5227 (target hardware address zero), which
 * every neighbour takes as an update of its cache entry for the VIP. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "vrrp_arp.h"

#define ETH_HDR 14

void garp_build(uint8_t frame[GARP_FRAME_LEN], const uint8_t mac[6], struct in_addr ip)
{
	uint8_t *arp = frame + ETH_HDR;

	memset(frame, 0xff, 6);			/* broadcast */
	memcpy(frame + 6, mac, 6);
	frame[12] = ETH_P_ARP >> 8;
	frame[13] = ETH_P_ARP & 0xff;
	arp[0] = 0;				/* hardware type: Ethernet */
	arp[1] = 1;
	arp[2] = ETH_P_IP >> 8;			/* protocol type: IPv4 */
	arp[3] = ETH_P_IP & 0xff;
	arp[4] = 6;
	arp[5] = 4;
	arp[6] = 0;				/* operation: request */
	arp[7] = 1;
	memcpy(arp + 8, mac, 6);		/* sender hardware address */
	memcpy(arp + 14, &ip, 4);		/* sender protocol address */
	memset(arp + 18, 0, 6);			/* target hardware address */
	memcpy(arp + 24, &ip, 4);		/* target protocol address */
}

int garp_open(struct garp_sock *g, char *err, size_t errlen)
{
	/* Protocol 0: the socket receives nothing, so frames never pile up
	 * in it; each send names its protocol in sockaddr_ll. */
	g->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (g->fd < 0) {
		snprintf(err, errlen, "packet socket for gratuitous ARP: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void garp_close(struct garp_sock *g)
{
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
}

int garp_send_frame(struct garp_sock *g, int ifindex, uint16_t ethertype, const uint8_t *frame,
		    size_t len)
{
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ethertype),
		.sll_ifindex = ifindex,
		.sll_halen = 6,
	};
	ssize_t n;

	/* The frame carries its own Ethernet header (SOCK_RAW); the address
	 * is filled in for completeness. */
	memcpy(to.sll_addr, frame, 6);
	do
		n = sendto(g->fd, frame, len, 0, (struct sockaddr *)&to, sizeof(to));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

int garp_send(struct garp_sock *g, int ifindex, const uint8_t mac[6], struct in_addr ip)
{
	uint8_t frame[GARP_FRAME_LEN];

	garp_build(frame, mac, ip);
	return garp_send_frame(g, ifindex, ETH_P_ARP, frame, sizeof(frame));
}
