/* vrrp_track_process: how many running processes match each tracker.
 *
 * /proc is read once at start (and after a reload or a lost event); from
 * then on the kernel's process events connector (NETLINK_CONNECTOR,
 * CN_IDX_PROC) says when a process forks, execs, renames itself or exits,
 * so the count follows at once and nothing is polled.
 *
 * The connector exists only in the initial network namespace: elsewhere
 * subscribing fails with ECONNREFUSED.  A VRRP daemon in another namespace
 * still learns of exits at once, through a pidfd per matching process, but
 * can only learn of new processes by reading /proc again, which it then
 * does every RESCAN_US (logged once, so the cost is known).
 *
 * Pids are those of the daemon's PID namespace for /proc and pidfds, and of
 * the initial one for connector events: run the daemon in the initial PID
 * namespace (network namespaces are fine). */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "ptr_array.h"
#include "vrrp_rt.h"

#define RESCAN_US	(1000000ull)	/* without the connector only */
#define CMDLINE_MAX	4096		/* longer command lines are cut */
#define CN_RCVBUF	(1 << 20)	/* room for bursts of fork/exit events */

struct tproc {
	struct vrrp_tprocs *all;
	const struct vrrp_track_process_conf *conf;
	pid_t *pids;			/* matching processes */
	size_t n_pids;
	bool ok;			/* the verdict, once delays have passed */
	bool started;			/* the first count sets ok without delay */
	struct ev_timer delay;		/* fork_delay / terminate_delay running */
};

/* Without the connector: one pidfd per matching process reports its exit. */
struct pidwatch {
	struct vrrp_tprocs *all;
	pid_t pid;
	int fd;
};

struct vrrp_tprocs {
	struct vrrp_rt *rt;
	int cn_fd;			/* process events; -1 when unavailable */
	bool need_cmdline;		/* some tracker matches command lines */
	struct ev_timer rescan;		/* without the connector only */
	struct tproc **procs;
	size_t n;
	struct pidwatch **watches;
	size_t n_watches;
};

/* ---- the count and the verdict ------------------------------------------ */

static bool quorum_now(const struct tproc *t)
{
	return t->n_pids >= t->conf->quorum && t->n_pids <= t->conf->quorum_max;
}

static void set_verdict(struct tproc *t, bool ok)
{
	t->ok = ok;
	log_info("VRRP_Track_Process(%s) %s (%zu process%s)", t->conf->name,
		 ok ? "has its quorum" : "lost its quorum", t->n_pids, t->n_pids == 1 ? "" : "es");
	vrrp_track_update_all(t->all->rt);
}

static void delay_done(struct ev_loop *loop, void *arg)
{
	struct tproc *t = arg;

	(void)loop;
	if (quorum_now(t) != t->ok)
		set_verdict(t, !t->ok);
}

/* The verdict follows the count, after fork_delay (gained) or
 * terminate_delay (lost) when set, so a restart does not flap the
 * instance; a count back to the verdict's side cancels the wait. */
static void judge(struct tproc *t)
{
	bool q = quorum_now(t);
	uint64_t delay = q ? t->conf->fork_delay_us : t->conf->terminate_delay_us;

	if (!t->started) {
		t->started = true;
		t->ok = q;
		log_info("VRRP_Track_Process(%s) %s (%zu process%s)", t->conf->name,
			 q ? "has its quorum" : "has no quorum", t->n_pids,
			 t->n_pids == 1 ? "" : "es");
		return;
	}
	if (q == t->ok) {
		ev_timer_disarm(t->all->rt->loop, &t->delay);
		return;
	}
	if (!delay)
		set_verdict(t, q);
	else if (!ev_timer_armed(&t->delay))
		ev_timer_arm(t->all->rt->loop, &t->delay, delay);
}

static long pid_index(const struct tproc *t, pid_t pid)
{
	for (size_t i = 0; i < t->n_pids; i++)
		if (t->pids[i] == pid)
			return (long)i;
	return -1;
}

