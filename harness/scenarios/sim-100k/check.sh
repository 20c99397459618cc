#!/bin/bash
# 100,000 devices: shut down, every one after what it waits for.  The
# engine's own time and memory are reported: its plan (taking the
# devices, planning, reserving, and freeing it all afterwards) from the
# summary line, and device_shutdown() against the time the callbacks took.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
total=$(sim device_shutdown_us) callbacks=$(sim callbacks_us)
echo "INFO: 100k devices: device_shutdown() ${total:-?} us, callbacks ${callbacks:-?} us, outside them $(( ${total:-0} - ${callbacks:-0} )) us"
[ "$KIND" = ours ] || exit 0
line=$(summary_line)
echo "INFO: $line"
[ "$(summary devices)" -ge 100000 ]; verdict $? "all devices went through the engine ($(summary devices))"
echo "$line" | grep -q 'ms critical path'; verdict $? "in parallel, not the legacy order"
