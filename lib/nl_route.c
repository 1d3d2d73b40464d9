/* rtnetlink through libnl: a command socket for requests answered at once
 * (address add/delete, link lookups, dumps) and an event socket for link
 * and address notifications.
 *
 * libnl allocates the sockets, assigns port ids, builds the requests and
 * parses attributes; nl_txn.c reads the replies, so that kernel errors
 * reach the caller as real errno values and datagrams not sent by the
 * kernel are dropped (BI-N04); interrupted dumps are restarted here
 * (BI-N03).
 *
 * Dumps are read completely into an array before anything is delivered:
 * callbacks may then issue new requests on the command socket without
 * meeting the rest of a dump, and an interrupted dump never reaches them. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>

#include "log.h"
#include "nl_route.h"
#include "nl_rt.h"
#include "nl_txn.h"

/* Room for events queued while the loop is busy; past it the kernel drops
 * them and says ENOBUFS, and we resync by a dump. */
#define NLR_EVENT_RCVBUF (1024 * 1024)
/* rtnetlink answers inside the sendmsg() call; this only bounds a hang if
 * an answer never comes (BI-N04). */
#define NLR_CMD_TIMEOUT_S 5
/* Datagrams read per wakeup, so an event storm (BI-N07) cannot starve
 * timers; the descriptor stays readable and the loop comes back. */
#define NLR_EVENT_BATCH 64
/* A dump interrupted this many times in a row gives up with -EAGAIN. */
#define NLR_DUMP_TRIES 8
/* After a failed resync dump, try again this much later. */
#define NLR_RESYNC_RETRY_US 1000000u

struct nl_route {
	struct ev_loop *loop;
	struct nl_route_events ev;
	void *arg;
	struct nl_sock *cmd;
	struct nl_sock *events;	/* NULL for a command-only handle */
	int event_fd;		/* registered with the loop, or -1 */
	bool watching_routes;	/* subscribed to route notifications */
	bool watching_rules;	/* ... and to rule notifications */
	struct nl_buf cmd_buf;
	struct nl_buf event_buf;
	struct ev_timer resync_retry;
};

/* ---- small helpers ---- */

/* libnl error codes for failures that happen before the kernel is asked
 * (building a message, connecting); kernel answers never go through here. */
static int nle_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	case NLE_RANGE:
	case NLE_INVAL:
	case NLE_MISSING_ATTR:
	case NLE_AF_MISMATCH:
		return -EINVAL;
	default:
		return -EIO;
	}
}

/* ---- parsing ---- */

/* 0 when parsed, 1 when the message is not about a link we track, -1 when
 * malformed. */
