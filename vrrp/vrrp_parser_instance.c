/* The vrrp_instance block.  Everything that concerns one instance alone is
 * checked here, when its block ends, so every message carries the position
 * of the word at fault; checks against other blocks (names, VRIDs) are
 * vrrp_parser_validate.c's; its addresses, and the family they share, are
 * vrrp_parser_addr.c's.  IPv6 means VRRPv3. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "value.h"
#include "vrrp_parser_inst.h"

static void kw_state(struct diags *d, const struct conf_node *n, void *obj)
{
	static const char *const states[] = { "MASTER", "BACKUP", NULL };
	struct inst_ctx *x = obj;
	int i;

	if (val_choice(d, &n->words[1], states, &i))
		x->v->initial_state = i == 0 ? VRRP_STATE_MASTER : VRRP_STATE_BACKUP;
}

static void kw_interface(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	x->ifname_seen = true;
	val_ifname(d, &n->words[1], x->v->ifname);
}

static void kw_vrid(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;
	uint64_t v;

	x->vrid_seen = true;
	if (!val_uint(d, &n->words[1], 1, 255, &v))
		return;
	x->v->vrid = (uint8_t)v;
	x->vrid_w = &n->words[1];
}

static void kw_priority(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;
	uint64_t v;

	if (!val_uint(d, &n->words[1], 1, 255, &v))
		return;
	x->v->priority = (uint8_t)v;
	/* Whether this node really owns the addresses is for the runtime
	 * to see; the file can only say what 255 claims. */
	if (v == VRRP_PRIO_OWNER)
		diag_warn(d, &n->words[1].pos,
			  "priority 255 means this node owns the virtual addresses");
}

/* The interval as written; whether it fits the instance's VRRP version
 * (whole seconds for v2, 10 ms steps up to 40.95 s for v3) is checked once
 * the version is known (vrrp_parser_validate.c). */
static void kw_advert_int(struct diags *d, const struct conf_node *n, void *obj)
{
	const struct conf_word *w = &n->words[1];
	struct inst_ctx *x = obj;
	uint64_t v;

	if (!val_seconds(d, w, 0, 255 * US_PER_S, &v))
		return;
	x->v->advert_int_us = v;
	x->advert_int_w = w;	/* checked in finish_instance (the last one counts) */
}

/* ---- authentication { auth_type PASS|AH  auth_pass SECRET } ---- */

struct auth_ctx {
	struct vrrp_instance_conf *v;
	bool has_type;
	const struct conf_word *pass_w;
};

static void kw_auth_type(struct diags *d, const struct conf_node *n, void *obj)
{
	static const char *const types[] = { "PASS", "AH", NULL };
	struct auth_ctx *a = obj;
	int i;

	a->has_type = true;
	if (!val_choice(d, &n->words[1], types, &i))
		return;
	a->v->auth_type = i == 1 ? VRRP_AUTH_AH : VRRP_AUTH_PASS;
}

/* The advert has 8 octets for the password; keepalived uses the first 8
 * bytes of a longer one, and so do we, saying so. */
static void kw_auth_pass(struct diags *d, const struct conf_node *n, void *obj)
{
	const struct conf_word *w = &n->words[1];
	struct auth_ctx *a = obj;
	size_t len = strlen(w->text);

	if (len == 0) {
		diag_error(d, &w->pos, "empty value (expected 1 to %d bytes)", VRRP_AUTH_PASS_MAX);
		return;
	}
	if (len > VRRP_AUTH_PASS_MAX) {
		diag_warn(d, &w->pos, "auth_pass is longer than %d bytes: only the first %d are "
			  "used", VRRP_AUTH_PASS_MAX, VRRP_AUTH_PASS_MAX);
		len = VRRP_AUTH_PASS_MAX;
	}
	memset(a->v->auth_pass, 0, sizeof(a->v->auth_pass));
	memcpy(a->v->auth_pass, w->text, len);
	a->pass_w = w;
}

