"""What the IPVS benchmarks share: a director namespace (h1) and a real
server namespace (h2, 10.99.0.2) on a bridge, the checker-only daemon in
the director, the IPVS table read back with ipvsadm, and the real servers
(bench/rs_pool.py).  These need a kernel with IPVS: run them inside
tests/vm/run.sh when the host has none (bench/run_all.sh does)."""
import os
import re
import shutil
import subprocess
import time

import benchlib

from daemon import Daemon, wait_for  # noqa: E402  (path set by benchlib)
from netns import Topology  # noqa: E402

RS_ADDR = "10.99.0.2"
PYTHON = "/usr/bin/python3"


def lab(prefix):
    """Topology(2): hosts[0] the director, hosts[1] the real servers."""
    subprocess.run(["modprobe", "ip_vs"], capture_output=True)
    return Topology(2, prefix=prefix)


def vip(i, net=96):
    """The address of virtual server i (0-based), in 10.<net>.0.0/16."""
    return "10.%d.%d.%d" % (net, i // 250, i % 250 + 1)


def run_in_lab(args, prefix, work_name, one_round):
    """The rounds of an IPVS benchmark without a real server pool:
    benchlib.setup, an empty work directory OUT/work_name, a lab named
    after `prefix`; one_round(topo, work, impl, round_no) per round and
    implementation.  Returns benchlib.run_rounds' result.  The lab is
    removed; the work directory (the daemons' logs) only on success."""
    benchlib.setup(args)
    work = os.path.join(args.out, work_name)
    shutil.rmtree(work, ignore_errors=True)
    topo = None
    try:
        topo = lab("%s%d" % (prefix, os.getpid() % 10000))
        runs = benchlib.run_rounds(args, lambda impl, r: one_round(topo, work, impl, r))
    finally:
        if topo:
            topo.close()
    shutil.rmtree(work, ignore_errors=True)
    return runs


def table(director):
    """{"TCP 10.96.0.1:80": {"10.99.0.2:10000": weight}} from ipvsadm -Ln."""
    out = director.run("ipvsadm", "-Ln").stdout
    tab, svc = {}, None
    for line in out.splitlines():
        m = re.match(r"^(TCP|UDP|SCTP)\s+(\S+)", line)
        if m:
            svc = "%s %s" % (m.group(1), m.group(2))
            tab[svc] = {}
            continue
        m = re.match(r"^\s+->\s+(\d\S+)\s+\S+\s+(\d+)", line)
        if m and svc:
            tab[svc][m.group(1)] = int(m.group(2))
    return tab


def live_dests(tab):
    return sum(1 for dests in tab.values() for w in dests.values() if w > 0)


def wait_table(director, predicate, timeout, interval=0.1, what="IPVS table"):
    """Poll the table until predicate(table); the seconds it took."""
    t0 = time.monotonic()
    wait_for(lambda: predicate(table(director)), timeout=timeout, interval=interval, what=what)
    return time.monotonic() - t0


def start_checker(director, workdir, text, impl):
    """keepalived -C (checker only) with `text` in the director; started."""
    os.makedirs(workdir, exist_ok=True)
    d = Daemon(workdir, text, netns=director.ns, impl=benchlib.daemon_impl(impl),
               extra_args=["-C"])
    return d.start()


def stop(d, director):
    """Stop the daemon and leave the director's IPVS table empty."""
    if d.proc and d.proc.poll() is None:
        d.stop()
    director.run("ipvsadm", "-C", check=False)


class RealServers:
    """bench/rs_pool.py in the real servers' namespace."""

    def __init__(self, host, first_port, count):
        self.proc = host.popen([PYTHON, os.path.join(benchlib.BENCH, "rs_pool.py"), RS_ADDR,
                                str(first_port), str(count)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if self.proc.stdout.readline().strip() != "listening":
            raise RuntimeError("rs_pool.py did not start")

    def command(self, cmd, port):
        self.proc.stdin.write("%s %d\n" % (cmd, port))
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "ok"

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
