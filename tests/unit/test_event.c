/* Unit tests for the event loop: descriptors, timers, signals, children,
 * stale events within a batch, and lag accounting.  Every test arms a
 * watchdog timer so a broken loop fails instead of hanging. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "event.h"

#define WATCHDOG_US 5000000u

static void watchdog_fired(struct ev_loop *loop, void *arg)
{
	(void)loop;
	(void)arg;
	fail_msg("watchdog: the loop did not stop in time");
}

struct fixture {
	struct ev_loop *loop;
	struct ev_timer watchdog;
	int pipes[2][2];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int i;

	if (f == NULL)
		return -1;
	*state = f;
	for (i = 0; i < 2; i++)
		f->pipes[i][0] = f->pipes[i][1] = -1;
	f->loop = ev_loop_new();
	if (f->loop == NULL)
		return -1;
	for (i = 0; i < 2; i++) {
		if (pipe2(f->pipes[i], O_CLOEXEC | O_NONBLOCK) < 0)
			return -1;
	}
	ev_timer_init(&f->watchdog, watchdog_fired, NULL);
	return ev_timer_arm(f->loop, &f->watchdog, WATCHDOG_US);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int i, j;

	ev_timer_disarm(f->loop, &f->watchdog);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < 2; j++) {
			if (f->pipes[i][j] < 0)
				continue;
			ev_io_del(f->loop, f->pipes[i][j]);
			close(f->pipes[i][j]);
		}
	}
	ev_loop_free(f->loop);
	free(f);
	return 0;
}

static void poke(int fd)
{
	assert_int_equal(write(fd, "x", 1), 1);
}

/* ---- descriptors ---- */

struct io_seen {
	int fd;
	uint32_t events;
	int calls;
};

static void io_read_and_stop(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct io_seen *seen = arg;
	char c;

	seen->fd = fd;
	seen->events = events;
	seen->calls++;
	assert_int_equal(read(fd, &c, 1), 1);
	ev_stop(loop);
}

static void test_io_pipe(void **state)
{
	struct fixture *f = *state;
	struct io_seen seen = { -1, 0, 0 };

	assert_int_equal(ev_io_add(f->loop, f->pipes[0][0], EPOLLIN, io_read_and_stop, &seen), 0);
	/* One watcher per fd. */
	assert_int_equal(ev_io_add(f->loop, f->pipes[0][0], EPOLLIN, io_read_and_stop, &seen), -1);
	assert_int_equal(errno, EEXIST);
	poke(f->pipes[0][1]);
	assert_int_equal(ev_run(f->loop), 0);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.fd, f->pipes[0][0]);
	assert_true(seen.events & EPOLLIN);
	assert_int_equal(ev_io_modify(f->loop, f->pipes[1][0], EPOLLIN), -1);
	assert_int_equal(errno, ENOENT);
}

/* Whichever pipe's callback runs first deletes the other and re-adds it
 * with a watcher that must not see the event collected for the old one. */
struct stale_ctx {
	struct fixture *f;
	int first_calls;
	int readded_calls;
};

static void io_readded(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct stale_ctx *ctx = arg;

	(void)loop;
	(void)fd;
	(void)events;
	ctx->readded_calls++;
}

static void io_delete_other(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct stale_ctx *ctx = arg;
	int other = fd == ctx->f->pipes[0][0] ? ctx->f->pipes[1][0] : ctx->f->pipes[0][0];

	(void)events;
	ctx->first_calls++;
	ev_io_del(loop, other);
	assert_int_equal(ev_io_add(loop, other, EPOLLIN, io_readded, ctx), 0);
	ev_stop(loop);
}

static void test_fd_deleted_during_batch(void **state)
{
	struct fixture *f = *state;
	struct stale_ctx ctx = { f, 0, 0 };

	assert_int_equal(ev_io_add(f->loop, f->pipes[0][0], EPOLLIN, io_delete_other, &ctx), 0);
	assert_int_equal(ev_io_add(f->loop, f->pipes[1][0], EPOLLIN, io_delete_other, &ctx), 0);
	/* Both readable before the loop starts: one epoll batch holds both. */
	poke(f->pipes[0][1]);
	poke(f->pipes[1][1]);
	assert_int_equal(ev_run(f->loop), 0);
	assert_int_equal(ctx.first_calls, 1);
	assert_int_equal(ctx.readded_calls, 0);
}

