#!/bin/bash
# Every callback's nested async call ran, and the guest powered off
# (boot.sh checks that): chains did not starve what they wait for.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
[ "$(sim nested_calls)" = 1000 ]
verdict $? "each of the 1000 callbacks' nested async calls ran (saw $(sim nested_calls))"
