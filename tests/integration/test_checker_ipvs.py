"""The checker child against the kernel's real IPVS (run in the VM harness
when this kernel has none): the table read back with ipvsadm follows the
configuration and the health of real servers that are real listeners in
their own namespaces; reloads and restarts disturb nothing; drift is
repaired; a client gets answers through the VIP in NAT mode."""
import os
import signal

import pytest

from ipvs_lab import (RS, SERVICE, SORRY, VIP, Lab, LongConnection, config, healthy)
from daemon import wait_for
from vrrp_util import kill9

pytestmark = pytest.mark.ipvs


@pytest.fixture
def lab():
    lab = Lab(prefix="kc%d" % (os.getpid() % 10000))
    for name in sorted(RS):
        lab.start_rs(name)
    yield lab
    lab.close()


def start(daemon, lab, text, extra=()):
    return daemon(text, netns=lab.director.ns, extra_args=["-C"] + list(extra))


def test_table_follows_health(daemon, lab):
    """ipvsadm shows the configured service and weights; a stopped listener
    is removed, or kept at weight 0 with inhibit_on_failure; with every
    real server down the sorry server serves; a returning server gets its
    weight back.  Clients get answers through the VIP (NAT)."""
    start(daemon, lab, config())
    lab.wait_table(healthy())
    answers = lab.ask(6)
    assert sorted(set(answers)) == ["h2", "h3", "h4"], answers
    lab.stop_rs("h2")
    lab.wait_table({SERVICE: {"10.99.0.3:80": ("Masq", 2), "10.99.0.4:80": ("Masq", 3)}})
    lab.stop_rs("h3")
    lab.wait_table({SERVICE: {"10.99.0.3:80": ("Masq", 0), "10.99.0.4:80": ("Masq", 3)}})
    assert set(lab.ask(3)) == {"h4"}
    lab.stop_rs("h4")
    lab.wait_table({SERVICE: {"10.99.0.3:80": ("Masq", 0), "%s:80" % SORRY: ("Masq", 1)}})
    lab.start_rs("h4")
    lab.start_rs("h2")
    lab.wait_table({SERVICE: {"10.99.0.2:80": ("Masq", 1), "10.99.0.3:80": ("Masq", 0),
                              "10.99.0.4:80": ("Masq", 3)}})
    lab.start_rs("h3")
    lab.wait_table(healthy())


def test_reload_touches_only_what_changed(daemon, lab):
    """SIGHUP with an unchanged file leaves the table and its counters as
    they are and an open connection through the VIP keeps working; a
    changed weight is edited in place."""
    d = start(daemon, lab, config())
    lab.wait_table(healthy())
    conn = LongConnection(lab)
    try:
        assert conn.server in RS
        assert conn.echo("one") == "one"
        # the kernel publishes its counters with a delay (estimator)
        before = wait_for(lambda: lab.service_conns(), timeout=15, what="connection counted")
        d.write_config("! reloaded\n" + config())
        d.signal(signal.SIGHUP)
        d.wait_log(r"checker child runs configuration generation 2", timeout=30)
        assert lab.table() == healthy()
        assert lab.service_conns() >= before
        assert conn.echo("two") == "two"
        d.write_config(config(weights=(1, 2, 5)))
        d.signal(signal.SIGHUP)
        lab.wait_table(healthy(weights=(1, 2, 5)))
        assert lab.service_conns() >= before
        assert conn.echo("three") == "three"
    finally:
        conn.close()


def test_restart_adopts_and_drift_is_repaired(daemon, lab):
    """A restarted daemon adopts the table (the service keeps its counters:
    it was not recreated); a destination deleted by hand with ipvsadm is
    put back; another tool's service is never touched; SIGTERM removes our
    service only."""
    lab.director.run("ipvsadm", "-A", "-t", "10.99.1.200:80", "-s", "rr")
    d = start(daemon, lab, config())
    lab.wait_table(dict(healthy(), **{"TCP 10.99.1.200:80 rr": {}}))
    lab.ask(2)
    before = wait_for(lambda: lab.service_conns(), timeout=15, what="connections counted")
    kill9(d)
    assert lab.table()[SERVICE] == healthy()[SERVICE]
    d.start()
    d.wait_log(r"checker child started", timeout=30)
    lab.wait_table(dict(healthy(), **{"TCP 10.99.1.200:80 rr": {}}))
    assert lab.service_conns() >= before
    lab.director.run("ipvsadm", "-d", "-t", VIP + ":80", "-r", "10.99.0.3:80")
    assert "10.99.0.3:80" not in lab.table()[SERVICE]
    lab.wait_table(dict(healthy(), **{"TCP 10.99.1.200:80 rr": {}}), timeout=20)
    d.signal(signal.SIGTERM)
    assert d.wait_exit(timeout=30) == 0
    assert lab.table() == {"TCP 10.99.1.200:80 rr": {}}


def test_dont_release_ipvs_keeps_the_table(daemon, lab):
    """With -I (--dont-release-ipvs) SIGTERM leaves our service in place."""
    d = start(daemon, lab, config(), extra=["-I"])
    lab.wait_table(healthy())
    d.signal(signal.SIGTERM)
    assert d.wait_exit(timeout=30) == 0
    assert lab.table() == healthy()
