"""Running under systemd: the unit file verifies with systemd-analyze, the
daemon speaks the sd_notify protocol on $NOTIFY_SOCKET (READY=1 only once
both children run the configuration; RELOADING=1 then READY=1 around a
reload, good or refused; STOPPING=1), and make install / uninstall honour
DESTDIR."""
import os
import signal
import socket
import subprocess

import pytest

from daemon import BINARY
from vrrp_util import global_defs, vrrp_instance

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.dirname(os.path.dirname(os.path.abspath(BINARY)))
UNIT_IN = os.path.join(REPO, "keepalived", "keepalived.service.in")


def unit_text(sbindir):
    with open(UNIT_IN) as f:
        return f.read().replace("@sbindir@", sbindir).replace("@sysconfdir@", "/etc")


def verify(path):
    r = subprocess.run(["systemd-analyze", "verify", str(path)], capture_output=True,
                       text=True, timeout=60)
    return r.returncode, (r.stdout + r.stderr).strip()


def test_unit_file_verifies(tmp_path):
    unit = tmp_path / "keepalived.service"
    unit.write_text(unit_text(os.path.dirname(os.path.abspath(BINARY))))
    assert verify(unit) == (0, "")
    text = unit.read_text()
    assert "Type=notify" in text and "ExecReload=/bin/kill -HUP $MAINPID" in text
    assert "EnvironmentFile=-/etc/default/keepalived" in text and "$DAEMON_ARGS" in text
    # The check can fail: a misspelt key is reported.
    unit.write_text(text.replace("ProtectHome=", "ProtectHomme="))
    assert "Unknown key" in verify(unit)[1]


class Notifications:
    """The systemd side of $NOTIFY_SOCKET: a datagram socket collecting
    what the daemon sends."""

    def __init__(self, path):
        self.path = str(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.got = []

    def next(self, timeout=20):
        self.sock.settimeout(timeout)
        msg = self.sock.recv(4096).decode()
        self.got.append(msg)
        return dict(line.split("=", 1) for line in msg.splitlines())

    def close(self):
        self.sock.close()


def config():
    return (global_defs("sd") + vrrp_instance(state="MASTER", priority=150) +
            "virtual_server 10.99.0.100 80 {\n  protocol TCP\n  delay_loop 1\n"
            "  real_server 10.99.0.2 80 {\n    TCP_CHECK {\n      connect_timeout 1\n"
            "    }\n  }\n}\n")


def test_notify_ready_reload_and_stop(topology, daemon, tmp_path):
    (host,) = topology(1).hosts
    sd = Notifications(tmp_path / "notify")
    try:
        d = daemon(config(), netns=host.ns, start=False)
        d.env = dict(os.environ, NOTIFY_SOCKET=sd.path)
        d.start()
        ready = sd.next()
        # READY=1 comes only once both children run generation 1.
        log = d.log()
        assert ready.get("READY") == "1", sd.got
        assert "VRRP child runs configuration generation 1" in log
        assert "checker child runs configuration generation 1" in log
        assert ready["STATUS"] == "running configuration generation 1"

        d.signal(signal.SIGHUP)
        assert sd.next().get("RELOADING") == "1"
        ready = sd.next()
        assert ready.get("READY") == "1"
        assert ready["STATUS"] == "running configuration generation 2"
        log = d.log()
        assert "VRRP child runs configuration generation 2" in log
        assert "checker child runs configuration generation 2" in log

        d.write_config(config() + "bogus_keyword\n")
        d.signal(signal.SIGHUP)
        assert sd.next().get("RELOADING") == "1"
        ready = sd.next()
        assert ready.get("READY") == "1"
        assert ready["STATUS"].startswith("reload refused (1 errors)")

        d.proc.send_signal(signal.SIGTERM)
        assert sd.next().get("STOPPING") == "1"
        assert d.wait_exit() == 0
    finally:
        sd.close()


def test_no_child_wanted_is_ready_at_once(daemon, tmp_path):
    sd = Notifications(tmp_path / "notify")
    try:
        d = daemon(global_defs("empty"), start=False)
        d.env = dict(os.environ, NOTIFY_SOCKET=sd.path)
        d.start()
        assert sd.next().get("READY") == "1"
    finally:
        sd.close()


def installed_files(root):
    return sorted(os.path.relpath(os.path.join(dp, f), root)
                  for dp, _, files in os.walk(root) for f in files)


def test_make_install_and_uninstall_with_destdir(tmp_path):
    if not os.path.exists(os.path.join(BUILD, "Makefile")):
        pytest.fail("no Makefile in %s: KEEPALIVED_BIN must point into a build tree" % BUILD)
    dest = tmp_path / "dest"
    make = ["make", "-s", "-C", BUILD, "DESTDIR=%s" % dest]
    subprocess.run(make + ["install"], check=True, capture_output=True, timeout=600)
    files = installed_files(dest)
    prefix = subprocess.run(["sed", "-n", "s/^prefix = //p", os.path.join(BUILD, "Makefile")],
                            capture_output=True, text=True).stdout.strip().lstrip("/")
    for want in ("sbin/keepalived", "bin/genhash", "lib/systemd/system/keepalived.service",
                 "share/man/man8/keepalived.8", "share/man/man5/keepalived.conf.5",
                 "share/man/man1/genhash.1", "etc/keepalived/keepalived.conf.sample",
                 "share/doc/keepalived/examples/vrrp-pair.conf",
                 "share/snmp/mibs/KEEPALIVED-MIB.txt", "share/snmp/mibs/VRRP-MIB.txt",
                 "lib/keepalived/keepalived-tls.so", "lib/keepalived/keepalived-snmp.so"):
        assert os.path.join(prefix, want) in files, files
    unit = (dest / prefix / "lib/systemd/system/keepalived.service").read_text()
    assert "ExecStart=/%s/sbin/keepalived --dont-fork $DAEMON_ARGS" % prefix in unit
    # The installed genhash runs.
    r = subprocess.run([str(dest / prefix / "bin/genhash"), "-r"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("genhash ")
    subprocess.run(make + ["uninstall"], check=True, capture_output=True, timeout=600)
    assert installed_files(dest) == []
