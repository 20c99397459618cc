#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the wakeups of tasks waiting for async calls, from a perf.data.

Reads a perf.data recorded with 'perf sched record' or with
'perf record -e "sched:*" -e "async:*"' (it runs 'perf script' on it) and
reports, for every wait in async_synchronize_*() that the async:
trace events show, or for the tasks named with --pid or --comm:

  wakeups    times the task was woken while it waited
  spurious   wakeups after which it went back to sleep, its wait not over
  end->run   from the end of the async call that satisfied the wait to
             the waiter running again (needs the async: events)
  wake->run  from its last wakeup to it running again

and a summary: waits, wakeups and spurious wakeups per wait, the latency
and the worst waiter.  Only waits that slept count in the per-wait
figures: a wait whose calls had all finished returns without sleeping.

A kernel without the async: events (older than the async core rework)
gives no waits: name the waiting tasks instead, and each task's whole
life in the trace counts as one wait.  A kernel thread created during the
recording parks until it is first woken (kthread_run()); that wakeup is
its start and does not count.

See Documentation/core-api/async.rst for what to record and examples.
"""

import argparse
import bisect
import fnmatch
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys

PERF_MAGIC = b"PERFILE2"
FIELDS = "trace:comm,tid,cpu,time,event,trace"
LINE_RE = re.compile(
    r"^\s*(?P<comm>.*?)\s+(?P<tid>-?\d+)\s+\[(?P<cpu>\d+)\]\s+"
    r"(?P<time>\d+\.\d+):\s+(?P<event>[\w-]+:[\w-]+):\s?(?P<args>.*)$")
PID_RE = re.compile(r"(?:^|\s)pid=(-?\d+)\s")
COMM_RE = re.compile(r"(?:^|\s)comm=(.*?)\s+pid=")
SWITCH_RE = re.compile(
    r"prev_comm=(?P<prev_comm>.*?)\s+prev_pid=(?P<prev_pid>-?\d+)\s+"
    r"prev_prio=-?\d+\s+prev_state=(?P<state>\S+)\s+==>\s+"
    r"next_comm=(?P<next_comm>.*?)\s+next_pid=(?P<next_pid>-?\d+)")
FORK_RE = re.compile(
    r"comm=(?P<comm>.*?)\s+pid=(?P<pid>\d+)\s+child_comm=.*?\s+child_pid=(?P<child>\d+)")
ASYNC_RE = re.compile(r"domain=(?P<domain>.*?)\s+cookie=(?P<cookie>\d+)")


class InputError(Exception):
    """Input that cannot be analysed, with the reason for the user."""


def sleeping(state):
    """Whether a sched_switch prev_state means the task went to sleep:
    not preempted (R, R+) and not exiting (X, Z)."""
    return state[:1] not in ("R", "X", "Z")


class Wait:
    """One wait of one task: a wait in async_synchronize_*() from
    async_wait_begin to async_wait_end, or a whole task (task mode)."""

    def __init__(self, tid, comm, begin, domain=None, cookie=None):
        self.tid = tid
        self.comm = comm
        self.begin = begin
        self.end = None
        self.domain = domain
        self.cookie = cookie
        self.wakeups = 0
        self.spurious = 0
        self.pending = False	# woken, and not asleep again since
        self.last_wake = None
        self.waker = None
        self.run = None		# first switch-in after the last wakeup
        self.satisfier_end = None

    def woken(self, time, waker):
        self.wakeups += 1
        self.pending = True
        self.last_wake = time
        self.waker = waker
        self.run = None

    def switched_out(self, state):
        if sleeping(state) and self.pending:
            self.spurious += 1
            self.pending = False

    def switched_in(self, time):
        if self.last_wake is not None and self.run is None:
            self.run = time

    def wake_to_run(self):
        if self.last_wake is None or self.run is None:
            return None
        return self.run - self.last_wake

    def end_to_run(self):
        if self.satisfier_end is None or self.run is None:
            return None
        return self.run - self.satisfier_end


def check_perf_data(path):
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(56)
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}")
    if size == 0:
        raise InputError(f"{path} is empty: the recording did not finish, "
                         "or it was not copied whole")
    if not head.startswith(PERF_MAGIC):
        raise InputError(f"{path} is not a perf.data file (it does not "
                         f"start with {PERF_MAGIC.decode()})")
    if len(head) < 56:
        raise InputError(f"{path} is cut short: {size} bytes, not even a "
                         "whole perf.data header")
    # struct perf_file_header: magic, size, attr_size, attrs, data.
    _, hsize, _, _, _, data_off, data_size = struct.unpack("<8s6Q", head)
    if hsize == 16:
        return		# written to a pipe: no sizes to check
    if data_size == 0:
        raise InputError(f"{path} holds no samples: perf record did not "
                         "finish writing it")
    if data_off + data_size > size:
        raise InputError(f"{path} is cut short: its header says the data "
                         f"ends at byte {data_off + data_size}, the file has "
                         f"{size} bytes")


def perf_script(path, perf):
    """Yield the lines of 'perf script' on @path; raise InputError if perf
    cannot read it."""
    if not shutil.which(perf):
        raise InputError(f"'{perf}' not found: install perf (on Debian, "
                         "apt-get install linux-perf) or give --perf")
    check_perf_data(path)
    cmd = [perf, "script", "-f", "-i", path, "--ns", "-F", FIELDS]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            errors="replace")
    out, err = proc.communicate()
    lost = [l for l in err.splitlines() if "lost" in l.lower()]
    for l in lost:
        print(f"warning: perf script: {l.strip()}", file=sys.stderr)
    if proc.returncode != 0 or (not out.strip() and err.strip()):
        why = " ".join(l.strip() for l in err.splitlines() if l.strip())
        raise InputError(f"perf script cannot read {path}: "
                         f"{why or 'exit status %d' % proc.returncode}")
    return out.splitlines()


def parse(lines, source):
    """The events of perf script output, in time order: tuples of
    (time, tid, comm, event, args)."""
    events = []
    bad = 0
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        m = LINE_RE.match(line)
        if not m:
            bad += 1
            if bad == 1:
                first_bad = (number, line)
            continue
        events.append((float(m["time"]), int(m["tid"]), m["comm"],
                       m["event"], m["args"]))
    if not events:
        if bad:
            n, l = first_bad
            raise InputError(f"{source}: no event line in the format of "
                             f"'perf script -F {FIELDS}' (line {n}: {l[:80]!r})")
        raise InputError(f"{source}: holds no events")
    if bad:
        print(f"warning: {source}: {bad} lines not understood, skipped",
              file=sys.stderr)
    events.sort(key=lambda e: e[0])
    return events


def task_matches(tid, comm, pids, comms):
    if not pids and not comms:
        return True
    return tid in pids or any(fnmatch.fnmatchcase(comm, c) for c in comms)


def analyse(events, pids=(), comms=(), by_task=False, source="input"):
    """Return (mode, waits) for the events; mode is "async" when the waits
    come from the async: events, "task" when each named task is one wait."""
    names = {e[3] for e in events}
    if "sched:sched_switch" not in names:
        raise InputError(f"{source}: no sched:sched_switch events: record "
                         "with 'perf sched record' or 'perf record -e "
                         "\"sched:*\" -e \"async:*\"'")
    waking = "sched:sched_waking" if "sched:sched_waking" in names \
        else "sched:sched_wakeup"
    have_async = "async:async_wait_begin" in names
    if by_task or not have_async:
        if not pids and not comms:
            raise InputError(f"{source}: no async:async_wait_begin events "
                             "(a kernel without them, or not recorded with "
                             "-e 'async:*'): name the waiting tasks with "
                             "--pid or --comm")
        mode = "task"
    else:
        mode = "async"

    comm_of = {}		# tid -> latest comm seen in event payloads
    open_waits = {}		# tid -> Wait being waited
    done = []
    entry_ends = {}		# domain -> ([times], [cookies])
    last_end_by = {}	# tid of a runner -> (time, domain, cookie) of its last entry end
    kthread_start = set()	# tids created by kthreadd, not started yet
    seen_tasks = set()		# tids task mode has seen

    def start_task_wait(tid, time):
        comm = comm_of.get(tid, "?")
        if task_matches(tid, comm, pids, comms):
            open_waits[tid] = Wait(tid, comm, time)

    for time, tid, comm, event, args in events:
        if event == "sched:sched_switch":
            m = SWITCH_RE.search(args)
            if not m:
                continue
            prev, nxt = int(m["prev_pid"]), int(m["next_pid"])
            comm_of[prev] = m["prev_comm"]
            comm_of[nxt] = m["next_comm"]
            if mode == "task":
                for t in (prev, nxt):
                    if t not in open_waits and t not in kthread_start and \
                       t not in seen_tasks:
                        seen_tasks.add(t)
                        start_task_wait(t, time)
            w = open_waits.get(prev)
            if w:
                w.comm = m["prev_comm"]
                w.switched_out(m["state"])
                if mode == "task" and m["state"][:1] in ("X", "Z"):
                    w.end = time
                    done.append(open_waits.pop(prev))
            w = open_waits.get(nxt)
            if w:
                w.switched_in(time)
        elif event == waking:
            m = PID_RE.search(args)
            if not m:
                continue
            target = int(m.group(1))
            c = COMM_RE.search(args)
            if c:
                comm_of[target] = c.group(1)
            if target in kthread_start:
                # A new kernel thread's first wakeup is its start.
                kthread_start.discard(target)
                if mode == "task":
                    seen_tasks.add(target)
                    start_task_wait(target, time)
                continue
            if mode == "task" and target not in open_waits and \
               target not in seen_tasks:
                seen_tasks.add(target)
                start_task_wait(target, time)
                # woken before its first switch: this is a wakeup too
            w = open_waits.get(target)
            if w:
                w.woken(time, tid)
                end = last_end_by.get(tid)
                if end and (w.domain in (None, "all") or end[1] == w.domain) and \
                   (w.cookie is None or end[2] < w.cookie):
                    w.satisfier_end = end[0]
                else:
                    w.satisfier_end = satisfier(entry_ends, w, time)
        elif event == "sched:sched_process_fork":
            m = FORK_RE.search(args)
            if m and m["comm"] == "kthreadd":
                kthread_start.add(int(m["child"]))
        elif event == "sched:sched_process_exit" and mode == "task":
            w = open_waits.pop(tid, None)
            if w:
                w.end = time
                done.append(w)
        elif event == "async:async_entry_end":
            m = ASYNC_RE.search(args)
            if m:
                cookie = int(m["cookie"])
                times, cookies = entry_ends.setdefault(m["domain"], ([], []))
                times.append(time)
                cookies.append(cookie)
                last_end_by[tid] = (time, m["domain"], cookie)
        elif event == "async:async_wait_begin" and mode == "async":
            m = ASYNC_RE.search(args)
            c = comm_of.get(tid, comm)
            if m and task_matches(tid, c, pids, comms):
                open_waits[tid] = Wait(tid, c, time, m["domain"],
                                       int(m["cookie"]))
        elif event == "async:async_wait_end" and mode == "async":
            w = open_waits.pop(tid, None)
            if w:
                w.end = time
                if w.run is None and w.last_wake is not None:
                    w.run = time
                done.append(w)
    # Tasks still alive at the end of the trace; waits that never ended
    # are left out (the recording stopped in them).
    if mode == "task":
        for w in open_waits.values():
            w.end = events[-1][0]
            done.append(w)
    done.sort(key=lambda w: (w.begin, w.tid))
    return mode, done


def satisfier(entry_ends, wait, time):
    """The end time of the last async call of the wait's domain with a
    cookie below the wait's, that ended before @time."""
    domains = entry_ends.keys() if wait.domain in (None, "all") else [wait.domain]
    best = None
    for d in domains:
        if d not in entry_ends:
            continue
        times, cookies = entry_ends[d]
        i = bisect.bisect_right(times, time)
        while i > 0:
            i -= 1
            if wait.cookie is None or cookies[i] < wait.cookie:
                if best is None or times[i] > best:
                    best = times[i]
                break
    return best