/* A forked child freeing its copy must leave the parent's epoll set alone. */
static void test_free_in_child(void **state)
{
	struct fixture *f = *state;
	struct io_seen seen = { -1, 0, 0 };
	int status;
	pid_t pid;

	assert_int_equal(ev_io_add(f->loop, f->pipes[0][0], EPOLLIN, io_read_and_stop, &seen), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		ev_loop_free(f->loop);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	poke(f->pipes[0][1]);
	assert_int_equal(ev_run(f->loop), 0);
	assert_int_equal(seen.calls, 1);
}

/* ev_io_close: the watcher is gone and the descriptor closed; a new
 * descriptor with the same number can be watched at once. */
static void test_io_close(void **state)
{
	struct fixture *f = *state;
	struct io_seen seen = { -1, 0, 0 };
	int fd = f->pipes[0][0];

	assert_int_equal(ev_io_add(f->loop, fd, EPOLLIN, io_read_and_stop, &seen), 0);
	ev_io_close(f->loop, fd);
	f->pipes[0][0] = -1;
	assert_int_equal(fcntl(fd, F_GETFD), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(ev_io_modify(f->loop, fd, EPOLLIN), -1);
	assert_int_equal(errno, ENOENT);
	/* The same number, now another pipe: watched afresh. */
	assert_int_equal(dup2(f->pipes[1][0], fd), fd);
	f->pipes[0][0] = fd;
	assert_int_equal(ev_io_add(f->loop, fd, EPOLLIN, io_read_and_stop, &seen), 0);
	poke(f->pipes[1][1]);
	assert_int_equal(ev_run(f->loop), 0);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.fd, fd);
}

/* ---- timers ---- */

struct timed {
	struct ev_timer t;
	uint64_t armed_at, delay;
	int order, calls;
	int *counter;
	int stop_after;
};

static void timed_fired(struct ev_loop *loop, void *arg)
{
	struct timed *td = arg;

	/* Never early. */
	assert_true(monotonic_us() >= td->armed_at + td->delay);
	assert_true(ev_now_us(loop) >= td->armed_at + td->delay);
	td->calls++;
	td->order = ++*td->counter;
	if (td->order == td->stop_after)
		ev_stop(loop);
}

static void timed_arm(struct ev_loop *loop, struct timed *td, uint64_t delay, int *counter, int stop_after)
{
	ev_timer_init(&td->t, timed_fired, td);
	td->armed_at = monotonic_us();
	td->delay = delay;
	td->counter = counter;
	td->stop_after = stop_after;
	td->calls = 0;
	assert_int_equal(ev_timer_arm(loop, &td->t, delay), 0);
	assert_true(ev_timer_armed(&td->t));
}

static void test_timers_in_order(void **state)
{
	struct fixture *f = *state;
	struct timed a, b, c;
	int counter = 0;

	/* Odd delays exercise the round-up to whole milliseconds. */
	timed_arm(f->loop, &a, 30500, &counter, 3);
	timed_arm(f->loop, &b, 10300, &counter, 3);
	timed_arm(f->loop, &c, 20700, &counter, 3);
	assert_int_equal(ev_run(f->loop), 0);
	assert_int_equal(b.order, 1);
	assert_int_equal(c.order, 2);
	assert_int_equal(a.order, 3);
	assert_false(ev_timer_armed(&a.t));
}

/* Coarse timers land on the grid and fire in one batch: armed at
 * different moments within one grain, they share their deadline. */
struct coarse_seen {
	uint64_t fired_at[3];
	int calls;
};

static void coarse_fired(struct ev_loop *loop, void *arg)
{
	struct coarse_seen *seen = arg;

	seen->fired_at[seen->calls++] = ev_now_us(loop);
	if (seen->calls == 3)
		ev_stop(loop);
}

static void test_coarse_timers_batch(void **state)
{
	struct fixture *f = *state;
	const uint64_t grain = 50000;
	struct coarse_seen seen = { { 0 }, 0 };
	struct ev_timer t[3];
	uint64_t start, deadline;

	/* Start just after a grid line, so the three arms share a grain. */
	while (monotonic_us() % grain > grain / 4)
		usleep(1000);
	ev_now_update(f->loop);
	start = ev_now_us(f->loop);
	for (int i = 0; i < 3; i++) {
		ev_timer_init(&t[i], coarse_fired, &seen);
		assert_int_equal(ev_timer_arm_coarse(f->loop, &t[i], 20000 + 1000 * i, grain), 0);
	}
	deadline = t[0].node.expires_us;
	assert_int_equal(deadline % grain, 0);
	assert_true(deadline >= start + 20000 && deadline < start + 20000 + grain);
	assert_int_equal(t[1].node.expires_us, deadline);
	assert_int_equal(t[2].node.expires_us, deadline);
	assert_int_equal(ev_run(f->loop), 0);
	assert_int_equal(seen.calls, 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(seen.fired_at[i], seen.fired_at[0]);
	assert_true(seen.fired_at[0] >= deadline);
}

static void test_disarm(void **state)
{
	struct fixture *f = *state;
	struct timed a, stopper;
	int counter = 0;

	timed_arm(f->loop, &a, 5000, &counter, 99);
	timed_arm(f->loop, &stopper, 20000, &counter, 1);
	ev_timer_disarm(f->loop, &a.t);
	assert_false(ev_timer_armed(&a.t));
	ev_timer_disarm(f->loop, &a.t);	/* twice is harmless */
	assert_int_equal(ev_run(f->loop), 0);
	assert_int_equal(a.calls, 0);
	assert_int_equal(stopper.calls, 1);
}

struct rearm {
	struct ev_timer t;
	int calls, limit;
	uint64_t delay;
};

static void rearm_fired(struct ev_loop *loop, void *arg)
{
	struct rearm *r = arg;

	if (++r->calls == r->limit) {
		ev_stop(loop);
		return;
	}
	assert_int_equal(ev_timer_arm(loop, &r->t, r->delay), 0);
}

static void test_rearm_from_callback(void **state)
{
	struct fixture *f = *state;
	struct rearm slow = { .limit = 5, .delay = 1000 };
	struct rearm fast = { .limit = 1000, .delay = 0 };

	ev_timer_init(&slow.t, rearm_fired, &slow);
	assert_int_equal(ev_timer_arm(f->loop, &slow.t, 0), 0);
	assert_int_equal(ev_run(f->loop), 0);
	assert_int_equal(slow.calls, 5);

	/* Re-arming with no delay must neither spin inside one pass nor starve. */
	ev_timer_init(&fast.t, rearm_fired, &fast);
	assert_int_equal(ev_timer_arm(f->loop, &fast.t, 0), 0);
	assert_int_equal(ev_run(f->loop), 0);
	assert_int_equal(fast.calls, 1000);
}

static void test_lag_stats(void **state)
{
	struct fixture *f = *state;
	struct timed a;
	struct ev_lag lag;
	int counter = 0;

	ev_lag_get(f->loop, &lag);
	assert_int_equal(lag.timers_fired, 0);
	timed_arm(f->loop, &a, 1000, &counter, 1);
	usleep(30000);	/* the loop is busy elsewhere: the timer will be late */
	assert_int_equal(ev_run(f->loop), 0);
	ev_lag_get(f->loop, &lag);
	assert_int_equal(lag.timers_fired, 1);
	assert_int_equal(lag.late_timers, 1);
	assert_true(lag.last_lag_us >= 29000);
	assert_true(lag.max_lag_us >= lag.last_lag_us);
}

/* ---- signals and children ---- */

static void sig_seen(struct ev_loop *loop, int signo, void *arg)
{
	int *got = arg;

	*got = signo;
	ev_stop(loop);
}

static void test_signal(void **state)
{
	struct fixture *f = *state;
	int got = 0;

	assert_int_equal(ev_signal_add(f->loop, SIGCHLD, sig_seen, &got), -1);
	assert_int_equal(ev_signal_add(f->loop, SIGUSR1, sig_seen, &got), 0);
	assert_int_equal(raise(SIGUSR1), 0);
	assert_int_equal(ev_run(f->loop), 0);
	assert_int_equal(got, SIGUSR1);
}

struct child_seen {
	pid_t pid;
	int status;
	int calls;
};

static void child_exited(struct ev_loop *loop, pid_t pid, int status, void *arg)
{
	struct child_seen *cs = arg;

	cs->pid = pid;
	cs->status = status;
	cs->calls++;
	ev_stop(loop);
}

static pid_t spawn_exit(int code)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(code);
	return pid;
}

/* Block until `pid` is a zombie, without reaping it. */
static void wait_dead(pid_t pid)
{
	siginfo_t si;

	assert_int_equal(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
}

static void test_child_watch(void **state)
{
	struct fixture *f = *state;
	struct child_seen cs = { 0, 0, 0 };
	pid_t pid = spawn_exit(3);

	assert_int_equal(ev_child_watch(f->loop, pid, child_exited, &cs), 0);
	assert_int_equal(ev_run(f->loop), 0);
	assert_int_equal(cs.calls, 1);
	assert_int_equal(cs.pid, pid);
	assert_true(WIFEXITED(cs.status));
	assert_int_equal(WEXITSTATUS(cs.status), 3);
}

/* Already dead before the watch; and an unwatched child is reaped too. */
static void test_child_dead_before_watch(void **state)
{
	struct fixture *f = *state;
	struct child_seen cs = { 0, 0, 0 };
	pid_t orphan = spawn_exit(0);
	pid_t pid;

	wait_dead(orphan);
	pid = spawn_exit(7);
	wait_dead(pid);
	assert_int_equal(ev_child_watch(f->loop, pid, child_exited, &cs), 0);
	assert_int_equal(ev_run(f->loop), 0);
	assert_int_equal(cs.calls, 1);
	assert_int_equal(WEXITSTATUS(cs.status), 7);
	assert_int_equal(waitpid(orphan, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void test_child_unwatch(void **state)
{
	struct fixture *f = *state;
	struct child_seen cs = { 0, 0, 0 };
	struct timed stopper;
	int counter = 0;
	pid_t pid = spawn_exit(1);

	assert_int_equal(ev_child_watch(f->loop, pid, child_exited, &cs), 0);
	ev_child_unwatch(f->loop, pid);
	wait_dead(pid);
	timed_arm(f->loop, &stopper, 20000, &counter, 1);
	assert_int_equal(ev_run(f->loop), 0);
	assert_int_equal(cs.calls, 0);
	assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_io_pipe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fd_deleted_during_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_in_child, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timers_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coarse_timers_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disarm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rearm_from_callback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lag_stats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_child_watch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_child_dead_before_watch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_child_unwatch, setup, teardown),
	};

	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
