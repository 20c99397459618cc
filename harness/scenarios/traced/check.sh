#!/bin/bash
# The tools read what this boot recorded: tools/async/async_wakeups.py
# finds each of the herd's 16 waiters woken once, never in vain, and
# tools/driver-core/shutdown_timeline.py draws the traced shutdown with
# more than one row.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"

data=${LOG%.log}.perf.data
svg=${LOG%.log}.svg
rm -f "$data" "$svg"
"$REPO/harness/console_get.py" "$LOG" herd.perf.data "$data" 2>&1 | sed 's/^/INFO: /'
[ -s "$data" ]; verdict $? "perf.data of the herd copied out through the console ($(stat -c %s "$data" 2>/dev/null || echo 0) bytes)"
herd_checks "$data" async
herd_checks "$data" task
s=$("$REPO/tools/driver-core/shutdown_timeline.py" -s -t "Device shutdown, traced boot" -o "$svg" "$LOG" 2>&1)
echo "INFO: timeline: $s"
rows=$(kv "$s" rows)
rows=${rows:-0}
echo "$s" | grep -q 'source=trace' && [ "$rows" -gt 1 ]
verdict $? "shutdown timeline drawn from trace events, $rows rows ($svg)"
