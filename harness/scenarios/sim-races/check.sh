#!/bin/bash
# Device removal, hot-add and the knob, racing a real device_shutdown():
# no device is shut down after its release, the late devices are shut
# down before their parent, the removed ones were either shut down
# before they went or skipped, and the knob, read once when shutdown
# started, left this shutdown in parallel.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
sim_checks
[ "$KIND" = ours ] || exit 0
race=$(console | grep -o 'shutdown_sim: race .*' | tail -n 1)
[ "$(kv "$race" removed)" = 15 ]
verdict $? "the racer removed the 15 'remove' devices during shutdown (removed=$(kv "$race" removed))"
[ "$(kv "$race" late)" = 5 ]
verdict $? "it registered the 5 late devices during shutdown (late=$(kv "$race" late))"
[ "$(kv "$race" knob_flips)" = 15 ]
verdict $? "it flipped driver_core.async_shutdown after each removal (knob_flips=$(kv "$race" knob_flips))"
[ "$(kv "$race" gate_timeouts)" = 0 ] && [ "$(kv "$race" after_release)" = 0 ]
verdict $? "no gate gave up, no device shut down after its release (gate_timeouts=$(kv "$race" gate_timeouts) after_release=$(kv "$race" after_release))"
[ "$(summary chains)" -ge 1 ] 2>/dev/null
verdict $? "the knob was read once, before the first device: still in parallel ($(summary chains) chains)"
late=$(summary_line | grep -o '[0-9]* late' | cut -d' ' -f1)
[ "${late:-0}" -ge 5 ]
verdict $? "the engine shut down the late devices itself (${late:-0} late; $(summary_line | grep -o '[0-9]* removed' || echo '0 removed') skipped)"
