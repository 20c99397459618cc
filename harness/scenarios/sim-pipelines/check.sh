#!/bin/bash
# The simulator's own checks, and the makespan within 2% + 10 ms of the
# limit in the legacy sync order (the critical path in one registration
# order, the two pipelines one after the other in the other), 5 ms more
# for each of its 2 dependency hops.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
sim_makespan_check 2
