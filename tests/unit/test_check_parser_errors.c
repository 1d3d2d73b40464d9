/* Broken checker configurations through the daemon's real entry point,
 * config_load_file(): every error and warning with its exact position, and
 * all of them reported in one run. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "keepalived/ka_conf.h"
#include "unit_util.h"

struct fx {
	char *dir;
	struct diags d;
	struct ka_config *c;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->dir = ut_tmpdir();
	diags_init(&f->d);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	config_free(f->c);
	diags_free(&f->d);
	ut_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void reset(struct fx *f)
{
	config_free(f->c);
	f->c = NULL;
	diags_free(&f->d);
	diags_init(&f->d);
}

/* Load `text` as keepalived.conf; NULL when it has errors. */
static struct ka_config *load(struct fx *f, const char *text)
{
	char *path = ut_write(f->dir, "keepalived.conf", text);

	reset(f);
	f->c = config_load_file(path, &f->d, NULL);
	free(path);
	return f->c;
}

/* Assert the diagnostic "<dir>/keepalived.conf:<tail>". */
static void expect(struct fx *f, const char *tail)
{
	ut_assert_diag(&f->d, "%s/keepalived.conf:%s", f->dir, tail);
}

static void test_global_errors(void **state)
{
	struct fx *f = *state;

	assert_null(load(f, "global_defs {\n"
			 "  lvs_timeouts tcp 0 tcpfin 2147484 udp\n"
			 "  lvs_timeouts tcp 5 tcp 6\n"
			 "  lvs_timeouts foo 5\n"
			 "  lvs_sync_daemon eth0/1 inst VI_1 id 256 maxlen 0 port 0 ttl 0 "
			 "group 10.0.0.1\n"
			 "  lvs_sync_daemon eth0 VI_1 bogus 3\n"
			 "  lvs_sync_daemon eth0 id\n"
			 "  lvs_flush_on_stop ALL\n"
			 "  lvs_flush\n"
			 "  checker_process_name x\n"
			 "}\n"));
	expect(f, "2:20: error: '0' is out of range (expected 1 to 2147483)");
	expect(f, "2:29: error: '2147484' is out of range (expected 1 to 2147483)");
	expect(f, "2:37: error: 'udp' needs a number of seconds");
	expect(f, "3:22: error: 'tcp' is given twice");
	expect(f, "4:16: error: 'foo' is not a valid choice (expected one of: tcp, tcpfin, udp)");
	expect(f, "5:19: error: 'eth0/1' is not a valid interface name (1 to 15 bytes, no '/', "
	       "':' or blanks)");
	expect(f, "5:39: error: '256' is out of range (expected 0 to 255)");
	expect(f, "5:50: error: '0' is out of range (expected 1 to 65507)");
	expect(f, "5:57: error: '0' is out of range (expected 1 to 65535)");
	expect(f, "5:63: error: '0' is out of range (expected 1 to 255)");
	expect(f, "5:71: error: '10.0.0.1' is not a multicast address");
	expect(f, "6:29: error: unexpected 'bogus' in lvs_sync_daemon (expected inst, id, maxlen, "
	       "port, ttl or group)");
	expect(f, "7:24: error: 'id' needs a value");
	expect(f, "8:21: error: unexpected 'ALL' after lvs_flush_on_stop (expected VS or nothing)");
	expect(f, "9:3: warning: lvs_flush is ignored: IPVS entries already in the kernel are "
	       "adopted, not flushed (clear them with 'ipvsadm -C' if needed)");
	expect(f, "10:3: error: unknown keyword 'checker_process_name' in global_defs");
	ut_assert_counts(&f->d, 15, 1);
}

