#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot.sh SCENARIO [ours|base]: boot the guest under QEMU/TCG on a q35
# machine with an emulated PCIe tree of NVMe controllers, run the scenario,
# power off, and judge the console log with harness/console-check.  Prints
# one "PASS: ..." or "FAIL: ..." line per check; exits non-zero if any
# failed.
#
# A scenario is a folder harness/scenarios/NAME with:
#   guest.sh  run inside the guest before power-off (optional)
#   cmdline   extra kernel parameters (optional)
#   timeout   seconds the boot may take (optional, default 300)
#   bare      if present, the machine has no NVMe tree: q35's own devices only
#   smp       QEMU's -smp value (optional, default $BOOT_SMP or 2)
#   reboots   if present, a reboot restarts the guest instead of ending
#             the boot: the scenario powers off when it is done
#   qemu      more QEMU options, e.g. NUMA nodes (optional)
#   flavors   the FLAVORs it runs on (optional, default all of them)
#   traced    if present, the boot is traced, as with SHUTDOWN_TRACE=1
#   expect    what the console may show beyond the common rules of
#             harness/console-check, one --expect value a line (optional)
#   check.sh  run on the host as "check.sh LOG KIND" by console-check;
#             prints PASS:/FAIL: lines
#
# A boot whose only failed verdicts say "timing:" (a time measured under
# TCG, which a loaded host can stretch) is booted once more, and the
# second try decides; the first one's verdicts are printed as INFO lines.
# With BOOT_TIMING=soft (make check) a second try that misses only its
# "timing:" bounds is skipped, not failed.
#
# BOOT_CMDLINE in the environment adds kernel parameters to any scenario,
# for experiments: BOOT_CMDLINE=driver_core.shutdown_timeout_ms=0.
# SHUTDOWN_TRACE=1 prints each device's shutdown on the console, for
# tools/driver-core/shutdown_timeline.py: the device_shutdown trace events
# of our kernel (printed after device_shutdown() by the harness module
# shutdown_trace_dump, see the guest's init), the initcall_debug lines of
# the base.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${1:?usage: boot.sh SCENARIO [ours|base]}
kind=${2:-ours}
dir=$REPO/harness/scenarios/$name
[ -d "$dir" ] || die "unknown scenario '$name': pick one of: $(ls "$REPO/harness/scenarios" | tr '\n' ' ')"
check_flavor
case $kind in
ours|base) ;;
*) die "unknown kernel '$kind': use 'ours' or 'base'" ;;
esac
kernel=$(guest_dir "$kind")/arch/x86/boot/bzImage
initrd=$(initramfs_path "$kind")
[ -f "$kernel" ] || die "$kernel is missing: build it first (make guest KERNEL=$kind FLAVOR=$FLAVOR)"
[ -f "$initrd" ] || die "$initrd is missing: build it first (make initramfs KERNEL=$kind FLAVOR=$FLAVOR)"
if [ -f "$dir/flavors" ] && ! grep -qw -- "$FLAVOR" "$dir/flavors"; then
	echo "SKIP: $name: not a scenario for the $FLAVOR flavor ($(cat "$dir/flavors"))"
	exit 0
fi

log=$(boot_log "$name" "$kind")
label=$(basename "$log" .log)	# name, or name.base
mkdir -p "$BUILD/logs" "$BUILD/disks"
timeout=$(cat "$dir/timeout" 2>/dev/null || echo 300)
smp=$(cat "$dir/smp" 2>/dev/null || echo "${BOOT_SMP:-2}")
no_reboot=-no-reboot
[ -e "$dir/reboots" ] && no_reboot=
qemu_args=$(grep -hv '^#' "$dir/qemu" 2>/dev/null | tr '\n' ' ' || true)
# harness.boot_id tells the boots of one run (a reboot loop) from those of
# an earlier one, whatever they left on the disks.
cmdline="console=ttyS0 panic=-1 kunit.enable=0 harness.scenario=$name harness.kernel=$kind harness.flavor=$FLAVOR harness.boot_id=$$.$(date +%s)"
[ -f "$dir/cmdline" ] && cmdline="$cmdline $(grep -v '^#' "$dir/cmdline" | tr '\n' ' ')"
if [ -n "${SHUTDOWN_TRACE:-}" ] || [ -e "$dir/traced" ]; then
	case $kind in
	# After device_shutdown(), shutdown_trace_dump prints the whole trace
	# buffer on the serial console with interrupts off, which on a loaded
	# host takes longer than RCU's 21 s stall timeout: give it a minute.
	# On PREEMPT_RT the console prints from a thread afterwards, so the
	# whole dump must fit in the printk buffer first: with the default,
	# the first 184 of sync-order's 877 events were lost.
	ours) cmdline="$cmdline trace_event=device_shutdown:* rcupdate.rcu_cpu_stall_timeout=60 log_buf_len=8M" ;;
	base) cmdline="$cmdline initcall_debug" ;;
	esac
