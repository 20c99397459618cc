#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks, side by side in one run: boot the unmodified base kernel and
# ours with the same configuration, run the same test_async scenarios in
# both (harness/scenarios/bench) and the same simulated shutdowns, time
# the engine natively under UML against the legacy order, and print one
# table of ratios.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$REPO/harness/checklib.sh"	# kv
# Bounds on time are the bench's verdicts: a miss fails (harness/boot.sh).
export BOOT_TIMING=strict

"$REPO/harness/guest.sh" ours
"$REPO/harness/guest.sh" base

# The test modules for the base kernel, built out of tree from the same
# source; the simulator without its async opt-in, which the base lacks.
mod=$BUILD/bench-mod
mkdir -p "$mod"
cp "$REPO/lib/test_async.c" "$REPO/drivers/base/test/test_shutdown_sim.c" "$mod/"
printf '%s\n' 'obj-m := test_async.o test_shutdown_sim.o' \
	'CFLAGS_test_shutdown_sim.o := -DTEST_SHUTDOWN_SIM_BASE' > "$mod/Kbuild"
(kbuild_lock
 make -s -C "$BUILD/base-src" O="$(guest_dir base)" M="$mod" ARCH=x86_64 \
	CC="ccache gcc" modules)

"$REPO/harness/kselftest.sh"
"$REPO/harness/initramfs.sh" ours
"$REPO/harness/initramfs.sh" base

out=$BUILD/bench
rm -rf "$out"
mkdir -p "$out"
status=0
# The shutdown of 16 leaves under a bridge on each kernel, traced
# (SHUTDOWN_TRACE, see boot.sh), for its picture, before the boots that
# are measured.
# Both are drawn on the scale of the longer one, so that the pictures
# compare at a glance.
timeline() { # timeline KIND [OPTION...]
	local kind=$1
	shift
	"$REPO/tools/driver-core/shutdown_timeline.py" -o "$out/shutdown-$kind.svg" \
		-t "16 x 500 ms leaves under a sync bridge, $kind kernel" "$@" \
		"$(boot_log sim-leaves.traced "$kind")"
}
axis_ms=0
for kind in base ours; do
	SHUTDOWN_TRACE=1 "$REPO/harness/boot.sh" sim-leaves "$kind" || status=1
	mv "$(boot_log sim-leaves "$kind")" "$(boot_log sim-leaves.traced "$kind")"
	ms=$(timeline "$kind" -s | sed -n 's/.* elapsed_ms=\([0-9.]*\).*/\1/p') || status=1
	axis_ms=$(echo "${ms:-0} $axis_ms" | awk '{ print ($1 > $2 ? $1 : $2) }')
done
for kind in base ours; do
	timeline "$kind" --axis-ms "$axis_ms" > /dev/null || status=1
done

# The real clients of the async core, besides shutdown: the SCSI scan
# and sd's shutdown of slow scsi_debug disks, PM suspend and resume, async
# driver probing, the default domain on two nodes with skewed hints.
scenarios="bench sim-leaves sim-mixed sim-pipelines sim-pipelines-reversed
	sim-vm sim-vm-reversed sim-usb sim-usb-reversed numa
	client-scsi client-pm client-probe numa-skewed"
# 500 sync devices: a difference of a millisecond or so, which one TCG boot
# cannot resolve; the cost of an empty entry on one vCPU, which drifts
# from boot to boot; and 100,000 devices, where a boot of ours whose
# chains keep the second vCPU busy beside QEMU's own thread runs about
# 1.7 x slower than the next on this two-core host: boot them ROUNDS
# times on each kernel, alternating.
rounds=${ROUNDS:-5}
alternating="sim-many-sync bench-cpu sim-100k"
for kind in base ours; do
	for scenario in $scenarios; do
		"$REPO/harness/boot.sh" "$scenario" "$kind" || status=1
	done
done
# Scenarios that only hold our kernel to a bound on time, which make
# check skips on a slow host; the base cannot run them (no reservations,
# no fault injection of async entries).
for scenario in sim-pcie sim-faults-late; do
	"$REPO/harness/boot.sh" "$scenario" ours || status=1
