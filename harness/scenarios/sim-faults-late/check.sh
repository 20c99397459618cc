#!/bin/bash
# Allocations fail all through shutdown, but not those of the reservation:
# chains run in parallel on reserved entries, and no call falls back to
# running inline except the simulator's own unreserved probe, which shows
# that allocations were indeed failing.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
[ "$KIND" = ours ] || exit 0
console | grep -q 'HARNESS: entry allocations fail outside'
verdict $? "fault injection armed, sparing only async_reserve()"
[ "$(sim probe_inline)" = 1 ]
verdict $? "an unreserved call during shutdown ran inline (probe_inline=$(sim probe_inline))"
[ "$(summary chains)" -ge 1 ]
verdict $? "the reservation held: shutdown ran in chains ($(summary chains) chains)"
[ "$(sim inline_fallbacks)" = "$(sim probe_inline)" ]
verdict $? "nothing but the probe fell back inline ($(sim inline_fallbacks) fallbacks)"
sim_makespan_check 1
