#!/bin/sh
# Every async entry allocation fails from here on.
load-sim topology="br:sync,delay=1;leaf*8:parent=br,async,delay=50"
echo 1 > /sys/kernel/debug/fail_async_alloc/interval
echo -1 > /sys/kernel/debug/fail_async_alloc/times
echo 0 > /sys/kernel/debug/fail_async_alloc/verbose
echo 100 > /sys/kernel/debug/fail_async_alloc/probability
