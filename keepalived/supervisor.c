#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "ctl_msg.h"
#include "ctl_server.h"
#include "event.h"
#include "heap.h"
#include "log.h"
#include "pidfile.h"
#include "sd_notify.h"
#include "supervisor.h"

/* A child that dies sooner than RESPAWN_STABLE_US after its start is
 * restarted after a delay that doubles each time, so a child crashing at
 * start-up cannot turn into a fork storm; one that ran long enough is
 * restarted after the minimum delay. */
#define RESPAWN_MIN_US		250000ull
#define RESPAWN_MAX_US		(60ull * 1000000)
#define RESPAWN_STABLE_US	(30ull * 1000000)
/* Children get this long to stop cleanly before SIGKILL. */
#define STOP_GRACE_US		(15ull * 1000000)

struct supervisor;

struct slot {
	struct supervisor *sv;
	enum child_kind kind;
	struct pidfile pf;
	const char *pid_path;
	pid_t pid;		/* 0 when not running */
	int ctl_fd;		/* parent's end of the control socket, -1 */
	uint64_t started_us;
	uint64_t backoff_us;
	struct ev_timer respawn;
	/* The last configuration generation the child answered for (started
	 * with, or acknowledged a reload of, applied or not), 0: none yet. */
	uint32_t answered_generation;
};

/* The last state each VRRP instance reported, replayed to a checker child
 * that starts later (lvs_sync_daemon follows an instance). */
struct vrrp_state_note {
	char name[CTL_NAME_MAX];
	uint32_t state;
};

struct supervisor {
	const struct options *o;
	struct vrrp_state_note *vrrp_states;
	size_t n_vrrp_states;
	struct ev_loop *loop;
	/* What the configuration in force asks for.  The parent keeps no
	 * parsed configuration: each child parses the snapshot itself. */
	bool wants[CHILD_KINDS];
	int snap_fd;
	uint32_t generation;
	int ready_fd;
	uint32_t notified_generation;	/* READY=1 sent to systemd for it */
	struct pidfile main_pf;
	struct slot slots[CHILD_KINDS];
	bool stopping;
	struct ev_timer kill_timer;
	struct ctl_server *ctl;		/* NULL: no control socket */
};

static bool slot_wanted(const struct slot *s)
{
	const struct supervisor *sv = s->sv;

	if (s->kind == CHILD_VRRP)
		return options_allow_vrrp(sv->o) && sv->wants[CHILD_VRRP];
	return options_allow_checker(sv->o) && sv->wants[CHILD_CHECKER];
}

/* Note what `c` asks for, then free it and give its memory back, before
 * any fork: a child would otherwise start with the parse's peak in its
 * resident set too. */
static void adopt_config(struct supervisor *sv, struct ka_config *c)
{
	sv->wants[CHILD_VRRP] = config_wants_vrrp(c);
	sv->wants[CHILD_CHECKER] = config_wants_checker(c);
	config_free(c);
	heap_trim();
}

static void on_child_exit(struct ev_loop *loop, pid_t pid, int status, void *arg);
static void on_child_ctl(struct ev_loop *loop, int fd, uint32_t events, void *arg);
static void tell_checker(struct supervisor *sv, const char *name, uint32_t state);

/* A dump request (SIGUSR1/2 passed on by us) that reaches a child before
 * its loop reads those signals must wait for the loop, not kill it. */
static void block_dump_signals(void)
{
	sigset_t dump;

	sigemptyset(&dump);
	sigaddset(&dump, SIGUSR1);
	sigaddset(&dump, SIGUSR2);
	sigprocmask(SIG_BLOCK, &dump, NULL);
}

/* In the new child: drop everything that belongs to the parent, make sure
 * the child dies with the parent, and run it. */