done
for round in $(seq "$rounds"); do
	for kind in base ours; do
		for scenario in $alternating; do
			"$REPO/harness/boot.sh" "$scenario" "$kind" || status=1
			mv "$(boot_log "$scenario" "$kind")" \
				"$(boot_log "$scenario.$round" "$kind")"
		done
	done
done

# The engine's own cost natively, where TCG's translation of code that runs
# once does not hide it: the KUnit cases that shut down 1000 devices
# without callbacks through the engine and in the legacy order, and a
# kset of 1000 devices (nine async) through the engine and through the
# walk of 6.12, under UML.  The legacy numbers are the base's.
"$REPO/harness/kunit.sh" 'device_shutdown.sdt_test_*_cost' >/dev/null ||
	status=1
# uml_kunit GLOB [PARAM...]: the UML kernel kunit.sh built runs the KUnit
# cases GLOB names, with kernel parameters PARAM; its console on stdout.
uml_kunit() {
	local glob=$1
	shift
	(cd "$BUILD/uml" && timeout 300 ./linux kunit.enable=1 mem=1G \
		kunit.filter_glob="$glob" "$@" console=tty kunit_shutdown=halt \
		2>/dev/null) | tr -d '\r'
}
native=$BUILD/logs/native
: > "$native.base.log"
: > "$native.ours.log"
for round in $(seq "$rounds"); do
	uml_kunit 'device_shutdown.sdt_test_*_cost' |
		grep -a 'BENCH: ' | tee -a "$native.ours.log" |
		sed -e 's/.*legacy_ns=\([0-9]*\).*/BENCH: engine_1000 elapsed_ns=\1/' \
		    -e 's/.*walk_ns=\([0-9]*\).*/BENCH: kset_1000 engine_ns=\1/' \
		>> "$native.base.log"
done

# The KUnit cases that make check skips when a loaded host misses their
# time bound or loses their race, held to them here (strict_timing=1).
for case in sdt_test_random_timed sdt_test_late_under_queued; do
	timed=$BUILD/logs/kunit-strict-$case.log
	uml_kunit "device_shutdown.$case" shutdown_kunit.strict_timing=1 > "$timed" || true
	if grep -Eq "(^|\] ) *ok [0-9]+ $case\$" "$timed"; then
		echo "PASS: bench: KUnit $case, strictly (strict_timing=1)"
	else
		echo "FAIL: bench: KUnit $case, strictly (strict_timing=1): see $timed"
		status=1
	fi
done

# The herd's perf.data of each kernel, out of the bench scenario's console
# log, read by tools/async/async_wakeups.py: per waiter on both kernels,
# per async wait on ours, which has the async: events.
wakeups=$REPO/tools/async/async_wakeups.py
x100() { awk -v v="$1" 'BEGIN { printf "%d", v * 100 + 0.5 }'; }
for kind in base ours; do
	data=$out/herd-$kind.perf.data
	"$REPO/harness/console_get.py" "$(boot_log bench "$kind")" herd.perf.data "$data" || {
		status=1
		continue
	}
	{
		echo "== per waiter: tools/async/async_wakeups.py --comm 'async_herd/*' --by-task -i herd-$kind.perf.data"
		"$wakeups" -i "$data" --comm 'async_herd/*' --by-task
		if [ "$kind" = ours ]; then
			echo
			echo "== per wait, from the async: events: tools/async/async_wakeups.py -i herd-$kind.perf.data"
			"$wakeups" -i "$data"
		fi
	} > "$out/wakeups-$kind.txt" 2>&1 || status=1
	s=$("$wakeups" -s -i "$data" --comm 'async_herd/*' --by-task) || status=1
	echo "BENCH: perf_herd waiters=$(kv "$s" slept)" \
		"wakeups_per_wait_x100=$(x100 "$(kv "$s" wakeups_per_wait)")" \
		"spurious_per_wait_x100=$(x100 "$(kv "$s" spurious_per_wait)")" > "$out/perf-$kind.bench"
	if [ "$kind" = ours ]; then
		s=$("$wakeups" -s -i "$data") || status=1
		echo "BENCH: perf_waits waits=$(kv "$s" slept)" \
			"wakeups_per_wait_x100=$(x100 "$(kv "$s" wakeups_per_wait)")" >> "$out/perf-$kind.bench"
	fi
