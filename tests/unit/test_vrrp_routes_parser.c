/* Lines of virtual_routes, virtual_rules and the static_* blocks, read
 * through the daemon's real entry point: every field of good lines, the
 * defaults that `ip route add` would apply, and the exact error of each bad
 * word. */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <linux/rtnetlink.h>

#include "keepalived/ka_conf.h"
#include "conf_fixture.h"
#include "unit_util.h"

static const char *addr_str(const struct ip_addr *a)
{
	static char buf[INET6_ADDRSTRLEN];

	return ip_addr_str(a, buf, sizeof(buf));
}

/* An instance whose extra lines start at line 6. */
static const char *inst(const char *body, char *buf, size_t len)
{
	snprintf(buf, len, "vrrp_instance V {\n  interface eth0\n  virtual_router_id 1\n"
		 "  virtual_ipaddress {\n    10.0.0.1\n  }\n%s}\n", body);
	return buf;
}

static void test_routes(void **state)
{
	struct fx *f = *state;
	char text[1024];
	const struct ka_config *c = cfx_load(f, inst(
		"  virtual_routes {\n"
		"    src 10.0.0.1 to 10.1.0.0/16 via 10.0.0.254 dev eth1 table 100 metric 5 "
		"proto static scope site\n"
		"    blackhole 10.2.0.0/24 no_track\n"
		"    10.3.0.0/24 dev eth0 table local\n"
		"    default gw 10.0.0.254 priority 9 protocol 99\n"
		"    unreachable default inet6 table 4294967295\n"
		"    2001:db8::/32 via fe80::1 oif eth0 table default\n"
		"  }\n", text, sizeof(text)));
	const struct route_conf *r;

	assert_non_null(c);
	assert_int_equal(c->vrrp.instances[0].n_routes, 6);
	r = c->vrrp.instances[0].routes;
	assert_int_equal(r[0].family, AF_INET);
	assert_int_equal(r[0].type, RTN_UNICAST);
	assert_string_equal(addr_str(&r[0].dst), "10.1.0.0");
	assert_int_equal(r[0].dst_len, 16);
	assert_true(r[0].has_src);
	assert_string_equal(addr_str(&r[0].src), "10.0.0.1");
	assert_true(r[0].has_via);
	assert_string_equal(addr_str(&r[0].via), "10.0.0.254");
	assert_string_equal(r[0].dev, "eth1");
	assert_int_equal(r[0].table, 100);
	assert_int_equal(r[0].metric, 5);
	assert_int_equal(r[0].proto, RTPROT_STATIC);
	assert_int_equal(r[0].scope, 200);
	assert_false(r[0].no_track);

	assert_int_equal(r[1].type, RTN_BLACKHOLE);
	assert_true(r[1].no_track);
	assert_int_equal(r[1].table, RT_TABLE_MAIN);
	assert_int_equal(r[1].proto, RTPROT_KEEPALIVED);
	assert_int_equal(r[1].scope, RT_SCOPE_UNIVERSE);

	/* Directly connected: link scope, as ip route gives it. */
	assert_int_equal(r[2].scope, RT_SCOPE_LINK);
	assert_int_equal(r[2].table, RT_TABLE_LOCAL);

	assert_int_equal(r[3].dst_len, 0);
	assert_int_equal(r[3].family, AF_INET);
	assert_int_equal(r[3].metric, 9);
	assert_int_equal(r[3].proto, 99);
	assert_int_equal(r[3].scope, RT_SCOPE_UNIVERSE);

	assert_int_equal(r[4].family, AF_INET6);
	assert_int_equal(r[4].type, RTN_UNREACHABLE);
	assert_int_equal(r[4].table, 4294967295u);

	assert_int_equal(r[5].family, AF_INET6);
	assert_string_equal(addr_str(&r[5].via), "fe80::1");
	assert_string_equal(r[5].dev, "eth0");
	assert_int_equal(r[5].table, RT_TABLE_DEFAULT);
	ut_assert_counts(&f->d, 0, 0);
}

