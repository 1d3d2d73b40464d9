/* The whole configuration: parsed from a snapshot by the parent (to
 * validate it) and again by each child (to run it), with the same code. */
#ifndef KA_KA_CONF_H
#define KA_KA_CONF_H

#include <stdbool.h>

#include "check/check_parser.h"
#include "diag.h"
#include "global_conf.h"
#include "snapshot.h"
#include "vrrp/vrrp_parser.h"

#define DEFAULT_CONF_FILE SYSCONFDIR "/keepalived/keepalived.conf"

struct ka_config {
	struct global_conf global;
	struct vrrp_conf vrrp;
	struct check_conf check;
};

/* Parse the configuration rooted at `path` as recorded in `snap`, then run
 * the whole-file checks.  Returns NULL only when out of memory; the caller
 * decides from d->errors whether the result may be used. */
struct ka_config *config_parse(struct snapshot *snap, const char *path, struct diags *d);

/* Read `path` and its includes from disk, parse and validate.  On success
 * (no error in `d`) returns the configuration and stores a sealed snapshot fd
 * in *snap_fd (pass NULL when no snapshot is wanted, as for -t).  Returns
 * NULL if there was any error. */
struct ka_config *config_load_file(const char *path, struct diags *d, int *snap_fd);

/* Parse the configuration from a sealed snapshot made by config_load_file. */
struct ka_config *config_load_snapshot(int snap_fd, struct diags *d);

void config_free(struct ka_config *c);

/* Log diagnostics one per line, each behind `prefix`: errors always,
 * warnings only when `warnings` is set. */
void config_log_diags(const struct diags *d, const char *prefix, bool warnings);

/* Whether the configuration gives each child something to do. */
bool config_wants_vrrp(const struct ka_config *c);
bool config_wants_checker(const struct ka_config *c);

#endif
