/* SNMP for the VRRP child; see vrrp_snmp.h.  Object layouts follow
 * doc/VRRP-MIB.txt (RFC 2787) and doc/KEEPALIVED-MIB.txt. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ka_mib.h"
#include "log.h"
#include "snmp_agent.h"
#include "vrrp_rt.h"
#include "vrrp_snmp.h"

struct vrrp_snmp {
	struct snmp_agent *agent;
	struct ka_mib_global global;
	bool global_on, ours_on, rfc_on;
};

/* ---- RFC 2787 ------------------------------------------------------------ */

#define VRRP_MIB_OID		1, 3, 6, 1, 2, 1, 68
#define VRRP_MIB_LEN		7

enum { RFC_NOTIFICATIONS = 0, RFC_OPERATIONS = 1, RFC_STATISTICS = 2 };
/* under vrrpOperations */
enum { RFC_NODE_VERSION = 1, RFC_NOTIFICATION_CNTL, RFC_OPER_TABLE, RFC_ASSO_TABLE,
       RFC_TRAP_PACKET_SRC, RFC_TRAP_AUTH_ERROR_TYPE };
/* under vrrpStatistics */
enum { RFC_CHECKSUM_ERRORS = 1, RFC_VERSION_ERRORS, RFC_VRID_ERRORS, RFC_STATS_TABLE };
/* vrrpOperEntry columns (1, the VRID, is an index only) */
enum { OPER_MAC = 2, OPER_STATE, OPER_ADMIN, OPER_PRIORITY, OPER_ADDR_COUNT, OPER_MASTER,
       OPER_PRIMARY, OPER_AUTH_TYPE, OPER_AUTH_KEY, OPER_ADVER_INT, OPER_PREEMPT,
       OPER_UP_TIME, OPER_PROTOCOL, OPER_ROW_STATUS };
/* vrrpRouterStatsEntry columns */
enum { ST_BECOME_MASTER = 1, ST_ADVERT_RCVD, ST_INTERVAL_ERR, ST_AUTH_FAIL, ST_TTL_ERR,
       ST_PRIO0_RCVD, ST_PRIO0_SENT, ST_INVALID_TYPE, ST_ADDR_LIST_ERR, ST_INVALID_AUTH_TYPE,
       ST_AUTH_TYPE_MISMATCH, ST_LENGTH_ERR };
enum { TRAP_NEW_MASTER = 1, TRAP_AUTH_FAILURE = 2 };

#define SNMP_TRUE		1	/* TruthValue */
#define SNMP_FALSE		2
#define ROW_ACTIVE		1	/* RowStatus */

static void rfc_oid(struct snmp_oid *o, uint32_t arc, uint32_t sub, uint32_t entry)
{
	static const uint32_t root[] = { VRRP_MIB_OID };

	snmp_oid_set(o, root, VRRP_MIB_LEN);
	snmp_oid_add(o, arc);
	if (sub)
		snmp_oid_add(o, sub);
	if (entry)
		snmp_oid_add(o, entry);
}

/* RFC 2787 knows initialize(1), backup(2), master(3); FAULT is reported as
 * initialize: the router does not take part in the election then. */
static unsigned rfc_state(enum vrrp_state s)
{
	return s == VRRP_STATE_BACKUP ? 2 : s == VRRP_STATE_MASTER ? 3 : 1;
}

static unsigned rfc_auth_type(enum vrrp_auth_type t)
{
	return t == VRRP_AUTH_PASS ? 2 : t == VRRP_AUTH_AH ? 3 : 1;
}

/* The current master as this router sees it: itself, or the source of
 * the adverts it accepts; 0.0.0.0 when it knows none, and for IPv6
 * instances, which an IpAddress cannot describe. */
static struct in_addr master_addr(const struct vrrp_inst *in)
{
	struct in_addr none = { 0 };

	if (in->conf->family != AF_INET)
		return none;
	if (in->sm.state == VRRP_STATE_MASTER)
		return in->src.s_addr ? in->src : in->base_if->primary;
	if (in->sm.state == VRRP_STATE_BACKUP && in->sm.master_ip.family == AF_INET)
		return in->sm.master_ip.u.v4;
	return none;
}

static bool rfc_index(const struct vrrp_inst *in, struct snmp_oid *idx)
{
	if (in->vif->ifindex <= 0)
		return false;	/* no such link now: no row (ifIndex must exist) */
	if (in->conf->family != AF_INET)
		return false;	/* RFC 2787 describes IPv4 virtual routers only */
	idx->len = 0;
	snmp_oid_add(idx, (uint32_t)in->vif->ifindex);
	snmp_oid_add(idx, in->conf->vrid);
	return true;
}

