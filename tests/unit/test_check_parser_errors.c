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
#include "conf_fixture.h"
#include "unit_util.h"

static void test_global_errors(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f, "global_defs {\n"
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
	cfx_expect(f, "2:20: error: '0' is out of range (expected 1 to 2147483)");
	cfx_expect(f, "2:29: error: '2147484' is out of range (expected 1 to 2147483)");
	cfx_expect(f, "2:37: error: 'udp' needs a number of seconds");
	cfx_expect(f, "3:22: error: 'tcp' is given twice");
	cfx_expect(f, "4:16: error: 'foo' is not a valid choice (expected one of: tcp, tcpfin, udp)");
	cfx_expect(f, "5:19: error: 'eth0/1' is not a valid interface name (1 to 15 bytes, no '/', "
	       "':' or blanks)");
	cfx_expect(f, "5:39: error: '256' is out of range (expected 0 to 255)");
	cfx_expect(f, "5:50: error: '0' is out of range (expected 1 to 65507)");
	cfx_expect(f, "5:57: error: '0' is out of range (expected 1 to 65535)");
	cfx_expect(f, "5:63: error: '0' is out of range (expected 1 to 255)");
	cfx_expect(f, "5:71: error: '10.0.0.1' is not a multicast address");
	cfx_expect(f, "6:29: error: unexpected 'bogus' in lvs_sync_daemon (expected inst, id, maxlen, "
	       "port, ttl or group)");
	cfx_expect(f, "7:24: error: 'id' needs a value");
	cfx_expect(f, "8:21: error: unexpected 'ALL' after lvs_flush_on_stop (expected VS or nothing)");
	cfx_expect(f, "9:3: warning: lvs_flush is ignored: IPVS entries already in the kernel are "
	       "adopted, not flushed (clear them with 'ipvsadm -C' if needed)");
	cfx_expect(f, "10:3: error: unknown keyword 'checker_process_name' in global_defs");
	ut_assert_counts(&f->d, 15, 1);
}

static void test_virtual_server_errors(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f, "virtual_server 10.0.0.1 80 {\n"
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
	cfx_expect(f, "2:11: error: 'rrr' is not a valid choice (expected one of: rr, wrr, lc, wlc, "
	       "lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos)");
	cfx_expect(f, "3:11: error: 'NATT' is not a valid choice (expected one of: NAT, DR, TUN)");
	cfx_expect(f, "4:23: error: tunnel type 'gue' is not supported: only ipip");
	cfx_expect(f, "5:28: error: 'csum' applies to GUE tunnels only, which are not supported");
	cfx_expect(f, "6:17: error: unexpected 'type' after DR (tunnel options apply to TUN only)");
	cfx_expect(f, "7:23: error: '2147484' is out of range (expected 1 to 2147483)");
	cfx_expect(f, "8:27: error: '255.0.255.0' is not a netmask (contiguous ones, like "
	       "255.255.255.0)");
	cfx_expect(f, "9:12: error: 'ICMP' is not a valid choice (expected one of: TCP, UDP, SCTP)");
	cfx_expect(f, "10:3: error: ops (one-packet scheduling) needs protocol UDP");
	cfx_expect(f, "11:3: error: sh-port needs lvs_sched sh (not wlc)");
	cfx_expect(f, "12:3: error: mh-fallback needs lvs_sched mh (not wlc)");
	cfx_expect(f, "13:10: error: '-1' is out of range (expected 0 to 2147483647)");
	cfx_expect(f, "14:14: error: 'x' is not a valid number (expected an integer from 0 to "
	       "2147483647)");
	cfx_expect(f, "15:14: error: '0' is out of range (expected 0.001 to 86400 seconds)");
	cfx_expect(f, "16:19: error: '0.0001' is out of range (expected 0.001 to 86400 seconds)");
	cfx_expect(f, "17:9: error: '-2' is out of range (expected 0 to 2147483647)");
	cfx_expect(f, "18:10: error: '90000' is out of range (expected 0 to 86400 seconds)");
	cfx_expect(f, "19:3: error: ip_family applies to fwmark and group virtual servers only: this "
	       "one's family is its address's");
	cfx_expect(f, "20:3: warning: smtp_alert: no smtp_server in global_defs, so no e-mail "
	       "alert will be sent");
	cfx_expect(f, "21:15: error: 'a b' is not a valid host name (no blanks or control characters)");
	cfx_expect(f, "22:22: error: 'pe' is not a valid choice (expected one of: sip)");
	cfx_expect(f, "23:3: error: unknown keyword 'bogus_kw' in virtual_server");
	cfx_expect(f, "26:16: error: '10.0.0.300' is not a valid IP address");
	cfx_expect(f, "28:11: error: 'x' is not a valid choice (expected one of: rr, wrr, lc, wlc, "
	       "lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos)");
	cfx_expect(f, "30:16: error: 'virtual_server fwmark' needs a mark");
	cfx_expect(f, "32:23: error: '0' is out of range (expected 1 to 4294967295)");
	cfx_expect(f, "34:16: error: 'virtual_server group' needs a group name");
	cfx_expect(f, "36:25: error: '0' is out of range (expected 1 to 65535)");
	ut_assert_counts(&f->d, 27, 1);
}

