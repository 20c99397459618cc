#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Put the table of a 'make bench' report into the README, between the
lines '<!-- bench: begin -->' and '<!-- bench: end -->', with the date
and machine it was measured on, so that no number there is typed by hand.

usage: readme_bench.py REPORT README
"""
import re
import sys

BEGIN, END = "<!-- bench: begin -->", "<!-- bench: end -->"


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    report_path, readme_path = sys.argv[1:]
    report = open(report_path).read().splitlines()
    facts = [l for l in report if re.match(r"- (date|machine|guest configuration|base kernel|ours): ", l)]
    table = [l for l in report if l.startswith("|")]
    if not table or len(facts) < 4:
        print(f"readme_bench: {report_path} holds no table or no date and "
              "machine", file=sys.stderr)
        return 1
    readme = open(readme_path).read()
    if BEGIN not in readme or END not in readme:
        print(f"readme_bench: {readme_path} has no '{BEGIN}' ... '{END}' "
              "block", file=sys.stderr)
        return 1
    block = "\n".join(
        [BEGIN,
         "Written by `make bench` from `build/bench/report.md` (which also has",
         "the shutdown timelines and the perf wakeup summaries); do not edit.",
         ""] + facts + [""] + table + [END])
    head, rest = readme.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    new = head + block + tail
    if new != readme:
        with open(readme_path, "w") as f:
            f.write(new)
        print(f"== {readme_path}: bench table updated from {report_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
