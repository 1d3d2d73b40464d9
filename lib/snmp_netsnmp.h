/* The net-snmp headers, for the SNMP module only (lib/snmp_netsnmp.c).
 * net-snmp's configuration header defines the same PACKAGE_* macros as our
 * config.h; ours make way (snmp_netsnmp.c keeps its own version first). */
#ifndef KA_SNMP_NETSNMP_H
#define KA_SNMP_NETSNMP_H

#undef PACKAGE_BUGREPORT
#undef PACKAGE_NAME
#undef PACKAGE_STRING
#undef PACKAGE_TARNAME
#undef PACKAGE_URL
#undef PACKAGE_VERSION

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>
#include <net-snmp/library/large_fd_set.h>

#endif
