/* What the checker child tells about itself: the status report the
 * control socket serves (JSON, or one line per object) and the SIGUSR1 /
 * SIGUSR2 dumps.  Read-only over the runtime. */
#include "config.h"

#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>

#include "check_child.h"
#include "check_rt.h"
#include "json_out.h"

#define TARGET_LEN (INET6_ADDRSTRLEN + 8)
#define REASON_LEN 320

static const char *rs_state(const struct rs_rt *rs)
{
	if (!rs->known)
		return "unknown";
	return rs->up ? "up" : "down";
}

/* The weight the real server has in the desired IPVS table: 0 while down
 * (removed, or kept at 0 with inhibit_on_failure). */
static unsigned weight_in_effect(const struct rs_rt *rs)
{
	return rs->known && rs->up ? rs_weight(rs) : 0;
}

static const char *quorum_state(const struct vs_rt *vs)
{
	if (!vs->quorum_known)
		return "unknown";
	return vs->quorum_ok ? "up" : "down";
}

/* The result that explains the server's state best: a failing checker's,
 * else the latest of any checker that ran; NULL before any attempt. */
static const struct checker_rt *telling_checker(const struct rs_rt *rs)
{
	const struct checker_rt *ran = NULL;

	for (size_t i = 0; i < rs->n_checkers; i++) {
		const struct checker_rt *c = rs->checkers[i];

		if (!c->up && c->attempts)
			return c;
		if (c->attempts && !ran)
			ran = c;
	}
	return ran;
}

static void rs_totals(const struct rs_rt *rs, uint64_t *attempts, uint64_t *failed)
{
	*attempts = *failed = 0;
	for (size_t i = 0; i < rs->n_checkers; i++) {
		*attempts += rs->checkers[i]->attempts;
		*failed += rs->checkers[i]->failed_attempts;
	}
}

static const char *checker_target(const struct checker_rt *c, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (c->conf->type == CHECKER_MISC)
		snprintf(buf, len, "%s", c->conf->misc.path ? c->conf->misc.path : "");
	else
		snprintf(buf, len, "%s:%u", ip_addr_str(&c->conf->connect_ip, a, sizeof(a)),
			 c->conf->connect_port);
	return buf;
}

static void json_checker(struct json_out *j, const struct checker_rt *c)
{
	char target[REASON_LEN];

	json_begin_object(j, NULL);
	json_string(j, "type", checker_type_name(c->conf->type));
	json_string(j, "target", checker_target(c, target, sizeof(target)));
	json_string(j, "state", c->up ? "up" : "down");
	json_string(j, "last_result", c->attempts ? check_result_name(c->last) : NULL);
	json_string(j, "last_detail", c->attempts ? c->last_detail : NULL);
	json_uint(j, "attempts", c->attempts);
	json_uint(j, "failed_attempts", c->failed_attempts);
	json_uint(j, "consecutive_failures", c->failures);
	json_end_object(j);
}

static void json_real_server(struct json_out *j, const struct rs_rt *rs)
{
	const struct checker_rt *t = telling_checker(rs);
	char who[TARGET_LEN], why[REASON_LEN];
	uint64_t attempts, failed;

	rs_totals(rs, &attempts, &failed);
	json_begin_object(j, NULL);
	json_string(j, "address", rs_describe(rs, who, sizeof(who)));
	json_string(j, "state", rs_state(rs));
	json_uint(j, "weight", weight_in_effect(rs));
	json_uint(j, "configured_weight", rs->conf->weight);
	json_string(j, "last_result", t ? check_result_name(t->last) : NULL);
	json_string(j, "reason", rs_failing_reason(rs, why, sizeof(why)));
	json_uint(j, "attempts", attempts);
	json_uint(j, "failed_attempts", failed);
	json_begin_array(j, "checks");
	for (size_t i = 0; i < rs->n_checkers; i++)
		json_checker(j, rs->checkers[i]);
	json_end_array(j);
	json_end_object(j);
}

static void json_virtual_server(struct json_out *j, const struct vs_rt *vs)
{
	json_begin_object(j, NULL);
	json_string(j, "name", vs->name);
	json_string(j, "quorum_state", quorum_state(vs));
	json_uint(j, "quorum", vs->conf->quorum);
	json_begin_array(j, "real_servers");
	for (size_t i = 0; i < vs->n_rs; i++)
		json_real_server(j, &vs->rs[i]);
	json_end_array(j);
	json_end_object(j);
}

