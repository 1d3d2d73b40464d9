/* Virtual addresses of an instance (virtual_ipaddress and
 * virtual_ipaddress_excluded) and the gratuitous ARPs (IPv4) and
 * unsolicited Neighbour Advertisements (IPv6) that announce them.  Both
 * follow the same garp_master_* timing. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "log.h"
#include "vrrp_ndisc.h"
#include "vrrp_rt.h"

void vrrp_addr_req(const struct vip_conf *v, int ifindex, struct nl_addr_req *r)
{
	memset(r, 0, sizeof(*r));
	r->ifindex = ifindex;
	r->addr = v->addr;
	r->prefix_len = v->prefix_len;
	r->has_brd = v->has_brd;
	r->brd = v->brd;
	r->scope = v->scope;
	r->label = v->label[0] ? v->label : NULL;
}

static int vip_request(struct vrrp_inst *in, const struct vip_conf *v, struct nl_addr_req *r)
{
	struct vrrp_if *dev = v->dev[0] ? vrrp_if_get(in->rt, v->dev) : in->vip_if;

	vrrp_addr_req(v, dev && dev->ifindex > 0 ? dev->ifindex : -ENODEV, r);
	return r->ifindex < 0 ? -ENODEV : 0;
}

static const char *vip_str(const struct vip_conf *v, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u", ip_addr_str(&v->addr, a, sizeof(a)), v->prefix_len);
	return buf;
}

/* Adding an address already present is success: after a restart or a
 * reload the address may be ours already, and must not flap. */
static void vip_add(struct vrrp_inst *in, const struct vip_conf *v)
{
	struct nl_addr_req r;
	char shown[INET6_ADDRSTRLEN + 8];
	int e = vip_request(in, v, &r);

	if (e == 0)
		e = nl_addr_add(in->rt->nl, &r);
	if (e < 0 && e != -EEXIST)
		log_err("(%s) cannot add %s: %s", in->conf->name, vip_str(v, shown, sizeof(shown)),
			strerror(-e));
}

static void vip_del(struct vrrp_inst *in, const struct vip_conf *v)
{
	struct nl_addr_req r;
	char shown[INET6_ADDRSTRLEN + 8];
	int e = vip_request(in, v, &r);

	if (e == 0)
		e = nl_addr_del(in->rt->nl, &r);
	if (e < 0 && e != -EADDRNOTAVAIL && e != -ENODEV)
		log_err("(%s) cannot remove %s: %s", in->conf->name,
			vip_str(v, shown, sizeof(shown)), strerror(-e));
}

static void send_garp(struct vrrp_inst *in, const struct vip_conf *v);

/* Both lists, virtual_ipaddress then virtual_ipaddress_excluded, as one. */
static size_t vip_count(const struct vrrp_instance_conf *c)
{
	return c->n_vips + c->n_vips_excluded;
}

static const struct vip_conf *vip_at(const struct vrrp_instance_conf *c, size_t i)
{
	return i < c->n_vips ? &c->vips[i] : &c->vips_excluded[i - c->n_vips];
}

void vrrp_vip_install(struct vrrp_inst *in)
{
	for (size_t i = 0; i < vip_count(in->conf); i++)
		vip_add(in, vip_at(in->conf, i));
	in->vips_installed = true;
}

void vrrp_vip_remove(struct vrrp_inst *in)
{
	for (size_t i = 0; i < vip_count(in->conf); i++)
		vip_del(in, vip_at(in->conf, i));
	in->vips_installed = false;
}

/* An add that succeeds means the address was gone: someone removed it. */
void vrrp_vip_reassert(struct vrrp_inst *in, struct vrrp_tally *t)
{
	char shown[INET6_ADDRSTRLEN + 8];

	for (size_t i = 0; i < vip_count(in->conf); i++) {
		const struct vip_conf *v = vip_at(in->conf, i);
		struct nl_addr_req r;
		int e = vip_request(in, v, &r);

		if (e == 0)
			e = nl_addr_add(in->rt->nl, &r);
		if (e == 0) {
			t->restored++;
			log_warnx("(%s) virtual address %s was removed externally, restored",
				  in->conf->name, vip_str(v, shown, sizeof(shown)));
			send_garp(in, v);
		} else if (e != -EEXIST) {
			t->failed++;
			/* Said once; repair retries with back-off. */
			if (!in->rt->repair.failing)
				log_err("(%s) cannot restore %s: %s (retrying)", in->conf->name,
					vip_str(v, shown, sizeof(shown)), strerror(-e));
		}
	}
}

