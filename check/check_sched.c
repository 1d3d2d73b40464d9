/* When each checker runs, and what its results mean.  A checker runs every
 * delay_loop; a failure of a server that is up is retried `retry` times,
 * delay_before_retry apart, before the server is declared down; one success
 * brings it back.  Every outcome goes through check_done(), which logs the
 * named reason when the state flips. */
#include "config.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <unistd.h>

#include "check_rt.h"
#include "log.h"

static const char *const result_names[CHECK_RESULTS] = {
	[CHECK_OK] = "success",
	[CHECK_CONNECT_REFUSED] = "connection refused",
	[CHECK_CONNECT_TIMEOUT] = "connection timed out",
	[CHECK_UNREACHABLE] = "unreachable",
	[CHECK_CONNECT_ERROR] = "connection failed",
	[CHECK_SOCKET_ERROR] = "socket error",
	[CHECK_BIND_ERROR] = "cannot bind the source address",
	[CHECK_SCRIPT_FAILED] = "script failed",
	[CHECK_SCRIPT_TIMEOUT] = "script timed out",
	[CHECK_SCRIPT_REFUSED] = "script not run",
	[CHECK_HTTP_STATUS] = "unexpected HTTP status",
	[CHECK_HTTP_DIGEST] = "digest mismatch",
	[CHECK_HTTP_REGEX] = "regex mismatch",
	[CHECK_HTTP_BAD_REGEX] = "invalid regex",
	[CHECK_HTTP_PROTOCOL] = "bad HTTP response",
	[CHECK_HTTP_TIMEOUT] = "HTTP response timed out",
	[CHECK_TLS_FAILED] = "TLS failure",
	[CHECK_TLS_VERIFY] = "certificate not verified",
};

const char *check_result_name(enum check_result r)
{
	return r < CHECK_RESULTS ? result_names[r] : "unknown";
}

static void attempt(struct ev_loop *loop, void *arg)
{
	struct checker_rt *c = arg;

	if (c->running || c->rt->stopping)
		return;
	c->running = true;
	c->attempts++;
	c->started_us = ev_now_us(loop);
	switch (c->conf->type) {
	case CHECKER_TCP:
		tcp_check_begin(c);
		break;
	case CHECKER_HTTP:
	case CHECKER_SSL:
		http_check_begin(c);
		break;
	case CHECKER_MISC:
		misc_check_begin(c);
		break;
	}
}

/* The first attempt comes at a random point of the first delay_loop (or
 * of warmup when set), so a thousand servers are not checked at once. */
static uint64_t first_delay(const struct checker_conf *cc)
{
	uint64_t span = cc->warmup_us ? cc->warmup_us : cc->delay_loop_us;

	return span ? (uint64_t)random() % span : 0;
}

void checker_init(struct checker_rt *c, struct check_rt *rt, const struct checker_conf *cc)
{
	c->rt = rt;
	c->conf = cc;
	c->fd = -1;
	c->dyn_weight = -1;
	c->up = !cc->alpha;		/* alpha: a server starts as failed */
	ev_timer_init(&c->timer, attempt, c);
	ev_timer_init(&c->deadline, NULL, c);
}

void checker_start(struct checker_rt *c, bool first)
{
	uint64_t delay = first ? first_delay(c->conf) : c->conf->delay_loop_us;

	ev_now_update(c->rt->loop);	/* start or reload: maybe after a long parse */
	ev_timer_arm_coarse(c->rt->loop, &c->timer, delay, CHECK_GRAIN_US);
}

void checker_stop(struct checker_rt *c)
{
	ev_timer_disarm(c->rt->loop, &c->timer);
	if (c->running) {
		tcp_check_abort(c);
		http_check_abort(c);
		misc_check_abort(c);
		c->running = false;
	}
}

static void set_up(struct checker_rt *c, bool up)
{
	c->up = up;
	for (size_t i = 0; i < c->n_subs; i++)
		rs_update(c->subs[i]);
}

void check_done(struct checker_rt *c, enum check_result r, const char *detail)
{
	const struct checker_conf *cc = c->conf;
	uint64_t next = cc->delay_loop_us;
	char ip[INET6_ADDRSTRLEN], what[sizeof(c->last_detail) + 96];

	c->running = false;
	c->last = r;
	snprintf(c->last_detail, sizeof(c->last_detail), "%s", detail ? detail : "");
	if (r == CHECK_OK) {
		c->failures = 0;
		if (!c->up)
			set_up(c, true);
	} else {
		c->failed_attempts++;
		c->failures++;
		bool retrying = c->up && c->failures <= cc->retry;

		snprintf(what, sizeof(what), "%s %s:%u: %s (%s)", checker_type_name(cc->type),
			 ip_addr_str(&cc->connect_ip, ip, sizeof(ip)), cc->connect_port,
			 check_result_name(r), detail ? detail : "");
		/* The failure that changes the state is logged by rs_update;
		 * log_all_failures (keepalived's) reports the others too. */
		if ((retrying || !c->up) && cc->log_all_failures)
			log_info("%s; failure %u (retry %u)", what, c->failures, cc->retry);
		else if (retrying)
			log_debug("%s; retry %u of %u", what, c->failures, cc->retry);
		if (retrying)
			next = cc->delay_before_retry_us;
		else if (c->up)
			set_up(c, false);
	}
	if (!c->rt->stopping)
		ev_timer_arm_coarse(c->rt->loop, &c->timer, next, CHECK_GRAIN_US);
}