done
# What the perf.data must show: the herd on the base, one wakeup per wait
# and none spurious on ours.
perf_check() { # perf_check KIND KEY OP VALUE DESCRIPTION
	local v
	v=$(sed -n "s/.*perf_herd.* $2=\([0-9]*\).*/\1/p" "$out/perf-$1.bench" 2>/dev/null)
	if [ -n "$v" ] && [ "$v" "$3" "$4" ]; then
		echo "PASS: bench: $5 ($2=$v)"
	else
		echo "FAIL: bench: $5 ($2=${v:-none})"
		status=1
	fi
}
perf_check base wakeups_per_wait_x100 -ge 500 "perf: the base kernel's herd, many wakeups per waiter"
perf_check ours wakeups_per_wait_x100 -eq 100 "perf: one wakeup per waiter on ours"
perf_check ours spurious_per_wait_x100 -eq 0 "perf: no spurious wakeup on ours"

logs() { # logs KIND
	for s in $scenarios; do boot_log "$s" "$1"; done
	for r in $(seq "$rounds"); do
		for s in $alternating; do boot_log "$s.$r" "$1"; done
	done
	echo "$native.$1.log"
	ls "$out/perf-$1.bench" 2>/dev/null || true
}
# A row whose verdict fails (a real client slower on ours) fails the bench.
"$REPO/harness/bench_table.py" --base $(logs base) --ours $(logs ours) |
	tee "$BUILD/logs/bench.table"
"$REPO/harness/bench_table.py" --markdown --base $(logs base) --ours $(logs ours) \
	> "$out/table.md"
case $? in
0) echo "PASS: bench: every row with a verdict holds it" ;;
3) echo "FAIL: bench: a row fails its verdict:$(grep 'FAIL' "$out/table.md" | cut -d'|' -f2 | paste -sd ';')"
   status=1 ;;
*) status=1 ;;
esac

# The report: where and what ran, the table, the pictures, the wakeups.
version() { # version KIND: the kernel's banner from its bench boot
	tr -d '\r' < "$(boot_log bench "$1")" | grep -o 'Linux version [^ ]*' | head -n 1 | cut -d' ' -f3
}
{
	echo "# make bench: the base kernel against ours"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), QEMU TCG guest with $(cat "$REPO/harness/scenarios/bench/smp" 2>/dev/null || echo "${BOOT_SMP:-2}") vCPUs"
	echo "- guest configuration: the $FLAVOR flavor (harness/configs/flavor-$FLAVOR.config), the same on both kernels"
	echo "- base kernel: $(version base) (Debian's linux-source-6.12, unmodified)"
	echo "- ours: $(version ours), the series at $(git -C "$REPO" describe --always --dirty)"
	echo "- rounds: test_async scenarios $(tr -d '\r' < "$(boot_log bench ours)" | grep -c 'BENCH: throughput ') per boot, sim-many-sync, bench-cpu and sim-100k $rounds boots per kernel"
	echo
	echo "## Measurements"
	echo
	cat "$out/table.md"
	echo
	echo "## One shutdown, drawn"
	echo
	echo "The shutdown of 16 leaves of 500 ms under a sync bridge, traced in a boot"
	echo "of its own (tools/driver-core/shutdown_timeline.py): the base kernel from"
	echo "its initcall_debug lines, ours from its device_shutdown trace events,"
	echo "side by side on one time axis of $axis_ms ms."
	echo
	echo '<table><tr><th>base kernel</th><th>ours</th></tr><tr>'
	echo '<td><img src="shutdown-base.svg" alt="base kernel" width="480"></td>'
	echo '<td><img src="shutdown-ours.svg" alt="our kernel" width="480"></td>'
	echo '</tr></table>'
	echo
	echo "## Wakeups of the herd, from perf"
	echo
	echo "16 tasks wait for distinct cookies of one domain while its 256 entries"
	echo "finish one after another, recorded with perf sched record in the guest"
	echo "and read on the host by tools/async/async_wakeups.py."
	for kind in base ours; do
		echo
		echo "### $kind"
		echo
		echo '```'
		cat "$out/wakeups-$kind.txt" 2>/dev/null || echo "(no perf.data)"
		echo '```'
	done
} > "$out/report.md"
echo "== bench report: $out/report.md"
[ "$status" = 0 ] && "$REPO/harness/readme_bench.py" "$out/report.md" "$REPO/README.md"
exit "$status"
