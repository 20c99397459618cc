#!/bin/bash
# With driver_core.async_shutdown=0, devices shut down one at a time in
# reverse registration order, as before this series.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
[ "$KIND" = ours ] || exit 0
! console | grep -q 'device_shutdown:'
verdict $? "no summary line: the console shows what 6.12 showed"
order=$(console | grep -o 'shutdown_sim: dev [a-z]* .*' | sort -t= -k3 -n |
	awk '{ print $3 }' | tr '\n' ' ')
[ "$order" = "e c b a " ]; verdict $? "reverse registration order (saw: $order)"
