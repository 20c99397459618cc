#!/bin/sh
# The default domain on two NUMA nodes, with skewed hints: 900 blocking
# entries hinted to node 0, then 900 to node 1.  As on 6.12, which queued
# each entry on async_wq at its node (WQ_DFL_ACTIVE at once per node),
# each node must run WQ_DFL_ACTIVE of its own entries at once, there,
# without waiting for the other node's.
ko=$(find /lib/modules -name test_async.ko | head -n 1)
[ -n "$ko" ] && insmod "$ko" || { echo "HARNESS: test_async.ko missing"; exit 1; }
echo "HARNESS: nodes $(ls -d /sys/devices/system/node/node* | wc -l)"
echo "skewed entries=900 delay_ms=200 per_node=256" > /sys/kernel/debug/test_async/run || exit 1
echo "BENCH: skewed $(tr '\n' ' ' < /sys/kernel/debug/test_async/result)"