static void fill_oper_row(struct snmp_vars *v, const struct vrrp_inst *in, const struct snmp_oid *idx)
{
	const struct vrrp_instance_conf *c = in->conf;
	uint8_t mac[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, c->vrid };
	struct snmp_oid o;

	rfc_oid(&o, RFC_OPERATIONS, RFC_OPER_TABLE, 1);
	snmp_vars_bytes(v, &o, OPER_MAC, idx, mac, sizeof(mac));
	snmp_vars_num(v, &o, OPER_STATE, idx, SNMP_T_INTEGER, rfc_state(in->sm.state));
	snmp_vars_num(v, &o, OPER_ADMIN, idx, SNMP_T_INTEGER, 1);	/* up */
	snmp_vars_num(v, &o, OPER_PRIORITY, idx, SNMP_T_INTEGER, in->sm.priority);
	snmp_vars_num(v, &o, OPER_ADDR_COUNT, idx, SNMP_T_INTEGER, in->n_vips4);
	snmp_vars_ip(v, &o, OPER_MASTER, idx, master_addr(in));
	snmp_vars_ip(v, &o, OPER_PRIMARY, idx, in->src.s_addr ? in->src : in->base_if->primary);
	snmp_vars_num(v, &o, OPER_AUTH_TYPE, idx, SNMP_T_INTEGER, rfc_auth_type(c->auth_type));
	snmp_vars_str(v, &o, OPER_AUTH_KEY, idx, "");	/* RFC: always read as empty */
	snmp_vars_num(v, &o, OPER_ADVER_INT, idx, SNMP_T_INTEGER, c->advert_int_s);
	snmp_vars_num(v, &o, OPER_PREEMPT, idx, SNMP_T_INTEGER, c->nopreempt ? SNMP_FALSE : SNMP_TRUE);
	/* sysUpTime belongs to the master agent; we cannot name its value. */
	snmp_vars_num(v, &o, OPER_UP_TIME, idx, SNMP_T_TIMETICKS, 0);
	snmp_vars_num(v, &o, OPER_PROTOCOL, idx, SNMP_T_INTEGER, 1);	/* ip */
	snmp_vars_num(v, &o, OPER_ROW_STATUS, idx, SNMP_T_INTEGER, ROW_ACTIVE);
}

static void fill_asso_rows(struct snmp_vars *v, const struct vrrp_inst *in, const struct snmp_oid *idx)
{
	struct snmp_oid o, row;

	rfc_oid(&o, RFC_OPERATIONS, RFC_ASSO_TABLE, 1);
	for (unsigned i = 0; i < in->n_vips4; i++) {
		row = *idx;
		snmp_oid_add_ip(&row, in->vips4[i]);
		snmp_vars_num(v, &o, 2, &row, SNMP_T_INTEGER, ROW_ACTIVE);
	}
}

static void fill_stats_row(struct snmp_vars *v, const struct vrrp_inst *in, const struct snmp_oid *idx)
{
	const uint64_t *d = in->drops;
	const struct { uint32_t col; uint64_t value; } cols[] = {
		{ ST_BECOME_MASTER, in->sm.become_master },
		{ ST_ADVERT_RCVD, in->sm.adverts_rcvd },
		{ ST_INTERVAL_ERR, d[VRRP_DROP_INTERVAL] },
		{ ST_AUTH_FAIL, d[VRRP_DROP_AUTH] },
		{ ST_TTL_ERR, d[VRRP_DROP_TTL] },
		{ ST_PRIO0_RCVD, in->sm.prio0_rcvd },
		{ ST_PRIO0_SENT, in->sm.prio0_sent },
		{ ST_INVALID_TYPE, d[VRRP_DROP_TYPE] },
		{ ST_ADDR_LIST_ERR, d[VRRP_DROP_ADDR_LIST] },
		/* one drop reason covers unknown and mismatched types */
		{ ST_INVALID_AUTH_TYPE, 0 },
		{ ST_AUTH_TYPE_MISMATCH, d[VRRP_DROP_AUTH_TYPE] },
		{ ST_LENGTH_ERR, d[VRRP_DROP_LENGTH] },
	};
	struct snmp_oid o;

	rfc_oid(&o, RFC_STATISTICS, RFC_STATS_TABLE, 1);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		snmp_vars_num(v, &o, cols[i].col, idx, SNMP_T_COUNTER32, cols[i].value);
}

/* Router-wide errors (checksum, version, VRID): counted per interface,
 * plus those an instance dropped after the AH unwrapping. */
