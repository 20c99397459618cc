#!/bin/sh
# A real client of the async core: PM suspends and resumes devices
# asynchronously (async_schedule_dev_nocall()).  16 slow SCSI disks
# (scsi_debug, 50 ms per command) and the NVMe tree go through one
# suspend/resume cycle that stops after the devices (pm_test=devices);
# the kernel's own times of the device phases are printed as BENCH:
# pm suspend_us= resume_us=.
scsi-disks 4 4 50 || exit 1
echo 1 > /sys/power/pm_debug_messages || exit 1
echo devices > /sys/power/pm_test || exit 1
state=mem
grep -qw mem /sys/power/state || state=freeze
echo "HARNESS: pm_test=devices, $state"
echo "$state" > /sys/power/state || { echo "HARNESS: $state refused"; exit 1; }
dmesg | awk '
	/PM: suspend of devices complete after/ { s = ms() }
	/PM: resume of devices complete after/ { r = ms() }
	function ms() { match($0, /after [0-9]+\.[0-9]+ msecs/); return substr($0, RSTART + 6, RLENGTH - 12) + 0 }
	END { printf "BENCH: pm suspend_us=%d resume_us=%d\n", s * 1000, r * 1000 }'
