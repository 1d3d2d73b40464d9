#!/usr/bin/python3
"""Many VRRP instances on one pair, ours against the reference keepalived.

h1 (priority 150, master) and h2 (priority 100, backup) run N instances
(default 250, VRIDs 1..N on eth0, one /32 VIP each in 10.98.0.0/16),
advert_int 1.  Measured per round, for each implementation in turn:

- start: time from starting the master to all N VIPs on h1;
- cost at rest over a window (default 60 s): CPU seconds of all the
  daemon's processes (utime + stime from /proc, scaled to one minute) and
  their RSS (sum of VmRSS) at the end, master and backup separately;
- crash of the master (SIGSTOP + SIGKILL of all its processes): for every
  instance, the time from the master's last advert of that VRID to the
  backup's first gratuitous ARP for its VIP (captured by an observer); the
  median, the worst, and the spread (worst - best) across instances, and the
  time from the kill until the last instance had announced its VIP."""
import os
import shutil
import signal
import statistics
import sys
import time

import benchlib

from daemon import Daemon, wait_for  # noqa: E402  (path set by benchlib)
from netns import Topology  # noqa: E402
from vrrp_util import Capture, global_defs, kill9, process_tree, vrrp_instance  # noqa: E402

MASTER_PRIO, BACKUP_PRIO = 150, 100


class BurstCapture(Capture):
    """Hundreds of adverts and gratuitous ARPs at once: small ring slots."""
    snaplen = 256


