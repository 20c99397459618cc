#!/bin/sh
# Benchmarks of the async core, run the same way on the base kernel and on
# ours: every measurement is printed as a "BENCH: NAME key=value ..." line
# for harness/bench.sh, which compares the two kernels.
load-async || exit 1
ctl=/sys/kernel/debug/test_async

rounds=${BENCH_ROUNDS:-5}
i=0
while [ $i -lt "$rounds" ]; do
	bench-async throughput throughput entries=20000
	bench-async atomic atomic entries=20000
	bench-async herd herd waiters=16 entries=256
	i=$((i + 1))
done

# perf sched: the herd as the scheduler saw it.  The perf.data goes out
# through the console; on the host, tools/async/async_wakeups.py counts
# the wakeups of each wait (from the async: events, which only our kernel
# has) and of each waiter (on both kernels).
set --
[ -d /sys/kernel/tracing/events/async ] && set -- -e 'async:*'
perf sched record "$@" -o /tmp/herd.data -- \
	sh -c "echo 'herd waiters=16 entries=256' > $ctl/run" > /tmp/perf.out 2>&1 ||
	{ cat /tmp/perf.out; echo "BENCH: perf_herd error"; exit 1; }
echo "HARNESS: herd $(tr '\n' ' ' < $ctl/result)"
rmmod test_async
console-put /tmp/herd.data herd.perf.data
