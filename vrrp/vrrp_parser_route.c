/* Lines of virtual_routes, virtual_rules, static_routes and static_rules,
 * in the words of `ip route add` and `ip rule add`, and the top-level
 * static_ipaddress, static_routes and static_rules blocks.
 *
 * Each line is read word by word: an option word, its value when it takes
 * one.  The options keepalived knows and we do not implement are refused by
 * name ("... is not supported"), so a file never loses a setting silently;
 * a word nobody knows is an unknown option.  The first error ends the line:
 * the words after it would only repeat the confusion. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/rtnetlink.h>

#include "value.h"
#include "vrrp_parser_priv.h"

/* What the line parsers share: the line, where it is, and the family the
 * words seen so far imply (0 while none does). */
struct line_rd {
	struct diags *d;
	const struct conf_node *line;
	const char *where;
	size_t i;			/* next word */
	int family;
	bool inet6;			/* `inet6` given */
	bool scope_set;			/* a route's `scope` given */
};

static const struct conf_word *next_word(struct line_rd *l)
{
	return l->i < l->line->nwords ? &l->line->words[l->i++] : NULL;
}

/* The value of option `opt`, or NULL (reported) at the end of the line. */
static const struct conf_word *value_of(struct line_rd *l, const struct conf_word *opt)
{
	const struct conf_word *v = next_word(l);

	if (!v)
		diag_error(l->d, &opt->pos, "'%s' needs a value", opt->text);
	return v;
}

static bool word_in(const char *w, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(w, list[i]) == 0)
			return true;
	return false;
}

static bool not_supported(struct line_rd *l, const struct conf_word *w)
{
	char shown[DIAG_TEXT_BUF];

	diag_error(l->d, &w->pos, "'%s' is not supported in %s",
		   diag_text(w->text, shown, sizeof(shown)), l->where);
	return false;
}

static bool unknown_option(struct line_rd *l, const struct conf_word *w)
{
	char shown[DIAG_TEXT_BUF];

	diag_error(l->d, &w->pos, "unknown option '%s' in %s",
		   diag_text(w->text, shown, sizeof(shown)), l->where);
	return false;
}

/* The address family `w` implies must match the line's. */
static bool agree_family(struct line_rd *l, const struct conf_word *w, int family)
{
	if (l->family == 0 || l->family == family) {
		l->family = family;
		return true;
	}
	diag_error(l->d, &w->pos, "'%s' mixes IPv4 and IPv6 in one %s line", w->text, l->where);
	return false;
}

