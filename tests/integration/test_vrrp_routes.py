"""Addresses, routes and rules the VRRP child manages besides the VIPs:
virtual_ipaddress_excluded, virtual_routes and virtual_rules (held by the
Master only), static_ipaddress, static_routes and static_rules (held in every
state, removed at exit), and the repair of what another tool deletes.

Everything is read from outside the daemon: `ip addr`, `ip route`, `ip rule`
in the namespaces, `ip monitor` during reloads, and ARP requests captured on
the bridge, which show which node really routes through a virtual route."""
import re
import signal
import subprocess
import time

import pytest

from daemon import config_test, wait_for
from daemon import expand_path as expand
from daemon import write_config_file as write
from vrrp_util import global_defs, hold, start_node, vrrp_instance, wait_sole_holder

ELECT = 3 * 1 + 1 + 3.0          # Master_Down_Interval plus a margin
GW = "10.99.0.254"               # a gateway on the LAN that nobody answers for
EVIP = "10.97.0.1"               # virtual_ipaddress_excluded
V6NET = "2001:db8:5::/64"

VIRTUAL = [
    "virtual_ipaddress_excluded {\n        %s/24 dev eth0\n    }" % EVIP,
    "virtual_routes {\n"
    "        10.98.0.0/24 via %s dev eth0\n"
    "        10.96.0.0/16 via %s table 100 metric 7 proto static\n"
    "        blackhole 10.95.0.0/24 table 100\n"
    "        %s dev eth0 table 100\n"
    "        10.94.0.0/24 via %s no_track\n"
    "    }" % (GW, GW, V6NET, GW),
    "virtual_rules {\n"
    "        from 10.96.0.0/16 table 100 preference 1000\n"
    "        to 10.95.0.0/24 fwmark 0x20 table 100 priority 1001\n"
    "    }",
]

# Each node gets its own static address (the same one on two hosts would be
# a conflict); a global one, so that the advert source stays 10.99.0.x.
STATIC = """\
static_ipaddress {
    10.93.0.%d/24 dev eth0
}
static_routes {
    10.92.0.0/24 via %s dev eth0 table 200
}
static_rules {
    from 10.92.0.0/24 table 200 preference 2000
}
"""


def ip(host, *args):
    return host.run("ip", *args).stdout


def routes(host, table="100", family="-4"):
    # A table that never had a route does not exist: empty, not an error.
    return host.run("ip", family, "route", "show", "table", table, check=False).stdout


def has_virtual(host):
    """Every virtual object of VIRTUAL on `host`, as the kernel shows it."""
    main, t100, rules = routes(host, "main"), routes(host), ip(host, "rule")
    return (EVIP in host.addresses() and "10.98.0.0/24 via %s" % GW in main and
            "10.96.0.0/16 via %s" % GW in t100 and "metric 7" in t100 and
            "blackhole 10.95.0.0/24" in t100 and "2001:db8:5::/64" in routes(host, "100", "-6") and
            "1000:\tfrom 10.96.0.0/16 lookup 100" in rules and
            "1001:\tfrom all to 10.95.0.0/24 fwmark 0x20 lookup 100" in rules)


def has_none_virtual(host):
    main, t100, rules = routes(host, "main"), routes(host), ip(host, "rule")
    return (EVIP not in host.addresses() and "10.98.0.0" not in main and t100.strip() == "" and
            "2001:db8:5" not in routes(host, "100", "-6") and "lookup 100" not in rules)


def static_conf(host, extra=""):
    return STATIC % (int(host.addr.split(".")[3]), GW) + extra


def static_addr(host):
    return "10.93.0.%s" % host.addr.split(".")[3]


def has_static(host):
    return (static_addr(host) in host.addresses() and "10.92.0.0/24 via %s" % GW in routes(host, "200")
            and "2000:\tfrom 10.92.0.0/24 lookup 200" in ip(host, "rule"))


def has_no_static(host):
    return (static_addr(host) not in host.addresses() and routes(host, "200").strip() == "" and
            "lookup 200" not in ip(host, "rule"))


def node_conf(host, priority):
    return global_defs(host.name) + static_conf(host) + vrrp_instance(priority=priority,
                                                                      extra=VIRTUAL)


def arp_requests_for(cap, target, mac, since):
    return [a for a in cap.arps(since) if a.op == 1 and a.tpa == target and a.sha == mac]


def routes_through(host, cap, dst="10.98.0.1"):
    """Send a ping to `dst` from `host`; whether `host` then asks for the
    gateway's MAC on the wire (the route is in use there)."""
    t0 = time.time()
    host.run("ping", "-c", "1", "-W", "1", dst, check=False)
    try:
        wait_for(lambda: arp_requests_for(cap, GW, host.mac(), t0), timeout=2.0,
                 what="ARP for the gateway")
        return True
    except AssertionError:
        return False