static bool pid_add(struct tproc *t, pid_t pid)
{
	pid_t *grown;

	if (pid_index(t, pid) >= 0)
		return false;
	grown = realloc(t->pids, (t->n_pids + 1) * sizeof(*grown));
	if (!grown) {
		log_err("VRRP_Track_Process(%s): out of memory; process %d not counted",
			t->conf->name, (int)pid);
		return false;
	}
	t->pids = grown;
	t->pids[t->n_pids++] = pid;
	return true;
}

static bool pid_remove(struct tproc *t, pid_t pid)
{
	long i = pid_index(t, pid);

	if (i < 0)
		return false;
	t->pids[i] = t->pids[--t->n_pids];
	return true;
}

/* ---- pidfds, when there is no connector --------------------------------- */

static void watches_sync(struct vrrp_tprocs *all);
static void process_gone(struct vrrp_tprocs *all, pid_t pid);

static void pidfd_ready(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct pidwatch *w = arg;

	(void)loop;
	(void)fd;
	(void)events;
	process_gone(w->all, w->pid);	/* frees w: its pid is no longer listed */
}

static bool listed(const struct vrrp_tprocs *all, pid_t pid)
{
	for (size_t i = 0; i < all->n; i++)
		if (pid_index(all->procs[i], pid) >= 0)
			return true;
	return false;
}

static void watch_free(struct vrrp_tprocs *all, struct pidwatch *w)
{
	ev_io_del(all->rt->loop, w->fd);
	close(w->fd);
	free(w);
}

/* Returns false when the process is gone already. */
static bool watch_add(struct vrrp_tprocs *all, pid_t pid)
{
	struct pidwatch *w = calloc(1, sizeof(*w));

	if (!w)
		return true;
	w->all = all;
	w->pid = pid;
	w->fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (w->fd < 0) {
		bool alive = errno != ESRCH;

		if (alive)
			log_warn("vrrp_track_process: pidfd_open(%d)", (int)pid);
		free(w);
		return alive;
	}
	if (ev_io_add(all->rt->loop, w->fd, EPOLLIN, pidfd_ready, w) < 0 ||
	    ptr_array_push(&all->watches, &all->n_watches, w) < 0) {
		ev_io_del(all->rt->loop, w->fd);
		close(w->fd);
		free(w);
	}
	return true;
}

/* One pidfd per listed pid, none for others.  O(watches x listed pids):
 * a handful of trackers with a handful of processes each. */
static void watches_sync(struct vrrp_tprocs *all)
{
	pid_t gone[16];
	size_t kept = 0, n_gone = 0;

	if (all->cn_fd >= 0)
		return;
	for (size_t i = 0; i < all->n_watches; i++) {
		struct pidwatch *w = all->watches[i];

		if (listed(all, w->pid))
			all->watches[kept++] = w;
		else
			watch_free(all, w);
	}
	all->n_watches = kept;
	for (size_t i = 0; i < all->n; i++) {
		for (size_t j = 0; j < all->procs[i]->n_pids; j++) {
			pid_t pid = all->procs[i]->pids[j];
			bool have = false;

			for (size_t k = 0; k < all->n_watches && !have; k++)
				have = all->watches[k]->pid == pid;
			if (!have && !watch_add(all, pid) && n_gone < 16)
				gone[n_gone++] = pid;
		}
	}
	/* Exited before its pidfd was opened: forgotten now, not at the
	 * next scan (each call ends in a smaller list, so this ends). */
	for (size_t i = 0; i < n_gone; i++)
		process_gone(all, gone[i]);
}

/* ---- what happened to a process ------------------------------------------ */

static void process_gone(struct vrrp_tprocs *all, pid_t pid)
{
	for (size_t i = 0; i < all->n; i++)
		if (pid_remove(all->procs[i], pid))
			judge(all->procs[i]);
	watches_sync(all);
}

/* A fork copies the parent's name and command line: the child matches
 * what the parent matches, without reading /proc. */
