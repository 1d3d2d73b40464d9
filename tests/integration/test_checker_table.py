"""The IPVS table the checker programs, read back with ipvsadm, carries
every service attribute of the configuration: protocol, address, port,
fwmark, scheduler and its flags, persistence and granularity, one-packet
scheduling, forwarding method, weights and thresholds, group entries.
Real servers without checkers are always up.  Also the scripts: notify_up /
notify_down of a real server and quorum_up / quorum_down."""
import os
import stat

import pytest

from daemon import wait_for
from ipvs_lab import RS, VIP, Lab, config

pytestmark = pytest.mark.ipvs

CONF = """global_defs {
    router_id director
    lvs_timeouts tcp 1000 tcpfin 100 udp 200
}
virtual_server_group WEB {
    10.99.0.110-111 8080
}
virtual_server 10.99.0.100 80 {
    lb_algo wrr
    lb_kind DR
    protocol TCP
    persistence_timeout 300
    persistence_granularity 255.255.255.0
    real_server 10.99.0.2 80 {
        weight 3
    }
    real_server 10.99.0.3 80 {
        weight 5
        uthreshold 100
        lthreshold 10
    }
}
virtual_server fwmark 7 {
    lb_algo sh
    sh-port
    lb_kind TUN
    real_server 10.99.0.4 80 {
        weight 2
    }
}
virtual_server 10.99.0.101 53 {
    lb_algo rr
    protocol UDP
    ops
    lb_kind NAT
    real_server 10.99.0.2 53 {
    }
}
virtual_server group WEB {
    lb_algo lc
    protocol TCP
    lb_kind NAT
    real_server 10.99.0.3 80 {
    }
}
"""


def ipvsadm(host, *args):
    return host.run("ipvsadm", *args).stdout


def test_table_carries_every_attribute(topology, daemon):
    topo = topology(1)
    h = topo.hosts[0]
    daemon(CONF, netns=h.ns, extra_args=["-C"])
    wait_for(lambda: "10.99.0.111:8080" in ipvsadm(h, "-Ln"), timeout=30, what="table")
    out = ipvsadm(h, "-Ln")
    lines = [" ".join(l.split()) for l in out.splitlines()]
    assert "TCP 10.99.0.100:80 wrr persistent 300 mask 255.255.255.0" in lines, out
    assert "-> 10.99.0.2:80 Route 3 0 0" in lines, out
    assert "-> 10.99.0.3:80 Route 5 0 0" in lines, out
    assert any(l.startswith("FWM 7 sh") and "sh-port" in l for l in lines), out
    assert "-> 10.99.0.4:80 Tunnel 2 0 0" in lines, out
    assert "UDP 10.99.0.101:53 rr ops" in lines, out
    assert "-> 10.99.0.2:53 Masq 1 0 0" in lines, out
    assert "TCP 10.99.0.110:8080 lc" in lines and "TCP 10.99.0.111:8080 lc" in lines, out
    thresholds = " ".join(ipvsadm(h, "-Ln", "--thresholds").split())
    assert "-> 10.99.0.3:80 100 10" in thresholds, thresholds
    timeouts = " ".join(ipvsadm(h, "-L", "--timeout").split())
    assert "Timeout (tcp tcpfin udp): 1000 100 200" in timeouts, timeouts


def script(tmp_path, name):
    """A script that appends its name and arguments to a log; returns (path, log)."""
    d = tmp_path / "scripts"
    d.mkdir(exist_ok=True)
    os.chmod(d, 0o755)
    log = tmp_path / "events.log"
    path = d / name
    path.write_text("#!/bin/sh\necho %s \"$@\" >> %s\n" % (name, log))
    os.chmod(path, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    return str(path), log


def test_notify_and_quorum_scripts(daemon, tmp_path):
    """notify_down runs when a real server fails and notify_up when it
    returns; quorum_down when the live weight drops below the quorum,
    quorum_up when it is back."""
    lab = Lab(prefix="kq%d" % (os.getpid() % 10000))
    try:
        for name in sorted(RS):
            lab.start_rs(name)
        up, log = script(tmp_path, "up")
        down, _ = script(tmp_path, "down")
        qup, _ = script(tmp_path, "qup")
        qdown, _ = script(tmp_path, "qdown")
        text = config(extra_vs=["quorum 4", "quorum_up %s" % qup, "quorum_down %s" % qdown])
        text = text.replace("        weight 3\n", "        weight 3\n        notify_up %s\n"
                            "        notify_down %s\n" % (up, down))
        daemon(text, netns=lab.director.ns, extra_args=["-C"])
        wait_for(lambda: log.exists() and "qup" in log.read_text(), timeout=30,
                 what="quorum_up at start")
        lab.stop_rs("h4")        # weight 3 gone: live weight 3 < quorum 4
        wait_for(lambda: "down" in log.read_text().split() and "qdown" in log.read_text(),
                 timeout=30, what="notify_down and quorum_down: %s" % log.read_text())
        lab.start_rs("h4")
        wait_for(lambda: log.read_text().split().count("qup") == 2 and
                 "up" in log.read_text().split(), timeout=30,
                 what="notify_up and quorum_up again: %s" % log.read_text())
    finally:
        lab.close()
