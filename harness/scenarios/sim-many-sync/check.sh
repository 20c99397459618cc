#!/bin/bash
# 500 sync devices take no async worker: the chains and the parallelism
# are those of the machine's own few async devices (q35's PCI functions
# and SCSI hosts; this machine has no NVMe tree), never one per sync
# device.  Held against counts that do not come from the engine: the
# devices that opted in, counted from sysfs by the guest, and the
# simulator's 501 devices, each with its own start and end.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
echo "INFO: 500 sync devices: makespan $(sim makespan_us) us, median step $(sim sync_step_ns) ns; device_shutdown() $(sim device_shutdown_us) us"
# The most simulated devices running at once, from their own timestamps.
devs=$(console | grep -o 'shutdown_sim: dev [^ ]* mode=sync .*' |
	sed 's/.*start_us=\([0-9]*\) end_us=\([0-9]*\).*/\1 \2/')
n=$(echo "$devs" | grep -c .)
[ "$n" = 501 ]; verdict $? "the simulator reported its 501 devices, all sync ($n)"
most=$(echo "$devs" | awk 'NF == 2 { print $1, 1; print $2, -1 }' | sort -k1,1n -k2,2n |
	awk '{ now += $2; if (now > most) most = now } END { print most + 0 }')
[ "$most" = 1 ]; verdict $? "the sync devices ran one at a time, by their timestamps (at most $most at once)"
[ "$KIND" = ours ] || exit 0
line=$(console | grep -o 'HARNESS: opted in .*' | tail -n 1)
opted=none
[ -n "$line" ] && opted=$(( $(kv "$line" pci) + 2 * $(kv "$line" scsi_host) + $(kv "$line" scsi_target) + 2 * $(kv "$line" scsi_device) ))
echo "INFO: ${line:-no 'HARNESS: opted in' line}: $opted devices"
async=$(summary async)
[ "$(summary devices)" -gt 501 ]; verdict $? "all devices went through device_shutdown ($(summary devices))"
[ "$opted" != none ] && [ "$async" -le "$opted" ]
verdict $? "no simulated device ran async: $async async, at most the $opted that opted in"
[ "$opted" != none ] && [ "$(summary chains)" -le "$opted" ]
verdict $? "chains only for devices that opted in ($(summary chains) chains, $opted opted in)"
[ "$opted" != none ] && [ "$(summary peak)" -le $((opted + 1)) ]
verdict $? "no thread per sync device (peak $(summary peak) parallel, $opted opted in)"
