"""The control socket, `keepalived --status [--json]`, and the SIGUSR1 /
SIGUSR2 dumps.  Values are compared with what is seen from outside: the
VIP on `ip addr`, which node advertises, which real server listens."""
import calendar
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time

from daemon import BINARY, wait_for
from vrrp_util import VIP, global_defs, vrrp_instance, wait_sole_holder, wait_vip

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = sys.executable

CHECKER = """virtual_server 10.99.0.100 80 {
    delay_loop 1
    lb_algo rr
    protocol TCP
    real_server %(rs)s 80 {
        weight 3
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
    real_server %(rs)s 81 {
        weight 2
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
"""


def status(d, json_out=True, run_dir=None):
    """Run `keepalived --status [--json]` against daemon d: (rc, stdout, stderr)."""
    cmd = [BINARY, "--status", "--run-dir", run_dir or d.run_dir]
    if json_out:
        cmd.append("--json")
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    return p.returncode, p.stdout, p.stderr


def status_json(d):
    rc, out, err = status(d)
    assert rc == 0, err
    return json.loads(out)


def instance(doc, name="VI_1"):
    [inst] = [i for i in doc["vrrp"]["instances"] if i["name"] == name]
    return inst


def real_server(doc, address):
    servers = [rs for vs in doc["checker"]["virtual_servers"] for rs in vs["real_servers"]
               if rs["address"] == address]
    assert len(servers) == 1, doc["checker"]
    return servers[0]


