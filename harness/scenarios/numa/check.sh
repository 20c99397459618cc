#!/bin/bash
# Four nodes, and 3 x 256 + 1 entries of the default domain all running at
# once: more than a single node's worth, which a default domain capped at
# 256 for the whole machine cannot reach.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
line=$(console | grep -o 'BENCH: spread .*' | tail -n 1)
field() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
nodes=$(field nodes)
[ "$nodes" = 4 ]; verdict $? "the guest has 4 NUMA nodes with CPUs (${nodes:-none})"
concurrent=$(field concurrent)
[ "$(field met)" = 1 ] && [ "$concurrent" = 769 ]
verdict $? "769 default-domain entries ran at once over 4 nodes (${concurrent:-?} did)"
