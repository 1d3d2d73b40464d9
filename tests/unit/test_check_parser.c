/* The checker configuration through the daemon's real entry points: a full
 * keepalived-style LVS file with every field checked, the defaults and the
 * inheritance of checker settings, HTTP_GET/SSL_GET/MISC_CHECK and the SSL
 * block read in full, and every error and warning with its exact position. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "keepalived/ka_conf.h"
#include "conf_fixture.h"
#include "unit_util.h"

/* Parse `text` and keep the result even when it has errors, to look at
 * what blocks that are refused were read as. */
static struct ka_config *parse(struct fx *f, const char *text)
{
	char *path = ut_write(f->dir, "keepalived.conf", text);
	struct snapshot *snap = snapshot_recorder();

	cfx_reset(f);
	assert_non_null(snap);
	f->c = config_parse(snap, path, &f->d);
	snapshot_free(snap);
	free(path);
	assert_non_null(f->c);
	return f->c;
}

static const char *addr_str(const struct ip_addr *a)
{
	static char buf[INET6_ADDRSTRLEN];

	return ip_addr_str(a, buf, sizeof(buf));
}

#define S(x) ((x) * 1000000ull)

static const char FULL[] =
	"global_defs {\n"
	"  router_id LB_1\n"
	"  lvs_timeouts tcp 7200 tcpfin 120 udp 300\n"
	"  lvs_sync_daemon eth1 VI_1 id 5 maxlen 1400 port 8849 ttl 2 group 239.1.2.3\n"
	"  lvs_flush_on_stop VS\n"
	"}\n"
	"vrrp_instance VI_1 {\n"				/* 7 */
	"  interface eth1\n  virtual_router_id 51\n"
	"  virtual_ipaddress {\n    10.10.10.2\n  }\n"
	"}\n"
	"virtual_server_group WEB {\n"				/* 14 */
	"  192.168.10.1-3 80\n"
	"  192.168.10.10 443\n"
	"  fwmark 9\n"
	"}\n"
	"virtual_server 10.10.10.2 1358 {\n"			/* 19 */
	"  delay_loop 6\n  lb_algo rr\n  lb_kind NAT\n"
	"  persistence_timeout 50\n  persistence_granularity 255.255.255.0\n"
	"  protocol TCP\n  quorum 2\n  hysteresis 1\n"
	"  quorum_up \"/usr/local/bin/quorum.sh up\" root\n"
	"  quorum_down /usr/local/bin/quorum_down.sh\n"
	"  alpha\n  omega\n  inhibit_on_failure\n"
	"  sorry_server 192.168.200.200 1358\n  sorry_server_inhibit\n"
	"  virtualhost www.example.com\n  connect_timeout 4\n"
	"  real_server 192.168.200.2 1358 {\n"			/* 37 */
	"    weight 3\n    uthreshold 100\n    lthreshold 50\n"
	"    notify_up \"/usr/local/bin/rs.sh up\"\n"
	"    notify_down /usr/local/bin/rs_down.sh root root\n"
	"    TCP_CHECK {\n"
	"      connect_port 1359\n      bindto 192.168.200.1\n      bind_port 40000\n"
	"      retry 3\n      delay_before_retry 2\n      warmup 0\n"
	"    }\n"
	"    TCP_CHECK {\n"
	"      connect_ip 192.168.200.3\n      connect_timeout 1.5\n      alpha no\n"
	"    }\n"
	"  }\n"
	"  real_server 192.168.200.4 1358 {\n"
	"    inhibit_on_failure off\n"
	"    TCP_CHECK {\n    }\n"
	"  }\n"
	"}\n"
	"virtual_server 10.10.10.3 80 {\n"
	"  lvs_sched sh\n  sh-port\n  sh-fallback\n  lvs_method DR\n  protocol udp\n  ops\n"
	"  real_server 192.168.201.1 80 {\n    weight 0\n    TCP_CHECK {\n    }\n  }\n"
	"  real_server 192.168.201.2 {\n    lvs_method TUN type ipip nocsum\n  }\n"
	"}\n"
	"virtual_server fwmark 1 {\n"
	"  lvs_method DR\n  delay_loop 2.5\n"
	"  real_server 192.168.201.5 {\n    TCP_CHECK {\n      connect_port 80\n    }\n  }\n"
	"}\n"
	"virtual_server group WEB {\n"
	"  protocol TCP\n  lvs_sched wrr\n"
	"  real_server 192.168.202.1 80 {\n    weight 5\n  }\n"
	"  real_server 192.168.202.2 { }\n"
	"}\n";

