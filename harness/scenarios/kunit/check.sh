#!/bin/bash
# One PASS:/FAIL:/SKIP: line per KUnit case run in the SMP guest: each
# suite's results, as the guest printed them from debugfs, parsed by
# kunit.py.  Each of our suites must be there.
log=$1
base=${log%.log}
status=0
for suite in async device_shutdown; do
	ktap=$base.$suite.ktap
	json=$base.$suite.json
	tr -d '\r' < "$log" |
		sed -n "/HARNESS: kunit suite $suite begin/,/HARNESS: kunit suite $suite end/p" |
		sed '1d;$d' > "$ktap"
	if [ ! -s "$ktap" ]; then
		echo "FAIL: kunit-guest: suite $suite: no results on the console"
		status=1
		continue
	fi
	python3 "$BUILD/src/tools/testing/kunit/kunit.py" parse "$ktap" --json="$json" \
		> "$base.$suite.kunit.txt" 2>&1
	python3 "$REPO/harness/kunit_results.py" kunit-guest "$json" || status=1
done
exit $status
