/* Raw IPv4 sockets for VRRP adverts (IP protocol 112).  The IP header is
 * ours (IP_HDRINCL): VRRP needs TTL 255 and the interface's primary address
 * as source whatever the routing table would pick. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>

#include "vrrp_packet.h"
#include "vrrp_socket.h"

#define VRRP_GROUP "224.0.0.18"
#define IP_HDR_LEN 20
/* Type of service "internetwork control" (precedence 6), as routing
 * protocols use, so QoS setups keep adverts ahead of data. */
#define VRRP_TOS 0xc0

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void vrrp_ip_header(uint8_t hdr[20], struct in_addr src, struct in_addr dst, size_t payload_len,
		    uint16_t id)
{
	uint16_t ck;

	hdr[0] = 0x45;		/* version 4, 5 words of header */
	hdr[1] = VRRP_TOS;
	put16(hdr + 2, (uint16_t)(IP_HDR_LEN + payload_len));
	put16(hdr + 4, id);
	put16(hdr + 6, 0);	/* no DF, not a fragment */
	hdr[8] = VRRP_TTL;
	hdr[9] = IPPROTO_VRRP_NUM;
	put16(hdr + 10, 0);
	memcpy(hdr + 12, &src, 4);
	memcpy(hdr + 16, &dst, 4);
	ck = vrrp_checksum(hdr, IP_HDR_LEN);	/* over the zeroed field */
	memcpy(hdr + 10, &ck, 2);
}

static int fail(char *err, size_t errlen, const char *ifname, const char *what)
{
	snprintf(err, errlen, "%s on %s: %s", what, ifname, strerror(errno));
	return -1;
}

static int set_int(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value));
}

static int set_options(int fd, int ifindex, const char *ifname, char *err, size_t errlen)
{
	struct ip_mreqn mif = { .imr_ifindex = ifindex };

	/* Only packets that arrived on this interface, and sends leave by
	 * it whatever the routes say. */
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1) < 0)
		return fail(err, errlen, ifname, "SO_BINDTODEVICE");
	if (set_int(fd, IPPROTO_IP, IP_HDRINCL, 1) < 0)
		return fail(err, errlen, ifname, "IP_HDRINCL");
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mif, sizeof(mif)) < 0)
		return fail(err, errlen, ifname, "IP_MULTICAST_IF");
	/* Our own adverts must not come back to us as a peer's. */
	if (set_int(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0) < 0)
		return fail(err, errlen, ifname, "IP_MULTICAST_LOOP");
	if (set_int(fd, IPPROTO_IP, IP_MULTICAST_TTL, VRRP_TTL) < 0)
		return fail(err, errlen, ifname, "IP_MULTICAST_TTL");
	/* Receive only groups this socket joined, not those joined by any
	 * other socket on the host: a unicast instance sees no multicast. */
	if (set_int(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0) < 0)
		return fail(err, errlen, ifname, "IP_MULTICAST_ALL");
	return 0;
}

static int join_group(int fd, int ifindex, const char *ifname, char *err, size_t errlen)
{
	struct ip_mreqn mr = { .imr_ifindex = ifindex };

	if (inet_pton(AF_INET, VRRP_GROUP, &mr.imr_multiaddr) != 1)
		return fail(err, errlen, ifname, "inet_pton");
	if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
		return fail(err, errlen, ifname, "joining " VRRP_GROUP);
	return 0;
}

/* Packets that arrived on any interface between socket() and
 * SO_BINDTODEVICE are still queued; they are not ours.  Bounded, so a
 * flood arriving meanwhile cannot hold us here. */
static void drain(int fd)
{
	uint8_t scrap[64];
	int i;

	for (i = 0; i < 256; i++) {
		if (recv(fd, scrap, sizeof(scrap), MSG_DONTWAIT | MSG_TRUNC) < 0)
			break;
	}
}

int vrrp_sock_open(struct vrrp_sock *s, int ifindex, const char *ifname, int proto,
		   bool multicast, char *err, size_t errlen)
{
	int fd;

	s->fd = -1;
	s->ifindex = ifindex;
	s->proto = proto;
	s->multicast = false;
	s->ip_id = 0;
	if (ifname == NULL || ifname[0] == '\0' || ifindex <= 0) {
		errno = EINVAL;
		return fail(err, errlen, "?", "interface");
	}
	fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return fail(err, errlen, ifname, "raw socket");
	if (set_options(fd, ifindex, ifname, err, errlen) < 0 ||
	    (multicast && join_group(fd, ifindex, ifname, err, errlen) < 0))
		goto bad;
	drain(fd);
	s->fd = fd;
	s->multicast = multicast;
	return 0;
bad:
	close(fd);
	return -1;
}

void vrrp_sock_close(struct vrrp_sock *s)
{
	/* Closing leaves the group too. */
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->multicast = false;
}

ssize_t vrrp_sock_recv(struct vrrp_sock *s, uint8_t *buf, size_t len)
{
	ssize_t n;

	do
		n = recv(s->fd, buf, len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	return n;
}

uint16_t vrrp_sock_next_id(struct vrrp_sock *s)
{
	if (++s->ip_id == 0)
		s->ip_id = 1;
	return s->ip_id;
}

int vrrp_sock_send_packet(struct vrrp_sock *s, struct in_addr dst, const uint8_t *pkt,
			  size_t len)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = dst };
	ssize_t n;

	do
		n = sendto(s->fd, pkt, len, 0, (const struct sockaddr *)&to, sizeof(to));
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : 0;
}

int vrrp_sock_send(struct vrrp_sock *s, struct in_addr src, struct in_addr dst,
		   const uint8_t *payload, size_t len)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = dst };
	uint8_t hdr[IP_HDR_LEN];
	struct iovec iov[2];
	struct msghdr mh;
	ssize_t n;

	if (len > IP_MAXPACKET - IP_HDR_LEN) {
		errno = EMSGSIZE;
		return -1;
	}
	vrrp_ip_header(hdr, src, dst, len, vrrp_sock_next_id(s));
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = (void *)(uintptr_t)payload;	/* sendmsg does not write */
	iov[1].iov_len = len;
	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &to;
	mh.msg_namelen = sizeof(to);
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	do
		n = sendmsg(s->fd, &mh, 0);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : 0;
}