static void check_full_globals(const struct check_conf *c)
{
	const struct lvs_sync_daemon_conf *s = &c->globals.sync;

	assert_int_equal(c->globals.timeouts.tcp, 7200);
	assert_int_equal(c->globals.timeouts.tcpfin, 120);
	assert_int_equal(c->globals.timeouts.udp, 300);
	assert_true(c->globals.lvs_flush_on_stop);
	assert_true(s->enabled);
	assert_string_equal(s->ifname, "eth1");
	assert_string_equal(s->vrrp_instance, "VI_1");
	assert_non_null(strstr(s->vrrp_instance_file, "keepalived.conf"));
	assert_int_equal(s->vrrp_instance_line, 4);
	assert_int_equal(s->vrrp_instance_col, 24);
	assert_true(s->has_syncid);
	assert_int_equal(s->syncid, 5);
	assert_int_equal(s->maxlen, 1400);
	assert_int_equal(s->port, 8849);
	assert_int_equal(s->ttl, 2);
	assert_string_equal(addr_str(&s->group), "239.1.2.3");
	assert_null(c->refs);
	assert_int_equal(c->n_groups, 1);
	assert_string_equal(c->groups[0].name, "WEB");
	assert_int_equal(c->groups[0].n_entries, 3);
	assert_string_equal(addr_str(&c->groups[0].entries[0].first), "192.168.10.1");
	assert_string_equal(addr_str(&c->groups[0].entries[0].last), "192.168.10.3");
	assert_int_equal(c->groups[0].entries[0].port, 80);
	assert_false(c->groups[0].entries[0].is_fwmark);
	assert_string_equal(addr_str(&c->groups[0].entries[1].last), "192.168.10.10");
	assert_int_equal(c->groups[0].entries[1].port, 443);
	assert_true(c->groups[0].entries[2].is_fwmark);
	assert_int_equal(c->groups[0].entries[2].fwmark, 9);
	assert_int_equal(c->groups[0].entries[2].family, AF_UNSPEC);
	assert_ptr_equal(check_conf_group(c, "WEB"), &c->groups[0]);
	assert_null(check_conf_group(c, "WEBX"));
}

static void check_full_nat(const struct virtual_server_conf *vs)
{
	assert_int_equal(vs->kind, VS_ADDR);
	assert_string_equal(addr_str(&vs->addr), "10.10.10.2");
	assert_int_equal(vs->port, 1358);
	assert_int_equal(vs->family, AF_INET);
	assert_int_equal(vs->protocol, IPPROTO_TCP);
	assert_true(vs->protocol_set);
	assert_string_equal(vs->sched, "rr");
	assert_int_equal(vs->sched_flags, 0);
	assert_false(vs->ops);
	assert_int_equal(vs->method, LVS_NAT);
	assert_int_equal(vs->persistence_timeout, 50);
	assert_int_equal(vs->persistence_granularity, 24);
	assert_string_equal(vs->pe_name, "");
	assert_int_equal(vs->delay_loop_us, S(6));
	assert_int_equal(vs->quorum, 2);
	assert_int_equal(vs->hysteresis, 1);
	assert_string_equal(vs->quorum_up.cmd, "/usr/local/bin/quorum.sh up");
	assert_non_null(vs->quorum_up.as);
	assert_string_equal(vs->quorum_up.as->user, "root");
	assert_string_equal(vs->quorum_down.cmd, "/usr/local/bin/quorum_down.sh");
	assert_null(vs->quorum_down.as);
	assert_true(vs->alpha);
	assert_true(vs->omega);
	assert_false(vs->ha_suspend);
	assert_int_equal(vs->smtp_alert, CHECK_SMTP_UNSET);
	assert_string_equal(vs->virtualhost, "www.example.com");
	assert_true(vs->inhibit_on_failure);
	assert_true(vs->has_sorry_server);
	assert_string_equal(addr_str(&vs->sorry.addr), "192.168.200.200");
	assert_int_equal(vs->sorry.port, 1358);
	assert_int_equal(vs->sorry.method, LVS_NAT);
	assert_true(vs->sorry.inhibit);
	assert_int_equal(vs->n_real_servers, 2);
}

