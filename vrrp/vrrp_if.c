/* Interfaces used by VRRP instances: their link state, primary IPv4 and
 * link-local IPv6 addresses (kept current from rtnetlink events), and the
 * raw sockets each one reads adverts from. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "log.h"
#include "ptr_array.h"
#include "vrrp_rt.h"

/* Adverts read per wake-up: a flood cannot starve timers (BI-V16). */
#define RX_BATCH 64

static void refresh_primary(struct vrrp_if *vif)
{
	struct in_addr a;

	vif->has_primary = vif->ifindex > 0 && nl_primary_ipv4(vif->rt->nl, vif->ifindex, &a) == 0;
	if (vif->has_primary)
		vif->primary = a;
}

/* IPv6 instances send from it (RFC 5798 section 5.1.2.1). */
static void refresh_linklocal(struct vrrp_if *vif)
{
	struct in6_addr a;

	vif->has_linklocal = vif->ifindex > 0 &&
			     nl_linklocal_ipv6(vif->rt->nl, vif->ifindex, &a) == 0;
	if (vif->has_linklocal)
		vif->linklocal = a;
}

static void refresh_addresses(struct vrrp_if *vif)
{
	refresh_primary(vif);
	refresh_linklocal(vif);
}

static void forget_link(struct vrrp_if *vif)
{
	vif->ifindex = 0;
	vif->up = false;
	vif->admin_up = false;
	vif->has_primary = false;
	vif->has_linklocal = false;
}

int vrrp_if_refresh(struct vrrp_if *vif)
{
	struct nl_link_info l;
	int r = nl_link_by_name(vif->rt->nl, vif->name, &l);

	if (r < 0) {
		forget_link(vif);
		return r;
	}
	vif->ifindex = l.ifindex;
	vif->up = l.admin_up && l.running;
	vif->admin_up = l.admin_up;
	memcpy(vif->mac, l.mac, sizeof(vif->mac));
	refresh_addresses(vif);
	return 0;
}

static struct vrrp_if *if_get(struct vrrp_rt *rt, const char *name, bool quiet)
{
	struct vrrp_if *vif;

	for (size_t i = 0; i < rt->n_ifs; i++)
		if (strcmp(rt->ifs[i]->name, name) == 0)
			return rt->ifs[i];
	vif = calloc(1, sizeof(*vif));
	if (!vif || ptr_array_push(&rt->ifs, &rt->n_ifs, vif) < 0) {
		free(vif);
		return NULL;
	}
	vif->rt = rt;
	vif->sock.fd = -1;
	vif->sock_ah.fd = -1;
	vif->sock6.fd = -1;
	snprintf(vif->name, sizeof(vif->name), "%s", name);
	if (vrrp_if_refresh(vif) < 0 && !quiet)
		log_warnx("interface %s does not exist (yet)", name);
	return vif;
}

struct vrrp_if *vrrp_if_get(struct vrrp_rt *rt, const char *name)
{
	return if_get(rt, name, false);
}

/* For links keepalived makes itself (vmacs): their absence is no news. */
struct vrrp_if *vrrp_if_get_quiet(struct vrrp_rt *rt, const char *name)
{
	return if_get(rt, name, true);
}

static void close_one(struct vrrp_if *vif, struct vrrp_sock *sock)
{
	if (sock->fd < 0)
		return;
	ev_io_del(vif->rt->loop, sock->fd);
	vrrp_sock_close(sock);
}

static void close_sockets(struct vrrp_if *vif)
{
	close_one(vif, &vif->sock);
	close_one(vif, &vif->sock_ah);
	close_one(vif, &vif->sock6);
}

/* No instance sends here any more (its vmac goes away). */
void vrrp_if_close_sockets(struct vrrp_if *vif)
{
	close_sockets(vif);
	vif->want_socket = vif->want_ah = vif->want_multicast = false;
}

void vrrp_if_free(struct vrrp_if *vif)
{
	close_sockets(vif);
	free(vif);
}

/* RFC 2787 counts TTL, type and length errors per virtual router
 * (vrrpRouterStatsTable): when the packet is long enough to name a VRID,
 * the instance it names counts them too. */
