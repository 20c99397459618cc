# SPDX-License-Identifier: GPL-2.0
# Host-side checks of a console log: verdicts, the device_shutdown summary
# line, and the shutdown simulator's report (test_shutdown_sim); sourced by
# scenario check.sh scripts, which set LOG and KIND ("ours" or "base") first.

verdict() { # verdict STATUS DESCRIPTION
	if [ "$1" = 0 ]; then echo "PASS: $2"; else echo "FAIL: $2"; fi
}

console() {
	tr -d '\r' < "$LOG"
}

# sim VALUE: one field of the simulator's summary line.
sim() {
	console | grep -o 'shutdown_sim: summary .*' | tail -n 1 |
		tr ' ' '\n' | sed -n "s/^$1=//p"
}

# dev NAME FIELD: one field of a device's report line.
dev() {
	console | grep -o "shutdown_sim: dev $1 .*" | tail -n 1 |
		tr ' ' '\n' | sed -n "s/^$2=//p"
}

# The last device_shutdown summary line.
summary_line() {
	console | grep -o 'device_shutdown: [0-9]* devices, .*' | tail -n 1
}

# summary FIELD: devices, async, chains or peak from the summary line.
summary() {
	local line
	line=$(summary_line)
	if [ "$1" = peak ]; then
		echo "$line" | grep -o 'peak [0-9]*' | cut -d' ' -f2
	else
		echo "$line" | grep -o "[0-9]* $1" | head -n 1 | cut -d' ' -f1
	fi
}

# The simulator's own checks: every device shut down, after everything it
# waits for, and no two of its sync devices at once.
sim_checks() {
	local devices
	devices=$(sim devices)
	[ -n "$devices" ]; verdict $? "simulator report present (${devices:-no} devices)"
	[ "$(sim missing)" = 0 ]; verdict $? "every simulated device was shut down (missing=$(sim missing))"
	[ "$(sim violations)" = 0 ]; verdict $? "each device after all it waits for (violations=$(sim violations))"
	[ "$(sim sync_overlaps)" = 0 ]; verdict $? "sync devices one at a time (overlaps=$(sim sync_overlaps))"
	[ "$(sim sync_order_violations)" = 0 ]
	verdict $? "sync devices in the order of the legacy walk (out of order: $(sim sync_order_violations))"
	[ "$(sim early_wakeups)" = 0 ]
	verdict $? "no callback woken before its time (early wakeups: $(sim early_wakeups))"
	[ "$(sim after_return)" = 0 ]
	verdict $? "no callback ended after device_shutdown() returned (after_return=$(sim after_return))"
	[ "$(sim called_twice)" = 0 ]
	verdict $? "each device's callback ran once (called_twice=$(sim called_twice))"
}

# Our kernel finishes within 2% + 10 ms of the limit of a run that keeps
# the sync devices in their legacy order: the critical path of the
# callbacks' measured durations (timers stretch the spec's delays, most
# under emulation), each sync device also waiting for the one before it,
# plus 5 ms for each dependency hop along it: a device that starts when
# the last one it waits for ends needs a handoff, a wakeup that a loaded
# host may delay.  Where the legacy order costs nothing the limit is the
# critical path.  The base kernel's time is only reported: it is the
# serial sum.  The verdict says "timing:": boot.sh boots a scenario a
# second time when only such verdicts failed, and make check, which may
# run on a loaded host, skips it if that fails too; make bench fails it.
# Beside it, "makespan:" fails everywhere: halfway from that bound to the
# callbacks' measured time one after another, but no more than twice the
# bound, nor less than 10% over it (where the legacy order leaves nothing
# to run in parallel).  A loaded host stretched the bound by 6% at most so
# far; a run that lost the overlap the sync loop allows comes near the
# serial time.
# sim_makespan_check HOPS: HOPS dependency hops on the critical path.
sim_makespan_check() {
	local makespan critical limit bound serial backstop hops=${1:?sim_makespan_check HOPS}
	makespan=$(sim makespan_us)
	critical=$(sim measured_critical_path_us)
	limit=$(sim legacy_limit_us)
	echo "INFO: makespan ${makespan:-?} us, limit in the legacy sync order ${limit:-?} us, critical path ${critical:-?} us measured, $(sim critical_path_us) us in the spec; serial sum $(sim serial_sum_us) us"
	[ "$KIND" = ours ] || return 0
	[ "${limit:-0}" -gt 0 ]
	verdict $? "the legacy sync order agrees with the dependencies (limit ${limit:-?} us)"
	bound=$(( ${limit:-0} * 102 / 100 + 10000 + hops * 5000 ))
	[ -n "$makespan" ] && [ "$makespan" -le "$bound" ]
	verdict $? "timing: shutdown within 2% + 10 ms + $hops x 5 ms of the limit in the legacy sync order (${makespan:-?} <= $bound us)"
	serial=$(sim callbacks_us)
	backstop=$(( (bound + ${serial:-0}) / 2 ))
	[ "$backstop" -le $((bound * 2)) ] || backstop=$((bound * 2))
	[ "$backstop" -ge $((bound * 11 / 10)) ] || backstop=$((bound * 11 / 10))
	[ -n "$makespan" ] && [ "$makespan" -le "$backstop" ]
	verdict $? "makespan: ${makespan:-?} <= $backstop us (the backstop; the callbacks one after another: ${serial:-?} us)"
}

# kv LINE KEY: the value of KEY in a line of key=value pairs.
kv() {
	tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p" | head -n 1
}

# herd_checks PERF_DATA async|task: on our kernel, each of the herd's 16
# waiters is woken once, by the call that satisfies it, and never in vain;
# counted from the async: wait events, or over each waiter's whole life.
herd_checks() {
	local data=$1 mode=$2 s
	local -a args=()
	[ "$mode" = task ] && args=(--by-task --comm 'async_herd/*')
	s=$("$REPO/tools/async/async_wakeups.py" -s -i "$data" "${args[@]}" 2>&1)
	echo "INFO: async_wakeups ($mode): $s"
	[ "$(kv "$s" slept)" = 16 ] && [ "$(kv "$s" wakeups_per_wait)" = 1.00 ] &&
		[ "$(kv "$s" spurious)" = 0 ]
	verdict $? "perf ($mode): 16 waits, 1 wakeup each, none spurious (slept=$(kv "$s" slept) wakeups_per_wait=$(kv "$s" wakeups_per_wait) spurious=$(kv "$s" spurious))"
}
