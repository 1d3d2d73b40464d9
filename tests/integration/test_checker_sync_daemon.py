"""lvs_sync_daemon tied to a VRRP instance, against the real kernel IPVS:
the VRRP child's state reaches the checker child through the parent, and
the kernel runs the master sync daemon while the instance is MASTER and
the backup one while it is BACKUP (read back with ipvsadm --daemon)."""
import pytest

from daemon import wait_for
from vrrp_util import global_defs, start_node, vrrp_instance

pytestmark = pytest.mark.ipvs

VS = """virtual_server 10.99.0.200 80 {
    delay_loop 1
    protocol TCP
    real_server 10.99.0.2 80 {
    }
}
"""


def daemons(host):
    return host.run("ipvsadm", "-L", "--daemon").stdout


def test_sync_daemon_follows_vrrp_state(topology, daemon):
    topo = topology(2)
    a, b = topo.hosts
    conf = (global_defs("h1", extra=["lvs_sync_daemon eth0 VI_1"]) +
            vrrp_instance(priority=100) + VS)
    d = daemon(conf, netns=a.ns, name="h1")
    try:
        wait_for(lambda: "master sync daemon (mcast=eth0, syncid=51," in daemons(a), timeout=30,
                 what="master sync daemon")
    except AssertionError as e:
        raise AssertionError("%s; ipvsadm: %r; log:\n%s" % (e, daemons(a), d.log()[-4000:]))
    assert "backup sync daemon" not in daemons(a)
    start_node(daemon, b, global_defs("h2") + vrrp_instance(priority=200))
    wait_for(lambda: "backup sync daemon (mcast=eth0, syncid=51," in daemons(a), timeout=30,
             what="backup sync daemon; now: %r" % daemons(a))
    assert "master sync daemon" not in daemons(a)
