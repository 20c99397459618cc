/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The private types of the device shutdown engine, shared by its three
 * files: shutdown_plan.c builds the plan (the dependency graph of the set
 * and the orders taken from it), shutdown.c executes it, and
 * shutdown_report.c watches and sums up the execution.
 */
#ifndef _DRIVERS_BASE_SHUTDOWN_ENGINE_H
#define _DRIVERS_BASE_SHUTDOWN_ENGINE_H

#include <linux/async.h>
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/timer.h>
#include <linux/types.h>

struct device;
struct device_shutdown_stats;

/*
 * The watchdog names any device whose shutdown takes too long.  It only
 * reports: killing a task in the middle of a shutdown callback is not
 * possible, and everything that does not depend on the device can go on
 * meanwhile.
 *
 * A timer armed and deleted for each device would cost more than the
 * shutdown of most devices, which have no callback or a trivial one.
 * Instead, each lane -- the calling thread, or one async chain -- shuts
 * down one device at a time and publishes it in its slot with a few plain
 * stores, and one timer per shutdown looks at the slots when the oldest
 * device in them can first be overdue.
 *
 * A slot is published like a seqcount: @seq is odd while its device is
 * being shut down, and the other fields only change while it is even.
 * The timer never waits for a lane: a slot that changes while it looks
 * holds a device that started after the look began, so not an overdue one.
 */
struct shutdown_lane {
	unsigned long		seq;
	struct device		*dev;
	struct task_struct	*task;
	unsigned long		since;		/* jiffies */
	unsigned int		chain;
	unsigned long		reported;	/* @seq reported; timer only */
};

struct shutdown_watchdog {
	struct timer_list	timer;
	struct shutdown_lane	*lanes;
	unsigned int		nr_lanes;
	unsigned int		timeout_ms;	/* 0: off */
	unsigned long		timeout;	/* the same in jiffies */
	unsigned int		hung;		/* timer only, then stop */
};

/* Only the lane itself writes its slot, one device after another. */
static inline void shutdown_lane_enter(struct shutdown_lane *lane,
				       struct device *dev, unsigned int chain)
{
	lane->dev = dev;
	lane->task = current;
	lane->since = jiffies;
	lane->chain = chain;
	/* The fields before the odd count; pairs with shutdown_watch_lane(). */
	smp_store_release(&lane->seq, lane->seq + 1);
}

static inline void shutdown_lane_leave(struct shutdown_lane *lane)
{
	WRITE_ONCE(lane->seq, lane->seq + 1);
	/* Pairs with the smp_rmb() in shutdown_watch_lane(). */
	smp_wmb();
}

/* How a device is shut down; decided once, before shutdown starts. */
enum shutdown_kind {
	SHUTDOWN_NONE,		/* no callback: wherever it becomes ready */
	SHUTDOWN_SYNC,		/* a callback, no opt-in: the calling thread */
	SHUTDOWN_ASYNC,		/* a callback and the opt-in: an async chain */
};

/* Where a device stands while the engine runs; it only moves forward. */
enum shutdown_state {
	SHUTDOWN_PENDING,	/* waiting for dependencies, or running */
	SHUTDOWN_QUEUED,	/* ->chain and ->cookie name its async entry */
	SHUTDOWN_DONE,		/* shut down, and what it released dispatched */
};

/* Marks of the depth-first walk that sorts the graph. */
enum shutdown_mark {
	SHUTDOWN_UNSEEN,
	SHUTDOWN_OPEN,		/* on the walk's stack */
	SHUTDOWN_SORTED,
};

/*
 * @waiter waits for @dep: @dep is a child or a consumer of @waiter, and is
 * shut down first.  Both are indexes into &shutdown_run.nodes.
 */
struct shutdown_edge {
	unsigned int	dep;
	unsigned int	waiter;
	bool		broken;		/* dropped to break a cycle */
};

struct shutdown_chain {
	struct async_domain	domain;	/* serial */
	unsigned int		id;	/* 1 up; 0 is the calling thread */
	char			name[32];
};

struct shutdown_run;

