#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks, side by side in one run: boot the unmodified base kernel and
# ours with the same configuration, run the same test_async scenarios in
# both (harness/scenarios/bench), and print one table of ratios.
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

scenarios="bench sim-leaves sim-mixed"
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
logs() { # logs KIND
	for s in $scenarios; do boot_log "$s" "$1"; done
	for r in $(seq "$rounds"); do boot_log "sim-many-sync.$r" "$1"; done
}
"$REPO/harness/bench_table.py" --base $(logs base) --ours $(logs ours) |
	tee "$BUILD/logs/bench.table"
exit "$status"
