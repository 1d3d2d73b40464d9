/* Starting external programs; see proc.h.
 *
 * Everything that allocates or reads databases happens in the parent before
 * fork(): the exec argv is built there and the user resolved at
 * configuration time.  The child only makes async-signal-safe calls (it may
 * be the fork of a process whose other state is arbitrary) and tells the
 * parent why it failed, if it does, through a close-on-exec pipe: an exec
 * that succeeds closes the pipe with nothing written.  The parent reads that
 * pipe only once the child has been reaped, when anything written is
 * already there, so the read never waits. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "event.h"
#include "log.h"
#include "proc.h"

static void argv_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* ---- command line splitting ---- */

/* Splitter state.  `words` is always NULL-terminated. */
struct splitter {
	char **words;
	size_t nwords, cap;
	char *buf;		/* the word being built */
	size_t len, bufcap;
	bool in_word;
	bool shell;		/* shell syntax seen */
	size_t clean_words;	/* words completed before any shell syntax */
};

static int sp_putc(struct splitter *sp, char c)
{
	if (sp->len + 1 >= sp->bufcap) {
		size_t cap = sp->bufcap ? sp->bufcap * 2 : 64;
		char *b = realloc(sp->buf, cap);

		if (b == NULL)
			return -1;
		sp->buf = b;
		sp->bufcap = cap;
	}
	sp->buf[sp->len++] = c;
	sp->in_word = true;
	return 0;
}

