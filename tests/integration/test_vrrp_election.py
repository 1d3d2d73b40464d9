"""VRRPv2 election and advertisement format (RFC 3768), observed from outside:
`ip addr` in each namespace and adverts captured by an observer on the bridge.

Runs our keepalived by default; VRRP_IMPL=debian runs Debian's 2.2.7 instead
(how these tests were validated)."""
import os
import time

import pytest

from daemon import wait_for
from vrrp_util import (PASSWORD, VIP, VRRP_GROUP, VRRP_GROUP_MAC, Cluster, Sender, global_defs,
                       hold, intervals, ip_frame, master_down_interval, start_node, vip_holders,
                       vrrp_instance, vrrp_v2, wait_sole_holder, wait_vip)

VIP2 = "10.99.0.101"
ELECT = 10.0  # startup + Master_Down_Interval + margin


@pytest.fixture(scope="module")
def elected(tmp_path_factory):
    """h1 (priority 150) and h2 (priority 100), two VIPs, both start as
    BACKUP at the same time; the observer captures from before the start."""
    c = Cluster(tmp_path_factory.mktemp("election"), 2, prefix="kve%d" % (os.getpid() % 10000))
    try:
        a, b = c.hosts
        cap = c.capture()
        vips = (VIP + "/24", VIP2 + "/24")
        c.start(a, global_defs("h1") + vrrp_instance(priority=150, vips=vips))
        c.start(b, global_defs("h2") + vrrp_instance(priority=100, vips=vips))
        c.t_start = time.time()
        wait_sole_holder(a, c.hosts, VIP, timeout=ELECT)
        wait_sole_holder(a, c.hosts, VIP2, timeout=2)
        c.cap = cap
        yield c
    finally:
        c.close()


def test_higher_priority_becomes_the_only_master(elected):
    """Two nodes (150, 100) elect exactly one Master, the higher priority;
    the VIPs are on the Master only and stay there, and only the Master
    advertises.  V2-R24 (start as Backup), V2-R29 (Master_Down_Timer expiry
    -> Master), V2-R31 (a Backup with lower priority keeps resetting its
    timer), V2-R39/V2-R40 (Master ignores a lower priority), V2-R27 (the
    Backup does not hold the VIPs)."""
    a, b = elected.hosts
    t0 = time.time()
    hold(lambda: vip_holders(elected.hosts, VIP) == ["h1"]
         and vip_holders(elected.hosts, VIP2) == ["h1"], 3.0,
         what="h1 sole holder of both VIPs")
    adverts = elected.cap.adverts(vrid=51, since=t0)
    assert len(adverts) >= 2, adverts
    assert {ad.src for ad in adverts} == {a.addr}, "only the Master advertises: %s" % adverts


def test_advert_is_well_formed(elected):
    """Every advert of the Master: IPv4 protocol 112 (V2-R05) to 224.0.0.18
    (V2-R02; Ethernet destination is its multicast MAC), TTL 255 (V2-R03),
    source = the Master's primary address (V2-R01, V2-R52), version 2
    (V2-R06), type 1 (V2-R07), the VRID (V2-R08), the Master's priority,
    count = number of VIPs with exactly those addresses (V2-R12), auth type 1
    with the password NUL-padded to 8 octets (V2-R13: RFC 2338 simple text
    password, as keepalived), Adver Int 1 (V2-R14, V2-R18), a correct
    checksum recomputed over the whole message without pseudo-header
    (V2-R15, V2-R51), and length 16 + 4*count (V2-R17).  Source MAC: the
    interface's own MAC (keepalived default without use_vmac) or the VRRP
    virtual MAC 00:00:5e:00:01:VRID (V2-R53)."""
    a, _ = elected.hosts
    adverts = elected.cap.wait_adverts(4, timeout=6, vrid=51, src=a.addr)
    for ad in adverts:
        assert ad.proto == 112
        assert ad.dst == VRRP_GROUP
        assert ad.dst_mac == VRRP_GROUP_MAC
        assert ad.ttl == 255
        assert ad.ip_header_ok
        assert ad.src == a.addr
        assert ad.src_mac in (a.mac(), "00:00:5e:00:01:33"), ad.src_mac
        assert (ad.version, ad.type) == (2, 1)
        assert ad.vrid == 51
        assert ad.priority == 150
        assert ad.count == 2
        assert sorted(ad.addrs) == sorted([VIP, VIP2])
        assert ad.auth_type == 1
        assert ad.auth_data == PASSWORD.encode().ljust(8, b"\0")
        assert ad.adver_int == 1
        assert len(ad.payload) == 16 + 4 * ad.count
        assert ad.ip_len == 20 + len(ad.payload)
        assert ad.checksum == ad.recomputed_checksum(), ad
        assert ad.checksum_ok


