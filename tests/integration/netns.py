"""Network-namespace topologies for integration tests.

A Topology is a set of hosts (network namespaces) attached to one bridge that
lives in its own "switch" namespace, so nothing touches the machine's own
network.  Names carry a per-run prefix; every namespace is deleted on close,
even after a failed test.
"""
import ipaddress
import os
import subprocess


def run(cmd, check=True, ns=None, **kw):
    """Run a command (list), optionally inside namespace `ns`."""
    if ns:
        cmd = ["ip", "netns", "exec", ns] + list(cmd)
    return subprocess.run(cmd, check=check, text=True, capture_output=True, **kw)


class Host:
    def __init__(self, topo, name, ns, ifname, addr):
        self.topo = topo
        self.name = name
        self.ns = ns
        self.ifname = ifname
        self.addr = addr

    def run(self, *cmd, check=True, **kw):
        return run(cmd, check=check, ns=self.ns, **kw)

    def popen(self, cmd, **kw):
        return subprocess.Popen(["ip", "netns", "exec", self.ns] + list(cmd), **kw)

    def addresses(self, ifname=None):
        """IPv4 addresses (without prefix) on `ifname` (default: the LAN port)."""
        out = self.run("ip", "-o", "-4", "addr", "show", "dev", ifname or self.ifname).stdout
        return [line.split()[3].split("/")[0] for line in out.splitlines()]


class Topology:
    """A bridge with N hosts on 10.99.0.0/24 (first host .1, then .2, ...)."""

    def __init__(self, nhosts, subnet="10.99.0.0/24", prefix=None):
        self.prefix = prefix or "ka%d" % os.getpid()
        self.switch = self.prefix + "-sw"
        self.net = ipaddress.ip_network(subnet)
        self.hosts = []
        self._namespaces = []
        try:
            self._add_ns(self.switch)
            run(["ip", "link", "add", "br0", "type", "bridge"], ns=self.switch)
            run(["ip", "link", "set", "br0", "up"], ns=self.switch)
            for i in range(nhosts):
                self._add_host(i)
        except Exception:
            self.close()
            raise

    def _add_ns(self, name):
        run(["ip", "netns", "add", name])
        self._namespaces.append(name)
        run(["ip", "link", "set", "lo", "up"], ns=name)

    def _add_host(self, i):
        name = "h%d" % (i + 1)
        ns = "%s-%s" % (self.prefix, name)
        self._add_ns(ns)
        port = "%s-p%d" % (self.prefix[-6:], i + 1)
        run(["ip", "link", "add", "eth0", "netns", ns, "type", "veth",
             "peer", "name", port, "netns", self.switch])
        run(["ip", "link", "set", port, "master", "br0", "up"], ns=self.switch)
        addr = str(self.net.network_address + i + 1)
        run(["ip", "addr", "add", "%s/%d" % (addr, self.net.prefixlen), "dev", "eth0"], ns=ns)
        run(["ip", "link", "set", "eth0", "up"], ns=ns)
        self.hosts.append(Host(self, name, ns, "eth0", addr))

    def close(self):
        for ns in reversed(self._namespaces):
            run(["ip", "netns", "pids", ns], check=False)
            pids = run(["ip", "netns", "pids", ns], check=False).stdout.split()
            for pid in pids:
                run(["kill", "-9", pid], check=False)
            run(["ip", "netns", "del", ns], check=False)
        self._namespaces = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
