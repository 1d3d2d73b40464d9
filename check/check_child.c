/* The checker child: builds the runtime (virtual servers, real servers,
 * shared checkers) from the configuration, moves it to a new configuration
 * on reload keeping the health of every unchanged checker (so an unchanged
 * reload changes nothing in IPVS), and stops cleanly. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_child.h"
#include "check_rt.h"
#include "check_tls.h"
#include "log.h"
#include "ptr_array.h"

/* quorum_down scripts started by the shutdown (omega) get this long. */
#define STOP_SCRIPT_WAIT_US	(5ull * 1000000)

struct check_child {
	struct check_rt rt;
	struct ev_wait stopping;
	void (*done)(void *arg);
	void *done_arg;
};

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool misc_same(const struct misc_check_conf *a, const struct misc_check_conf *b)
{
	return str_same(a->path, b->path) && a->timeout_us == b->timeout_us &&
	       a->dynamic == b->dynamic && strcmp(a->as.user, b->as.user) == 0 &&
	       strcmp(a->as.group, b->as.group) == 0;
}

static bool url_same(const struct http_url_conf *a, const struct http_url_conf *b)
{
	return str_same(a->path, b->path) && a->has_digest == b->has_digest &&
	       (!a->has_digest || memcmp(a->digest, b->digest, sizeof(a->digest)) == 0) &&
	       a->n_status == b->n_status &&
	       (!a->n_status || memcmp(a->status, b->status, a->n_status * sizeof(*a->status)) == 0) &&
	       str_same(a->virtualhost, b->virtualhost) && str_same(a->regex, b->regex) &&
	       a->regex_no_match == b->regex_no_match;
}

static bool http_same(const struct http_check_conf *a, const struct http_check_conf *b)
{
	if (a->n_urls != b->n_urls || a->protocol != b->protocol ||
	    !str_same(a->virtualhost, b->virtualhost) || a->fast_recovery != b->fast_recovery ||
	    a->enable_sni != b->enable_sni || !str_same(a->sni_name, b->sni_name))
		return false;
	for (size_t i = 0; i < a->n_urls; i++)
		if (!url_same(&a->urls[i], &b->urls[i]))
			return false;
	return true;
}

/* Two checkers are the same check when everything that decides what they
 * do and when is equal; then one runs and feeds every real server. */
static bool checker_same(const struct checker_conf *a, const struct checker_conf *b)
{
	return a->type == b->type && a->connect_ip.family == b->connect_ip.family &&
	       memcmp(&a->connect_ip.u, &b->connect_ip.u, sizeof(a->connect_ip.u)) == 0 &&
	       a->connect_port == b->connect_port && a->has_bindto == b->has_bindto &&
	       (!a->has_bindto || memcmp(&a->bindto.u, &b->bindto.u, sizeof(a->bindto.u)) == 0) &&
	       strcmp(a->bind_if, b->bind_if) == 0 && a->bind_port == b->bind_port &&
	       a->fwmark == b->fwmark && a->connect_timeout_us == b->connect_timeout_us &&
	       a->retry == b->retry && a->delay_before_retry_us == b->delay_before_retry_us &&
	       a->delay_loop_us == b->delay_loop_us && a->alpha == b->alpha &&
	       misc_same(&a->misc, &b->misc) && http_same(&a->http, &b->http);
}

static struct checker_rt *take_checker(struct checker_rt **list, size_t n,
				       const struct checker_conf *cc)
{
	for (size_t i = 0; i < n; i++) {
		struct checker_rt *c = list[i];

		if (c && checker_same(c->conf, cc)) {
			list[i] = NULL;
			return c;
		}
	}
	return NULL;
}

/* The checker for `cc`: one already built for this configuration, else a
 * running one of the previous configuration (its health carried over),
 * else a new one. */
static struct checker_rt *checker_for(struct check_rt *rt, struct checker_rt **old, size_t n_old,
				      const struct checker_conf *cc, bool *fresh)
{
	struct checker_rt *c = NULL;

	for (size_t i = 0; i < rt->n_checkers && !c; i++)
		if (checker_same(rt->checkers[i]->conf, cc))
			c = rt->checkers[i];
	if (c)
		return c;
	*fresh = false;
	c = take_checker(old, n_old, cc);
	if (c) {
		c->conf = cc;
		c->n_subs = 0;
	} else if ((c = calloc(1, sizeof(*c)))) {
		checker_init(c, rt, cc);
		*fresh = true;
	}
	if (c && ptr_array_push(&rt->checkers, &rt->n_checkers, c) < 0) {
		free(c);
		return NULL;
	}
	return c;
}

static int build_rs(struct check_rt *rt, struct vs_rt *vs, struct rs_rt *rs,
		    struct checker_rt **old, size_t n_old)
{
	const struct real_server_conf *rc = rs->conf;

