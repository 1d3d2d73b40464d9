/* Logging; see log.h.
 *
 * The logger is process-wide state by nature (syslog is), so it lives in one
 * static struct here.  Every message is formatted into a bounded buffer and
 * scrubbed of control characters before it leaves: names and strings read
 * from configs, scripts and the network end up in log lines, and a newline
 * in one of them must not forge a second line. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOG_LINE_MAX 2048
#define LOG_IDENT_MAX 64

enum log_level { LVL_ERROR, LVL_WARNING, LVL_INFO, LVL_DEBUG };

static const struct {
	const char *word;
	int prio;
} log_levels[] = {
	[LVL_ERROR] = { "ERROR", LOG_ERR },
	[LVL_WARNING] = { "WARNING", LOG_WARNING },
	[LVL_INFO] = { "INFO", LOG_INFO },
	[LVL_DEBUG] = { "DEBUG", LOG_DEBUG },
};

/* Until log_init() runs (option parsing, early errors) lines go to stderr. */
static struct {
	char ident[LOG_IDENT_MAX];	/* openlog() keeps this pointer */
	bool to_console;
	bool detail;
	bool syslog_open;
} logger = { "keepalived", true, false, false };

void log_init(const char *ident, bool to_console, int facility, bool detail)
{
	if (logger.syslog_open) {
		closelog();
		logger.syslog_open = false;
	}
	snprintf(logger.ident, sizeof(logger.ident), "%s", ident ? ident : "keepalived");
	logger.to_console = to_console;
	logger.detail = detail;
	if (!to_console) {
		openlog(logger.ident, LOG_PID | LOG_NDELAY, facility);
		logger.syslog_open = true;
	}
}

int log_facility_local(int n)
{
	static const int local[] = {
		LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3,
		LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7,
	};

	if (n < 0 || n > 7)
		return LOG_DAEMON;
	return local[n];
}

bool log_detail_enabled(void)
{
	return logger.detail;
}

static void log_scrub(char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			*s = '?';
	}
}

/* One write() per line so lines from several processes never interleave. */
static void log_to_console(enum log_level lvl, const char *msg)
{
	char line[LOG_LINE_MAX + 128], stamp[32];
	struct timespec ts;
	struct tm tm;
	int n;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	if (strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		stamp[0] = '\0';
	n = snprintf(line, sizeof(line), "%s.%03ld %s[%ld]: %s: %s\n", stamp,
		     ts.tv_nsec / 1000000L, logger.ident, (long)getpid(),
		     log_levels[lvl].word, msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = (int)sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	(void)!write(STDERR_FILENO, line, (size_t)n);
}

/* Format, optionally append strerror(errnum), scrub, and emit.  errno is
 * preserved so callers can log and still inspect it. */
static void log_emit(enum log_level lvl, int errnum, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void log_emit(enum log_level lvl, int errnum, const char *fmt, va_list ap)
{
	char msg[LOG_LINE_MAX];
	int saved = errno;

	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		snprintf(msg, sizeof(msg), "(unformattable log message)");
	if (errnum != 0) {
		char ebuf[128];
		size_t len = strlen(msg);

		snprintf(msg + len, sizeof(msg) - len, ": %s",
			 strerror_r(errnum, ebuf, sizeof(ebuf)));
	}
	log_scrub(msg);
	if (logger.to_console)
		log_to_console(lvl, msg);
	else
		syslog(log_levels[lvl].prio, "%s", msg);
	errno = saved;
}

void log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LVL_ERROR, 0, fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	int errnum = errno;
	va_list ap;

	va_start(ap, fmt);
	log_emit(LVL_WARNING, errnum, fmt, ap);
	va_end(ap);
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LVL_WARNING, 0, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LVL_INFO, 0, fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!logger.detail)
		return;
	va_start(ap, fmt);
	log_emit(LVL_DEBUG, 0, fmt, ap);
	va_end(ap);
}

void fatal(const char *fmt, ...)
{
	int errnum = errno;
	va_list ap;

	va_start(ap, fmt);
	log_emit(LVL_ERROR, errnum, fmt, ap);
	va_end(ap);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LVL_ERROR, 0, fmt, ap);
	va_end(ap);
	exit(1);
}

void errbuf_set(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (buf == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}