static void check_full_nat_servers(const struct virtual_server_conf *vs)
{
	const struct real_server_conf *rs = &vs->real_servers[0];
	const struct checker_conf *k = &rs->checkers[0];

	assert_string_equal(addr_str(&rs->addr), "192.168.200.2");
	assert_int_equal(rs->port, 1358);
	assert_int_equal(rs->weight, 3);
	assert_int_equal(rs->uthreshold, 100);
	assert_int_equal(rs->lthreshold, 50);
	assert_int_equal(rs->method, LVS_NAT);
	assert_true(rs->inhibit_on_failure);
	assert_true(rs->alpha);
	assert_string_equal(rs->notify_up.cmd, "/usr/local/bin/rs.sh up");
	assert_string_equal(rs->notify_down.cmd, "/usr/local/bin/rs_down.sh");
	assert_null(rs->notify_up.as);
	assert_non_null(rs->notify_down.as);
	assert_string_equal(rs->notify_down.as->user, "root");
	assert_string_equal(rs->notify_down.as->group, "root");
	assert_int_equal(rs->n_checkers, 2);
	assert_int_equal(k->type, CHECKER_TCP);
	assert_string_equal(addr_str(&k->connect_ip), "192.168.200.2");
	assert_int_equal(k->connect_port, 1359);
	assert_true(k->has_bindto);
	assert_string_equal(addr_str(&k->bindto), "192.168.200.1");
	assert_int_equal(k->bind_port, 40000);
	assert_int_equal(k->connect_timeout_us, S(4));		/* the virtual server's */
	assert_int_equal(k->retry, 3);
	assert_int_equal(k->delay_before_retry_us, S(2));
	assert_int_equal(k->delay_loop_us, S(6));
	assert_int_equal(k->warmup_us, 0);
	assert_true(k->alpha);
	k = &rs->checkers[1];
	assert_string_equal(addr_str(&k->connect_ip), "192.168.200.3");
	assert_int_equal(k->connect_port, 1358);
	assert_false(k->has_bindto);
	assert_int_equal(k->connect_timeout_us, 1500000);
	assert_int_equal(k->retry, 1);
	assert_int_equal(k->delay_before_retry_us, S(1));
	assert_int_equal(k->warmup_us, S(6));
	assert_false(k->alpha);
	rs = &vs->real_servers[1];
	assert_false(rs->inhibit_on_failure);
	assert_int_equal(rs->weight, 1);
	assert_null(rs->notify_up.cmd);
	assert_int_equal(rs->n_checkers, 1);
	assert_int_equal(rs->checkers[0].connect_timeout_us, S(4));
}

static void check_full_others(const struct check_conf *c)
{
	const struct virtual_server_conf *vs = &c->virtual_servers[1];

	assert_int_equal(vs->protocol, IPPROTO_UDP);
	assert_string_equal(vs->sched, "sh");
	assert_int_equal(vs->sched_flags, CHECK_SCHED_FLAG1 | CHECK_SCHED_FLAG2);
	assert_true(vs->ops);
	assert_int_equal(vs->method, LVS_DR);
	assert_int_equal(vs->delay_loop_us, S(60));
	assert_int_equal(vs->real_servers[0].weight, 0);
	assert_int_equal(vs->real_servers[0].method, LVS_DR);
	assert_int_equal(vs->real_servers[1].port, 80);
	assert_int_equal(vs->real_servers[1].method, LVS_TUN);
	assert_int_equal(vs->real_servers[1].n_checkers, 0);
	vs = &c->virtual_servers[2];
	assert_int_equal(vs->kind, VS_FWMARK);
	assert_int_equal(vs->fwmark, 1);
	assert_int_equal(vs->family, AF_INET);
	assert_false(vs->protocol_set);
	assert_int_equal(vs->real_servers[0].port, 0);
	assert_int_equal(vs->real_servers[0].checkers[0].connect_port, 80);
	assert_int_equal(vs->real_servers[0].checkers[0].delay_loop_us, 2500000);
	assert_int_equal(vs->real_servers[0].checkers[0].warmup_us, 2500000);
	vs = &c->virtual_servers[3];
	assert_int_equal(vs->kind, VS_GROUP);
	assert_int_equal(vs->group, 0);
	assert_int_equal(vs->family, AF_INET);
	assert_string_equal(vs->sched, "wrr");
	assert_int_equal(vs->real_servers[0].port, 80);
	assert_int_equal(vs->real_servers[0].weight, 5);
	assert_int_equal(vs->real_servers[1].port, 0);
}

