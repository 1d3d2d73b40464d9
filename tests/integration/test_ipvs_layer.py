"""The ipvs/ layer against a real IPVS table.

Drives ipvs/ipvs_probe (a thin command line front end to the library)
in a network namespace of its own, and reads the result back independently
with ipvsadm.  Needs a kernel with IPVS: tests/check.sh runs the ipvs-marked
tests inside the VM of tests/vm/run.sh when the host has none.

The probe is looked up as $IPVS_PROBE, else next to the keepalived binary
under test (tests/check.sh exports KEEPALIVED_BIN=$BUILD/keepalived/keepalived,
so the probe is $BUILD/ipvs/ipvs_probe).
"""

import itertools
import os
import shutil
import subprocess

import pytest

import ipvs_util
from daemon import BINARY

PROBE = os.environ.get("IPVS_PROBE") or os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(BINARY))), "ipvs", "ipvs_probe")

_ns_ids = itertools.count()

# The reference table: a TCP service with a NAT and a DR real server, a
# fwmark service, and an IPv6 UDP service with sh + sh-port, persistence
# 300 s and a /64 persistence mask.
STANDARD = """\
service tcp 10.0.0.1 80 sched rr
dest 10.1.0.1 80 nat weight 1
dest 10.1.0.2 80 dr weight 3
service fwmark 5 inet sched wlc
dest 10.1.0.5 0 dr weight 2
service udp 2001:db8::1 53 sched sh flags persistent,sched2 timeout 300 netmask 64
dest 2001:db8::10 53 nat weight 1
"""

STANDARD_DUMP = """\
service tcp 10.0.0.1 80 sched rr flags none timeout 0 netmask 255.255.255.255 pe none
  dest 10.1.0.1 80 nat weight 1 uthresh 0 lthresh 0
  dest 10.1.0.2 80 dr weight 3 uthresh 0 lthresh 0
service fwmark 5 inet sched wlc flags none timeout 0 netmask 255.255.255.255 pe none
  dest 10.1.0.5 0 dr weight 2 uthresh 0 lthresh 0
service udp 2001:db8::1 53 sched sh flags persistent,sched2 timeout 300 netmask 64 pe none
  dest 2001:db8::10 53 nat weight 1 uthresh 0 lthresh 0
"""

STANDARD_OPS = [
    "add service TCP 10.0.0.1:80",
    "add destination 10.1.0.1:80 to TCP 10.0.0.1:80",
    "add destination 10.1.0.2:80 to TCP 10.0.0.1:80",
    "add service FWM 5",
    "add destination 10.1.0.5:0 to FWM 5",
    "add service UDP [2001:db8::1]:53",
    "add destination [2001:db8::10]:53 to UDP [2001:db8::1]:53",
]


def _run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)


class Netns:
    """A network namespace with its own (empty) IPVS table."""

    def __init__(self, tmp_path):
        self.name = "ka-ipvs-%d-%d" % (os.getpid(), next(_ns_ids))
        self.tmp = tmp_path
        self.files = itertools.count()
        proc = _run(["ip", "netns", "add", self.name])
        assert proc.returncode == 0, "ip netns add: " + proc.stderr
        self.run("ip", "link", "set", "lo", "up")

    def close(self):
        _run(["ip", "netns", "delete", self.name])

    def run(self, *argv, check=True):
        proc = _run(["ip", "netns", "exec", self.name] + list(argv))
        if check:
            assert proc.returncode == 0, "%s failed (exit %d):\n%s%s" % (
                " ".join(argv), proc.returncode, proc.stdout, proc.stderr)
        return proc

    def probe(self, *args, table=None, owned=None, rc=0):
        """Run the probe; `table`/`owned` are table texts written to files."""
        argv = [PROBE]
        if owned is not None:
            argv += ["--owned", self.write(owned)]
        argv += list(args)
        if table is not None:
            argv.append(self.write(table))
        proc = self.run(*argv, check=False)
        assert proc.returncode == rc, "ipvs_probe %s: exit %d, wanted %d:\n%s%s" % (
            " ".join(args), proc.returncode, rc, proc.stdout, proc.stderr)
        return proc.stdout

    def write(self, text):
        path = self.tmp / ("table%d.txt" % next(self.files))
        path.write_text(text)
        return str(path)

    def reconcile(self, verb, table, owned=None, rc=0):
        """(operation lines, change requests sent) of diff/apply."""
        lines = self.probe(verb, table=table, owned=owned, rc=rc).splitlines()
        changes = [l for l in lines if l.startswith("changes ")]
        assert len(changes) == 1, "no 'changes' line in:\n" + "\n".join(lines)
        ops = [l for l in lines if not l.startswith(("changes ", "error "))]
        return ops, int(changes[0].split()[1])

    def ipvsadm(self, *args):
        """ipvsadm output as lists of words, header lines dropped."""
        out = self.run("ipvsadm", *args).stdout
        return [l.split() for l in out.splitlines()
                if l and not l.startswith(("IP Virtual Server", "Prot ", "  -> RemoteAddress"))]


