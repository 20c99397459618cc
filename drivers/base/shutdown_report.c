// SPDX-License-Identifier: GPL-2.0
/*
 * What a device shutdown tells about itself: the watchdog that names
 * devices whose shutdown takes too long, the critical path of a run, and
 * the summary line.
 */

#include <linux/device.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/sizes.h>
#include <linux/timer.h>

#include "shutdown.h"
#include "shutdown_engine.h"

/*
 * A firing of the watchdog runs in softirq, with nothing preemptible: it
 * looks at this many lanes at most, and names this many devices at most
 * (each with a stack trace), then fires again a jiffy later for the rest.
 * Hundreds of chains can hang at once behind one wedged controller.
 */
#define SHUTDOWN_WATCH_LANES	64
#define SHUTDOWN_WATCH_REPORTS	4

/*
 * A stalled run reads this many dependencies at most to find what holds
 * it up: that too runs in softirq.
 */
#define SHUTDOWN_STALL_LOOKS	256U

/* Tell the caller's hook, if any, what the watchdog has just reported. */
static void shutdown_watch_reported(struct shutdown_watchdog *wd,
				    struct device *dev)
{
	if (wd->opts->reported)
		wd->opts->reported(dev, wd->opts->reported_data);
}

/*
 * Report the device of @lane if it is overdue and not reported yet, or
 * pull wd->next in to when it will be.  The caller is in an RCU read-side
 * critical section: a task seen in a slot that is still odd afterwards
 * had not left its device, let alone exited, when the section began.
 * Return: whether the lane is shutting a device down.
 */
static bool shutdown_watch_lane(struct shutdown_watchdog *wd,
				struct shutdown_lane *lane, unsigned long now)
{
	struct task_struct *task;
	unsigned long seq, due;
	struct device *dev;
	unsigned int chain;

	/* An odd count, then the fields it published. */
	seq = smp_load_acquire(&lane->seq);
	wd->scan_seqs += seq;
	if (!(seq & 1))
		return false;
	if (seq == lane->reported)
		return true;
	dev = READ_ONCE(lane->dev);
	task = READ_ONCE(lane->task);
	due = READ_ONCE(lane->since) + wd->timeout;
	chain = READ_ONCE(lane->chain);
	/* Fields of a later device imply a later count: shutdown_lane_leave(). */
	smp_rmb();
	if (READ_ONCE(lane->seq) != seq)
		return true;

	if (time_before(now, due)) {
		if (time_before(due, wd->next))
			wd->next = due;
		return true;
	}
	lane->reported = seq;
	wd->hung++;
	wd->reports++;
	pr_warn("device_shutdown: %s %s: still shutting down after %u ms, chain %u, task %s/%d:\n",
		dev_driver_string(dev), dev_name(dev), wd->timeout_ms, chain,
		task->comm, task_pid_nr(task));
	sched_show_task(task);
	shutdown_watch_reported(wd, dev);
	return true;
}

/*
 * The first dependency in the plan of @n that is not done yet; @n itself
 * if there is none; %NULL if @looks ran out before that was known.
 */
static struct shutdown_node *shutdown_stall_dep(struct shutdown_run *run,
						struct shutdown_node *n,
						unsigned int *looks)
{
	struct shutdown_node *dep;
	struct shutdown_edge *e;
	unsigned int i;

	for (i = 0; i < n->nr_deps; i++) {
		if (!*looks)
			return NULL;
		(*looks)--;
		e = shutdown_dep_edge(run, n, i);
		dep = &run->nodes[e->dep];
		if (!e->broken && !shutdown_node_done(dep))
			return dep;
	}
	return n;
}

/*
 * What holds a stalled run up: from @n, which is not done, down what it
 * waits for in the plan to a node that waits for nothing there.  That one
 * is queued in a chain whose worker does not run, or held back by a late
 * device or a dependency made during the run, or started and waiting for
 * the calling thread to shut late devices down first.  The timer reads a
 * bounded number of dependencies, whatever the size of the set: %NULL if
 * that was not enough.  Unbroken edges make no cycle.
 */
