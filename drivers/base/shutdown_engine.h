/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The private types of the device shutdown engine, shared by its three
 * files: shutdown_plan.c builds the plan (the dependency graph of the set
 * and what the execution needs to know about it), shutdown.c executes it,
 * and shutdown_report.c watches and sums up the execution.
 */
#ifndef _DRIVERS_BASE_SHUTDOWN_ENGINE_H
#define _DRIVERS_BASE_SHUTDOWN_ENGINE_H

#include <linux/async.h>
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/wait.h>

struct device;
struct device_link;
struct device_shutdown_opts;
struct device_shutdown_stats;
struct kset;

/*
 * The watchdog names any device whose shutdown takes too long, and a run
 * that stalls: no device starts or finishes for as long while none is
 * being shut down, because a chain is held back (its worker not running)
 * or the calling thread waits for what will not come.  It only reports:
 * killing a task in the middle of a shutdown callback is not possible,
 * and everything that does not depend on the device can go on meanwhile.
 *
 * A timer armed and deleted for each device would cost more than the
 * shutdown of most devices, which have no callback or a trivial one.
 * Instead, each lane -- the calling thread, or one async chain -- shuts
 * down one device at a time and publishes it in its slot with a few plain
 * stores, and one timer per shutdown looks at the slots of the lanes that
 * started, at most eight times per timeout.  Its callback runs in softirq,
 * so a scan of many lanes is spread over firings a jiffy apart, each
 * looking at a bounded number of lanes and naming a bounded number of
 * devices: hundreds of chains may hang at once behind one controller.
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
	struct shutdown_run	*run;
	struct shutdown_lane	*lanes;
	atomic_t		*nr_started;	/* lanes in use, less one */
	const struct device_shutdown_opts *opts;
	unsigned int		timeout_ms;	/* 0: off */
	unsigned long		timeout;	/* the same in jiffies */
	unsigned long		granularity;	/* in jiffies */
	/* timer only, then stop */
	unsigned int		hung;
	unsigned int		scans;
	unsigned int		lanes_seen;
	unsigned int		most_lanes;	/* in one firing */
	unsigned int		most_reports;	/* in one firing */
	unsigned int		cursor;		/* next lane of the scan */
	unsigned int		reports;	/* in this firing */
	bool			busy;		/* a lane of the scan is */
	unsigned long		scan_seqs;	/* its lanes' @seq summed */
	unsigned long		next;		/* earliest due of the scan */
	int			left;		/* at the last progress */
	unsigned long		seqs;		/* scan_seqs of that */
	unsigned long		progress;	/* jiffies of that */
	bool			stall_reported;	/* since that */
	unsigned int		stalls;
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

/*
 * A dependency that a topology change made during the run: @waiter waits
 * for @dep, on whose ->added list it is.  One that came too late, or
 * would close a cycle, is kept without @held, so as to be said once.
 */
struct shutdown_added_edge {
	struct shutdown_added_edge	*next;		/* on @dep's ->added */
	struct shutdown_added_edge	*all;		/* on the run's */
	struct shutdown_node		*waiter;
	struct shutdown_node		*dep;
	bool				held;		/* @waiter waits */
	bool				allocated;	/* not of the pool */
};

/* ->added of a node that has released its waiters: nothing more joins. */
#define SHUTDOWN_RELEASED	((struct shutdown_added_edge *)1UL)

struct shutdown_chain {
	struct async_domain	domain;	/* serial */
	unsigned int		id;	/* 1 up; 0 is the calling thread */
	char			name[24];
};

struct shutdown_run;
struct shutdown_deferred;

/* A device of the set in the index, and its node; @dev %NULL when empty. */
struct shutdown_slot {
	struct device	*dev;
	unsigned int	node;
};

