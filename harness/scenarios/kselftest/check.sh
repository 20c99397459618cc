#!/bin/sh
# One PASS:/FAIL:/SKIP: line per kselftest program, from the runner's TAP.
log=$1
tr -d '\r' < "$log" | awk '
	/^ok [0-9]+ selftests: / && / # SKIP/ { sub(/^ok [0-9]+ selftests: /, ""); print "SKIP: kselftest " $0; n++; next }
	/^ok [0-9]+ selftests: / { sub(/^ok [0-9]+ selftests: /, ""); print "PASS: kselftest " $0; n++; next }
	/^not ok [0-9]+ selftests: / { sub(/^not ok [0-9]+ selftests: /, ""); print "FAIL: kselftest " $0; n++; next }
	END { if (!n) print "FAIL: no kselftest result on the console" }'