static void count_for_instance(struct vrrp_if *vif, const uint8_t *buf, size_t len,
			       enum vrrp_drop r)
{
	struct vrrp_inst *in;
	size_t ihl;

	if ((r != VRRP_DROP_TTL && r != VRRP_DROP_TYPE && r != VRRP_DROP_LENGTH) || len < 20)
		return;
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	if (ihl < 20 || len < ihl + 2)
		return;
	in = vrrp_inst_by_vrid(vif->rt, vif, buf[ihl + 1]);
	if (in)
		in->drops[r]++;
}

static void dispatch(struct vrrp_if *vif, const uint8_t *buf, size_t len)
{
	struct vrrp_rx rx;
	enum vrrp_drop r = vrrp_parse(buf, len, &rx);
	struct vrrp_inst *in;

	if (r != VRRP_RX_OK) {
		vif->drops[r]++;
		count_for_instance(vif, buf, len, r);
		log_debug("%s: advert dropped (%s)", vif->name, vrrp_drop_name(r));
		return;
	}
	in = vrrp_inst_by_vrid(vif->rt, vif, rx.adv.vrid);
	if (!in) {
		vif->drops[VRRP_DROP_VRID]++;
		log_debug("%s: advert for VRID %u, not ours: dropped", vif->name, rx.adv.vrid);
		return;
	}
	vrrp_inst_receive(in, &rx);
}

static void drop_ah(struct vrrp_inst *in, enum vrrp_drop r, const char *why)
{
	in->drops[r]++;
	log_debug("(%s) AH advert dropped (%s)", in->conf->name, why);
}

/* An AH advert: the VRID travels in clear after the IP and AH headers and
 * names the instance whose password checks the ICV.  Then, as keepalived
 * does, the sequence number must rise before anything else is believed;
 * the unwrapped advert then takes the ordinary path. */
static void dispatch_ah(struct vrrp_if *vif, const uint8_t *buf, size_t len)
{
	size_t vrid_at = VRRP_AH_IP_HDR_LEN + VRRP_AH_HDR_LEN + 1;
	uint8_t plain[VRRP_AH_MAX_PKT];
	struct vrrp_ah_info info;
	enum vrrp_ah_result ar;
	struct vrrp_inst *in;
	struct vrrp_rx rx;
	enum vrrp_drop r;
	size_t n;

	in = len > vrid_at ? vrrp_inst_by_vrid(vif->rt, vif, buf[vrid_at]) : NULL;
	if (!in) {
		vif->drops[len > vrid_at ? VRRP_DROP_VRID : VRRP_DROP_LENGTH]++;
		return;
	}
	if (in->conf->auth_type != VRRP_AUTH_AH)
		return drop_ah(in, VRRP_DROP_AUTH_TYPE, "instance does not use AH");
	ar = vrrp_ah_parse(buf, len, in->conf->auth_pass, &info);
	if (ar != VRRP_AH_OK)
		return drop_ah(in, ar == VRRP_AH_BAD_IP ? VRRP_DROP_IP_HEADER : VRRP_DROP_AUTH,
			       vrrp_ah_result_name(ar));
	if (info.ttl != VRRP_TTL)
		return drop_ah(in, VRRP_DROP_TTL, "ttl");
	if (!vrrp_ah_seq_accept(&in->ah_seq, info.seq))
		return drop_ah(in, VRRP_DROP_AUTH, "sequence number already seen");
	n = vrrp_ah_decap(&info, plain, sizeof(plain));
	r = n ? vrrp_v2_parse(plain, n, &rx) : VRRP_DROP_LENGTH;
	if (r != VRRP_RX_OK)
		return drop_ah(in, r, vrrp_drop_name(r));
	vrrp_inst_receive(in, &rx);
}

/* An IPv6 advert: the kernel has checked the IPv6 header; the socket told
 * us the addresses and the hop limit. */
