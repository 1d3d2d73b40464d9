/* Unit tests for IPVS tables and reconciliation (ipvs/ipvs_table.c,
 * ipvs/ipvs_reconcile.c), no kernel needed: the diff between desired,
 * kernel and owned tables, its order, and ipvs_apply_exec against a fake
 * kernel that answers with scripted errors (BI-N02, BI-N05). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipvs_reconcile.h"

/* ---- building tables ---- */

static struct ip_addr addr(const char *s)
{
	struct ip_addr a;

	memset(&a, 0, sizeof(a));
	a.family = strchr(s, ':') != NULL ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a.family, s, &a.u), 1);
	return a;
}

static struct ipvs_service svc(uint16_t proto, const char *a, uint16_t port, const char *sched)
{
	struct ipvs_service s;

	memset(&s, 0, sizeof(s));
	s.addr = addr(a);
	s.af = s.addr.family;
	s.protocol = proto;
	s.port = port;
	snprintf(s.sched, sizeof(s.sched), "%s", sched);
	return s;
}

static struct ipvs_service fwm(int af, uint32_t mark, const char *sched)
{
	struct ipvs_service s;

	memset(&s, 0, sizeof(s));
	s.af = af;
	s.addr.family = af;
	s.fwmark = mark;
	snprintf(s.sched, sizeof(s.sched), "%s", sched);
	return s;
}

static struct ipvs_dest dst(const char *a, uint16_t port, uint32_t fwd, int32_t weight)
{
	struct ipvs_dest d;

	memset(&d, 0, sizeof(d));
	d.addr = addr(a);
	d.af = d.addr.family;
	d.port = port;
	d.fwd_method = fwd;
	d.weight = weight;
	return d;
}

static struct ipvs_vs *add_svc(struct ipvs_table *t, struct ipvs_service s)
{
	struct ipvs_vs *vs = ipvs_table_add_service(t, &s);

	assert_non_null(vs);
	return vs;
}

static void add_dest(struct ipvs_vs *vs, struct ipvs_dest d)
{
	assert_int_equal(ipvs_vs_add_dest(vs, &d), 0);
}

/* The standard desired table: TCP 10.0.0.1:80 rr with a NAT and a DR
 * destination; FWM 5 wlc with one; UDP [2001:db8::1]:53 sh persistent. */
static void standard(struct ipvs_table *t)
{
	struct ipvs_service v6 = svc(IPPROTO_UDP, "2001:db8::1", 53, "sh");
	struct ipvs_vs *vs;

	ipvs_table_init(t);
	vs = add_svc(t, svc(IPPROTO_TCP, "10.0.0.1", 80, "rr"));
	add_dest(vs, dst("10.1.0.1", 80, IP_VS_CONN_F_MASQ, 1));
	add_dest(vs, dst("10.1.0.2", 80, IP_VS_CONN_F_DROUTE, 3));
	vs = add_svc(t, fwm(AF_INET, 5, "wlc"));
	add_dest(vs, dst("10.1.0.5", 0, IP_VS_CONN_F_DROUTE, 2));
	v6.flags = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED2;
	v6.timeout = 300;
	v6.netmask = 64;
	vs = add_svc(t, v6);
	add_dest(vs, dst("2001:db8::10", 53, IP_VS_CONN_F_MASQ, 1));
}

/* A copy of t as the kernel reports it: HASHED set, the default netmask
 * spelt out, counters that mean nothing for the diff. */
static void as_kernel(const struct ipvs_table *t, struct ipvs_table *k)
{
	size_t i, j;

	ipvs_table_init(k);
	for (i = 0; i < t->n; i++) {
		struct ipvs_service s = t->vs[i].svc;
		struct ipvs_vs *vs;

		s.flags |= IP_VS_SVC_F_HASHED;
		s.netmask = ipvs_service_netmask(&s);
		s.stats.conns = 1000 + i;
		vs = add_svc(k, s);
		for (j = 0; j < t->vs[i].n_dests; j++) {
			struct ipvs_dest d = t->vs[i].dests[j];

			d.active_conns = 7;
			d.stats.inbytes = 99;
			add_dest(vs, d);
		}
	}
}

