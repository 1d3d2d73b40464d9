import os
import signal
import subprocess

import pytest

from daemon import BINARY, DEBIAN_BINARY, Daemon
from netns import Topology


def pytest_addoption(parser):
    parser.addoption("--vrrp-impl", choices=("ours", "debian"), default=None,
                     help="keepalived the VRRP tests run (default: $VRRP_IMPL or ours; "
                          "debian = /usr/sbin/keepalived, to validate the tests)")


def pytest_configure(config):
    impl = config.getoption("--vrrp-impl", default=None)
    if impl:
        os.environ["VRRP_IMPL"] = impl


def pytest_sessionstart(session):
    if not os.access(BINARY, os.X_OK):
        raise pytest.UsageError("keepalived binary not found at %s: build first "
                                "(or set KEEPALIVED_BIN)" % BINARY)
    if os.environ.get("VRRP_IMPL") == "debian" and not os.access(DEBIAN_BINARY, os.X_OK):
        raise pytest.UsageError("VRRP_IMPL=debian but %s is missing: "
                                "apt-get install keepalived" % DEBIAN_BINARY)


@pytest.fixture
def topology(request):
    """Factory: topology(n) builds a bridge with n hosts; torn down after the test."""
    made = []

    def make(nhosts, **kw):
        topo = Topology(nhosts, prefix="ka%d%d" % (os.getpid() % 10000, len(made)), **kw)
        made.append(topo)
        return topo

    yield make
    for topo in made:
        topo.close()


@pytest.fixture
def daemon(tmp_path):
    """Factory: daemon(config_text, netns=None) -> a started Daemon, stopped after the test.

    impl="ours"|"debian" picks the binary; name="x" gives the daemon its own
    directory tmp_path/x (config, pid files, log), needed when a test runs
    several daemons; without a name it works in tmp_path itself."""
    started = []

    def make(config_text, netns=None, start=True, extra_args=(), impl="ours", name=None):
        workdir = tmp_path
        if name:
            workdir = tmp_path / name
            workdir.mkdir(exist_ok=True)
        d = Daemon(workdir, config_text, netns=netns, extra_args=extra_args, impl=impl)
        started.append(d)
        return d.start() if start else d

    yield make
    # Signal them all first: the daemons shut down in parallel.
    for d in started:
        if d.proc and d.proc.poll() is None:
            d.proc.send_signal(signal.SIGTERM)
    for d in started:
        d.stop()
    # A stray keepalived from a failed test must not outlive it.
    subprocess.run(["pkill", "-9", "-f", str(tmp_path)], check=False)


@pytest.fixture
def capture(tmp_path):
    """Factory: capture(host, ifname="eth0", bpf=...) -> a running tcpdump
    (vrrp_util.Capture) in `host`'s namespace, stopped after the test."""
    from vrrp_util import Capture
    made = []

    def make(host, ifname="eth0", bpf="ip proto 112 or arp"):
        c = Capture(host, ifname=ifname, bpf=bpf, directory=str(tmp_path))
        made.append(c)
        return c.start()

    yield make
    for c in made:
        c.stop()
