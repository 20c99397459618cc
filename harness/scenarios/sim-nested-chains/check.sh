#!/bin/bash
# Every callback's nested async call ran, each device after its children,
# and the guest powered off (boot.sh checks that).
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
[ "$(sim nested_calls)" = 3000 ]
verdict $? "each of the 3000 callbacks' nested async calls ran (saw $(sim nested_calls))"
[ "$KIND" = ours ] || exit 0
[ "$(summary chains)" -ge 1000 ]
verdict $? "the chains ran in parallel ($(summary chains) chains)"
