/* Unit tests for the rtnetlink layer, against the real kernel: each test
 * runs in a fresh network namespace of its own (unshare in setup) with a
 * veth pair va/vb and 10.0.0.1/24 on va.  Needs root.  Tests that wait for
 * events run the event loop with a poll timer and a watchdog. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cmocka.h>

#include "event.h"
#include "nl_route.h"

#define WATCHDOG_US 10000000u
#define POLL_US 5000u
#define REC_MAX 512

struct rec_link {
	struct nl_link_info l;
	bool deleted;
};

struct rec_addr {
	struct nl_addr_info a;
	bool deleted;
};

/* What a test waits for: a link event (name set) or an address event. */
struct want {
	const char *name;
	const char *addr;
	bool deleted;
	int admin_up;		/* -1: any */
	int running;		/* -1: any */
	bool after_resync;
};

struct fixture {
	struct ev_loop *loop;
	struct nl_route *nr;
	struct ev_timer watchdog, poll;
	bool timed_out;
	const struct want *want;
	struct rec_link links[REC_MAX];
	size_t nlinks;
	struct rec_addr addrs[REC_MAX];
	size_t naddrs;
	unsigned resyncs;
	struct ip_addr watch;	/* seen after a resync? */
	bool watch_seen;
	int va, vb;		/* ifindexes */
};

/* ---- helpers ---- */

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc != 0)
		fail_msg("command failed (%d): %s", rc, cmd);
}