/* ---- checking operations ---- */

static const char *kind_name(enum ipvs_op_kind k)
{
	static const char *const names[] = { "svc-add", "svc-edit", "svc-del",
					     "dest-add", "dest-edit", "dest-del" };
	return names[k];
}

/* All operations as "kind SERVICE [DEST]" lines, for exact comparisons. */
static char *ops_text(const struct ipvs_ops *ops)
{
	static char text[4096];
	char s[IPVS_STR_LEN], d[IPVS_STR_LEN];
	size_t i, len = 0;

	text[0] = '\0';
	for (i = 0; i < ops->n; i++) {
		const struct ipvs_op *op = &ops->v[i];
		bool dest = op->kind >= IPVS_OP_DEST_ADD;

		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s %s%s%s\n",
					kind_name(op->kind), ipvs_service_str(&op->svc, s, sizeof(s)),
					dest ? " " : "", dest ? ipvs_dest_str(&op->dest, d, sizeof(d)) : "");
	}
	return text;
}

static void check_diff(const struct ipvs_table *want, const struct ipvs_table *have,
		       const struct ipvs_table *owned, const char *expected)
{
	struct ipvs_ops ops = { 0 };

	assert_int_equal(ipvs_diff(want, have, owned, &ops), 0);
	assert_string_equal(ops_text(&ops), expected);
	ipvs_ops_free(&ops);
}

/* ---- diff ---- */

static void test_adopt_equal_kernel(void **state)
{
	struct ipvs_table want, have;

	(void)state;
	standard(&want);
	as_kernel(&want, &have);
	/* A restart adopts: nothing to do, not even with `owned` set. */
	check_diff(&want, &have, NULL, "");
	check_diff(&want, &have, &want, "");
	ipvs_table_free(&want);
	ipvs_table_free(&have);
}

static void test_add_all_from_empty(void **state)
{
	struct ipvs_table want, have = { 0 };

	(void)state;
	standard(&want);
	check_diff(&want, &have, NULL,
		   "svc-add TCP 10.0.0.1:80\n"
		   "dest-add TCP 10.0.0.1:80 10.1.0.1:80\n"
		   "dest-add TCP 10.0.0.1:80 10.1.0.2:80\n"
		   "svc-add FWM 5\n"
		   "dest-add FWM 5 10.1.0.5:0\n"
		   "svc-add UDP [2001:db8::1]:53\n"
		   "dest-add UDP [2001:db8::1]:53 [2001:db8::10]:53\n");
	ipvs_table_free(&want);
}

static void test_edit_service_settings(void **state)
{
	struct ipvs_table want, have;
	struct ipvs_ops ops = { 0 };
	struct ipvs_service *k;

	(void)state;
	standard(&want);
	as_kernel(&want, &have);
	k = &have.vs[0].svc;
	strcpy(k->sched, "wrr");
	check_diff(&want, &have, NULL, "svc-edit TCP 10.0.0.1:80\n");
	/* The edit carries the desired settings, not the kernel's. */
	assert_int_equal(ipvs_diff(&want, &have, NULL, &ops), 0);
	assert_string_equal(ops.v[0].svc.sched, "rr");
	ipvs_ops_free(&ops);
	strcpy(k->sched, "rr");
	k->flags |= IP_VS_SVC_F_ONEPACKET;
	check_diff(&want, &have, NULL, "svc-edit TCP 10.0.0.1:80\n");
	k->flags &= ~(uint32_t)IP_VS_SVC_F_ONEPACKET;
	k->timeout = 60;
	check_diff(&want, &have, NULL, "svc-edit TCP 10.0.0.1:80\n");
	k->timeout = 0;
	k->netmask = 0xffffff00;
	check_diff(&want, &have, NULL, "svc-edit TCP 10.0.0.1:80\n");
	k->netmask = 0xffffffff;
	strcpy(k->pe_name, "sip");
	check_diff(&want, &have, NULL, "svc-edit TCP 10.0.0.1:80\n");
	k->pe_name[0] = '\0';
	check_diff(&want, &have, NULL, "");
	ipvs_table_free(&want);
	ipvs_table_free(&have);
}

