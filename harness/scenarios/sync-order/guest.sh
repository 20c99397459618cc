#!/bin/sh
# Shut the same machine down twice, with initcall_debug: first with
# driver_core.async_shutdown=0 (the walk of 6.12), rebooting, then through
# the engine, powering off.  Besides the PCIe/NVMe tree, the simulator
# adds ten sync devices registered before four sync devices that each
# wait for an async chain three deep: a sync loop that ran whichever sync
# device is ready would run the ten first.  Five more sync devices, shut
# down first (rf, ro, rs, rk, rc in the walk), follow a change: rf's
# callback links rc, with its child rk, to rs as a consumer, and 6.12's
# walk, which found them moved to the end of the list, takes rk and rc
# next, before ro.  And mg's callback links my, then mx: the walk finds
# mx last on the list and takes it first, then my, before ms2 and ms1.
count=$(boot-count) || exit 1
spec="u*10:sync,delay=1;s*4:sync,delay=1;a*4:parent=s*,async,delay=20;b*4:parent=a*,async,delay=20;c*4:parent=b*,async,delay=20"
spec="$spec;rc:sync,delay=1;rk:parent=rc,sync,delay=1;rs:sync,delay=1;ro:sync,delay=1;rf:sync,delay=1,relink=rc:rs"
spec="$spec;mx:sync,delay=1;my:sync,delay=1;ms1:sync,delay=1;ms2:sync,delay=1;mg:sync,delay=1,relink=my:ms2+mx:ms1"
if [ "$count" = 1 ]; then
	echo 0 > /sys/module/driver_core/parameters/async_shutdown || exit 1
	load-sim topology="$spec" || exit 1
	echo "HARNESS: sync-order boot 1: the walk of 6.12"
	reboot -f
	sleep 600
fi
load-sim topology="$spec" || exit 1
echo "HARNESS: sync-order boot 2: the engine"
