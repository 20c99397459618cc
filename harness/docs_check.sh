#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The documentation of the series, as a maintainer would build it:
# scripts/kernel-doc -none -Wall on every C file and header we own, and
# our two pages (Documentation/core-api/async.rst and
# Documentation/driver-api/device-shutdown.rst, with the kernel-doc they
# pull in) built by Debian's Sphinx with the kernel's own conf.py and
# extensions, as `make htmldocs` does.  Only our pages are built, in a
# source folder of their own under build/, since the whole driver-api
# book takes far longer and its warnings are upstream's; the pages link
# to no other page, so nothing is lost.  Prints PASS:/FAIL: lines.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$REPO/harness/assemble.sh" >/dev/null || { echo "FAIL: docs: the tree did not assemble"; exit 1; }
cd "$SRC" || exit 1

files=$(owned_files | grep -E '^(drivers|include|kernel|lib)/.*\.[ch]$')
out=$(for f in $files; do perl scripts/kernel-doc -none -Wall "$f"; done 2>&1)
n=$(wc -w <<< "$files")
if [ -z "$out" ]; then
	echo "PASS: docs: kernel-doc -none -Wall: no warning in our $n C files and headers"
else
	echo "FAIL: docs: kernel-doc -none -Wall warns in our C files and headers:"
	sed 's/^/    | /' <<< "$out"
fi
status=$([ -z "$out" ]; echo $?)

pages="core-api/async.rst driver-api/device-shutdown.rst"
work=$BUILD/docs-check
rm -rf "$work"
mkdir -p "$work/src"
{
	echo "Pages of the series"
	echo "==================="
	echo
	echo ".. toctree::"
	echo
	for p in $pages; do
		cp "Documentation/$p" "$work/src/$(basename "$p")"
		echo "   $(basename "$p" .rst)"
	done
} > "$work/src/index.rst"
# As Documentation/Makefile runs it, less the books we do not build.
PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -m sphinx -b html -q \
	-c "$SRC/Documentation" -d "$work/doctrees" \
	-D kerneldoc_srctree="$SRC" -D kerneldoc_bin="$SRC/scripts/kernel-doc" \
	-D version=6.12 -D release=6.12 \
	"$work/src" "$work/html" > "$work/sphinx.log" 2>&1
rc=$?
warnings=$(grep -v -e '^Using alabaster theme$' -e '^$' "$work/sphinx.log")
if [ "$rc" = 0 ] && [ -z "$warnings" ] && [ -f "$work/html/async.html" ] &&
   [ -f "$work/html/device-shutdown.html" ]; then
	echo "PASS: docs: Sphinx builds $pages and their kernel-doc with no warning"
else
	echo "FAIL: docs: Sphinx (rc=$rc) on $pages:"
	sed 's/^/    | /' <<< "${warnings:-no HTML written}"
	status=1
fi
exit "$status"
