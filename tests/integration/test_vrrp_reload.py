"""Reload (SIGHUP) of a running VRRP node, seen from outside: an unchanged
instance keeps its state and its VIPs (no flap, no priority-0 advert, no
new election); added and removed VIPs and instances are applied; a changed
priority takes effect.  These run on both implementations (VRRP_IMPL)."""
import signal
import threading
import time

from vrrp_util import (VIP, global_defs, hold, start_node, vrrp_instance, wait_sole_holder,
                       wait_vip)

ELECT = 3 * 1 + 1 + 3.0     # Master_Down_Interval plus a margin
VIP2 = "10.99.0.101"
VIP3 = "10.99.0.102"


class Watch:
    """Sample `has` every 20 ms in a thread and remember any gap."""

    def __init__(self, host, vip=VIP):
        self.host, self.vip, self.gaps = host, vip, []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            if self.vip not in self.host.addresses():
                self.gaps.append(time.time())
            time.sleep(0.02)

    def finish(self):
        self.stop.set()
        self.thread.join()
        return self.gaps


def pair(topology, daemon):
    topo = topology(2, observer=True)
    a, b = topo.hosts
    conf_a = global_defs("h1") + vrrp_instance(priority=150)
    da = start_node(daemon, a, conf_a)
    start_node(daemon, b, global_defs("h2") + vrrp_instance(priority=100))
    wait_sole_holder(a, topo.hosts, timeout=ELECT)
    return topo, a, b, da, conf_a


def reload(d, text):
    d.write_config(text)
    d.signal(signal.SIGHUP)


def test_unchanged_reload_does_not_flap(topology, daemon, capture):
    """SIGHUP with the same configuration (a comment added): the Master
    keeps the VIP without a gap, sends no priority-0 advert and keeps
    advertising every second; the Backup never takes over."""
    topo, a, b, da, conf_a = pair(topology, daemon)
    cap = capture(topo.observer)
    watch = Watch(a)
    t0 = time.time()
    reload(da, "! reloaded\n" + conf_a)
    hold(lambda: VIP not in b.addresses(), 4.0, what="backup never takes the VIP")
    assert watch.finish() == []
    adverts = cap.adverts(vrid=51, since=t0)
    assert adverts and all(ad.src == a.addr and ad.priority == 150 for ad in adverts), adverts
    assert len(adverts) >= 3


def test_changed_priority_takes_effect(topology, daemon):
    """Lowering the Master's priority below the Backup's by reload: the
    Backup preempts and holds the VIP alone."""
    topo, a, b, da, conf_a = pair(topology, daemon)
    reload(da, conf_a.replace("priority 150", "priority 50"))
    wait_sole_holder(b, topo.hosts, timeout=ELECT)


def test_added_and_removed_vips(topology, daemon, capture):
    """A VIP added on the Master appears (announced by a gratuitous ARP)
    while the existing one stays; removing it again takes only it away."""
    topo, a, b, da, conf_a = pair(topology, daemon)
    cap = capture(topo.observer)
    watch = Watch(a)
    t0 = time.time()
    with_two = conf_a.replace("        %s/24\n" % VIP, "        %s/24\n        %s/24\n" % (VIP, VIP2))
    assert with_two != conf_a
    reload(da, with_two)
    wait_vip(a, VIP2, timeout=5)
    assert VIP2 not in b.addresses()
    garps = cap.garps(VIP2, mac=a.mac(), since=t0)
    assert garps, cap.arps(t0)
    reload(da, conf_a)
    wait_vip(a, VIP2, present=False, timeout=5)
    assert watch.finish() == []


def test_added_and_removed_instance(topology, daemon, capture):
    """A second instance added by reload starts (as Backup, then Master
    alone on its VRID) without disturbing the first; removed again, its
    Master resigns with a priority-0 advert and drops its VIP."""
    topo, a, b, da, conf_a = pair(topology, daemon)
    cap = capture(topo.observer)
    watch = Watch(a)
    second = vrrp_instance(name="VI_2", vrid=52, priority=120, vips=(VIP3 + "/24",))
    reload(da, conf_a + second)
    wait_vip(a, VIP3, timeout=ELECT)
    t_remove = time.time()
    reload(da, conf_a)
    wait_vip(a, VIP3, present=False, timeout=5)
    resign = cap.wait_adverts(1, timeout=3, vrid=52, priority=0, since=t_remove)
    assert resign[0].src == a.addr
    assert watch.finish() == []