static uint64_t router_drops(const struct vrrp_rt *rt, enum vrrp_drop r)
{
	uint64_t n = 0;

	for (size_t i = 0; i < rt->n_ifs; i++)
		n += rt->ifs[i]->drops[r];
	for (size_t i = 0; i < rt->n_insts; i++)
		n += rt->insts[i]->drops[r];
	return n;
}

static void fill_rfc(struct snmp_vars *v, void *arg)
{
	const struct vrrp_rt *rt = arg;
	static const struct snmp_oid zero = { .n = { 0 }, .len = 1 };
	struct snmp_oid o, idx;

	rfc_oid(&o, RFC_OPERATIONS, 0, 0);
	snmp_vars_num(v, &o, RFC_NODE_VERSION, &zero, SNMP_T_INTEGER, 2);
	snmp_vars_num(v, &o, RFC_NOTIFICATION_CNTL, &zero, SNMP_T_INTEGER,
		      rt->global->snmp_traps ? 1 : 2);
	rfc_oid(&o, RFC_STATISTICS, 0, 0);
	snmp_vars_num(v, &o, RFC_CHECKSUM_ERRORS, &zero, SNMP_T_COUNTER32,
		      router_drops(rt, VRRP_DROP_CHECKSUM));
	snmp_vars_num(v, &o, RFC_VERSION_ERRORS, &zero, SNMP_T_COUNTER32,
		      router_drops(rt, VRRP_DROP_VERSION));
	snmp_vars_num(v, &o, RFC_VRID_ERRORS, &zero, SNMP_T_COUNTER32,
		      router_drops(rt, VRRP_DROP_VRID));
	for (size_t i = 0; i < rt->n_insts; i++) {
		const struct vrrp_inst *in = rt->insts[i];

		if (!rfc_index(in, &idx))
			continue;
		fill_oper_row(v, in, &idx);
		fill_asso_rows(v, in, &idx);
		fill_stats_row(v, in, &idx);
	}
}

/* ---- KEEPALIVED-MIB, VRRP part --------------------------------------------- */

enum { KA_VRRP_INSTANCE_TABLE = 1, KA_VRRP_GROUP_TABLE = 2 };
/* kaVrrpInstanceEntry columns (1, the index, is not accessible) */
enum { KI_NAME = 2, KI_STATE, KI_VRID, KI_INTERFACE, KI_BASE_PRIORITY, KI_PRIORITY,
       KI_MASTER, KI_BECOME_MASTER, KI_ADVERTS_RCVD, KI_ADVERTS_SENT, KI_PRIO0_RCVD,
       KI_PRIO0_SENT, KI_TRANSITIONS, KI_DROPPED, KI_SYNC_GROUP };
/* kaVrrpSyncGroupEntry columns; name and state as in the instance table */
enum { KG_NAME = KI_NAME, KG_STATE = KI_STATE, KG_MEMBERS };

/* init(1), backup(2), master(3), fault(4) */
static unsigned ka_state(enum vrrp_state s)
{
	return (unsigned)s + 1;
}

static void ka_table_oid(struct snmp_oid *o, uint32_t table)
{
	ka_mib_oid(o, 3, (const uint32_t[]){ KA_MIB_VRRP, table, 1 });
}

static uint64_t total_drops(const struct vrrp_inst *in)
{
	uint64_t n = 0;

	for (int r = 1; r < VRRP_DROP_REASONS; r++)
		n += in->drops[r];
	return n;
}

static void fill_ka_instance(struct snmp_vars *v, const struct vrrp_inst *in, uint32_t index)
{
	const struct vrrp_rt *rt = in->rt;
	struct snmp_oid o, idx = { .n = { index }, .len = 1 };
	const struct { uint32_t col; uint64_t value; } counters[] = {
		{ KI_BECOME_MASTER, in->sm.become_master },
		{ KI_ADVERTS_RCVD, in->sm.adverts_rcvd },
		{ KI_ADVERTS_SENT, in->sm.adverts_sent },
		{ KI_PRIO0_RCVD, in->sm.prio0_rcvd },
		{ KI_PRIO0_SENT, in->sm.prio0_sent },
		{ KI_TRANSITIONS, in->sm.transitions },
		{ KI_DROPPED, total_drops(in) },
	};

	ka_table_oid(&o, KA_VRRP_INSTANCE_TABLE);
	snmp_vars_str(v, &o, KI_NAME, &idx, in->conf->name);
	snmp_vars_num(v, &o, KI_STATE, &idx, SNMP_T_INTEGER, ka_state(in->sm.state));
	snmp_vars_num(v, &o, KI_VRID, &idx, SNMP_T_INTEGER, in->conf->vrid);
	snmp_vars_str(v, &o, KI_INTERFACE, &idx, in->vif->name);
	snmp_vars_num(v, &o, KI_BASE_PRIORITY, &idx, SNMP_T_INTEGER, in->conf->priority);
	snmp_vars_num(v, &o, KI_PRIORITY, &idx, SNMP_T_INTEGER, in->sm.priority);
	snmp_vars_ip(v, &o, KI_MASTER, &idx, master_addr(in));
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		snmp_vars_num(v, &o, counters[i].col, &idx, SNMP_T_COUNTER64, counters[i].value);
	snmp_vars_str(v, &o, KI_SYNC_GROUP, &idx,
		      in->group >= 0 ? rt->groups[in->group]->conf->name : "");
}

