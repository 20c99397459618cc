#!/bin/bash
# The bare sleep lasted its whole time: the chains that finished around
# it woke nothing on the calling task (sim_checks counts early wakeups).
# The parent still waited for the sleeper, first in the legacy order.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
[ "$(dev s end_us)" -le "$(dev p start_us)" ]
verdict $? "the sleeper ended ($(dev s end_us) us) before the sync parent started ($(dev p start_us) us)"
