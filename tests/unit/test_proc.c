/* Unit tests for lib/proc: command line splitting and shell detection, and
 * real programs run through an event loop: exit statuses, exec failures,
 * extra arguments passed literally, timeouts (also of a program ignoring
 * SIGTERM), process group cleanup, discarded output, user switching, the
 * child's descriptors, environment and signals, cancelling, subreaping.
 * Every test arms a watchdog so a broken loop fails instead of hanging.
 * Needs root (user switching). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "event.h"
#include "proc.h"

#define WATCHDOG_US 10000000u

struct fixture {
	struct ev_loop *loop;
	struct ev_timer watchdog;
	char dir[64];
	bool done;
	int calls;
	struct proc_result r;
	struct proc *running;	/* for tests that act while it runs */
	struct ev_timer poke;
};

static void watchdog_fired(struct ev_loop *loop, void *arg)
{
	(void)loop;
	(void)arg;
	fail_msg("watchdog: the program was not reported in time");
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	*state = f;
	f->loop = ev_loop_new();
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_proc.XXXXXX");
	if (f->loop == NULL || mkdtemp(f->dir) == NULL)
		return -1;
	ev_timer_init(&f->watchdog, watchdog_fired, NULL);
	ev_timer_init(&f->poke, watchdog_fired, NULL);
	return ev_timer_arm(f->loop, &f->watchdog, WATCHDOG_US);
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

	ev_timer_disarm(f->loop, &f->watchdog);
	ev_timer_disarm(f->loop, &f->poke);
	nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	ev_loop_free(f->loop);
	free(f);
	return 0;
}

/* ---- helpers ---- */

static void on_done(void *arg, const struct proc_result *r)
{
	struct fixture *f = arg;

	f->done = true;
	f->calls++;
	f->r = *r;
	ev_stop(f->loop);
}

static void parse_ok(const char *cmdline, struct proc_cmd *cmd)
{
	char err[256] = "";

	if (proc_cmd_parse(cmdline, cmd, err, sizeof(err)) < 0)
		fail_msg("cannot parse [%s]: %s", cmdline, err);
}

/* Run `cmdline` to completion; the result is in f->r. */
static void run(struct fixture *f, const char *cmdline, const char *const *extra,
		const struct proc_user *user, uint64_t timeout_us)
{
	struct proc_cmd cmd;
	struct proc *p;

	parse_ok(cmdline, &cmd);
	f->done = false;
	f->calls = 0;
	p = proc_start(f->loop, &cmd, extra, user, timeout_us, on_done, f);
	proc_cmd_free(&cmd);
	assert_non_null(p);
	assert_int_equal(ev_run(f->loop), 0);
	assert_true(f->done);
	assert_int_equal(f->calls, 1);
}

