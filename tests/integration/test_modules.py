"""The optional parts of the daemon are modules (lib/module.h), so that a
process maps OpenSSL or net-snmp only when its configuration uses them:
SSL_GET's TLS client is keepalived-tls.so, loaded by the first SSL_GET;
the SNMP subagent is keepalived-snmp.so, loaded by a child whose
configuration enables SNMP.  The daemon itself links neither library.  A
missing or unsafe module is a named failure of that feature only: the
daemon goes on with everything else."""
import os
import shutil
import subprocess

import pytest

from daemon import BINARY
from test_checker_ssl import config, mode_file, real_server, rs_state, stop_all, tls_server
from tls_certs import make_all
from vrrp_util import global_defs, vrrp_instance

MODULE = "keepalived-tls.so"
SNMP_MODULE = "keepalived-snmp.so"
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


def lone_binary(tmp_path, module_mode=None, module=MODULE):
    """A copy of the daemon in a directory of its own, with a copy of
    `module` beside it (mode `module_mode`) or without."""
    assert not os.path.exists(os.path.join(INSTALLED, module)), \
        "an installed module would be found instead: remove %s" % INSTALLED
    d = tmp_path / "bin"
    d.mkdir()
    shutil.copy2(BINARY, d / "keepalived")
    if module_mode is not None:
        shutil.copy2(os.path.join(os.path.dirname(BINARY), module), d / module)
        os.chmod(d / module, module_mode)
    return str(d / "keepalived")


def test_daemon_links_neither_openssl_nor_net_snmp():
    libs = needed(BINARY)
    assert not [x for x in libs if x.startswith(("libssl", "libcrypto", "libnetsnmp"))], libs
    here = os.path.dirname(BINARY)
    assert [x for x in needed(os.path.join(here, MODULE)) if x.startswith("libssl")]
    assert [x for x in needed(os.path.join(here, SNMP_MODULE)) if x.startswith("libnetsnmpagent")]


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


def snmp_vrrp_config(tmp_path, snmp):
    """One VRRP instance; with `snmp`, the VRRP MIB on an AgentX socket
    nobody serves (the subagent starts and keeps retrying)."""
    extra = ["enable_snmp_vrrp", "snmp_socket unix:%s" % (tmp_path / "nobody.sock")] \
        if snmp else []
    return global_defs("solo", extra=extra) + vrrp_instance(priority=150)


def test_net_snmp_mapped_only_by_a_child_with_snmp(topology, daemon, tmp_path):
    h = topology(1).hosts[0]
    plain = daemon(snmp_vrrp_config(tmp_path, False), netns=h.ns, name="plain",
                   extra_args=["-P"])
    plain.wait_log(r"\(VI_1\) BACKUP -> MASTER", timeout=8)
    for pid in (plain.pid(), plain.vrrp_pid()):
        assert not mapped(pid, "libnetsnmp")
        assert not mapped(pid, "libcrypto")
    plain.stop()
    snmp = daemon(snmp_vrrp_config(tmp_path, True), netns=h.ns, name="snmp", extra_args=["-P"])
    snmp.wait_log(r"AgentX master unix:.* not reachable")
    assert mapped(snmp.vrrp_pid(), "libnetsnmpagent")
    assert not mapped(snmp.pid(), "libnetsnmp")


@pytest.mark.parametrize("module_mode,reason", [
    (None, r"keepalived-snmp\.so not found in \S+/bin nor in "),
    (0o646, r"\S+/bin/keepalived-snmp\.so: refused \(owner uid 0, mode 0646\)"),
])
def test_missing_or_unsafe_snmp_module_leaves_vrrp_running(topology, daemon, tmp_path,
                                                           module_mode, reason):
    h = topology(1).hosts[0]
    d = daemon(snmp_vrrp_config(tmp_path, True), netns=h.ns, start=False, extra_args=["-P"])
    d.binary = lone_binary(tmp_path, module_mode, SNMP_MODULE)
    d.start()
    d.wait_log(r"SNMP: cannot load the SNMP module: " + reason + r".*; no SNMP")
    d.wait_log(r"\(VI_1\) BACKUP -> MASTER", timeout=8)
    assert not mapped(d.vrrp_pid(), "libnetsnmp")
    assert d.proc.poll() is None