def test_master_holds_virtual_routes_backup_only_statics_failover_moves_them(
        topology, daemon, capture):
    """The Master holds the excluded VIP, the virtual routes (IPv4 and IPv6,
    tables by name and number, blackhole, metric, proto) and the rules; the
    Backup holds none of them; both hold the statics.  Traffic follows: only
    the Master ARPs for the virtual route's gateway.  SIGTERM of the Master
    removes its virtual and static objects; the Backup takes all of them."""
    topo = topology(2, observer=True)
    a, b = topo.hosts
    da = start_node(daemon, a, node_conf(a, 150))
    start_node(daemon, b, node_conf(b, 100))
    wait_sole_holder(a, topo.hosts, timeout=ELECT)
    wait_for(lambda: has_virtual(a), timeout=2.0, what="virtual objects on the Master")
    assert has_none_virtual(b), (routes(b), ip(b, "rule"))
    assert has_static(a) and has_static(b)
    assert "proto keepalived" in routes(a, "main") and "proto static" in routes(a)

    cap = capture(topo.observer, bpf="arp")
    assert routes_through(a, cap)
    assert not routes_through(b, cap)

    da.stop()
    wait_for(lambda: has_virtual(b), timeout=ELECT, what="virtual objects on the new Master")
    assert has_none_virtual(a) and has_no_static(a)
    assert has_static(b)
    assert routes_through(b, cap)


def master_conf(host, extra_static=""):
    return global_defs("h1") + static_conf(host, extra_static) + vrrp_instance(
        priority=150, state="MASTER", extra=VIRTUAL)


def single_master(topology, daemon, extra_static=""):
    topo = topology(1, observer=True)
    h = topo.hosts[0]
    d = start_node(daemon, h, master_conf(h, extra_static))
    d.wait_log(r"\(VI_1\) BACKUP -> MASTER", timeout=ELECT)
    wait_for(lambda: has_virtual(h) and has_static(h), timeout=2.0, what="everything installed")
    return topo, h, d


RESTORED = r"was removed externally, restored"


def test_deleted_vip_routes_rules_are_restored_and_logged(topology, daemon):
    """What another tool deletes on the Master comes back within a second,
    each with one log line: the VIP, the excluded VIP, a virtual route, a
    rule, a static route and a static address.  A route marked no_track is
    left deleted."""
    topo, h, d = single_master(topology, daemon)
    vip = "10.99.0.100"

    h.run("ip", "addr", "del", vip + "/24", "dev", "eth0")
    wait_for(lambda: h.has_addr(vip), timeout=1.0, what="VIP restored")
    d.wait_log(r"\(VI_1\) virtual address %s/24 %s" % (re.escape(vip), RESTORED), timeout=1)

    h.run("ip", "route", "del", "10.96.0.0/16", "table", "100")
    wait_for(lambda: "10.96.0.0/16" in routes(h), timeout=1.0, what="route restored")
    d.wait_log(r"\(VI_1\) route 10.96.0.0/16 via %s table 100 %s" % (GW, RESTORED), timeout=1)

    h.run("ip", "rule", "del", "pref", "1000")
    wait_for(lambda: "1000:" in ip(h, "rule"), timeout=1.0, what="rule restored")
    d.wait_log(r"\(VI_1\) rule from 10.96.0.0/16 table 100 pref 1000 " + RESTORED, timeout=1)

    h.run("ip", "route", "del", "10.92.0.0/24", "table", "200")
    wait_for(lambda: "10.92.0.0/24" in routes(h, "200"), timeout=1.0, what="static restored")
    d.wait_log(r"static route 10.92.0.0/24 via %s dev eth0 table 200 %s" % (GW, RESTORED),
               timeout=1)

    h.run("ip", "addr", "del", EVIP + "/24", "dev", "eth0")
    h.run("ip", "addr", "del", "10.93.0.1/24", "dev", "eth0")
    wait_for(lambda: has_virtual(h) and has_static(h), timeout=1.0, what="addresses restored")
    d.wait_log(r"static address 10.93.0.1/24 dev eth0 " + RESTORED, timeout=1)

    h.run("ip", "route", "del", "10.94.0.0/24")
    hold(lambda: "10.94.0.0" not in routes(h, "main"), 1.5, what="no_track route stays deleted")
    assert len(re.findall(RESTORED, d.log())) == 6, d.log()


# RTNLGRP_IPV4_ROUTE 7, RTNLGRP_IPV6_ROUTE 11, RTNLGRP_IPV4_RULE 8,
# RTNLGRP_IPV6_RULE 19: bit (group - 1) of the Groups column.
ROUTE_GROUPS = (1 << 6) | (1 << 10) | (1 << 7) | (1 << 18)


