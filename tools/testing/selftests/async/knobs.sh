#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The run-time knobs of async shutdown and of the async core take good
# values and refuse bad ones, leaving the old value in place.

DIR=$(dirname "$(readlink -f "$0")")
. "$DIR/../kselftest/ktap_helpers.sh"

PARAMS=/sys/module/driver_core/parameters
STATS=/sys/kernel/debug/async/stats

refused() { # refused FILE VALUE
	! echo "$2" > "$1" 2>/dev/null
}

accepted_as() { # accepted_as FILE VALUE SHOWN
	echo "$2" > "$1" 2>/dev/null && [ "$(cat "$1")" = "$3" ]
}

ktap_print_header
if [ ! -w $PARAMS/async_shutdown ]; then
	ktap_skip_all "no driver_core.async_shutdown (async shutdown not built in)"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 7

saved_switch=$(cat $PARAMS/async_shutdown)
saved_timeout=$(cat $PARAMS/shutdown_timeout_ms)

switch_takes_0_and_1() {
	accepted_as $PARAMS/async_shutdown 0 N &&
		accepted_as $PARAMS/async_shutdown 1 Y
}

timeout_takes_5000_and_0() {
	accepted_as $PARAMS/shutdown_timeout_ms 5000 5000 &&
		accepted_as $PARAMS/shutdown_timeout_ms 0 0
}

timeout_refuses_words_and_negatives() {
	refused $PARAMS/shutdown_timeout_ms soon &&
		refused $PARAMS/shutdown_timeout_ms -5
}

ktap_test_result "async_shutdown takes 0 and 1" switch_takes_0_and_1
ktap_test_result "async_shutdown refuses 'maybe'" refused $PARAMS/async_shutdown maybe
ktap_test_result "async_shutdown kept its value after a refused write" \
	[ "$(cat $PARAMS/async_shutdown)" = Y ]
ktap_test_result "shutdown_timeout_ms takes 5000 and 0 (off)" timeout_takes_5000_and_0
ktap_test_result "shutdown_timeout_ms refuses 'soon' and -5" \
	timeout_refuses_words_and_negatives
ktap_test_result "shutdown_timeout_ms kept its value after refused writes" \
	[ "$(cat $PARAMS/shutdown_timeout_ms)" = 0 ]
counters_read_only() {
	[ -r $STATS ] && [ -n "$(cat $STATS)" ] && refused $STATS 0
}
ktap_test_result "the async core's counters are there and read-only" counters_read_only

echo "$saved_switch" > $PARAMS/async_shutdown
echo "$saved_timeout" > $PARAMS/shutdown_timeout_ms
ktap_finished
