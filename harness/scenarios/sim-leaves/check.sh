#!/bin/bash
# 16 async leaves of 500 ms under a sync bridge: the critical path is
# about 501 ms; the legacy order takes the serial sum, about 8 s.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
sim_makespan_check 1
