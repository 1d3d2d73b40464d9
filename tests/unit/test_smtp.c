/* E-mail alerts: SMTP reply parsing, DATA encoding (dot-stuffing, line
 * ends), the alert message format, and the client's bounded queue. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "alert.h"
#include "smtp.h"
#include "smtp_proto.h"

static int feed(struct smtp_reply *r, const char *line)
{
	return smtp_reply_feed(r, line, strlen(line));
}

static void test_reply_one_line(void **state)
{
	struct smtp_reply r;

	(void)state;
	smtp_reply_reset(&r);
	assert_int_equal(feed(&r, "220 mail.example.com ESMTP ready"), 1);
	assert_int_equal(r.code, 220);
	assert_string_equal(r.text, "mail.example.com ESMTP ready");
	assert_int_equal(smtp_code_class(r.code), 2);
	smtp_reply_reset(&r);
	assert_int_equal(feed(&r, "354"), 1);	/* a code alone is a whole reply */
	assert_int_equal(r.code, 354);
	assert_string_equal(r.text, "");
}

static void test_reply_multi_line(void **state)
{
	struct smtp_reply r;

	(void)state;
	smtp_reply_reset(&r);
	assert_int_equal(feed(&r, "250-mail.example.com greets you"), 0);
	assert_false(r.complete);
	assert_int_equal(feed(&r, "250-8BITMIME"), 0);
	assert_int_equal(feed(&r, "250-"), 0);
	assert_int_equal(feed(&r, "250 HELP"), 1);
	assert_true(r.complete);
	assert_int_equal(r.code, 250);
	assert_string_equal(r.text, "HELP");
	smtp_reply_reset(&r);
	assert_int_equal(feed(&r, "550 no\x1b[2Jway\x7f"), 1);	/* kept out of our logs */
	assert_string_equal(r.text, "no?[2Jway?");
}

static void test_reply_malformed(void **state)
{
	static const char *const bad[] = {
		"", "25", "2x0 ok", "250x ok", "199 too low", "600 too high", "-250 x", NULL,
	};
	struct smtp_reply r;
	char longline[SMTP_LINE_MAX + 10];

	(void)state;
	for (size_t i = 0; bad[i]; i++) {
		smtp_reply_reset(&r);
		assert_int_equal(feed(&r, bad[i]), -1);
	}
	/* every line of one reply carries the same code */
	smtp_reply_reset(&r);
	assert_int_equal(feed(&r, "250-first"), 0);
	assert_int_equal(feed(&r, "251 second"), -1);
	/* a line longer than RFC 5321 allows */
	memset(longline, 'a', sizeof(longline));
	memcpy(longline, "250 ", 4);
	longline[sizeof(longline) - 1] = '\0';
	smtp_reply_reset(&r);
	assert_int_equal(feed(&r, longline), -1);
	longline[SMTP_LINE_MAX - 1] = '\0';	/* 511 bytes + CRLF: the limit */
	assert_int_equal(feed(&r, longline), 1);
}

static void assert_encodes(const char *in, const char *want)
{
	size_t len;
	char *out = smtp_data_encode(in, &len);

	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	free(out);
}

static void test_dot_stuffing(void **state)
{
	(void)state;
	assert_encodes("a\n.b\n..c\nd", "a\r\n..b\r\n...c\r\nd\r\n.\r\n");
	assert_encodes(".\n", "..\r\n.\r\n");		/* a lone dot would end DATA */
	assert_encodes("x.y\n a.\n", "x.y\r\n a.\r\n.\r\n");	/* only at a line start */
	assert_encodes(".first", "..first\r\n.\r\n");
	assert_encodes("", ".\r\n");
}

static void test_line_ends(void **state)
{
	(void)state;
	assert_encodes("a\r\nb\rc\n\nd\r\n", "a\r\nb\r\nc\r\n\r\nd\r\n.\r\n");
	assert_encodes("a\r\n.\r\n", "a\r\n..\r\n.\r\n");
}