def route_listeners(host):
    """rtnetlink sockets of the namespace listening to route or rule changes
    (/proc/net/netlink: sk Eth Pid Groups ...; Eth 0 is NETLINK_ROUTE)."""
    rows = host.run("cat", "/proc/net/netlink").stdout.splitlines()[1:]
    return [r for r in rows if r.split()[1] == "0" and int(r.split()[3], 16) & ROUTE_GROUPS]


def test_route_notifications_only_with_managed_routes(topology, daemon):
    """A host carrying a full routing table sends floods of route changes:
    the VRRP child listens to them only while its configuration manages
    routes or rules (for repair).  Without any it does not; a reload adding
    virtual routes starts listening (and the repair works)."""
    topo = topology(1, observer=True)
    h = topo.hosts[0]
    plain = global_defs("h1") + vrrp_instance(priority=150)
    d = start_node(daemon, h, plain)
    d.wait_log(r"\(VI_1\) BACKUP -> MASTER", timeout=ELECT)
    assert route_listeners(h) == []
    d.write_config(master_conf(h))
    d.signal(signal.SIGHUP)
    d.wait_log(r"VRRP configuration reloaded")
    wait_for(lambda: has_virtual(h), timeout=3.0, what="virtual routes installed")
    assert len(route_listeners(h)) == 1
    h.run("ip", "route", "del", "10.98.0.0/24")
    d.wait_log(RESTORED, timeout=3.0)


def test_route_on_missing_dev_is_added_when_the_link_appears(topology, daemon):
    """A static route on an interface that does not exist yet is reported
    and added as soon as the interface appears and is up."""
    topo, h, d = single_master(topology, daemon, extra_static=(
        "static_routes {\n    10.91.0.0/24 dev late0 table 300\n}\n"))
    d.wait_log(r"static cannot add route 10.91.0.0/24 dev late0 table 300: No such device")
    h.run("ip", "link", "add", "late0", "type", "veth", "peer", "name", "late1")
    h.run("ip", "link", "set", "late0", "up")
    h.run("ip", "link", "set", "late1", "up")
    wait_for(lambda: "10.91.0.0/24 dev late0" in routes(h, "300"), timeout=2.0,
             what="route on the new link")


class Monitor:
    """`ip monitor address route rule` in a namespace while a reload runs."""

    def __init__(self, host):
        self.proc = host.popen(["ip", "monitor", "address", "route", "rule"],
                               stdout=subprocess.PIPE, text=True)
        time.sleep(0.3)

    def lines(self):
        # SIGTERM, not SIGINT: a suite started in the background by a
        # non-interactive shell inherits SIGINT ignored.
        self.proc.send_signal(signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=5)
        return [line for line in out.splitlines() if line.strip()]


def reload(d, text, generation):
    d.write_config(text)
    d.signal(signal.SIGHUP)
    d.wait_log(r"VRRP configuration reloaded", count=generation)


def test_reload_unchanged_touches_nothing_changed_applies_the_difference(topology, daemon):
    """An unchanged reload sends no address, route or rule change to the
    kernel at all.  A changed one deletes the route and rule that went, adds
    the new ones, and leaves the unchanged ones alone."""
    topo, h, d = single_master(topology, daemon)
    conf = master_conf(h)
    mon = Monitor(h)
    reload(d, "! same\n" + conf, 1)
    time.sleep(0.5)
    assert mon.lines() == []
    assert RESTORED not in d.log()

    changed = conf.replace("10.98.0.0/24 via", "10.90.0.0/24 via").replace(
        "from 10.92.0.0/24 table 200 preference 2000", "from 10.89.0.0/24 table 200 preference 2001")
    mon = Monitor(h)
    reload(d, changed, 2)
    wait_for(lambda: "10.90.0.0/24 via" in routes(h, "main"), timeout=2.0, what="new route")
    time.sleep(0.3)
    events = mon.lines()
    assert "10.98.0.0" not in routes(h, "main")
    rules = ip(h, "rule")
    assert "2001:\tfrom 10.89.0.0/24 lookup 200" in rules and "2000:" not in rules
    touched = [e for e in events if "10.90.0.0" not in e and "10.98.0.0" not in e and
               "10.89.0.0" not in e and "10.92.0.0/24 lookup" not in e]
    assert touched == [], events
    assert len(events) == 4, events


# ---------------------------------------------------------------------------
# keepalived -t: each keyword, one good and one bad line

def instance(body):
    return ("vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n"
            "  virtual_ipaddress {\n    10.0.0.1\n  }\n" + body + "}\n")


