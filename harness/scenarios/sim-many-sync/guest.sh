#!/bin/sh
# About 500 devices, none of them async; and the devices of this machine
# that opt in to async shutdown, counted from sysfs: PCI functions and
# the SCSI midlayer's hosts, targets and devices (two devices each for
# hosts and SCSI devices: the bus one and the class one).
load-sim topology="bus:sync;plain*500:parent=bus,sync" || exit 1
count() { ls "$@" 2>/dev/null | wc -l; }
echo "HARNESS: opted in pci=$(count /sys/bus/pci/devices) scsi_host=$(count /sys/class/scsi_host) scsi_target=$(count -d /sys/bus/scsi/devices/target*) scsi_device=$(count /sys/class/scsi_device)"
