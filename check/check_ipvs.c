/* The only file of the checker that writes kernel state.  The desired IPVS
 * table is computed from the configuration and the health state (real
 * servers up with their weight, down ones absent or at weight 0 with
 * inhibit_on_failure, the sorry server while quorum is lost), the kernel's
 * table is read, and only the difference is applied.  Services of others
 * are never touched.
 *
 * Reading the kernel's table costs one netlink dump per service (seconds
 * for 10,000 services on a slow machine), so only the periodic pass and
 * the first one read it; a pass triggered by a health change or a reload
 * diffs against what we last programmed (`owned`), which is the kernel's
 * state of our services as long as every operation succeeded.  After a
 * failure, or when the periodic pass finds drift, the next pass reads the
 * kernel again. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "check_rt.h"
#include "heap.h"
#include "log.h"

/* Drift (an entry deleted by hand) is repaired this often even when no
 * health state changes. */
#define RECONCILE_PERIOD_US	(5ull * 1000000)
/* ...or less often when reading the kernel's table is costly: the periodic
 * pass takes at most 1/20 of the time (with 10,000 services a read takes
 * seconds on a slow machine; every 5 s it kept a CPU busy, bench/). */
#define RECONCILE_COST_FACTOR	20

static uint32_t v4_mask(unsigned prefix)
{
	return prefix == 0 || prefix >= 32 ? 0 : ~0u << (32 - prefix);
}

static void fill_service(const struct virtual_server_conf *v, int af, struct ipvs_service *s)
{
	memset(s, 0, sizeof(*s));
	s->af = af;
	snprintf(s->sched, sizeof(s->sched), "%s", v->sched);
	s->flags = v->sched_flags;
	if (v->ops)
		s->flags |= IP_VS_SVC_F_ONEPACKET;
	if (v->persistence_timeout) {
		s->flags |= IP_VS_SVC_F_PERSISTENT;
		s->timeout = v->persistence_timeout;
		s->netmask = af == AF_INET ? v4_mask(v->persistence_granularity)
					   : v->persistence_granularity;
	}
	snprintf(s->pe_name, sizeof(s->pe_name), "%s", v->pe_name);
}

static void fill_dest(const struct ip_addr *a, uint16_t port, enum lvs_method m, int weight,
		      struct ipvs_dest *d)
{
	memset(d, 0, sizeof(*d));
	d->af = a->family;
	d->addr = *a;
	d->port = port;
	d->fwd_method = (uint32_t)m;
	d->weight = weight;
}

/* The destinations of a virtual server, the same for each of its services. */
static int add_dests(const struct vs_rt *vs, struct ipvs_vs *e)
{
	const struct virtual_server_conf *v = vs->conf;
	bool sorry = v->has_sorry_server && !vs->quorum_ok;
	struct ipvs_dest d;
	int r = 0;

	for (size_t i = 0; i < vs->n_rs && r == 0; i++) {
		const struct real_server_conf *rc = vs->rs[i].conf;
		bool up = vs->rs[i].up && !sorry;

		if (!up && !rc->inhibit_on_failure)
			continue;
		fill_dest(&rc->addr, rc->port, rc->method, up ? (int)rs_weight(&vs->rs[i]) : 0, &d);
		d.u_threshold = rc->uthreshold;
		d.l_threshold = rc->lthreshold;
		r = ipvs_vs_add_dest(e, &d);
	}
	if (r == 0 && v->has_sorry_server && (sorry || v->sorry.inhibit)) {
		fill_dest(&v->sorry.addr, v->sorry.port, v->sorry.method, sorry ? 1 : 0, &d);
		r = ipvs_vs_add_dest(e, &d);
	}
	return r == -EEXIST ? 0 : r;	/* a sorry server that is also a real server */
}

static int add_service(struct ipvs_table *t, const struct vs_rt *vs, const struct ipvs_service *s)
{
	struct ipvs_vs *e = ipvs_table_add_service(t, s);

	if (!e)
		return errno == EEXIST ? 0 : -ENOMEM;
	return add_dests(vs, e);
}

