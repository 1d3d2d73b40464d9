#!/usr/bin/python3
"""Health-checker scale, ours against the reference keepalived (real IPVS:
run it in tests/vm/run.sh when this kernel has none).

The director (-C, checker only) has V virtual servers (default 100) of R
real servers each (default 10), TCP_CHECK every second (delay_loop 1,
connect_timeout 1, retry 0).  Every real server is its own ip:port (one
address, distinct ports) served by bench/rs_pool.py in another namespace,
so no implementation can share a check between real servers.  Measured per
round and implementation:

- start: time from starting the daemon until ipvsadm shows all V x R real
  servers with a weight;
- cost at rest: CPU seconds per minute of all the daemon's processes over a
  window (default 60 s), and their RSS (sum of VmRSS) at the end;
- death: a real server's listener closes -> its removal from the table
  (polled, 0.05 s); return: listener back -> in the table again.

The reference column of the CPU row is the floor: bench/tcp_floor (built
by make beside the daemon, or --floor PATH) makes the same connects to the
same real servers, each once a second, and nothing else.  Most of a
checker's CPU is the kernel's TCP work for these connections, so this is
the least any daemon making the same checks can cost, measured once per
round over the same window."""
import os
import shutil
import subprocess
import time

import benchlib
import ipvslib

from vrrp_util import process_tree  # noqa: E402  (path set by benchlib)

FIRST_PORT = 10000


def config(nvs, nrs):
    lines = ["global_defs {", "    router_id director", "}"]
    for v in range(nvs):
        lines += ["virtual_server %s 80 {" % ipvslib.vip(v), "    delay_loop 1",
                  "    lb_algo rr", "    lb_kind NAT", "    protocol TCP"]
        for r in range(nrs):
            lines += ["    real_server %s %d {" % (ipvslib.RS_ADDR, FIRST_PORT + v * nrs + r),
                      "        weight 1", "        TCP_CHECK {", "            connect_timeout 1",
                      "            retry 0", "        }", "    }"]
        lines.append("}")
    return "\n".join(lines) + "\n"


def has_dest(svc, dest, present):
    return lambda tab: (tab.get(svc, {}).get(dest, 0) > 0) == present


def one_round(topo, pool, work, impl, args, r):
    director = topo.hosts[0]
    total = args.vs * args.rs
    d = ipvslib.start_checker(director, os.path.join(work, "%s-%d" % (impl, r)),
                              config(args.vs, args.rs), impl)
    try:
        t0 = time.monotonic()
        ipvslib.wait_table(director, lambda t: ipvslib.live_dests(t) == total,
                           timeout=120 + total / 10, interval=0.1,
                           what="%d live real servers" % total)
        start_ms = (time.monotonic() - t0) * 1000.0
        time.sleep(2)
        pids = lambda: process_tree(d.proc.pid)  # noqa: E731
        c0 = benchlib.cpu_seconds(pids())
        time.sleep(args.window)
        cpu = (benchlib.cpu_seconds(pids()) - c0) * 60.0 / args.window
        rss = benchlib.rss_kib(pids())
        rss_detail = benchlib.rss_by_mapping(pids())
        svc, port = "TCP %s:80" % ipvslib.vip(0), FIRST_PORT
        dest = "%s:%d" % (ipvslib.RS_ADDR, port)
        pool.command("down", port)
        death = ipvslib.wait_table(director, has_dest(svc, dest, False), timeout=30,
                                   interval=0.05, what="%s removed" % dest)
        pool.command("up", port)
        back = ipvslib.wait_table(director, has_dest(svc, dest, True), timeout=30,
                                  interval=0.05, what="%s back" % dest)
    finally:
        ipvslib.stop(d, director)
    return {"start_full_table_ms": start_ms, "cpu_s_per_min": cpu, "rss_kib": rss,
            "death_to_removed_ms": death * 1000.0, "return_to_restored_ms": back * 1000.0,
            "rss_by_mapping": rss_detail}


def floor_cpu(topo, args):
    """CPU seconds per minute of bench/tcp_floor probing every real server."""
    director = topo.hosts[0]
    proc = director.popen([args.floor, ipvslib.RS_ADDR, str(FIRST_PORT), str(args.vs * args.rs)],
                          stdout=subprocess.DEVNULL)
    try:
        time.sleep(3)
        c0 = benchlib.cpu_seconds([proc.pid])
        time.sleep(args.window)
        if proc.poll() is not None:
            raise RuntimeError("tcp_floor exited with status %d" % proc.returncode)
        return (benchlib.cpu_seconds([proc.pid]) - c0) * 60.0 / args.window
    finally:
        proc.kill()
        proc.wait()


def default_floor(ours):
    """bench/tcp_floor of the build tree the daemon comes from."""
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(ours))), "bench",
                        "tcp_floor")


UNITS = {"start_full_table_ms": "ms", "cpu_s_per_min": "s/min", "rss_kib": "KiB",
         "death_to_removed_ms": "ms", "return_to_restored_ms": "ms"}


def main():
    ap = benchlib.parser(__doc__.split("\n")[0], rounds=2, window=60.0)
    ap.add_argument("--vs", type=int, default=100, help="virtual servers (default: %(default)s)")
    ap.add_argument("--rs", type=int, default=10,
                    help="real servers per virtual server (default: %(default)s)")
    ap.add_argument("--floor", help="the reference prober (default: bench/tcp_floor of the "
                    "daemon's build tree; the CPU row has no reference without it)")
    args = ap.parse_args()
    args.floor = args.floor or default_floor(args.ours)
    if args.smoke:
        args.rounds, args.vs, args.rs, args.window = 1, 2, 2, 2.0
    benchlib.setup(args)
    work = os.path.join(args.out, "checker-work")
    shutil.rmtree(work, ignore_errors=True)
    topo = pool = None
    try:
        topo = ipvslib.lab("kc%d" % (os.getpid() % 10000))
        pool = ipvslib.RealServers(topo.hosts[1], FIRST_PORT, args.vs * args.rs)
        runs = benchlib.run_rounds(args, lambda impl, r: one_round(topo, pool, work, impl,
                                                                   args, r))
        floors = []
        if os.access(args.floor, os.X_OK):
            floors = [floor_cpu(topo, args) for _ in range(args.rounds)]
            print("floor (%s): cpu_s_per_min %s" % (args.floor, " ".join(
                benchlib.fmt(f) for f in floors)))
        else:
            print("no %s: the CPU row has no floor (make builds it)" % args.floor)
    finally:
        if pool:
            pool.close()
        if topo:
            topo.close()
    refs = {"cpu_s_per_min": benchlib.summary(floors)["median"]} if floors else {}
    benchlib.report(args, "checker_scale", "checker: %d virtual servers x %d real servers, "
                    "TCP_CHECK every 1 s (CPU reference: the floor, bench/tcp_floor)"
                    % (args.vs, args.rs), runs, UNITS,
                    {"rounds": args.rounds, "vs": args.vs, "rs": args.rs, "window_s": args.window,
                     "floor_cpu_s_per_min": floors}, refs)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
