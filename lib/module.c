/* Loading the daemon's optional modules; see module.h. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "module.h"

#ifndef KA_MODULE_DIR
#define KA_MODULE_DIR "/usr/local/lib/keepalived"
#endif

/* The directory of the running executable, from /proc/self/exe. */
static int exe_dir(char *dir, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", dir, len - 1);
	char *slash;

	if (n <= 0)
		return -1;
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return -1;
	*slash = '\0';
	return 0;
}

/* Root runs what it loads: the file must be ours or root's, and nobody
 * else may be able to change it. */
static int trusted(const char *path, char *err, size_t len)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, len, "%s: not a regular file", path);
		return -1;
	}
	if ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(err, len, "%s: refused (owner uid %u, mode %04o): it must belong to root "
			 "and be writable only by its owner", path, (unsigned)st.st_uid,
			 (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

/* The handle is never closed: the process calls the table until it exits. */
static const struct module_head *open_table(const char *path, const char *symbol, uint32_t abi,
					    char *err, size_t len)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	const struct module_head *t;

	if (!h) {
		snprintf(err, len, "%s", dlerror());
		return NULL;
	}
	t = dlsym(h, symbol);
	if (!t) {
		snprintf(err, len, "%s: no symbol %s", path, symbol);
	} else if (t->abi != abi || !t->version || strcmp(t->version, PACKAGE_VERSION) != 0) {
		snprintf(err, len, "%s: built for keepalived %s (table %u), this is %s (table %u)",
			 path, t->version ? t->version : "?", (unsigned)t->abi, PACKAGE_VERSION,
			 (unsigned)abi);
		t = NULL;
	}
	if (!t)
		dlclose(h);
	return t;
}

const struct module_head *module_load(const char *file, const char *symbol, uint32_t abi,
				      char *err, size_t len)
{
	char own[PATH_MAX], path[PATH_MAX + 64];
	const char *dirs[2];
	size_t n = 0;

	if (exe_dir(own, sizeof(own)) == 0)
		dirs[n++] = own;
	dirs[n++] = KA_MODULE_DIR;
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], file);
		if (access(path, F_OK) != 0)
			continue;
		if (trusted(path, err, len) < 0)
			return NULL;
		return open_table(path, symbol, abi, err, len);
	}
	snprintf(err, len, "%s not found in %s%s%s (is keepalived completely installed?)", file,
		 n > 1 ? own : "", n > 1 ? " nor in " : "", KA_MODULE_DIR);
	return NULL;
}
