#!/usr/bin/env bash
# Run every benchmark, ours against the reference keepalived, into one
# results directory: the VRRP ones on this machine, the IPVS ones (checker
# scale, IPVS programming) in this kernel when it has IPVS, otherwise inside
# ONE boot of the VM harness (tests/vm/run.sh).
#
#   bench/run_all.sh [--smoke] [--out DIR] [--ours PATH] [--theirs PATH] [--no-vm]
#
# --smoke: tiny sizes, one round (about two minutes in all): proves the
# scripts still work, measures nothing worth quoting.  Extra options for one
# script go through environment variables: BENCH_TAKEOVER_ARGS,
# BENCH_MANY_ARGS, BENCH_CHECKER_ARGS, BENCH_IPVS_ARGS, BENCH_RELOAD_ARGS
# (word-split).
set -uo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH")
PY=/usr/bin/python3
out=$REPO/build/bench
ours=$REPO/build/keepalived/keepalived
theirs=/usr/sbin/keepalived
smoke=()
vm=1

while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=(--smoke) ;;
	--out) out=$2; shift ;;
	--ours) ours=$2; shift ;;
	--theirs) theirs=$2; shift ;;
	--no-vm) vm=0 ;;
	-h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

[ "$(id -u)" -eq 0 ] || { echo "run_all.sh needs root (namespaces, IPVS)" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
ours=$(readlink -f "$ours")
common=(--ours "$ours" --theirs "$theirs" --out "$out" "${smoke[@]}")
failed=()

run() {
	local name=$1; shift
	echo "== $name"
	"$@" || failed+=("$name")
}

# shellcheck disable=SC2086
run vrrp_takeover "$PY" "$BENCH/vrrp_takeover.py" "${common[@]}" ${BENCH_TAKEOVER_ARGS:-}
# shellcheck disable=SC2086
run vrrp_many "$PY" "$BENCH/vrrp_many.py" "${common[@]}" ${BENCH_MANY_ARGS:-}

ipvs_benches() {
	local rc=0
	# shellcheck disable=SC2086
	"$PY" "$BENCH/checker_scale.py" "${common[@]}" ${BENCH_CHECKER_ARGS:-} || rc=1
	# shellcheck disable=SC2086
	"$PY" "$BENCH/ipvs_program.py" "${common[@]}" ${BENCH_IPVS_ARGS:-} || rc=1
	# shellcheck disable=SC2086
	"$PY" "$BENCH/reload_scale.py" "${common[@]}" ${BENCH_RELOAD_ARGS:-} || rc=1
	return $rc
}

if "$REPO/tests/vm/have_ipvs.sh"; then
	run ipvs ipvs_benches
elif [ $vm -eq 1 ]; then
	echo "(this kernel has no IPVS: the IPVS benchmarks run in a VM)"
	export BENCH_CHECKER_ARGS=${BENCH_CHECKER_ARGS:-} BENCH_IPVS_ARGS=${BENCH_IPVS_ARGS:-}
	export BENCH_RELOAD_ARGS=${BENCH_RELOAD_ARGS:-}
	cmd="rc=0; $PY $BENCH/checker_scale.py ${common[*]} \${BENCH_CHECKER_ARGS} || rc=1;"
	cmd+=" $PY $BENCH/ipvs_program.py ${common[*]} \${BENCH_IPVS_ARGS} || rc=1;"
	cmd+=" $PY $BENCH/reload_scale.py ${common[*]} \${BENCH_RELOAD_ARGS} || rc=1; exit \$rc"
	run ipvs env VM_PASS_ENV="BENCH_CHECKER_ARGS BENCH_IPVS_ARGS BENCH_RELOAD_ARGS" \
		"$REPO/tests/vm/run.sh" --timeout 7200 --share "$out" -- bash -c "$cmd"
else
	echo "(no IPVS here and --no-vm: IPVS benchmarks skipped)"
fi

echo "results in $out"
if [ ${#failed[@]} -gt 0 ]; then
	echo "failed: ${failed[*]}" >&2
	exit 1
fi