static void test_full_config(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = cfx_load(f, FULL);

	if (!c)
		ut_print_diags(&f->d);
	assert_non_null(c);
	ut_assert_counts(&f->d, 0, 0);
	assert_true(config_wants_checker(c));
	assert_int_equal(c->check.n_virtual_servers, 4);
	check_full_globals(&c->check);
	check_full_nat(&c->check.virtual_servers[0]);
	check_full_nat_servers(&c->check.virtual_servers[0]);
	check_full_others(&c->check);
	assert_string_equal(lvs_method_name(LVS_TUN), "TUN");
	assert_string_equal(check_protocol_name(IPPROTO_SCTP), "SCTP");
	assert_string_equal(checker_type_name(CHECKER_MISC), "MISC_CHECK");
}

static void test_defaults(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = cfx_load(f,
		"virtual_server 10.0.0.1 80 {\n  protocol TCP\n"
		"  real_server 10.0.0.2 80 {\n    TCP_CHECK {\n    }\n  }\n}\n");
	const struct virtual_server_conf *vs;
	const struct checker_conf *k;

	assert_non_null(c);
	ut_assert_counts(&f->d, 0, 0);
	assert_int_equal(c->check.globals.timeouts.tcp, 0);
	assert_false(c->check.globals.sync.enabled);
	assert_int_equal(c->check.globals.sync.port, 8848);
	assert_string_equal(addr_str(&c->check.globals.sync.group), "224.0.0.81");
	assert_false(c->check.globals.lvs_flush_on_stop);
	vs = &c->check.virtual_servers[0];
	assert_string_equal(vs->sched, "wlc");
	assert_int_equal(vs->method, LVS_NAT);
	assert_int_equal(vs->delay_loop_us, S(60));
	assert_int_equal(vs->quorum, 1);
	assert_int_equal(vs->hysteresis, 0);
	assert_int_equal(vs->persistence_timeout, 0);
	assert_int_equal(vs->persistence_granularity, 0);
	assert_false(vs->alpha);
	assert_false(vs->inhibit_on_failure);
	assert_false(vs->has_sorry_server);
	assert_null(vs->virtualhost);
	assert_int_equal(vs->real_servers[0].weight, 1);
	assert_int_equal(vs->real_servers[0].uthreshold, 0);
	assert_int_equal(vs->real_servers[0].smtp_alert, CHECK_SMTP_UNSET);
	k = &vs->real_servers[0].checkers[0];
	assert_string_equal(addr_str(&k->connect_ip), "10.0.0.2");
	assert_int_equal(k->connect_port, 80);
	assert_int_equal(k->connect_timeout_us, S(5));
	assert_int_equal(k->retry, 1);
	assert_int_equal(k->delay_before_retry_us, S(1));
	assert_int_equal(k->delay_loop_us, S(60));
	assert_int_equal(k->warmup_us, S(60));
	assert_int_equal(k->fwmark, 0);
	assert_false(k->alpha);
	/* A real server without a port takes the virtual server's. */
	c = cfx_load(f, "virtual_server 10.0.0.1 443 {\n  protocol TCP\n"
		 "  real_server 10.0.0.2 { }\n  persistence_timeout\n}\n");
	assert_non_null(c);
	assert_int_equal(c->check.virtual_servers[0].real_servers[0].port, 443);
	assert_int_equal(c->check.virtual_servers[0].persistence_timeout, 360);
}

/* What the supervisor tests start the checker child with. */
static void test_minimal_virtual_server(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = cfx_load(f, "virtual_server 10.99.0.100 80 {\n}\n");

	assert_non_null(c);
	cfx_expect(f, "1:1: warning: protocol not set: TCP assumed");
	cfx_expect(f, "1:1: warning: virtual_server 10.99.0.100 80 has no real_server");
	ut_assert_counts(&f->d, 0, 2);
	assert_true(config_wants_checker(c));
	assert_int_equal(c->check.n_virtual_servers, 1);
	assert_int_equal(c->check.n_groups, 0);
}