static void test_virtual_server_errors(void **state)
{
	struct fx *f = *state;

	assert_null(load(f, "virtual_server 10.0.0.1 80 {\n"
			 "  lb_algo rrr\n  lb_kind NATT\n"
			 "  lvs_method TUN type gue port 5\n  lvs_method TUN type ipip csum\n"
			 "  lvs_method DR type ipip\n  persistence_timeout 2147484\n"
			 "  persistence_granularity 255.0.255.0\n  protocol ICMP\n"
			 "  ops\n  sh-port\n  mh-fallback\n"
			 "  quorum -1\n  hysteresis x\n  delay_loop 0\n  connect_timeout 0.0001\n"
			 "  retry -2\n  warmup 90000\n  ip_family inet6\n"
			 "  smtp_alert\n  virtualhost \"a b\"\n  persistence_engine pe\n"
			 "  bogus_kw 1\n  real_server 10.0.0.2 80 { }\n"
			 "}\n"
			 "virtual_server 10.0.0.300 80 {\n  protocol TCP\n  lb_algo x\n}\n"
			 "virtual_server fwmark {\n}\n"
			 "virtual_server fwmark 0 {\n}\n"
			 "virtual_server group {\n}\n"
			 "virtual_server 10.0.0.1 0 {\n}\n"));
	expect(f, "2:11: error: 'rrr' is not a valid choice (expected one of: rr, wrr, lc, wlc, "
	       "lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos)");
	expect(f, "3:11: error: 'NATT' is not a valid choice (expected one of: NAT, DR, TUN)");
	expect(f, "4:23: error: tunnel type 'gue' is not supported: only ipip");
	expect(f, "5:28: error: 'csum' applies to GUE tunnels only, which are not supported");
	expect(f, "6:17: error: unexpected 'type' after DR (tunnel options apply to TUN only)");
	expect(f, "7:23: error: '2147484' is out of range (expected 1 to 2147483)");
	expect(f, "8:27: error: '255.0.255.0' is not a netmask (contiguous ones, like "
	       "255.255.255.0)");
	expect(f, "9:12: error: 'ICMP' is not a valid choice (expected one of: TCP, UDP, SCTP)");
	expect(f, "10:3: error: ops (one-packet scheduling) needs protocol UDP");
	expect(f, "11:3: error: sh-port needs lvs_sched sh (not wlc)");
	expect(f, "12:3: error: mh-fallback needs lvs_sched mh (not wlc)");
	expect(f, "13:10: error: '-1' is out of range (expected 0 to 2147483647)");
	expect(f, "14:14: error: 'x' is not a valid number (expected an integer from 0 to "
	       "2147483647)");
	expect(f, "15:14: error: '0' is out of range (expected 0.001 to 86400 seconds)");
	expect(f, "16:19: error: '0.0001' is out of range (expected 0.001 to 86400 seconds)");
	expect(f, "17:9: error: '-2' is out of range (expected 0 to 2147483647)");
	expect(f, "18:10: error: '90000' is out of range (expected 0 to 86400 seconds)");
	expect(f, "19:3: error: ip_family applies to fwmark and group virtual servers only: this "
	       "one's family is its address's");
	expect(f, "20:3: warning: smtp_alert: e-mail alerts are not implemented yet (issue #6); "
	       "no mail will be sent");
	expect(f, "21:15: error: 'a b' is not a valid host name (no blanks or control characters)");
	expect(f, "22:22: error: 'pe' is not a valid choice (expected one of: sip)");
	expect(f, "23:3: error: unknown keyword 'bogus_kw' in virtual_server");
	expect(f, "26:16: error: '10.0.0.300' is not a valid IP address");
	expect(f, "28:11: error: 'x' is not a valid choice (expected one of: rr, wrr, lc, wlc, "
	       "lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos)");
	expect(f, "30:16: error: 'virtual_server fwmark' needs a mark");
	expect(f, "32:23: error: '0' is out of range (expected 1 to 4294967295)");
	expect(f, "34:16: error: 'virtual_server group' needs a group name");
	expect(f, "36:25: error: '0' is out of range (expected 1 to 65535)");
	ut_assert_counts(&f->d, 27, 1);
}

static void test_real_server_errors(void **state)
{
	struct fx *f = *state;

	assert_null(load(f, "virtual_server 10.0.0.1 80 {\n  protocol TCP\n  quorum 9\n"
			 "  hysteresis 2\n  sorry_server 2001:db8::9\n"
			 "  real_server 10.0.0.2 81 {\n"
			 "    weight 65536\n    uthreshold 5\n    lthreshold 10\n"
			 "    notify_up /bin/x.sh arg\n    lb_kind DR\n    wieght 2\n"
			 "  }\n"
			 "  real_server 10.0.0.3 81 { }\n"			/* 14 */
			 "  real_server 10.0.0.3 81 { }\n"
			 "  real_server 2001:db8::2 81 { }\n"
			 "  real_server 10.0.0.300 81 {\n    weight 70000\n  }\n"
			 "  real_server 10.0.0.4 99999 { }\n"
			 "  real_server 2001:db8::3 {\n    lvs_method TUN\n  }\n"
			 "}\n"));
	expect(f, "5:3: error: sorry_server 2001:db8::9 is IPv6 but the virtual server is IPv4: "
	       "mixing address families needs lvs_method TUN");
	expect(f, "6:3: warning: real_server port 81 is not used: DR keeps the packet's "
	       "destination port 80 (only NAT can change ports)");
	expect(f, "7:12: error: '65536' is out of range (expected 0 to 65535)");
	expect(f, "9:16: error: lthreshold 10 is greater than uthreshold 5");
	expect(f, "10:25: error: no such user 'arg'");
	expect(f, "10:25: error: the words after the command of 'notify_up' name a user and "
	       "group; quote the command to pass arguments");
	expect(f, "12:5: error: unknown keyword 'wieght' in real_server");
	expect(f, "15:3: error: duplicate real_server 10.0.0.3 port 81 (first at line 14)");
	expect(f, "16:3: error: real_server 2001:db8::2 is IPv6 but the virtual server is IPv4: "
	       "mixing address families needs lvs_method TUN");
	expect(f, "17:15: error: '10.0.0.300' is not a valid IP address");
	expect(f, "18:12: error: '70000' is out of range (expected 0 to 65535)");
	expect(f, "20:24: error: '99999' is out of range (expected 1 to 65535)");
	expect(f, "3:3: warning: quorum 9 plus hysteresis 2 is more than the total weight of the "
	       "real servers (5): the quorum can never be reached");
	ut_assert_counts(&f->d, 11, 2);
}

