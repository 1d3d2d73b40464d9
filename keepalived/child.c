#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "check/check_child.h"
#include "child.h"
#include "child_report.h"
#include "ctl_msg.h"
#include "event.h"
#include "heap.h"
#include "ka_conf.h"
#include "log.h"
#include "vrrp/vrrp_child.h"

/* What the generic child needs from each kind of runtime. */
struct runtime_ops {
	const char *name;
	const char *log_ident;
	void *(*start)(struct ev_loop *loop, const struct ka_config *c, const struct options *o,
		       void *ch);
	int (*reload)(void *rt, const struct ka_config *c);
	void (*stop)(void *rt, void (*done)(void *arg), void *arg);
	void (*vrrp_state)(void *rt, const char *name, unsigned state);	/* may be NULL */
};

struct child;
static void send_vrrp_state(void *arg, const char *instance, enum vrrp_state to);

static void *vrrp_start(struct ev_loop *loop, const struct ka_config *c, const struct options *o,
			void *ch)
{
	struct vrrp_hooks hooks = { send_vrrp_state, ch };

	(void)o;
	return vrrp_child_start(loop, &c->vrrp, &c->global, &hooks);
}

static int vrrp_reload(void *rt, const struct ka_config *c)
{
	return vrrp_child_reload(rt, &c->vrrp, &c->global);
}

static void vrrp_stop(void *rt, void (*done)(void *arg), void *arg)
{
	vrrp_child_stop(rt, done, arg);
}

static void *check_start(struct ev_loop *loop, const struct ka_config *c, const struct options *o,
			 void *ch)
{
	(void)ch;
	return check_child_start(loop, &c->check, &c->global, o->dont_release_ipvs);
}

static int check_reload(void *rt, const struct ka_config *c)
{
	return check_child_reload(rt, &c->check, &c->global);
}

static void check_stop(void *rt, void (*done)(void *arg), void *arg)
{
	check_child_stop(rt, done, arg);
}

static void check_vrrp_state(void *rt, const char *name, unsigned state)
{
	check_child_vrrp_state(rt, name, state);
}

static const struct runtime_ops runtimes[CHILD_KINDS] = {
	[CHILD_VRRP] = { "VRRP", "Keepalived_vrrp", vrrp_start, vrrp_reload, vrrp_stop, NULL },
	[CHILD_CHECKER] = { "checker", "Keepalived_healthcheckers", check_start, check_reload,
			    check_stop, check_vrrp_state },
};

const char *child_kind_name(enum child_kind kind)
{
	return runtimes[kind].name;
}

struct child {
	const struct runtime_ops *ops;
	struct ev_loop *loop;
	int ctl_fd;
	struct ka_config *conf;
	uint32_t generation;
	void *rt;
	bool stopping;
	enum child_kind kind;
	const char *run_dir;	/* where SIGUSR1 / SIGUSR2 dumps go */
	const struct options *o;
};

/* -x: as if global_defs enabled every SNMP part and the traps. */
static void apply_cmdline(struct ka_config *c, const struct options *o)
{
	if (!o->snmp)
		return;
	c->global.snmp_vrrp = c->global.snmp_checker = true;
	c->global.snmp_rfc = c->global.snmp_traps = true;
}

/* The parent validated this snapshot already, so a failure here means the
 * snapshot was damaged in transit: log it and keep what runs. */
static struct ka_config *load(int snap_fd, const struct options *o)
{
	struct diags d;
	struct ka_config *c;

	diags_init(&d);
	c = config_load_snapshot(snap_fd, &d);
	/* The parent logged the warnings when it validated this snapshot. */
	config_log_diags(&d, "", false);
	diags_free(&d);
	if (c)
		apply_cmdline(c, o);
	return c;
}

static void stopped(void *arg)
{
	struct child *ch = arg;

	ch->rt = NULL;
	ev_stop(ch->loop);
}

static void begin_stop(struct child *ch, const char *why)
{
	if (ch->stopping)
		return;
	ch->stopping = true;
	log_info("%s child stopping (%s)", ch->ops->name, why);
	ch->ops->stop(ch->rt, stopped, ch);
}

/* Tell the parent which generation we answered for, and whether it runs. */
static void answer(struct child *ch, uint32_t generation, bool applied)
{
	struct ctl_msg ack = { .type = CTL_RELOADED, .generation = generation,
			       .state = applied ? CTL_APPLIED : CTL_APPLY_FAILED };

	if (ctl_send(ch->ctl_fd, &ack, -1) < 0)
		log_warn("cannot report configuration generation %u to the parent", generation);
}

