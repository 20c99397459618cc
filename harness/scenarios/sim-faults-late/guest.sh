#!/bin/sh
# Every async entry allocation fails from here on, except those of
# async_reserve(): shutdown reserves its entries, then runs while nothing
# else can be allocated.
load-sim topology="br:sync,delay=1;leaf*8:parent=br,async,delay=50" alloc_probe=1
f=/sys/kernel/debug/fail_async_alloc
# The reservation's range: from async_reserve to the next symbol.
range=$(sort /proc/kallsyms | grep -A1 ' async_reserve$' | cut -d' ' -f1)
start=$(echo "$range" | sed -n 1p) end=$(echo "$range" | sed -n 2p)
if [ -z "$end" ] || [ "$start" = 0000000000000000 ]; then
	echo "HARNESS: cannot find async_reserve in /proc/kallsyms"
	exit 1
fi
echo "0x$start" > $f/reject-start
echo "0x$end" > $f/reject-end
echo 1 > $f/interval
echo -1 > $f/times
echo 0 > $f/verbose
echo 100 > $f/probability
echo "HARNESS: entry allocations fail outside 0x$start-0x$end"
