/* Unit tests for the typed value parsers: good values at and inside the
 * bounds, and the bad numbers of BI-C03 (negative, 2^64, "010", "+5",
 * "100abc", float where int, empty) with their exact messages. */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "unit_util.h"
#include "value.h"

/* Every word from ut_word() sits at test.conf:2:7. */
#define AT "test.conf:2:7: error: "

/* Expect exactly one diagnostic, formatted as `line`. */
static void expect_one(struct diags *d, const char *line)
{
	ut_assert_counts(d, 1, 0);
	ut_assert_diag(d, "%s", line);
	diags_free(d);
	diags_init(d);
}

static void expect_none(struct diags *d)
{
	ut_assert_counts(d, 0, 0);
}

static void uint_ok(const char *text, uint64_t min, uint64_t max, uint64_t want)
{
	struct conf_word w = ut_word(text);
	struct diags d;
	uint64_t v = 12345;

	diags_init(&d);
	assert_true(val_uint(&d, &w, min, max, &v));
	assert_int_equal(v, want);
	expect_none(&d);
	diags_free(&d);
}

static void uint_bad(const char *text, uint64_t min, uint64_t max, const char *msg)
{
	struct conf_word w = ut_word(text);
	struct diags d;
	uint64_t v = 12345;

	diags_init(&d);
	assert_false(val_uint(&d, &w, min, max, &v));
	assert_int_equal(v, 12345);	/* untouched on failure */
	expect_one(&d, msg);
	diags_free(&d);
}

static void test_uint(void **state)
{
	(void)state;
	uint_ok("1", 1, 255, 1);
	uint_ok("255", 1, 255, 255);
	uint_ok("100", 1, 255, 100);
	uint_ok("010", 1, 255, 10);	/* decimal, not octal */
	uint_ok("0", 0, 0, 0);
	uint_ok("0000000000000000000000000042", 0, 100, 42);
	uint_ok("18446744073709551615", 0, UINT64_MAX, UINT64_MAX);

	uint_bad("0", 1, 255, AT "'0' is out of range (expected 1 to 255)");
	uint_bad("256", 1, 255, AT "'256' is out of range (expected 1 to 255)");
	uint_bad("-1", 1, 255, AT "'-1' is out of range (expected 1 to 255)");
	uint_bad("-0", 0, 255, AT "'-0' is not a valid number (expected an integer from 0 to 255)");
	uint_bad("18446744073709551616", 0, UINT64_MAX,
		 AT "'18446744073709551616' is out of range (expected 0 to 18446744073709551615)");
	uint_bad("99999999999999999999999", 1, 255,
		 AT "'99999999999999999999999' is out of range (expected 1 to 255)");
	uint_bad("+5", 1, 255, AT "'+5' is not a valid number (expected an integer from 1 to 255)");
	uint_bad("100abc", 1, 255,
		 AT "'100abc' is not a valid number (expected an integer from 1 to 255)");
	uint_bad("1.5", 1, 255, AT "'1.5' is not a valid number (expected an integer from 1 to 255)");
	uint_bad("1e3", 1, 9999, AT "'1e3' is not a valid number (expected an integer from 1 to 9999)");
	uint_bad("0x10", 1, 255,
		 AT "'0x10' is not a valid number (expected an integer from 1 to 255)");
	uint_bad("", 1, 255, AT "'' is not a valid number (expected an integer from 1 to 255)");
	uint_bad(" 5", 1, 255, AT "' 5' is not a valid number (expected an integer from 1 to 255)");
	uint_bad("abc", 1, 255, AT "'abc' is not a valid number (expected an integer from 1 to 255)");
	uint_bad("99999999999999999999999x", 1, 255,
		 AT "'99999999999999999999999x' is not a valid number (expected an integer from 1 "
		 "to 255)");
}

static void int_ok(const char *text, int64_t min, int64_t max, int64_t want)
{
	struct conf_word w = ut_word(text);
	struct diags d;
	int64_t v = 12345;

	diags_init(&d);
	assert_true(val_int(&d, &w, min, max, &v));
	assert_true(v == want);
	expect_none(&d);
	diags_free(&d);
}

