/* Messages between the parent and a child over their SOCK_SEQPACKET
 * control socket.  One message per datagram; a descriptor may ride along
 * (SCM_RIGHTS). */
#ifndef KA_CTL_MSG_H
#define KA_CTL_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum ctl_type {
	CTL_RELOAD = 1,		/* parent -> child: new snapshot fd attached */
	/* child -> parent: the child started with, or applied (state
	 * CTL_APPLIED) or could not apply (CTL_APPLY_FAILED), `generation` */
	CTL_RELOADED = 2,
	/* VRRP child -> parent -> checker child: instance `name` is now in
	 * `state` (enum vrrp_state).  The checker needs it for
	 * lvs_sync_daemon; VRRP and checker never talk directly. */
	CTL_VRRP_STATE = 3,
	/* parent -> child: report your status; `state` is the format
	 * (enum ctl_status_format), `seq` the request number. */
	CTL_STATUS = 4,
	/* child -> parent: the report for request `seq`, in a memfd
	 * attached (none: the child could not build it). */
	CTL_STATUS_REPLY = 5,
};

/* The state field of CTL_RELOADED. */
enum { CTL_APPLIED = 0, CTL_APPLY_FAILED = 1 };

enum ctl_status_format {
	CTL_STATUS_JSON = 0,	/* a JSON value for the child's section */
	CTL_STATUS_TEXT = 1,	/* human-readable lines, one per object */
};

/* A status report larger than this is refused by the parent. */
#define CTL_REPORT_MAX (8u << 20)

#define CTL_NAME_MAX 64

struct ctl_msg {
	uint32_t type;
	uint32_t generation;	/* configuration generation, counts reloads */
	uint32_t state;		/* CTL_VRRP_STATE; CTL_RELOADED: CTL_APPLIED or _FAILED */
	char name[CTL_NAME_MAX];	/* CTL_VRRP_STATE: NUL-terminated */
	uint32_t seq;		/* CTL_STATUS, CTL_STATUS_REPLY */
};

/* Send `m` with `fd` attached when fd >= 0.  Returns 0 or -1 with errno. */
int ctl_send(int sock, const struct ctl_msg *m, int fd);
/* The same, failing with EAGAIN instead of waiting when the peer's queue
 * is full: status traffic must never hold a loop up behind a hung peer. */
int ctl_send_nowait(int sock, const struct ctl_msg *m, int fd);

/* Receive one message.  *fd is the attached descriptor (O_CLOEXEC) or -1.
 * Returns 1 on a message, 0 on end of file, -1 with errno on error
 * (EAGAIN when nothing is waiting, EPROTO on a malformed message). */
int ctl_recv(int sock, struct ctl_msg *m, int *fd);

/* A report travels in a memfd, as a snapshot does for CTL_RELOAD, so its
 * size is not bound by a datagram.  ctl_blob_fd() returns a memfd
 * (O_CLOEXEC) holding `len` bytes of `data`, or -1 with errno. */
int ctl_blob_fd(const char *data, size_t len);

/* Read the whole memfd `fd` (from offset 0, at most `max` bytes) into a
 * new NUL-terminated buffer: 0 with *data (free it) and *len, or -1 with
 * errno (EFBIG when larger than `max`). */
int ctl_blob_read(int fd, size_t max, char **data, size_t *len);

#endif
