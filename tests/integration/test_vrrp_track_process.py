"""vrrp_track_process: the instance follows the presence of processes.
A copy of /bin/sleep under a unique name plays the tracked process.  Exits
are seen at once (proc connector, or a pidfd per process in a network
namespace, where the connector does not exist), so killing it faults the
instance well under a second; quorum counts processes.  `-t` accepts the
documented syntax and rejects broken blocks."""
import os
import shutil
import subprocess
import time

import pytest

from daemon import config_test, wait_for
from daemon import write_config_file as write
from test_status import instance, status_json
from test_vrrp_track_file import wait_status
from vrrp_util import global_defs, start_node, vrrp_instance


def unique_sleep(tmp_path):
    """A copy of sleep whose name (<= 15 bytes, so /proc/PID/comm holds it
    whole) no other process has."""
    name = "kat%d" % (os.getpid() % 1000000)
    path = tmp_path / name
    shutil.copy("/bin/sleep", path)
    return name, str(path)


class Procs:
    def __init__(self, host=None):
        self.host, self.procs = host, []

    def start(self, path, *args):
        cmd = [path] + list(args or ["600"])
        p = self.host.popen(cmd) if self.host else subprocess.Popen(cmd)
        self.procs.append(p)
        return p

    def kill(self, p):
        p.kill()
        p.wait()

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                self.kill(p)


@pytest.fixture
def procs():
    made = []

    def make(host=None):
        made.append(Procs(host))
        return made[-1]
    yield make
    for p in made:
        p.close()


def process_block(name, extra=()):
    return "vrrp_track_process P {\n    process %s\n%s}\n" % (
        name, "".join("    %s\n" % e for e in extra))


def test_process_presence_faults_and_recovers(topology, daemon, procs, tmp_path):
    topo = topology(1)
    h = topo.hosts[0]
    name, path = unique_sleep(tmp_path)
    conf = global_defs("h1") + process_block(name) + vrrp_instance(
        priority=100, extra=["track_process {", "    P", "}"])
    d = start_node(daemon, h, conf)
    i = wait_status(d, lambda i: i["state"] == "FAULT", "FAULT without the process", 10)
    assert "track_process P" in i["fault_reason"]

    ps = procs(h)
    p = ps.start(path)
    wait_status(d, lambda i: i["state"] != "FAULT", "healthy with the process", 3)
    wait_status(d, lambda i: i["state"] == "MASTER", "master", 10)

    t0 = time.monotonic()
    ps.kill(p)
    wait_status(d, lambda i: i["state"] == "FAULT", "FAULT after the kill", 2)
    elapsed = time.monotonic() - t0
    assert elapsed < 0.5, "exit seen after %.2f s" % elapsed


def test_quorum_of_two_with_weight(topology, daemon, procs, tmp_path):
    topo = topology(1)
    h = topo.hosts[0]
    name, path = unique_sleep(tmp_path)
    conf = global_defs("h1") + process_block(name, ["quorum 2", "weight 10"]) + \
        vrrp_instance(priority=100, extra=["track_process {", "    P", "}"])
    ps = procs(h)
    first = ps.start(path)
    d = start_node(daemon, h, conf)
    wait_status(d, lambda i: i["effective_priority"] == 100, "one process: 100", 10)
    second = ps.start(path)
    wait_status(d, lambda i: i["effective_priority"] == 110, "two processes: 110", 3)
    t0 = time.monotonic()
    ps.kill(first)
    wait_status(d, lambda i: i["effective_priority"] == 100, "one left: 100", 2)
    assert time.monotonic() - t0 < 0.5
    assert second.poll() is None


def test_full_command_and_param_match(topology, daemon, procs, tmp_path):
    """full_command with parameters matches the command line: `path 600`
    counts, `path 601` does not; param_match partial lets more follow."""
    topo = topology(1)
    h = topo.hosts[0]
    name, path = unique_sleep(tmp_path)
    conf = global_defs("h1") + \
        "vrrp_track_process EXACT {\n    process %s 600\n    weight 10\n}\n" % path + \
        "vrrp_track_process PART {\n    process %s 60\n    param_match initial\n" \
        "    weight 20\n}\n" % path + \
        vrrp_instance(priority=100, extra=["track_process {", "    EXACT", "    PART", "}"])
    ps = procs(h)
    d = start_node(daemon, h, conf)
    wait_status(d, lambda i: i["effective_priority"] == 100, "none: 100", 10)
    ps.start(path, "601")
    wait_status(d, lambda i: i["effective_priority"] == 120, "601: initial only", 3)
    ps.start(path, "600")
    wait_status(d, lambda i: i["effective_priority"] == 130, "600: both", 3)


