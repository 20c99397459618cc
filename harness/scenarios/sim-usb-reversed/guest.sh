#!/bin/sh
# sim-usb, with the PCI function registered first.
load-sim topology="pci:async,delay=750;ctrl:parent=pci,sync,delay=1;child:parent=ctrl,async,delay=12;xhci:async,delay=2;iface:parent=xhci,sync,delay=1;disk:parent=iface,async,delay=200" report_devices=0