static void dispatch6(struct vrrp_if *vif, const uint8_t *buf, size_t len,
		      const struct in6_addr *src, const struct in6_addr *dst, int hop_limit)
{
	struct vrrp_rx rx;
	enum vrrp_drop r = vrrp_parse6(buf, len, src, dst, hop_limit, &rx);
	struct vrrp_inst *in;

	if (r != VRRP_RX_OK) {
		vif->drops[r]++;
		/* Per virtual router too, as count_for_instance does. */
		in = len >= 2 ? vif->by_vrid6[buf[1]] : NULL;
		if (in && (r == VRRP_DROP_TTL || r == VRRP_DROP_TYPE || r == VRRP_DROP_LENGTH))
			in->drops[r]++;
		log_debug("%s: IPv6 advert dropped (%s)", vif->name, vrrp_drop_name(r));
		return;
	}
	in = vif->by_vrid6[rx.adv.vrid];
	if (!in) {
		vif->drops[VRRP_DROP_VRID]++;
		log_debug("%s: IPv6 advert for VRID %u, not ours: dropped", vif->name,
			  rx.adv.vrid);
		return;
	}
	vrrp_inst_receive(in, &rx);
}

static void read_socket6(struct vrrp_if *vif)
{
	uint8_t buf[VRRP_V3_MAX_LEN6 + 64];
	struct in6_addr src, dst;
	int hop_limit;

	for (int i = 0; i < RX_BATCH && vif->sock6.fd >= 0; i++) {
		ssize_t n = vrrp_sock6_recv(&vif->sock6, buf, sizeof(buf), &src, &dst, &hop_limit);

		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				log_warn("%s: receiving IPv6 adverts", vif->name);
			return;
		}
		dispatch6(vif, buf, (size_t)n, &src, &dst, hop_limit);
	}
}

static void read_socket(struct vrrp_if *vif, struct vrrp_sock *sock,
			void (*handle)(struct vrrp_if *, const uint8_t *, size_t))
{
	uint8_t buf[2048];

	for (int i = 0; i < RX_BATCH && sock->fd >= 0; i++) {
		ssize_t n = vrrp_sock_recv(sock, buf, sizeof(buf));

		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				log_warn("%s: receiving adverts", vif->name);
			return;
		}
		handle(vif, buf, (size_t)n);
	}
}

static void on_readable(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct vrrp_if *vif = arg;

	(void)loop;
	(void)events;
	if (fd == vif->sock6.fd)
		return read_socket6(vif);
	read_socket(vif, fd == vif->sock_ah.fd ? &vif->sock_ah : &vif->sock,
		    fd == vif->sock_ah.fd ? dispatch_ah : dispatch);
}

/* proto 0: the IPv6 socket. */
static int open_one(struct vrrp_if *vif, struct vrrp_sock *sock, int proto)
{
	bool multicast = proto ? vif->want_multicast : vif->want_multicast6;
	char err[160];
	int r;

	if (sock->fd >= 0 && (sock->multicast || !multicast))
		return 0;
	close_one(vif, sock);
	if (vif->ifindex <= 0)
		return -1;
	r = proto ? vrrp_sock_open(sock, vif->ifindex, vif->name, proto, multicast, err,
				   sizeof(err))
		  : vrrp_sock6_open(sock, vif->ifindex, vif->name, multicast, err, sizeof(err));
	if (r < 0) {
		log_err("%s: %s", vif->name, err);
		return -1;
	}
	if (ev_io_add(vif->rt->loop, sock->fd, EPOLLIN, on_readable, vif) < 0) {
		log_warn("%s: watching the VRRP socket", vif->name);
		vrrp_sock_close(sock);
		return -1;
	}
	return 0;
}

static int open_wanted(struct vrrp_if *vif)
{
	int r = 0;

	if (vif->want_socket && open_one(vif, &vif->sock, IPPROTO_VRRP_NUM) < 0)
		r = -1;
	if (vif->want_ah && open_one(vif, &vif->sock_ah, IPPROTO_AH_NUM) < 0)
		r = -1;
	if (vif->want_socket6 && open_one(vif, &vif->sock6, 0) < 0)
		r = -1;
	return r;
}

