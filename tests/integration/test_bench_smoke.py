"""The benchmarks in bench/ must not rot: the VRRP ones run here at their
smoke size (one round, a few instances) against ours and Debian's
keepalived and must produce well-formed results for both; the IPVS ones
need a kernel with IPVS and minutes of VM time, so here their command line
is parsed and the configurations they generate must pass `keepalived -t`."""
import json
import os
import subprocess
import sys

import pytest

from daemon import BINARY, DEBIAN_BINARY, config_test, write_config_file

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench")
sys.path.insert(0, BENCH)
PY = "/usr/bin/python3"


def run_bench(script, out, *extra):
    cmd = [PY, os.path.join(BENCH, script), "--smoke", "--ours", BINARY,
           "--theirs", DEBIAN_BINARY, "--out", str(out)] + list(extra)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=150)
    assert p.returncode == 0, "%s failed:\n%s\n%s" % (script, p.stdout, p.stderr)
    with open(os.path.join(str(out), script.replace(".py", ".json"))) as f:
        return json.load(f), p.stdout


def both(results, metric):
    """The medians of one metric for ours and theirs; both must exist."""
    row = results["results"][metric]
    for impl in ("ours", "theirs"):
        assert row[impl]["n"] >= 1, "%s: no value for %s" % (metric, impl)
    return row["ours"]["median"], row["theirs"]["median"]


def test_vrrp_takeover_smoke(tmp_path):
    """Both implementations take over after a crash and after a graceful
    stop, no earlier than the protocol allows and not seconds later; ours
    reports its internal latency; the table and the plot are produced."""
    doc, stdout = run_bench("vrrp_takeover.py", tmp_path)
    assert doc["binaries"]["ours"] == os.path.abspath(BINARY)
    minimum = doc["params"]["protocol_minimum"]
    for mode in ("kill", "term"):
        for value in both(doc, mode + ".advert_to_garp"):
            assert minimum[mode] - 50 <= value <= minimum[mode] + 1000, (mode, value, minimum)
        both(doc, mode + ".signal_to_vip")
        assert doc["results"][mode + ".internal_garp_us"]["ours"]["n"] == 1
    assert "kill.advert_to_garp" in stdout
    assert os.path.getsize(str(tmp_path / "vrrp_takeover.png")) > 1000


def test_vrrp_many_smoke(tmp_path):
    """Every instance is measured for both, with CPU and RSS figures."""
    doc, _ = run_bench("vrrp_many.py", tmp_path)
    n = doc["params"]["instances"]
    assert both(doc, "instances_measured") == (n, n)
    for metric in ("master_rss_kib", "backup_rss_kib", "master_cpu_s_per_min",
                   "takeover_median_ms", "takeover_spread_ms", "start_all_vips_ms"):
        ours, theirs = both(doc, metric)
        assert ours >= 0 and theirs >= 0
    assert min(both(doc, "master_rss_kib")) > 100


@pytest.mark.parametrize("script", ["checker_scale.py", "ipvs_program.py", "reload_scale.py",
                                    "run_all.sh"])
def test_ipvs_bench_command_line(script):
    path = os.path.join(BENCH, script)
    cmd = ([PY, path] if script.endswith(".py") else ["bash", path]) + ["--help"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    assert "--smoke" in p.stdout


def test_ipvs_bench_configs_are_valid(tmp_path):
    """What the IPVS benchmarks would feed both daemons is a valid config."""
    import checker_scale
    import ipvs_program
    import reload_scale
    for name, text in (("checker.conf", checker_scale.config(3, 4)),
                       ("program.conf", ipvs_program.config(250, changed={0, 100})),
                       ("reload.conf", reload_scale.config(5, 4))):
        path = write_config_file(tmp_path, text, name)
        status, errors = config_test(path)
        assert (status, errors) == (0, []), (name, errors)
    assert checker_scale.config(3, 4).count("TCP_CHECK") == 12
    assert ipvs_program.config(250, changed={0, 100}).count("weight 2") == 2
    assert reload_scale.config(5, 4).count("real_server") == 20