static int sp_end_word(struct splitter *sp)
{
	char *w;

	if (!sp->in_word)
		return 0;
	if (sp->nwords + 2 > sp->cap) {
		size_t cap = sp->cap ? sp->cap * 2 : 8;
		char **v = realloc(sp->words, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		sp->words = v;
		sp->cap = cap;
	}
	w = malloc(sp->len + 1);
	if (w == NULL)
		return -1;
	if (sp->len > 0)
		memcpy(w, sp->buf, sp->len);
	w[sp->len] = '\0';
	sp->words[sp->nwords++] = w;
	sp->words[sp->nwords] = NULL;
	if (!sp->shell)
		sp->clean_words = sp->nwords;
	sp->len = 0;
	sp->in_word = false;
	return 0;
}

/* Characters that end a word and make a shell necessary. */
static bool is_operator(char c)
{
	return c != '\0' && strchr("|&;<>()\n", c) != NULL;
}

/* Characters that expand inside a word. */
static bool is_expansion(char c, bool word_start)
{
	return (c != '\0' && strchr("$`*?[", c) != NULL) || (c == '~' && word_start);
}

static bool is_assignment(const char *w)
{
	size_t i;

	if (!(w[0] == '_' || (w[0] >= 'A' && w[0] <= 'Z') || (w[0] >= 'a' && w[0] <= 'z')))
		return false;
	for (i = 1; w[i] != '\0' && w[i] != '='; i++) {
		char c = w[i];

		if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9')))
			return false;
	}
	return w[i] == '=';
}

/* Split `s` into sp->words.  Returns 0, or -1 with `err` filled. */
static int sp_split(struct splitter *sp, const char *s, char *err, size_t errlen)
{
	enum { Q_NONE, Q_SINGLE, Q_DOUBLE } q = Q_NONE;
	size_t i;
	int rc = 0;

	for (i = 0; s[i] != '\0' && rc == 0; i++) {
		char c = s[i], next = s[i + 1];

		if (q == Q_SINGLE) {
			if (c == '\'')
				q = Q_NONE;
			else
				rc = sp_putc(sp, c);
		} else if (q == Q_DOUBLE) {
			if (c == '"') {
				q = Q_NONE;
			} else if (c == '\\' && next == '\n') {
				i++;
			} else if (c == '\\' && next != '\0' && strchr("$`\"\\", next) != NULL) {
				rc = sp_putc(sp, next);
				i++;
			} else {
				if (c == '$' || c == '`')
					sp->shell = true;
				rc = sp_putc(sp, c);
			}
		} else if (c == ' ' || c == '\t') {
			rc = sp_end_word(sp);
		} else if (c == '\\') {
			if (next == '\0') {
				errbuf_set(err, errlen, "command line ends with a backslash");
				return -1;
			}
			if (next != '\n')
				rc = sp_putc(sp, next);
			i++;
		} else if (c == '\'' || c == '"') {
			q = c == '\'' ? Q_SINGLE : Q_DOUBLE;
			sp->in_word = true;
		} else if (is_operator(c)) {
			rc = sp_end_word(sp);
			sp->shell = true;
		} else {
			if (is_expansion(c, !sp->in_word))
				sp->shell = true;
			rc = sp_putc(sp, c);
		}
	}
	if (rc == 0 && q != Q_NONE) {
		errbuf_set(err, errlen, "unterminated %s quote in command line",
			 q == Q_SINGLE ? "single" : "double");
		return -1;
	}
	if (rc == 0)
		rc = sp_end_word(sp);
	if (rc < 0)
		errbuf_set(err, errlen, "out of memory");
	return rc;
}

int proc_cmd_parse(const char *cmdline, struct proc_cmd *cmd, char *err, size_t errlen)
{
	struct splitter sp = { 0 };
	size_t i;

	memset(cmd, 0, sizeof(*cmd));
	if (sp_split(&sp, cmdline, err, errlen) < 0)
		goto bad;
	if (sp.nwords == 0 || sp.words[0][0] == '\0') {
		errbuf_set(err, errlen, sp.nwords == 0 ? "empty command" : "empty program name");
		goto bad;
	}
	if (is_assignment(sp.words[0]))
		sp.shell = true;
	cmd->shell = sp.shell;
	cmd->text = strdup(cmdline);
	if (cmd->text == NULL)
		goto nomem;
	if (!sp.shell) {
		cmd->argv = sp.words;
		sp.words = NULL;
		cmd->program = cmd->argv[0];
		goto out;
	}
	for (i = 0; i < sp.clean_words && is_assignment(sp.words[i]); i++)
		;
	if (i < sp.clean_words && sp.words[i][0] != '\0') {
		cmd->program = strdup(sp.words[i]);
		if (cmd->program == NULL)
			goto nomem;
	}
	cmd->argv = calloc(4, sizeof(char *));
	if (cmd->argv == NULL || (cmd->argv[0] = strdup(PROC_SHELL)) == NULL ||
	    (cmd->argv[1] = strdup("-c")) == NULL || (cmd->argv[2] = strdup(cmdline)) == NULL)
		goto nomem;
out:
	argv_free(sp.words);
	free(sp.buf);
	return 0;
nomem:
	errbuf_set(err, errlen, "out of memory");
bad:
	argv_free(sp.words);
	free(sp.buf);
	proc_cmd_free(cmd);
	return -1;
}

bool proc_cmd_uses_shell(const struct proc_cmd *cmd)
{
	return cmd->shell;
}

void proc_cmd_free(struct proc_cmd *cmd)
{
	/* In argv mode `program` is argv[0], owned by argv. */
	if (cmd->shell)
		free(cmd->program);
	argv_free(cmd->argv);
	free(cmd->text);
	memset(cmd, 0, sizeof(*cmd));
}

/* ---- users ---- */

int proc_user_lookup(const char *user, const char *group, struct proc_user *out,
		     char *err, size_t errlen)
{
	const struct passwd *pw;
	int n = PROC_MAX_GROUPS;

	memset(out, 0, sizeof(*out));
	errno = 0;
	pw = getpwnam(user);
	if (pw == NULL) {
		errbuf_set(err, errlen, "no such user '%s'", user);
		return -1;
	}
	out->uid = pw->pw_uid;
	out->gid = pw->pw_gid;
	if (group != NULL && group[0] != '\0') {
		const struct group *gr = getgrnam(group);

		if (gr == NULL) {
			errbuf_set(err, errlen, "no such group '%s'", group);
			return -1;
		}
		out->gid = gr->gr_gid;
	}
	/* The first PROC_MAX_GROUPS are filled even when there are more. */
	if (getgrouplist(user, out->gid, out->groups, &n) < 0 && n > PROC_MAX_GROUPS)
		n = PROC_MAX_GROUPS;
	out->ngroups = n < 0 ? 0 : n;
	out->set = true;
	return 0;
}

/* ---- the child ---- */

struct child_report {
	int stage;
	int error;
};

static void child_fail(int errfd, enum proc_stage stage, int error) __attribute__((noreturn));

static void child_fail(int errfd, enum proc_stage stage, int error)
{
	struct child_report rep = { (int)stage, error };
	ssize_t n = write(errfd, &rep, sizeof(rep));

	(void)n;
	_exit(stage == PROC_STAGE_EXEC && (error == ENOENT || error == ENOTDIR) ? 127 : 126);
}

static int child_close_range(unsigned first, unsigned last)
{
	struct rlimit rl;
	unsigned fd, max;

	if (first > last)
		return 0;
#ifdef SYS_close_range
	if (syscall(SYS_close_range, first, last, 0u) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
#endif
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	max = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > INT_MAX ? INT_MAX : (unsigned)rl.rlim_cur;
	for (fd = first; fd <= last && fd < max; fd++)
		close((int)fd);
	return 0;
}

/* stdio on /dev/null, every other descriptor but `errfd` closed.  Returns
 * the (possibly moved) errfd, or -1. */
static int child_fds(int errfd)
{
	int nul, fd;

	if (errfd <= STDERR_FILENO) {
		errfd = fcntl(errfd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
		if (errfd < 0)
			return -1;
	}
	nul = open("/dev/null", O_RDWR);
	if (nul < 0)
		return -1;
	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		if (fd != nul && dup2(nul, fd) < 0)
			return -1;
	}
	if (child_close_range(STDERR_FILENO + 1, (unsigned)errfd - 1) < 0 ||
	    child_close_range((unsigned)errfd + 1, ~0u) < 0)
		return -1;
	return errfd;
}

static int child_user(const struct proc_user *u)
{
	size_t n = u->ngroups <= 0 ? 0 :
		   u->ngroups > PROC_MAX_GROUPS ? PROC_MAX_GROUPS : (size_t)u->ngroups;

	if (!u->set || (getuid() == u->uid && geteuid() == u->uid &&
			getgid() == u->gid && getegid() == u->gid))
		return 0;
	if (n > 0 ? setgroups(n, u->groups) < 0 : setgroups(1, &u->gid) < 0)
		return -1;
	if (setgid(u->gid) < 0 || setuid(u->uid) < 0)
		return -1;
	return 0;
}

/* execve through PROC_PATH when `argv[0]` has no '/', like execvp but with
 * our fixed path and no shell fallback for ENOEXEC.  Returns the errno. */
static int child_exec(char *const argv[], char *const envp[])
{
	static const char path[] = PROC_PATH;
	const char *dir = path;
	size_t nlen = strlen(argv[0]);
	bool denied = false;

	if (strchr(argv[0], '/') != NULL) {
		execve(argv[0], argv, envp);
		return errno;
	}
	while (*dir != '\0') {
		const char *end = strchr(dir, ':');
		size_t dlen = end != NULL ? (size_t)(end - dir) : strlen(dir);
		char buf[PATH_MAX];

		if (dlen + 1 + nlen + 1 > sizeof(buf))
			return ENAMETOOLONG;
		memcpy(buf, dir, dlen);
		buf[dlen] = '/';
		memcpy(buf + dlen + 1, argv[0], nlen + 1);
		execve(buf, argv, envp);
		if (errno == EACCES)
			denied = true;
		else if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
			return errno;
		dir += dlen;
		if (*dir == ':')
			dir++;
	}
	return denied ? EACCES : ENOENT;
}

static void child_run(char *const argv[], const struct proc_user *user, int errfd)
	__attribute__((noreturn));

/* The descriptor limit before proc_raise_nofile(); rlim_cur 0: not raised. */
static struct rlimit saved_nofile;

static void child_run(char *const argv[], const struct proc_user *user, int errfd)
{
	static char env_path[] = "PATH=" PROC_PATH;
	static char *const envp[] = { env_path, NULL };
	int fd;

	ev_signals_reset();
	if (saved_nofile.rlim_cur)
		(void)setrlimit(RLIMIT_NOFILE, &saved_nofile);
	if (setpgid(0, 0) < 0)
		child_fail(errfd, PROC_STAGE_SETUP, errno);
	fd = child_fds(errfd);
	if (fd < 0)
		child_fail(errfd, PROC_STAGE_SETUP, errno);
	errfd = fd;
	if (child_user(user) < 0)
		child_fail(errfd, PROC_STAGE_USER, errno);
	child_fail(errfd, PROC_STAGE_EXEC, child_exec(argv, envp));
}

/* ---- the parent ---- */

struct proc {
	struct ev_loop *loop;
	pid_t pid;
	int errfd;		/* read end of the child's failure report */
	uint64_t start_us, timeout_us;
	struct ev_timer timer;	/* the timeout, then the kill grace */
	bool timed_out, killed;
	proc_done_fn *done;
	void *arg;
};

/* The exec argv: the command's, then the extra arguments; in shell mode
 * those become positional parameters of `text "$@"`. */
static char **proc_exec_argv(const struct proc_cmd *cmd, const char *const *extra)
{
	size_t nbase = 0, nextra = 0, n = 0, i;
	char **v;

	while (cmd->argv[nbase] != NULL)
		nbase++;
	while (extra != NULL && extra[nextra] != NULL)
		nextra++;
	v = calloc(nbase + nextra + 2, sizeof(*v));
	if (v == NULL)
		return NULL;
	for (i = 0; i < nbase; i++, n++) {
		v[n] = strdup(cmd->argv[i]);
		if (v[n] == NULL)
			goto bad;
	}
	if (cmd->shell && nextra > 0) {
		size_t len = strlen(cmd->text);
		char *script;

		while (len > 0 && (cmd->text[len - 1] == ' ' || cmd->text[len - 1] == '\t' ||
				   cmd->text[len - 1] == '\n'))
			len--;
		script = malloc(len + sizeof(" \"$@\""));
		if (script == NULL)
			goto bad;
		memcpy(script, cmd->text, len);
		memcpy(script + len, " \"$@\"", sizeof(" \"$@\""));
		free(v[2]);
		v[2] = script;
		v[n] = strdup("sh");	/* $0 */
		if (v[n++] == NULL)
			goto bad;
	}
	for (i = 0; i < nextra; i++, n++) {
		v[n] = strdup(extra[i]);
		if (v[n] == NULL)
			goto bad;
	}
	return v;
bad:
	argv_free(v);
	return NULL;
}

static void proc_free(struct proc *p)
{
	ev_timer_disarm(p->loop, &p->timer);
	if (p->errfd >= 0)
		close(p->errfd);
	free(p);
}

static void proc_exited(struct ev_loop *loop, pid_t pid, int status, void *arg)
{
	struct proc *p = arg;
	struct proc_result r = {
		.pid = pid,
		.status = status,
		.timed_out = p->timed_out,
		.killed = p->killed,
		.timeout_us = p->timeout_us,
	};
	struct child_report rep;
	proc_done_fn *done = p->done;
	void *done_arg = p->arg;
	uint64_t now = monotonic_us();

	(void)loop;
	/* Whatever it left behind in its group.  A member still alive keeps
	 * the group id in use; with none left the kill fails with ESRCH (the id
	 * could only name someone else's group after a full wrap of the pid
	 * space within the microseconds since the reap). */
	(void)kill(-pid, SIGKILL);
	r.runtime_us = now > p->start_us ? now - p->start_us : 0;
	if (read(p->errfd, &rep, sizeof(rep)) == (ssize_t)sizeof(rep)) {
		r.stage = (enum proc_stage)rep.stage;
		r.error = rep.error;
	}
	proc_free(p);
	done(done_arg, &r);
}

static void proc_timeout(struct ev_loop *loop, void *arg)
{
	struct proc *p = arg;

	if (!p->timed_out) {
		p->timed_out = true;
		(void)kill(-p->pid, SIGTERM);
		(void)kill(-p->pid, SIGCONT);	/* a stopped process must see it */
		if (ev_timer_arm(loop, &p->timer, PROC_KILL_GRACE_US) == 0)
			return;
		/* No memory for the grace timer: no grace either. */
	}
	p->killed = true;
	(void)kill(-p->pid, SIGKILL);
}

struct proc *proc_start(struct ev_loop *loop, const struct proc_cmd *cmd,
			const char *const *extra_args, const struct proc_user *user,
			uint64_t timeout_us, proc_done_fn *done, void *arg)
{
	static const struct proc_user keep_identity = { .set = false };
	struct proc *p;
	char **argv = NULL;
	int fds[2] = { -1, -1 };
	int saved;

	if (cmd == NULL || cmd->argv == NULL || done == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (user == NULL)
		user = &keep_identity;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->loop = loop;
	p->errfd = -1;
	p->timeout_us = timeout_us;
	p->done = done;
	p->arg = arg;
	ev_timer_init(&p->timer, proc_timeout, p);
	argv = proc_exec_argv(cmd, extra_args);
	if (argv == NULL || pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		goto bad;
	p->start_us = monotonic_us();
	p->pid = fork();
	if (p->pid < 0)
		goto bad;
	if (p->pid == 0) {
		close(fds[0]);
		child_run(argv, user, fds[1]);
	}
	close(fds[1]);
	fds[1] = -1;
	p->errfd = fds[0];
	fds[0] = -1;
	argv_free(argv);
	argv = NULL;
	/* Also done by the child; whichever runs first, the group exists
	 * before anyone can signal it.  Fails harmlessly if the child has
	 * already exited. */
	(void)setpgid(p->pid, p->pid);
	if (ev_child_watch(loop, p->pid, proc_exited, p) < 0)
		goto bad_child;
	if (timeout_us > 0 && ev_timer_arm(loop, &p->timer, timeout_us) < 0) {
		ev_child_unwatch(loop, p->pid);
		goto bad_child;
	}
	return p;
bad_child:
	/* Unwatched now: the loop reaps it as an unknown child. */
	saved = errno;
	(void)kill(-p->pid, SIGKILL);
	(void)kill(p->pid, SIGKILL);
	errno = saved;
bad:
	saved = errno;
	argv_free(argv);
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	proc_free(p);
	errno = saved;
	return NULL;
}

pid_t proc_pid(const struct proc *p)
{
	return p->pid;
}

void proc_cancel(struct proc *p)
{
	if (p == NULL)
		return;
	(void)kill(-p->pid, SIGKILL);
	ev_child_unwatch(p->loop, p->pid);
	proc_free(p);
}

/* ---- results ---- */

bool proc_result_ok(const struct proc_result *r)
{
	return r->stage == PROC_STAGE_NONE && !r->timed_out &&
	       WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0;
}

int proc_result_exit_code(const struct proc_result *r)
{
	if (r->timed_out || !WIFEXITED(r->status))
		return -1;
	return WEXITSTATUS(r->status);
}

/* "2", "1.5", "0.25": seconds with at most millisecond precision. */
static void format_seconds(uint64_t us, char *buf, size_t len)
{
	unsigned long long ms = (unsigned long long)(us + 500) / 1000;
	int n;

	n = snprintf(buf, len, "%llu.%03llu", ms / 1000, ms % 1000);
	if (n <= 0 || (size_t)n >= len)
		return;
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
}

char *proc_result_describe(const struct proc_result *r, char *buf, size_t len)
{
	static const char *const stages[] = {
		[PROC_STAGE_SETUP] = "set up the child process",
		[PROC_STAGE_USER] = "switch user",
		[PROC_STAGE_EXEC] = "execute",
	};
	int n;

	if (len == 0)
		return buf;
	if (r->stage > PROC_STAGE_NONE && r->stage <= PROC_STAGE_EXEC)
		n = snprintf(buf, len, "could not %s: %s", stages[r->stage], strerror(r->error));
	else if (WIFEXITED(r->status))
		n = snprintf(buf, len, "exited with status %d", WEXITSTATUS(r->status));
	else if (WIFSIGNALED(r->status))
		n = snprintf(buf, len, "killed by signal %d%s", WTERMSIG(r->status),
			     WCOREDUMP(r->status) ? " (core dumped)" : "");
	else
		n = snprintf(buf, len, "ended with wait status %#x", (unsigned)r->status);
	if (r->timed_out && n > 0 && (size_t)n < len) {
		char secs[32];

		format_seconds(r->timeout_us, secs, sizeof(secs));
		snprintf(buf + n, len - (size_t)n, " after timeout of %s s", secs);
	}
	return buf;
}

int proc_become_subreaper(void)
{
	return prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL);
}

int proc_raise_nofile(size_t want)
{
	struct rlimit now, rl;
	int r = 0;

	if (getrlimit(RLIMIT_NOFILE, &now) < 0)
		return -1;
	if (now.rlim_cur == RLIM_INFINITY || now.rlim_cur >= want)
		return 0;
	rl.rlim_cur = want;
	rl.rlim_max = now.rlim_max < want ? want : now.rlim_max;	/* root only */
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		/* Not allowed past the hard limit: go as far as it. */
		int saved = errno;

		rl.rlim_cur = rl.rlim_max = now.rlim_max;
		if (now.rlim_max <= now.rlim_cur || setrlimit(RLIMIT_NOFILE, &rl) < 0) {
			errno = saved;
			return -1;
		}
		errno = saved;
		r = -1;
	}
	if (!saved_nofile.rlim_cur)
		saved_nofile = now;
	return r;
}

int proc_script_user(const char *user, const char *group, struct proc_user *out, char *err,
		     size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (user && user[0]) {
		if (proc_user_lookup(user, group, out, err, errlen) == 0)
			return 0;
		memset(out, 0, sizeof(*out));
		return -1;
	}
	if (getpwnam("keepalived_script") &&
	    proc_user_lookup("keepalived_script", NULL, out, err, errlen) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

const struct proc_user *proc_script_user_cached(struct proc_script_user_cache *c,
						const char *user, const char *group)
{
	char err[200];

	if (!c->known) {
		c->known = true;
		if (proc_script_user(user, group, &c->user, err, sizeof(err)) < 0)
			log_err("script_user: %s; scripts run as root", err);
	}
	return &c->user;
}
