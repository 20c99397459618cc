#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare the console logs of the base kernel and ours and print one
table: the median of every measurement over the rounds, for each kernel,
and ours/base.  Measurements are the BENCH: lines of test_async and the
shutdown_sim summary of each simulated shutdown, named by the scenario
that printed them ("HARNESS: scenario NAME begin").

usage: bench_table.py --base LOG... --ours LOG...
"""
import re
import statistics
import sys


def read(paths):
    """{(name, key): [values]} from 'BENCH: name k=v ...' lines, from
    'shutdown_sim: summary k=v ...' lines named after their scenario, and
    from our device_shutdown summary line (plan_us, plan_kib, named
    SCENARIO-engine)."""
    runs = {}
    for path in paths:
        scenario = "?"
        with open(path, errors="replace") as f:
            for line in f:
                begin = re.search(r"HARNESS: scenario (\S+) begin", line)
                if begin:
                    scenario = begin.group(1)
                plan = re.search(r"device_shutdown: .*; plan (\d+)\.(\d+) ms, (\d+) KiB", line)
                if plan:
                    runs.setdefault((scenario + "-engine", "plan_us"), []).append(
                        int(plan.group(1)) * 1000 + int(plan.group(2)))
                    runs.setdefault((scenario + "-engine", "plan_kib"), []).append(
                        int(plan.group(3)))
                    continue
                m = re.search(r"BENCH: (\S+) (.*)", line)
                if not m:
                    m = re.search(r"shutdown_sim: (summary) (.*)", line)
                    if not m:
                        continue
                    name = scenario
                else:
                    name = m.group(1)
                for key, value in re.findall(r"(\w+)=(\d+)", m.group(2)):
                    runs.setdefault((name, key), []).append(int(value))
    return runs


def median(runs, name, key):
    values = runs.get((name, key))
    return statistics.median(values) if values else None


def best(runs, name, key):
    """The fastest round: TCG boots are now and then twice as slow as
    usual, on either kernel, and noise of that kind only ever adds."""
    values = runs.get((name, key))
    return min(values) if values else None


def ms(runs, name, key, pick=median):
    value = pick(runs, name, key)
    return None if value is None else value / 1000


def herd_perf_wakeups(runs):
    """perf's sched_waking count per waiter, less each waiter's start."""
    waiters = median(runs, "perf_herd", "waiters")
    wakings = median(runs, "perf_herd", "wakings")
    if not waiters or wakings is None:
        return None
    return (wakings - waiters) / waiters


ROWS = [
    ("throughput, empty entries/s", lambda r: median(r, "throughput", "entries_per_sec")),
    ("throughput from atomic context, entries/s", lambda r: median(r, "atomic", "entries_per_sec")),
    ("workers used for 20000 empty entries", lambda r: median(r, "throughput", "workers")),
    ("inline fallbacks in 20000 entries", lambda r: median(r, "throughput", "inline")),
    ("herd 16x256: sleeps per wait (nvcsw)", lambda r: (median(r, "herd", "sleeps_per_wait_x100") or 0) / 100
        if median(r, "herd", "sleeps_per_wait_x100") is not None else None),
    ("herd 16x256: worst waiter's sleeps", lambda r: median(r, "herd", "sleeps_per_wait_max")),
    ("herd 16x256: wakeups per wait (perf sched)", herd_perf_wakeups),
    ("herd 16x256: workers used for 256 entries", lambda r: median(r, "herd", "workers")),
    ("shutdown 16 x 500 ms leaves under a bridge, ms", lambda r: ms(r, "sim-leaves", "makespan_us")),
    ("  its critical path, ms", lambda r: ms(r, "sim-leaves", "critical_path_us")),
    ("shutdown 500 sync devices, none async, ms", lambda r: ms(r, "sim-many-sync", "makespan_us")),
    ("  fastest round, ms", lambda r: ms(r, "sim-many-sync", "makespan_us", best)),
    ("  step from one sync device to the next, us", lambda r: ms(r, "sim-many-sync", "sync_step_ns")),
    ("  fastest round, us", lambda r: ms(r, "sim-many-sync", "sync_step_ns", best)),
    ("  all of device_shutdown() on that machine, ms", lambda r: ms(r, "sim-many-sync", "device_shutdown_us")),
    ("  fastest round, ms", lambda r: ms(r, "sim-many-sync", "device_shutdown_us", best)),
    ("  the engine's own time (plan), ms", lambda r: ms(r, "sim-many-sync-engine", "plan_us")),
    ("  the engine's memory, KiB", lambda r: median(r, "sim-many-sync-engine", "plan_kib")),
    ("1000 devices without callbacks, natively (UML), us", lambda r: ms(r, "engine_1000", "elapsed_ns")),
    ("  fastest round, us", lambda r: ms(r, "engine_1000", "elapsed_ns", best)),
    ("  the engine's plan: prepare, us", lambda r: ms(r, "engine_1000", "prepare_ns")),
    ("  the engine's plan: finish, us", lambda r: ms(r, "engine_1000", "finish_ns")),
    ("a kset of 1000 devices, natively (UML): all of it, us", lambda r: ms(r, "kset_1000", "engine_ns")),
    ("  fastest round, us", lambda r: ms(r, "kset_1000", "engine_ns", best)),
    ("  the engine's plan with the kset, us", lambda r: ms(r, "kset_1000", "plan_ns")),
    ("shutdown 5000 random mixed devices, ms", lambda r: ms(r, "sim-mixed", "makespan_us")),
    ("  their critical path, ms", lambda r: ms(r, "sim-mixed", "critical_path_us")),
    ("two pipelines, ms", lambda r: ms(r, "sim-pipelines", "makespan_us")),
    ("  registered the other way round, ms", lambda r: ms(r, "sim-pipelines-reversed", "makespan_us")),
    ("  their critical path, ms", lambda r: ms(r, "sim-pipelines", "measured_critical_path_us")),
    ("a VM: disk, controller, 300 sync devices, ms", lambda r: ms(r, "sim-vm", "makespan_us")),
    ("  registered the other way round, ms", lambda r: ms(r, "sim-vm-reversed", "makespan_us")),
    ("  its critical path, ms", lambda r: ms(r, "sim-vm", "measured_critical_path_us")),
    ("USB disk and a controller feeding PCI, ms", lambda r: ms(r, "sim-usb", "makespan_us")),
    ("  registered the other way round, ms", lambda r: ms(r, "sim-usb-reversed", "makespan_us")),
    ("  its critical path, ms", lambda r: ms(r, "sim-usb", "measured_critical_path_us")),
    ("100,000 devices, 1% async: device_shutdown(), ms", lambda r: ms(r, "sim-100k", "device_shutdown_us")),
    ("  all their callbacks, ms", lambda r: ms(r, "sim-100k", "callbacks_us")),
    ("  the engine's own time (plan), ms", lambda r: ms(r, "sim-100k-engine", "plan_us")),
    ("  the engine's memory, KiB", lambda r: median(r, "sim-100k-engine", "plan_kib")),
]


def fmt(v):
    if v is None:
        return "-"
    return f"{v:.2f}" if isinstance(v, float) and v != int(v) else f"{int(v)}"


def main():
    args = sys.argv[1:]
    if "--base" not in args or "--ours" not in args:
        print(__doc__)
        return 2
    split = args.index("--ours")
    base, ours = read(args[1:split]), read(args[split + 1:])
    if not base or not ours:
        print("bench: no measurement in the", "base" if not base else "ours", "logs")
        return 1
    print(f"{'measurement (median of rounds)':46} {'base':>12} {'ours':>12} {'ours/base':>10} {'ours-base':>10}")
    for label, get in ROWS:
        b, o = get(base), get(ours)
        ratio = f"{o / b:.2f}" if b and o is not None else "-"
        diff = f"{o - b:+.2f}" if b is not None and o is not None else "-"
        print(f"{label:46} {fmt(b):>12} {fmt(o):>12} {ratio:>10} {diff:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
