/* The real_server blocks of a virtual server: their keywords, their
 * checkers (read by check_parser_checker.c once the real server's own
 * keywords are known), and the checks among the real servers of one
 * virtual server. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check_parser_priv.h"
#include "value.h"

struct rs_ctx {
	struct cp_vs_ctx *vx;
	struct real_server_conf *rs;
	struct cp_inherit inh;
	char *virtualhost;		/* the real server's own, passed to its checkers */
	const struct conf_word *lthreshold_w;
};

static void kw_weight(struct diags *d, const struct conf_node *n, void *obj)
{
	struct rs_ctx *r = obj;
	uint64_t v;

	if (val_uint(d, &n->words[1], 0, CP_WEIGHT_MAX, &v))
		r->rs->weight = (unsigned)v;
}

static void kw_rs_lvs_method(struct diags *d, const struct conf_node *n, void *obj)
{
	cp_lvs_method(d, n, &((struct rs_ctx *)obj)->rs->method);
}

static void kw_notify_up(struct diags *d, const struct conf_node *n, void *obj)
{
	cp_script(d, n, &((struct rs_ctx *)obj)->rs->notify_up);
}

static void kw_notify_down(struct diags *d, const struct conf_node *n, void *obj)
{
	cp_script(d, n, &((struct rs_ctx *)obj)->rs->notify_down);
}

static void kw_uthreshold(struct diags *d, const struct conf_node *n, void *obj)
{
	struct rs_ctx *r = obj;
	uint64_t v;

	if (val_uint(d, &n->words[1], 0, INT32_MAX, &v))
		r->rs->uthreshold = (unsigned)v;
}

static void kw_lthreshold(struct diags *d, const struct conf_node *n, void *obj)
{
	struct rs_ctx *r = obj;
	uint64_t v;

	if (!val_uint(d, &n->words[1], 0, INT32_MAX, &v))
		return;
	r->rs->lthreshold = (unsigned)v;
	r->lthreshold_w = &n->words[1];
}

static void kw_rs_smtp_alert(struct diags *d, const struct conf_node *n, void *obj)
{
	cp_smtp_alert(d, n, &((struct rs_ctx *)obj)->rs->smtp_alert);
}

static void kw_rs_virtualhost(struct diags *d, const struct conf_node *n, void *obj)
{
	struct rs_ctx *r = obj;

	if (cp_host(d, &n->words[1], &r->virtualhost))
		r->inh.virtualhost = r->virtualhost;
}

static void kw_rs_snmp_name(struct diags *d, const struct conf_node *n, void *obj)
{
	cp_string(d, &n->words[1], CHECK_HOST_MAX, &((struct rs_ctx *)obj)->rs->snmp_name);
	diag_warn(d, &n->pos, "snmp_name of a real_server is not used: the real server table "
		  "of KEEPALIVED-MIB is indexed by address and port");
}

static void kw_rs_inhibit_on_failure(struct diags *d, const struct conf_node *n, void *obj)
{
	conf_opt_bool(d, n, &((struct rs_ctx *)obj)->rs->inhibit_on_failure);
}

static const struct keyword rs_keywords[] = {
	{ "weight", kw_weight, 1, 1, KW_NO_BLOCK },
	{ "lvs_method", kw_rs_lvs_method, 1, 5, KW_NO_BLOCK },
	{ "lb_kind", kw_rs_lvs_method, 1, 5, KW_NO_BLOCK },
	{ "notify_up", kw_notify_up, 1, 3, KW_NO_BLOCK },
	{ "notify_down", kw_notify_down, 1, 3, KW_NO_BLOCK },
	{ "uthreshold", kw_uthreshold, 1, 1, KW_NO_BLOCK },
	{ "lthreshold", kw_lthreshold, 1, 1, KW_NO_BLOCK },
	{ "smtp_alert", kw_rs_smtp_alert, 0, 1, KW_NO_BLOCK },
	{ "virtualhost", kw_rs_virtualhost, 1, 1, KW_NO_BLOCK },
	{ "snmp_name", kw_rs_snmp_name, 1, 1, KW_NO_BLOCK },
	{ "inhibit_on_failure", kw_rs_inhibit_on_failure, 0, 1, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

/* Checks of one real server that need nothing but it and its virtual
 * server (duplicates and families are the virtual server's to check). */
static void finish_rs(struct diags *d, const struct conf_node *n, struct rs_ctx *r)
{
	const struct virtual_server_conf *vs = r->vx->vs;
	const struct real_server_conf *rs = r->rs;

	if (r->lthreshold_w && rs->lthreshold > rs->uthreshold)
		diag_error(d, &r->lthreshold_w->pos, "lthreshold %u is greater than uthreshold "
			   "%u", rs->lthreshold, rs->uthreshold);
	/* DR and TUN deliver the packet as the client sent it. */
	if (rs->method != LVS_NAT && vs->kind == VS_ADDR && vs->port && rs->port != vs->port)
		diag_warn(d, &n->pos, "real_server port %u is not used: %s keeps the packet's "
			  "destination port %u (only NAT can change ports)", rs->port,
			  lvs_method_name(rs->method), vs->port);
}

static void parse_rs_body(struct diags *d, const struct conf_node *n, struct rs_ctx *r)
{
	/* First pass: the real server's own keywords. */
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *st = &n->children[i];

		if (st->nwords == 0 || cp_is_checker(st->words[0].text))
			continue;
		if (kw_try_dispatch(d, rs_keywords, st, r) ||
		    kw_try_dispatch(d, cp_inherit_keywords, st, &r->inh))
			continue;
		kw_unknown(d, st, "real_server");
	}
	cp_inherit_merge(&r->inh, &r->vx->inh);
	r->rs->alpha = r->inh.alpha > 0;
	/* Second pass: the checkers, which see the real server complete. */
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *st = &n->children[i];

		if (st->nwords && cp_is_checker(st->words[0].text))
			cp_parse_checker(d, st, &r->inh, r->rs);
	}
}

