/* E-mail alerts: message formatting and the settings of global_defs. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert.h"
#include "log.h"
#include "smtp.h"

#define SUBJECT_MAX	200

struct alerter {
	struct smtp_client *smtp;
	bool ready;
	char router_id[ROUTER_ID_MAX + 1];
	char helo[SMTP_HELO_MAX + 1];
	char from[EMAIL_MAX + SMTP_HELO_MAX + 8];	/* room for root@HELO */
	char **to;
	size_t n_to;
	unsigned long seq;
};

/* RFC 5322 3.3, "Sun, 22 Nov 2026 03:11:41 +0100"; names spelt out here
 * because strftime's %a and %b follow the locale. */
static void rfc5322_date(time_t when, char *buf, size_t len)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	long off;

	localtime_r(&when, &tm);
	off = tm.tm_gmtoff / 60;
	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", days[tm.tm_wday],
		 tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec, off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

/* A header value stays on its line: control characters become spaces and
 * 8-bit bytes '?' (headers are ASCII), and it is cut at `len` - 1 bytes. */
static void header_safe(const char *in, char *out, size_t len)
{
	size_t i = 0;

	for (; *in && i + 1 < len; in++) {
		unsigned char ch = (unsigned char)*in;

		out[i++] = ch < ' ' || ch == 0x7f ? ' ' : ch >= 0x80 ? '?' : (char)ch;
	}
	out[i] = '\0';
}

/* "To: a@x,\n b@y": one recipient per line keeps every line short. */
static size_t to_header(const struct alert_ident *id, char *buf, size_t len)
{
	size_t used = (size_t)snprintf(buf, len, "To:");

	for (size_t i = 0; i < id->n_to && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s %s",
					 i ? ",\n" : "", id->to[i]);
	return used;
}

char *alert_format(const struct alert_ident *id, const char *subject, const char *body,
		   time_t when, unsigned long seq)
{
	char date[64], subj[SUBJECT_MAX + 1], rid[ROUTER_ID_MAX + 1];
	size_t to_len = 8, len;
	char *to, *out;

	for (size_t i = 0; i < id->n_to; i++)
		to_len += strlen(id->to[i]) + 4;
	to = malloc(to_len);
	if (!to)
		return NULL;
	to_header(id, to, to_len);
	rfc5322_date(when, date, sizeof(date));
	header_safe(subject, subj, sizeof(subj));
	header_safe(id->router_id, rid, sizeof(rid));
	len = strlen(to) + strlen(body) + 3 * sizeof(rid) + sizeof(subj) + strlen(id->from) +
	      strlen(id->helo) + 400;
	out = malloc(len);
	if (out)
		snprintf(out, len,
			 "From: %s\n%s\nSubject: [%s] %s\nDate: %s\n"
			 "Message-ID: <%lld.%ld.%lu@%s>\nMIME-Version: 1.0\n"
			 "Content-Type: text/plain; charset=UTF-8\n"
			 "Content-Transfer-Encoding: 8bit\n\n"
			 "%s\n-- \nkeepalived on router %s\n",
			 id->from, to, rid, subj, date, (long long)when, (long)getpid(), seq,
			 id->helo, body, id->router_id);
	free(to);
	return out;
}

/* ---- the alerter ---------------------------------------------------------- */

struct alerter *alerter_new(struct ev_loop *loop)
{
	struct alerter *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->smtp = smtp_client_new(loop);
	if (!a->smtp) {
		free(a);
		return NULL;
	}
	return a;
}

static void free_recipients(struct alerter *a)
{
	for (size_t i = 0; i < a->n_to; i++)
		free(a->to[i]);
	free(a->to);
	a->to = NULL;
	a->n_to = 0;
}

static void copy_recipients(struct alerter *a, const struct global_conf *g)
{
	free_recipients(a);
	a->to = calloc(g->n_notification_email + 1, sizeof(*a->to));
	if (!a->to)
		return;
	for (size_t i = 0; i < g->n_notification_email; i++)
		if ((a->to[a->n_to] = strdup(g->notification_email[i])))
			a->n_to++;
}

static void server_address(const struct global_conf *g, struct smtp_server *s)
{
	s->addr_len = ip_addr_sockaddr(&g->smtp_server, g->smtp_port, &s->addr);
}

void alerter_configure(struct alerter *a, const struct global_conf *g)
{
	struct smtp_server s;

	if (g->router_id[0])
		snprintf(a->router_id, sizeof(a->router_id), "%s", g->router_id);
	else if (gethostname(a->router_id, sizeof(a->router_id) - 1) < 0)
		snprintf(a->router_id, sizeof(a->router_id), "localhost");
	snprintf(a->helo, sizeof(a->helo), "%s",
		 g->smtp_helo_name[0] ? g->smtp_helo_name : a->router_id);
	/* keepalived's habit: without a sender, mail comes from root@router */
	if (g->notification_email_from[0])
		snprintf(a->from, sizeof(a->from), "%s", g->notification_email_from);
	else
		snprintf(a->from, sizeof(a->from), "root@%s", a->helo);
	copy_recipients(a, g);
	a->ready = g->has_smtp_server && a->n_to;
	if (!g->has_smtp_server)
		return;
	server_address(g, &s);
	s.step_timeout_us = g->smtp_connect_timeout_us;
	snprintf(s.helo, sizeof(s.helo), "%s", a->helo);
	smtp_client_set_server(a->smtp, &s);
}

bool alerter_ready(const struct alerter *a)
{
	return a->ready;
}

const char *alerter_router_id(const struct alerter *a)
{
	return a->router_id;
}

void alert_send(struct alerter *a, const char *subject, const char *body)
{
	struct alert_ident id = { a->router_id, a->from, a->to, a->n_to, a->helo };
	char *text;

	if (!a->ready)
		return;
	text = alert_format(&id, subject, body, time(NULL), ++a->seq);
	if (!text || smtp_client_send(a->smtp, a->from, a->to, a->n_to, text) < 0)
		log_err("e-mail alert '%s': out of memory", subject);
	free(text);
}

bool alerter_busy(const struct alerter *a)
{
	return smtp_client_busy(a->smtp);
}

void alerter_free(struct alerter *a)
{
	if (!a)
		return;
	smtp_client_free(a->smtp);
	free_recipients(a);
	free(a);
}
