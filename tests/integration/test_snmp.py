"""SNMP: our AgentX subagent under Debian's snmpd as master agent.  What a
monitoring system would read (snmpget/snmpwalk over UDP on loopback) and
receive (traps at snmptrapd) must match the daemon's real state: after a
VRRP failover between two daemons, after a real server dies, across an
snmpd restart, and with no snmpd at all.  The MIB files must load."""
import os
import signal

import pytest

from daemon import wait_for
from snmp_lab import (KA, VRRP_MIB, HungMaster, SnmpLab, ifindex, snmptranslate,
                      tcp_listener)
from vrrp_util import (VIP_CIDR, global_defs, hold, ip_frame, kill9, send_frames, start_node,
                       sync_group, vip_holders, vrrp_instance, vrrp_v2, wait_sole_holder,
                       wait_vip)

# KEEPALIVED-MIB objects (doc/KEEPALIVED-MIB.txt)
KA_ROUTER_ID = KA + ".1.2.0"
KA_INST = KA + ".2.1.1."          # kaVrrpInstanceEntry.<column>.<index>
KA_VS = KA + ".3.1.1."            # kaVirtualServerEntry.<column>.<vs>
KA_RS = KA + ".3.2.1."            # kaRealServerEntry.<column>.<vs>.<rs>
KA_TRAP_INSTANCE = KA + ".0.1"
KA_TRAP_RS = KA + ".0.3"
# VRRP-MIB (RFC 2787)
OPER = VRRP_MIB + ".1.3.1."       # vrrpOperEntry.<column>.<ifIndex>.<vrid>
ASSO = VRRP_MIB + ".1.4.1.2."     # vrrpAssoIpAddrRowStatus.<ifIndex>.<vrid>.<ip>
STATS = VRRP_MIB + ".2.4.1."      # vrrpRouterStatsEntry.<column>.<ifIndex>.<vrid>
TRAP_NEW_MASTER = VRRP_MIB + ".0.1"
TRAP_AUTH_FAILURE = VRRP_MIB + ".0.2"
TRAP_PACKET_SRC = VRRP_MIB + ".1.5.0"
TRAP_AUTH_ERROR_TYPE = VRRP_MIB + ".1.6.0"
KA_GROUP = KA + ".2.2.1."         # kaVrrpSyncGroupEntry.<column>.<index>
KA_TRAP_GROUP = KA + ".0.2"
TRAP_OID = ".1.3.6.1.6.3.1.1.4.1.0"

MASTER, BACKUP = "3", "2"          # both MIBs number these states alike


@pytest.fixture
def lab(tmp_path):
    lab = SnmpLab(tmp_path / "snmp").start_trapd().start_snmpd()
    yield lab
    lab.close()


def snmp_defs(lab, *flags):
    return ["snmp_socket unix:%s" % lab.socket] + list(flags)


def test_mib_files_load_cleanly():
    """Both MIB modules parse without a single warning and name the objects
    the daemon serves at the numbers it serves them."""
    p = snmptranslate("-Tp")
    assert p.returncode == 0 and p.stderr == "", p.stderr
    assert "kaRealServerState" in p.stdout and "vrrpOperState" in p.stdout
    p = snmptranslate("-On", "KEEPALIVED-MIB::kaRealServerState", "KEEPALIVED-MIB::kaRouterId",
                      "KEEPALIVED-MIB::kaVrrpInstanceStateChange", "VRRP-MIB::vrrpOperState",
                      "VRRP-MIB::vrrpTrapNewMaster")
    assert p.returncode == 0 and p.stderr == "", p.stderr
    assert p.stdout.split() == [KA + ".3.2.1.4", KA_ROUTER_ID[:-2], KA_TRAP_INSTANCE,
                                OPER + "3", TRAP_NEW_MASTER]