/**
 * struct shutdown_node - a device of the set, as the engine sees it
 * @dev: the device; the set holds a reference on it
 * @run: the shutdown it belongs to
 * @kind: how it is shut down
 * @mark: an &enum shutdown_mark, while sorting
 * @moved_last: a sync node the late pass found back at the end of the
 *	kset list, as device_link_add() and device_move() leave them, to
 *	run next; on the list of shutdown_take_late() through @next
 * @waiters: its first edge in &shutdown_run.edges: those that wait for it
 * @nr_waiters: number of those edges
 * @deps: its first slot in &shutdown_run.dep_edges: what it waits for
 * @nr_deps: number of those slots
 * @nr_kept: dependencies that are not broken edges
 * @async_above: most async devices on a path of nodes that wait for it,
 *	directly or not: the async work its shutdown holds up
 * @walk: the next dependency to visit, while sorting; after the plan, 0
 *	or @nr_deps, then the stamp of the last search of the calling thread
 *	that visited it
 * @pending: dependencies not finished yet; the plan starts it at @nr_kept
 * @added: waiters added during the run, or %SHUTDOWN_RELEASED
 * @ran: its shutdown has started
 * @chain: the chain it runs in; %NULL for the calling thread
 * @next: link on the lists of shutdown_complete(), which never hold a
 *	sync node; for a sync node, link on the list of shutdown_take_late()
 * @start_ns: when its shutdown started
 * @end_ns: when its shutdown ended
 * @path_ns: longest dependency path ending with it
 *
 * The fields up to @nr_kept are the plan; the execution only reads them.
 * Only the calling thread uses @walk once the plan is made.
 */
struct shutdown_node {
	struct device		*dev;
	struct shutdown_run	*run;
	u8			kind;
	u8			mark;
	bool			moved_last;
	unsigned int		waiters;
	unsigned int		nr_waiters;
	unsigned int		deps;
	unsigned int		nr_deps;
	unsigned int		nr_kept;
	unsigned int		async_above;
	unsigned int		walk;
	/* execution */
	atomic_t		pending;
	struct shutdown_added_edge *added;
	bool			ran;
	struct shutdown_chain	*chain;
	struct shutdown_node	*next;
	u64			start_ns;
	u64			end_ns;
	u64			path_ns;
};

/**
 * struct shutdown_run - one run of the engine over a set of devices
 * @nodes: one per device, in the order of the set
 * @nr: number of devices
 * @edges: the dependencies, grouped by &shutdown_edge.dep
 * @nr_edges: number of dependencies
 * @dep_edges: indexes into @edges, grouped by &shutdown_edge.waiter
 * @order: the nodes in topological order
 * @stack: scratch stack of the depth-first sort
 * @slots: the set hashed by device address
 * @slot_bits: log2 of the number of @slots
 * @nr_async: number of async devices
 * @cycles: dependency cycles broken
 * @plan_bytes: memory the plan and its execution take
 * @task: the calling thread
 * @kset: where devices added during the run show up; %NULL for a set
 *	given by the caller
 * @wq: where the calling thread waits, and only it
 * @awaited: the sync node the calling thread waits for; %NULL for the end
 * @left: nodes not shut down yet
 * @chains: one per async device at most
 * @nr_chains: chains started
 * @res: one async entry per async device
 * @reserved: @res holds entries
 * @lanes: watchdog slots: the calling thread's, then one per chain
 * @overdue: how long a device may take before the watchdog names it, in
 *	jiffies; 0 if it never does
 * @late_active: the calling thread is shutting down late devices
 * @late_asked: a chain waits for the calling thread to make a late pass
 * @late_wq: where chains wait for late devices
 * @taken: the list the devices of @kset were taken to
 * @deferred: late devices that a device of the set waits for, left for
 *	a later pass
 * @topology_gen: device_shutdown_topology_gen when the calling thread last
 *	looked at the topology
 * @added: the edges added during the run
 * @nr_added: number of those that hold their waiter
 * @pool: edges reserved for dependencies made during the run
 * @nr_pool: number of those
 * @nr_pool_used: number of those used
 * @edge_no_memory: an edge found no memory, which was said (once a run)
 * @search: the calling thread's searches of the graph so far
 * @in_late: the calling thread is in shutdown_run_late()
 * @reordered: a change moved sync nodes in @order since the calling
 *	thread last looked
 * @late: late devices shut down
 * @running: devices being shut down right now
 * @peak: most devices shut down at the same time
 * @skipped: devices removed before their turn
 * @sleeps: times the calling thread slept for a sync node to become ready
 * @late_looks: deferred late devices looked at by the late passes, to find
 *	what waits for a late device
 * @late_walks: walks of shutdown_walk_awaited() so far
 * @late_waits: times a chain slept until late devices were shut down
 */