static int parse_link(struct nlmsghdr *h, struct nl_link_info *out)
{
	static const struct nla_policy pol[IFLA_MAX + 1] = {
		[IFLA_IFNAME] = { .type = NLA_STRING, .maxlen = IF_NAMESIZE },
		[IFLA_MTU] = { .type = NLA_U32 },
	};
	struct nlattr *tb[IFLA_MAX + 1];
	struct ifinfomsg *ifi;

	if (nlmsg_parse(h, sizeof(*ifi), tb, IFLA_MAX, pol) < 0)
		return -1;
	ifi = nlmsg_data(h);
	/* Bridge port notifications share RTNLGRP_LINK with family
	 * AF_BRIDGE; their DELLINK means "left the bridge", not "deleted". */
	if (ifi->ifi_family != AF_UNSPEC)
		return 1;
	if (ifi->ifi_index <= 0 || tb[IFLA_IFNAME] == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	out->ifindex = ifi->ifi_index;
	nla_strlcpy(out->name, tb[IFLA_IFNAME], sizeof(out->name));
	out->admin_up = (ifi->ifi_flags & IFF_UP) != 0;
	/* The kernel sets IFF_RUNNING from the operational state, which
	 * follows carrier (and dormancy, and a lower device's state). */
	out->running = (ifi->ifi_flags & IFF_RUNNING) != 0;
	/* Links without a 6-byte hardware address (tun, ipip) keep zeros. */
	if (tb[IFLA_ADDRESS] != NULL && nla_len(tb[IFLA_ADDRESS]) == 6)
		memcpy(out->mac, nla_data(tb[IFLA_ADDRESS]), 6);
	if (tb[IFLA_MTU] != NULL)
		out->mtu = nla_get_u32(tb[IFLA_MTU]);
	return 0;
}

/* Same return convention as parse_link. */
static int parse_addr(struct nlmsghdr *h, struct nl_addr_info *out)
{
	static const struct nla_policy pol[IFA_MAX + 1] = {
		[IFA_FLAGS] = { .type = NLA_U32 },
	};
	struct nlattr *tb[IFA_MAX + 1];
	struct ifaddrmsg *ifa;
	struct nlattr *a;
	uint32_t flags;
	int alen;

	if (nlmsg_parse(h, sizeof(*ifa), tb, IFA_MAX, pol) < 0)
		return -1;
	ifa = nlmsg_data(h);
	if (ifa->ifa_family == AF_INET)
		alen = 4;
	else if (ifa->ifa_family == AF_INET6)
		alen = 16;
	else
		return 1;
	/* IFA_ADDRESS is the peer on point-to-point links; IFA_LOCAL, when
	 * present, is always our own address. */
	a = tb[IFA_LOCAL] != NULL ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (a == NULL || nla_len(a) != alen || ifa->ifa_prefixlen > alen * 8 ||
	    ifa->ifa_index == 0 || ifa->ifa_index > INT_MAX)
		return -1;
	/* IFA_FLAGS carries the flags that do not fit the header's 8 bits. */
	flags = tb[IFA_FLAGS] != NULL ? nla_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
	memset(out, 0, sizeof(*out));
	out->ifindex = (int)ifa->ifa_index;
	out->addr.family = ifa->ifa_family;
	memcpy(&out->addr.u, nla_data(a), (size_t)alen);
	out->prefix_len = ifa->ifa_prefixlen;
	out->scope = ifa->ifa_scope;
	/* In IPv6 the same bit means "temporary" (privacy address). */
	out->secondary = ifa->ifa_family == AF_INET && (flags & IFA_F_SECONDARY);
	out->tentative = ifa->ifa_family == AF_INET6 &&
			 (flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED));
	return 0;
}

/* nl_txn callbacks, given RTM_NEWLINK / RTM_NEWADDR messages only. */
static int collect_link(struct nlmsghdr *h, void *arg)
{
	struct nl_link_info l;

	if (parse_link(h, &l) != 0)
		return 0;
	return nl_vec_push(arg, &l);
}

static int collect_addr(struct nlmsghdr *h, void *arg)
{
	struct nl_addr_info a;

	if (parse_addr(h, &a) != 0)
		return 0;
	return nl_vec_push(arg, &a);
}

/* ---- requests on the command socket ---- */

static int dump_once(struct nl_route *nr, int type, int family, struct nl_vec *v)
{
	struct ifinfomsg ifi = { .ifi_family = (unsigned char)family };
	struct ifaddrmsg ifa = { .ifa_family = (unsigned char)family };
	bool links = type == RTM_GETLINK;
	struct nl_msg *msg;
	int rc;

	msg = nlmsg_alloc_simple(type, NLM_F_DUMP);
	if (msg == NULL)
		return -ENOMEM;
	rc = links ? nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO)
		   : nlmsg_append(msg, &ifa, sizeof(ifa), NLMSG_ALIGNTO);
	if (rc < 0)
		rc = nle_errno(rc);
	else
		rc = links ? nl_txn(nr->cmd, &nr->cmd_buf, msg, RTM_NEWLINK, collect_link, v)
			   : nl_txn(nr->cmd, &nr->cmd_buf, msg, RTM_NEWADDR, collect_addr, v);
	nlmsg_free(msg);
	return rc;
}

/* Dump every link (RTM_GETLINK) or every address of `family`
 * (RTM_GETADDR) into v, restarting while the kernel reports the dump as
 * interrupted.  The caller frees v->items. */
