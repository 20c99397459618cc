#!/bin/sh
# Reboot 20 times in a row, each time through device_shutdown(), then power
# off.  boot-count keeps the count on the disks.
reboots=20
count=$(boot-count) || exit 1
echo "HARNESS: reboot-loop boot $count"
if [ "$count" -le "$reboots" ]; then
	echo "HARNESS: rebooting"
	reboot -f
	sleep 600
fi
echo "HARNESS: reboot-loop done after $reboots reboots"
