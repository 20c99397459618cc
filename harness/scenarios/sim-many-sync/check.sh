#!/bin/bash
# 500 sync devices take no async worker: the chains and the parallelism
# are those of the machine's own few async devices (q35's PCI functions;
# this machine has no NVMe tree), never one per sync device.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
echo "INFO: 500 sync devices: makespan $(sim makespan_us) us, median step $(sim sync_step_ns) ns; device_shutdown() $(sim device_shutdown_us) us"
[ "$KIND" = ours ] || exit 0
async=$(summary async)
[ "$(summary devices)" -gt 500 ]; verdict $? "all devices went through device_shutdown ($(summary devices))"
[ "$(summary chains)" -le "$async" ]; verdict $? "chains only for async devices ($(summary chains) chains, $async async)"
[ "$(summary peak)" -le $((async + 1)) ]; verdict $? "no thread per sync device (peak $(summary peak) parallel, $async async)"
