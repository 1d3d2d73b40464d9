#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "rundir.h"

static int check_dir(int fd, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		errbuf_set(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		errbuf_set(err, errlen, "%s is not a directory", path);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		errbuf_set(err, errlen, "%s is owned by uid %u, not by uid %u (%s)", path,
			   (unsigned)st.st_uid, (unsigned)geteuid(),
			   geteuid() == 0 ? "root" : "our user");
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		errbuf_set(err, errlen, "%s is writable by group or others (mode %04o)", path,
			   (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

int rundir_open(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	/* lstat first only to say clearly why O_NOFOLLOW below refuses. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		errbuf_set(err, errlen, "%s is a symbolic link", path);
		return -1;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		errbuf_set(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (check_dir(fd, path, err, errlen) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int rundir_prepare(const char *path, char *err, size_t errlen)
{
	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		errbuf_set(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	return rundir_open(path, err, errlen);
}

/* O_EXCL makes the temporary name ours; one left over by a crash is
 * removed once and the creation retried. */
static int create_temp(int dirfd, const char *tmp)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	int fd = openat(dirfd, tmp, flags, 0600);

	if (fd < 0 && errno == EEXIST && unlinkat(dirfd, tmp, 0) == 0)
		fd = openat(dirfd, tmp, flags, 0600);
	if (fd >= 0 && fchmod(fd, 0600) < 0) {	/* 0600 whatever the umask */
		close(fd);
		fd = -1;
	}
	return fd;
}

int rundir_write_file(int dirfd, const char *name, int (*fill)(FILE *out, void *arg), void *arg,
		      char *err, size_t errlen)
{
	char tmp[256];
	FILE *out;
	int fd, ok;

	snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", name, (long)getpid());
	fd = create_temp(dirfd, tmp);
	if (fd < 0) {
		errbuf_set(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	out = fdopen(fd, "w");
	if (!out) {
		errbuf_set(err, errlen, "%s: %s", tmp, strerror(errno));
		close(fd);
		goto bad;
	}
	ok = fill(out, arg) == 0 && !ferror(out);
	if (fclose(out) != 0 || !ok) {
		errbuf_set(err, errlen, "cannot write %s", name);
		goto bad;
	}
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		errbuf_set(err, errlen, "cannot rename %s to %s: %s", tmp, name, strerror(errno));
		goto bad;
	}
	return 0;
bad:
	unlinkat(dirfd, tmp, 0);
	return -1;
}
