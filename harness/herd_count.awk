# SPDX-License-Identifier: GPL-2.0
# The herd's wakeups counted from perf script's text (-F
# trace:comm,tid,cpu,time,event,trace), sorted by time, without
# tools/async/async_wakeups.py: the tools test holds the tool to it.
#   awk -v mode=task|async -v waking=sched:sched_waking|sched:sched_wakeup \
#	[-v comm=REGEX]
# Only the tasks whose comm matches REGEX (default: async_herd/*) count.  A wakeup is an event of $waking for one;
# the first of a task forked while recording is its start (kthread_run()),
# not a wakeup.  A wakeup is spurious when the task next switches out
# asleep (a prev_state other than R, X or Z).  mode=task counts each
# task's whole life; mode=async only what falls inside a task's
# async_wait_begin .. async_wait_end, and counts the waits, and those
# with a wakeup (slept).
function field(a, key,    r) {
	if (!match(a, " " key "=[^ ]+") && !match(a, "^" key "=[^ ]+"))
		return ""
	r = substr(a, RSTART, RLENGTH)
	sub(/^ ?[a-z_]+=/, "", r)
	return r
}
BEGIN {
	if (comm == "")
		comm = "^async_herd/"
}
{
	event = $5
	sub(/:$/, "", event)
	args = $0
	sub(/^[^:]*:[^:]*: +[a-z_]+:[a-z_]+: /, "", args)
}
event == "sched:sched_process_fork" && field(args, "child_comm") ~ comm {
	herd[field(args, "child_pid")] = 1
	unstarted[field(args, "child_pid")] = 1
}
event == waking && field(args, "comm") ~ comm {
	t = field(args, "pid")
	herd[t] = 1
	if (t in unstarted) {
		delete unstarted[t]
		next
	}
	if (mode == "task" || (t in waiting)) {
		wakeups++
		pending[t] = 1
		woken[t] = 1
	}
}
event == "sched:sched_switch" {
	t = field(args, "prev_pid")
	if (pending[t] && field(args, "prev_state") !~ /^[RXZ]/) {
		spurious++
		pending[t] = 0
	}
	if (field(args, "prev_comm") ~ comm)
		herd[t] = 1
}
mode == "async" && event == "async:async_wait_begin" && ($2 in herd || $1 ~ comm) {
	herd[$2] = 1
	waiting[$2] = 1
	woken[$2] = pending[$2] = 0
}
mode == "async" && event == "async:async_wait_end" && ($2 in waiting) {
	waits++
	slept += woken[$2]
	delete waiting[$2]
}
END {
	for (t in herd)
		tasks++
	if (mode == "task")
		printf "tasks=%d wakeups=%d spurious=%d\n", tasks, wakeups, spurious
	else
		printf "waits=%d slept=%d wakeups=%d spurious=%d\n", waits, slept, wakeups, spurious
}