	rs->vs = vs;
	rs->checkers = calloc(rc->n_checkers ? rc->n_checkers : 1, sizeof(*rs->checkers));
	if (!rs->checkers)
		return -1;
	for (size_t k = 0; k < rc->n_checkers; k++) {
		bool fresh = false;
		struct checker_rt *c = checker_for(rt, old, n_old, &rc->checkers[k], &fresh);

		if (!c || ptr_array_push(&c->subs, &c->n_subs, rs) < 0)
			return -1;
		rs->checkers[rs->n_checkers++] = c;
		if (fresh)
			checker_start(c, true);
	}
	return 0;
}

static int build(struct check_rt *rt, struct checker_rt **old, size_t n_old)
{
	const struct check_conf *conf = rt->conf;

	rt->vs = calloc(conf->n_virtual_servers ? conf->n_virtual_servers : 1, sizeof(*rt->vs));
	if (!rt->vs)
		return -1;
	for (size_t i = 0; i < conf->n_virtual_servers; i++) {
		struct vs_rt *vs = &rt->vs[rt->n_vs++];
		const struct virtual_server_conf *v = &conf->virtual_servers[i];

		vs->rt = rt;
		vs->conf = v;
		if (v->kind == VS_GROUP)
			snprintf(vs->name, sizeof(vs->name), "group %s", conf->groups[v->group].name);
		else
			vs_describe(v, vs->name, sizeof(vs->name));
		vs->rs = calloc(v->n_real_servers ? v->n_real_servers : 1, sizeof(*vs->rs));
		if (!vs->rs)
			return -1;
		for (size_t j = 0; j < v->n_real_servers; j++) {
			vs->rs[vs->n_rs].conf = &v->real_servers[j];
			if (build_rs(rt, vs, &vs->rs[vs->n_rs++], old, n_old) < 0)
				return -1;
		}
	}
	return 0;
}

static void free_servers(struct check_rt *rt)
{
	for (size_t i = 0; i < rt->n_vs; i++) {
		struct vs_rt *vs = &rt->vs[i];

		proc_cancel(vs->quorum_script);
		for (size_t j = 0; j < vs->n_rs; j++) {
			proc_cancel(vs->rs[j].notify);
			free(vs->rs[j].checkers);
		}
		free(vs->rs);
	}
	free(rt->vs);
	rt->vs = NULL;
	rt->n_vs = 0;
}

static void free_checker(struct checker_rt *c)
{
	if (!c)
		return;
	checker_stop(c);
	free(c->subs);
	free(c);
}

/* Everything reports its state once, which computes quorums and asks for
 * one reconciliation of the whole table. */
static void settle(struct check_rt *rt)
{
	for (size_t i = 0; i < rt->n_vs; i++) {
		for (size_t j = 0; j < rt->vs[i].n_rs; j++)
			rs_update(&rt->vs[i].rs[j]);
		vs_update(&rt->vs[i]);
	}
	check_ipvs_request(rt);
}

/* SSL_GET's client context, built anew with each configuration (its files
 * may have changed; sessions in flight hold the old one until they end),
 * and only when an SSL_GET needs it. */
static void tls_setup(struct check_rt *rt)
{
	bool needed = false;

	tls_ctx_free(rt->tls);
	rt->tls = NULL;
	rt->tls_error[0] = '\0';
	for (size_t i = 0; i < rt->n_checkers && !needed; i++)
		needed = rt->checkers[i]->conf->type == CHECKER_SSL;
	if (!needed)
		return;
	rt->tls = tls_ctx_new(&rt->conf->ssl, rt->tls_error, sizeof(rt->tls_error));
	if (!rt->tls)
		log_err("SSL_GET: %s; every SSL_GET fails until this is fixed", rt->tls_error);
}

static int apply(struct check_rt *rt, const struct check_conf *conf)
{
	struct checker_rt **old = rt->checkers;
	size_t n_old = rt->n_checkers;
	int r;

	free_servers(rt);
	rt->checkers = NULL;
	rt->n_checkers = 0;
	rt->conf = conf;
	r = build(rt, old, n_old);
	for (size_t i = 0; i < n_old; i++)
		free_checker(old[i]);
	free(old);
	if (r < 0) {
		log_err("checker: out of memory while applying the configuration");
		return -1;
	}
	/* Every check may have its socket open at once; the rest is the
	 * loop, IPVS, the parent, alerts and scripts' pipes. */
	if (proc_raise_nofile(rt->n_checkers + 256) < 0)
		log_warn("cannot allow %zu open descriptors for %zu checks; some may fail with "
			 "'Too many open files'", rt->n_checkers + 256, rt->n_checkers);
	tls_setup(rt);
	check_ipvs_set_timeouts(rt);
	check_sync_apply(rt);
	settle(rt);
	return 0;
}

