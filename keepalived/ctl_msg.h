/* Messages between the parent and a child over their SOCK_SEQPACKET
 * control socket.  One message per datagram; a descriptor may ride along
 * (SCM_RIGHTS). */
#ifndef KA_CTL_MSG_H
#define KA_CTL_MSG_H

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
};

/* The state field of CTL_RELOADED. */
enum { CTL_APPLIED = 0, CTL_APPLY_FAILED = 1 };

#define CTL_NAME_MAX 64

struct ctl_msg {
	uint32_t type;
	uint32_t generation;	/* configuration generation, counts reloads */
	uint32_t state;		/* CTL_VRRP_STATE; CTL_RELOADED: CTL_APPLIED or _FAILED */
	char name[CTL_NAME_MAX];	/* CTL_VRRP_STATE: NUL-terminated */
};

/* Send `m` with `fd` attached when fd >= 0.  Returns 0 or -1 with errno. */
int ctl_send(int sock, const struct ctl_msg *m, int fd);

/* Receive one message.  *fd is the attached descriptor (O_CLOEXEC) or -1.
 * Returns 1 on a message, 0 on end of file, -1 with errno on error
 * (EAGAIN when nothing is waiting, EPROTO on a malformed message). */
int ctl_recv(int sock, struct ctl_msg *m, int *fd);

#endif
