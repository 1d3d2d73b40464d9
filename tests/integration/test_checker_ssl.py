"""SSL_GET and genhash against real TLS servers (tls_server.py, and
openssl s_server) in a real server's namespace.  The checker runs without
IPVS here (the host kernel has none): every verdict is read from the log
line that reports the real server's state change, reason included.

With a CA in the global SSL block the certificate must verify (an expired
one is a named failure); without, any certificate is taken.  A client
certificate from the SSL block satisfies a server that requires one.
genhash prints the digest that makes HTTP_GET and SSL_GET pass."""
import hashlib
import os
import signal
import subprocess

import pytest

from daemon import GENHASH, wait_for
from tls_certs import make_all

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"
PAGE = b"<html>healthy over TLS</html>\n"


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    d = tmp_path_factory.mktemp("certs")
    make_all(d)
    return d


def real_server(port, check, alpha, extra="", opts=""):
    """real server 10.99.0.2:port checked every second by `check`, declared
    down at the first failure; `alpha` makes it start DOWN so that passing
    is logged ("is UP")."""
    return ("  real_server 10.99.0.2 %d {\n    %s {\n      url {\n        path /\n%s"
            "      }\n      connect_timeout 2\n      retry 0\n%s%s    }\n  }\n"
            % (port, check, extra, "      alpha\n" if alpha else "", opts))


def config(ssl_block, servers):
    return (ssl_block + "virtual_server 10.99.0.100 443 {\n  lb_algo rr\n  protocol TCP\n"
            "  delay_loop 1\n" + "".join(servers) + "}\n")


def start(host, argv, cwd=None):
    p = host.popen([PYTHON] + argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=cwd)
    assert p.stdout.readline().strip() == b"listening"
    return p


def tls_server(host, port, mode, certs, cert, client_ca=None):
    argv = [os.path.join(HERE, "tls_server.py"), str(port), str(mode),
            str(certs / (cert + ".pem")), str(certs / (cert + ".key"))]
    return start(host, argv + ([str(certs / (client_ca + ".pem"))] if client_ca else []))


def mode_file(tmp_path, name, mode="ok 200"):
    f = tmp_path / name
    f.write_text(mode + "\n")
    (tmp_path / (name + ".body")).write_bytes(PAGE)
    return f


def genhash(host, *args):
    r = host.run(GENHASH, *args, check=False)
    assert r.returncode == 0, r.stderr
    line = r.stdout.strip().splitlines()[-1]
    assert line.startswith("MD5SUM = ")
    return line.split()[-1]


def stop_all(procs):
    for p in procs:
        p.kill()
        p.wait()


def rs_state(port, state):
    return r"Real server 10\.99\.0\.2:%d of TCP 10\.99\.0\.100:443 is %s" % (port, state)


def test_ssl_get_verification_client_cert_and_tls_failures(topology, daemon, tmp_path, certs):
    director, server = topology(2).hosts
    good = mode_file(tmp_path, "good")
    modes = {p: mode_file(tmp_path, "m%d" % p) for p in (4432, 4434, 4435, 4436)}
    (tmp_path / "m4435").write_text("silent\n")
    procs = [tls_server(server, 4431, good, certs, "good"),
             tls_server(server, 4432, modes[4432], certs, "expired"),
             start(server, [os.path.join(HERE, "rs_server.py"), "plain", "4433"]),
             tls_server(server, 4434, modes[4434], certs, "good", client_ca="ca"),
             tls_server(server, 4435, modes[4435], certs, "good"),
             tls_server(server, 4436, modes[4436], certs, "selfsigned")]
    digest = hashlib.md5(PAGE).hexdigest()
    with_sni = "        digest %s\n      }\n      virtualhost rs.example\n      enable_sni\n" \
               "      url {\n        path /\n" % digest
    ssl_block = ("SSL {\n  ca %s\n  certificate %s\n  key %s\n  password secret\n}\n"
                 % (certs / "ca.pem", certs / "client.pem", certs / "client.key"))
    servers = [real_server(4431, "SSL_GET", True, with_sni),
               real_server(4432, "SSL_GET", False),
               real_server(4433, "SSL_GET", False, opts="      log_all_failures\n"),
               real_server(4434, "SSL_GET", True),
               real_server(4435, "SSL_GET", False),
               real_server(4436, "SSL_GET", False)]
    try:
        d = daemon(config(ssl_block, servers), netns=director.ns)
        d.wait_log(rs_state(4431, "UP"), timeout=20)
        d.wait_log(rs_state(4434, "UP"), timeout=20)
        d.wait_log(rs_state(4432, "DOWN") + r".*certificate not verified \(certificate verify "
                   r"failed: certificate has expired for /\)", timeout=20)
        d.wait_log(rs_state(4433, "DOWN") + r".*TLS failure \(wrong version number for /\)",
                   timeout=20)
        d.wait_log(rs_state(4435, "DOWN") + r".*TLS failure \(TLS handshake timed out for /\)",
                   timeout=20)
        # log_all_failures: the failures after the one that took it down
        # are logged too (and only for that server).
        d.wait_log(r"SSL_GET 10\.99\.0\.2:4433: TLS failure \(wrong version number for /\); "
                   r"failure 3 \(retry 0\)", timeout=20)
        assert "SSL_GET 10.99.0.2:4435: TLS failure (TLS handshake timed out for /); failure" \
            not in d.log()
        d.wait_log(rs_state(4436, "DOWN") + r".*certificate not verified \(certificate verify "
                   r"failed: self[- ]signed certificate", timeout=20)
        # enable_sni sends the virtualhost as the server name, every url.
        sni = (tmp_path / "good.sni").read_text().split()
        assert sni and set(sni) == {"rs.example"}
        # The digest is compared over TLS as over HTTP.
        (tmp_path / "good.body").write_bytes(b"changed\n")
        d.wait_log(rs_state(4431, "DOWN") + r".*digest mismatch", timeout=20)
        # Without the client certificate, the server that requires one
        # refuses the session: reload keeps everything else.
        d.write_config(config("SSL {\n  ca %s\n}\n" % (certs / "ca.pem"), servers))
        d.signal(signal.SIGHUP)
        d.wait_log(rs_state(4434, "DOWN") + r".*TLS failure", timeout=20)
        assert d.proc.poll() is None
    finally:
        stop_all(procs)


