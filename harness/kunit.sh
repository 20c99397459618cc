#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit.sh [FILTER]: build our KUnit suites under UML with kunit.py and run
# them; prints one PASS:/FAIL:/SKIP: line per case, and judges the UML
# kernel's log with harness/console-check.  FILTER is a kunit.py
# filter glob such as 'async.*'.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$REPO/harness/assemble.sh"
mkdir -p "$BUILD/logs"
log=$BUILD/logs/kunit-uml.log
json=$BUILD/logs/kunit-uml.json
rm -f "$json" "$BUILD/uml/test.log"
kbuild_lock
set +e
(cd "$SRC" && ./tools/testing/kunit/kunit.py run ${1:+"$1"} \
	--build_dir="$BUILD/uml" --kunitconfig="$REPO/harness/configs/kunit.config" \
	--make_options CC="ccache gcc" --make_options HOSTCC="ccache gcc" \
	--jobs "$(nproc)" --timeout 900 --json="$json") > "$log" 2>&1
rc=$?
set -e
grep -E '^\[..:..:..\] (Testing complete|Elapsed time)' "$log" | sed 's/^/    /' || true
if [ ! -s "$json" ]; then
	echo "FAIL: kunit-uml: kunit.py exited $rc without results; log tail:"
	tail -n 30 "$log" | sed 's/^/    | /'
	exit 1
fi
status=0
"$REPO/harness/kunit_results.py" kunit-uml "$json" || status=1
# The kernel's own log, as kunit.py wrote it: the KUnit verdicts above
# miss a lockdep report or a warning that no case asserts on.  The
# shutdown suite's watchdog cases report hung devices on purpose; a
# FILTER may leave them out.
"$REPO/harness/console-check" --label kunit-uml --expect "watchdog${1:+=any}" \
	"$BUILD/uml/test.log" || status=1
exit $status
