/* Interfaces used by VRRP instances: their link state and primary address
 * (kept current from rtnetlink events), and the raw socket each one reads
 * adverts from. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "log.h"
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

int vrrp_if_refresh(struct vrrp_if *vif)
{
	struct nl_link_info l;
	int r = nl_link_by_name(vif->rt->nl, vif->name, &l);

	if (r < 0) {
		vif->ifindex = 0;
		vif->up = false;
		vif->has_primary = false;
		return r;
	}
	vif->ifindex = l.ifindex;
	vif->up = l.admin_up && l.running;
	memcpy(vif->mac, l.mac, sizeof(vif->mac));
	refresh_primary(vif);
	return 0;
}

struct vrrp_if *vrrp_if_get(struct vrrp_rt *rt, const char *name)
{
	struct vrrp_if **grown, *vif;

	for (size_t i = 0; i < rt->n_ifs; i++)
		if (strcmp(rt->ifs[i]->name, name) == 0)
			return rt->ifs[i];
	vif = calloc(1, sizeof(*vif));
	grown = vif ? realloc(rt->ifs, (rt->n_ifs + 1) * sizeof(*grown)) : NULL;
	if (!grown) {
		free(vif);
		return NULL;
	}
	rt->ifs = grown;
	rt->ifs[rt->n_ifs++] = vif;
	vif->rt = rt;
	vif->sock.fd = -1;
	snprintf(vif->name, sizeof(vif->name), "%s", name);
	if (vrrp_if_refresh(vif) < 0)
		log_warnx("interface %s does not exist (yet)", name);
	return vif;
}

static void close_socket(struct vrrp_if *vif)
{
	if (vif->sock.fd < 0)
		return;
	ev_io_del(vif->rt->loop, vif->sock.fd);
	vrrp_sock_close(&vif->sock);
}

void vrrp_if_free(struct vrrp_if *vif)
{
	close_socket(vif);
	free(vif);
}

static void dispatch(struct vrrp_if *vif, const uint8_t *buf, size_t len)
{
	struct vrrp_rx rx;
	enum vrrp_drop r = vrrp_v2_parse(buf, len, &rx);
	struct vrrp_inst *in;

	if (r != VRRP_RX_OK) {
		vif->drops[r]++;
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

static void on_readable(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct vrrp_if *vif = arg;
	uint8_t buf[2048];

	(void)loop;
	(void)fd;
	(void)events;
	for (int i = 0; i < RX_BATCH && vif->sock.fd >= 0; i++) {
		ssize_t n = vrrp_sock_recv(&vif->sock, buf, sizeof(buf));

		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				log_warn("%s: receiving adverts", vif->name);
			return;
		}
		dispatch(vif, buf, (size_t)n);
	}
}

/* One socket per interface serves every instance on it; it joins the VRRP
 * group as soon as one of them uses multicast. */
int vrrp_if_open_socket(struct vrrp_if *vif, bool multicast)
{
	char err[160];

	vif->want_socket = true;
	vif->want_multicast |= multicast;
	if (vif->sock.fd >= 0 && (vif->sock.multicast || !vif->want_multicast))
		return 0;
	close_socket(vif);
	if (vif->ifindex <= 0)
		return -1;
	if (vrrp_sock_open(&vif->sock, vif->ifindex, vif->name, vif->want_multicast, err,
			   sizeof(err)) < 0) {
		log_err("%s: %s", vif->name, err);
		return -1;
	}
	if (ev_io_add(vif->rt->loop, vif->sock.fd, EPOLLIN, on_readable, vif) < 0) {
		log_warn("%s: watching the VRRP socket", vif->name);
		vrrp_sock_close(&vif->sock);
		return -1;
	}
	return 0;
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
		vif->ifindex = 0;
		vif->up = false;
		vif->has_primary = false;
		close_socket(vif);
	} else {
		if (vif->ifindex != l->ifindex) {
			/* Recreated: a new link needs a new socket and group join. */
			close_socket(vif);
			vif->ifindex = l->ifindex;
		}
		vif->up = l->admin_up && l->running;
		memcpy(vif->mac, l->mac, sizeof(vif->mac));
		refresh_primary(vif);
		if (vif->want_socket && vif->sock.fd < 0)
			vrrp_if_open_socket(vif, vif->want_multicast);
	}
	if (was_up != vif->up)
		log_info("%s is %s", vif->name, vif->up ? "up" : "down");
	vrrp_track_update_all(rt);
}

static void on_addr(void *arg, const struct nl_addr_info *a, bool deleted)
{
	struct vrrp_rt *rt = arg;
	struct vrrp_if *vif = find_by_index(rt, a->ifindex);
	struct in_addr before;
	bool had;

	(void)deleted;
	if (!vif || a->addr.family != AF_INET)
		return;
	had = vif->has_primary;
	before = vif->primary;
	refresh_primary(vif);
	if (had != vif->has_primary || before.s_addr != vif->primary.s_addr)
		vrrp_track_update_all(rt);
}

static void on_resync(void *arg)
{
	(void)arg;
	log_warnx("netlink events were lost: re-reading links and addresses");
}

const struct nl_route_events vrrp_if_events = {
	.link = on_link,
	.addr = on_addr,
	.resync = on_resync,
};
