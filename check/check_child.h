/* The checker child's runtime, driven by keepalived/child.c. */
#ifndef KA_CHECK_CHILD_H
#define KA_CHECK_CHILD_H

#include <stdbool.h>
#include <stdio.h>

#include "check_parser.h"
#include "event.h"
#include "keepalived/global_conf.h"

struct check_child;

/* Start health checking and IPVS programming on `loop`.  The configuration
 * stays valid until the next reload or stop.  With `keep_ipvs` (-I) our
 * IPVS services stay in the kernel when the child stops.  NULL (logged) on
 * failure. */
struct check_child *check_child_start(struct ev_loop *loop, const struct check_conf *conf,
				      const struct global_conf *global, bool keep_ipvs);

/* Move to a new configuration; unchanged services are not touched. */
int check_child_reload(struct check_child *c, const struct check_conf *conf,
		       const struct global_conf *global);

/* The VRRP instance `name` is now in `state` (enum vrrp_state values):
 * lvs_sync_daemon follows the instance it names. */
void check_child_vrrp_state(struct check_child *c, const char *name, unsigned state);

/* Begin a clean shutdown; `done(arg)` runs once everything is released
 * (possibly before this returns) and `c` is freed by then. */
void check_child_stop(struct check_child *c, void (*done)(void *arg), void *arg);

/* Status (check_report.c).  The JSON report is one object,
 * {"ipvs_available": bool, "virtual_servers": [... "real_servers": [...]]},
 * written into `j` where a value is expected; the text report is one line
 * per virtual and real server.  The dumps are what SIGUSR1 (configuration
 * and state) and SIGUSR2 (counters) write; they return 0, or -1 when the
 * output failed. */
struct json_out;
void check_child_report_json(struct check_child *c, struct json_out *j);
void check_child_report_text(struct check_child *c, FILE *out);
int check_child_dump_data(struct check_child *c, FILE *out);
int check_child_dump_stats(struct check_child *c, FILE *out);

#endif
