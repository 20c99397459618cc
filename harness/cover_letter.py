#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the blurb of the series' cover letter (make series): the text of
harness/cover-letter.txt after its subject line, then what it is based
on, the last 'make bench' table and timeline summaries as the README
records them, and what the harness tests, read from its own files
(check.list, the flavors, the scenarios), so that no number or list in
it is typed by hand.

usage: cover_letter.py REPO BASE_VERSION
"""
import glob
import os
import sys
import textwrap

BEGIN, END = "<!-- bench: begin -->", "<!-- bench: end -->"


def first_comment(path):
    """The first comment paragraph of a config fragment, as one line."""
    lines = []
    for line in open(path):
        if not line.startswith("#") or line.startswith("# CONFIG_"):
            break
        lines.append(line[1:].strip())
    return " ".join(lines)


def row_cells(row):
    """A markdown row's cells, stripped."""
    return [x.strip() for x in row.strip("|").split("|")]


def timelines(table):
    """What the two timelines that make bench draws show, in words: the
    row of the 16 leaves and the critical path row that follows it."""
    rows = [row_cells(r) for r in table]
    i = next((i for i, c in enumerate(rows)
              if c[0].startswith("shutdown 16 x 500 ms leaves")), None)
    if i is None or i + 1 >= len(rows):
        return []
    leaves, path = rows[i], rows[i + 1]
    return ["", textwrap.fill(
        "make bench also draws one shutdown on each kernel, 16 leaves of "
        "500 ms under a sync bridge: the base kernel shuts them down one "
        f"after the other, in {leaves[1]} ms, in one row; ours runs them "
        f"in 16 chains at once, in {leaves[2]} ms against a critical path "
        f"of {path[2]} ms.", width=72)]


def bench(repo):
    readme = open(os.path.join(repo, "README.md")).read()
    if BEGIN not in readme:
        return ["(the README holds no 'make bench' table)"]
    block = readme.split(BEGIN, 1)[1].split(END, 1)[0].splitlines()
    facts = [l for l in block if l.startswith("- ")]
    table = [l.replace("&emsp;", "  ") for l in block if l.startswith("|")]
    return facts + [""] + table + timelines(table)


def scenarios(repo, flavor):
    names = []
    for line in open(os.path.join(repo, "harness", "check.list")):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        f, _, name = line.rpartition(":")
        if (f or "lockdep") == flavor:
            names.append(name)
    return names


def item(text, first="  - ", rest="    "):
    """One item of a list, wrapped as a mail is."""
    return textwrap.fill(text, width=72, initial_indent=first,
                         subsequent_indent=rest, break_on_hyphens=False)


def tested(repo):
    out = []
    flavors = sorted(os.path.basename(p)[len("flavor-"):-len(".config")]
                     for p in glob.glob(os.path.join(repo, "harness", "configs", "flavor-*.config")))
    logs = glob.glob(os.path.join(repo, "harness", "testdata", "console", "*.log"))
    out.append("make check (CI runs it on every change):")
    out.append(item("the KUnit suites async and device_shutdown under UML, and inside "
                    "an x86_64 guest (QEMU TCG, q35, 4 CPUs on two NUMA nodes)"))
    out.append(item("boot scenarios on the lockdep guest: " +
                    ", ".join(scenarios(repo, "lockdep"))))
    for f in flavors:
        if f != "lockdep" and scenarios(repo, f):
            out.append(item(f"on the {f} guest: " + ", ".join(scenarios(repo, f))))
    out.append(item(f"the console checker shown failing on {len(logs)} crafted logs, "
                    "and on a real boot with a warning injected"))
    out.append(item("checkpatch.pl --strict on every patch; kernel-doc -Wall and "
                    "Sphinx on the documentation"))
    out.append("make check-full, every scenario above on each guest configuration:")
    for f in flavors:
        out.append(item(f"{f}: " + first_comment(
            os.path.join(repo, "harness", "configs", f"flavor-{f}.config"))))
    extra = []
    for path in sorted(glob.glob(os.path.join(repo, "harness", "scenarios", "*", "flavors"))):
        name = os.path.basename(os.path.dirname(path))
        extra.append(f"{name} ({open(path).read().strip().replace(' ', ', ')})")
    if extra:
        out.append(item("and on the configurations they name: " + ", ".join(extra)))
    out.append("make series-check builds each patch alone (the guest config, and its C")
    out.append("files under allmodconfig) and runs the async KUnit suite at each step.")
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    repo, version = sys.argv[1:]
    text = open(os.path.join(repo, "harness", "cover-letter.txt")).read().splitlines()
    out = text[2:]
    out += ["", f"Based on Linux {version}, as Debian ships it (linux-source-6.12).",
            "", "Measured", "--------", "",
            "Our kernel against the unmodified base, same configuration, same run",
            "(make bench):", ""]
    out += bench(repo)
    out += ["", "Tested", "------", ""]
    out += tested(repo)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
