#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Test the tools under tools/ on the host, on inputs recorded in the guest
# (harness/testdata, see its README) and on bad ones: async_wakeups.py
# must show the base kernel's herd and one wakeup per wait on ours, and
# shutdown_timeline.py must draw the base kernel's serial shutdown and
# our parallel one; empty, cut-short and foreign inputs get one clear
# line and exit status 1.  Prints one PASS:/FAIL: line per check.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$REPO/harness/checklib.sh"

data=$REPO/harness/testdata
tmp=$BUILD/tools-test
rm -rf "$tmp"
mkdir -p "$tmp"
wakeups=$REPO/tools/async/async_wakeups.py
timeline=$REPO/tools/driver-core/shutdown_timeline.py
for f in "$data"/*.xz; do
	xz -dc "$f" > "$tmp/$(basename "$f" .xz)" || { echo "FAIL: tools: cannot unpack $f"; exit 1; }
done

# refused DESCRIPTION PATTERN COMMAND...: COMMAND exits 1 with one line on
# stderr that matches PATTERN and prints nothing on stdout.
refused() {
	local what=$1 pattern=$2 out err rc
	shift 2
	out=$("$@" 2>"$tmp/err")
	rc=$?
	err=$(cat "$tmp/err")
	[ "$rc" = 1 ] && [ -z "$out" ] && [ "$(wc -l <<<"$err")" = 1 ] && grep -q -e "$pattern" <<<"$err"
	verdict $? "tools: $what: ${err:-no message} (rc=$rc)"
}

# herd_count TEXT MODE: the herd's wakeups counted without the tool
# (harness/herd_count.awk), from perf script's text sorted by time.
herd_count() {
	local waking=sched:sched_waking
	grep -q ' sched:sched_waking: ' "$1" || waking=sched:sched_wakeup
	sort -s -k4,4n "$1" | awk -v mode="$2" -v waking="$waking" -f "$REPO/harness/herd_count.awk"
}
script() { # script PERF_DATA TEXT
	perf script -f -i "$1" --ns -F trace:comm,tid,cpu,time,event,trace > "$2" 2>/dev/null
}

# async_wakeups.py on the base kernel: no async: events, the waiters
# named.  Its 16 herd tasks were woken 2104 times, 2063 times in vain,
# as counted without the tool.
script "$tmp/herd-base.perf.data" "$tmp/herd-base.txt"
c=$(herd_count "$tmp/herd-base.txt" task)
s=$("$wakeups" -s -i "$tmp/herd-base.perf.data" --comm 'async_herd/*' 2>&1)
echo "INFO: base: $s"
echo "INFO: base, counted apart: $c"
[ "$c" = "tasks=16 wakeups=2104 spurious=2063" ]
verdict $? "tools: the base recording holds 16 herd tasks, 2104 wakeups, 2063 spurious, counted without the tool ($c)"
[ "$(kv "$s" mode)" = task ] && [ "$(kv "$s" slept)" = "$(kv "$c" tasks)" ] &&
	[ "$(kv "$s" wakeups)" = "$(kv "$c" wakeups)" ] &&
	[ "$(kv "$s" spurious)" = "$(kv "$c" spurious)" ] &&
	[ "$(kv "$s" wakeups_per_wait)" = 131.50 ] && [ "$(kv "$s" spurious_per_wait)" = 128.94 ]
verdict $? "tools: async_wakeups.py counts the base kernel's herd exactly (slept=$(kv "$s" slept) wakeups=$(kv "$s" wakeups) spurious=$(kv "$s" spurious) per wait $(kv "$s" wakeups_per_wait), $(kv "$s" spurious_per_wait) spurious)"
refused "async_wakeups.py asks for the waiters where the async: events are missing" \
	'--pid or --comm' "$wakeups" -i "$tmp/herd-base.perf.data"

# On ours: from the async: events, and over each waiter's life.
herd_checks "$tmp/herd-ours.perf.data" async | sed 's/^\(PASS\|FAIL\): /&tools: ours: /'
herd_checks "$tmp/herd-ours.perf.data" task | sed 's/^\(PASS\|FAIL\): /&tools: ours: /'
# Counted without the tool: each of the 16 herd waits woken once, and
# the 17th wait, the scenario's own for the whole domain once the herd
# is done, never slept.
script "$tmp/herd-ours.perf.data" "$tmp/herd-ours.txt"
c=$(herd_count "$tmp/herd-ours.txt" async)
s=$("$wakeups" -s -i "$tmp/herd-ours.perf.data" 2>&1)
echo "INFO: ours, counted apart: $c"
[ "$c" = "waits=16 slept=16 wakeups=16 spurious=0" ] && [ "$(kv "$s" waits)" = 17 ] &&
	[ "$(kv "$s" slept)" = "$(kv "$c" slept)" ] && [ "$(kv "$s" wakeups)" = "$(kv "$c" wakeups)" ] &&
	[ "$(kv "$s" spurious)" = "$(kv "$c" spurious)" ]
verdict $? "tools: ours: async_wakeups.py agrees with the count without it (tool: waits=$(kv "$s" waits) slept=$(kv "$s" slept) wakeups=$(kv "$s" wakeups) spurious=$(kv "$s" spurious); apart: $c)"
# Latencies, on a hand-written input whose figures are worked out in it.
s=$("$wakeups" -s --script "$data/wakeups-latency.txt" 2>&1)
[ "$s" = "mode=async waits=2 slept=2 wakeups=3 spurious=1 wakeups_per_wait=1.50 spurious_per_wait=0.50 end_to_run_us_median=500.0 end_to_run_us_max=700.0 wake_to_run_us_median=225.0 wake_to_run_us_max=250.0 worst=waiter2[11] worst_wakeups=2 worst_spurious=1" ]
verdict $? "tools: async_wakeups.py measures known latencies exactly ($s)"
c=$(awk -v mode=async -v waking=sched:sched_waking -v comm='^waiter' \
	-f "$REPO/harness/herd_count.awk" "$data/wakeups-latency.txt")
[ "$c" = "waits=2 slept=2 wakeups=3 spurious=1" ]
verdict $? "tools: the count without the tool agrees on the hand-written input ($c)"
# The same from perf script's text, as a user who decoded it elsewhere.
[ "$("$wakeups" -s --script "$tmp/herd-ours.txt" 2>&1)" = "$("$wakeups" -s -i "$tmp/herd-ours.perf.data" 2>&1)" ]
verdict $? "tools: async_wakeups.py reads perf script's text as it reads the perf.data"
"$wakeups" -h | grep -q '^usage: async_wakeups.py'
verdict $? "tools: async_wakeups.py -h prints its usage"

# Bad input.
: > "$tmp/empty.data"
refused "async_wakeups.py refuses an empty file" 'is empty' "$wakeups" -i "$tmp/empty.data"
refused "async_wakeups.py refuses a missing file" 'cannot read' "$wakeups" -i "$tmp/none.data"
head -c 4096 /dev/urandom > "$tmp/random.data"
refused "async_wakeups.py refuses a file that is not a perf.data" 'not a perf.data' \
	"$wakeups" -i "$tmp/random.data"
head -c 200000 "$tmp/herd-ours.perf.data" > "$tmp/cut.data"
refused "async_wakeups.py refuses a perf.data cut short" 'cut short' "$wakeups" -i "$tmp/cut.data"
# Whole, with its samples overwritten by (seeded) random bytes.
python3 - "$tmp/herd-ours.perf.data" "$tmp/garbled.data" <<'EOF'
import random, sys
d = bytearray(open(sys.argv[1], "rb").read())
off, size = int.from_bytes(d[40:48], "little"), int.from_bytes(d[48:56], "little")
d[off + 1000:off + size - 1000] = random.Random(12).randbytes(size - 2000)
open(sys.argv[2], "wb").write(d)
EOF
refused "async_wakeups.py refuses a garbled perf.data" 'perf script cannot read' \
	"$wakeups" -i "$tmp/garbled.data"
printf 'hello\nworld\n' > "$tmp/junk.txt"
refused "async_wakeups.py refuses text that is not perf script's" 'no event line' \
	"$wakeups" --script "$tmp/junk.txt"
grep -v 'sched:sched_switch' "$tmp/herd-ours.txt" > "$tmp/noswitch.txt"
refused "async_wakeups.py asks for the sched events where they are missing" 'no sched:sched_switch' \
	"$wakeups" --script "$tmp/noswitch.txt"

# shutdown_timeline.py: the base kernel's serial shutdown, one row ...
s=$("$timeline" -s -o "$tmp/base.svg" "$tmp/shutdown-base.log" 2>&1)
echo "INFO: base timeline: $s"
[ "$(kv "$s" source)" = initcall_debug ] && [ "$(kv "$s" rows)" = 1 ] &&
	[ "$(kv "$s" devices)" -ge 17 ] && [ "$(kv "$s" peak)" = 1 ]
verdict $? "tools: shutdown_timeline.py draws the base kernel's shutdown in one row ($s)"
# ... and ours: the 16 leaves side by side, each in its own chain.
s=$("$timeline" -s -o "$tmp/ours.svg" "$tmp/shutdown-ours.log" 2>&1)
echo "INFO: ours timeline: $s"
[ "$(kv "$s" source)" = trace ] && [ "$(kv "$s" rows)" -ge 17 ] && [ "$(kv "$s" peak)" -ge 16 ]
verdict $? "tools: shutdown_timeline.py draws our shutdown with 16 chains in parallel ($s)"
python3 - "$tmp/base.svg" "$tmp/ours.svg" <<'EOF'
import sys
import xml.etree.ElementTree as ET
for path in sys.argv[1:]:
    root = ET.parse(path).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    titles = [t.text for t in root.iter(ns + "title")]
    assert any(t.startswith("sim_leaf0 ") or t.startswith("nvme0 ") for t in titles), path
    assert any("ms" == t.text for t in root.iter(ns + "text")), path
EOF
verdict $? "tools: the pictures are well-formed SVG with a bar per device and a time axis"
refused "shutdown_timeline.py refuses an empty log" 'neither' "$timeline" -o "$tmp/x.svg" "$tmp/empty.data"
refused "shutdown_timeline.py refuses a log without a shutdown" 'neither' \
	"$timeline" -o "$tmp/x.svg" "$tmp/junk.txt"
[ ! -e "$tmp/x.svg" ]
verdict $? "tools: shutdown_timeline.py writes no picture when it has nothing to draw"

# console_get.py: a file sent as console-put sends it comes back whole; cut
# short or damaged, it is refused.
head -c 3000 /dev/urandom > "$tmp/payload"
gzip -c "$tmp/payload" > "$tmp/payload.gz"
{
	echo "[    1.000000] something else"
	echo "HARNESS: file payload begin size=$(wc -c < "$tmp/payload.gz") md5=$(md5sum < "$tmp/payload.gz" | cut -d' ' -f1)"
	base64 < "$tmp/payload.gz"
	echo "HARNESS: file payload end"
} > "$tmp/console.log"
"$REPO/harness/console_get.py" "$tmp/console.log" payload "$tmp/payload.out" &&
	cmp -s "$tmp/payload" "$tmp/payload.out"
verdict $? "tools: console_get.py takes a file back out of a console log"
# The kernel keeps printing meanwhile: a whole line between two of the
# payload's, and one that lands in the middle of a payload line.
awk 'NR == 4 { print "[   12.000001] nvme nvme0: shutting down" }
	NR == 6 { print substr($0, 1, 30) "[   12.000002] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x0/0x1"; print substr($0, 31); next }
	{ print }' "$tmp/console.log" > "$tmp/console-kernel.log"
rm -f "$tmp/payload.out"
"$REPO/harness/console_get.py" "$tmp/console-kernel.log" payload "$tmp/payload.out" &&
	cmp -s "$tmp/payload" "$tmp/payload.out"
verdict $? "tools: console_get.py skips the kernel's lines among and inside the payload's"
grep -q 'WARNING: CPU: 0 PID: 1' "$tmp/console-kernel.log" &&
	! "$REPO/harness/console-check" "$tmp/console-kernel.log" > "$tmp/console-kernel.out"
verdict $? "tools: the warning inside the payload still fails the console check ($(grep -c '^FAIL:' "$tmp/console-kernel.out") FAIL)"
! grep -q 'printk' "$REPO/harness/initramfs/console-put"
verdict $? "tools: console-put leaves the kernel's log level alone"
sed '/^HARNESS: file payload end$/d' "$tmp/console.log" > "$tmp/console-cut.log"
refused "console_get.py refuses a file cut short in the log" 'cut short' \
	"$REPO/harness/console_get.py" "$tmp/console-cut.log" payload "$tmp/x.data"
sed '3s/^./#/' "$tmp/console.log" > "$tmp/console-bad.log"
refused "console_get.py refuses a damaged file" 'base64\|damaged' \
	"$REPO/harness/console_get.py" "$tmp/console-bad.log" payload "$tmp/x.data"

# sync_order.py on made-up consoles of the sync-order scenario: the same
# sync order passes; two sync devices swapped, one missing or no second
# boot fail, each with the line that says why.
order=$REPO/harness/sync_order.py
sync_log() { # sync_log FILE ENGINE_ORDER...: legacy order a b c d, async x
	local f=$1 d
	shift
	{
		for d in d x c b a; do echo "[    1.000000] bus $d: shutdown"; done
		echo "[    2.000000] HARNESS: sync-order boot 2: the engine"
		for d in "$@"; do echo "[    3.000000] bus $d: shutdown"; done
		echo "[    4.000000] device_shutdown_start: bus x chain=1"
		echo "[    4.000001] device_shutdown_start: bus d chain=0"
	} > "$f"
}
sync_log "$tmp/order-same.log" x d c b a
out=$("$order" "$tmp/order-same.log"); rc=$?
[ "$rc" = 0 ]; verdict $? "tools: sync_order.py passes the legacy order, async devices aside: $out"
sync_log "$tmp/order-swapped.log" d b x c a
out=$("$order" "$tmp/order-swapped.log"); rc=$?
[ "$rc" = 1 ] && grep -q 'sync callback 2: c shutdown' <<<"$out"
verdict $? "tools: sync_order.py fails two sync devices swapped: $out (rc=$rc)"
sync_log "$tmp/order-missing.log" d c x b
out=$("$order" "$tmp/order-missing.log"); rc=$?
[ "$rc" = 1 ] && grep -q '4 sync callbacks in the walk of 6.12, 3 through the engine' <<<"$out"
verdict $? "tools: sync_order.py fails a sync device left out: $out (rc=$rc)"
head -n 5 "$tmp/order-same.log" > "$tmp/order-one-boot.log"
out=$("$order" "$tmp/order-one-boot.log"); rc=$?
[ "$rc" = 2 ]; verdict $? "tools: sync_order.py fails a log without the second boot: $out (rc=$rc)"

# bench_table.py's verdicts, on hand-written logs (harness/testdata/bench):
# ours within its rules passes; each log that breaks one rule of a real
# client's row fails on that row, with exit status 3.
bench=$data/bench
table=$REPO/harness/bench_table.py
out=$("$table" --base "$bench/base.log" --ours "$bench/ours-ok.log")
rc=$?
[ "$rc" = 0 ] && ! grep -q 'FAIL' <<<"$out" && [ "$(grep -c ' ok (' <<<"$out")" = 11 ]
verdict $? "tools: bench_table.py: ours within every rule passes, 11 verdicts ok (rc=$rc)"
for bad in pm-slower:'^PM suspend.*FAIL' shutdown-not-faster:'^16 slow SCSI disks.*FAIL' \
	   fewer-per-node:'node 0 entries at once.*FAIL' cpu-fewer:'^throughput on one vCPU.*FAIL' \
	   probe-failed:'^test_async_driver_probe: passed.*FAIL'; do
	out=$("$table" --base "$bench/base.log" --ours "$bench/ours-${bad%%:*}.log")
	rc=$?
	[ "$rc" = 3 ] && [ "$(grep -c 'FAIL' <<<"$out")" = 1 ] && grep -q -e "${bad#*:}" <<<"$out"
	verdict $? "tools: bench_table.py fails ours-${bad%%:*}.log on that row alone (rc=$rc)"
done
exit 0
