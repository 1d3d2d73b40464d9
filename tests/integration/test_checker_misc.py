"""MISC_CHECK against the real kernel IPVS: the program's exit code decides
(0 up, 1 down), misc_dynamic sets the weight to code - 2, and a program
that hangs is killed at misc_timeout (its whole process group, nothing
left behind) and counts as a failure."""
import os
import subprocess

import pytest

from daemon import wait_for

pytestmark = pytest.mark.ipvs

CONF = """global_defs {
    router_id director
}
virtual_server 10.99.0.100 80 {
    delay_loop 1
    lb_algo rr
    protocol TCP
    real_server 10.99.0.2 80 {
        weight 1
        MISC_CHECK {
            misc_path "%s %s"
            misc_timeout 2
            misc_dynamic
        }
    }
}
"""

SCRIPT = """#!/bin/sh
code=$(cat "$1")
if [ "$code" = hang ]; then
    sleep 100 &
    wait
fi
exit "$code"
"""


def dest(host):
    """The weight of 10.99.0.2:80 in the IPVS table, or None."""
    out = host.run("ipvsadm", "-Ln").stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0] == "->" and parts[1] == "10.99.0.2:80":
            return int(parts[3])
    return None


def test_misc_check_exit_codes_and_timeout(topology, daemon, tmp_path):
    h = topology(1).hosts[0]
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    os.chmod(scripts, 0o755)
    check = scripts / "check.sh"
    check.write_text(SCRIPT)
    os.chmod(check, 0o755)
    state = tmp_path / "state"
    state.write_text("0\n")
    daemon(CONF % (check, state), netns=h.ns, extra_args=["-C"])

    def weight_is(w):
        return wait_for(lambda: dest(h) == w, timeout=30, what="weight %r (now %r)" % (w, dest(h)))

    weight_is(1)
    state.write_text("7\n")          # misc_dynamic: weight 7 - 2
    weight_is(5)
    state.write_text("1\n")          # down: removed
    weight_is(None)
    state.write_text("0\n")          # up again with its configured weight
    weight_is(1)
    state.write_text("hang\n")       # killed at misc_timeout: down
    weight_is(None)
    state.write_text("0\n")
    weight_is(1)
    leftovers = subprocess.run(["pgrep", "-f", "sleep 100"], capture_output=True, text=True)
    assert leftovers.stdout.strip() == "", "a killed check left processes behind"
