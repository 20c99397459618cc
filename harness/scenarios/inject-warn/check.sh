#!/bin/bash
# Nothing beyond the common rules: the injected warning must fail them
# (harness/inject_test.sh boots this and requires that it fails).
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
console | grep -q 'HARNESS: injecting a warning (/'
verdict $? "the guest loaded harness_fault"