static void test_edit_dest(void **state)
{
	struct ipvs_table want, have;
	struct ipvs_dest *k;

	(void)state;
	standard(&want);
	as_kernel(&want, &have);
	k = &have.vs[0].dests[1];
	k->weight = 0;
	check_diff(&want, &have, NULL, "dest-edit TCP 10.0.0.1:80 10.1.0.2:80\n");
	k->weight = 3;
	k->u_threshold = 10;
	check_diff(&want, &have, NULL, "dest-edit TCP 10.0.0.1:80 10.1.0.2:80\n");
	k->u_threshold = 0;
	k->l_threshold = 1;
	check_diff(&want, &have, NULL, "dest-edit TCP 10.0.0.1:80 10.1.0.2:80\n");
	k->l_threshold = 0;
	/* The kernel edits the forwarding method in place. */
	k->fwd_method = IP_VS_CONN_F_TUNNEL;
	check_diff(&want, &have, NULL, "dest-edit TCP 10.0.0.1:80 10.1.0.2:80\n");
	k->fwd_method = IP_VS_CONN_F_DROUTE;
	/* Tunnel settings matter only for TUNNEL. */
	k->tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	check_diff(&want, &have, NULL, "");
	k->fwd_method = IP_VS_CONN_F_TUNNEL;
	want.vs[0].dests[1].fwd_method = IP_VS_CONN_F_TUNNEL;
	check_diff(&want, &have, NULL, "dest-edit TCP 10.0.0.1:80 10.1.0.2:80\n");
	k->tun_type = 0;
	k->tun_port = 5555;
	check_diff(&want, &have, NULL, "dest-edit TCP 10.0.0.1:80 10.1.0.2:80\n");
	k->tun_port = 0;
	k->tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
	check_diff(&want, &have, NULL, "dest-edit TCP 10.0.0.1:80 10.1.0.2:80\n");
	k->tun_flags = 0;
	check_diff(&want, &have, NULL, "");
	ipvs_table_free(&want);
	ipvs_table_free(&have);
}

static void test_delete_undesired_dest(void **state)
{
	struct ipvs_table want, have;

	(void)state;
	standard(&want);
	as_kernel(&want, &have);
	/* One dropped from the config, one added by hand to our service. */
	want.vs[0].n_dests = 1;
	add_dest(&have.vs[1], dst("10.1.0.99", 0, IP_VS_CONN_F_DROUTE, 1));
	check_diff(&want, &have, NULL,
		   "dest-del TCP 10.0.0.1:80 10.1.0.2:80\n"
		   "dest-del FWM 5 10.1.0.99:0\n");
	ipvs_table_free(&want);
	ipvs_table_free(&have);
}

static void test_repair_dest_deleted_by_hand(void **state)
{
	struct ipvs_table want, have;

	(void)state;
	standard(&want);
	as_kernel(&want, &have);
	have.vs[0].dests[0] = have.vs[0].dests[1];
	have.vs[0].n_dests = 1;
	check_diff(&want, &have, NULL, "dest-add TCP 10.0.0.1:80 10.1.0.1:80\n");
	/* A whole service deleted by hand comes back with its dests. */
	free(have.vs[2].dests);
	have.n = 2;
	check_diff(&want, &have, NULL,
		   "dest-add TCP 10.0.0.1:80 10.1.0.1:80\n"
		   "svc-add UDP [2001:db8::1]:53\n"
		   "dest-add UDP [2001:db8::1]:53 [2001:db8::10]:53\n");
	ipvs_table_free(&want);
	ipvs_table_free(&have);
}

