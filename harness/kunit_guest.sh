#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit_guest.sh LOG SUITES: one PASS:/FAIL:/SKIP: line per KUnit case run
# in the guest, for the check.sh of the KUnit scenarios: each suite's
# results, as the guest printed them from debugfs between markers, parsed
# by kunit.py.  Every suite of the SUITES file must be there.  Nothing of
# an earlier run is read: the files of this log are removed first.
log=$1
base=${log%.log}
status=0
for suite in $(cat "$2"); do
	ktap=$base.$suite.ktap
	json=$base.$suite.json
	rm -f "$ktap" "$json" "$base.$suite.kunit.txt"
	tr -d '\r' < "$log" |
		sed -n "/HARNESS: kunit suite $suite begin/,/HARNESS: kunit suite $suite end/p" |
		sed '1d;$d' > "$ktap"
	if [ ! -s "$ktap" ]; then
		echo "FAIL: kunit-guest: suite $suite: no results on the console"
		status=1
		continue
	fi
	# kunit.py exits 1 on a failed case too: its JSON tells them apart.
	python3 "$BUILD/src/tools/testing/kunit/kunit.py" parse "$ktap" --json="$json" \
		> "$base.$suite.kunit.txt" 2>&1
	if [ ! -s "$json" ]; then
		echo "FAIL: kunit-guest: suite $suite: kunit.py could not parse its results ($base.$suite.kunit.txt)"
		status=1
		continue
	fi
	python3 "$REPO/harness/kunit_results.py" kunit-guest "$json" || status=1
done
exit $status
