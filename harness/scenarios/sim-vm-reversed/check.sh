#!/bin/bash
# The simulator's own checks, and the makespan within 2% + 10 ms of the
# critical path, 5 ms more for each of its 2 dependency hops: no two sync
# devices of this topology need to overlap, so a sync loop that runs
# whichever sync device is ready reaches it.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
sim_makespan_check 2
