/* Script security; see script_sec.h.
 *
 * The walk resolves the path itself, one component at a time with lstat(),
 * instead of trusting realpath(): every symbolic link met on the way, and
 * every link inside a link's target, sits in a directory that must be safe
 * too, and realpath() would hide those directories. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"
#include "script_sec.h"

/* Like the kernel's limit on links followed in one lookup. */
#define SEC_MAX_LINKS 40

static void user_name(uid_t uid, char *buf, size_t len)
{
	const struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "%u", (unsigned)uid);
}

static void group_name(gid_t gid, char *buf, size_t len)
{
	const struct group *gr = getgrgid(gid);

	if (gr != NULL)
		snprintf(buf, len, "%s", gr->gr_name);
	else
		snprintf(buf, len, "%u", (unsigned)gid);
}

struct walk {
	uid_t runs_as;
	char cur[PATH_MAX];	/* resolved directory so far; "" is "/" */
	bool shared;		/* cur is writable by others but sticky */
	char *why;
	size_t whylen;
};

static bool trusted_uid(const struct walk *w, uid_t uid)
{
	return uid == 0 || uid == w->runs_as;
}

static bool group_writable(const struct stat *st)
{
	return (st->st_mode & S_IWGRP) != 0 && st->st_gid != 0;
}

/* Is the directory writable by someone untrusted, but sticky? */
static bool dir_shared(const struct stat *st)
{
	return (group_writable(st) || (st->st_mode & S_IWOTH)) && (st->st_mode & S_ISVTX);
}

/* Check one directory or file met on the walk. */
static int check_node(struct walk *w, const char *path, const struct stat *st)
{
	char name[64];

	if (!trusted_uid(w, st->st_uid)) {
		user_name(st->st_uid, name, sizeof(name));
		errbuf_set(w->why, w->whylen, "%s is owned by user %s", path, name);
		return -1;
	}
	if (S_ISDIR(st->st_mode) && dir_shared(st))
		return 0;
	if (group_writable(st)) {
		group_name(st->st_gid, name, sizeof(name));
		errbuf_set(w->why, w->whylen, "%s is writable by group %s", path, name);
		return -1;
	}
	if (st->st_mode & S_IWOTH) {
		errbuf_set(w->why, w->whylen, "%s is writable by others", path);
		return -1;
	}
	return 0;
}

