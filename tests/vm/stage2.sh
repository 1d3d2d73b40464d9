#!/bin/bash
# Stage 2 of the throwaway test VM: PID 1 after init.sh has switched to the
# overlay root (the host's files, writable, discarded at power-off).
#
# Reads what to run from the control share (/run/vmctl, written by run.sh),
# runs it with its output on the console, which is the host's stdout, stores
# the exit status in the control share and powers the VM off.
#
# No `set -e` here on purpose: whatever fails, PID 1 must still report a
# status (or at least power off); exiting would panic the kernel instead.
set -uo pipefail

CTL=/run/vmctl

power_off() {
	sync
	# Immediate ACPI power-off; qemu then exits.  Nothing in the VM is
	# worth an orderly shutdown.
	echo o >/proc/sysrq-trigger
	sleep 60
}

fail() {
	echo "vm-stage2: error: $*"
	power_off
}

# The console is a serial line: stop the tty turning "\n" into "\r\n" so
# the host receives the command's bytes unchanged.
stty -onlcr 2>/dev/null || true

# Loopback is the only network; tests build anything else themselves.
ip link set lo up 2>/dev/null || busybox ip link set lo up 2>/dev/null ||
	echo "vm-stage2: warning: cannot bring up lo"
hostname vmtest 2>/dev/null || true

# Written by run.sh with bash's printf %q, so sourcing restores the values
# exactly.  They define: cmd (array), cwd, begin_marker, end_marker and
# vm_env (array of NAME=VALUE for the command's environment).
cmd=() vm_env=() cwd=/ begin_marker='' end_marker=''
# shellcheck source=/dev/null
source "$CTL/job" || fail "cannot read $CTL/job"

cd "$cwd" || fail "cannot cd to $cwd"

# Seconds since the kernel started: run.sh reports it as the boot time.
read -r uptime _ </proc/uptime
echo "$uptime" >"$CTL/boot_seconds"

# run.sh shows only what comes between the markers.
printf '%s\n' "$begin_marker"
# stdin from /dev/null: nobody types on this console, and a command reading
# it would hang until the timeout.  env -i so the command sees the caller's
# chosen environment, not the kernel's PID 1 environment.
env -i "${vm_env[@]}" "${cmd[@]}" </dev/null
rc=$?
printf '%s\n' "$end_marker"

echo "$rc" >"$CTL/status.tmp" && mv "$CTL/status.tmp" "$CTL/status"
power_off
