#!/bin/bash
# Each VF of the SR-IOV controller is linked to its PF and shut down
# before it: its device_shutdown_end comes before the PF's
# device_shutdown_start on the console.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
vfs=$(console | sed -n 's/.*HARNESS: vf \([^ ]*\) pf .*/\1/p')
pf=$(console | sed -n 's/.*HARNESS: vf [^ ]* pf \(.*\)/\1/p' | head -n 1)
[ "$(echo "$vfs" | wc -w)" = 2 ]; verdict $? "two VFs enabled ($(echo $vfs))"
[ "$KIND" = ours ] || exit 0
for vf in $vfs; do
	console | grep -q "HARNESS: vf $vf links to its pf"
	verdict $? "VF $vf is linked to its PF $pf"
	end=$(console | grep -n "device_shutdown_end: .* $vf " | head -n 1 | cut -d: -f1)
	start=$(console | grep -n "device_shutdown_start: .* $pf " | head -n 1 | cut -d: -f1)
	[ -n "$end" ] && [ -n "$start" ] && [ "$end" -lt "$start" ]
	verdict $? "VF $vf shut down before its PF (lines ${end:-?} < ${start:-?})"
done