def test_vrrp_values_and_traps_follow_a_failover(topology, daemon, lab):
    """h1 (150, no SNMP) is Master; h2 (100) runs with -x, which turns on
    both MIBs and traps.  Before: h2 reads as Backup of h1 in both MIBs,
    counting h1's adverts.  After kill -9 of h1: h2 reads as Master of
    itself, once become-master, and the two notifications arrived."""
    topo = topology(2)
    a, b = topo.hosts
    da = start_node(daemon, a, global_defs("h1") + vrrp_instance(priority=150))
    wait_sole_holder(a, topo.hosts, timeout=10)
    db = daemon(global_defs("h2", extra=snmp_defs(lab)) + vrrp_instance(priority=100)
                + sync_group("G1", ["VI_1"]), netns=b.ns, name="h2", extra_args=["-P", "-x"])
    db.wait_log(r"SNMP: AgentX subagent connected")
    row = ".%d.51" % ifindex(b)
    vip = VIP_CIDR.split("/")[0]

    lab.wait_value(OPER + "3" + row, BACKUP)
    lab.wait_value(OPER + "7" + row, a.addr, timeout=3)      # vrrpOperMasterIpAddr: h1's advert
    assert lab.get(KA_ROUTER_ID)[KA_ROUTER_ID] == "h2"
    inst = lab.walk(KA + ".2.1")
    assert inst[KA_INST + "2.1"] == "VI_1"
    assert inst[KA_INST + "3.1"] == BACKUP
    assert inst[KA_INST + "4.1"] == "51" and inst[KA_INST + "5.1"] == "eth0"
    assert inst[KA_INST + "8.1"] == a.addr and inst[KA_INST + "16.1"] == "G1"
    assert lab.walk(KA + ".2.2") == {KA_GROUP + "2.1": "G1", KA_GROUP + "3.1": BACKUP,
                                     KA_GROUP + "4.1": "1"}
    wait_for(lambda: int(lab.get(STATS + "2" + row)[STATS + "2" + row]) >= 2, timeout=5,
             what="vrrpStatsAdvertiseRcvd counting h1's adverts")
    assert lab.get(STATS + "1" + row)[STATS + "1" + row] == "0"            # BecomeMaster
    assert lab.walk(VRRP_MIB + ".1.4") == {ASSO + row[1:] + "." + vip: "1"}

    kill9(da)               # h1 keeps its stale VIP: nobody cleans up after a crash
    wait_vip(b, timeout=6)
    lab.wait_value(OPER + "3" + row, MASTER)
    assert lab.get(OPER + "7" + row)[OPER + "7" + row] == b.addr
    assert lab.get(STATS + "1" + row)[STATS + "1" + row] == "1"
    inst = lab.walk(KA + ".2.1")
    assert inst[KA_INST + "3.1"] == MASTER and inst[KA_INST + "9.1"] == "1"
    lab.wait_trap(TRAP_NEW_MASTER, {OPER + "7" + row: b.addr})
    lab.wait_trap(KA_TRAP_INSTANCE, {KA_ROUTER_ID: "h2", KA_INST + "2.1": "VI_1",
                                     KA_INST + "3.1": MASTER})
    lab.wait_trap(KA_TRAP_GROUP, {KA_ROUTER_ID: "h2", KA_GROUP + "2.1": "G1",
                                  KA_GROUP + "3.1": MASTER})
    assert lab.get(KA_GROUP + "3.1")[KA_GROUP + "3.1"] == MASTER


def test_bad_adverts_are_counted_and_auth_failures_notified(topology, daemon, lab):
    """Adverts for our VRID with a wrong password, with no authentication,
    and with TTL 64, from a neighbour: vrrpStatsAuthFailures,
    vrrpStatsAuthTypeMismatch and vrrpStatsIpTtlErrors count them, and each
    authentication error sends vrrpTrapAuthFailure naming the sender and
    the error (authFailure(3), authTypeMismatch(2))."""
    topo = topology(2)
    a, b = topo.hosts
    d = daemon(global_defs("h1", extra=snmp_defs(lab, "enable_snmp_rfc", "enable_traps"))
               + vrrp_instance(priority=150), netns=a.ns, extra_args=["-P"])
    d.wait_log(r"SNMP: AgentX subagent connected")
    row = ".%d.51" % ifindex(a)
    lab.wait_value(OPER + "3" + row, MASTER)
    wrong = ip_frame(vrrp_v2(priority=100, password="wrong!!"), b.addr, b.mac())
    none = ip_frame(vrrp_v2(priority=100, auth_type=0, password=""), b.addr, b.mac())
    ttl = ip_frame(vrrp_v2(priority=100), b.addr, b.mac(), ttl=64)
    assert send_frames(b, [wrong] * 3 + [none] * 2 + [ttl] * 4, interval=0.05) == 9
    lab.wait_value(STATS + "4" + row, "3", timeout=5)                    # AuthFailures
    assert lab.get(STATS + "11" + row)[STATS + "11" + row] == "2"     # AuthTypeMismatch
    lab.wait_value(STATS + "5" + row, "4", timeout=3)                    # IpTtlErrors
    lab.wait_trap(TRAP_AUTH_FAILURE, {TRAP_PACKET_SRC: b.addr, TRAP_AUTH_ERROR_TYPE: "3"})
    lab.wait_trap(TRAP_AUTH_FAILURE, {TRAP_PACKET_SRC: b.addr, TRAP_AUTH_ERROR_TYPE: "2"})


