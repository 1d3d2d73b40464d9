"""Helpers for the VRRP integration tests: everything is observed from
OUTSIDE the daemons.

- which implementation runs a node (VRRP_IMPL=ours|debian, default ours);
- keepalived.conf builders (keepalived syntax, so both implementations
  read the same file);
- who holds a VIP (`ip addr` in each namespace), polling with deadlines;
- packet capture with tcpdump in the observer namespace, and a small
  decoder for VRRPv2 adverts and ARP (standard library; tolerant of a
  capture file that is still being written);
- VRRP packet builders (valid and deliberately broken) and a sender that
  injects raw frames from a namespace (send_vrrp.py), frames built with scapy;
- process helpers: kill -9 of a whole daemon, liveness of its processes.
"""
import os
import signal
import socket
import struct
import subprocess
import tempfile
import time

from daemon import IMPLS, Daemon, pid_alive, wait_for
from netns import Topology

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"

VRRP_GROUP = "224.0.0.18"
VRRP_GROUP_MAC = "01:00:5e:00:00:12"
PROTO_VRRP = 112
ETH_P_IP = 0x0800
ETH_P_ARP = 0x0806

VIP = "10.99.0.100"
VIP_CIDR = VIP + "/24"
PASSWORD = "secret"


# ---------------------------------------------------------------------------
# implementation selection

def default_impl():
    """The implementation the (non-interop) VRRP tests run: VRRP_IMPL or ours."""
    impl = os.environ.get("VRRP_IMPL", "ours")
    if impl not in IMPLS:
        raise ValueError("VRRP_IMPL must be one of %s, not %r" % (sorted(IMPLS), impl))
    return impl


def impl_available(impl):
    return os.access(IMPLS[impl], os.X_OK)


# ---------------------------------------------------------------------------
# configuration

def global_defs(router_id, scripts=False, extra=()):
    lines = ["global_defs {", "    router_id %s" % router_id]
    if scripts:
        # keepalived runs scripts as root only when told to, and then insists
        # that scripts and their directories are not writable by anyone else.
        lines += ["    script_user root", "    enable_script_security"]
    lines += ["    " + e for e in extra]
    lines.append("}")
    return "\n".join(lines) + "\n"


def vrrp_instance(name="VI_1", interface="eth0", vrid=51, priority=100, vips=(VIP_CIDR,),
                  state="BACKUP", advert_int=1, auth_pass=PASSWORD, nopreempt=False,
                  track_interface=(), track_script=(), notify=None, extra=()):
    """One vrrp_instance block.  notify: {"notify_master": "/path", ...}."""
    lines = ["vrrp_instance %s {" % name,
             "    state %s" % state,
             "    interface %s" % interface,
             "    virtual_router_id %d" % vrid,
             "    priority %d" % priority,
             "    advert_int %s" % advert_int]
    if nopreempt:
        lines.append("    nopreempt")
    if auth_pass is not None:
        lines += ["    authentication {", "        auth_type PASS",
                  "        auth_pass %s" % auth_pass, "    }"]
    lines.append("    virtual_ipaddress {")
    lines += ["        %s" % v for v in vips]
    lines.append("    }")
    if track_interface:
        lines.append("    track_interface {")
        lines += ["        %s" % i for i in track_interface]
        lines.append("    }")
    if track_script:
        lines.append("    track_script {")
        lines += ["        %s" % s for s in track_script]
        lines.append("    }")
    for key, path in (notify or {}).items():
        lines.append('    %s "%s"' % (key, path))
    lines += ["    " + e for e in extra]
    lines.append("}")
    return "\n".join(lines) + "\n"


def vrrp_script(name, script, interval=1, weight=None, fall=None, rise=None):
    lines = ["vrrp_script %s {" % name, '    script "%s"' % script.replace('"', '\\"'),
             "    interval %d" % interval]
    if weight is not None:
        lines.append("    weight %d" % weight)
    if fall is not None:
        lines.append("    fall %d" % fall)
    if rise is not None:
        lines.append("    rise %d" % rise)
    lines.append("}")
    return "\n".join(lines) + "\n"


def sync_group(name, members, extra=()):
    lines = ["vrrp_sync_group %s {" % name, "    group {"]
    lines += ["        %s" % m for m in members]
    lines.append("    }")
    lines += ["    " + e for e in extra]
    lines.append("}")
    return "\n".join(lines) + "\n"


def secure_dir(parent, prefix="scripts"):
    """A root-owned 0755 directory for scripts and the files they write
    (keepalived's script security refuses group/other-writable paths)."""
    path = tempfile.mkdtemp(prefix=prefix + "-", dir=str(parent))
    os.chmod(path, 0o755)
    return path


