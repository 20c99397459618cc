#!/bin/sh
# The kill switch is writable at run time; bad values are refused and the
# boot value (off) stays.
p=/sys/module/driver_core/parameters/async_shutdown
echo "HARNESS: async_shutdown=$(cat $p)"
if echo maybe > $p 2>/dev/null; then
	echo "HARNESS: async_shutdown accepted a bad value"
else
	echo "HARNESS: async_shutdown refused a bad value"
fi
echo 0 > $p && echo "HARNESS: async_shutdown now $(cat $p)"
exit 0
