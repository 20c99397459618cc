#!/bin/sh
# A VM: a 1 s async disk under a sync virtio-scsi-like controller, under
# an async PCI function, and 300 unrelated 1 ms sync devices.  Critical
# path 1007 ms; a fixed sync order that runs the controller first takes
# 1302 ms.
load-sim topology="pci:async,delay=5;ctrl:parent=pci,sync,delay=2;disk:parent=ctrl,async,delay=1000;other*300:sync,delay=1" report_devices=0
