#!/bin/sh
# Benchmarks of the async core, run the same way on the base kernel and on
# ours: every measurement is printed as a "BENCH: NAME key=value ..." line
# for harness/bench.sh, which compares the two kernels.
ko=$(find /lib/modules -name test_async.ko | head -n 1)
[ -n "$ko" ] && insmod "$ko" || { echo "HARNESS: test_async.ko missing"; exit 1; }
ctl=/sys/kernel/debug/test_async

run() { # run NAME SCENARIO...
	name=$1
	shift
	echo "$*" > $ctl/run || { echo "BENCH: $name error"; return 1; }
	echo "BENCH: $name $(tr '\n' ' ' < $ctl/result)"
}

rounds=${BENCH_ROUNDS:-5}
i=0
while [ $i -lt "$rounds" ]; do
	run throughput throughput entries=20000
	run atomic atomic entries=20000
	run herd herd waiters=16 entries=256
	i=$((i + 1))
done

# perf sched: count the wakeups of the herd's waiters as the scheduler saw
# them (sched_waking per woken pid; each waiter's first one is its start).
perf sched record -o /tmp/herd.data -- \
	sh -c "echo 'herd waiters=16 entries=256' > $ctl/run" > /tmp/perf.out 2>&1 ||
	{ cat /tmp/perf.out; echo "BENCH: perf_herd error"; exit 1; }
pids=$(sed -n 's/^waiter_pid=//p' $ctl/result | tr '\n' ' ')
perf script -i /tmp/herd.data 2>/dev/null | awk -v pids="$pids" '
	BEGIN { n = split(pids, list, " "); for (i = 1; i <= n; i++) waiter[list[i]] = 1 }
	/sched:sched_waking:/ {
		for (i = 1; i <= NF; i++)
			if ($i ~ /^pid=/) { pid = substr($i, 5); if (pid in waiter) wakings++ }
	}
	END { printf "BENCH: perf_herd waiters=%d wakings=%d\n", n, wakings }'
rmmod test_async
