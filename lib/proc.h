/* Starting external programs: vrrp_script checks, notify scripts and
 * MISC_CHECK all come through here, so every one of them gets the same
 * treatment:
 *
 *  - the command line is split into an argv like a simple shell would, and
 *    run through /bin/sh -c only when it uses shell syntax a plain argv
 *    cannot express (see proc_cmd_parse for the exact set);
 *  - the child runs in its own process group with default signals, stdin,
 *    stdout and stderr on /dev/null (output is discarded, never a pipe that
 *    could fill up and stall the script), no other descriptor, the
 *    environment PATH=PROC_PATH and nothing else, and optionally as another
 *    user;
 *  - a hard timeout sends SIGTERM to the whole group, then SIGKILL after
 *    PROC_KILL_GRACE_US;
 *  - when the main process exits, whatever it left running in its group is
 *    killed, and the result is reported exactly once through a callback from
 *    the event loop.  Nothing here ever blocks the caller.
 *
 * A descendant that leaves the group (setsid, setpgid) is out of reach of
 * the group kill.  A process that calls proc_become_subreaper() at least
 * inherits such orphans and reaps them through its event loop, so they never
 * pile up as zombies.
 *
 * The caller bounds concurrency (how many scripts run at once); this module
 * costs one process and one pipe descriptor per running program. */
#ifndef KA_PROC_H
#define KA_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ev_loop;

/* The only environment a program gets, and the search path for commands
 * without a '/'. */
#define PROC_PATH "/usr/sbin:/usr/bin:/sbin:/bin"
#define PROC_SHELL "/bin/sh"

/* Between the SIGTERM of a timeout and the SIGKILL. */
#define PROC_KILL_GRACE_US 1000000u

/* Supplementary groups kept for a user; more are silently dropped. */
#define PROC_MAX_GROUPS 64

/* ---- command lines ---- */

/* A parsed command line.  `argv` is what proc_start executes before extra
 * arguments are added: the split words, or {PROC_SHELL, "-c", text} in shell
 * mode. */
struct proc_cmd {
	char *text;		/* the command line as configured */
	char **argv;		/* NULL-terminated */
	bool shell;		/* run through PROC_SHELL -c */
	/* The program the command runs, for script security: argv[0]; in
	 * shell mode the first word that is not an assignment, if it comes
	 * before any shell syntax and contains none; otherwise NULL. */
	char *program;
};

/* Parse `cmdline` into `cmd`.
 *
 * Words are separated by spaces and tabs.  'single quotes' keep everything
 * literally; "double quotes" keep everything but a backslash before $ ` " \
 * or newline; an unquoted backslash makes the next character literal
 * (backslash-newline disappears).  Quotes may be mixed within one word; ''
 * is an empty word.  '#' has no special meaning.
 *
 * Shell mode is chosen when the line holds, outside quotes and not escaped,
 * a newline or one of  | & ; < > ( ) $ ` * ? [  or a ~ starting a word;
 * or a $ or ` inside double quotes; or when its first word looks like a
 * variable assignment (NAME=...).  Everything else (] { } ! # = included)
 * is literal and runs without a shell.
 *
 * Returns 0, or -1 with a message in `err` for an empty command, an
 * unterminated quote, a trailing backslash, or no memory.  Free with
 * proc_cmd_free() (also after an error, and on a zeroed struct). */
int proc_cmd_parse(const char *cmdline, struct proc_cmd *cmd, char *err, size_t errlen);

/* Whether `cmd` runs through the shell (true) or is executed directly. */
bool proc_cmd_uses_shell(const struct proc_cmd *cmd);

void proc_cmd_free(struct proc_cmd *cmd);

/* ---- users ---- */

/* Who a program runs as.  With `set` false it keeps our identity. */
struct proc_user {
	uid_t uid;
	gid_t gid;
	bool set;
	int ngroups;		/* 0: just `gid` as the only supplementary group */
	gid_t groups[PROC_MAX_GROUPS];
};

/* Resolve `user` (a name) and optional `group` (a name; NULL or "" for the
 * user's primary group) into `out`, including the user's supplementary
 * groups (those of /etc/group; the explicit group is added to them).
 * Returns 0, or -1 with a message in `err`.  Reads the user and group
 * databases: call at configuration time, not for each run. */
int proc_user_lookup(const char *user, const char *group, struct proc_user *out,
		     char *err, size_t errlen);

/* The user scripts run as, keepalived's way: `user` (script_user) when
 * given, else the user keepalived_script if it exists, else our own
 * identity (out->set false).  0, or -1 with a message in `err` (then out
 * is unset too). */
