/* The checker child's runtime: what exists while health checks run.
 * Internal to check/; nothing outside includes it.
 *
 *   check_child.c   start, reload (carrying health state over), stop
 *   check_sched.c   when each checker runs, retries, the one result funnel
 *   check_tcp.c     TCP_CHECK: a non-blocking connect (HTTP_GET's too)
 *   check_misc.c    MISC_CHECK: a program decides
 *   check_http.c    HTTP_GET and SSL_GET: fetch urls, judge status, digest, regex
 *   check_tls.c     SSL_GET's TLS sessions (shared with genhash)
 *   check_vs.c      real server and virtual server state: up/down, notify
 *                   scripts, quorum with hysteresis, sorry server
 *   check_ipvs.c    the desired IPVS table and its reconciliation
 *   check_alert.c   e-mail alerts of real server state changes
 *
 * Deciding (check_vs.c) and writing kernel state (check_ipvs.c) live in
 * different files. */
#ifndef KA_CHECK_RT_H
#define KA_CHECK_RT_H

#include <stdbool.h>
#include <stdint.h>

#include "alert.h"
#include "check_conf.h"
#include "check_snmp.h"
#include "event.h"
#include "ipvs/ipvs.h"
#include "ipvs/ipvs_reconcile.h"
#include "keepalived/global_conf.h"
#include "proc.h"

/* Every check ends in one of these; the log says which. */
enum check_result {
	CHECK_OK,
	CHECK_CONNECT_REFUSED,
	CHECK_CONNECT_TIMEOUT,
	CHECK_UNREACHABLE,
	CHECK_CONNECT_ERROR,
	CHECK_SOCKET_ERROR,
	CHECK_BIND_ERROR,
	CHECK_SCRIPT_FAILED,		/* MISC_CHECK exited non-zero (1, or 2..255 without misc_dynamic) */
	CHECK_SCRIPT_TIMEOUT,		/* MISC_CHECK killed at misc_timeout */
	CHECK_SCRIPT_REFUSED,		/* cannot start it, or enable_script_security refused it */
	/* HTTP_GET/SSL_GET, CHECK_HTTP_STATUS to CHECK_TLS_VERIFY in a row (check_vs.c) */
	CHECK_HTTP_STATUS,		/* HTTP_GET: status outside the url's ranges */
	CHECK_HTTP_DIGEST,		/* HTTP_GET: MD5 of the body differs */
	CHECK_HTTP_REGEX,		/* HTTP_GET: regex (not) matched, or regexec failed */
	CHECK_HTTP_BAD_REGEX,		/* HTTP_GET: the configured regex does not compile */
	CHECK_HTTP_PROTOCOL,		/* HTTP_GET: unusable response (parser's reason) */
	CHECK_HTTP_TIMEOUT,		/* HTTP_GET: connected, but no full response in time */
	CHECK_TLS_FAILED,		/* SSL_GET: no TLS context, handshake or stream error */
	CHECK_TLS_VERIFY,		/* SSL_GET: the certificate does not verify against ca */
	CHECK_RESULTS
};

const char *check_result_name(enum check_result r);

struct check_rt;
struct rs_rt;
struct http_attempt;
struct ssl_ctx_st;

/* One checker (a TCP_CHECK block).  Identical checkers of the same real
 * server in several virtual servers are one checker_rt feeding them all. */
struct checker_rt {
	struct check_rt *rt;
	const struct checker_conf *conf;
	struct rs_rt **subs;		/* real servers whose health this feeds */
	size_t n_subs;
	struct ev_timer timer;		/* next attempt */
	struct ev_timer deadline;	/* connect_timeout of the attempt in flight */
	bool running;			/* an attempt is in flight */
	int fd;				/* TCP_CHECK/HTTP_GET socket, -1 */
	struct http_attempt *http;	/* HTTP_GET attempt in flight, NULL */
	struct proc *proc;		/* MISC_CHECK program running */
	int dyn_weight;			/* misc_dynamic: weight from the exit code, -1 none */
	bool up;
	unsigned failures;		/* consecutive failed attempts */
	uint64_t started_us;		/* of the attempt in flight */
	enum check_result last;
	char last_detail[96];
	uint64_t attempts, failed_attempts;
	bool mark;			/* reload: still used */
};

struct rs_rt {
	struct vs_rt *vs;
	const struct real_server_conf *conf;
	struct checker_rt **checkers;
	size_t n_checkers;
	bool up;			/* every checker up (none: always up) */
	bool known;			/* state reported at least once */
	struct proc *notify;		/* notify_up / notify_down running */
};

struct vs_rt {
	struct check_rt *rt;
	const struct virtual_server_conf *conf;
	struct rs_rt *rs;
	size_t n_rs;
	bool quorum_ok;
	bool quorum_known;
	struct proc *quorum_script;
	char name[96];			/* "TCP 10.0.0.1:80", "FWM 7", "group web" */
};