static char *path_in(const struct fixture *f, const char *name)
{
	static char buf[2][256];
	static int which;

	which ^= 1;
	snprintf(buf[which], sizeof(buf[which]), "%s/%s", f->dir, name);
	return buf[which];
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* The whole file, malloc'd. */
static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	size_t n;

	if (fp == NULL) {
		buf = calloc(1, 1);
		assert_non_null(buf);
		return buf;
	}
	buf = calloc(1, 65536);
	assert_non_null(buf);
	n = fread(buf, 1, 65535, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static pid_t read_pid(const char *path)
{
	char *s = read_file(path);
	long pid = strtol(s, NULL, 10);

	free(s);
	assert_true(pid > 1);
	return (pid_t)pid;
}

/* Process state letter from /proc, or 0 if the process does not exist. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *paren;
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fp = fopen(path, "r");
	if (fp == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	paren = strrchr(buf, ')');
	return paren != NULL && paren[1] == ' ' ? paren[2] : 0;
}

/* Wait up to 3 s for `pid` to be dead (gone or a zombie). */
static bool wait_dead(pid_t pid)
{
	struct timespec ts = { 0, 10000000 };
	int i;

	for (i = 0; i < 300; i++) {
		char s = proc_state(pid);

		if (s == 0 || s == 'Z')
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

static void assert_exit(const struct fixture *f, int code)
{
	if (!WIFEXITED(f->r.status) || WEXITSTATUS(f->r.status) != code) {
		char why[128];

		fail_msg("expected exit %d, got: %s", code,
			 proc_result_describe(&f->r, why, sizeof(why)));
	}
	assert_false(f->r.timed_out);
	assert_int_equal(proc_result_exit_code(&f->r), code);
}

/* ---- splitting ---- */

static void assert_words(const char *cmdline, const char *const *want)
{
	struct proc_cmd cmd;
	size_t i;

	parse_ok(cmdline, &cmd);
	if (proc_cmd_uses_shell(&cmd))
		fail_msg("[%s] should not need a shell", cmdline);
	for (i = 0; want[i] != NULL; i++) {
		assert_non_null(cmd.argv[i]);
		assert_string_equal(cmd.argv[i], want[i]);
	}
	assert_null(cmd.argv[i]);
	assert_string_equal(cmd.program, want[0]);
	assert_string_equal(cmd.text, cmdline);
	proc_cmd_free(&cmd);
}

static void test_split_words(void **state)
{
	(void)state;
	assert_words("/bin/echo", (const char *[]){ "/bin/echo", NULL });
	assert_words("  /bin/echo a  b\tc  ", (const char *[]){ "/bin/echo", "a", "b", "c", NULL });
	assert_words("x 'two words' \"dq word\" mixed'a'\"b\"c '' \"\"",
		     (const char *[]){ "x", "two words", "dq word", "mixedabc", "", "", NULL });
	assert_words("x a\\ b \\'s\\' \"q\\\"q\" \"b\\\\s\" \"l\\n\" 'r\\n' 'a\"b' \"a'b\"",
		     (const char *[]){ "x", "a b", "'s'", "q\"q", "b\\s", "l\\n", "r\\n",
				       "a\"b", "a'b", NULL });
	/* Escaped or single-quoted shell characters stay literal. */
	assert_words("x \\$HOME \"\\$y\" '$z' a\\|b 'a;b' \"c&d\" a~b k=v \\~ '*' #c",
		     (const char *[]){ "x", "$HOME", "$y", "$z", "a|b", "a;b", "c&d", "a~b", "k=v",
				       "~", "*", "#c", NULL });
	/* Backslash-newline continues the line, also inside double quotes. */
	assert_words("x a\\\nb \"c\\\nd\"", (const char *[]){ "x", "ab", "cd", NULL });
}

static void assert_parse_error(const char *cmdline, const char *want)
{
	struct proc_cmd cmd;
	char err[256] = "";

	assert_int_equal(proc_cmd_parse(cmdline, &cmd, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	proc_cmd_free(&cmd);
}

static void test_split_errors(void **state)
{
	(void)state;
	assert_parse_error("", "empty command");
	assert_parse_error(" \t ", "empty command");
	assert_parse_error("x 'abc", "unterminated single quote in command line");
	assert_parse_error("x \"abc", "unterminated double quote in command line");
	assert_parse_error("x \"abc\\\"", "unterminated double quote in command line");
	assert_parse_error("x 'a' 'b", "unterminated single quote in command line");
	assert_parse_error("x abc\\", "command line ends with a backslash");
	assert_parse_error("'' a", "empty program name");
}

/* `program` NULL means the program cannot be told. */
static void assert_shell(const char *cmdline, const char *program)
{
	struct proc_cmd cmd;

	parse_ok(cmdline, &cmd);
	if (!proc_cmd_uses_shell(&cmd))
		fail_msg("[%s] should need a shell", cmdline);
	assert_string_equal(cmd.argv[0], PROC_SHELL);
	assert_string_equal(cmd.argv[1], "-c");
	assert_string_equal(cmd.argv[2], cmdline);
	assert_null(cmd.argv[3]);
	if (program == NULL)
		assert_null(cmd.program);
	else
		assert_string_equal(cmd.program, program);
	proc_cmd_free(&cmd);
}

static void test_split_shell(void **state)
{
	(void)state;
	assert_shell("/bin/x | y", "/bin/x");
	assert_shell("/bin/x|y", "/bin/x");
	assert_shell("/bin/x && y", "/bin/x");
	assert_shell("/bin/x & ", "/bin/x");
	assert_shell("/bin/x; y", "/bin/x");
	assert_shell("/bin/x > /dev/null", "/bin/x");
	assert_shell("/bin/x < in", "/bin/x");
	assert_shell("/bin/x\ny", "/bin/x");
	assert_shell("/bin/x $HOME", "/bin/x");
	assert_shell("/bin/x `id`", "/bin/x");
	assert_shell("/bin/x \"$HOME\"", "/bin/x");
	assert_shell("/bin/x \"`id`\"", "/bin/x");
	assert_shell("/bin/x *", "/bin/x");
	assert_shell("/bin/x a?", "/bin/x");
	assert_shell("/bin/x [ab]", "/bin/x");
	assert_shell("/bin/x ~/f", "/bin/x");
	assert_shell("'/bin/a b' | y", "/bin/a b");
	assert_shell("FOO=1 /bin/x", "/bin/x");
	assert_shell("FOO=1 _B2='a b' /bin/x arg; y", "/bin/x");
	assert_shell("(/bin/x)", NULL);
	assert_shell("$DIR/x", NULL);
	assert_shell("/bin/x$y", NULL);
	assert_shell("~/x", NULL);
	assert_shell("a=1; /bin/x", NULL);
	assert_shell("FOO=1", NULL);
}

/* ---- running ---- */

static void test_true_false(void **state)
{
	struct fixture *f = *state;
	char why[128];

	run(f, "/bin/true", NULL, NULL, 0);
	assert_exit(f, 0);
	assert_true(proc_result_ok(&f->r));
	assert_int_equal(f->r.stage, PROC_STAGE_NONE);
	assert_string_equal(proc_result_describe(&f->r, why, sizeof(why)), "exited with status 0");
	/* Found through PROC_PATH. */
	run(f, "false", NULL, NULL, 2000000);
	assert_exit(f, 1);
	assert_false(proc_result_ok(&f->r));
	assert_string_equal(proc_result_describe(&f->r, why, sizeof(why)), "exited with status 1");
}

/* proc_raise_nofile raises this process's descriptor limit, never lowers
 * it, and a program started afterwards gets the limit as it was. */
static void test_raise_nofile(void **state)
{
	struct fixture *f = *state;
	struct rlimit saved, before, after;
	rlim_t want;
	char cmd[128];

	/* Room below the hard limit, which only a privileged process may
	 * raise (a container's root may not). */
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
	assert_true(saved.rlim_cur != RLIM_INFINITY && saved.rlim_cur > 300);
	before = saved;
	before.rlim_cur = saved.rlim_cur - 200;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &before), 0);
	want = before.rlim_cur + 100;
	assert_int_equal(proc_raise_nofile(want), 0);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &after), 0);
	assert_true(after.rlim_cur >= want);
	assert_int_equal(proc_raise_nofile(10), 0);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &after), 0);
	assert_true(after.rlim_cur >= want);
	snprintf(cmd, sizeof(cmd), "/bin/sh -c 'test \"$(ulimit -n)\" = %llu'",
		 (unsigned long long)before.rlim_cur);
	run(f, cmd, NULL, NULL, 0);
	assert_exit(f, 0);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
}