static void process_forked(struct vrrp_tprocs *all, pid_t parent, pid_t child)
{
	for (size_t i = 0; i < all->n; i++) {
		struct tproc *t = all->procs[i];

		if (pid_index(t, parent) >= 0 && pid_add(t, child))
			judge(t);
	}
}

/* /proc/PID/<what> into buf (NUL-terminated); its length, or -1. */
static ssize_t read_proc(pid_t pid, const char *what, char *buf, size_t size)
{
	char path[64];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len < 0)
		return -1;
	buf[len] = '\0';
	return len;
}

/* Match `pid` against every tracker anew (after exec, rename, or in a
 * scan); comm may be given, else it is read. */
static void process_seen(struct vrrp_tprocs *all, pid_t pid, const char *comm, bool judge_now)
{
	char name[32], cmdline[CMDLINE_MAX];
	ssize_t clen = 0;

	if (!comm) {
		ssize_t n = read_proc(pid, "comm", name, sizeof(name));

		if (n < 0)
			return;		/* gone already: its exit event follows */
		name[strcspn(name, "\n")] = '\0';
		comm = name;
	}
	if (all->need_cmdline)
		clen = read_proc(pid, "cmdline", cmdline, sizeof(cmdline));
	for (size_t i = 0; i < all->n; i++) {
		struct tproc *t = all->procs[i];
		bool m = track_process_matches(t->conf, comm, clen > 0 ? cmdline : NULL,
					       clen > 0 ? (size_t)clen : 0);
		bool changed = m ? pid_add(t, pid) : pid_remove(t, pid);

		if (changed && judge_now)
			judge(t);
	}
}

/* A zombie has exited already; keepalived does not count them either. */
static bool is_zombie(pid_t pid)
{
	char stat[512];
	const char *end;

	if (read_proc(pid, "stat", stat, sizeof(stat)) < 0)
		return true;
	end = strrchr(stat, ')');
	return !end || end[1] != ' ' || end[2] == 'Z' || end[2] == 'X';
}

/* Count from scratch: at start, after a reload, after lost events. */
static void scan(struct vrrp_tprocs *all)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d) {
		log_warn("vrrp_track_process: cannot read /proc");
		return;
	}
	for (size_t i = 0; i < all->n; i++)
		all->procs[i]->n_pids = 0;
	while ((de = readdir(d)) != NULL) {
		pid_t pid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = (pid_t)strtol(de->d_name, NULL, 10);
		if (!is_zombie(pid))
			process_seen(all, pid, NULL, false);
	}
	closedir(d);
	for (size_t i = 0; i < all->n; i++)
		judge(all->procs[i]);
	watches_sync(all);
}

static void rescan_due(struct ev_loop *loop, void *arg)
{
	struct vrrp_tprocs *all = arg;

	ev_timer_arm(loop, &all->rescan, RESCAN_US);
	scan(all);
}

/* ---- the connector ------------------------------------------------------- */

static void handle_event(struct vrrp_tprocs *all, const struct proc_event *ev)
{
	switch (ev->what) {
	case PROC_EVENT_FORK:
		if (ev->event_data.fork.child_pid == ev->event_data.fork.child_tgid)
			process_forked(all, ev->event_data.fork.parent_tgid,
				       ev->event_data.fork.child_tgid);
		break;
	case PROC_EVENT_EXEC:
		process_seen(all, ev->event_data.exec.process_tgid, NULL, true);
		break;
	case PROC_EVENT_COMM:
		if (ev->event_data.comm.process_pid == ev->event_data.comm.process_tgid) {
			char comm[sizeof(ev->event_data.comm.comm) + 1];

			memcpy(comm, ev->event_data.comm.comm, sizeof(ev->event_data.comm.comm));
			comm[sizeof(comm) - 1] = '\0';
			process_seen(all, ev->event_data.comm.process_tgid, comm, true);
		}
		break;
	case PROC_EVENT_EXIT:
		/* A thread's exit is not the process's. */
		if (ev->event_data.exit.process_pid == ev->event_data.exit.process_tgid)
			process_gone(all, ev->event_data.exit.process_tgid);
		break;
	default:
		break;
	}
}