static void __attribute__((noreturn)) become_child(struct slot *s, int ctl_fd, pid_t parent)
{
	struct supervisor *sv = s->sv;
	int status;

	ev_loop_free(sv->loop);
	ev_signals_reset();
	block_dump_signals();
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
		_exit(EXIT_FAILURE);
	pidfile_forget(&sv->main_pf);
	ctl_server_forget(sv->ctl);
	for (int k = 0; k < CHILD_KINDS; k++) {
		pidfile_forget(&sv->slots[k].pf);
		if (sv->slots[k].ctl_fd >= 0)
			close(sv->slots[k].ctl_fd);
	}
	if (sv->ready_fd >= 0)
		close(sv->ready_fd);
	status = child_main(s->kind, ctl_fd, sv->snap_fd, sv->generation, sv->o);
	close(sv->snap_fd);
	exit(status);
}

static int hold_pid_file(struct slot *s)
{
	char err[256];

	if (s->pf.fd >= 0)
		return pidfile_update(&s->pf, s->pid);
	if (pidfile_acquire(&s->pf, s->pid_path, s->pid, err, sizeof(err)) < 0) {
		log_err("%s child pid file: %s", child_kind_name(s->kind), err);
		return -1;
	}
	return 0;
}

static int spawn(struct slot *s)
{
	struct supervisor *sv = s->sv;
	pid_t parent = getpid();
	int sp[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0) {
		log_warn("%s child: socketpair", child_kind_name(s->kind));
		return -1;
	}
	s->pid = fork();
	if (s->pid < 0) {
		log_warn("%s child: fork", child_kind_name(s->kind));
		s->pid = 0;
		close(sp[0]);
		close(sp[1]);
		return -1;
	}
	if (s->pid == 0) {
		close(sp[0]);
		become_child(s, sp[1], parent);
	}
	close(sp[1]);
	s->ctl_fd = sp[0];
	s->answered_generation = 0;
	s->started_us = monotonic_us();
	log_info("Starting %s child process, pid %d", child_kind_name(s->kind), (int)s->pid);
	if (ev_child_watch(sv->loop, s->pid, on_child_exit, s) < 0 ||
	    ev_io_add(sv->loop, s->ctl_fd, EPOLLIN, on_child_ctl, s) < 0)
		log_warn("%s child: cannot watch it", child_kind_name(s->kind));
	hold_pid_file(s);
	if (s->kind == CHILD_CHECKER)
		for (size_t i = 0; i < sv->n_vrrp_states; i++)
			tell_checker(sv, sv->vrrp_states[i].name, sv->vrrp_states[i].state);
	return 0;
}

static void respawn_due(struct ev_loop *loop, void *arg)
{
	struct slot *s = arg;

	(void)loop;
	if (!s->sv->stopping && !s->pid && slot_wanted(s))
		spawn(s);
}

static void describe_exit(const struct slot *s, int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)%s", WTERMSIG(status),
			 strsignal(WTERMSIG(status)), WCOREDUMP(status) ? ", core dumped" : "");
	else
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	(void)s;
}

static void schedule_respawn(struct slot *s, const char *why)
{
	uint64_t lived = monotonic_us() - s->started_us;

	if (lived >= RESPAWN_STABLE_US || s->backoff_us == 0)
		s->backoff_us = RESPAWN_MIN_US;
	else if (s->backoff_us < RESPAWN_MAX_US / 2)
		s->backoff_us *= 2;
	else
		s->backoff_us = RESPAWN_MAX_US;
	log_err("%s child %s; restarting it in %.3f s", child_kind_name(s->kind), why,
		s->backoff_us / 1e6);
	ev_timer_arm(s->sv->loop, &s->respawn, s->backoff_us);
}

static void finish_if_idle(struct supervisor *sv)
{
	for (int k = 0; k < CHILD_KINDS; k++)
		if (sv->slots[k].pid)
			return;
	ev_timer_disarm(sv->loop, &sv->kill_timer);
	ev_stop(sv->loop);
}

