/* The parent process: starts the children the configuration needs,
 * restarts a child that dies (with back-off), validates reloads before
 * handing them over, and stops everything cleanly. */
#ifndef KA_SUPERVISOR_H
#define KA_SUPERVISOR_H

#include "cmdline.h"
#include "ka_conf.h"

/* Exit status of keepalived when the configuration cannot be run, as
 * keepalived's --config-test documents it. */
#define EXIT_CONFIG 3

/* Run the parent until SIGTERM/SIGINT.  Takes ownership of `conf` and of
 * `snap_fd`, its sealed snapshot.  `ready_fd` (or -1) is written one byte
 * and closed once the pid files are held and the children started, so a
 * daemonizing caller can exit with the right status.  Returns the exit
 * status. */
int supervisor_run(const struct options *o, struct ka_config *conf, int snap_fd, int ready_fd);

#endif
