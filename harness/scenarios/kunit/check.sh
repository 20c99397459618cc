#!/bin/sh
# One PASS:/FAIL:/SKIP: line per KUnit case run in the SMP guest.
log=$1
json=${log%.log}.json
rm -f "$json"
python3 "$BUILD/src/tools/testing/kunit/kunit.py" parse "$log" --json="$json" \
	> "${log%.log}.kunit.txt" 2>&1
python3 "$REPO/harness/kunit_results.py" kunit-guest "$json"