static void test_alert_format(void **state)
{
	char *to[] = { "ops@example.com", "oncall@example.net" };
	struct alert_ident id = { "LB1", "ka@example.com", to, 2, "lb1.example.com" };
	char want[1024], *m;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	/* a subject cannot smuggle in a header of its own */
	m = alert_format(&id, "VRRP instance VI_1 is now MASTER\r\nBcc: x@y",
			 ".VI_1\nwent up.", 1795000000, 7);
	assert_non_null(m);
	snprintf(want, sizeof(want),
		 "From: ka@example.com\n"
		 "To: ops@example.com,\n oncall@example.net\n"
		 "Subject: [LB1] VRRP instance VI_1 is now MASTER  Bcc: x@y\n"
		 "Date: Wed, 18 Nov 2026 11:06:40 +0000\n"
		 "Message-ID: <1795000000.%ld.7@lb1.example.com>\n"
		 "MIME-Version: 1.0\n"
		 "Content-Type: text/plain; charset=UTF-8\n"
		 "Content-Transfer-Encoding: 8bit\n"
		 "\n"
		 ".VI_1\nwent up.\n"
		 "-- \nkeepalived on router LB1\n", (long)getpid());
	assert_string_equal(m, want);
	free(m);
}

static void test_alert_date_keeps_the_zone(void **state)
{
	char *to[] = { "ops@example.com" };
	struct alert_ident id = { "LB1", "ka@example.com", to, 1, "lb1" };
	char *m;

	(void)state;
	setenv("TZ", "IST-5:30", 1);	/* POSIX: UTC+5:30, no rules files needed */
	tzset();
	m = alert_format(&id, "s", "b", 1795000000, 1);
	assert_non_null(m);
	assert_non_null(strstr(m, "\nDate: Wed, 18 Nov 2026 16:36:40 +0530\n"));
	free(m);
	setenv("TZ", "XST8", 1);	/* UTC-8 */
	tzset();
	m = alert_format(&id, "s", "b", 1795000000, 1);
	assert_non_null(m);
	assert_non_null(strstr(m, "\nDate: Wed, 18 Nov 2026 03:06:40 -0800\n"));
	free(m);
}

/* A server that never answers (a listening socket nobody accepts on):
 * the first message stays in flight, 32 wait, and the oldest of the
 * others are dropped and counted; nothing leaks when the client goes. */
static void test_queue_is_bounded(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct smtp_client *c = smtp_client_new(loop);
	struct sockaddr_in *sin;
	struct smtp_server srv = { .step_timeout_us = 1000000, .helo = "unit" };
	struct smtp_stats st;
	char *rcpt[] = { "a@example.com" };
	socklen_t len = sizeof(*sin);
	int ls = socket(AF_INET, SOCK_STREAM, 0);

	(void)state;
	assert_non_null(loop);
	assert_non_null(c);
	assert_int_equal(smtp_client_send(c, "f@example.com", rcpt, 1, "x"), -1); /* no server */
	sin = (struct sockaddr_in *)&srv.addr;
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(ls, (struct sockaddr *)sin, len), 0);
	assert_int_equal(listen(ls, 4), 0);
	assert_int_equal(getsockname(ls, (struct sockaddr *)sin, &len), 0);
	srv.addr_len = len;
	smtp_client_set_server(c, &srv);
	assert_false(smtp_client_busy(c));
	for (int i = 0; i < SMTP_QUEUE_MAX + 8; i++)
		assert_int_equal(smtp_client_send(c, "f@example.com", rcpt, 1, "x"), 0);
	assert_true(smtp_client_busy(c));
	smtp_client_stats(c, &st);
	assert_int_equal(st.dropped, 7);	/* 40 = 1 in flight + 32 waiting + 7 */
	assert_int_equal(st.sent, 0);
	smtp_client_free(c);
	ev_loop_free(loop);
	close(ls);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_one_line),
		cmocka_unit_test(test_reply_multi_line),
		cmocka_unit_test(test_reply_malformed),
		cmocka_unit_test(test_dot_stuffing),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_alert_format),
		cmocka_unit_test(test_alert_date_keeps_the_zone),
		cmocka_unit_test(test_queue_is_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