static bool vip_same(const struct vip_conf *a, const struct vip_conf *b)
{
	return a->addr.family == b->addr.family && a->prefix_len == b->prefix_len &&
	       memcmp(&a->addr.u, &b->addr.u, a->addr.family == AF_INET ? 4 : 16) == 0 &&
	       strcmp(a->dev, b->dev) == 0;
}

static bool vip_in(const struct vip_conf *v, const struct vrrp_instance_conf *c)
{
	for (size_t i = 0; i < vip_count(c); i++)
		if (vip_same(v, vip_at(c, i)))
			return true;
	return false;
}

/* A master whose VIP list changed in a reload: remove what went, add
 * and announce what came, leave the rest untouched (no flap). */
void vrrp_vip_update(struct vrrp_inst *in, const struct vrrp_instance_conf *old)
{
	const struct vrrp_instance_conf *c = in->conf;

	for (size_t i = 0; i < vip_count(old); i++)
		if (!vip_in(vip_at(old, i), c))
			vip_del(in, vip_at(old, i));
	for (size_t i = 0; i < vip_count(c); i++)
		if (!vip_in(vip_at(c, i), old)) {
			vip_add(in, vip_at(c, i));
			send_garp(in, vip_at(c, i));
		}
}

static void send_garp(struct vrrp_inst *in, const struct vip_conf *v)
{
	struct vrrp_if *dev = v->dev[0] ? vrrp_if_get(in->rt, v->dev) : in->vip_if;
	bool v6 = v->addr.family == AF_INET6;
	int r;

	if (!dev || dev->ifindex <= 0 || in->rt->garp.fd < 0)
		return;
	r = v6 ? ndisc_send_na(&in->rt->garp, dev->ifindex, dev->mac, &v->addr.u.v6)
	       : garp_send(&in->rt->garp, dev->ifindex, dev->mac, v->addr.u.v4);
	if (r == 0)
		in->garps_sent++;
	else
		log_debug("(%s) %s on %s failed", in->conf->name,
			  v6 ? "unsolicited neighbour advertisement" : "gratuitous ARP",
			  dev->name);
}

static void garp_burst(struct vrrp_inst *in, unsigned repeat)
{
	for (unsigned n = 0; n < repeat; n++)
		for (size_t i = 0; i < vip_count(in->conf); i++)
			send_garp(in, vip_at(in->conf, i));
}

/* After the first burst: one more after garp_master_delay, then one every
 * garp_master_refresh if set. */
static void garp_due(struct ev_loop *loop, void *arg)
{
	struct vrrp_inst *in = arg;
	const struct vrrp_instance_conf *c = in->conf;

	if (!in->garp_delayed_done) {
		in->garp_delayed_done = true;
		garp_burst(in, c->garp_master_repeat);
	} else {
		garp_burst(in, c->garp_master_refresh_repeat);
	}
	if (c->garp_master_refresh_us)
		ev_timer_arm(loop, &in->garp_timer, c->garp_master_refresh_us);
}

void vrrp_garp_init(struct vrrp_inst *in)
{
	ev_timer_init(&in->garp_timer, garp_due, in);
}

void vrrp_garp_start(struct vrrp_inst *in)
{
	const struct vrrp_instance_conf *c = in->conf;

	garp_burst(in, c->garp_master_repeat);
	in->garp_delayed_done = c->garp_master_delay_us == 0;
	if (!in->garp_delayed_done)
		ev_timer_arm(in->rt->loop, &in->garp_timer, c->garp_master_delay_us);
	else if (c->garp_master_refresh_us)
		ev_timer_arm(in->rt->loop, &in->garp_timer, c->garp_master_refresh_us);
}

void vrrp_garp_stop(struct vrrp_inst *in)
{
	ev_timer_disarm(in->rt->loop, &in->garp_timer);
}
