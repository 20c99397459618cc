#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The console checker on a real boot: a guest that WARNs on purpose after
# its scenario (scenario inject-warn, harness.inject=warn) must FAIL, on
# that warning and on nothing else, while the same boot's other checks
# pass.  The crafted logs of checker_test.sh prove each rule; this proves
# that a real kernel's warning reaches the console and the checker.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

out=$("$REPO/harness/boot.sh" inject-warn 2>&1)
rc=$?
fails=$(grep '^FAIL:' <<<"$out")
sed 's/^/    | /' <<<"$out"
if [ "$rc" = 1 ] && grep -q 'kernel report: WARNING: .*harness_fault' <<<"$fails" &&
   ! grep -v 'kernel report: ' <<<"$fails" | grep -q . &&
   grep -q '^PASS: [^:]*: the guest loaded harness_fault' <<<"$out"; then
	echo "PASS: inject: a real boot that WARNs on purpose fails the console check, on that warning alone"
else
	echo "FAIL: inject: the injected warning did not fail the boot, or something else did (rc=$rc)"
	exit 1
fi
