/* Notify scripts: on each transition, notify_<state> then the generic
 * `notify` script with keepalived's arguments (INSTANCE|GROUP NAME STATE
 * PRIORITY).  Each instance and group has a queue so its scripts run one at
 * a time in transition order; scripts never block the state machine. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "vrrp_rt.h"

void notify_queue_init(struct notify_queue *q, struct vrrp_rt *rt, const char *owner)
{
	memset(q, 0, sizeof(*q));
	q->rt = rt;
	q->owner = owner;
}

static void job_free(struct notify_job *j)
{
	proc_cmd_free(&j->cmd);
	for (size_t i = 0; j->args[i]; i++)
		free(j->args[i]);
	memset(j, 0, sizeof(*j));
}

void notify_queue_clear(struct notify_queue *q)
{
	proc_cancel(q->running);
	q->running = NULL;
	for (; q->len; q->len--, q->head = (q->head + 1) % NOTIFY_QUEUE_MAX)
		job_free(&q->jobs[q->head]);
}

bool notify_queue_busy(const struct notify_queue *q)
{
	return q->running || q->len;
}

static void kick(struct notify_queue *q);

static void job_done(void *arg, const struct proc_result *r)
{
	struct notify_queue *q = arg;
	char why[128];

	q->running = NULL;
	if (!proc_result_ok(r))
		log_warnx("(%s) notify script %s", q->owner,
			  proc_result_describe(r, why, sizeof(why)));
	kick(q);
}

static void kick(struct notify_queue *q)
{
	while (!q->running && q->len) {
		struct notify_job *j = &q->jobs[q->head];
		const struct proc_user *u = vrrp_script_user(q->rt, &j->user);

		if (vrrp_script_allowed(q->rt, &j->cmd, u, q->owner)) {
			q->running = proc_start(q->rt->loop, &j->cmd, (const char *const *)j->args,
						u, NOTIFY_TIMEOUT_US, job_done, q);
			if (!q->running)
				log_warn("(%s) cannot start notify script '%s'", q->owner,
					 j->cmd.text);
		}
		job_free(j);
		q->head = (q->head + 1) % NOTIFY_QUEUE_MAX;
		q->len--;
	}
}

static void enqueue(struct notify_queue *q, const char *cmdline, const struct vrrp_run_as *as,
		    const char *const *args)
{
	struct notify_job *j;
	char err[160];

	if (!cmdline)
		return;
	if (q->len == NOTIFY_QUEUE_MAX) {
		if (q->dropped++ == 0)
			log_warnx("(%s) notify scripts are not keeping up: dropping some", q->owner);
		return;
	}
	j = &q->jobs[(q->head + q->len) % NOTIFY_QUEUE_MAX];
	if (proc_cmd_parse(cmdline, &j->cmd, err, sizeof(err)) < 0) {
		log_err("(%s) notify script '%s': %s", q->owner, cmdline, err);
		job_free(j);
		return;
	}
	if (as->user[0] &&
	    proc_user_lookup(as->user, as->group, &j->user, err, sizeof(err)) < 0) {
		log_err("(%s) notify script '%s': %s", q->owner, cmdline, err);
		job_free(j);
		return;
	}
	for (size_t i = 0; args && args[i] && i < 4; i++)
		j->args[i] = strdup(args[i]);
	q->len++;
	kick(q);
}

static const char *notify_state_word(enum vrrp_state s)
{
	return s == VRRP_STATE_INIT ? "STOP" : vrrp_state_name(s);
}

static const char *specific_script(const struct vrrp_notify_conf *n, enum vrrp_state s,
				   const struct vrrp_run_as **as)
{
	switch (s) {
	case VRRP_STATE_MASTER: *as = &n->master_as; return n->master;
	case VRRP_STATE_BACKUP: *as = &n->backup_as; return n->backup;
	case VRRP_STATE_FAULT: *as = &n->fault_as; return n->fault;
	case VRRP_STATE_INIT: *as = &n->stop_as; return n->stop;
	}
	return NULL;
}

static void notify(struct notify_queue *q, const struct vrrp_notify_conf *n, const char *type,
		   const char *name, enum vrrp_state to, unsigned priority)
{
	char prio[8];
	const char *args[] = { type, name, notify_state_word(to), prio, NULL };
	const struct vrrp_run_as *as = NULL;
	const char *script = specific_script(n, to, &as);

	snprintf(prio, sizeof(prio), "%u", priority);
	if (script)
		enqueue(q, script, as, NULL);
	enqueue(q, n->any, &n->any_as, args);
}

void vrrp_notify_instance(struct vrrp_inst *in, enum vrrp_state to)
{
	notify(&in->nq, &in->conf->notify, "INSTANCE", in->conf->name, to, in->sm.priority);
}

void vrrp_notify_group(struct vrrp_group_rt *g, enum vrrp_state to)
{
	notify(&g->nq, &g->conf->notify, "GROUP", g->conf->name, to, 0);
}
