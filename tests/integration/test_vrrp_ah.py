"""auth_type AH (RFC 2338 IP Authentication Header, HMAC-MD5-96 keyed by
auth_pass), between our nodes and with Debian's keepalived 2.2.7 in both
directions.  Observed from outside: who holds the VIP, and that adverts on
the wire are IP protocol 51, never plain VRRP."""
import pytest

from vrrp_util import (VIP, global_defs, hold, impl_available, kill9, start_node,
                       vrrp_instance, wait_sole_holder, master_down_interval)

ELECT = 3 * 1 + 1 + 3.0


def ah_instance(priority, password="s3cret"):
    text = vrrp_instance(priority=priority, auth_pass=password)
    assert "auth_type PASS" in text
    return text.replace("auth_type PASS", "auth_type AH")


def start(daemon, host, impl, priority, password="s3cret"):
    return start_node(daemon, host, global_defs(host.name) + ah_instance(priority, password),
                      impl=impl)


@pytest.mark.parametrize("master_impl,backup_impl", [
    ("ours", "ours"), ("ours", "debian"), ("debian", "ours")])
def test_ah_election_and_failover(topology, daemon, capture, master_impl, backup_impl):
    """One master (the higher priority); adverts are AH-wrapped; killing the
    master moves the VIP to the backup, restarting it moves the VIP back
    (the restarted node adopts the peers' AH sequence numbers first)."""
    for impl in (master_impl, backup_impl):
        if not impl_available(impl):
            pytest.fail("%s keepalived is not installed" % impl)
    topo = topology(2, observer=True)
    a, b = topo.hosts
    cap = capture(topo.observer, bpf="ip proto 51 or ip proto 112")
    da = start(daemon, a, master_impl, 150)
    start(daemon, b, backup_impl, 100)
    wait_sole_holder(a, topo.hosts, timeout=ELECT)
    hold(lambda: VIP not in b.addresses(), 2.0, what="backup stays backup")
    protos = {fr[14 + 9] for _, fr in cap.frames() if len(fr) > 14 + 9}
    assert protos == {51}, protos
    kill9(da)
    wait_sole_holder(b, [b], timeout=master_down_interval(100) + 1.5)
    da.start()
    wait_sole_holder(a, topo.hosts, timeout=ELECT + 3)


def test_ah_wrong_password_is_not_believed(topology, daemon):
    """Different AH passwords: neither node believes the other's adverts,
    so both become master (each holds the VIP)."""
    topo = topology(2)
    a, b = topo.hosts
    start(daemon, a, "ours", 150, password="right")
    start(daemon, b, "ours", 100, password="wrong")
    wait_sole_holder(a, [a], timeout=ELECT)
    wait_sole_holder(b, [b], timeout=ELECT)
    hold(lambda: VIP in a.addresses() and VIP in b.addresses(), 3.0, what="both masters")
