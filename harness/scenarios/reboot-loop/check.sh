#!/bin/bash
# 21 boots, numbered in order from the disks, so 20 reboots, each after a
# parallel device shutdown, then a power-off.  The console of a
# PREEMPT_RT kernel prints from a thread, which a reset would cut short;
# the guest drains the consoles before each reboot (console_drain), so
# all 21 shutdown summaries must be there, each with async chains.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
boots=$(console | sed -n 's/.*HARNESS: reboot-loop boot \([0-9]*\).*/\1/p' | tr '\n' ' ')
want=$(seq 1 21 | tr '\n' ' ')
[ "$boots" = "$want" ]; verdict $? "21 boots counted on disk in order, so 20 reboots (${boots:-none})"
drained=$(console | grep -c 'HARNESS: consoles drained before each reboot')
[ "$drained" = 21 ]; verdict $? "each of the 21 boots drains its consoles before a reboot ($drained)"
summaries=$(console | grep -c 'device_shutdown: [0-9]* devices, ')
parallel=$(console | grep -c 'device_shutdown: [0-9]* devices, [0-9]* async, [1-9][0-9]* chains')
[ "$summaries" = 21 ] && [ "$parallel" = 21 ]
verdict $? "all 21 shutdown summaries reached the console, each with async chains ($parallel with chains of $summaries)"
echo "INFO: reboot-loop: $(console | grep -c 'reboot: Restarting system') of 20 'Restarting system' lines reached the console"
console | grep -q 'HARNESS: reboot-loop done after 20 reboots'
verdict $? "the loop ended in a power-off"
