#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Take a file that the guest copied out through its console (with
harness/initramfs/console-put) back out of the console log.

usage: console_get.py LOG NAME OUT

Writes the file, gunzipped, to OUT.  Exits 1 with one line saying why if
the log does not hold it whole (missing, cut short, or a size or md5sum
that does not match).

The kernel prints on the same console while the file goes out: its lines
start with a printk timestamp ("[   12.345678] "), which may also land in
the middle of a payload line.  Base64 has no '[', so from a '[' to the end
of its line is the kernel's and is skipped; the payload before it goes on
in the next line.
"""
import base64
import binascii
import gzip
import hashlib
import re
import sys


def get(log, name):
    begin = re.compile(r"HARNESS: file (\S+) begin size=(\d+) md5=([0-9a-f]+)")
    found, chunks, want = False, [], None
    with open(log, errors="replace") as f:
        for line in f:
            line = line.strip()
            if want is None:
                m = begin.search(line)
                if m and m.group(1) == name:
                    want = (int(m.group(2)), m.group(3))
                    chunks = []
                continue
            if line == f"HARNESS: file {name} end":
                found = True
                break
            chunks.append(line.split("[", 1)[0])
    if want is None:
        raise ValueError(f"{log} holds no file '{name}' (no 'HARNESS: file {name} begin' line)")
    if not found:
        raise ValueError(f"{log}: file '{name}' is cut short (no end line)")
    try:
        data = base64.b64decode("".join(chunks), validate=True)
    except binascii.Error as e:
        raise ValueError(f"{log}: file '{name}' is not clean base64 ({e})")
    size, md5 = want
    if len(data) != size or hashlib.md5(data).hexdigest() != md5:
        raise ValueError(f"{log}: file '{name}' came out damaged: {len(data)} "
                         f"bytes, md5 {hashlib.md5(data).hexdigest()}; the guest "
                         f"sent {size} bytes, md5 {md5}")
    return gzip.decompress(data)


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    log, name, out = sys.argv[1:]
    try:
        data = get(log, name)
    except (OSError, ValueError) as e:
        print(f"console_get: {e}", file=sys.stderr)
        return 1
    with open(out, "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