@pytest.fixture
def ns(tmp_path):
    if not os.access(PROBE, os.X_OK):
        pytest.fail("ipvs_probe not found at %s: build first (or set IPVS_PROBE)" % PROBE)
    if shutil.which("ipvsadm") is None:
        pytest.fail("ipvsadm not found (apt-get install ipvsadm)")
    try:
        ipvs_util.load_ipvs()
    except (RuntimeError, OSError) as exc:
        pytest.fail(str(exc))
    n = Netns(tmp_path)
    yield n
    n.close()


def _services(listing):
    """ipvsadm -Ln words: {service words: [dest words, ...]}."""
    table, cur = {}, None
    for words in listing:
        if words[0] == "->":
            table[cur].append(words[1:])
        else:
            cur = " ".join(words)
            table[cur] = []
    return table


@pytest.mark.ipvs
def test_apply_then_dump_matches_ipvsadm(ns):
    ops, changes = ns.reconcile("apply", STANDARD)
    assert ops == STANDARD_OPS
    assert changes == len(STANDARD_OPS)
    assert ns.probe("dump") == STANDARD_DUMP
    got = _services(ns.ipvsadm("-Ln"))
    assert got == {
        "TCP 10.0.0.1:80 rr": [["10.1.0.1:80", "Masq", "1", "0", "0"],
                               ["10.1.0.2:80", "Route", "3", "0", "0"]],
        "UDP [2001:db8::1]:53 sh (sh-port) persistent 300 mask 64":
            [["[2001:db8::10]:53", "Masq", "1", "0", "0"]],
        "FWM 5 wlc": [["10.1.0.5:0", "Route", "2", "0", "0"]],
    }
    # Weights and persistent connection counts, read another way.
    persist = _services(ns.ipvsadm("-Ln", "--persistent-conn"))
    assert persist["TCP 10.0.0.1:80 rr"] == [["10.1.0.1:80", "1", "0", "0", "0"],
                                             ["10.1.0.2:80", "3", "0", "0", "0"]]


@pytest.mark.ipvs
def test_unchanged_table_sends_nothing(ns):
    ns.reconcile("apply", STANDARD)
    # Adopting what is there: no operation at all, not even an edit.
    assert ns.reconcile("diff", STANDARD) == ([], 0)
    assert ns.reconcile("apply", STANDARD) == ([], 0)
    assert ns.reconcile("apply", STANDARD, owned=STANDARD) == ([], 0)


@pytest.mark.ipvs
def test_edit_weight_in_place(ns):
    ns.reconcile("apply", STANDARD)
    table = STANDARD.replace("dest 10.1.0.2 80 dr weight 3", "dest 10.1.0.2 80 dr weight 7")
    ops, changes = ns.reconcile("apply", table)
    assert ops == ["change destination 10.1.0.2:80 of TCP 10.0.0.1:80"]
    assert changes == 1
    assert ["10.1.0.2:80", "Route", "7", "0", "0"] in \
        _services(ns.ipvsadm("-Ln"))["TCP 10.0.0.1:80 rr"]
    assert ns.reconcile("diff", table) == ([], 0)