/* One socket per interface and protocol serves every instance on it; it
 * joins the VRRP group as soon as one of them uses multicast. */
int vrrp_if_open_socket(struct vrrp_if *vif, bool ah, bool multicast)
{
	vif->want_multicast |= multicast;
	if (ah)
		vif->want_ah = true;
	else
		vif->want_socket = true;
	return open_wanted(vif);
}

int vrrp_if_open_socket6(struct vrrp_if *vif, bool multicast)
{
	vif->want_multicast6 |= multicast;
	vif->want_socket6 = true;
	return open_wanted(vif);
}

static struct vrrp_if *find_by_name(struct vrrp_rt *rt, const char *name)
{
	for (size_t i = 0; i < rt->n_ifs; i++)
		if (strcmp(rt->ifs[i]->name, name) == 0)
			return rt->ifs[i];
	return NULL;
}

static struct vrrp_if *find_by_index(struct vrrp_rt *rt, int ifindex)
{
	for (size_t i = 0; i < rt->n_ifs; i++)
		if (rt->ifs[i]->ifindex == ifindex)
			return rt->ifs[i];
	return NULL;
}

static void on_link(void *arg, const struct nl_link_info *l, bool deleted)
{
	struct vrrp_rt *rt = arg;
	struct vrrp_if *vif = find_by_name(rt, l->name);
	bool was_up;

	if (!vif)
		vif = find_by_index(rt, l->ifindex);	/* renamed away */
	if (!vif)
		return;
	was_up = vif->up;
	if (deleted || strcmp(vif->name, l->name) != 0) {
		forget_link(vif);
		close_sockets(vif);
	} else {
		if (vif->ifindex != l->ifindex) {
			/* Recreated: a new link needs new sockets and group joins. */
			close_sockets(vif);
			vif->ifindex = l->ifindex;
		}
		vif->up = l->admin_up && l->running;
		vif->admin_up = l->admin_up;
		memcpy(vif->mac, l->mac, sizeof(vif->mac));
		refresh_addresses(vif);
		open_wanted(vif);
	}
	if (was_up != vif->up)
		log_info("%s is %s", vif->name, vif->up ? "up" : "down");
	vrrp_vmac_repair_all(rt);
	vrrp_track_update_all(rt);
	/* Routes on a link that was missing or down can be added now. */
	if (vif->up && !was_up)
		vrrp_repair_kick(rt, true);
}

static void on_addr(void *arg, const struct nl_addr_info *a, bool deleted)
{
	struct vrrp_rt *rt = arg;
	struct vrrp_if *vif = find_by_index(rt, a->ifindex);
	struct in_addr before;
	struct in6_addr before6;
	bool had;

	/* The kernel drops the IPv4 routes that used a deleted address
	 * without a word: a repair pass looks at everything we hold. */
	if (deleted)
		vrrp_repair_kick(rt, false);
	if (!vif)
		return;
	if (a->addr.family == AF_INET6) {
		/* Only link-local addresses matter; DAD ending is an event too. */
		if (!IN6_IS_ADDR_LINKLOCAL(&a->addr.u.v6))
			return;
		had = vif->has_linklocal;
		before6 = vif->linklocal;
		refresh_linklocal(vif);
		if (had != vif->has_linklocal ||
		    memcmp(&before6, &vif->linklocal, sizeof(before6)) != 0)
			vrrp_track_update_all(rt);
		return;
	}
	if (a->addr.family != AF_INET)
		return;
	had = vif->has_primary;
	before = vif->primary;
	refresh_primary(vif);
	if (had != vif->has_primary || before.s_addr != vif->primary.s_addr)
		vrrp_track_update_all(rt);
}

static void on_resync(void *arg)
{
	log_warnx("netlink events were lost: re-reading links and addresses");
	vrrp_repair_kick(arg, true);
}

const struct nl_route_events vrrp_if_events = {
	.link = on_link,
	.addr = on_addr,
	.resync = on_resync,
	.route = vrrp_repair_on_route,
	.rule = vrrp_repair_on_rule,
};
