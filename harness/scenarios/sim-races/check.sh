#!/bin/bash
# Device removal, hot-add and the knob, racing a real device_shutdown():
# no callback starts once its device is unregistered, each removed device
# was either shut down or skipped by the engine, the late devices are shut
# down before their parent, and the knob, read once when shutdown started,
# left this shutdown in parallel.
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
[ "$(kv "$race" gate_timeouts)" = 0 ] && [ "$(kv "$race" racer_done)" = 1 ]
verdict $? "the racer was done before the gate opened and the report ran (gate_timeouts=$(kv "$race" gate_timeouts) racer_done=$(kv "$race" racer_done))"
[ "$(kv "$race" after_removal)" = 0 ]
verdict $? "no callback started after device_unregister() returned (after_removal=$(kv "$race" after_removal))"
shut=$(console | grep -c -E 'shutdown_sim: dev (mid|rm|sy)[0-9]+ ')
skipped=$(summary_line | grep -o '[0-9]* removed' | cut -d' ' -f1)
[ $((shut + ${skipped:-0})) = 15 ]
verdict $? "each removed device was shut down or skipped, once ($shut shut down + ${skipped:-0} skipped = 15)"
[ "$(summary chains)" -ge 1 ] 2>/dev/null
verdict $? "the knob was read once, before the first device: still in parallel ($(summary chains) chains)"
late=$(summary_line | grep -o '[0-9]* late' | cut -d' ' -f1)
[ "${late:-0}" -ge 5 ]
verdict $? "the engine counted the late devices (${late:-0} late)"
