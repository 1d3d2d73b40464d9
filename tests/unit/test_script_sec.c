/* Unit tests for lib/script_sec: ownership and write permission of a
 * script and of every directory above it, sticky directories, symbolic
 * links (their targets and the directories they sit in), the user a script
 * runs as, PATH resolution and whole command lines.  Builds its trees in a
 * fresh directory under /tmp; needs root (chown). */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "proc.h"
#include "script_sec.h"

#define NOBODY 65534

struct fixture {
	char dir[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	*state = f;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_script_sec.XXXXXX");
	if (mkdtemp(f->dir) == NULL || chmod(f->dir, 0755) < 0)
		return -1;
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* f->dir/rel in one of a few rotating buffers. */
static const char *at(const struct fixture *f, const char *rel)
{
	static char buf[4][PATH_MAX];
	static int which;

	which = (which + 1) % 4;
	snprintf(buf[which], sizeof(buf[which]), "%s/%s", f->dir, rel);
	return buf[which];
}

static void mkfile(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_true(fputs("#!/bin/sh\nexit 0\n", fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chown(path, uid, gid), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void mkdir_as(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(chown(path, uid, gid), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void assert_safe(const char *path, uid_t runs_as)
{
	char why[512] = "";

	if (script_sec_check(path, runs_as, why, sizeof(why)) != 0)
		fail_msg("%s should be safe for uid %u: %s", path, (unsigned)runs_as, why);
}

/* Refused with exactly the reason `fmt`. */
static void assert_unsafe(const char *path, uid_t runs_as, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void assert_unsafe(const char *path, uid_t runs_as, const char *fmt, ...)
{
	char why[512] = "", want[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	if (script_sec_check(path, runs_as, why, sizeof(why)) != -1)
		fail_msg("%s should be refused for uid %u", path, (unsigned)runs_as);
	assert_string_equal(why, want);
}

static void test_safe_script(void **state)
{
	struct fixture *f = *state;

	mkfile(at(f, "ok.sh"), 0755, 0, 0);
	assert_safe(at(f, "ok.sh"), 0);
	assert_safe(at(f, "ok.sh"), NOBODY);
	/* Read-only and executable by its owner alone is enough. */
	mkfile(at(f, "ok2.sh"), 0500, 0, 0);
	assert_safe(at(f, "ok2.sh"), 0);
	/* Dot and dot-dot components. */
	mkdir_as(at(f, "sub"), 0755, 0, 0);
	assert_safe(at(f, "sub/.././ok.sh"), 0);
	assert_safe(at(f, "//sub//..//ok.sh"), 0);
}

static void test_group_writable(void **state)
{
	struct fixture *f = *state;
	const struct group *gr = getgrgid(NOBODY);
	char grp[64];

	/* Named nogroup or nobody, depending on the distribution. */
	snprintf(grp, sizeof(grp), "%s", gr != NULL ? gr->gr_name : "65534");

	mkfile(at(f, "g.sh"), 0775, 0, NOBODY);
	assert_unsafe(at(f, "g.sh"), 0, "%s is writable by group %s", at(f, "g.sh"), grp);
	/* Root's own group is trusted. */
	mkfile(at(f, "g0.sh"), 0775, 0, 0);
	assert_safe(at(f, "g0.sh"), 0);
	/* A group-writable directory. */
	mkdir_as(at(f, "gdir"), 0775, 0, NOBODY);
	mkfile(at(f, "gdir/x.sh"), 0755, 0, 0);
	assert_unsafe(at(f, "gdir/x.sh"), 0, "%s is writable by group %s", at(f, "gdir"), grp);
}

static void test_world_writable(void **state)
{
	struct fixture *f = *state;

	mkfile(at(f, "w.sh"), 0757, 0, 0);
	assert_unsafe(at(f, "w.sh"), 0, "%s is writable by others", at(f, "w.sh"));
	mkdir_as(at(f, "wdir"), 0777, 0, 0);
	mkfile(at(f, "wdir/x.sh"), 0755, 0, 0);
	assert_unsafe(at(f, "wdir/x.sh"), 0, "%s is writable by others", at(f, "wdir"));
	assert_unsafe(at(f, "wdir/x.sh"), NOBODY, "%s is writable by others", at(f, "wdir"));
}

static void test_sticky_dir(void **state)
{
	struct fixture *f = *state;

	mkdir_as(at(f, "tmp"), 01777, 0, 0);
	mkfile(at(f, "tmp/root.sh"), 0755, 0, 0);
	assert_safe(at(f, "tmp/root.sh"), 0);
	mkfile(at(f, "tmp/nobody.sh"), 0755, NOBODY, NOBODY);
	assert_unsafe(at(f, "tmp/nobody.sh"), 0, "%s is owned by user nobody",
		      at(f, "tmp/nobody.sh"));
	assert_safe(at(f, "tmp/nobody.sh"), NOBODY);
	/* A sticky directory owned by someone else is no help. */
	mkdir_as(at(f, "tmp2"), 01777, NOBODY, NOBODY);
	mkfile(at(f, "tmp2/root.sh"), 0755, 0, 0);
	assert_unsafe(at(f, "tmp2/root.sh"), 0, "%s is owned by user nobody", at(f, "tmp2"));
	/* The link in a sticky directory must be trusted-owned too: its owner
	 * could replace it. */
	assert_int_equal(symlink(at(f, "tmp/root.sh"), at(f, "tmp/link")), 0);
	assert_int_equal(lchown(at(f, "tmp/link"), NOBODY, NOBODY), 0);
	assert_unsafe(at(f, "tmp/link"), 0,
		      "%s is a link owned by user nobody in a shared directory", at(f, "tmp/link"));
}

static void test_owned_by_nobody(void **state)
{
	struct fixture *f = *state;

	mkfile(at(f, "n.sh"), 0755, NOBODY, NOBODY);
	assert_unsafe(at(f, "n.sh"), 0, "%s is owned by user nobody", at(f, "n.sh"));
	/* Running as nobody, nobody's own files are fine, others' are not. */
	assert_safe(at(f, "n.sh"), NOBODY);
	assert_unsafe(at(f, "n.sh"), 1, "%s is owned by user nobody", at(f, "n.sh"));
	mkdir_as(at(f, "ndir"), 0755, NOBODY, NOBODY);
	mkfile(at(f, "ndir/x.sh"), 0755, 0, 0);
	assert_unsafe(at(f, "ndir/x.sh"), 0, "%s is owned by user nobody", at(f, "ndir"));
	assert_safe(at(f, "ndir/x.sh"), NOBODY);
}

static void test_symlinks(void **state)
{
	struct fixture *f = *state;
	char why[512] = "";

	mkfile(at(f, "ok.sh"), 0755, 0, 0);
	mkdir_as(at(f, "wdir"), 0777, 0, 0);
	mkfile(at(f, "wdir/x.sh"), 0755, 0, 0);
	mkdir_as(at(f, "safe"), 0755, 0, 0);
	/* Relative and absolute links to a safe target. */
	assert_int_equal(symlink("../ok.sh", at(f, "safe/rel")), 0);
	assert_int_equal(symlink(at(f, "ok.sh"), at(f, "safe/abs")), 0);
	assert_safe(at(f, "safe/rel"), 0);
	assert_safe(at(f, "safe/abs"), 0);
	/* Outside sticky directories a link's owner does not matter. */
	assert_int_equal(lchown(at(f, "safe/rel"), NOBODY, NOBODY), 0);
	assert_safe(at(f, "safe/rel"), 0);
	/* A safe link to an unsafe place. */
	assert_int_equal(symlink(at(f, "wdir/x.sh"), at(f, "safe/bad")), 0);
	assert_unsafe(at(f, "safe/bad"), 0, "%s is writable by others (reached from %s)",
		      at(f, "wdir"), at(f, "safe/bad"));
	/* A link to a directory on the way, and a chain of links. */
	assert_int_equal(symlink("../wdir", at(f, "safe/dlink")), 0);
	assert_unsafe(at(f, "safe/dlink/x.sh"), 0, "%s is writable by others (reached from %s)",
		      at(f, "wdir"), at(f, "safe/dlink/x.sh"));
	assert_int_equal(symlink("bad", at(f, "safe/chain")), 0);
	assert_int_equal(script_sec_check(at(f, "safe/chain"), 0, why, sizeof(why)), -1);
	/* A link inside an unsafe directory pointing somewhere safe: the
	 * directory holding the link could swap it. */
	assert_int_equal(symlink(at(f, "ok.sh"), at(f, "wdir/tosafe")), 0);
	assert_unsafe(at(f, "wdir/tosafe"), 0, "%s is writable by others", at(f, "wdir"));
	/* Loops end. */
	assert_int_equal(symlink("loop2", at(f, "safe/loop1")), 0);
	assert_int_equal(symlink("loop1", at(f, "safe/loop2")), 0);
	assert_unsafe(at(f, "safe/loop1"), 0, "%s: too many levels of symbolic links",
		      at(f, "safe/loop1"));
}

static void test_not_a_program(void **state)
{
	struct fixture *f = *state;

	mkfile(at(f, "noexec.sh"), 0644, 0, 0);
	assert_unsafe(at(f, "noexec.sh"), 0, "%s is not executable", at(f, "noexec.sh"));
	assert_unsafe(at(f, "missing.sh"), 0, "cannot examine %s: No such file or directory",
		      at(f, "missing.sh"));
	assert_unsafe(f->dir, 0, "%s is a directory, not a program", f->dir);
	assert_unsafe(at(f, "noexec.sh/x"), 0, "%s is not a directory", at(f, "noexec.sh"));
	assert_int_equal(mkfifo(at(f, "fifo"), 0755), 0);
	assert_unsafe(at(f, "fifo"), 0, "%s is not a regular file", at(f, "fifo"));
}

static void test_relative_path(void **state)
{
	struct fixture *f = *state;
	char cwd[PATH_MAX];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	mkfile(at(f, "ok.sh"), 0755, 0, 0);
	assert_int_equal(chdir(f->dir), 0);
	assert_safe("ok.sh", 0);
	assert_safe("./ok.sh", 0);
	assert_int_equal(chdir(cwd), 0);
}

static void test_resolve(void **state)
{
	char out[PATH_MAX], why[256] = "";
	size_t n;

	(void)state;
	assert_int_equal(script_sec_resolve("sh", out, sizeof(out), why, sizeof(why)), 0);
	n = strlen(out);
	assert_true(n > 3 && strcmp(out + n - 3, "/sh") == 0);
	assert_int_equal(access(out, X_OK), 0);
	assert_safe(out, 0);
	assert_int_equal(script_sec_resolve("/some/where", out, sizeof(out), why, sizeof(why)), 0);
	assert_string_equal(out, "/some/where");
	assert_int_equal(script_sec_resolve("no-such-cmd-x", out, sizeof(out), why, sizeof(why)), -1);
	assert_string_equal(why, "no-such-cmd-x: not found in " PROC_PATH);
	assert_int_equal(script_sec_resolve("/long", out, 4, why, sizeof(why)), -1);
}

static void check_cmd(const char *cmdline, uid_t runs_as, int want, const char *want_why)
{
	struct proc_cmd cmd;
	char why[512] = "";

	assert_int_equal(proc_cmd_parse(cmdline, &cmd, NULL, 0), 0);
	if (script_sec_check_cmd(&cmd, runs_as, why, sizeof(why)) != want)
		fail_msg("[%s]: expected %d (%s)", cmdline, want, why);
	if (want_why != NULL)
		assert_string_equal(why, want_why);
	proc_cmd_free(&cmd);
}

static void test_check_cmd(void **state)
{
	struct fixture *f = *state;
	char line[PATH_MAX + 32], want[PATH_MAX + 64];

	check_cmd("true arg", 0, 0, NULL);
	check_cmd("/bin/sh -c 'exit 1'", 0, 0, NULL);
	check_cmd("true | cat", 0, 0, NULL);
	check_cmd("FOO=1 true > /dev/null", 0, 0, NULL);
	check_cmd("$X/y", 0, -1, "cannot tell which program '$X/y' runs");
	check_cmd("no-such-cmd-x a", 0, -1, "no-such-cmd-x: not found in " PROC_PATH);
	mkfile(at(f, "n.sh"), 0755, NOBODY, NOBODY);
	snprintf(line, sizeof(line), "%s arg", at(f, "n.sh"));
	snprintf(want, sizeof(want), "%s is owned by user nobody", at(f, "n.sh"));
	check_cmd(line, 0, -1, want);
	check_cmd(line, NOBODY, 0, NULL);
	snprintf(line, sizeof(line), "%s arg | cat", at(f, "n.sh"));
	check_cmd(line, 0, -1, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_safe_script, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_writable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_world_writable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sticky_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owned_by_nobody, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_program, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_path, setup, teardown),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test_setup_teardown(test_check_cmd, setup, teardown),
	};

	return cmocka_run_group_tests_name("script_sec", tests, NULL, NULL);
}
