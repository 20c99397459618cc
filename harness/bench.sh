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

# test_async.ko for the base kernel, built out of tree from the same source.
mod=$BUILD/bench-mod
mkdir -p "$mod"
cp "$REPO/lib/test_async.c" "$mod/"
echo 'obj-m := test_async.o' > "$mod/Kbuild"
(kbuild_lock
 make -s -C "$BUILD/base-src" O="$BUILD/base-guest" M="$mod" ARCH=x86_64 \
	CC="ccache gcc" modules)

"$REPO/harness/kselftest.sh"
"$REPO/harness/initramfs.sh" ours
"$REPO/harness/initramfs.sh" base

status=0
for kind in base ours; do
	"$REPO/harness/boot.sh" bench "$kind" || status=1
done
"$REPO/harness/bench_table.py" "$BUILD/logs/bench.base.log" "$BUILD/logs/bench.log" |
	tee "$BUILD/logs/bench.table"
exit "$status"