void cp_parse_real_server(struct diags *d, const struct conf_node *n, struct cp_vs_ctx *x)
{
	struct virtual_server_conf *vs = x->vs;
	struct real_server_conf rs, *slot;
	struct rs_ctx r;
	const struct conf_node **np;
	bool ok;

	memset(&rs, 0, sizeof(rs));
	rs.weight = 1;
	rs.method = vs->method;
	rs.inhibit_on_failure = vs->inhibit_on_failure;
	rs.port = cp_default_port(vs);
	ok = val_ipaddr(d, &n->words[1], AF_UNSPEC, &rs.addr);
	if (ok && n->nwords > 2)
		ok = val_port(d, &n->words[2], &rs.port);
	/* In a server that is not kept, the checkers are read for their own
	 * errors only: AF_UNSPEC tells them not to check against it. */
	if (!ok || !x->valid)
		rs.addr.family = AF_UNSPEC;
	memset(&r, 0, sizeof(r));
	r.vx = x;
	r.rs = &rs;
	cp_inherit_init(&r.inh);
	/* The block is read even after a bad address, for its own errors. */
	parse_rs_body(d, n, &r);
	free(r.virtualhost);
	if (!ok || !x->valid)
		goto drop;
	finish_rs(d, n, &r);
	/* rs_n[i] is the statement of real_servers[i]: both grow or neither. */
	np = conf_grow(d, &n->pos, &x->rs_n, &x->n_rs_n, sizeof(*np));
	if (!np)
		goto drop;
	slot = conf_grow(d, &n->pos, &vs->real_servers, &vs->n_real_servers, sizeof(*slot));
	if (!slot) {
		x->n_rs_n--;
		goto drop;
	}
	*np = n;
	*slot = rs;
	return;
drop:
	cp_real_server_free(&rs);
}

/* A real server as a sort key: address, port, then file order. */
struct rs_key {
	const struct ip_addr *addr;
	uint16_t port;
	size_t order;
};

static int rs_key_cmp(const void *pa, const void *pb)
{
	const struct rs_key *a = pa, *b = pb;
	int r = cp_addr_cmp(a->addr, b->addr);

	if (r)
		return r;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Sorting finds repeats in O(n log n) however many real servers there
 * are; each repeat is reported at its own statement, in file order. */
void cp_check_duplicate_rs(struct diags *d, const struct cp_vs_ctx *x)
{
	const struct virtual_server_conf *vs = x->vs;
	size_t n = vs->n_real_servers, *first_of;
	char addr[INET6_ADDRSTRLEN], where[CP_WHERE_BUF];
	struct rs_key *keys;

	if (n < 2 || x->n_rs_n != n)
		return;
	keys = malloc(n * sizeof(*keys));
	first_of = malloc(n * sizeof(*first_of));
	if (!keys || !first_of) {
		diag_error(d, &x->n->pos, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		keys[i] = (struct rs_key){ &vs->real_servers[i].addr, vs->real_servers[i].port, i };
		first_of[i] = SIZE_MAX;
	}
	qsort(keys, n, sizeof(*keys), rs_key_cmp);
	for (size_t i = 1, run = 0; i < n; i++) {
		if (cp_addr_cmp(keys[run].addr, keys[i].addr) != 0 ||
		    keys[run].port != keys[i].port)
			run = i;
		else
			first_of[keys[i].order] = keys[run].order;
	}
	for (size_t i = 0; i < n; i++) {
		const struct conf_pos *bp = &x->rs_n[i]->pos, *fp;

		if (first_of[i] == SIZE_MAX)
			continue;
		fp = &x->rs_n[first_of[i]]->pos;
		diag_error(d, bp, "duplicate real_server %s port %u (first at %s)",
			   ip_addr_str(&vs->real_servers[i].addr, addr, sizeof(addr)),
			   vs->real_servers[i].port,
			   cp_where(fp->file, fp->line, bp->file, where, sizeof(where)));
	}
out:
	free(keys);
	free(first_of);
}
