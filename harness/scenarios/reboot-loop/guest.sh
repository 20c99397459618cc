#!/bin/sh
# Reboot 20 times in a row, each time through device_shutdown(), then power
# off.  The count lives on the first NVMe namespace, tagged with this run's
# boot id, so that a disk left over from an earlier run starts from 0.
reboots=20
disk=/dev/nvme0n1
id=
for arg in $(cat /proc/cmdline); do
	case $arg in
	harness.boot_id=*) id=${arg#harness.boot_id=} ;;
	esac
done
[ -b "$disk" ] || { echo "HARNESS: no $disk"; exit 1; }
set -- $(dd if=$disk bs=512 count=1 2>/dev/null | tr -dc '0-9. \n' | head -n 1)
count=0
[ "$1" = "$id" ] && count=$2
count=$((count + 1))
printf '%s %s\n' "$id" "$count" | dd of=$disk bs=512 count=1 conv=sync 2>/dev/null
sync
echo "HARNESS: reboot-loop boot $count"
if [ "$count" -le "$reboots" ]; then
	echo "HARNESS: rebooting"
	reboot -f
	sleep 600
fi
echo "HARNESS: reboot-loop done after $reboots reboots"
