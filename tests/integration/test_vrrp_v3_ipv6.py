"""VRRPv3 over IPv6 (RFC 5798 as updated by RFC 9568): election over
ff02::12, adverts from the link-local address with hop limit 255 and the
IPv6 pseudo-header checksum, centisecond failover, unsolicited Neighbour
Advertisements for the VIP after a takeover, unicast peers, FAULT without
a link-local address, interoperation with Debian's keepalived 2.2.7 in both
directions, and `keepalived -t` on IPv6 configurations.  Observed from
outside: `ip -6 addr` in each namespace and captures in the observer."""
import socket
import struct
import time

import pytest

from daemon import config_test, wait_for
from daemon import write_config_file as write
from netns import run
from test_status import instance, status_json
from vrrp_util import (Lazy, global_defs, hold, impl_available, inet_checksum, kill9,
                       read_pcap, start_node, vrrp_instance)

VIP6 = "2001:db8:99::100"
GROUP6 = "ff02::12"
MARGIN = 0.25   # scheduling, polling and capture on a busy 2-core machine
ETH_P_IPV6 = 0x86DD


def v6_instance(priority, advert_int=1, vips=(VIP6 + "/64",), extra=()):
    return vrrp_instance(priority=priority, advert_int=advert_int, auth_pass=None, vips=vips,
                         extra=tuple(extra))


def v3_master_down_interval(priority, adver_int):
    return 3 * adver_int + (256 - priority) * adver_int / 256.0


# ---------------------------------------------------------------------------
# addresses

def addresses6(host, ifname="eth0"):
    out = host.run("ip", "-o", "-6", "addr", "show", "dev", ifname).stdout
    return [line.split()[3].split("/")[0] for line in out.splitlines()]


def linklocal(host, ifname="eth0"):
    """The usable link-local address of `host`, once DAD has finished."""
    def ready():
        out = host.run("ip", "-o", "-6", "addr", "show", "dev", ifname, "scope", "link").stdout
        for line in out.splitlines():
            if "tentative" not in line:
                return line.split()[3].split("/")[0]
        return None
    return wait_for(ready, timeout=10, what="a link-local address on %s" % host.name)


def holders6(hosts, vip=VIP6):
    return [h.name for h in hosts if vip in addresses6(h)]


def wait_sole_holder6(host, hosts, vip=VIP6, timeout=10.0):
    wait_for(lambda: holders6(hosts, vip) == [host.name], timeout=timeout, interval=0.05,
             what=Lazy(lambda: "%s held by %s only (holders now: %s)" % (
                 vip, host.name, holders6(hosts, vip))))


def ipv6_topology(topology, n=2):
    """n hosts and an observer; every LAN port has its link-local address
    out of DAD before anything starts."""
    topo = topology(n, observer=True)
    for h in topo.hosts + [topo.observer]:
        h.ll = linklocal(h)
    return topo


# ---------------------------------------------------------------------------
# capture and decoding (IPv6 only; vrrp_util decodes IPv4)

class Packet6:
    """A captured IPv6 frame: a VRRP advert (next header 112) or an ICMPv6
    Neighbour Advertisement (type 136)."""

    def __init__(self, ts, frame):
        ip = frame[14:]
        self.time = ts
        self.src_mac = ":".join("%02x" % b for b in frame[6:12])
        self.plen, self.nh, self.hop_limit = struct.unpack("!HBB", ip[4:8])
        self.src_raw, self.dst_raw = ip[8:24], ip[24:40]
        self.src = socket.inet_ntop(socket.AF_INET6, self.src_raw)
        self.dst = socket.inet_ntop(socket.AF_INET6, self.dst_raw)
        self.payload = bytes(ip[40:40 + self.plen])
        p = self.payload
        if self.nh == 112 and len(p) >= 8:
            self.version, self.type = p[0] >> 4, p[0] & 0x0F
            self.vrid, self.priority, self.count = p[1], p[2], p[3]
            self.max_adver_int_cs = (p[4] & 0x0F) << 8 | p[5]
            self.addrs = [socket.inet_ntop(socket.AF_INET6, p[8 + 16 * i:24 + 16 * i])
                          for i in range(self.count) if len(p) >= 24 + 16 * i]
        elif self.nh == 58 and len(p) >= 24:
            self.icmp_type = p[0]
            self.flags = p[4]
            self.target = socket.inet_ntop(socket.AF_INET6, p[8:24])
            self.tlla = (":".join("%02x" % b for b in p[26:32])
                         if len(p) >= 32 and p[24] == 2 else None)

    @property
    def checksum_ok(self):
        """Upper-layer checksum over the IPv6 pseudo-header (RFC 8200 8.1)."""
        ph = self.src_raw + self.dst_raw + struct.pack("!IxxxB", len(self.payload), self.nh)
        return inet_checksum(ph + self.payload) == 0