static void fill_ka_group(struct snmp_vars *v, const struct vrrp_group_rt *g, uint32_t index)
{
	struct snmp_oid o, idx = { .n = { index }, .len = 1 };

	ka_table_oid(&o, KA_VRRP_GROUP_TABLE);
	snmp_vars_str(v, &o, KG_NAME, &idx, g->conf->name);
	snmp_vars_num(v, &o, KG_STATE, &idx, SNMP_T_INTEGER, ka_state(g->state));
	snmp_vars_num(v, &o, KG_MEMBERS, &idx, SNMP_T_GAUGE, g->n_members);
}

static void fill_ka_vrrp(struct snmp_vars *v, void *arg)
{
	const struct vrrp_rt *rt = arg;

	for (size_t i = 0; i < rt->n_insts; i++)
		fill_ka_instance(v, rt->insts[i], (uint32_t)i + 1);
	for (size_t i = 0; i < rt->n_groups; i++)
		fill_ka_group(v, rt->groups[i], (uint32_t)i + 1);
}

/* ---- notifications ------------------------------------------------------- */

struct trap_ctx {
	struct vrrp_rt *rt;
	const struct vrrp_inst *in;
	const struct vrrp_group_rt *g;
	struct in_addr src;
	unsigned auth_error;
};

static uint32_t inst_index(const struct vrrp_inst *in)
{
	for (size_t i = 0; i < in->rt->n_insts; i++)
		if (in->rt->insts[i] == in)
			return (uint32_t)i + 1;
	return 0;
}

static uint32_t group_index(const struct vrrp_group_rt *g)
{
	for (size_t i = 0; i < g->rt->n_groups; i++)
		if (g->rt->groups[i] == g)
			return (uint32_t)i + 1;
	return 0;
}

/* Both state notifications carry kaRouterId, then the row's name and
 * state (columns 2 and 3 in the instance and the group table alike). */
static void add_name_state(struct snmp_vars *v, const struct trap_ctx *t, uint32_t table,
			   uint32_t index, const char *name, enum vrrp_state s)
{
	struct snmp_oid o, idx = { .n = { index }, .len = 1 };

	ka_mib_add_router_id(v, &t->rt->snmp->global);
	ka_table_oid(&o, table);
	snmp_vars_str(v, &o, KI_NAME, &idx, name);
	snmp_vars_num(v, &o, KI_STATE, &idx, SNMP_T_INTEGER, ka_state(s));
}

static void fill_ka_instance_trap(struct snmp_vars *v, void *arg)
{
	const struct trap_ctx *t = arg;

	add_name_state(v, t, KA_VRRP_INSTANCE_TABLE, inst_index(t->in), t->in->conf->name,
		       t->in->sm.state);
}

static void fill_ka_group_trap(struct snmp_vars *v, void *arg)
{
	const struct trap_ctx *t = arg;

	add_name_state(v, t, KA_VRRP_GROUP_TABLE, group_index(t->g), t->g->conf->name, t->g->state);
}

static void fill_new_master(struct snmp_vars *v, void *arg)
{
	const struct trap_ctx *t = arg;
	struct snmp_oid o, idx;

	if (!rfc_index(t->in, &idx))
		return;
	rfc_oid(&o, RFC_OPERATIONS, RFC_OPER_TABLE, 1);
	snmp_vars_ip(v, &o, OPER_MASTER, &idx, master_addr(t->in));
}

static void fill_auth_failure(struct snmp_vars *v, void *arg)
{
	const struct trap_ctx *t = arg;
	static const struct snmp_oid zero = { .n = { 0 }, .len = 1 };
	struct snmp_oid o;

	rfc_oid(&o, RFC_OPERATIONS, 0, 0);
	snmp_vars_ip(v, &o, RFC_TRAP_PACKET_SRC, &zero, t->src);
	snmp_vars_num(v, &o, RFC_TRAP_AUTH_ERROR_TYPE, &zero, SNMP_T_INTEGER, t->auth_error);
}

