#!/bin/bash
# Every entry allocation fails once the guest is up: shutdown cannot
# reserve its entries, says so, and runs fully synchronously, in order.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
[ "$KIND" = ours ] || exit 0
console | grep -q 'device_shutdown: no memory to run .* one at a time'
verdict $? "shutdown said it runs one device at a time"
[ "$(summary chains)" = 0 ]; verdict $? "no async chain ran ($(summary chains) chains)"