static void int_bad(const char *text, int64_t min, int64_t max, const char *msg)
{
	struct conf_word w = ut_word(text);
	struct diags d;
	int64_t v = 12345;

	diags_init(&d);
	assert_false(val_int(&d, &w, min, max, &v));
	assert_true(v == 12345);
	expect_one(&d, msg);
	diags_free(&d);
}

static void test_int(void **state)
{
	(void)state;
	int_ok("-254", -254, 254, -254);
	int_ok("254", -254, 254, 254);
	int_ok("0", -1, 1, 0);
	int_ok("-0", -1, 1, 0);
	int_ok("-9223372036854775808", INT64_MIN, INT64_MAX, INT64_MIN);
	int_ok("9223372036854775807", INT64_MIN, INT64_MAX, INT64_MAX);

	int_bad("-255", -254, 254, AT "'-255' is out of range (expected -254 to 254)");
	int_bad("255", -254, 254, AT "'255' is out of range (expected -254 to 254)");
	int_bad("9223372036854775808", INT64_MIN, INT64_MAX,
		AT "'9223372036854775808' is out of range (expected -9223372036854775808 to "
		"9223372036854775807)");
	int_bad("-9223372036854775809", INT64_MIN, INT64_MAX,
		AT "'-9223372036854775809' is out of range (expected -9223372036854775808 to "
		"9223372036854775807)");
	int_bad("+5", -10, 10, AT "'+5' is not a valid number (expected an integer from -10 to 10)");
	int_bad("-", -10, 10, AT "'-' is not a valid number (expected an integer from -10 to 10)");
	int_bad("--1", -10, 10, AT "'--1' is not a valid number (expected an integer from -10 to 10)");
	int_bad("", -10, 10, AT "'' is not a valid number (expected an integer from -10 to 10)");
	int_bad("-1.5", -10, 10,
		AT "'-1.5' is not a valid number (expected an integer from -10 to 10)");
	int_bad("5-", -10, 10, AT "'5-' is not a valid number (expected an integer from -10 to 10)");
}

static void seconds_ok(const char *text, uint64_t min, uint64_t max, uint64_t want)
{
	struct conf_word w = ut_word(text);
	struct diags d;
	uint64_t v = 12345;

	diags_init(&d);
	assert_true(val_seconds(&d, &w, min, max, &v));
	assert_int_equal(v, want);
	expect_none(&d);
	diags_free(&d);
}

static void seconds_bad(const char *text, uint64_t min, uint64_t max, const char *msg)
{
	struct conf_word w = ut_word(text);
	struct diags d;
	uint64_t v = 12345;

	diags_init(&d);
	assert_false(val_seconds(&d, &w, min, max, &v));
	assert_int_equal(v, 12345);
	expect_one(&d, msg);
	diags_free(&d);
}

static void test_seconds(void **state)
{
	const uint64_t s = 1000000;

	(void)state;
	seconds_ok("3", 0, 255 * s, 3 * s);
	seconds_ok("0.5", 0, 255 * s, 500000);
	seconds_ok("1.25", 0, 255 * s, 1250000);
	seconds_ok("1.250000", 0, 255 * s, 1250000);
	seconds_ok("0.000001", 1, 255 * s, 1);
	seconds_ok("255", 1, 255 * s, 255 * s);
	seconds_ok("0", 0, s, 0);
	seconds_ok("007.5", 0, 255 * s, 7500000);
	seconds_ok("18446744073709", 0, UINT64_MAX, 18446744073709 * s);

	seconds_bad("1.2345678", 0, 255 * s, AT "'1.2345678' has more than 6 decimals");
	seconds_bad("1.0000000", 0, 255 * s, AT "'1.0000000' has more than 6 decimals");
	seconds_bad(".5", 0, 255 * s,
		    AT "'.5' is not a valid number of seconds (expected 0 to 255, like 3 or 0.5)");
	seconds_bad("5.", 0, 255 * s,
		    AT "'5.' is not a valid number of seconds (expected 0 to 255, like 3 or 0.5)");
	seconds_bad("", 0, 255 * s,
		    AT "'' is not a valid number of seconds (expected 0 to 255, like 3 or 0.5)");
	seconds_bad("-1", 0, 255 * s,
		    AT "'-1' is not a valid number of seconds (expected 0 to 255, like 3 or 0.5)");
	seconds_bad("+1", 0, 255 * s,
		    AT "'+1' is not a valid number of seconds (expected 0 to 255, like 3 or 0.5)");
	seconds_bad("1e3", 0, 255 * s,
		    AT "'1e3' is not a valid number of seconds (expected 0 to 255, like 3 or 0.5)");
	seconds_bad("1.2.3", 0, 255 * s,
		    AT "'1.2.3' is not a valid number of seconds (expected 0 to 255, like 3 or "
		    "0.5)");
	seconds_bad("1,5", 0, 255 * s,
		    AT "'1,5' is not a valid number of seconds (expected 0 to 255, like 3 or 0.5)");
	seconds_bad("256", 0, 255 * s, AT "'256' is out of range (expected 0 to 255 seconds)");
	seconds_bad("0.0099", 10000, 40950000,
		    AT "'0.0099' is out of range (expected 0.01 to 40.95 seconds)");
	seconds_bad("18446744073710", 0, UINT64_MAX,
		    AT "'18446744073710' is out of range (expected 0 to 18446744073709.551615 "
		    "seconds)");
	seconds_bad("99999999999999999999999", 0, 255 * s,
		    AT "'99999999999999999999999' is out of range (expected 0 to 255 seconds)");
}