static void test_others_untouched_owned_deleted(void **state)
{
	struct ipvs_table want, have, owned;
	struct ipvs_vs *vs;

	(void)state;
	standard(&want);
	as_kernel(&want, &have);
	/* kube-proxy's service, with its own destinations. */
	vs = add_svc(&have, svc(IPPROTO_TCP, "10.96.0.1", 443, "rr"));
	add_dest(vs, dst("10.244.0.5", 6443, IP_VS_CONN_F_MASQ, 1));
	/* Ours from an earlier config, now dropped; and one already gone. */
	add_svc(&have, svc(IPPROTO_TCP, "10.0.0.2", 80, "wlc"));
	ipvs_table_init(&owned);
	add_svc(&owned, svc(IPPROTO_TCP, "10.0.0.2", 80, "wlc"));
	add_svc(&owned, svc(IPPROTO_TCP, "10.0.0.3", 80, "wlc"));
	add_svc(&owned, fwm(AF_INET, 5, "wlc"));	/* owned and still desired */
	check_diff(&want, &have, NULL, "");
	check_diff(&want, &have, &owned, "svc-del TCP 10.0.0.2:80\n");
	ipvs_table_free(&want);
	ipvs_table_free(&have);
	ipvs_table_free(&owned);
}

static void test_order_is_deterministic(void **state)
{
	struct ipvs_table want, have, owned;
	struct ipvs_vs *vs;
	static const char expected[] =
		"svc-add TCP 10.0.0.1:80\n"
		"dest-add TCP 10.0.0.1:80 10.1.0.1:80\n"
		"dest-add TCP 10.0.0.1:80 10.1.0.2:80\n"
		"svc-edit TCP 10.0.0.9:80\n"
		"dest-add TCP 10.0.0.9:80 10.1.0.1:80\n"
		"dest-edit TCP 10.0.0.9:80 10.1.0.3:80\n"
		"dest-del TCP 10.0.0.9:80 10.1.0.2:80\n"
		"dest-del TCP 10.0.0.9:80 10.1.0.4:80\n"
		"svc-add FWM 1\n"
		"svc-add FWM 1 IPv6\n"
		"svc-del TCP 10.0.0.5:80\n"
		"svc-del TCP 10.0.0.6:80\n";

	(void)state;
	/* Written out of order on purpose. */
	ipvs_table_init(&want);
	add_svc(&want, fwm(AF_INET6, 1, "rr"));
	add_svc(&want, fwm(AF_INET, 1, "rr"));
	vs = add_svc(&want, svc(IPPROTO_TCP, "10.0.0.9", 80, "rr"));
	add_dest(vs, dst("10.1.0.3", 80, IP_VS_CONN_F_MASQ, 2));
	add_dest(vs, dst("10.1.0.1", 80, IP_VS_CONN_F_MASQ, 1));
	vs = add_svc(&want, svc(IPPROTO_TCP, "10.0.0.1", 80, "rr"));
	add_dest(vs, dst("10.1.0.2", 80, IP_VS_CONN_F_MASQ, 1));
	add_dest(vs, dst("10.1.0.1", 80, IP_VS_CONN_F_MASQ, 1));
	ipvs_table_init(&have);
	add_svc(&have, svc(IPPROTO_TCP, "10.0.0.6", 80, "rr"));
	vs = add_svc(&have, svc(IPPROTO_TCP, "10.0.0.9", 80, "wlc"));
	add_dest(vs, dst("10.1.0.4", 80, IP_VS_CONN_F_MASQ, 1));
	add_dest(vs, dst("10.1.0.3", 80, IP_VS_CONN_F_MASQ, 1));
	add_dest(vs, dst("10.1.0.2", 80, IP_VS_CONN_F_MASQ, 1));
	add_svc(&have, svc(IPPROTO_TCP, "10.0.0.5", 80, "rr"));
	ipvs_table_init(&owned);
	add_svc(&owned, svc(IPPROTO_TCP, "10.0.0.6", 80, "rr"));
	add_svc(&owned, svc(IPPROTO_TCP, "10.0.0.5", 80, "rr"));
	check_diff(&want, &have, &owned, expected);
	/* Sorting the inputs changes nothing. */
	ipvs_table_sort(&want);
	ipvs_table_sort(&have);
	ipvs_table_sort(&owned);
	check_diff(&want, &have, &owned, expected);
	ipvs_table_free(&want);
	ipvs_table_free(&have);
	ipvs_table_free(&owned);
}

