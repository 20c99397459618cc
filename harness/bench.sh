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

scenarios="bench sim-leaves sim-mixed sim-pipelines sim-pipelines-reversed
	sim-vm sim-vm-reversed sim-usb sim-usb-reversed sim-100k"
# 500 sync devices: a difference of a millisecond or so, which one TCG boot
# cannot resolve; boot it ROUNDS times on each kernel, alternating.
rounds=${ROUNDS:-5}
status=0
for kind in base ours; do
	for scenario in $scenarios; do
		"$REPO/harness/boot.sh" "$scenario" "$kind" || status=1
	done
done
for round in $(seq "$rounds"); do
	for kind in base ours; do
		"$REPO/harness/boot.sh" sim-many-sync "$kind" || status=1
		mv "$(boot_log sim-many-sync "$kind")" \
			"$(boot_log "sim-many-sync.$round" "$kind")"
	done
done

# The engine's own cost natively, where TCG's translation of code that runs
# once does not hide it: the KUnit cases that shut down 1000 devices
# without callbacks through the engine and in the legacy order, and a
# kset of 1000 devices (nine async) through the engine and through the
# walk of 6.12, under UML.  The legacy numbers are the base's.
"$REPO/harness/kunit.sh" 'device_shutdown.sdt_test_*_cost' >/dev/null ||
	status=1
native=$BUILD/logs/native
: > "$native.base.log"
: > "$native.ours.log"
for round in $(seq "$rounds"); do
	(cd "$BUILD/uml" && timeout 300 ./linux kunit.enable=1 mem=1G \
		kunit.filter_glob='device_shutdown.sdt_test_*_cost' \
		console=tty kunit_shutdown=halt 2>/dev/null) |
		tr -d '\r' | grep -a 'BENCH: ' | tee -a "$native.ours.log" |
		sed -e 's/.*legacy_ns=\([0-9]*\).*/BENCH: engine_1000 elapsed_ns=\1/' \
		    -e 's/.*walk_ns=\([0-9]*\).*/BENCH: kset_1000 engine_ns=\1/' \
		>> "$native.base.log"
done

logs() { # logs KIND
	for s in $scenarios; do boot_log "$s" "$1"; done
	for r in $(seq "$rounds"); do boot_log "sim-many-sync.$r" "$1"; done
	echo "$native.$1.log"
}
"$REPO/harness/bench_table.py" --base $(logs base) --ours $(logs ours) |
	tee "$BUILD/logs/bench.table"
exit "$status"
