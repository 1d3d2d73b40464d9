"""The parent process as an operator sees it: pid files, children,
respawn, reload (good and broken), stop."""
import os
import signal
import subprocess

import pytest

from daemon import BINARY, pid_alive, wait_for

VRRP_ONLY = """global_defs {
    router_id node1
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        10.99.0.100/24
    }
}
"""
BOTH = VRRP_ONLY + """virtual_server 10.99.0.100 80 {
}
"""
SECOND_INSTANCE = VRRP_ONLY.split("}\n", 1)[1].replace("VI_1", "VI_2").replace(
    "router_id 51", "router_id 52").replace("10.99.0.100", "10.99.0.101")


@pytest.fixture
def node(daemon, topology):
    """daemon() inside a network namespace of its own: whatever VRRP does
    there touches nothing of this host."""
    host = topology(1).hosts[0]

    def make(config_text, **kw):
        return daemon(config_text, netns=host.ns, **kw)

    make.host = host
    return make


def children_of(pid):
    with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
        return sorted(int(p) for p in f.read().split())


def started(d):
    d.wait_log(r"Starting VRRP child process, pid \d+")
    d.wait_log(r"Starting checker child process, pid \d+")
    wait_for(lambda: d.pid() and d.vrrp_pid() and d.check_pid(), what="pid files")
    return d


def test_start_writes_pid_files_and_forks_both_children(node):
    d = started(node(BOTH))
    assert d.pid() == d.proc.pid
    assert children_of(d.pid()) == sorted([d.vrrp_pid(), d.check_pid()])
    for path in (d.pidfile, d.vrrp_pidfile, d.check_pidfile):
        assert os.stat(path).st_mode & 0o777 == 0o644
    d.wait_log(r"Keepalived_vrrp\[%d\].*VRRP child started: 1 vrrp_instance" % d.vrrp_pid())
    d.wait_log(r"Keepalived_healthcheckers\[%d\].*checker child started: 1 virtual_server"
               % d.check_pid())


def test_only_needed_children_start(node):
    d = node(VRRP_ONLY)
    d.wait_log(r"Starting VRRP child process")
    wait_for(lambda: d.vrrp_pid(), what="vrrp pid file")
    assert d.check_pid() is None
    assert children_of(d.pid()) == [d.vrrp_pid()]
    assert "Starting checker child" not in d.log()


def test_check_flag_restricts_to_checker(node):
    d = node(BOTH, extra_args=["-C"])
    d.wait_log(r"Starting checker child process")
    wait_for(lambda: d.check_pid(), what="checker pid file")
    assert d.vrrp_pid() is None
    assert children_of(d.pid()) == [d.check_pid()]


def test_killed_child_is_respawned(node):
    d = started(node(BOTH))
    old = d.vrrp_pid()
    os.kill(old, signal.SIGKILL)
    d.wait_log(r"VRRP child killed by signal 9 \(Killed\); restarting it in 0\.250 s")
    new = wait_for(lambda: d.vrrp_pid() != old and d.vrrp_pid(), what="new vrrp pid")
    assert pid_alive(new)
    assert new in children_of(d.pid())
    # A second crash soon after doubles the delay: no fork storm.
    os.kill(new, signal.SIGKILL)
    d.wait_log(r"VRRP child killed by signal 9 \(Killed\); restarting it in 0\.500 s")
    wait_for(lambda: d.vrrp_pid() not in (old, new), what="third vrrp pid")
    assert pid_alive(d.check_pid())


def test_reload_hands_new_config_to_children(node):
    d = started(node(BOTH))
    pids = (d.vrrp_pid(), d.check_pid())
    d.write_config(BOTH.replace("node1", "node2") + SECOND_INSTANCE)
    d.signal(signal.SIGHUP)
    d.wait_log(r"configuration generation 2 validated")
    d.wait_log(r"VRRP child runs configuration generation 2")
    d.wait_log(r"checker child runs configuration generation 2")
    d.wait_log(r"VRRP configuration reloaded: 2 vrrp_instance")
    assert (d.vrrp_pid(), d.check_pid()) == pids


