"""keepalived -t on VRRP configurations: realistic files load with exactly
the expected warnings, broken ones give exactly the expected errors."""
import pytest

from daemon import config_test
from daemon import expand_path as expand
from daemon import write_config_file as write


# A pair of routers as keepalived's own samples describe them: a sync group,
# a health script, unicast peers, tracked interfaces with weights.
LB_PAIR = """\
! Configuration File for keepalived
global_defs {
   router_id LB_1
   vrrp_garp_master_delay 1
   vrrp_garp_master_refresh 60
}

vrrp_script chk_haproxy {
    script "killall -0 haproxy"     # cheaper than pidof
    interval 2                      # check every 2 seconds
    weight -4                       # default prio: -4 if KO
    fall 2                          # require 2 failures for KO
    rise 2                          # require 2 successes for OK
}

vrrp_sync_group VG_1 {
    group {
        VI_EXT
        VI_INT
    }
    notify_master "/usr/local/bin/vrrp.sh MASTER VG_1"
    notify_backup "/usr/local/bin/vrrp.sh BACKUP VG_1"
    notify_fault "/usr/local/bin/vrrp.sh FAULT VG_1"
    smtp_alert
}

vrrp_instance VI_EXT {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    unicast_src_ip 192.168.200.2
    unicast_peer {
        192.168.200.3
    }
    track_interface {
        eth0
        eth2 weight -20
    }
    track_script {
        chk_haproxy
    }
    virtual_ipaddress {
        192.168.200.16/24 dev eth0 label eth0:1
        192.168.200.17/24
    }
    virtual_ipaddress_excluded {
        2001:db8::16/64
    }
}

vrrp_instance VI_INT {
    state BACKUP
    interface eth1
    virtual_router_id 52
    priority 100
    nopreempt
    preempt_delay 30
    garp_master_delay 5
    virtual_ipaddress {
        10.0.0.1/24 brd 10.0.0.255 scope global
    }
    notify "/usr/local/bin/notify.sh"
}
"""


def test_realistic_pair_is_valid(tmp_path):
    path = write(tmp_path, LB_PAIR)
    status, lines = config_test(path)
    # The sync group asks for mail but the file names no server to send it to.
    assert (status, lines) == (0, [
        "%s:24:5: warning: smtp_alert: no smtp_server in global_defs, so no e-mail "
        "alert will be sent" % path])


GOOD_WITH_WARNINGS = {
    "owner_and_preemption": (
        "vrrp_instance VI_1 {\n"
        "  state MASTER\n"
        "  interface eth0\n"
        "  virtual_router_id 51\n"
        "  priority 255\n"
        "  nopreempt\n"
        "  unicast_peer {\n    10.0.0.2\n  }\n"
        "  virtual_ipaddress {\n    10.0.0.100/24\n  }\n"
        "}\n",
        ["{f}:5:12: warning: priority 255 means this node owns the virtual addresses",
         "{f}:6:3: warning: nopreempt needs state BACKUP; nopreempt ignored",
         "{f}:7:3: warning: unicast_peer without unicast_src_ip: the interface's primary "
         "address will be used"]),
    "long_password_and_lonely_group": (
        "vrrp_sync_group G {\n  group {\n    VI_1\n  }\n}\n"
        "vrrp_instance VI_1 {\n"
        "  interface eth0\n"
        "  virtual_router_id 51\n"
        "  authentication {\n    auth_type PASS\n    auth_pass averylongpassword\n  }\n"
        "}\n",
        ["{f}:1:1: warning: vrrp_sync_group 'G' has 1 instance: a sync group needs at least 2",
         "{f}:11:15: warning: auth_pass is longer than 8 bytes: only the first 8 are used",
         "{f}:6:1: warning: vrrp_instance 'VI_1' has no virtual_ipaddress"]),
}


@pytest.mark.parametrize("case", sorted(GOOD_WITH_WARNINGS))
def test_valid_with_exact_warnings(tmp_path, case):
    text, expected = GOOD_WITH_WARNINGS[case]
    path = write(tmp_path, text)
    status, lines = config_test(path)
    assert status == 0, lines
    assert lines == expand(expected, path)


def instance(body):
    """A vrrp_instance with the required keywords around `body` (from line 4)."""
    return ("vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n" + body +
            "  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n")