static struct shutdown_node *shutdown_stall_culprit(struct shutdown_run *run,
						    struct shutdown_node *n)
{
	unsigned int looks = SHUTDOWN_STALL_LOOKS;
	struct shutdown_node *dep;

	while ((dep = shutdown_stall_dep(run, n, &looks)) && dep != n)
		n = dep;
	return dep;
}

/*
 * A node not done yet, to follow down when the calling thread waits for
 * the end of the run.  Those last in the set are those the legacy walk
 * shuts down last, the roots of the tree among them, so the first looks
 * usually find one; a set with many devices without a parent may have
 * them all done, and then this gives up: %NULL.
 */
static struct shutdown_node *shutdown_stall_last(struct shutdown_run *run)
{
	unsigned int i, looks = min(run->nr, SHUTDOWN_STALL_LOOKS);

	for (i = run->nr; looks--; ) {
		if (!shutdown_node_done(&run->nodes[--i]))
			return &run->nodes[i];
	}
	return NULL;
}

/* Say why @c, which holds up a stalled run, has not been shut down. */
static void shutdown_report_culprit(struct shutdown_run *run,
				    struct shutdown_node *c)
{
	struct shutdown_chain *chain = READ_ONCE(c->chain);
	bool ran = READ_ONCE(c->ran);
	const char *why;

	if (!ran && chain) {
		pr_warn("device_shutdown: the run is held up by %s %s, queued in chain %u, which has not started it\n",
			dev_driver_string(c->dev), dev_name(c->dev),
			(unsigned int)(chain - run->chains) + 1);
		return;
	}
	if (ran)
		why = "started, and waits for late devices or is not counted done yet";
	else if (atomic_read(&c->pending))
		why = "held back by a late device, or by a dependency made during the run";
	else
		why = "ready, not started";
	pr_warn("device_shutdown: the run is held up by %s %s: %s\n",
		dev_driver_string(c->dev), dev_name(c->dev), why);
}

/*
 * Name what a stalled run waits for: the sync device the calling thread
 * waits for, or the end of the run, and what it has left; then the
 * device, down what that waits for, that holds it up.  The nodes and
 * their devices live until the watchdog has stopped.
 * Return: that device, or %NULL if it was not found.
 */
static struct device *shutdown_report_stall(struct shutdown_watchdog *wd)
{
	struct shutdown_run *run = wd->run;
	struct shutdown_node *n = READ_ONCE(run->awaited), *culprit;

	wd->stalls++;
	if (n && atomic_read(&n->pending)) {
		pr_warn("device_shutdown: no device finished for %u ms and none is being shut down: %d devices left, %d chains started; waiting for %s %s, which waits for %d more\n",
			wd->timeout_ms, wd->left, atomic_read(&run->nr_chains),
			dev_driver_string(n->dev), dev_name(n->dev),
			atomic_read(&n->pending));
	} else {
		pr_warn("device_shutdown: no device finished for %u ms and none is being shut down: %d devices left, %d chains started; waiting for the chains\n",
			wd->timeout_ms, wd->left, atomic_read(&run->nr_chains));
		n = shutdown_stall_last(run);
	}
	culprit = n ? shutdown_stall_culprit(run, n) : NULL;
	if (!culprit) {
		pr_warn("device_shutdown: what holds the run up was not found within %u looks\n",
			SHUTDOWN_STALL_LOOKS);
		return NULL;
	}
	shutdown_report_culprit(run, culprit);
	return culprit->dev;
}

/*
 * A run that moves starts and finishes devices; one that waits for a
 * device being shut down is the lanes' business.  A scan sees each lane
 * at one instant: a device busy at one scan may have left its lane, and
 * not be counted done yet, at the next, its task preempted in between.
 * So the run has moved since the last scan if the count of devices left
 * or the sum of the lanes' counts, which only grow, has changed; and it
 * has stalled once two scans a timeout apart found no lane busy and
 * nothing moved in between.  Report that once, or pull the next firing
 * in to when it could be due.
 */
