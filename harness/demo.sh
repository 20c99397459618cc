#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh SCENARIO [ours|base]: what plain 'make' does after the build:
# boot the scenario with its shutdown traced (SHUTDOWN_TRACE, see boot.sh),
# print what the guest said while it shut down, and draw the shutdown as
# build/shutdown.svg with tools/driver-core/shutdown_timeline.py.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

scenario=${1:?usage: demo.sh SCENARIO [ours|base]}
kind=${2:-ours}
log=$(boot_log "$scenario" "$kind")
svg=$BUILD/shutdown.svg
status=0
SHUTDOWN_TRACE=1 "$REPO/harness/boot.sh" "$scenario" "$kind" || status=$?

# The per-device lines are in the picture: leave them out here.
per_device='device_shutdown_\(start\|end\): \|: shutdown\(_pre\)\?$'
echo "---- what the guest printed while shutting down ($(tr -d '\r' < "$log" |
	sed -n '/HARNESS: powering off/,$p' | grep -c "$per_device") per-device lines left out):"
tr -d '\r' < "$log" | sed -n '/HARNESS: powering off/,$p' | grep -v "$per_device" || true

rm -f "$svg"
"$REPO/tools/driver-core/shutdown_timeline.py" -o "$svg" \
	-t "Device shutdown: $scenario, $kind kernel" "$log" || exit 1
echo "---- shutdown timeline: $svg"
exit "$status"
