/* TCP_CHECK: the server is up when a TCP connection to it is established
 * within connect_timeout.  Non-blocking from start to end: the connect is
 * watched by the event loop, its deadline is the checker's timer.  The
 * connect itself (source binding, mark, device) is shared with HTTP_GET. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_rt.h"
#include "log.h"

static enum check_result classify(int err)
{
	switch (err) {
	case 0: return CHECK_OK;
	case ECONNREFUSED: return CHECK_CONNECT_REFUSED;
	case ETIMEDOUT: return CHECK_CONNECT_TIMEOUT;
	case EHOSTUNREACH: case ENETUNREACH: case EHOSTDOWN: case ENETDOWN:
		return CHECK_UNREACHABLE;
	default: return CHECK_CONNECT_ERROR;
	}
}

static void finish(struct checker_rt *c, enum check_result r, int err)
{
	char detail[96];

	tcp_check_abort(c);
	if (r == CHECK_OK || !err)
		snprintf(detail, sizeof(detail), "%s", check_result_name(r));
	else
		snprintf(detail, sizeof(detail), "%s", strerror(err));
	check_done(c, r, detail);
}

static void on_writable(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct checker_rt *c = arg;
	int err = 0;
	enum check_result r = CHECK_OK;

	(void)loop;
	/* A socket still connecting is never writable, and a failed connect
	 * raises EPOLLERR (with EPOLLHUP): writable without them is connected,
	 * and getsockopt would only confirm it. */
	if (events & (EPOLLERR | EPOLLHUP))
		r = check_connect_result(fd, &err);
	finish(c, r, err);
}

/* A busy loop runs its due timers before the events it has not read yet,
 * so the connection may well be established, its event pending: then it
 * is not a timeout.  Without this look, 10,000 checks a second on a
 * saturated machine declared most real servers down (bench/README.md). */
static void on_deadline(struct ev_loop *loop, void *arg)
{
	struct checker_rt *c = arg;
	struct pollfd p = { .fd = c->fd, .events = POLLOUT };
	uint32_t events = 0;

	if (poll(&p, 1, 0) == 1 && (p.revents & (POLLOUT | POLLERR | POLLHUP))) {
		events = (p.revents & POLLOUT ? EPOLLOUT : 0) |
			 (p.revents & POLLERR ? EPOLLERR : 0) | (p.revents & POLLHUP ? EPOLLHUP : 0);
		on_writable(loop, c->fd, events, c);
		return;
	}
	finish(c, CHECK_CONNECT_TIMEOUT, 0);
}

static int bind_source(int fd, const struct checker_conf *cc)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (cc->bind_if[0] &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, cc->bind_if, strlen(cc->bind_if)) < 0)
		return -1;
	if (cc->fwmark && setsockopt(fd, SOL_SOCKET, SO_MARK, &cc->fwmark, sizeof(cc->fwmark)) < 0)
		return -1;
	if (!cc->has_bindto && !cc->bind_port)
		return 0;
	if (cc->has_bindto)
		len = ip_addr_sockaddr(&cc->bindto, cc->bind_port, &ss);
	else {
		struct ip_addr any = { .family = cc->connect_ip.family };

		len = ip_addr_sockaddr(&any, cc->bind_port, &ss);
	}
	return bind(fd, (struct sockaddr *)&ss, len);
}

/* Open c->fd and start connecting it to the checker's target; `ready`
 * runs once the socket is writable, which is also how an immediate
 * success is reported, so the caller has one path.  Returns CHECK_OK while
 * connecting, else the failure with *err its errno (0: none); c->fd may
 * then be open: check_connect_close() it. */
enum check_result check_connect_start(struct checker_rt *c, ev_io_fn *ready, int *err)
{
	const struct checker_conf *cc = c->conf;
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	*err = 0;
	fd = socket(cc->connect_ip.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*err = errno;
		return CHECK_SOCKET_ERROR;
	}
	c->fd = fd;
	if (bind_source(fd, cc) < 0) {
		*err = errno;
		return CHECK_BIND_ERROR;
	}
	len = ip_addr_sockaddr(&cc->connect_ip, cc->connect_port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS) {
		*err = errno;
		return classify(errno);
	}
	if (ev_io_add(c->rt->loop, fd, EPOLLOUT, ready, c) < 0) {
		*err = errno;
		return CHECK_SOCKET_ERROR;
	}
	return CHECK_OK;
}

/* In `ready`: how the connect ended. */
enum check_result check_connect_result(int fd, int *err)
{
	socklen_t len = sizeof(*err);

	*err = 0;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, err, &len) < 0)
		*err = errno;
	return classify(*err);
}

void check_connect_close(struct checker_rt *c)
{
	if (c->fd >= 0) {
		ev_io_close(c->rt->loop, c->fd);
		c->fd = -1;
	}
}

void tcp_check_begin(struct checker_rt *c)
{
	int err;
	enum check_result r = check_connect_start(c, on_writable, &err);

	if (r != CHECK_OK) {
		finish(c, r, err);
		return;
	}
	ev_timer_init(&c->deadline, on_deadline, c);
	/* Coarse: a timeout a few milliseconds long costs nothing, and the
	 * clock is not read again for every check (see event.h). */
	ev_timer_arm_coarse(c->rt->loop, &c->deadline, c->conf->connect_timeout_us,
			    CHECK_GRAIN_US);
}

/* Drop the attempt in flight, if any. */
void tcp_check_abort(struct checker_rt *c)
{
	check_connect_close(c);
	ev_timer_disarm(c->rt->loop, &c->deadline);
}
