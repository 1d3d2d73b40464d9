/* Real servers and virtual servers: a real server is up when every one of
 * its checkers is (one without checkers always is); a virtual server keeps
 * its quorum while the weights of its live real servers add up to it, with
 * hysteresis.  State changes are logged, run the notify and quorum scripts,
 * and ask for an IPVS reconciliation; check_ipvs.c decides nothing. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>

#include "check_rt.h"
#include "log.h"

static const char *addr_port(const struct ip_addr *a, uint16_t port, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	ip_addr_str(a, ip, sizeof(ip));
	snprintf(buf, len, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip, port);
	return buf;
}

void vs_describe(const struct virtual_server_conf *v, char *buf, size_t len)
{
	char ap[INET6_ADDRSTRLEN + 8];

	if (v->kind == VS_FWMARK)
		snprintf(buf, len, "FWM %u", v->fwmark);
	else if (v->kind == VS_GROUP)
		snprintf(buf, len, "group #%zu", v->group);
	else
		snprintf(buf, len, "%s %s", check_protocol_name(v->protocol),
			 addr_port(&v->addr, v->port, ap, sizeof(ap)));
}

const char *rs_describe(const struct rs_rt *rs, char *buf, size_t len)
{
	return addr_port(&rs->conf->addr, rs->conf->port, buf, len);
}

static void script_done(void *arg, const struct proc_result *r)
{
	struct proc **slot = arg;
	char why[128];

	*slot = NULL;
	if (!proc_result_ok(r))
		log_warnx("script %s", proc_result_describe(r, why, sizeof(why)));
}

/* Scripts of one object run one at a time: a new state cancels a script
 * still running for the old one, so the last one to run matches reality. */
static void run_script(struct check_rt *rt, struct proc **slot, const struct check_script *s)
{
	struct proc_cmd cmd;
	struct proc_user user = { 0 };
	const struct proc_user *u;
	char err[160];

	if (!s->cmd)
		return;
	proc_cancel(*slot);
	*slot = NULL;
	if (proc_cmd_parse(s->cmd, &cmd, err, sizeof(err)) < 0) {
		log_err("script '%s': %s", s->cmd, err);
		return;
	}
	if (s->as && proc_user_lookup(s->as->user, s->as->group, &user, err, sizeof(err)) == 0)
		u = &user;
	else
		u = check_script_user(rt);
	*slot = proc_start(rt->loop, &cmd, NULL, u, 60ull * 1000000, script_done, slot);
	if (!*slot)
		log_warn("cannot start script '%s'", s->cmd);
	proc_cmd_free(&cmd);
}

/* "TCP_CHECK 10.1.0.3:80: connection refused"; the system's words are
 * added when our name for the result is a generic one. */
/* Whether the detail of `r` says more than its name: the errno of a
 * generic failure, the status, digest or url of an HTTP one. */
static bool detail_worth_showing(enum check_result r)
{
	return r == CHECK_CONNECT_ERROR || r == CHECK_SOCKET_ERROR || r == CHECK_BIND_ERROR ||
	       (r >= CHECK_HTTP_STATUS && r <= CHECK_TLS_VERIFY);
}

const char *rs_failing_reason(const struct rs_rt *rs, char *buf, size_t len)
{
	char target[INET6_ADDRSTRLEN + 8];

	for (size_t i = 0; i < rs->n_checkers; i++) {
		const struct checker_rt *c = rs->checkers[i];
		bool detailed = detail_worth_showing(c->last);

		if (c->up)
			continue;
		snprintf(buf, len, "%s %s: %s%s%s%s", checker_type_name(c->conf->type),
			 addr_port(&c->conf->connect_ip, c->conf->connect_port, target,
				   sizeof(target)),
			 c->attempts ? check_result_name(c->last) : "not checked yet",
			 detailed ? " (" : "", detailed ? c->last_detail : "", detailed ? ")" : "");
		return buf;
	}
	snprintf(buf, len, "all checks pass");
	return buf;
}

void rs_update(struct rs_rt *rs)
{
	bool up = true;
	char who[INET6_ADDRSTRLEN + 8], why[320];

	for (size_t i = 0; i < rs->n_checkers; i++)
		up = up && rs->checkers[i]->up;
	if (rs->known && up == rs->up)
		return;
	if (!rs->known) {
		/* The initial state is news only when it is DOWN (alpha). */
		rs->known = true;
		rs->up = up;
		if (!up)
			log_info("Real server %s of %s starts DOWN", rs_describe(rs, who, sizeof(who)),
				 rs->vs->name);
		vs_update(rs->vs);
		return;
	}
	rs->up = up;
	log_info("Real server %s of %s is %s (%s)", rs_describe(rs, who, sizeof(who)),
		 rs->vs->name, up ? "UP" : "DOWN", rs_failing_reason(rs, why, sizeof(why)));
	check_alert_rs(rs, why);
	check_snmp_rs_state(rs);
	if (!rs->vs->rt->stopping)
		run_script(rs->vs->rt, &rs->notify, up ? &rs->conf->notify_up : &rs->conf->notify_down);
	vs_update(rs->vs);
}

unsigned rs_weight(const struct rs_rt *rs)
{
	for (size_t i = 0; i < rs->n_checkers; i++)
		if (rs->checkers[i]->dyn_weight >= 0)
			return (unsigned)rs->checkers[i]->dyn_weight;
	return rs->conf->weight;
}

static unsigned live_weight(const struct vs_rt *vs)
{
	unsigned sum = 0;

	for (size_t i = 0; i < vs->n_rs; i++)
		if (vs->rs[i].up)
			sum += rs_weight(&vs->rs[i]);
	return sum;
}

/* keepalived's quorum: up while the live weight is at least quorum;
 * hysteresis widens the gap: lost below quorum - hysteresis, regained at
 * quorum + hysteresis. */
static bool quorum_now(const struct vs_rt *vs)
{
	const struct virtual_server_conf *v = vs->conf;
	unsigned w = live_weight(vs);

	if (!vs->quorum_known)
		return w >= v->quorum;
	if (vs->quorum_ok)
		return w + v->hysteresis >= v->quorum;
	return w >= v->quorum + v->hysteresis;
}

void vs_update(struct vs_rt *vs)
{
	bool ok = quorum_now(vs);

	if (!vs->quorum_known || ok != vs->quorum_ok) {
		bool first = !vs->quorum_known;

		vs->quorum_known = true;
		vs->quorum_ok = ok;
		if (!first || !ok)
			log_info("%s: quorum %s (live weight %u, quorum %u)%s", vs->name,
				 ok ? "gained" : "lost", live_weight(vs), vs->conf->quorum,
				 !ok && vs->conf->has_sorry_server ? ": sorry server in use" : "");
		if (!vs->rt->stopping)
			run_script(vs->rt, &vs->quorum_script,
				   ok ? &vs->conf->quorum_up : &vs->conf->quorum_down);
	}
	check_ipvs_request(vs->rt);
}

/* omega: the virtual server goes away with the daemon; its quorum is lost
 * as far as the scripts are concerned. */
void vs_omega(struct vs_rt *vs)
{
	proc_cancel(vs->quorum_script);
	vs->quorum_script = NULL;
	for (size_t i = 0; i < vs->n_rs; i++) {
		proc_cancel(vs->rs[i].notify);
		vs->rs[i].notify = NULL;
	}
	if (vs->conf->omega && vs->quorum_ok)
		run_script(vs->rt, &vs->quorum_script, &vs->conf->quorum_down);
}
