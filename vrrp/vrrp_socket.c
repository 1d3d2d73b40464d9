/* Raw IPv4 and IPv6 sockets for VRRP adverts (IP protocol 112).  The IPv4
 * header is ours (IP_HDRINCL): VRRP needs TTL 255 and the interface's
 * primary address as source whatever the routing table would pick.  IPv6
 * gets the same through socket options and IPV6_PKTINFO. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
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

static int set_options6(int fd, int ifindex, const char *ifname, char *err, size_t errlen)
{
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1) < 0)
		return fail(err, errlen, ifname, "SO_BINDTODEVICE");
	if (set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex) < 0)
		return fail(err, errlen, ifname, "IPV6_MULTICAST_IF");
	if (set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0) < 0)
		return fail(err, errlen, ifname, "IPV6_MULTICAST_LOOP");
	/* V3-R04: 255 both ways, so a receiver can tell the advert was not
	 * routed. */
	if (set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_TTL) < 0)
		return fail(err, errlen, ifname, "IPV6_MULTICAST_HOPS");
	if (set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, VRRP_TTL) < 0)
		return fail(err, errlen, ifname, "IPV6_UNICAST_HOPS");
	if (set_int(fd, IPPROTO_IPV6, IPV6_TCLASS, VRRP_TOS) < 0)
		return fail(err, errlen, ifname, "IPV6_TCLASS");
	if (set_int(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) < 0)
		return fail(err, errlen, ifname, "IPV6_RECVHOPLIMIT");
	if (set_int(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) < 0)
		return fail(err, errlen, ifname, "IPV6_RECVPKTINFO");
	/* As IP_MULTICAST_ALL for IPv4 (Linux 4.20 on); older kernels lack
	 * it, and then a unicast instance may see multicast adverts too,
	 * which the source check drops. */
	(void)set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0);
	return 0;
}

static int join_group6(int fd, int ifindex, const char *ifname, char *err, size_t errlen)
{
	struct ipv6_mreq mr = { .ipv6mr_interface = (unsigned)ifindex };

	if (inet_pton(AF_INET6, VRRP_MCAST_GROUP6, &mr.ipv6mr_multiaddr) != 1)
		return fail(err, errlen, ifname, "inet_pton");
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
		return fail(err, errlen, ifname, "joining " VRRP_MCAST_GROUP6);
	return 0;
}

/* What differs between the families: the options, then the group. */
static int configure(int family, int fd, int ifindex, const char *ifname, bool multicast,
		     char *err, size_t errlen)
{
	if (family == AF_INET6)
		return set_options6(fd, ifindex, ifname, err, errlen) < 0 ||
		       (multicast && join_group6(fd, ifindex, ifname, err, errlen) < 0) ? -1 : 0;
	return set_options(fd, ifindex, ifname, err, errlen) < 0 ||
	       (multicast && join_group(fd, ifindex, ifname, err, errlen) < 0) ? -1 : 0;
}

static int open_raw(struct vrrp_sock *s, int family, int ifindex, const char *ifname, int proto,
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
	fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return fail(err, errlen, ifname, family == AF_INET6 ? "raw IPv6 socket" : "raw socket");
	if (configure(family, fd, ifindex, ifname, multicast, err, errlen) < 0) {
		close(fd);
		return -1;
	}
	drain(fd);
	s->fd = fd;
	s->multicast = multicast;
	return 0;
}

int vrrp_sock_open(struct vrrp_sock *s, int ifindex, const char *ifname, int proto,
		   bool multicast, char *err, size_t errlen)
{
	return open_raw(s, AF_INET, ifindex, ifname, proto, multicast, err, errlen);
}

int vrrp_sock6_open(struct vrrp_sock *s, int ifindex, const char *ifname, bool multicast,
		    char *err, size_t errlen)
{
	return open_raw(s, AF_INET6, ifindex, ifname, IPPROTO_VRRP_NUM, multicast, err, errlen);
}

/* Hop limit and destination from the control messages of one packet. */
static void read_cmsgs(struct msghdr *mh, struct in6_addr *dst, int *hop_limit)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_HOPLIMIT && c->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(hop_limit, CMSG_DATA(c), sizeof(int));
		else if (c->cmsg_type == IPV6_PKTINFO &&
			 c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo)))
			memcpy(dst, CMSG_DATA(c) + offsetof(struct in6_pktinfo, ipi6_addr),
			       sizeof(*dst));
	}
}

ssize_t vrrp_sock6_recv(struct vrrp_sock *s, uint8_t *buf, size_t len, struct in6_addr *src,
			struct in6_addr *dst, int *hop_limit)
{
	union {
		char buf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cm;
	struct sockaddr_in6 from;
	struct iovec iov = { buf, len };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cm.buf, .msg_controllen = sizeof(cm.buf),
	};
	ssize_t n;

	do
		n = recvmsg(s->fd, &mh, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n < 0)
		return -1;
	*hop_limit = -1;
	memset(dst, 0, sizeof(*dst));
	memset(src, 0, sizeof(*src));
	if (mh.msg_namelen >= sizeof(from))
		*src = from.sin6_addr;
	read_cmsgs(&mh, dst, hop_limit);
	return n;
}

int vrrp_sock6_send(struct vrrp_sock *s, const struct in6_addr *src, const struct in6_addr *dst,
		    const uint8_t *payload, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cm;
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_addr = *dst };
	struct in6_pktinfo pi = { .ipi6_addr = *src, .ipi6_ifindex = (unsigned)s->ifindex };
	struct iovec iov = { (void *)(uintptr_t)payload, len };	/* sendmsg does not write */
	struct msghdr mh = {
		.msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cm.buf, .msg_controllen = sizeof(cm.buf),
	};
	struct cmsghdr *c;
	ssize_t n;

	/* ff02::12 and link-local peers only mean something with a link. */
	if (IN6_IS_ADDR_MC_LINKLOCAL(dst) || IN6_IS_ADDR_LINKLOCAL(dst))
		to.sin6_scope_id = (uint32_t)s->ifindex;
	memset(&cm, 0, sizeof(cm));
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	do
		n = sendmsg(s->fd, &mh, 0);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : 0;
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
