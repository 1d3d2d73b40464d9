/* E-mail alerts: what global_defs says about them (recipients, sender,
 * server, router_id) turned into messages for the SMTP client.  Each child
 * owns one alerter; its hooks call alert_send() with a subject and a body,
 * and never wait for the mail to go out.
 *
 * This file reads struct global_conf (keepalived/global_conf.h), a plain
 * struct, so the VRRP and checker children configure it the same way. */
#ifndef KA_ALERT_H
#define KA_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "event.h"
#include "keepalived/global_conf.h"

struct alerter;

/* What a message says about its sender; strings are the caller's. */
struct alert_ident {
	const char *router_id;		/* in the subject and the body */
	const char *from;		/* From: */
	char *const *to;		/* To:, every recipient */
	size_t n_to;
	const char *helo;		/* the domain part of Message-ID */
};

/* The whole message for `subject` and `body` (LF line ends, dot-stuffing
 * is the SMTP client's job): From, To, Subject ("[ROUTER_ID] subject"),
 * Date (RFC 5322, local time, from `when`), Message-ID (from `seq`),
 * MIME-Version and a text/plain UTF-8 Content-Type, a blank line, the
 * body, then a signature naming the router.  Control characters in the
 * subject become spaces so it stays one header line.  Pure but for the
 * time zone; NULL when out of memory. */
char *alert_format(const struct alert_ident *id, const char *subject, const char *body,
		   time_t when, unsigned long seq);

/* An alerter that sends nothing until configured, or NULL when out of
 * memory. */
struct alerter *alerter_new(struct ev_loop *loop);

/* Take (copies of) the e-mail settings of `g`: recipients, sender, server,
 * port, step timeout, HELO name (default: the router_id) and router_id
 * (default: the host name).  Messages already queued keep their old
 * envelope.  Call again after a reload. */
void alerter_configure(struct alerter *a, const struct global_conf *g);

/* Whether alerts can go anywhere: a server and at least one recipient. */
bool alerter_ready(const struct alerter *a);

/* The router_id alerts name (the configured one or the host name). */
const char *alerter_router_id(const struct alerter *a);

/* Queue one alert; a no-op when not ready.  Never blocks; failures are the
 * SMTP client's to log. */
void alert_send(struct alerter *a, const char *subject, const char *body);

/* Whether mail is still queued or in flight (shutdown waits a little). */
bool alerter_busy(const struct alerter *a);

/* NULL is accepted. */
void alerter_free(struct alerter *a);

#endif
