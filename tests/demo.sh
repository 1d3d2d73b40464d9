#!/usr/bin/env bash
# A self-contained demonstration in network namespaces: two nodes on a
# bridge run keepalived with a keepalived.conf.sample-style configuration.
# Shows the processes, pid files and log; the VRRP election and the VIP on
# the master; the VIP moving when the master dies and coming back when it
# returns; a child killed and restarted; a broken and a good reload; a clean
# stop.  Cleans up after itself.
set -euo pipefail

KA_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${KA_BUILD_DIR:-$KA_REPO/build/demo}
# shellcheck source=tests/deps.sh
. "$KA_REPO/tests/deps.sh"

[ "$(id -u)" -eq 0 ] || { echo "tests/demo.sh needs root (network namespaces)" >&2; exit 1; }
ka_install_deps "${KA_BUILD_DEPS[@]}" iproute2 iputils-ping procps
echo "== building"
ka_build "$BUILD"
KA=$BUILD/keepalived/keepalived

SW=kademo-switch
NODES=(kademo-node1 kademo-node2)
VIP=10.99.0.100
WORK=$(mktemp -d /tmp/keepalived-demo.XXXXXX)
declare -A PID=()

cleanup() {
	for n in 1 2; do stop_node "$n" 2>/dev/null || true; done
	for ns in "${NODES[@]}" $SW; do ip netns del "$ns" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
# The log of node N since the last call (lines are appended, O_APPEND).
show_log() {
	local f=$WORK/node$1/keepalived.log
	[ -f "$f" ] || return 0
	tail -c +"$(($(cat "$f.shown" 2>/dev/null || echo 0) + 1))" "$f" | sed "s/^/   node$1 | /"
	stat -c %s "$f" >"$f.shown"
}
holders() {
	local out="" n
	for n in 1 2; do
		ip -n "${NODES[n-1]}" -o -4 addr show dev eth0 | grep -q " $VIP/" && out+=" node$n"
	done
	echo "${out:- nobody}"
}
wait_holder() {	# wait until exactly node $1 holds the VIP
	for _ in $(seq 100); do [ "$(holders)" = " node$1" ] && return 0; sleep 0.1; done
	return 1
}
start_node() {
	local n=$1 dir=$WORK/node$1
	ip netns exec "${NODES[n-1]}" "$KA" -n -l -f "$dir/keepalived.conf" -p "$dir/keepalived.pid" \
		-r "$dir/vrrp.pid" -c "$dir/checkers.pid" >>"$dir/keepalived.log" 2>&1 &
	PID[$n]=$!
}
stop_node() {
	[ -n "${PID[$1]:-}" ] || return 0
	kill -TERM "${PID[$1]}" 2>/dev/null || true
	wait "${PID[$1]}" 2>/dev/null || true
	PID[$1]=
}
write_config() {	# node priority
	mkdir -p "$WORK/node$1"
	cat >"$WORK/node$1/keepalived.conf" <<CONF
global_defs {
    router_id demo_node$1
    notification_email {
        ops@example.com
    }
    notification_email_from keepalived@node$1.example.com
    smtp_server 127.0.0.1
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass demo
    }
    virtual_ipaddress {
        $VIP/24
    }
}
CONF
}

step "network: two nodes on a bridge (10.99.0.1 and 10.99.0.2)"
for ns in $SW "${NODES[@]}"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n $SW link add br0 type bridge && ip -n $SW link set br0 up
for n in 1 2; do
	ip link add eth0 netns "${NODES[n-1]}" type veth peer name "port$n" netns $SW
	ip -n $SW link set "port$n" master br0 up
	ip -n "${NODES[n-1]}" addr add "10.99.0.$n/24" dev eth0
	ip -n "${NODES[n-1]}" link set eth0 up
done
ip netns exec "${NODES[1]}" ping -c1 -W2 10.99.0.1 >/dev/null && echo "node2 reaches node1"

step "configuration of node1 (priority 150; node2 has 100), checked with keepalived -t"
write_config 1 150
write_config 2 100
sed 's/^/   | /' "$WORK/node1/keepalived.conf"
"$KA" -t -f "$WORK/node1/keepalived.conf" && echo "keepalived -t: exit status 0"

step "start keepalived on both nodes: the election"
start_node 1
start_node 2
wait_holder 1 && echo "VIP $VIP is held by:$(holders)"
ps -o pid,ppid,cmd --forest --pid "${PID[1]}" --ppid "${PID[1]}" | cut -c1-110
for f in keepalived vrrp; do echo "node1 $f.pid: $(cat "$WORK/node1/$f.pid")"; done
show_log 1; show_log 2

step "kill -9 every keepalived process of node1 (the master): node2 takes over"
pkill -9 -f "$WORK/node1/keepalived.conf"
wait "${PID[1]}" 2>/dev/null || true
PID[1]=
start=$(date +%s.%N)
ip -n "${NODES[0]}" addr del "$VIP/24" dev eth0	# a dead node's VIP is gone with its power
wait_holder 2 && printf 'VIP held by:%s after %.1f s\n' "$(holders)" "$(echo "$(date +%s.%N) - $start" | bc)"
show_log 2

step "node1 comes back: it preempts (higher priority)"
start_node 1
wait_holder 1 || sleep 5
echo "VIP held by:$(holders)"
show_log 1; show_log 2

step "kill -9 node1's VRRP child only: the parent restarts it"
old=$(cat "$WORK/node1/vrrp.pid")
kill -9 "$old"
for _ in $(seq 50); do [ "$(cat "$WORK/node1/vrrp.pid")" != "$old" ] && break; sleep 0.1; done
echo "VRRP child pid: $old -> $(cat "$WORK/node1/vrrp.pid")"
wait_holder 1 || sleep 5
echo "VIP held by:$(holders)"
show_log 1

step "reload node1 with a broken file: errors logged, running configuration kept"
cp "$WORK/node1/keepalived.conf" "$WORK/node1/good.conf"
printf 'vrrp_instance {\n' >>"$WORK/node1/keepalived.conf"
kill -HUP "${PID[1]}"; sleep 1
show_log 1

step "reload node1 with priority 50: node2 preempts"
sed 's/priority 150/priority 50/' "$WORK/node1/good.conf" >"$WORK/node1/keepalived.conf"
kill -HUP "${PID[1]}"
wait_holder 2 || sleep 5
echo "VIP held by:$(holders)"
show_log 1; show_log 2

step "stop node2 (SIGTERM): it resigns with priority 0, node1 takes over at once"
stop_node 2
wait_holder 1 || sleep 5
echo "VIP held by:$(holders)"
show_log 2; show_log 1

step "stop node1"
stop_node 1
show_log 1
ls "$WORK"/node1/*.pid 2>/dev/null || echo "pid files removed"

step "load balancing with IPVS: a virtual server, three real servers, a sorry server"
if "$KA_REPO/tests/vm/have_ipvs.sh"; then
	"$KA_REPO/tests/demo_ipvs.sh" "$KA"
else
	echo "(this kernel has no IPVS: this part runs in a throwaway VM, tests/vm/run.sh)"
	ka_install_deps "${KA_VM_DEPS[@]}" ipvsadm python3
	"$KA_REPO/tests/vm/run.sh" -- "$KA_REPO/tests/demo_ipvs.sh" "$KA"
fi