@pytest.mark.ipvs
def test_forwarding_method_and_thresholds_edit_in_place(ns):
    ns.reconcile("apply", STANDARD)
    line = "dest 10.1.0.1 80 nat weight 1"
    for new, fwd in (("dest 10.1.0.1 80 dr weight 1 uthresh 10 lthresh 2", "Route"),
                     ("dest 10.1.0.1 80 tun weight 1 tuntype gue tunport 5555 tunflags 1",
                      "Tunnel")):
        table = STANDARD.replace(line, new)
        ops, _ = ns.reconcile("apply", table)
        assert ops == ["change destination 10.1.0.1:80 of TCP 10.0.0.1:80"]
        dests = _services(ns.ipvsadm("-Ln"))["TCP 10.0.0.1:80 rr"]
        assert dests[0][:2] == ["10.1.0.1:80", fwd]
        assert ns.reconcile("diff", table) == ([], 0)
    assert "  dest 10.1.0.1 80 tun weight 1 uthresh 0 lthresh 0 tuntype gue tunport 5555 " \
        "tunflags 1\n" in ns.probe("dump")


@pytest.mark.ipvs
def test_service_edit_keeps_it_usable(ns):
    ns.reconcile("apply", STANDARD)
    table = STANDARD.replace(
        "service tcp 10.0.0.1 80 sched rr",
        "service tcp 10.0.0.1 80 sched wrr flags persistent timeout 60 netmask 255.255.255.0")
    ops, _ = ns.reconcile("apply", table)
    assert ops == ["change service TCP 10.0.0.1:80"]
    got = _services(ns.ipvsadm("-Ln"))
    # Destinations stay: an edit, not a delete and add.
    assert len(got["TCP 10.0.0.1:80 wrr persistent 60 mask 255.255.255.0"]) == 2
    assert ns.reconcile("diff", table) == ([], 0)
    # The kernel still finds (hashes) the edited service.
    ns.run("ipvsadm", "-D", "-t", "10.0.0.1:80")
    assert "TCP 10.0.0.1:80" not in " ".join(" ".join(w) for w in ns.ipvsadm("-Ln"))


@pytest.mark.ipvs
def test_dest_deleted_by_hand_is_repaired(ns):
    ns.reconcile("apply", STANDARD)
    ns.run("ipvsadm", "-d", "-t", "10.0.0.1:80", "-r", "10.1.0.2:80")
    ops, changes = ns.reconcile("apply", STANDARD)
    assert ops == ["add destination 10.1.0.2:80 to TCP 10.0.0.1:80"]
    assert changes == 1
    assert ns.probe("dump") == STANDARD_DUMP


@pytest.mark.ipvs
def test_others_untouched_owned_removed(ns):
    ns.reconcile("apply", STANDARD)
    ns.run("ipvsadm", "-A", "-t", "10.96.0.1:443", "-s", "rr")
    ns.run("ipvsadm", "-a", "-t", "10.96.0.1:443", "-r", "10.244.0.5:6443", "-m")
    remaining = "service tcp 10.0.0.1 80 sched rr\n" \
        "dest 10.1.0.1 80 nat weight 1\ndest 10.1.0.2 80 dr weight 3\n"
    # Without ownership nothing else is ours to delete.
    assert ns.reconcile("diff", remaining) == ([], 0)
    ops, _ = ns.reconcile("apply", remaining, owned=STANDARD)
    assert ops == ["delete service FWM 5", "delete service UDP [2001:db8::1]:53"]
    got = _services(ns.ipvsadm("-Ln"))
    assert set(got) == {"TCP 10.0.0.1:80 rr", "TCP 10.96.0.1:443 rr"}
    assert got["TCP 10.96.0.1:443 rr"] == [["10.244.0.5:6443", "Masq", "1", "0", "0"]]


