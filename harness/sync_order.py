#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare the order of sync devices in two shutdowns of one machine.

Reads the console of the sync-order scenario: a first boot shut down by
the walk of 6.12 (driver_core.async_shutdown=0), then, after the line
"HARNESS: sync-order boot 2", a second one shut down by the engine, both
with initcall_debug and the second traced.  initcall_debug prints
"DRIVER DEVICE: shutdown" (or shutdown_pre) for every device with a
callback, in the order the callbacks ran.  The devices the trace shows
in a chain (chain > 0) are async; the others must come in exactly the
same order in both shutdowns.  Exit 0 if they do, 1 with the first
difference if not, 2 if the log does not hold both shutdowns.
"""

import re
import sys

BOOT2 = "HARNESS: sync-order boot 2"
INITCALL = re.compile(r"^\s*\[\s*\d+\.\d+\]\s(?:\[\s*\w+\]\s)?(?:.*? )?(\S+): "
                      r"(shutdown|shutdown_pre)\s*$")
EVENT = re.compile(r"device_shutdown_start: (?:.*? )?(\S+) chain=(\d+)\s*$")


def callbacks(lines):
    """The (device, callback) pairs initcall_debug printed, in order."""
    seq = []
    for line in lines:
        m = INITCALL.match(line)
        if m:
            seq.append((m.group(1), m.group(2)))
    return seq


def main():
    if len(sys.argv) != 2:
        print("usage: sync_order.py CONSOLE_LOG", file=sys.stderr)
        return 2
    with open(sys.argv[1], errors="replace") as f:
        lines = [l.rstrip("\r\n") for l in f]
    cut = next((i for i, l in enumerate(lines) if BOOT2 in l), None)
    if cut is None:
        print(f"no '{BOOT2}' line: the second boot never came")
        return 2
    legacy, engine = callbacks(lines[:cut]), callbacks(lines[cut:])
    chains = {}
    for line in lines[cut:]:
        m = EVENT.search(line)
        if m:
            chains[m.group(1)] = int(m.group(2))
    if not legacy or not engine or not chains:
        print(f"{len(legacy)} callbacks in the walk of 6.12, {len(engine)} "
              f"through the engine, {len(chains)} traced: nothing to compare")
        return 2
    async_devs = {d for d, c in chains.items() if c}
    legacy_sync = [x for x in legacy if x[0] not in async_devs]
    engine_sync = [x for x in engine if x[0] not in async_devs]
    for i, (a, b) in enumerate(zip(legacy_sync, engine_sync)):
        if a != b:
            print(f"sync callback {i + 1}: {a[0]} {a[1]} in the walk of 6.12, "
                  f"{b[0]} {b[1]} through the engine")
            return 1
    if len(legacy_sync) != len(engine_sync):
        print(f"{len(legacy_sync)} sync callbacks in the walk of 6.12, "
              f"{len(engine_sync)} through the engine")
        return 1
    print(f"{len(legacy_sync)} sync callbacks in the same order; "
          f"{len(async_devs)} async devices left out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