static void on_child_exit(struct ev_loop *loop, pid_t pid, int status, void *arg)
{
	struct slot *s = arg;
	struct supervisor *sv = s->sv;
	char why[128];

	(void)pid;
	describe_exit(s, status, why, sizeof(why));
	ev_io_del(loop, s->ctl_fd);
	close(s->ctl_fd);
	s->ctl_fd = -1;
	s->pid = 0;
	if (sv->stopping) {
		log_info("%s child %s", child_kind_name(s->kind), why);
		finish_if_idle(sv);
	} else if (!slot_wanted(s)) {
		log_info("%s child %s; no longer needed", child_kind_name(s->kind), why);
		pidfile_release(&s->pf);
	} else {
		schedule_respawn(s, why);
	}
}

static void remember_vrrp_state(struct supervisor *sv, const struct ctl_msg *m)
{
	struct vrrp_state_note *grown;

	for (size_t i = 0; i < sv->n_vrrp_states; i++)
		if (strcmp(sv->vrrp_states[i].name, m->name) == 0) {
			sv->vrrp_states[i].state = m->state;
			return;
		}
	grown = realloc(sv->vrrp_states, (sv->n_vrrp_states + 1) * sizeof(*grown));
	if (!grown)
		return;
	sv->vrrp_states = grown;
	snprintf(grown[sv->n_vrrp_states].name, CTL_NAME_MAX, "%s", m->name);
	grown[sv->n_vrrp_states++].state = m->state;
}

static void tell_checker(struct supervisor *sv, const char *name, uint32_t state)
{
	struct slot *ck = &sv->slots[CHILD_CHECKER];
	struct ctl_msg m = { .type = CTL_VRRP_STATE, .generation = sv->generation, .state = state };

	if (!ck->pid || ck->ctl_fd < 0)
		return;
	snprintf(m.name, sizeof(m.name), "%s", name);
	if (ctl_send(ck->ctl_fd, &m, -1) < 0)
		log_warn("cannot pass the state of %s to the checker child", name);
}

/* systemd's READY=1, once every child the configuration wants runs (or
 * has answered for) the current generation: at start, and again after a
 * reload's RELOADING=1. */
static void notify_if_ready(struct supervisor *sv)
{
	if (sv->stopping || sv->notified_generation == sv->generation)
		return;
	for (int k = 0; k < CHILD_KINDS; k++) {
		const struct slot *s = &sv->slots[k];

		if (slot_wanted(s) && (!s->pid || s->answered_generation != sv->generation))
			return;
	}
	sv->notified_generation = sv->generation;
	sd_notifyf("READY=1", "running configuration generation %u", sv->generation);
}

static void child_answered(struct slot *s, const struct ctl_msg *m)
{
	if (m->state == CTL_APPLY_FAILED)
		log_err("%s child could not apply configuration generation %u",
			child_kind_name(s->kind), m->generation);
	else
		log_info("%s child runs configuration generation %u",
			 child_kind_name(s->kind), m->generation);
	s->answered_generation = m->generation;
	notify_if_ready(s->sv);
}

static void on_child_ctl(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct slot *s = arg;
	struct ctl_msg m;
	int extra_fd, r;

	(void)loop;
	(void)events;
	while ((r = ctl_recv(fd, &m, &extra_fd)) == 1) {
		if (m.type == CTL_STATUS_REPLY)
			ctl_server_child_reply(s->sv->ctl, s->kind, &m, extra_fd);
		if (extra_fd >= 0)
			close(extra_fd);
		if (m.type == CTL_STATUS_REPLY)
			continue;
		if (m.type == CTL_RELOADED) {
			child_answered(s, &m);
		} else if (m.type == CTL_VRRP_STATE && s->kind == CHILD_VRRP) {
			remember_vrrp_state(s->sv, &m);
			tell_checker(s->sv, m.name, m.state);
		} else
			log_warnx("%s child sent an unknown message type %u",
				  child_kind_name(s->kind), m.type);
	}
	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EPROTO))
		ev_io_del(loop, fd);	/* the child is going; its exit is reaped */
}

