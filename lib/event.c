/* The event loop; see event.h.
 *
 * Descriptors: a table indexed by fd holds each watcher.  Every ev_io_add
 * takes a fresh generation number from a per-loop counter, and epoll carries
 * (generation << 32 | fd) back to us.  An event collected in a batch whose
 * watcher was deleted (or deleted and re-added, perhaps for a new file that
 * reuses the number) by an earlier callback of the same batch no longer
 * matches its slot and is dropped instead of reaching the wrong watcher.
 *
 * Signals: one signalfd, watched like any descriptor, whose mask grows with
 * each ev_signal_add().  SIGCHLD is always in it: the loop reaps children
 * itself and calls whoever asked through ev_child_watch().
 *
 * Timers: a min-heap on CLOCK_MONOTONIC.  epoll_wait sleeps until the
 * earliest deadline rounded UP to the millisecond, and a timer fires only once
 * the clock has reached its deadline, so timers are never early. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "event.h"

#define EV_MAX_EVENTS 64

struct ev_fdslot {
	ev_io_fn *fn;		/* NULL when the slot is free */
	void *arg;
	uint32_t gen;
};

struct ev_sigslot {
	ev_signal_fn *fn;
	void *arg;
};

struct ev_child {
	pid_t pid;
	ev_child_fn *fn;
	void *arg;
};

struct ev_loop {
	int epfd;
	int sigfd;
	sigset_t sigmask;	/* what sigfd reads; all blocked */

	struct ev_fdslot *fds;
	size_t nfds;
	uint32_t next_gen;

	struct timer_heap timers;

	struct ev_sigslot sigs[NSIG];

	/* Linear scans: a daemon has a handful of scripts running at once. */
	struct ev_child *children;
	size_t nchildren, children_cap;
	bool reap_pending;

	bool stop;
	uint64_t now_us;
	bool now_fresh;		/* now_us read after a wait that ran nothing */
	struct ev_lag lag;
};

uint64_t monotonic_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void ev_signalfd_ready(struct ev_loop *loop, int fd, uint32_t events, void *arg);

/* SIGCHLD must be SIG_DFL, not SIG_IGN: with SIG_IGN the kernel reaps
 * children on its own and we would never learn their exit status.
 * SIGPIPE is ignored so that writing to a peer that went away returns EPIPE
 * to the caller instead of killing the daemon. */
static int ev_signals_setup(struct ev_loop *loop)
{
	if (signal(SIGCHLD, SIG_DFL) == SIG_ERR || signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return -1;
	sigemptyset(&loop->sigmask);
	sigaddset(&loop->sigmask, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &loop->sigmask, NULL) < 0)
		return -1;
	loop->sigfd = signalfd(-1, &loop->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (loop->sigfd < 0)
		return -1;
	return ev_io_add(loop, loop->sigfd, EPOLLIN, ev_signalfd_ready, NULL);
}

struct ev_loop *ev_loop_new(void)
{
	struct ev_loop *loop = calloc(1, sizeof(*loop));
	int saved;

	if (loop == NULL)
		return NULL;
	loop->epfd = -1;
	loop->sigfd = -1;
	loop->next_gen = 1;
	timer_heap_init(&loop->timers);
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0 || ev_signals_setup(loop) < 0)
		goto bad;
	loop->now_us = monotonic_us();
	return loop;
bad:
	saved = errno;
	ev_loop_free(loop);
	errno = saved;
	return NULL;
}

void ev_loop_free(struct ev_loop *loop)
{
	if (loop == NULL)
		return;
	/* Closing is enough: no epoll_ctl, the set may be shared with a parent. */
	if (loop->sigfd >= 0)
		close(loop->sigfd);
	if (loop->epfd >= 0)
		close(loop->epfd);
	timer_heap_free(&loop->timers);
	free(loop->fds);
	free(loop->children);
	free(loop);
}

/* ---- descriptors ---- */

static int ev_fds_reserve(struct ev_loop *loop, int fd)
{
	size_t want = (size_t)fd + 1, n;
	struct ev_fdslot *fds;

	if (want <= loop->nfds)
		return 0;
	n = loop->nfds ? loop->nfds : 64;
	while (n < want)
		n *= 2;
	fds = realloc(loop->fds, n * sizeof(*fds));
	if (fds == NULL)
		return -1;
	memset(fds + loop->nfds, 0, (n - loop->nfds) * sizeof(*fds));
	loop->fds = fds;
	loop->nfds = n;
	return 0;
}

static struct ev_fdslot *ev_slot(const struct ev_loop *loop, int fd)
{
	if (fd < 0 || (size_t)fd >= loop->nfds || loop->fds[fd].fn == NULL)
		return NULL;
	return &loop->fds[fd];
}

