/* global_defs: settings shared by every part of the daemon. */
#ifndef KA_GLOBAL_CONF_H
#define KA_GLOBAL_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keyword.h"
#include "value.h"

#define ROUTER_ID_MAX		255
#define EMAIL_MAX		255
#define USER_NAME_MAX		32
#define SMTP_HELO_NAME_MAX	255
#define SNMP_SOCKET_MAX		255

struct global_conf {
	char router_id[ROUTER_ID_MAX + 1];	/* empty: the host name, resolved at run time */
	char **notification_email;		/* recipients of SMTP alerts */
	size_t n_notification_email;
	char notification_email_from[EMAIL_MAX + 1];
	bool has_smtp_server;
	struct ip_addr smtp_server;
	uint16_t smtp_port;			/* default 25 */
	uint64_t smtp_connect_timeout_us;	/* default 30 s */
	char smtp_helo_name[SMTP_HELO_NAME_MAX + 1];	/* empty: the router_id */
	bool smtp_alert;			/* default of every object's smtp_alert */
	char script_user[USER_NAME_MAX + 1];	/* empty: keepalived_script, else root */
	char script_group[USER_NAME_MAX + 1];	/* empty: the user's primary group */
	bool enable_script_security;
	/* SNMP AgentX subagent (lib/snmp_agent.h); -x sets the four flags. */
	bool snmp_vrrp;				/* enable_snmp_vrrp: KEEPALIVED-MIB, VRRP part */
	bool snmp_checker;			/* enable_snmp_checker: KEEPALIVED-MIB, checker part */
	bool snmp_rfc;				/* enable_snmp_rfc(v2): VRRP-MIB (RFC 2787) */
	bool snmp_traps;			/* enable_traps */
	char snmp_socket[SNMP_SOCKET_MAX + 1];	/* empty: net-snmp's default master */
};

#define SMTP_DEFAULT_PORT		25
#define SMTP_DEFAULT_CONNECT_TIMEOUT_US	(30ull * 1000000)

void global_conf_init(struct global_conf *g);
void global_conf_free(struct global_conf *g);

/* The top-level `global_defs` keyword (a table of one entry, whose handler
 * takes the whole struct ka_config) and the checks that need the whole file. */
extern const struct keyword global_top_keywords[];
void global_conf_validate(struct global_conf *g, struct diags *d);

/* Warn at every `smtp_alert` (global or an object's) that asks for mail
 * which cannot go anywhere: no smtp_server or no notification_email.
 * `root` is the parsed tree, walked before it is freed. */
void global_conf_check_alerts(const struct global_conf *g, const struct conf_node *root,
			      struct diags *d);

#endif
