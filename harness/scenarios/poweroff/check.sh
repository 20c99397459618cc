#!/bin/sh
# The emulated topology enumerated as intended: four NVMe controllers bound
# to the nvme driver, and the root and switch ports bound to pcieport.
log=$1
verdict() { if [ "$1" = 0 ]; then echo "PASS: $2"; else echo "FAIL: $2"; fi; }

n=$(grep -c 'HARNESS: nvme nvme[0-9]' "$log")
[ "$n" -ge 4 ]; verdict $? "4 NVMe controllers enumerated (saw $n)"
n=$(grep -c 'HARNESS: pci .* driver=pcieport' "$log")
[ "$n" -ge 5 ]; verdict $? "3 root ports and 3 switch ports bound to pcieport (saw $n)"