static void test_checker_errors(void **state)
{
	struct fx *f = *state;

	assert_null(load(f, "virtual_server fwmark 1 {\n"
			 "  real_server 10.0.0.2 {\n"
			 "    TCP_CHECK {\n"
			 "      connect_ip 10.0.0.300\n      bindto 2001:db8::5\n"
			 "      bind_port 0\n      fwmark 0\n      nope 1\n      misc_path /x\n"
			 "    }\n"
			 "    TCP_CHECK {\n      connect_ip fe80::1\n      bindto fe80::2\n"
			 "      connect_port 80\n    }\n"
			 "    TCP_CHECK\n"				/* 16 */
			 "    SMTP_CHECK {\n      connect_timeout 3\n    }\n"
			 "    MISC_CHECK {\n      connect_timeout 3\n      connect_port 80\n    }\n"
			 "    HTTP_GET {\n      url {\n        path x\n        digest abc\n"
			 "        status_code 200-1xx 99 300-200 600\n        regex_no_match\n"
			 "        foo\n      }\n      url {\n      }\n      http_protocol 2\n"
			 "      enable_sni\n    }\n"
			 "  }\n}\n"));
	expect(f, "4:18: error: '10.0.0.300' is not a valid IP address");
	expect(f, "5:14: error: bindto 2001:db8::5 is IPv6 but the check connects to 10.0.0.2");
	expect(f, "6:17: error: '0' is out of range (expected 1 to 65535)");
	expect(f, "7:14: error: '0' is out of range (expected 1 to 4294967295)");
	expect(f, "8:7: error: unknown keyword 'nope' in TCP_CHECK");
	expect(f, "9:7: error: unknown keyword 'misc_path' in TCP_CHECK");
	expect(f, "3:5: error: TCP_CHECK needs connect_port: the real server has no port");
	expect(f, "13:14: error: bindto fe80::2 is link-local: bind_if is required");
	expect(f, "16:5: error: 'TCP_CHECK' needs a block '{ ... }'");
	expect(f, "17:5: error: SMTP_CHECK is not supported");
	expect(f, "21:7: error: 'connect_timeout' does not apply to MISC_CHECK (use misc_timeout)");
	expect(f, "22:7: error: 'connect_port' does not apply to MISC_CHECK");
	expect(f, "20:5: error: MISC_CHECK has no misc_path");
	expect(f, "26:14: error: 'x' is not a valid URL path (it must start with '/')");
	expect(f, "27:16: error: 'abc' is not an MD5 digest (32 hexadecimal digits, as genhash "
	       "prints)");
	expect(f, "28:25: error: '1xx' is not a valid number (expected an integer from 100 "
	       "to 599)");
	expect(f, "28:29: error: '99' is out of range (expected 100 to 599)");
	expect(f, "28:32: error: '300-200' is an empty range (300 is above 200)");
	expect(f, "28:40: error: '600' is out of range (expected 100 to 599)");
	expect(f, "30:9: error: unknown keyword 'foo' in url");
	expect(f, "25:7: error: regex_no_match without regex");
	expect(f, "32:7: error: url has no path");
	expect(f, "34:21: error: '2' is not a valid choice (expected one of: 1.0, 1.0C, 1.1)");
	expect(f, "35:7: error: unknown keyword 'enable_sni' in HTTP_GET");
	expect(f, "24:5: error: HTTP_GET needs connect_port: the real server has no port");
	ut_assert_counts(&f->d, 25, 0);
}

