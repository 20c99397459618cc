#!/bin/bash
# An async parent with a slow sync child, and an unrelated slow sync
# device: the child runs before the unrelated device, so the parent does
# not wait 300 ms more for it.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
[ "$KIND" = ours ] || exit 0
gap=$(( $(dev p start_us) - $(dev c end_us) ))
[ "$gap" -ge 0 ]; verdict $? "the async parent started after its sync child ended (gap $gap us)"
# Not a bound on time that load may stretch: 300 ms is the unrelated
# device's whole callback, which a handoff never comes near.
[ "$gap" -lt 300000 ]; verdict $? "the unrelated sync device did not hold the chain up (gap $gap us < 300 ms)"
