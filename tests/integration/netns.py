"""Network-namespace topologies for integration tests.

A Topology is a set of hosts (network namespaces) attached to one bridge that
lives in its own "switch" namespace, so nothing touches the machine's own
network.  Names carry a per-run prefix; every namespace is deleted on close,
even after a failed test.

Optional extras (the defaults keep the original single-LAN layout):
- lans=N: N bridges br0..br{N-1}; every host gets eth0..eth{N-1}, LAN i on
  10.99.i.0/24 (LAN 0 on `subnet`), host k at .k on every LAN;
- observer=True: one more namespace ("obs") with a port on every LAN and no
  IPv4 address, so it never answers anything: the place to capture traffic
  and to inject forged packets from.
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
        self.ifaces = {ifname: addr}  # every LAN port -> its IPv4 address (None: none)

    def run(self, *cmd, check=True, **kw):
        return run(cmd, check=check, ns=self.ns, **kw)

    def popen(self, cmd, **kw):
        return subprocess.Popen(["ip", "netns", "exec", self.ns] + list(cmd), **kw)

    def addresses(self, ifname=None):
        """IPv4 addresses (without prefix) on `ifname` (default: the LAN port)."""
        out = self.run("ip", "-o", "-4", "addr", "show", "dev", ifname or self.ifname).stdout
        return [line.split()[3].split("/")[0] for line in out.splitlines()]

    def has_addr(self, addr, ifname=None):
        return addr in self.addresses(ifname)

    def mac(self, ifname=None):
        # `ip netns exec` mounts the namespace's own /sys.
        out = self.run("cat", "/sys/class/net/%s/address" % (ifname or self.ifname)).stdout
        return out.strip()

    def link(self, up, ifname=None):
        """Set a LAN port administratively up or down (from inside the host)."""
        self.run("ip", "link", "set", ifname or self.ifname, "up" if up else "down")

    def carrier(self, up, lan=0):
        """Pull or restore the cable: set the switch side of the host's port on
        LAN `lan` down/up, so the host sees its carrier go (the link stays
        administratively up inside the host)."""
        port = self.topo.port_name(self, lan)
        run(["ip", "link", "set", port, "up" if up else "down"], ns=self.topo.switch)

    def isolate(self, on, lan=0):
        """Split the LAN without touching any link: an isolated bridge port
        reaches only non-isolated ones, so two isolated hosts no longer hear
        each other (the observer, never isolated, still hears both)."""
        port = self.topo.port_name(self, lan)
        run(["bridge", "link", "set", "dev", port, "isolated", "on" if on else "off"],
            ns=self.topo.switch)


class Topology:
    """A bridge with N hosts on 10.99.0.0/24 (first host .1, then .2, ...)."""

    def __init__(self, nhosts, subnet="10.99.0.0/24", prefix=None, lans=1, observer=False):
        self.prefix = prefix or "ka%d" % os.getpid()
        self.switch = self.prefix + "-sw"
        self.net = ipaddress.ip_network(subnet)
        # LAN i > 0 is the /24 (or whatever size) i blocks above LAN 0 on the third octet.
        self.nets = [self.net] + [
            ipaddress.ip_network("%s/%d" % (self.net.network_address + 256 * i, self.net.prefixlen))
            for i in range(1, lans)]
        self.lans = lans
        self.hosts = []
        self.observer = None
        self._ports = {}
        self._namespaces = []
        try:
            self._add_ns(self.switch)
            for lan in range(lans):
                br = "br%d" % lan
                run(["ip", "link", "add", br, "type", "bridge"], ns=self.switch)
                # Forward at once (no STP listening delay) and flood all multicast.
                run(["ip", "link", "set", br, "type", "bridge", "forward_delay", "0",
                     "mcast_snooping", "0"], ns=self.switch, check=False)
                run(["ip", "link", "set", br, "up"], ns=self.switch)
            for i in range(nhosts):
                self._add_host(i)
            if observer:
                self._add_observer()
        except Exception:
            self.close()
            raise

    def _add_ns(self, name):
        run(["ip", "netns", "add", name])
        self._namespaces.append(name)
        run(["ip", "link", "set", "lo", "up"], ns=name)

    def _plug(self, ns, lan, port, addr):
        ifname = "eth%d" % lan
        run(["ip", "link", "add", ifname, "netns", ns, "type", "veth",
             "peer", "name", port, "netns", self.switch])
        run(["ip", "link", "set", port, "master", "br%d" % lan, "up"], ns=self.switch)
        if addr:
            run(["ip", "addr", "add", "%s/%d" % (addr, self.nets[lan].prefixlen),
                 "dev", ifname], ns=ns)
        run(["ip", "link", "set", ifname, "up"], ns=ns)

    def _add_host(self, i):
        name = "h%d" % (i + 1)
        ns = "%s-%s" % (self.prefix, name)
        self._add_ns(ns)
        addr = str(self.net.network_address + i + 1)
        host = Host(self, name, ns, "eth0", addr)
        for lan in range(self.lans):
            # LAN 0 keeps the original port name "<prefix>-p<k>".
            port = "%s-%s%d" % (self.prefix[-6:], "pqrstuvw"[lan], i + 1)
            lan_addr = str(self.nets[lan].network_address + i + 1)
            self._plug(ns, lan, port, lan_addr)
            host.ifaces["eth%d" % lan] = lan_addr
            self._ports[(name, lan)] = port
        self.hosts.append(host)

    def _add_observer(self):
        ns = "%s-obs" % self.prefix
        self._add_ns(ns)
        host = Host(self, "obs", ns, "eth0", None)
        for lan in range(self.lans):
            port = "%s-o%d" % (self.prefix[-6:], lan)
            self._plug(ns, lan, port, None)
            host.ifaces["eth%d" % lan] = None
            self._ports[("obs", lan)] = port
        self.observer = host

    def port_name(self, host, lan=0):
        """The switch-side veth of `host` on LAN `lan`."""
        return self._ports[(host.name, lan)]

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
