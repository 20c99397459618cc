#!/bin/sh
# One PASS:/FAIL: line per kselftest program, from the runner's TAP: each
# program of the "programs" file must have run once and passed.  A skip is
# a failure here: our kselftests skip when their module, debugfs file or
# fault injector is missing, which is a broken guest, not a test that does
# not apply.  A subtest that skips fails the same way, though its program
# passes.
log=$1
programs=$(dirname "$0")/programs
tr -d '\r' < "$log" | awk -v programs="$programs" '
	BEGIN {
		while ((getline line < programs) > 0)
			if (line !~ /^#/ && line ~ /[^ ]/) { want[line] = 1; order[++wanted] = line }
	}
	/^1\.\.[0-9]+$/ { plan = substr($0, 4) }
	/^(not )?ok [0-9]+ selftests: / {
		ok = $1 == "ok"
		name = $0
		sub(/^(not )?ok [0-9]+ selftests: /, "", name)
		skip = name ~ / # SKIP/
		sub(/ # .*/, "", name)
		seen[name]++
		if (!(name in want))
			print "FAIL: kselftest " name ": not a program of ours (harness/scenarios/kselftest/programs)"
		else if (skip)
			print "FAIL: kselftest " name ": skipped (a skip hides what it tests)"
		else if (ok)
			print "PASS: kselftest " name
		else
			print "FAIL: kselftest " name
		next
	}
	/^# *ok [0-9]+ .*# SKIP/ { sub(/^# */, ""); print "FAIL: kselftest subtest skipped: " $0; next }
	END {
		for (i = 1; i <= wanted; i++)
			if (seen[order[i]] != 1)
				print "FAIL: kselftest " order[i] ": ran " seen[order[i]] + 0 " times, not once"
		if (plan != wanted)
			print "FAIL: kselftest: the runner planned " (plan == "" ? "no" : plan) " programs, not " wanted
	}'