static void test_real_server_errors(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f, "virtual_server 10.0.0.1 80 {\n  protocol TCP\n  quorum 9\n"
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
	cfx_expect(f, "5:3: error: sorry_server 2001:db8::9 is IPv6 but the virtual server is IPv4: "
	       "mixing address families needs lvs_method TUN");
	cfx_expect(f, "6:3: warning: real_server port 81 is not used: DR keeps the packet's "
	       "destination port 80 (only NAT can change ports)");
	cfx_expect(f, "7:12: error: '65536' is out of range (expected 0 to 65535)");
	cfx_expect(f, "9:16: error: lthreshold 10 is greater than uthreshold 5");
	cfx_expect(f, "10:25: error: no such user 'arg'");
	cfx_expect(f, "10:25: error: the words after the command of 'notify_up' name a user and "
	       "group; quote the command to pass arguments");
	cfx_expect(f, "12:5: error: unknown keyword 'wieght' in real_server");
	cfx_expect(f, "15:3: error: duplicate real_server 10.0.0.3 port 81 (first at line 14)");
	cfx_expect(f, "16:3: error: real_server 2001:db8::2 is IPv6 but the virtual server is IPv4: "
	       "mixing address families needs lvs_method TUN");
	cfx_expect(f, "17:15: error: '10.0.0.300' is not a valid IP address");
	cfx_expect(f, "18:12: error: '70000' is out of range (expected 0 to 65535)");
	cfx_expect(f, "20:24: error: '99999' is out of range (expected 1 to 65535)");
	cfx_expect(f, "3:3: warning: quorum 9 plus hysteresis 2 is more than the total weight of the "
	       "real servers (5): the quorum can never be reached");
	ut_assert_counts(&f->d, 11, 2);
}

static void test_checker_errors(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f, "virtual_server fwmark 1 {\n"
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
	cfx_expect(f, "4:18: error: '10.0.0.300' is not a valid IP address");
	cfx_expect(f, "5:14: error: bindto 2001:db8::5 is IPv6 but the check connects to 10.0.0.2");
	cfx_expect(f, "6:17: error: '0' is out of range (expected 1 to 65535)");
	cfx_expect(f, "7:14: error: '0' is out of range (expected 1 to 4294967295)");
	cfx_expect(f, "8:7: error: unknown keyword 'nope' in TCP_CHECK");
	cfx_expect(f, "9:7: error: unknown keyword 'misc_path' in TCP_CHECK");
	cfx_expect(f, "3:5: error: TCP_CHECK needs connect_port: the real server has no port");
	cfx_expect(f, "13:14: error: bindto fe80::2 is link-local: bind_if is required");
	cfx_expect(f, "16:5: error: 'TCP_CHECK' needs a block '{ ... }'");
	cfx_expect(f, "17:5: error: SMTP_CHECK is not supported");
	cfx_expect(f, "21:7: error: 'connect_timeout' does not apply to MISC_CHECK (use misc_timeout)");
	cfx_expect(f, "22:7: error: 'connect_port' does not apply to MISC_CHECK");
	cfx_expect(f, "20:5: error: MISC_CHECK has no misc_path");
	cfx_expect(f, "26:14: error: 'x' is not a valid URL path (it must start with '/')");
	cfx_expect(f, "27:16: error: 'abc' is not an MD5 digest (32 hexadecimal digits, as genhash "
	       "prints)");
	cfx_expect(f, "28:25: error: '1xx' is not a valid number (expected an integer from 100 "
	       "to 599)");
	cfx_expect(f, "28:29: error: '99' is out of range (expected 100 to 599)");
	cfx_expect(f, "28:32: error: '300-200' is an empty range (300 is above 200)");
	cfx_expect(f, "28:40: error: '600' is out of range (expected 100 to 599)");
	cfx_expect(f, "30:9: error: unknown keyword 'foo' in url");
	cfx_expect(f, "25:7: error: regex_no_match without regex");
	cfx_expect(f, "32:7: error: url has no path");
	cfx_expect(f, "34:21: error: '2' is not a valid choice (expected one of: 1.0, 1.0C, 1.1)");
	cfx_expect(f, "35:7: error: unknown keyword 'enable_sni' in HTTP_GET");
	cfx_expect(f, "24:5: error: HTTP_GET needs connect_port: the real server has no port");
	ut_assert_counts(&f->d, 25, 0);
}

