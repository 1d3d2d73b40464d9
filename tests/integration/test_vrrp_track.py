"""Tracking (keepalived extensions on top of RFC 3768): track_interface
puts an instance in FAULT, a vrrp_script either changes the advertised
priority (weight) or puts the instance in FAULT (no weight).
Observed from outside: `ip addr`, captured adverts (their priority field).

Runs our keepalived by default; VRRP_IMPL=debian runs Debian's 2.2.7."""
import os
import time

from vrrp_util import (global_defs, hold, master_down_interval, start_node, vip_holders,
                       vrrp_instance, vrrp_script, wait_sole_holder, wait_vip)

ELECT = 10.0
MARGIN = 1.5


def test_track_interface_down_faults_master_and_up_preempts_back(topology, daemon, capture):
    """h1 (150) tracks eth1; `ip link set eth1 down` in h1 puts it in FAULT:
    it drops the VIP, stops advertising, and h2 (100) takes over within its
    Master_Down_Interval plus a margin (V2-R29; faster if h1 says goodbye
    with priority 0, V2-R30).  eth1 back up: h1 returns to Backup and, its
    priority being higher, preempts (V2-R21, V2-R31, V2-R39)."""
    topo = topology(2, lans=2, observer=True)
    a, b = topo.hosts
    start_node(daemon, a, global_defs("h1") + vrrp_instance(priority=150,
                                                             track_interface=["eth1"]))
    start_node(daemon, b, global_defs("h2") + vrrp_instance(priority=100))
    wait_sole_holder(a, topo.hosts, timeout=ELECT)
    cap = capture(topo.observer)

    a.link(False, "eth1")
    wait_vip(a, present=False, timeout=2.0)  # FAULT: the VIP goes at once
    t_down = time.time()
    wait_sole_holder(b, topo.hosts, timeout=master_down_interval(100) + MARGIN)
    time.sleep(1.5)
    # In FAULT h1 is silent (a priority-0 goodbye is allowed, nothing else).
    talk = [ad for ad in cap.adverts(src=a.addr, since=t_down) if ad.priority != 0]
    assert talk == [], "h1 advertised while in FAULT: %s" % talk
    assert vip_holders(topo.hosts) == ["h2"]

    t_up = time.time()
    a.link(True, "eth1")
    wait_sole_holder(a, topo.hosts, timeout=master_down_interval(150) + 3.0)
    back = cap.wait_adverts(1, timeout=2, src=a.addr, since=t_up)
    assert back[0].priority == 150


def test_track_script_weight_lowers_priority_and_moves_vip(topology, daemon, capture, tmp_path):
    """vrrp_script (weight -60) on h1 (150): while the script fails h1
    advertises priority 90 (150 - 60), below h2's 100, so h2 preempts
    (V2-R31: a lower-priority advert does not reset its timer) and h1 yields
    (V2-R39).  The script succeeding again brings h1's adverts back to 150
    and h1 preempts back."""
    topo = topology(2, observer=True)
    a, b = topo.hosts
    flagdir = tmp_path / "flag"
    flagdir.mkdir(mode=0o755)
    flag = flagdir / "up"
    flag.write_text("1\n")
    conf_a = global_defs("h1", scripts=True) \
        + vrrp_script("chk", "/bin/sh -c 'test -f %s'" % flag, interval=1, weight=-60) \
        + vrrp_instance(priority=150, track_script=["chk"])
    start_node(daemon, a, conf_a)
    start_node(daemon, b, global_defs("h2") + vrrp_instance(priority=100))
    wait_sole_holder(a, topo.hosts, timeout=ELECT)
    cap = capture(topo.observer)
    assert cap.wait_adverts(1, timeout=3, src=a.addr)[0].priority == 150

    t_fail = time.time()
    os.unlink(flag)
    wait_sole_holder(b, topo.hosts, timeout=2.0 + master_down_interval(100) + MARGIN)
    prios = [ad.priority for ad in cap.adverts(src=a.addr, since=t_fail)]
    assert 90 in prios, "h1 never advertised 150-60: %s" % prios
    assert set(prios) <= {150, 90}, prios
    b_adv = cap.wait_adverts(1, timeout=2, src=b.addr, since=t_fail)
    assert b_adv[0].priority == 100

    t_ok = time.time()
    flag.write_text("1\n")
    wait_sole_holder(a, topo.hosts, timeout=2.0 + master_down_interval(150) + MARGIN)
    back = cap.wait_adverts(1, timeout=2, src=a.addr, since=t_ok)
    assert back[-1].priority == 150


def test_track_script_without_weight_faults_master(topology, daemon, capture, tmp_path):
    """A tracked vrrp_script with no weight: its failure puts h1 in FAULT
    (VIP removed, h2 takes over); success again returns h1 to Backup and it
    preempts back (V2-R21, V2-R31)."""
    topo = topology(2, observer=True)
    a, b = topo.hosts
    flagdir = tmp_path / "flag"
    flagdir.mkdir(mode=0o755)
    flag = flagdir / "up"
    flag.write_text("1\n")
    conf_a = global_defs("h1", scripts=True) \
        + vrrp_script("chk", "/bin/sh -c 'test -f %s'" % flag, interval=1) \
        + vrrp_instance(priority=150, track_script=["chk"])
    start_node(daemon, a, conf_a)
    start_node(daemon, b, global_defs("h2") + vrrp_instance(priority=100))
    wait_sole_holder(a, topo.hosts, timeout=ELECT)
    cap = capture(topo.observer)

    os.unlink(flag)
    wait_vip(a, present=False, timeout=4.0)  # FAULT: the VIP goes at once
    t_fault = time.time()
    wait_sole_holder(b, topo.hosts, timeout=master_down_interval(100) + MARGIN)
    hold(lambda: vip_holders(topo.hosts) == ["h2"], 2.0, what="h2 sole holder")
    talk = [ad for ad in cap.adverts(src=a.addr, since=t_fault + 0.2) if ad.priority != 0]
    assert talk == [], "h1 advertised while in FAULT: %s" % talk

    flag.write_text("1\n")
    wait_sole_holder(a, topo.hosts, timeout=2.0 + master_down_interval(150) + MARGIN)
