#!/bin/bash
# All 16 disks were scanned and attached, and shut down: our kernel ran
# them in parallel chains, each after the devices below it.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
line=$(console | grep -o 'BENCH: scsi_scan .*' | tail -n 1)
[ "$(kv "$line" disks)" = 16 ]
verdict $? "16 scsi_debug disks attached ($(kv "$line" disks)), scanned in $(kv "$line" scan_us) us"
sim_checks
[ "$KIND" = ours ] || exit 0
[ "$(summary chains)" -gt 1 ]
verdict $? "the disks shut down in parallel chains ($(summary chains) chains, peak $(summary peak))"
