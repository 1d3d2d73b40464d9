/* MISC_CHECK: a program decides.  Exit 0 is up, anything else down; with
 * misc_dynamic an exit code from 2 to 255 is also up, with weight code - 2
 * (keepalived's convention).  The program runs through lib/proc: its own
 * process group, killed at misc_timeout, output discarded, never started
 * twice for one checker (check_sched.c does not start an attempt while one
 * runs). */
#include "config.h"

#include <stdio.h>

#include "check_rt.h"
#include "log.h"
#include "script_sec.h"

#define MISC_DYNAMIC_MIN_CODE	2

enum check_result misc_verdict(int code, bool timed_out, bool dynamic, int *weight)
{
	if (timed_out)
		return CHECK_SCRIPT_TIMEOUT;
	if (code >= MISC_DYNAMIC_MIN_CODE && code <= 255 && dynamic) {
		/* The weight is set, never added to: a timeout or a failure in
		 * between does not make it drift. */
		*weight = code - MISC_DYNAMIC_MIN_CODE;
		return CHECK_OK;
	}
	if (code == 0) {
		*weight = -1;
		return CHECK_OK;
	}
	return CHECK_SCRIPT_FAILED;
}

static void misc_done(void *arg, const struct proc_result *r)
{
	struct checker_rt *c = arg;
	enum check_result v = misc_verdict(proc_result_exit_code(r), r->timed_out,
					   c->conf->misc.dynamic, &c->dyn_weight);
	char why[128];

	c->proc = NULL;
	check_done(c, v, v == CHECK_OK ? NULL : proc_result_describe(r, why, sizeof(why)));
}

static const struct proc_user *misc_user(struct checker_rt *c, struct proc_user *own)
{
	const struct check_run_as *as = &c->conf->misc.as;
	char err[160];

	if (!as->user[0])
		return check_script_user(c->rt);
	if (proc_user_lookup(as->user, as->group, own, err, sizeof(err)) < 0) {
		log_err("MISC_CHECK user: %s; running as the script user", err);
		return check_script_user(c->rt);
	}
	return own;
}

void misc_check_begin(struct checker_rt *c)
{
	const struct misc_check_conf *m = &c->conf->misc;
	struct proc_user own;
	const struct proc_user *u = misc_user(c, &own);
	struct proc_cmd cmd;
	char err[200];

	if (proc_cmd_parse(m->path, &cmd, err, sizeof(err)) < 0) {
		check_done(c, CHECK_SCRIPT_REFUSED, err);
		return;
	}
	if (c->rt->global->enable_script_security &&
	    script_sec_check_cmd(&cmd, u->set ? u->uid : 0, err, sizeof(err)) < 0) {
		proc_cmd_free(&cmd);
		check_done(c, CHECK_SCRIPT_REFUSED, err);
		return;
	}
	c->proc = proc_start(c->rt->loop, &cmd, NULL, u, m->timeout_us, misc_done, c);
	proc_cmd_free(&cmd);
	if (!c->proc)
		check_done(c, CHECK_SCRIPT_REFUSED, "cannot start it");
}

void misc_check_abort(struct checker_rt *c)
{
	proc_cancel(c->proc);
	c->proc = NULL;
}