/* Bring the set of running children in line with the configuration. */
static void update_children(struct supervisor *sv, bool reload)
{
	for (int k = 0; k < CHILD_KINDS; k++) {
		struct slot *s = &sv->slots[k];
		struct ctl_msg m = { .type = CTL_RELOAD, .generation = sv->generation };

		if (s->pid && !slot_wanted(s)) {
			log_info("%s child no longer needed: stopping it", child_kind_name(s->kind));
			kill(s->pid, SIGTERM);
		} else if (s->pid && reload) {
			if (ctl_send(s->ctl_fd, &m, sv->snap_fd) < 0)
				log_warn("cannot send the new configuration to the %s child",
					 child_kind_name(s->kind));
		} else if (!s->pid && slot_wanted(s) && !ev_timer_armed(&s->respawn)) {
			spawn(s);
		}
	}
}

static void reload(struct supervisor *sv)
{
	struct diags d;
	struct ka_config *c;
	int fd = -1;

	log_info("Reloading: reading %s", sv->o->conf_file);
	sd_notifyf("RELOADING=1", "reloading %s", sv->o->conf_file);
	diags_init(&d);
	c = config_load_file(sv->o->conf_file, &d, &fd);
	config_log_diags(&d, "reload: ", true);
	if (!c) {
		log_err("Reload aborted: %u error(s) in the new configuration; generation %u "
			"stays in force", d.errors, sv->generation);
		sd_notifyf("READY=1", "reload refused (%u errors); configuration generation %u "
			   "stays in force", d.errors, sv->generation);
		diags_free(&d);
		return;
	}
	diags_free(&d);
	adopt_config(sv, c);
	close(sv->snap_fd);
	sv->snap_fd = fd;
	sv->generation++;
	log_info("Reload: configuration generation %u validated; applying it", sv->generation);
	update_children(sv, true);
	notify_if_ready(sv);
}

static void kill_stragglers(struct ev_loop *loop, void *arg)
{
	struct supervisor *sv = arg;

	(void)loop;
	for (int k = 0; k < CHILD_KINDS; k++) {
		if (!sv->slots[k].pid)
			continue;
		log_err("%s child did not stop within %llu s: killing it",
			child_kind_name(sv->slots[k].kind), STOP_GRACE_US / 1000000);
		kill(sv->slots[k].pid, SIGKILL);
	}
}

static void begin_stop(struct supervisor *sv, int signo)
{
	if (sv->stopping) {
		log_info("%s received while stopping: already stopping", strsignal(signo));
		return;
	}
	sv->stopping = true;
	log_info("Stopping (%s)", strsignal(signo));
	sd_notifyf("STOPPING=1", "stopping (%s)", strsignal(signo));
	for (int k = 0; k < CHILD_KINDS; k++) {
		struct slot *s = &sv->slots[k];

		ev_timer_disarm(sv->loop, &s->respawn);
		if (s->pid)
			kill(s->pid, SIGTERM);
	}
	ev_timer_arm(sv->loop, &sv->kill_timer, STOP_GRACE_US);
	finish_if_idle(sv);
}

/* SIGUSR1 / SIGUSR2: each child writes its own dump. */
static void forward_to_children(struct supervisor *sv, int signo)
{
	for (int k = 0; k < CHILD_KINDS; k++)
		if (sv->slots[k].pid && kill(sv->slots[k].pid, signo) < 0)
			log_warn("cannot pass %s to the %s child", strsignal(signo),
				 child_kind_name(sv->slots[k].kind));
}

static int ask_child(void *arg, enum child_kind kind, uint32_t format, uint32_t seq,
		     const char **why)
{
	struct supervisor *sv = arg;
	struct slot *s = &sv->slots[kind];
	struct ctl_msg m = { .type = CTL_STATUS, .generation = sv->generation, .state = format,
			     .seq = seq };

	if (!slot_wanted(s))
		*why = "not configured";
	else if (!s->pid || s->ctl_fd < 0)
		*why = "not running (restarting)";
	else if (ctl_send_nowait(s->ctl_fd, &m, -1) < 0)
		*why = "cannot reach the child";
	else
		return 0;
	return -1;
}

static uint32_t current_generation(void *arg)
{
	return ((struct supervisor *)arg)->generation;
}

static const struct ctl_server_ops ctl_ops = { ask_child, current_generation };