static void test_rules(void **state)
{
	struct fx *f = *state;
	char text[1024];
	const struct ka_config *c = cfx_load(f, inst(
		"  virtual_rules {\n"
		"    from 10.1.0.0/16 to 10.2.0.0/24 table 100 preference 10\n"
		"    iif eth0 oif eth1 fwmark 0x10/0xff lookup main priority 11 no_track\n"
		"    from all to all fwmark 7 order 12\n"
		"    to 2001:db8::/32 table 6\n"
		"    inet6 dev eth2\n"
		"  }\n", text, sizeof(text)));
	const struct rule_conf *r;

	assert_non_null(c);
	assert_int_equal(c->vrrp.instances[0].n_rules, 5);
	r = c->vrrp.instances[0].rules;
	assert_int_equal(r[0].family, AF_INET);
	assert_true(r[0].has_from && r[0].has_to);
	assert_string_equal(addr_str(&r[0].from), "10.1.0.0");
	assert_int_equal(r[0].from_len, 16);
	assert_string_equal(addr_str(&r[0].to), "10.2.0.0");
	assert_int_equal(r[0].to_len, 24);
	assert_int_equal(r[0].table, 100);
	assert_true(r[0].has_priority);
	assert_int_equal(r[0].priority, 10);
	assert_false(r[0].has_fwmark);

	assert_false(r[1].has_from || r[1].has_to);
	assert_string_equal(r[1].iif, "eth0");
	assert_string_equal(r[1].oif, "eth1");
	assert_true(r[1].has_fwmark);
	assert_int_equal(r[1].fwmark, 0x10);
	assert_int_equal(r[1].fwmask, 0xff);
	assert_int_equal(r[1].table, RT_TABLE_MAIN);
	assert_int_equal(r[1].priority, 11);
	assert_true(r[1].no_track);

	/* `all` selects nothing; a mark alone matches with every bit. */
	assert_false(r[2].has_from || r[2].has_to);
	assert_int_equal(r[2].fwmask, 0xffffffffu);
	assert_int_equal(r[2].table, RT_TABLE_MAIN);

	assert_int_equal(r[3].family, AF_INET6);
	assert_false(r[3].has_priority);
	assert_int_equal(r[4].family, AF_INET6);
	assert_string_equal(r[4].iif, "eth2");
	ut_assert_counts(&f->d, 0, 0);
}

static void test_statics(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = cfx_load(f,
		"static_ipaddress {\n  10.0.5.1/24 dev eth0 scope link label eth0:s\n"
		"  2001:db8::5/64 dev eth1\n}\n"
		"static_routes {\n  10.0.6.0/24 via 10.0.5.254 table 7\n}\n"
		"static_rules {\n  from 10.0.6.0/24 table 7 preference 70\n}\n");

	assert_non_null(c);
	assert_int_equal(c->vrrp.n_static_addrs, 2);
	assert_string_equal(addr_str(&c->vrrp.static_addrs[0].addr), "10.0.5.1");
	assert_int_equal(c->vrrp.static_addrs[0].prefix_len, 24);
	assert_string_equal(c->vrrp.static_addrs[0].dev, "eth0");
	assert_string_equal(c->vrrp.static_addrs[0].label, "eth0:s");
	assert_int_equal(c->vrrp.static_addrs[1].addr.family, AF_INET6);
	assert_int_equal(c->vrrp.n_static_routes, 1);
	assert_int_equal(c->vrrp.static_routes[0].table, 7);
	assert_int_equal(c->vrrp.n_static_rules, 1);
	assert_int_equal(c->vrrp.static_rules[0].priority, 70);
	ut_assert_counts(&f->d, 0, 0);
}