/* The output of a command, in a static buffer. */
static const char *sh_out(const char *cmd)
{
	static char out[8192];
	FILE *p = popen(cmd, "r");
	size_t n;

	assert_non_null(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	pclose(p);
	return out;
}

static struct ip_addr ip(const char *s)
{
	struct ip_addr a = { .family = strchr(s, ':') ? AF_INET6 : AF_INET };

	assert_int_equal(inet_pton(a.family, s, &a.u), 1);
	return a;
}

static bool ip_eq(const struct ip_addr *x, const char *s)
{
	struct ip_addr y = ip(s);

	return x->family == y.family &&
	       memcmp(&x->u, &y.u, x->family == AF_INET ? 4 : 16) == 0;
}

static struct nl_addr_req req(int ifindex, const char *addr, unsigned plen)
{
	struct nl_addr_req r = { .ifindex = ifindex, .prefix_len = plen };

	r.addr = ip(addr);
	return r;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* ---- event recording ---- */

static void on_link(void *arg, const struct nl_link_info *l, bool deleted)
{
	struct fixture *f = arg;

	if (f->nlinks < REC_MAX)
		f->links[f->nlinks++] = (struct rec_link){ *l, deleted };
}

static void on_addr(void *arg, const struct nl_addr_info *a, bool deleted)
{
	struct fixture *f = arg;

	if (f->resyncs > 0 && !deleted && a->addr.family == f->watch.family &&
	    memcmp(&a->addr.u, &f->watch.u, sizeof(a->addr.u)) == 0)
		f->watch_seen = true;
	if (f->naddrs < REC_MAX)
		f->addrs[f->naddrs++] = (struct rec_addr){ *a, deleted };
}

static void on_resync(void *arg)
{
	struct fixture *f = arg;

	f->resyncs++;
}

static const struct nl_route_events events = {
	.link = on_link, .addr = on_addr, .resync = on_resync,
};

static void rec_clear(struct fixture *f)
{
	f->nlinks = f->naddrs = 0;
}

static bool link_matches(const struct rec_link *r, const struct want *w)
{
	return strcmp(r->l.name, w->name) == 0 && r->deleted == w->deleted &&
	       (w->admin_up < 0 || r->l.admin_up == w->admin_up) &&
	       (w->running < 0 || r->l.running == w->running);
}

static bool seen(const struct fixture *f, const struct want *w)
{
	size_t i;

	if (w->after_resync)
		return f->resyncs > 0 && f->watch_seen;
	for (i = 0; w->name != NULL && i < f->nlinks; i++) {
		if (link_matches(&f->links[i], w))
			return true;
	}
	for (i = 0; w->addr != NULL && i < f->naddrs; i++) {
		if (ip_eq(&f->addrs[i].a.addr, w->addr) && f->addrs[i].deleted == w->deleted)
			return true;
	}
	return false;
}

static void poll_fired(struct ev_loop *loop, void *arg)
{
	struct fixture *f = arg;

	if (seen(f, f->want))
		ev_stop(loop);
	else
		ev_timer_arm(loop, &f->poll, POLL_US);
}

static void watchdog_fired(struct ev_loop *loop, void *arg)
{
	struct fixture *f = arg;

	f->timed_out = true;
	ev_stop(loop);
}

/* Run the loop until `w` has been seen; false after the watchdog. */
static bool run_until(struct fixture *f, const struct want *w)
{
	f->want = w;
	f->timed_out = false;
	ev_timer_arm(f->loop, &f->watchdog, WATCHDOG_US);
	ev_timer_arm(f->loop, &f->poll, POLL_US);
	assert_int_equal(ev_run(f->loop), 0);
	ev_timer_disarm(f->loop, &f->watchdog);
	ev_timer_disarm(f->loop, &f->poll);
	return !f->timed_out;
}

/* Poll the link until its flags are these (linkwatch updates the
 * operational state asynchronously). */
static void wait_link(struct fixture *f, const char *name, bool admin_up, bool running)
{
	struct nl_link_info l;
	int i;

	for (i = 0; i < 300; i++) {
		assert_int_equal(nl_link_by_name(f->nr, name, &l), 0);
		if (l.admin_up == admin_up && l.running == running)
			return;
		sleep_ms(10);
	}
	fail_msg("%s: admin_up %d running %d, wanted %d %d", name, l.admin_up, l.running,
		 admin_up, running);
}

/* ---- fixture ---- */

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	*state = f;
	/* A namespace of our own for each test: nothing leaks between them
	 * and the host's interfaces are never touched. */
	if (unshare(CLONE_NEWNET) < 0) {
		print_error("unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return -1;
	}
	if (system("ip link add va type veth peer name vb && "
		   "ip link set va address 02:00:00:00:00:0a mtu 1400 && "
		   "ip link set va up && ip link set vb up && "
		   "ip addr add 10.0.0.1/24 dev va") != 0)
		return -1;
	f->loop = ev_loop_new();
	if (f->loop == NULL)
		return -1;
	ev_timer_init(&f->watchdog, watchdog_fired, f);
	ev_timer_init(&f->poll, poll_fired, f);
	f->nr = nl_route_open(f->loop, &events, f);
	if (f->nr == NULL)
		return -1;
	f->va = (int)if_nametoindex("va");
	f->vb = (int)if_nametoindex("vb");
	return f->va > 0 && f->vb > 0 ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->loop != NULL) {
		ev_timer_disarm(f->loop, &f->watchdog);
		ev_timer_disarm(f->loop, &f->poll);
	}
	nl_route_close(f->nr);
	if (f->loop != NULL)
		ev_loop_free(f->loop);
	free(f);
	return 0;
}

/* ---- tests ---- */

static void test_link_lookup(void **state)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 0x0a };
	struct fixture *f = *state;
	struct nl_link_info l, m;

	wait_link(f, "va", true, true);
	assert_int_equal(nl_link_by_name(f->nr, "va", &l), 0);
	assert_int_equal(l.ifindex, f->va);
	assert_string_equal(l.name, "va");
	assert_memory_equal(l.mac, mac, 6);
	assert_int_equal(l.mtu, 1400);
	assert_int_equal(nl_link_by_index(f->nr, f->va, &m), 0);
	assert_memory_equal(&l, &m, sizeof(l));

	sh("ip link set va down");
	assert_int_equal(nl_link_by_index(f->nr, f->va, &l), 0);
	assert_false(l.admin_up);
	assert_false(l.running);
	/* Carrier loss without admin down: the peer goes down. */
	sh("ip link set va up && ip link set vb down");
	wait_link(f, "va", true, false);
	sh("ip link set vb up");
	wait_link(f, "va", true, true);

	assert_int_equal(nl_link_by_name(f->nr, "nosuch0", &l), -ENODEV);
	assert_int_equal(nl_link_by_name(f->nr, "a-name-much-too-long", &l), -ENODEV);
	assert_int_equal(nl_link_by_name(f->nr, "", &l), -ENODEV);
	assert_int_equal(nl_link_by_index(f->nr, 9999, &l), -ENODEV);
	assert_int_equal(nl_link_by_index(f->nr, 0, &l), -ENODEV);
}