static void on_signal(struct ev_loop *loop, int signo, void *arg)
{
	struct supervisor *sv = arg;

	(void)loop;
	if (signo == SIGUSR1 || signo == SIGUSR2)
		forward_to_children(sv, signo);
	else if (signo == SIGHUP && !sv->stopping)
		reload(sv);
	else if (signo == SIGTERM || signo == SIGINT)
		begin_stop(sv, signo);
}

static int setup(struct supervisor *sv)
{
	char err[256];

	if (pidfile_acquire(&sv->main_pf, sv->o->pid_file, getpid(), err, sizeof(err)) < 0) {
		log_err("%s", err);
		return -1;
	}
	sv->loop = ev_loop_new();
	if (!sv->loop || ev_signal_add(sv->loop, SIGHUP, on_signal, sv) < 0 ||
	    ev_signal_add(sv->loop, SIGTERM, on_signal, sv) < 0 ||
	    ev_signal_add(sv->loop, SIGINT, on_signal, sv) < 0 ||
	    ev_signal_add(sv->loop, SIGUSR1, on_signal, sv) < 0 ||
	    ev_signal_add(sv->loop, SIGUSR2, on_signal, sv) < 0) {
		log_warn("event loop setup");
		return -1;
	}
	sv->ctl = ctl_server_open(sv->loop, sv->o->run_dir, &ctl_ops, sv);
	ev_timer_init(&sv->kill_timer, kill_stragglers, sv);
	if (!sv->wants[CHILD_VRRP] && !sv->wants[CHILD_CHECKER])
		log_warnx("No vrrp_instance and no virtual_server configured: no child to run "
			  "until a reload brings some");
	update_children(sv, false);
	notify_if_ready(sv);	/* nothing to wait for when no child is wanted */
	return 0;
}

static void signal_ready(struct supervisor *sv)
{
	char ok = 0;

	if (sv->ready_fd < 0)
		return;
	if (write(sv->ready_fd, &ok, 1) != 1)
		log_warn("cannot report readiness to the launching process");
	close(sv->ready_fd);
	sv->ready_fd = -1;
}

static void init_slots(struct supervisor *sv)
{
	const char *paths[CHILD_KINDS] = {
		[CHILD_VRRP] = sv->o->vrrp_pid_file,
		[CHILD_CHECKER] = sv->o->check_pid_file,
	};

	sv->main_pf.fd = -1;
	for (int k = 0; k < CHILD_KINDS; k++) {
		struct slot *s = &sv->slots[k];

		s->sv = sv;
		s->kind = (enum child_kind)k;
		s->pid_path = paths[k];
		s->pf.fd = -1;
		s->ctl_fd = -1;
		ev_timer_init(&s->respawn, respawn_due, s);
	}
}

static void teardown(struct supervisor *sv)
{
	for (int k = 0; k < CHILD_KINDS; k++) {
		if (sv->loop)
			ev_timer_disarm(sv->loop, &sv->slots[k].respawn);
		pidfile_release(&sv->slots[k].pf);
	}
	ctl_server_close(sv->ctl);
	if (sv->loop) {
		ev_timer_disarm(sv->loop, &sv->kill_timer);
		ev_loop_free(sv->loop);
	}
	pidfile_release(&sv->main_pf);
	free(sv->vrrp_states);
	close(sv->snap_fd);
	if (sv->ready_fd >= 0)
		close(sv->ready_fd);
}

int supervisor_run(const struct options *o, struct ka_config *conf, int snap_fd, int ready_fd)
{
	struct supervisor sv = {
		.o = o, .snap_fd = snap_fd, .generation = 1, .ready_fd = ready_fd,
	};
	int status = EXIT_FAILURE;

	adopt_config(&sv, conf);
	init_slots(&sv);
	if (setup(&sv) == 0) {
		signal_ready(&sv);
		if (ev_run(sv.loop) == 0)
			status = EXIT_SUCCESS;
	}
	teardown(&sv);
	log_info("Stopped");
	return status;
}