static void test_group_errors(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f,
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
	cfx_expect(f, "4:3: error: '10.0.0.300' is not a valid IP address");
	cfx_expect(f, "5:3: error: '10.0.0.9-3' is an empty range (it ends before it starts)");
	cfx_expect(f, "6:3: error: '10.0.0.0/8' is too large a range (at most 65536 addresses)");
	cfx_expect(f, "7:10: error: '0' is out of range (expected 1 to 4294967295)");
	cfx_expect(f, "8:12: error: 'inet7' is not a valid choice (expected one of: inet, inet6)");
	cfx_expect(f, "9:3: error: expected 'fwmark N [inet|inet6]'");
	cfx_expect(f, "10:15: error: unexpected '90' in virtual_server_group (expected ADDRESS [PORT] "
	       "or fwmark N)");
	cfx_expect(f, "11:3: error: 'ae00::2-fffff' is not a valid address range (like 10.0.0.1-10, "
	       "10.0.0.1-10.0.1.5 or 10.0.0.0/29)");
	cfx_expect(f, "12:18: error: unexpected block in virtual_server_group");
	cfx_expect(f, "32:1: warning: virtual_server group NOPE has no real_server");
	cfx_expect(f, "35:1: warning: virtual_server group EMPTY has no real_server");
	cfx_expect(f, "16:22: error: virtual_server_group 'G1' is defined twice");
	cfx_expect(f, "32:22: error: no virtual_server_group named 'NOPE'");
	cfx_expect(f, "35:22: error: virtual_server_group 'EMPTY' is empty");
	/* G1 has IPv4 and IPv6 services */
	cfx_expect(f, "24:1: warning: protocol not set: TCP assumed");
	cfx_expect(f, "26:27: error: persistence_granularity of an IPv6 virtual server is a prefix "
	       "length, 1 to 128");
	cfx_expect(f, "27:3: error: real_server 10.1.1.1 is IPv4 but virtual_server_group 'G1' has "
	       "IPv6 services: mixing address families needs lvs_method TUN");
	cfx_expect(f, "21:22: warning: virtual_server_group 'UNUSED' is not used by any "
	       "virtual_server");
	cfx_expect(f, "3:3: error: virtual_server_group 'G1': 10.0.0.5 port 80 is already listed at "
	       "line 2");
	cfx_expect(f, "38:1: error: TCP 10.0.0.7 port 80 is already served by the virtual_server at "
	       "line 24");
	cfx_expect(f, "56:1: error: UDP 10.0.0.7 port 80 is already served by the virtual_server at "
	       "line 42");
	cfx_expect(f, "53:1: error: fwmark 5 (IPv4) is already served by the virtual_server at "
	       "line 46");
	ut_assert_counts(&f->d, 18, 4);
}

/* The files of the SSL block must be readable when the file is loaded. */
static void test_ssl_block_errors(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f, "SSL {\n  ca /nonexistent/ca.pem\n  key /etc/passwd\n"
				"  password\n}\n"));
	cfx_expect(f, "2:6: error: ca /nonexistent/ca.pem: No such file or directory");
	cfx_expect(f, "4:3: error: 'password' takes 1 argument, got 0");
	cfx_expect(f, "1:1: error: SSL: key without certificate");
	ut_assert_counts(&f->d, 3, 0);
}

/* Keywords accepted with a different effect than keepalived's say so. */
static void test_accepted_with_warning(void **state)
{
	struct fx *f = *state;

	assert_non_null(cfx_load(f, "global_defs {\n  lvs_flush_on_stop\n}\n"
				    "virtual_server 10.0.0.1 80 {\n  protocol TCP\n"
				    "  real_server 10.0.0.2 80 {\n    snmp_name web2\n  }\n}\n"));
	cfx_expect(f, "2:3: warning: lvs_flush_on_stop: only the services of this configuration "
	       "are removed on stop; IPVS entries made by others are left alone (as with "
	       "'lvs_flush_on_stop VS')");
	cfx_expect(f, "7:5: warning: snmp_name of a real_server is not used: the real server "
	       "table of KEEPALIVED-MIB is indexed by address and port");
	ut_assert_counts(&f->d, 0, 2);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, cfx_setup, cfx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_global_errors),
		T(test_virtual_server_errors),
		T(test_real_server_errors),
		T(test_checker_errors),
		T(test_group_errors),
		T(test_ssl_block_errors),
		T(test_accepted_with_warning),
	};

	return cmocka_run_group_tests_name("check_parser_errors", tests, NULL, NULL);
}
