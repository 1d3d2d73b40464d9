/* The vrrp_instance block.  Everything that concerns one instance alone is
 * checked here, when its block ends, so every message carries the position
 * of the word at fault; checks against other blocks (names, VRIDs) are
 * vrrp_parser_validate.c's.  An instance is IPv4 or IPv6, as its
 * virtual_ipaddress entries say (RFC 5798 section 5.2.9: one family per
 * advert); the addresses it sends from and to must be of that family, and
 * IPv6 means VRRPv3. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "value.h"
#include "vrrp_parser_priv.h"

/* An address as written, for the duplicate checks at the end of the block. */
struct addr_seen {
	struct ip_addr addr;
	const struct conf_word *w;
	size_t order;
	bool dup;
};

struct addr_list {
	struct addr_seen *items;
	size_t len;
};

/* What the end-of-block checks need besides the instance itself: where
 * the keywords they talk about were written. */
struct inst_ctx {
	struct vrrp_conf *c;
	struct vrrp_instance_conf *v;	/* c->instances grows only between blocks */
	const struct conf_word *vrid_w;
	const struct conf_node *nopreempt_n;
	const struct conf_node *preempt_delay_n;
	const struct conf_node *unicast_peer_n;
	const struct conf_node *use_vmac_n, *xmit_base_n;
	const struct conf_word *family_w;	/* first virtual_ipaddress entry */
	const struct conf_word *mcast_src_w, *unicast_src_w;
	const struct conf_word *version_w, *checksum_as_v2_w;
	bool vrid_seen, ifname_seen;	/* given, even if invalid: one error is enough */
	bool too_many_vips;		/* reported once */
	size_t idx;			/* of the instance in c->instances */
	const struct conf_word *advert_int_w;
	struct addr_list vips_seen;	/* both lists: an address is in one of them */
	struct addr_list peers_seen;
};

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

/* ---- virtual_ipaddress and virtual_ipaddress_excluded ---- */

static bool read_scope(struct diags *d, const struct conf_word *w, unsigned char *out)
{
	static const struct { const char *name; unsigned char value; } names[] = {
		{ "global", 0 }, { "site", 200 }, { "link", 253 }, { "host", 254 },
		{ "nowhere", 255 },
	};
	char shown[DIAG_TEXT_BUF];
	uint64_t v;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(w->text, names[i].name) == 0) {
			*out = names[i].value;
			return true;
		}
	}
	if (w->text[0] >= '0' && w->text[0] <= '9') {
		if (!val_uint(d, w, 0, 255, &v))
			return false;
		*out = (unsigned char)v;
		return true;
	}
	diag_error(d, &w->pos, "'%s' is not a valid scope (expected global, site, link, host, "
		   "nowhere or 0 to 255)", diag_text(w->text, shown, sizeof(shown)));
	return false;
}

/* One option word and its value; `seen` catches an option given twice. */
static bool vip_option(struct diags *d, const struct conf_word *opt, const struct conf_word *val,
		       struct vip_conf *vip, unsigned *seen, const char *where)
{
	static const char *const opts[] = { "dev", "brd", "scope", "label", NULL };
	int i;

	for (i = 0; opts[i] && strcmp(opt->text, opts[i]) != 0; i++)
		;
	if (!opts[i]) {
		char shown[DIAG_TEXT_BUF];

		diag_error(d, &opt->pos, "unknown option '%s' in %s",
			   diag_text(opt->text, shown, sizeof(shown)), where);
		return false;
	}
	if (*seen & (1u << i)) {
		diag_error(d, &opt->pos, "'%s' is given twice", opts[i]);
		return false;
	}
	*seen |= 1u << i;
	if (!val) {
		diag_error(d, &opt->pos, "'%s' needs a value", opts[i]);
		return false;
	}
	switch (i) {
	case 0:
		return val_ifname(d, val, vip->dev);
	case 1: {
		struct ip_addr brd;

		if (vip->addr.family != AF_INET) {
			diag_error(d, &opt->pos, "'brd' applies only to IPv4 addresses");
			return false;
		}
		if (!val_ipaddr(d, val, AF_INET, &brd))
			return false;
		vip->brd = brd.u.v4;
		vip->has_brd = true;
		return true;
	}
	case 2:
		return read_scope(d, val, &vip->scope);
	default:
		return val_string(d, val, IF_NAMESIZE - 1, vip->label);
	}
}

/* ADDR[/PREFIX] [dev IF] [brd B] [scope S] [label L] */
static bool parse_vip(struct diags *d, const struct conf_node *line, const char *where,
		      struct vip_conf *vip)
{
	unsigned seen = 0;
	bool ok;

	memset(vip, 0, sizeof(*vip));
	if (line->has_block) {
		diag_error(d, &line->block_pos, "unexpected block in %s", where);
		return false;
	}
	ok = val_prefix(d, &line->words[0], AF_UNSPEC, &vip->addr, &vip->prefix_len);
	for (size_t i = 1; ok && i < line->nwords; i += 2) {
		const struct conf_word *val = i + 1 < line->nwords ? &line->words[i + 1] : NULL;

		ok = vip_option(d, &line->words[i], val, vip, &seen, where);
	}
	return ok;
}

