"""keepalived -t on LVS configurations (virtual_server, virtual_server_group,
the checker keywords of global_defs): realistic files load with exactly the
expected warnings, broken ones give exactly the expected errors."""
import pytest

from daemon import config_test
from daemon import expand_path as expand
from daemon import write_config_file as write


# A director as keepalived's samples describe one: a VRRP instance holding
# the virtual addresses, a NAT service with a sorry server and a quorum, a DR
# UDP service, a firewall-mark service and a group of addresses.
LVS_DIRECTOR = """\
! Configuration File for keepalived
global_defs {
   router_id LVS_1
   lvs_timeouts tcp 7200 tcpfin 120 udp 300
   lvs_sync_daemon eth1 VI_1 id 51
   lvs_flush
}

vrrp_instance VI_1 {
    state BACKUP
    interface eth1
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        192.168.200.10/24
        192.168.200.11/24
    }
}

virtual_server_group WEB {
    192.168.200.20-22 80
    192.168.200.30 8080
}

virtual_server 192.168.200.10 80 {
    delay_loop 6
    lb_algo wrr
    lb_kind NAT
    persistence_timeout 300
    protocol TCP
    quorum 2
    hysteresis 1
    quorum_up "/usr/local/bin/lvs.sh up"
    quorum_down "/usr/local/bin/lvs.sh down"
    sorry_server 192.168.201.200 8080

    real_server 192.168.201.1 8080 {
        weight 2
        inhibit_on_failure
        smtp_alert
        TCP_CHECK {
            connect_timeout 3
            retry 3
            delay_before_retry 2
        }
    }
    real_server 192.168.201.2 8080 {
        weight 1
        TCP_CHECK {
            connect_port 8081
            connect_timeout 3
        }
    }
}

virtual_server 192.168.200.11 53 {
    delay_loop 10
    lvs_sched sh
    sh-port
    lvs_method DR
    protocol UDP
    ops
    real_server 192.168.201.11 53 {
        TCP_CHECK {
            connect_port 53
        }
    }
}

virtual_server fwmark 3 {
    delay_loop 5
    lb_algo rr
    lb_kind DR
    persistence_timeout 600
    persistence_granularity 255.255.255.0
    real_server 192.168.201.21 {
        TCP_CHECK {
            connect_port 443
        }
    }
}

virtual_server group WEB {
    lb_algo lc
    protocol TCP
    real_server 192.168.201.31 80 {
        TCP_CHECK {
        }
    }
}
"""


def test_realistic_director_is_valid(tmp_path):
    path = write(tmp_path, LVS_DIRECTOR)
    status, lines = config_test(path)
    assert (status, lines) == (0, expand([
        "{f}:6:4: warning: lvs_flush is ignored: IPVS entries already in the kernel are "
        "adopted, not flushed (clear them with 'ipvsadm -C' if needed)",
        # The file asks for mail but names no server to send it to.
        "{f}:40:9: warning: smtp_alert: no smtp_server in global_defs, so no e-mail "
        "alert will be sent"], path))


def test_minimal_virtual_server_is_valid(tmp_path):
    """The smallest block starts the checker child (the supervisor tests
    use it): valid, with what it leaves to defaults said aloud."""
    path = write(tmp_path, "virtual_server 10.99.0.100 80 {\n}\n")
    status, lines = config_test(path)
    assert (status, lines) == (0, expand([
        "{f}:1:1: warning: protocol not set: TCP assumed",
        "{f}:1:1: warning: virtual_server 10.99.0.100 80 has no real_server"], path))


# keepalived's own HTTP_GET / SSL_GET samples: read in full, but refused until
# the checks exist, so nothing runs without its health checks.  MISC_CHECK
# is implemented.
HTTP_SAMPLE = """\
virtual_server 10.10.10.2 1358 {
    delay_loop 6
    lb_algo rr
    lb_kind NAT
    persistence_timeout 50
    protocol TCP
    sorry_server 192.168.200.200 1358
    real_server 192.168.200.2 1358 {
        weight 1
        HTTP_GET {
            url {
              path /testurl3/test.jsp
              digest 640205b7b0fc66c1ea91c463fac6334d
            }
            connect_timeout 3
            retry 3
            delay_before_retry 3
        }
    }
    real_server 192.168.200.3 1358 {
        SSL_GET {
            url {
              path /
              status_code 200-299 400-499 503 505
            }
            connect_port 444
        }
        MISC_CHECK {
            misc_path "/usr/local/bin/script.sh arg1 arg2"
            misc_dynamic
        }
    }
}
"""