static int nlr_dump(struct nl_route *nr, int type, int family, struct nl_vec *v)
{
	int tries, rc = -EINTR;

	v->elem = type == RTM_GETLINK ? sizeof(struct nl_link_info) : sizeof(struct nl_addr_info);
	for (tries = 0; tries < NLR_DUMP_TRIES && rc == -EINTR; tries++) {
		v->n = 0;
		rc = dump_once(nr, type, family, v);
	}
	return rc == -EINTR ? -EAGAIN : rc;
}

/* ---- events ---- */

/* Pass one link or address message to its callback. */
static void deliver(struct nl_route *nr, struct nlmsghdr *h)
{
	uint16_t t = h->nlmsg_type;
	bool is_link = t == RTM_NEWLINK || t == RTM_DELLINK;
	struct nl_link_info l;
	struct nl_addr_info a;
	int rc = is_link ? parse_link(h, &l) : parse_addr(h, &a);

	if (rc < 0)
		log_debug("rtnetlink: malformed message of type %u ignored", t);
	else if (rc == 0 && is_link && nr->ev.link != NULL)
		nr->ev.link(nr->arg, &l, t == RTM_DELLINK);
	else if (rc == 0 && !is_link && nr->ev.addr != NULL)
		nr->ev.addr(nr->arg, &a, t == RTM_DELADDR);
}

static void resync_now(struct nl_route *nr)
{
	int rc;

	ev_timer_disarm(nr->loop, &nr->resync_retry);
	if (nr->ev.resync != NULL)
		nr->ev.resync(nr->arg);
	rc = nl_route_dump(nr);
	if (rc < 0) {
		log_warnx("rtnetlink: resync dump failed: %s; retrying", strerror(-rc));
		ev_timer_arm(nr->loop, &nr->resync_retry, NLR_RESYNC_RETRY_US);
	}
}

static void resync_retry_fired(struct ev_loop *loop, void *arg)
{
	(void)loop;
	resync_now(arg);
}

/* Returns true when the kernel reported lost events inside the datagram. */
static bool event_datagram(struct nl_route *nr, uint8_t *data, int len)
{
	struct nlmsghdr *h;
	int rem = len;
	bool lost = false;

	for (h = (struct nlmsghdr *)data; nlmsg_ok(h, rem); h = nlmsg_next(h, &rem)) {
		switch (h->nlmsg_type) {
		case RTM_NEWLINK:
		case RTM_DELLINK:
		case RTM_NEWADDR:
		case RTM_DELADDR:
			deliver(nr, h);
			break;
		case RTM_NEWROUTE:
		case RTM_DELROUTE:
		case RTM_NEWRULE:
		case RTM_DELRULE:
			nl_rt_deliver(&nr->ev, nr->arg, h);
			break;
		case NLMSG_OVERRUN:
			lost = true;
			break;
		default:	/* NOOP, DONE, ERROR: nothing we asked for */
			break;
		}
	}
	return lost;
}

static void event_readable(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct nl_route *nr = arg;
	struct sockaddr_nl from;
	int i;

	(void)loop;
	(void)events;
	for (i = 0; i < NLR_EVENT_BATCH; i++) {
		ssize_t n = nl_recv_datagram(fd, &nr->event_buf, &from);
		if (n == -EAGAIN)
			return;
		if (n < 0) {
			/* ENOBUFS: the kernel dropped events.  Anything else
			 * (no memory for a big datagram): drop the datagram,
			 * so the loop does not spin on it, and resync too. */
			log_warnx("rtnetlink: events lost (%s); resyncing", strerror((int)-n));
			if (n != -ENOBUFS)
				(void)recv(fd, NULL, 0, MSG_DONTWAIT | MSG_TRUNC);
			resync_now(nr);
			continue;
		}
		/* Only the kernel speaks for the kernel (BI-N04). */
		if (from.nl_pid != 0) {
			log_debug("rtnetlink: dropped an event from port %u", from.nl_pid);
			continue;
		}
		if (event_datagram(nr, nr->event_buf.data, (int)n)) {
			log_warnx("rtnetlink: kernel reported an overrun; resyncing");
			resync_now(nr);
		}
	}
}