static struct vrrp_snmp *traps_on(const struct vrrp_rt *rt)
{
	return rt->snmp && rt->snmp->agent && rt->global->snmp_traps ? rt->snmp : NULL;
}

void vrrp_snmp_instance_state(struct vrrp_inst *in, enum vrrp_state to)
{
	struct vrrp_snmp *s = traps_on(in->rt);
	struct trap_ctx t = { .rt = in->rt, .in = in };
	struct snmp_oid o;

	if (!s)
		return;
	if (s->ours_on) {
		ka_mib_oid(&o, 2, (const uint32_t[]){ KA_MIB_NOTIFICATIONS,
						      KA_TRAP_VRRP_INSTANCE_STATE });
		snmp_agent_notify(s->agent, o.n, o.len, fill_ka_instance_trap, &t);
	}
	if (s->rfc_on && to == VRRP_STATE_MASTER && in->vif->ifindex > 0) {
		rfc_oid(&o, RFC_NOTIFICATIONS, TRAP_NEW_MASTER, 0);
		snmp_agent_notify(s->agent, o.n, o.len, fill_new_master, &t);
	}
}

void vrrp_snmp_group_state(struct vrrp_group_rt *g)
{
	struct vrrp_snmp *s = traps_on(g->rt);
	struct trap_ctx t = { .rt = g->rt, .g = g };
	struct snmp_oid o;

	if (!s || !s->ours_on)
		return;
	ka_mib_oid(&o, 2, (const uint32_t[]){ KA_MIB_NOTIFICATIONS, KA_TRAP_VRRP_GROUP_STATE });
	snmp_agent_notify(s->agent, o.n, o.len, fill_ka_group_trap, &t);
}

void vrrp_snmp_auth_failure(struct vrrp_inst *in, struct in_addr src, enum vrrp_drop why)
{
	struct vrrp_snmp *s = traps_on(in->rt);
	/* authTypeMismatch(2), authFailure(3) */
	struct trap_ctx t = { .rt = in->rt, .in = in, .src = src,
			      .auth_error = why == VRRP_DROP_AUTH_TYPE ? 2 : 3 };
	struct snmp_oid o;

	if (!s || !s->rfc_on || (why != VRRP_DROP_AUTH && why != VRRP_DROP_AUTH_TYPE))
		return;
	rfc_oid(&o, RFC_NOTIFICATIONS, TRAP_AUTH_FAILURE, 0);
	snmp_agent_notify(s->agent, o.n, o.len, fill_auth_failure, &t);
}

/* ---- life ---------------------------------------------------------------- */

static void register_parts(struct vrrp_rt *rt)
{
	struct vrrp_snmp *s = rt->snmp;
	const struct global_conf *g = rt->global;
	struct snmp_oid o;

	if (g->snmp_vrrp && !s->global_on)
		s->global_on = ka_mib_register_global(s->agent, &s->global, 127) == 0;
	if (g->snmp_vrrp && !s->ours_on) {
		ka_mib_oid(&o, 1, (const uint32_t[]){ KA_MIB_VRRP });
		s->ours_on = snmp_agent_register(s->agent, o.n, o.len, 127, fill_ka_vrrp, rt) == 0;
	}
	if (g->snmp_rfc && !s->rfc_on) {
		static const uint32_t root[] = { VRRP_MIB_OID };

		s->rfc_on = snmp_agent_register(s->agent, root, VRRP_MIB_LEN, 127, fill_rfc, rt) == 0;
	}
}

void vrrp_snmp_apply(struct vrrp_rt *rt)
{
	const struct global_conf *g = rt->global;

	if (!rt->snmp && !g->snmp_vrrp && !g->snmp_rfc)
		return;
	if (!rt->snmp) {
		rt->snmp = calloc(1, sizeof(*rt->snmp));
		if (!rt->snmp) {
			log_err("SNMP: out of memory");
			return;
		}
		rt->snmp->agent = snmp_agent_start(rt->loop, "keepalived-vrrp", g->snmp_socket);
		if (!rt->snmp->agent)
			return;
	}
	ka_mib_global_set(&rt->snmp->global, g->router_id);
	if (rt->snmp->agent)
		register_parts(rt);
}

void vrrp_snmp_stop(struct vrrp_rt *rt)
{
	if (!rt->snmp)
		return;
	snmp_agent_stop(rt->snmp->agent);
	free(rt->snmp);
	rt->snmp = NULL;
}
