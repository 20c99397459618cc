#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every test: the tools under tools/ on recorded inputs, the console
# checker on crafted logs (each rule shown failing), KUnit under
# UML, the guest build, our kselftests and KUnit suites inside the booted
# SMP guest, the boot scenarios of harness/check.list (some of them on a
# KASAN guest too), checkpatch on the patch series, and its documentation
# (kernel-doc and Sphinx).  Each check
# prints one PASS:/FAIL:/SKIP: line; the last line sums them up as
# "N passed, N failed, N skipped", and the exit code is non-zero when
# anything failed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

. "$REPO/harness/stages.sh"

# Scenarios of check.list: "NAME" boots on the default flavor,
# "FLAVOR:NAME" on that flavor's guest, built when first needed.
scenarios() { # scenarios FLAVOR
	sed -e 's/#.*//' "$REPO/harness/check.list" | awk -v flavor="$1" -F: '
		NF == 1 && $1 ~ /[^ \t]/ && flavor == "lockdep" { print $1 }
		NF == 2 && $1 == flavor { print $2 }' | tr -d ' \t'
}

# boot_flavor FLAVOR: build that flavor's guest and initramfs, then boot
# its scenarios; stage names carry the flavor unless it is the default.
boot_flavor() {
	local sfx
	export FLAVOR=$1
	sfx=$(flavor_suffix)
	if stage "guest-build$sfx" "$REPO/harness/guest.sh" ours &&
	   stage "initramfs$sfx" "$REPO/harness/initramfs.sh"; then
		for scenario in $(scenarios "$FLAVOR"); do
			stage "boot$sfx-$scenario" "$REPO/harness/boot.sh" "$scenario"
		done
	else
		echo "FAIL: boot scenarios ($FLAVOR): not run, the guest did not build" |
			tee "$BUILD/logs/stage-noboot$sfx.out"
		count "$BUILD/logs/stage-noboot$sfx.out"
	fi
}

total_start=$(date +%s)
# Bounds on time are make bench's verdicts: here, on a host that may be
# loaded, a boot that misses them twice skips them (harness/boot.sh).
export BOOT_TIMING=soft
stage deps "$REPO/harness/deps.sh" || { echo "0 passed, 1 failed"; exit 1; }
stage tools "$REPO/harness/tools_test.sh"
stage checker "$REPO/harness/checker_test.sh"
stage kunit-uml "$REPO/harness/kunit.sh"
stage kselftest-build "$REPO/harness/kselftest.sh"
for flavor in lockdep $(sed -e 's/#.*//' "$REPO/harness/check.list" |
			awk -F: 'NF == 2 { print $1 }' | tr -d ' \t' | sort -u); do
	boot_flavor "$flavor"
	# A real boot that WARNs on purpose must fail the console check.
	if [ "$flavor" = lockdep ]; then
		stage inject "$REPO/harness/inject_test.sh"
	fi
done
stage checkpatch "$REPO/harness/series.sh" --check
stage docs "$REPO/harness/docs_check.sh"

run_summary "$total_start"
[ "$failed" = 0 ]
