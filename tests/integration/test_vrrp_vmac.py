"""use_vmac and vmac_xmit_base, seen from outside: the macvlan each node
creates (`ip -d link`, its sysctls in /proc), the Ethernet source of adverts
and gratuitous ARPs captured on the bridge, the VIP's interface, failover,
reload and shutdown.  `keepalived -t` cases at the end."""
import json
import signal
import time

import pytest

from daemon import config_test
from daemon import expand_path as expand
from daemon import write_config_file as write
from vrrp_util import (VIP, global_defs, hold, kill9, master_down_interval,
                       start_node, vrrp_instance, wait_sole_holder, wait_vip)
from daemon import wait_for

VRID = 51
VMAC = "vrrp.51"
VMAC_MAC = "00:00:5e:00:01:33"     # 00-00-5E-00-01-{VRID}, RFC 3768 7.3
ELECT = master_down_interval(100) + 3.0


def vmac_conf(router_id, priority, name=None, xmit_base=False, state="BACKUP"):
    extra = ["use_vmac" + (" " + name if name else "")]
    if xmit_base:
        extra.append("vmac_xmit_base")
    return global_defs(router_id) + vrrp_instance(priority=priority, state=state,
                                                  extra=extra)


def link(host, name):
    """`ip -d -j link show NAME` as a dict, None when there is no such link."""
    r = host.run("ip", "-d", "-j", "link", "show", "dev", name, check=False)
    return json.loads(r.stdout)[0] if r.returncode == 0 else None


def wait_link(host, name, present=True, timeout=5.0):
    wait_for(lambda: (link(host, name) is not None) == present, timeout=timeout,
             what="%s %s in %s" % (name, "present" if present else "absent", host.name))
    return link(host, name)


def assert_is_vmac(host, name=VMAC, mac=VMAC_MAC):
    lk = wait_link(host, name)
    info = lk.get("linkinfo", {})
    assert info.get("info_kind") == "macvlan", lk
    assert info.get("info_data", {}).get("mode") == "private", lk
    assert lk["address"] == mac, lk
    assert lk["link"] == "eth0", lk
    assert "UP" in lk["flags"], lk
    return lk


def vip_on(host, ifname=VMAC):
    """Whether the VIP is on `ifname` (False while that link does not exist)."""
    r = host.run("ip", "-o", "-4", "addr", "show", "dev", ifname, check=False)
    return r.returncode == 0 and (" %s/" % VIP) in r.stdout


def wait_vip_on(host, ifname=VMAC, timeout=ELECT):
    wait_for(lambda: vip_on(host, ifname), timeout=timeout,
             what="%s on %s of %s" % (VIP, ifname, host.name))


def sysctl(host, ifname, key, family="ipv4"):
    return int(host.run("cat", "/proc/sys/net/%s/conf/%s/%s" % (family, ifname, key))
               .stdout.strip())


def set_sysctl(host, ifname, key, value):
    host.run("sh", "-c", "echo %d > /proc/sys/net/ipv4/conf/%s/%s" % (value, ifname, key))


def start_pair(topology, daemon, **kw):
    topo = topology(2, observer=True)
    a, b = topo.hosts
    da = start_node(daemon, a, vmac_conf("h1", 150, **kw))
    db = start_node(daemon, b, vmac_conf("h2", 100, **kw))
    wait_vip_on(a)
    wait_sole_holder(a, topo.hosts, timeout=ELECT, ifname=VMAC)
    return topo, a, b, da, db


def test_vmac_on_both_nodes_adverts_and_garps_carry_the_virtual_mac(topology, daemon,
                                                                    capture):
    """Both nodes create vrrp.51, a private-mode macvlan of eth0 with MAC
    00:00:5e:00:01:33, up whatever their state.  The Master holds the VIP
    on it (not on eth0); its adverts and gratuitous ARPs (Ethernet source
    and sender hardware address) carry the virtual MAC.  The Backup hears
    those adverts on its own vrrp.51 (same MAC: private mode delivers them)
    and so stays silent and without the VIP.  When the Master stops, the
    Backup's takeover is announced from the virtual MAC too."""
    topo, a, b, da, db = start_pair(topology, daemon)
    cap = capture(topo.observer)
    for h in (a, b):
        assert_is_vmac(h)
        assert VIP not in h.addresses()              # never on eth0
    assert vip_on(a) and not vip_on(b)
    ads = cap.wait_adverts(3, timeout=5, src=a.addr)
    assert all(ad.src_mac == VMAC_MAC and ad.priority == 150 for ad in ads), ads
    hold(lambda: not vip_on(b), 4.0, what="the Backup stays Backup")
    assert cap.adverts(src=b.addr) == []
    # The Master's GARPs went out before the capture started: stop it, and
    # check those of the Backup taking over.
    t0 = time.time()
    da.signal(signal.SIGTERM)
    da.wait_exit()
    wait_vip_on(b, timeout=ELECT)
    garps = wait_for(lambda: cap.garps(VIP, since=t0), timeout=3, what="GARPs for the VIP")
    assert all(g.src_mac == VMAC_MAC and g.sha == VMAC_MAC for g in garps), garps
    assert cap.adverts(src=b.addr, since=t0)[0].src_mac == VMAC_MAC


