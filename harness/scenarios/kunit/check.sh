#!/bin/bash
# One PASS:/FAIL:/SKIP: line per KUnit case of the suites this scenario's
# "suites" file names (harness/kunit_guest.sh).
exec "$REPO/harness/kunit_guest.sh" "$1" "$(dirname "$0")/suites"
