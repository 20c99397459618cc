#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare the console logs of the base kernel and ours and print one
table: for each measurement and kernel, the median over the rounds with
the lowest and highest value beside it, then ours/base and ours-base of
the medians.  Measurements are the BENCH: lines of test_async (and of
the files bench.sh writes from the perf.data of each kernel), and the
shutdown_sim summary of each simulated shutdown, named by the scenario
that printed them ("HARNESS: scenario NAME begin").

Rows with a verdict (the real clients of the async core, above all) say
whether ours holds its rule against the base; the exit code is 3 if one
does not.

usage: bench_table.py [--markdown] --base FILE... --ours FILE...
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
                crit = re.search(r"device_shutdown: .* (\d+)\.(\d+) ms critical path", line)
                if crit:
                    runs.setdefault((scenario + "-engine", "critical_us"), []).append(
                        int(crit.group(1)) * 1000 + int(crit.group(2)))
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


# label, (name, key), divisor[, verdict]: each value is shown as value /
# divisor.  A verdict says what ours must be against the base, in
# VERDICTS; rows without one are only shown.
ROWS = [
    ("throughput on one vCPU, empty entries/s", ("cpu_throughput", "entries_per_sec"), 1, "no-fewer"),
    ("  from atomic context, entries/s", ("cpu_atomic", "entries_per_sec"), 1, "no-fewer"),
    ("throughput on 2 vCPUs (one boot, swings 2-5x under TCG), entries/s", ("throughput", "entries_per_sec"), 1),
    ("  from atomic context, entries/s", ("atomic", "entries_per_sec"), 1),
    ("workers used for 20000 empty entries", ("throughput", "workers"), 1),
    ("inline fallbacks in 20000 entries", ("throughput", "inline"), 1),
    ("herd 16x256: sleeps per wait (nvcsw)", ("herd", "sleeps_per_wait_x100"), 100),
    ("herd 16x256: worst waiter's sleeps", ("herd", "sleeps_per_wait_max"), 1),
    ("herd 16x256: wakeups per waiter (perf)", ("perf_herd", "wakeups_per_wait_x100"), 100),
    ("herd 16x256: spurious wakeups per waiter (perf)", ("perf_herd", "spurious_per_wait_x100"), 100),
    ("herd 16x256: wakeups per async wait (perf, async: events)", ("perf_waits", "wakeups_per_wait_x100"), 100),
    ("herd 16x256: workers used for 256 entries", ("herd", "workers"), 1),
    ("shutdown 16 x 500 ms leaves under a bridge, ms", ("sim-leaves", "makespan_us"), 1000),
    ("  its critical path, ms", ("sim-leaves", "critical_path_us"), 1000),
    ("shutdown 500 sync devices, none async, ms", ("sim-many-sync", "makespan_us"), 1000),
    ("  step from one sync device to the next, us", ("sim-many-sync", "sync_step_ns"), 1000),
    ("  all of device_shutdown() on that machine, ms", ("sim-many-sync", "device_shutdown_us"), 1000),
    ("  the engine's own time (plan), ms", ("sim-many-sync-engine", "plan_us"), 1000),
    ("  the engine's memory, KiB", ("sim-many-sync-engine", "plan_kib"), 1),
    ("1000 devices without callbacks, natively (UML), us", ("engine_1000", "elapsed_ns"), 1000),
    ("  the engine's plan: prepare, us", ("engine_1000", "prepare_ns"), 1000),
    ("  the engine's plan: finish, us", ("engine_1000", "finish_ns"), 1000),
    ("a kset of 1000 devices, natively (UML): all of it, us", ("kset_1000", "engine_ns"), 1000),
    ("  the engine's plan with the kset, us", ("kset_1000", "plan_ns"), 1000),
    ("shutdown 5000 random mixed devices, ms", ("sim-mixed", "makespan_us"), 1000),
    ("  their critical path, ms", ("sim-mixed", "critical_path_us"), 1000),
    ("two pipelines, ms", ("sim-pipelines", "makespan_us"), 1000),
    ("  registered the other way round, ms", ("sim-pipelines-reversed", "makespan_us"), 1000),
    ("  their critical path (limit of any order), ms", ("sim-pipelines", "measured_critical_path_us"), 1000),
    ("  limit in the legacy sync order, ms", ("sim-pipelines", "legacy_limit_us"), 1000),
    ("  the other way round: limit in the legacy sync order, ms", ("sim-pipelines-reversed", "legacy_limit_us"), 1000),
    ("a VM: disk, controller, 300 sync devices, ms", ("sim-vm", "makespan_us"), 1000),
    ("  registered the other way round, ms", ("sim-vm-reversed", "makespan_us"), 1000),
    ("  its critical path (limit of any order), ms", ("sim-vm", "measured_critical_path_us"), 1000),
    ("  limit in the legacy sync order, ms", ("sim-vm", "legacy_limit_us"), 1000),
    ("USB disk and a controller feeding PCI, ms", ("sim-usb", "makespan_us"), 1000),
    ("  registered the other way round, ms", ("sim-usb-reversed", "makespan_us"), 1000),
    ("  its critical path (limit of any order), ms", ("sim-usb", "measured_critical_path_us"), 1000),
    ("  limit in the legacy sync order, ms", ("sim-usb", "legacy_limit_us"), 1000),
    ("100,000 devices, 1% async: device_shutdown(), ms", ("sim-100k", "device_shutdown_us"), 1000),
    ("  all their callbacks, ms", ("sim-100k", "callbacks_us"), 1000),
    ("  the engine's own time (plan), ms", ("sim-100k-engine", "plan_us"), 1000),
    ("  the engine's memory, KiB", ("sim-100k-engine", "plan_kib"), 1),
    ("default domain on 4 NUMA nodes: entries at once", ("spread", "concurrent"), 1),
    ("real clients of the async core:", None, 1),
    ("16 slow SCSI disks (scsi_debug, sd): device_shutdown(), ms", ("client-scsi", "device_shutdown_us"), 1000, "far-better"),
    ("  the engine's critical path, ms", ("client-scsi-engine", "critical_us"), 1000),
    ("  async SCSI scan of the disks at boot, ms", ("scsi_scan", "scan_us"), 1000, "no-slower"),
    ("PM suspend of the disks and the NVMe tree (pm_test=devices), ms", ("pm", "suspend_us"), 1000, "no-slower"),
    ("  resume, ms", ("pm", "resume_us"), 1000, "no-slower"),
    ("test_async_driver_probe: passed", ("async_probe", "ok"), 1, "same"),
    ("  async driver registered, ms", ("async_probe", "async_ms"), 1),
    ("  the whole test, ms", ("async_probe", "total_ms"), 1, "no-slower"),
    ("default domain, 2 nodes, skewed hints: node 0 entries at once", ("skewed", "node0_peak"), 1, "no-fewer"),
    ("  node 1 entries at once", ("skewed", "node1_peak"), 1, "no-fewer"),
    ("  all 1800 entries of 200 ms done, ms", ("skewed", "elapsed_ns"), 1000000, "no-slower"),
]

