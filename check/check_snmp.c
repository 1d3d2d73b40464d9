/* SNMP for the checker child; see check_snmp.h.  Object layout follows the
 * kaCheck group of doc/KEEPALIVED-MIB.txt. */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>

#include "check_rt.h"
#include "check_snmp.h"
#include "ka_mib.h"
#include "log.h"
#include "snmp_agent.h"

struct check_snmp {
	struct snmp_agent *agent;
	struct ka_mib_global global;
	bool on;
};

/* The VRRP child serves kaGlobal at 127; ours answers only without it. */
#define GLOBAL_PRIORITY_CHECKER	128

enum { KA_VS_TABLE = 1, KA_RS_TABLE = 2 };
/* kaVirtualServerEntry columns (1, the index, is not accessible) */
enum { VS_NAME = 2, VS_REAL_SERVERS, VS_REAL_SERVERS_UP, VS_QUORUM_UP };
/* kaRealServerEntry columns (1, its index, is not accessible) */
enum { RS_ADDRESS = 2, RS_PORT, RS_STATE, RS_WEIGHT, RS_EFFECTIVE_WEIGHT, RS_CHECKS,
       RS_CHECKS_FAILED, RS_LAST_RESULT };

#define KA_UP		1
#define KA_DOWN		2
#define SNMP_TRUE	1
#define SNMP_FALSE	2

static void table_oid(struct snmp_oid *o, uint32_t table)
{
	ka_mib_oid(o, 3, (const uint32_t[]){ KA_MIB_CHECK, table, 1 });
}

static const char *addr_text(const struct ip_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family, &a->u, buf, (socklen_t)len))
		buf[0] = '\0';
	return buf;
}

/* The last verdict that matters: the first checker that is down, else the
 * first checker; "none" without checkers (always up). */
static const char *last_result(const struct rs_rt *rs)
{
	for (size_t i = 0; i < rs->n_checkers; i++)
		if (!rs->checkers[i]->up)
			return check_result_name(rs->checkers[i]->last);
	return rs->n_checkers ? check_result_name(rs->checkers[0]->last) : "none";
}

static void fill_rs(struct snmp_vars *v, const struct rs_rt *rs, const struct snmp_oid *idx)
{
	char addr[INET6_ADDRSTRLEN];
	uint64_t runs = 0, failed = 0;
	struct snmp_oid o;

	for (size_t i = 0; i < rs->n_checkers; i++) {
		runs += rs->checkers[i]->attempts;
		failed += rs->checkers[i]->failed_attempts;
	}
	table_oid(&o, KA_RS_TABLE);
	snmp_vars_str(v, &o, RS_ADDRESS, idx, addr_text(&rs->conf->addr, addr, sizeof(addr)));
	snmp_vars_num(v, &o, RS_PORT, idx, SNMP_T_INTEGER, rs->conf->port);
	snmp_vars_num(v, &o, RS_STATE, idx, SNMP_T_INTEGER, rs->up ? KA_UP : KA_DOWN);
	snmp_vars_num(v, &o, RS_WEIGHT, idx, SNMP_T_INTEGER, rs->conf->weight);
	snmp_vars_num(v, &o, RS_EFFECTIVE_WEIGHT, idx, SNMP_T_INTEGER, rs->up ? rs_weight(rs) : 0);
	snmp_vars_num(v, &o, RS_CHECKS, idx, SNMP_T_COUNTER64, runs);
	snmp_vars_num(v, &o, RS_CHECKS_FAILED, idx, SNMP_T_COUNTER64, failed);
	snmp_vars_str(v, &o, RS_LAST_RESULT, idx, last_result(rs));
}

/* kaVirtualServerName: the virtual server's snmp_name, else "TCP 10.0.0.1:80". */
static const char *vs_snmp_name(const struct vs_rt *vs)
{
	return vs->conf->snmp_name ? vs->conf->snmp_name : vs->name;
}

