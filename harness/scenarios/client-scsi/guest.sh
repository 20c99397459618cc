#!/bin/sh
# A real client of device shutdown and of the async core: 16 slow SCSI
# disks (scsi_debug, 4 hosts of 4 disks, 50 ms per command) through sd and
# the SCSI midlayer, scanned asynchronously (scsi_mod.scan=async), then
# shut down at power-off: each disk flushes its cache and stops.  The
# simulator, with one device of its own, times device_shutdown() the
# same way on both kernels.
scsi-disks 4 4 50 || exit 1
load-sim topology="probe:sync,delay=0"
