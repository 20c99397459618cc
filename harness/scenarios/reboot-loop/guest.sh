#!/bin/sh
# Reboot 20 times in a row, each time through device_shutdown(), then power
# off.  The count lives on every NVMe namespace, tagged with this run's
# boot id, so that a disk left over from an earlier run starts from 0;
# every one of them, since the controllers probe asynchronously and
# nvme0n1 is not the same disk from one boot to the next.
reboots=20
id=
for arg in $(cat /proc/cmdline); do
	case $arg in
	harness.boot_id=*) id=${arg#harness.boot_id=} ;;
	esac
done
disks=$(ls /dev/nvme*n1 2>/dev/null)
[ -n "$disks" ] || { echo "HARNESS: no NVMe namespace"; exit 1; }
count=0
for disk in $disks; do
	set -- $(dd if="$disk" bs=512 count=1 2>/dev/null | tr -dc '0-9. \n' | head -n 1)
	[ "$1" = "$id" ] && [ "${2:-0}" -gt "$count" ] && count=$2
done
count=$((count + 1))
for disk in $disks; do
	printf '%s %s\n' "$id" "$count" | dd of="$disk" bs=512 count=1 conv=sync 2>/dev/null
done
sync
echo "HARNESS: reboot-loop boot $count"
if [ "$count" -le "$reboots" ]; then
	echo "HARNESS: rebooting"
	reboot -f
	sleep 600
fi
echo "HARNESS: reboot-loop done after $reboots reboots"