class Capture6:
    def __init__(self, cap):
        self.cap = cap

    def packets(self):
        out = []
        for ts, fr in read_pcap(self.cap.path):
            if len(fr) >= 54 and struct.unpack("!H", fr[12:14])[0] == ETH_P_IPV6:
                out.append(Packet6(ts, fr))
        return out

    def adverts(self, src=None, since=None):
        return [p for p in self.packets() if p.nh == 112 and (src is None or p.src == src)
                and (since is None or p.time >= since)]

    def nas(self, target, since=None):
        return [p for p in self.packets() if p.nh == 58 and getattr(p, "icmp_type", 0) == 136
                and p.target == target and (since is None or p.time >= since)]

    def wait_adverts(self, n=1, timeout=10.0, **kw):
        return wait_for(lambda: (lambda a: a if len(a) >= n else None)(self.adverts(**kw)),
                        timeout=timeout, what="%d IPv6 advert(s) matching %s" % (n, kw))


def capture6(capture, host):
    return Capture6(capture(host, bpf="ip6 proto 112 or icmp6"))


# ---------------------------------------------------------------------------
# scenarios

def start_pair(topology, daemon, advert_int=1, impls=(None, None), extra=((), ())):
    topo = ipv6_topology(topology)
    a, b = topo.hosts
    da = start_node(daemon, a, global_defs("h1") + v6_instance(150, advert_int, extra=extra[0]),
                    impl=impls[0])
    db = start_node(daemon, b, global_defs("h2") + v6_instance(100, advert_int, extra=extra[1]),
                    impl=impls[1])
    wait_sole_holder6(a, topo.hosts)
    return topo, a, b, da, db


def test_election_over_ff02_12(topology, daemon, capture):
    """The higher priority holds the IPv6 VIP (and nobody else); its adverts
    are VRRPv3 from its link-local address to ff02::12 with hop limit 255,
    carry the VIP and a valid pseudo-header checksum; the Backup is silent."""
    topo, a, b, da, db = start_pair(topology, daemon)
    cap = capture6(capture, topo.observer)
    adverts = cap.wait_adverts(3, timeout=5)
    assert all(p.src == a.ll and p.dst == GROUP6 and p.hop_limit == 255 for p in adverts), \
        adverts
    assert all(p.version == 3 and p.type == 1 and p.vrid == 51 and p.priority == 150
               and p.max_adver_int_cs == 100 and p.addrs == [VIP6] for p in adverts)
    assert all(p.checksum_ok for p in adverts)
    # Added without duplicate address detection: usable at once.
    line = a.run("ip", "-o", "-6", "addr", "show", "dev", "eth0", "to", VIP6).stdout
    assert "nodad" in line and "tentative" not in line, line
    hold(lambda: holders6(topo.hosts) == [a.name], 1.5, what="h1 sole holder")
    assert not cap.adverts(src=b.ll), "the Backup advertised"


