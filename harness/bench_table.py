#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare the BENCH: lines of two console logs (base kernel, ours) and
print one table: the median of every measurement over the rounds, for
each kernel, and ours/base.

usage: bench_table.py BASE.log OURS.log
"""
import re
import statistics
import sys


def read(path):
    """{(name, key): [values]} from the 'BENCH: name k=v ...' lines."""
    runs = {}
    with open(path, errors="replace") as f:
        for line in f:
            m = re.search(r"BENCH: (\S+) (.*)", line)
            if not m:
                continue
            for key, value in re.findall(r"(\w+)=(\d+)", m.group(2)):
                runs.setdefault((m.group(1), key), []).append(int(value))
    return runs


def median(runs, name, key):
    values = runs.get((name, key))
    return statistics.median(values) if values else None


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
]


def fmt(v):
    if v is None:
        return "-"
    return f"{v:.2f}" if isinstance(v, float) and v != int(v) else f"{int(v)}"


def main():
    base, ours = read(sys.argv[1]), read(sys.argv[2])
    if not base or not ours:
        print("bench: no BENCH: lines in", sys.argv[1] if not base else sys.argv[2])
        return 1
    print(f"{'measurement (median of rounds)':46} {'base':>12} {'ours':>12} {'ours/base':>10}")
    for label, get in ROWS:
        b, o = get(base), get(ours)
        ratio = f"{o / b:.2f}" if b and o is not None else "-"
        print(f"{label:46} {fmt(b):>12} {fmt(o):>12} {ratio:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
