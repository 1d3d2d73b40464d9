/* Keyword tables of the checker configuration: the checker keywords of
 * global_defs, virtual_server_group and SSL.  virtual_server lives in
 * check_parser_vs.c, its checkers in check_parser_checker.c, the
 * whole-file checks in check_parser_validate.c. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_parser.h"
#include "check_parser_priv.h"
#include "value.h"

/* ---- global_defs ---- */

/* lvs_timeouts [tcp S] [tcpfin S] [udp S]: any of them, each once. */
static void kw_lvs_timeouts(struct diags *d, const struct conf_node *n, void *obj)
{
	static const char *const names[] = { "tcp", "tcpfin", "udp", NULL };
	struct check_globals *g = obj;
	struct lvs_timeouts_conf t = g->timeouts;
	uint32_t *fields[] = { &t.tcp, &t.tcpfin, &t.udp };
	unsigned seen = 0;
	bool ok = true;

	for (size_t i = 1; i < n->nwords; i += 2) {
		const struct conf_word *w = &n->words[i];
		int which;

		if (!val_choice(d, w, names, &which)) {
			ok = false;
			continue;
		}
		if (seen & (1u << which)) {
			diag_error(d, &w->pos, "'%s' is given twice", names[which]);
			ok = false;
		}
		seen |= 1u << which;
		if (i + 1 >= n->nwords) {
			diag_error(d, &w->pos, "'%s' needs a number of seconds", names[which]);
			ok = false;
		} else if (!cp_lvs_seconds(d, &n->words[i + 1], fields[which])) {
			ok = false;
		}
	}
	if (ok)
		g->timeouts = t;
}

static const char *const sync_options[] = { "id", "maxlen", "port", "ttl", "group", NULL };

static int sync_option(const char *word)
{
	for (int i = 0; sync_options[i]; i++)
		if (strcmp(word, sync_options[i]) == 0)
			return i;
	return -1;
}

static bool sync_group_addr(struct diags *d, const struct conf_word *w, struct ip_addr *out)
{
	struct ip_addr a;

	if (!val_ipaddr(d, w, AF_UNSPEC, &a))
		return false;
	if (a.family == AF_INET ? !IN_MULTICAST(ntohl(a.u.v4.s_addr))
				: !IN6_IS_ADDR_MULTICAST(&a.u.v6)) {
		char shown[DIAG_TEXT_BUF];

		diag_error(d, &w->pos, "'%s' is not a multicast address",
			   diag_text(w->text, shown, sizeof(shown)));
		return false;
	}
	*out = a;
	return true;
}

/* The value of option `opt` of lvs_sync_daemon. */
static bool sync_value(struct diags *d, int opt, const struct conf_word *w,
		       struct lvs_sync_daemon_conf *s)
{
	/* UDP payload of one IPv4 datagram at most; TTL one octet. */
	static const uint64_t max[] = { 255, 65507, 65535, 255 };
	static const uint64_t min[] = { 0, 1, 1, 1 };
	uint64_t v;

	if (opt == 4)
		return sync_group_addr(d, w, &s->group);
	if (!val_uint(d, w, min[opt], max[opt], &v))
		return false;
	switch (opt) {
	case 0:
		s->syncid = (uint8_t)v;
		s->has_syncid = true;
		break;
	case 1:
		s->maxlen = (uint16_t)v;
		break;
	case 2:
		s->port = (uint16_t)v;
		break;
	default:
		s->ttl = (uint8_t)v;
		break;
	}
	return true;
}

static bool sync_instance(struct diags *d, const struct conf_word *w,
			  struct lvs_sync_daemon_conf *s)
{
	char *file;

	if (!cp_name(d, w, s->vrrp_instance))
		return false;
	file = w->pos.file ? conf_strdup(d, &w->pos, w->pos.file) : NULL;
	if (w->pos.file && !file)
		return false;
	free(s->vrrp_instance_file);
	s->vrrp_instance_file = file;
	s->vrrp_instance_line = w->pos.line;
	s->vrrp_instance_col = w->pos.col;
	return true;
}