static void test_identities_v6_and_fwmark(void **state)
{
	struct ipvs_table want, have;
	struct ipvs_service a, b;
	struct ipvs_dest x, y;

	(void)state;
	/* fwmark services: the mark and family identify them, nothing else. */
	a = fwm(AF_INET, 5, "rr");
	b = a;
	b.protocol = IPPROTO_TCP;
	b.port = 80;
	assert_true(ipvs_service_same(&a, &b));
	b = fwm(AF_INET6, 5, "rr");
	assert_false(ipvs_service_same(&a, &b));
	/* Address services differ by protocol, address, port. */
	a = svc(IPPROTO_TCP, "2001:db8::1", 80, "rr");
	b = svc(IPPROTO_UDP, "2001:db8::1", 80, "rr");
	assert_false(ipvs_service_same(&a, &b));
	b = svc(IPPROTO_TCP, "2001:db8::2", 80, "rr");
	assert_false(ipvs_service_same(&a, &b));
	b = svc(IPPROTO_TCP, "2001:db8::1", 81, "rr");
	assert_false(ipvs_service_same(&a, &b));
	x = dst("2001:db8::10", 80, IP_VS_CONN_F_MASQ, 1);
	y = dst("2001:db8::10", 80, IP_VS_CONN_F_DROUTE, 5);
	assert_true(ipvs_dest_same(&x, &y));
	y = dst("10.0.0.1", 80, IP_VS_CONN_F_TUNNEL, 1);
	assert_false(ipvs_dest_same(&x, &y));

	/* An IPv6 fwmark service with a mixed-family tunnel dest adopts. */
	ipvs_table_init(&want);
	add_dest(add_svc(&want, fwm(AF_INET6, 7, "mh")), y);
	as_kernel(&want, &have);
	check_diff(&want, &have, NULL, "");
	ipvs_table_free(&have);
	ipvs_table_init(&have);
	add_svc(&have, fwm(AF_INET, 7, "mh"));
	check_diff(&want, &have, NULL, "svc-add FWM 7 IPv6\ndest-add FWM 7 IPv6 10.0.0.1:80\n");
	ipvs_table_free(&want);
	ipvs_table_free(&have);
}

static void test_table_duplicates_and_names(void **state)
{
	struct ipvs_table t = { 0 };
	struct ipvs_service s = svc(IPPROTO_SCTP, "2001:db8::1", 38412, "rr");
	struct ipvs_vs *vs;
	char buf[IPVS_STR_LEN];

	(void)state;
	vs = add_svc(&t, s);
	errno = 0;
	assert_null(ipvs_table_add_service(&t, &s));
	assert_int_equal(errno, EEXIST);
	add_dest(vs, dst("10.0.0.1", 1, 0, 1));
	struct ipvs_dest d = dst("10.0.0.1", 1, IP_VS_CONN_F_DROUTE, 9);
	assert_int_equal(ipvs_vs_add_dest(vs, &d), -EEXIST);
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "SCTP [2001:db8::1]:38412");
	s = fwm(AF_INET, 77, "rr");
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "FWM 77");
	d = dst("2001:db8::3", 80, 0, 1);
	assert_string_equal(ipvs_dest_str(&d, buf, sizeof(buf)), "[2001:db8::3]:80");
	ipvs_table_free(&t);
	assert_int_equal(t.n, 0);
}

/* ---- apply ---- */

#define MAX_CALLS 32

/* A fake kernel: answers each call with the next scripted errno. */
struct fake {
	int answers[MAX_CALLS];
	size_t n_answers, calls;
	char log[4096];
	size_t reports;
	char report_log[2048];
};

static int fake_exec(void *ctx, const struct ipvs_op *op)
{
	struct fake *f = ctx;
	char s[IPVS_STR_LEN], d[IPVS_STR_LEN];
	size_t len = strlen(f->log);
	bool dest = op->kind >= IPVS_OP_DEST_ADD;

	snprintf(f->log + len, sizeof(f->log) - len, "%s %s%s%s\n", kind_name(op->kind),
		 ipvs_service_str(&op->svc, s, sizeof(s)), dest ? " " : "",
		 dest ? ipvs_dest_str(&op->dest, d, sizeof(d)) : "");
	return f->calls < f->n_answers ? f->answers[f->calls++] : (f->calls++, 0);
}

