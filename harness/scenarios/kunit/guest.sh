#!/bin/sh
# Load our KUnit suites, which run as they load, and print the results of
# each from debugfs between markers for check.sh.  harness.kunit= on the
# kernel command line names the modules (comma-separated), else all;
# MODULE.PARAM=VALUE there is passed to the module, as modprobe would.
modules="async_kunit shutdown_kunit"
for arg in $(cat /proc/cmdline); do
	case $arg in
	harness.kunit=*) modules=$(echo "${arg#harness.kunit=}" | tr ',' ' ') ;;
	esac
done
for module in $modules; do
	ko=$(find /lib/modules -name "$module.ko" | head -n 1)
	if [ -z "$ko" ]; then
		echo "HARNESS: kunit module $module missing"
		continue
	fi
	params=$(tr ' ' '\n' < /proc/cmdline | sed -n "s/^$module\.//p" | tr '\n' ' ')
	# shellcheck disable=SC2086
	insmod "$ko" $params || echo "HARNESS: kunit module $module failed to load"
done
for results in /sys/kernel/debug/kunit/*/results; do
	[ -f "$results" ] || continue
	suite=$(basename "$(dirname "$results")")
	echo "HARNESS: kunit suite $suite begin"
	cat "$results"
	echo "HARNESS: kunit suite $suite end"
done