static uint64_t ev_pack(int fd, uint32_t gen)
{
	return (uint64_t)gen << 32 | (uint32_t)fd;
}

int ev_io_add(struct ev_loop *loop, int fd, uint32_t events, ev_io_fn *fn, void *arg)
{
	struct epoll_event ev = { .events = events };
	struct ev_fdslot *slot;

	if (fd < 0 || fn == NULL) {
		errno = fd < 0 ? EBADF : EINVAL;
		return -1;
	}
	if (ev_slot(loop, fd) != NULL) {
		errno = EEXIST;
		return -1;
	}
	if (ev_fds_reserve(loop, fd) < 0)
		return -1;
	slot = &loop->fds[fd];
	slot->gen = loop->next_gen++;
	if (loop->next_gen == 0)	/* 0 never names a live watcher */
		loop->next_gen = 1;
	ev.data.u64 = ev_pack(fd, slot->gen);
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -1;
	slot->fn = fn;
	slot->arg = arg;
	return 0;
}

int ev_io_modify(struct ev_loop *loop, int fd, uint32_t events)
{
	struct ev_fdslot *slot = ev_slot(loop, fd);
	struct epoll_event ev = { .events = events };

	if (slot == NULL) {
		errno = ENOENT;
		return -1;
	}
	ev.data.u64 = ev_pack(fd, slot->gen);
	return epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev);
}

void ev_io_del(struct ev_loop *loop, int fd)
{
	struct ev_fdslot *slot = ev_slot(loop, fd);

	if (slot == NULL)
		return;
	/* Failure means the fd was already closed, which removed it anyway. */
	(void)epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	slot->fn = NULL;
	slot->arg = NULL;
	slot->gen = 0;
}

void ev_io_close(struct ev_loop *loop, int fd)
{
	struct ev_fdslot *slot = ev_slot(loop, fd);

	if (slot != NULL) {
		slot->fn = NULL;
		slot->arg = NULL;
		slot->gen = 0;
	}
	close(fd);
}

static void ev_dispatch_io(struct ev_loop *loop, const struct epoll_event *ev)
{
	int fd = (int)(uint32_t)ev->data.u64;
	uint32_t gen = (uint32_t)(ev->data.u64 >> 32);
	struct ev_fdslot *slot = ev_slot(loop, fd);

	/* A stale event: its watcher went away earlier in this batch. */
	if (slot == NULL || slot->gen != gen)
		return;
	slot->fn(loop, fd, ev->events, slot->arg);
}

/* ---- timers ---- */

void ev_timer_init(struct ev_timer *t, ev_timer_fn *fn, void *arg)
{
	t->node.expires_us = 0;
	t->node.seq = 0;
	t->node.index = HEAP_NOT_QUEUED;
	t->fn = fn;
	t->arg = arg;
	t->coarse = false;
}

