#!/usr/bin/python3
"""IPVS programming speed, ours against the reference keepalived (real IPVS:
run it in tests/vm/run.sh when this kernel has none).

The director (-C) has S virtual servers (default 10,000) with one real
server each and no health check (a real server without a check is up).
Measured per round and implementation:

- start: time from starting the daemon until ipvsadm shows all S services
  with their destination;
- cost at rest: CPU seconds per minute of all the daemon's processes over a
  window (default 20 s) once the table is complete, and their RSS;
- reload of 1%: the weight of every 100th real server changes, SIGHUP ->
  time until ipvsadm shows all the new weights;
- unchanged reload: SIGHUP with the same configuration -> the table must be
  identical afterwards (both); for ours, its log must report no IPVS change
  after the reload ("IPVS: N change(s) applied" lines count the netlink
  operations; the 1% reload's count is reported too)."""
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


def config(n, changed=()):
    lines = ["global_defs {", "    router_id director", "}"]
    for i in range(n):
        lines += ["virtual_server %s 80 {" % ipvslib.vip(i, net=95), "    lb_algo rr",
                  "    lb_kind NAT", "    protocol TCP",
                  "    real_server %s 80 {" % ipvslib.RS_ADDR,
                  "        weight %d" % (2 if i in changed else 1), "    }", "}"]
    return "\n".join(lines) + "\n"


def weights_are(n, changed):
    dest = "%s:80" % ipvslib.RS_ADDR

    def check(tab):
        if len(tab) != n:
            return False
        return all(tab.get("TCP %s:80" % ipvslib.vip(i, net=95), {}).get(dest) ==
                   (2 if i in changed else 1) for i in range(n))
    return check


def ours_changes(d, since_line):
    """Sum of the IPVS changes our log reports after line number since_line."""
    lines = d.log().splitlines()[since_line:]
    return sum(int(m.group(1)) for m in map(CHANGES.search, lines) if m)


def reload(d, text, generation, impl):
    """Write text, SIGHUP; for ours wait until the checker runs the new
    generation.  The log's line count before the reload."""
    before = len(d.log().splitlines())
    d.write_config(text)
    d.signal(signal.SIGHUP)
    if impl == "ours":
        d.wait_log(OURS_GENERATION % generation, timeout=300)
    return before


def cost_at_rest(d, window):
    """CPU seconds per minute of the daemon's processes over `window`, RSS."""
    cpu, rss = benchlib.measure_cost(lambda: process_tree(d.proc.pid), window)
    return {"rest_cpu_s_per_min": cpu * 60.0 / window, "rss_kib": rss}


def one_round(topo, work, impl, n, settle, window, r):
    director = topo.hosts[0]
    changed = set(range(0, n, 100))
    d = ipvslib.start_checker(director, os.path.join(work, "%s-%d" % (impl, r)), config(n), impl)
    run = {}
    try:
        t0 = time.monotonic()
        ipvslib.wait_table(director, weights_are(n, ()), timeout=600, interval=0.5,
                           what="%d services" % n)
        run["start_all_services_ms"] = (time.monotonic() - t0) * 1000.0
        wait_for(lambda: d.pid(), timeout=30, what="pid file")
        run.update(cost_at_rest(d, window))
        t0 = time.monotonic()
        mark = reload(d, "! 1%% changed\n" + config(n, changed), 2, impl)
        ipvslib.wait_table(director, weights_are(n, changed), timeout=600, interval=0.2,
                           what="1% of the weights changed")
        run["reload_1pct_ms"] = (time.monotonic() - t0) * 1000.0
        if impl == "ours":
            run["reload_1pct_ipvs_ops"] = ours_changes(d, mark)
        before = ipvslib.table(director)
        mark = reload(d, "! unchanged\n" + config(n, changed), 3, impl)
        time.sleep(settle)  # theirs says nothing when done: give it time to act
        run["unchanged_reload_table_identical"] = int(ipvslib.table(director) == before)
        if impl == "ours":
            run["unchanged_reload_ipvs_ops"] = ours_changes(d, mark)
    finally:
        ipvslib.stop(d, director)
    return run


UNITS = {"start_all_services_ms": "ms", "rest_cpu_s_per_min": "s/min", "rss_kib": "KiB",
         "reload_1pct_ms": "ms", "reload_1pct_ipvs_ops": "",
         "unchanged_reload_table_identical": "1=yes", "unchanged_reload_ipvs_ops": ""}


def main():
    ap = benchlib.parser(__doc__.split("\n")[0], rounds=2, window=20.0)
    ap.add_argument("--services", type=int, default=10000,
                    help="virtual servers, one real server each (default: %(default)s)")
    ap.add_argument("--settle", type=float, default=10.0,
                    help="seconds to wait after an unchanged reload (default: %(default)s)")
    args = ap.parse_args()
    if args.smoke:
        args.rounds, args.services, args.settle, args.window = 1, 200, 2.0, 2.0
    runs = ipvslib.run_in_lab(args, "kp", "ipvs-program-work", lambda topo, work, impl, r:
                              one_round(topo, work, impl, args.services, args.settle,
                                        args.window, r))
    benchlib.report(args, "ipvs_program",
                    "IPVS programming: %d services x 1 destination" % args.services, runs, UNITS,
                    {"rounds": args.rounds, "services": args.services, "settle_s": args.settle,
                     "window_s": args.window})


if __name__ == "__main__":
    main()
