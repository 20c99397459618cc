#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build and install our kselftests (TARGETS) from the assembled tree into
# build/kselftest, from where the initramfs picks them up.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

targets=${KSELFTEST_TARGETS:-async}
"$REPO/harness/assemble.sh"
rm -rf "$BUILD/kselftest"
make -s -C "$SRC/tools/testing/selftests" O="$BUILD/kselftest-build" \
	TARGETS="$targets" INSTALL_PATH="$BUILD/kselftest" install > "$BUILD/kselftest-build.log" 2>&1 || {
	tail -n 30 "$BUILD/kselftest-build.log"
	die "kselftest build failed (see $BUILD/kselftest-build.log)"
}