def write_script(directory, name, body):
    """A root-owned 0755 /bin/sh script; returns its path."""
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body.rstrip("\n") + "\n")
    os.chmod(path, 0o755)
    return path


# ---------------------------------------------------------------------------
# nodes

def start_node(daemon, host, config_text, impl=None, name=None, start=True):
    """Start keepalived (VRRP only, -P) in `host`'s namespace with `impl`
    (default: VRRP_IMPL).  `daemon` is the conftest factory."""
    impl = impl or default_impl()
    return daemon(config_text, netns=host.ns, impl=impl, name=name or host.name,
                  extra_args=["-P"], start=start)


class Cluster:
    """A topology (with observer) and its daemons, for module-scoped fixtures
    (the conftest factories are per test).  close() stops and removes all."""

    def __init__(self, workdir, nhosts, prefix, lans=1):
        self.workdir = str(workdir)
        os.makedirs(self.workdir, exist_ok=True)
        self.topo = Topology(nhosts, prefix=prefix, lans=lans, observer=True)
        self.hosts = self.topo.hosts
        self.observer = self.topo.observer
        self.daemons = []
        self.captures = []

    def start(self, host, config_text, impl=None):
        workdir = os.path.join(self.workdir, host.name)
        os.makedirs(workdir, exist_ok=True)
        d = Daemon(workdir, config_text, netns=host.ns, impl=impl or default_impl(),
                   extra_args=["-P"])
        self.daemons.append(d)
        return d.start()

    def capture(self, ifname="eth0", bpf="ip proto 112 or arp"):
        c = Capture(self.observer, ifname=ifname, bpf=bpf, directory=self.workdir)
        self.captures.append(c)
        return c.start()

    def close(self):
        for c in self.captures:
            c.stop()
        for d in self.daemons:
            if d.proc and d.proc.poll() is None:
                d.proc.send_signal(signal.SIGTERM)
        for d in self.daemons:
            d.stop()
        self.topo.close()


def process_tree(pid):
    """pid and all its descendants (via /proc/PID/task/PID/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open("/proc/%d/task/%d/children" % (p, p)) as f:
                todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            pass
    return out


def kill9(d):
    """Crash a node: SIGSTOP every keepalived process of daemon `d` first (so
    neither the parent respawns the child nor the child notices the parent
    dying and shuts down cleanly), then SIGKILL them all.  Nothing is cleaned
    up: the VIPs stay configured where they were."""
    pids = process_tree(d.proc.pid)
    for p in pids:
        try:
            os.kill(p, signal.SIGSTOP)
        except ProcessLookupError:
            pass
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    d.proc.wait(timeout=10)
    wait_for(lambda: not any(pid_alive(p) for p in pids), timeout=5, what="all processes gone")
    return pids


def daemon_processes(d):
    """(parent pid, vrrp child pid) once both exist and are alive."""
    def both():
        parent, child = d.proc.pid, d.vrrp_pid()
        if d.proc.poll() is None and child and pid_alive(child):
            return parent, child
        return None
    return wait_for(both, timeout=10, what="keepalived parent and VRRP child running")


# ---------------------------------------------------------------------------
# who holds the VIP (the VRRP state as seen from outside)

class Lazy:
    """A message computed only when shown (wait_for formats `what` on timeout)."""

    def __init__(self, fn):
        self.fn = fn

    def __str__(self):
        return self.fn()


def has_vip(host, vip=VIP, ifname=None):
    return vip in host.addresses(ifname)


def vip_holders(hosts, vip=VIP, ifname=None):
    return [h.name for h in hosts if has_vip(h, vip, ifname)]


def wait_vip(host, vip=VIP, present=True, timeout=10.0, ifname=None):
    """Wait until `vip` is (or is not) on `host`; returns the time it took."""
    t0 = time.monotonic()
    wait_for(lambda: has_vip(host, vip, ifname) == present, timeout=timeout, interval=0.05,
             what=Lazy(lambda: "%s %s on %s (%s); addresses now: %s" % (
                 vip, "present" if present else "absent", host.name, ifname or host.ifname,
                 host.addresses(ifname))))
    return time.monotonic() - t0


def wait_sole_holder(host, hosts, vip=VIP, timeout=10.0, ifname=None):
    """Wait until `host` holds `vip` and no other of `hosts` does."""
    t0 = time.monotonic()
    wait_for(lambda: vip_holders(hosts, vip, ifname) == [host.name], timeout=timeout,
             interval=0.05,
             what=Lazy(lambda: "%s held by %s only (holders now: %s)" % (
                 vip, host.name, vip_holders(hosts, vip, ifname))))
    return time.monotonic() - t0


def hold(predicate, duration, interval=0.1, what="condition"):
    """Assert that `predicate` stays true for `duration` seconds."""
    t0 = time.monotonic()
    deadline = t0 + duration
    while True:
        ok = predicate()
        assert ok, "%s stopped holding after %.2f s" % (what, time.monotonic() - t0)
        if time.monotonic() >= deadline:
            return
        time.sleep(interval)


# ---------------------------------------------------------------------------
# checksums and packet builders

def inet_checksum(data):
    """RFC 1071 16-bit one's complement of the one's complement sum."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def auth_data(password):
    """VRRPv2 PASS authentication data: the password NUL-padded to 8 octets."""
    raw = password.encode() if isinstance(password, str) else password
    return raw[:8].ljust(8, b"\0")