/* ---- opening and closing ---- */

static int cmd_sock_open(struct nl_route *nr)
{
	int rc;

	nr->cmd = nl_socket_alloc();
	if (nr->cmd == NULL)
		return -ENOMEM;
	rc = nl_connect(nr->cmd, NETLINK_ROUTE);
	if (rc < 0)
		return nle_errno(rc);
	/* nl_connect opens it close-on-exec, so scripts never inherit it. */
	return nl_txn_timeout(nr->cmd, NLR_CMD_TIMEOUT_S);
}

static int event_sock_open(struct nl_route *nr)
{
	int size = NLR_EVENT_RCVBUF;
	int rc, fd;

	nr->events = nl_socket_alloc();
	if (nr->events == NULL)
		return -ENOMEM;
	rc = nl_connect(nr->events, NETLINK_ROUTE);
	if (rc >= 0)
		rc = nl_socket_add_memberships(nr->events, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
					       RTNLGRP_IPV6_IFADDR, 0);
	if (rc >= 0)
		rc = nl_socket_set_nonblocking(nr->events);
	if (rc < 0)
		return nle_errno(rc);
	fd = nl_socket_get_fd(nr->events);
	/* FORCE passes net.core.rmem_max when we may; otherwise take what
	 * the limit allows. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) < 0)
		return -errno;
	if (ev_io_add(nr->loop, fd, EPOLLIN, event_readable, nr) < 0)
		return -errno;
	nr->event_fd = fd;
	return 0;
}

struct nl_route *nl_route_open(struct ev_loop *loop, const struct nl_route_events *ev, void *arg)
{
	struct nl_route *nr;
	int rc;

	if (ev != NULL && loop == NULL) {
		errno = EINVAL;
		return NULL;
	}
	nr = calloc(1, sizeof(*nr));
	if (nr == NULL)
		return NULL;
	nr->loop = loop;
	nr->arg = arg;
	nr->event_fd = -1;
	ev_timer_init(&nr->resync_retry, resync_retry_fired, nr);
	rc = cmd_sock_open(nr);
	if (rc == 0 && ev != NULL) {
		nr->ev = *ev;
		rc = event_sock_open(nr);
	}
	if (rc == 0)
		return nr;
	nl_route_close(nr);
	errno = -rc;
	return NULL;
}

void nl_route_close(struct nl_route *nr)
{
	if (nr == NULL)
		return;
	if (nr->loop != NULL)
		ev_timer_disarm(nr->loop, &nr->resync_retry);
	if (nr->event_fd >= 0)
		ev_io_del(nr->loop, nr->event_fd);
	/* nl_socket_free closes the descriptors. */
	if (nr->events != NULL)
		nl_socket_free(nr->events);
	if (nr->cmd != NULL)
		nl_socket_free(nr->cmd);
	free(nr->cmd_buf.data);
	free(nr->event_buf.data);
	free(nr);
}

/* ---- public queries ---- */

int nl_route_dump(struct nl_route *nr)
{
	struct nl_vec links = { 0 }, addrs = { 0 };
	size_t i;
	int rc;

	rc = nlr_dump(nr, RTM_GETLINK, AF_UNSPEC, &links);
	if (rc == 0)
		rc = nlr_dump(nr, RTM_GETADDR, AF_UNSPEC, &addrs);
	if (rc < 0)
		goto out;
	for (i = 0; i < links.n && nr->ev.link != NULL; i++)
		nr->ev.link(nr->arg, nl_vec_at(&links, i), false);
	for (i = 0; i < addrs.n && nr->ev.addr != NULL; i++)
		nr->ev.addr(nr->arg, nl_vec_at(&addrs, i), false);
out:
	free(links.items);
	free(addrs.items);
	return rc;
}

