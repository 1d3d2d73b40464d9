"""HTTP_GET against the real kernel IPVS and a real HTTP server
(http_server.py) in the real server's namespace: the digest, the status
and the response's shape decide, and a server that answers one byte a
second fails at connect_timeout without holding up the other checks."""
import hashlib
import os
import subprocess
import time

import pytest

from daemon import wait_for

pytestmark = pytest.mark.ipvs

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"
PAGE = b"<html>healthy</html>\n"



def virtual_server(port, check):
    """A virtual server of 10.99.0.100:port with 10.99.0.2:port checked by
    `check`, checked every second and declared down at the first failure."""
    return ("virtual_server 10.99.0.100 %d {\n  lb_algo rr\n  protocol TCP\n"
            "  delay_loop 1\n  real_server 10.99.0.2 %d {\n    %s {\n%s"
            "      connect_timeout 2\n      retry 0\n    }\n  }\n}\n" % ((port, port) + check))


def config(digest):
    url = "      url {\n        path /\n        digest %s\n        status_code 200\n      }\n"
    return (virtual_server(80, ("HTTP_GET", url % digest)) +
            virtual_server(81, ("TCP_CHECK", "")))


def present(host, dest):
    out = host.run("ipvsadm", "-Ln").stdout
    return any(line.split()[:2] == ["->", dest] for line in out.splitlines())


def start(host, argv):
    p = host.popen([PYTHON] + argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert p.stdout.readline().strip() == b"listening"
    return p


def test_http_get_digest_status_and_hostile_servers(topology, daemon, tmp_path):
    director, server = topology(2).hosts
    mode = tmp_path / "mode"
    page = tmp_path / "mode.body"
    mode.write_text("ok 200\n")
    page.write_bytes(PAGE)
    procs = [start(server, [os.path.join(HERE, "http_server.py"), "80", str(mode)])]
    tcp = start(server, [os.path.join(HERE, "rs_server.py"), "h2", "81"])
    try:
        d = daemon(config(hashlib.md5(PAGE).hexdigest()), netns=director.ns,
                   extra_args=["-C"])

        def state(dest, up, timeout=30):
            return wait_for(lambda: present(director, dest) == up, timeout=timeout,
                            interval=0.2, what="%s %s" % (dest, "present" if up else "gone"))

        state("10.99.0.2:80", True)
        state("10.99.0.2:81", True)

        page.write_bytes(b"<html>changed</html>\n")
        state("10.99.0.2:80", False)
        d.wait_log(r"10\.99\.0\.2:80.*DOWN.*digest mismatch")
        page.write_bytes(PAGE)
        state("10.99.0.2:80", True)

        mode.write_text("ok 404\n")
        state("10.99.0.2:80", False)
        d.wait_log(r"10\.99\.0\.2:80.*DOWN.*unexpected HTTP status \(status 404 for /\)")
        mode.write_text("ok 200\n")
        state("10.99.0.2:80", True)

        mode.write_text("garbage\n")
        state("10.99.0.2:80", False)
        d.wait_log(r"DOWN.*bad HTTP response \(bad status line for /\)")
        mode.write_text("ok 200\n")
        state("10.99.0.2:80", True)

        # The slow server fails at connect_timeout (2 s) of an attempt
        # started at most delay_loop (1 s) later; meanwhile the TCP_CHECK
        # of port 81 still notices its server going away at once.
        mode.write_text("slow\n")
        t0 = time.monotonic()
        tcp.kill()
        tcp.wait()
        state("10.99.0.2:81", False, timeout=4)
        state("10.99.0.2:80", False, timeout=8)
        assert time.monotonic() - t0 < 8
        d.wait_log(r"DOWN.*HTTP response timed out \(no complete response for /\)")
        tcp = start(server, [os.path.join(HERE, "rs_server.py"), "h2", "81"])
        state("10.99.0.2:81", True, timeout=4)
        assert not present(director, "10.99.0.2:80")
        mode.write_text("ok 200\n")
        state("10.99.0.2:80", True)

        for hostile in ("endless-headers", "huge-status-line"):
            mode.write_text(hostile + "\n")
            state("10.99.0.2:80", False, timeout=10)
            mode.write_text("ok 200\n")
            state("10.99.0.2:80", True)
    finally:
        for p in procs + [tcp]:
            p.kill()
            p.wait()
