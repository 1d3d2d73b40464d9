/* The VRRP configuration structs: defaults, lookups and freeing. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp_parser.h"
#include "vrrp_parser_priv.h"

const char *vrrp_state_name(enum vrrp_state s)
{
	switch (s) {
	case VRRP_STATE_INIT:
		return "INIT";
	case VRRP_STATE_BACKUP:
		return "BACKUP";
	case VRRP_STATE_MASTER:
		return "MASTER";
	case VRRP_STATE_FAULT:
		return "FAULT";
	}
	return "UNKNOWN";
}

/* Linear scans: configurations hold tens of objects, and lookups happen
 * when the configuration is loaded, not per packet. */
const struct vrrp_script_conf *vrrp_conf_script(const struct vrrp_conf *c, const char *name)
{
	for (size_t i = 0; i < c->n_scripts; i++)
		if (strcmp(c->scripts[i].name, name) == 0)
			return &c->scripts[i];
	return NULL;
}

long vrrp_conf_instance_index(const struct vrrp_conf *c, const char *name)
{
	for (size_t i = 0; i < c->n_instances; i++)
		if (strcmp(c->instances[i].name, name) == 0)
			return (long)i;
	return -1;
}

void vrrp_conf_init(struct vrrp_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->globals.garp_master_delay_us = VRRP_DEFAULT_GARP_DELAY_US;
	c->globals.garp_master_repeat = VRRP_DEFAULT_GARP_REPEAT;
	c->globals.garp_master_refresh_us = 0;
	c->globals.garp_master_refresh_repeat = 1;
	c->globals.version = 2;
}

static void instance_free(struct vrrp_instance_conf *v)
{
	free(v->vips);
	free(v->vips_excluded);
	free(v->routes);
	free(v->rules);
	free(v->unicast_peers);
	free(v->track_ifs);
	free(v->track_scripts);
	free(v->track_files);
	free(v->track_procs);
	vp_notify_free(&v->notify);
}

static void group_free(struct vrrp_sync_group_conf *g)
{
	free(g->members);
	free(g->track_scripts);
	free(g->track_files);
	free(g->track_procs);
	vp_notify_free(&g->notify);
}

void vrrp_conf_free(struct vrrp_conf *c)
{
	for (size_t i = 0; i < c->n_instances; i++)
		instance_free(&c->instances[i]);
	for (size_t i = 0; i < c->n_groups; i++)
		group_free(&c->groups[i]);
	for (size_t i = 0; i < c->n_scripts; i++)
		free(c->scripts[i].script);
	free(c->instances);
	free(c->groups);
	free(c->scripts);
	vp_track_objs_free(c);
	free(c->static_addrs);
	free(c->static_routes);
	free(c->static_rules);
	vp_refs_free(c);
	vrrp_conf_init(c);
}

void vrrp_vmac_address(int family, uint8_t vrid, uint8_t mac[6])
{
	mac[0] = 0x00;
	mac[1] = 0x00;
	mac[2] = 0x5e;		/* IANA's OUI */
	mac[3] = 0x00;
	mac[4] = family == AF_INET6 ? 0x02 : 0x01;
	mac[5] = vrid;
}

void vrrp_vmac_default_name(int family, uint8_t vrid, char name[IF_NAMESIZE])
{
	snprintf(name, IF_NAMESIZE, "vrrp%s.%u", family == AF_INET6 ? "6" : "", vrid);
}