struct check_rt {
	struct ev_loop *loop;
	const struct check_conf *conf;
	const struct global_conf *global;
	struct ipvs *ipvs;		/* NULL when the kernel has no IPVS */
	struct vs_rt *vs;
	size_t n_vs;
	struct checker_rt **checkers;
	size_t n_checkers;
	struct ipvs_table owned;	/* services we put in the kernel */
	struct ssl_ctx_st *tls;		/* SSL_GET's client context, NULL: none/broken */
	char tls_error[512];		/* why tls is NULL when an SSL_GET needs it */
	struct ev_timer reconcile_timer;	/* periodic pass, reads the kernel */
	struct ev_timer request_timer;		/* pass after a change, diffs `owned` */
	bool ipvs_model_valid;			/* `owned` is what the kernel has of ours */
	uint64_t full_pass_us;			/* cost of the last pass that read the kernel */
	uint64_t reconciles;
	struct proc_script_user_cache script_user;	/* through check_script_user() */
	struct alerter *alerter;	/* NULL: out of memory, no alerts */
	bool keep_ipvs;			/* -I: leave our services on stop */
	/* The last state (enum vrrp_state) of each VRRP instance, as the
	 * parent passed it on; lvs_sync_daemon follows one of them. */
	struct { char name[CHECK_NAME_MAX + 1]; unsigned state; } *vrrp_states;
	size_t n_vrrp_states;
	bool sync_started;		/* we run sync daemons */
	struct check_snmp *snmp;	/* SNMP subagent (check_snmp.c), NULL: off */
	bool stopping;
};

/* Checks fall due on a grid of this step (ev_timer_arm_coarse), so the
 * checks of a thousand real servers start in batches, one wake of the
 * event loop for each batch instead of one for each check.  A check starts
 * at most this late, nothing next to a delay_loop of a second or more. */
#define CHECK_GRAIN_US	10000

/* check_sched.c */
void checker_init(struct checker_rt *c, struct check_rt *rt, const struct checker_conf *cc);
void checker_start(struct checker_rt *c, bool first);
void checker_stop(struct checker_rt *c);
void check_done(struct checker_rt *c, enum check_result r, const char *detail);

/* check_tcp.c: begin an attempt; the result reaches check_done(). */
void tcp_check_begin(struct checker_rt *c);
void tcp_check_abort(struct checker_rt *c);

/* The connect of TCP_CHECK and HTTP_GET (check_tcp.c). */
enum check_result check_connect_start(struct checker_rt *c, ev_io_fn *ready, int *err);
enum check_result check_connect_result(int fd, int *err);
void check_connect_close(struct checker_rt *c);

/* check_http.c: HTTP_GET and SSL_GET, the same way. */
void http_check_begin(struct checker_rt *c);
void http_check_abort(struct checker_rt *c);

/* check_misc.c: MISC_CHECK, the same way. */
void misc_check_begin(struct checker_rt *c);
void misc_check_abort(struct checker_rt *c);
/* What an exit `code` (-1: killed by a signal) means: 0 is up (*weight
 * -1: the configured one); with `dynamic`, 2..255 is up with *weight code
 * - 2; anything else, or a timeout, is down (*weight unchanged).  Pure. */
enum check_result misc_verdict(int code, bool timed_out, bool dynamic, int *weight);

/* check_vs.c */
void rs_update(struct rs_rt *rs);
void vs_update(struct vs_rt *vs);
void vs_omega(struct vs_rt *vs);	/* stop: cancel scripts; omega: quorum_down */
/* The weight a live real server has now: misc_dynamic's, else configured. */
unsigned rs_weight(const struct rs_rt *rs);
void vs_describe(const struct virtual_server_conf *v, char *buf, size_t len);
const char *rs_describe(const struct rs_rt *rs, char *buf, size_t len);
/* Why `rs` is down ("TCP_CHECK 10.1.0.3:80: connection refused"), or "all
 * checks pass".  Returns buf. */
const char *rs_failing_reason(const struct rs_rt *rs, char *buf, size_t len);

/* check_alert.c: mail a real server's new state (rs->up) when smtp_alert
 * asks for it; `why` is the failing check, or "all checks pass". */
void check_alert_rs(const struct rs_rt *rs, const char *why);

/* check_ipvs.c */
void check_ipvs_init(struct check_rt *rt);
/* The table the kernel should have now (t is initialised here).  0 or
 * -ENOMEM.  Pure: exposed for the unit tests. */
int check_ipvs_desired(const struct check_rt *rt, struct ipvs_table *t);
void check_ipvs_request(struct check_rt *rt);	/* reconcile soon (coalesced) */
void check_ipvs_reconcile(struct check_rt *rt);	/* now, against the kernel's table */
void check_ipvs_set_timeouts(struct check_rt *rt);
void check_ipvs_release(struct check_rt *rt);	/* remove our services (stop) */

/* check_child.c: the runtime inside the child's handle. */
struct check_child;
struct check_rt *check_child_rt(struct check_child *c);
/* The global_defs script user (or keepalived_script, or root), looked up
 * at the first call after a start or reload. */
const struct proc_user *check_script_user(struct check_rt *rt);

/* check_sync.c: run the kernel's sync daemons lvs_sync_daemon asks for. */
void check_sync_apply(struct check_rt *rt);
void check_sync_stop(struct check_rt *rt);

#endif
