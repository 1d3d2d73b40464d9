/* The event loop every process of the daemon runs: one epoll set, a
 * monotonic timer heap, signals through a signalfd, and reaping of child
 * processes.  Single-threaded; callbacks must not block.
 *
 * The loop measures its own lag: how late each timer fires compared to its
 * deadline.  A late loop is the classic cause of false VRRP failovers, so the
 * figures are kept for logs and status. */
#ifndef KA_EVENT_H
#define KA_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "timer_heap.h"

struct ev_loop;

typedef void ev_io_fn(struct ev_loop *loop, int fd, uint32_t events, void *arg);
typedef void ev_timer_fn(struct ev_loop *loop, void *arg);
typedef void ev_signal_fn(struct ev_loop *loop, int signo, void *arg);
/* `status` is as from waitpid(). */
typedef void ev_child_fn(struct ev_loop *loop, pid_t pid, int status, void *arg);

/* A one-shot timer embedded in the caller's object.  Initialise it once with
 * ev_timer_init(); arm and disarm it as often as needed.  Freeing an object
 * whose timer is armed is a bug: disarm first. */
struct ev_timer {
	struct heap_timer node;
	ev_timer_fn *fn;
	void *arg;
	bool coarse;	/* armed by ev_timer_arm_coarse() */
};

/* Monotonic clock in microseconds. */
uint64_t monotonic_us(void);

/* A new loop, or NULL with errno set.  Process-wide side effects: SIGCHLD
 * is blocked (read through the loop's signalfd) and its disposition set to
 * SIG_DFL so exit statuses are kept for us; SIGPIPE is ignored, so writing to
 * a vanished peer fails with EPIPE instead of killing the process. */
struct ev_loop *ev_loop_new(void);

/* Release the loop.  Closes its own descriptors; never touches the kernel
 * epoll set through epoll_ctl, so a child that inherited the parent's loop
 * across fork() can free its copy without disturbing the parent. */
void ev_loop_free(struct ev_loop *loop);

/* Watch `fd` for `events` (EPOLLIN, EPOLLOUT, ...).  One watcher per fd.
 * Returns 0 or -1 with errno set. */
int ev_io_add(struct ev_loop *loop, int fd, uint32_t events, ev_io_fn *fn, void *arg);
int ev_io_modify(struct ev_loop *loop, int fd, uint32_t events);
/* Stop watching `fd`; events already collected for it are not delivered.
 * Call before close(fd). */
void ev_io_del(struct ev_loop *loop, int fd);
/* Stop watching `fd` and close it, with one system call instead of two:
 * closing the last descriptor of a file removes it from the epoll set.
 * If a forked process still holds a copy (between its fork and its exec),
 * the kernel keeps reporting the old registration until then; those
 * events carry a stale generation and are dropped, as after ev_io_del. */
void ev_io_close(struct ev_loop *loop, int fd);

void ev_timer_init(struct ev_timer *t, ev_timer_fn *fn, void *arg);
/* Arm `t` to fire once, `delay_us` from now; re-arming an armed timer moves it. */
int ev_timer_arm(struct ev_loop *loop, struct ev_timer *t, uint64_t delay_us);
/* Arm `t` for `delay_us` from now, rounded UP to a multiple of `grain_us`
 * on the monotonic clock, for timers that may fire a little late: the
 * timers of a thousand health checks then fall due together, one wake of
 * the loop for each grain instead of one for each timer, and the loop does
 * not split its wait to hit them to the millisecond. */
int ev_timer_arm_coarse(struct ev_loop *loop, struct ev_timer *t, uint64_t delay_us,
			uint64_t grain_us);
/* Arm `t` for an absolute monotonic deadline. */
int ev_timer_arm_at(struct ev_loop *loop, struct ev_timer *t, uint64_t deadline_us);
void ev_timer_disarm(struct ev_loop *loop, struct ev_timer *t);
static inline bool ev_timer_armed(const struct ev_timer *t)
{
	return timer_heap_queued(&t->node);
}

/* Wait, without blocking the loop, until pending(arg) turns false or
 * max_us passes, then call done(arg) once (perhaps before ev_wait_start
 * returns).  For a shutdown that lets its last scripts finish.  `w` is the
 * caller's and must stay valid until done runs; done may free it. */
struct ev_wait {
	struct ev_timer timer;
	uint64_t deadline_us;
	bool (*pending)(void *arg);
	void (*done)(void *arg);
	void *arg;
};
#define EV_WAIT_POLL_US 50000

void ev_wait_start(struct ev_loop *loop, struct ev_wait *w, bool (*pending)(void *arg),
		   uint64_t max_us, void (*done)(void *arg), void *arg);

/* Deliver `signo` through the loop (the signal is blocked for the process).
 * Adding a signal again replaces its handler.  SIGCHLD is reserved for
 * ev_child_watch; it, SIGKILL and SIGSTOP fail with EINVAL. */
int ev_signal_add(struct ev_loop *loop, int signo, ev_signal_fn *fn, void *arg);

/* Call `fn` once when child `pid` exits; the loop reaps it.  Children nobody
 * watches are reaped and forgotten.  Watch right after fork(), before
 * returning to the loop: a child that has already exited is still reported,
 * as the loop reaps again at the end of the iteration that called this. */
int ev_child_watch(struct ev_loop *loop, pid_t pid, ev_child_fn *fn, void *arg);
void ev_child_unwatch(struct ev_loop *loop, pid_t pid);

/* Run until ev_stop() is called.  Returns 0, or -1 if epoll itself failed. */
int ev_run(struct ev_loop *loop);
void ev_stop(struct ev_loop *loop);

/* Monotonic time cached at the start of the current loop iteration. */
uint64_t ev_now_us(const struct ev_loop *loop);
/* Refresh that cache from the clock, after long work in a callback (a
 * reload) and before arming coarse timers, which count from it. */
void ev_now_update(struct ev_loop *loop);

struct ev_lag {
	uint64_t timers_fired;
	uint64_t late_timers;	/* fired more than EV_LATE_US after deadline */
	uint64_t last_lag_us;
	uint64_t max_lag_us;
};
#define EV_LATE_US 10000

void ev_lag_get(const struct ev_loop *loop, struct ev_lag *out);

/* Unblock every signal and give each its default disposition; used in a
 * freshly forked process before it builds its own loop or execs a program.
 * Async-signal-safe. */
void ev_signals_reset(void);

#endif
