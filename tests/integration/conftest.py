import os
import subprocess

import pytest

from daemon import BINARY, Daemon
from netns import Topology


def pytest_sessionstart(session):
    if not os.access(BINARY, os.X_OK):
        raise pytest.UsageError("keepalived binary not found at %s: build first "
                                "(or set KEEPALIVED_BIN)" % BINARY)


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
    """Factory: daemon(config_text, netns=None) -> a started Daemon, stopped after the test."""
    started = []

    def make(config_text, netns=None, start=True, extra_args=()):
        d = Daemon(tmp_path, config_text, netns=netns, extra_args=extra_args)
        started.append(d)
        return d.start() if start else d

    yield make
    for d in started:
        d.stop()
    # A stray keepalived from a failed test must not outlive it.
    subprocess.run(["pkill", "-9", "-f", str(tmp_path)], check=False)
