#!/bin/bash
# One device sleeps 4 s against a 1 s watchdog: it is named, with a
# stack trace, and the devices that do not depend on it finish first.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
[ "$KIND" = ours ] || exit 0
console | grep -q 'device_shutdown: .*hung: still shutting down after'
verdict $? "the watchdog named the hung device"
console | grep -A12 'hung: still shutting down after' | grep -q 'msleep\|schedule'
verdict $? "with a stack trace of its task"
late=0
for q in 0 1 2 3; do
	[ "$(dev quick$q end_us)" -lt "$(dev hung end_us)" ] || late=1
done
[ "$late" = 0 ]; verdict $? "the other devices finished while it hung"
