"""VRRPv2 failover (RFC 3768 6.4): a crashed Master, a restarted one
(preemption, nopreempt), and a clean shutdown (priority-0 advert).
Observed from outside: `ip addr` per namespace, captures on the bridge.

Runs our keepalived by default; VRRP_IMPL=debian runs Debian's 2.2.7."""
import signal
import time

from vrrp_util import (VIP, global_defs, hold, kill9, master_down_interval, skew_time,
                       start_node, vip_holders, vrrp_instance, wait_sole_holder, wait_vip)

ELECT = 10.0
MARGIN = 1.5


def start_pair(topology, daemon, nopreempt=False):
    topo = topology(2, observer=True)
    a, b = topo.hosts
    da = start_node(daemon, a, global_defs("h1") + vrrp_instance(priority=150,
                                                                   nopreempt=nopreempt))
    db = start_node(daemon, b, global_defs("h2") + vrrp_instance(priority=100,
                                                                   nopreempt=nopreempt))
    wait_sole_holder(a, topo.hosts, timeout=ELECT)
    return topo, a, b, da, db


def test_kill9_master_backup_takes_over_then_master_preempts_back(topology, daemon, capture):
    """kill -9 of every keepalived process of the Master (no priority-0
    advert): the Backup becomes Master within Master_Down_Interval
    (3 * 1 + Skew_Time(100) = 3.61 s) of the last advert, plus a margin,
    and not before three intervals have passed (V2-R20, V2-R22, V2-R29); it
    announces the VIP with a gratuitous ARP from its own MAC (V2-R29,
    STD-R03) and advertises its priority 100.  The old Master restarted
    first drops its stale VIP (it starts as Backup: V2-R24, V2-R27), then,
    its priority being higher, preempts (V2-R21, V2-R31) and the Backup
    yields (V2-R39): the VIP is back on h1 only."""
    topo, a, b, da, db = start_pair(topology, daemon)
    cap = capture(topo.observer)
    cap.wait_adverts(1, timeout=3, src=a.addr)
    t_kill = time.time()
    kill9(da)
    took = wait_vip(b, timeout=master_down_interval(100) + MARGIN)
    last_a = cap.adverts(src=a.addr)[-1]
    first_b = cap.wait_adverts(1, timeout=2, src=b.addr)[0]
    assert first_b.priority == 100
    gap = first_b.time - last_a.time
    assert 3.0 <= gap <= master_down_interval(100) + MARGIN, \
        "takeover %.2f s after the last advert of the dead Master" % gap
    assert took <= master_down_interval(100) + MARGIN, took
    garps = cap.garps(VIP, mac=b.mac(), since=t_kill)
    assert garps, "no gratuitous ARP for %s from %s: %s" % (VIP, b.mac(), cap.arps(t_kill))
    assert all(g.src_mac == b.mac() and g.dst_mac == "ff:ff:ff:ff:ff:ff" for g in garps)

    # The dead node still has the VIP configured (nobody cleaned up).
    # Restarted, it must remove it while it is a Backup, then preempt.
    t_restart = time.time()
    da.start()
    wait_vip(a, present=False, timeout=3.0)
    wait_sole_holder(a, topo.hosts, timeout=master_down_interval(150) + 3.0)
    assert time.time() - t_restart >= master_down_interval(150) - 0.5
    back = cap.wait_adverts(1, timeout=2, src=a.addr, since=t_restart)[0]
    assert back.priority == 150
    assert cap.garps(VIP, mac=a.mac(), since=t_restart), "no gratuitous ARP from h1"


def test_nopreempt_restarted_higher_priority_stays_backup(topology, daemon, capture):
    """With `nopreempt` on both (state BACKUP), the restarted higher-priority
    node does not take the VIP back: it resets its timer on every advert of
    the lower-priority Master (V2-R31 with Preempt_Mode False) and stays a
    silent Backup for well over its Master_Down_Interval."""
    topo, a, b, da, db = start_pair(topology, daemon, nopreempt=True)
    kill9(da)
    wait_vip(b, timeout=master_down_interval(100) + MARGIN)
    cap = capture(topo.observer)
    t_restart = time.time()
    da.start()
    wait_vip(a, present=False, timeout=3.0)  # stale VIP removed by the Backup
    hold(lambda: vip_holders(topo.hosts) == ["h2"], 5.0, what="h2 sole holder")
    assert cap.adverts(src=a.addr, since=t_restart) == [], "the nopreempt Backup advertised"
    assert len(cap.adverts(src=b.addr, since=t_restart)) >= 4


def test_sigterm_master_sends_priority_zero_backup_takes_over_fast(topology, daemon, capture):
    """SIGTERM of the Master: it sends an advert with priority 0 (V2-R11,
    V2-R36) and removes its VIP; the Backup takes over after Skew_Time
    (0.61 s for priority 100, V2-R19, V2-R30) instead of the full
    Master_Down_Interval: its first advert and its VIP come less than 1.5 s
    after the priority-0 advert."""
    topo, a, b, da, db = start_pair(topology, daemon)
    cap = capture(topo.observer)
    cap.wait_adverts(1, timeout=3, src=a.addr)
    da.proc.send_signal(signal.SIGTERM)
    zero = cap.wait_adverts(1, timeout=5, src=a.addr, priority=0, what="priority-0 advert")
    t0 = zero[0].time
    wait_vip(b, timeout=3.0)
    t_vip = time.time()
    first_b = cap.wait_adverts(1, timeout=2, src=b.addr)[0]
    assert first_b.time - t0 < skew_time(100) + 0.9, first_b.time - t0
    assert t_vip - t0 < 1.5, t_vip - t0
    assert first_b.priority == 100
    wait_vip(a, present=False, timeout=3.0)
    da.wait_exit(timeout=10)
    assert vip_holders(topo.hosts) == ["h2"]
