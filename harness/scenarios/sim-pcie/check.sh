#!/bin/bash
# Real NVMe behind PCIe switch ports plus simulated controllers.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
sim_makespan_check 1
[ "$KIND" = ours ] || exit 0
[ "$(summary async)" -gt 4 ]; verdict $? "real and simulated devices ran async ($(summary async) async)"
[ "$(summary chains)" -gt 1 ]; verdict $? "in more than one chain ($(summary chains) chains)"
