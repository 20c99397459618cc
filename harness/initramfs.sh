#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# initramfs.sh [ours|base]: build the guest initramfs: static busybox, our
# init and scenarios, the guest kernel's modules, the kselftests, and
# Debian's perf with the shared libraries it needs.  The base kernel's
# initramfs also gets our test modules built out of tree (bench.sh), so
# the benchmarks run the same scenarios on both kernels.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kind=${1:-ours}
check_flavor
case $kind in
ours|base) ;;
*) die "unknown initramfs kind '$kind': use 'ours' or 'base'" ;;
esac
out=$(initramfs_path "$kind")
modules=$(guest_dir "$kind")/modules-root
root=$BUILD/initramfs-$kind$(flavor_suffix).d
kselftest=$BUILD/kselftest

[ -x /bin/busybox ] || die "/bin/busybox is missing: run 'apt-get install busybox-static' (make deps)"
file -L /bin/busybox | grep -q 'statically linked' ||
	die "/bin/busybox is not static: run 'apt-get install busybox-static' (make deps)"
command -v perf >/dev/null || die "perf is missing: run 'apt-get install linux-perf' (make deps)"

rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,etc,root,scenarios}
cp /bin/busybox "$root/bin/busybox"
# Each applet at its usual path: kselftest's runner looks for /usr/bin/timeout.
for applet in $(/bin/busybox --list-full); do
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
install -m 755 "$REPO/harness/initramfs/init" "$root/init"
install -m 755 "$REPO/harness/initramfs/load-sim" "$root/bin/load-sim"
install -m 755 "$REPO/harness/initramfs/bench-async" "$root/bin/bench-async"
install -m 755 "$REPO/harness/initramfs/load-async" "$root/bin/load-async"
install -m 755 "$REPO/harness/initramfs/console-put" "$root/bin/console-put"
install -m 755 "$REPO/harness/initramfs/boot-count" "$root/bin/boot-count"
install -m 755 "$REPO/harness/initramfs/scsi-disks" "$root/bin/scsi-disks"
cp -a "$REPO/harness/scenarios/." "$root/scenarios/"
[ -d "$modules/lib/modules" ] && cp -a "$modules/lib" "$root/"
if [ "$kind" = base ] && [ -d "$BUILD/bench-mod" ]; then
	mkdir -p "$root/lib/modules/extra"
	cp "$BUILD/bench-mod/"*.ko "$root/lib/modules/extra/"
fi
# Our kernel also gets the harness's own modules (harness/modules), built
# out of tree: shutdown_trace_dump prints the device_shutdown trace events
# after shutdown, for the timeline (SHUTDOWN_TRACE, see boot.sh), and
# harness_fault WARNs on load, for harness.inject=warn, and console_drain
# drains the consoles before a reboot, for scenarios that reboot
# (initramfs/init).
if [ "$kind" = ours ]; then
	mod=$BUILD/harness-mod$(flavor_suffix)
	mkdir -p "$mod"
	cp -u "$REPO/harness/modules/"* "$mod/"
	(kbuild_lock
	 make -s -C "$SRC" O="$(guest_dir ours)" M="$mod" ARCH=x86_64 CC="ccache gcc" modules) ||
		die "harness/modules did not build against the guest kernel"
	mkdir -p "$root/lib/modules/extra"
	cp "$mod/"*.ko "$root/lib/modules/extra/"
fi
[ -d "$kselftest" ] && cp -a "$kselftest" "$root/kselftest"

# Host programs with every shared library they load, at the paths the
# loader expects: perf, and coreutils' timeout for kselftest's runner
# (busybox's lacks --foreground).
for prog in perf timeout; do
	path=$(command -v "$prog")
	rm -f "$root/usr/bin/$prog"
	cp -L "$path" "$root/usr/bin/$prog"
	ldd "$path" | grep -o '/[^ ]*' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
note "initramfs: $(du -h "$out" | cut -f1)"