int ev_timer_arm_at(struct ev_loop *loop, struct ev_timer *t, uint64_t deadline_us)
{
	timer_heap_remove(&loop->timers, &t->node);
	t->coarse = false;
	t->node.expires_us = deadline_us;
	if (timer_heap_push(&loop->timers, &t->node) < 0) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* Measured from the real clock, not the cached iteration time: a callback
 * that ran for a while must not get a timer that is already partly spent. */
int ev_timer_arm(struct ev_loop *loop, struct ev_timer *t, uint64_t delay_us)
{
	uint64_t now = monotonic_us();
	uint64_t deadline = delay_us > UINT64_MAX - now ? UINT64_MAX : now + delay_us;

	return ev_timer_arm_at(loop, t, deadline);
}

/* From the loop's cached time, not the clock: reading the clock is a system
 * call on some machines (HPET), and a coarse timer fired a few microseconds
 * early, by the time the current callbacks have run, harms nobody. */
int ev_timer_arm_coarse(struct ev_loop *loop, struct ev_timer *t, uint64_t delay_us,
			uint64_t grain_us)
{
	uint64_t now = loop->now_us;
	uint64_t deadline = delay_us > UINT64_MAX - now ? UINT64_MAX : now + delay_us;

	if (grain_us > 1 && deadline % grain_us && deadline <= UINT64_MAX - grain_us)
		deadline += grain_us - deadline % grain_us;
	if (ev_timer_arm_at(loop, t, deadline) < 0)
		return -1;
	t->coarse = true;
	return 0;
}

void ev_timer_disarm(struct ev_loop *loop, struct ev_timer *t)
{
	timer_heap_remove(&loop->timers, &t->node);
}

/* A coarse timer's lag is taken at the start of its batch (the cached
 * time): it is allowed to be late, and a clock read for each of a thousand
 * health checks would cost more than the checks on some machines. */
static void ev_lag_record(struct ev_loop *loop, uint64_t deadline, bool coarse)
{
	uint64_t now = coarse ? loop->now_us : monotonic_us();
	uint64_t lag = now > deadline ? now - deadline : 0;

	loop->lag.timers_fired++;
	loop->lag.last_lag_us = lag;
	if (lag > loop->lag.max_lag_us)
		loop->lag.max_lag_us = lag;
	if (lag > EV_LATE_US)
		loop->lag.late_timers++;
}

/* Fire every timer due at the cached time.  Timers armed by these callbacks
 * (even with no delay) wait for the next iteration, so a timer re-arming
 * itself cannot starve descriptors. */
static bool ev_run_timers(struct ev_loop *loop)
{
	uint64_t first_new_seq = loop->timers.next_seq;
	struct heap_timer *node;
	bool fired = false;

	while (!loop->stop && (node = timer_heap_peek(&loop->timers)) != NULL) {
		struct ev_timer *t = (struct ev_timer *)((char *)node - offsetof(struct ev_timer, node));

		if (node->expires_us > loop->now_us || node->seq >= first_new_seq)
			break;
		timer_heap_remove(&loop->timers, node);
		ev_lag_record(loop, node->expires_us, t->coarse);
		t->fn(loop, t->arg);
		fired = true;
	}
	return fired;
}

/* Milliseconds epoll_wait may sleep: until the earliest deadline, rounded up.
 * The kernel lets an epoll_wait timeout run late by 0.1% of its length
 * (timer slack: 3.6 ms on a VRRP master-down timer), so a wait over 5 ms
 * stops short of the deadline by twice that slack plus 2 ms; the short
 * wait that follows (slack ~50 us) lands within a millisecond of it. */
static int ev_wait_timeout(const struct ev_loop *loop, uint64_t now)
{
	const struct heap_timer *node = timer_heap_peek(&loop->timers);
	const struct ev_timer *t;
	uint64_t us, ms;

	if (node == NULL)
		return -1;
	if (node->expires_us <= now)
		return 0;
	us = node->expires_us - now;
	t = (const struct ev_timer *)((const char *)node - offsetof(struct ev_timer, node));
	if (us > 5000 && !t->coarse)
		us -= us / 500 + 2000;
	ms = (us + 999) / 1000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* ---- signals and children ---- */

int ev_signal_add(struct ev_loop *loop, int signo, ev_signal_fn *fn, void *arg)
{
	sigset_t mask = loop->sigmask;

	if (signo <= 0 || signo >= NSIG || signo == SIGKILL || signo == SIGSTOP ||
	    signo == SIGCHLD || fn == NULL) {
		errno = EINVAL;
		return -1;
	}
	sigaddset(&mask, signo);
	/* Block before the signalfd reads it, so no instance hits the default
	 * action in between.  Adding a signal again replaces its handler. */
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -1;
	if (signalfd(loop->sigfd, &mask, SFD_NONBLOCK | SFD_CLOEXEC) < 0)
		return -1;
	loop->sigmask = mask;
	loop->sigs[signo].fn = fn;
	loop->sigs[signo].arg = arg;
	return 0;
}

int ev_child_watch(struct ev_loop *loop, pid_t pid, ev_child_fn *fn, void *arg)
{
	if (pid <= 0 || fn == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (loop->nchildren == loop->children_cap) {
		size_t cap = loop->children_cap ? loop->children_cap * 2 : 8;
		struct ev_child *c = realloc(loop->children, cap * sizeof(*c));

		if (c == NULL)
			return -1;
		loop->children = c;
		loop->children_cap = cap;
	}
	loop->children[loop->nchildren++] = (struct ev_child){ pid, fn, arg };
	/* The child may already be dead.  Its SIGCHLD is still pending in the
	 * signalfd (nothing reaps between the caller's fork() and this call,
	 * the loop being single-threaded), but reap at the end of this
	 * iteration anyway so the result never depends on that. */
	loop->reap_pending = true;
	return 0;
}

static bool ev_child_take(struct ev_loop *loop, pid_t pid, struct ev_child *out)
{
	size_t i;

	for (i = 0; i < loop->nchildren; i++) {
		if (loop->children[i].pid != pid)
			continue;
		*out = loop->children[i];
		loop->children[i] = loop->children[--loop->nchildren];
		return true;
	}
	return false;
}

void ev_child_unwatch(struct ev_loop *loop, pid_t pid)
{
	struct ev_child dummy;

	(void)ev_child_take(loop, pid, &dummy);
}

/* Reap every dead child.  The watcher is removed before its callback runs,
 * so the callback may watch or unwatch freely. */
static void ev_reap(struct ev_loop *loop)
{
	struct ev_child c;
	int status;
	pid_t pid;

	loop->reap_pending = false;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (ev_child_take(loop, pid, &c))
			c.fn(loop, pid, status, c.arg);
	}
}

static void ev_signalfd_ready(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct signalfd_siginfo si;

	(void)events;
	(void)arg;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		int signo = (int)si.ssi_signo;

		if (signo == SIGCHLD)
			loop->reap_pending = true;
		else if (signo > 0 && signo < NSIG && loop->sigs[signo].fn != NULL)
			loop->sigs[signo].fn(loop, signo, loop->sigs[signo].arg);
	}
}

/* The C library refuses sigaction() on the signals it reserves for
 * threads (32 and 33 with glibc), yet a parent may have set them to
 * SIG_IGN (make does), and an ignored signal survives exec.  Ask the
 * kernel directly; SIG_DFL needs no restorer. */
static void reset_reserved_signal(int signo)
{
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		uint64_t mask;
	} kact = { 0 };

	if (signo == SIGKILL || signo == SIGSTOP)
		return;
	kact.handler = SIG_DFL;
	syscall(SYS_rt_sigaction, signo, &kact, NULL, sizeof(kact.mask));
}