int proc_script_user(const char *user, const char *group, struct proc_user *out, char *err,
		     size_t errlen);

/* The script user of one configuration, looked up when a script first
 * needs it: a configuration without scripts never asks the name service,
 * whose modules would cost the process a few hundred KiB.  Zero it (or
 * set `known` false) when the configuration changes. */
struct proc_script_user_cache {
	struct proc_user user;
	bool known;
};

/* proc_script_user(user, group) the first time after a reset; the same
 * answer afterwards.  A failed lookup is logged once and means root. */
const struct proc_user *proc_script_user_cached(struct proc_script_user_cache *c,
						const char *user, const char *group);

/* ---- running ---- */

/* Where a program that never started failed (in the child, before exec). */
enum proc_stage {
	PROC_STAGE_NONE = 0,	/* it started; `status` is its own */
	PROC_STAGE_SETUP,	/* /dev/null, process group, descriptors */
	PROC_STAGE_USER,	/* setgroups/setgid/setuid */
	PROC_STAGE_EXEC,
};

struct proc_result {
	pid_t pid;
	int status;		/* as from waitpid() */
	bool timed_out;		/* SIGTERM was sent to the group at the timeout */
	bool killed;		/* ... and SIGKILL after the grace period */
	uint64_t runtime_us;	/* from start to exit */
	uint64_t timeout_us;	/* the limit it ran with; 0 for none */
	enum proc_stage stage;	/* why it never started, if it did not */
	int error;		/* errno of that failure, else 0 */
};

typedef void proc_done_fn(void *arg, const struct proc_result *r);

struct proc;

/* Start `cmd` with `extra_args` (NULL or a NULL-terminated list) appended to
 * its arguments: in shell mode they become the shell's positional
 * parameters and the script text becomes `text "$@"`, so they reach the
 * last simple command of the line literally, never interpolated (a line
 * ending in ';', '&' or a comment will not pass them on usefully).  `user`
 * may be NULL or unset to keep our identity.  `timeout_us` 0 means no
 * limit.
 *
 * Returns the running program, or NULL with errno set (EAGAIN and ENOMEM
 * from fork(), EMFILE, ...), in which case `done` is never called.  `cmd`
 * and `extra_args` may be freed as soon as this returns.
 *
 * `done` is called exactly once from `loop`, when the program has exited
 * and been reaped; the proc is freed before the call, so the pointer must be
 * forgotten then.  A program that could not be executed exits with 127
 * (not found) or 126 (any other failure, including a failed user switch)
 * and reports the failing stage and errno in the result. */
struct proc *proc_start(struct ev_loop *loop, const struct proc_cmd *cmd,
			const char *const *extra_args, const struct proc_user *user,
			uint64_t timeout_us, proc_done_fn *done, void *arg);

/* The process id (also its process group id) of a running program. */
pid_t proc_pid(const struct proc *p);

/* Abandon a running program, for shutdown or reload: SIGKILL to its
 * process group, and `done` is never called.  The loop reaps it later if it
 * still runs; the proc is freed now.  NULL is a no-op. */
void proc_cancel(struct proc *p);

/* Whether the program exited by itself with status 0. */
bool proc_result_ok(const struct proc_result *r);

/* Its exit status 0..255, or -1 if it was killed by a signal or timed out. */
int proc_result_exit_code(const struct proc_result *r);

/* One phrase for logs: "exited with status 3", "killed by signal 9 after
 * timeout of 2 s", "could not execute: No such file or directory".
 * Always NUL-terminates a non-empty buffer; returns buf. */
char *proc_result_describe(const struct proc_result *r, char *buf, size_t len);

/* Make this process a child subreaper (PR_SET_CHILD_SUBREAPER): orphaned
 * descendants of the programs it starts are reparented to it instead of
 * init, and its event loop reaps them.  Called by the VRRP and checker
 * processes at start.  Returns 0 or -1 with errno set. */
int proc_become_subreaper(void);

/* Raise this process's soft limit on open descriptors to at least `want`
 * (and the hard limit too when it is lower and we may: root), because a
 * thousand health checks in flight need a thousand sockets and the usual
 * soft limit is 1,024.  Never lowers it.  Programs started by proc_start()
 * get the limit back as it was before the first raise, for the ones that
 * use select().  Returns 0, or -1 with errno set (the limit is then as
 * high as it could be made). */
int proc_raise_nofile(size_t want);

#endif