static void fake_report(void *arg, const struct ipvs_op *op, int err)
{
	struct fake *f = arg;
	char msg[256];
	size_t len = strlen(f->report_log);

	f->reports++;
	snprintf(f->report_log + len, sizeof(f->report_log) - len, "%s\n",
		 ipvs_op_describe(op, err, msg, sizeof(msg)));
}

static size_t run(struct fake *f, const struct ipvs_ops *ops)
{
	return ipvs_apply_exec(fake_exec, f, ops, fake_report, f);
}

static void diff_from_empty(struct ipvs_ops *ops)
{
	struct ipvs_table want, have = { 0 };

	standard(&want);
	assert_int_equal(ipvs_diff(&want, &have, NULL, ops), 0);
	ipvs_table_free(&want);
}

static void test_apply_all_succeed(void **state)
{
	struct ipvs_ops ops = { 0 };
	struct fake f = { .n_answers = 0 };

	(void)state;
	diff_from_empty(&ops);
	assert_int_equal(run(&f, &ops), 0);
	assert_int_equal(f.calls, ops.n);
	assert_string_equal(f.log, ops_text(&ops));
	assert_int_equal(f.reports, 0);
	ipvs_ops_free(&ops);
}

static void test_apply_drift_retries(void **state)
{
	struct ipvs_ops ops = { 0 };
	/* svc add: EEXIST -> edit ok; dest add: EEXIST -> edit ok; ... */
	struct fake f = { .answers = { -EEXIST, 0, -EEXIST, 0 }, .n_answers = 4 };

	(void)state;
	diff_from_empty(&ops);
	assert_int_equal(run(&f, &ops), 0);
	assert_string_equal(f.log,
			    "svc-add TCP 10.0.0.1:80\n"
			    "svc-edit TCP 10.0.0.1:80\n"
			    "dest-add TCP 10.0.0.1:80 10.1.0.1:80\n"
			    "dest-edit TCP 10.0.0.1:80 10.1.0.1:80\n"
			    "dest-add TCP 10.0.0.1:80 10.1.0.2:80\n"
			    "svc-add FWM 5\n"
			    "dest-add FWM 5 10.1.0.5:0\n"
			    "svc-add UDP [2001:db8::1]:53\n"
			    "dest-add UDP [2001:db8::1]:53 [2001:db8::10]:53\n");
	ipvs_ops_free(&ops);

	/* Edits of things gone since the dump become adds; deletions of
	 * things already gone are done. */
	memset(&ops, 0, sizeof(ops));
	struct ipvs_service s = svc(IPPROTO_TCP, "10.0.0.1", 80, "rr");
	struct ipvs_dest d = dst("10.1.0.1", 80, 0, 1);
	struct ipvs_op list[] = {
		{ .kind = IPVS_OP_SVC_EDIT, .svc = s },
		{ .kind = IPVS_OP_DEST_EDIT, .svc = s, .dest = d },
		{ .kind = IPVS_OP_DEST_DEL, .svc = s, .dest = d },
		{ .kind = IPVS_OP_DEST_DEL, .svc = s, .dest = d },
		{ .kind = IPVS_OP_SVC_DEL, .svc = s },
	};
	struct fake g = { .answers = { -ESRCH, 0, -ENOENT, 0, -ENOENT, -ESRCH, -ESRCH },
			  .n_answers = 7 };
	ops.v = list;
	ops.n = sizeof(list) / sizeof(*list);
	assert_int_equal(run(&g, &ops), 0);
	assert_string_equal(g.log,
			    "svc-edit TCP 10.0.0.1:80\n"
			    "svc-add TCP 10.0.0.1:80\n"
			    "dest-edit TCP 10.0.0.1:80 10.1.0.1:80\n"
			    "dest-add TCP 10.0.0.1:80 10.1.0.1:80\n"
			    "dest-del TCP 10.0.0.1:80 10.1.0.1:80\n"
			    "dest-del TCP 10.0.0.1:80 10.1.0.1:80\n"
			    "svc-del TCP 10.0.0.1:80\n");
	assert_int_equal(g.reports, 0);
}