static void fill_vs(struct snmp_vars *v, const struct vs_rt *vs, uint32_t index)
{
	struct snmp_oid o, idx = { .n = { index }, .len = 1 };
	unsigned up = 0;

	for (size_t i = 0; i < vs->n_rs; i++) {
		struct snmp_oid rs_idx = idx;

		up += vs->rs[i].up;
		snmp_oid_add(&rs_idx, (uint32_t)i + 1);
		fill_rs(v, &vs->rs[i], &rs_idx);
	}
	table_oid(&o, KA_VS_TABLE);
	snmp_vars_str(v, &o, VS_NAME, &idx, vs_snmp_name(vs));
	snmp_vars_num(v, &o, VS_REAL_SERVERS, &idx, SNMP_T_GAUGE, vs->n_rs);
	snmp_vars_num(v, &o, VS_REAL_SERVERS_UP, &idx, SNMP_T_GAUGE, up);
	snmp_vars_num(v, &o, VS_QUORUM_UP, &idx, SNMP_T_INTEGER,
		      vs->quorum_ok ? SNMP_TRUE : SNMP_FALSE);
}

static void fill_check(struct snmp_vars *v, void *arg)
{
	const struct check_rt *rt = arg;

	for (size_t i = 0; i < rt->n_vs; i++)
		fill_vs(v, &rt->vs[i], (uint32_t)i + 1);
}

static void fill_rs_trap(struct snmp_vars *v, void *arg)
{
	const struct rs_rt *rs = arg;
	const struct check_rt *rt = rs->vs->rt;
	uint32_t vs_index = (uint32_t)(rs->vs - rt->vs) + 1;
	uint32_t rs_index = (uint32_t)(rs - rs->vs->rs) + 1;
	struct snmp_oid o, vs_idx = { .n = { vs_index }, .len = 1 };
	struct snmp_oid rs_idx = { .n = { vs_index, rs_index }, .len = 2 };
	char addr[INET6_ADDRSTRLEN];

	ka_mib_add_router_id(v, &rt->snmp->global);
	table_oid(&o, KA_VS_TABLE);
	snmp_vars_str(v, &o, VS_NAME, &vs_idx, vs_snmp_name(rs->vs));
	table_oid(&o, KA_RS_TABLE);
	snmp_vars_str(v, &o, RS_ADDRESS, &rs_idx, addr_text(&rs->conf->addr, addr, sizeof(addr)));
	snmp_vars_num(v, &o, RS_PORT, &rs_idx, SNMP_T_INTEGER, rs->conf->port);
	snmp_vars_num(v, &o, RS_STATE, &rs_idx, SNMP_T_INTEGER, rs->up ? KA_UP : KA_DOWN);
}

void check_snmp_rs_state(struct rs_rt *rs)
{
	const struct check_rt *rt = rs->vs->rt;
	struct snmp_oid o;

	if (!rt->snmp || !rt->snmp->on || !rt->global->snmp_traps)
		return;
	ka_mib_oid(&o, 2, (const uint32_t[]){ KA_MIB_NOTIFICATIONS, KA_TRAP_REAL_SERVER_STATE });
	snmp_agent_notify(rt->snmp->agent, o.n, o.len, fill_rs_trap, rs);
}

void check_snmp_apply(struct check_rt *rt)
{
	struct check_snmp *s = rt->snmp;
	struct snmp_oid o;

	if (!s && !rt->global->snmp_checker)
		return;
	if (!s) {
		s = rt->snmp = calloc(1, sizeof(*s));
		if (!s) {
			log_err("SNMP: out of memory");
			return;
		}
		s->agent = snmp_agent_start(rt->loop, "keepalived-checker", rt->global->snmp_socket);
	}
	ka_mib_global_set(&s->global, rt->global->router_id);
	if (!s->agent || s->on || !rt->global->snmp_checker)
		return;
	ka_mib_oid(&o, 1, (const uint32_t[]){ KA_MIB_CHECK });
	s->on = ka_mib_register_global(s->agent, &s->global, GLOBAL_PRIORITY_CHECKER) == 0 &&
		snmp_agent_register(s->agent, o.n, o.len, 127, fill_check, rt) == 0;
}

void check_snmp_stop(struct check_rt *rt)
{
	if (!rt->snmp)
		return;
	snmp_agent_stop(rt->snmp->agent);
	free(rt->snmp);
	rt->snmp = NULL;
}
