#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The checker test: every rule of harness/console-check and of the
# scenarios' check.sh, shown failing.  Each log under harness/testdata/console
# is small and written by hand: NAME.fail.log carries one failure and must
# FAIL, with a FAIL: line that matches its "#: want:" pattern; NAME.pass.log,
# the same without the failure, must PASS.  Header lines start with "#:":
# "#: args: ..." are console-check's arguments (--boot SCENARIO runs that
# scenario's checks too), "#: want: REGEX" what must fail, the others say
# what the log is.  Prints one PASS:/FAIL: line per log.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$REPO/harness/checklib.sh"	# verdict

data=$REPO/harness/testdata/console
cd "$REPO" || exit 1
tmp=$BUILD/checker-test
rm -rf "$tmp"
mkdir -p "$tmp"
status=0
n=0
for f in "$data"/*.log; do
	name=$(basename "$f" .log)
	want=$(sed -n 's/^#: want: //p' "$f")
	read -r -a args <<<"$(sed -n 's/^#: args: //p' "$f")"
	log=$tmp/$name.log
	grep -v '^#:' "$f" > "$log"
	# An earlier run's results of every KUnit suite, all passing, beside
	# the log: no check may read them.
	for suite in $(cat "$REPO"/harness/scenarios/*/suites | sort -u); do
		echo '{"name": "'"$suite"'", "status": "PASS", "test_cases": [{"name": "stale", "status": "PASS"}], "sub_groups": []}' \
			> "$tmp/$name.$suite.json"
	done
	"$REPO/harness/console-check" "${args[@]}" "$log" > "$tmp/$name.out" 2>&1
	rc=$?
	fails=$(grep -c '^FAIL:' "$tmp/$name.out")
	case $name in
	*.fail)
		[ "$rc" = 1 ] && [ -n "$want" ] && grep '^FAIL:' "$tmp/$name.out" | grep -q -E -- "$want"
		ok=$?
		what="fails ($fails FAIL lines, rc=$rc): $(grep -m1 -E -- "${want:-^FAIL:}" "$tmp/$name.out" | cut -c1-150)"
		;;
	*.pass)
		[ "$rc" = 0 ] && [ "$fails" = 0 ] && grep -q '^PASS:' "$tmp/$name.out"
		ok=$?
		what="passes (rc=$rc$(grep -m1 '^FAIL:' "$tmp/$name.out" | cut -c1-150 | sed 's/^/; /'))"
		;;
	*)
		ok=1
		what="is neither NAME.fail.log nor NAME.pass.log"
		;;
	esac
	if [ "$ok" = 0 ]; then
		echo "PASS: checker: $name $what"
	else
		echo "FAIL: checker: $name $what"
		sed 's/^/    | /' "$tmp/$name.out"
		status=1
	fi
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "FAIL: checker: no log in $data"; status=1; }

# boot.sh's reading of the verdicts: a second boot, and a skip under
# make check, only when every failure is a "timing:" verdict of a
# check.sh.  soft VERDICTS...: "yes" or "no" (only timing failed), and
# the FAIL lines left once boot.sh under make check has softened them.
soft() {
	local f=$tmp/verdicts only=no
	printf '%s\n' "$@" > "$f"
	if "$REPO/harness/timing_verdicts.sh" only "$f"; then
		only=yes
		"$REPO/harness/timing_verdicts.sh" soften "$f"
	fi
	echo "$only $(grep -c '^FAIL:' "$f")"
}
# timing_case NAME WANT VERDICTS...
timing_case() {
	local name=$1 want=$2 got ok=0
	shift 2
	got=$(soft "$@")
	[ "$got" = "$want" ] || { ok=1; status=1; }
	verdict $ok "checker: timing_verdicts.sh: $name (only, FAIL lines left: $got; want $want)"
}
t='FAIL: sim-vm: timing: shutdown within 2% + 10 ms + 2 x 5 ms of the limit (1060000 <= 1050200 us)'
timing_case "a timing verdict alone is softened" "yes 0" 'PASS: sim-vm: guest powered off' "$t"
timing_case "nothing failed: no second boot" "no 0" 'PASS: sim-vm: guest powered off'
timing_case "a kernel report beside it fails" "no 2" \
	'FAIL: sim-vm: line 4: kernel report: WARNING: CPU: 0 PID: 1 at x.c:1 f' "$t"
timing_case "\"timing:\" quoted by a kernel report counts as a report" "no 1" \
	'FAIL: sim-vm: line 9: kernel report: BUG: x: timing: y'
timing_case "a check.sh that broke off fails" "no 2" "$t" 'FAIL: sim-vm: sim-vm/check.sh exited 2'
# Enough failed lines that a reader leaving a pipe early would break it.
many=()
for i in $(seq 200); do
	many+=("FAIL: sim-vm: line $i: kernel report: WARNING: CPU: 0 PID: 1 at drivers/x.c:$i f+0x1/0x2")
done
timing_case "200 kernel reports and a timing verdict fail" "no 201" "${many[@]}" "$t"
exit $status
