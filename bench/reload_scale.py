#!/usr/bin/python3
"""Reload at scale, ours against the reference keepalived (real IPVS: run it
in tests/vm/run.sh when this kernel has none).

The director (-C) has V virtual servers (default 2,000) of R real servers
each (default 10, so 20,000 destinations) and no health check (a real
server without a check is up).  Once the table is complete, SIGHUP with the
same configuration.  Measured per round and implementation:

- start: time from starting the daemon until ipvsadm shows all V x R
  destinations;
- RSS (sum of VmRSS of the daemon's processes) before and after the reload;
- busy time of the reload: from the SIGHUP until the daemon's processes
  stop using CPU (sampled every 50 ms; idle means no CPU tick for
  --quiet seconds), and the CPU seconds the reload cost.  Neither daemon
  does anything at rest here, so this is the time its children take to
  re-read and apply the configuration, measured the same way for both;
- for ours, also the time until the parent logs that the checker child
  runs the new generation (its acknowledgement);
- whether `ipvsadm -Ln` (weights and all) is identical before and after,
  and for ours, the IPVS operations its log reports after the reload
  ("IPVS: N change(s) applied"), which must be 0."""
import os
import re
import signal
import time

import benchlib
import ipvslib

from daemon import wait_for  # noqa: E402  (path set by benchlib)
from vrrp_util import process_tree  # noqa: E402

CHANGES = re.compile(r"IPVS: (\d+) change\(s\) applied")
OURS_GENERATION = "checker child runs configuration generation %d"
FIRST_PORT = 10000


def config(nvs, nrs):
    lines = ["global_defs {", "    router_id director", "}"]
    for v in range(nvs):
        lines += ["virtual_server %s 80 {" % ipvslib.vip(v, net=94), "    lb_algo rr",
                  "    lb_kind NAT", "    protocol TCP"]
        for r in range(nrs):
            lines += ["    real_server %s %d {" % (ipvslib.RS_ADDR, FIRST_PORT + r),
                      "        weight %d" % (1 + r % 3), "    }"]
        lines.append("}")
    return "\n".join(lines) + "\n"


def ipvs_dump(director):
    """ipvsadm -Ln without its version header: every service, destination,
    forwarding method and weight (the connection counters stay 0: nothing
    connects)."""
    return director.run("ipvsadm", "-Ln").stdout.split("\n", 1)[-1]


def wait_idle(pids_fn, quiet, timeout):
    """Sample CPU every 50 ms until it has not moved for `quiet` s: the
    seconds from now to the last sample where it moved, and the CPU used."""
    t0 = time.monotonic()
    c0 = last = benchlib.cpu_seconds(pids_fn())
    last_change = t0
    while True:
        time.sleep(0.05)
        now = time.monotonic()
        c = benchlib.cpu_seconds(pids_fn())
        if c != last:
            last, last_change = c, now
        if now - last_change >= quiet:
            return last_change - t0, last - c0
        if now - t0 > timeout:
            raise TimeoutError("still busy %.0f s after the reload" % timeout)


def ours_changes(d, since_line):
    lines = d.log().splitlines()[since_line:]
    return sum(int(m.group(1)) for m in map(CHANGES.search, lines) if m)


def one_round(topo, work, impl, args, r):
    director = topo.hosts[0]
    total = args.vs * args.rs
    text = config(args.vs, args.rs)
    d = ipvslib.start_checker(director, os.path.join(work, "%s-%d" % (impl, r)), text, impl)
    run = {}
    try:
        t0 = time.monotonic()
        ipvslib.wait_table(director, lambda t: ipvslib.live_dests(t) == total,
                           timeout=1200, interval=0.5, what="%d destinations" % total)
        run["start_full_table_ms"] = (time.monotonic() - t0) * 1000.0
        wait_for(lambda: d.pid(), timeout=30, what="pid file")
        pids = lambda: process_tree(d.proc.pid)  # noqa: E731
        wait_idle(pids, args.quiet, 600)
        run["rss_kib"] = benchlib.rss_kib(pids())
        before = ipvs_dump(director)
        mark = len(d.log().splitlines())
        d.write_config("! unchanged\n" + text)
        sent = time.time()
        d.signal(signal.SIGHUP)
        busy, cpu = wait_idle(pids, args.quiet, 600)
        run["reload_busy_ms"] = busy * 1000.0
        run["reload_cpu_s"] = cpu
        if impl == "ours":
            d.wait_log(OURS_GENERATION % 2, timeout=60)
            run["reload_acked_ms"] = ack_ms(d, mark, sent)
            run["reload_ipvs_ops"] = ours_changes(d, mark)
        run["rss_after_reload_kib"] = benchlib.rss_kib(pids())
        run["table_identical"] = int(ipvs_dump(director) == before)
    finally:
        ipvslib.stop(d, director)
    return run


def ack_ms(d, mark, sent):
    """Milliseconds from `sent` (time.time() of the SIGHUP) to the log line
    of our parent saying the checker child runs generation 2, from the
    line's own timestamp ("2026-11-22 05:39:15.270 ...", local time)."""
    for line in d.log().splitlines()[mark:]:
        if OURS_GENERATION % 2 in line:
            day, clock = line.split()[:2]
            whole, frac = clock.split(".")
            t = time.mktime(time.strptime(day + " " + whole, "%Y-%m-%d %H:%M:%S"))
            return (t + float("0." + frac) - sent) * 1000.0
    raise AssertionError("no generation 2 line in our log")


UNITS = {"start_full_table_ms": "ms", "rss_kib": "KiB", "reload_busy_ms": "ms",
         "reload_cpu_s": "s", "reload_acked_ms": "ms", "reload_ipvs_ops": "",
         "rss_after_reload_kib": "KiB", "table_identical": "1=yes"}


def main():
    ap = benchlib.parser(__doc__.split("\n")[0], rounds=2)
    ap.add_argument("--vs", type=int, default=2000, help="virtual servers (default: %(default)s)")
    ap.add_argument("--rs", type=int, default=10,
                    help="real servers of each (default: %(default)s)")
    ap.add_argument("--quiet", type=float, default=3.0,
                    help="seconds without CPU use that mean the reload is over "
                    "(default: %(default)s)")
    args = ap.parse_args()
    if args.smoke:
        args.rounds, args.vs, args.rs, args.quiet = 1, 20, 3, 1.0
    runs = ipvslib.run_in_lab(args, "rl", "reload-scale-work",
                              lambda topo, work, impl, r: one_round(topo, work, impl, args, r))
    benchlib.report(args, "reload_scale", "Unchanged reload: %d virtual servers x %d real "
                    "servers" % (args.vs, args.rs), runs, UNITS,
                    {"rounds": args.rounds, "vs": args.vs, "rs": args.rs, "quiet_s": args.quiet})


if __name__ == "__main__":
    main()
