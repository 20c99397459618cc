#!/bin/bash
# driver_core.async_shutdown=0: power-off shuts devices down in the legacy
# order, one at a time, and the console says what 6.12 says: no summary.
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

line=$(console | grep 'device_shutdown:')
[ -z "$line" ]
verdict $? "the engine says nothing, as 6.12 did (saw: ${line:-nothing})"
console | grep -q 'reboot: Power down'
verdict $? "the machine powered off"