static void test_port(void **state)
{
	struct conf_word w;
	struct diags d;
	uint16_t port = 7;

	(void)state;
	diags_init(&d);
	w = ut_word("1");
	assert_true(val_port(&d, &w, &port));
	assert_int_equal(port, 1);
	w = ut_word("65535");
	assert_true(val_port(&d, &w, &port));
	assert_int_equal(port, 65535);
	expect_none(&d);
	w = ut_word("0");
	assert_false(val_port(&d, &w, &port));
	expect_one(&d, AT "'0' is out of range (expected 1 to 65535)");
	w = ut_word("65536");
	assert_false(val_port(&d, &w, &port));
	expect_one(&d, AT "'65536' is out of range (expected 1 to 65535)");
	w = ut_word("http");
	assert_false(val_port(&d, &w, &port));
	expect_one(&d, AT "'http' is not a valid number (expected an integer from 1 to 65535)");
	assert_int_equal(port, 65535);
	diags_free(&d);
}

static void ip_ok(const char *text, int family, int want_family, const char *canonical)
{
	struct conf_word w = ut_word(text);
	struct ip_addr a;
	struct diags d;
	char buf[INET6_ADDRSTRLEN];

	diags_init(&d);
	assert_true(val_ipaddr(&d, &w, family, &a));
	expect_none(&d);
	assert_int_equal(a.family, want_family);
	assert_string_equal(ip_addr_str(&a, buf, sizeof(buf)), canonical);
	diags_free(&d);
}

static void ip_bad(const char *text, int family, const char *msg)
{
	struct conf_word w = ut_word(text);
	struct ip_addr a;
	struct diags d;

	memset(&a, 0x5a, sizeof(a));
	diags_init(&d);
	assert_false(val_ipaddr(&d, &w, family, &a));
	assert_int_equal(a.family, 0x5a5a5a5a);
	expect_one(&d, msg);
	diags_free(&d);
}