void check_child_vrrp_state(struct check_child *c, const char *name, unsigned state)
{
	struct check_rt *rt = &c->rt;
	void *grown;
	size_t i;

	for (i = 0; i < rt->n_vrrp_states; i++)
		if (strcmp(rt->vrrp_states[i].name, name) == 0)
			break;
	if (i == rt->n_vrrp_states) {
		grown = realloc(rt->vrrp_states, (i + 1) * sizeof(*rt->vrrp_states));
		if (!grown)
			return;
		rt->vrrp_states = grown;
		snprintf(rt->vrrp_states[i].name, sizeof(rt->vrrp_states[i].name), "%s", name);
		rt->n_vrrp_states++;
	}
	rt->vrrp_states[i].state = state;
	check_sync_apply(rt);
}

struct check_child *check_child_start(struct ev_loop *loop, const struct check_conf *conf,
				      const struct global_conf *global, bool keep_ipvs)
{
	struct check_child *c = calloc(1, sizeof(*c));
	struct check_rt *rt;
	char err[200];

	if (!c) {
		log_err("checker child: out of memory");
		return NULL;
	}
	rt = &c->rt;
	rt->loop = loop;
	rt->global = global;
	rt->keep_ipvs = keep_ipvs;
	check_ipvs_init(rt);
	if (proc_become_subreaper() < 0)
		log_warn("cannot become a subreaper for scripts");
	rt->ipvs = ipvs_open(err, sizeof(err));
	if (!rt->ipvs)
		log_err("%s; health checks run, but the IPVS table cannot be programmed", err);
	rt->alerter = alerter_new(loop);
	if (rt->alerter)
		alerter_configure(rt->alerter, global);
	else
		log_err("checker child: out of memory; no e-mail alerts");
	apply(rt, conf);
	check_snmp_apply(rt);
	log_info("checker child started: %u virtual_server, %u virtual_server_group, "
		 "%zu distinct checks", conf->n_virtual_servers, conf->n_groups, rt->n_checkers);
	return c;
}

int check_child_reload(struct check_child *c, const struct check_conf *conf,
		       const struct global_conf *global)
{
	struct check_rt *rt = &c->rt;

	rt->global = global;
	rt->script_user.known = false;		/* global_defs may name another */
	if (rt->alerter)
		alerter_configure(rt->alerter, global);
	if (apply(rt, conf) < 0)
		return -1;
	check_snmp_apply(rt);
	log_info("checker configuration reloaded: %u virtual_server, %u virtual_server_group, "
		 "%zu distinct checks", conf->n_virtual_servers, conf->n_groups, rt->n_checkers);
	return 0;
}

const struct proc_user *check_script_user(struct check_rt *rt)
{
	return proc_script_user_cached(&rt->script_user, rt->global->script_user,
				       rt->global->script_group);
}

static bool scripts_running(void *arg)
{
	const struct check_rt *rt = &((struct check_child *)arg)->rt;

	for (size_t i = 0; i < rt->n_vs; i++)
		if (rt->vs[i].quorum_script)
			return true;
	return false;
}

static void release(void *arg)
{
	struct check_child *c = arg;
	struct check_rt *rt = &c->rt;
	void (*done)(void *) = c->done;
	void *done_arg = c->done_arg;

	free_servers(rt);
	free(rt->vrrp_states);
	tls_ctx_free(rt->tls);
	alerter_free(rt->alerter);
	ipvs_table_free(&rt->owned);
	if (rt->ipvs)
		ipvs_close(rt->ipvs);
	free(c);
	done(done_arg);
}

/* Checks stop, our IPVS services go (unless -I), and quorum_down scripts
 * of `omega` virtual servers get a few seconds to run before we leave. */
void check_child_stop(struct check_child *c, void (*done)(void *arg), void *arg)
{
	struct check_rt *rt = &c->rt;

	rt->stopping = true;
	check_snmp_stop(rt);
	c->done = done;
	c->done_arg = arg;
	for (size_t i = 0; i < rt->n_checkers; i++)
		free_checker(rt->checkers[i]);
	free(rt->checkers);
	rt->checkers = NULL;
	rt->n_checkers = 0;
	for (size_t i = 0; i < rt->n_vs; i++)
		vs_omega(&rt->vs[i]);
	check_ipvs_release(rt);
	check_sync_stop(rt);
	ev_wait_start(rt->loop, &c->stopping, scripts_running, STOP_SCRIPT_WAIT_US, release, c);
}

struct check_rt *check_child_rt(struct check_child *c)
{
	return &c->rt;
}