def us(seconds):
    return None if seconds is None else seconds * 1e6


def fmt_us(value):
    return "-" if value is None else f"{value:.1f}"


def summarize(mode, waits):
    slept = [w for w in waits if w.wakeups > 0]
    s = {"mode": mode, "waits": len(waits), "slept": len(slept),
         "wakeups": sum(w.wakeups for w in slept),
         "spurious": sum(w.spurious for w in slept)}
    s["wakeups_per_wait"] = s["wakeups"] / len(slept) if slept else 0.0
    s["spurious_per_wait"] = s["spurious"] / len(slept) if slept else 0.0
    for name, get in (("end_to_run_us", Wait.end_to_run),
                      ("wake_to_run_us", Wait.wake_to_run)):
        values = [us(get(w)) for w in slept if get(w) is not None]
        s[name + "_median"] = statistics.median(values) if values else None
        s[name + "_max"] = max(values) if values else None
    worst = max(slept, key=lambda w: (w.wakeups, w.spurious,
                                      w.end_to_run() or 0), default=None)
    s["worst"] = worst
    return s


def print_report(mode, waits, s, out=sys.stdout):
    dw = max([6] + [len(w.domain or "") for w in waits])
    if mode == "async":
        print(f"{'waiter':<24} {'tid':>7} {'domain':<{dw}} {'cookie':>10} "
              f"{'wait_ms':>9} {'wakeups':>7} {'spurious':>8} "
              f"{'end->run_us':>11} {'wake->run_us':>12}", file=out)
    else:
        print(f"{'task':<24} {'tid':>7} {'traced_ms':>9} {'wakeups':>7} "
              f"{'spurious':>8} {'wake->run_us':>12}", file=out)
    for w in waits:
        span = (w.end - w.begin) * 1e3 if w.end is not None else None
        span = "-" if span is None else f"{span:.3f}"
        if mode == "async":
            cookie = "max" if w.cookie >= 2**64 - 1 else str(w.cookie)
            print(f"{w.comm[:24]:<24} {w.tid:>7} {w.domain:<{dw}} "
                  f"{cookie:>10} {span:>9} {w.wakeups:>7} {w.spurious:>8} "
                  f"{fmt_us(us(w.end_to_run())):>11} "
                  f"{fmt_us(us(w.wake_to_run())):>12}", file=out)
        else:
            print(f"{w.comm[:24]:<24} {w.tid:>7} {span:>9} {w.wakeups:>7} "
                  f"{w.spurious:>8} {fmt_us(us(w.wake_to_run())):>12}",
                  file=out)
    what = "waits" if mode == "async" else "tasks"
    line = (f"summary: {s['waits']} {what}, {s['slept']} slept; "
            f"{s['wakeups_per_wait']:.2f} wakeups and "
            f"{s['spurious_per_wait']:.2f} spurious per wait")
    if s["end_to_run_us_median"] is not None:
        line += (f"; end->run median {s['end_to_run_us_median']:.1f} us, "
                 f"max {s['end_to_run_us_max']:.1f} us")
    if s["wake_to_run_us_median"] is not None:
        line += (f"; wake->run median {s['wake_to_run_us_median']:.1f} us, "
                 f"max {s['wake_to_run_us_max']:.1f} us")
    w = s["worst"]
    if w:
        line += (f"; worst {w.comm}[{w.tid}]: {w.wakeups} wakeups, "
                 f"{w.spurious} spurious")
    print(line, file=out)


