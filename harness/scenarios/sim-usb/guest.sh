#!/bin/sh
# A 200 ms async disk under a sync USB-storage-like interface, and a sync
# controller (with a 12 ms async child) that feeds a 750 ms async PCI
# function.  Critical path 763 ms; a fixed sync order that runs the
# interface first takes 952 ms.
load-sim topology="xhci:async,delay=2;iface:parent=xhci,sync,delay=1;disk:parent=iface,async,delay=200;pci:async,delay=750;ctrl:parent=pci,sync,delay=1;child:parent=ctrl,async,delay=12" report_devices=0
