/* The parent's control socket, <run-dir>/keepalived.ctl: an AF_UNIX
 * stream socket (mode 0600 in a 0700 directory) on the parent's event
 * loop.  A client sends one request line and gets one answer, then the
 * connection closes:
 *
 *   "status\n"   one JSON document: version, pid, config_generation, and
 *                the "vrrp" and "checker" sections each child reports
 *                (null, with a note under "errors", when that child is not
 *                configured, not running, or did not answer in time)
 *   "summary\n"  the same as human-readable lines
 *
 * Requests are bounded in size, every client has a deadline, several are
 * served at once (when all CTL_MAX_CLIENTS slots are taken, the longest
 * silent client is dropped for a new one) and nothing blocks the loop. */
#ifndef KA_CTL_SERVER_H
#define KA_CTL_SERVER_H

#include <stdint.h>

#include "child.h"
#include "ctl_msg.h"
#include "event.h"

#define CTL_SOCKET_NAME		"keepalived.ctl"
/* A child that has not answered a status request by then is reported as
 * such; the answer goes out without its section. */
#define CTL_CHILD_TIMEOUT_US	(2ull * 1000000)
/* A client that has not sent its request and taken its answer by then is
 * dropped. */
#define CTL_CLIENT_TIMEOUT_US	(5ull * 1000000)
#define CTL_MAX_CLIENTS		16
#define CTL_REQUEST_MAX		128

struct ctl_server;

/* How the server reaches the children, provided by the supervisor. */
struct ctl_server_ops {
	/* Send CTL_STATUS (`format`, `seq`) to child `kind`.  0 when sent;
	 * -1 with *why ("not configured", ...) when that section is null. */
	int (*ask_child)(void *arg, enum child_kind kind, uint32_t format, uint32_t seq,
			 const char **why);
	uint32_t (*generation)(void *arg);
};

/* Prepare the run directory `run_dir` (created 0700 if missing; refused,
 * with a log line, if it is a symbolic link, not ours or writable by
 * others) and listen on its keepalived.ctl.  A stale socket file is
 * replaced; one another live daemon answers on is left alone.  Never
 * fatal: NULL (logged) means the daemon runs without a control socket. */
struct ctl_server *ctl_server_open(struct ev_loop *loop, const char *run_dir,
				   const struct ctl_server_ops *ops, void *arg);

/* A child's CTL_STATUS_REPLY `m`, with its memfd `fd` (-1: the child is
 * stopping and has no report); `fd` stays the caller's.  Replies nobody waits for any more are ignored.  `s` may
 * be NULL. */
void ctl_server_child_reply(struct ctl_server *s, enum child_kind kind, const struct ctl_msg *m,
			    int fd);

/* Close every connection and remove the socket file; `s` may be NULL. */
void ctl_server_close(struct ctl_server *s);

/* In a freshly forked child: close the inherited descriptors and free the
 * memory without touching the (parent's) loop or the socket file. */
void ctl_server_forget(struct ctl_server *s);

#endif