/* One link by index (ifindex > 0) or by name. */
static int link_get(struct nl_route *nr, int ifindex, const char *name, struct nl_link_info *out)
{
	struct nl_vec v = { .elem = sizeof(struct nl_link_info) };
	struct nl_msg *msg = NULL;
	int rc;

	rc = rtnl_link_build_get_request(ifindex, name, &msg);
	if (rc < 0)
		return nle_errno(rc);
	rc = nl_txn(nr->cmd, &nr->cmd_buf, msg, RTM_NEWLINK, collect_link, &v);
	nlmsg_free(msg);
	if (rc == 0 && v.n == 0)
		rc = -ENODEV;
	if (rc == 0)
		*out = *(struct nl_link_info *)nl_vec_at(&v, 0);
	free(v.items);
	return rc;
}

int nl_link_by_name(struct nl_route *nr, const char *name, struct nl_link_info *out)
{
	/* A name that cannot exist; the kernel would call it EINVAL. */
	if (name == NULL || name[0] == '\0' || strlen(name) >= IF_NAMESIZE)
		return -ENODEV;
	return link_get(nr, 0, name, out);
}

int nl_link_by_index(struct nl_route *nr, int ifindex, struct nl_link_info *out)
{
	if (ifindex <= 0)
		return -ENODEV;
	return link_get(nr, ifindex, NULL, out);
}

int nl_primary_ipv4(struct nl_route *nr, int ifindex, struct in_addr *out)
{
	struct nl_vec v = { 0 };
	const struct nl_addr_info *a;
	size_t i;
	int rc;

	rc = nlr_dump(nr, RTM_GETADDR, AF_INET, &v);
	for (i = 0; rc == 0 && i < v.n; i++) {
		a = nl_vec_at(&v, i);
		/* Host-scope addresses sort first in the kernel's list but
		 * cannot source packets on the wire. */
		if (a->ifindex == ifindex && !a->secondary && a->scope < RT_SCOPE_HOST) {
			*out = a->addr.u.v4;
			break;
		}
	}
	if (rc == 0 && i == v.n)
		rc = -EADDRNOTAVAIL;
	free(v.items);
	return rc;
}

int nl_linklocal_ipv6(struct nl_route *nr, int ifindex, struct in6_addr *out)
{
	struct nl_vec v = { 0 };
	const struct nl_addr_info *a;
	size_t i;
	int rc;

	rc = nlr_dump(nr, RTM_GETADDR, AF_INET6, &v);
	for (i = 0; rc == 0 && i < v.n; i++) {
		a = nl_vec_at(&v, i);
		if (a->ifindex == ifindex && !a->tentative && IN6_IS_ADDR_LINKLOCAL(&a->addr.u.v6)) {
			*out = a->addr.u.v6;
			break;
		}
	}
	if (rc == 0 && i == v.n)
		rc = -EADDRNOTAVAIL;
	free(v.items);
	return rc;
}

static bool addr_equal(const struct ip_addr *x, const struct ip_addr *y)
{
	if (x->family != y->family)
		return false;
	if (x->family == AF_INET)
		return x->u.v4.s_addr == y->u.v4.s_addr;
	return memcmp(&x->u.v6, &y->u.v6, sizeof(x->u.v6)) == 0;
}

bool nl_addr_present(struct nl_route *nr, int ifindex, const struct ip_addr *a)
{
	struct nl_vec v = { 0 };
	const struct nl_addr_info *ai;
	bool found = false;
	size_t i;
	int rc;

	rc = nlr_dump(nr, RTM_GETADDR, a->family, &v);
	if (rc < 0)
		log_warnx("rtnetlink: listing addresses: %s", strerror(-rc));
	for (i = 0; rc == 0 && i < v.n && !found; i++) {
		ai = nl_vec_at(&v, i);
		found = ai->ifindex == ifindex && addr_equal(&ai->addr, a);
	}
	free(v.items);
	return found;
}

/* ---- address changes ---- */

static int addr_set_local(struct rtnl_addr *ra, const struct ip_addr *a, unsigned prefix_len)
{
	size_t len = a->family == AF_INET ? 4 : 16;
	struct nl_addr *local;
	int rc;

	local = nl_addr_build(a->family, &a->u, len);
	if (local == NULL)
		return -ENOMEM;
	rc = rtnl_addr_set_local(ra, local);
	nl_addr_put(local);
	if (rc < 0)
		return nle_errno(rc);
	/* After set_local, which resets the prefix length from `local`. */
	rtnl_addr_set_prefixlen(ra, (int)prefix_len);
	return 0;
}

