#!/bin/bash
# The sync devices with callbacks ran in the same order through the
# engine as in the walk of 6.12, on the same machine (harness/sync_order.py).
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
[ "$KIND" = ours ] || exit 0
out=$("$REPO/harness/sync_order.py" "$LOG" 2>&1)
verdict $? "the engine keeps the legacy order of sync devices: $out"