BAD_CASES = {
    "vrid_and_priority_ranges": (
        "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 256\n  priority 0\n"
        "  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n",
        ["{f}:3:21: error: '256' is out of range (expected 1 to 255)",
         "{f}:4:12: error: '0' is out of range (expected 1 to 255)"]),
    "fractional_advert_int": (
        instance("  advert_int 0.5\n"),
        ["{f}:4:14: error: VRRPv2 advert_int must be whole seconds from 1 to 255, got '0.5' "
         "(sub-second intervals need version 3)"]),
    "mixed_families_in_vips": (
        instance("  virtual_ipaddress {\n    fe80::1/64\n  }\n"),
        ["{f}:8:5: error: IPv4 address in virtual_ipaddress of an IPv6 instance (line 5): an "
         "advert carries one family; put it in virtual_ipaddress_excluded or in another "
         "vrrp_instance"]),
    "v3_with_authentication": (
        "global_defs {\n  vrrp_version 3\n}\n" + instance(
            "  authentication {\n    auth_type PASS\n    auth_pass x\n  }\n"),
        ["{f}:7:3: error: VRRPv3 has no authentication (RFC 5798): remove the "
         "authentication block or use version 2"]),
    "v3_advert_int_too_fine": (
        instance("  version 3\n  advert_int 0.001\n"),
        ["{f}:5:14: error: VRRPv3 advert_int must be 0.01 to 40.95 seconds in steps of 0.01, "
         "got '0.001'"]),
    "missing_vrid_and_interface": (
        "vrrp_instance VI_1 {\n  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n",
        ["{f}:1:1: error: vrrp_instance 'VI_1' has no virtual_router_id",
         "{f}:1:1: error: vrrp_instance 'VI_1' has no interface"]),
    "duplicate_vrid": (
        instance("") + "vrrp_instance VI_2 {\n  interface eth0\n  virtual_router_id 51\n"
        "  virtual_ipaddress {\n    10.0.0.2\n  }\n}\n",
        ["{f}:10:21: error: virtual_router_id 51 on eth0 is already used by "
         "vrrp_instance 'VI_1'"]),
    "unknown_names": (
        "vrrp_sync_group G {\n  group {\n    VI_1\n    VI_9\n  }\n}\n" +
        instance("  track_script {\n    chk_nothere\n  }\n"),
        ["{f}:4:5: error: vrrp_sync_group 'G': no vrrp_instance named 'VI_9'",
         "{f}:11:5: error: track_script 'chk_nothere': no vrrp_script of that name"]),
    "misspelt_keyword": (
        instance("  virtual_router 52\n  notify_mastr /bin/true\n"),
        ["{f}:4:3: error: unknown keyword 'virtual_router' in vrrp_instance",
         "{f}:5:3: error: unknown keyword 'notify_mastr' in vrrp_instance"]),
    "peer_options": (
        instance("  unicast_src_ip 10.0.0.1\n  unicast_peer {\n    10.0.0.2 min_ttl 3\n  }\n"),
        ["{f}:6:14: error: unexpected 'min_ttl' in unicast_peer (expected one address "
         "per line)"]),
    "script_without_command": (
        "vrrp_script chk {\n  interval 2\n  weight 300\n}\n",
        ["{f}:3:10: error: '300' is out of range (expected -254 to 254)",
         "{f}:1:1: error: vrrp_script 'chk' has no script"]),
    "unquoted_notify_arguments": (
        instance("  notify_master /usr/local/bin/vrrp.sh MASTER\n"),
        ["{f}:4:40: error: no such user 'MASTER'",
         "{f}:4:40: error: the words after the command of 'notify_master' name a user and "
         "group; quote the command to pass arguments"]),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_vrrp_config_gives_exact_errors(tmp_path, case):
    text, expected = BAD_CASES[case]
    path = write(tmp_path, text)
    status, lines = config_test(path)
    assert status == 3
    assert lines == expand(expected, path)


def test_too_many_addresses_in_adverts(tmp_path):
    vips = "".join("    10.0.%d.%d\n" % (n // 200, n % 200) for n in range(256))
    path = write(tmp_path, instance("  virtual_ipaddress {\n" + vips + "  }\n"))
    status, lines = config_test(path)
    assert status == 3
    assert lines == ["%s:260:5: error: more than 255 virtual addresses: a VRRPv2 advert "
                     "carries at most 255 (put the others in virtual_ipaddress_excluded)" % path]
