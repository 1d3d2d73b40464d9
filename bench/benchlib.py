"""What every benchmark shares: the command line (--ours/--theirs, rounds,
output directory), the alternation of the two implementations, statistics
(median/min/max and the ratio ours/theirs), the table on stdout and the JSON
file, and the CPU/RSS of a daemon read from /proc.

The benchmarks reuse the integration tests' helpers (tests/integration:
namespaces, daemons, capture), so both are kept on sys.path here."""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))

DEFAULT_OURS = os.path.join(REPO, "build", "keepalived", "keepalived")
DEFAULT_THEIRS = "/usr/sbin/keepalived"
IMPLS = ("ours", "theirs")


def parser(description, rounds=5, window=None):
    """An ArgumentParser with the options every benchmark takes, and
    --window (seconds of CPU measurement) when `window` is a default."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--ours", default=DEFAULT_OURS, help="our keepalived (default: %(default)s)")
    ap.add_argument("--theirs", default=DEFAULT_THEIRS,
                    help="the reference keepalived (default: %(default)s)")
    ap.add_argument("--rounds", type=int, default=rounds, help="rounds (default: %(default)s)")
    ap.add_argument("--out", default=os.path.join(REPO, "build", "bench"),
                    help="directory for the JSON (and plots); default: %(default)s")
    ap.add_argument("--smoke", action="store_true",
                    help="tiny sizes and one round: checks the script still works")
    if window is not None:
        ap.add_argument("--window", type=float, default=window,
                        help="seconds over which CPU is measured (default: %(default)s)")
    return ap


def setup(args):
    """Point the integration helpers at the two binaries; check them."""
    import daemon
    for name, path in (("ours", args.ours), ("theirs", args.theirs)):
        if not os.access(path, os.X_OK):
            sys.exit("%s keepalived not found: %s" % (name, path))
    # daemon.py calls them "ours" and "debian"; the benches say "theirs".
    daemon.IMPLS["ours"] = os.path.abspath(args.ours)
    daemon.IMPLS["debian"] = os.path.abspath(args.theirs)
    os.makedirs(args.out, exist_ok=True)


def daemon_impl(impl):
    """The integration helpers' name for an implementation."""
    return {"ours": "ours", "theirs": "debian"}[impl]


def order(round_no):
    """Alternate who goes first, so drift in the machine's load hits both."""
    return IMPLS if round_no % 2 == 0 else IMPLS[::-1]


def sanitized(path):
    """True when the binary is built with ASan (slower, far more memory)."""
    out = subprocess.run(["ldd", path], capture_output=True, text=True).stdout
    return "libasan" in out


def summary(values):
    """{"median", "min", "max", "n"} of the numbers (None values ignored)."""
    vals = [v for v in values if v is not None]
    if not vals:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals),
            "n": len(vals)}


def ratio(ours, theirs):
    if ours is None or theirs in (None, 0):
        return None
    return ours / theirs


def fmt(v, unit=""):
    if v is None:
        return "-"
    if isinstance(v, float):
        return ("%.4g" % v) + unit
    return str(v) + unit


def compare(metrics):
    """metrics: {name: {"ours": [values], "theirs": [values], "unit": str, ...}}
    -> {name: {"ours": summary, "theirs": summary, "ratio": median ratio, ...}}"""
    out = {}
    for name, m in metrics.items():
        row = {k: v for k, v in m.items() if k not in IMPLS}
        for impl in IMPLS:
            row[impl] = summary(m.get(impl, []))
            row[impl]["values"] = m.get(impl, [])
        row["ratio"] = ratio(row["ours"]["median"], row["theirs"]["median"])
        out[name] = row
    return out


def print_table(title, results):
    """results as returned by compare(): one line per metric."""
    print("\n== %s" % title)
    head = "%-44s %24s %24s %7s %s" % ("metric", "ours med [min..max]",
                                       "theirs med [min..max]", "ratio", "reference")
    print(head)
    print("-" * len(head))
    for name, row in results.items():
        unit = row.get("unit", "")
        cells = []
        for impl in IMPLS:
            s = row[impl]
            cells.append("%s [%s..%s]" % (fmt(s["median"]), fmt(s["min"]), fmt(s["max"])))
        ref = row.get("reference")
        print("%-44s %24s %24s %7s %s" % (
            "%s (%s)" % (name, unit) if unit else name, cells[0], cells[1],
            fmt(row["ratio"]), "" if ref is None else fmt(ref, unit)))
    sys.stdout.flush()


