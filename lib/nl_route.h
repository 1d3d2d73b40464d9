/* rtnetlink for the VRRP child, through libnl-route: adding and removing
 * addresses, looking up links, and a stream of link and address events.
 * One command socket and one event socket per process, both owned by a
 * struct nl_route (no globals).  Commands wait for the kernel's ack, which
 * rtnetlink gives at once; events are read from the event loop. */
#ifndef KA_NL_ROUTE_H
#define KA_NL_ROUTE_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "nl_txn.h"
#include "value.h"

struct nl_link_info {
	int ifindex;
	char name[IF_NAMESIZE];
	bool admin_up;		/* IFF_UP */
	bool running;		/* IFF_RUNNING: carrier and operational */
	uint8_t mac[6];
	unsigned mtu;
};

struct nl_addr_info {
	int ifindex;
	struct ip_addr addr;
	unsigned prefix_len;
	unsigned char scope;	/* RT_SCOPE_* */
	bool secondary;		/* IFA_F_SECONDARY; IPv4 only (the same bit
				 * means "temporary" in IPv6) */
	bool tentative;		/* IPv6: IFA_F_TENTATIVE or IFA_F_DADFAILED,
				 * not usable as a source yet (or ever) */
};

struct nl_rt_route;
struct nl_rt_rule;

struct nl_route_events {
	void (*link)(void *arg, const struct nl_link_info *l, bool deleted);
	void (*addr)(void *arg, const struct nl_addr_info *a, bool deleted);
	/* Events were lost (ENOBUFS): everything is replayed by a fresh dump
	 * right after this call, so the receiver can rebuild its view. */
	void (*resync)(void *arg);
	/* Optional (nl_rt.h): IPv4 and IPv6 route or rule notifications,
	 * once nl_route_watch() asks for them.  Not replayed by dumps. */
	void (*route)(void *arg, const struct nl_rt_route *r, bool deleted);
	void (*rule)(void *arg, const struct nl_rt_rule *r, bool deleted);
};

struct nl_route;

/* Open the sockets and subscribe to link and IPv4/IPv6 address events on
 * `loop`.  `ev` may be NULL for a command-only handle.  NULL on failure with
 * errno set.  Callbacks may call any function here except nl_route_close.
 * Only messages sent by the kernel are believed; bridge-port notifications
 * (family AF_BRIDGE) are not link events. */
struct nl_route *nl_route_open(struct ev_loop *loop, const struct nl_route_events *ev, void *arg);
void nl_route_close(struct nl_route *nr);

/* Receive route and rule notifications, or stop: a host carrying a full
 * routing table sends a flood of route changes, which only a daemon that
 * manages routes (rules) should pay for.  0, or -errno. */
int nl_route_watch(struct nl_route *nr, bool routes, bool rules);

/* Replay every link, then every address, through the event callbacks.
 * Each table is read completely before the first callback, and a dump the
 * kernel flags as interrupted is read again.  0 or -errno. */
int nl_route_dump(struct nl_route *nr);

/* Current state of one link by name.  0, or -ENODEV / -errno. */
int nl_link_by_name(struct nl_route *nr, const char *name, struct nl_link_info *out);
int nl_link_by_index(struct nl_route *nr, int ifindex, struct nl_link_info *out);

/* The primary IPv4 address of a link: its first non-secondary address in
 * the kernel's order, skipping host-scope ones.  The kernel keeps primaries
 * in the order they were added (narrower scopes first), so the address
 * configured before any VIP stays first; a VIP in the same subnet with the
 * same prefix length becomes its secondary, and a /32 VIP is a primary of
 * its own placed after it.  0, or -EADDRNOTAVAIL when it has none. */
int nl_primary_ipv4(struct nl_route *nr, int ifindex, struct in_addr *out);

/* The first usable link-local IPv6 address (fe80::/10) of a link in the
 * kernel's order, skipping tentative ones (DAD running or failed), which
 * cannot source packets.  0, or -EADDRNOTAVAIL when it has none. */
int nl_linklocal_ipv6(struct nl_route *nr, int ifindex, struct in6_addr *out);

struct nl_addr_req {
	int ifindex;
	struct ip_addr addr;
	unsigned prefix_len;
	bool has_brd;
	struct in_addr brd;
	unsigned char scope;	/* RT_SCOPE_* */
	const char *label;	/* NULL or "" for none */
};

/* Add or delete an address.  IPv6 addresses are added with IFA_F_NODAD,
 * usable at once (a VIP moves between routers: duplicate detection would
 * only delay it).  0, or -errno from the kernel (-EEXIST when
 * adding one present, -EADDRNOTAVAIL when deleting one absent, -ENODEV for
 * an unknown ifindex).  prefix_len must be 1..32 (1..128), else -EINVAL.
 * The label (IPv4 only) is passed as is: the kernel judges it.  Deletion
 * matches ifindex, address and prefix length only; scope, broadcast and
 * label are ignored. */
int nl_addr_add(struct nl_route *nr, const struct nl_addr_req *r);
int nl_addr_del(struct nl_route *nr, const struct nl_addr_req *r);

/* One request on the command socket, for lib/nl_rt.c and lib/nl_link.c: nl_txn() with
 * this handle's socket and buffer.  The caller keeps and frees msg. */
int nl_route_txn(struct nl_route *nr, struct nl_msg *msg, uint16_t type, nl_txn_fn *fn,
		 void *arg);

/* Whether the address is currently configured on the link. */
bool nl_addr_present(struct nl_route *nr, int ifindex, const struct ip_addr *a);

#endif
