#!/usr/bin/python3
"""VRRP takeover time, ours against the reference keepalived, side by side.

Two nodes on a bridge (namespaces), both running the same implementation:
h1 master (priority 150), h2 backup (priority 100), advert_int 1, VRRPv2.
An observer namespace captures the wire with tcpdump; `ip -ts monitor
address` in h2 stamps the moment the VIP appears there.  Then the master
goes away, in two ways:

- kill: SIGSTOP then SIGKILL of every process of the master (a crash: no
  priority-0 advert).  The backup must wait Master_Down_Interval =
  3 x advert_int + Skew_Time after the master's LAST advert;
- term: SIGTERM (graceful: the master sends a priority-0 advert, the backup
  takes over after Skew_Time = (256 - 100) / 256 s).

Measured per run (milliseconds): from the reference advert (the last one of the
master for kill, its priority-0 one for term) to the backup's first
gratuitous ARP on the wire, the same from the signal, the VIP appearing on
h2 from the signal, and the wire gap between the backup's first advert and
its first gratuitous ARP.  Ours also logs (-D) its internal latency from the
decision to become master to the VIP added and the gratuitous ARPs sent.
The two implementations alternate, round after round."""
import datetime
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import benchlib

from daemon import Daemon, wait_for  # noqa: E402  (path set by benchlib)
from netns import Topology  # noqa: E402
from vrrp_util import (VIP, Capture, global_defs, kill9, skew_time,  # noqa: E402
                       vrrp_instance, wait_vip)

MASTER_PRIO, BACKUP_PRIO = 150, 100
BACKUP_LOG = r"-> BACKUP|Entering BACKUP STATE"
OURS_LATENCY = re.compile(r"takeover: VIPs added (\d+) us, gratuitous ARPs sent (\d+) us")


def node_config(name, priority, state, advert_int):
    return global_defs(name) + vrrp_instance(priority=priority, state=state,
                                             advert_int=advert_int)


class AddressMonitor:
    """`ip -ts monitor address` in a namespace: when did `vip` appear?"""

    def __init__(self, host, path):
        self.path = path
        self.out = open(path, "w")
        self.proc = host.popen(["ip", "-ts", "monitor", "address", "dev", host.ifname],
                               stdout=self.out, stderr=subprocess.DEVNULL)

    def added(self, vip):
        """Wall-clock time of the first addition of `vip`, or None."""
        with open(self.path) as f:
            for line in f:
                m = re.match(r"\[(\S+)\]\s+\d+:\s+\S+\s+inet\s+%s/" % re.escape(vip), line)
                if m:
                    stamp = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f")
                    return stamp.timestamp()
        return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()
        self.out.close()


def first(items):
    return items[0].time if items else None


def diff(a, b):
    return None if a is None or b is None else a - b


def one_run(topo, cap, workdir, impl, mode, advert_int):
    """Start a pair, make the master go away (mode kill|term), measure."""
    h1, h2 = topo.hosts
    dimpl = benchlib.daemon_impl(impl)
    os.makedirs(os.path.join(workdir, "h1"))
    os.makedirs(os.path.join(workdir, "h2"))
    d1 = Daemon(os.path.join(workdir, "h1"), node_config("h1", MASTER_PRIO, "MASTER", advert_int),
                netns=h1.ns, impl=dimpl, extra_args=["-P"])
    d2 = Daemon(os.path.join(workdir, "h2"), node_config("h2", BACKUP_PRIO, "BACKUP", advert_int),
                netns=h2.ns, impl=dimpl, extra_args=["-P"])
    mon = None
    try:
        d1.start()
        wait_vip(h1, timeout=15)
        d2.start()
        d2.wait_log(BACKUP_LOG, timeout=15)
        mon = AddressMonitor(h2, os.path.join(workdir, "h2-monitor.txt"))
        # Steady state: one more advert from the master after h2 settled.
        cap.wait_adverts(n=1, src=h1.addr, since=time.time(), timeout=5 * advert_int + 5)
        t_event = time.time()
        if mode == "kill":
            kill9(d1)
        else:
            d1.proc.send_signal(signal.SIGTERM)
        wait_vip(h2, timeout=10 * advert_int + 10)
        mac2 = h2.mac()
        wait_for(lambda: cap.garps(VIP, mac=mac2, since=t_event), timeout=10,
                 what="gratuitous ARP from h2")
        time.sleep(0.2)  # let the monitor write its line
        return measure(cap, mon, d2, h1, h2, mac2, t_event, mode, impl)
    finally:
        if mon:
            mon.stop()
        for d in (d2, d1):
            if d.proc and d.proc.poll() is None:
                d.proc.send_signal(signal.SIGTERM)
        for d in (d2, d1):
            d.stop()
        for h in (h1, h2):
            h.run("ip", "addr", "del", VIP + "/24", "dev", h.ifname, check=False)