static bool read_u32(struct diags *d, const struct conf_word *w, uint32_t *out)
{
	uint64_t v;

	if (!val_uint(d, w, 0, UINT32_MAX, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* A whole-word number in C notation (decimal, 0x hex), as fwmark takes. */
static bool parse_num(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* main, local, default (the names every system has) or 1..2^32-1.  Names
 * from /etc/iproute2/rt_tables are not read: the configuration must mean
 * the same thing wherever the snapshot is parsed. */
static bool read_table(struct line_rd *l, const struct conf_word *w, uint32_t *out)
{
	static const struct { const char *name; uint32_t id; } names[] = {
		{ "main", RT_TABLE_MAIN }, { "local", RT_TABLE_LOCAL },
		{ "default", RT_TABLE_DEFAULT },
	};
	char shown[DIAG_TEXT_BUF];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(w->text, names[i].name) == 0) {
			*out = names[i].id;
			return true;
		}
	if (strspn(w->text, "0123456789") == strlen(w->text) && parse_num(w->text, out) &&
	    *out != 0)
		return true;
	diag_error(l->d, &w->pos, "'%s' is not a valid table (expected main, local, default or "
		   "1 to 4294967295)", diag_text(w->text, shown, sizeof(shown)));
	return false;
}

/* Protocol names iproute2 ships in rt_protos for the values below 19. */
static bool read_proto(struct line_rd *l, const struct conf_word *w, unsigned char *out)
{
	static const struct { const char *name; unsigned char id; } names[] = {
		{ "redirect", RTPROT_REDIRECT }, { "kernel", RTPROT_KERNEL },
		{ "boot", RTPROT_BOOT }, { "static", RTPROT_STATIC }, { "ra", RTPROT_RA },
		{ "dhcp", RTPROT_DHCP }, { "keepalived", RTPROT_KEEPALIVED },
	};
	char shown[DIAG_TEXT_BUF];
	uint64_t v;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(w->text, names[i].name) == 0) {
			*out = names[i].id;
			return true;
		}
	if (w->text[0] >= '0' && w->text[0] <= '9') {
		if (!val_uint(l->d, w, 0, 255, &v))
			return false;
		*out = (unsigned char)v;
		return true;
	}
	diag_error(l->d, &w->pos, "'%s' is not a known protocol (expected redirect, kernel, boot, "
		   "static, ra, dhcp, keepalived or 0 to 255)", diag_text(w->text, shown, sizeof(shown)));
	return false;
}

/* A route or rule prefix: ADDR[/LEN] with no bits set past LEN (the
 * kernel refuses those), or `all`/`default` for the whole family. */
static bool read_prefix(struct line_rd *l, const struct conf_word *w, struct ip_addr *a,
			unsigned *len, bool *whole)
{
	char shown[DIAG_TEXT_BUF];
	size_t bytes;

	*whole = strcmp(w->text, "default") == 0 || strcmp(w->text, "all") == 0;
	if (*whole) {
		memset(a, 0, sizeof(*a));
		*len = 0;
		return true;
	}
	if (!val_prefix(l->d, w, AF_UNSPEC, a, len) || !agree_family(l, w, a->family))
		return false;
	bytes = a->family == AF_INET ? 4 : 16;
	for (size_t bit = *len; bit < bytes * 8; bit++) {
		const uint8_t *p = (const uint8_t *)&a->u;

		if (p[bit / 8] & (0x80 >> (bit % 8))) {
			diag_error(l->d, &w->pos, "'%s' has bits set past its prefix length",
				   diag_text(w->text, shown, sizeof(shown)));
			return false;
		}
	}
	return true;
}

static bool read_addr(struct line_rd *l, const struct conf_word *w, struct ip_addr *a)
{
	return val_ipaddr(l->d, w, AF_UNSPEC, a) && agree_family(l, w, a->family);
}

/* `inet6` and the addresses decide the family; `default` alone is IPv4. */
static bool settle_family(struct line_rd *l)
{
	if (l->inet6 && l->family == AF_INET) {
		diag_error(l->d, &l->line->pos, "'inet6' with IPv4 addresses in %s", l->where);
		return false;
	}
	if (l->family == 0)
		l->family = l->inet6 ? AF_INET6 : AF_INET;
	return true;
}

/* no_track and inet6, which routes and rules share. */
static bool flag_word(struct line_rd *l, const char *o, bool *no_track)
{
	if (strcmp(o, "no_track") == 0)
		*no_track = true;
	else if (strcmp(o, "inet6") == 0)
		l->inet6 = true;
	else
		return false;
	return true;
}

static bool plain_line(struct line_rd *l)
{
	if (!l->line->has_block)
		return true;
	diag_error(l->d, &l->line->block_pos, "unexpected block in %s", l->where);
	return false;
}

/* ---- routes ---- */

/* Options keepalived takes in a route line that we refuse by name. */
static const char *const route_unsupported[] = {
	"or", "nexthop", "onlink", "tos", "dsfield", "mtu", "hoplimit", "advmss", "rtt",
	"rttvar", "reordering", "window", "cwnd", "ssthresh", "lock", "realms", "rto_min",
	"initcwnd", "initrwnd", "features", "quickack", "congctl", "pref", "fastopen_no_cookie",
	"vrf", "append", "encap", "track_group", "ttl-propagate", "expires", "nhid", "from",
	"local", "broadcast", "anycast", "multicast", "throw", "nat", NULL,
};

static bool route_type(const char *w, unsigned char *type)
{
	static const struct { const char *name; unsigned char type; } types[] = {
		{ "unicast", RTN_UNICAST }, { "blackhole", RTN_BLACKHOLE },
		{ "unreachable", RTN_UNREACHABLE }, { "prohibit", RTN_PROHIBIT },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(w, types[i].name) == 0) {
			*type = types[i].type;
			return true;
		}
	return false;
}

/* One option of a route line (w already read); the destination is the
 * word after `to`, or the first word that is no option. */
static bool route_option(struct line_rd *l, const struct conf_word *w, struct route_conf *r,
			 bool *has_dst)
{
	const char *o = w->text;
	const struct conf_word *v;
	bool whole;

	if (flag_word(l, o, &r->no_track))
		return true;
	if (l->i == 1 && route_type(o, &r->type))
		return true;
	if (word_in(o, route_unsupported))
		return not_supported(l, w);
	if (!strcmp(o, "src") || !strcmp(o, "via") || !strcmp(o, "gw") || !strcmp(o, "to") ||
	    !strcmp(o, "dev") || !strcmp(o, "oif") || !strcmp(o, "scope") || !strcmp(o, "table") ||
	    !strcmp(o, "metric") || !strcmp(o, "priority") || !strcmp(o, "preference") ||
	    !strcmp(o, "proto") || !strcmp(o, "protocol")) {
		if (!(v = value_of(l, w)))
			return false;
	} else if (*has_dst) {
		return unknown_option(l, w);
	} else {
		v = w;
		o = "to";
	}
	if (!strcmp(o, "src"))
		return (r->has_src = read_addr(l, v, &r->src));
	if (!strcmp(o, "via") || !strcmp(o, "gw"))
		return (r->has_via = read_addr(l, v, &r->via));
	if (!strcmp(o, "to")) {
		*has_dst = true;
		return read_prefix(l, v, &r->dst, &r->dst_len, &whole);
	}
	if (!strcmp(o, "dev") || !strcmp(o, "oif"))
		return val_ifname(l->d, v, r->dev);
	if (!strcmp(o, "scope"))
		return (l->scope_set = vp_read_scope(l->d, v, &r->scope));
	if (!strcmp(o, "table"))
		return read_table(l, v, &r->table);
	if (!strcmp(o, "proto") || !strcmp(o, "protocol"))
		return read_proto(l, v, &r->proto);
	return read_u32(l->d, v, &r->metric);
}

bool vp_parse_route(struct diags *d, const struct conf_node *line, const char *where,
		    struct route_conf *r)
{
	struct line_rd l = { d, line, where, 0, 0, false, false };
	const struct conf_word *w;
	bool has_dst = false, ok = plain_line(&l);

	memset(r, 0, sizeof(*r));
	r->type = RTN_UNICAST;
	r->table = RT_TABLE_MAIN;
	r->proto = RTPROT_KEEPALIVED;
	while (ok && (w = next_word(&l)))
		ok = route_option(&l, w, r, &has_dst);
	if (!ok)
		return false;
	if (!has_dst) {
		diag_error(d, &line->pos, "no destination in %s line", where);
		return false;
	}
	if (!settle_family(&l))
		return false;
	r->family = r->dst.family = l.family;
	if (r->type == RTN_UNICAST && !r->has_via && !r->dev[0]) {
		diag_error(d, &line->pos, "a route in %s needs 'via' or 'dev'", where);
		return false;
	}
	if (r->type != RTN_UNICAST && r->has_via) {
		diag_error(d, &line->pos, "'via' in a %s route of %s", line->words[0].text, where);
		return false;
	}
	/* `ip route add` gives a directly connected route link scope. */
	if (!l.scope_set)
		r->scope = r->type == RTN_UNICAST && !r->has_via ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	return true;
}

/* ---- rules ---- */

static const char *const rule_unsupported[] = {
	"tos", "dsfield", "realms", "goto", "nop", "l3mdev", "uidrange", "protocol", "ip_proto",
	"sport", "dport", "suppress_prefixlength", "suppress_ifgroup", "track_group", "not",
	"type", "nat", "map-to", "blackhole", "unreachable", "prohibit", "unicast", NULL,
};

static bool read_fwmark(struct line_rd *l, const struct conf_word *w, struct rule_conf *r)
{
	char buf[32], *slash, shown[DIAG_TEXT_BUF];

	snprintf(buf, sizeof(buf), "%s", w->text);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	r->fwmask = UINT32_MAX;
	if (strlen(w->text) < sizeof(buf) && parse_num(buf, &r->fwmark) &&
	    (!slash || parse_num(slash, &r->fwmask)))
		return r->has_fwmark = true;
	diag_error(l->d, &w->pos, "'%s' is not a valid fwmark (expected MARK or MARK/MASK, "
		   "decimal or 0x hexadecimal)", diag_text(w->text, shown, sizeof(shown)));
	return false;
}

static bool rule_option(struct line_rd *l, const struct conf_word *w, struct rule_conf *r)
{
	const char *o = w->text;
	const struct conf_word *v;
	bool whole;

	if (flag_word(l, o, &r->no_track))
		return true;
	if (word_in(o, rule_unsupported))
		return not_supported(l, w);
	if (strcmp(o, "from") && strcmp(o, "to") && strcmp(o, "iif") && strcmp(o, "dev") &&
	    strcmp(o, "oif") && strcmp(o, "fwmark") && strcmp(o, "table") && strcmp(o, "lookup") &&
	    strcmp(o, "preference") && strcmp(o, "priority") && strcmp(o, "order"))
		return unknown_option(l, w);
	if (!(v = value_of(l, w)))
		return false;
	if (!strcmp(o, "from") || !strcmp(o, "to")) {
		bool from = o[0] == 'f';

		if (!read_prefix(l, v, from ? &r->from : &r->to, from ? &r->from_len : &r->to_len,
				 &whole))
			return false;
		*(from ? &r->has_from : &r->has_to) = !whole;	/* `all` selects nothing */
		return true;
	}
	if (!strcmp(o, "iif") || !strcmp(o, "dev"))
		return val_ifname(l->d, v, r->iif);
	if (!strcmp(o, "oif"))
		return val_ifname(l->d, v, r->oif);
	if (!strcmp(o, "fwmark"))
		return read_fwmark(l, v, r);
	if (!strcmp(o, "table") || !strcmp(o, "lookup"))
		return read_table(l, v, &r->table);
	return (r->has_priority = read_u32(l->d, v, &r->priority));
}

bool vp_parse_rule(struct diags *d, const struct conf_node *line, const char *where,
		   struct rule_conf *r)
{
	struct line_rd l = { d, line, where, 0, 0, false, false };
	const struct conf_word *w;
	bool ok = plain_line(&l);

	memset(r, 0, sizeof(*r));
	r->table = RT_TABLE_MAIN;
	while (ok && (w = next_word(&l)))
		ok = rule_option(&l, w, r);
	if (!ok || !settle_family(&l))
		return false;
	r->family = r->from.family = r->to.family = l.family;
	return true;
}

/* ---- blocks ---- */

/* A line parser of this file, for any of the line kinds. */
typedef bool line_fn(struct diags *d, const struct conf_node *line, const char *where,
		     void *out);

static bool route_line(struct diags *d, const struct conf_node *line, const char *where,
		       void *out)
{
	return vp_parse_route(d, line, where, out);
}

static bool rule_line(struct diags *d, const struct conf_node *line, const char *where,
		      void *out)
{
	return vp_parse_rule(d, line, where, out);
}

/* Append each good line of n's block to *arr_ptr (elements of `size`). */
static void read_block(struct diags *d, const struct conf_node *n, line_fn *parse,
		       void *arr_ptr, size_t *len, size_t size)
{
	union { struct route_conf route; struct rule_conf rule; } item;
	void *slot;

	for (size_t i = 0; i < n->nchildren; i++) {
		if (!parse(d, &n->children[i], n->words[0].text, &item))
			continue;
		slot = conf_grow(d, &n->children[i].pos, arr_ptr, len, size);
		if (!slot)
			return;
		memcpy(slot, &item, size);
	}
}

void vp_routes_block(struct diags *d, const struct conf_node *n, struct route_conf **arr,
		     size_t *len)
{
	read_block(d, n, route_line, arr, len, sizeof(**arr));
}

void vp_rules_block(struct diags *d, const struct conf_node *n, struct rule_conf **arr,
		    size_t *len)
{
	read_block(d, n, rule_line, arr, len, sizeof(**arr));
}

/* static_ipaddress: the lines of virtual_ipaddress.  keepalived falls back
 * to default_interface (eth0) without `dev`; we have no such keyword, so
 * the interface must be named. */
void vp_kw_static_ipaddress(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_conf *c = obj;

	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *line = &n->children[i];
		struct vip_conf a, *slot;

		if (!vp_parse_vip(d, line, "static_ipaddress", &a))
			continue;
		if (!a.dev[0]) {
			diag_error(d, &line->pos, "static_ipaddress needs 'dev' (default_interface "
				   "is not supported)");
			continue;
		}
		slot = conf_grow(d, &line->pos, &c->static_addrs, &c->n_static_addrs,
				 sizeof(*slot));
		if (!slot)
			return;
		*slot = a;
	}
}

void vp_kw_static_routes(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_conf *c = obj;

	vp_routes_block(d, n, &c->static_routes, &c->n_static_routes);
}

void vp_kw_static_rules(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_conf *c = obj;

	vp_rules_block(d, n, &c->static_rules, &c->n_static_rules);
}