static void handle_datagram(struct vrrp_tprocs *all, const char *buf, size_t len)
{
	const size_t need = offsetof(struct proc_event, event_data) +
			    sizeof(((struct proc_event *)0)->event_data.exit);

	for (const struct nlmsghdr *h = (const struct nlmsghdr *)buf; NLMSG_OK(h, len);
	     h = NLMSG_NEXT(h, len)) {
		const struct cn_msg *cn = NLMSG_DATA(h);
		struct proc_event ev;

		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*cn)) ||
		    cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC ||
		    cn->len < need || h->nlmsg_len < NLMSG_LENGTH(sizeof(*cn) + need))
			continue;
		memset(&ev, 0, sizeof(ev));
		memcpy(&ev, cn->data, cn->len < sizeof(ev) ? cn->len : sizeof(ev));
		handle_event(all, &ev);
	}
}

static void cn_readable(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct vrrp_tprocs *all = arg;
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	ssize_t len;

	(void)loop;
	(void)events;
	while ((len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		handle_datagram(all, buf, (size_t)len);
	if (len < 0 && errno == ENOBUFS) {
		log_info("vrrp_track_process: process events were lost; counting again");
		scan(all);
	} else if (len < 0 && errno != EAGAIN && errno != EINTR) {
		log_warn("vrrp_track_process: reading process events");
	}
}

static int cn_send(int fd, enum proc_cn_mcast_op op)
{
	struct {
		struct nlmsghdr h;
		struct cn_msg cn;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) m;

	memset(&m, 0, sizeof(m));
	m.h.nlmsg_len = sizeof(m);
	m.h.nlmsg_type = NLMSG_DONE;
	m.cn.id.idx = CN_IDX_PROC;
	m.cn.id.val = CN_VAL_PROC;
	m.cn.len = sizeof(m.op);
	m.op = op;
	return send(fd, &m, sizeof(m), 0) == (ssize_t)sizeof(m) ? 0 : -1;
}

/* The subscribed socket, or -1 (logged) when process events are not to be
 * had here. */
static int cn_open(void)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	int size = CN_RCVBUF;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			NETLINK_CONNECTOR);

	if (fd < 0)
		goto bad;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || cn_send(fd, PROC_CN_MCAST_LISTEN) < 0)
		goto bad;
	return fd;
bad:
	log_warn("vrrp_track_process: no process events from the kernel%s; exits are seen "
		 "through pidfds, new processes by reading /proc every %llu s",
		 errno == ECONNREFUSED ? " (outside the initial network namespace)" : "",
		 RESCAN_US / 1000000);
	if (fd >= 0)
		close(fd);
	return -1;
}

/* ---- building and freeing ------------------------------------------------ */

static bool conf_same(const struct vrrp_track_process_conf *a,
		      const struct vrrp_track_process_conf *b)
{
	return strcmp(a->name, b->name) == 0 && a->cmd_len == b->cmd_len &&
	       memcmp(a->cmd, b->cmd, a->cmd_len) == 0 && a->n_params == b->n_params &&
	       a->param_match == b->param_match && a->full_command == b->full_command &&
	       a->weight == b->weight && a->reverse == b->reverse && a->quorum == b->quorum &&
	       a->quorum_max == b->quorum_max && a->fork_delay_us == b->fork_delay_us &&
	       a->terminate_delay_us == b->terminate_delay_us;
}

static void tproc_free(struct vrrp_rt *rt, struct tproc *t)
{
	if (!t)
		return;
	ev_timer_disarm(rt->loop, &t->delay);
	free(t->pids);
	free(t);
}

