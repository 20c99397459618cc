#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Drive the test_async module's scenarios and hold what they measured to
# the async core's promises: nothing runs inline, a waiter sleeps once,
# serial domains keep order, reservations survive allocation failure,
# bad input is refused, and the module cannot go while work is in flight.

DIR=$(dirname "$(readlink -f "$0")")
. "$DIR/../kselftest/ktap_helpers.sh"

CTL=/sys/kernel/debug/test_async
FAIL=/sys/kernel/debug/fail_async_alloc

# run SCENARIO [key=value...]: run it; what it measured lands in $result.
run() {
	result=
	echo "$*" > $CTL/run 2>/dev/null || return 1
	result=$(cat $CTL/result)
}

# value KEY: one measurement of the last run.
value() {
	echo "$result" | sed -n "s/^$1=//p"
}

refused() {
	! echo "$*" > $CTL/run 2>/dev/null
}

fail_allocations() { # fail_allocations 1|0
	if [ "$1" = 1 ]; then
		echo 1 > $FAIL/interval
		echo -1 > $FAIL/times
		echo 0 > $FAIL/verbose
		echo 100 > $FAIL/probability
	else
		echo 0 > $FAIL/probability
	fi
}

ktap_print_header
modprobe test_async 2>/dev/null ||
	insmod "$(find /lib/modules -name test_async.ko | head -n 1)" 2>/dev/null
if [ ! -w $CTL/run ]; then
	ktap_skip_all "the test_async module is not available (CONFIG_TEST_ASYNC=m)"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 11

run throughput entries=20000
ktap_print_msg "throughput: $(value entries_per_sec)/s, $(value workers) workers"
ktap_test_result "throughput: 20000 entries ran, none inline" \
	[ "$(value entries)" = 20000 -a "$(value inline)" = 0 ]

run atomic entries=20000
ktap_test_result "atomic: 20000 entries scheduled with interrupts off, none inline" \
	[ "$(value entries)" = 20000 -a "$(value inline)" = 0 ]

run herd waiters=16 entries=256
ktap_test_result "herd: each of 16 waiters slept once (worst $(value sleeps_per_wait_max))" \
	[ "$(value waiters)" = 16 -a "$(value sleeps_per_wait_max)" = 1 ]

run serial entries=1000
ktap_test_result "serial: 1000 entries in cookie order, never two at once" \
	[ "$(value entries)" = 1000 -a "$(value order_violations)" = 0 -a "$(value overlaps)" = 0 ]

run domains domains=8 entries=250
ktap_test_result "domains: 8 serial domains keep order ($(value workers) workers)" \
	[ "$(value entries)" = 2000 -a "$(value order_violations)" = 0 -a "$(value overlaps)" = 0 ]

if [ -d $FAIL ]; then
	run reserve entries=5000
	reserved=$(value reserve_error)
	fail_allocations 1
	run reserved
	ktap_test_result "reserved: 5000 entries under 100% allocation failure, none inline" \
		[ "$reserved" = 0 -a "$(value entries)" = 5000 -a "$(value inline)" = 0 \
		  -a "$(value domain_inline_fallbacks)" = 0 ]
	run throughput entries=100
	fail_allocations 0
	ktap_test_result "unreserved entries under allocation failure run inline, counted" \
		[ "$(value inline)" = 100 ]
else
	ktap_test_skip "reserved: no fail_async_alloc (CONFIG_FAIL_ASYNC_ALLOC)"
	ktap_test_skip "unreserved under allocation failure: no fail_async_alloc"
fi

bad_input_refused() {
	refused bogus && refused throughput entries=x &&
		refused throughput colour=3 && refused throughput entries=0 &&
		refused herd waiters=0 && refused reserved
}
ktap_test_result "bad input refused: unknown scenario, parameter, value, range" \
	bad_input_refused

# Unload while a scenario runs: the open control file pins the module.
# This shell holds the file open across the rmmod, so the refusal does
# not depend on how far the scenario got; it must be refused for being
# in use, and leave the module loaded.
rmmod_refused_busy() {
	[ "$(cat /sys/module/test_async/refcnt)" -gt 0 ] || return 1
	out=$(rmmod test_async 2>&1) && return 1
	[ -d /sys/module/test_async ] &&
		echo "$out" | grep -q 'Resource temporarily unavailable\|is in use'
}
exec 3> $CTL/run
echo "herd waiters=16 entries=2000" >&3 &
writer=$!
ktap_test_result "rmmod refused, as busy, while a scenario is in flight" rmmod_refused_busy
exec 3>&-
wait $writer
ktap_test_result "rmmod succeeds once it finished" rmmod test_async
modprobe test_async 2>/dev/null ||
	insmod "$(find /lib/modules -name test_async.ko | head -n 1)" 2>/dev/null
ktap_test_result "the module loads again and runs" run throughput entries=1000
rmmod test_async
ktap_finished