def test_adverts_every_advert_int(elected):
    """The Master sends an advert every Advertisement_Interval (1 s): gaps
    between consecutive adverts are 0.8-1.2 s.  V2-R18, V2-R22, V2-R37."""
    a, _ = elected.hosts
    since = time.time()
    adverts = elected.cap.wait_adverts(6, timeout=9, vrid=51, src=a.addr, since=since)
    gaps = intervals(adverts)
    assert gaps and all(0.8 <= g <= 1.2 for g in gaps), gaps


def test_split_brain_heals_equal_priority_higher_address_wins(topology, daemon):
    """Equal priorities (100): with the LAN split (isolated bridge ports),
    each node becomes Master; when the LAN heals each Master hears the
    other's advert of the same priority, the one with the lower primary
    address yields (V2-R39) and the higher one discards the lower's advert
    (V2-R40): h2 (10.99.0.2) ends up the only Master.  (Without a split
    the first node to time out simply stays Master: a Backup resets its
    timer on an advert of equal priority, V2-R31.)"""
    topo = topology(2, observer=True)
    a, b = topo.hosts
    a.isolate(True)
    b.isolate(True)
    for h in (a, b):
        start_node(daemon, h, global_defs(h.name) + vrrp_instance(priority=100))
    wait_for(lambda: vip_holders(topo.hosts) == ["h1", "h2"], timeout=ELECT,
             what="both Masters while the LAN is split")
    a.isolate(False)
    b.isolate(False)
    wait_sole_holder(b, topo.hosts, timeout=3.0)
    hold(lambda: vip_holders(topo.hosts) == ["h2"], 2.0, what="h2 sole holder")


def test_equal_priority_newcomer_does_not_preempt(topology, daemon, capture):
    """h1 (priority 100) is Master alone; h2 (priority 100, higher address)
    started later stays a silent Backup, well past its Master_Down_Interval:
    a Backup resets its timer on every advert of a priority >= its own
    (V2-R31); the address tie-break is for a Master only (V2-R39).
    keepalived 2.2.7 behaves so (h2 observed silent for 12 s)."""
    topo = topology(2, observer=True)
    a, b = topo.hosts
    start_node(daemon, a, global_defs("h1") + vrrp_instance(priority=100))
    wait_sole_holder(a, topo.hosts, timeout=ELECT)
    cap = capture(topo.observer)
    start_node(daemon, b, global_defs("h2") + vrrp_instance(priority=100))
    hold(lambda: vip_holders(topo.hosts) == ["h1"], master_down_interval(100) + 2.5,
         what="h1 sole holder")
    assert cap.adverts(src=b.addr) == [], "h2 advertised"


