#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Draw one device shutdown as an SVG timeline.

Reads a kernel log (a serial console capture, a netconsole log, pstore's
console-ramoops) or a trace, finds the devices shut down at reboot or
power-off, and writes an SVG picture: one row for the task that called
device_shutdown() (where sync devices run), one row per async chain, a bar
per device labelled with its name and driver, the critical path in red
and a time axis in ms.  Under the rows, a strip shows how many devices
were being shut down at each moment.

Two kinds of lines are understood:

  trace events   device_shutdown_start and device_shutdown_end with their
                 chain: printed to the console as they happen with the
                 kernel parameters "tp_printk trace_event=device_shutdown:*",
                 or kept in the trace buffer ("trace_event=...") and printed
                 once shutdown is over by ftrace_dump(), e.g. from a
                 power-off handler; or read from the trace file or from
                 'perf script';
  initcall_debug the "DRIVER DEVICE: shutdown" lines any kernel prints when
                 booted with "initcall_debug".  They show only devices with
                 a shutdown callback, and only a start: each bar ends where
                 the next line begins, which holds for the legacy order,
                 one device at a time, all in one row.

The trace events win when a log has both.  When the log holds several
shutdowns (KUnit runs the engine on private devices), the last one is
drawn: the one before the last "device_shutdown: N devices" line.

The critical path drawn is the chain of devices, back from the one that
ended last, each of which ended last before the next one started: what
kept the shutdown from ending earlier, in this run.

