/* use_vmac: an instance's VIPs live on a macvlan interface of its own whose
 * MAC is the virtual router MAC (00-00-5E-00-01-VRID), so a takeover moves
 * the MAC with the addresses and neighbours need not learn a new one.  The
 * contracts are in vrrp_rt.h; this file owns the macvlan's life and the
 * sysctls that make the pair (parent, vmac) answer ARP correctly.
 *
 * The macvlan is in private mode: a multicast frame whose source MAC is the
 * vmac's own (the other router's adverts, sent from the same virtual MAC)
 * is then delivered to the vmac instead of being dropped as a reflection of
 * our own, as the VEPA and bridge modes would.  The vmac exists in every
 * state, up, without addresses while BACKUP. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_link.h>

#include "if_sysctl.h"
#include "log.h"
#include "nl_link.h"
#include "vrrp_rt.h"

#define VMAC_MODE MACVLAN_MODE_PRIVATE

static int inst_family(const struct vrrp_instance_conf *c)
{
	return c->family;
}

/* Unicast adverts are addressed to the parent's own address and answered
 * to it, so they stay on the parent whatever vmac_xmit_base says.  IPv6
 * adverts leave from the parent's link-local address, which exists on the
 * parent only: the vmac has none (a link-local made from the shared MAC
 * would be the same on every router). */
static bool adverts_on_base(const struct vrrp_instance_conf *c)
{
	return c->vmac_xmit_base || c->n_unicast_peers > 0 || c->family == AF_INET6;
}

bool vrrp_vmac_same(const struct vrrp_instance_conf *a, const struct vrrp_instance_conf *b)
{
	if (a->use_vmac != b->use_vmac)
		return false;
	return !a->use_vmac || (strcmp(a->vmac_name, b->vmac_name) == 0 &&
				adverts_on_base(a) == adverts_on_base(b) &&
				inst_family(a) == inst_family(b));
}

int vrrp_vmac_attach(struct vrrp_inst *in)
{
	const struct vrrp_instance_conf *c = in->conf;

	in->vif = in->vip_if = in->base_if;
	if (!c->use_vmac)
		return 0;
	in->vip_if = vrrp_if_get_quiet(in->rt, c->vmac_name);
	if (!in->vip_if)
		return -1;
	if (!adverts_on_base(c))
		in->vif = in->vip_if;
	return 0;
}

const char *vrrp_vmac_fault(const struct vrrp_inst *in)
{
	if (!in->conf->use_vmac)
		return NULL;
	if (in->vmac_fault[0])
		return in->vmac_fault;
	return in->vip_if->ifindex > 0 ? NULL : "vmac interface missing";
}

/* ---- sysctls -------------------------------------------------------- */

static void set_sysctl(int family, const char *ifname, const char *key, int value)
{
	int r = if_sysctl_set(family, ifname, key, value);

	/* No IPv6 in the kernel: nothing to keep quiet there. */
	if (r < 0 && !(family == AF_INET6 && r == -ENOENT))
		log_warnx("%s: cannot set %s to %d: %s", ifname, key, value, strerror(-r));
}

/* On the vmac:
 * - arp_ignore 1: answer ARP only for addresses on the vmac itself, so a
 *   BACKUP's vmac (no addresses) never answers with the shared MAC;
 * - accept_local 1: a packet from an address this host also holds (a VIP
 *   the other router holds for a moment, too) is not a martian here;
 * - rp_filter 0: adverts arrive on the vmac but the route back to their
 *   source leaves by the parent, which strict reverse-path checks refuse;
 * - IPv6 addr_gen_mode 1 (none): no link-local address, so a BACKUP's vmac
 *   never sends (DAD, router solicitations) from the shared MAC and switches
 *   keep sending its frames to the MASTER; IPv6 adverts use the parent. */
static void vmac_sysctls(const struct vrrp_inst *in)
{
	const char *name = in->vip_if->name;

	set_sysctl(AF_INET, name, "arp_ignore", 1);
	set_sysctl(AF_INET, name, "accept_local", 1);
	set_sysctl(AF_INET, name, "rp_filter", 0);
	set_sysctl(AF_INET6, name, "addr_gen_mode", 1);
}

/* On the parent, arp_ignore 1 and arp_filter 1: it must not answer ARP for
 * the VIPs on its vmacs with its own MAC.  The values from before the
 * first vmac are restored after the last. */
static void base_get(struct vrrp_inst *in)
{
	struct vrrp_if *b = in->base_if;

	if (!in->vmac_counted && b->vmac_children++ == 0)
		b->sysctls_saved =
			if_sysctl_get(AF_INET, b->name, "arp_ignore", &b->saved_arp_ignore) == 0 &&
			if_sysctl_get(AF_INET, b->name, "arp_filter", &b->saved_arp_filter) == 0;
	in->vmac_counted = true;
	set_sysctl(AF_INET, b->name, "arp_ignore", 1);
	set_sysctl(AF_INET, b->name, "arp_filter", 1);
}

static void base_put(struct vrrp_inst *in)
{
	struct vrrp_if *b = in->base_if;

	if (!in->vmac_counted)
		return;
	in->vmac_counted = false;
	if (--b->vmac_children > 0 || !b->sysctls_saved || b->ifindex <= 0)
		return;
	set_sysctl(AF_INET, b->name, "arp_ignore", b->saved_arp_ignore);
	set_sysctl(AF_INET, b->name, "arp_filter", b->saved_arp_filter);
	b->sysctls_saved = false;
}

/* ---- the link ----------------------------------------------------------- */

