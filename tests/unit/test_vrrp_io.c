/* Unit tests for VRRP packet I/O: the IP header and gratuitous ARP frame
 * builders byte for byte, then real sockets across a veth pair whose ends
 * live in two fresh network namespaces (A: va 10.0.0.1/24, B: vb
 * 10.0.0.2/24).  Two namespaces, because the kernel refuses multicast whose
 * source is one of its own addresses and routes unicast to a local address
 * over loopback.  Needs root. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include <cmocka.h>

#include "vrrp_arp.h"
#include "vrrp_packet.h"
#include "vrrp_socket.h"

#define WAIT_MS 300
#define TRIES 10

struct fixture {
	int ns_a, ns_b;		/* namespace descriptors */
	int va, vb;		/* ifindexes, each in its namespace */
	struct vrrp_sock sa, sb, sb_uni;
	struct garp_sock g;
	int cap;		/* ARP capture socket in B */
};

static struct in_addr v4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static void enter(int ns)
{
	assert_int_equal(setns(ns, CLONE_NEWNET), 0);
}

static uint16_t sum16(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Wait up to WAIT_MS for fd to become readable. */
static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, WAIT_MS) == 1;
}

/* ---- namespaces ---- */

/* A process that sits in a new namespace until we hold the namespace by
 * a descriptor of our own. */
static pid_t ns_holder(void)
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWNET) == 0 && write(p[1], "x", 1) == 1)
			pause();
		_exit(1);
	}
	close(p[1]);
	if (pid > 0 && read(p[0], &c, 1) != 1)
		pid = -1;
	close(p[0]);
	return pid;
}

static int make_namespaces(struct fixture *f)
{
	char path[64], cmd[128];
	pid_t holder;
	int rc;

	if (unshare(CLONE_NEWNET) < 0)
		return -1;
	f->ns_a = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	holder = ns_holder();
	if (f->ns_a < 0 || holder < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)holder);
	f->ns_b = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(cmd, sizeof(cmd), "ip link add va type veth peer name vb netns %d", (int)holder);
	rc = system(cmd);
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	return f->ns_b >= 0 && rc == 0 ? 0 : -1;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	*state = f;
	f->ns_a = f->ns_b = f->cap = f->g.fd = -1;
	f->sa.fd = f->sb.fd = f->sb_uni.fd = -1;
	if (make_namespaces(f) < 0)
		return -1;
	if (system("ip link set va up && ip addr add 10.0.0.1/24 dev va") != 0)
		return -1;
	f->va = (int)if_nametoindex("va");
	if (setns(f->ns_b, CLONE_NEWNET) < 0 ||
	    system("ip link set vb up && ip addr add 10.0.0.2/24 dev vb") != 0)
		return -1;
	f->vb = (int)if_nametoindex("vb");
	if (setns(f->ns_a, CLONE_NEWNET) < 0)
		return -1;
	return f->va > 0 && f->vb > 0 ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vrrp_sock_close(&f->sa);
	vrrp_sock_close(&f->sb);
	vrrp_sock_close(&f->sb_uni);
	garp_close(&f->g);
	if (f->cap >= 0)
		close(f->cap);
	if (f->ns_a >= 0)
		close(f->ns_a);
	if (f->ns_b >= 0)
		close(f->ns_b);
	free(f);
	return 0;
}

/* Open sa on va in A and sb on vb in B. */
static void open_pair(struct fixture *f, bool multicast)
{
	char err[256];

	assert_int_equal(vrrp_sock_open(&f->sa, f->va, "va", IPPROTO_VRRP_NUM, multicast, err, sizeof(err)), 0);
	enter(f->ns_b);
	assert_int_equal(vrrp_sock_open(&f->sb, f->vb, "vb", IPPROTO_VRRP_NUM, multicast, err, sizeof(err)), 0);
	enter(f->ns_a);
	assert_true(f->sa.fd >= 0 && f->sb.fd >= 0);
}