See Documentation/driver-api/device-shutdown.rst.
"""

import argparse
import bisect
import html
import math
import re
import sys

PRINTK_TS = re.compile(r"^\s*\[\s*(\d+\.\d+)\]")
# ftrace_dump() (sysrq-z, ftrace_dump_on_oops) prints the latency format,
# microseconds since the buffer started.
LAT_TS = re.compile(r"\s(\d+)us.?: (?:device_shutdown:)?device_shutdown_")
TRACE_TS = re.compile(r"\s(\d+\.\d+):\s+(?:device_shutdown:)?device_shutdown_")
# The driver string may hold spaces ("i8042 aux"), device names do not.
EVENT = re.compile(r"(?:device_shutdown:)?device_shutdown_(start|end): "
                   r"(.*?) ?(\S+) chain=(\d+)\s*$")
INITCALL = re.compile(r"^\s*\[\s*\d+\.\d+\]\s(?:\[\s*\w+\]\s)?(.*?) ?(\S+): "
                      r"(shutdown|shutdown_pre)\s*$")
SUMMARY = re.compile(r"device_shutdown: \d+ devices, .*")


class InputError(Exception):
    """Input that holds no shutdown to draw, with the reason."""


class Bar:
    def __init__(self, name, driver, chain, start, end=None):
        self.name = name
        self.driver = driver
        self.chain = chain
        self.start = start
        self.end = end
        self.critical = False

    def label(self):
        return f"{self.name} ({self.driver})" if self.driver else self.name


def read_lines(paths):
    lines = []
    for path in paths:
        try:
            if path == "-":
                lines += sys.stdin.read().splitlines()
            else:
                with open(path, errors="replace") as f:
                    lines += f.read().splitlines()
        except OSError as e:
            raise InputError(f"cannot read {path}: {e.strerror}")
    return [l.replace("\r", "") for l in lines]


def from_trace(lines):
    """Bars from device_shutdown_start/end events, and the summary line of
    the same shutdown (or None); [] if there are no events."""
    sessions, bars, open_bars = [], [], {}
    summary = None
    for line in lines:
        s = SUMMARY.search(line)
        if s:
            summary = s.group(0)
            if bars:
                sessions.append((bars, summary))
            bars, open_bars = [], {}
            continue
        m = EVENT.search(line)
        if not m:
            continue
        ts = LAT_TS.search(line)
        if ts:
            t = int(ts.group(1)) / 1e3
        else:
            ts = TRACE_TS.search(line) or PRINTK_TS.match(line)
            if not ts:
                continue
            t = float(ts.group(1)) * 1e3
        kind, driver, name, chain = m.group(1), m.group(2), m.group(3), int(m.group(4))
        key = (driver, name, chain)
        if kind == "start":
            b = Bar(name, driver, chain, t)
            open_bars[key] = b
            bars.append(b)
        elif key in open_bars:
            open_bars.pop(key).end = t
    if bars:
        # Events printed after the shutdown (a dump of the trace buffer)
        # belong with the summary line printed before them.
        sessions.append((bars, summary))
    if not sessions:
        return [], None
    bars, summary = sessions[-1]
    last = max(b.start for b in bars)
    for b in bars:		# still running when the log stops
        if b.end is None:
            b.end = last
    return bars, summary


def from_initcall(lines):
    """Bars from initcall_debug's "DRIVER DEVICE: shutdown" lines, one
    device at a time in chain 0; each ends where the next line starts."""
    bars = []
    current = None
    for line in lines:
        ts = PRINTK_TS.match(line)
        if not ts:
            continue
        t = float(ts.group(1)) * 1e3
        m = INITCALL.match(line)
        if current is not None and current.end is None:
            current.end = t
        if not m:
            continue
        driver, name, what = m.group(1), m.group(2), m.group(3)
        if what == "shutdown" and bars and bars[-1].name == name and \
           bars[-1].driver == driver and getattr(bars[-1], "pre", False):
            # shutdown_pre then shutdown of the same device: one bar
            current = bars[-1]
            current.end = None
            current.pre = False
            continue
        current = Bar(name, driver, 0, t)
        current.pre = what == "shutdown_pre"
        bars.append(current)
    if current is not None and current.end is None:
        current.end = current.start
    return bars


def critical_path(bars):
    """Mark the bars of the critical path; return them, first to last."""
    if not bars:
        return []
    by_end = sorted(bars, key=lambda b: (b.end, b.end - b.start))
    ends = [b.end for b in by_end]
    path = [by_end[-1]]
    on_path = {id(path[0])}
    while True:
        cur = path[-1]
        i = bisect.bisect_right(ends, cur.start) - 1
        while i >= 0 and by_end[i] is cur:
            i -= 1
        if i < 0 or by_end[i].end > cur.start or id(by_end[i]) in on_path:
            break
        path.append(by_end[i])
        on_path.add(id(by_end[i]))
    for b in path:
        b.critical = True
    return path[::-1]


def peak_parallel(bars):
    points = sorted([(b.start, 1) for b in bars if b.end > b.start] +
                    [(b.end, -1) for b in bars if b.end > b.start])
    running = peak = 0
    for _, d in points:
        running += d
        peak = max(peak, running)
    return peak


def nice_step(span, ticks=10):
    raw = span / ticks if span > 0 else 1
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def esc(s):
    return html.escape(str(s), quote=True)


def fmt_ms(v):
    return f"{v:.3f}" if v < 10 else f"{v:.1f}"


def svg(bars, title, subtitle, axis_ms=None, width=1200):
    t0 = min(b.start for b in bars)
    span = max(b.end for b in bars) - t0
    axis = max(axis_ms or 0, span) or 1.0
    chains = sorted({b.chain for b in bars})
    rows = {c: i for i, c in enumerate(chains)}
    left, right = 150, 40
    top = 38 + 14 * len(subtitle) + 28
    row_h = 22 if len(rows) <= 40 else max(5, int(880 / len(rows)))
    label_rows = row_h >= 12
    plot_w = width - left - right
    strip_h = 50
    rows_h = row_h * len(rows)
    height = top + rows_h + 30 + strip_h + 70
    x = lambda t: left + (t - t0) / axis * plot_w

    out = []
    w = out.append
    w(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
      f'height="{height}" viewBox="0 0 {width} {height}" '
      'font-family="DejaVu Sans, Verdana, sans-serif" font-size="11">')
    w('<rect width="100%" height="100%" fill="white"/>')
    w(f'<text x="10" y="20" font-size="15" font-weight="bold">{esc(title)}</text>')
    for i, line in enumerate(subtitle):
        w(f'<text x="10" y="{38 + 14 * i}" fill="#333">{esc(line)}</text>')

    # Time axis with grid lines, above the rows and below the strip.
    step = nice_step(axis)
    axis_y = top - 6
    bottom = top + rows_h
    w(f'<line x1="{left}" y1="{axis_y}" x2="{left + plot_w}" y2="{axis_y}" stroke="#000"/>')
    t = 0.0
    while t <= axis + 1e-9:
        xx = left + t / axis * plot_w
        w(f'<line x1="{xx:.1f}" y1="{axis_y - 4}" x2="{xx:.1f}" y2="{bottom}" '
          'stroke="#ddd"/>')
        w(f'<line x1="{xx:.1f}" y1="{axis_y - 4}" x2="{xx:.1f}" y2="{axis_y}" stroke="#000"/>')
        w(f'<text x="{xx:.1f}" y="{axis_y - 7}" text-anchor="middle">{t:g}</text>')
        t += step
    w(f'<text x="{left + plot_w + 6}" y="{axis_y + 4}">ms</text>')

    # Rows.
    for c, i in rows.items():
        y = top + i * row_h
        if i % 2:
            w(f'<rect x="0" y="{y}" width="{width}" height="{row_h}" fill="#f4f4f4" '
              'fill-opacity="0.6"/>')
        if label_rows or i == 0:
            name = "sync loop (caller)" if c == 0 else f"chain {c}"
            if c == 0 and len(rows) == 1:
                name = "device_shutdown()"
            w(f'<text x="{left - 8}" y="{y + row_h / 2 + 4:.1f}" '
              f'text-anchor="end">{esc(name)}</text>')
    pad = 2 if row_h >= 10 else 0
    for b in sorted(bars, key=lambda b: b.critical):
        y = top + rows[b.chain] * row_h + pad
        bx, bw = x(b.start), max((b.end - b.start) / axis * plot_w, 1.0)
        fill = "#d62728" if b.critical else ("#f0a030" if b.chain == 0 else "#4a90d9")
        tip = (f"{b.label()}: chain {b.chain}, {b.start - t0:.3f} to "
               f"{b.end - t0:.3f} ms ({b.end - b.start:.3f} ms)")
        w(f'<rect x="{bx:.2f}" y="{y}" width="{bw:.2f}" height="{row_h - 2 * pad}" '
          f'fill="{fill}" stroke="#222" stroke-width="0.3"><title>{esc(tip)}</title></rect>')
        if label_rows:
            for text in (b.label(), b.name):
                if len(text) * 6.3 + 4 <= bw:
                    w(f'<text x="{bx + 3:.1f}" y="{y + row_h / 2 + 2:.1f}" '
                      f'fill="white" font-size="10">{esc(text)}</text>')
                    break
    # Arrows of the critical path from one device to the next.
    path = sorted((b for b in bars if b.critical), key=lambda b: b.start)
    for a, b in zip(path, path[1:]):
        ya = top + rows[a.chain] * row_h + row_h / 2
        yb = top + rows[b.chain] * row_h + row_h / 2
        if a.chain != b.chain:
            w(f'<line x1="{x(a.end):.2f}" y1="{ya:.1f}" x2="{x(b.start):.2f}" '
              f'y2="{yb:.1f}" stroke="#d62728" stroke-width="1.2" '
              'stroke-dasharray="3,2"/>')

    # How many devices were being shut down, over time.
    sy = bottom + 30
    w(f'<text x="{left - 8}" y="{sy + strip_h / 2:.1f}" text-anchor="end">running</text>')
    w(f'<line x1="{left}" y1="{sy + strip_h}" x2="{left + plot_w}" y2="{sy + strip_h}" stroke="#000"/>')
    peak = peak_parallel(bars) or 1
    points = sorted([(b.start, 1) for b in bars if b.end > b.start] +
                    [(b.end, -1) for b in bars if b.end > b.start])
    running, poly = 0, [(left, sy + strip_h)]
    for t, d in points:
        yy = sy + strip_h - running / peak * strip_h
        poly.append((x(t), yy))
        running += d
        poly.append((x(t), sy + strip_h - running / peak * strip_h))
    poly.append((x(t0 + span), sy + strip_h))
    pts = " ".join(f"{px:.2f},{py:.2f}" for px, py in poly)
    w(f'<polygon points="{pts}" fill="#4a90d9" fill-opacity="0.5" stroke="#2a6099" stroke-width="0.6"/>')
    w(f'<text x="{left + plot_w + 2}" y="{sy + 4}" font-size="10">{peak}</text>')
    w(f'<text x="{left + plot_w + 2}" y="{sy + strip_h}" font-size="10">0</text>')

    ly = sy + strip_h + 28
    legend = [("#f0a030", "sync device (the calling task, one at a time)"),
              ("#4a90d9", "device in an async chain"),
              ("#d62728", "critical path")]
    lx = left
    for color, text in legend:
        w(f'<rect x="{lx}" y="{ly - 9}" width="14" height="10" fill="{color}"/>')
        w(f'<text x="{lx + 18}" y="{ly}">{esc(text)}</text>')
        lx += 24 + len(text) * 6.3
    w(f'<text x="{left}" y="{ly + 20}" fill="#555">Hover a bar for its device, '
      'chain and times; thin bars are devices with little or nothing to do.</text>')
    w('</svg>')
    return "\n".join(out) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="shutdown_timeline.py",
        description="Draw one device shutdown, from a kernel log, as an "
        "SVG timeline: a row per async chain and one for the sync loop.",
        epilog="Boot with 'tp_printk trace_event=device_shutdown:*' (or, on "
        "a kernel without those events, 'initcall_debug') and a console that "
        "is captured, power off, then:\n"
        "  shutdown_timeline.py -o shutdown.svg console.log\n"
        "See Documentation/driver-api/device-shutdown.rst.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("logs", nargs="+", metavar="LOG",
                        help="kernel log(s) to read, '-' for stdin")
    parser.add_argument("-o", "--output", default="shutdown.svg",
                        help="SVG to write (default: shutdown.svg)")
    parser.add_argument("-t", "--title", default="Device shutdown",
                        help="title of the picture")
    parser.add_argument("--source", choices=("auto", "trace", "initcall"),
                        default="auto", help="lines to draw from (default: "
                        "trace events if the log has them, else initcall_debug)")
    parser.add_argument("--axis-ms", type=float,
                        help="length of the time axis, to draw several "
                        "shutdowns on one scale")
    parser.add_argument("-s", "--summary", action="store_true",
                        help="also print what was drawn as key=value pairs")
    args = parser.parse_args(argv)

    try:
        lines = read_lines(args.logs)
        bars, summary, source = [], None, None
        if args.source in ("auto", "trace"):
            bars, summary = from_trace(lines)
            source = "trace events"
        if not bars and args.source in ("auto", "initcall"):
            bars = from_initcall(lines)
            source = "initcall_debug"
        if not bars:
            what = {"trace": "no device_shutdown_start/end trace events",
                    "initcall": "no initcall_debug 'DEVICE: shutdown' lines",
                    "auto": "neither device_shutdown_start/end trace events "
                    "nor initcall_debug 'DEVICE: shutdown' lines"}[args.source]
            raise InputError(f"{', '.join(args.logs)}: {what}; boot with "
                             "'tp_printk trace_event=device_shutdown:*' or "
                             "'initcall_debug'")
    except InputError as e:
        print(f"shutdown_timeline: {e}", file=sys.stderr)
        return 1

    path = critical_path(bars)
    t0 = min(b.start for b in bars)
    elapsed = max(b.end for b in bars) - t0
    path_ms = sum(b.end - b.start for b in path)
    rows = len({b.chain for b in bars})
    peak = peak_parallel(bars)
    subtitle = [f"{len(bars)} devices from {source}, {rows} "
                f"{'row' if rows == 1 else 'rows'}; "
                f"{fmt_ms(elapsed)} ms from the first device to the last; "
                f"critical path {len(path)} devices, {fmt_ms(path_ms)} ms busy; "
                f"peak {peak} running"]
    if summary:
        subtitle.append("kernel: " + summary)
    try:
        with open(args.output, "w") as f:
            f.write(svg(bars, args.title, subtitle, args.axis_ms))
    except OSError as e:
        print(f"shutdown_timeline: cannot write {args.output}: {e.strerror}",
              file=sys.stderr)
        return 1
    if args.summary:
        print(f"source={source.split()[0]} devices={len(bars)} rows={rows} "
              f"elapsed_ms={elapsed:.3f} critical_devices={len(path)} "
              f"critical_ms={path_ms:.3f} peak={peak}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