# What a verdict asks of ours (o) against the base (b), medians.
VERDICTS = {
    "no-slower": ("<= base x 1.05", lambda o, b: o <= b * 1.05),
    "no-fewer": (">= base / 1.05", lambda o, b: o * 1.05 >= b),
    "far-better": ("<= base / 2", lambda o, b: o * 2 <= b),
    "same": ("= base", lambda o, b: o == b),
}


def stats(runs, key, divisor):
    """(median, min, max) of a measurement, or None."""
    values = runs.get(key)
    if not values:
        return None
    return tuple(v / divisor for v in
                 (statistics.median(values), min(values), max(values)))


def fmt(v):
    if v is None:
        return "-"
    return f"{v:.2f}" if v != int(v) else f"{int(v)}"


def cell(s):
    """'median (min..max)', or the one value when they are all equal."""
    if s is None:
        return "-"
    med, lo, hi = s
    return fmt(med) if lo == hi else f"{fmt(med)} ({fmt(lo)}..{fmt(hi)})"


def verdict(rule, b, o):
    """'ok (RULE)' or 'FAIL (RULE)' for a row with a rule, else ''."""
    if rule is None:
        return ""
    what, holds = VERDICTS[rule]
    if not b or not o:
        return f"FAIL (no value; {what})"
    return ("ok" if holds(o[0], b[0]) else "FAIL") + f" ({what})"


def table(base, ours):
    """Rows of strings: the header, then one per measurement."""
    rows = [("measurement: median (min..max) of the rounds", "base", "ours",
             "ours/base", "ours-base", "verdict")]
    for label, key, divisor, *rule in ROWS:
        if key is None:
            rows.append((label, "", "", "", "", ""))
            continue
        b, o = stats(base, key, divisor), stats(ours, key, divisor)
        ratio = f"{o[0] / b[0]:.2f}" if b and o and b[0] else "-"
        diff = f"{o[0] - b[0]:+.2f}" if b and o else "-"
        rows.append((label, cell(b), cell(o), ratio, diff,
                     verdict(rule[0] if rule else None, b, o)))
    return rows


def main():
    args = sys.argv[1:]
    markdown = "--markdown" in args
    args = [a for a in args if a != "--markdown"]
    if "--base" not in args or "--ours" not in args or args[0] != "--base":
        print(__doc__)
        return 2
    split = args.index("--ours")
    base, ours = read(args[1:split]), read(args[split + 1:])
    if not base or not ours:
        print("bench: no measurement in the", "base" if not base else "ours", "logs")
        return 1
    rows = table(base, ours)
    failed = any(r[5].startswith("FAIL") for r in rows[1:])
    if markdown:
        print("| " + " | ".join(rows[0]) + " |")
        print("|:--|--:|--:|--:|--:|:--|")
        for r in rows[1:]:
            label = r[0].replace("  ", "&emsp;", 1) if r[0].startswith("  ") else r[0]
            print("| " + " | ".join((label,) + r[1:]) + " |")
        return 3 if failed else 0
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    for r in rows:
        print(f"{r[0]:{widths[0]}}  " +
              "  ".join(f"{c:>{w}}" for c, w in zip(r[1:5], widths[1:5])) +
              f"  {r[5]}")
    return 3 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