static void shutdown_watch_progress(struct shutdown_watchdog *wd,
				    unsigned long now)
{
	int left = atomic_read(&wd->run->left);
	struct device *dev;
	unsigned long due;

	if (left != wd->left || wd->scan_seqs != wd->seqs || wd->busy) {
		wd->left = left;
		wd->seqs = wd->scan_seqs;
		wd->progress = now;
		wd->stall_reported = false;
	}
	if (!left || wd->busy || wd->stall_reported)
		return;
	due = wd->progress + wd->timeout;
	if (time_before(now, due)) {
		if (time_before(due, wd->next))
			wd->next = due;
		return;
	}
	wd->stall_reported = true;
	dev = shutdown_report_stall(wd);
	if (wd->opts->stalled)
		wd->opts->stalled(dev, wd->opts->reported_data);
}

/*
 * Look at the next lanes of the scan under way, as many as one firing
 * may.  Return: %true once the scan has looked at every lane started.
 */
static bool shutdown_watch_lanes(struct shutdown_watchdog *wd,
				 unsigned long now)
{
	unsigned int nr = atomic_read(wd->nr_started) + 1;
	unsigned int i = wd->cursor, end = min(nr, i + SHUTDOWN_WATCH_LANES);

	wd->reports = 0;
	rcu_read_lock();
	for (; i < end && wd->reports < SHUTDOWN_WATCH_REPORTS; i++)
		wd->busy |= shutdown_watch_lane(wd, &wd->lanes[i], now);
	rcu_read_unlock();
	wd->lanes_seen += i - wd->cursor;
	wd->most_lanes = max(wd->most_lanes, i - wd->cursor);
	wd->most_reports = max(wd->most_reports, wd->reports);
	wd->cursor = i < nr ? i : 0;
	return !wd->cursor;
}

static void shutdown_watchdog_fire(struct timer_list *t)
{
	struct shutdown_watchdog *wd = from_timer(wd, t, timer);
	unsigned long now = jiffies;

	if (!wd->cursor) {
		/* A device that starts from now on is due then at the earliest. */
		wd->next = now + wd->timeout;
		wd->busy = false;
		wd->scan_seqs = 0;
		wd->scans++;
	}
	if (!shutdown_watch_lanes(wd, now)) {
		mod_timer(&wd->timer, now + 1);
		return;
	}
	shutdown_watch_progress(wd, now);
	/*
	 * Devices in many lanes can be due a jiffy apart: look again no
	 * sooner than a granule from now.  A report may come that much late.
	 */
	if (time_before(wd->next, now + wd->granularity))
		wd->next = now + wd->granularity;
	mod_timer(&wd->timer, wd->next);
}

/**
 * shutdown_watchdog_start - watch the lanes and the progress of a shutdown
 * @wd: the watchdog, on the caller's stack, like its timer
 * @run: the run, whose lanes are the calling thread's, then one per chain
 *	started so far: only those are looked at
 * @opts: the run's options: how long a device may take before it is
 *	named, and the run may go without finishing one (0: never), and
 *	whom to tell of a report; they live until the watchdog has stopped
 */
void shutdown_watchdog_start(struct shutdown_watchdog *wd,
			     struct shutdown_run *run,
			     const struct device_shutdown_opts *opts)
{
	unsigned int timeout_ms = opts->timeout_ms;

	*wd = (struct shutdown_watchdog) {
		.run		= run,
		.lanes		= run->lanes,
		.nr_started	= &run->nr_chains,
		.opts		= opts,
		.timeout_ms	= timeout_ms,
		/* What shutdown_start() sets it to; the lanes start zeroed. */
		.left		= run->nr,
		.progress	= jiffies,
	};
	if (!timeout_ms)
		return;
	wd->timeout = msecs_to_jiffies(timeout_ms);
	run->overdue = wd->timeout;
	wd->granularity = max(wd->timeout / 8, 1UL);
	timer_setup_on_stack(&wd->timer, shutdown_watchdog_fire, 0);
	mod_timer(&wd->timer, jiffies + wd->timeout);
}

