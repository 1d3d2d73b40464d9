#!/usr/bin/env bash
# Install, with apt, every package the build and the tests need; a no-op when
# they are all present.  Sourced by tests/check.sh and tests/demo.sh.

KA_BUILD_DEPS=(build-essential autoconf automake libtool pkg-config
	libnl-3-dev libnl-route-3-dev libnl-genl-3-dev libssl-dev libipset-dev
	libsnmp-dev libcmocka-dev)
KA_TEST_DEPS=(python3 python3-pytest python3-scapy iproute2 iputils-ping procps
	psmisc kmod ipvsadm tcpdump keepalived bc openssl python3-cryptography python3-aiosmtpd
	snmpd snmp snmptrapd)
KA_VM_DEPS=(qemu-system-x86 linux-image-amd64 busybox-static cpio zstd xz-utils)
# bench/ (plots); its smoke run is part of the integration tests.
KA_BENCH_DEPS=(python3-matplotlib)

ka_install_deps() {
	local missing=() pkg
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages (run as root to install them): ${missing[*]}" >&2
		return 1
	fi
	echo "installing: ${missing[*]}"
	# Debian's keepalived is a test peer, never a service of this machine:
	# keep package scripts from starting anything while we install.
	local policy=/usr/sbin/policy-rc.d own_policy=0 rc=0
	if [ ! -e $policy ]; then
		printf '#!/bin/sh\nexit 101\n' >$policy && chmod 755 $policy && own_policy=1
	fi
	apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"${missing[@]}" >/dev/null || rc=$?
	[ $own_policy -eq 1 ] && rm -f $policy
	return $rc
}

# Configure (once per build directory) and build out of tree.
ka_build() {
	local builddir=$1; shift
	(cd "$KA_REPO" && { [ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi >/dev/null; }) || return 1
	mkdir -p "$builddir"
	if [ ! -f "$builddir/Makefile" ] || [ "$KA_REPO/configure" -nt "$builddir/Makefile" ]; then
		(cd "$builddir" && "$KA_REPO/configure" -q "$@") || return 1
	fi
	make -C "$builddir" -j"$(nproc)" -s
}