static void test_ipaddr(void **state)
{
	(void)state;
	ip_ok("10.0.0.1", AF_INET, AF_INET, "10.0.0.1");
	ip_ok("255.255.255.255", AF_UNSPEC, AF_INET, "255.255.255.255");
	ip_ok("0.0.0.0", AF_INET, AF_INET, "0.0.0.0");
	ip_ok("fe80::1", AF_INET6, AF_INET6, "fe80::1");
	ip_ok("FE80:0:0:0:0:0:0:1", AF_UNSPEC, AF_INET6, "fe80::1");
	ip_ok("::ffff:10.0.0.1", AF_INET6, AF_INET6, "::ffff:10.0.0.1");

	ip_bad("1.2.3", AF_INET, AT "'1.2.3' is not a valid IPv4 address");
	ip_bad("1.2.3.256", AF_INET, AT "'1.2.3.256' is not a valid IPv4 address");
	ip_bad("010.0.0.1", AF_INET, AT "'010.0.0.1' is not a valid IPv4 address");
	ip_bad("1.2.3.4/24", AF_UNSPEC, AT "'1.2.3.4/24' is not a valid IP address");
	ip_bad("localhost", AF_UNSPEC, AT "'localhost' is not a valid IP address");
	ip_bad("", AF_UNSPEC, AT "'' is not a valid IP address");
	ip_bad("fe80::1%eth0", AF_INET6, AT "'fe80::1%eth0' is not a valid IPv6 address");
	ip_bad("1::2::3", AF_INET6, AT "'1::2::3' is not a valid IPv6 address");
	ip_bad("fe80::1", AF_INET, AT "'fe80::1' is an IPv6 address (expected an IPv4 address)");
	ip_bad("10.0.0.1", AF_INET6, AT "'10.0.0.1' is an IPv4 address (expected an IPv6 address)");
}

static void prefix_ok(const char *text, int family, const char *addr, unsigned want_len)
{
	struct conf_word w = ut_word(text);
	struct ip_addr a;
	struct diags d;
	unsigned len = 999;
	char buf[INET6_ADDRSTRLEN];

	diags_init(&d);
	assert_true(val_prefix(&d, &w, family, &a, &len));
	expect_none(&d);
	assert_string_equal(ip_addr_str(&a, buf, sizeof(buf)), addr);
	assert_int_equal(len, want_len);
	diags_free(&d);
}

static void prefix_bad(const char *text, int family, const char *msg)
{
	struct conf_word w = ut_word(text);
	struct ip_addr a;
	struct diags d;
	unsigned len = 999;

	diags_init(&d);
	assert_false(val_prefix(&d, &w, family, &a, &len));
	assert_int_equal(len, 999);
	expect_one(&d, msg);
	diags_free(&d);
}

static void test_prefix(void **state)
{
	(void)state;
	prefix_ok("10.0.0.1", AF_INET, "10.0.0.1", 32);
	prefix_ok("10.0.0.1/24", AF_INET, "10.0.0.1", 24);
	prefix_ok("0.0.0.0/0", AF_UNSPEC, "0.0.0.0", 0);
	prefix_ok("10.0.0.0/32", AF_INET, "10.0.0.0", 32);
	prefix_ok("2001:db8::1", AF_INET6, "2001:db8::1", 128);
	prefix_ok("2001:db8::/64", AF_UNSPEC, "2001:db8::", 64);
	prefix_ok("::/128", AF_INET6, "::", 128);
	prefix_ok("10.0.0.1/024", AF_INET, "10.0.0.1", 24);

	prefix_bad("10.0.0.1/33", AF_INET,
		   AT "'10.0.0.1/33' has an invalid prefix length (expected 0 to 32)");
	prefix_bad("::1/129", AF_INET6,
		   AT "'::1/129' has an invalid prefix length (expected 0 to 128)");
	prefix_bad("10.0.0.1/", AF_INET,
		   AT "'10.0.0.1/' has an invalid prefix length (expected 0 to 32)");
	prefix_bad("10.0.0.1/-1", AF_INET,
		   AT "'10.0.0.1/-1' has an invalid prefix length (expected 0 to 32)");
	prefix_bad("10.0.0.1/+8", AF_INET,
		   AT "'10.0.0.1/+8' has an invalid prefix length (expected 0 to 32)");
	prefix_bad("10.0.0.1/24/8", AF_INET,
		   AT "'10.0.0.1/24/8' has an invalid prefix length (expected 0 to 32)");
	prefix_bad("10.0.0.1/00000000000000000000024", AF_INET,
		   AT "'10.0.0.1/00000000000000000000024' has an invalid prefix length "
		   "(expected 0 to 32)");
	prefix_bad("10.0.0/24", AF_INET, AT "'10.0.0/24' is not a valid IPv4 address");
	prefix_bad("/24", AF_UNSPEC, AT "'/24' is not a valid IP address");
	prefix_bad("host/24", AF_UNSPEC, AT "'host/24' is not a valid IP address");
	prefix_bad("::1/64", AF_INET, AT "'::1/64' is an IPv6 address (expected an IPv4 address)");
	prefix_bad("1.2.3.4/8", AF_INET6,
		   AT "'1.2.3.4/8' is an IPv4 address (expected an IPv6 address)");
}