static void tprocs_release(struct vrrp_rt *rt, struct vrrp_tprocs *all)
{
	if (!all)
		return;
	if (all->cn_fd >= 0) {
		ev_io_del(rt->loop, all->cn_fd);
		(void)cn_send(all->cn_fd, PROC_CN_MCAST_IGNORE);	/* the kernel counts listeners */
		close(all->cn_fd);
	}
	ev_timer_disarm(rt->loop, &all->rescan);
	for (size_t i = 0; i < all->n_watches; i++)
		watch_free(all, all->watches[i]);
	free(all->watches);
	for (size_t i = 0; i < all->n; i++)
		tproc_free(rt, all->procs[i]);
	free(all->procs);
	free(all);
}

static struct vrrp_tprocs *tprocs_new(struct vrrp_rt *rt)
{
	struct vrrp_tprocs *all = calloc(1, sizeof(*all));

	if (!all)
		return NULL;
	all->rt = rt;
	ev_timer_init(&all->rescan, rescan_due, all);
	all->cn_fd = cn_open();
	if (all->cn_fd >= 0 && ev_io_add(rt->loop, all->cn_fd, EPOLLIN, cn_readable, all) < 0) {
		log_warn("vrrp_track_process: cannot watch process events");
		close(all->cn_fd);
		all->cn_fd = -1;
	}
	if (all->cn_fd < 0)
		ev_timer_arm(rt->loop, &all->rescan, RESCAN_US);
	return all;
}

/* Trackers of the new configuration; an old one with the same
 * configuration moves over with its verdict and pending delay. */
static int take_trackers(struct vrrp_tprocs *all, struct tproc **old, size_t n_old,
			 const struct vrrp_conf *conf)
{
	for (size_t i = 0; i < conf->n_track_procs; i++) {
		const struct vrrp_track_process_conf *c = &conf->track_procs[i];
		struct tproc *t = NULL;

		for (size_t j = 0; j < n_old && !t; j++)
			if (old[j] && conf_same(old[j]->conf, c)) {
				t = old[j];
				old[j] = NULL;
			}
		if (!t && (t = calloc(1, sizeof(*t))) != NULL)
			ev_timer_init(&t->delay, delay_done, t);
		if (!t || ptr_array_push(&all->procs, &all->n, t) < 0) {
			free(t);
			return -1;
		}
		t->all = all;
		t->conf = c;
		all->need_cmdline |= track_process_wants_cmdline(c);
	}
	return 0;
}

/* The sockets stay across reloads; the list of trackers is rebuilt and
 * /proc read again, which changes nothing for a kept tracker unless a
 * process came or went unseen. */
int vrrp_tprocs_apply(struct vrrp_rt *rt)
{
	struct vrrp_tprocs *all = rt->tprocs;
	const struct vrrp_conf *conf = rt->conf;
	struct tproc **old;
	size_t n_old;
	int r;

	if (!conf->n_track_procs) {
		vrrp_tprocs_free(rt);
		return 0;
	}
	if (!all && !(all = rt->tprocs = tprocs_new(rt)))
		return -1;
	old = all->procs;
	n_old = all->n;
	all->procs = NULL;
	all->n = 0;
	all->need_cmdline = false;
	r = take_trackers(all, old, n_old, conf);
	for (size_t i = 0; i < n_old; i++)
		tproc_free(rt, old[i]);
	free(old);
	scan(all);
	return r;
}

bool vrrp_tproc_effect(struct vrrp_rt *rt, const struct track_ref_conf *ref,
		       struct track_effect *e)
{
	for (size_t i = 0; rt->tprocs && i < rt->tprocs->n; i++) {
		const struct tproc *t = rt->tprocs->procs[i];

		if (strcmp(t->conf->name, ref->name) != 0)
			continue;
		*e = ref->w.has_weight ? track_process_effect(t->ok, ref->w.weight, ref->reverse)
				       : track_process_effect(t->ok, t->conf->weight,
							      t->conf->reverse);
		return true;
	}
	return false;
}

void vrrp_tprocs_free(struct vrrp_rt *rt)
{
	tprocs_release(rt, rt->tprocs);
	rt->tprocs = NULL;
}
