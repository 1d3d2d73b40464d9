/* `keepalived --status [--json]`: ask the daemon that runs with the same
 * run directory for its status over the control socket and print it. */
#ifndef KA_STATUS_CLIENT_H
#define KA_STATUS_CLIENT_H

#include "cmdline.h"

/* Connects to <run_dir>/keepalived.ctl, sends "summary" (or "status" with
 * --json) and copies the answer to stdout.  Returns EXIT_SUCCESS, or
 * EXIT_FAILURE with a message on stderr when no daemon answers or the
 * daemon reports an error. */
int status_client_run(const struct options *o);

#endif
