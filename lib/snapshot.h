/* A configuration snapshot: the root file, every file it includes, and the
 * result of every include glob, frozen together.
 *
 * The parent builds a snapshot with a recorder, which reads the filesystem and
 * remembers every answer it gave.  Sealed into a memfd, the snapshot is handed
 * to the children, which parse it with the same parser through a replayer that
 * never touches the filesystem: the bytes that were validated are the bytes
 * that run. */
#ifndef KA_SNAPSHOT_H
#define KA_SNAPSHOT_H

#include <stddef.h>

struct snapshot;

/* Limits that keep a hostile configuration from exhausting memory. */
#define SNAPSHOT_MAX_FILE_SIZE	(64u << 20)	/* one file */
#define SNAPSHOT_MAX_TOTAL	(256u << 20)	/* all files together */
#define SNAPSHOT_MAX_GLOB	4096		/* paths one include may expand to */

/* A snapshot that reads from the filesystem and records what it read. */
struct snapshot *snapshot_recorder(void);

/* Open a sealed snapshot produced by snapshot_seal().  Takes its own copy of
 * the data; `fd` stays the caller's.  NULL with `err` filled on a malformed
 * or truncated snapshot. */
struct snapshot *snapshot_open_fd(int fd, char *err, size_t errlen);

/* Serialise everything recorded so far into a new memfd sealed against any
 * change.  Returns the fd (O_CLOEXEC) or -1 with errno set. */
int snapshot_seal(const struct snapshot *s);

void snapshot_free(struct snapshot *s);

/* Contents of `path` (an absolute or cwd-relative path, used as given).
 * Returns 0 and sets *data and *len (valid until snapshot_free; not
 * NUL-terminated), or -1 with an errno value in *err: ENOENT, EISDIR,
 * EACCES, EFBIG, ... For a replayer, a path never recorded gives ENOENT. */
int snapshot_file(struct snapshot *s, const char *path, const char **data,
		  size_t *len, int *err);

/* Expand a glob pattern (glob(3) semantics, sorted).  Returns 0 and sets
 * *paths and *n (valid until snapshot_free), or -1 with *err set (E2BIG when
 * more than SNAPSHOT_MAX_GLOB paths match).  No match is success with n 0. */
int snapshot_glob(struct snapshot *s, const char *pattern,
		  const char *const **paths, size_t *n, int *err);

/* The root path of the configuration (the first file read), or NULL. */
const char *snapshot_root(const struct snapshot *s);

#endif
