/* systemd's readiness protocol (sd_notify(3)) without libsystemd: one
 * datagram per state to the socket named by $NOTIFY_SOCKET. */
#ifndef KA_SD_NOTIFY_H
#define KA_SD_NOTIFY_H

/* Take $NOTIFY_SOCKET from the environment (and remove it, so that no
 * child process or script inherits it).  Call once, early, in the parent.
 * Without the variable every sd_notify() is a no-op. */
void sd_notify_init(void);

/* Send `state` ("READY=1", "RELOADING=1\nSTATUS=...", ...).  Failures are
 * logged once and otherwise ignored: systemd's bookkeeping must never stop
 * the daemon. */
void sd_notify(const char *state);

/* sd_notify() with "STATUS=" + a printf-style text appended to `state`. */
void sd_notifyf(const char *state, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
