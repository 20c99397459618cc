#!/bin/bash
# The emulated topology enumerated as intended: four NVMe controllers bound
# to the nvme driver, and the root and switch ports bound to pcieport.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"

n=$(console | grep -c 'HARNESS: nvme nvme[0-9]')
[ "$n" = 4 ]; verdict $? "4 NVMe controllers enumerated (saw $n)"
# Root ports sit on bus 00; the switch's upstream and downstream ports
# on the buses behind the second root port.
ports=$(console | sed -n 's/.*HARNESS: pci [0-9a-f]*:\([0-9a-f]*\):.* driver=pcieport$/\1/p')
root=$(echo "$ports" | grep -c '^00$')
switch=$(echo "$ports" | grep -c -v -e '^00$' -e '^$')
[ "$root" = 3 ] && [ "$switch" = 3 ]
verdict $? "3 root ports and 3 switch ports bound to pcieport (saw $root root, $switch switch)"

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
