/* An asynchronous SMTP client on the event loop, for alerts.  Messages
 * wait in a bounded queue and go out one at a time, each in its own
 * session: greeting, EHLO (HELO when EHLO is refused), MAIL FROM, one RCPT
 * TO per recipient, DATA, QUIT.  Connect and I/O are non-blocking and each
 * step has its own timeout, so a dead or hung server costs memory bounded
 * by the queue and never delays the caller.
 *
 * Retry policy: a message that fails for a temporary reason (no
 * connection, a timeout, a 4xx reply) is tried once more SMTP_RETRY_US
 * later, then dropped; one refused for good (5xx) is dropped at once.
 * Failures are logged once per outage and the recovery once. */
#ifndef KA_SMTP_H
#define KA_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "event.h"

#define SMTP_QUEUE_MAX	32
#define SMTP_RETRY_US	(5ull * 1000000)
#define SMTP_HELO_MAX	255

struct smtp_client;

/* Where and how to send. */
struct smtp_server {
	struct sockaddr_storage addr;
	socklen_t addr_len;
	uint64_t step_timeout_us;	/* connect, and each reply */
	char helo[SMTP_HELO_MAX + 1];	/* our name in EHLO/HELO */
};

struct smtp_stats {
	uint64_t sent;
	uint64_t failed;	/* dropped after the retry, or refused */
	uint64_t dropped;	/* pushed out of a full queue */
	uint64_t retried;
};

/* A client with nothing to send, or NULL when out of memory. */
struct smtp_client *smtp_client_new(struct ev_loop *loop);

/* Use `s` for the sessions that start from now on (a session in progress
 * finishes with the old server). */
void smtp_client_set_server(struct smtp_client *c, const struct smtp_server *s);

/* Queue a message: envelope sender `from`, recipients rcpt[0..n_rcpt), and
 * `text`, the whole message (headers, blank line, body) with LF or CRLF
 * line ends; it is dot-stuffed here.  Everything is copied.  When the queue
 * is full the oldest waiting message is dropped (and counted).  Returns 0,
 * or -1 when out of memory or without a server or recipient. */
int smtp_client_send(struct smtp_client *c, const char *from, char *const *rcpt, size_t n_rcpt,
		     const char *text);

/* Whether a message is queued or in flight. */
bool smtp_client_busy(const struct smtp_client *c);

void smtp_client_stats(const struct smtp_client *c, struct smtp_stats *out);

/* Abort any session, drop the queue, free.  NULL is accepted. */
void smtp_client_free(struct smtp_client *c);

#endif