/* Stop watching, and say what the watchdog did. */
void shutdown_watchdog_stop(struct shutdown_watchdog *wd,
			    struct device_shutdown_stats *stats)
{
	if (wd->timeout_ms) {
		timer_shutdown_sync(&wd->timer);
		destroy_timer_on_stack(&wd->timer);
	}
	stats->hung = wd->hung;
	stats->stalls = wd->stalls;
	stats->watchdog_scans = wd->scans;
	stats->watchdog_lanes = wd->lanes_seen;
	stats->watchdog_most_lanes = wd->most_lanes;
	stats->watchdog_most_reports = wd->most_reports;
}

/* The longest dependency path, weighing each node by its measured time. */
static u64 shutdown_critical_path(struct shutdown_run *run)
{
	struct shutdown_node *n, *dep;
	struct shutdown_edge *e;
	unsigned int i, j;
	u64 longest = 0;

	for (i = 0; i < run->nr; i++) {
		n = run->order[i];
		n->path_ns = 0;
		for (j = 0; j < n->nr_deps; j++) {
			e = shutdown_dep_edge(run, n, j);
			dep = &run->nodes[e->dep];
			if (!e->broken)
				n->path_ns = max(n->path_ns, dep->path_ns);
		}
		n->path_ns += n->end_ns - n->start_ns;
		longest = max(longest, n->path_ns);
	}
	return longest;
}

void shutdown_account(struct shutdown_run *run,
		      struct device_shutdown_stats *stats)
{
	stats->devices = run->nr;
	stats->async = run->nr_async;
	stats->chains = atomic_read(&run->nr_chains);
	stats->peak = atomic_read(&run->peak);
	stats->edges = run->nr_edges + run->nr_added;
	stats->cycles = run->cycles;
	stats->skipped = atomic_read(&run->skipped);
	stats->late = run->late;
	stats->sleeps = run->sleeps;
	stats->late_looks = run->late_looks;
	stats->late_waits = atomic_read(&run->late_waits);
	stats->plan_bytes = run->plan_bytes;
	stats->critical_ns = shutdown_critical_path(run);
}

/* "12.345" for 12345678 ns */
static void shutdown_ms(u64 ns, u64 *ms, u32 *us)
{
	*ms = div_u64_rem(div_u64(ns, NSEC_PER_USEC), USEC_PER_MSEC, us);
}

void shutdown_report(const struct device_shutdown_stats *st)
{
	char tail[128];
	int len = 0;
	u64 ms, cms, pms;
	u32 us, cus, pus;

	tail[0] = '\0';
	if (st->cycles)
		len += scnprintf(tail + len, sizeof(tail) - len,
				 ", %u cycles broken", st->cycles);
	if (st->skipped)
		len += scnprintf(tail + len, sizeof(tail) - len,
				 ", %u removed", st->skipped);
	if (st->late)
		len += scnprintf(tail + len, sizeof(tail) - len,
				 ", %u late", st->late);
	if (st->hung)
		len += scnprintf(tail + len, sizeof(tail) - len,
				 ", %u reported by the watchdog", st->hung);
	if (st->stalls)
		len += scnprintf(tail + len, sizeof(tail) - len,
				 ", %u stalls", st->stalls);

	shutdown_ms(st->elapsed_ns, &ms, &us);
	if (st->legacy) {
		pr_info("device_shutdown: %u devices, 0 async, 0 chains, peak %u parallel, %llu.%03u ms elapsed, legacy order (%s)%s\n",
			st->devices, st->peak, ms, us,
			st->no_memory ? "no memory" : "async shutdown off",
			tail);
		return;
	}
	shutdown_ms(st->critical_ns, &cms, &cus);
	shutdown_ms(st->prepare_ns + st->finish_ns, &pms, &pus);
	pr_info("device_shutdown: %u devices, %u async, %u chains, peak %u parallel, %llu.%03u ms elapsed, %llu.%03u ms critical path%s; plan %llu.%03u ms, %zu KiB\n",
		st->devices, st->async, st->chains, st->peak, ms, us, cms, cus,
		tail, pms, pus, DIV_ROUND_UP(st->plan_bytes, SZ_1K));
}