def vip(i):
    """The /32 VIP of instance i (0-based)."""
    return "10.98.%d.%d" % (i // 200, i % 200 + 1)


def node_config(name, n, priority, state):
    text = global_defs(name)
    for i in range(n):
        text += vrrp_instance(name="VI_%d" % (i + 1), vrid=i + 1, priority=priority,
                              state=state, vips=(vip(i) + "/32",), auth_pass=None)
    return text


def vip_count(host):
    return sum(1 for a in host.addresses() if a.startswith("10.98."))


def start_pair(topo, workdir, impl, n):
    """Both daemons running, all VIPs on h1, every instance of h2 a backup;
    the daemons and the time the master took to hold all its VIPs."""
    h1, h2 = topo.hosts
    dimpl = benchlib.daemon_impl(impl)
    ds = []
    for host, prio, state in ((h1, MASTER_PRIO, "MASTER"), (h2, BACKUP_PRIO, "BACKUP")):
        wd = os.path.join(workdir, host.name)
        os.makedirs(wd)
        ds.append(Daemon(wd, node_config(host.name, n, prio, state), netns=host.ns,
                         impl=dimpl, extra_args=["-P"]))
    t0 = time.monotonic()
    ds[0].start()
    wait_for(lambda: vip_count(h1) == n, timeout=60 + n / 5, interval=0.02,
             what="%d VIPs on h1" % n)
    started = time.monotonic() - t0
    ds[1].start()
    ds[1].wait_log(r"-> BACKUP|Entering BACKUP STATE", timeout=60 + n / 5, count=n)
    return ds, started


def takeover_spread(cap, d1, h1, h2, n):
    """Crash the master; per-instance takeover times (ms) and the time (ms)
    from the kill to the last instance's first gratuitous ARP."""
    mac2 = h2.mac()
    time.sleep(2.5)  # at least two adverts of every instance in the capture
    t_kill = time.time()
    kill9(d1)
    wait_for(lambda: vip_count(h2) == n, timeout=30, interval=0.05,
             what="%d VIPs on h2" % n)
    last_adv, first_garp = {}, {}

    def all_announced():
        last_adv.clear()
        first_garp.clear()
        for p in cap.packets():
            if hasattr(p, "vrid"):
                if p.src == h1.addr:  # none after the kill
                    last_adv[p.vrid] = p.time
            elif p.gratuitous and p.sha == mac2 and p.time >= t_kill:
                first_garp.setdefault(p.spa, p.time)
        return len(first_garp) >= n

    try:
        wait_for(all_announced, timeout=15, interval=0.2, what="a GARP for every VIP")
    except AssertionError:
        pass  # reported below: the instances without a GARP are not measured
    times = []
    for i in range(n):
        g, a = first_garp.get(vip(i)), last_adv.get(i + 1)
        if g is not None and a is not None:
            times.append(1000.0 * (g - a))
    if len(times) < n:
        print("warning: %d of %d instances measured (no GARP: %s; no advert: %s)" % (
            len(times), n, [vip(i) for i in range(n) if vip(i) not in first_garp],
            [i + 1 for i in range(n) if i + 1 not in last_adv]))
    last = 1000.0 * (max(first_garp.values()) - t_kill) if first_garp else None
    return times, last


def one_round(topo, work, impl, n, window, r):
    h1, h2 = topo.hosts
    wd = os.path.join(work, "%s-%d" % (impl, r))
    ds, started = [], None
    cap = None
    try:
        ds, started = start_pair(topo, wd, impl, n)
        time.sleep(2)  # past the start-up burst
        pids = [lambda d=d: process_tree(d.proc.pid) for d in ds]
        c0 = [benchlib.cpu_seconds(p()) for p in pids]
        time.sleep(window)
        cpu = [(benchlib.cpu_seconds(p()) - c) * 60.0 / window for p, c in zip(pids, c0)]
        rss = [benchlib.rss_kib(p()) for p in pids]
        cap = BurstCapture(topo.observer, directory=wd).start()
        times, last = takeover_spread(cap, ds[0], h1, h2, n)
    finally:
        if cap:
            cap.stop()
        for d in ds:
            if d.proc and d.proc.poll() is None:
                d.proc.send_signal(signal.SIGTERM)
        for d in ds:
            d.stop()
        for h in (h1, h2):
            h.run("ip", "addr", "flush", "dev", h.ifname, "to", "10.98.0.0/16", check=False)
    run = {"start_all_vips_ms": started * 1000.0, "master_cpu_s_per_min": cpu[0],
           "backup_cpu_s_per_min": cpu[1], "master_rss_kib": rss[0], "backup_rss_kib": rss[1],
           "takeover_median_ms": statistics.median(times) if times else None,
           "takeover_worst_ms": max(times) if times else None,
           "takeover_spread_ms": max(times) - min(times) if times else None,
           "kill_to_last_garp_ms": last, "instances_measured": len(times)}
    return run


UNITS = {"start_all_vips_ms": "ms", "master_cpu_s_per_min": "s/min",
         "backup_cpu_s_per_min": "s/min", "master_rss_kib": "KiB", "backup_rss_kib": "KiB",
         "takeover_median_ms": "ms", "takeover_worst_ms": "ms", "takeover_spread_ms": "ms",
         "kill_to_last_garp_ms": "ms", "instances_measured": ""}


def main():
    ap = benchlib.parser(__doc__.split("\n")[0], rounds=3, window=60.0)
    ap.add_argument("--instances", type=int, default=250, help="VRRP instances (max 255)")
    args = ap.parse_args()
    if args.smoke:
        args.rounds, args.instances, args.window = 1, 10, 2.0
    if not 1 <= args.instances <= 255:
        sys.exit("--instances must be 1..255 (VRIDs on one interface)")
    benchlib.setup(args)
    work = os.path.join(args.out, "many-work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    topo = None
    try:
        topo = Topology(2, prefix="km%d" % (os.getpid() % 10000), observer=True)
        runs = benchlib.run_rounds(args, lambda impl, r: one_round(
            topo, work, impl, args.instances, args.window, r))
    finally:
        if topo:
            topo.close()
    metrics = benchlib.metrics_of(runs, UNITS)
    metrics["takeover_median_ms"]["reference"] = 1000.0 * (3 + (256 - BACKUP_PRIO) / 256.0)
    results = benchlib.compare(metrics)
    benchlib.print_table("%d VRRP instances on one pair, CPU over %g s" % (
        args.instances, args.window), results)
    benchlib.write_json(args, "vrrp_many", results,
                        {"rounds": args.rounds, "instances": args.instances,
                         "window_s": args.window})
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
