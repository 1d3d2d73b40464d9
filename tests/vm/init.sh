#!/bin/busybox sh
# /init of the throwaway test VM (stage 1).  Runs as PID 1 from the
# initramfs built by run.sh, under busybox sh: the initramfs has nothing but
# a static busybox, the few kernel modules needed to reach the host's files
# (listed in /modules.order, already decompressed) and this script.
#
# Its only job is to assemble the real root and hand over to stage2.sh:
#   host '/' (9p, read-only)  +  tmpfs  ->  overlay mounted at /newroot
# so the guest sees exactly the host's files, can write anywhere, and every
# write vanishes with the VM.  Directories given to run.sh --share are
# mounted writable on top, at their host paths.
#
# Busybox sh is POSIX sh, so this file is deliberately not bash.

# Applets as plain commands; the initramfs ships the busybox binary only.
/bin/busybox --install -s /bin
export PATH=/bin

# Any failure here means the VM cannot run the command.  Say why on the
# console (run.sh shows the console tail when no status comes back) and power
# off rather than let PID 1 exit, which would be a kernel panic.
die() {
	echo "vm-init: error: $*"
	poweroff -f
	# poweroff -f does not return; this is belt and braces.
	echo o >/proc/sysrq-trigger
	sleep 60
}

mount -t devtmpfs devtmpfs /dev || die "cannot mount devtmpfs"
# The archive may lack /dev/console (creating it needs root on the build
# side), in which case the kernel started us without stdio: attach it now.
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc || die "cannot mount /proc"
mount -t sysfs sysfs /sys || die "cannot mount /sys"

while read -r mod; do
	insmod "/lib/modules/$mod" || die "insmod $mod failed"
done </modules.order

# Options shared by every 9p mount.  msize: bigger messages make the slow
# TCG-emulated transport noticeably faster for python-heavy test runs.
P9OPTS=trans=virtio,version=9p2000.L,msize=262144

# Driver registration probes the devices synchronously, but allow a short
# retry so a slow probe does not turn into a confusing boot failure.
mount9p() {
	tag=$1 dir=$2 opts=$3
	i=0
	while ! mount -t 9p -o "$P9OPTS,$opts" "$tag" "$dir"; do
		i=$((i + 1))
		[ "$i" -lt 20 ] || die "cannot mount 9p share '$tag' on $dir"
		sleep 0.1
	done
}

mkdir -p /ctl /lower /rw /newroot
# The control share first: it says what else to mount and what to run.
mount9p vmctl /ctl rw
# cache=loose: the host root is read-only to us and the VM is short-lived,
# so caching metadata/pages in the guest is safe and saves many round trips.
mount9p hostroot /lower ro,cache=loose

mount -t tmpfs -o mode=0755 tmpfs /rw || die "cannot mount tmpfs for overlay"
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work \
	overlay /newroot || die "cannot mount overlay root"

# Kernel file systems for the new root.  Move the ones we already have so
# the console stays attached to the same devtmpfs.
mount --move /dev /newroot/dev || die "cannot move /dev"
mount --move /proc /newroot/proc || die "cannot move /proc"
mount --move /sys /newroot/sys || die "cannot move /sys"
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /newroot/dev/pts ||
	die "cannot mount devpts"
mount -t tmpfs -o mode=1777 tmpfs /newroot/dev/shm || die "cannot mount /dev/shm"
mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp || die "cannot mount /tmp"
mount -t tmpfs -o mode=0755 tmpfs /newroot/run || die "cannot mount /run"

# The control share moves under the new /run where stage2 expects it.
mkdir -p /newroot/run/vmctl
mount --move /ctl /newroot/run/vmctl || die "cannot move control share"
CTL=/newroot/run/vmctl

# Writable shares last, so that one below /tmp or /run is not hidden by the
# tmpfs mounted there above.  Each line: "<tag> <absolute path>" (run.sh
# guarantees the path has no newline; spaces inside it are fine here).
if [ -s "$CTL/shares" ]; then
	while read -r tag path; do
		mkdir -p "/newroot$path" || die "cannot create mount point $path"
		mount9p "$tag" "/newroot$path" rw
	done <"$CTL/shares"
fi

read -r STAGE2 <"$CTL/stage2" || die "control share has no stage2 path"
[ -f "/newroot$STAGE2" ] || die "stage 2 script $STAGE2 not visible in the guest"

# switch_root empties the initramfs, makes /newroot the root and execs
# stage 2 as PID 1.  bash comes from the host's root.  Should this fail,
# PID 1 exits, the kernel panics (panic=-1 with qemu -no-reboot ends the
# VM) and run.sh reports the boot failure with the console tail.
exec switch_root /newroot /bin/bash "$STAGE2"