static void test_apply_failures_do_not_stop(void **state)
{
	struct ipvs_ops ops = { 0 };
	/* Two dest adds fail for good; the rest must still run. */
	struct fake f = { .answers = { 0, -EINVAL, 0, 0, -ENOMEM }, .n_answers = 5 };

	(void)state;
	diff_from_empty(&ops);
	assert_int_equal(run(&f, &ops), 2);
	assert_int_equal(f.calls, ops.n);
	assert_int_equal(f.reports, 2);
	assert_string_equal(f.report_log,
			    "cannot add destination 10.1.0.1:80 to TCP 10.0.0.1:80: "
			    "Invalid argument\n"
			    "cannot add destination 10.1.0.5:0 to FWM 5: Cannot allocate memory\n");
	ipvs_ops_free(&ops);
}

static void test_apply_failed_service_skips_its_dests(void **state)
{
	struct ipvs_ops ops = { 0 };
	/* Unknown scheduler: -ENOENT, not a reason to retry. */
	struct fake f = { .answers = { -ENOENT }, .n_answers = 1 };

	(void)state;
	diff_from_empty(&ops);
	assert_int_equal(run(&f, &ops), 1);
	assert_string_equal(f.log,
			    "svc-add TCP 10.0.0.1:80\n"
			    "svc-add FWM 5\n"
			    "dest-add FWM 5 10.1.0.5:0\n"
			    "svc-add UDP [2001:db8::1]:53\n"
			    "dest-add UDP [2001:db8::1]:53 [2001:db8::10]:53\n");
	assert_string_equal(f.report_log,
			    "cannot add service TCP 10.0.0.1:80: No such file or directory\n");
	ipvs_ops_free(&ops);

	/* A failed retry reports the retried operation.  The service exists
	 * (-EEXIST), so its destinations are still worth adding. */
	struct fake g = { .answers = { -EEXIST, -ENOENT }, .n_answers = 2 };
	diff_from_empty(&ops);
	assert_int_equal(run(&g, &ops), 1);
	assert_int_equal(g.calls, ops.n + 1);
	assert_string_equal(g.report_log,
			    "cannot change service TCP 10.0.0.1:80: No such file or directory\n");
	ipvs_ops_free(&ops);

	/* An edit that finds no service and cannot add it either. */
	struct ipvs_service s = svc(IPPROTO_TCP, "10.0.0.1", 80, "nosuch");
	struct ipvs_op list[] = {
		{ .kind = IPVS_OP_SVC_EDIT, .svc = s },
		{ .kind = IPVS_OP_DEST_EDIT, .svc = s, .dest = dst("10.1.0.1", 80, 0, 1) },
	};
	struct fake h = { .answers = { -ESRCH, -ENOENT }, .n_answers = 2 };
	ops.v = list;
	ops.n = 2;
	assert_int_equal(run(&h, &ops), 1);
	assert_int_equal(h.calls, 2);
	assert_string_equal(h.report_log,
			    "cannot add service TCP 10.0.0.1:80: No such file or directory\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adopt_equal_kernel),
		cmocka_unit_test(test_add_all_from_empty),
		cmocka_unit_test(test_edit_service_settings),
		cmocka_unit_test(test_edit_dest),
		cmocka_unit_test(test_delete_undesired_dest),
		cmocka_unit_test(test_repair_dest_deleted_by_hand),
		cmocka_unit_test(test_others_untouched_owned_deleted),
		cmocka_unit_test(test_order_is_deterministic),
		cmocka_unit_test(test_identities_v6_and_fwmark),
		cmocka_unit_test(test_table_duplicates_and_names),
		cmocka_unit_test(test_apply_all_succeed),
		cmocka_unit_test(test_apply_drift_retries),
		cmocka_unit_test(test_apply_failures_do_not_stop),
		cmocka_unit_test(test_apply_failed_service_skips_its_dests),
	};

	return cmocka_run_group_tests_name("ipvs_reconcile", tests, NULL, NULL);
}
