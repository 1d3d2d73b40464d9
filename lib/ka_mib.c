/* The global group of KEEPALIVED-MIB; see ka_mib.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ka_mib.h"

/* Captured here: the SNMP files that include net-snmp lose PACKAGE_VERSION. */
static const char ka_version[] = PACKAGE_NAME " " PACKAGE_VERSION;

void ka_mib_oid(struct snmp_oid *o, size_t n, const uint32_t *subs)
{
	static const uint32_t root[] = { KA_MIB_OID };

	snmp_oid_set(o, root, KA_MIB_LEN);
	for (size_t i = 0; i < n; i++)
		snmp_oid_add(o, subs[i]);
}

void ka_mib_global_set(struct ka_mib_global *g, const char *router_id)
{
	if (router_id && router_id[0]) {
		snprintf(g->router_id, sizeof(g->router_id), "%s", router_id);
		return;
	}
	if (gethostname(g->router_id, sizeof(g->router_id)) < 0)
		g->router_id[0] = '\0';
	g->router_id[sizeof(g->router_id) - 1] = '\0';
}

static const struct snmp_oid zero = { .n = { 0 }, .len = 1 };

void ka_mib_add_router_id(struct snmp_vars *v, const struct ka_mib_global *g)
{
	struct snmp_oid o;

	ka_mib_oid(&o, 1, (const uint32_t[]){ KA_MIB_GLOBAL });
	snmp_vars_str(v, &o, KA_GLOBAL_ROUTER_ID, &zero, g->router_id);
}

static void fill_global(struct snmp_vars *v, void *arg)
{
	const struct ka_mib_global *g = arg;
	struct snmp_oid o;

	ka_mib_oid(&o, 1, (const uint32_t[]){ KA_MIB_GLOBAL });
	snmp_vars_str(v, &o, KA_GLOBAL_VERSION, &zero, ka_version);
	ka_mib_add_router_id(v, g);
}

int ka_mib_register_global(struct snmp_agent *a, struct ka_mib_global *g, int priority)
{
	struct snmp_oid o;

	ka_mib_oid(&o, 1, (const uint32_t[]){ KA_MIB_GLOBAL });
	return snmp_agent_register(a, o.n, o.len, priority, fill_global, g);
}
