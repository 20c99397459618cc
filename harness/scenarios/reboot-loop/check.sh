#!/bin/bash
# 21 boots, numbered in order from the disk, and 20 reboots, each after a
# parallel device shutdown that printed its summary.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
boots=$(console | sed -n 's/.*HARNESS: reboot-loop boot \([0-9]*\).*/\1/p' | tr '\n' ' ')
want=$(seq 1 21 | tr '\n' ' ')
[ "$boots" = "$want" ]; verdict $? "21 boots counted on disk in order (${boots:-none})"
restarts=$(console | grep -c 'reboot: Restarting system')
[ "$restarts" = 20 ]; verdict $? "20 reboots through the kernel's restart path ($restarts)"
summaries=$(console | grep -c 'device_shutdown: [0-9]* devices, [0-9]* async, [1-9][0-9]* chains')
[ "$summaries" = 21 ]
verdict $? "every shutdown ran async chains and printed its summary ($summaries of 21)"
console | grep -q 'HARNESS: reboot-loop done after 20 reboots'
verdict $? "the loop ended in a power-off"
