/* The body of a child process (VRRP or checker) after the parent forked it:
 * its own event loop, its configuration parsed from the sealed snapshot the
 * parent validated, reloads received over the control socket, and a clean
 * stop on SIGTERM or when the parent goes away. */
#ifndef KA_CHILD_H
#define KA_CHILD_H

#include <stdint.h>

#include "cmdline.h"

enum child_kind { CHILD_VRRP, CHILD_CHECKER, CHILD_KINDS };

/* Name for logs ("VRRP", "checker"). */
const char *child_kind_name(enum child_kind kind);

/* Run the child until it stops; returns its exit status.  `ctl_fd` is the
 * child's end of the control socket, `snap_fd` the sealed snapshot of
 * configuration `generation`. */
int child_main(enum child_kind kind, int ctl_fd, int snap_fd, uint32_t generation,
	       const struct options *o);

#endif