static void test_addr_add_del(void **state)
{
	struct fixture *f = *state;
	struct nl_addr_req r = req(f->va, "10.0.1.5", 24);
	struct ip_addr a = ip("10.0.1.5");

	r.has_brd = true;
	r.brd = ip("10.0.1.255").u.v4;
	r.label = "va:vip";
	assert_false(nl_addr_present(f->nr, f->va, &a));
	assert_int_equal(nl_addr_add(f->nr, &r), 0);
	assert_true(nl_addr_present(f->nr, f->va, &a));
	assert_false(nl_addr_present(f->nr, f->vb, &a));
	assert_non_null(strstr(sh_out("ip -o -4 addr show dev va"),
			       "inet 10.0.1.5/24 brd 10.0.1.255 scope global va:vip"));
	assert_int_equal(nl_addr_add(f->nr, &r), -EEXIST);

	assert_int_equal(nl_addr_del(f->nr, &r), 0);
	assert_false(nl_addr_present(f->nr, f->va, &a));
	assert_int_equal(nl_addr_del(f->nr, &r), -EADDRNOTAVAIL);

	r = req(f->va, "10.9.9.9", 32);
	r.scope = RT_SCOPE_HOST;
	assert_int_equal(nl_addr_add(f->nr, &r), 0);
	assert_non_null(strstr(sh_out("ip -o -4 addr show dev va"), "inet 10.9.9.9/32 scope host va"));

	r = req(9999, "10.0.2.1", 32);
	assert_int_equal(nl_addr_add(f->nr, &r), -ENODEV);
	r = req(f->va, "10.0.2.1", 0);
	assert_int_equal(nl_addr_add(f->nr, &r), -EINVAL);
	r = req(f->va, "10.0.2.1", 33);
	assert_int_equal(nl_addr_add(f->nr, &r), -EINVAL);
}

static void test_ipv6_add(void **state)
{
	struct fixture *f = *state;
	struct nl_addr_req r = req(f->va, "2001:db8::1", 64);
	struct ip_addr a = ip("2001:db8::1");

	assert_int_equal(nl_addr_add(f->nr, &r), 0);
	assert_true(nl_addr_present(f->nr, f->va, &a));
	assert_non_null(strstr(sh_out("ip -o -6 addr show dev va"), "inet6 2001:db8::1/64 scope global"));
	assert_int_equal(nl_addr_add(f->nr, &r), -EEXIST);
	assert_int_equal(nl_addr_del(f->nr, &r), 0);
	assert_false(nl_addr_present(f->nr, f->va, &a));
	assert_int_equal(nl_addr_del(f->nr, &r), -EADDRNOTAVAIL);
}

static void test_primary_ipv4(void **state)
{
	struct fixture *f = *state;
	struct nl_addr_req vip32 = req(f->va, "10.0.0.100", 32);
	struct nl_addr_req vip24 = req(f->va, "10.0.0.50", 24);
	struct nl_addr_req host = req(f->va, "10.9.9.9", 32);
	struct in_addr p;

	host.scope = RT_SCOPE_HOST;
	assert_int_equal(nl_addr_add(f->nr, &vip32), 0);
	assert_int_equal(nl_addr_add(f->nr, &vip24), 0);
	/* Sorts before every global address, yet is never a source. */
	assert_int_equal(nl_addr_add(f->nr, &host), 0);
	assert_int_equal(nl_primary_ipv4(f->nr, f->va, &p), 0);
	assert_int_equal(p.s_addr, ip("10.0.0.1").u.v4.s_addr);
	assert_non_null(strstr(sh_out("ip -o -4 addr show dev va"),
			       "inet 10.0.0.50/24 scope global secondary va"));

	rec_clear(f);
	assert_int_equal(nl_route_dump(f->nr), 0);
	for (size_t i = 0; i < f->naddrs; i++) {
		if (ip_eq(&f->addrs[i].a.addr, "10.0.0.50"))
			assert_true(f->addrs[i].a.secondary);
		if (ip_eq(&f->addrs[i].a.addr, "10.0.0.100"))
			assert_false(f->addrs[i].a.secondary);
	}
	assert_int_equal(nl_primary_ipv4(f->nr, f->vb, &p), -EADDRNOTAVAIL);
}

static void test_dump(void **state)
{
	struct fixture *f = *state;
	const struct want va = { .name = "va", .admin_up = 1, .running = -1 };
	const struct want vb = { .name = "vb", .admin_up = 1, .running = -1 };
	const struct want lo = { .name = "lo", .admin_up = 0, .running = 0 };
	const struct want a = { .addr = "10.0.0.1" };
	size_t i;

	rec_clear(f);
	assert_int_equal(nl_route_dump(f->nr), 0);
	assert_true(seen(f, &va));
	assert_true(seen(f, &vb));
	assert_true(seen(f, &lo));
	assert_true(seen(f, &a));
	/* Links come first, then addresses. */
	assert_int_equal(f->nlinks, 3);
	for (i = 0; i < f->naddrs; i++) {
		if (ip_eq(&f->addrs[i].a.addr, "10.0.0.1")) {
			assert_int_equal(f->addrs[i].a.ifindex, f->va);
			assert_int_equal(f->addrs[i].a.prefix_len, 24);
			assert_false(f->addrs[i].a.secondary);
		}
	}
}

