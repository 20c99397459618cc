#!/bin/sh
# The cost of the async core itself, on the base kernel and on ours: empty
# entries scheduled and run on one vCPU.  With two, the rate swings by 2-5x
# from one round to the next on either kernel, as TCG's vCPU threads meet
# on the host's two cores; on one, the rounds agree within a few percent.
ko=$(find /lib/modules -name test_async.ko | head -n 1)
[ -n "$ko" ] && insmod "$ko" || { echo "HARNESS: test_async.ko missing"; exit 1; }
ctl=/sys/kernel/debug/test_async

run() { # run NAME SCENARIO...
	name=$1
	shift
	echo "$*" > $ctl/run || { echo "BENCH: $name error"; return 1; }
	echo "BENCH: $name $(tr '\n' ' ' < $ctl/result)"
}

i=0
while [ $i -lt 6 ]; do
	run cpu_throughput throughput entries=20000
	run cpu_atomic atomic entries=20000
	i=$((i + 1))
done
rmmod test_async