static void next_addr(struct ip_addr *a)
{
	if (a->family == AF_INET) {
		a->u.v4.s_addr = htonl(ntohl(a->u.v4.s_addr) + 1);
		return;
	}
	for (int i = 15; i >= 0 && ++a->u.v6.s6_addr[i] == 0; i--)
		;
}

static int add_group_entry(struct ipvs_table *t, const struct vs_rt *vs,
			   const struct vsg_entry_conf *g)
{
	const struct virtual_server_conf *v = vs->conf;
	struct ipvs_service s;
	struct ip_addr a = g->first;
	int r = 0;

	if (g->is_fwmark) {
		fill_service(v, g->family == AF_UNSPEC ? v->family : g->family, &s);
		s.fwmark = g->fwmark;
		return add_service(t, vs, &s);
	}
	/* first..last: the parser bounds the range, so this loop is short. */
	for (;;) {
		fill_service(v, a.family, &s);
		s.protocol = v->protocol;
		s.addr = a;
		s.port = g->port;
		r = add_service(t, vs, &s);
		if (r < 0 || memcmp(&a.u, &g->last.u, a.family == AF_INET ? 4 : 16) == 0)
			return r;
		next_addr(&a);
	}
}

static int add_virtual_server(struct ipvs_table *t, const struct check_rt *rt,
			      const struct vs_rt *vs)
{
	const struct virtual_server_conf *v = vs->conf;
	struct ipvs_service s;
	int r = 0;

	if (v->kind == VS_GROUP) {
		const struct vs_group_conf *g = &rt->conf->groups[v->group];

		for (size_t i = 0; i < g->n_entries && r == 0; i++)
			r = add_group_entry(t, vs, &g->entries[i]);
		return r;
	}
	fill_service(v, v->family, &s);
	if (v->kind == VS_FWMARK) {
		s.fwmark = v->fwmark;
	} else {
		s.protocol = v->protocol;
		s.addr = v->addr;
		s.port = v->port;
	}
	return add_service(t, vs, &s);
}

int check_ipvs_desired(const struct check_rt *rt, struct ipvs_table *t)
{
	int r = 0;

	ipvs_table_init(t);
	for (size_t i = 0; i < rt->n_vs && r == 0; i++)
		r = add_virtual_server(t, rt, &rt->vs[i]);
	return r;
}

static void report(void *arg, const struct ipvs_op *op, int err)
{
	char line[320];

	(void)arg;
	if (op->kind == IPVS_OP_SVC_ADD && err == -ENOENT)
		log_err("cannot add %s: scheduler '%s' is not available in this kernel",
			ipvs_op_str(op, line, sizeof(line)), op->svc.sched);
	else
		log_err("IPVS: %s", ipvs_op_describe(op, err, line, sizeof(line)));
}

static void log_ops(const struct ipvs_ops *ops)
{
	char line[320];

	for (size_t i = 0; i < ops->n; i++)
		log_debug("IPVS: %s", ipvs_op_str(&ops->v[i], line, sizeof(line)));
}

/* Remember which services are ours: what we want now.  A service we wanted
 * before and not any more is in `owned` until the diff has deleted it. */
static void take_ownership(struct check_rt *rt, struct ipvs_table *desired)
{
	ipvs_table_free(&rt->owned);
	rt->owned = *desired;
	ipvs_table_init(desired);
}

/* Bring our part of the kernel's table to `desired`; with `read_kernel`
 * the kernel's table is the reference, else our model of it (`owned`). */
static void apply_table(struct check_rt *rt, struct ipvs_table *desired, bool read_kernel)
{
	struct ipvs_table kernel;
	struct ipvs_ops ops = { 0 };
	int r = 0;

	ipvs_table_init(&kernel);
	if (read_kernel)
		r = ipvs_table_read(rt->ipvs, &kernel);
	if (r == 0)
		r = ipvs_diff(desired, read_kernel ? &kernel : &rt->owned, &rt->owned, &ops);
	rt->ipvs_model_valid = r == 0;
	if (r < 0) {
		log_err("IPVS: cannot read the kernel's table: %s", strerror(-r));
	} else if (ops.n) {
		size_t failed;

		log_ops(&ops);
		failed = ipvs_apply(rt->ipvs, &ops, report, rt);
		log_info("IPVS: %zu change(s) applied%s", ops.n - failed,
			 failed ? ", some failed" : "");
		rt->ipvs_model_valid = failed == 0;
	}
	ipvs_ops_free(&ops);
	ipvs_table_free(&kernel);
}

