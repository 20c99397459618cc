#!/bin/bash
# driver_core.async_shutdown=0: power-off shuts devices down in the legacy
# order, one at a time, and the summary line says so.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"

console | grep -q "driver_core.async_shutdown: 'maybe' is not a boolean"
verdict $? "a bad boot value of driver_core.async_shutdown is refused with a message"
console | grep -q 'HARNESS: async_shutdown=N'
verdict $? "driver_core.async_shutdown=0 took effect"
console | grep -q 'HARNESS: async_shutdown refused a bad value'
verdict $? "a bad value written at run time is refused"
console | grep -q 'HARNESS: async_shutdown now N'
verdict $? "the parameter is writable at run time"

line=$(summary_line)
[ -n "$line" ]
verdict $? "device_shutdown summary: ${line:-missing}"
echo "$line" | grep -q ' 0 async, 0 chains, peak 1 parallel, .* legacy order (async shutdown off)$'
verdict $? "legacy order: no async device, no chain, one device at a time"
n=$(summary devices)
[ "${n:-0}" -gt 0 ]
verdict $? "devices were shut down (saw ${n:-none})"