static void test_route_errors(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f,
		"static_routes {\n"
		"  10.0.0.1/8 dev eth0\n"				/* 2 */
		"  10.0.0.0/8 via 10.0.0.1 onlink\n"			/* 3 */
		"  10.0.0.0/8 dev eth0 bogus\n"				/* 4 */
		"  10.0.0.0/8 dev eth0 table 0\n"			/* 5 */
		"  10.0.0.0/8 dev eth0 table 0x10\n"			/* 6 */
		"  10.0.0.0/8 dev eth0 metric 4294967296\n"		/* 7 */
		"  10.0.0.0/8 dev eth0 proto 256\n"			/* 8 */
		"  10.0.0.0/8 dev eth0 scope galaxy\n"			/* 9 */
		"  10.0.0.0/8\n"					/* 10 */
		"  dev eth0\n"						/* 11 */
		"  10.0.0.0/8 via fe80::1 dev eth0\n"			/* 12 */
		"  default via 10.0.0.1 inet6\n"			/* 13 */
		"  blackhole 10.0.0.0/8 via 10.0.0.1\n"			/* 14 */
		"  10.0.0.0/8 dev\n"					/* 15 */
		"  local 10.0.0.0/8 dev eth0\n"				/* 16 */
		"  10.0.0.0/8 10.1.0.0/16 dev eth0\n"			/* 17 */
		"  10.0.0.0/8 dev eth0 {\n  }\n"			/* 18 */
		"}\n"));
	cfx_expect(f, "2:3: error: '10.0.0.1/8' has bits set past its prefix length");
	cfx_expect(f, "3:27: error: 'onlink' is not supported in static_routes");
	cfx_expect(f, "4:23: error: unknown option 'bogus' in static_routes");
	cfx_expect(f, "5:29: error: '0' is not a valid table (expected main, local, default or "
		   "1 to 4294967295)");
	cfx_expect(f, "6:29: error: '0x10' is not a valid table (expected main, local, default "
		   "or 1 to 4294967295)");
	cfx_expect(f, "7:30: error: '4294967296' is out of range (expected 0 to 4294967295)");
	cfx_expect(f, "8:29: error: '256' is out of range (expected 0 to 255)");
	cfx_expect(f, "9:29: error: 'galaxy' is not a valid scope (expected global, site, link, "
		   "host, nowhere or 0 to 255)");
	cfx_expect(f, "10:3: error: a route in static_routes needs 'via' or 'dev'");
	cfx_expect(f, "11:3: error: no destination in static_routes line");
	cfx_expect(f, "12:18: error: 'fe80::1' mixes IPv4 and IPv6 in one static_routes line");
	cfx_expect(f, "13:3: error: 'inet6' with IPv4 addresses in static_routes");
	cfx_expect(f, "14:3: error: 'via' in a blackhole route of static_routes");
	cfx_expect(f, "15:14: error: 'dev' needs a value");
	cfx_expect(f, "16:3: error: 'local' is not supported in static_routes");
	cfx_expect(f, "17:14: error: unknown option '10.1.0.0/16' in static_routes");
	cfx_expect(f, "18:23: error: unexpected block in static_routes");
	ut_assert_counts(&f->d, 17, 0);
}

static void test_rule_errors(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f,
		"static_rules {\n"
		"  from 10.0.0.0/8 table 1 goto 3\n"			/* 2 */
		"  from 10.0.0.0/8 blackhole\n"				/* 3 */
		"  from 10.0.0.0/8 lookup nowhere\n"			/* 4 */
		"  from 10.0.0.0/8 fwmark 1/x\n"			/* 5 */
		"  from 10.0.0.0/8 preference -1\n"			/* 6 */
		"  from 10.0.0.0/8 to fe80::/64\n"			/* 7 */
		"  from 10.0.0.0/8 inet6\n"				/* 8 */
		"  10.0.0.0/8 table 1\n"				/* 9 */
		"  from\n"						/* 10 */
		"  iif bad/name\n"					/* 11 */
		"}\n"
		"static_ipaddress {\n  10.0.0.1/24\n}\n"));		/* 14 */
	cfx_expect(f, "2:27: error: 'goto' is not supported in static_rules");
	cfx_expect(f, "3:19: error: 'blackhole' is not supported in static_rules");
	cfx_expect(f, "4:26: error: 'nowhere' is not a valid table (expected main, local, default "
		   "or 1 to 4294967295)");
	cfx_expect(f, "5:26: error: '1/x' is not a valid fwmark (expected MARK or MARK/MASK, "
		   "decimal or 0x hexadecimal)");
	cfx_expect(f, "6:30: error: '-1' is out of range (expected 0 to 4294967295)");
	cfx_expect(f, "7:22: error: 'fe80::/64' mixes IPv4 and IPv6 in one static_rules line");
	cfx_expect(f, "8:3: error: 'inet6' with IPv4 addresses in static_rules");
	cfx_expect(f, "9:3: error: unknown option '10.0.0.0/8' in static_rules");
	cfx_expect(f, "10:3: error: 'from' needs a value");
	cfx_expect(f, "11:7: error: 'bad/name' is not a valid interface name (1 to 15 bytes, "
		   "no '/', ':' or blanks)");
	cfx_expect(f, "14:3: error: static_ipaddress needs 'dev' (default_interface is not "
		   "supported)");
	ut_assert_counts(&f->d, 11, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, cfx_setup, cfx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_routes),
		T(test_rules),
		T(test_statics),
		T(test_route_errors),
		T(test_rule_errors),
	};

	return cmocka_run_group_tests_name("vrrp_routes_parser", tests, NULL, NULL);
}
