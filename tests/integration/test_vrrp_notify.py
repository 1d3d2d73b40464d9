"""Notify scripts of a vrrp_instance, observed through the file they write.

keepalived 2.2.7 (what these assertions were taken from):
- notify_master / notify_backup / notify_fault / notify_stop run with no
  arguments at all;
- the generic `notify` script runs with exactly four: "INSTANCE" <name>
  <state> <priority>, state one of MASTER BACKUP FAULT STOP;
- both run once per transition, including the initial entry into BACKUP
  at startup and STOP at shutdown; the state-specific script and `notify`
  are separate processes (their relative order within one transition is
  not defined, so it is not asserted).

Runs our keepalived by default; VRRP_IMPL=debian runs Debian's 2.2.7."""
import os
import shutil
import signal
import time

from daemon import wait_for
from vrrp_util import (Lazy, global_defs, secure_dir, start_node, vrrp_instance,
                       wait_sole_holder, wait_vip, write_script)

ELECT = 10.0
SCRIPTS = ("notify_master", "notify_backup", "notify_fault", "notify_stop", "notify")


def notify_scripts(directory, log):
    """One script per notify keyword, each appending one line to `log`:
    its keyword, then each argument in brackets (so empty or spaced
    arguments stay visible)."""
    body = ('line="%s"\nfor a in "$@"; do line="$line [$a]"; done\n'
            'echo "$line" >> "%s"\n')
    return {k: write_script(directory, k + ".sh", body % (k, log)) for k in SCRIPTS}


def read_lines(path):
    try:
        with open(path) as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def generic(state, prio=150):
    return "notify [INSTANCE] [VI_1] [%s] [%d]" % (state, prio)


SPECIFIC = {"MASTER": "notify_master", "BACKUP": "notify_backup", "FAULT": "notify_fault",
            "STOP": "notify_stop"}


def check_transitions(lines, states):
    """`lines` must be, transition by transition, exactly the pair
    {state-specific script with no argument, generic notify} (either order)."""
    assert len(lines) == 2 * len(states), "\n".join(lines)
    for i, state in enumerate(states):
        pair = sorted(lines[2 * i:2 * i + 2])
        assert pair == sorted([SPECIFIC[state], generic(state)]), \
            "transition %d (%s): %s\nall:\n%s" % (i, state, pair, "\n".join(lines))


def wait_transitions(log, states, timeout):
    wait_for(lambda: len(read_lines(log)) >= 2 * len(states), timeout=timeout,
             what=Lazy(lambda: "notifications for %s; so far:\n%s"
                       % (states, "\n".join(read_lines(log)))))
    check_transitions(read_lines(log), states)


def test_notify_scripts_once_per_transition_with_exact_arguments(topology, daemon, tmp_path):
    """h1 (priority 150, track_interface eth1) goes through
    BACKUP (startup) -> MASTER (alone) -> BACKUP (h2 with priority 200
    appears) -> FAULT (eth1 down) -> BACKUP (eth1 up, h2 still Master) ->
    STOP (SIGTERM).  Each transition runs the state's own script with no
    arguments and `notify` with INSTANCE VI_1 <STATE> 150, exactly once.
    Covers the keepalived notify interface; states per V2-R24, V2-R29, V2-R39."""
    topo = topology(2, lans=2, observer=True)
    a, b = topo.hosts
    sd = secure_dir(tmp_path)
    log = os.path.join(sd, "notify.log")
    scripts = notify_scripts(sd, log)
    da = start_node(daemon, a, global_defs("h1", scripts=True) + vrrp_instance(
        priority=150, track_interface=["eth1"], notify=scripts))

    wait_vip(a, timeout=ELECT)
    wait_transitions(log, ["BACKUP", "MASTER"], timeout=5)

    start_node(daemon, b, global_defs("h2") + vrrp_instance(priority=200))
    wait_sole_holder(b, topo.hosts, timeout=ELECT)
    wait_transitions(log, ["BACKUP", "MASTER", "BACKUP"], timeout=5)

    a.link(False, "eth1")
    wait_transitions(log, ["BACKUP", "MASTER", "BACKUP", "FAULT"], timeout=5)

    a.link(True, "eth1")
    wait_transitions(log, ["BACKUP", "MASTER", "BACKUP", "FAULT", "BACKUP"], timeout=5)

    da.proc.send_signal(signal.SIGTERM)
    da.wait_exit(timeout=15)
    wait_transitions(log, ["BACKUP", "MASTER", "BACKUP", "FAULT", "BACKUP", "STOP"], timeout=5)
    time.sleep(1.0)  # nothing more trickles in
    check_transitions(read_lines(log), ["BACKUP", "MASTER", "BACKUP", "FAULT", "BACKUP", "STOP"])


def test_notify_master_runs_when_the_vip_is_already_up(topology, daemon, tmp_path):
    """notify_master runs after the Master has added its VIP (scripts can
    rely on the address being there): the script records `ip addr`."""
    topo = topology(1, observer=True)
    (a,) = topo.hosts
    sd = secure_dir(tmp_path)
    out = os.path.join(sd, "seen")
    script = write_script(sd, "master.sh", "%s -o -4 addr show dev eth0 > %s.tmp && mv %s.tmp %s"
                          % (shutil.which("ip"), out, out, out))
    start_node(daemon, a, global_defs("h1", scripts=True) + vrrp_instance(
        priority=150, notify={"notify_master": script}))
    wait_for(lambda: os.path.exists(out), timeout=ELECT, what="notify_master output")
    with open(out) as f:
        assert "10.99.0.100/24" in f.read()
