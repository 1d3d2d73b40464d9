"""E-mail alerts against a real SMTP server (aiosmtpd, smtp_sink.py) in the
test namespaces: what arrives after a VRRP failover, a sync group change
and a real server going down, with the headers a mail client needs; a
leading dot survives the trip (dot-stuffing); a refused recipient does not
stop the others; a hung SMTP server neither delays a failover nor floods
the log."""
import email
import email.utils
import glob
import json
import os
import re
import subprocess
import time

import pytest

from daemon import wait_for
from vrrp_util import (VIP, kill9, master_down_interval, start_node, sync_group,
                       vrrp_instance, wait_sole_holder, wait_vip)

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"
PORT = 2525
SENDER = "keepalived@example.com"
RECIPIENTS = ["ops@example.com", "refused@example.com", "oncall@example.net"]
DELIVERED = ["ops@example.com", "oncall@example.net"]
ELECT = 10.0
MARGIN = 1.5

# The sink needs it (tests/deps.sh installs it); missing, this file errors
# out at collection rather than skipping.
import aiosmtpd  # noqa: F401,E402


@pytest.fixture
def sinks():
    """Factory: sinks(host, mode, directory, addr) starts smtp_sink.py in
    `host`'s namespace; all are killed after the test."""
    procs = []

    def start(host, mode, directory, addr):
        os.makedirs(str(directory), exist_ok=True)
        p = host.popen([PYTHON, os.path.join(HERE, "smtp_sink.py"), mode, str(directory), addr,
                        str(PORT)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        procs.append(p)
        assert p.stdout.readline().strip() == b"listening"
        return p

    yield start
    for p in procs:
        p.kill()
        p.wait()


def mail_globals(router_id, server, extra=()):
    lines = ["global_defs {", "    router_id %s" % router_id, "    notification_email {"]
    lines += ["        %s" % r for r in RECIPIENTS]
    lines += ["    }", "    notification_email_from %s" % SENDER,
              "    smtp_server %s %d" % (server, PORT), "    smtp_connect_timeout 2"]
    lines += ["    " + e for e in extra]
    lines.append("}")
    return "\n".join(lines) + "\n"


def mails(directory):
    out = []
    for name in sorted(glob.glob(os.path.join(str(directory), "*.json"))):
        with open(name) as f:
            rec = json.load(f)
        rec["msg"] = email.message_from_string(rec["data"])
        out.append(rec)
    return out


def wait_mail(directory, subject, timeout=15.0):
    """The first stored message whose Subject is `subject`."""
    found = []

    def arrived():
        found[:] = [m for m in mails(directory) if m["msg"]["Subject"] == subject]
        return found

    wait_for(arrived, timeout=timeout, what="mail %r" % subject)
    return found[0]


def assert_headers(rec, router_id, sent_after):
    msg = rec["msg"]
    assert rec["mail_from"] == SENDER
    assert rec["rcpt_tos"] == DELIVERED          # the refused one is skipped, not fatal
    assert msg["From"] == SENDER
    assert [a for _, a in email.utils.getaddresses(msg.get_all("To"))] == RECIPIENTS
    assert msg["Subject"].startswith("[%s] " % router_id)
    when = email.utils.parsedate_to_datetime(msg["Date"])
    assert when.tzinfo is not None
    assert sent_after - 2 <= when.timestamp() <= time.time() + 2
    assert msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith(">")
    assert "@" in msg["Message-ID"]
    assert msg["MIME-Version"] == "1.0"
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_charset() == "utf-8"
    body = msg.get_payload()
    assert router_id in body
    return body


def test_failover_mails_the_new_master_with_full_headers(topology, daemon, sinks, tmp_path):
    """h1 (150) and h2 (100) with smtp_alert on their instance, mailing a
    server on h3.  After kill -9 of h1, h2's mail says VI_1 is MASTER; every
    message carries From, To, Subject, Date, Message-ID and a UTF-8
    text/plain body; the refused recipient is logged and skipped."""
    topo = topology(3)
    a, b, mailhost = topo.hosts
    box = tmp_path / "box"
    sinks(mailhost, "serve", box, mailhost.addr)
    inst = dict(extra=["smtp_alert"])
    t0 = time.time()
    da = start_node(daemon, a, mail_globals("h1", mailhost.addr) +
                    vrrp_instance(priority=150, **inst))
    db = start_node(daemon, b, mail_globals("h2", mailhost.addr) +
                    vrrp_instance(priority=100, **inst))
    wait_sole_holder(a, topo.hosts[:2], timeout=ELECT)
    first = wait_mail(box, "[h1] VRRP instance VI_1 is now MASTER")
    assert first["peer"] == a.addr
    assert first["esmtp"] and first["helo"] == "h1"   # EHLO with the router_id
    assert_headers(first, "h1", t0)
    wait_mail(box, "[h2] VRRP instance VI_1 is now BACKUP")

    t_kill = time.time()
    kill9(da)
    wait_vip(b, timeout=master_down_interval(100) + MARGIN)
    rec = wait_mail(box, "[h2] VRRP instance VI_1 is now MASTER")
    assert rec["peer"] == b.addr
    body = assert_headers(rec, "h2", t_kill)
    assert "BACKUP to MASTER" in body
    assert "Interface:        eth0" in body
    assert "Virtual router:   51" in body
    db.wait_log(r"SMTP: recipient <refused@example\.com> refused: 550")
    assert "alerts are failing" not in db.log()
    ids = [m["msg"]["Message-ID"] for m in mails(box)]
    assert len(ids) == len(set(ids)), ids


def test_sync_group_alert_dot_stuffing_and_helo(topology, daemon, sinks, tmp_path):
    """global smtp_alert on, the instances' own `smtp_alert off`: only the
    sync group mails, to a server that refuses EHLO (HELO follows).  Its body starts with the group's name, ".grp", and
    lists the member ".dotted": a leading dot reaches the mailbox intact,
    so it was doubled on the wire (a server strips one)."""
    host = topology(1).hosts[0]
    box = tmp_path / "box"
    sinks(host, "old", box, "127.0.0.1")
    t0 = time.time()
    d = start_node(daemon, host,
                   mail_globals("r1", "127.0.0.1",
                                extra=["smtp_alert", "smtp_helo_name lb-r1.example.com"]) +
                   sync_group(".grp", [".dotted", "VI_2"]) +
                   vrrp_instance(name=".dotted", priority=150, extra=["smtp_alert off"]) +
                   vrrp_instance(name="VI_2", vrid=52, vips=("10.99.0.101/24",),
                                 extra=["smtp_alert no"]))
    wait_vip(host, timeout=ELECT)
    rec = wait_mail(box, "[r1] VRRP sync group .grp is now MASTER")
    # This server refuses EHLO: HELO, with smtp_helo_name, took its place.
    assert not rec["esmtp"] and rec["helo"] == "lb-r1.example.com"
    assert rec["msg"]["Message-ID"].endswith("@lb-r1.example.com>")
    body = assert_headers(rec, "r1", t0)
    lines = body.splitlines()
    assert lines[0] == ".grp", lines
    assert "  .dotted (MASTER)" in lines
    assert "  VI_2 (MASTER)" in lines
    time.sleep(2)  # anything else would have arrived by now
    subjects = [m["msg"]["Subject"] for m in mails(box)]
    assert not [s for s in subjects if "instance" in s], subjects
    assert "[r1] VRRP sync group .grp is now BACKUP" in subjects
    d.wait_log(r"\(group \.grp\) BACKUP -> MASTER")


def real_server_config(extra_global=()):
    return (mail_globals("lb", "127.0.0.1", extra=extra_global) +
            "virtual_server 10.99.0.100 80 {\n  lb_algo rr\n  protocol TCP\n"
            "  delay_loop 1\n"
            "  real_server 10.99.0.2 8080 {\n    smtp_alert\n"
            "    TCP_CHECK {\n      connect_timeout 1\n      retry 0\n    }\n  }\n"
            "  real_server 10.99.0.2 8081 {\n"
            "    TCP_CHECK {\n      connect_timeout 1\n      retry 0\n    }\n  }\n}\n")


def test_real_server_down_and_up_are_mailed_with_the_reason(topology, daemon, sinks, tmp_path):
    """The checker (no IPVS on this kernel: the log tells the state) mails
    when the real server with smtp_alert goes DOWN, with the reason the log
    gives, and when it comes back UP; the one without smtp_alert (global
    default: off) is not mailed."""
    director, server = topology(2).hosts
    box = tmp_path / "box"
    sinks(director, "serve", box, "127.0.0.1")
    rs = [server.popen([PYTHON, os.path.join(HERE, "rs_server.py"), "plain", str(port)],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) for port in (8080, 8081)]
    try:
        for p in rs:
            assert p.stdout.readline().strip() == b"listening"
        d = daemon(real_server_config(), netns=director.ns, extra_args=["-C"])
        d.wait_log(r"checker child started", timeout=10)
        time.sleep(2)  # both real servers checked, still UP
        t_kill = time.time()
        for p in rs:
            p.kill()
            p.wait()
        down = r"Real server 10\.99\.0\.2:8080 of TCP 10\.99\.0\.100:80 is DOWN \((.*)\)"
        d.wait_log(down, timeout=15)
        reason = re.search(down, d.log()).group(1)
        subject = "[lb] Real server 10.99.0.2:8080 of TCP 10.99.0.100:80 is DOWN"
        rec = wait_mail(box, subject)
        body = assert_headers(rec, "lb", t_kill)
        assert reason == "TCP_CHECK 10.99.0.2:8080: connection refused"
        assert "Checks:           " + reason in body
        rs = [server.popen([PYTHON, os.path.join(HERE, "rs_server.py"), "plain", "8080"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)]
        assert rs[0].stdout.readline().strip() == b"listening"
        rec = wait_mail(box, subject[:-4] + "UP")
        assert "all checks pass" in rec["msg"].get_payload()
        d.wait_log(r"Real server 10\.99\.0\.2:8081 of TCP 10\.99\.0\.100:80 is DOWN")
        time.sleep(1)
        assert not [m for m in mails(box) if "8081" in m["msg"]["Subject"]]
    finally:
        for p in rs:
            p.kill()
            p.wait()


def test_hung_smtp_server_does_not_delay_failover(topology, daemon, sinks, tmp_path):
    """The SMTP server accepts connections and never greets.  h2 still
    takes over within Master_Down_Interval after kill -9 of h1; its mails
    time out one after the other (each step: smtp_connect_timeout 2 s), and
    the failure is logged once for the whole outage."""
    topo = topology(3)
    a, b, mailhost = topo.hosts
    box = tmp_path / "box"
    sinks(mailhost, "hang", box, mailhost.addr)
    inst = dict(extra=["smtp_alert"])
    da = start_node(daemon, a, mail_globals("h1", mailhost.addr) +
                    vrrp_instance(priority=150, **inst))
    db = start_node(daemon, b, mail_globals("h2", mailhost.addr) +
                    vrrp_instance(priority=100, **inst))
    wait_sole_holder(a, topo.hosts[:2], timeout=ELECT)
    kill9(da)
    took = wait_vip(b, timeout=master_down_interval(100) + MARGIN)
    assert took <= master_down_interval(100) + MARGIN, took

    def hung_from_b():
        path = box / "hung"
        return path.exists() and path.read_text().split().count(b.addr) >= 3

    # BACKUP's mail: try, retry 5 s later, drop; then MASTER's: try.
    wait_for(hung_from_b, timeout=30, what="three SMTP sessions from h2")
    time.sleep(2.5)  # the third has timed out too
    log = db.log()
    failing = [l for l in log.splitlines() if "alerts are failing" in l]
    assert len(failing) == 1, failing
    assert "SMTP server %s:%d: no greeting within 2000 ms" % (mailhost.addr, PORT) in failing[0]
    assert "accepts alerts again" not in log
    assert db.proc.poll() is None


def test_outage_is_logged_once_and_the_recovery_once(topology, daemon, sinks, tmp_path):
    """No SMTP server yet: the first alert fails (connection refused),
    logged once; the server starts before the retry (5 s later), which
    delivers the alert, and the recovery is logged once."""
    host = topology(1).hosts[0]
    box = tmp_path / "box"
    t0 = time.time()
    d = start_node(daemon, host, mail_globals("r1", "127.0.0.1") +
                   vrrp_instance(priority=150, extra=["smtp_alert"]))
    d.wait_log(r"SMTP server 127\.0\.0\.1:%d: connect: Connection refused; e-mail alerts are "
               r"failing" % PORT, timeout=5)
    sinks(host, "serve", box, "127.0.0.1")
    rec = wait_mail(box, "[r1] VRRP instance VI_1 is now BACKUP", timeout=10)
    assert_headers(rec, "r1", t0)
    wait_mail(box, "[r1] VRRP instance VI_1 is now MASTER", timeout=10)
    d.wait_log(r"SMTP server 127\.0\.0\.1:%d accepts alerts again \(0 lost meanwhile\)" % PORT)
    log = d.log()
    assert log.count("alerts are failing") == 1, log
    assert log.count("accepts alerts again") == 1, log
