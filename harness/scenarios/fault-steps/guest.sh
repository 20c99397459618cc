#!/bin/sh
# Boot N of the run fails the N-th fault injection point that
# device_shutdown() passes in its own thread (the simulator's fail_nth=):
# an slab allocation (failslab, where the kernel has it, with allocations
# that may sleep included) or an async entry (fail_async_alloc).  Then it
# reboots, until boot $steps powers off.  Every step must shut down in
# order, never hang, and either run in parallel with nothing inline or
# say it falls back to the 6.12 order.
steps=$(cat steps)
n=$(boot-count) || exit 1
echo "HARNESS: fault-steps boot $n of $steps"
load-sim topology="br:sync,delay=1;mid*2:parent=br,async,delay=5;leaf*2:parent=mid0,async,delay=20;sleaf*2:parent=mid1,sync,delay=2" fail_nth="$n" || exit 1
if [ -d /sys/kernel/debug/failslab ]; then
	echo N > /sys/kernel/debug/failslab/ignore-gfp-wait
fi
if [ "$n" -lt "$steps" ]; then
	reboot -f
	sleep 600
fi
