#!/bin/bash
# One suspend/resume cycle down to the devices, timed by the kernel.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
line=$(console | grep -o 'BENCH: pm .*' | tail -n 1)
[ "$(kv "$line" suspend_us)" -gt 0 ] 2>/dev/null && [ "$(kv "$line" resume_us)" -gt 0 ] 2>/dev/null
verdict $? "the devices suspended and resumed, timed by the kernel (${line:-no BENCH: pm line})"
