/* The checker configuration structs: defaults, names, lookups and freeing. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check_parser.h"
#include "check_parser_priv.h"

const char *lvs_method_name(enum lvs_method m)
{
	switch (m) {
	case LVS_NAT:
		return "NAT";
	case LVS_DR:
		return "DR";
	case LVS_TUN:
		return "TUN";
	}
	return "?";
}

const char *check_protocol_name(uint8_t protocol)
{
	const char *name = ip_proto_name(protocol);

	return name ? name : "?";
}

const char *checker_type_name(enum checker_type t)
{
	switch (t) {
	case CHECKER_TCP:
		return "TCP_CHECK";
	case CHECKER_HTTP:
		return "HTTP_GET";
	case CHECKER_SSL:
		return "SSL_GET";
	case CHECKER_MISC:
		return "MISC_CHECK";
	}
	return "?";
}

/* A linear scan: lookups happen when a configuration is loaded. */
const struct vs_group_conf *check_conf_group(const struct check_conf *c, const char *name)
{
	for (size_t i = 0; i < c->n_groups; i++)
		if (strcmp(c->groups[i].name, name) == 0)
			return &c->groups[i];
	return NULL;
}

void check_conf_init(struct check_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->globals.sync.port = CHECK_DEFAULT_SYNC_PORT;
	c->globals.sync.group.family = AF_INET;
	inet_pton(AF_INET, CHECK_DEFAULT_SYNC_GROUP, &c->globals.sync.group.u.v4);
}

void cp_real_server_free(struct real_server_conf *rs)
{
	for (size_t i = 0; i < rs->n_checkers; i++)
		cp_checker_free(&rs->checkers[i]);
	free(rs->checkers);
	cp_script_free(&rs->notify_up);
	cp_script_free(&rs->notify_down);
	free(rs->snmp_name);
	memset(rs, 0, sizeof(*rs));
}

void cp_virtual_server_free(struct virtual_server_conf *vs)
{
	for (size_t i = 0; i < vs->n_real_servers; i++)
		cp_real_server_free(&vs->real_servers[i]);
	free(vs->real_servers);
	cp_script_free(&vs->quorum_up);
	cp_script_free(&vs->quorum_down);
	free(vs->virtualhost);
	free(vs->snmp_name);
	memset(vs, 0, sizeof(*vs));
}

void check_conf_free(struct check_conf *c)
{
	for (size_t i = 0; i < c->n_virtual_servers; i++)
		cp_virtual_server_free(&c->virtual_servers[i]);
	free(c->virtual_servers);
	for (size_t i = 0; i < c->n_groups; i++)
		free(c->groups[i].entries);
	free(c->groups);
	free(c->ssl.password);
	free(c->ssl.ca);
	free(c->ssl.certificate);
	free(c->ssl.key);
	free(c->globals.sync.vrrp_instance_file);
	cp_refs_free(c);
	check_conf_init(c);
}
