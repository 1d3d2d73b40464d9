"""A NAT load-balancing lab for the checker tests, in network namespaces:

    client h5 (10.99.1.5)  --- LAN 1 ---  director h1 (10.99.1.1, VIP 10.99.1.100)
                                           |  (10.99.0.1)
    real servers h2..h4 (10.99.0.2-4) --- LAN 0

The real servers route back through the director (NAT), the client only
reaches the VIP.  Everything about IPVS is read with ipvsadm in the
director's namespace (IPVS tables are per namespace)."""
import os
import re
import subprocess
import time

from daemon import wait_for
from netns import Topology

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"
VIP = "10.99.1.100"
RS = {"h2": "10.99.0.2", "h3": "10.99.0.3", "h4": "10.99.0.4"}
SORRY = "10.99.0.9"


class Lab:
    def __init__(self, prefix):
        self.topo = Topology(5, lans=2, prefix=prefix)
        h = {x.name: x for x in self.topo.hosts}
        self.director, self.client = h["h1"], h["h5"]
        self.rs = {n: h[n] for n in RS}
        self.servers = {}
        d = self.director
        d.run("sysctl", "-qw", "net.ipv4.ip_forward=1")
        d.run("ip", "addr", "add", VIP + "/24", "dev", "eth1")
        for host in self.rs.values():
            host.run("ip", "link", "set", "eth1", "down")
            host.run("ip", "route", "add", "default", "via", "10.99.0.1")
        self.client.run("ip", "link", "set", "eth0", "down")
        self.client.run("ip", "route", "add", "default", "via", "10.99.1.1")

    def start_rs(self, name, port=80):
        p = self.rs[name].popen([PYTHON, os.path.join(HERE, "rs_server.py"), name, str(port)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert p.stdout.readline().strip() == b"listening"
        self.servers[name] = p

    def stop_rs(self, name):
        p = self.servers.pop(name)
        p.kill()
        p.wait()

    def table(self, extra=()):
        """{"TCP 10.99.1.100:80 rr": {"10.99.0.2:80": ("Masq", 1), ...}}"""
        out = self.director.run("ipvsadm", "-Ln", *extra).stdout
        table, svc = {}, None
        for line in out.splitlines():
            m = re.match(r"^(TCP|UDP|SCTP|FWM)\s+(\S+)\s+(\S+)(.*)$", line)
            if m:
                svc = "%s %s %s%s" % (m.group(1), m.group(2), m.group(3), m.group(4).rstrip())
                table[svc] = {}
                continue
            m = re.match(r"^\s+->\s+(\S+)\s+(\S+)\s+(\d+)", line)
            if m and svc and m.group(1) != "RemoteAddress:Port":
                table[svc][m.group(1)] = (m.group(2), int(m.group(3)))
        return table

    def wait_table(self, expected, timeout=30.0):
        return wait_for(lambda: self.table() == expected, timeout=timeout, interval=0.3,
                        what="IPVS table %s (now %s)" % (expected, self.table()))

    def service_conns(self, svc="TCP  %s:80" % VIP):
        """The connection counter of the VIP's service (ipvsadm --stats)."""
        out = self.director.run("ipvsadm", "-Ln", "--stats").stdout
        for line in out.splitlines():
            if line.startswith("TCP") and VIP in line:
                return int(line.split()[2])
        return None

    def ask(self, n=1):
        """Open n connections to the VIP from the client; the greetings."""
        code = ("import socket,sys\n"
                "for i in range(%d):\n"
                "    s=socket.create_connection(('%s',80),timeout=5)\n"
                "    print(s.makefile().readline().strip()); s.close()\n" % (n, VIP))
        return self.client.run(PYTHON, "-c", code, timeout=60).stdout.split()

    def close(self):
        for p in self.servers.values():
            p.kill()
            p.wait()
        self.topo.close()


class LongConnection:
    """A client connection through the VIP kept open across events."""

    def __init__(self, lab):
        code = ("import socket,sys\n"
                "s=socket.create_connection(('%s',80),timeout=10)\n"
                "f=s.makefile('rwb',buffering=0)\n"
                "sys.stdout.write(f.readline().decode()); sys.stdout.flush()\n"
                "for line in sys.stdin:\n"
                "    f.write(line.encode()); sys.stdout.write(f.readline().decode());"
                " sys.stdout.flush()\n" % VIP)
        self.p = lab.client.popen([PYTHON, "-c", code], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.server = self.p.stdout.readline().decode().strip()

    def echo(self, text):
        self.p.stdin.write((text + "\n").encode())
        self.p.stdin.flush()
        return self.p.stdout.readline().decode().strip()

    def close(self):
        self.p.kill()
        self.p.wait()


def config(extra_vs=(), weights=(1, 2, 3), inhibit=("h3",), delay_loop=1):
    rs = []
    for (name, addr), w in zip(sorted(RS.items()), weights):
        rs += ["    real_server %s 80 {" % addr, "        weight %d" % w]
        if name in inhibit:
            rs.append("        inhibit_on_failure")
        rs += ["        TCP_CHECK {", "            connect_timeout 1",
               "            retry 1", "            delay_before_retry 1", "        }", "    }"]
    lines = ["global_defs {", "    router_id director", "}",
             "virtual_server %s 80 {" % VIP, "    delay_loop %d" % delay_loop,
             "    lb_algo rr", "    lb_kind NAT", "    protocol TCP",
             "    sorry_server %s 80" % SORRY] + ["    " + e for e in extra_vs] + rs + ["}"]
    return "\n".join(lines) + "\n"


SERVICE = "TCP %s:80 rr" % VIP


def healthy(weights=(1, 2, 3)):
    return {SERVICE: {"%s:80" % a: ("Masq", w) for a, w in zip(sorted(RS.values()), weights)}}


def time_since(t0):
    return time.monotonic() - t0