def test_broken_reload_keeps_running_config(node):
    d = started(node(BOTH))
    pids = (d.pid(), d.vrrp_pid(), d.check_pid())
    d.write_config(BOTH + "vrrp_instance {\n  typo\n")
    bad = BOTH.count("\n") + 1
    d.signal(signal.SIGHUP)
    d.wait_log(r"Reload aborted: 2 error\(s\) in the new configuration; generation 1 "
               r"stays in force")
    log = d.log()
    assert "reload: %s:%d:1: error: 'vrrp_instance' takes 1 argument, got 0" % (d.conf, bad) in log
    assert "reload: %s:%d:15: error: unclosed '{' of 'vrrp_instance'" % (d.conf, bad) in log
    assert (d.pid(), d.vrrp_pid(), d.check_pid()) == pids
    assert all(pid_alive(p) for p in pids)
    assert "runs configuration generation 2" not in log
    # The next good reload still works.
    d.write_config(BOTH)
    d.signal(signal.SIGHUP)
    d.wait_log(r"VRRP child runs configuration generation 2")


def test_reload_removing_instances_stops_the_child(node):
    d = started(node(BOTH))
    vrrp = d.vrrp_pid()
    d.write_config("virtual_server 10.99.0.100 80 {\n}\n")
    d.signal(signal.SIGHUP)
    d.wait_log(r"VRRP child no longer needed: stopping it")
    wait_for(lambda: not pid_alive(vrrp), what="vrrp child exit")
    wait_for(lambda: not os.path.exists(d.vrrp_pidfile), what="vrrp pid file removal")
    d.write_config(BOTH)
    d.signal(signal.SIGHUP)
    d.wait_log(r"Starting VRRP child process", count=2)


def test_sigterm_stops_children_and_exits_zero(node):
    d = started(node(BOTH))
    pids = (d.vrrp_pid(), d.check_pid())
    d.signal(signal.SIGTERM)
    assert d.wait_exit() == 0
    assert not any(pid_alive(p) for p in pids)
    for path in (d.pidfile, d.vrrp_pidfile, d.check_pidfile):
        assert not os.path.exists(path)
    d.wait_log(r"VRRP child exited with status 0")
    d.wait_log(r"checker child exited with status 0")


def test_second_instance_is_refused(node, tmp_path):
    d = started(node(BOTH))
    p = subprocess.run(["ip", "netns", "exec", node.host.ns, BINARY, "-f", d.conf, "-p", d.pidfile, "-r", d.vrrp_pidfile,
                        "-c", d.check_pidfile, "-l"],
                       text=True, capture_output=True, timeout=30)
    assert p.returncode != 0
    assert "another instance is running (pid %d)" % d.pid() in p.stderr
    assert pid_alive(d.pid()) and d.pid() == d.proc.pid


def test_stale_pid_file_is_taken_over(node, tmp_path):
    (tmp_path / "keepalived.pid").write_text("999999\n")
    d = started(node(BOTH))
    assert d.pid() == d.proc.pid


def test_pid_file_symlink_is_refused(node, tmp_path):
    target = tmp_path / "victim"
    target.write_text("precious\n")
    os.symlink(target, tmp_path / "keepalived.pid")
    d = node(BOTH)
    assert d.wait_exit() != 0
    assert target.read_text() == "precious\n"


def test_invalid_config_refuses_to_start(node):
    d = node("global_defs {\n  router_id\n}\n")
    assert d.wait_exit() == 3
    assert "keepalived.conf:2:3: error: 'router_id' takes 1 argument, got 0" in d.log()


def test_daemon_mode_detaches_and_reports(node, tmp_path):
    conf = tmp_path / "k.conf"
    conf.write_text(BOTH)
    pidfile = tmp_path / "k.pid"
    args = ["ip", "netns", "exec", node.host.ns, BINARY, "-f", str(conf), "-p", str(pidfile), "-r", str(tmp_path / "v.pid"),
            "-c", str(tmp_path / "c.pid"), "--run-dir", str(tmp_path / "run")]
    p = subprocess.run(args, timeout=30)
    assert p.returncode == 0
    pid = int(pidfile.read_text())
    try:
        assert pid_alive(pid)
        assert os.getsid(pid) == pid
    finally:
        os.kill(pid, signal.SIGTERM)
        wait_for(lambda: not pid_alive(pid), timeout=20, what="daemon exit")


def test_runs_inside_a_network_namespace(daemon, topology):
    topo = topology(2)
    host = topo.hosts[0]
    d = started(daemon(BOTH, netns=host.ns))
    with open("/proc/%d/ns/net" % d.vrrp_pid()) as _:
        pass
    assert os.readlink("/proc/%d/ns/net" % d.vrrp_pid()) != os.readlink("/proc/self/ns/net")
    assert host.addresses() == ["10.99.0.1"]
    ping = topo.hosts[1].run("ping", "-c", "1", "-W", "2", "10.99.0.1", check=False)
    assert ping.returncode == 0, ping.stdout + ping.stderr