def vrrp_v2(vrid=51, priority=100, addrs=(VIP,), auth_type=1, password=PASSWORD,
            adver_int=1, version=2, type_=1, count=None, checksum=None):
    """A VRRPv2 advertisement (RFC 3768 5.1).  count/checksum override the
    computed values (to forge broken packets)."""
    body = struct.pack("!BBBBBBH", (version << 4) | type_, vrid, priority,
                       len(addrs) if count is None else count, auth_type, adver_int, 0)
    body += b"".join(socket.inet_aton(a) for a in addrs)
    body += auth_data(password) if auth_type == 1 else b"\0" * 8
    csum = inet_checksum(body) if checksum is None else checksum
    return body[:6] + struct.pack("!H", csum) + body[8:]


def vrrp_v3(src, vrid=51, priority=100, addrs=(VIP,), adver_int_cs=100, dst=VRRP_GROUP):
    """A VRRPv3 IPv4 advertisement (RFC 5798 5.1) with the pseudo-header checksum."""
    body = struct.pack("!BBBBHH", 0x31, vrid, priority, len(addrs), adver_int_cs & 0x0FFF, 0)
    body += b"".join(socket.inet_aton(a) for a in addrs)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack(
        "!BBH", 0, PROTO_VRRP, len(body))
    csum = inet_checksum(pseudo + body)
    return body[:6] + struct.pack("!H", csum) + body[8:]


def carp_like(vhid=51, advskew=0, demote=1, advbase=1):
    """36 octets shaped like a CARP advert (RFC-less OpenBSD protocol): first
    octet 0x21 like VRRPv2, authlen 7 in the 'count' position, so parsed as
    VRRPv2 it claims 7 addresses and needs 44 octets (reference 2.6)."""
    body = struct.pack("!BBBBBBH", 0x21, vhid, advskew, 7, demote, advbase, 0)
    body += bytes(range(1, 9))  # counter
    body += bytes(range(0xA0, 0xA0 + 20))  # HMAC-SHA1
    csum = inet_checksum(body)
    return body[:6] + struct.pack("!H", csum) + body[8:]


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def ip_frame(payload, src_ip, src_mac, ttl=255, dst_ip=VRRP_GROUP, proto=PROTO_VRRP,
             dst_mac=VRRP_GROUP_MAC):
    """Ethernet + IPv4 around `payload`, built with scapy (IP checksum and
    total length computed from the payload as given)."""
    from scapy.layers.inet import IP
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw
    pkt = Ether(src=src_mac, dst=dst_mac) / IP(src=src_ip, dst=dst_ip, ttl=ttl, proto=proto) \
        / Raw(load=payload)
    return bytes(pkt)


def write_frames(path, frames):
    with open(path, "wb") as f:
        for fr in frames:
            f.write(struct.pack("!H", len(fr)) + fr)


