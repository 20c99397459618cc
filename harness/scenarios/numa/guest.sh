#!/bin/sh
# The default domain on four NUMA nodes: as many blocking entries as
# 6.12 ran at once there (WQ_DFL_ACTIVE per node) must all be running at
# the same time.  Entries are spread over the nodes; each waits, with a
# timeout, until all have arrived.
ko=$(find /lib/modules -name test_async.ko | head -n 1)
[ -n "$ko" ] && insmod "$ko" || { echo "HARNESS: test_async.ko missing"; exit 1; }
echo "HARNESS: nodes $(ls -d /sys/devices/system/node/node* | wc -l)"
echo "spread entries=769" > /sys/kernel/debug/test_async/run || exit 1
echo "BENCH: spread $(tr '\n' ' ' < /sys/kernel/debug/test_async/result)"