def test_failover_between_vmac_nodes(topology, daemon, capture):
    """kill -9 of the Master: the Backup takes the VIP on its vrrp.51 and
    advertises from the virtual MAC; the restarted Master takes over its
    leftover vrrp.51 (same ifindex, no new link), drops the stale VIP as a
    Backup and preempts."""
    topo, a, b, da, db = start_pair(topology, daemon)
    cap = capture(topo.observer)
    before = link(a, VMAC)["ifindex"]
    kill9(da)
    wait_vip_on(b, timeout=master_down_interval(100) + 1.5)
    assert cap.wait_adverts(1, timeout=3, src=b.addr)[0].src_mac == VMAC_MAC
    assert link(a, VMAC)["ifindex"] == before          # crash: nobody removed it
    da.start()
    wait_for(lambda: vip_on(a) and not vip_on(b), timeout=ELECT, what="VIP back on h1 only")
    assert link(a, VMAC)["ifindex"] == before
    assert "vmac vrrp.51 created" not in da.log().split("Starting keepalived")[-1]


def test_sysctls_set_then_restored_and_vmac_removed_on_sigterm(topology, daemon):
    """Running: eth0 has arp_ignore 1 and arp_filter 1 (it must not answer
    ARP for the VIP with its own MAC), vrrp.51 has arp_ignore 1,
    accept_local 1, rp_filter 0 and no IPv6 link-local address (addrgenmode
    none), against defaults made different on purpose.  SIGTERM: vrrp.51 is
    deleted and eth0 gets its own values back."""
    topo = topology(1)
    (a,) = topo.hosts
    set_sysctl(a, "eth0", "arp_ignore", 2)
    set_sysctl(a, "eth0", "arp_filter", 0)
    for key, value in (("rp_filter", 1), ("accept_local", 0), ("arp_ignore", 0)):
        set_sysctl(a, "default", key, value)
    d = start_node(daemon, a, vmac_conf("h1", 150))
    lk = assert_is_vmac(a)
    assert lk.get("inet6_addr_gen_mode", "none") == "none", lk
    assert sysctl(a, VMAC, "addr_gen_mode", "ipv6") == 1
    assert (sysctl(a, "eth0", "arp_ignore"), sysctl(a, "eth0", "arp_filter")) == (1, 1)
    assert (sysctl(a, VMAC, "arp_ignore"), sysctl(a, VMAC, "accept_local"),
            sysctl(a, VMAC, "rp_filter")) == (1, 1, 0)
    wait_vip_on(a, timeout=ELECT)
    d.signal(signal.SIGTERM)
    assert d.wait_exit() == 0
    assert link(a, VMAC) is None
    assert (sysctl(a, "eth0", "arp_ignore"), sysctl(a, "eth0", "arp_filter")) == (2, 0)
    assert "vmac vrrp.51 removed" in d.log()


def test_reload_keeps_an_unchanged_vmac_and_replaces_a_renamed_one(topology, daemon):
    """SIGHUP with a changed priority only: same vrrp.51 (same ifindex), the
    VIP never leaves it.  SIGHUP with `use_vmac vmac51`: vrrp.51 is deleted,
    vmac51 created with the same MAC, and the VIP comes back on it."""
    topo = topology(1)
    (a,) = topo.hosts
    d = start_node(daemon, a, vmac_conf("h1", 150))
    wait_vip_on(a, timeout=ELECT)
    before = link(a, VMAC)["ifindex"]
    d.write_config(vmac_conf("h1", 140))
    d.signal(signal.SIGHUP)
    d.wait_log(r"VRRP configuration reloaded", timeout=10)
    hold(lambda: vip_on(a), 2.0, what="VIP stays on vrrp.51")
    assert link(a, VMAC)["ifindex"] == before
    d.write_config(vmac_conf("h1", 140, name="vmac51"))
    d.signal(signal.SIGHUP)
    d.wait_log(r"VRRP configuration reloaded", count=2, timeout=10)
    wait_link(a, VMAC, present=False)
    assert_is_vmac(a, "vmac51")
    wait_vip_on(a, "vmac51")
    d.signal(signal.SIGTERM)
    d.wait_exit()
    assert link(a, "vmac51") is None