static void reconcile_now(struct check_rt *rt, bool read_kernel)
{
	struct ipvs_table desired;
	uint64_t started = monotonic_us();

	rt->reconciles++;
	if (check_ipvs_desired(rt, &desired) < 0) {
		log_err("IPVS: out of memory computing the table");
		ipvs_table_free(&desired);
		return;
	}
	read_kernel = read_kernel || !rt->ipvs_model_valid;
	apply_table(rt, &desired, read_kernel);
	take_ownership(rt, &desired);
	if (read_kernel)
		rt->full_pass_us = monotonic_us() - started;
	/* The dump and the old table were freed among live data: give the
	 * pages back (passes are coalesced, so this is not per check). */
	heap_trim();
}

/* The next periodic pass: every RECONCILE_PERIOD_US, or less often when a
 * pass that reads the kernel is costly. */
static void arm_period(struct check_rt *rt)
{
	uint64_t cost = rt->full_pass_us * RECONCILE_COST_FACTOR;

	ev_timer_arm(rt->loop, &rt->reconcile_timer,
		     cost > RECONCILE_PERIOD_US ? cost : RECONCILE_PERIOD_US);
}

/* The periodic pass: against the kernel's own table, so drift (an entry
 * deleted or changed by hand) is repaired. */
void check_ipvs_reconcile(struct check_rt *rt)
{
	ev_timer_disarm(rt->loop, &rt->reconcile_timer);
	if (rt->ipvs)
		reconcile_now(rt, true);
	arm_period(rt);
}

static void reconcile_due(struct ev_loop *loop, void *arg)
{
	(void)loop;
	check_ipvs_reconcile(arg);
}

static void request_due(struct ev_loop *loop, void *arg)
{
	struct check_rt *rt = arg;

	(void)loop;
	if (!rt->ipvs)
		return;
	reconcile_now(rt, false);
	if (!ev_timer_armed(&rt->reconcile_timer))	/* the first pass starts the period */
		arm_period(rt);
}

void check_ipvs_init(struct check_rt *rt)
{
	ev_timer_init(&rt->reconcile_timer, reconcile_due, rt);
	ev_timer_init(&rt->request_timer, request_due, rt);
	ipvs_table_init(&rt->owned);
}

/* Several state changes in one turn of the loop give one reconciliation. */
void check_ipvs_request(struct check_rt *rt)
{
	if (!rt->stopping)
		ev_timer_arm(rt->loop, &rt->request_timer, 0);
}

void check_ipvs_set_timeouts(struct check_rt *rt)
{
	const struct lvs_timeouts_conf *c = &rt->conf->globals.timeouts;
	struct ipvs_timeouts want = { c->tcp, c->tcpfin, c->udp }, now;
	int r;

	if (!rt->ipvs || (!want.tcp && !want.tcp_fin && !want.udp))
		return;
	if (ipvs_get_timeouts(rt->ipvs, &now) == 0 && (!want.tcp || want.tcp == now.tcp) &&
	    (!want.tcp_fin || want.tcp_fin == now.tcp_fin) && (!want.udp || want.udp == now.udp))
		return;
	r = ipvs_set_timeouts(rt->ipvs, &want);
	if (r < 0)
		log_err("IPVS: cannot set lvs_timeouts: %s", strerror(-r));
}

/* Stop: our services go (unless -I), everything else stays. */
void check_ipvs_release(struct check_rt *rt)
{
	struct ipvs_table none;

	ev_timer_disarm(rt->loop, &rt->reconcile_timer);
	ev_timer_disarm(rt->loop, &rt->request_timer);
	if (!rt->ipvs || rt->keep_ipvs)
		return;
	ipvs_table_init(&none);
	apply_table(rt, &none, true);
	ipvs_table_free(&rt->owned);
}
