/* Pid files, created safely: never through a symlink, never a file with
 * several links or that is not a regular file, mode 0644, and locked for the
 * life of the process so a second instance is refused while a stale file
 * left by a crash is taken over. */
#ifndef KA_PIDFILE_H
#define KA_PIDFILE_H

#include <stddef.h>
#include <sys/types.h>

struct pidfile {
	char *path;
	int fd;		/* -1 when not held */
};

/* A pid file not (yet) held; release and forget are no-ops on it. */
#define PIDFILE_INIT { .path = NULL, .fd = -1 }

/* Open and lock `path`, write `pid`.  Returns 0; or -1 with a message in
 * `err`: errno EWOULDBLOCK means another live instance holds it (its pid is
 * named in the message). */
int pidfile_acquire(struct pidfile *pf, const char *path, pid_t pid, char *err, size_t errlen);

/* Rewrite the pid of a held pid file (a respawned child). */
int pidfile_update(struct pidfile *pf, pid_t pid);

/* Remove and unlock.  Safe on a pid file never acquired. */
void pidfile_release(struct pidfile *pf);

/* Close the descriptor without removing the file (in a forked child, so the
 * lock stays with the parent). */
void pidfile_forget(struct pidfile *pf);

#endif
