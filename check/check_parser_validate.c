/* The checks that need the whole checker configuration: group names
 * resolved, groups defined twice or never used, what virtual servers using
 * a group require of it (protocol, address families), and the same IPVS
 * service configured twice, directly or through groups.
 *
 * Everything with a position is in the side table (check_parser_priv.h).
 * Services and group lines are compared by sorting address intervals, so
 * a file of N virtual servers and group lines costs O(N log N) however it
 * is written, and ranges are never expanded. */
#include "config.h"

#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check_parser.h"
#include "check_parser_priv.h"

struct name_key {
	const char *name;
	size_t idx;
};

struct vctx {
	struct check_conf *c;
	struct diags *d;
	const struct conf_ref **vs_ref;		/* per virtual server: its header */
	const struct conf_ref **group_ref;	/* per group: its name */
	struct name_key *by_name;		/* groups sorted by name, then index */
	size_t *entry_base;			/* per group: its first line in entry_refs */
	const struct conf_ref **entry_refs;	/* per group line: its position */
	bool *resolved;				/* per virtual server: group has entries */
	bool *used;				/* per group */
	bool *reported;				/* per virtual server: duplicate reported */
};

static struct conf_pos ref_pos(const struct conf_ref *r)
{
	return (struct conf_pos){ r->file, r->line, r->col };
}

/* ---- groups by name ---- */

