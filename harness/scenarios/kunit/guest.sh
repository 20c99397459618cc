#!/bin/sh
# Load our KUnit suites, which run as they load, and print the results of
# each from debugfs between markers for check.sh.
for module in async_kunit shutdown_kunit; do
	ko=$(find /lib/modules -name "$module.ko" | head -n 1)
	if [ -z "$ko" ]; then
		echo "HARNESS: kunit module $module missing"
		continue
	fi
	insmod "$ko" || echo "HARNESS: kunit module $module failed to load"
done
for results in /sys/kernel/debug/kunit/*/results; do
	[ -f "$results" ] || continue
	suite=$(basename "$(dirname "$results")")
	echo "HARNESS: kunit suite $suite begin"
	cat "$results"
	echo "HARNESS: kunit suite $suite end"
done