fi
cmdline="$cmdline ${BOOT_CMDLINE:-}"

# Four NVMe controllers: one on a root port, two behind an x3130 switch's
# downstream ports, one on a third root port.  pcieport binds every port,
# so real sync devices with shutdown callbacks sit in the middle of the tree.
nvme() { # nvme ID BUS
	local img=$BUILD/disks/$1.img
	[ -f "$img" ] || truncate -s 8M "$img"
	echo "-drive if=none,id=$1,file=$img,format=raw -device nvme,serial=$1,drive=$1,bus=$2"
}
topology="
	-device pcie-root-port,id=rp1,chassis=1,slot=1 $(nvme nvme0 rp1)
	-device pcie-root-port,id=rp2,chassis=2,slot=2
	-device x3130-upstream,id=up1,bus=rp2
	-device xio3130-downstream,id=dn1,bus=up1,chassis=3,slot=3 $(nvme nvme1 dn1)
	-device xio3130-downstream,id=dn2,bus=up1,chassis=4,slot=4 $(nvme nvme2 dn2)
	-device pcie-root-port,id=rp3,chassis=5,slot=5 $(nvme nvme3 rp3)"
[ -e "$dir/bare" ] && topology=

rm -f "$log"
start=$(date +%s)
set +e
# shellcheck disable=SC2086
timeout --kill-after=10 "$timeout" qemu-system-x86_64 \
	-machine q35 -accel tcg -cpu max -smp "$smp" -m 1G \
	-display none -monitor none -serial "file:$log" $no_reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "$cmdline" $topology $qemu_args ${QEMU_EXTRA:-}
rc=$?
set -e
elapsed=$(($(date +%s) - start))

# The functions of the files this series owns, as built into KIND's guest:
# a KCSAN report that names one fails (harness/console-check).
our_functions() {
	local out f
	out=$(guest_dir "$kind")
	for f in $(owned_files | sed -n 's/\.c$/.o/p'); do
		if [ -f "$out/$f" ]; then nm "$out/$f"; fi
	done | awk '$2 ~ /^[tT]$/ { sub(/\..*/, "", $3); print $3 }'
}

if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "FAIL: $label: guest did not power off within ${timeout}s; console tail:"
	tail -n 30 "$log" | sed 's/^/    | /'
	exit 1
fi
echo "INFO: $label: qemu rc=$rc, ${elapsed}s"
# One command judges the console: the common rules (kernel reports,
# expected warnings, KCSAN, the watchdog), the scenario's "expect" file and
# its check.sh.
our_functions > "$log.ours"
failed=0
"$REPO/harness/console-check" --boot "$name" --kind "$kind" --label "$label" \
	--ours "$log.ours" "$log" > "$log.verdicts" || failed=$?
rm -f "$log.ours"
# console-check exits 1 when a verdict failed; anything else is its own.
only_timing_failed() {
	[ "$failed" = 1 ] && "$REPO/harness/timing_verdicts.sh" only "$log.verdicts"
}
# A time measured under TCG on a shared host can be late once: when the
# only failures are "timing:" verdicts, boot a second time, which decides.
# Both tries are shown, the first as INFO lines.
if [ -z "${BOOT_TRY:-}" ] && only_timing_failed; then
	sed 's/^/INFO: try 1: /' "$log.verdicts"
	mv "$log" "${log%.log}.try1.log"
	echo "INFO: $label: only timing failed; a second try (the first: ${log%.log}.try1.log)"
	BOOT_TRY=2 exec "$0" "$@"
fi
# make check (BOOT_TIMING=soft) may run on a loaded host: a bound on time
# that the second try misses too is skipped there, not failed.  It stays
# make bench's verdict; the "makespan:" verdicts beside it hold anyway.
if [ "${BOOT_TIMING:-strict}" = soft ] && only_timing_failed; then
	"$REPO/harness/timing_verdicts.sh" soften "$log.verdicts"
	grep -q '^FAIL:' "$log.verdicts" || failed=0
fi
cat "$log.verdicts"
if [ "$failed" != 0 ]; then
	echo "console log: $log; its tail:"
	tail -n 20 "$log" | sed 's/^/    | /'
fi
exit "$failed"