def print_summary_kv(s, out=sys.stdout):
    """One line of key=value pairs, for scripts."""
    w = s["worst"]
    pairs = [("mode", s["mode"]), ("waits", s["waits"]), ("slept", s["slept"]),
             ("wakeups", s["wakeups"]), ("spurious", s["spurious"]),
             ("wakeups_per_wait", f"{s['wakeups_per_wait']:.2f}"),
             ("spurious_per_wait", f"{s['spurious_per_wait']:.2f}")]
    for k in ("end_to_run_us_median", "end_to_run_us_max",
              "wake_to_run_us_median", "wake_to_run_us_max"):
        if s[k] is not None:
            pairs.append((k, f"{s[k]:.1f}"))
    if w:
        pairs += [("worst", f"{w.comm}[{w.tid}]"),
                  ("worst_wakeups", w.wakeups), ("worst_spurious", w.spurious)]
    print(" ".join(f"{k}={v}" for k, v in pairs), file=out)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="async_wakeups.py",
        description="Count the wakeups of tasks waiting for async calls "
        "in a perf.data recorded with 'perf sched record' or 'perf record "
        "-e \"sched:*\" -e \"async:*\"'.",
        epilog="Examples:\n"
        "  perf record -e 'sched:*' -e 'async:*' -a -- CMD\n"
        "  async_wakeups.py                    # every wait in ./perf.data\n"
        "  perf sched record -- CMD            # kernel without async: events\n"
        "  async_wakeups.py --comm 'async_herd/*'\n"
        "See Documentation/core-api/async.rst.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-i", "--input", default="perf.data",
                        help="perf.data to read (default: perf.data)")
    parser.add_argument("--script", metavar="FILE",
                        help="read the output of 'perf script -F "
                        f"{FIELDS} --ns' from FILE ('-' for stdin) "
                        "instead of running perf")
    parser.add_argument("-p", "--pid", type=int, action="append", default=[],
                        help="a waiting task's pid (tid); repeatable")
    parser.add_argument("-c", "--comm", action="append", default=[],
                        help="waiting tasks by name, shell wildcards "
                        "allowed; repeatable")
    parser.add_argument("--by-task", action="store_true",
                        help="count each named task's whole life as one "
                        "wait even if the async: events are there")
    parser.add_argument("-s", "--summary", action="store_true",
                        help="print only the summary, as key=value pairs")
    parser.add_argument("--perf", default="perf",
                        help="perf binary to run (default: perf)")
    args = parser.parse_args(argv)

    try:
        if args.script:
            source = args.script
            try:
                if args.script == "-":
                    lines = sys.stdin.read().splitlines()
                else:
                    with open(args.script, errors="replace") as f:
                        lines = f.read().splitlines()
            except OSError as e:
                raise InputError(f"cannot read {args.script}: {e.strerror}")
        else:
            source = args.input
            lines = perf_script(args.input, args.perf)
        events = parse(lines, source)
        mode, waits = analyse(events, set(args.pid), args.comm, args.by_task,
                              source)
        if not waits:
            who = "the named tasks" if args.pid or args.comm else "any task"
            raise InputError(f"{source}: no wait of {who} in the trace")
    except InputError as e:
        print(f"async_wakeups: {e}", file=sys.stderr)
        return 1
    s = summarize(mode, waits)
    if args.summary:
        print_summary_kv(s)
    else:
        print_report(mode, waits, s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
