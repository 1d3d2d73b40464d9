"""track_file (alias vrrp_track_file): the integer in a file moves the
priority (value x weight) or puts the instance in FAULT (weight 0 and a
non-zero value; a result below -253).  Changes are seen through inotify on
the file's directory: writes, a file replaced by rename, removed, created
later.  Observed through `keepalived --status --json` and captured adverts;
`-t` accepts the documented syntax and rejects broken blocks."""
import os
import time

from daemon import config_test, wait_for
from daemon import write_config_file as write
from test_status import instance, status_json
from vrrp_util import global_defs, master_down_interval, start_node, vrrp_instance, \
    wait_sole_holder

TRACK_FILE = """\
track_file F {
    file %s
    weight 5
}
vrrp_track_file Z {
    file %s
    weight 0
}
"""


def wait_status(d, pred, what, timeout=3.0):
    """Poll the status until pred(instance) holds; returns the instance."""
    def check():
        try:
            inst = instance(status_json(d))
        except AssertionError:  # not answering yet
            return None
        return inst if pred(inst) else None
    return wait_for(check, timeout=timeout, what=what)


def write_value(path, text):
    with open(path, "w") as f:
        f.write(text)


def test_value_times_weight_moves_priority_and_low_value_faults(topology, daemon, tmp_path):
    topo = topology(1)
    h = topo.hosts[0]
    watched = tmp_path / "watched"
    watched.mkdir()
    f, z = watched / "f", watched / "z"
    conf = global_defs("h1") + TRACK_FILE % (f, z) + vrrp_instance(
        priority=100, extra=["track_file {", "    F", "    Z", "}"])
    d = start_node(daemon, h, conf)
    # No file yet: the value is 0, the priority the configured one.
    wait_status(d, lambda i: i["state"] == "MASTER" and i["effective_priority"] == 100,
                "master at 100", timeout=10)

    write_value(f, "3\n")  # 3 x 5
    wait_status(d, lambda i: i["effective_priority"] == 115, "priority 115")
    write_value(f, "-4\n")
    wait_status(d, lambda i: i["effective_priority"] == 80, "priority 80")

    # -51 x 5 = -255 < -253: FAULT, then back.
    write_value(f, "-51")
    i = wait_status(d, lambda i: i["state"] == "FAULT", "FAULT")
    assert "track_file F" in i["fault_reason"]
    write_value(f, "0x2")  # strtol-style: 2
    wait_status(d, lambda i: i["state"] != "FAULT" and i["effective_priority"] == 110,
                "recovered at 110")

    # Replaced by rename (a new inode), then removed (0), then created again.
    tmp = watched / ".f.new"
    write_value(tmp, "4\n")
    os.rename(tmp, f)
    wait_status(d, lambda i: i["effective_priority"] == 120, "priority 120 after rename")
    os.unlink(f)
    wait_status(d, lambda i: i["effective_priority"] == 100, "priority 100 after unlink")
    write_value(f, "1")
    wait_status(d, lambda i: i["effective_priority"] == 105, "priority 105 after create")

    # Weight 0: any non-zero value is a fault; text without a number reads 0.
    write_value(z, "1\n")
    i = wait_status(d, lambda i: i["state"] == "FAULT", "FAULT on weight 0")
    assert "track_file Z" in i["fault_reason"]
    write_value(z, "ok\n")
    wait_status(d, lambda i: i["state"] != "FAULT", "recovered from Z")


def test_instance_weight_reverse_and_adverts(topology, daemon, capture, tmp_path):
    """The instance's `weight -2 reverse` overrides the file's weight (1):
    value -30 gives -30 x -2 = 60, reversed -60, so h1 (150) advertises 90
    and h2 (100) takes over, as the captured adverts show."""
    topo = topology(2, observer=True)
    a, b = topo.hosts
    path = tmp_path / "prio"
    write_value(path, "0\n")
    conf_a = global_defs("h1") + "track_file P {\n    file %s\n}\n" % path + vrrp_instance(
        priority=150, extra=["track_file {", "    P weight -2 reverse", "}"])
    start_node(daemon, a, conf_a)
    start_node(daemon, b, global_defs("h2") + vrrp_instance(priority=100))
    wait_sole_holder(a, topo.hosts, timeout=10)
    cap = capture(topo.observer)
    t0 = time.time()
    write_value(path, "-30\n")
    wait_sole_holder(b, topo.hosts, timeout=master_down_interval(100) + 2)
    prios = {ad.priority for ad in cap.adverts(src=a.addr, since=t0)}
    assert 90 in prios, prios


def test_reload_keeps_value_and_applies_new_weight(topology, daemon, tmp_path):
    topo = topology(1)
    h = topo.hosts[0]
    path = tmp_path / "v"
    write_value(path, "2\n")

    def conf(weight):
        return global_defs("h1") + "track_file F {\n    file %s\n    weight %d\n" \
            "    init_file 9\n}\n" % (path, weight) + \
            vrrp_instance(priority=100, extra=["track_file {", "    F", "}"])
    d = start_node(daemon, h, conf(5))
    # init_file without overwrite leaves an existing file alone.
    wait_status(d, lambda i: i["effective_priority"] == 110, "priority 110", timeout=10)
    d.write_config(conf(7))
    d.signal(__import__("signal").SIGHUP)
    wait_status(d, lambda i: i["effective_priority"] == 114, "priority 114 after reload")
    assert path.read_text() == "2\n"


def test_init_file_overwrite_writes_the_value(topology, daemon, tmp_path):
    topo = topology(1)
    path = tmp_path / "init"
    write_value(path, "40\n")
    conf = global_defs("h1") + "track_file F {\n    file %s\n    init_file -3 overwrite\n}\n" \
        % path + vrrp_instance(priority=100, extra=["track_file {", "    F", "}"])
    d = start_node(daemon, topo.hosts[0], conf)
    wait_status(d, lambda i: i["effective_priority"] == 97, "priority 97", timeout=10)
    assert path.read_text().strip() == "-3"


GOOD = """\
track_file F1 {
    file "/run/ka/f1"
    weight -2 reverse
    init_file 3 overwrite
}
vrrp_track_file F2 {
    file /run/ka/f2
    init_file
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        10.0.0.1
    }
    track_file {
        F1 weight 3 noreverse
        F2
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
    track_file {
        F2 weight -3 reverse
    }
}
"""

BAD = """\
track_file F1 {
    weight 300
    init_file x
    color blue
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        10.0.0.1
    }
    track_file {
        F1 weight
        F1 weight 2 sideways
        NOPE
    }
}
"""


def test_config_good_track_file(tmp_path):
    rc, err = config_test(write(tmp_path, GOOD))
    assert rc == 0, err
    assert err == []


def test_config_bad_track_file(tmp_path):
    rc, err = config_test(write(tmp_path, BAD))
    assert rc != 0
    text = "\n".join(err)
    for want in (":2:12: error: '300' is out of range",
                 ":3:15: error: 'x' is not a valid number",
                 ":4:5: error: unknown keyword 'color' in track_file",
                 ":1:1: error: track_file 'F1' has no file",
                 ":13:12: error: 'weight' needs a value",
                 ":14:21: error: unexpected 'sideways' after the weight",
                 ":15:9: error: track_file 'NOPE': no track_file block of that name"):
        assert want in text, text
