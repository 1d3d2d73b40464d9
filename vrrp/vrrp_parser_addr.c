/* The addresses of a vrrp_instance block: virtual_ipaddress and
 * virtual_ipaddress_excluded lines, the source addresses and unicast
 * peers, their duplicates, and the one family they must share (RFC 5798
 * section 5.2.9: one family per advert; IPv6 means VRRPv3). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "value.h"
#include "vrrp_parser_inst.h"

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

void vpi_kw_virtual_ipaddress(struct diags *d, const struct conf_node *n, void *obj)
{
	add_vips(d, n, obj, false);
}

void vpi_kw_virtual_ipaddress_excluded(struct diags *d, const struct conf_node *n, void *obj)
{
	add_vips(d, n, obj, true);
}

/* Addresses put in an advert's IP header or sent to: either family here,
 * checked against the instance's when the block ends (check_families). */
void vpi_kw_mcast_src_ip(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	if (val_ipaddr(d, &n->words[1], AF_UNSPEC, &x->v->mcast_src)) {
		x->v->has_mcast_src = true;
		x->mcast_src_w = &n->words[1];
	}
}

void vpi_kw_unicast_src_ip(struct diags *d, const struct conf_node *n, void *obj)
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

void vpi_kw_unicast_peer(struct diags *d, const struct conf_node *n, void *obj)
{
	struct inst_ctx *x = obj;

	for (size_t i = 0; i < n->nchildren; i++)
		add_peer(d, &n->children[i], x);
	x->unicast_peer_n = n;
	if (n->nchildren == 0)
		diag_warn(d, &n->pos, "unicast_peer has no address: adverts are multicast");
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
void vpi_check_families(struct diags *d, struct inst_ctx *x)
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

void vpi_report_dup_addrs(struct diags *d, struct inst_ctx *x)
{
	report_dup_addrs(d, &x->vips_seen, "virtual address");
	report_dup_addrs(d, &x->peers_seen, "unicast peer");
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
