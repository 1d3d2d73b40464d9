#!/bin/bash
# Run one command inside a throwaway qemu VM whose kernel has IPVS.
#
#   tests/vm/run.sh [--timeout SECS] [--mem MB] [--share DIR]... -- COMMAND [ARGS...]
#
# The guest boots a Debian kernel from /boot with a tiny busybox initramfs,
# mounts this machine's '/' read-only over 9p with a tmpfs overlay on top
# (so it sees the same files and tools, and its writes are discarded), then
# runs COMMAND as root in the caller's cwd.  Each --share DIR is mounted
# writable at the same path in the guest, for results the host must see.
#
# Exit status: COMMAND's own; 124 if the timeout expired; 125 if the VM
# never reported a status (boot failure; the console tail is shown).
#
# Environment:
#   VM_KERNEL     kernel to boot: a vmlinuz path or a version (default: the
#                 newest /boot/vmlinuz-* whose /lib/modules dir exists)
#   VM_CACHE_DIR  where built initramfs images are kept (default build/vm)
#   VM_PASS_ENV   space separated names of variables passed to COMMAND
#   VM_VERBOSE=1  report boot and total time on stderr
#   VM_CONSOLE_LOG=FILE  keep the whole raw console output (boot included)
set -euo pipefail

prog=${0##*/}
# Resolve our own location so the script works from any cwd.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)

usage() {
	echo "usage: $prog [--timeout SECS] [--mem MB] [--share DIR]... -- COMMAND [ARGS...]" >&2
	exit 2
}

die() {
	echo "$prog: $*" >&2
	exit 125
}

timeout_s=1200
mem_mb=2048
shares=()
while [[ $# -gt 0 ]]; do
	case $1 in
	--timeout)
		[[ $# -ge 2 && $2 =~ ^[0-9]+$ && $2 -gt 0 ]] || usage
		timeout_s=$2
		shift 2
		;;
	--mem)
		[[ $# -ge 2 && $2 =~ ^[0-9]+$ && $2 -ge 256 ]] || usage
		mem_mb=$2
		shift 2
		;;
	--share)
		[[ $# -ge 2 ]] || usage
		[[ -d $2 ]] || { echo "$prog: --share $2: not a directory" >&2; exit 2; }
		# Absolute and symlink-free: the guest mounts it at this path.
		shares+=("$(cd "$2" && pwd -P)")
		shift 2
		;;
	--)
		shift
		break
		;;
	*) usage ;;
	esac
done
[[ $# -gt 0 ]] || usage

for tool in qemu-system-x86_64 cpio gzip timeout; do
	command -v "$tool" >/dev/null || die "$tool not found (apt-get install qemu-system-x86 busybox-static linux-image-amd64)"
done

# ---------------------------------------------------------------- kernel ---

# The newest Debian kernel image that has its modules installed; the guest
# needs /lib/modules/$kver (seen through the shared root) for modprobe.
pick_kernel() {
	local img kver best=
	for img in /boot/vmlinuz-*; do
		[[ -f $img ]] || continue
		kver=${img#/boot/vmlinuz-}
		[[ -d /lib/modules/$kver ]] || continue
		best+="$kver"$'\n'
	done
	[[ -n $best ]] || return 1
	printf '%s' "$best" | sort -V | tail -n 1
}

if [[ -n ${VM_KERNEL:-} ]]; then
	if [[ -f $VM_KERNEL ]]; then
		kernel=$VM_KERNEL
		kver=${kernel##*/vmlinuz-}
	else
		kver=$VM_KERNEL
		kernel=/boot/vmlinuz-$kver
	fi
else
	kver=$(pick_kernel) || die "no /boot/vmlinuz-* with matching /lib/modules (apt-get install linux-image-amd64)"
	kernel=/boot/vmlinuz-$kver
fi
[[ -r $kernel ]] || die "kernel $kernel not readable"
moddir=/lib/modules/$kver
[[ -f $moddir/modules.dep ]] || die "$moddir/modules.dep missing (VM_KERNEL=$kver?)"

# ------------------------------------------------------------- initramfs ---

# What the initramfs needs to reach the host root: the virtio PCI transport,
# 9p over virtio, and overlayfs.  Dependencies are added from modules.dep.
wanted_modules=(virtio_ring virtio virtio_pci netfs 9pnet 9pnet_virtio 9p overlay)

busybox=${VM_BUSYBOX:-/bin/busybox}
[[ -x $busybox ]] || die "$busybox missing (apt-get install busybox-static)"
# The initramfs has no libc, so a dynamically linked busybox cannot work.
if ldd "$busybox" >/dev/null 2>&1; then
	die "$busybox is dynamically linked; install busybox-static"
fi

cache_dir=${VM_CACHE_DIR:-$repo/build/vm}
mkdir -p "$cache_dir"

# Rebuild whenever anything that goes into the image changes: this script's
# module list, init.sh, busybox, or the kernel's modules.
cache_key=$(
	{
		printf '%s\n' "$kver" "${wanted_modules[*]}"
		cat "$here/init.sh"
		stat -Lc '%n %s %Y' "$busybox" "$moddir/modules.dep"
	} | sha256sum | cut -c1-16
)
initrd=$cache_dir/initramfs-$kver-$cache_key.cpio.gz

# Print, one per line, the modules.dep paths to insmod in order.
# modules.dep lines read "path: dep dep ...", where the dependency list is
# already the full closure, ordered so that loading it back to front works.
module_load_order() {
	local line path deps name m d i
	local -A path_of=() deps_of=() builtin=() seen=()
	while IFS= read -r line; do
		path=${line%%:*}
		deps=${line#*:}
		name=${path##*/}
		name=${name%%.ko*}
		name=${name//-/_}
		path_of[$name]=$path
		deps_of[$name]=$deps
	done <"$moddir/modules.dep"
	# Modules built into the kernel need no loading.
	if [[ -f $moddir/modules.builtin ]]; then
		while IFS= read -r path; do
			name=${path##*/}
			name=${name%%.ko*}
			builtin[${name//-/_}]=1
		done <"$moddir/modules.builtin"
	fi
	for m in "${wanted_modules[@]}"; do
		if [[ -z ${path_of[$m]:-} ]]; then
			[[ -n ${builtin[$m]:-} ]] && continue
			echo "$prog: module $m not found for kernel $kver" >&2
			return 1
		fi
		read -r -a d <<<"${deps_of[$m]}"
		for ((i = ${#d[@]} - 1; i >= 0; i--)); do
			if [[ -z ${seen[${d[i]}]:-} ]]; then
				seen[${d[i]}]=1
				echo "${d[i]}"
			fi
		done
		if [[ -z ${seen[${path_of[$m]}]:-} ]]; then
			seen[${path_of[$m]}]=1
			echo "${path_of[$m]}"
		fi
	done
}

# Populate the staging dir $1 and write the image.  Runs under `set -e` in a
# subshell (see below), so any failing step aborts the build.
build_initramfs() {
	local stage=$1 order rel base out
	mkdir -p "$stage"/{bin,dev,proc,sys,lib/modules}
	cp "$busybox" "$stage/bin/busybox"
	cp "$here/init.sh" "$stage/init"
	chmod 0755 "$stage/init" "$stage/bin/busybox"
	# Lets the kernel give /init a console from the start; init.sh copes
	# without it when we are not allowed to create device nodes.
	mknod -m 0600 "$stage/dev/console" c 5 1 2>/dev/null || true

	order=$(module_load_order)
	while IFS= read -r rel; do
		base=${rel##*/}
		base=${base%%.ko*}.ko
		out=$stage/lib/modules/$base
		# busybox insmod cannot be relied on for compressed modules.
		case $rel in
		*.ko) cp "$moddir/$rel" "$out" ;;
		*.ko.xz) xz -dc "$moddir/$rel" >"$out" ;;
		*.ko.zst) zstd -qdc "$moddir/$rel" >"$out" ;;
		*.ko.gz) gzip -dc "$moddir/$rel" >"$out" ;;
		*)
			echo "$prog: unknown module format: $rel" >&2
			return 1
			;;
		esac
		echo "$base" >>"$stage/modules.order"
	done <<<"$order"

	# Build to a temporary name and rename, so concurrent runs never see a
	# half written image.
	(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --quiet -R 0:0) | gzip -1 >"$initrd.tmp.$$"
	mv -f "$initrd.tmp.$$" "$initrd"
	# Drop images made from older inputs for this kernel; they would only
	# pile up.
	find "$cache_dir" -maxdepth 1 -name "initramfs-$kver-*.cpio.gz" \
		! -name "${initrd##*/}" -delete
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmrun.XXXXXX")
qemu_pid=
# shellcheck disable=SC2317 # called via trap
cleanup() {
	# Never leave a VM running behind us (e.g. on Ctrl-C or a kill).
	if [[ -n $qemu_pid ]]; then
		kill "$qemu_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
	# A build interrupted before its final rename.
	rm -f "${initrd:?}.tmp.$$"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ ! -s $initrd ]]; then
	# Not `build_initramfs || die`: bash ignores set -e inside anything
	# whose status is tested, so the subshell is run as a plain command.
	set +e
	(
		set -e
		build_initramfs "$tmp/initramfs"
	)
	rc=$?
	set -e
	[[ $rc -eq 0 ]] || die "cannot build initramfs for kernel $kver"
fi

# ------------------------------------------------------------------- run ---

ctl=$tmp/ctl
mkdir "$ctl"

# Unique per run so the command's own output cannot fake them.
nonce=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
begin_marker="@@vmrun-begin-$nonce@@"
end_marker="@@vmrun-end-$nonce@@"

# The command's environment: basic essentials plus VM_PASS_ENV.  PATH is the
# caller's, with the sbin dirs ensured (modprobe, ipvsadm, ip live there).
vm_path=${PATH:-/usr/bin:/bin}
for d in /usr/local/sbin /usr/sbin /sbin; do
	[[ :$vm_path: == *:$d:* ]] || vm_path=$vm_path:$d
done
vm_env=(PATH="$vm_path" HOME=/root USER=root LOGNAME=root SHELL=/bin/bash
	TERM=dumb LANG=C.UTF-8)
read -r -a pass_names <<<"${VM_PASS_ENV:-}"
for name in "${pass_names[@]}"; do
	[[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "VM_PASS_ENV: bad name '$name'"
	if [[ -n ${!name+set} ]]; then
		vm_env+=("$name=${!name}")
	fi
done

# The guest gets fresh /tmp, /run, /dev, ... so a cwd there only exists in
# the guest when it is (inside) a --share.  Say so now rather than fail to
# boot into it.
cwd=$(pwd -P)
case $cwd/ in
/tmp/?* | /run/?* | /dev/?* | /proc/?* | /sys/?*)
	cwd_ok=
	for d in "${shares[@]}"; do
		[[ $cwd/ == "$d"/* ]] && cwd_ok=1
	done
	[[ -n $cwd_ok ]] ||
		die "cwd $cwd is not visible in the VM (fresh /tmp, /run, ...); cd elsewhere or --share it"
	;;
esac

# The job file is sourced by stage2.sh (bash), so %q round-trips every value.
{
	printf 'cmd=('
	printf '%q ' "$@"
	printf ')\n'
	printf 'cwd=%q\n' "$cwd"
	printf 'begin_marker=%q\n' "$begin_marker"
	printf 'end_marker=%q\n' "$end_marker"
	printf 'vm_env=('
	printf '%q ' "${vm_env[@]}"
	printf ')\n'
} >"$ctl/job"
printf '%s\n' "$here/stage2.sh" >"$ctl/stage2"

# 9p exports: the host root read-only (multidevs=remap keeps inode numbers
# unique across the host's several file systems, which overlayfs needs),
# the control dir, and the writable shares.  ',' is escaped as ',,' for
# qemu's option parser.
virtfs=(-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=${ctl//,/,,},mount_tag=vmctl,security_model=none,multidevs=remap")
: >"$ctl/shares"
for i in "${!shares[@]}"; do
	[[ ${shares[i]} != *$'\n'* ]] || die "--share path contains a newline"
	virtfs+=(-virtfs "local,path=${shares[i]//,/,,},mount_tag=share$i,security_model=none,multidevs=remap")
	printf 'share%s %s\n' "$i" "${shares[i]}" >>"$ctl/shares"
done

# mawk reads its input in large blocks unless told otherwise, which would
# hold back live output.
awk_opts=()
if awk -W version 2>&1 | grep -qi mawk; then
	awk_opts=(-W interactive)
fi
# Show only the bytes between the markers.  The begin marker shares its line
# with the firmware's terminal escapes, hence index().  The end marker may follow
# output that lacked a final newline, so it is matched anywhere in a line.
# After it, keep reading (to let tee log the shutdown) but print nothing.
# shellcheck disable=SC2016 # awk code, not shell expansions
filter_prog='
state == 0 { if (index($0, b)) state = 1; next }
state == 1 {
	i = index($0, e)
	if (i) { printf "%s", substr($0, 1, i - 1); state = 2; fflush(); next }
	print; fflush()
}'

start=$(date +%s%N)
console=$tmp/console.log
# qemu runs in the background so that the EXIT trap can kill it; the
# process substitution filters its console live.  stdin is /dev/null so
# qemu neither eats the caller's input nor puts a terminal into raw mode.
timeout -k 10 "$timeout_s" qemu-system-x86_64 \
	-accel tcg -m "$mem_mb" -smp 2 -nographic -no-reboot -nic none \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 quiet loglevel=3" \
	"${virtfs[@]}" \
	</dev/null 2>"$tmp/qemu.err" \
	> >(tee "$console" | awk "${awk_opts[@]}" -v b="$begin_marker" -v e="$end_marker" "$filter_prog") &
qemu_pid=$!
qemu_rc=0
wait "$qemu_pid" || qemu_rc=$?
qemu_pid=
# Let the filter drain before we print anything else.
wait
end=$(date +%s%N)
if [[ -n ${VM_CONSOLE_LOG:-} ]]; then
	cp "$console" "$VM_CONSOLE_LOG" || true
fi

if [[ -n ${VM_VERBOSE:-} && ${VM_VERBOSE} != 0 ]]; then
	boot=$(cat "$ctl/boot_seconds" 2>/dev/null || echo '?')
	ms=$(((end - start) / 1000000))
	printf '%s: kernel %s, boot %s s (guest uptime at command start), total %d.%03d s\n' \
		"$prog" "$kver" "$boot" $((ms / 1000)) $((ms % 1000)) >&2
fi

if [[ -f $ctl/status ]]; then
	status=$(<"$ctl/status")
	[[ $status =~ ^[0-9]+$ ]] || die "bad status '$status' from the VM"
	exit "$status"
fi
if [[ $qemu_rc -eq 124 || $qemu_rc -eq 137 ]]; then
	echo "$prog: timeout: no result after ${timeout_s} s, VM killed" >&2
	exit 124
fi
{
	echo "$prog: the VM stopped without reporting a status (qemu exit $qemu_rc); boot failure?"
	if [[ -s $tmp/qemu.err ]]; then
		echo "--- qemu stderr:"
		tail -n 20 "$tmp/qemu.err"
	fi
	echo "--- last lines of the console:"
	# Drop CRs and the firmware's terminal escapes, which would garble
	# the caller's terminal.
	tail -n 40 "$console" | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g'
} >&2
exit 125
