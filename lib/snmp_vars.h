/* The object lists of the SNMP subagent (snmp_agent.h), shared by the
 * daemon, whose MIB code fills them, and the net-snmp module, which
 * answers from them (snmp_module.h).  Not for the MIB code: it uses the
 * snmp_vars_* builders of snmp_agent.h. */
#ifndef KA_SNMP_VARS_H
#define KA_SNMP_VARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snmp_agent.h"

struct snmp_var {
	struct snmp_oid oid;
	enum snmp_type type;
	uint64_t num;
	uint8_t *bytes;
	size_t n;
};

struct snmp_vars {
	struct snmp_var *v;
	size_t len, cap;
	bool failed;		/* out of memory: answer nothing rather than half */
};

/* Free every object and leave `v` empty. */
void snmp_vars_free(struct snmp_vars *v);

#endif