def machine():
    return {"host": platform.node(), "kernel": platform.release(), "cpus": os.cpu_count(),
            "python": platform.python_version()}


def report(args, name, title, runs, units, params, references=None):
    """Compare the runs on the metrics of `units`, print the table under
    `title` (with the reference column from `references`, {metric: value}),
    write OUT/<name>.json with `params`."""
    metrics = metrics_of(runs, units)
    for k, v in (references or {}).items():
        metrics[k]["reference"] = v
    results = compare(metrics)
    print_table(title, results)
    details = {i: [{k: v for k, v in run.items() if isinstance(v, dict)} for run in runs[i]]
               for i in IMPLS}
    if any(d for i in IMPLS for d in details[i]):
        params = dict(params, details=details)
    write_json(args, name, results, params)


def write_json(args, name, results, params):
    """OUT/name.json with the parameters, the machine and the results.
    params["details"], when there, holds what a round recorded besides its
    numbers (e.g. rss_by_mapping), per implementation and round."""
    doc = {"benchmark": name, "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "machine": machine(), "params": params,
           "binaries": {"ours": os.path.abspath(args.ours), "theirs": args.theirs,
                        "ours_sanitized": sanitized(args.ours)},
           "results": results}
    path = os.path.join(args.out, name + ".json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    print("results: %s" % path)
    return path


# ---------------------------------------------------------------------------
# the cost of a daemon, from /proc

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    """utime + stime of the processes (those still alive), in seconds."""
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / CLK_TCK


def rss_kib(pids):
    """Sum of VmRSS of the processes, KiB."""
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def rss_by_mapping(pids):
    """Where the RSS of each process goes: {"<pid index>": {what: KiB}},
    `what` being a mapped file's name ("libc.so.6"), "[heap]", "[stack]"
    or "[anon]"; only entries of 64 KiB or more, the rest summed as
    "(other)".  This is what to read when an RSS ratio moves."""
    out = {}
    for n, pid in enumerate(pids):
        try:
            with open("/proc/%d/smaps" % pid) as f:
                lines = f.read().splitlines()
        except (FileNotFoundError, ProcessLookupError):
            continue
        per, what = {}, None
        for line in lines:
            fields = line.split()
            if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                what = os.path.basename(fields[5]) if len(fields) > 5 else "[anon]"
            elif fields and fields[0] == "Rss:":
                per[what] = per.get(what, 0) + int(fields[1])
        small = sum(v for v in per.values() if v < 64)
        per = {k: v for k, v in per.items() if v >= 64}
        per["(other)"] = small
        out[str(n)] = dict(sorted(per.items(), key=lambda kv: -kv[1]))
    return out


def measure_cost(pids_fn, window):
    """CPU seconds used by the processes pids_fn() over `window` seconds,
    and their RSS (KiB) at the end."""
    pids = pids_fn()
    c0 = cpu_seconds(pids)
    time.sleep(window)
    pids = pids_fn()
    return cpu_seconds(pids) - c0, rss_kib(pids)


def run_rounds(args, one_round):
    """one_round(impl, round_no) -> {metric: value} for every round and
    implementation, in alternating order; {impl: [those dicts]}."""
    runs = {i: [] for i in IMPLS}
    for r in range(args.rounds):
        for impl in order(r):
            run = one_round(impl, r)
            print("round %d %-6s %s" % (r + 1, impl, " ".join(
                "%s=%s" % (k, fmt(v)) for k, v in sorted(run.items())
                if not isinstance(v, dict))))
            sys.stdout.flush()
            runs[impl].append(run)
    return runs


def metrics_of(runs, units):
    """The input of compare(): per metric of `units` ({name: unit}), the
    values of every run that has one."""
    return {k: dict({i: [x[k] for x in runs[i] if x.get(k) is not None] for i in IMPLS},
                    unit=u) for k, u in units.items()}
