#!/bin/bash
# 5000 random devices with links: completes, in order.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
echo "INFO: makespan $(sim makespan_us) us, critical path $(sim critical_path_us) us, serial sum $(sim serial_sum_us) us"