struct shutdown_run {
	/* plan */
	struct shutdown_node	*nodes;
	unsigned int		nr;
	struct shutdown_edge	*edges;
	unsigned int		nr_edges;
	unsigned int		*dep_edges;
	struct shutdown_node	**order;
	struct shutdown_node	**stack;
	struct shutdown_slot	*slots;
	unsigned int		slot_bits;
	unsigned int		nr_async;
	unsigned int		cycles;
	size_t			plan_bytes;
	/* execution */
	struct task_struct	*task;
	struct kset		*kset;
	wait_queue_head_t	wq;
	struct shutdown_node	*awaited;
	atomic_t		left;
	struct shutdown_chain	*chains;
	atomic_t		nr_chains;
	struct async_reservation res;
	bool			reserved;
	struct shutdown_lane	*lanes;
	unsigned long		overdue;
	bool			late_active;
	bool			late_asked;
	wait_queue_head_t	late_wq;
	struct list_head	*taken;
	struct shutdown_deferred *deferred;
	unsigned int		topology_gen;
	struct shutdown_added_edge *added;
	unsigned int		nr_added;
	struct shutdown_added_edge *pool;
	unsigned int		nr_pool;
	unsigned int		nr_pool_used;
	bool			edge_no_memory;
	unsigned int		search;
	bool			in_late;
	bool			reordered;
	unsigned int		late;
	atomic_t		running;
	atomic_t		peak;
	atomic_t		skipped;
	unsigned int		sleeps;
	unsigned long		late_looks;
	unsigned long		late_walks;
	atomic_t		late_waits;
};

/*
 * @n has released its waiters.  A late device shut down because @n is
 * done is shut down after @n, seen from anywhere.
 */
static inline bool shutdown_node_done(struct shutdown_node *n)
{
	/* Pairs with the xchg() of shutdown_release(). */
	return smp_load_acquire(&n->added) == SHUTDOWN_RELEASED;
}

static inline struct shutdown_edge *
shutdown_dep_edge(struct shutdown_run *run, struct shutdown_node *n,
		  unsigned int i)
{
	return &run->edges[run->dep_edges[n->deps + i]];
}

/* shutdown.c */
void *device_shutdown_alloc(struct shutdown_run *run, size_t n, size_t size,
			    gfp_t gfp);

/* shutdown_plan.c */
enum shutdown_kind shutdown_kind(struct device *dev);
int shutdown_plan_build(struct shutdown_run *run, struct device **devs,
			unsigned int nr);
bool shutdown_link_orders(struct device_link *link, struct device *consumer);
struct shutdown_node *shutdown_link_waiter(struct shutdown_run *run,
					   struct device_link *link,
					   struct device *consumer);
void shutdown_plan_free(struct shutdown_run *run);
struct shutdown_node *shutdown_plan_find(struct shutdown_run *run,
					 struct device *dev);

/* shutdown_report.c */
void shutdown_watchdog_start(struct shutdown_watchdog *wd,
			     struct shutdown_run *run,
			     const struct device_shutdown_opts *opts);
void shutdown_watchdog_stop(struct shutdown_watchdog *wd,
			    struct device_shutdown_stats *stats);
void shutdown_account(struct shutdown_run *run,
		      struct device_shutdown_stats *stats);
void shutdown_report(const struct device_shutdown_stats *st);

#endif /* _DRIVERS_BASE_SHUTDOWN_ENGINE_H */
