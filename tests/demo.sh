#!/usr/bin/env bash
# A self-contained demonstration in network namespaces: two nodes on a
# bridge, keepalived started on the first with a keepalived.conf.sample-style
# configuration.  Shows the processes, pid files and log, a reload, a child
# killed and restarted, and a clean stop.  Cleans up after itself.
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

NS1=kademo-node1 NS2=kademo-node2 SW=kademo-switch
WORK=$(mktemp -d /tmp/keepalived-demo.XXXXXX)
KA_PID=
cleanup() {
	[ -n "$KA_PID" ] && kill "$KA_PID" 2>/dev/null && wait "$KA_PID" 2>/dev/null
	for ns in $NS1 $NS2 $SW; do ip netns del "$ns" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
show_log() { sed 's/^/   | /' "$WORK/keepalived.log"; : >"$WORK/keepalived.log"; }

step "network: two nodes on a bridge (10.99.0.1 and 10.99.0.2)"
for ns in $SW $NS1 $NS2; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n $SW link add br0 type bridge && ip -n $SW link set br0 up
i=1
for ns in $NS1 $NS2; do
	ip link add eth0 netns "$ns" type veth peer name "port$i" netns $SW
	ip -n $SW link set "port$i" master br0 up
	ip -n "$ns" addr add "10.99.0.$i/24" dev eth0 && ip -n "$ns" link set eth0 up
	i=$((i + 1))
done
ip netns exec $NS2 ping -c1 -W2 10.99.0.1 >/dev/null && echo "node2 reaches node1"

step "configuration (keepalived -t checks it)"
cat >"$WORK/keepalived.conf" <<CONF
global_defs {
    router_id demo_node1
    notification_email {
        ops@example.com
    }
    notification_email_from keepalived@node1.example.com
    smtp_server 127.0.0.1
}
vrrp_instance VI_1 {
    state MASTER
}
virtual_server 10.99.0.100 80 {
}
CONF
sed 's/^/   | /' "$WORK/keepalived.conf"
"$KA" -t -f "$WORK/keepalived.conf" && echo "keepalived -t: exit status $?"

step "start keepalived on node1"
ip netns exec $NS1 "$KA" -n -l -D -f "$WORK/keepalived.conf" -p "$WORK/keepalived.pid" \
	-r "$WORK/vrrp.pid" -c "$WORK/checkers.pid" >>"$WORK/keepalived.log" 2>&1 &
KA_PID=$!
for _ in $(seq 50); do [ -s "$WORK/checkers.pid" ] && [ -s "$WORK/vrrp.pid" ] && break; sleep 0.1; done
sleep 0.5
ps -o pid,ppid,cmd --forest --pid "$KA_PID" --ppid "$KA_PID"
for f in keepalived vrrp checkers; do echo "$f.pid: $(cat "$WORK/$f.pid")"; done
show_log

step "kill -9 the VRRP child: the parent restarts it"
old=$(cat "$WORK/vrrp.pid")
kill -9 "$old"
for _ in $(seq 50); do [ "$(cat "$WORK/vrrp.pid")" != "$old" ] && break; sleep 0.1; done
sleep 0.3
echo "VRRP child pid: $old -> $(cat "$WORK/vrrp.pid")"
show_log

step "reload with a broken file: errors logged, running configuration kept"
cp "$WORK/keepalived.conf" "$WORK/good.conf"
printf 'vrrp_instance {\n' >>"$WORK/keepalived.conf"
kill -HUP "$KA_PID"; sleep 1
show_log

step "reload with a good file"
cp "$WORK/good.conf" "$WORK/keepalived.conf"
sed -i 's/demo_node1/demo_node1_v2/' "$WORK/keepalived.conf"
kill -HUP "$KA_PID"; sleep 1
show_log

step "stop (SIGTERM)"
kill -TERM "$KA_PID"
status=0; wait "$KA_PID" || status=$?
KA_PID=
echo "keepalived exited with status $status"
show_log
ls "$WORK"/*.pid 2>/dev/null || echo "pid files removed"
