#!/usr/bin/env bash
# The load-balancing half of the demonstration; needs a kernel with IPVS
# (tests/demo.sh runs it inside the VM harness when this one has none).
# A director namespace with keepalived's checker, three real servers that
# are real listeners, a client; the IPVS table as ipvsadm shows it while
# real servers stop and come back.  Usage: demo_ipvs.sh KEEPALIVED_BINARY
set -euo pipefail

KA=$1
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
WORK=$(mktemp -d /tmp/keepalived-lb-demo.XXXXXX)
P=kalb
KA_PID=
declare -A RS_PID=()

cleanup() {
	[ -n "$KA_PID" ] && kill "$KA_PID" 2>/dev/null && wait "$KA_PID" 2>/dev/null
	for p in "${RS_PID[@]}"; do kill "$p" 2>/dev/null || true; done
	for ns in $P-dir $P-rs1 $P-rs2 $P-rs3 $P-cli $P-sw; do ip netns del "$ns" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }
table() { ip netns exec $P-dir ipvsadm -Ln | sed 's/^/   | /'; }
wait_table() {	# wait until ipvsadm output matches a regex
	for _ in $(seq 150); do ip netns exec $P-dir ipvsadm -Ln | grep -Eq "$1" && return 0; sleep 0.2; done
	return 1
}
wait_gone() {
	for _ in $(seq 150); do ip netns exec $P-dir ipvsadm -Ln | grep -Eq "$1" || return 0; sleep 0.2; done
	return 1
}
rs_start() {	# n
	ip netns exec "$P-rs$1" $PY "$HERE/integration/rs_server.py" "rs$1" 80 >/dev/null 2>&1 &
	RS_PID[$1]=$!
}
rs_stop() { kill "${RS_PID[$1]}"; wait "${RS_PID[$1]}" 2>/dev/null || true; unset "RS_PID[$1]"; }
ask() {	# a few connections from the client through the VIP
	ip netns exec $P-cli $PY -c "
import socket
for i in range(6):
    s = socket.create_connection(('10.98.0.100', 80), timeout=5)
    print(s.makefile().readline().strip(), end=' '); s.close()
print()"
}

step "network: client 10.98.0.2 -- director (VIP 10.98.0.100, NAT) -- real servers 10.99.0.11-13"
for ns in sw dir rs1 rs2 rs3 cli; do ip netns add "$P-$ns"; ip -n "$P-$ns" link set lo up; done
for br in lan wan; do ip -n $P-sw link add $br type bridge; ip -n $P-sw link set $br up; done
plug() {	# ns bridge addr/len port-name
	ip link add eth0 netns "$P-$1" type veth peer name "$4" netns $P-sw
	ip -n $P-sw link set "$4" master "$2" up
	ip -n "$P-$1" addr add "$3" dev eth0
	ip -n "$P-$1" link set eth0 up
}
plug cli wan 10.98.0.2/24 p-cli
ip -n $P-cli route add default via 10.98.0.1
for n in 1 2 3; do
	plug "rs$n" lan "10.99.0.1$n/24" "p-rs$n"
	ip -n "$P-rs$n" route add default via 10.99.0.1
done
ip link add wan0 netns $P-dir type veth peer name p-dwan netns $P-sw
ip link add lan0 netns $P-dir type veth peer name p-dlan netns $P-sw
ip -n $P-sw link set p-dwan master wan up; ip -n $P-sw link set p-dlan master lan up
ip -n $P-dir addr add 10.98.0.1/24 dev wan0; ip -n $P-dir addr add 10.98.0.100/24 dev wan0
ip -n $P-dir addr add 10.99.0.1/24 dev lan0
ip -n $P-dir link set wan0 up; ip -n $P-dir link set lan0 up
ip netns exec $P-dir sysctl -qw net.ipv4.ip_forward=1
for n in 1 2 3; do rs_start $n; done

step "configuration: one virtual server, three real servers with TCP_CHECK, a sorry server"
cat >"$WORK/keepalived.conf" <<CONF
global_defs {
    router_id lb_demo
}
virtual_server 10.98.0.100 80 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    sorry_server 10.99.0.99 80
    real_server 10.99.0.11 80 {
        weight 1
        inhibit_on_failure
        TCP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
    real_server 10.99.0.12 80 {
        weight 2
        inhibit_on_failure
        TCP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
    real_server 10.99.0.13 80 {
        weight 3
        inhibit_on_failure
        TCP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
}
CONF
sed 's/^/   | /' "$WORK/keepalived.conf"
"$KA" -t -f "$WORK/keepalived.conf" && echo "keepalived -t: exit status 0"

step "start keepalived (checker) on the director: the table"
ip netns exec $P-dir "$KA" -n -l -C -f "$WORK/keepalived.conf" -p "$WORK/k.pid" -r "$WORK/v.pid" \
	-c "$WORK/c.pid" >"$WORK/keepalived.log" 2>&1 &
KA_PID=$!
wait_table '10.99.0.13:80 +Masq +3'
table
echo "client through the VIP: $(ask)"

step "stop real server 10.99.0.12: weight 0 (inhibit_on_failure), existing connections may finish"
rs_stop 2
wait_table '10.99.0.12:80 +Masq +0'
table
echo "client through the VIP: $(ask)"

step "stop the other two: the sorry server takes the traffic"
rs_stop 1; rs_stop 3
wait_table '10.99.0.99:80'
table

step "real servers come back: their weights return, the sorry server goes"
for n in 1 2 3; do rs_start $n; done
wait_gone '10.99.0.99:80'
wait_table '10.99.0.12:80 +Masq +2'
table
echo "client through the VIP: $(ask)"

step "the checker's log"
grep -v DEBUG "$WORK/keepalived.log" | sed 's/^/   | /'

step "stop keepalived: our service is removed"
kill -TERM "$KA_PID"; wait "$KA_PID" || true; KA_PID=
table