/* Checker settings come from the checker, else its real server, else its
 * virtual server, wherever in the block they are written. */
static void test_inheritance(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = parse(f,
		"virtual_server fwmark 3 {\n"
		"  real_server 10.0.0.2 {\n"
		"    retry 4\n"
		"    virtualhost rs.example\n"
		"    HTTP_GET {\n      url {\n        path /\n      }\n      connect_port 80\n"
		"      warmup 1\n    }\n"
		"    SSL_GET {\n      url {\n        path /\n      }\n      connect_port 443\n"
		"      virtualhost own.example\n      retry 0\n    }\n"
		"    delay_loop 3\n"
		"  }\n"
		"  delay_loop 10\n  delay_before_retry 7\n  connect_timeout 2\n  alpha\n"
		"  virtualhost vs.example\n  ip_family inet\n"
		"}\n");
	const struct checker_conf *http, *ssl;

	ut_assert_counts(&f->d, 0, 0);
	http = &c->check.virtual_servers[0].real_servers[0].checkers[0];
	ssl = &c->check.virtual_servers[0].real_servers[0].checkers[1];
	assert_int_equal(http->retry, 4);
	assert_int_equal(http->delay_loop_us, S(3));
	assert_int_equal(http->warmup_us, S(1));
	assert_int_equal(http->delay_before_retry_us, S(7));
	assert_int_equal(http->connect_timeout_us, S(2));
	assert_true(http->alpha);
	assert_string_equal(http->http.virtualhost, "rs.example");
	assert_int_equal(ssl->retry, 0);
	assert_int_equal(ssl->warmup_us, S(3));
	assert_string_equal(ssl->http.virtualhost, "own.example");
	assert_int_equal(c->check.virtual_servers[0].delay_loop_us, S(10));
	assert_string_equal(c->check.virtual_servers[0].virtualhost, "vs.example");
}

/* SSL_GET, the SSL block and MISC_CHECK are read in full.  The SSL files
 * only have to be readable here (/etc/passwd is). */
