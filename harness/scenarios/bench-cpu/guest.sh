#!/bin/sh
# The cost of the async core itself, on the base kernel and on ours: empty
# entries scheduled and run on one vCPU.  With two, the rate swings by 2-5x
# from one round to the next on either kernel, as TCG's vCPU threads meet
# on the host's two cores; on one, the rounds agree within a few percent.
load-async || exit 1
i=0
while [ $i -lt 6 ]; do
	bench-async cpu_throughput throughput entries=20000
	bench-async cpu_atomic atomic entries=20000
	i=$((i + 1))
done
rmmod test_async