def test_fast_failover_and_unsolicited_na(topology, daemon, capture):
    """advert_int 0.1: after a crash of the Master the Backup (100) takes
    over within 3 x 0.1 s + Skew_Time plus a margin, never before 3
    intervals, and announces the VIP with unsolicited Neighbour
    Advertisements: to ff02::1, hop limit 255, Override set, its own MAC as
    target link-layer address, valid ICMPv6 checksum; garp_master_repeat 3
    and garp_master_delay 1 shape them as they shape gratuitous ARPs."""
    garp = ("garp_master_repeat 3", "garp_master_delay 1")
    topo, a, b, da, db = start_pair(topology, daemon, advert_int=0.1, extra=((), garp))
    cap = capture6(capture, topo.observer)
    cap.wait_adverts(5, timeout=3, src=a.ll)
    t = time.time()
    kill9(da)
    wait_for(lambda: VIP6 in addresses6(b), timeout=3, what="VIP on h2")
    last_a = cap.adverts(src=a.ll)[-1]
    first_b = cap.wait_adverts(1, timeout=5, src=b.ll)[0]
    gap = first_b.time - last_a.time
    assert 0.3 <= gap <= v3_master_down_interval(100, 0.1) + MARGIN, gap
    assert first_b.priority == 100 and first_b.max_adver_int_cs == 10
    nas = wait_for(lambda: cap.nas(VIP6, since=t) or None, timeout=3, what="an NA for the VIP")
    na = nas[0]
    assert na.src_mac == b.mac() and na.tlla == b.mac()
    assert na.dst == "ff02::1" and na.hop_limit == 255 and na.checksum_ok
    assert na.flags & 0x20 and not na.flags & 0xC0, "Override only (not Router, not Solicited)"
    assert na.time >= first_b.time - 0.01
    both = wait_for(lambda: (lambda n: n if len(n) >= 6 else None)(cap.nas(VIP6, since=t)),
                    timeout=4, what="the second burst of NAs")
    first, second = both[:3], both[3:]
    assert max(p.time for p in first) - na.time < 0.2, "3 NAs at once"
    assert 1.0 - MARGIN <= second[0].time - na.time <= 1.0 + MARGIN, "second burst after 1 s"
    time.sleep(0.5)
    assert len(cap.nas(VIP6, since=t)) == 6, "no more without garp_master_refresh"


def test_use_vmac_for_an_ipv6_instance(topology, daemon, capture):
    """use_vmac on an IPv6 instance: vrrp6.51, a macvlan with MAC
    00:00:5e:00:02:33 (RFC 5798 section 7.3), without a link-local address
    of its own (one made from the shared MAC would be the same on both
    routers), holds the Master's VIP; adverts leave from the parent's
    link-local address; after a takeover the new Master's Neighbour
    Advertisements carry the virtual MAC, as source and as target
    link-layer address."""
    vmac, mac = "vrrp6.51", "00:00:5e:00:02:33"
    topo = ipv6_topology(topology)
    a, b = topo.hosts
    da = start_node(daemon, a, global_defs("h1") + v6_instance(150, extra=("use_vmac",)))
    start_node(daemon, b, global_defs("h2") + v6_instance(100, extra=("use_vmac",)))

    def on_vmac(h):
        return VIP6 in h.run("ip", "-o", "-6", "addr", "show", "dev", vmac, check=False).stdout

    wait_for(lambda: on_vmac(a), timeout=10, what="VIP on h1's vmac")
    for h in (a, b):
        lk = h.run("ip", "-d", "link", "show", "dev", vmac).stdout
        assert "macvlan mode private" in lk and mac in lk, lk
        assert h.run("ip", "-6", "addr", "show", "dev", vmac, "scope", "link").stdout == ""
    assert VIP6 in addresses6(a, vmac) and VIP6 not in addresses6(a)
    cap = capture6(capture, topo.observer)
    assert cap.wait_adverts(2, timeout=5, src=a.ll)[0].src_mac == a.mac()
    t = time.time()
    da.stop()
    wait_for(lambda: on_vmac(b), timeout=6, what="VIP on h2's vmac")
    na = wait_for(lambda: cap.nas(VIP6, since=t) or None, timeout=3, what="an NA")[0]
    assert na.src_mac == mac and na.tlla == mac, (na.src_mac, na.tlla)
    assert VIP6 not in addresses6(b)