def test_vmac_xmit_base_adverts_from_the_base_mac(topology, daemon, capture):
    """vmac_xmit_base: adverts leave (and are heard) on eth0 with its own
    MAC; the VIP still lives on vrrp.51 and the gratuitous ARPs announce it
    from the virtual MAC.  The Backup, listening on its eth0, stays Backup."""
    topo, a, b, da, db = start_pair(topology, daemon, xmit_base=True)
    cap = capture(topo.observer)
    ads = cap.wait_adverts(3, timeout=5, src=a.addr)
    assert all(ad.src_mac == a.mac() for ad in ads), ads
    hold(lambda: not vip_on(b), 4.0, what="the Backup stays Backup")
    t0 = time.time()
    kill9(da)
    wait_vip_on(b, timeout=master_down_interval(100) + 1.5)
    garps = wait_for(lambda: cap.garps(VIP, since=t0), timeout=3, what="GARPs for the VIP")
    assert all(g.src_mac == VMAC_MAC and g.sha == VMAC_MAC for g in garps), garps
    assert cap.wait_adverts(1, timeout=3, src=b.addr)[0].src_mac == b.mac()


def test_vmac_deleted_by_hand_is_recreated(topology, daemon):
    """`ip link del vrrp.51` under a running Master: keepalived creates it
    again and the VIP comes back on it."""
    topo = topology(1)
    (a,) = topo.hosts
    d = start_node(daemon, a, vmac_conf("h1", 150))
    wait_vip_on(a, timeout=ELECT)
    a.run("ip", "link", "del", VMAC)
    assert_is_vmac(a)
    wait_vip_on(a, timeout=ELECT)
    d.wait_log(r"vmac vrrp\.51 created", count=2)


def test_foreign_interface_with_the_vmac_name_is_left_alone(topology, daemon):
    """A veth interface already called vrrp.51: keepalived neither takes nor
    deletes it; the instance stays in FAULT saying why, and the VIP is
    nowhere.  Once it is gone the vmac is created and the instance
    runs."""
    topo = topology(1)
    (a,) = topo.hosts
    a.run("ip", "link", "add", VMAC, "type", "veth", "peer", "name", "vx51")
    d = start_node(daemon, a, vmac_conf("h1", 150))
    d.wait_log(r"vmac vrrp\.51: the interface of that name is not our macvlan of eth0")
    d.wait_log(r"\(VI_1\) \w+ -> FAULT")
    hold(lambda: not vip_on(a) and VIP not in a.addresses(), 2.0,
         what="no VIP anywhere")
    assert link(a, VMAC)["linkinfo"]["info_kind"] == "veth"
    a.run("ip", "link", "del", VMAC)
    assert_is_vmac(a)
    wait_vip_on(a, timeout=ELECT)
    d.signal(signal.SIGTERM)
    d.wait_exit()
    assert link(a, VMAC) is None


# ---- keepalived -t ----------------------------------------------------------

def instance(name, body, iface="eth0", vrid=51):
    return ("vrrp_instance %s {\n  interface %s\n  virtual_router_id %d\n%s"
            "  virtual_ipaddress {\n    10.0.0.%d\n  }\n}\n" % (name, iface, vrid, body, vrid))


def test_vmac_keywords_accepted(tmp_path):
    text = (instance("VI_1", "  use_vmac\n") + instance("VI_2", "  use_vmac vmac52\n"
                                                        "  vmac_xmit_base\n", vrid=52)
            + instance("VI_3", "  use_vmac\n", iface="eth1", vrid=53))
    status, lines = config_test(write(tmp_path, text))
    assert (status, lines) == (0, [])


BAD_VMAC = {
    "name_too_long": (
        instance("VI_1", "  use_vmac vrrp-name-too-long\n"),
        ["{f}:4:12: error: 'vrrp-name-too-long' is not a valid interface name (1 to 15 "
         "bytes, no '/', ':' or blanks)"]),
    "same_default_name_on_two_parents": (
        instance("VI_1", "  use_vmac\n") + instance("VI_2", "  use_vmac\n", iface="eth1"),
        ["{f}:12:3: error: use_vmac vrrp.51: that interface is already the vmac of "
         "vrrp_instance 'VI_1' (give this one another name)"]),
    "same_name_two_vrids": (
        instance("VI_1", "  use_vmac vm\n") + instance("VI_2", "  use_vmac vm\n", vrid=52),
        ["{f}:12:3: error: use_vmac vm: that interface is already the vmac of "
         "vrrp_instance 'VI_1' (give this one another name)"]),
    "vmac_named_like_its_parent": (
        instance("VI_1", "  use_vmac eth0\n"),
        ["{f}:4:3: error: use_vmac eth0: the vmac cannot have the name of the interface "
         "it is created on"]),
}


@pytest.mark.parametrize("case", sorted(BAD_VMAC))
def test_bad_vmac_config(tmp_path, case):
    text, expected = BAD_VMAC[case]
    path = write(tmp_path, text)
    status, lines = config_test(path)
    assert status == 3
    assert lines == expand(expected, path)


def test_xmit_base_without_use_vmac_warns(tmp_path):
    path = write(tmp_path, instance("VI_1", "  vmac_xmit_base\n"))
    status, lines = config_test(path)
    assert status == 0
    assert lines == expand(["{f}:4:3: warning: vmac_xmit_base without use_vmac: ignored"],
                           path)
