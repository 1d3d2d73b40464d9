"""SSL_GET's OpenSSL client lives in keepalived-tls.so (lib/module.h): the
daemon itself does not link OpenSSL, a checker without SSL_GET never maps
it, the first SSL_GET loads it; a missing or unsafe module is a named
failure of the SSL_GET checks, and the daemon goes on."""
import os
import shutil
import subprocess

import pytest

from daemon import BINARY
from test_checker_ssl import config, mode_file, real_server, rs_state, stop_all, tls_server
from tls_certs import make_all

MODULE = "keepalived-tls.so"
INSTALLED = "/usr/local/lib/keepalived"     # KA_MODULE_DIR of a default ./configure


def needed(path):
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True,
                         check=True).stdout
    return [line.split("[")[1].rstrip("]") for line in out.splitlines() if "(NEEDED)" in line]


def mapped(pid, name):
    with open("/proc/%d/maps" % pid) as f:
        return any(name in line for line in f)


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    d = tmp_path_factory.mktemp("certs")
    make_all(d)
    return d


def lone_binary(tmp_path, module_mode=None):
    """A copy of the daemon in a directory of its own, with a copy of the
    module beside it (mode `module_mode`) or without."""
    d = tmp_path / "bin"
    d.mkdir()
    shutil.copy2(BINARY, d / "keepalived")
    if module_mode is not None:
        shutil.copy2(os.path.join(os.path.dirname(BINARY), MODULE), d / MODULE)
        os.chmod(d / MODULE, module_mode)
    return str(d / "keepalived")


def test_daemon_does_not_link_openssl():
    libs = needed(BINARY)
    assert not [x for x in libs if x.startswith(("libssl", "libcrypto"))], libs
    assert [x for x in needed(os.path.join(os.path.dirname(BINARY), MODULE))
            if x.startswith("libssl")]


def test_openssl_mapped_only_once_an_ssl_get_needs_it(topology, daemon, tmp_path, certs):
    director, server = topology(2).hosts
    tcp_only = config("", ["  real_server 10.99.0.2 4431 {\n    TCP_CHECK {\n"
                           "      connect_timeout 2\n    }\n  }\n"])
    d = daemon(tcp_only, netns=director.ns, name="tcp")
    d.wait_log(r"checker child started")
    assert not mapped(d.check_pid(), "libssl")
    assert not mapped(d.check_pid(), "libcrypto")
    assert not mapped(d.pid(), "libssl")

    procs = [tls_server(server, 4431, mode_file(tmp_path, "good"), certs, "good")]
    try:
        d2 = daemon(config("", [real_server(4431, "SSL_GET", True)]), netns=director.ns,
                    name="ssl")
        d2.wait_log(rs_state(4431, "UP"), timeout=20)
        assert mapped(d2.check_pid(), "libssl")
        assert not mapped(d2.pid(), "libssl")      # the parent never runs a check
    finally:
        stop_all(procs)


@pytest.mark.parametrize("module_mode,reason", [
    (None, r"cannot load the TLS module: keepalived-tls\.so not found in \S+/bin nor in "),
    (0o666, r"cannot load the TLS module: \S+/bin/keepalived-tls\.so: refused \(owner uid 0, "
            r"mode 0666\): it must belong to root and be writable only by its owner"),
])
def test_missing_or_unsafe_module_fails_ssl_get_by_name(topology, daemon, tmp_path, certs,
                                                         module_mode, reason):
    assert not os.path.exists(os.path.join(INSTALLED, MODULE)), \
        "an installed module would be found instead: remove %s" % INSTALLED
    director, server = topology(2).hosts
    procs = [tls_server(server, 4431, mode_file(tmp_path, "good"), certs, "good")]
    try:
        d = daemon(config("", [real_server(4431, "SSL_GET", False),
                               "  real_server 10.99.0.2 4432 {\n    TCP_CHECK {\n"
                               "      connect_timeout 1\n    }\n  }\n"]),
                   netns=director.ns, start=False)
        d.binary = lone_binary(tmp_path, module_mode)
        d.start()
        d.wait_log(r"SSL_GET: " + reason, timeout=20)
        d.wait_log(rs_state(4431, "DOWN"), timeout=20)
        # The rest of the checker is unaffected: nothing listens on 4432.
        d.wait_log(rs_state(4432, "DOWN") + r".*connection refused", timeout=20)
        assert d.proc.poll() is None
    finally:
        stop_all(procs)
