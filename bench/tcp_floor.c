/* The least a TCP_CHECK can cost: the reference point of checker_scale.py.
 *
 *   tcp_floor ADDR FIRST_PORT COUNT
 *
 * Connects to ADDR:PORT for every PORT in FIRST_PORT..FIRST_PORT+COUNT-1,
 * each once a second, and closes each connection as soon as it is
 * established, exactly as a TCP_CHECK with delay_loop 1 does on the wire
 * (handshake, then FIN).  It does nothing else: no configuration, no
 * timeouts, no IPVS, no logging, and about four system calls a check
 * (socket, connect, epoll_ctl, close, plus a shared epoll_wait).  Most of
 * a health checker's CPU is the kernel's TCP work on both ends of these
 * connections (through veth, the receiver's processing runs in the
 * sender's context); what this program costs is that work, which no
 * daemon making the same checks can avoid.  Runs until killed. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS		10	/* connects fall due on a 10 ms grid, as ours do */
#define BATCH		256

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Start the connect to port `i`; the epoll data carries (i, fd). */
static void start(int ep, struct sockaddr_in sa, int first, int i)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct epoll_event e = { .events = EPOLLOUT };

	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	sa.sin_port = htons((uint16_t)(first + i));
	connect(fd, (struct sockaddr *)&sa, sizeof(sa));	/* EINPROGRESS */
	e.data.u64 = ((uint64_t)i << 32) | (uint32_t)fd;
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct epoll_event ev[BATCH];
	int first, count, ep;
	double *due, t;

	if (argc != 4 || inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "usage: tcp_floor ADDR FIRST_PORT COUNT\n");
		return 2;
	}
	first = atoi(argv[2]);
	count = atoi(argv[3]);
	setrlimit(RLIMIT_NOFILE, &(struct rlimit){ (rlim_t)count + 64, (rlim_t)count + 64 });
	ep = epoll_create1(EPOLL_CLOEXEC);
	due = calloc((size_t)count, sizeof(*due));
	if (ep < 0 || !due)
		return 1;
	t = now();
	for (int i = 0; i < count; i++)		/* spread over the first second */
		due[i] = t + (double)i / count;
	for (;;) {
		int n;

		t = now();
		for (int i = 0; i < count; i++) {
			if (due[i] > 0 && due[i] <= t) {
				start(ep, sa, first, i);
				due[i] = 0;	/* in flight */
			}
		}
		n = epoll_wait(ep, ev, BATCH, TICK_MS);
		t = now();
		for (int k = 0; k < n; k++) {
			close((int)(uint32_t)ev[k].data.u64);
			due[ev[k].data.u64 >> 32] = t + 1.0;
		}
	}
}