def measure(cap, mon, d2, h1, h2, mac2, t_event, mode, impl):
    if mode == "kill":
        before = cap.adverts(src=h1.addr, since=t_event - 10)  # none after the kill
        ref = before[-1].time if before else None
    else:
        ref = first(cap.adverts(src=h1.addr, since=t_event, priority=0))
    garp = first(cap.garps(VIP, mac=mac2, since=t_event))
    adv2 = first(cap.adverts(src=h2.addr, since=t_event))
    vip_t = mon.added(VIP)
    ms = {"advert_to_garp": diff(garp, ref), "signal_to_garp": diff(garp, t_event),
          "signal_to_vip": diff(vip_t, t_event), "new_advert_to_garp": diff(garp, adv2)}
    run = {k: None if v is None else v * 1000.0 for k, v in ms.items()}
    if impl == "ours":
        m = OURS_LATENCY.findall(d2.log())
        if m:
            run["internal_vip_us"] = float(m[-1][0])
            run["internal_garp_us"] = float(m[-1][1])
    return run


def protocol_minimum(mode, advert_int):
    skew = skew_time(BACKUP_PRIO)
    return 1000.0 * (3 * advert_int + skew if mode == "kill" else skew)


UNITS = {"advert_to_garp": "ms", "signal_to_garp": "ms", "signal_to_vip": "ms",
         "new_advert_to_garp": "ms", "internal_vip_us": "us", "internal_garp_us": "us"}


def plot(path, runs, minima):
    """Takeover time (reference advert -> first GARP) per run, both daemons."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(python3-matplotlib missing: no plot)")
        return None
    modes = list(runs)
    fig, axes = plt.subplots(1, len(modes), figsize=(6 * len(modes), 4), squeeze=False)
    for ax, mode in zip(axes[0], modes):
        for impl, marker in (("ours", "o-"), ("theirs", "s--")):
            ys = [r["advert_to_garp"] for r in runs[mode][impl]]
            ax.plot(range(1, len(ys) + 1), ys, marker, label=impl)
            ax.set_xticks(range(1, len(ys) + 1))
        ax.axhline(minima[mode], color="grey", linestyle=":", label="protocol minimum")
        ax.set_title("%s: %s advert -> backup's first GARP" % (
            mode, "last master" if mode == "kill" else "priority-0"))
        ax.set_xlabel("run")
        ax.set_ylabel("ms")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    print("plot: %s" % path)
    return path


def main():
    ap = benchlib.parser(__doc__.split("\n")[0])
    ap.add_argument("--advert-int", type=int, default=1)
    ap.add_argument("--modes", default="kill,term", help="kill,term (default: %(default)s)")
    args = ap.parse_args()
    if args.smoke:
        args.rounds = 1
    benchlib.setup(args)
    modes = args.modes.split(",")
    work = os.path.join(args.out, "takeover-work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    runs = {m: {i: [] for i in benchlib.IMPLS} for m in modes}
    topo = cap = None
    try:
        topo = Topology(2, prefix="kb%d" % (os.getpid() % 10000), observer=True)
        cap = Capture(topo.observer, directory=work).start()
        for r in range(args.rounds):
            for impl in benchlib.order(r):
                for mode in modes:
                    wd = os.path.join(work, "%s-%s-%d" % (impl, mode, r))
                    run = one_run(topo, cap, wd, impl, mode, args.advert_int)
                    print("round %d %-6s %-4s %s" % (r + 1, impl, mode, " ".join(
                        "%s=%s" % (k, benchlib.fmt(v)) for k, v in sorted(run.items()))))
                    sys.stdout.flush()
                    runs[mode][impl].append(run)
    finally:
        if cap:
            cap.stop()
        if topo:
            topo.close()
    minima = {m: protocol_minimum(m, args.advert_int) for m in modes}
    results = {}
    for mode in modes:
        metrics = {}
        for key, unit in UNITS.items():
            metric = {"unit": unit}
            for impl in benchlib.IMPLS:
                metric[impl] = [r.get(key) for r in runs[mode][impl] if r.get(key) is not None]
            if key == "advert_to_garp":
                metric["reference"] = minima[mode]
            if metric["ours"] or metric["theirs"]:
                metrics["%s.%s" % (mode, key)] = metric
        results.update(benchlib.compare(metrics))
    benchlib.print_table("VRRP takeover, advert_int %d (reference = protocol minimum)"
                         % args.advert_int, results)
    png = plot(os.path.join(args.out, "vrrp_takeover.png"), runs, minima)
    benchlib.write_json(args, "vrrp_takeover", results,
                        {"rounds": args.rounds, "advert_int": args.advert_int, "modes": modes,
                         "protocol_minimum": minima, "plot": png})
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
