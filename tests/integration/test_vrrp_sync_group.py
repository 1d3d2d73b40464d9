"""vrrp_sync_group (keepalived extension): instances that fail over together.
Two LANs: VI_1 on eth0 (bridge br0, VIP 10.99.0.100), VI_2 on eth1 (bridge
br1, VIP 10.99.1.100).  Observed from outside with `ip addr`.

Runs our keepalived by default; VRRP_IMPL=debian runs Debian's 2.2.7."""
import pytest

from vrrp_util import (global_defs, hold, master_down_interval, start_node, sync_group,
                       vip_holders, vrrp_instance, wait_sole_holder)

ELECT = 10.0
MARGIN = 1.5
VIP_A = "10.99.0.100"
VIP_B = "10.99.1.100"


def config(name, prio, grouped=True, group_extra=(), vi1_extra=()):
    text = global_defs(name)
    if grouped:
        text += sync_group("G1", ["VI_1", "VI_2"], extra=group_extra)
    text += vrrp_instance("VI_1", interface="eth0", vrid=51, priority=prio,
                          vips=(VIP_A + "/24",), extra=vi1_extra)
    text += vrrp_instance("VI_2", interface="eth1", vrid=52, priority=prio,
                          vips=(VIP_B + "/24",))
    return text


def holders(topo):
    return (vip_holders(topo.hosts, VIP_A, "eth0"), vip_holders(topo.hosts, VIP_B, "eth1"))


def start(topology, daemon, grouped, **kw):
    topo = topology(2, lans=2, observer=True)
    a, b = topo.hosts
    if kw:      # a link of its own for h1 to track: trk0, a veth up with its peer
        a.run("ip", "link", "add", "trk0", "type", "veth", "peer", "name", "trk1")
        a.run("ip", "link", "set", "trk1", "up")
        a.run("ip", "link", "set", "trk0", "up")
    start_node(daemon, a, config("h1", 150, grouped, **kw))
    start_node(daemon, b, config("h2", 100, grouped))
    wait_sole_holder(a, topo.hosts, VIP_A, timeout=ELECT, ifname="eth0")
    wait_sole_holder(a, topo.hosts, VIP_B, timeout=3.0, ifname="eth1")
    return topo, a, b


def test_sync_group_instance_fault_moves_both_vips(topology, daemon):
    """eth1 down on the Master: VI_2 (on eth1) goes to FAULT, and the sync
    group takes VI_1 (whose eth0 is fine) along: BOTH VIPs move to h2 and h1
    holds neither (V2-R29 for h2's takeover).  eth1 up again: both instances
    come back to h1 together (preemption, V2-R21/V2-R31)."""
    topo, a, b = start(topology, daemon, grouped=True)
    a.link(False, "eth1")
    wait_for_holders = master_down_interval(100) + MARGIN
    wait_sole_holder(b, topo.hosts, VIP_A, timeout=wait_for_holders, ifname="eth0")
    wait_sole_holder(b, topo.hosts, VIP_B, timeout=wait_for_holders, ifname="eth1")
    hold(lambda: holders(topo) == (["h2"], ["h2"]), 2.0, what="h2 holds both VIPs")

    a.link(True, "eth1")
    back = master_down_interval(150) + 3.0
    wait_sole_holder(a, topo.hosts, VIP_A, timeout=back, ifname="eth0")
    wait_sole_holder(a, topo.hosts, VIP_B, timeout=back, ifname="eth1")
    hold(lambda: holders(topo) == (["h1"], ["h1"]), 2.0, what="h1 holds both VIPs")


def test_without_sync_group_only_the_faulted_instance_moves(topology, daemon):
    """Control for the test above, same topology without the group: eth1
    down on h1 moves only VI_2's VIP; VI_1 stays on h1."""
    topo, a, b = start(topology, daemon, grouped=False)
    a.link(False, "eth1")
    wait_sole_holder(b, topo.hosts, VIP_B, timeout=master_down_interval(100) + MARGIN,
                     ifname="eth1")
    hold(lambda: holders(topo) == (["h1"], ["h2"]), 3.0, what="VI_1 on h1, VI_2 on h2")



@pytest.mark.parametrize("group_extra", [(), ("sync_group_tracking_weight",)],
                         ids=["plain", "sync_group_tracking_weight"])
def test_member_weights_count(topology, daemon, group_extra):
    """VI_1 tracks trk0 with weight -20: trk0 down lowers it to 130, still
    above h2's 100, so h1 keeps both VIPs, with or without
    sync_group_tracking_weight.  keepalived's manual says a member's weights
    count only with that keyword, but keepalived 2.2.7 applies them either
    way (VRRP_IMPL=debian runs this test against it), and so do we."""
    topo, a, b = start(topology, daemon, grouped=True, group_extra=group_extra,
                       vi1_extra=("track_interface {", "    trk0 weight -20", "}"))
    a.link(False, "trk0")
    hold(lambda: holders(topo) == (["h1"], ["h1"]), master_down_interval(100) + MARGIN,
         what="h1 keeps both VIPs")


def test_member_weight_zero_is_a_fault(topology, daemon):
    """weight 0 is keepalived's default meaning, not "does not count": trk0
    down puts VI_1 in FAULT, and the group hands both VIPs to h2."""
    topo, a, b = start(topology, daemon, grouped=True,
                       vi1_extra=("track_interface {", "    trk0 weight 0", "}"))
    a.link(False, "trk0")
    wait = master_down_interval(100) + MARGIN
    wait_sole_holder(b, topo.hosts, VIP_A, timeout=wait, ifname="eth0")
    wait_sole_holder(b, topo.hosts, VIP_B, timeout=wait, ifname="eth1")