GOOD = {
    "virtual_ipaddress_excluded": instance(
        "  virtual_ipaddress_excluded {\n    10.0.1.1/24 dev eth1 scope link\n"
        "    2001:db8::1/64\n  }\n"),
    "virtual_routes": instance(
        "  virtual_routes {\n    src 10.0.0.1 to 10.1.0.0/16 via 10.0.0.254 dev eth0 "
        "scope global table 100 metric 5 proto static\n    blackhole 10.2.0.0/24\n"
        "    unreachable default inet6 table local\n    10.3.0.0/24 dev eth0 no_track\n"
        "    2001:db8:1::/48 gw fe80::1 dev eth0 table main\n  }\n"),
    "virtual_rules": instance(
        "  virtual_rules {\n    from 10.1.0.0/16 to 10.2.0.0/16 table 100 preference 10\n"
        "    to 10.3.0.0/24 iif eth0 oif eth1 fwmark 0x10/0xff lookup default priority 11\n"
        "    from all table 5 no_track\n    from 2001:db8::/32 table 6 order 12\n  }\n"),
    "static_ipaddress": "static_ipaddress {\n  10.0.5.1/24 dev eth0 brd 10.0.5.255 label eth0:s\n}\n",
    "static_routes": "static_routes {\n  10.0.6.0/24 via 10.0.5.254 dev eth0 table 7\n}\n",
    "static_rules": "static_rules {\n  from 10.0.6.0/24 table 7 preference 70\n}\n",
}


@pytest.mark.parametrize("case", sorted(GOOD))
def test_config_good(tmp_path, case):
    path = write(tmp_path, GOOD[case])
    assert config_test(path) == (0, [])


BAD = {
    "virtual_ipaddress_excluded": (
        instance("  virtual_ipaddress_excluded {\n    10.0.1.1/33\n  }\n"),
        ["{f}:8:5: error: '10.0.1.1/33' has an invalid prefix length (expected 0 to 32)"]),
    "virtual_routes": (
        instance("  virtual_routes {\n    10.1.0.1/16 via 10.0.0.254\n"
                 "    10.2.0.0/24 via 10.0.0.254 mtu 1400\n"
                 "    10.3.0.0/24 dev eth0 colour blue\n"
                 "    10.4.0.0/24 dev eth0 table blue\n"
                 "    10.5.0.0/24\n  }\n"),
        ["{f}:8:5: error: '10.1.0.1/16' has bits set past its prefix length",
         "{f}:9:32: error: 'mtu' is not supported in virtual_routes",
         "{f}:10:26: error: unknown option 'colour' in virtual_routes",
         "{f}:11:32: error: 'blue' is not a valid table (expected main, local, default or "
         "1 to 4294967295)",
         "{f}:12:5: error: a route in virtual_routes needs 'via' or 'dev'"]),
    "virtual_rules": (
        instance("  virtual_rules {\n    from 10.1.0.0/33 table 1\n"
                 "    from 10.1.0.0/16 goto 5\n    from 10.1.0.0/16 lookup 0\n"
                 "    from 10.1.0.0/16 to 2001:db8::/32 table 1\n  }\n"),
        ["{f}:8:10: error: '10.1.0.0/33' has an invalid prefix length (expected 0 to 32)",
         "{f}:9:22: error: 'goto' is not supported in virtual_rules",
         "{f}:10:29: error: '0' is not a valid table (expected main, local, default or "
         "1 to 4294967295)",
         "{f}:11:25: error: '2001:db8::/32' mixes IPv4 and IPv6 in one virtual_rules line"]),
    "static_ipaddress": (
        "static_ipaddress {\n  10.0.5.1/24\n  10.0.5.2/24 dev eth0 peer 10.0.5.3\n}\n",
        ["{f}:2:3: error: static_ipaddress needs 'dev' (default_interface is not supported)",
         "{f}:3:24: error: unknown option 'peer' in static_ipaddress"]),
    "static_routes": (
        "static_routes {\n  10.0.6.0/24 via 10.0.5.254 nexthop via 10.0.5.253\n"
        "  10.0.7.0/24 via 10.0.5.254 proto nonsense\n}\n",
        ["{f}:2:30: error: 'nexthop' is not supported in static_routes",
         "{f}:3:36: error: 'nonsense' is not a known protocol (expected redirect, kernel, boot, "
         "static, ra, dhcp, keepalived or 0 to 255)"]),
    "static_rules": (
        "static_rules {\n  from 10.0.6.0/24 table 7 uidrange 1-2\n"
        "  from 10.0.6.0/24 table 7 frobnicate\n  from 10.0.6.0/24 fwmark x1\n}\n",
        ["{f}:2:28: error: 'uidrange' is not supported in static_rules",
         "{f}:3:28: error: unknown option 'frobnicate' in static_rules",
         "{f}:4:27: error: 'x1' is not a valid fwmark (expected MARK or MARK/MASK, decimal or "
         "0x hexadecimal)"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_config_bad(tmp_path, case):
    text, expected = BAD[case]
    path = write(tmp_path, text)
    status, lines = config_test(path)
    assert status == 3
    assert lines == expand(expected, path)
