/* The SNMP subagent's net-snmp side (snmp_netsnmp.c) as a module,
 * lib/module.h: net-snmp and what it pulls in (Perl, Kerberos, libcrypto,
 * ...) are mapped only by a process whose configuration enables SNMP.  In
 * the daemon, snmp_agent.h's functions are those of snmp_agent.c, which
 * loads the module in snmp_agent_start() and forwards to this table; the
 * object lists cross as struct snmp_vars (snmp_vars.h). */
#ifndef KA_SNMP_MODULE_H
#define KA_SNMP_MODULE_H

#include "module.h"
#include "snmp_agent.h"

#define SNMP_MODULE_FILE	"keepalived-snmp.so"
#define SNMP_MODULE_SYMBOL	"ka_snmp_module"
#define SNMP_MODULE_ABI		1	/* bump with any change below or in snmp_vars.h */

/* The functions of snmp_agent.h, `a` never NULL. */
struct snmp_module {
	struct module_head head;
	struct snmp_agent *(*start)(struct ev_loop *loop, const char *app, const char *socket);
	int (*register_subtree)(struct snmp_agent *a, const uint32_t *root, size_t len,
				int priority, snmp_fill_fn *fill, void *arg);
	void (*notify)(struct snmp_agent *a, const uint32_t *trap, size_t len, snmp_fill_fn *fill,
		       void *arg);
	bool (*connected)(const struct snmp_agent *a);
	void (*stop)(struct snmp_agent *a);
};

#endif
