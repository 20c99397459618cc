#!/bin/sh
# Record what the tools under tools/ read, on our kernel: a perf.data of
# the herd (16 waiters for distinct cookies of 256 entries) with the sched
# and async trace events, copied out through the console.  The "traced"
# file (boot.sh) has the shutdown's trace events printed at power-off.
ko=$(find /lib/modules -name test_async.ko | head -n 1)
[ -n "$ko" ] && insmod "$ko" || { echo "HARNESS: test_async.ko missing"; exit 1; }
ctl=/sys/kernel/debug/test_async
perf record -a -e 'sched:*' -e 'async:*' -o /tmp/herd.data -- \
	sh -c "echo 'herd waiters=16 entries=256' > $ctl/run" > /tmp/perf.out 2>&1 ||
	{ cat /tmp/perf.out; exit 1; }
echo "HARNESS: herd $(tr '\n' ' ' < $ctl/result)"
rmmod test_async
console-put /tmp/herd.data herd.perf.data
