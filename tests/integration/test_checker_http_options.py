"""HTTP_GET's request options and multi-url judging against a real HTTP
server (http_server.py, which records every request it gets).  Verdicts are
read from the log line of each state change (no IPVS needed): every url
must pass, in order; digest, regex and regex_no_match decide; the request
line and headers follow http_protocol and virtualhost."""
import hashlib
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"
PAGE = b"<html>healthy</html>\n"


def real_server(port, body):
    return ("  real_server 10.99.0.2 %d {\n    HTTP_GET {\n%s      connect_timeout 2\n"
            "      retry 0\n      alpha\n    }\n  }\n" % (port, body))


def url(path, extra=""):
    return "      url {\n        path %s\n%s      }\n" % (path, extra)


def rs_state(port, state):
    return r"Real server 10\.99\.0\.2:%d of TCP 10\.99\.0\.100:80 is %s" % (port, state)


def requests(mode):
    """The request heads the server got, each as a list of lines."""
    text = (mode.parent / (mode.name + ".requests")).read_bytes().decode()
    return [head.split("\r\n") for head in text.split("\r\n\r\n") if head]


def test_urls_regex_protocol_and_virtualhost(topology, daemon, tmp_path):
    director, server = topology(2).hosts
    modes, procs = {}, []
    for port in (8081, 8082, 8083, 8084):
        modes[port] = tmp_path / ("m%d" % port)
        modes[port].write_text("ok 200\n")
        (tmp_path / ("m%d.body" % port)).write_bytes(PAGE)
        p = server.popen([PYTHON, os.path.join(HERE, "http_server.py"), str(port),
                          str(modes[port])], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert p.stdout.readline().strip() == b"listening"
        procs.append(p)
    digest = hashlib.md5(PAGE).hexdigest()
    conf = ("virtual_server 10.99.0.100 80 {\n  lb_algo rr\n  protocol TCP\n  delay_loop 1\n" +
            real_server(8081, url("/a", "        digest %s\n" % digest) +
                        url("/b", "        regex \"^<html>heal+thy\"\n") +
                        "      http_protocol 1.1\n      virtualhost www.example\n") +
            real_server(8082, url("/", "        virtualhost url.example\n") +
                        url("/maint", "        regex maintenance\n        regex_no_match\n") +
                        "      http_protocol 1.0C\n      virtualhost www.example\n") +
            real_server(8083, url("/plain")) +
            real_server(8084, url("/x", "        regex \"^<html>heal+thy\"\n")) + "}\n")
    try:
        d = daemon(conf, netns=director.ns)
        for port in (8081, 8082, 8083, 8084):
            d.wait_log(rs_state(port, "UP"), timeout=20)

        # Both urls were fetched, each on its own connection, as configured.
        heads = requests(modes[8081])
        assert ["GET /a HTTP/1.1", "GET /b HTTP/1.1"] == [h[0] for h in heads[:2]]
        for h in heads[:2]:
            assert "Host: www.example" in h and "Connection: close" in h
        heads = requests(modes[8082])
        assert heads[0][0] == "GET / HTTP/1.0" and heads[1][0] == "GET /maint HTTP/1.0"
        assert "Host: url.example" in heads[0]          # the url's own virtualhost
        assert "Host: www.example" in heads[1]          # else the checker's
        assert all("Connection: close" in h for h in heads[:2])
        heads = requests(modes[8083])
        assert heads[0][0] == "GET /plain HTTP/1.0"
        assert "Host: 10.99.0.2:8083" in heads[0]       # no virtualhost: the address
        assert not any(line.lower().startswith("connection:") for line in heads[0])

        # One failing url is enough, whichever it is.
        (tmp_path / "m8081.body").write_bytes(b"<html>heaLthy</html>\n")
        d.wait_log(rs_state(8081, "DOWN") + r".*digest mismatch \(digest [0-9a-f]{32} for /a\)",
                   timeout=10)
        (tmp_path / "m8082.body").write_bytes(b"<html>down for maintenance</html>\n")
        d.wait_log(rs_state(8082, "DOWN") + r".*regex mismatch \(regex matched for /maint\)",
                   timeout=10)
        (tmp_path / "m8082.body").write_bytes(PAGE)
        d.wait_log(rs_state(8082, "UP"), timeout=10, count=2)
        # A regex (extended POSIX) the body must match.
        (tmp_path / "m8084.body").write_bytes(b"<html>sick</html>\n")
        d.wait_log(rs_state(8084, "DOWN") + r".*regex mismatch \(regex did not match for /x\)",
                   timeout=10)
    finally:
        for p in procs:
            p.kill()
            p.wait()
