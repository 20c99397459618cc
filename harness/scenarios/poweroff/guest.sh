#!/bin/sh
# Show the PCIe tree and the NVMe controllers that device shutdown will stop.
for dev in /sys/bus/pci/devices/*; do
	drv=none
	[ -e "$dev/driver" ] && drv=$(basename "$(readlink "$dev/driver")")
	echo "HARNESS: pci $(basename "$dev") class=$(cat "$dev/class") driver=$drv"
done
for ctrl in /sys/class/nvme/nvme*; do
	[ -e "$ctrl" ] && echo "HARNESS: nvme $(basename "$ctrl") serial=$(cat "$ctrl/serial")"
done
exit 0
