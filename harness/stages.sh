# SPDX-License-Identifier: GPL-2.0
# Stages of a test run, for check.sh and check_full.sh; sourced after
# lib.sh.  Each stage's checks print PASS:/FAIL:/SKIP: lines, which are
# counted, and the stage's time is printed and kept for the report.

passed=0 failed=0 skipped=0
stage_times=
mkdir -p "$BUILD/logs"

count() {
	passed=$((passed + $(grep -c '^PASS:' "$1")))
	failed=$((failed + $(grep -c '^FAIL:' "$1")))
	skipped=$((skipped + $(grep -c '^SKIP:' "$1")))
}

# stage NAME COMMAND...: run a stage, show its output, time it, and count
# its verdicts.  A stage that fails without saying which check failed
# counts as one failure of its own.
stage() {
	local name=$1 out=$BUILD/logs/stage-$1.out start rc took
	shift
	echo "---- $name"
	start=$(date +%s)
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	if [ "$rc" != 0 ] && ! grep -q '^FAIL:' "$out"; then
		echo "FAIL: $name: exited $rc" | tee -a "$out"
	fi
	count "$out"
	took=$(($(date +%s) - start))
	stage_times="$stage_times$name $took $rc
"
	echo "---- $name took ${took}s"
	return "$rc"
}

# run_summary START: the last line every run ends with.
run_summary() {
	echo "---- all stages took $(($(date +%s) - $1))s"
	echo "$passed passed, $failed failed, $skipped skipped"
}
