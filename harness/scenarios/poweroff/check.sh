#!/bin/bash
# The emulated topology enumerated as intended: four NVMe controllers bound
# to the nvme driver, and the root and switch ports bound to pcieport.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"

n=$(grep -c 'HARNESS: nvme nvme[0-9]' "$LOG")
[ "$n" -ge 4 ]; verdict $? "4 NVMe controllers enumerated (saw $n)"
n=$(grep -c 'HARNESS: pci .* driver=pcieport' "$LOG")
[ "$n" -ge 5 ]; verdict $? "3 root ports and 3 switch ports bound to pcieport (saw $n)"

# Our kernel sums device shutdown up in one line: the NVMe controllers and
# the PCI devices opted in, so some devices ran in parallel chains.
[ "$KIND" = ours ] || exit 0
line=$(summary_line)
[ -n "$line" ]; verdict $? "device_shutdown summary: ${line:-missing}"
async=$(summary async)
chains=$(summary chains)
[ "${async:-0}" -gt 0 ]; verdict $? "devices shut down asynchronously (saw ${async:-none})"
[ "${chains:-0}" -gt 1 ]; verdict $? "more than one async chain (saw ${chains:-none})"
echo "$line" | grep -q 'ms critical path'; verdict $? "parallel shutdown, not the legacy order"
