/* The reporting side of a child process: answering the parent's status
 * requests and writing the SIGUSR1 / SIGUSR2 dumps, for whichever runtime
 * the child runs.  Kept apart from child.c, which runs the child. */
#ifndef KA_CHILD_REPORT_H
#define KA_CHILD_REPORT_H

#include <stdbool.h>

#include "child.h"
#include "ctl_msg.h"

/* Build the report `req` (a CTL_STATUS) asks for from runtime `rt` of
 * `kind` and send it to the parent over `ctl_fd` as a CTL_STATUS_REPLY
 * with the same seq; the report rides in a memfd.  With `rt` NULL (the
 * child is stopping) the reply carries no memfd.  Failures are logged;
 * the parent then times out. */
void child_report_reply(enum child_kind kind, void *rt, int ctl_fd, const struct ctl_msg *req);

/* Write this child's dump into the run directory `run_dir`:
 * keepalived_vrrp.data / keepalived_check.data (configuration and state)
 * or, with `stats`, keepalived_vrrp.stats / keepalived_check.stats
 * (counters).  The directory is checked as the parent checked it and the
 * file replaced atomically (see lib/rundir.h).  Logs the outcome. */
void child_dump(enum child_kind kind, void *rt, const char *run_dir, bool stats);

#endif