def test_unicast_peers(topology, daemon, capture):
    """unicast_src_ip / unicast_peer with global IPv6 addresses: adverts go
    to the peer only (none to ff02::12), from the configured source, and the
    pair elects as over multicast; the Backup takes over when the Master
    resigns (priority 0 advert)."""
    topo = ipv6_topology(topology)
    a, b = topo.hosts
    # A bridge that forgets MACs at once floods unicast: the observer sees it.
    run(["ip", "link", "set", "br0", "type", "bridge", "ageing_time", "0"], ns=topo.switch)
    addr = {a: "2001:db8:1::1", b: "2001:db8:1::2"}
    for h in (a, b):
        h.run("ip", "-6", "addr", "add", addr[h] + "/64", "dev", "eth0", "nodad")

    def conf(h, other, prio):
        return global_defs(h.name) + v6_instance(prio, extra=(
            "unicast_src_ip %s" % addr[h], "unicast_peer {", "    %s" % addr[other], "}"))
    da = start_node(daemon, a, conf(a, b, 150))
    start_node(daemon, b, conf(b, a, 100))
    wait_sole_holder6(a, topo.hosts)
    cap = capture6(capture, topo.observer)
    adverts = cap.wait_adverts(2, timeout=5)
    assert all(p.src == addr[a] and p.dst == addr[b] and p.hop_limit == 255 and p.checksum_ok
               for p in adverts), adverts
    t = time.time()
    da.stop()
    wait_sole_holder6(b, topo.hosts, timeout=5)
    from_b = cap.wait_adverts(1, timeout=5, src=addr[b], since=t)
    assert from_b[0].dst == addr[a]
    assert not [p for p in cap.adverts() if p.dst == GROUP6]


def test_fault_without_linklocal_and_recovery(topology, daemon):
    """No link-local address: FAULT, with the reason in the status; one
    appearing (here added by hand) ends the fault, the lone router becomes
    Master and the status names it by that address."""
    topo = ipv6_topology(topology, 1)
    (a,) = topo.hosts
    a.run("ip", "-6", "addr", "flush", "dev", "eth0", "scope", "link")
    d = start_node(daemon, a, global_defs("h1") + v6_instance(150, advert_int=0.5))
    d.wait_log(r"\(VI_1\) INIT -> FAULT")
    vi = instance(status_json(d))
    assert vi["state"] == "FAULT"
    assert vi["fault_reason"] == "no IPv6 link-local address on the interface"
    hold(lambda: VIP6 not in addresses6(a), 1.0, what="no VIP in FAULT")
    a.run("ip", "-6", "addr", "add", "fe80::99/64", "dev", "eth0", "nodad")
    wait_for(lambda: VIP6 in addresses6(a), timeout=5, what="VIP after the fault")
    d.wait_log(r"\(VI_1\) BACKUP -> MASTER")
    vi = instance(status_json(d))
    assert vi["state"] == "MASTER" and vi["master_address"] == "fe80::99"


PAIRS = [("ours", "debian"), ("debian", "ours")]


@pytest.mark.parametrize("pair", PAIRS, ids=["ours_master-debian_backup",
                                            "debian_master-ours_backup"])
def test_interop_with_keepalived(topology, daemon, capture, pair):
    """IPv6 with keepalived 2.2.7 (advert_int 0.5): the Master is the only
    holder and the Backup stays silent (each accepts the other's adverts and
    checksums); after a crash the Backup takes over within
    Master_Down_Interval plus a margin and announces the VIP with NAs."""
    if not all(impl_available(i) for i in pair):
        pytest.fail("the interop tests need both keepalived binaries")
    topo, a, b, da, db = start_pair(topology, daemon, advert_int=0.5, impls=pair)
    cap = capture6(capture, topo.observer)
    hold(lambda: holders6(topo.hosts) == [a.name], 2.5, what="h1 sole holder")
    assert not cap.adverts(src=b.ll), "the Backup advertised"
    assert all(p.checksum_ok and p.hop_limit == 255 for p in cap.adverts(src=a.ll))
    t = time.time()
    kill9(da)
    wait_for(lambda: VIP6 in addresses6(b), timeout=5, what="VIP on h2")
    last_a = cap.adverts(src=a.ll)[-1]
    first_b = cap.wait_adverts(1, timeout=5, src=b.ll)[0]
    assert first_b.time - last_a.time <= v3_master_down_interval(100, 0.5) + MARGIN
    assert first_b.checksum_ok and first_b.version == 3
    wait_for(lambda: cap.nas(VIP6, since=t) or None, timeout=3, what="an NA for the VIP")


