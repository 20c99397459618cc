#!/bin/bash
# 500 sync devices take no async worker: chains and peak parallelism
# stay those of the few real async devices, far below one per device.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
[ "$KIND" = ours ] || exit 0
[ "$(summary devices)" -gt 500 ]; verdict $? "all devices went through device_shutdown ($(summary devices))"
[ "$(summary chains)" -le 16 ]; verdict $? "no chain per sync device ($(summary chains) chains)"
[ "$(summary peak)" -le 16 ]; verdict $? "no thread per sync device (peak $(summary peak) parallel)"
