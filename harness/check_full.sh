#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check_full.sh [FLAVOR...]: the reliability run, on the kasan, kcsan, rt
# and nodebug guests unless flavors are named.  On each it builds the
# guest and, on four CPUs, boots every scenario of check.list's default
# flavor, the KUnit suites and kselftests among them, and the scenarios
# that are only for some flavors (a "flavors" file): the reboot loop on rt
# and nodebug, the topology fuzzer on kasan and kcsan.  A boot fails on
# any BUG, WARNING, lockdep, KASAN, KCSAN, hung-task or atomic-sleep
# report (boot.sh).  It ends with the time of each flavor and stage, the
# command that replays each failure, and "N passed, N failed, N skipped".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$REPO/harness/stages.sh"
# Sanitizers slow a guest down many times over: bounds on time are make
# bench's verdicts, on the nodebug guest; here, as in make check, a boot
# that misses them twice skips them (harness/boot.sh).
export BOOT_TIMING=soft

flavors=${*:-kasan kcsan rt nodebug}
export BOOT_SMP=4

# The scenarios a flavor runs: check.list's default ones, then those
# that name the flavor in a "flavors" file of their own.
full_scenarios() { # full_scenarios FLAVOR
	local s
	for s in $(sed -e 's/#.*//' "$REPO/harness/check.list" | grep -v ':' | tr -d ' \t'); do
		[ -f "$REPO/harness/scenarios/$s/flavors" ] || echo "$s"
	done
	for s in "$REPO"/harness/scenarios/*/flavors; do
		grep -qw -- "$1" "$s" && basename "$(dirname "$s")"
	done
}

total_start=$(date +%s)
stage deps "$REPO/harness/deps.sh" || { echo "0 passed, 1 failed"; exit 1; }
stage kselftest-build "$REPO/harness/kselftest.sh"
replays=
for flavor in $flavors; do
	export FLAVOR=$flavor
	check_flavor
	flavor_start=$(date +%s)
	if stage "guest-build-$flavor" "$REPO/harness/guest.sh" ours &&
	   stage "initramfs-$flavor" "$REPO/harness/initramfs.sh"; then
		for scenario in $(full_scenarios "$flavor"); do
			stage "boot-$flavor-$scenario" "$REPO/harness/boot.sh" "$scenario" ||
				replays="$replays  FLAVOR=$flavor BOOT_SMP=4 make boot SCENARIO=$scenario   # $(boot_log "$scenario" ours)
"
		done
	else
		echo "FAIL: $flavor: the guest did not build" | tee "$BUILD/logs/stage-noboot-$flavor.out"
		count "$BUILD/logs/stage-noboot-$flavor.out"
		replays="$replays  FLAVOR=$flavor make guest
"
	fi
	stage_times="$stage_times== $flavor $(($(date +%s) - flavor_start))
"
done

echo "---- what ran, and how long it took (seconds)"
printf '%s' "$stage_times" | awk '
	$1 == "==" { printf "  %-40s %6d  (whole flavor)\n", $2, $3; next }
	{ printf "    %-38s %6d%s\n", $1, $2, $3 == 0 ? "" : "  FAILED" }'
if [ -n "$replays" ]; then
	echo "---- to replay each failed boot (the seed of a fuzz failure is in its log):"
	printf '%s' "$replays"
fi
run_summary "$total_start"
[ "$failed" = 0 ]
