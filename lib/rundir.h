/* The run directory (default /run/keepalived): where the control socket
 * and the SIGUSR1/SIGUSR2 dumps live.  Files there are read by operators
 * and tools as the truth about the daemon, so the directory must be ours
 * alone: a real directory (not a symbolic link), owned by our user, not
 * writable by group or others.  Files are written without following
 * symbolic links and replaced atomically. */
#ifndef KA_RUNDIR_H
#define KA_RUNDIR_H

#include <stddef.h>
#include <stdio.h>

/* Create `path` (mode 0700) when it is missing, then open it as
 * rundir_open() does.  Returns a directory fd (O_CLOEXEC) or -1 with a
 * sentence in `err` saying why the directory cannot be used. */
int rundir_prepare(const char *path, char *err, size_t errlen);

/* Open the existing run directory `path` and check it: not a symbolic
 * link, a directory, owned by the effective user, no group or other write
 * permission.  Returns a directory fd or -1 with `err` filled. */
int rundir_open(const char *path, char *err, size_t errlen);

/* Write `name` in the directory `dirfd`: fill(out, arg) writes the
 * contents into a new file of mode 0600 under a temporary name (created
 * with O_EXCL | O_NOFOLLOW), which then replaces `name` by rename(2), so a
 * symbolic link planted at `name` is replaced, never followed, and a
 * reader never sees half a file.  fill returns 0, or -1 to abandon the
 * file.  Returns 0 or -1 with `err` filled. */
int rundir_write_file(int dirfd, const char *name, int (*fill)(FILE *out, void *arg), void *arg,
		      char *err, size_t errlen);

#endif
