#!/bin/sh
# Enable the two VFs of the SR-IOV NVMe controller (without binding a
# driver to them) and print each device shutdown on the console, so that
# the host can check that every VF went before its PF.
pf=
for dev in /sys/bus/pci/devices/*; do
	[ "$(cat "$dev/sriov_totalvfs" 2>/dev/null || echo 0)" -gt 0 ] && pf=$dev
done
[ -n "$pf" ] || { echo "HARNESS: no SR-IOV capable device"; exit 1; }
echo 0 > "$pf/sriov_drivers_autoprobe"
echo 2 > "$pf/sriov_numvfs" || { echo "HARNESS: cannot enable VFs"; exit 1; }
for vf in "$pf"/virtfn*; do
	vf=$(basename "$(readlink "$vf")")
	echo "HARNESS: vf $vf pf $(basename "$pf")"
	[ -e "/sys/bus/pci/devices/$vf/supplier:pci:$(basename "$pf")" ] &&
		echo "HARNESS: vf $vf links to its pf"
done
# tp_printk on the command line sends enabled events to the console.
echo 1 > /sys/kernel/tracing/events/device_shutdown/enable
exit 0