static void apply_reload(struct child *ch, uint32_t generation, int snap_fd)
{
	struct ka_config *c = load(snap_fd, ch->o);

	if (!c) {
		log_err("reload to generation %u failed; keeping generation %u",
			generation, ch->generation);
		answer(ch, generation, false);
		return;
	}
	if (ch->ops->reload(ch->rt, c) < 0) {
		log_err("reload to generation %u not applied", generation);
		config_free(c);
		answer(ch, generation, false);
		return;
	}
	config_free(ch->conf);
	ch->conf = c;
	ch->generation = generation;
	heap_trim();		/* the parse's peak and the old runtime */
	answer(ch, generation, true);
}

static void on_ctl(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct child *ch = arg;
	struct ctl_msg m;
	int snap_fd, r;

	(void)loop;
	(void)events;
	while ((r = ctl_recv(fd, &m, &snap_fd)) == 1) {
		if (m.type == CTL_RELOAD && snap_fd >= 0 && !ch->stopping)
			apply_reload(ch, m.generation, snap_fd);
		else if (m.type == CTL_VRRP_STATE && ch->ops->vrrp_state && ch->rt)
			ch->ops->vrrp_state(ch->rt, m.name, m.state);
		else if (m.type == CTL_STATUS)
			child_report_reply(ch->kind, ch->stopping ? NULL : ch->rt, ch->ctl_fd, &m);
		else
			log_warnx("ignoring control message of type %u", m.type);
		if (snap_fd >= 0)
			close(snap_fd);
	}
	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EPROTO)) {
		/* The parent is gone: nobody would restart us or hand us a
		 * reload, so release what we hold rather than linger. */
		ev_io_del(ch->loop, ch->ctl_fd);
		begin_stop(ch, "parent closed the control socket");
	}
}

static void send_vrrp_state(void *arg, const char *instance, enum vrrp_state to)
{
	struct child *ch = arg;
	struct ctl_msg m = { .type = CTL_VRRP_STATE, .generation = ch->generation, .state = to };

	snprintf(m.name, sizeof(m.name), "%s", instance);
	if (ctl_send(ch->ctl_fd, &m, -1) < 0)
		log_warn("cannot tell the parent about %s", instance);
}

static void on_signal(struct ev_loop *loop, int signo, void *arg)
{
	struct child *ch = arg;

	(void)loop;
	if (signo == SIGHUP) {
		log_info("SIGHUP ignored: reloads come from the parent process");
		return;
	}
	if (signo == SIGUSR1 || signo == SIGUSR2) {
		child_dump(ch->kind, ch->stopping ? NULL : ch->rt, ch->run_dir, signo == SIGUSR2);
		return;
	}
	begin_stop(ch, signo == SIGTERM ? "SIGTERM" : "SIGINT");
}

static int setup(struct child *ch, int snap_fd, const struct options *o)
{
	ch->o = o;
	ch->conf = load(snap_fd, o);
	if (!ch->conf)
		return -1;
	ch->loop = ev_loop_new();
	if (!ch->loop)
		return -1;
	if (ev_signal_add(ch->loop, SIGTERM, on_signal, ch) < 0 ||
	    ev_signal_add(ch->loop, SIGINT, on_signal, ch) < 0 ||
	    ev_signal_add(ch->loop, SIGHUP, on_signal, ch) < 0 ||
	    ev_signal_add(ch->loop, SIGUSR1, on_signal, ch) < 0 ||
	    ev_signal_add(ch->loop, SIGUSR2, on_signal, ch) < 0 ||
	    ev_io_add(ch->loop, ch->ctl_fd, EPOLLIN, on_ctl, ch) < 0) {
		log_warn("%s child: event loop setup", ch->ops->name);
		return -1;
	}
	ch->rt = ch->ops->start(ch->loop, ch->conf, o, ch);
	if (!ch->rt)
		return -1;
	heap_trim();		/* the parse tree is gone; see heap.h */
	answer(ch, ch->generation, true);
	return 0;
}

int child_main(enum child_kind kind, int ctl_fd, int snap_fd, uint32_t generation,
	       const struct options *o)
{
	struct child ch = { .ops = &runtimes[kind], .ctl_fd = ctl_fd, .generation = generation,
			    .kind = kind, .run_dir = o->run_dir };
	int status = EXIT_FAILURE;

	log_init(ch.ops->log_ident, o->log_console, o->log_facility, o->log_detail);
	if (setup(&ch, snap_fd, o) == 0 && ev_run(ch.loop) == 0)
		status = EXIT_SUCCESS;
	if (ch.rt && !ch.stopping)
		begin_stop(&ch, "event loop failed");
	if (ch.loop)
		ev_loop_free(ch.loop);
	config_free(ch.conf);
	close(ctl_fd);
	log_info("%s child exiting", ch.ops->name);
	return status;
}
