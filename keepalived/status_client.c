#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl_server.h"
#include "status_client.h"

/* Longer than the daemon's own wait for its children, so a slow child
 * shows as a null section rather than as a dead daemon. */
#define CLIENT_WAIT_S 8

static int connect_daemon(const char *run_dir, char *path, size_t path_len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = CLIENT_WAIT_S };
	int fd;

	snprintf(path, path_len, "%s/%s", run_dir, CTL_SOCKET_NAME);
	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* The whole answer, NUL-terminated; NULL with errno on failure. */
static char *read_answer(int fd, size_t *len)
{
	size_t cap = 4096;
	char *buf = malloc(cap);

	*len = 0;
	while (buf) {
		ssize_t n;

		if (*len + 1 == cap) {
			char *grown = realloc(buf, cap * 2);

			if (!grown)
				break;
			buf = grown;
			cap *= 2;
		}
		n = recv(fd, buf + *len, cap - 1 - *len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (n == 0) {
			buf[*len] = '\0';
			return buf;
		}
		*len += (size_t)n;
	}
	free(buf);
	return NULL;
}

int status_client_run(const struct options *o)
{
	const char *req = o->status_json ? "status\n" : "summary\n";
	char path[512], *answer;
	size_t len;
	int fd = connect_daemon(o->run_dir, path, sizeof(path));

	if (fd < 0) {
		fprintf(stderr, "keepalived: no daemon answers on %s: %s\n", path,
			strerror(errno));
		return EXIT_FAILURE;
	}
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) != (ssize_t)strlen(req) ||
	    !(answer = read_answer(fd, &len))) {
		fprintf(stderr, "keepalived: no answer from the daemon on %s: %s\n", path,
			errno == EAGAIN ? "timed out" : strerror(errno));
		close(fd);
		return EXIT_FAILURE;
	}
	close(fd);
	if (len == 0 || strncmp(answer, "{\"error\"", 8) == 0) {
		fprintf(stderr, "keepalived: the daemon on %s answered: %s\n", path,
			len ? answer : "nothing\n");
		free(answer);
		return EXIT_FAILURE;
	}
	fwrite(answer, 1, len, stdout);
	free(answer);
	return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