/* Make `dir` ("" for /) the current directory of the walk, checking it. */
static int enter_dir(struct walk *w, const char *dir)
{
	const char *shown = dir[0] != '\0' ? dir : "/";
	struct stat st;

	if (lstat(shown, &st) < 0) {
		errbuf_set(w->why, w->whylen, "cannot examine %s: %s", shown, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		errbuf_set(w->why, w->whylen, "%s is not a directory", shown);
		return -1;
	}
	if (check_node(w, shown, &st) < 0)
		return -1;
	if (dir != w->cur)
		snprintf(w->cur, sizeof(w->cur), "%s", dir);
	w->shared = dir_shared(&st);
	return 0;
}

/* Replace the unresolved part `rest` (which points into `buf`) with the
 * link's target followed by what remained after the link. */
static int splice_link(struct walk *w, const char *link, char *buf, size_t buflen,
		       const char **rest)
{
	char target[PATH_MAX], tail[PATH_MAX];
	ssize_t n = readlink(link, target, sizeof(target) - 1);

	if (n < 0) {
		errbuf_set(w->why, w->whylen, "cannot read link %s: %s", link, strerror(errno));
		return -1;
	}
	target[n] = '\0';
	if (snprintf(tail, sizeof(tail), "%s", *rest) >= (int)sizeof(tail) ||
	    snprintf(buf, buflen, "%s/%s", target, tail) >= (int)buflen) {
		errbuf_set(w->why, w->whylen, "path through %s is too long", link);
		return -1;
	}
	*rest = buf;
	if (target[0] == '/')
		return enter_dir(w, "");
	return 0;
}

/* Take the next component of *rest into `comp`; false at the end. */
static bool next_component(const char **rest, char *comp, size_t len)
{
	const char *p = *rest;
	size_t n;

	while (*p == '/')
		p++;
	if (*p == '\0')
		return false;
	n = strcspn(p, "/");
	if (n >= len)
		n = len - 1;	/* cannot happen: comp is as large as the path */
	memcpy(comp, p, n);
	comp[n] = '\0';
	*rest = p + strcspn(p, "/");
	return true;
}

static bool at_end(const char *rest)
{
	return rest[strspn(rest, "/")] == '\0';
}

int script_sec_check(const char *path, uid_t runs_as, char *why, size_t whylen)
{
	struct walk w = { .runs_as = runs_as, .why = why, .whylen = whylen };
	char buf[PATH_MAX], comp[PATH_MAX], next[PATH_MAX];
	const char *rest = buf;
	int links = 0;
	struct stat st;

	if (path[0] == '/') {
		snprintf(buf, sizeof(buf), "%s", path);
	} else {
		char cwd[PATH_MAX];

		if (getcwd(cwd, sizeof(cwd)) == NULL) {
			errbuf_set(why, whylen, "cannot resolve %s: %s", path, strerror(errno));
			return -1;
		}
		if (snprintf(buf, sizeof(buf), "%s/%s", cwd, path) >= (int)sizeof(buf)) {
			errbuf_set(why, whylen, "%s: path too long", path);
			return -1;
		}
	}
	if (enter_dir(&w, "") < 0)
		return -1;
	for (;;) {
		if (!next_component(&rest, comp, sizeof(comp))) {
			errbuf_set(why, whylen, "%s is a directory, not a program", path);
			return -1;
		}
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			char *slash = strrchr(w.cur, '/');

			if (slash != NULL)
				*slash = '\0';
			if (enter_dir(&w, w.cur) < 0)
				return -1;
			continue;
		}
		if (snprintf(next, sizeof(next), "%s/%s", w.cur, comp) >= (int)sizeof(next)) {
			errbuf_set(why, whylen, "%s: path too long", path);
			return -1;
		}
		if (lstat(next, &st) < 0) {
			errbuf_set(why, whylen, "cannot examine %s: %s", next, strerror(errno));
			return -1;
		}
		if (S_ISLNK(st.st_mode)) {
			if (w.shared && !trusted_uid(&w, st.st_uid)) {
				char name[64];

				user_name(st.st_uid, name, sizeof(name));
				errbuf_set(why, whylen, "%s is a link owned by user %s in a shared directory",
					next, name);
				return -1;
			}
			if (++links > SEC_MAX_LINKS) {
				errbuf_set(why, whylen, "%s: too many levels of symbolic links", path);
				return -1;
			}
			/* `rest` may point into buf: splice_link copies it first. */
			if (splice_link(&w, next, buf, sizeof(buf), &rest) < 0)
				return -1;
			continue;
		}
		if (check_node(&w, next, &st) < 0)
			goto unsafe;
		if (S_ISDIR(st.st_mode)) {
			snprintf(w.cur, sizeof(w.cur), "%s", next);
			w.shared = dir_shared(&st);
			continue;
		}
		if (!at_end(rest)) {
			errbuf_set(why, whylen, "%s is not a directory", next);
			return -1;
		}
		break;
	}
	if (!S_ISREG(st.st_mode)) {
		errbuf_set(why, whylen, "%s is not a regular file", next);
		return -1;
	}
	if ((st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0) {
		errbuf_set(why, whylen, "%s is not executable", next);
		return -1;
	}
	return 0;
unsafe:
	if (links > 0 && why != NULL) {
		size_t len = strlen(why);

		snprintf(why + len, whylen - len, " (reached from %s)", path);
	}
	return -1;
}

int script_sec_resolve(const char *prog, char *out, size_t outlen, char *why, size_t whylen)
{
	const char *dir = PROC_PATH;

	if (strchr(prog, '/') != NULL) {
		if (snprintf(out, outlen, "%s", prog) >= (int)outlen) {
			errbuf_set(why, whylen, "%s: path too long", prog);
			return -1;
		}
		return 0;
	}
	while (*dir != '\0') {
		size_t dlen = strcspn(dir, ":");
		struct stat st;

		if (snprintf(out, outlen, "%.*s/%s", (int)dlen, dir, prog) < (int)outlen &&
		    stat(out, &st) == 0 && S_ISREG(st.st_mode) &&
		    (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0)
			return 0;
		dir += dlen;
		if (*dir == ':')
			dir++;
	}
	errbuf_set(why, whylen, "%s: not found in %s", prog, PROC_PATH);
	return -1;
}

int script_sec_check_cmd(const struct proc_cmd *cmd, uid_t runs_as, char *why, size_t whylen)
{
	char path[PATH_MAX];

	if (cmd->shell) {
		if (script_sec_check(PROC_SHELL, runs_as, why, whylen) < 0)
			return -1;
		if (cmd->program == NULL) {
			errbuf_set(why, whylen, "cannot tell which program '%s' runs", cmd->text);
			return -1;
		}
	}
	if (script_sec_resolve(cmd->program, path, sizeof(path), why, whylen) < 0)
		return -1;
	return script_sec_check(path, runs_as, why, whylen);
}
