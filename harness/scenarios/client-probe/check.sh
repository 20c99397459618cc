#!/bin/bash
# test_async_driver_probe passed: async registrations did not wait for
# their probes, sync ones did.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
line=$(console | grep -o 'BENCH: async_probe .*' | tail -n 1)
[ "$(kv "$line" ok)" = 1 ] && console | grep -q 'completed successfully'
verdict $? "test_async_driver_probe completed successfully (${line:-no BENCH: async_probe line})"