static void note_addr(struct diags *d, struct addr_list *l, const struct conf_word *w,
		      const struct ip_addr *a)
{
	struct addr_seen *e = conf_grow(d, &w->pos, &l->items, &l->len, sizeof(*e));

	if (!e)
		return;
	e->addr = *a;
	e->w = w;
	e->order = l->len - 1;
}

static int addr_cmp(const struct ip_addr *a, const struct ip_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(&a->u, &b->u, a->family == AF_INET ? sizeof(a->u.v4) : sizeof(a->u.v6));
}

static int seen_by_addr(const void *pa, const void *pb)
{
	const struct addr_seen *a = pa, *b = pb;
	int r = addr_cmp(&a->addr, &b->addr);

	return r ? r : a->order < b->order ? -1 : a->order > b->order;
}

static int seen_by_order(const void *pa, const void *pb)
{
	const struct addr_seen *a = pa, *b = pb;

	return a->order < b->order ? -1 : a->order > b->order;
}

/* Sorting finds repeated addresses in O(n log n), however long the list;
 * each repeat after the first is reported, in file order. */
static void report_dup_addrs(struct diags *d, struct addr_list *l, const char *what)
{
	char addr[INET6_ADDRSTRLEN];

	if (!l->len)
		return;
	qsort(l->items, l->len, sizeof(*l->items), seen_by_addr);
	for (size_t i = 1; i < l->len; i++)
		l->items[i].dup = addr_cmp(&l->items[i - 1].addr, &l->items[i].addr) == 0;
	qsort(l->items, l->len, sizeof(*l->items), seen_by_order);
	for (size_t i = 0; i < l->len; i++)
		if (l->items[i].dup)
			diag_error(d, &l->items[i].w->pos, "duplicate %s %s", what,
				   ip_addr_str(&l->items[i].addr, addr, sizeof(addr)));
	free(l->items);
	l->items = NULL;
	l->len = 0;
}

/* Whether `vip` may go into the advert's address list (V2-R12: the count
 * is one octet); reports why not. */
static const char *family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* The first entry sets the instance's family; the others must match. */
static bool advert_family_ok(struct diags *d, struct inst_ctx *x, const struct conf_word *w,
			     const struct vip_conf *vip)
{
	if (!x->family_w) {
		x->family_w = w;
		x->v->family = vip->addr.family;
		/* keepalived says so too: RFC 5798 section 5.2.9 wants the
		 * link-local virtual address first. */
		if (vip->addr.family == AF_INET6 && !IN6_IS_ADDR_LINKLOCAL(&vip->addr.u.v6))
			diag_warn(d, &w->pos, "the first IPv6 virtual address should be "
				  "link-local (RFC 5798 section 5.2.9)");
		return true;
	}
	if (vip->addr.family == x->v->family)
		return true;
	diag_error(d, &w->pos, "%s address in virtual_ipaddress of an %s instance (line %u): "
		   "an advert carries one family; put it in virtual_ipaddress_excluded or "
		   "in another vrrp_instance", family_name(vip->addr.family),
		   family_name(x->v->family), x->family_w->pos.line);
	return false;
}

static bool advert_vip_ok(struct diags *d, struct inst_ctx *x, const struct conf_word *w,
			  const struct vip_conf *vip)
{
	if (!advert_family_ok(d, x, w, vip))
		return false;
	if (x->v->n_vips < VRRP_MAX_VIPS)
		return true;
	if (!x->too_many_vips)
		diag_error(d, &w->pos, "more than %d virtual addresses: a VRRPv2 advert carries "
			   "at most %d (put the others in virtual_ipaddress_excluded)",
			   VRRP_MAX_VIPS, VRRP_MAX_VIPS);
	x->too_many_vips = true;
	return false;
}

static void add_vips(struct diags *d, const struct conf_node *n, struct inst_ctx *x,
		     bool excluded)
{
	const char *where = n->words[0].text;
	struct vrrp_instance_conf *v = x->v;

	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *line = &n->children[i];
		struct vip_conf vip, *slot;

		if (!parse_vip(d, line, where, &vip))
			continue;
		if (!excluded && !advert_vip_ok(d, x, &line->words[0], &vip))
			continue;
		note_addr(d, &x->vips_seen, &line->words[0], &vip.addr);
		slot = excluded ? conf_grow(d, &line->pos, &v->vips_excluded, &v->n_vips_excluded,
					  sizeof(*slot))
				: conf_grow(d, &line->pos, &v->vips, &v->n_vips, sizeof(*slot));
		if (!slot)
			return;
		*slot = vip;
	}
}

static void kw_virtual_ipaddress(struct diags *d, const struct conf_node *n, void *obj)
{
	add_vips(d, n, obj, false);
}