# ---------------------------------------------------------------------------
# keepalived -t

def instance6(body, vips=("2001:db8::1/64",)):
    return ("vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n" + body +
            "  virtual_ipaddress {\n" + "".join("    %s\n" % v for v in vips) + "  }\n}\n")


def test_config_ipv6_good(tmp_path):
    """An IPv6 instance with a centisecond interval, accept, IPv6 unicast
    addresses and an IPv4 excluded VIP loads; the same VRID serves an IPv4
    instance on the same interface.  Only keepalived's own warning about
    the first VIP not being link-local is printed."""
    text = instance6("  advert_int 0.05\n  accept\n  unicast_src_ip 2001:db8::2\n"
                     "  unicast_peer {\n    2001:db8::3\n  }\n"
                     "  virtual_ipaddress_excluded {\n    10.0.0.9/24\n  }\n") + \
        ("vrrp_instance VI_4 {\n  interface eth0\n  virtual_router_id 51\n"
         "  virtual_ipaddress {\n    10.0.0.1/24\n  }\n}\n")
    path = write(tmp_path, text)
    status, lines = config_test(path)
    assert (status, lines) == (0, [
        "%s:14:5: warning: the first IPv6 virtual address should be link-local "
        "(RFC 5798 section 5.2.9)" % path])


def test_config_ipv6_version_2_runs_as_3(tmp_path):
    """`version 2` on an IPv6 instance: keepalived runs it as VRRPv3; we
    do the same and say so (and a sub-second interval is then valid)."""
    path = write(tmp_path, instance6("  version 2\n  advert_int 0.5\n", vips=("fe80::1",)))
    status, lines = config_test(path)
    assert (status, lines) == (0, [
        "%s:4:11: warning: VRRP version 2 has no IPv6: vrrp_instance 'VI_1' uses version 3"
        % path])


def test_config_ipv6_errors(tmp_path):
    """Mixed families in virtual_ipaddress, an IPv4 peer or source for an
    IPv6 instance, no_accept, and VRRPv3's lack of authentication."""
    path = write(tmp_path, instance6(
        "  no_accept\n  mcast_src_ip 10.0.0.2\n  unicast_peer {\n    10.0.0.3\n  }\n"
        "  authentication {\n    auth_type PASS\n    auth_pass x\n  }\n",
        vips=("fe80::1", "10.0.0.1/24")))
    status, lines = config_test(path)
    assert status == 3
    assert lines == [
        "%s:4:3: error: no_accept is not supported: it needs firewall rules "
        "(iptables/nftables) dropping packets to the virtual addresses, which this keepalived "
        "does not manage; remove it (accept mode is the default)" % path,
        "%s:15:5: error: IPv4 address in virtual_ipaddress of an IPv6 instance (line 14): an "
        "advert carries one family; put it in virtual_ipaddress_excluded or in another "
        "vrrp_instance" % path,
        "%s:5:16: error: mcast_src_ip 10.0.0.2 is IPv4 but vrrp_instance 'VI_1' is IPv6 (its "
        "addresses must all be of one family)" % path,
        "%s:7:5: error: unicast_peer 10.0.0.3 is IPv4 but vrrp_instance 'VI_1' is IPv6 (its "
        "addresses must all be of one family)" % path,
        "%s:6:3: warning: unicast_peer without unicast_src_ip: the interface's link-local "
        "address will be used" % path,
        "%s:9:3: error: VRRPv3 has no authentication (RFC 5798): remove the authentication "
        "block or use version 2" % path,
    ]