class Sender:
    """Frames being injected from a namespace by send_vrrp.py (running)."""

    def __init__(self, host, frames, ifname="eth0", interval=0.0, workdir=None):
        fd, self.path = tempfile.mkstemp(prefix="frames-", suffix=".bin", dir=workdir)
        os.close(fd)
        write_frames(self.path, frames)
        self.count = len(frames)
        self.proc = host.popen([PYTHON, os.path.join(HERE, "send_vrrp.py"), ifname, self.path,
                                repr(interval)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)

    def running(self):
        return self.proc.poll() is None

    def wait(self, timeout=120):
        """Wait for the end; returns how many frames were sent."""
        try:
            out, err = self.proc.communicate(timeout=timeout)
        finally:
            if os.path.exists(self.path):
                os.unlink(self.path)
        if self.proc.returncode != 0:
            raise RuntimeError("send_vrrp.py failed (%d): %s" % (self.proc.returncode, err))
        return int(out.strip())


def send_frames(host, frames, ifname="eth0", interval=0.0, workdir=None):
    """Inject raw frames from `host`'s namespace; returns how many were sent."""
    return Sender(host, frames, ifname, interval, workdir).wait()


# ---------------------------------------------------------------------------
# capture and decoding

def read_pcap(path):
    """[(timestamp, frame bytes)] from a pcap file, ignoring a last record
    that is still being written."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return []
    if len(data) < 24:
        return []
    magic_le = struct.unpack("<I", data[:4])[0]
    if magic_le in (0xA1B2C3D4, 0xA1B23C4D):
        endian, magic = "<", magic_le
    else:
        endian, magic = ">", struct.unpack(">I", data[:4])[0]
    frac = 1e-9 if magic == 0xA1B23C4D else 1e-6
    rec = struct.Struct(endian + "IIII")
    out, off = [], 24
    while off + rec.size <= len(data):
        sec, sub, incl, _orig = rec.unpack_from(data, off)
        if off + rec.size + incl > len(data):
            break
        out.append((sec + sub * frac, data[off + rec.size:off + rec.size + incl]))
        off += rec.size + incl
    return out


def fmt_mac(b):
    return ":".join("%02x" % x for x in b)


class Advert:
    """A captured IPv4 VRRP packet, decoded field by field (RFC 3768 5.1)."""

    def __init__(self, ts, frame):
        self.time = ts
        self.dst_mac = fmt_mac(frame[0:6])
        self.src_mac = fmt_mac(frame[6:12])
        ip = frame[14:]
        ihl = (ip[0] & 0x0F) * 4
        self.ip_version = ip[0] >> 4
        self.ip_len = struct.unpack("!H", ip[2:4])[0]
        self.ttl = ip[8]
        self.proto = ip[9]
        self.src = socket.inet_ntoa(ip[12:16])
        self.dst = socket.inet_ntoa(ip[16:20])
        self.ip_header_ok = inet_checksum(ip[:ihl]) == 0
        p = ip[ihl:self.ip_len]
        self.payload = p
        self.version = p[0] >> 4 if p else None
        self.type = p[0] & 0x0F if p else None
        self.vrid, self.priority, self.count, self.auth_type, self.adver_int = (
            struct.unpack("!BBBBB", p[1:6]) if len(p) >= 6 else (None,) * 5)
        self.checksum = struct.unpack("!H", p[6:8])[0] if len(p) >= 8 else None
        # VRRPv3 (RFC 5798 5.2.5): 4 reserved bits, 12 bits of centiseconds.
        self.max_adver_int_cs = ((p[4] & 0x0F) << 8 | p[5]) if len(p) >= 6 else None
        self.raw = bytes(p)
        n = self.count or 0
        self.addrs = [socket.inet_ntoa(p[8 + 4 * i:12 + 4 * i]) for i in range(n)
                      if len(p) >= 12 + 4 * i]
        self.auth_data = p[8 + 4 * n:16 + 4 * n]

    @property
    def checksum_ok(self):
        return inet_checksum(self.payload) == 0

    def recomputed_checksum(self):
        return inet_checksum(self.payload[:6] + b"\0\0" + self.payload[8:])

    def __repr__(self):
        return ("Advert(t=%.3f %s>%s ttl=%d v%s t%s vrid=%s prio=%s count=%s auth=%s int=%s "
                "addrs=%s)" % (self.time, self.src, self.dst, self.ttl, self.version, self.type,
                               self.vrid, self.priority, self.count, self.auth_type,
                               self.adver_int, self.addrs))


class Arp:
    def __init__(self, ts, frame):
        self.time = ts
        self.dst_mac = fmt_mac(frame[0:6])
        self.src_mac = fmt_mac(frame[6:12])
        a = frame[14:]
        self.op = struct.unpack("!H", a[6:8])[0]
        self.sha = fmt_mac(a[8:14])
        self.spa = socket.inet_ntoa(a[14:18])
        self.tha = fmt_mac(a[18:24])
        self.tpa = socket.inet_ntoa(a[24:28])

    @property
    def gratuitous(self):
        return self.spa == self.tpa

    def __repr__(self):
        return "Arp(t=%.3f op=%d %s/%s -> %s/%s from %s)" % (
            self.time, self.op, self.sha, self.spa, self.tha, self.tpa, self.src_mac)


def decode(frames):
    """Adverts (IPv4 protocol 112) and ARP packets among captured frames."""
    out = []
    for ts, fr in frames:
        if len(fr) < 14:
            continue
        etype = struct.unpack("!H", fr[12:14])[0]
        if etype == ETH_P_IP and len(fr) >= 34 and fr[14 + 9] == PROTO_VRRP:
            out.append(Advert(ts, fr))
        elif etype == ETH_P_ARP and len(fr) >= 42:
            out.append(Arp(ts, fr))
    return out


class Capture:
    """tcpdump -w in a namespace (normally the observer), read while it runs."""

    # Bytes kept per packet (0: all).  In immediate mode every ring slot is
    # snaplen bytes, so the default leaves few slots: a capture of bursts
    # (bench/vrrp_many.py) sets a small one.
    snaplen = 0

    def __init__(self, host, ifname="eth0", bpf="ip proto 112 or arp", directory=None):
        self.host = host
        self.ifname = ifname
        self.bpf = bpf
        fd, self.path = tempfile.mkstemp(prefix="cap-%s-%s-" % (host.name, ifname),
                                         suffix=".pcap", dir=directory)
        os.close(fd)
        self.errpath = self.path + ".err"
        self.proc = None
        self.t0 = None

    def start(self):
        self._err = open(self.errpath, "wb")
        # --immediate-mode: no kernel buffering delay; -U: write each packet
        # to the file at once; -Z root: keep the right to write the file.
        self.proc = self.host.popen(["tcpdump", "-i", self.ifname, "-n", "--immediate-mode",
                                     "-U", "-s", str(self.snaplen), "-Z", "root", "-w", self.path,
                                     self.bpf],
                                    stdout=subprocess.DEVNULL, stderr=self._err)
        wait_for(lambda: self.proc.poll() is not None or b"listening on" in self._errtext(),
                 timeout=10, what="tcpdump to start")
        if self.proc.poll() is not None:
            raise RuntimeError("tcpdump failed: %s" % self._errtext().decode(errors="replace"))
        self.t0 = time.time()
        return self

    def _errtext(self):
        with open(self.errpath, "rb") as f:
            return f.read()

    def frames(self):
        return read_pcap(self.path)

    def packets(self):
        return decode(self.frames())

    def adverts(self, vrid=None, src=None, since=None, priority=None):
        return [p for p in self.packets() if isinstance(p, Advert)
                and (vrid is None or p.vrid == vrid) and (src is None or p.src == src)
                and (since is None or p.time >= since)
                and (priority is None or p.priority == priority)]

    def arps(self, since=None):
        return [p for p in self.packets() if isinstance(p, Arp)
                and (since is None or p.time >= since)]

    def garps(self, vip, mac=None, since=None):
        """Gratuitous ARPs announcing `vip` (sender IP = target IP = vip)."""
        return [a for a in self.arps(since) if a.gratuitous and a.spa == vip
                and (mac is None or a.sha == mac)]

    def wait_adverts(self, n=1, timeout=10.0, what=None, **kw):
        """Wait for at least n adverts matching kw; return them all."""
        return wait_for(lambda: (lambda a: a if len(a) >= n else None)(self.adverts(**kw)),
                        timeout=timeout, interval=0.05,
                        what=what or "%d advert(s) matching %s" % (n, kw))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self._err.close()
        return self

    def close(self):
        self.stop()
        for p in (self.path, self.errpath):
            try:
                os.unlink(p)
            except FileNotFoundError:
                pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def intervals(adverts):
    return [b.time - a.time for a, b in zip(adverts, adverts[1:])]


def master_down_interval(priority, advert_int=1):
    """RFC 3768 6.1: 3 * Advertisement_Interval + Skew_Time (V2-R19/R20)."""
    return 3 * advert_int + (256 - priority) / 256.0


def skew_time(priority):
    return (256 - priority) / 256.0


def v3_master_down_interval(priority, advert_int):
    """RFC 5798 6.1: 3 * Master_Adver_Interval + Skew_Time, where the skew
    scales with the interval (V3-R08)."""
    return 3 * advert_int + (256 - priority) * advert_int / 256.0


def v3_checksum_forms(advert):
    """Which VRRPv3 IPv4 checksum forms a captured advert satisfies:
    "pseudo" (IPv4 pseudo-header + message, keepalived's default) and/or
    "plain" (message only, RFC 9568)."""
    n = 8 + 4 * (advert.count or 0)
    msg = advert.raw[:n]
    pseudo = (socket.inet_aton(advert.src) + socket.inet_aton(advert.dst) +
              struct.pack("!BBH", 0, PROTO_VRRP, n))
    forms = set()
    if inet_checksum(msg) == 0:
        forms.add("plain")
    if inet_checksum(pseudo + msg) == 0:
        forms.add("pseudo")
    return forms
