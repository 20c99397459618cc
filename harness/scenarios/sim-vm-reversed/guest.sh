#!/bin/sh
# sim-vm, with the unrelated devices registered first.
load-sim topology="other*300:sync,delay=1;pci:async,delay=5;ctrl:parent=pci,sync,delay=2;disk:parent=ctrl,async,delay=1000" report_devices=0
