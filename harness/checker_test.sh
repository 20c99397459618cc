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
exit $status