def test_http_ssl_and_misc_checks_are_accepted(tmp_path):
    path = write(tmp_path, HTTP_SAMPLE)
    assert config_test(path) == (0, [])


def vs(body, header="10.0.0.1 80"):
    """A virtual_server with `body` from line 3 (line 2 sets the protocol)."""
    return "virtual_server %s {\n  protocol TCP\n%s}\n" % (header, body)


RS = "  real_server 10.0.0.2 80 {\n    TCP_CHECK {\n    }\n  }\n"

BAD_CASES = {
    "unknown_scheduler": (
        vs("  lb_algo roundrobin\n" + RS),
        ["{f}:3:11: error: 'roundrobin' is not a valid choice (expected one of: rr, wrr, lc, "
         "wlc, lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos)"]),
    "forwarding_method": (
        vs("  lb_kind DIRECT\n  lvs_method TUN type gre\n" + RS),
        ["{f}:3:11: error: 'DIRECT' is not a valid choice (expected one of: NAT, DR, TUN)",
         "{f}:4:23: error: tunnel type 'gre' is not supported: only ipip"]),
    "ops_needs_udp": (
        vs("  ops\n" + RS),
        ["{f}:3:3: error: ops (one-packet scheduling) needs protocol UDP"]),
    "scheduler_flag_needs_its_scheduler": (
        vs("  lvs_sched mh\n  sh-port\n" + RS),
        ["{f}:4:3: error: sh-port needs lvs_sched sh (not mh)"]),
    "weights_and_thresholds": (
        vs("  real_server 10.0.0.2 80 {\n    weight -1\n    uthreshold 10\n"
           "    lthreshold 20\n  }\n"),
        ["{f}:4:12: error: '-1' is out of range (expected 0 to 65535)",
         "{f}:6:16: error: lthreshold 20 is greater than uthreshold 10"]),
    "duplicate_real_server": (
        vs(RS + RS),
        ["{f}:7:3: error: duplicate real_server 10.0.0.2 port 80 (first at line 3)"]),
    "mixed_families": (
        vs("  real_server 2001:db8::2 80 {\n  }\n"),
        ["{f}:3:3: error: real_server 2001:db8::2 is IPv6 but the virtual server is IPv4: "
         "mixing address families needs lvs_method TUN"]),
    "duplicate_virtual_server": (
        vs(RS) + vs(RS),
        ["{f}:8:1: error: TCP 10.0.0.1 port 80 is already served by the virtual_server at "
         "line 1"]),
    "unknown_group": (
        vs(RS, header="group NOPE"),
        ["{f}:1:22: error: no virtual_server_group named 'NOPE'"]),
    "misspelt_keywords": (
        vs("  delay_lop 6\n  real_server 10.0.0.2 80 {\n    wieght 1\n"
           "    TCP_CHEK {\n    }\n  }\n"),
        ["{f}:3:3: error: unknown keyword 'delay_lop' in virtual_server",
         "{f}:5:5: error: unknown keyword 'wieght' in real_server",
         "{f}:6:5: error: unknown keyword 'TCP_CHEK' in real_server"]),
    "checker_without_port": (
        vs("  real_server 10.0.0.2 {\n    TCP_CHECK {\n    }\n  }\n", header="fwmark 1"),
        ["{f}:4:5: error: TCP_CHECK needs connect_port: the real server has no port",
         "{f}:2:3: warning: protocol is not used by fwmark virtual servers: ignored"]),
    "global_defs": (
        "global_defs {\n  lvs_timeouts tcp 0\n  lvs_sync_daemon eth0 VI_1 group 10.1.1.1\n}\n",
        ["{f}:2:20: error: '0' is out of range (expected 1 to 2147483)",
         "{f}:3:35: error: '10.1.1.1' is not a multicast address"]),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_check_config_gives_exact_errors(tmp_path, case):
    text, expected = BAD_CASES[case]
    path = write(tmp_path, text)
    status, lines = config_test(path)
    assert status == 3
    assert lines == expand(expected, path)


def test_many_real_servers_and_duplicates_stay_cheap(tmp_path):
    """20000 real servers, every one listed twice: one error per repeat,
    found by sorting (a pairwise comparison would take minutes)."""
    servers = "".join("  real_server 10.%d.%d.%d 80 {\n  }\n" % (n >> 16, (n >> 8) & 255, n & 255)
                      for n in range(1, 10001))
    path = write(tmp_path, vs(servers + servers))
    status, lines = config_test(path)
    assert status == 3
    assert len(lines) == 201    # DIAG_MAX shown, then the count of the rest
    assert lines[0] == ("%s:20003:3: error: duplicate real_server 10.0.0.1 port 80 "
                        "(first at line 3)" % path)
