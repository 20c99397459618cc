#!/bin/bash
# One boot per fault injection point of device_shutdown()'s thread, the
# N-th failing on boot N.  Each boot shuts the simulator's devices down
# in order, with no two sync devices at once; where a point failed, the
# shutdown ran in parallel with no call inline, or said it shuts down
# one device at a time and ran no chain.  The first boot that passes all
# points without reaching its N-th says how many there are, P: every
# boot up to P must have failed its point, every later one must have
# passed the same P.
LOG=$1 KIND=${2:-ours}
. "$REPO/harness/checklib.sh"
steps=$(cat "$(dirname "$0")/steps")
all=$LOG
boots=$(mktemp -d)
trap 'rm -rf "$boots"' EXIT
# Boot n's console, its shutdown included, up to the next boot's line,
# goes to $boots/n.
tr -d '\r' < "$all" | awk -v dir="$boots" '
	match($0, /HARNESS: fault-steps boot [0-9]+ of/) {
		split(substr($0, RSTART), f, " ")
		if (out) close(out)
		out = dir "/" f[4]
	}
	out { print > out }'
parallel=0 legacy=0 points= uneven=
for n in $(seq 1 "$steps"); do
	LOG=$boots/$n
	if [ ! -s "$LOG" ]; then
		verdict 1 "step $n: the boot is on the console"
		continue
	fi
	faults=$(console | grep -o 'shutdown_sim: faults .*' | tail -n 1)
	left=$(kv "$faults" fail_nth_left)
	[ "$(kv "$faults" fail_nth)" = "$n" ] && [ -n "$left" ] &&
		[ "$(sim missing)" = 0 ] && [ "$(sim violations)" = 0 ] &&
		[ "$(sim sync_overlaps)" = 0 ] && [ "$(sim after_return)" = 0 ] &&
		[ "$(sim called_twice)" = 0 ]
	verdict $? "step $n: every device shut down once, in order, sync ones alone, before device_shutdown() returned (missing=$(sim missing) violations=$(sim violations) overlaps=$(sim sync_overlaps) after_return=$(sim after_return) called_twice=$(sim called_twice))"
	[ -n "$left" ] || continue
	if [ "$left" != 0 ]; then
		[ -n "$points" ] || points=$((n - left))
		[ "$((n - left))" = "$points" ] || uneven="$uneven $n:$((n - left))"
		continue
	fi
	[ -z "$points" ] || uneven="$uneven $n:failed"
	# Where the injected failure hit: the first frame past the injector.
	site=$(console | sed -n '/FAULT_INJECTION: forcing a failure/,/<\/TASK>/p' |
		grep -o ' [a-z_][a-z_0-9.]*+0x' | tr -d ' ' | sed 's/+0x$//' |
		grep -v -E '^(dump_stack.*|.*should_fail.*|fail_dump|.*slab_pre_alloc_hook.*|.*kmalloc.*|.*kvmalloc.*|kmem_cache_alloc.*|.*alloc_node.*|async_alloc_entry)$' |
		head -n 1)
	if console | grep -q 'device_shutdown: no memory to run .* one at a time'; then
		[ "$(summary chains)" = 0 ]
		verdict $? "step $n: failed in ${site:-an allocation that asked for no report}: said so, and ran in the 6.12 order ($(summary chains) chains)"
		legacy=$((legacy + 1))
	else
		[ "$(summary chains)" -ge 1 ] 2>/dev/null && [ "$(sim inline_fallbacks)" = 0 ]
		verdict $? "step $n: failed in ${site:-an allocation that asked for no report}: ran in parallel, nothing inline ($(summary chains) chains, $(sim inline_fallbacks) inline)"
		parallel=$((parallel + 1))
	fi
done
LOG=$all
# A shutdown with no point to fail tests nothing: at least one, and a
# boot that passed them all.
[ -n "$points" ] && [ "$points" -ge 1 ] && [ "$points" -lt "$steps" ] &&
	[ -z "$uneven" ] && [ "$((legacy + parallel))" = "$points" ]
verdict $? "all ${points:-?} points stepped over (at least 1, fewer than $steps), each failed on its own boot, the later boots passed the same ${points:-?} (${uneven:+boot:points$uneven}${uneven:-$((legacy + parallel)) of $steps boots failed a point})"
echo "INFO: fault-steps: $legacy steps fell back to the 6.12 order, $parallel ran in parallel"
