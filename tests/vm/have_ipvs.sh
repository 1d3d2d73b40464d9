#!/bin/bash
# Exit 0 if the running kernel has IPVS, 1 otherwise.
#
# tests/check.sh uses this to choose between running the ipvs-marked tests
# directly and running them inside the VM of run.sh.  ip_vs is usually a
# module, so try to load it (quietly; it fails harmlessly when we are not
# root or the kernel has no such module) before looking.
set -euo pipefail

# modprobe lives in sbin, which a non-root PATH may lack.
PATH=$PATH:/usr/sbin:/sbin

if [[ ! -e /proc/net/ip_vs ]] && command -v modprobe >/dev/null; then
	modprobe -q ip_vs 2>/dev/null || true
fi
if [[ -e /proc/net/ip_vs ]]; then
	exit 0
fi
exit 1
