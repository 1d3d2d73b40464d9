"""A private SNMP world for the SNMP tests: Debian's snmpd as AgentX master
(its AgentX socket in the test's directory, SNMP on a free UDP port of
127.0.0.1) and snmptrapd receiving its traps on another free port of
127.0.0.1; snmpget/snmpwalk/snmptranslate with our MIB files.  Nothing
listens beyond loopback; everything stops with close()."""
import os
import signal
import socket
import subprocess
import time

from daemon import REPO, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.join(REPO, "doc")
# Debian main lacks the IETF base modules our MIBs import (SNMPv2-SMI, ...);
# use the system's when snmp-mibs-downloader installed them, else the small
# stand-ins written for these tests.
SYSTEM_IETF = "/usr/share/snmp/mibs/ietf"
BASE_MIBS = SYSTEM_IETF if os.path.exists(os.path.join(SYSTEM_IETF, "SNMPv2-SMI")) \
    else os.path.join(HERE, "mibs_base")
MIB_DIRS = BASE_MIBS + ":" + DOC
# The tools find objects by number; no MIB loading noise.
QUIET_ENV = dict(os.environ, MIBS="", MIBDIRS=MIB_DIRS)

KA = ".1.3.6.1.4.1.32473.1"
VRRP_MIB = ".1.3.6.1.2.1.68"


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def snmptranslate(*args):
    """snmptranslate with our MIB files; returns the CompletedProcess."""
    cmd = ["snmptranslate", "-M", MIB_DIRS, "-m", "KEEPALIVED-MIB:VRRP-MIB"] + list(args)
    return subprocess.run(cmd, text=True, capture_output=True, timeout=30)


class SnmpLab:
    def __init__(self, workdir):
        self.dir = str(workdir)
        os.makedirs(self.dir, exist_ok=True)
        self.socket = os.path.join(self.dir, "agentx.sock")
        self.port = free_udp_port()
        self.trap_port = free_udp_port()
        self.trap_log = os.path.join(self.dir, "traps.log")
        self.snmpd = None
        self.trapd = None
        self._write_configs()

    def _write_configs(self):
        with open(os.path.join(self.dir, "snmpd.conf"), "w") as f:
            f.write("agentAddress udp:127.0.0.1:%d\n" % self.port)
            f.write("master agentx\n")
            f.write("agentXSocket unix:%s\n" % self.socket)
            f.write("rocommunity public 127.0.0.1\n")
            f.write("trap2sink 127.0.0.1:%d public\n" % self.trap_port)
        with open(os.path.join(self.dir, "snmptrapd.conf"), "w") as f:
            f.write("disableAuthorization yes\n")

    def start_snmpd(self):
        log = os.path.join(self.dir, "snmpd.log")
        self.snmpd = subprocess.Popen(
            ["snmpd", "-f", "-Lf", log, "-C", "-c", os.path.join(self.dir, "snmpd.conf"),
             "-p", os.path.join(self.dir, "snmpd.pid")],
            env=QUIET_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(self.socket), timeout=10, what="snmpd's AgentX socket")
        return self

    def stop_snmpd(self):
        if self.snmpd and self.snmpd.poll() is None:
            self.snmpd.send_signal(signal.SIGTERM)
            self.snmpd.wait(timeout=10)
        self.snmpd = None
        if os.path.exists(self.socket):
            os.unlink(self.socket)

    def start_trapd(self):
        self.trapd = subprocess.Popen(
            ["snmptrapd", "-f", "-Lf", self.trap_log, "-C", "-c",
             os.path.join(self.dir, "snmptrapd.conf"), "-On",
             "udp:127.0.0.1:%d" % self.trap_port],
            env=QUIET_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(self.trap_log), timeout=10, what="snmptrapd's log")
        return self

    def close(self):
        self.stop_snmpd()
        if self.trapd and self.trapd.poll() is None:
            self.trapd.send_signal(signal.SIGTERM)
            self.trapd.wait(timeout=10)

    # ---- queries: {numeric OID: value text} -------------------------------

    def _query(self, tool, oids):
        cmd = [tool, "-v2c", "-c", "public", "-On", "-Oe", "-Oq", "-t", "2", "-r", "1",
               "127.0.0.1:%d" % self.port] + list(oids)
        p = subprocess.run(cmd, text=True, capture_output=True, timeout=30, env=QUIET_ENV)
        values = {}
        for line in p.stdout.splitlines():
            name, _, value = line.partition(" ")
            values[name] = value.strip().strip('"')
        return values

    def walk(self, oid):
        return self._query("snmpwalk", [oid])

    def get(self, *oids):
        return self._query("snmpget", oids)

    def wait_value(self, oid, expected, timeout=10.0):
        """Poll until `oid` reads `expected` (text); returns it."""
        seen = {}

        def ok():
            seen["v"] = self.get(oid).get(oid)
            return seen["v"] == expected
        try:
            wait_for(ok, timeout=timeout, interval=0.3, what="%s = %s" % (oid, expected))
        except AssertionError as e:
            raise AssertionError("%s; last value %r" % (e, seen.get("v"))) from None
        return expected

    # ---- traps ------------------------------------------------------------

    def traps(self):
        """Each received notification as {OID: value}, in arrival order."""
        try:
            with open(self.trap_log, errors="replace") as f:
                text = f.read()
        except FileNotFoundError:
            return []
        out = []
        for line in text.splitlines():
            if not line.startswith(".1.3.6.1.2.1.1.3.0"):
                continue
            vbs = {}
            for vb in line.split("\t"):
                name, _, value = vb.partition(" = ")
                vbs[name.strip()] = value.split(": ", 1)[-1].strip().strip('"')
            out.append(vbs)
        return out

    def wait_trap(self, trap_oid, match=None, timeout=10.0):
        """Wait for a notification `trap_oid` whose varbinds include `match`."""
        def find():
            for t in self.traps():
                if t.get(".1.3.6.1.6.3.1.1.4.1.0") != trap_oid:
                    continue
                if all(t.get(k) == v for k, v in (match or {}).items()):
                    return t
            return None
        try:
            return wait_for(find, timeout=timeout, interval=0.2,
                            what="trap %s with %s" % (trap_oid, match))
        except AssertionError as e:
            raise AssertionError("%s; traps received: %s" % (e, self.traps())) from None


class HungMaster:
    """A unix socket that accepts AgentX connections and never answers,
    as a stopped snmpd would."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(64)     # the kernel completes the connections; nobody reads

    def close(self):
        self.sock.close()
        os.unlink(self.path)


def ifindex(host, ifname="eth0"):
    out = host.run("cat", "/sys/class/net/%s/ifindex" % ifname).stdout
    return int(out.strip())


def tcp_listener(host, port):
    """A TCP server in `host`'s namespace that accepts and closes connections."""
    code = ("import socket\n"
            "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
            "s.bind(('%s', %d)); s.listen(16)\n"
            "while True:\n"
            "    c, _ = s.accept(); c.close()\n") % (host.addr, port)
    p = host.popen(["/usr/bin/python3", "-c", code])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        out = host.run("ss", "-ltn", check=False).stdout
        if ":%d " % port in out:
            return p
        time.sleep(0.1)
    p.kill()
    raise AssertionError("the TCP listener on port %d did not start" % port)