def test_terminate_delay_rides_out_a_restart(topology, daemon, procs, tmp_path):
    topo = topology(1)
    h = topo.hosts[0]
    name, path = unique_sleep(tmp_path)
    conf = global_defs("h1") + process_block(name, ["terminate_delay 2"]) + vrrp_instance(
        priority=100, extra=["track_process {", "    P", "}"])
    ps = procs(h)
    p = ps.start(path)
    d = start_node(daemon, h, conf)
    wait_status(d, lambda i: i["state"] == "MASTER", "master", 10)
    ps.kill(p)
    time.sleep(0.3)
    ps.start(path)
    time.sleep(2.5)
    assert instance(status_json(d))["state"] == "MASTER"
    assert "lost its quorum" not in d.log()


def test_proc_connector_in_the_initial_namespace(daemon, procs, tmp_path):
    """In the initial network namespace the kernel's process events are
    used: no /proc rescan, and a process started later is seen at once.
    The instance's interface does not exist, so nothing is sent."""
    name, path = unique_sleep(tmp_path)
    conf = global_defs("h1") + process_block(name) + vrrp_instance(
        interface="kanone0", priority=100, extra=["track_process {", "    P", "}"])
    d = daemon(conf, extra_args=["-P"])
    d.wait_log(r"VRRP_Track_Process\(P\) has no quorum", timeout=10)
    if "no process events from the kernel" in d.log():
        pytest.skip("the proc connector is not available here")
    ps = procs()
    t0 = time.monotonic()
    p = ps.start(path)
    d.wait_log(r"VRRP_Track_Process\(P\) has its quorum", timeout=2)
    assert time.monotonic() - t0 < 0.5
    ps.kill(p)
    d.wait_log(r"VRRP_Track_Process\(P\) lost its quorum", timeout=1)


GOOD = """\
vrrp_track_process HAPROXY {
    process haproxy
    quorum 1
    quorum_max 4
    weight -20 reverse
    delay 0.5
}
vrrp_track_process NGINX {
    process "/usr/sbin/nginx" -g "daemon off;"
    param_match partial
    fork_delay 1
    terminate_delay 2.5
    full_command
}
vrrp_track_process NONE_OF_THEM {
    process rogue
    quorum_max 0
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        10.0.0.1
    }
    track_process {
        HAPROXY
        NGINX weight 10 noreverse
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52
    virtual_ipaddress {
        10.0.0.2
    }
}
vrrp_sync_group G {
    group {
        VI_1
        VI_2
    }
    sync_group_tracking_weight
    track_process {
        NONE_OF_THEM weight -5
    }
}
"""

BAD = """\
vrrp_track_process P {
    param_match exactly
    quorum 0
    weight 5 sideways
}
vrrp_track_process Q {
    process q
    quorum 3
    quorum_max 2
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        10.0.0.1
    }
    track_process {
        Q weight 300
        MISSING
    }
}
"""


def test_config_good_track_process(tmp_path):
    rc, err = config_test(write(tmp_path, GOOD))
    assert rc == 0, err
    assert err == []


def test_config_bad_track_process(tmp_path):
    rc, err = config_test(write(tmp_path, BAD))
    assert rc != 0
    text = "\n".join(err)
    for want in (":2:17: error: 'exactly' is not a valid choice",
                 ":3:12: error: '0' is out of range",
                 ":4:14: error: unexpected 'sideways' after the weight",
                 ":1:1: error: vrrp_track_process 'P' has no process",
                 ":9:5: error: quorum_max 2 is less than quorum 3",
                 ":18:18: error: '300' is out of range",
                 ":19:9: error: track_process 'MISSING': no vrrp_track_process of that name"):
        assert want in text, text


def test_long_process_name_warns(tmp_path):
    conf = "vrrp_track_process P {\n    process averyveryverylongname\n}\n"
    rc, err = config_test(write(tmp_path, conf))
    assert rc == 0
    assert any("longer than 15 bytes" in e for e in err), err
