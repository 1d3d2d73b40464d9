/* The VRRP child's runtime, driven by keepalived/child.c. */
#ifndef KA_VRRP_CHILD_H
#define KA_VRRP_CHILD_H

#include <stdio.h>

#include "event.h"
#include "keepalived/global_conf.h"
#include "vrrp_parser.h"

struct vrrp_child;

/* Told of every state change of every instance (the parent passes them on
 * to the checker, for lvs_sync_daemon). */
struct vrrp_hooks {
	void (*state_changed)(void *arg, const char *instance, enum vrrp_state to);
	void *arg;
};

/* Start the VRRP runtime on `loop`.  The configuration stays valid until
 * the next reload or stop.  `hooks` may be NULL.  NULL (logged) when it
 * cannot start. */
struct vrrp_child *vrrp_child_start(struct ev_loop *loop, const struct vrrp_conf *conf,
				    const struct global_conf *global,
				    const struct vrrp_hooks *hooks);

/* Move to a new configuration; unchanged instances keep their state. */
int vrrp_child_reload(struct vrrp_child *v, const struct vrrp_conf *conf,
		      const struct global_conf *global);

/* Begin a clean shutdown; `done(arg)` runs once everything is released
 * (possibly before this returns) and `v` is freed by then. */
void vrrp_child_stop(struct vrrp_child *v, void (*done)(void *arg), void *arg);

/* Status (vrrp_report.c).  The JSON report is one object,
 * {"instances": [...], "sync_groups": [...]}, written into `j` where a
 * value is expected; the text report is one line per instance and sync
 * group.  The dumps are what SIGUSR1 (configuration and state) and SIGUSR2
 * (counters) write; they return 0, or -1 when the output failed. */
struct json_out;
void vrrp_child_report_json(struct vrrp_child *v, struct json_out *j);
void vrrp_child_report_text(struct vrrp_child *v, FILE *out);
int vrrp_child_dump_data(struct vrrp_child *v, FILE *out);
int vrrp_child_dump_stats(struct vrrp_child *v, FILE *out);

#endif