static void test_http_ssl_misc(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = parse(f,
		"SSL {\n  password pw\n  ca /etc/passwd\n  certificate /etc/passwd\n"
		"  key /etc/passwd\n}\n"
		"virtual_server 10.0.0.1 443 {\n  protocol TCP\n"
		"  real_server 10.0.0.2 443 {\n"
		"    SSL_GET {\n"
		"      url {\n        path /health?x=1\n"
		"        digest 9B3A0C85A887A256D6939DA88AABD8CD\n"
		"        status_code 200-299 400-499 503\n        virtualhost u.example\n"
		"        regex \"^OK\"\n        regex_no_match\n      }\n"
		"      url {\n        path /mrtg/\n      }\n"
		"      http_protocol 1.0c\n      fast_recovery\n      enable_sni\n"
		"      bindto fe80::1\n      bind_if eth0\n      connect_ip fe80::2\n"
		"      fwmark 7\n      log_all_failures yes\n      nb_get_retry 2\n"
		"      sni_name tls.example\n"
		"    }\n"
		"    MISC_CHECK {\n"
		"      misc_path /usr/local/bin/check.sh -x 1\n      misc_timeout 2\n"
		"      misc_dynamic\n      user root root\n      delay_loop 9\n    }\n"
		"    MISC_CHECK {\n      misc_path \"/bin/true\"\n    }\n"
		"  }\n}\n");
	const struct real_server_conf *rs = &c->check.virtual_servers[0].real_servers[0];
	const struct checker_conf *k = &rs->checkers[0];
	const struct http_url_conf *u = &k->http.urls[0];
	static const uint8_t md5[16] = { 0x9b, 0x3a, 0x0c, 0x85, 0xa8, 0x87, 0xa2, 0x56,
					 0xd6, 0x93, 0x9d, 0xa8, 0x8a, 0xab, 0xd8, 0xcd };

	cfx_expect(f, "30:7: warning: 'nb_get_retry' is an old name of 'retry'; use 'retry'");
	ut_assert_counts(&f->d, 0, 1);
	assert_string_equal(c->check.ssl.password, "pw");
	assert_string_equal(c->check.ssl.ca, "/etc/passwd");
	assert_string_equal(c->check.ssl.certificate, "/etc/passwd");
	assert_string_equal(c->check.ssl.key, "/etc/passwd");
	assert_int_equal(rs->n_checkers, 3);
	assert_int_equal(k->type, CHECKER_SSL);
	assert_int_equal(k->http.n_urls, 2);
	assert_string_equal(u->path, "/health?x=1");
	assert_true(u->has_digest);
	assert_memory_equal(u->digest, md5, 16);
	assert_int_equal(u->n_status, 3);
	assert_int_equal(u->status[0].lo, 200);
	assert_int_equal(u->status[0].hi, 299);
	assert_int_equal(u->status[2].lo, 503);
	assert_int_equal(u->status[2].hi, 503);
	assert_string_equal(u->virtualhost, "u.example");
	assert_string_equal(u->regex, "^OK");
	assert_true(u->regex_no_match);
	assert_false(k->http.urls[1].has_digest);
	assert_int_equal(k->http.urls[1].n_status, 0);
	assert_null(k->http.urls[1].virtualhost);
	assert_int_equal(k->http.protocol, HTTP_PROTO_1_0C);
	assert_true(k->http.fast_recovery);
	assert_true(k->http.enable_sni);
	assert_string_equal(k->http.sni_name, "tls.example");
	assert_null(k->http.virtualhost);
	assert_string_equal(addr_str(&k->bindto), "fe80::1");
	assert_string_equal(k->bind_if, "eth0");
	assert_string_equal(addr_str(&k->connect_ip), "fe80::2");
	assert_int_equal(k->connect_port, 443);
	assert_int_equal(k->fwmark, 7);
	assert_true(k->log_all_failures);
	assert_int_equal(k->retry, 2);
	assert_int_equal(k->delay_before_retry_us, S(3));	/* HTTP's default */
	k = &rs->checkers[1];
	assert_int_equal(k->type, CHECKER_MISC);
	assert_string_equal(k->misc.path, "/usr/local/bin/check.sh -x 1");
	assert_int_equal(k->misc.timeout_us, S(2));
	assert_true(k->misc.dynamic);
	assert_string_equal(k->misc.as.user, "root");
	assert_string_equal(k->misc.as.group, "root");
	assert_int_equal(k->retry, 0);				/* MISC_CHECK's default */
	k = &rs->checkers[2];
	assert_string_equal(k->misc.path, "/bin/true");
	assert_int_equal(k->misc.timeout_us, S(60));		/* its delay_loop */
	assert_false(k->misc.dynamic);
}

/* What keepalived ignores or adjusts is adjusted the same way, aloud. */
static void test_adjustments(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = cfx_load(f,
		"virtual_server 10.0.0.1 {\n  protocol TCP\n  quorum 1\n  hysteresis 5\n"
		"  real_server 10.0.0.2 { }\n  real_server 10.0.0.3 { }\n}\n"
		"virtual_server fwmark 2 {\n  protocol UDP\n  ha_suspend\n  ops\n"
		"  real_server 10.0.0.2 { }\n}\n");
	const struct virtual_server_conf *vs;

	assert_non_null(c);
	cfx_expect(f, "1:1: warning: a service of all ports needs persistence: persistence_timeout "
	       "360 assumed");
	cfx_expect(f, "4:3: warning: hysteresis 5 is not below quorum 1: 0 used");
	cfx_expect(f, "9:3: warning: protocol is not used by fwmark virtual servers: ignored");
	cfx_expect(f, "10:3: warning: ha_suspend does not apply to fwmark virtual servers: ignored");
	cfx_expect(f, "10:3: warning: ha_suspend is not implemented: checks run whatever the state "
	       "of the virtual address");
	ut_assert_counts(&f->d, 0, 5);
	vs = &c->check.virtual_servers[0];
	assert_int_equal(vs->port, 0);
	assert_int_equal(vs->persistence_timeout, 360);
	assert_int_equal(vs->hysteresis, 0);
	assert_int_equal(vs->real_servers[0].port, 0);
	vs = &c->check.virtual_servers[1];
	assert_false(vs->ha_suspend);
	assert_true(vs->ops);
	/* keepalived wants a block even when it is empty. */
	assert_null(cfx_load(f, "virtual_server 10.0.0.1 80 {\n  protocol TCP\n"
			 "  real_server 10.0.0.2 80\n}\n"));
	cfx_expect(f, "3:3: error: 'real_server' needs a block '{ ... }'");
	cfx_expect(f, "1:1: warning: virtual_server 10.0.0.1 80 has no real_server");
	ut_assert_counts(&f->d, 1, 1);
	/* the same for a group line without a port */
	c = cfx_load(f, "virtual_server_group G {\n  10.0.0.0/30\n}\n"
		 "virtual_server group G {\n  protocol UDP\n  real_server 10.0.0.9 { }\n}\n");
	assert_non_null(c);
	cfx_expect(f, "4:1: warning: a service of all ports needs persistence: persistence_timeout "
	       "360 assumed");
	ut_assert_counts(&f->d, 0, 1);
	assert_int_equal(c->check.virtual_servers[0].persistence_timeout, 360);
}