CHECKER_CONF = """virtual_server %(vip)s 80 {
    delay_loop 1
    lb_algo rr
    protocol TCP
    real_server %(rs)s 8080 {
        weight 3
        TCP_CHECK {
            connect_timeout 1
        }
    }
    real_server %(rs)s 8081 {
        weight 5
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
virtual_server %(vip)s 443 {
    snmp_name web_tls
    delay_loop 1
    lb_algo rr
    protocol TCP
    real_server %(rs)s 8081 {
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
"""


def test_real_server_values_and_trap_after_it_dies(topology, daemon, lab):
    """Both children with -x: each registers its part of KEEPALIVED-MIB
    (and both the global group, at different priorities).  The checker
    checks two real servers: one listening, one not.  The tables show
    up/down, the weights and the check counters, a virtual server's
    snmp_name as its kaVirtualServerName; killing the listener turns
    its row down (effective weight 0) and sends kaRealServerStateChange."""
    topo = topology(1)
    h = topo.hosts[0]
    server = tcp_listener(h, 8080)
    try:
        d = daemon(global_defs("lb", extra=snmp_defs(lab)) + vrrp_instance(priority=150)
                   + CHECKER_CONF % {"vip": "10.99.0.200", "rs": h.addr},
                   netns=h.ns, extra_args=["-x"])
        d.wait_log(r"SNMP: AgentX subagent connected", count=2)
        assert "cannot register" not in d.log()
        assert lab.walk(KA + ".2.1")[KA_INST + "2.1"] == "VI_1"
        lab.wait_value(KA_RS + "4.1.2", "2")                 # 8081: down
        lab.wait_value(KA_RS + "4.1.1", "1")                 # 8080: up
        vs = lab.walk(KA + ".3.1")
        assert vs[KA_VS + "2.1"] == "TCP 10.99.0.200:80"
        assert vs[KA_VS + "2.2"] == "web_tls"                # its snmp_name
        assert vs[KA_VS + "3.1"] == "2" and vs[KA_VS + "4.1"] == "1"
        rs = lab.walk(KA + ".3.2")
        assert rs[KA_RS + "2.1.1"] == h.addr and rs[KA_RS + "3.1.1"] == "8080"
        assert rs[KA_RS + "5.1.1"] == "3" and rs[KA_RS + "6.1.1"] == "3"
        assert rs[KA_RS + "5.1.2"] == "5" and rs[KA_RS + "6.1.2"] == "0"
        assert int(rs[KA_RS + "7.1.1"]) >= 1 and rs[KA_RS + "8.1.1"] == "0"
        assert int(rs[KA_RS + "8.1.2"]) >= 1
        assert rs[KA_RS + "9.1.2"] == "connection refused"
        assert lab.get(KA_ROUTER_ID)[KA_ROUTER_ID] == "lb"
    finally:
        server.kill()
        server.wait()
    d.wait_log(r"Real server %s:8080 of TCP 10.99.0.200:80 is DOWN" % h.addr)
    lab.wait_value(KA_RS + "4.1.1", "2")
    rs = lab.walk(KA + ".3.2")
    assert rs[KA_RS + "6.1.1"] == "0" and int(rs[KA_RS + "8.1.1"]) >= 1
    assert lab.walk(KA + ".3.1")[KA_VS + "4.1"] == "0"
    lab.wait_trap(KA_TRAP_RS, {KA_ROUTER_ID: "lb", KA_VS + "2.1": "TCP 10.99.0.200:80",
                               KA_RS + "2.1.1": h.addr, KA_RS + "3.1.1": "8080",
                               KA_RS + "4.1.1": "2"})


def vrrp_node(topology, daemon, lab):
    topo = topology(1)
    h = topo.hosts[0]
    d = daemon(global_defs("solo", extra=snmp_defs(lab, "enable_snmp_rfc"))
               + vrrp_instance(priority=150), netns=h.ns, extra_args=["-P"])
    return h, d


def test_subagent_registers_again_after_snmpd_restarts(topology, daemon, lab):
    """snmpd goes away and comes back on the same socket: the subagent logs
    the loss once, reconnects within its 5 s retry period and answers again."""
    h, d = vrrp_node(topology, daemon, lab)
    d.wait_log(r"SNMP: AgentX subagent connected")
    row = ".%d.51" % ifindex(h)
    lab.wait_value(OPER + "3" + row, MASTER)
    lab.stop_snmpd()
    d.wait_log(r"AgentX master .* went away")
    lab.start_snmpd()
    d.wait_log(r"SNMP: AgentX subagent connected", count=2, timeout=10)
    lab.wait_value(OPER + "3" + row, MASTER, timeout=5)
    assert len([l for l in d.log().splitlines() if "went away" in l]) == 1


