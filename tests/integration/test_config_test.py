"""keepalived -t: exit status and the exact diagnostics an operator sees."""
import os

import pytest

from daemon import REPO, config_test, write_config_file

SAMPLE = os.path.join(REPO, "keepalived.conf.sample")


def test_sample_config_is_valid():
    status, lines = config_test(SAMPLE)
    assert status == 0, lines
    assert lines == []


def write(tmp_path, name, text):
    return write_config_file(tmp_path, text, name)


BAD_CASES = {
    "unknown_keyword": (
        "global_defs {\n    router_id r1\n    routr_id r2\n}\nbogus_block {\n  x 1\n}\n",
        ["{f}:3:5: error: unknown keyword 'routr_id' in global_defs",
         "{f}:5:1: error: unknown keyword 'bogus_block' in configuration"]),
    "bad_port": (
        "global_defs {\n  smtp_server 10.0.0.1 65536\n}\n",
        ["{f}:2:24: error: '65536' is out of range (expected 1 to 65535)"]),
    "bad_address": (
        "global_defs {\n  smtp_server 10.0.0.300\n}\n",
        ["{f}:2:15: error: '10.0.0.300' is not a valid IP address"]),
    "bad_timeout": (
        "global_defs {\n  smtp_connect_timeout 12abc\n}\n",
        ["{f}:2:24: error: '12abc' is not a valid number of seconds (expected 1 to 3600, "
         "like 3 or 0.5)"]),
    "unclosed_brace": (
        "global_defs {\n  router_id r1\n",
        ["{f}:1:13: error: unclosed '{' of 'global_defs'"]),
    "stray_close": (
        "global_defs {\n  router_id r1\n}\n}\n",
        ["{f}:4:1: error: unexpected '}'"]),
    "unterminated_quote": (
        "global_defs {\n  router_id \"r1\n}\n",
        ["{f}:2:13: error: unterminated quoted string"]),
    "missing_include": (
        "include nothere.conf\n",
        ["{f}:1:1: error: include file '{d}/nothere.conf' not found"]),
    "arity": (
        "global_defs {\n  router_id\n}\n",
        ["{f}:2:3: error: 'router_id' takes 1 argument, got 0"]),
    "bad_email": (
        "global_defs {\n  notification_email {\n    not-an-address\n  }\n}\n",
        ["{f}:3:5: error: 'not-an-address' is not an e-mail address"]),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_config_gives_exact_errors(tmp_path, case):
    text, expected = BAD_CASES[case]
    path = write(tmp_path, "keepalived.conf", text)
    status, lines = config_test(path)
    assert status == 3
    assert lines == [e.replace("{f}", str(path)).replace("{d}", str(tmp_path)) for e in expected]


def test_every_error_is_reported_in_one_run(tmp_path):
    path = write(tmp_path, "keepalived.conf",
                 "global_defs {\n  router_id\n  smtp_server nowhere\n  foo 1\n}\nbar\n")
    status, lines = config_test(path)
    assert status == 3
    assert len(lines) == 4, lines
    assert [l.split(":")[1] for l in lines] == ["2", "3", "4", "6"]


def test_include_loop_and_glob(tmp_path):
    write(tmp_path, "conf.d/a.conf", "include ../keepalived.conf\n")
    write(tmp_path, "conf.d/b.conf", "global_defs {\n  router_id from_b\n}\n")
    root = write(tmp_path, "keepalived.conf", "include conf.d/*.conf\n")
    status, lines = config_test(root)
    assert status == 3
    assert len(lines) == 1, lines
    assert lines[0].startswith("%s:1:1: error: " % (tmp_path / "conf.d" / "a.conf"))
    assert "loop" in lines[0]


def test_included_file_errors_point_into_it(tmp_path):
    inc = write(tmp_path, "inc/x.conf", "global_defs {\n  nonsense yes\n}\n")
    root = write(tmp_path, "keepalived.conf", "! top\ninclude inc/x.conf\n")
    status, lines = config_test(root)
    assert status == 3
    assert lines == ["%s:2:3: error: unknown keyword 'nonsense' in global_defs" % inc]


def test_glob_matching_nothing_is_a_warning(tmp_path):
    root = write(tmp_path, "keepalived.conf", "include conf.d/*.conf\n")
    status, lines = config_test(root)
    assert status == 0
    assert len(lines) == 1 and ": warning: " in lines[0]


def test_unsupported_checkers_are_announced(tmp_path):
    root = write(tmp_path, "keepalived.conf",
                 "virtual_server 10.0.0.1 80 {\n  protocol TCP\n"
                 "  real_server 10.0.0.2 53 {\n    DNS_CHECK {\n      type A\n"
                 "    }\n  }\n}\n")
    status, lines = config_test(root)
    # A check that cannot run must not be skipped silently.
    assert status == 3
    assert lines == ["%s:4:5: error: DNS_CHECK is not supported" % root]


def test_hostile_files_do_not_hang_or_crash(tmp_path):
    binary = write(tmp_path, "garbage.conf", "")
    binary.write_bytes(bytes(range(256)) * 4000)
    status, lines = config_test(binary)
    assert status == 3 and lines
    long_line = write(tmp_path, "long.conf", "global_defs {\n router_id " + "x" * (10 << 20) + "\n}\n")
    status, lines = config_test(long_line)
    assert status == 3
    assert any(":2:1: error:" in l for l in lines), lines[:3]
    assert all(len(l) < 1000 for l in lines)
    deep = write(tmp_path, "deep.conf", "a {\n" * 10000 + "}\n" * 10000)
    status, lines = config_test(deep)
    assert status == 3 and 0 < len(lines) < 300


def test_missing_and_directory_config(tmp_path):
    status, lines = config_test(tmp_path / "absent.conf")
    assert status == 3 and "No such file" in lines[0]
    status, lines = config_test(tmp_path)
    assert status == 3 and lines


def test_config_test_log_file(tmp_path):
    path = write(tmp_path, "keepalived.conf", "oops\n")
    out = tmp_path / "diag.txt"
    status, lines = config_test(path, "--config-test=%s" % out)
    assert status == 3 and lines == []
    assert out.read_text() == "%s:1:1: error: unknown keyword 'oops' in configuration\n" % path