static void test_exit_code(void **state)
{
	struct fixture *f = *state;

	run(f, "/bin/sh -c 'exit 7'", NULL, NULL, 0);
	assert_exit(f, 7);
	run(f, "true; exit 7", NULL, NULL, 0);
	assert_exit(f, 7);
}

static void test_not_found(void **state)
{
	struct fixture *f = *state;
	char why[128];

	run(f, "/nonexistent/cmd arg", NULL, NULL, 0);
	assert_exit(f, 127);
	assert_int_equal(f->r.stage, PROC_STAGE_EXEC);
	assert_int_equal(f->r.error, ENOENT);
	assert_false(proc_result_ok(&f->r));
	assert_string_equal(proc_result_describe(&f->r, why, sizeof(why)),
			    "could not execute: No such file or directory");
	run(f, "no-such-command-anywhere", NULL, NULL, 0);
	assert_exit(f, 127);
	assert_int_equal(f->r.error, ENOENT);
}

static void test_not_executable(void **state)
{
	struct fixture *f = *state;
	char cmdline[256];

	write_file(path_in(f, "plain.sh"), "#!/bin/sh\nexit 0\n", 0644);
	snprintf(cmdline, sizeof(cmdline), "%s", path_in(f, "plain.sh"));
	run(f, cmdline, NULL, NULL, 0);
	assert_exit(f, 126);
	assert_int_equal(f->r.stage, PROC_STAGE_EXEC);
	assert_int_equal(f->r.error, EACCES);
	/* No shebang: ENOEXEC, never a silent fallback to the shell. */
	write_file(path_in(f, "noshebang"), "exit 0\n", 0755);
	snprintf(cmdline, sizeof(cmdline), "%s", path_in(f, "noshebang"));
	run(f, cmdline, NULL, NULL, 0);
	assert_exit(f, 126);
	assert_int_equal(f->r.error, ENOEXEC);
}

