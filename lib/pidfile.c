/* Pid files; see pidfile.h.
 *
 * The lock, not the file's existence, says whether an instance is running:
 * a file left by a crash carries no lock and is simply taken over.  The file
 * is opened without following symlinks and must be a regular file with one
 * link, owned by us, so a hostile link in a shared directory cannot make a
 * root daemon truncate some other file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "pidfile.h"

/* How often to retry when the file we locked was unlinked under us. */
#define PIDFILE_ATTEMPTS 5

static int pf_write_pid(int fd, pid_t pid)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%ld\n", (long)pid);

	ssize_t n;

	if (ftruncate(fd, 0) < 0)
		return -1;
	n = pwrite(fd, buf, (size_t)len, 0);
	if (n < 0)
		return -1;
	if (n != (ssize_t)len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* The pid written by the holder, or 0 if it has not written one yet. */
static long pf_read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	char *end;
	long pid;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || pid <= 0)
		return 0;
	return pid;
}

/* Refuse anything but a plain file of ours with a single name. */
static int pf_check_file(int fd, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		errbuf_set(err, errlen, "pid file %s: fstat: %s", path, strerror(errno));
		return -1;
	}
	errno = EPERM;
	if (!S_ISREG(st.st_mode)) {
		errbuf_set(err, errlen, "pid file %s is not a regular file; refusing it", path);
		return -1;
	}
	if (st.st_nlink != 1) {
		errbuf_set(err, errlen, "pid file %s has %lu hard links; refusing it",
			 path, (unsigned long)st.st_nlink);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		errbuf_set(err, errlen, "pid file %s is owned by uid %lu, not by us; refusing it",
			 path, (unsigned long)st.st_uid);
		return -1;
	}
	return 0;
}

/* Does `path` still name the file open on `fd`?  The previous holder may
 * have unlinked it between our open() and our flock(). */
static bool pf_same_file(int fd, const char *path)
{
	struct stat a, b;

	if (fstat(fd, &a) < 0 || lstat(path, &b) < 0)
		return false;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int pf_open(const char *path, char *err, size_t errlen)
{
	/* O_NONBLOCK: a FIFO or device planted here must not hang us; it is
	 * refused right after by the regular-file check. */
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
		      0644);

	if (fd >= 0)
		return fd;
	if (errno == ELOOP)
		errbuf_set(err, errlen, "pid file %s is a symbolic link; refusing it", path);
	else if (errno == EISDIR)
		errbuf_set(err, errlen, "pid file %s is a directory; refusing it", path);
	else
		errbuf_set(err, errlen, "pid file %s: open: %s", path, strerror(errno));
	return -1;
}

/* One attempt.  Returns the locked fd, -1 on error, or -2 when the file was
 * replaced under us and the caller should try again. */
static int pf_try_lock(const char *path, char *err, size_t errlen)
{
	int fd, saved;
	long holder;

	fd = pf_open(path, err, errlen);
	if (fd < 0)
		return -1;
	if (pf_check_file(fd, path, err, errlen) < 0)
		goto bad;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK) {
			errbuf_set(err, errlen, "pid file %s: flock: %s", path, strerror(errno));
			goto bad;
		}
		holder = pf_read_pid(fd);
		if (holder > 0)
			errbuf_set(err, errlen, "another instance is running (pid %ld) and holds %s",
				 holder, path);
		else
			errbuf_set(err, errlen, "another instance is running and holds %s", path);
		errno = EWOULDBLOCK;
		goto bad;
	}
	if (!pf_same_file(fd, path)) {
		close(fd);
		return -2;
	}
	return fd;
bad:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int pidfile_acquire(struct pidfile *pf, const char *path, pid_t pid, char *err, size_t errlen)
{
	int fd = -1, attempt, saved;

	pf->path = NULL;
	pf->fd = -1;
	for (attempt = 0; attempt < PIDFILE_ATTEMPTS; attempt++) {
		fd = pf_try_lock(path, err, errlen);
		if (fd != -2)
			break;
	}
	if (fd == -2) {
		errbuf_set(err, errlen, "pid file %s keeps being replaced; giving up", path);
		errno = EAGAIN;
		return -1;
	}
	if (fd < 0)
		return -1;
	/* An existing file keeps its old mode otherwise; ours is 0644 whatever the umask. */
	if (fchmod(fd, 0644) < 0 || pf_write_pid(fd, pid) < 0) {
		errbuf_set(err, errlen, "pid file %s: cannot write: %s", path, strerror(errno));
		goto bad;
	}
	pf->path = strdup(path);
	if (pf->path == NULL) {
		errbuf_set(err, errlen, "pid file %s: out of memory", path);
		goto bad;
	}
	pf->fd = fd;
	return 0;
bad:
	saved = errno;
	/* We hold the lock, so this half-written file is ours to remove. */
	unlink(path);
	close(fd);
	errno = saved;
	return -1;
}

int pidfile_update(struct pidfile *pf, pid_t pid)
{
	if (pf->fd < 0) {
		errno = EBADF;
		return -1;
	}
	return pf_write_pid(pf->fd, pid);
}

static void pf_close(struct pidfile *pf)
{
	if (pf->fd >= 0)
		close(pf->fd);
	free(pf->path);
	pf->path = NULL;
	pf->fd = -1;
}

/* Unlink while still holding the lock, and only our own inode: after the
 * close another instance may already own whatever file has this name. */
void pidfile_release(struct pidfile *pf)
{
	if (pf->fd >= 0 && pf->path != NULL && pf_same_file(pf->fd, pf->path))
		unlink(pf->path);
	pf_close(pf);
}

/* Closing our descriptor leaves the lock to the parent: a flock belongs to
 * the open file description, which the parent still has open.  LOCK_UN
 * would drop it for both, so it is never called. */
void pidfile_forget(struct pidfile *pf)
{
	pf_close(pf);
}