def test_master_breaks_priority_tie_by_unsigned_address(topology, daemon, tmp_path):
    """A Master (h2, 10.99.0.2, priority 100) receiving valid adverts of the
    same priority: from a lower address (10.99.0.1) it discards them and
    stays Master (V2-R40); from a higher one, 10.99.0.130 (its last octet
    is negative as a signed char: the compare must be unsigned, V2-R41), it
    yields (V2-R39) and removes the VIP."""
    topo = topology(2, observer=True)
    _, b = topo.hosts
    obs = topo.observer
    start_node(daemon, b, global_defs("h2") + vrrp_instance(priority=100))
    wait_sole_holder(b, topo.hosts, timeout=ELECT)
    lower = ip_frame(vrrp_v2(priority=100), "10.99.0.1", obs.mac())
    sender = Sender(obs, [lower] * 10, interval=0.25, workdir=str(tmp_path))
    while sender.running():
        assert vip_holders(topo.hosts) == ["h2"], "h2 yielded to a lower address"
        time.sleep(0.05)
    assert sender.wait() == 10
    higher = ip_frame(vrrp_v2(priority=100), "10.99.0.130", obs.mac())
    sender = Sender(obs, [higher] * 8, interval=0.25, workdir=str(tmp_path))
    try:
        wait_vip(b, present=False, timeout=1.5)
    finally:
        sender.wait()


def test_higher_priority_newcomer_preempts(topology, daemon, capture):
    """A Backup of higher priority started after the Master takes over
    (Preempt_Mode default true) within its Master_Down_Interval; the old
    Master yields and drops the VIP.  V2-R21, V2-R31, V2-R39."""
    topo = topology(2, observer=True)
    a, b = topo.hosts
    start_node(daemon, b, global_defs("h2") + vrrp_instance(priority=100))
    wait_sole_holder(b, topo.hosts, timeout=ELECT)
    cap = capture(topo.observer)
    t0 = time.time()
    start_node(daemon, a, global_defs("h1") + vrrp_instance(priority=150))
    wait_sole_holder(a, topo.hosts, timeout=master_down_interval(150) + 3.0)
    first = cap.wait_adverts(1, timeout=2, src=a.addr)[0]
    # A Backup first: it waited for its Master_Down_Timer (V2-R24), it
    # did not start advertising at once.
    assert first.time - t0 >= master_down_interval(150) - 0.5, first.time - t0
    assert first.priority == 150


def test_state_master_below_255_still_starts_as_backup(topology, daemon, capture):
    """`state MASTER` with a priority below 255 is only a wish: the node
    starts as a Backup (Initialize -> Backup for a non-owner) and sends
    nothing until its Master_Down_Timer fires; a Master already in place with
    a higher priority keeps the VIP.  V2-R24 (keepalived 2.2.7 behaves so)."""
    topo = topology(2, observer=True)
    a, b = topo.hosts
    start_node(daemon, a, global_defs("h1") + vrrp_instance(priority=150))
    wait_sole_holder(a, topo.hosts, timeout=ELECT)
    cap = capture(topo.observer)
    t0 = time.time()
    start_node(daemon, b, global_defs("h2") + vrrp_instance(priority=100, state="MASTER"))
    hold(lambda: vip_holders(topo.hosts) == ["h1"], 5.0, what="h1 sole holder")
    assert cap.adverts(src=b.addr) == [], "the Backup advertised"
    assert cap.adverts(src=a.addr, since=t0), "the Master went silent"


def test_owner_priority_255_takes_over_at_once(topology, daemon, capture):
    """The address owner (priority 255, `state MASTER`) becomes Master at
    startup without waiting: it advertises priority 255 and holds the VIP
    within about a second, and the previous Master yields.  V2-R09, V2-R23.
    (keepalived 2.2.7 does so with `state MASTER`; with `state BACKUP` a
    priority-255 node waits its Master_Down_Interval first.)"""
    topo = topology(2, observer=True)
    a, b = topo.hosts
    start_node(daemon, b, global_defs("h2") + vrrp_instance(priority=100))
    wait_sole_holder(b, topo.hosts, timeout=ELECT)
    cap = capture(topo.observer)
    t0 = time.time()
    start_node(daemon, a, global_defs("h1") + vrrp_instance(priority=255, state="MASTER"))
    first = cap.wait_adverts(1, timeout=5, src=a.addr)[0]
    assert first.priority == 255
    assert first.time - t0 < 1.5, first.time - t0
    wait_sole_holder(a, topo.hosts, timeout=2.0)