static void check_args_file(struct fixture *f)
{
	char *got = read_file(path_in(f, "args"));

	assert_string_equal(got, "INSTANCE\nVI_1\n; rm -rf x\n$(touch pwned)\n`touch pwned`\n"
			    "a b\n'q'\n\"$@\"\n\n");
	free(got);
	assert_int_equal(access(path_in(f, "pwned"), F_OK), -1);
	assert_int_equal(access("pwned", F_OK), -1);
	unlink(path_in(f, "args"));
}

static void test_extra_args_literal(void **state)
{
	static const char *const extra[] = {
		"INSTANCE", "VI_1", "; rm -rf x", "$(touch pwned)", "`touch pwned`",
		"a b", "'q'", "\"$@\"", "", NULL,
	};
	struct fixture *f = *state;
	char script[512], cmdline[512];

	snprintf(script, sizeof(script), "printf '%%s\\n' \"$@\" > %s\n", path_in(f, "args"));
	write_file(path_in(f, "args.sh"), script, 0755);
	/* Directly executed. */
	snprintf(cmdline, sizeof(cmdline), "/bin/sh %s", path_in(f, "args.sh"));
	run(f, cmdline, extra, NULL, 0);
	assert_exit(f, 0);
	check_args_file(f);
	/* Through the shell: positional parameters, never interpolated. */
	snprintf(cmdline, sizeof(cmdline), "true && /bin/sh %s  ", path_in(f, "args.sh"));
	run(f, cmdline, extra, NULL, 0);
	assert_exit(f, 0);
	check_args_file(f);
}

static void test_timeout_sigterm(void **state)
{
	struct fixture *f = *state;
	char why[128];

	run(f, "sleep 100", NULL, NULL, 200000);
	assert_true(f->r.timed_out);
	assert_false(f->r.killed);
	assert_true(WIFSIGNALED(f->r.status));
	assert_int_equal(WTERMSIG(f->r.status), SIGTERM);
	assert_true(f->r.runtime_us >= 200000 && f->r.runtime_us < PROC_KILL_GRACE_US);
	assert_int_equal(proc_result_exit_code(&f->r), -1);
	assert_false(proc_result_ok(&f->r));
	assert_string_equal(proc_result_describe(&f->r, why, sizeof(why)),
			    "killed by signal 15 after timeout of 0.2 s");
}