/* lvs_sync_daemon IF [[inst] INSTANCE] [id N] [maxlen N] [port N] [ttl N] [group A] */
static void kw_lvs_sync_daemon(struct diags *d, const struct conf_node *n, void *obj)
{
	struct check_globals *g = obj;
	struct lvs_sync_daemon_conf s;
	unsigned seen = 0;
	bool ok;
	size_t i = 2;

	memset(&s, 0, sizeof(s));
	s.port = CHECK_DEFAULT_SYNC_PORT;
	inet_pton(AF_INET, CHECK_DEFAULT_SYNC_GROUP, &s.group.u.v4);
	s.group.family = AF_INET;
	ok = val_ifname(d, &n->words[1], s.ifname);
	/* The instance may be named without `inst` right after the interface. */
	if (i < n->nwords && sync_option(n->words[i].text) < 0 &&
	    strcmp(n->words[i].text, "inst") != 0)
		ok = sync_instance(d, &n->words[i++], &s) && ok;
	for (; i < n->nwords; i += 2) {
		const struct conf_word *w = &n->words[i];
		bool inst = strcmp(w->text, "inst") == 0;
		int opt = inst ? 5 : sync_option(w->text);

		if (opt < 0) {
			char shown[DIAG_TEXT_BUF];

			diag_error(d, &w->pos, "unexpected '%s' in lvs_sync_daemon (expected inst, "
				   "id, maxlen, port, ttl or group)",
				   diag_text(w->text, shown, sizeof(shown)));
			ok = false;
			break;
		}
		if (seen & (1u << opt)) {
			diag_error(d, &w->pos, "'%s' is given twice", w->text);
			ok = false;
		}
		seen |= 1u << opt;
		if (i + 1 >= n->nwords) {
			diag_error(d, &w->pos, "'%s' needs a value", w->text);
			ok = false;
		} else if (inst ? !sync_instance(d, &n->words[i + 1], &s)
				: !sync_value(d, opt, &n->words[i + 1], &s)) {
			ok = false;
		}
	}
	if (!ok) {
		free(s.vrrp_instance_file);
		return;
	}
	s.enabled = true;
	free(g->sync.vrrp_instance_file);
	g->sync = s;
}

static void kw_lvs_flush(struct diags *d, const struct conf_node *n, void *obj)
{
	(void)obj;
	diag_warn(d, &n->pos, "lvs_flush is ignored: IPVS entries already in the kernel are "
		  "adopted, not flushed (clear them with 'ipvsadm -C' if needed)");
}

/* [VS] only changes how keepalived deletes; ours are removed either way. */
static void kw_lvs_flush_on_stop(struct diags *d, const struct conf_node *n, void *obj)
{
	struct check_globals *g = obj;

	if (n->nwords > 1 && strcmp(n->words[1].text, "VS") != 0) {
		char shown[DIAG_TEXT_BUF];

		diag_error(d, &n->words[1].pos, "unexpected '%s' after lvs_flush_on_stop "
			   "(expected VS or nothing)",
			   diag_text(n->words[1].text, shown, sizeof(shown)));
		return;
	}
	g->lvs_flush_on_stop = true;
	if (n->nwords == 1)
		diag_warn(d, &n->pos, "lvs_flush_on_stop: only the services of this "
			  "configuration are removed on stop; IPVS entries made by others are "
			  "left alone (as with 'lvs_flush_on_stop VS')");
}

