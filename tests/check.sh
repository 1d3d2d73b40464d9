#!/usr/bin/env bash
# Build with -Werror and ASan/UBSan and run every test: unit (cmocka),
# integration (pytest in network namespaces), and the IPVS tests, inside the
# VM harness when this kernel has no IPVS.  Ends with "N passed, N failed".
set -uo pipefail

KA_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${KA_BUILD_DIR:-$KA_REPO/build/check}
RESULTS=$BUILD/results
PY=/usr/bin/python3
# shellcheck source=tests/deps.sh
. "$KA_REPO/tests/deps.sh"

[ "$(id -u)" -eq 0 ] || { echo "tests/check.sh needs root (network namespaces, IPVS)" >&2; exit 1; }
ka_install_deps "${KA_BUILD_DEPS[@]}" "${KA_TEST_DEPS[@]}" "${KA_VM_DEPS[@]}" \
	"${KA_BENCH_DEPS[@]}" || exit 1

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

stage_failures=()
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

echo "== build (--enable-werror --enable-sanitizers)"
if ! ka_build "$BUILD" --enable-werror --enable-sanitizers; then
	echo "0 passed, 1 failed"
	exit 1
fi
export KEEPALIVED_BIN=$BUILD/keepalived/keepalived

echo "== unit tests"
CMOCKA_MESSAGE_OUTPUT=xml CMOCKA_XML_FILE="$RESULTS/unit-%g.xml" \
	make -C "$BUILD" -s check >"$RESULTS/unit.log" 2>&1 || stage_failures+=(unit)
grep -E '^(PASS|FAIL|ERROR|XFAIL|XPASS|SKIP):' "$RESULTS/unit.log" || cat "$RESULTS/unit.log"

# (test_bench_smoke.py smoke-runs the host benchmarks of bench/ here.)
echo "== integration tests (host)"
(cd "$KA_REPO/tests/integration" &&
	"$PY" -m pytest -q -m "not ipvs" --junitxml="$RESULTS/integration.xml") ||
	stage_failures+=(integration)

echo "== IPVS tests"
ipvs_cmd=(env KEEPALIVED_BIN="$KEEPALIVED_BIN" ASAN_OPTIONS="$ASAN_OPTIONS"
	UBSAN_OPTIONS="$UBSAN_OPTIONS" "$PY" -m pytest -q -m ipvs
	--junitxml="$RESULTS/ipvs.xml" -p no:cacheprovider)
if "$KA_REPO/tests/vm/have_ipvs.sh"; then
	(cd "$KA_REPO/tests/integration" && "${ipvs_cmd[@]}") || stage_failures+=(ipvs)
else
	echo "(this kernel has no IPVS: running them in a VM)"
	(cd "$KA_REPO/tests/integration" &&
		"$KA_REPO/tests/vm/run.sh" --share "$RESULTS" -- "${ipvs_cmd[@]}") ||
		stage_failures+=(ipvs)
fi

"$PY" "$KA_REPO/tests/summarize.py" "${stage_failures[@]/#/--failed-stage=}" "$RESULTS"