def test_genhash_digest_makes_http_get_and_ssl_get_pass(topology, daemon, tmp_path, certs):
    """Without a CA nothing is verified (a self-signed server passes); the
    digests come from genhash, over HTTP and over TLS (openssl s_server
    -WWW, a TLS server of its own), and make the checks pass."""
    director, server = topology(2).hosts
    www = tmp_path / "www"
    www.mkdir()
    (www / "index.html").write_bytes(PAGE)
    http_mode = mode_file(tmp_path, "plain")
    procs = [start(server, [os.path.join(HERE, "http_server.py"), "8080", str(http_mode)]),
             server.popen(["openssl", "s_server", "-quiet", "-WWW", "-accept", "4443",
                           "-cert", str(certs / "selfsigned.pem"),
                           "-key", str(certs / "selfsigned.key")],
                          cwd=str(www), stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        wait_for(lambda: director.run("bash", "-c", "exec 3<>/dev/tcp/10.99.0.2/4443",
                                      check=False).returncode == 0,
                 timeout=10, what="s_server listening")
        tls_digest = genhash(director, "-S", "-s", "10.99.0.2", "-p", "4443", "-u", "/index.html")
        http_digest = genhash(director, "-s", "10.99.0.2", "-p", "8080", "-u", "/")
        assert http_digest == hashlib.md5(PAGE).hexdigest()
        assert tls_digest == http_digest  # the same bytes, read through TLS
        verbose = director.run(GENHASH, "-v", "-S", "-V", "rs.example", "-s", "10.99.0.2",
                               "-p", "4443", "-u", "/index.html", check=False).stdout
        assert "Host: rs.example" in verbose and "HTTP status: 200" in verbose
        assert "MD5SUM = " + tls_digest in verbose
        servers = [
            real_server(4443, "SSL_GET", True,
                        "        path /index.html\n        digest %s\n" % tls_digest),
            real_server(8080, "HTTP_GET", True, "        digest %s\n" % http_digest)]
        servers[0] = servers[0].replace("        path /\n", "", 1)
        d = daemon(config("", servers), netns=director.ns)
        d.wait_log(rs_state(4443, "UP"), timeout=20)
        d.wait_log(rs_state(8080, "UP"), timeout=20)
        (www / "index.html").write_bytes(b"changed\n")
        d.wait_log(rs_state(4443, "DOWN") + r".*digest mismatch \(digest %s"
                   % hashlib.md5(b"changed\n").hexdigest(), timeout=20)
    finally:
        stop_all(procs)


def test_genhash_errors(topology):
    director, server = topology(2).hosts
    r = director.run(GENHASH, "-s", "10.99.0.2", "-p", "9", "-u", "/", check=False)
    assert r.returncode == 1 and "genhash: connect: Connection refused" in r.stderr
    r = director.run(GENHASH, "-s", "host.example", "-p", "80", "-u", "/", check=False)
    assert r.returncode == 1 and "not an IPv4 or IPv6 address" in r.stderr
    r = director.run(GENHASH, "-H", "sha1", "-s", "10.99.0.2", "-p", "80", "-u", "/",
                     check=False)
    assert r.returncode == 1 and "only md5" in r.stderr