static void test_timeout_ignores_sigterm(void **state)
{
	struct fixture *f = *state;
	char cmdline[256], why[128];
	pid_t bg;

	snprintf(cmdline, sizeof(cmdline),
		 "/bin/sh -c 'trap \"\" TERM; sleep 100 & echo $! > %s; wait; sleep 100'",
		 path_in(f, "bg.pid"));
	run(f, cmdline, NULL, NULL, 300000);
	assert_true(f->r.timed_out);
	assert_true(f->r.killed);
	assert_true(WIFSIGNALED(f->r.status));
	assert_int_equal(WTERMSIG(f->r.status), SIGKILL);
	assert_true(f->r.runtime_us >= 300000 + PROC_KILL_GRACE_US);
	assert_string_equal(proc_result_describe(&f->r, why, sizeof(why)),
			    "killed by signal 9 after timeout of 0.3 s");
	/* Its background child, also ignoring SIGTERM, went with the group. */
	bg = read_pid(path_in(f, "bg.pid"));
	assert_true(wait_dead(bg));
}

static void test_no_zombie(void **state)
{
	struct fixture *f = *state;

	run(f, "/bin/true", NULL, NULL, 1000000);
	assert_true(f->r.pid > 0);
	assert_int_equal(waitpid(f->r.pid, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	assert_int_equal(proc_state(f->r.pid), 0);
}

static void test_background_child_killed(void **state)
{
	struct fixture *f = *state;
	char cmdline[256];
	pid_t bg;

	snprintf(cmdline, sizeof(cmdline), "sleep 100 & echo $! > %s", path_in(f, "bg.pid"));
	run(f, cmdline, NULL, NULL, 0);
	assert_exit(f, 0);
	bg = read_pid(path_in(f, "bg.pid"));
	assert_true(wait_dead(bg));
}

static void test_big_output(void **state)
{
	struct fixture *f = *state;

	run(f, "head -c 10000000 /dev/zero; head -c 10000000 /dev/zero >&2; echo done", NULL,
	    NULL, 8000000);
	assert_exit(f, 0);
}

static void test_user_lookup(void **state)
{
	struct proc_user u;
	char err[128] = "";

	(void)state;
	assert_int_equal(proc_user_lookup("nobody", NULL, &u, err, sizeof(err)), 0);
	assert_true(u.set);
	assert_int_equal(u.uid, 65534);
	assert_int_equal(u.gid, getpwnam("nobody")->pw_gid);
	assert_true(u.ngroups >= 1);
	assert_int_equal(proc_user_lookup("nobody", "root", &u, err, sizeof(err)), 0);
	assert_int_equal(u.gid, 0);
	assert_int_equal(proc_user_lookup("no-such-user-x", NULL, &u, err, sizeof(err)), -1);
	assert_string_equal(err, "no such user 'no-such-user-x'");
	assert_false(u.set);
	assert_int_equal(proc_user_lookup("nobody", "no-such-group-x", &u, err, sizeof(err)), -1);
	assert_string_equal(err, "no such group 'no-such-group-x'");
}

static void test_user_switch(void **state)
{
	struct fixture *f = *state;
	struct proc_user u;
	char cmdline[256], want[64], *got;
	gid_t gid;

	assert_int_equal(proc_user_lookup("nobody", NULL, &u, NULL, 0), 0);
	gid = u.gid;
	assert_int_equal(chmod(f->dir, 0777), 0);
	snprintf(cmdline, sizeof(cmdline), "id -u > %s; id -g >> %s; id -G >> %s",
		 path_in(f, "id"), path_in(f, "id"), path_in(f, "id"));
	run(f, cmdline, NULL, &u, 0);
	assert_exit(f, 0);
	got = read_file(path_in(f, "id"));
	snprintf(want, sizeof(want), "65534\n%u\n%u\n", (unsigned)gid, (unsigned)gid);
	assert_string_equal(got, want);
	free(got);
}

static void stop_loop(struct ev_loop *loop, void *arg)
{
	(void)arg;
	ev_stop(loop);
}

/* In a forked helper that is no longer root: a switch to root fails and is
 * reported, and fork() failing (RLIMIT_NPROC) returns NULL with EAGAIN. */
static int unprivileged_checks(void)
{
	struct proc_user root = { .uid = 0, .gid = 0, .set = true };
	struct rlimit none = { 0, 0 };
	struct fixture f = { 0 };
	struct proc_cmd cmd;

	if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
		return 10;
	f.loop = ev_loop_new();
	if (f.loop == NULL || proc_cmd_parse("/bin/true", &cmd, NULL, 0) < 0)
		return 11;
	if (proc_start(f.loop, &cmd, NULL, &root, 0, on_done, &f) == NULL)
		return 12;
	ev_timer_init(&f.watchdog, stop_loop, NULL);
	if (ev_timer_arm(f.loop, &f.watchdog, WATCHDOG_US) < 0)
		return 16;
	ev_run(f.loop);
	if (!f.done || f.r.stage != PROC_STAGE_USER || f.r.error != EPERM ||
	    !WIFEXITED(f.r.status) || WEXITSTATUS(f.r.status) != 126 || proc_result_ok(&f.r))
		return 13;
	if (setrlimit(RLIMIT_NPROC, &none) < 0)
		return 14;
	errno = 0;
	if (proc_start(f.loop, &cmd, NULL, NULL, 0, on_done, &f) != NULL || errno != EAGAIN)
		return 15;
	return 0;
}

static void test_user_switch_fails_and_fork_fails(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(unprivileged_checks());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* While `sleep` runs: its descriptors, environment, group and signals. */
static void inspect_child(struct ev_loop *loop, void *arg)
{
	struct fixture *f = arg;
	pid_t pid = proc_pid(f->running);
	char path[128], link[128], *s;
	int fd, count = 0;

	for (fd = 0; fd < 1024; fd++) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/%ld/fd/%d", (long)pid, fd);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		count++;
		assert_true(fd <= 2);
		assert_string_equal(link, "/dev/null");
	}
	assert_int_equal(count, 3);
	snprintf(path, sizeof(path), "/proc/%ld/environ", (long)pid);
	s = read_file(path);
	assert_string_equal(s, "PATH=" PROC_PATH);
	assert_int_equal(strlen(s) + 1, sizeof("PATH=" PROC_PATH));
	free(s);
	assert_int_equal(getpgid(pid), pid);
	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	s = read_file(path);
	assert_non_null(strstr(s, "\nSigBlk:\t0000000000000000\n"));
	assert_non_null(strstr(s, "\nSigIgn:\t0000000000000000\n"));
	free(s);
	f->calls++;
	ev_stop(loop);
}

static void test_child_state(void **state)
{
	struct fixture *f = *state;
	struct proc_cmd cmd;
	int leak_fd, leak_pipe[2];

	/* Descriptors the daemon forgot to mark close-on-exec. */
	leak_fd = open("/dev/null", O_RDONLY);
	assert_true(leak_fd >= 0);
	assert_int_equal(pipe(leak_pipe), 0);
	parse_ok("sleep 100", &cmd);
	f->running = proc_start(f->loop, &cmd, NULL, NULL, 0, on_done, f);
	proc_cmd_free(&cmd);
	assert_non_null(f->running);
	ev_timer_init(&f->poke, inspect_child, f);
	assert_int_equal(ev_timer_arm(f->loop, &f->poke, 300000), 0);
	assert_int_equal(ev_run(f->loop), 0);
	assert_int_equal(f->calls, 1);
	proc_cancel(f->running);
	assert_false(f->done);
	close(leak_fd);
	close(leak_pipe[0]);
	close(leak_pipe[1]);
}

static void test_cancel(void **state)
{
	struct fixture *f = *state;
	struct proc_cmd cmd;
	struct proc *p;
	pid_t pid;

	proc_cancel(NULL);
	parse_ok("sleep 100 & sleep 100", &cmd);
	p = proc_start(f->loop, &cmd, NULL, NULL, 100000, on_done, f);
	proc_cmd_free(&cmd);
	assert_non_null(p);
	pid = proc_pid(p);
	proc_cancel(p);
	/* The loop reaps it as an unwatched child; `done` never runs, not
	 * even when the timeout would have passed. */
	ev_timer_init(&f->poke, stop_loop, f);
	assert_int_equal(ev_timer_arm(f->loop, &f->poke, 400000), 0);
	assert_int_equal(ev_run(f->loop), 0);
	assert_false(f->done);
	assert_int_equal(proc_state(pid), 0);
}

static void test_describe(void **state)
{
	struct proc_result r = { 0 };
	char buf[128], tiny[8];

	(void)state;
	r.status = 3 << 8;
	assert_string_equal(proc_result_describe(&r, buf, sizeof(buf)), "exited with status 3");
	r.status = SIGKILL;
	r.timed_out = r.killed = true;
	r.timeout_us = 2000000;
	assert_string_equal(proc_result_describe(&r, buf, sizeof(buf)),
			    "killed by signal 9 after timeout of 2 s");
	r.timeout_us = 1500000;
	assert_string_equal(proc_result_describe(&r, buf, sizeof(buf)),
			    "killed by signal 9 after timeout of 1.5 s");
	r.timed_out = false;
	r.status = SIGSEGV | 0x80;
	assert_string_equal(proc_result_describe(&r, buf, sizeof(buf)),
			    "killed by signal 11 (core dumped)");
	r.stage = PROC_STAGE_USER;
	r.error = EPERM;
	r.status = 126 << 8;
	assert_string_equal(proc_result_describe(&r, buf, sizeof(buf)),
			    "could not switch user: Operation not permitted");
	assert_string_equal(proc_result_describe(&r, tiny, sizeof(tiny)), "could n");
}

/* Last: it makes this whole test process a subreaper. */
static void test_subreaper(void **state)
{
	struct fixture *f = *state;
	char cmdline[1200], pidf[256], path[64], *s, *ppid;
	int on = 0;
	pid_t esc;

	assert_int_equal(proc_become_subreaper(), 0);
	assert_int_equal(prctl(PR_GET_CHILD_SUBREAPER, &on, 0, 0, 0), 0);
	assert_int_equal(on, 1);
	/* setsid escapes the process group, so the group kill misses it.  The
	 * escapee writes its pid only once it has left the group, and the
	 * script waits for that: otherwise the group kill at the script's exit
	 * can win the race and the test proves nothing. */
	snprintf(pidf, sizeof(pidf), "%s", path_in(f, "esc.pid"));
	snprintf(cmdline, sizeof(cmdline),
		 "setsid sh -c 'echo $$ > %s.tmp && mv %s.tmp %s && exec sleep 0.5' & "
		 "while [ ! -s %s ]; do sleep 0.01; done", pidf, pidf, pidf, pidf);
	run(f, cmdline, NULL, NULL, 0);
	assert_exit(f, 0);
	esc = read_pid(path_in(f, "esc.pid"));
	/* Orphaned, it is now our child ... */
	snprintf(path, sizeof(path), "/proc/%ld/status", (long)esc);
	s = read_file(path);
	ppid = strstr(s, "\nPPid:\t");
	assert_non_null(ppid);
	assert_int_equal(strtol(ppid + 7, NULL, 10), getpid());
	free(s);
	/* ... and the loop reaps it when it ends: no zombie left. */
	ev_timer_init(&f->poke, stop_loop, f);
	assert_int_equal(ev_timer_arm(f->loop, &f->poke, 1000000), 0);
	assert_int_equal(ev_run(f->loop), 0);
	assert_int_equal(proc_state(esc), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_words),
		cmocka_unit_test(test_split_errors),
		cmocka_unit_test(test_split_shell),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_user_lookup),
		cmocka_unit_test_setup_teardown(test_true_false, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raise_nofile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_executable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extra_args_literal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_sigterm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_ignores_sigterm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_zombie, setup, teardown),
		cmocka_unit_test_setup_teardown(test_background_child_killed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_switch_fails_and_fork_fails, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_child_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subreaper, setup, teardown),
	};

	return cmocka_run_group_tests_name("proc", tests, NULL, NULL);
}