static int name_key_cmp(const void *pa, const void *pb)
{
	const struct name_key *a = pa, *b = pb;
	int r = strcmp(a->name, b->name);

	return r ? r : a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* The first group named `name`, or -1. */
static long find_group(const struct vctx *v, const char *name)
{
	size_t lo = 0, hi = v->c->n_groups;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(v->by_name[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == v->c->n_groups || strcmp(v->by_name[lo].name, name) != 0)
		return -1;
	return (long)v->by_name[lo].idx;
}

static void check_group_names(struct vctx *v)
{
	struct check_conf *c = v->c;

	for (size_t i = 0; i < c->n_groups; i++)
		v->by_name[i] = (struct name_key){ c->groups[i].name, i };
	qsort(v->by_name, c->n_groups, sizeof(*v->by_name), name_key_cmp);
	for (size_t i = 1; i < c->n_groups; i++) {
		size_t g = v->by_name[i].idx;
		struct conf_pos pos;

		if (strcmp(v->by_name[i - 1].name, v->by_name[i].name) != 0 || !v->group_ref[g])
			continue;
		pos = ref_pos(v->group_ref[g]);
		diag_error(v->d, &pos, "virtual_server_group '%s' is defined twice",
			   c->groups[g].name);
	}
}

static void resolve_group_ref(struct vctx *v, const struct conf_ref *r)
{
	struct conf_pos pos = ref_pos(r);
	long g = find_group(v, r->name);

	if (g < 0) {
		diag_error(v->d, &pos, "no virtual_server_group named '%s'", r->name);
		return;
	}
	v->used[g] = true;
	v->c->virtual_servers[r->a].group = (size_t)g;
	if (v->c->groups[g].n_entries == 0) {
		diag_error(v->d, &pos, "virtual_server_group '%s' is empty", r->name);
		return;
	}
	v->resolved[r->a] = true;
}

/* ---- what a group virtual server needs of its group ---- */

/* Bit 0: the group has IPv4 services, bit 1: IPv6. */
static unsigned group_families(const struct vs_group_conf *g, int vs_family, bool *has_addr)
{
	unsigned mask = 0;

	*has_addr = false;
	for (size_t i = 0; i < g->n_entries; i++) {
		int f = g->entries[i].family ? g->entries[i].family : vs_family;

		mask |= f == AF_INET6 ? 2u : 1u;
		*has_addr = *has_addr || !g->entries[i].is_fwmark;
	}
	return mask;
}

static unsigned family_bit(int family)
{
	return family == AF_INET6 ? 2u : 1u;
}

static void check_member(struct vctx *v, const struct conf_ref *r, const char *what,
			 const struct ip_addr *a, enum lvs_method m, unsigned families)
{
	const struct virtual_server_conf *vs = &v->c->virtual_servers[r->a];
	char addr[INET6_ADDRSTRLEN];
	struct conf_pos pos = ref_pos(r);
	unsigned other = families & ~family_bit(a->family);

	/* IPVS forwards to another address family only through a tunnel. */
	if (!other || m == LVS_TUN)
		return;
	diag_error(v->d, &pos, "%s %s is %s but virtual_server_group '%s' has %s services: "
		   "mixing address families needs lvs_method TUN", what,
		   ip_addr_str(a, addr, sizeof(addr)), cp_family_name(a->family),
		   v->c->groups[vs->group].name, other & 1u ? "IPv4" : "IPv6");
}

static void check_group_member_refs(struct vctx *v, const unsigned *families)
{
	const struct conf_refs *refs = v->c->refs;

	for (size_t i = 0; refs && i < refs->len; i++) {
		const struct conf_ref *r = &refs->items[i];
		const struct virtual_server_conf *vs;
		struct conf_pos pos = ref_pos(r);

		if ((r->kind != CP_REF_RS && r->kind != CP_REF_SORRY &&
		     r->kind != CP_REF_GRANULARITY) ||
		    r->a >= v->c->n_virtual_servers || !v->resolved[r->a])
			continue;
		vs = &v->c->virtual_servers[r->a];
		if (r->kind == CP_REF_RS && r->b < vs->n_real_servers)
			check_member(v, r, "real_server", &vs->real_servers[r->b].addr,
				     vs->real_servers[r->b].method, families[r->a]);
		else if (r->kind == CP_REF_SORRY)
			check_member(v, r, "sorry_server", &vs->sorry.addr, vs->sorry.method,
				     families[r->a]);
		else if (r->kind == CP_REF_GRANULARITY && families[r->a] & ~family_bit((int)r->b))
			diag_error(v->d, &pos, "persistence_granularity of an %s virtual server is "
				   "%s", r->b == AF_INET ? "IPv6" : "IPv4",
				   r->b == AF_INET ? "a prefix length, 1 to 128"
						   : "a netmask, like 255.255.255.0");
	}
}

static void check_group_servers(struct vctx *v)
{
	struct check_conf *c = v->c;
	unsigned *families = calloc(c->n_virtual_servers ? c->n_virtual_servers : 1,
				    sizeof(*families));

	if (!families) {
		diag_error(v->d, NULL, "out of memory");
		return;
	}
	for (size_t i = 0; i < c->n_virtual_servers; i++) {
		struct virtual_server_conf *vs = &c->virtual_servers[i];
		const struct vs_group_conf *g;
		bool has_addr;
		struct conf_pos pos;

		if (vs->kind != VS_GROUP || !v->resolved[i] || !v->vs_ref[i])
			continue;
		g = &c->groups[vs->group];
		families[i] = group_families(g, vs->family, &has_addr);
		/* An address family of its own: the group's first address. */
		for (size_t e = 0; e < g->n_entries; e++) {
			if (!g->entries[e].is_fwmark) {
				vs->family = g->entries[e].family;
				break;
			}
		}
		pos = ref_pos(v->vs_ref[i]);
		if (has_addr && !vs->protocol_set)
			diag_warn(v->d, &pos, "protocol not set: TCP assumed");
		/* IPVS serves all ports of an address only with persistence. */
		for (size_t e = 0; !vs->persistence_timeout && e < g->n_entries; e++) {
			if (g->entries[e].is_fwmark || g->entries[e].port)
				continue;
			diag_warn(v->d, &pos, "a service of all ports needs persistence: "
				  "persistence_timeout %u assumed", CHECK_DEFAULT_PERSISTENCE_S);
			vs->persistence_timeout = CHECK_DEFAULT_PERSISTENCE_S;
		}
	}
	check_group_member_refs(v, families);
	free(families);
}

/* ---- services configured twice ---- */

/* An interval of addresses (or one fwmark, kept in lo.u.v4) of one class;
 * intervals of one class must not overlap. */
struct span {
	size_t group;			/* class: group lines are compared within a group */
	bool fw;
	uint8_t proto;
	int family;
	uint16_t port;
	struct ip_addr lo, hi;
	size_t owner;			/* virtual server or group line */
};

static int span_cmp(const void *pa, const void *pb)
{
	const struct span *a = pa, *b = pb;
	int r;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->fw != b->fw)
		return a->fw ? 1 : -1;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	r = cp_addr_cmp(&a->lo, &b->lo);
	return r ? r : a->owner < b->owner ? -1 : a->owner > b->owner;
}

static bool same_class(const struct span *a, const struct span *b)
{
	return a->group == b->group && a->fw == b->fw && a->proto == b->proto &&
	       a->family == b->family && a->port == b->port;
}

/* "TCP 10.0.0.1 port 80", "fwmark 5 (IPv4)", "10.0.0.1 port 80": what
 * `s` is at address `at`. */
static const char *span_desc(const struct span *s, const struct ip_addr *at, bool proto,
			     char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	int n = 0;

	if (s->fw) {
		uint32_t mark = ntohl(at->u.v4.s_addr);

		if (s->family)
			snprintf(buf, len, "fwmark %u (%s)", mark, cp_family_name(s->family));
		else
			snprintf(buf, len, "fwmark %u", mark);
		return buf;
	}
	if (proto)
		n = snprintf(buf, len, "%s ", check_protocol_name(s->proto));
	if (n < 0 || (size_t)n >= len)
		n = 0;
	if (s->port)
		snprintf(buf + n, len - (size_t)n, "%s port %u",
			 ip_addr_str(at, addr, sizeof(addr)), s->port);
	else
		snprintf(buf + n, len - (size_t)n, "%s (all ports)",
			 ip_addr_str(at, addr, sizeof(addr)));
	return buf;
}

typedef void overlap_fn(struct vctx *v, const struct span *later, const struct span *earlier,
			const struct ip_addr *at);

/* Sort, then sweep each class keeping the interval that reaches furthest:
 * an interval starting before that reach overlaps it. */
static void sweep(struct vctx *v, struct span *s, size_t n, overlap_fn *report)
{
	size_t reach = 0;

	qsort(s, n, sizeof(*s), span_cmp);
	for (size_t i = 1; i < n; i++) {
		if (!same_class(&s[reach], &s[i])) {
			reach = i;
			continue;
		}
		if (cp_addr_cmp(&s[i].lo, &s[reach].hi) <= 0 && s[i].owner != s[reach].owner) {
			const struct span *later = &s[i], *earlier = &s[reach];

			if (later->owner < earlier->owner) {
				later = &s[reach];
				earlier = &s[i];
			}
			report(v, later, earlier, &s[i].lo);
		}
		if (cp_addr_cmp(&s[i].hi, &s[reach].hi) > 0)
			reach = i;
	}
}

static void fw_span(struct span *s, uint32_t mark, int family)
{
	s->fw = true;
	s->family = family;
	s->lo.u.v4.s_addr = htonl(mark);
	s->hi = s->lo;
}

static const struct conf_ref *entry_ref(const struct vctx *v, size_t g, size_t e)
{
	return v->entry_refs[v->entry_base[g] + e];
}

static void report_entry(struct vctx *v, const struct span *later, const struct span *earlier,
			 const struct ip_addr *at)
{
	const struct conf_ref *lr = entry_ref(v, later->group, later->owner);
	const struct conf_ref *er = entry_ref(v, earlier->group, earlier->owner);
	char desc[INET6_ADDRSTRLEN + 64], where[CP_WHERE_BUF];
	struct conf_pos pos;

	if (!lr || !er)
		return;
	pos = ref_pos(lr);
	diag_error(v->d, &pos, "virtual_server_group '%s': %s is already listed at %s",
		   v->c->groups[later->group].name, span_desc(later, at, false, desc, sizeof(desc)),
		   cp_where(er->file, er->line, lr->file, where, sizeof(where)));
}

/* A line repeated within a group, whatever uses the group. */
static void check_group_entries(struct vctx *v, size_t total)
{
	struct check_conf *c = v->c;
	struct span *s = calloc(total ? total : 1, sizeof(*s));
	size_t n = 0;

	if (!s) {
		diag_error(v->d, NULL, "out of memory");
		return;
	}
	for (size_t g = 0; g < c->n_groups; g++) {
		for (size_t e = 0; e < c->groups[g].n_entries; e++) {
			const struct vsg_entry_conf *en = &c->groups[g].entries[e];
			struct span *sp = &s[n++];

			sp->group = g;
			sp->owner = e;
			if (en->is_fwmark) {
				fw_span(sp, en->fwmark, en->family);
				continue;
			}
			sp->family = en->family;
			sp->port = en->port;
			sp->lo = en->first;
			sp->hi = en->last;
		}
	}
	sweep(v, s, n, report_entry);
	free(s);
}

static void report_service(struct vctx *v, const struct span *later, const struct span *earlier,
			   const struct ip_addr *at)
{
	const struct conf_ref *lr = v->vs_ref[later->owner], *er = v->vs_ref[earlier->owner];
	char desc[INET6_ADDRSTRLEN + 64], where[CP_WHERE_BUF];
	struct conf_pos pos;

	if (!lr || !er || v->reported[later->owner])
		return;
	v->reported[later->owner] = true;
	pos = ref_pos(lr);
	diag_error(v->d, &pos, "%s is already served by the virtual_server at %s",
		   span_desc(later, at, true, desc, sizeof(desc)),
		   cp_where(er->file, er->line, lr->file, where, sizeof(where)));
}

/* The spans of virtual server `i` appended to s[*n...]. */
static void vs_spans(const struct vctx *v, size_t i, struct span *s, size_t *n)
{
	const struct virtual_server_conf *vs = &v->c->virtual_servers[i];
	const struct vs_group_conf *g;
	struct span base;

	memset(&base, 0, sizeof(base));
	base.owner = i;
	base.proto = vs->protocol;
	if (vs->kind == VS_FWMARK) {
		base.proto = 0;
		fw_span(&base, vs->fwmark, vs->family);
		s[(*n)++] = base;
		return;
	}
	if (vs->kind == VS_ADDR) {
		base.family = vs->family;
		base.port = vs->port;
		base.lo = base.hi = vs->addr;
		s[(*n)++] = base;
		return;
	}
	if (!v->resolved[i])
		return;
	g = &v->c->groups[vs->group];
	for (size_t e = 0; e < g->n_entries; e++) {
		const struct vsg_entry_conf *en = &g->entries[e];
		struct span sp = base;

		if (en->is_fwmark) {
			sp.proto = 0;
			fw_span(&sp, en->fwmark, en->family ? en->family : vs->family);
		} else {
			sp.family = en->family;
			sp.port = en->port;
			sp.lo = en->first;
			sp.hi = en->last;
		}
		s[(*n)++] = sp;
	}
}

/* One IPVS service (protocol, address, port; or fwmark and family) may
 * belong to one virtual server only. */
static void check_services(struct vctx *v)
{
	struct check_conf *c = v->c;
	size_t total = 0, n = 0;
	struct span *s;

	for (size_t i = 0; i < c->n_virtual_servers; i++) {
		const struct virtual_server_conf *vs = &c->virtual_servers[i];

		if (vs->kind == VS_GROUP && v->resolved[i])
			total += c->groups[vs->group].n_entries;
		else
			total++;
	}
	s = calloc(total ? total : 1, sizeof(*s));
	if (!s) {
		diag_error(v->d, NULL, "out of memory");
		return;
	}
	for (size_t i = 0; i < c->n_virtual_servers; i++)
		vs_spans(v, i, s, &n);
	sweep(v, s, n, report_service);
	free(s);
}

/* ---- putting it together ---- */

/* Index the side table: virtual servers, groups and group lines by
 * number; returns the number of group lines. */
static size_t index_refs(struct vctx *v)
{
	const struct conf_refs *refs = v->c->refs;
	struct check_conf *c = v->c;
	size_t total = 0;

	for (size_t g = 0; g < c->n_groups; g++) {
		v->entry_base[g] = total;
		total += c->groups[g].n_entries;
	}
	v->entry_refs = calloc(total ? total : 1, sizeof(*v->entry_refs));
	if (!v->entry_refs)
		return SIZE_MAX;
	for (size_t i = 0; refs && i < refs->len; i++) {
		const struct conf_ref *r = &refs->items[i];

		if (r->kind == CP_REF_VS && r->a < c->n_virtual_servers)
			v->vs_ref[r->a] = r;
		else if (r->kind == CP_REF_GROUP && r->a < c->n_groups)
			v->group_ref[r->a] = r;
		else if (r->kind == CP_REF_GROUP_ENTRY && r->a < c->n_groups &&
			 r->b < c->groups[r->a].n_entries)
			v->entry_refs[v->entry_base[r->a] + r->b] = r;
	}
	return total;
}

static void warn_unused_groups(struct vctx *v)
{
	for (size_t g = 0; g < v->c->n_groups; g++) {
		struct conf_pos pos;

		/* a group defined twice is reported as such, not as unused */
		if (v->used[g] || !v->group_ref[g] ||
		    find_group(v, v->c->groups[g].name) != (long)g)
			continue;
		pos = ref_pos(v->group_ref[g]);
		diag_warn(v->d, &pos, "virtual_server_group '%s' is not used by any virtual_server",
			  v->c->groups[g].name);
	}
}

static void run_checks(struct vctx *v)
{
	const struct conf_refs *refs = v->c->refs;
	size_t entries = index_refs(v);

	if (entries == SIZE_MAX) {
		diag_error(v->d, NULL, "out of memory");
		return;
	}
	check_group_names(v);
	for (size_t i = 0; refs && i < refs->len; i++)
		if (refs->items[i].kind == CP_REF_VS_GROUP &&
		    refs->items[i].a < v->c->n_virtual_servers)
			resolve_group_ref(v, &refs->items[i]);
	check_group_servers(v);
	warn_unused_groups(v);
	check_group_entries(v, entries);
	check_services(v);
}

void check_conf_validate(struct check_conf *c, struct diags *d)
{
	size_t nv = c->n_virtual_servers ? c->n_virtual_servers : 1;
	size_t ng = c->n_groups ? c->n_groups : 1;
	struct vctx v = { c, d, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };

	v.vs_ref = calloc(nv, sizeof(*v.vs_ref));
	v.group_ref = calloc(ng, sizeof(*v.group_ref));
	v.by_name = calloc(ng, sizeof(*v.by_name));
	v.entry_base = calloc(ng, sizeof(*v.entry_base));
	v.resolved = calloc(nv, sizeof(*v.resolved));
	v.used = calloc(ng, sizeof(*v.used));
	v.reported = calloc(nv, sizeof(*v.reported));
	if (v.vs_ref && v.group_ref && v.by_name && v.entry_base && v.resolved && v.used &&
	    v.reported)
		run_checks(&v);
	else
		diag_error(d, NULL, "out of memory");
	free(v.vs_ref);
	free(v.group_ref);
	free(v.by_name);
	free(v.entry_base);
	free(v.entry_refs);
	free(v.resolved);
	free(v.used);
	free(v.reported);
	cp_refs_free(c);
}