static void test_choice(void **state)
{
	static const char *const sched[] = { "rr", "wrr", "lc", "wlc", NULL };
	struct conf_word w;
	struct diags d;
	int idx = -1;

	(void)state;
	diags_init(&d);
	w = ut_word("wlc");
	assert_true(val_choice(&d, &w, sched, &idx));
	assert_int_equal(idx, 3);
	w = ut_word("RR");
	assert_true(val_choice(&d, &w, sched, &idx));
	assert_int_equal(idx, 0);
	w = ut_word("Wrr");
	assert_true(val_choice(&d, &w, sched, &idx));
	assert_int_equal(idx, 1);
	expect_none(&d);
	w = ut_word("sh");
	assert_false(val_choice(&d, &w, sched, &idx));
	assert_int_equal(idx, 1);
	expect_one(&d, AT "'sh' is not a valid choice (expected one of: rr, wrr, lc, wlc)");
	w = ut_word("");
	assert_false(val_choice(&d, &w, sched, &idx));
	expect_one(&d, AT "'' is not a valid choice (expected one of: rr, wrr, lc, wlc)");
	w = ut_word("rr ");
	assert_false(val_choice(&d, &w, sched, &idx));
	expect_one(&d, AT "'rr ' is not a valid choice (expected one of: rr, wrr, lc, wlc)");
	diags_free(&d);
}

static void test_string(void **state)
{
	char buf[9], big[200];
	struct conf_word w;
	struct diags d;

	(void)state;
	diags_init(&d);
	w = ut_word("abcdefgh");
	assert_true(val_string(&d, &w, 8, buf));
	assert_string_equal(buf, "abcdefgh");
	w = ut_word("a");
	assert_true(val_string(&d, &w, 8, buf));
	assert_string_equal(buf, "a");
	expect_none(&d);
	w = ut_word("abcdefghi");
	assert_false(val_string(&d, &w, 8, buf));
	assert_string_equal(buf, "a");
	expect_one(&d, AT "'abcdefghi' is too long (9 bytes, at most 8)");
	w = ut_word("");
	assert_false(val_string(&d, &w, 8, buf));
	expect_one(&d, AT "empty value (expected 1 to 8 bytes)");
	/* A long value is cut in the message. */
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	w = ut_word(big);
	assert_false(val_string(&d, &w, 8, buf));
	ut_assert_counts(&d, 1, 0);
	assert_non_null(strstr(d.items[0].msg, "zzz...' is too long (199 bytes, at most 8)"));
	assert_true(strlen(d.items[0].msg) < 120);
	diags_free(&d);
}

static void test_messages_escape_input(void **state)
{
	struct conf_word w = ut_word("1\x1b[2J");
	struct diags d;
	uint64_t v;

	(void)state;
	diags_init(&d);
	assert_false(val_uint(&d, &w, 1, 2, &v));
	expect_one(&d, AT "'1\\x1b[2J' is not a valid number (expected an integer from 1 to 2)");
	diags_free(&d);
}

static void test_ip_addr_str(void **state)
{
	struct ip_addr a;
	char buf[INET6_ADDRSTRLEN], small[4];

	(void)state;
	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, "192.168.1.10", &a.u.v4), 1);
	assert_string_equal(ip_addr_str(&a, buf, sizeof(buf)), "192.168.1.10");
	assert_string_equal(ip_addr_str(&a, small, sizeof(small)), "?");
	a.family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:0:0:1:0:0:1", &a.u.v6), 1);
	assert_string_equal(ip_addr_str(&a, buf, sizeof(buf)), "2001:db8::1:0:0:1");
	a.family = 12345;
	assert_string_equal(ip_addr_str(&a, buf, sizeof(buf)), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uint),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_seconds),
		cmocka_unit_test(test_port),
		cmocka_unit_test(test_ipaddr),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_choice),
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_messages_escape_input),
		cmocka_unit_test(test_ip_addr_str),
	};

	return cmocka_run_group_tests_name("value", tests, NULL, NULL);
}
