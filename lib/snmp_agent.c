/* snmp_agent.h's functions in the daemon: the first snmp_agent_start()
 * loads keepalived-snmp.so (snmp_module.h), every call goes to its table.
 * An agent exists only once the module is loaded. */
#include "config.h"

#include "log.h"
#include "snmp_module.h"

static const struct snmp_module *mod;

struct snmp_agent *snmp_agent_start(struct ev_loop *loop, const char *app, const char *socket)
{
	char why[512];

	if (!mod) {
		mod = (const struct snmp_module *)module_load(SNMP_MODULE_FILE, SNMP_MODULE_SYMBOL,
							      SNMP_MODULE_ABI, why, sizeof(why));
		if (!mod) {
			log_err("SNMP: cannot load the SNMP module: %s; no SNMP", why);
			return NULL;
		}
	}
	return mod->start(loop, app, socket);
}

int snmp_agent_register(struct snmp_agent *a, const uint32_t *root, size_t len, int priority,
			snmp_fill_fn *fill, void *arg)
{
	return mod->register_subtree(a, root, len, priority, fill, arg);
}

void snmp_agent_notify(struct snmp_agent *a, const uint32_t *trap, size_t len,
		       snmp_fill_fn *fill, void *arg)
{
	mod->notify(a, trap, len, fill, arg);
}

bool snmp_agent_connected(const struct snmp_agent *a)
{
	return a && mod->connected(a);
}

void snmp_agent_stop(struct snmp_agent *a)
{
	if (a)
		mod->stop(a);
}