/* Whether `d` is the macvlan this instance would have made. */
static bool link_is_ours(const struct vrrp_inst *in, const struct nl_link_detail *d)
{
	uint8_t mac[6];

	vrrp_vmac_address(inst_family(in->conf), in->conf->vrid, mac);
	return strcmp(d->kind, "macvlan") == 0 && d->parent == in->base_if->ifindex &&
	       d->macvlan_mode == VMAC_MODE && memcmp(d->mac, mac, 6) == 0;
}

/* Record why the vmac cannot be used; logged once per new reason, since
 * every link event tries again. */
static void vmac_fail(struct vrrp_inst *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void vmac_fail(struct vrrp_inst *in, const char *fmt, ...)
{
	char why[sizeof(in->vmac_fault)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (strcmp(why, in->vmac_fault) != 0)
		log_err("(%s) %s", in->conf->name, why);
	snprintf(in->vmac_fault, sizeof(in->vmac_fault), "%s", why);
}

static int create(struct vrrp_inst *in, struct nl_link_detail *d)
{
	struct nl_route *nl = in->rt->nl;
	const char *name = in->vip_if->name;
	uint8_t mac[6];
	int r;

	vrrp_vmac_address(inst_family(in->conf), in->conf->vrid, mac);
	r = nl_macvlan_add(nl, name, in->base_if->ifindex, mac, VMAC_MODE);
	if (r == 0)
		r = nl_link_detail(nl, name, d);
	if (r < 0) {
		vmac_fail(in, "vmac %s: cannot create it: %s", name, strerror(-r));
		return -1;
	}
	log_info("(%s) vmac %s created on %s, MAC %02x:%02x:%02x:%02x:%02x:%02x",
		 in->conf->name, name, in->base_if->name, mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
	/* Before it goes up, so it never answers or speaks unconfigured. */
	vmac_sysctls(in);
	return 0;
}

void vrrp_vmac_ensure(struct vrrp_inst *in)
{
	const char *name = in->vip_if->name;
	struct nl_link_detail d;
	int r;

	if (!in->conf->use_vmac || in->vmac_released || in->base_if->ifindex <= 0)
		return;
	r = nl_link_detail(in->rt->nl, name, &d);
	if (r == -ENODEV && create(in, &d) < 0)
		return;
	if (r < 0 && r != -ENODEV)
		return vmac_fail(in, "vmac %s: cannot read the link: %s", name,
				 strerror(-r));
	if (!link_is_ours(in, &d))
		return vmac_fail(in, "vmac %s: the interface of that name is not our macvlan "
				 "of %s: left alone", name, in->base_if->name);
	if (r == 0)
		vmac_sysctls(in);	/* a leftover of ours: make sure */
	r = nl_link_set_up(in->rt->nl, d.ifindex, true);
	if (r < 0)
		return vmac_fail(in, "vmac %s: cannot set it up: %s", name, strerror(-r));
	in->vmac_fault[0] = '\0';
	base_get(in);
	/* Its up/down state comes with the link events that follow; judging
	 * the instance and GARPs from the vmac cannot wait for them. */
	in->vip_if->ifindex = d.ifindex;
	memcpy(in->vip_if->mac, d.mac, sizeof(in->vip_if->mac));
}

/* Another instance of the running configuration uses the same vmac: a
 * reload replaced this instance by one that keeps it. */
static bool claimed_by_other(const struct vrrp_inst *in)
{
	const struct vrrp_instance_conf *c = in->conf;

	for (size_t i = 0; i < in->rt->n_insts; i++) {
		const struct vrrp_instance_conf *o = in->rt->insts[i]->conf;

		if (in->rt->insts[i] != in && o->use_vmac && strcmp(o->vmac_name, c->vmac_name) == 0 &&
		    strcmp(o->ifname, c->ifname) == 0 && o->vrid == c->vrid &&
		    inst_family(o) == inst_family(c))
			return true;
	}
	return false;
}

void vrrp_vmac_release(struct vrrp_inst *in)
{
	struct nl_link_detail d;

	if (!in->conf->use_vmac || in->vmac_released)
		return;
	in->vmac_released = true;
	/* The successor, if any, opens its own when it starts. */
	if (in->vif == in->vip_if)
		vrrp_if_close_sockets(in->vip_if);
	if (!claimed_by_other(in) && nl_link_detail(in->rt->nl, in->vip_if->name, &d) == 0 &&
	    link_is_ours(in, &d)) {
		int r = nl_link_del(in->rt->nl, d.ifindex);

		if (r < 0 && r != -ENODEV)
			log_err("(%s) cannot remove vmac %s: %s", in->conf->name, in->vip_if->name,
				strerror(-r));
		else
			log_info("(%s) vmac %s removed", in->conf->name, in->vip_if->name);
	}
	base_put(in);
}

void vrrp_vmac_repair_all(struct vrrp_rt *rt)
{
	if (rt->stopping)
		return;
	for (size_t i = 0; i < rt->n_insts; i++) {
		struct vrrp_inst *in = rt->insts[i];
		const struct vrrp_instance_conf *c = in->conf;
		bool was_gone;

		if (!c->use_vmac || !in->started || in->vmac_released ||
		    in->base_if->ifindex <= 0 ||
		    (in->vip_if->ifindex > 0 && in->vip_if->admin_up))
			continue;
		was_gone = in->vip_if->ifindex <= 0;
		vrrp_vmac_ensure(in);
		vrrp_if_open_socket(in->vif, c->auth_type == VRRP_AUTH_AH,
				    c->n_unicast_peers == 0);
		if (was_gone && in->vip_if->ifindex > 0 && in->sm.state == VRRP_STATE_MASTER) {
			/* Its VIPs went with the old link. */
			log_info("(%s) vmac %s recreated: VIPs added again", c->name, c->vmac_name);
			vrrp_vip_install(in);
			vrrp_garp_start(in);
		}
	}
}