static void test_link_events(void **state)
{
	struct fixture *f = *state;
	const struct want down = { .name = "va", .admin_up = 0, .running = 0 };
	const struct want up = { .name = "va", .admin_up = 1, .running = 1 };
	const struct want gone = { .name = "vb", .deleted = true, .admin_up = -1, .running = -1 };

	wait_link(f, "va", true, true);
	rec_clear(f);
	sh("ip link set va down");
	assert_true(run_until(f, &down));
	sh("ip link set va up");
	assert_true(run_until(f, &up));
	sh("ip link del vb");
	assert_true(run_until(f, &gone));
}

static void test_addr_events(void **state)
{
	struct fixture *f = *state;
	struct nl_addr_req r = req(f->va, "10.0.0.100", 32);
	const struct want added = { .addr = "10.0.0.100" };
	const struct want removed = { .addr = "10.0.0.100", .deleted = true };
	const struct want v6 = { .addr = "2001:db8::5" };

	rec_clear(f);
	assert_int_equal(nl_addr_add(f->nr, &r), 0);
	assert_true(run_until(f, &added));
	assert_int_equal(nl_addr_del(f->nr, &r), 0);
	assert_true(run_until(f, &removed));
	sh("ip -6 addr add 2001:db8::5/64 dev va nodad");
	assert_true(run_until(f, &v6));
}

/* A bridge port leaving its bridge makes an AF_BRIDGE RTM_DELLINK on the
 * link group; the port still exists. */
static void test_bridge_port_not_deleted(void **state)
{
	struct fixture *f = *state;
	const struct want marker = { .name = "va", .admin_up = 0, .running = -1 };
	const struct want gone = { .name = "vb", .deleted = true, .admin_up = -1, .running = -1 };

	if (system("ip link add br0 type bridge 2>/dev/null") != 0)
		skip();
	rec_clear(f);
	sh("ip link set vb master br0 && ip link set vb nomaster && ip link set va down");
	assert_true(run_until(f, &marker));
	assert_false(seen(f, &gone));
}

/* The port id of our event socket: the NETLINK_ROUTE socket in this
 * namespace subscribed to exactly the link and address groups. */
static uint32_t event_port(void)
{
	const unsigned groups = 1u << (RTNLGRP_LINK - 1) | 1u << (RTNLGRP_IPV4_IFADDR - 1) |
				1u << (RTNLGRP_IPV6_IFADDR - 1);
	FILE *fp = fopen("/proc/net/netlink", "r");
	char line[256];
	unsigned g, port = 0;
	int proto;

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%*s %d %u %x", &proto, &port, &g) == 3 && proto == NETLINK_ROUTE &&
		    g == groups)
			break;
		port = 0;
	}
	fclose(fp);
	assert_int_not_equal(port, 0);
	return port;
}

/* BI-N04: a user-space process forges "va was deleted" to our port. */
static void test_spoofed_event_ignored(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_nl to = { .nl_family = AF_NETLINK, .nl_pid = event_port() };
	const struct want marker = { .name = "va", .admin_up = 0, .running = -1 };
	const struct want gone = { .name = "va", .deleted = true, .admin_up = -1, .running = -1 };
	struct {
		struct nlmsghdr h;
		struct ifinfomsg ifi;
		struct rtattr name;
		char namebuf[4];
	} m;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	assert_true(fd >= 0);
	memset(&m, 0, sizeof(m));
	m.h.nlmsg_len = sizeof(m);
	m.h.nlmsg_type = RTM_DELLINK;
	m.ifi.ifi_family = AF_UNSPEC;
	m.ifi.ifi_index = f->va;
	m.name.rta_type = IFLA_IFNAME;
	m.name.rta_len = RTA_LENGTH(3);
	memcpy(m.namebuf, "va", 3);
	assert_int_equal(sendto(fd, &m, sizeof(m), 0, (struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)sizeof(m));
	close(fd);
	rec_clear(f);
	sh("ip link set va down");
	assert_true(run_until(f, &marker));
	assert_false(seen(f, &gone));
}

/* BI-N03: far more events than the receive buffer holds while the loop is
 * not reading; the kernel drops some and we must resync by a dump. */
static void test_overflow_resync(void **state)
{
	struct fixture *f = *state;
	const struct want done = { .after_resync = true };
	char path[] = "/tmp/nlbatch.XXXXXX";
	int fd = mkstemp(path);
	FILE *fp;
	int i;

	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	for (i = 0; i < 10000; i++)
		fprintf(fp, "addr add 10.1.%d.%d/32 dev va\n", i / 250, i % 250 + 1);
	fclose(fp);
	f->watch = ip("10.1.39.250");
	sh("ip -batch %s", path);
	unlink(path);
	assert_true(run_until(f, &done));
	assert_true(f->resyncs >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_link_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addr_add_del, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_primary_ipv4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addr_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bridge_port_not_deleted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spoofed_event_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overflow_resync, setup, teardown),
	};

	return cmocka_run_group_tests_name("nl_route", tests, NULL, NULL);
}
