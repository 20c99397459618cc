#!/bin/bash
# 21 boots, numbered in order from the disks, so 20 reboots, each after a
# parallel device shutdown.  The boot count is the evidence of the
# reboots: the console of a PREEMPT_RT kernel prints from a thread, and
# loses what was not printed yet when the machine resets, often the
# "Restarting system" line and now and then the shutdown's summary.  So
# every summary that reached the console must show async chains, and at
# least one must have.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
boots=$(console | sed -n 's/.*HARNESS: reboot-loop boot \([0-9]*\).*/\1/p' | tr '\n' ' ')
want=$(seq 1 21 | tr '\n' ' ')
[ "$boots" = "$want" ]; verdict $? "21 boots counted on disk in order, so 20 reboots (${boots:-none})"
summaries=$(console | grep -c 'device_shutdown: [0-9]* devices, ')
parallel=$(console | grep -c 'device_shutdown: [0-9]* devices, [0-9]* async, [1-9][0-9]* chains')
[ "$summaries" -ge 1 ] && [ "$parallel" = "$summaries" ]
verdict $? "every shutdown summary on the console ran async chains ($parallel of $summaries; 21 shutdowns)"
echo "INFO: reboot-loop: $(console | grep -c 'reboot: Restarting system') of 20 'Restarting system' lines reached the console"
console | grep -q 'HARNESS: reboot-loop done after 20 reboots'
verdict $? "the loop ended in a power-off"