void check_child_report_json(struct check_child *c, struct json_out *j)
{
	const struct check_rt *rt = check_child_rt(c);

	json_begin_object(j, NULL);
	json_bool(j, "ipvs_available", rt->ipvs != NULL);
	json_begin_array(j, "virtual_servers");
	for (size_t i = 0; i < rt->n_vs; i++)
		json_virtual_server(j, &rt->vs[i]);
	json_end_array(j);
	json_end_object(j);
}

void check_child_report_text(struct check_child *c, FILE *out)
{
	const struct check_rt *rt = check_child_rt(c);
	char who[TARGET_LEN], why[REASON_LEN];

	for (size_t i = 0; i < rt->n_vs; i++) {
		const struct vs_rt *vs = &rt->vs[i];

		fprintf(out, "Virtual server %s: quorum %s, %zu real servers\n", vs->name,
			quorum_state(vs), vs->n_rs);
		for (size_t k = 0; k < vs->n_rs; k++) {
			const struct rs_rt *rs = &vs->rs[k];

			fprintf(out, "  Real server %s: %s, weight %u (%s)\n",
				rs_describe(rs, who, sizeof(who)), rs_state(rs),
				weight_in_effect(rs), rs_failing_reason(rs, why, sizeof(why)));
		}
	}
}

static void dump_checker_data(FILE *out, const struct checker_rt *c)
{
	char target[REASON_LEN];

	fprintf(out, "     Checker = %s %s\n", checker_type_name(c->conf->type),
		checker_target(c, target, sizeof(target)));
	fprintf(out, "       State = %s, last result = %s%s%s\n", c->up ? "up" : "down",
		c->attempts ? check_result_name(c->last) : "not checked yet",
		c->last_detail[0] ? ": " : "", c->last_detail);
	fprintf(out, "       Delay loop = %" PRIu64 " sec, connect timeout = %" PRIu64
		" sec, retry = %u\n", c->conf->delay_loop_us / 1000000,
		c->conf->connect_timeout_us / 1000000, c->conf->retry);
}

static void dump_vs_data(FILE *out, const struct vs_rt *vs)
{
	const struct virtual_server_conf *v = vs->conf;
	char who[TARGET_LEN];

	fprintf(out, " Virtual Server = %s\n", vs->name);
	fprintf(out, "   Scheduler = %s, method = %s, persistence timeout = %u\n", v->sched,
		lvs_method_name(v->method), v->persistence_timeout);
	fprintf(out, "   Quorum = %u, hysteresis = %u, state = %s\n", v->quorum, v->hysteresis,
		quorum_state(vs));
	for (size_t k = 0; k < vs->n_rs; k++) {
		const struct rs_rt *rs = &vs->rs[k];

		fprintf(out, "   Real Server = %s\n", rs_describe(rs, who, sizeof(who)));
		fprintf(out, "     State = %s, weight = %u (configured %u)%s\n", rs_state(rs),
			weight_in_effect(rs), rs->conf->weight,
			rs->conf->inhibit_on_failure ? ", inhibit on failure" : "");
		for (size_t i = 0; i < rs->n_checkers; i++)
			dump_checker_data(out, rs->checkers[i]);
	}
}

int check_child_dump_data(struct check_child *c, FILE *out)
{
	const struct check_rt *rt = check_child_rt(c);

	fprintf(out, "------< IPVS Topology >------\n");
	fprintf(out, " IPVS in the kernel = %s\n", rt->ipvs ? "available" : "not available");
	for (size_t i = 0; i < rt->n_vs; i++)
		dump_vs_data(out, &rt->vs[i]);
	return 0;
}

int check_child_dump_stats(struct check_child *c, FILE *out)
{
	const struct check_rt *rt = check_child_rt(c);
	char who[TARGET_LEN];

	fprintf(out, "IPVS reconciliations: %" PRIu64 "\n", rt->reconciles);
	for (size_t i = 0; i < rt->n_vs; i++) {
		const struct vs_rt *vs = &rt->vs[i];

		fprintf(out, "Virtual Server: %s\n", vs->name);
		for (size_t k = 0; k < vs->n_rs; k++) {
			uint64_t attempts, failed;

			rs_totals(&vs->rs[k], &attempts, &failed);
			fprintf(out, "  Real Server: %s\n    Checks: %" PRIu64 "\n"
				"    Failed checks: %" PRIu64 "\n",
				rs_describe(&vs->rs[k], who, sizeof(who)), attempts, failed);
		}
	}
	return 0;
}