static void test_groups(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = cfx_load(f,
		"virtual_server_group G {\n  2001:db8::2-1f 80\n  10.1.0.0/30\n"
		"  10.2.0.250-10.2.1.5 8080\n  fwmark 4 inet6\n}\n"
		"virtual_server group G {\n  protocol SCTP\n  persistence_timeout 60\n"
		"  real_server 2001:db8::100 80 {\n    lvs_method TUN\n  }\n"
		"  real_server 10.0.0.9 80 {\n    lvs_method TUN\n  }\n}\n");
	const struct vs_group_conf *g;

	if (!c)
		ut_print_diags(&f->d);
	assert_non_null(c);
	ut_assert_counts(&f->d, 0, 0);
	g = &c->check.groups[0];
	assert_string_equal(addr_str(&g->entries[0].first), "2001:db8::2");
	assert_string_equal(addr_str(&g->entries[0].last), "2001:db8::1f");
	assert_int_equal(g->entries[0].family, AF_INET6);
	assert_string_equal(addr_str(&g->entries[1].first), "10.1.0.0");
	assert_string_equal(addr_str(&g->entries[1].last), "10.1.0.3");
	assert_int_equal(g->entries[1].port, 0);
	assert_string_equal(addr_str(&g->entries[2].last), "10.2.1.5");
	assert_int_equal(g->entries[3].family, AF_INET6);
	assert_int_equal(c->check.virtual_servers[0].protocol, IPPROTO_SCTP);
	assert_int_equal(c->check.virtual_servers[0].family, AF_INET6);
}

/* `inst` may be written; without an instance both daemons run. */
static void test_sync_daemon_forms(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c;

	c = cfx_load(f, "global_defs {\n  lvs_sync_daemon eth2 inst VI_9 group ff02::1234\n"
		 "  lvs_timeouts udp 60\n}\n"
		 "vrrp_instance VI_9 {\n  interface eth2\n  virtual_router_id 9\n"
		 "  virtual_ipaddress {\n    10.0.0.9\n  }\n}\n");
	assert_non_null(c);
	assert_string_equal(c->check.globals.sync.vrrp_instance, "VI_9");
	assert_false(c->check.globals.sync.has_syncid);
	assert_string_equal(addr_str(&c->check.globals.sync.group), "ff02::1234");
	assert_int_equal(c->check.globals.timeouts.udp, 60);
	assert_int_equal(c->check.globals.timeouts.tcp, 0);
	c = cfx_load(f, "global_defs {\n  lvs_sync_daemon eth2 port 9000\n}\n");
	assert_non_null(c);
	assert_string_equal(c->check.globals.sync.vrrp_instance, "");
	assert_null(c->check.globals.sync.vrrp_instance_file);
	assert_int_equal(c->check.globals.sync.port, 9000);
	assert_false(config_wants_checker(c));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, cfx_setup, cfx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_full_config),
		T(test_defaults),
		T(test_minimal_virtual_server),
		T(test_inheritance),
		T(test_http_ssl_misc),
		T(test_adjustments),
		T(test_sync_daemon_forms),
		T(test_groups),
	};

	return cmocka_run_group_tests_name("check_parser", tests, NULL, NULL);
}