void ev_signals_reset(void)
{
	struct sigaction dfl;
	sigset_t none;
	int signo;

	/* Every disposition, not a list: a program we start must not inherit
	 * a signal someone above us ignored.  Dispositions first, so a signal
	 * unblocked below gets its default.  sigaction() refuses SIGKILL,
	 * SIGSTOP and the signals the C library reserves; that is fine.  Only
	 * async-signal-safe calls: this runs between fork() and exec(). */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	for (signo = 1; signo < NSIG; signo++)
		if (sigaction(signo, &dfl, NULL) < 0)
			reset_reserved_signal(signo);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* ---- waiting for a condition ---- */

static void ev_wait_poll(struct ev_loop *loop, void *arg)
{
	struct ev_wait *w = arg;

	if (w->pending(w->arg) && monotonic_us() < w->deadline_us) {
		ev_timer_arm(loop, &w->timer, EV_WAIT_POLL_US);
		return;
	}
	w->done(w->arg);
}

void ev_wait_start(struct ev_loop *loop, struct ev_wait *w, bool (*pending)(void *arg),
		   uint64_t max_us, void (*done)(void *arg), void *arg)
{
	w->deadline_us = monotonic_us() + max_us;
	w->pending = pending;
	w->done = done;
	w->arg = arg;
	ev_timer_init(&w->timer, ev_wait_poll, w);
	ev_wait_poll(loop, w);
}

/* ---- the loop ---- */

static int ev_iterate(struct ev_loop *loop)
{
	struct epoll_event events[EV_MAX_EVENTS];
	uint64_t now;
	int i, n;

	/* Nothing ran since the clock was read after the last wait (it timed
	 * out: a timer is due) or no timer ran since the read just below: the
	 * time read is still the time.  One clock read fewer each, which
	 * counts where the clock is a system call (HPET under qemu). */
	if (!loop->now_fresh)
		loop->now_us = monotonic_us();
	loop->now_fresh = false;
	now = ev_run_timers(loop) ? monotonic_us() : loop->now_us;
	if (loop->stop)
		return 0;
	n = epoll_wait(loop->epfd, events, EV_MAX_EVENTS,
		       loop->reap_pending ? 0 : ev_wait_timeout(loop, now));
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	loop->now_us = monotonic_us();
	loop->now_fresh = n == 0 && !loop->reap_pending;
	for (i = 0; i < n; i++)
		ev_dispatch_io(loop, &events[i]);
	if (loop->reap_pending)
		ev_reap(loop);
	return 0;
}

int ev_run(struct ev_loop *loop)
{
	loop->stop = false;
	loop->now_fresh = false;	/* the caller may have worked since */
	while (!loop->stop) {
		if (ev_iterate(loop) < 0)
			return -1;
	}
	return 0;
}

void ev_stop(struct ev_loop *loop)
{
	loop->stop = true;
}

uint64_t ev_now_us(const struct ev_loop *loop)
{
	return loop->now_us;
}

void ev_now_update(struct ev_loop *loop)
{
	loop->now_us = monotonic_us();
}

void ev_lag_get(const struct ev_loop *loop, struct ev_lag *out)
{
	*out = loop->lag;
}
