#!/bin/sh
# The emulated PCIe switch tree with its real NVMe controllers, and
# simulated slow controllers beside it.
load-sim topology="hba*4:async,delay=300;port:sync,delay=20;disk*2:parent=port,async,delay=200"