@pytest.mark.ipvs
def test_kernel_errors_are_reported_not_fatal(ns):
    table = ("service tcp 10.0.0.9 80 sched nosuch\n"
             "dest 10.1.0.1 80 nat\n"
             "service tcp 10.0.0.8 80 sched rr\n"
             "dest 10.1.0.1 80 nat weight 1 uthresh 1 lthresh 5\n"
             "dest 10.1.0.2 80 nat weight 1\n"
             "service tcp 2001:db8::7 80 sched rr\n"
             "dest 10.1.0.1 80 nat\n")
    out = ns.probe("apply", table=table, rc=1)
    errors = [l for l in out.splitlines() if l.startswith("error ")]
    # Unknown scheduler: ENOENT (ip_vs_nosuch cannot be loaded); its
    # destination is not even tried.  l_threshold > u_threshold: ERANGE.
    # An IPv4 NAT destination in an IPv6 service: EINVAL.
    assert errors == [
        "error ERANGE 34: cannot add destination 10.1.0.1:80 to TCP 10.0.0.8:80: "
        "Numerical result out of range",
        "error ENOENT 2: cannot add service TCP 10.0.0.9:80: No such file or directory",
        "error EINVAL 22: cannot add destination 10.1.0.1:80 to TCP [2001:db8::7]:80: "
        "Invalid argument",
    ]
    # Everything else went in.
    got = _services(ns.ipvsadm("-Ln"))
    assert got["TCP 10.0.0.8:80 rr"] == [["10.1.0.2:80", "Masq", "1", "0", "0"]]
    assert "TCP [2001:db8::7]:80 rr" in got


@pytest.mark.ipvs
def test_mixed_family_tunnel_dest(ns):
    table = "service tcp 2001:db8::7 80 sched rr\ndest 10.1.0.1 80 tun weight 2\n"
    ns.reconcile("apply", table)
    assert ns.probe("dump") == (
        "service tcp 2001:db8::7 80 sched rr flags none timeout 0 netmask 128 pe none\n"
        "  dest 10.1.0.1 80 tun weight 2 uthresh 0 lthresh 0 tuntype ipip tunport 0 "
        "tunflags 0\n")
    assert ns.reconcile("diff", table) == ([], 0)


@pytest.mark.ipvs
def test_timeouts(ns):
    assert ns.probe("timeouts", "1000", "100", "200") == "timeouts 1000 100 200\n"
    assert ns.ipvsadm("-L", "--timeout") == [
        ["Timeout", "(tcp", "tcpfin", "udp):", "1000", "100", "200"]]
    # 0 leaves a timeout as it is.
    assert ns.probe("timeouts", "0", "50", "0") == "timeouts 1000 50 200\n"


@pytest.mark.ipvs
def test_sync_daemon(ns):
    assert ns.probe("daemon", "list") == ""
    ns.probe("daemon", "start", "master", "lo", "7")
    assert ns.probe("daemon", "list") == \
        "daemon master lo 7 maxlen 1472 port 8848 ttl 1 group 224.0.0.81\n"
    listing = ns.run("ipvsadm", "-L", "--daemon").stdout
    assert "master sync daemon (mcast=lo, syncid=7," in listing
    assert "port=8848" in listing
    out = ns.probe("daemon", "start", "master", "lo", "7", rc=1)
    assert out.startswith("error EEXIST 17:")
    ns.probe("daemon", "stop", "master")
    assert ns.probe("daemon", "list") == ""
    assert ns.run("ipvsadm", "-L", "--daemon").stdout == ""
    assert ns.probe("daemon", "stop", "master", rc=1).startswith("error ESRCH 3:")


def test_probe_without_ipvs_says_so(tmp_path):
    """BI-N01: no IPVS family means one clear line, not a crash."""
    # As tests/vm/have_ipvs.sh: a loadable module counts as having IPVS.
    _run(["modprobe", "-q", "ip_vs"])
    if os.path.exists("/proc/net/ip_vs"):
        pytest.skip("this kernel has IPVS")
    if not os.access(PROBE, os.X_OK):
        pytest.fail("ipvs_probe not found at %s: build first (or set IPVS_PROBE)" % PROBE)
    proc = _run([PROBE, "dump"])
    assert proc.returncode == 1
    assert proc.stderr.startswith("ipvs_probe: IPVS is not available: load the ip_vs module")