def start_rs(host, port):
    p = host.popen([PYTHON, os.path.join(HERE, "rs_server.py"), "rs%d" % port, str(port)],
                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert p.stdout.readline().strip() == "listening"
    return p


def stop_rs(p):
    p.kill()
    p.wait()


def iso_age(stamp):
    """Seconds since an ISO 8601 UTC stamp."""
    return time.time() - calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


def test_status_json_follows_failover_and_real_server_down(topology, daemon):
    topo = topology(3)
    a, b, c = topo.hosts
    rs80, rs81 = start_rs(c, 80), start_rs(c, 81)
    try:
        da = daemon(global_defs("h1") + vrrp_instance(priority=150) + CHECKER % {"rs": c.addr},
                    netns=a.ns, name="h1")
        db = daemon(global_defs("h2") + vrrp_instance(priority=100), netns=b.ns, name="h2")
        wait_sole_holder(a, topo.hosts, timeout=10)

        # Steady state: h1 Master, h2 Backup, both name h1 as the master.
        def settled():
            sa, sb = status_json(da), status_json(db)
            ok = (instance(sa)["state"] == "MASTER" and instance(sb)["state"] == "BACKUP"
                  and instance(sb)["master_address"] == a.addr
                  and sa["checker"] is not None
                  and real_server(sa, "%s:80" % c.addr)["state"] == "up"
                  and real_server(sa, "%s:81" % c.addr)["state"] == "up")
            return (sa, sb) if ok else None
        sa, sb = wait_for(settled, timeout=10, what="settled status")
        ia, ib = instance(sa), instance(sb)
        assert sa["pid"] == da.pid() and sa["config_generation"] == 1
        assert ia["interface"] == "eth0" and ia["vrid"] == 51
        assert ia["priority"] == 150 and ia["effective_priority"] == 150
        assert ia["master_address"] == a.addr
        assert ia["counters"]["become_master"] == 1
        assert ia["counters"]["adverts_sent"] >= 1
        assert ib["counters"]["adverts_received"] >= 1
        assert ib["counters"]["become_master"] == 0
        assert ib["last_transition_reason"] == "startup"
        assert 0 <= iso_age(ia["last_transition"]) < 30
        assert ia["last_transition_reason"] == "master down timer expired"
        # h2 runs no checker: its section is null, and says why.
        assert sb["checker"] is None and sb["errors"]["checker"] == "not configured"
        rs = real_server(sa, "%s:80" % c.addr)
        assert rs["weight"] == 3 and rs["configured_weight"] == 3
        assert rs["last_result"] == "success" and rs["attempts"] >= 1
        assert rs["failed_attempts"] == 0
        [vs] = sa["checker"]["virtual_servers"]
        assert vs["name"] == "TCP 10.99.0.100:80" and vs["quorum_state"] == "up"

        # Failover: h1 loses its link and goes FAULT; h2 takes over.
        a.link(False)
        wait_vip(b, timeout=10)

        def failed_over():
            sa, sb = status_json(da), status_json(db)
            ok = instance(sa)["state"] == "FAULT" and instance(sb)["state"] == "MASTER"
            return (sa, sb) if ok else None
        sa, sb = wait_for(failed_over, timeout=10, what="status after failover")
        ia, ib = instance(sa), instance(sb)
        assert ib["master_address"] == b.addr
        assert ib["last_transition_reason"] == "master down timer expired"
        assert ib["counters"]["become_master"] == 1
        assert 0 <= iso_age(ib["last_transition"]) < 15
        assert ia["last_transition_reason"].startswith("fault"), ia
        assert ia["fault_reason"], ia
        assert ia["master_address"] is None

        # h1 comes back and preempts: h2 names the advert that made it yield.
        a.link(True)
        wait_sole_holder(a, topo.hosts, timeout=10)
        sb = wait_for(lambda: (lambda s: s if instance(s)["state"] == "BACKUP" else None)(
            status_json(db)), timeout=10, what="h2 back to BACKUP")
        ib = instance(sb)
        assert ib["master_address"] == a.addr
        assert ib["last_transition_reason"] == "higher priority advert from %s" % a.addr
        assert ib["counters"]["transitions"] >= 3

        # A real server goes down: state, weight and reason follow.  (The
        # checks failed while h1 was cut off; wait until both are back.)
        wait_for(lambda: all(real_server(status_json(da), "%s:%d" % (c.addr, port))["state"]
                             == "up" for port in (80, 81)), timeout=10, what="both up again")
        stop_rs(rs80)
        rs = wait_for(lambda: (lambda r: r if r["state"] == "down" else None)(
            real_server(status_json(da), "%s:80" % c.addr)), timeout=10, what="rs 80 down")
        assert rs["state"] == "down" and rs["weight"] == 0
        assert rs["last_result"] == "connection refused"
        assert rs["reason"] == "TCP_CHECK %s:80: connection refused" % c.addr
        assert rs["failed_attempts"] >= 1
        assert rs["checks"][0]["consecutive_failures"] >= 1
        assert real_server(status_json(da), "%s:81" % c.addr)["state"] == "up"

        # The human-readable form: one line per instance and real server.
        rc, out, err = status(da, json_out=False)
        assert rc == 0, err
        lines = out.splitlines()
        assert lines[0].startswith("keepalived ") and "pid %d" % da.pid() in lines[0]
        assert any(l.startswith("VRRP instance VI_1: MASTER on eth0 vrid 51, priority 150")
                   and "master %s" % a.addr in l for l in lines), out
        assert any(l.strip().startswith("Real server %s:80: down, weight 0" % c.addr)
                   and "connection refused" in l for l in lines), out
        assert any(l.strip().startswith("Real server %s:81: up, weight 2" % c.addr)
                   for l in lines), out
    finally:
        for p in (rs80, rs81):
            if p.poll() is None:
                stop_rs(p)


def one_node(topology, daemon, tmp_path, extra_args=()):
    h = topology(1).hosts[0]
    d = daemon(global_defs("h1") + vrrp_instance(priority=150) + CHECKER % {"rs": "127.0.0.1"},
               netns=h.ns, extra_args=extra_args)
    d.wait_log(r"Control socket listening")
    return h, d


def test_dumps_on_sigusr1_and_sigusr2(topology, daemon, tmp_path):
    h, d = one_node(topology, daemon, tmp_path)
    wait_vip(h, timeout=10)
    wait_for(lambda: instance(status_json(d))["state"] == "MASTER", what="MASTER in status")
    run = d.run_dir
    assert stat.S_IMODE(os.lstat(run).st_mode) == 0o700
    # A symbolic link planted where a dump goes is replaced, not followed.
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    os.symlink(str(victim), os.path.join(run, "keepalived_vrrp.stats"))

    d.signal(signal.SIGUSR1)
    d.wait_log(r"Data dump written to .*keepalived_vrrp\.data")
    d.wait_log(r"Data dump written to .*keepalived_check\.data")
    d.signal(signal.SIGUSR2)
    d.wait_log(r"Statistics dump written to .*keepalived_vrrp\.stats")
    d.wait_log(r"Statistics dump written to .*keepalived_check\.stats")
    for name in ("keepalived_vrrp.data", "keepalived_check.data",
                 "keepalived_vrrp.stats", "keepalived_check.stats"):
        st = os.lstat(os.path.join(run, name))
        assert stat.S_ISREG(st.st_mode), name
        assert stat.S_IMODE(st.st_mode) == 0o600, (name, oct(st.st_mode))
        assert st.st_uid == os.geteuid()
    assert victim.read_text() == "precious\n"
    assert not any(n.endswith(".tmp") for n in os.listdir(run))

    data = open(os.path.join(run, "keepalived_vrrp.data")).read()
    assert "VRRP Instance = VI_1" in data and "State = MASTER" in data
    assert "Virtual router id = 51" in data and "Priority = 150 (effective 150)" in data
    assert "Virtual IP %s/24" % VIP in data
    stats = open(os.path.join(run, "keepalived_vrrp.stats")).read()
    sent = int(stats.split("Sent: ")[1].split()[0])
    assert sent >= 1 and "Became master: 1" in stats
    cdata = open(os.path.join(run, "keepalived_check.data")).read()
    assert "Virtual Server = TCP 10.99.0.100:80" in cdata
    assert "Real Server = 127.0.0.1:80" in cdata and "State = down" in cdata
    cstats = open(os.path.join(run, "keepalived_check.stats")).read()
    assert "Real Server: 127.0.0.1:81" in cstats
    # The daemon is unharmed.
    assert d.proc.poll() is None and d.vrrp_pid() and d.check_pid()


def test_run_dir_refused_when_unsafe(topology, daemon, tmp_path):
    h = topology(1).hosts[0]
    real = tmp_path / "elsewhere"
    real.mkdir(mode=0o700)
    link = tmp_path / "link"
    os.symlink(str(real), str(link))
    open_dir = tmp_path / "open"
    open_dir.mkdir()
    os.chmod(open_dir, 0o777)
    foreign = tmp_path / "foreign"
    foreign.mkdir(mode=0o700)
    os.chown(foreign, 65534, 65534)
    cases = [(link, "is a symbolic link"), (open_dir, "writable by group or others"),
             (foreign, "owned by uid 65534")]
    for i, (path, why) in enumerate(cases):
        d = daemon(global_defs("h1") + vrrp_instance(priority=150), netns=h.ns,
                   name="d%d" % i, extra_args=["-P", "--run-dir", str(path)])
        d.wait_log(r"run directory refused: %s.*%s.*; running without a control socket"
                   % (path, why))
        d.wait_log(r"Starting VRRP child process")
        rc, out, err = status(d, run_dir=str(path))
        assert rc != 0 and "no daemon answers on %s/keepalived.ctl" % path in err, err
        d.signal(signal.SIGUSR1)
        d.wait_log(r"keepalived_vrrp\.data dump not written: .*%s" % why)
        assert d.proc.poll() is None
        d.stop()
    assert os.listdir(str(real)) == []


def test_status_without_daemon_and_second_daemon(topology, daemon, tmp_path):
    rc, out, err = status(None, run_dir=str(tmp_path / "nothing"))
    assert rc != 0 and "no daemon answers" in err and out == ""
    h = topology(1).hosts[0]
    conf = global_defs("h1") + vrrp_instance(priority=150)
    first = daemon(conf, netns=h.ns, name="first", extra_args=["-P"])
    first.wait_log(r"Control socket listening")
    second = daemon(conf, netns=h.ns, name="second",
                    extra_args=["-P", "--run-dir", first.run_dir])
    second.wait_log(r"another keepalived answers on %s/keepalived.ctl: running without a "
                    r"control socket" % first.run_dir)
    second.wait_log(r"Starting VRRP child process")
    assert status_json(first)["pid"] == first.pid()
    second.stop()
    # The second one leaves the first one's socket alone.
    assert status_json(first)["pid"] == first.pid()
    # A stale socket (the daemon was killed) is replaced on the next start.
    os.kill(first.pid(), signal.SIGKILL)
    first.proc.wait()
    wait_for(lambda: first.vrrp_pid() is None or not os.path.exists(
        "/proc/%d" % first.vrrp_pid()), what="VRRP child gone")
    assert os.path.exists(os.path.join(first.run_dir, "keepalived.ctl"))
    first.start()
    first.wait_log(r"removing the stale control socket")
    wait_for(lambda: status(first)[0] == 0, what="status from the restarted daemon")


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def test_silent_clients_do_not_block_others(topology, daemon, tmp_path):
    h, d = one_node(topology, daemon, tmp_path)
    d.wait_log(r"Control socket listening")
    wait_for(lambda: status_json(d)["vrrp"] is not None, what="VRRP section")
    path = os.path.join(d.run_dir, "keepalived.ctl")
    # More silent connections than the daemon has slots (16): the longest
    # silent ones make room, so an operator is never locked out.
    silent = [connect(path) for _ in range(20)]
    partial = connect(path)
    partial.sendall(b"sta")
    t0 = time.monotonic()
    doc = status_json(d)
    assert time.monotonic() - t0 < 1.5
    assert doc["vrrp"]["instances"][0]["name"] == "VI_1"
    # Several clients at once all get a whole document.
    many = [connect(path) for _ in range(6)]
    for s in many:
        s.sendall(b"status\n")
    for s in many:
        s.settimeout(5)
        buf = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
        assert json.loads(buf)["pid"] == d.pid()
        s.close()
    # An oversized request is refused; an unknown one is answered with an error.
    big = connect(path)
    big.sendall(b"x" * 300)
    big.settimeout(5)
    assert b"request too long" in big.recv(1000)
    odd = connect(path)
    odd.sendall(b"bogus\n")
    odd.settimeout(5)
    assert b"unknown request" in odd.recv(1000)
    # The silent ones are dropped at their deadline (5 s), not kept forever.
    for s in silent + [partial]:
        s.settimeout(8)
        assert s.recv(100) == b""
        s.close()
    assert d.proc.poll() is None


def test_child_that_does_not_answer_gives_null_section(topology, daemon, tmp_path):
    h, d = one_node(topology, daemon, tmp_path)
    wait_for(lambda: status_json(d)["checker"] is not None, what="checker section")
    pid = d.check_pid()
    os.kill(pid, signal.SIGSTOP)
    try:
        t0 = time.monotonic()
        doc = status_json(d)
        took = time.monotonic() - t0
    finally:
        os.kill(pid, signal.SIGCONT)
    assert 1.8 <= took < 4, took
    assert doc["checker"] is None
    assert doc["errors"]["checker"] == "no answer within 2 s"
    assert doc["vrrp"]["instances"][0]["name"] == "VI_1"
    # Its late answer is dropped; the next request is whole again.
    wait_for(lambda: status_json(d)["checker"] is not None, what="checker answers again")


def test_reload_shows_in_status(topology, daemon, tmp_path):
    h, d = one_node(topology, daemon, tmp_path)
    wait_for(lambda: instance(status_json(d))["state"] == "MASTER", what="MASTER in status")
    assert status_json(d)["config_generation"] == 1
    d.write_config(global_defs("h1") + vrrp_instance(priority=150)
                   + vrrp_instance(name="VI_2", vrid=52, priority=90, vips=("10.99.0.201/24",))
                   + CHECKER % {"rs": "127.0.0.1"})
    d.signal(signal.SIGHUP)
    doc = wait_for(lambda: (lambda s: s if s["config_generation"] == 2 and s["vrrp"] and len(
        s["vrrp"]["instances"]) == 2 else None)(status_json(d)), what="generation 2")
    vi2 = instance(doc, "VI_2")
    assert vi2["vrid"] == 52 and vi2["priority"] == 90
    # The unchanged instance kept its state and history across the reload.
    vi1 = instance(doc, "VI_1")
    assert vi1["state"] == "MASTER" and vi1["counters"]["become_master"] == 1