/* Send from sa until sb receives a packet (the first may wait for the
 * link or for ARP); returns its length. */
static ssize_t send_until_received(struct fixture *f, struct in_addr dst, const uint8_t *payload,
				   size_t len, uint8_t *buf, size_t buflen)
{
	ssize_t n;
	int i;

	for (i = 0; i < TRIES; i++) {
		assert_int_equal(vrrp_sock_send(&f->sa, v4("10.0.0.1"), dst, payload, len), 0);
		if (readable(f->sb.fd)) {
			n = vrrp_sock_recv(&f->sb, buf, buflen);
			assert_true(n > 0);
			return n;
		}
	}
	fail_msg("nothing received");
	return -1;
}

static void check_received(const uint8_t *buf, ssize_t n, const char *dst, const uint8_t *payload,
			   size_t len)
{
	struct in_addr src = v4("10.0.0.1"), d = v4(dst);

	assert_int_equal(n, (ssize_t)(20 + len));
	assert_int_equal(buf[0], 0x45);
	assert_int_equal(buf[1], 0xc0);
	assert_int_equal(buf[8], 255);		/* TTL */
	assert_int_equal(buf[9], 112);		/* protocol */
	assert_memory_equal(buf + 12, &src, 4);
	assert_memory_equal(buf + 16, &d, 4);
	assert_int_equal(sum16(buf, 20), 0xffff);
	assert_memory_equal(buf + 20, payload, len);
}

/* ---- pure builders ---- */

static void test_ip_header(void **state)
{
	static const uint8_t want[20] = {
		0x45, 0xc0, 0x00, 0x28, 0x12, 0x34, 0x00, 0x00, 0xff, 0x70,
		0xbe, 0x5e, 10, 0, 0, 1, 224, 0, 0, 18,
	};
	uint8_t hdr[20];

	(void)state;
	memset(hdr, 0xaa, sizeof(hdr));
	vrrp_ip_header(hdr, v4("10.0.0.1"), v4("224.0.0.18"), 20, 0x1234);
	assert_memory_equal(hdr, want, sizeof(want));
	assert_int_equal(sum16(hdr, 20), 0xffff);

	vrrp_ip_header(hdr, v4("192.168.200.254"), v4("192.168.200.1"), 1480, 0xffff);
	assert_int_equal(hdr[2] << 8 | hdr[3], 1500);
	assert_int_equal(sum16(hdr, 20), 0xffff);
}

static void test_garp_build(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	static const uint8_t want[GARP_FRAME_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* broadcast */
		0x02, 0, 0, 0, 0, 0x01,			/* source */
		0x08, 0x06,				/* ARP */
		0x00, 0x01, 0x08, 0x00, 6, 4,		/* Ethernet, IPv4 */
		0x00, 0x01,				/* request */
		0x02, 0, 0, 0, 0, 0x01, 10, 0, 0, 100,	/* sender */
		0, 0, 0, 0, 0, 0, 10, 0, 0, 100,	/* target */
	};
	uint8_t frame[GARP_FRAME_LEN];

	(void)state;
	memset(frame, 0xaa, sizeof(frame));
	garp_build(frame, mac, v4("10.0.0.100"));
	assert_memory_equal(frame, want, sizeof(want));
}

/* ---- sockets ---- */

static void test_open_errors(void **state)
{
	struct fixture *f = *state;
	struct vrrp_sock s;
	char err[256];

	assert_int_equal(vrrp_sock_open(&s, 999, "nosuch0", IPPROTO_VRRP_NUM, true, err, sizeof(err)), -1);
	assert_int_equal(s.fd, -1);
	assert_non_null(strstr(err, "SO_BINDTODEVICE on nosuch0"));
	assert_int_equal(vrrp_sock_open(&s, 0, "", IPPROTO_VRRP_NUM, true, err, sizeof(err)), -1);
	assert_int_equal(s.fd, -1);
	vrrp_sock_close(&s);
	(void)f;
}