def test_without_snmpd_the_daemon_runs_and_connects_later(topology, daemon, lab):
    """No master at start: VRRP works as usual, the failure is logged once
    (not at every retry), and the subagent connects once snmpd appears."""
    lab.stop_snmpd()
    h, d = vrrp_node(topology, daemon, lab)
    d.wait_log(r"\(VI_1\) BACKUP -> MASTER", timeout=8)
    d.wait_log(r"AgentX master unix:.* not reachable; retrying every 5 s")
    wait_for(lambda: d.log().count("DEBUG: net-snmp") >= 2, timeout=15,
             what="two connection attempts")
    assert d.log().count("not reachable") == 1
    lab.start_snmpd()
    d.wait_log(r"SNMP: AgentX subagent connected", timeout=10)
    lab.wait_value(OPER + "3.%d.51" % ifindex(h), MASTER, timeout=5)


def test_a_hung_master_does_not_cause_a_failover(topology, daemon, tmp_path):
    """A master that accepts the AgentX connection but never answers makes
    net-snmp wait (synchronously, 1 s at most per attempt, one attempt every
    5 s): the Master's adverts stay within the Backup's Master_Down_Interval,
    so over three attempts the VIP never moves."""
    hung = HungMaster(str(tmp_path / "hung.sock"))
    da = None
    try:
        topo = topology(2)
        a, b = topo.hosts
        da = daemon(global_defs("h1", extra=["enable_snmp_rfc", "enable_traps",
                                             "snmp_socket unix:%s" % hung.path])
                    + vrrp_instance(priority=150), netns=a.ns, name="h1", extra_args=["-P"])
        db = start_node(daemon, b, global_defs("h2") + vrrp_instance(priority=100))
        wait_sole_holder(a, topo.hosts, timeout=10)
        takeovers = db.log().count("BACKUP -> MASTER")   # the start may race
        hold(lambda: vip_holders(topo.hosts) == ["h1"], 12.0, what="h1 sole VIP holder")
        assert db.log().count("BACKUP -> MASTER") == takeovers
        assert da.log().count("not reachable") == 1
    finally:
        # Stopped first: a master vanishing in the middle of net-snmp's
        # synchronous open leaks a socket address inside libnetsnmp.
        if da:
            da.stop()
        hung.close()


def test_reload_adds_rows_and_newly_enabled_parts(topology, daemon, lab):
    """SIGHUP with a second instance and enable_snmp_rfc added: the instance
    table grows to two rows read from the new runtime, and the RFC 2787
    tables, off at start, are served from then on."""
    topo = topology(1)
    h = topo.hosts[0]
    conf = global_defs("solo", extra=snmp_defs(lab, "enable_snmp_vrrp")) \
        + vrrp_instance(priority=150)
    d = daemon(conf, netns=h.ns, extra_args=["-P"])
    d.wait_log(r"SNMP: AgentX subagent connected")
    lab.wait_value(KA_INST + "2.1", "VI_1")
    assert "No Such Object" in lab.walk(VRRP_MIB)[VRRP_MIB]
    d.write_config(global_defs("solo", extra=snmp_defs(lab, "enable_snmp_vrrp",
                                                       "enable_snmp_rfc"))
                   + vrrp_instance(priority=150)
                   + vrrp_instance(name="VI_2", vrid=52, vips=("10.99.0.101/24",)))
    d.signal(signal.SIGHUP)
    d.wait_log(r"VRRP configuration reloaded")
    lab.wait_value(KA_INST + "2.2", "VI_2")
    assert lab.get(KA_INST + "4.2")[KA_INST + "4.2"] == "52"
    lab.wait_value(OPER + "3.%d.52" % ifindex(h), MASTER, timeout=8)


def test_config_test_accepts_the_snmp_keywords(tmp_path):
    """keepalived -t: every SNMP keyword of global_defs is known."""
    from daemon import config_test, write_config_file
    path = write_config_file(tmp_path, global_defs("x", extra=[
        "enable_snmp_vrrp", "enable_snmp_checker", "enable_snmp_rfc", "enable_snmp_rfcv2",
        "enable_traps", "snmp_socket udp:127.0.0.1:705"]) + vrrp_instance())
    code, err = config_test(path)
    assert code == 0 and err == [], err