const struct keyword check_global_keywords[] = {
	{ "lvs_timeouts", kw_lvs_timeouts, 2, 6, KW_NO_BLOCK },
	{ "lvs_sync_daemon", kw_lvs_sync_daemon, 1, 13, KW_NO_BLOCK },
	{ "lvs_flush", kw_lvs_flush, 0, 0, KW_NO_BLOCK },
	{ "lvs_flush_on_stop", kw_lvs_flush_on_stop, 0, 1, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

/* ---- virtual_server_group ---- */

/* The value of digit `c` in `base` (10 or 16), or -1. */
static int digit_value(int c, int base)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (base == 16 && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (base == 16 && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The end of a range "A-B": B is either a whole address of A's family
 * or, for short, A's last IPv4 octet or last IPv6 group. */
static bool range_end(struct diags *d, const struct conf_word *w, const char *end,
		      struct ip_addr *first, struct ip_addr *last)
{
	bool v4 = first->family == AF_INET;
	char shown[DIAG_TEXT_BUF];
	struct ip_addr a = *first, whole = *first;
	size_t len = strlen(end);
	unsigned v = 0;
	bool digits = len > 0 && len <= (v4 ? 3 : 4);

	if (inet_pton(first->family, end, &whole.u) == 1) {
		*last = whole;
		return true;
	}
	/* decimal for an IPv4 octet, hexadecimal for an IPv6 group */
	for (size_t i = 0; digits && i < len; i++) {
		int dv = digit_value(end[i], v4 ? 10 : 16);

		digits = dv >= 0;
		v = v * (v4 ? 10u : 16u) + (unsigned)(dv >= 0 ? dv : 0);
	}
	if (digits && v <= (v4 ? 255u : 65535u)) {
		if (v4) {
			a.u.v4.s_addr = htonl((ntohl(first->u.v4.s_addr) & ~0xffu) | v);
		} else {
			a.u.v6.s6_addr[14] = (uint8_t)(v >> 8);
			a.u.v6.s6_addr[15] = (uint8_t)v;
		}
		*last = a;
		return true;
	}
	diag_error(d, &w->pos, "'%s' is not a valid address range (like 10.0.0.1-10, "
		   "10.0.0.1-10.0.1.5 or 10.0.0.0/29)", diag_text(w->text, shown, sizeof(shown)));
	return false;
}

/* The number of addresses in [first, last], capped above CP_RANGE_MAX. */
static uint64_t range_size(const struct ip_addr *first, const struct ip_addr *last)
{
	const uint8_t *a = first->family == AF_INET ? (const uint8_t *)&first->u.v4
						    : first->u.v6.s6_addr;
	const uint8_t *b = first->family == AF_INET ? (const uint8_t *)&last->u.v4
						    : last->u.v6.s6_addr;
	size_t len = first->family == AF_INET ? 4 : 16;
	uint64_t diff = 0;

	for (size_t i = 0; i < len; i++) {
		diff = diff * 256 + b[i] - a[i];	/* borrows carry through: b >= a */
		if (diff > CP_RANGE_MAX)
			return CP_RANGE_MAX + 1;
	}
	return diff + 1;
}

/* ADDR, ADDR-END or ADDR/LEN, into [first, last]. */
static bool parse_range(struct diags *d, const struct conf_word *w, struct vsg_entry_conf *e)
{
	char buf[INET6_ADDRSTRLEN + 1], shown[DIAG_TEXT_BUF];
	const char *sep = strpbrk(w->text, "-/");
	struct conf_word addr_w = *w;
	unsigned prefix;

	if (sep && *sep == '/') {
		if (!val_prefix(d, w, AF_UNSPEC, &e->first, &prefix))
			return false;
		e->last = e->first;
		/* first: host bits cleared; last: host bits set */
		unsigned bits = e->first.family == AF_INET ? 32u : 128u;

		for (unsigned bit = prefix; bit < bits; bit++) {
			uint8_t *f = e->first.family == AF_INET ? (uint8_t *)&e->first.u.v4
								: e->first.u.v6.s6_addr;
			uint8_t *l = e->first.family == AF_INET ? (uint8_t *)&e->last.u.v4
								: e->last.u.v6.s6_addr;

			f[bit / 8] &= (uint8_t)~(0x80u >> (bit % 8));
			l[bit / 8] |= (uint8_t)(0x80u >> (bit % 8));
		}
	} else {
		size_t alen = sep ? (size_t)(sep - w->text) : strlen(w->text);

		if (alen >= sizeof(buf)) {
			diag_error(d, &w->pos, "'%s' is not a valid IP address",
				   diag_text(w->text, shown, sizeof(shown)));
			return false;
		}
		memcpy(buf, w->text, alen);
		buf[alen] = '\0';
		addr_w.text = buf;
		if (!val_ipaddr(d, &addr_w, AF_UNSPEC, &e->first))
			return false;
		e->last = e->first;
		if (sep && !range_end(d, w, sep + 1, &e->first, &e->last))
			return false;
	}
	if (cp_addr_cmp(&e->first, &e->last) > 0) {
		diag_error(d, &w->pos, "'%s' is an empty range (it ends before it starts)",
			   diag_text(w->text, shown, sizeof(shown)));
		return false;
	}
	if (range_size(&e->first, &e->last) > CP_RANGE_MAX) {
		diag_error(d, &w->pos, "'%s' is too large a range (at most %u addresses)",
			   diag_text(w->text, shown, sizeof(shown)), CP_RANGE_MAX);
		return false;
	}
	e->family = e->first.family;
	return true;
}

/* One line: RANGE [PORT] or fwmark N [inet|inet6]. */
static bool parse_group_entry(struct diags *d, const struct conf_node *line,
			      struct vsg_entry_conf *e)
{
	static const char *const families[] = { "inet", "inet6", NULL };
	uint64_t mark;
	int fam;

	memset(e, 0, sizeof(*e));
	if (line->has_block) {
		diag_error(d, &line->block_pos, "unexpected block in virtual_server_group");
		return false;
	}
	if (strcmp(line->words[0].text, "fwmark") == 0) {
		e->is_fwmark = true;
		e->family = AF_UNSPEC;
		if (line->nwords < 2 || line->nwords > 3) {
			diag_error(d, &line->pos, "expected 'fwmark N [inet|inet6]'");
			return false;
		}
		if (!val_uint(d, &line->words[1], 1, UINT32_MAX, &mark))
			return false;
		e->fwmark = (uint32_t)mark;
		if (line->nwords == 3) {
			if (!val_choice(d, &line->words[2], families, &fam))
				return false;
			e->family = fam == 0 ? AF_INET : AF_INET6;
		}
		return true;
	}
	if (line->nwords > 2) {
		char shown[DIAG_TEXT_BUF];

		diag_error(d, &line->words[2].pos, "unexpected '%s' in virtual_server_group "
			   "(expected ADDRESS [PORT] or fwmark N)",
			   diag_text(line->words[2].text, shown, sizeof(shown)));
		return false;
	}
	if (!parse_range(d, &line->words[0], e))
		return false;
	return line->nwords < 2 || val_port(d, &line->words[1], &e->port);
}

static void kw_virtual_server_group(struct diags *d, const struct conf_node *n, void *obj)
{
	struct check_conf *c = obj;
	struct vs_group_conf g, *slot;
	size_t count = c->n_groups;
	bool ok;

	memset(&g, 0, sizeof(g));
	ok = cp_name(d, &n->words[1], g.name);
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *line = &n->children[i];
		struct vsg_entry_conf e, *es;

		if (line->nwords == 0 || !parse_group_entry(d, line, &e))
			continue;
		es = conf_grow(d, &line->pos, &g.entries, &g.n_entries, sizeof(*es));
		if (!es)
			break;
		*es = e;
		if (ok)
			cp_add_ref(d, c, CP_REF_GROUP_ENTRY, c->n_groups, g.n_entries - 1, NULL,
				   &line->pos);
	}
	slot = ok ? conf_grow(d, &n->pos, &c->groups, &count, sizeof(*slot)) : NULL;
	if (!slot) {
		free(g.entries);
		return;
	}
	*slot = g;
	c->n_groups = (unsigned)count;
	cp_add_ref(d, c, CP_REF_GROUP, c->n_groups - 1, 0, g.name, &n->words[1].pos);
}

/* ---- SSL { password ca certificate key } ---- */

#define SSL_PATH_MAX	4096

static void kw_ssl_password(struct diags *d, const struct conf_node *n, void *obj)
{
	cp_string(d, &n->words[1], SSL_PATH_MAX, &((struct check_ssl_conf *)obj)->password);
}

/* A file SSL_GET will read: an unreadable one is a configuration error
 * now (and keeps the running configuration on reload) rather than every
 * SSL_GET failing later. */
static void ssl_file(struct diags *d, const struct conf_node *n, char **out)
{
	if (!cp_string(d, &n->words[1], SSL_PATH_MAX, out))
		return;
	if (access(*out, R_OK) < 0)
		diag_error(d, &n->words[1].pos, "%s %s: %s", n->words[0].text, *out,
			   strerror(errno));
}

static void kw_ssl_ca(struct diags *d, const struct conf_node *n, void *obj)
{
	ssl_file(d, n, &((struct check_ssl_conf *)obj)->ca);
}

static void kw_ssl_certificate(struct diags *d, const struct conf_node *n, void *obj)
{
	ssl_file(d, n, &((struct check_ssl_conf *)obj)->certificate);
}

static void kw_ssl_key(struct diags *d, const struct conf_node *n, void *obj)
{
	ssl_file(d, n, &((struct check_ssl_conf *)obj)->key);
}

static const struct keyword ssl_keywords[] = {
	{ "password", kw_ssl_password, 1, 1, KW_NO_BLOCK },
	{ "ca", kw_ssl_ca, 1, 1, KW_NO_BLOCK },
	{ "certificate", kw_ssl_certificate, 1, 1, KW_NO_BLOCK },
	{ "key", kw_ssl_key, 1, 1, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

static void kw_ssl(struct diags *d, const struct conf_node *n, void *obj)
{
	struct check_conf *c = obj;

	kw_dispatch(d, ssl_keywords, "SSL", n->children, n->nchildren, &c->ssl);
	if (c->ssl.key && !c->ssl.certificate)
		diag_error(d, &n->pos, "SSL: key without certificate");
}

const struct keyword check_top_keywords[] = {
	{ "virtual_server", cp_kw_virtual_server, 1, 2, KW_BLOCK },
	{ "virtual_server_group", kw_virtual_server_group, 1, 1, KW_BLOCK },
	{ "SSL", kw_ssl, 0, 0, KW_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};