/**
 * struct shutdown_node - a device of the set, as the engine sees it
 * @dev: the device
 * @run: the shutdown it belongs to
 * @chain: the chain it runs in; %NULL for the calling thread
 * @next: link on the lists of shutdown_complete()
 * @cookie: its entry in @chain's domain, once queued
 * @start_ns: when its shutdown started
 * @end_ns: when its shutdown ended
 * @path_ns: longest dependency path ending with it
 * @pending: dependencies not finished yet
 * @state: an &enum shutdown_state
 * @kind: how it is shut down
 * @waiters: its first edge in &shutdown_run.edges: those that wait for it
 * @nr_waiters: number of those edges
 * @deps: its first slot in &shutdown_run.dep_edges: what it waits for
 * @nr_deps: number of those slots
 * @nr_kept: dependencies that are not broken edges
 * @async_below: most async devices on a dependency path below it, among
 *	what it waits for, directly or not
 * @feeds_async: an async device depends on it
 * @mark: an &enum shutdown_mark, while sorting
 * @walk: the next dependency to visit, while sorting
 */
struct shutdown_node {
	struct device		*dev;
	struct shutdown_run	*run;
	struct shutdown_chain	*chain;
	struct shutdown_node	*next;
	async_cookie_t		cookie;
	u64			start_ns;
	u64			end_ns;
	u64			path_ns;
	atomic_t		pending;
	atomic_t		state;
	enum shutdown_kind	kind;
	unsigned int		waiters;
	unsigned int		nr_waiters;
	unsigned int		deps;
	unsigned int		nr_deps;
	unsigned int		nr_kept;
	unsigned int		async_below;
	bool			feeds_async;
	u8			mark;
	unsigned int		walk;
};

/**
 * struct shutdown_run - one run of the engine over a set of devices
 * @nodes: one per device, in the order of the set
 * @nr: number of devices
 * @edges: the dependencies, grouped by &shutdown_edge.dep
 * @nr_edges: number of dependencies
 * @dep_edges: indexes into @edges, grouped by &shutdown_edge.waiter
 * @order: the nodes in topological order
 * @sync_order: the sync nodes in the order the sync loop runs them
 * @nr_sync: number of sync nodes
 * @stack: scratch stack for the depth-first walks
 * @chains: one per async device at most
 * @nr_async: number of async devices
 * @nr_chains: chains started
 * @res: one async entry per async device
 * @reserved: @res holds entries
 * @lanes: watchdog slots: the calling thread's, then one per chain
 * @cycles: dependency cycles broken
 * @running: devices being shut down right now
 * @peak: most devices shut down at the same time
 * @skipped: devices removed before their turn
 */
struct shutdown_run {
	struct shutdown_node	*nodes;
	unsigned int		nr;
	struct shutdown_edge	*edges;
	unsigned int		nr_edges;
	unsigned int		*dep_edges;
	struct shutdown_node	**order;
	struct shutdown_node	**sync_order;
	unsigned int		nr_sync;
	struct shutdown_node	**stack;
	struct shutdown_chain	*chains;
	unsigned int		nr_async;
	atomic_t		nr_chains;
	struct async_reservation res;
	bool			reserved;
	struct shutdown_lane	*lanes;
	unsigned int		cycles;
	atomic_t		running;
	atomic_t		peak;
	atomic_t		skipped;
};

static inline struct shutdown_edge *
shutdown_dep_edge(struct shutdown_run *run, struct shutdown_node *n,
		  unsigned int i)
{
	return &run->edges[run->dep_edges[n->deps + i]];
}

/* shutdown_plan.c */
int shutdown_plan_build(struct shutdown_run *run, struct device **devs,
			unsigned int nr);
void shutdown_plan_free(struct shutdown_run *run);

/* shutdown_report.c */
void shutdown_watchdog_start(struct shutdown_watchdog *wd,
			     struct shutdown_lane *lanes,
			     unsigned int nr_lanes,
			     unsigned int timeout_ms);
unsigned int shutdown_watchdog_stop(struct shutdown_watchdog *wd);
void shutdown_account(struct shutdown_run *run,
		      struct device_shutdown_stats *stats);
void shutdown_report(const struct device_shutdown_stats *st);

#endif /* _DRIVERS_BASE_SHUTDOWN_ENGINE_H */