static const struct keyword auth_keywords[] = {
	{ "auth_type", kw_auth_type, 1, 1, KW_NO_BLOCK },
	{ "auth_pass", kw_auth_pass, 1, 1, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

static void kw_authentication(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;
	struct auth_ctx a = { x->v, false, NULL };

	kw_dispatch(d, auth_keywords, "authentication", n->children, n->nchildren, &a);
	vp_add_ref(d, x->c, VRRP_REF_AUTH, x->idx, &n->words[0]);
	if (a.pass_w && !a.has_type)
		diag_error(d, &a.pass_w->pos, "auth_pass without auth_type");
	else if (x->v->auth_type == VRRP_AUTH_PASS && !a.pass_w)
		diag_warn(d, &n->pos, "auth_type PASS without auth_pass: the password is empty");
}

static void kw_virtual_routes(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_instance_conf *v = ((struct inst_ctx *)obj)->v;

	vp_routes_block(d, n, &v->routes, &v->n_routes);
}

static void kw_virtual_rules(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_instance_conf *v = ((struct inst_ctx *)obj)->v;

	vp_rules_block(d, n, &v->rules, &v->n_rules);
}

/* ---- preemption, tracking ---- */

static void kw_nopreempt(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	(void)d;
	x->v->nopreempt = true;
	x->nopreempt_n = n;
}

/* `preempt` is the default; keepalived keeps the keyword for old files. */
static void kw_preempt(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	(void)d;
	(void)n;
	x->v->nopreempt = false;
	x->nopreempt_n = NULL;
}

static void kw_preempt_delay(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	if (val_seconds(d, &n->words[1], 0, 1000 * US_PER_S, &x->v->preempt_delay_us))
		x->preempt_delay_n = n;
}

static void kw_dont_track_primary(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	(void)d;
	(void)n;
	x->v->dont_track_primary = true;
}

static bool if_tracked(const struct vrrp_instance_conf *v, const char *name)
{
	for (size_t i = 0; i < v->n_track_ifs; i++)
		if (strcmp(v->track_ifs[i].ifname, name) == 0)
			return true;
	return false;
}

static void kw_track_interface(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_instance_conf *v = ((struct inst_ctx *)obj)->v;

	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *line = &n->children[i];
		struct track_if_conf t, *slot;

		memset(&t, 0, sizeof(t));
		if (!val_ifname(d, &line->words[0], t.ifname) ||
		    !vp_track_line(d, line, "track_interface", &t.w))
			continue;
		if (v->n_track_ifs >= VRRP_MAX_TRACK) {
			diag_error(d, &line->pos, "more than %d entries in track_interface",
				   VRRP_MAX_TRACK);
			return;
		}
		if (if_tracked(v, t.ifname)) {
			diag_warn(d, &line->pos, "track_interface '%s' is listed twice; "
				  "the first entry is used", t.ifname);
			continue;
		}
		slot = conf_grow(d, &line->pos, &v->track_ifs, &v->n_track_ifs, sizeof(*slot));
		if (!slot)
			return;
		*slot = t;
	}
}

static void kw_track_script(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	vp_track_scripts(d, n, x->c, &x->v->track_scripts, &x->v->n_track_scripts);
}

static void kw_track_file(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	vp_track_refs(d, n, x->c, VRRP_REF_TRACK_FILE, &x->v->track_files, &x->v->n_track_files);
}

static void kw_track_process(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	vp_track_refs(d, n, x->c, VRRP_REF_TRACK_PROCESS, &x->v->track_procs,
		      &x->v->n_track_procs);
}

/* ---- GARP overrides, debug, version ---- */

static void kw_garp_delay(struct diags *d, const struct conf_node *n, void *obj)
{
	vp_garp_delay(d, &n->words[1], &((struct inst_ctx *)obj)->v->garp_master_delay_us);
}

static void kw_garp_repeat(struct diags *d, const struct conf_node *n, void *obj)
{
	vp_garp_repeat(d, &n->words[1], &((struct inst_ctx *)obj)->v->garp_master_repeat);
}

static void kw_garp_refresh(struct diags *d, const struct conf_node *n, void *obj)
{
	vp_garp_delay(d, &n->words[1], &((struct inst_ctx *)obj)->v->garp_master_refresh_us);
}

static void kw_garp_refresh_repeat(struct diags *d, const struct conf_node *n, void *obj)
{
	vp_garp_repeat(d, &n->words[1],
		       &((struct inst_ctx *)obj)->v->garp_master_refresh_repeat);
}

/* debug [LEVEL]: keepalived documents levels 0 to 4 and uses none. */
static void kw_debug(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;
	uint64_t level = 1;

	if (n->nwords > 1 && !val_uint(d, &n->words[1], 0, 4, &level))
		return;
	x->v->debug = level > 0;
}

static void kw_version(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	if (vp_version(d, &n->words[1], &x->v->version))
		x->version_w = &n->words[1];
}

static void kw_v3_checksum_as_v2(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;
	bool on;

	if (conf_opt_bool(d, n, &on)) {
		x->v->v3_checksum_as_v2 = on;
		x->checksum_as_v2_w = &n->words[0];
	}
}

/* Accept Mode (RFC 5798 section 6.1): whether a Master that does not own
 * the addresses takes packets sent to them.  Linux delivers them as soon
 * as the address is configured, which is accept mode, keepalived's default
 * outside vrrp_strict, for VRRPv2 too.  no_accept needs firewall rules
 * dropping that traffic (keepalived adds iptables/nftables rules), which
 * we do not manage: refused rather than silently accepting. */
static void kw_accept(struct diags *d, const struct conf_node *n, void *obj)
{
	(void)d;
	(void)n;
	(void)obj;
}

static void kw_no_accept(struct diags *d, const struct conf_node *n, void *obj)
{
	(void)obj;
	diag_error(d, &n->words[0].pos, "no_accept is not supported: it needs firewall rules "
		   "(iptables/nftables) dropping packets to the virtual addresses, which this "
		   "keepalived does not manage; remove it (accept mode is the default)");
}

/* ---- use_vmac ---- */

/* use_vmac [NAME]: the VIPs live on a macvlan carrying the virtual router
 * MAC (vrrp_vmac.c).  The default name needs the VRID, which may be written
 * later in the block: finish_vmac() fills it in. */
static void kw_use_vmac(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	x->use_vmac_n = n;
	x->v->use_vmac = true;
	if (n->nwords > 1 && !val_ifname(d, &n->words[1], x->v->vmac_name))
		x->v->vmac_name[0] = '\0';
}

static void kw_vmac_xmit_base(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	(void)d;
	x->xmit_base_n = n;
	x->v->vmac_xmit_base = true;
}

static void finish_vmac(struct diags *d, struct inst_ctx *x)
{
	struct vrrp_instance_conf *v = x->v;

	if (!v->use_vmac) {
		if (x->xmit_base_n)
			diag_warn(d, &x->xmit_base_n->pos, "vmac_xmit_base without use_vmac: "
				  "ignored");
		v->vmac_xmit_base = false;
		return;
	}
	if (!v->vmac_name[0] && x->use_vmac_n->nwords > 1)
		return;		/* a name was given and refused */
	if (!v->vmac_name[0])
		vrrp_vmac_default_name(v->family, v->vrid, v->vmac_name);
	if (strcmp(v->vmac_name, v->ifname) == 0) {
		diag_error(d, &x->use_vmac_n->pos, "use_vmac %s: the vmac cannot have the name of "
			   "the interface it is created on", v->vmac_name);
		return;
	}
	/* One vmac per instance: vrrp_parser_validate.c compares them all. */
	conf_refs_add(d, &x->c->refs, VRRP_REF_VMAC, x->idx, 0, v->vmac_name,
		      &x->use_vmac_n->pos);
}

static const struct keyword instance_keywords[] = {
	{ "state", kw_state, 1, 1, KW_NO_BLOCK },
	{ "interface", kw_interface, 1, 1, KW_NO_BLOCK },
	{ "virtual_router_id", kw_vrid, 1, 1, KW_NO_BLOCK },
	{ "priority", kw_priority, 1, 1, KW_NO_BLOCK },
	{ "advert_int", kw_advert_int, 1, 1, KW_NO_BLOCK },
	{ "authentication", kw_authentication, 0, 0, KW_BLOCK },
	{ "virtual_ipaddress", vpi_kw_virtual_ipaddress, 0, 0, KW_BLOCK },
	{ "virtual_ipaddress_excluded", vpi_kw_virtual_ipaddress_excluded, 0, 0, KW_BLOCK },
	{ "virtual_routes", kw_virtual_routes, 0, 0, KW_BLOCK },
	{ "virtual_rules", kw_virtual_rules, 0, 0, KW_BLOCK },
	{ "nopreempt", kw_nopreempt, 0, 0, KW_NO_BLOCK },
	{ "preempt", kw_preempt, 0, 0, KW_NO_BLOCK },
	{ "preempt_delay", kw_preempt_delay, 1, 1, KW_NO_BLOCK },
	{ "mcast_src_ip", vpi_kw_mcast_src_ip, 1, 1, KW_NO_BLOCK },
	{ "unicast_src_ip", vpi_kw_unicast_src_ip, 1, 1, KW_NO_BLOCK },
	{ "unicast_peer", vpi_kw_unicast_peer, 0, 0, KW_BLOCK },
	{ "dont_track_primary", kw_dont_track_primary, 0, 0, KW_NO_BLOCK },
	{ "track_interface", kw_track_interface, 0, 0, KW_BLOCK },
	{ "track_script", kw_track_script, 0, 0, KW_BLOCK },
	{ "track_file", kw_track_file, 0, 0, KW_BLOCK },
	{ "track_process", kw_track_process, 0, 0, KW_BLOCK },
	{ "garp_master_delay", kw_garp_delay, 1, 1, KW_NO_BLOCK },
	{ "garp_master_repeat", kw_garp_repeat, 1, 1, KW_NO_BLOCK },
	{ "garp_master_refresh", kw_garp_refresh, 1, 1, KW_NO_BLOCK },
	{ "garp_master_refresh_repeat", kw_garp_refresh_repeat, 1, 1, KW_NO_BLOCK },
	{ "debug", kw_debug, 0, 1, KW_NO_BLOCK },
	{ "version", kw_version, 1, 1, KW_NO_BLOCK },
	{ "v3_checksum_as_v2", kw_v3_checksum_as_v2, 0, 1, KW_NO_BLOCK },
	{ "use_vmac", kw_use_vmac, 0, 1, KW_NO_BLOCK },
	{ "vmac_xmit_base", kw_vmac_xmit_base, 0, 0, KW_NO_BLOCK },
	{ "accept", kw_accept, 0, 0, KW_NO_BLOCK },
	{ "no_accept", kw_no_accept, 0, 0, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

/* ---- the block as a whole ---- */

/* keepalived ignores nopreempt and preempt_delay with state MASTER: such
 * an instance takes over at start anyway.  Do the same, out loud. */
static void check_preemption(struct diags *d, struct inst_ctx *x)
{
	struct vrrp_instance_conf *v = x->v;

	if (v->initial_state != VRRP_STATE_MASTER)
		return;
	if (v->nopreempt && x->nopreempt_n) {
		diag_warn(d, &x->nopreempt_n->pos, "nopreempt needs state BACKUP; "
			  "nopreempt ignored");
		v->nopreempt = false;
	}
	if (x->preempt_delay_n && v->preempt_delay_us) {
		diag_warn(d, &x->preempt_delay_n->pos, "preempt_delay needs state BACKUP; "
			  "preempt_delay ignored");
		v->preempt_delay_us = 0;
	}
}

/* VRRPv2 has no IPv6 (RFC 3768): keepalived runs IPv6 instances as
 * version 3 whatever it is told; say so when the file asks for 2. */
static void check_ipv6_version(struct diags *d, struct inst_ctx *x)
{
	struct vrrp_instance_conf *v = x->v;

	if (v->family != AF_INET6)
		return;
	if (v->version == 2 && x->version_w) {
		diag_warn(d, &x->version_w->pos, "VRRP version 2 has no IPv6: vrrp_instance '%s' "
			  "uses version 3", v->name);
		v->version = 3;
	}
	if (x->checksum_as_v2_w)
		diag_warn(d, &x->checksum_as_v2_w->pos, "v3_checksum_as_v2 applies to IPv4 "
			  "only: IPv6 checksums always cover the pseudo-header");
}

static void finish_instance(struct diags *d, const struct conf_node *n, struct inst_ctx *x,
			    size_t idx)
{
	struct vrrp_instance_conf *v = x->v;

	vpi_check_families(d, x);
	check_ipv6_version(d, x);

	if (!x->vrid_seen)
		diag_error(d, &n->pos, "vrrp_instance '%s' has no virtual_router_id", v->name);
	if (!x->ifname_seen)
		diag_error(d, &n->pos, "vrrp_instance '%s' has no interface", v->name);
	/* Unique per interface: vrrp_parser_validate.c compares them all. */
	if (x->vrid_w && v->ifname[0])
		vp_add_ref(d, x->c, VRRP_REF_VRID, idx, x->vrid_w);
	if (x->advert_int_w)
		vp_add_ref(d, x->c, VRRP_REF_ADVERT_INT, idx, x->advert_int_w);
	vpi_report_dup_addrs(d, x);
	check_preemption(d, x);
	finish_vmac(d, x);
	if (v->n_vips == 0)
		diag_warn(d, &n->pos, "vrrp_instance '%s' has no virtual_ipaddress", v->name);
	/* keepalived sends from the interface's primary address then. */
	if (v->n_unicast_peers && !v->has_unicast_src)
		diag_warn(d, &x->unicast_peer_n->pos, "unicast_peer without unicast_src_ip: the "
			  "interface's %s address will be used",
			  v->family == AF_INET6 ? "link-local" : "primary");
}

static void instance_defaults(struct vrrp_instance_conf *v, const char *name)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->initial_state = VRRP_STATE_BACKUP;
	v->family = AF_INET;
	v->priority = VRRP_PRIO_DEFAULT;
	v->advert_int_us = US_PER_S;
	v->v3_checksum_as_v2 = VRRP_UNSET;
	v->garp_master_delay_us = VRRP_UNSET_US;
	v->garp_master_repeat = VRRP_UNSET;
	v->garp_master_refresh_us = VRRP_UNSET_US;
	v->garp_master_refresh_repeat = VRRP_UNSET;
	v->sync_group = -1;
}

void vp_kw_vrrp_instance(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_conf *c = obj;
	struct inst_ctx x;
	char name[VRRP_NAME_MAX + 1];

	if (!vp_name(d, &n->words[1], name))
		return;
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.v = conf_grow(d, &n->pos, &c->instances, &c->n_instances, sizeof(*x.v));
	if (!x.v)
		return;
	instance_defaults(x.v, name);
	x.idx = c->n_instances - 1;
	vp_add_ref(d, c, VRRP_REF_INSTANCE, c->n_instances - 1, &n->words[1]);
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *st = &n->children[i];

		if (kw_try_dispatch(d, instance_keywords, st, &x) ||
		    kw_try_dispatch(d, vp_notify_keywords, st, &x.v->notify))
			continue;
		kw_unknown(d, st, "vrrp_instance");
	}
	finish_instance(d, n, &x, c->n_instances - 1);
}
