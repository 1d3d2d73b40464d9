/* Assembles the configuration from the keyword tables of each subsystem. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_tree.h"
#include "log.h"
#include "keepalived/ka_conf.h"

/* A top-level statement belongs to the first subsystem whose table knows
 * its keyword; each subsystem fills its own part of the configuration. */
static void dispatch_top(struct ka_config *c, struct diags *d, const struct conf_node *n)
{
	if (kw_try_dispatch(d, global_top_keywords, n, c))
		return;
	if (kw_try_dispatch(d, vrrp_top_keywords, n, &c->vrrp))
		return;
	if (kw_try_dispatch(d, check_top_keywords, n, &c->check))
		return;
	kw_unknown(d, n, "configuration");
}

/* lvs_sync_daemon names a vrrp_instance: the one place where the checker's
 * configuration refers to VRRP's, so the check lives above both.  The
 * sync id defaults to the instance's VRID. */
static void link_sync_daemon(struct ka_config *c, struct diags *d)
{
	struct lvs_sync_daemon_conf *s = &c->check.globals.sync;
	struct conf_pos pos = { s->vrrp_instance_file, s->vrrp_instance_line,
				s->vrrp_instance_col };
	long i;

	if (!s->enabled || !s->vrrp_instance[0])
		return;
	i = vrrp_conf_instance_index(&c->vrrp, s->vrrp_instance);
	if (i < 0) {
		diag_error(d, &pos, "lvs_sync_daemon: no vrrp_instance named '%s'", s->vrrp_instance);
		return;
	}
	if (!s->has_syncid)
		s->syncid = c->vrrp.instances[i].vrid;
}

struct ka_config *config_parse(struct snapshot *snap, const char *path, struct diags *d)
{
	struct ka_config *c = calloc(1, sizeof(*c));
	struct conf_node *root;

	if (!c)
		return NULL;
	global_conf_init(&c->global);
	vrrp_conf_init(&c->vrrp);
	check_conf_init(&c->check);
	root = conf_parse(snap, path, d);
	if (!root) {
		config_free(c);
		return NULL;
	}
	for (size_t i = 0; i < root->nchildren; i++)
		dispatch_top(c, d, &root->children[i]);
	global_conf_check_alerts(&c->global, root, d);
	conf_tree_free(root);
	global_conf_validate(&c->global, d);
	vrrp_conf_validate(&c->vrrp, d);
	check_conf_validate(&c->check, d);
	link_sync_daemon(c, d);
	return c;
}

struct ka_config *config_load_file(const char *path, struct diags *d, int *snap_fd)
{
	struct snapshot *snap = snapshot_recorder();
	struct ka_config *c = NULL;

	if (!snap) {
		diag_error(d, NULL, "out of memory");
		return NULL;
	}
	c = config_parse(snap, path, d);
	if (!c || d->errors)
		goto bad;
	if (snap_fd) {
		*snap_fd = snapshot_seal(snap);
		if (*snap_fd < 0) {
			diag_error(d, NULL, "cannot seal the configuration snapshot: %s",
				   strerror(errno));
			goto bad;
		}
	}
	snapshot_free(snap);
	return c;
bad:
	config_free(c);
	snapshot_free(snap);
	return NULL;
}

struct ka_config *config_load_snapshot(int snap_fd, struct diags *d)
{
	char err[256];
	struct snapshot *snap = snapshot_open_fd(snap_fd, err, sizeof(err));
	struct ka_config *c;

	if (!snap) {
		diag_error(d, NULL, "configuration snapshot: %s", err);
		return NULL;
	}
	c = config_parse(snap, snapshot_root(snap), d);
	snapshot_free(snap);
	if (c && d->errors) {
		config_free(c);
		c = NULL;
	}
	return c;
}

void config_free(struct ka_config *c)
{
	if (!c)
		return;
	global_conf_free(&c->global);
	vrrp_conf_free(&c->vrrp);
	check_conf_free(&c->check);
	free(c);
}

bool config_wants_vrrp(const struct ka_config *c)
{
	return c->vrrp.n_instances > 0;
}

bool config_wants_checker(const struct ka_config *c)
{
	return c->check.n_virtual_servers > 0;
}

void config_log_diags(const struct diags *d, const char *prefix, bool warnings)
{
	char line[512];

	for (size_t i = 0; i < d->len; i++) {
		diag_format(&d->items[i], line, sizeof(line));
		if (d->items[i].level == DIAG_ERROR)
			log_err("%s%s", prefix, line);
		else if (warnings)
			log_warnx("%s%s", prefix, line);
	}
	if (d->dropped)
		log_err("%s%u more diagnostics not shown", prefix, d->dropped);
}
