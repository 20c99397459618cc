#!/bin/sh
# The emulated topology enumerated as intended: four NVMe controllers bound
# to the nvme driver, and the root and switch ports bound to pcieport.
log=$1
verdict() { if [ "$1" = 0 ]; then echo "PASS: $2"; else echo "FAIL: $2"; fi; }

n=$(grep -c 'HARNESS: nvme nvme[0-9]' "$log")
[ "$n" -ge 4 ]; verdict $? "4 NVMe controllers enumerated (saw $n)"
n=$(grep -c 'HARNESS: pci .* driver=pcieport' "$log")
[ "$n" -ge 5 ]; verdict $? "3 root ports and 3 switch ports bound to pcieport (saw $n)"

# Our kernel sums device shutdown up in one line: the NVMe controllers and
# the PCI devices opted in, so some devices ran in parallel chains.
[ "${2:-ours}" = ours ] || exit 0
line=$(tr -d '\r' < "$log" | grep -o 'device_shutdown: [0-9]* devices, .*' | tail -n 1)
[ -n "$line" ]; verdict $? "device_shutdown summary: ${line:-missing}"
async=$(echo "$line" | sed -n 's/.* devices, \([0-9]*\) async,.*/\1/p')
chains=$(echo "$line" | sed -n 's/.* async, \([0-9]*\) chains,.*/\1/p')
[ "${async:-0}" -gt 0 ]; verdict $? "devices shut down asynchronously (saw ${async:-none})"
[ "${chains:-0}" -gt 1 ]; verdict $? "more than one async chain (saw ${chains:-none})"
echo "$line" | grep -q 'ms critical path'; verdict $? "parallel shutdown, not the legacy order"
