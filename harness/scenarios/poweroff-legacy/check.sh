#!/bin/sh
# driver_core.async_shutdown=0: power-off shuts devices down in the legacy
# order, one at a time, and the summary line says so.
log=$1
verdict() { if [ "$1" = 0 ]; then echo "PASS: $2"; else echo "FAIL: $2"; fi; }
clean=$(mktemp)
tr -d '\r' < "$log" > "$clean"

grep -q "driver_core.async_shutdown: 'maybe' is not a boolean" "$clean"
verdict $? "a bad boot value of driver_core.async_shutdown is refused with a message"
grep -q 'HARNESS: async_shutdown=N' "$clean"
verdict $? "driver_core.async_shutdown=0 took effect"
grep -q 'HARNESS: async_shutdown refused a bad value' "$clean"
verdict $? "a bad value written at run time is refused"
grep -q 'HARNESS: async_shutdown now N' "$clean"
verdict $? "the parameter is writable at run time"

line=$(grep -o 'device_shutdown: [0-9]* devices, .*' "$clean" | tail -n 1)
[ -n "$line" ]
verdict $? "device_shutdown summary: ${line:-missing}"
echo "$line" | grep -q ' 0 async, 0 chains, peak 1 parallel, .* legacy order (async shutdown off)$'
verdict $? "legacy order: no async device, no chain, one device at a time"
n=$(echo "$line" | sed -n 's/^device_shutdown: \([0-9]*\) devices,.*/\1/p')
[ "${n:-0}" -gt 0 ]
verdict $? "devices were shut down (saw ${n:-none})"
rm -f "$clean"
