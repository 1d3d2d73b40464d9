/* Unit tests for macvlan links (lib/nl_link) and interface sysctls
 * (lib/if_sysctl), against the real kernel: each test runs in a fresh
 * network namespace of its own (unshare in setup) holding a veth pair
 * va/vb.  Needs root and macvlan support. */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_link.h>

#include <cmocka.h>

#include "if_sysctl.h"
#include "nl_link.h"

static const uint8_t VMAC[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x33 };

static int setup(void **state)
{
	struct nl_route *nr;

	if (unshare(CLONE_NEWNET) < 0) {
		print_error("unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return -1;
	}
	if (system("ip link add va type veth peer name vb && ip link set va up") != 0)
		return -1;
	nr = nl_route_open(NULL, NULL, NULL);	/* commands only */
	*state = nr;
	return nr ? 0 : -1;
}

static int teardown(void **state)
{
	nl_route_close(*state);
	return 0;
}

static void test_macvlan_life(void **state)
{
	struct nl_route *nr = *state;
	int va = (int)if_nametoindex("va");
	struct nl_link_detail d;

	assert_int_equal(nl_macvlan_add(nr, "vrrp.51", va, VMAC, MACVLAN_MODE_PRIVATE), 0);
	assert_int_equal(nl_link_detail(nr, "vrrp.51", &d), 0);
	assert_string_equal(d.kind, "macvlan");
	assert_int_equal(d.parent, va);
	assert_int_equal(d.macvlan_mode, MACVLAN_MODE_PRIVATE);
	assert_memory_equal(d.mac, VMAC, 6);
	assert_int_equal(nl_link_set_up(nr, d.ifindex, true), 0);
	assert_true(if_nametoindex("vrrp.51") > 0);
	/* The name is taken: never reconfigured behind its owner's back. */
	assert_int_equal(nl_macvlan_add(nr, "vrrp.51", va, VMAC, MACVLAN_MODE_BRIDGE), -EEXIST);
	assert_int_equal(nl_link_del(nr, d.ifindex), 0);
	assert_int_equal(nl_link_detail(nr, "vrrp.51", &d), -ENODEV);
	assert_int_equal(nl_link_del(nr, d.ifindex > 0 ? d.ifindex : 999), -ENODEV);
}

static void test_other_links_and_errors(void **state)
{
	struct nl_route *nr = *state;
	struct nl_link_detail d;

	assert_int_equal(nl_link_detail(nr, "va", &d), 0);
	assert_string_equal(d.kind, "veth");
	assert_int_equal(d.macvlan_mode, 0);
	assert_int_equal(nl_link_detail(nr, "lo", &d), 0);
	assert_string_equal(d.kind, "");
	assert_int_equal(d.parent, 0);
	assert_int_equal(nl_link_detail(nr, "nothere", &d), -ENODEV);
	assert_int_equal(nl_macvlan_add(nr, "vm", 9999, VMAC, MACVLAN_MODE_PRIVATE), -ENODEV);
	assert_int_equal(nl_macvlan_add(nr, "a-name-far-too-long", 1, VMAC, MACVLAN_MODE_PRIVATE),
			 -EINVAL);
	assert_int_equal(nl_link_set_up(nr, 0, true), -ENODEV);
}

static void test_sysctls(void **state)
{
	int v = -1;

	(void)state;
	assert_int_equal(if_sysctl_set(AF_INET, "va", "arp_ignore", 2), 0);
	assert_int_equal(if_sysctl_get(AF_INET, "va", "arp_ignore", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(if_sysctl_get(AF_INET, "nothere", "arp_ignore", &v), -ENOENT);
	assert_int_equal(if_sysctl_set(AF_INET, "../all", "arp_ignore", 1), -EINVAL);
	assert_int_equal(if_sysctl_get(AF_INET, "va", "../../ip_forward", &v), -EINVAL);
	assert_int_equal(if_sysctl_get(AF_UNIX, "va", "arp_ignore", &v), -EINVAL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_macvlan_life),
		T(test_other_links_and_errors),
		T(test_sysctls),
	};

	return cmocka_run_group_tests_name("nl_link", tests, NULL, NULL);
}