static int addr_set_brd(struct rtnl_addr *ra, struct in_addr brd)
{
	struct nl_addr *b = nl_addr_build(AF_INET, &brd, sizeof(brd));
	int rc;

	if (b == NULL)
		return -ENOMEM;
	rc = rtnl_addr_set_broadcast(ra, b);
	nl_addr_put(b);
	return rc < 0 ? nle_errno(rc) : 0;
}

/* The request for r: RTM_NEWADDR with everything, or RTM_DELADDR with
 * only what identifies the address (ifindex, address, prefix length). */
static int addr_request(const struct nl_addr_req *r, bool add, struct nl_msg **msg)
{
	unsigned max_len = r->addr.family == AF_INET ? 32 : 128;
	struct rtnl_addr *ra;
	int rc;

	if ((r->addr.family != AF_INET && r->addr.family != AF_INET6) || r->ifindex <= 0)
		return -EINVAL;
	/* libnl drops a zero prefix length from requests. */
	if (r->prefix_len == 0 || r->prefix_len > max_len)
		return -EINVAL;
	ra = rtnl_addr_alloc();
	if (ra == NULL)
		return -ENOMEM;
	rtnl_addr_set_ifindex(ra, r->ifindex);
	rc = addr_set_local(ra, &r->addr, r->prefix_len);
	if (rc == 0 && add) {
		rtnl_addr_set_scope(ra, r->scope);
		if (r->addr.family == AF_INET && r->has_brd)
			rc = addr_set_brd(ra, r->brd);
		if (r->addr.family == AF_INET6)
			rtnl_addr_set_flags(ra, IFA_F_NODAD);
		/* IPv6 has no labels; the kernel ignores the attribute. */
		if (rc == 0 && r->addr.family == AF_INET && r->label != NULL && r->label[0] != '\0')
			rc = rtnl_addr_set_label(ra, r->label) < 0 ? -EINVAL : 0;
	}
	if (rc == 0) {
		rc = add ? rtnl_addr_build_add_request(ra, NLM_F_EXCL, msg)
			 : rtnl_addr_build_delete_request(ra, 0, msg);
		if (rc < 0)
			rc = nle_errno(rc);
	}
	rtnl_addr_put(ra);
	return rc;
}

int nl_route_txn(struct nl_route *nr, struct nl_msg *msg, uint16_t type, nl_txn_fn *fn,
		 void *arg)
{
	return nl_txn(nr->cmd, &nr->cmd_buf, msg, type, fn, arg);
}

static int addr_change(struct nl_route *nr, const struct nl_addr_req *r, bool add)
{
	struct nl_msg *msg = NULL;
	int rc;

	rc = addr_request(r, add, &msg);
	if (rc < 0)
		return rc;
	rc = nl_txn(nr->cmd, &nr->cmd_buf, msg, 0, NULL, NULL);
	nlmsg_free(msg);
	return rc;
}

int nl_addr_add(struct nl_route *nr, const struct nl_addr_req *r)
{
	return addr_change(nr, r, true);
}

int nl_addr_del(struct nl_route *nr, const struct nl_addr_req *r)
{
	return addr_change(nr, r, false);
}

/* Add or drop the two groups of one kind; `*on` follows the socket. */
static int watch_groups(struct nl_route *nr, bool want, bool *on, int v4, int v6)
{
	int rc;

	if (want == *on)
		return 0;
	rc = want ? nl_socket_add_memberships(nr->events, v4, v6, 0)
		  : nl_socket_drop_memberships(nr->events, v4, v6, 0);
	if (rc < 0)
		return nle_errno(rc);
	*on = want;
	return 0;
}

int nl_route_watch(struct nl_route *nr, bool routes, bool rules)
{
	int rc = watch_groups(nr, routes && nr->ev.route, &nr->watching_routes,
			      RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE);

	if (rc == 0)
		rc = watch_groups(nr, rules && nr->ev.rule, &nr->watching_rules,
				  RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE);
	return rc;
}