static void test_group_errors(void **state)
{
	struct fx *f = *state;

	assert_null(load(f,
		"virtual_server_group G1 {\n  10.0.0.1-20 80\n  10.0.0.5 80\n  10.0.0.300 80\n"
		"  10.0.0.9-3 80\n  10.0.0.0/8 80\n  fwmark 0\n  fwmark 3 inet7\n  fwmark\n"
		"  10.0.0.1 80 90\n  ae00::2-fffff 80\n  2001:db8::1 80 {\n  }\n"
		"  2001:db8::5 443\n}\n"
		"virtual_server_group G1 {\n  10.9.9.9 80\n}\n"		/* 16 */
		"virtual_server_group EMPTY {\n}\n"
		"virtual_server_group UNUSED {\n  10.7.7.7 80\n}\n"		/* 21 */
		"virtual_server group G1 {\n  persistence_timeout 60\n"	/* 24 */
		"  persistence_granularity 255.255.255.0\n"
		"  real_server 10.1.1.1 80 { }\n"
		"  real_server 10.1.1.2 80 {\n    lvs_method TUN\n  }\n"
		"}\n"
		"virtual_server group NOPE {\n  protocol TCP\n}\n"		/* 32 */
		"virtual_server group EMPTY {\n  protocol TCP\n}\n"		/* 35 */
		"virtual_server 10.0.0.7 80 {\n  protocol TCP\n  real_server 10.1.1.1 80 { }\n}\n"
		"virtual_server 10.0.0.7 80 {\n  protocol UDP\n  real_server 10.1.1.1 80 { }\n}\n"
		"virtual_server fwmark 5 {\n  real_server 10.1.1.1 80 { }\n}\n"	/* 46 */
		"virtual_server fwmark 5 {\n  ip_family inet6\n"
		"  real_server 2001:db8::1 80 { }\n}\n"
		"virtual_server fwmark 5 {\n  real_server 10.1.1.2 { }\n}\n"	/* 53 */
		"virtual_server group G1 {\n  protocol UDP\n  real_server 10.1.1.3 80 {\n"
		"    lvs_method TUN\n  }\n}\n"));
	expect(f, "4:3: error: '10.0.0.300' is not a valid IP address");
	expect(f, "5:3: error: '10.0.0.9-3' is an empty range (it ends before it starts)");
	expect(f, "6:3: error: '10.0.0.0/8' is too large a range (at most 65536 addresses)");
	expect(f, "7:10: error: '0' is out of range (expected 1 to 4294967295)");
	expect(f, "8:12: error: 'inet7' is not a valid choice (expected one of: inet, inet6)");
	expect(f, "9:3: error: expected 'fwmark N [inet|inet6]'");
	expect(f, "10:15: error: unexpected '90' in virtual_server_group (expected ADDRESS [PORT] "
	       "or fwmark N)");
	expect(f, "11:3: error: 'ae00::2-fffff' is not a valid address range (like 10.0.0.1-10, "
	       "10.0.0.1-10.0.1.5 or 10.0.0.0/29)");
	expect(f, "12:18: error: unexpected block in virtual_server_group");
	expect(f, "32:1: warning: virtual_server group NOPE has no real_server");
	expect(f, "35:1: warning: virtual_server group EMPTY has no real_server");
	expect(f, "16:22: error: virtual_server_group 'G1' is defined twice");
	expect(f, "32:22: error: no virtual_server_group named 'NOPE'");
	expect(f, "35:22: error: virtual_server_group 'EMPTY' is empty");
	/* G1 has IPv4 and IPv6 services */
	expect(f, "24:1: warning: protocol not set: TCP assumed");
	expect(f, "26:27: error: persistence_granularity of an IPv6 virtual server is a prefix "
	       "length, 1 to 128");
	expect(f, "27:3: error: real_server 10.1.1.1 is IPv4 but virtual_server_group 'G1' has "
	       "IPv6 services: mixing address families needs lvs_method TUN");
	expect(f, "21:22: warning: virtual_server_group 'UNUSED' is not used by any "
	       "virtual_server");
	expect(f, "3:3: error: virtual_server_group 'G1': 10.0.0.5 port 80 is already listed at "
	       "line 2");
	expect(f, "38:1: error: TCP 10.0.0.7 port 80 is already served by the virtual_server at "
	       "line 24");
	expect(f, "56:1: error: UDP 10.0.0.7 port 80 is already served by the virtual_server at "
	       "line 42");
	expect(f, "53:1: error: fwmark 5 (IPv4) is already served by the virtual_server at "
	       "line 46");
	ut_assert_counts(&f->d, 18, 4);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_global_errors),
		T(test_virtual_server_errors),
		T(test_real_server_errors),
		T(test_checker_errors),
		T(test_group_errors),
	};

	return cmocka_run_group_tests_name("check_parser_errors", tests, NULL, NULL);
}