static void kw_virtual_ipaddress_excluded(struct diags *d, const struct conf_node *n, void *obj)
{
	add_vips(d, n, obj, true);
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

/* ---- preemption, addresses, tracking ---- */

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

/* Addresses put in an advert's IP header or sent to: either family here,
 * checked against the instance's when the block ends (check_families). */
static void kw_mcast_src_ip(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	if (val_ipaddr(d, &n->words[1], AF_UNSPEC, &x->v->mcast_src)) {
		x->v->has_mcast_src = true;
		x->mcast_src_w = &n->words[1];
	}
}

static void kw_unicast_src_ip(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	if (val_ipaddr(d, &n->words[1], AF_UNSPEC, &x->v->unicast_src)) {
		x->v->has_unicast_src = true;
		x->unicast_src_w = &n->words[1];
	}
}

static void add_peer(struct diags *d, const struct conf_node *line, struct inst_ctx *x)
{
	struct vrrp_instance_conf *v = x->v;
	struct ip_addr a, *slot;

	if (line->has_block) {
		diag_error(d, &line->block_pos, "unexpected block in unicast_peer");
		return;
	}
	if (line->nwords > 1) {
		char shown[DIAG_TEXT_BUF];

		diag_error(d, &line->words[1].pos, "unexpected '%s' in unicast_peer "
			   "(expected one address per line)",
			   diag_text(line->words[1].text, shown, sizeof(shown)));
		return;
	}
	if (!val_ipaddr(d, &line->words[0], AF_UNSPEC, &a))
		return;
	note_addr(d, &x->peers_seen, &line->words[0], &a);
	slot = conf_grow(d, &line->pos, &v->unicast_peers, &v->n_unicast_peers, sizeof(*slot));
	if (slot)
		*slot = a;
}

static void kw_unicast_peer(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	for (size_t i = 0; i < n->nchildren; i++)
		add_peer(d, &n->children[i], x);
	x->unicast_peer_n = n;
	if (n->nchildren == 0)
		diag_warn(d, &n->pos, "unicast_peer has no address: adverts are multicast");
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
	{ "virtual_ipaddress", kw_virtual_ipaddress, 0, 0, KW_BLOCK },
	{ "virtual_ipaddress_excluded", kw_virtual_ipaddress_excluded, 0, 0, KW_BLOCK },
	{ "virtual_routes", kw_virtual_routes, 0, 0, KW_BLOCK },
	{ "virtual_rules", kw_virtual_rules, 0, 0, KW_BLOCK },
	{ "nopreempt", kw_nopreempt, 0, 0, KW_NO_BLOCK },
	{ "preempt", kw_preempt, 0, 0, KW_NO_BLOCK },
	{ "preempt_delay", kw_preempt_delay, 1, 1, KW_NO_BLOCK },
	{ "mcast_src_ip", kw_mcast_src_ip, 1, 1, KW_NO_BLOCK },
	{ "unicast_src_ip", kw_unicast_src_ip, 1, 1, KW_NO_BLOCK },
	{ "unicast_peer", kw_unicast_peer, 0, 0, KW_BLOCK },
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

static void check_addr_family(struct diags *d, const struct inst_ctx *x,
			      const struct conf_word *w, const struct ip_addr *a, const char *what)
{
	char shown[INET6_ADDRSTRLEN];

	if (w && a->family != x->v->family)
		diag_error(d, &w->pos, "%s %s is %s but vrrp_instance '%s' is %s (its addresses "
			   "must all be of one family)", what, ip_addr_str(a, shown, sizeof(shown)),
			   family_name(a->family), x->v->name, family_name(x->v->family));
}

/* Without virtual_ipaddress the family comes from the first address the
 * instance sends from or to; then everything must agree with it. */
static void check_families(struct diags *d, struct inst_ctx *x)
{
	struct vrrp_instance_conf *v = x->v;

	if (!x->family_w) {
		if (x->unicast_src_w)
			v->family = v->unicast_src.family;
		else if (x->mcast_src_w)
			v->family = v->mcast_src.family;
		else if (v->n_unicast_peers)
			v->family = v->unicast_peers[0].family;
	}
	check_addr_family(d, x, x->mcast_src_w, &v->mcast_src, "mcast_src_ip");
	check_addr_family(d, x, x->unicast_src_w, &v->unicast_src, "unicast_src_ip");
	for (size_t i = 0; i < x->peers_seen.len; i++)
		check_addr_family(d, x, x->peers_seen.items[i].w, &x->peers_seen.items[i].addr,
				  "unicast_peer");
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

	check_families(d, x);
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
	report_dup_addrs(d, &x->vips_seen, "virtual address");
	report_dup_addrs(d, &x->peers_seen, "unicast peer");
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

bool vp_parse_vip(struct diags *d, const struct conf_node *line, const char *where,
		  struct vip_conf *vip)
{
	return parse_vip(d, line, where, vip);
}

bool vp_read_scope(struct diags *d, const struct conf_word *w, unsigned char *out)
{
	return read_scope(d, w, out);
}
