#!/bin/bash
# Two nodes, 900 entries hinted to node 0 and then 900 to node 1: 256 of
# each node's entries ran at the same time (node 0's held their runners
# until node 1's had all started: a node's busy runners must not hold up
# another node's entries), and all of them ran, none inline.  Where the
# scheduler then moved workers is only shown: async_wq's affinity is not
# strict, on 6.12 either.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
line=$(console | grep -o 'BENCH: skewed .*' | tail -n 1)
field() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
nodes=$(field nodes)
[ "$nodes" = 2 ]; verdict $? "the guest has 2 NUMA nodes with CPUs (${nodes:-none})"
[ "$(field entries)" = 1800 ] && [ "$(field inline)" = 0 ]
verdict $? "all 1800 entries ran, none inline ($(field entries) ran, $(field inline) inline)"
[ "$(field met)" = 1 ]
verdict $? "256 entries of each node ran at the same time (met=$(field met); node 0 at $(field node0_met_ms) ms, node 1 at $(field node1_met_ms) ms)"
for node in 0 1; do
	peak=$(field node${node}_peak)
	[ -n "$peak" ] && [ "$peak" -ge 256 ]
	verdict $? "node $node ran 256 of its entries at once (${peak:-?} did, last ended at $(field node${node}_last_end_ms) ms)"
done
echo "    entries that started on a CPU of another node: $(field wrong) (node 0: $(field node0_wrong), node 1: $(field node1_wrong)); elapsed $(($(field elapsed_ns | grep . || echo 0) / 1000000)) ms"
