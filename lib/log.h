/* Logging to syslog, or to stderr when asked (-l).  One line per event.
 * log_warn() appends strerror(errno); log_warnx() does not.  log_debug()
 * lines appear only with detailed logging (-D). */
#ifndef KA_LOG_H
#define KA_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdarg.h>

/* `ident` names the process in syslog ("Keepalived_vrrp"); `facility` is a
 * LOG_* facility value. May be called again (e.g. in a child) to rename. */
void log_init(const char *ident, bool to_console, int facility, bool detail);

/* Map keepalived's -S argument (0..7 for local0..local7) to a facility. */
int log_facility_local(int n);

bool log_detail_enabled(void);

void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write a message into a caller's error buffer (the "err, errlen" of
 * functions that leave logging to their caller); a NULL or empty buffer is
 * left alone. */
void errbuf_set(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Broken invariants only: log and exit(1). */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
