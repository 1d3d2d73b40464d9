/* systemd notifications (see sd_notify.h).  The socket is a path, or an
 * abstract name when it starts with '@' (sd_notify(3)). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "sd_notify.h"

static struct {
	struct sockaddr_un addr;
	socklen_t len;			/* 0: no NOTIFY_SOCKET */
	bool failed_once;
} notify;

void sd_notify_init(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	size_t n;

	if (!path || !*path)
		return;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(notify.addr.sun_path)) {
		log_warnx("NOTIFY_SOCKET '%s' is not a socket path: not notifying systemd", path);
	} else {
		notify.addr.sun_family = AF_UNIX;
		memcpy(notify.addr.sun_path, path, n);
		if (path[0] == '@')
			notify.addr.sun_path[0] = '\0';
		notify.len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	}
	unsetenv("NOTIFY_SOCKET");
}

void sd_notify(const char *state)
{
	int fd;
	ssize_t n = -1;

	if (!notify.len)
		return;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		n = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
			   (const struct sockaddr *)&notify.addr, notify.len);
		close(fd);
	}
	if (n < 0 && !notify.failed_once) {
		notify.failed_once = true;
		log_warn("cannot notify systemd");
	}
}

void sd_notifyf(const char *state, const char *fmt, ...)
{
	char msg[512];
	int n = snprintf(msg, sizeof(msg), "%s\nSTATUS=", state);
	va_list ap;

	if (n < 0 || (size_t)n >= sizeof(msg))
		return;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	sd_notify(msg);
}