static void test_multicast(void **state)
{
	static const uint8_t payload[20] = { 0x21, 51, 100, 1, 0, 1, 0xaa, 0xbb, 10, 0, 0, 100 };
	struct fixture *f = *state;
	uint8_t buf[256];
	char err[256];
	ssize_t n;

	open_pair(f, true);
	/* A unicast socket on the same link must not see the group. */
	enter(f->ns_b);
	assert_int_equal(vrrp_sock_open(&f->sb_uni, f->vb, "vb", IPPROTO_VRRP_NUM, false, err, sizeof(err)), 0);
	enter(f->ns_a);

	n = send_until_received(f, v4("224.0.0.18"), payload, sizeof(payload), buf, sizeof(buf));
	check_received(buf, n, "224.0.0.18", payload, sizeof(payload));
	/* Loop is off: the sender never reads its own advert. */
	assert_false(readable(f->sa.fd));
	assert_int_equal(vrrp_sock_recv(&f->sa, buf, sizeof(buf)), 0);
	assert_int_equal(vrrp_sock_recv(&f->sb_uni, buf, sizeof(buf)), 0);
}

static void test_unicast(void **state)
{
	static const uint8_t payload[16] = { 0x31, 7, 200, 1, 0, 100, 0x12, 0x34, 10, 0, 0, 7 };
	struct fixture *f = *state;
	uint8_t buf[256];
	ssize_t n;

	open_pair(f, false);
	n = send_until_received(f, v4("10.0.0.2"), payload, sizeof(payload), buf, sizeof(buf));
	check_received(buf, n, "10.0.0.2", payload, sizeof(payload));
	assert_int_equal(vrrp_sock_recv(&f->sa, buf, sizeof(buf)), 0);
}

static void test_send_too_big(void **state)
{
	static uint8_t big[65536];
	struct fixture *f = *state;

	open_pair(f, true);
	errno = 0;
	assert_int_equal(vrrp_sock_send(&f->sa, v4("10.0.0.1"), v4("224.0.0.18"), big, sizeof(big)),
			 -1);
	assert_int_equal(errno, EMSGSIZE);
}

/* A capture socket on vb for ARP frames. */
static int arp_capture(struct fixture *f)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP),
		.sll_ifindex = f->vb,
	};
	int fd;

	enter(f->ns_b);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ARP));
	enter(f->ns_a);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sll, sizeof(sll)), 0);
	return fd;
}

static void test_garp_send(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	struct fixture *f = *state;
	uint8_t want[GARP_FRAME_LEN], buf[1600];
	char err[256];
	bool found = false;
	int i;

	f->cap = arp_capture(f);
	assert_int_equal(garp_open(&f->g, err, sizeof(err)), 0);
	garp_build(want, mac, v4("10.0.0.100"));
	assert_int_equal(garp_send(&f->g, f->va, mac, v4("10.0.0.100")), 0);
	/* Other ARP traffic may cross the link; look for ours. */
	for (i = 0; i < TRIES && !found && readable(f->cap); i++) {
		ssize_t n = recv(f->cap, buf, sizeof(buf), 0);

		found = n >= GARP_FRAME_LEN && memcmp(buf + 6, mac, 6) == 0;
	}
	assert_true(found);
	assert_memory_equal(buf, want, sizeof(want));
	/* The sending socket receives nothing, so nothing piles up in it. */
	assert_true(recv(f->g.fd, buf, sizeof(buf), MSG_DONTWAIT) < 0);
	assert_int_equal(errno, EAGAIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_header),
		cmocka_unit_test(test_garp_build),
		cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multicast, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unicast, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_too_big, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garp_send, setup, teardown),
	};

	return cmocka_run_group_tests_name("vrrp_io", tests, NULL, NULL);
}
