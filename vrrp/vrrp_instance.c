/* One VRRP instance at run time: the state machine's effects (adverts out,
 * VIPs, notify, sync groups), adverts in, and its timer. */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "vrrp_rt.h"

const char *vrrp_rx_src_str(const struct vrrp_rx *rx, char *buf, size_t len)
{
	const void *a = rx->family == AF_INET6 ? (const void *)&rx->src6 : (const void *)&rx->src;

	if (!inet_ntop(rx->family == AF_INET6 ? AF_INET6 : AF_INET, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static bool is_v6(const struct vrrp_inst *in)
{
	return in->conf->family == AF_INET6;
}

static void fill_advert(const struct vrrp_inst *in, uint8_t priority, struct vrrp_adv *a)
{
	const struct vrrp_instance_conf *c = in->conf;

	memset(a, 0, sizeof(*a));
	a->version = (uint8_t)c->version;
	a->type = 1;
	a->vrid = c->vrid;
	a->priority = priority;
	a->naddr = (uint8_t)(is_v6(in) ? in->n_vips6 : in->n_vips4);
	a->auth_type = (uint8_t)c->auth_type;
	a->adver_int = (uint8_t)c->advert_int_s;
	a->max_adver_int_cs = (uint16_t)(c->advert_int_us / VRRP_CS_US);
	memcpy(a->addrs, in->vips4, in->n_vips4 * sizeof(in->vips4[0]));
	memcpy(a->addrs6, in->vips6, in->n_vips6 * sizeof(in->vips6[0]));
	if (c->auth_type == VRRP_AUTH_PASS)
		memcpy(a->auth_data, c->auth_pass, strnlen(c->auth_pass, VRRP_AUTH_PASS_MAX));
}

static void note_send_result(struct vrrp_inst *in, int r)
{
	if (r < 0 && !in->send_failing)
		log_warn("(%s) cannot send adverts on %s", in->conf->name, in->vif->name);
	else if (r == 0 && in->send_failing)
		log_info("(%s) sending adverts on %s again", in->conf->name, in->vif->name);
	in->send_failing = r < 0;
}

/* With auth_type AH the advert travels inside an AH header whose ICV,
 * keyed by the password, covers it (vrrp_ah.h has the wire format). */
static int send_to(struct vrrp_inst *in, struct in_addr dst, const uint8_t *vrrp, size_t len)
{
	const struct vrrp_instance_conf *c = in->conf;
	struct vrrp_sock *sock = &in->vif->sock_ah;
	uint8_t pkt[VRRP_AH_MAX_PKT];
	size_t n;

	if (c->auth_type != VRRP_AUTH_AH)
		return in->vif->sock.fd < 0 ? -1 : vrrp_sock_send(&in->vif->sock, in->src, dst, vrrp, len);
	if (sock->fd < 0)
		return -1;
	n = vrrp_ah_build(pkt, sizeof(pkt), in->src, dst, vrrp_sock_next_id(sock),
			  vrrp_ah_spi(in->src), vrrp_ah_seq_next(&in->ah_seq), c->auth_pass, vrrp,
			  len);
	return n ? vrrp_sock_send_packet(sock, dst, pkt, n) : -1;
}

/* One advert to `dst`.  A VRRPv3 checksum may cover the destination (the
 * pseudo-header), so v3 adverts are encoded per destination. */
static int send_one(struct vrrp_inst *in, const struct vrrp_adv *a, struct in_addr dst)
{
	const struct vrrp_instance_conf *c = in->conf;
	uint8_t buf[VRRP_V2_MAX_LEN > VRRP_V3_MAX_LEN ? VRRP_V2_MAX_LEN : VRRP_V3_MAX_LEN];
	size_t len;

	if (c->version == 3)
		len = vrrp_v3_encode(a, buf, sizeof(buf), in->src, dst, !c->v3_checksum_as_v2);
	else
		len = vrrp_v2_encode(a, buf, sizeof(buf));
	return len ? send_to(in, dst, buf, len) : -1;
}

/* The IPv6 form: v3 only, pseudo-header always (RFC 5798 section 5.2.8). */
static int send_one6(struct vrrp_inst *in, const struct vrrp_adv *a, const struct in6_addr *dst)
{
	uint8_t buf[VRRP_V3_MAX_LEN6];
	size_t len = vrrp_v3_encode6(a, buf, sizeof(buf), &in->src6, dst);

	if (!len || in->vif->sock6.fd < 0)
		return -1;
	return vrrp_sock6_send(&in->vif->sock6, &in->src6, dst, buf, len);
}

static int send_advert6(struct vrrp_inst *in, const struct vrrp_adv *a)
{
	const struct vrrp_instance_conf *c = in->conf;
	struct in6_addr group;
	int r = 0;

	if (c->n_unicast_peers == 0) {
		inet_pton(AF_INET6, VRRP_MCAST_GROUP6, &group);
		return send_one6(in, a, &group);
	}
	for (size_t i = 0; i < c->n_unicast_peers; i++)
		if (send_one6(in, a, &c->unicast_peers[i].u.v6) < 0)
			r = -1;
	return r;
}

static void send_advert(void *ctx, uint8_t priority)
{
	struct vrrp_inst *in = ctx;
	const struct vrrp_instance_conf *c = in->conf;
	struct vrrp_adv a;
	int r = 0;

	fill_advert(in, priority, &a);
	if (is_v6(in)) {
		note_send_result(in, send_advert6(in, &a));
		return;
	}
	if (c->n_unicast_peers == 0) {
		struct in_addr group = { htonl(VRRP_MCAST_GROUP) };

		r = send_one(in, &a, group);
	}
	for (size_t i = 0; i < c->n_unicast_peers; i++)
		if (send_one(in, &a, c->unicast_peers[i].u.v4) < 0)
			r = -1;
	note_send_result(in, r);
}

static void state_changed(void *ctx, enum vrrp_state from, enum vrrp_state to, const char *reason)
{
	struct vrrp_inst *in = ctx;
	uint64_t decided = monotonic_us();

	log_info("(%s) %s -> %s (%s)", in->conf->name, vrrp_state_name(from),
		 vrrp_state_name(to), reason);
	snprintf(in->last_reason, sizeof(in->last_reason), "%s", reason);
	if (to == VRRP_STATE_MASTER) {
		uint64_t installed;

		vrrp_vip_install(in);
		installed = monotonic_us();
		vrrp_routes_install(in);
		vrrp_garp_start(in);
		/* bench/vrrp_takeover.py reads this: the log's clock only has
		 * milliseconds, the takeover path takes far less. */
		log_debug("(%s) takeover: VIPs added %llu us, gratuitous ARPs sent %llu us "
			  "after the decision", in->conf->name,
			  (unsigned long long)(installed - decided),
			  (unsigned long long)(monotonic_us() - decided));
	} else if (from == VRRP_STATE_MASTER || from == VRRP_STATE_INIT) {
		/* Leaving MASTER, or starting: a VIP left behind by a crash
		 * must go, a Backup does not hold the addresses (V2-R27). */
		vrrp_garp_stop(in);
		vrrp_routes_remove(in);
		vrrp_vip_remove(in);
	}
	vrrp_notify_instance(in, to);
	vrrp_alert_instance(in, from, to, reason);
	vrrp_snmp_instance_state(in, to);
	if (in->rt->hooks.state_changed)
		in->rt->hooks.state_changed(in->rt->hooks.arg, in->conf->name, to);
	vrrp_sync_state_changed(in, to);
}

static const struct vrrp_sm_ops sm_ops = {
	.send_advert = send_advert,
	.state_changed = state_changed,
};

static void on_timer(struct ev_loop *loop, void *arg)
{
	struct vrrp_inst *in = arg;

	(void)loop;
	vrrp_sm_timers(&in->sm, monotonic_us());
	vrrp_inst_sync_timer(in);
}

void vrrp_inst_sync_timer(struct vrrp_inst *in)
{
	uint64_t deadline = vrrp_sm_next_deadline(&in->sm);

	if (deadline == VRRP_NO_DEADLINE)
		ev_timer_disarm(in->rt->loop, &in->timer);
	else
		ev_timer_arm_at(in->rt->loop, &in->timer, deadline);
}

static void load_vips(struct vrrp_inst *in)
{
	const struct vrrp_instance_conf *c = in->conf;

	in->n_vips4 = 0;
	in->n_vips6 = 0;
	for (size_t i = 0; i < c->n_vips && i < VRRP_MAX_VIPS; i++)
		if (c->vips[i].addr.family == AF_INET)
			in->vips4[in->n_vips4++] = c->vips[i].addr.u.v4;
		else
			in->vips6[in->n_vips6++] = c->vips[i].addr.u.v6;
}

static void load_params(struct vrrp_inst *in)
{
	const struct vrrp_instance_conf *c = in->conf;

	in->sm.p.priority = c->priority;
	in->sm.p.adver_int_us = c->advert_int_us;
	in->sm.p.v3 = c->version == 3;
	in->sm.p.preempt = !c->nopreempt;
	in->sm.p.preempt_delay_us = c->preempt_delay_us;
	in->sm.p.start_as_master_wish = c->initial_state == VRRP_STATE_MASTER;
}

struct vrrp_inst *vrrp_inst_new(struct vrrp_rt *rt, const struct vrrp_instance_conf *c)
{
	struct vrrp_inst *in = calloc(1, sizeof(*in));
	struct vrrp_sm_params p = { .priority = c->priority };

	if (!in)
		return NULL;
	in->rt = rt;
	in->conf = c;
	in->group = -1;
	in->base_if = vrrp_if_get(rt, c->ifname);
	if (!in->base_if || vrrp_vmac_attach(in) < 0) {
		free(in);
		return NULL;
	}
	vrrp_sm_init(&in->sm, &p, &sm_ops, in);
	load_params(in);
	load_vips(in);
	ev_timer_init(&in->timer, on_timer, in);
	vrrp_garp_init(in);
	notify_queue_init(&in->nq, rt, c->name);
	return in;
}

struct vrrp_inst *vrrp_inst_by_vrid(struct vrrp_rt *rt, const struct vrrp_if *vif, uint8_t vrid)
{
	(void)rt;
	return vif->by_vrid[vrid];
}

/* IPv4 and IPv6 instances are separate virtual routers, VRIDs included. */
struct vrrp_inst **vrrp_inst_vrid_slot(struct vrrp_inst *in)
{
	return is_v6(in) ? &in->vif->by_vrid6[in->conf->vrid] : &in->vif->by_vrid[in->conf->vrid];
}

static void open_sockets(struct vrrp_inst *in)
{
	const struct vrrp_instance_conf *c = in->conf;

	if (is_v6(in))
		vrrp_if_open_socket6(in->vif, c->n_unicast_peers == 0);
	else
		vrrp_if_open_socket(in->vif, c->auth_type == VRRP_AUTH_AH, c->n_unicast_peers == 0);
}

void vrrp_inst_start(struct vrrp_inst *in)
{
	struct vrrp_inst **slot = vrrp_inst_vrid_slot(in);

	vrrp_vmac_ensure(in);
	if (*slot && *slot != in)
		log_err("(%s) VRID %u is already used on %s", in->conf->name, in->conf->vrid,
			in->vif->name);
	*slot = in;
	open_sockets(in);
	in->started = true;
	vrrp_track_update(in);
	vrrp_sm_start(&in->sm, monotonic_us());
	vrrp_inst_sync_timer(in);
}

/* Reload: keep the running state, take the new parameters. */
void vrrp_inst_adopt_conf(struct vrrp_inst *in, const struct vrrp_instance_conf *c)
{
	const struct vrrp_instance_conf *old = in->conf;

	in->conf = c;
	load_params(in);
	load_vips(in);
	open_sockets(in);
	if (in->sm.state == VRRP_STATE_MASTER) {
		vrrp_vip_update(in, old);
		vrrp_routes_update(in, old);
	}
	vrrp_track_update(in);
	vrrp_inst_sync_timer(in);
}

static bool source_acceptable6(const struct vrrp_inst *in, const struct vrrp_rx *rx)
{
	const struct vrrp_instance_conf *c = in->conf;
	const struct in6_addr *s = &rx->src6;

	if (IN6_IS_ADDR_UNSPECIFIED(s) || IN6_IS_ADDR_MULTICAST(s))
		return false;
	if (memcmp(s, &in->src6, sizeof(*s)) == 0 ||
	    (in->vif->has_linklocal && memcmp(s, &in->vif->linklocal, sizeof(*s)) == 0))
		return false;
	if (c->n_unicast_peers == 0)
		return true;
	for (size_t i = 0; i < c->n_unicast_peers; i++)
		if (memcmp(&c->unicast_peers[i].u.v6, s, sizeof(*s)) == 0)
			return true;
	return false;
}

/* Adverts we must not act on whatever they say: our own, from impossible
 * sources, or (unicast) from a host that is not a configured peer. */
static bool source_acceptable(const struct vrrp_inst *in, const struct vrrp_rx *rx)
{
	const struct vrrp_instance_conf *c = in->conf;
	uint32_t s = ntohl(rx->src.s_addr);

	if (rx->family == AF_INET6)
		return source_acceptable6(in, rx);
	if (s == 0 || IN_MULTICAST(s) || s == INADDR_BROADCAST)
		return false;
	if (rx->src.s_addr == in->src.s_addr ||
	    (in->base_if->has_primary && rx->src.s_addr == in->base_if->primary.s_addr))
		return false;
	if (c->n_unicast_peers == 0)
		return true;
	for (size_t i = 0; i < c->n_unicast_peers; i++)
		if (c->unicast_peers[i].u.v4.s_addr == rx->src.s_addr)
			return true;
	return false;
}

static enum vrrp_drop check_advert(struct vrrp_inst *in, struct vrrp_rx *rx)
{
	struct vrrp_expect e = {
		.auth_type = in->conf->auth_type,
		.auth_pass = in->conf->auth_pass,
		.adver_int = (uint8_t)in->conf->advert_int_s,
		/* RFC 9568 erratum 8298: an owner logs an advert instead of
		 * dropping it, so two routers at 255 still converge. */
		.local_priority = 0,
		.vips = in->vips4,
		.vips6 = in->vips6,
		.n_vips = is_v6(in) ? in->n_vips6 : in->n_vips4,
		.skip_addr_check = in->rt->conf->globals.skip_check_adv_addr,
	};

	if ((rx->family == AF_INET6) != is_v6(in) || !source_acceptable(in, rx))
		return VRRP_DROP_SOURCE;
	if (rx->adv.version != in->conf->version)	/* V2-R43, V3-R17 */
		return VRRP_DROP_VERSION;
	if (rx->adv.version == 3)
		return vrrp_v3_check_instance(rx, &e);
	return vrrp_v2_check_instance(rx, &e);
}

/* VRRPv3: count the checksum form, hand the interval to the state machine
 * and say when the master's interval we follow changes. */
static void receive_v3(struct vrrp_inst *in, const struct vrrp_rx *rx)
{
	uint64_t before = in->sm.master_adver_int_us;
	char src[INET6_ADDRSTRLEN];
	struct ip_addr from = { .family = rx->family };

	if (rx->v3_pseudo_header)
		in->v3_rx_pseudo_header++;
	else
		in->v3_rx_plain++;
	if (rx->family == AF_INET6)
		from.u.v6 = rx->src6;
	else
		from.u.v4 = rx->src;
	vrrp_sm_advert_from(&in->sm, monotonic_us(), &from, rx->adv.priority,
			    (uint64_t)rx->adv.max_adver_int_cs * VRRP_CS_US);
	if (in->sm.master_adver_int_us != before)
		log_info("(%s) master %s advertises every %llu ms: following it", in->conf->name,
			 vrrp_rx_src_str(rx, src, sizeof(src)),
			 (unsigned long long)(in->sm.master_adver_int_us / 1000));
}

void vrrp_inst_receive(struct vrrp_inst *in, struct vrrp_rx *rx)
{
	enum vrrp_drop r = check_advert(in, rx);
	char src[INET6_ADDRSTRLEN];

	if (r != VRRP_RX_OK) {
		in->drops[r]++;
		log_debug("(%s) advert from %s dropped (%s)", in->conf->name,
			  vrrp_rx_src_str(rx, src, sizeof(src)), vrrp_drop_name(r));
		vrrp_snmp_auth_failure(in, rx->src, r);
		return;
	}
	if (rx->addr_list_mismatch && in->addr_list_tolerated++ == 0)
		log_warnx("(%s) the address owner %s advertises other addresses than ours",
			  in->conf->name, vrrp_rx_src_str(rx, src, sizeof(src)));
	if (in->sm.priority == VRRP_PRIO_OWNER && in->owner_conflicts++ == 0)
		log_warnx("(%s) advert from %s although we own the addresses (priority 255)",
			  in->conf->name, vrrp_rx_src_str(rx, src, sizeof(src)));
	if (rx->adv.version == 3)
		receive_v3(in, rx);
	else
		vrrp_sm_advert(&in->sm, monotonic_us(), rx->src, rx->adv.priority);
	vrrp_inst_sync_timer(in);
}

void vrrp_inst_shutdown(struct vrrp_inst *in)
{
	if (in->started)
		vrrp_sm_shutdown(&in->sm, monotonic_us());
	ev_timer_disarm(in->rt->loop, &in->timer);
	vrrp_garp_stop(in);
	if (in->routes_installed)
		vrrp_routes_remove(in);
	if (in->vips_installed)
		vrrp_vip_remove(in);
	vrrp_vmac_release(in);
}

void vrrp_inst_free(struct vrrp_inst *in)
{
	if (!in)
		return;
	ev_timer_disarm(in->rt->loop, &in->timer);
	vrrp_garp_stop(in);
	notify_queue_clear(&in->nq);
	if (*vrrp_inst_vrid_slot(in) == in)
		*vrrp_inst_vrid_slot(in) = NULL;
	free(in);
}
