"""Checks that the kernel under test really provides IPVS.

The ipvs-marked tests are meant for a kernel with IPVS: tests/check.sh runs
them inside the VM of tests/vm/run.sh when the host kernel lacks it.  They
FAIL rather than skip without IPVS, so a misrouted run is never mistaken
for a green one.  The two unmarked tests only exercise the generic netlink
helper and pass on any Linux kernel.
"""

import os
import shutil
import subprocess

import pytest

import ipvs_util

PROC_IP_VS = "/proc/net/ip_vs"


def _no_ipvs_message(what):
    return ("%s: kernel %s has no IPVS; run this under tests/vm/run.sh"
            % (what, os.uname().release))


def _run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, check=False,
                          **kwargs)


def _load_ipvs_or_fail():
    """ipvs_util.load_ipvs(), turning its error into a plain test failure."""
    try:
        return ipvs_util.load_ipvs()
    except (RuntimeError, OSError) as exc:
        message = str(exc)
    # Outside the except block, so the report is the message alone rather
    # than a chained traceback.
    pytest.fail(message)


def test_genl_resolves_controller_family():
    # The controller itself is always registered, under a fixed id.
    assert ipvs_util.genl_family_id("nlctrl") == ipvs_util.GENL_ID_CTRL


def test_genl_unknown_family_is_none():
    # ENOENT from the controller, and a name too long to ever be registered.
    assert ipvs_util.genl_family_id("nosuchfamily") is None
    assert ipvs_util.genl_family_id("no-such-family-at-all") is None


@pytest.mark.ipvs
def test_modprobe_ip_vs():
    if shutil.which("modprobe") is None:
        pytest.fail("modprobe not found (install kmod)")
    proc = _run(["modprobe", "ip_vs"])
    if proc.returncode != 0:
        pytest.fail(_no_ipvs_message(
            "modprobe ip_vs exited %d (%s)"
            % (proc.returncode, proc.stderr.strip())))
    if not os.path.exists(PROC_IP_VS):
        pytest.fail(_no_ipvs_message(
            "modprobe ip_vs succeeded but %s is missing" % PROC_IP_VS))


@pytest.mark.ipvs
def test_ipvs_genl_family_resolves():
    family = _load_ipvs_or_fail()
    assert family > 0, "IPVS family id %r is not positive" % family


@pytest.mark.ipvs
def test_ipvsadm_round_trip():
    ipvsadm = shutil.which("ipvsadm")
    if ipvsadm is None:
        pytest.fail("ipvsadm not found (apt-get install ipvsadm)")
    _load_ipvs_or_fail()
    if shutil.which("unshare") is None:
        pytest.fail("unshare not found (install util-linux)")
    # IPVS tables are per network namespace.  Working in a fresh one means
    # `ipvsadm -C` cannot wipe a real configuration should this test run
    # on a host that has IPVS, and leftovers cannot leak into other tests.
    script = """
        set -e
        ipvsadm -A -t 127.0.0.1:80 -s rr
        echo '--- listing'
        ipvsadm -Ln
        ipvsadm -C
        echo '--- after clear'
        ipvsadm -Ln
    """
    proc = _run(["unshare", "--net", "sh", "-c", script])
    assert proc.returncode == 0, (
        "ipvsadm round trip failed (exit %d):\n%s%s"
        % (proc.returncode, proc.stdout, proc.stderr))
    listing, _, cleared = proc.stdout.partition("--- after clear")
    listing = listing.partition("--- listing")[2]
    services = [line.split() for line in listing.splitlines()]
    assert ["TCP", "127.0.0.1:80", "rr"] in services, (
        "service missing from ipvsadm -Ln:\n" + listing)
    assert "127.0.0.1:80" not in cleared, (
        "ipvsadm -C left the service behind:\n" + cleared)
