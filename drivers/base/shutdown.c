// SPDX-License-Identifier: GPL-2.0
/*
 * Shutting devices down at reboot and power-off
 *
 * Theory of operation
 *
 * The legacy walk shuts devices down one at a time, last registered first.
 * Machines with many slow devices (NVMe, SCSI) spend minutes there, so
 * devices that opt in with device_enable_async_shutdown() are shut down in
 * parallel instead, without ever breaking the order that matters: a device
 * shuts down after all its children and after every consumer of its
 * device links, and before its parent and its suppliers.
 *
 * That order is not inferred from the position of devices in the list:
 * a parent or supplier registered after its child or consumer is common.
 * Before anything is shut down, the engine builds the dependency graph of
 * the whole set explicitly.  Each device is a node that counts the
 * dependencies it still waits for and knows the nodes waiting for it.
 * Sync-state-only links, consumers that are not registered and devices
 * outside the set add nothing.  A depth-first walk gives a topological
 * order; a dependency cycle, which the driver core does not let links
 * create but device_move() can, is reported and broken there, so that it
 * costs a warning rather than a hung reboot.
 *
 * A device becomes ready when the last of its dependencies finishes, and
 * the context that finished it dispatches it at once:
 *
 * - An async device (it opted in and has a shutdown callback) runs in an
 *   async chain, a serial async domain.  The first async device released
 *   by a device of a chain continues that chain: it is queued behind the
 *   running entry, so the same worker runs it next, with no wakeup and no
 *   new thread.  Any further one starts a new chain, and chains run in
 *   parallel.  Nothing in a chain ever waits for another device: it only
 *   runs once everything it depends on is done.
 *
 * - A device without any shutdown callback costs nothing but its lock, so
 *   it is shut down right where it became ready, in a chain or in the
 *   calling thread.  Queueing it would only delay what waits for it.
 *
 * - A sync device (a callback, but no opt-in) is left to the calling
 *   thread, which runs all of them one at a time: they never overlap, as
 *   in the legacy walk.  The sync loop first runs those that some async
 *   chain depends on, so that chains are not held up by unrelated sync
 *   devices, then the rest.  Before each, it waits for the async devices
 *   it depends on with a targeted cookie wait on their chain domains,
 *   which wakes it once, when exactly that device is done.
 *
 * Shutdown must not fail half-way, and an async call that runs inline
 * when memory is short would run devices out of order.  So every async
 * entry and chain domain is reserved before the first device is touched;
 * if that is not possible, the whole set is shut down in the legacy order,
 * and the log says so.
 *
 * Around the engine, device_shutdown() takes the devices out of
 * devices_kset, with a reference each, as the legacy walk did; a device
 * removed meanwhile is skipped under its lock, and one added meanwhile is
 * still on the list afterwards and is shut down by a last legacy pass.
 * A watchdog names any device whose shutdown takes too long, and one line
 * sums the shutdown up.
 */

#include <linux/async.h>
#include <linux/bsearch.h>
#include <linux/device.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/pm_runtime.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <kunit/visibility.h>

#define CREATE_TRACE_POINTS
#include <trace/events/device_shutdown.h>

#include "base.h"
#include "shutdown.h"

#ifdef MODULE_PARAM_PREFIX
#undef MODULE_PARAM_PREFIX
#endif
#define MODULE_PARAM_PREFIX "driver_core."

/* A value written through sysfs ends in a newline: leave it out. */
static int shutdown_param_len(const char *val)
{
	return strcspn(val, "\n");
}

static int shutdown_param_set_bool(const char *val,
				   const struct kernel_param *kp)
{
	int ret = param_set_bool(val, kp);

	if (ret)
		pr_err("%s: '%.*s' is not a boolean: use 1/0, y/n or on/off\n",
		       kp->name, shutdown_param_len(val), val);
	return ret;
}

VISIBLE_IF_KUNIT const struct kernel_param_ops device_shutdown_bool_ops = {
	.flags	= KERNEL_PARAM_OPS_FL_NOARG,
	.set	= shutdown_param_set_bool,
	.get	= param_get_bool,
};
EXPORT_SYMBOL_IF_KUNIT(device_shutdown_bool_ops);

static int shutdown_param_set_ms(const char *val,
				 const struct kernel_param *kp)
{
	int ret = param_set_uint(val, kp);

	if (ret)
		pr_err("%s: '%.*s' is not a number of milliseconds (0 turns the watchdog off)\n",
		       kp->name, shutdown_param_len(val), val);
	return ret;
}

static const struct kernel_param_ops shutdown_ms_ops = {
	.set	= shutdown_param_set_ms,
	.get	= param_get_uint,
};

/* Both are read once, when shutdown starts. */
static bool async_shutdown = true;
module_param_cb(async_shutdown, &device_shutdown_bool_ops, &async_shutdown,
		0644);
MODULE_PARM_DESC(async_shutdown,
		 "Shut devices that opted in down in parallel (default: on)");

static unsigned int shutdown_timeout_ms = 10000;
module_param_cb(shutdown_timeout_ms, &shutdown_ms_ops, &shutdown_timeout_ms,
		0644);
MODULE_PARM_DESC(shutdown_timeout_ms,
		 "Report devices whose shutdown takes longer, 0: never (default: 10000)");

/**
 * device_enable_async_shutdown - let a device be shut down in parallel
 * @dev: the device
 *
 * At reboot and power-off, the shutdown callbacks of @dev may then run in
 * an async chain, concurrently with the shutdown of devices it does not
 * depend on.  Ordering still holds: its children and the consumers of its
 * device links are shut down before it, its parent and its suppliers
 * after it.  Only opt in when the callbacks of @dev do not rely on any
 * other ordering, such as that of unrelated devices registered earlier.
 *
 * Call it before the device can be shut down, typically while adding it.
 */
void device_enable_async_shutdown(struct device *dev)
{
	dev->async_shutdown = true;
}
EXPORT_SYMBOL_GPL(device_enable_async_shutdown);

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
static void shutdown_lane_enter(struct shutdown_lane *lane,
				struct device *dev, unsigned int chain)
{
	lane->dev = dev;
	lane->task = current;
	lane->since = jiffies;
	lane->chain = chain;
	/* The fields before the odd count; pairs with shutdown_watch_lane(). */
	smp_store_release(&lane->seq, lane->seq + 1);
}

static void shutdown_lane_leave(struct shutdown_lane *lane)
{
	WRITE_ONCE(lane->seq, lane->seq + 1);
	/* Pairs with the smp_rmb() in shutdown_watch_lane(). */
	smp_wmb();
}

/*
 * Report the device of @lane if it is overdue and not reported yet, or
 * pull @next in to when it will be.  The caller is in an RCU read-side
 * critical section: a task seen in a slot that is still odd afterwards
 * had not left its device, let alone exited, when the section began.
 */
static void shutdown_watch_lane(struct shutdown_watchdog *wd,
				struct shutdown_lane *lane,
				unsigned long now, unsigned long *next)
{
	struct task_struct *task;
	unsigned long seq, due;
	struct device *dev;
	unsigned int chain;

	/* An odd count, then the fields it published. */
	seq = smp_load_acquire(&lane->seq);
	if (!(seq & 1) || seq == lane->reported)
		return;
	dev = READ_ONCE(lane->dev);
	task = READ_ONCE(lane->task);
	due = READ_ONCE(lane->since) + wd->timeout;
	chain = READ_ONCE(lane->chain);
	/* Fields of a later device imply a later count: shutdown_lane_leave(). */
	smp_rmb();
	if (READ_ONCE(lane->seq) != seq)
		return;

	if (time_before(now, due)) {
		if (time_before(due, *next))
			*next = due;
		return;
	}
	lane->reported = seq;
	wd->hung++;
	pr_warn("device_shutdown: %s %s: still shutting down after %u ms, chain %u, task %s/%d:\n",
		dev_driver_string(dev), dev_name(dev), wd->timeout_ms, chain,
		task->comm, task_pid_nr(task));
	sched_show_task(task);
}

static void shutdown_watchdog_fire(struct timer_list *t)
{
	struct shutdown_watchdog *wd = from_timer(wd, t, timer);
	unsigned long now = jiffies, next = now + wd->timeout;
	unsigned int i;

	/* A device that starts from now on is due at @next at the earliest. */
	rcu_read_lock();
	for (i = 0; i < wd->nr_lanes; i++)
		shutdown_watch_lane(wd, &wd->lanes[i], now, &next);
	rcu_read_unlock();
	mod_timer(&wd->timer, next);
}

/* @wd lives on the caller's stack, like its timer. */
static void shutdown_watchdog_start(struct shutdown_watchdog *wd,
				    struct shutdown_lane *lanes,
				    unsigned int nr_lanes,
				    unsigned int timeout_ms)
{
	wd->lanes = lanes;
	wd->nr_lanes = nr_lanes;
	wd->timeout_ms = timeout_ms;
	wd->hung = 0;
	if (!timeout_ms)
		return;
	wd->timeout = msecs_to_jiffies(timeout_ms);
	timer_setup_on_stack(&wd->timer, shutdown_watchdog_fire, 0);
	mod_timer(&wd->timer, jiffies + wd->timeout);
}

/* Return: the number of devices reported. */
static unsigned int shutdown_watchdog_stop(struct shutdown_watchdog *wd)
{
	if (wd->timeout_ms) {
		timer_shutdown_sync(&wd->timer);
		destroy_timer_on_stack(&wd->timer);
	}
	return wd->hung;
}

static void shutdown_device_callbacks(struct device *dev)
{
	/* Don't allow any more runtime suspends */
	pm_runtime_get_noresume(dev);
	pm_runtime_barrier(dev);

	if (dev->class && dev->class->shutdown_pre) {
		if (initcall_debug)
			dev_info(dev, "shutdown_pre\n");
		dev->class->shutdown_pre(dev);
	}
	if (dev->bus && dev->bus->shutdown) {
		if (initcall_debug)
			dev_info(dev, "shutdown\n");
		dev->bus->shutdown(dev);
	} else if (dev->driver && dev->driver->shutdown) {
		if (initcall_debug)
			dev_info(dev, "shutdown\n");
		dev->driver->shutdown(dev);
	}
}

/*
 * The caller holds a reference on @dev, not a registration: a device that
 * was removed meanwhile (device_del() marks it dead under its lock before
 * tearing it down) must be left alone.
 */
static bool shutdown_device_alive(struct device *dev)
{
	return device_is_registered(dev) && !dev->p->dead;
}

/*
 * Shut one device down: the only place where either the legacy walk or
 * the engine does it.  @chain names where it runs, for traces and the
 * watchdog.  Return: %false if @dev was removed before its turn.
 */
static bool shutdown_one_device(struct device *dev,
				struct shutdown_lane *lane,
				unsigned int chain)
{
	struct device *parent = NULL;
	bool alive;

	trace_device_shutdown_start(dev, chain);
	shutdown_lane_enter(lane, dev, chain);

	/*
	 * Hold the locks against a racing probe or release.  Only a device
	 * type that asks for it (USB interfaces) gets its parent locked too:
	 * locking every parent would serialize the shutdown of siblings.
	 */
	if (dev->parent && dev->type && dev->type->need_parent_lock) {
		parent = get_device(dev->parent);
		device_lock(parent);
	}
	device_lock(dev);

	alive = shutdown_device_alive(dev);
	if (alive)
		shutdown_device_callbacks(dev);

	device_unlock(dev);
	if (parent) {
		device_unlock(parent);
		put_device(parent);
	}

	shutdown_lane_leave(lane);
	trace_device_shutdown_end(dev, chain);
	return alive;
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

/* @to waits for @from: @from is a child or a consumer of @to. */
struct shutdown_edge {
	unsigned int	from;
	unsigned int	to;
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
 * @succ: its first edge in &shutdown_run.edges: the nodes waiting for it
 * @nr_succ: number of those edges
 * @pred: its first slot in &shutdown_run.preds: its dependencies
 * @nr_pred: number of those slots
 * @nr_deps: dependencies that are not broken edges
 * @level: most async devices on a dependency path below it
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
	unsigned int		succ;
	unsigned int		nr_succ;
	unsigned int		pred;
	unsigned int		nr_pred;
	unsigned int		nr_deps;
	unsigned int		level;
	bool			feeds_async;
	u8			mark;
	unsigned int		walk;
};

/**
 * struct shutdown_run - one run of the engine over a set of devices
 * @nodes: one per device, in the order of the set
 * @nr: number of devices
 * @edges: the dependencies, grouped by &shutdown_edge.from
 * @nr_edges: number of dependencies
 * @preds: indexes into @edges, grouped by &shutdown_edge.to
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
	unsigned int		*preds;
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

static struct shutdown_edge *shutdown_pred_edge(struct shutdown_run *run,
						struct shutdown_node *n,
						unsigned int i)
{
	return &run->edges[run->preds[n->pred + i]];
}

static bool shutdown_has_callback(struct device *dev)
{
	struct device_driver *drv = READ_ONCE(dev->driver);

	return (dev->class && dev->class->shutdown_pre) ||
	       (dev->bus && dev->bus->shutdown) || (drv && drv->shutdown);
}

/*
 * Probing is blocked by now and async probes are done, so whether a device
 * has a callback does not change any more.
 */
static enum shutdown_kind shutdown_kind(struct device *dev)
{
	if (!shutdown_has_callback(dev))
		return SHUTDOWN_NONE;
	return dev->async_shutdown ? SHUTDOWN_ASYNC : SHUTDOWN_SYNC;
}

/*
 * Finding the node of a device: the set hashed by address, with linear
 * probing in a table at least twice its size, so that a lookup costs a
 * probe or two and no comparison callbacks.
 */
struct shutdown_index {
	unsigned int	*slots;		/* node index + 1; 0: empty */
	unsigned int	bits;
};

static int shutdown_index_build(struct shutdown_run *run,
				struct shutdown_index *index)
{
	unsigned int i, h, mask;

	index->bits = ilog2(roundup_pow_of_two(2 * run->nr));
	mask = BIT(index->bits) - 1;
	index->slots = kvcalloc(mask + 1, sizeof(*index->slots), GFP_KERNEL);
	if (!index->slots)
		return -ENOMEM;
	for (i = 0; i < run->nr; i++) {
		h = hash_ptr(run->nodes[i].dev, index->bits);
		while (index->slots[h])
			h = (h + 1) & mask;
		index->slots[h] = i + 1;
	}
	return 0;
}

static struct shutdown_node *shutdown_find(struct shutdown_run *run,
					   const struct shutdown_index *index,
					   struct device *dev)
{
	unsigned int mask = BIT(index->bits) - 1, h, slot;

	if (!dev)
		return NULL;
	for (h = hash_ptr(dev, index->bits); (slot = index->slots[h]);
	     h = (h + 1) & mask) {
		if (run->nodes[slot - 1].dev == dev)
			return &run->nodes[slot - 1];
	}
	return NULL;
}

/* The edges while they are being found; they grow as needed. */
struct shutdown_edge_list {
	struct shutdown_edge	*edges;
	unsigned int		nr;
	unsigned int		size;
};

static int shutdown_add_edge(struct shutdown_edge_list *list,
			     struct shutdown_node *from,
			     struct shutdown_node *to)
{
	struct shutdown_edge *edges = list->edges;

	if (list->nr == list->size) {
		unsigned int size = max(2 * list->size, 64U);

		edges = kvrealloc(edges, array_size(size, sizeof(*edges)),
				  GFP_KERNEL);
		if (!edges)
			return -ENOMEM;
		list->edges = edges;
		list->size = size;
	}
	edges[list->nr++] = (struct shutdown_edge) {
		.from	= from - from->run->nodes,
		.to	= to - to->run->nodes,
	};
	return 0;
}

/*
 * The consumers @n waits for.  A sync-state-only link only defers
 * sync_state(), and a consumer that is not registered has nothing to shut
 * down; neither orders anything.  The caller holds the device links read
 * lock.
 */
static int shutdown_add_consumers(struct shutdown_run *run,
				  const struct shutdown_index *index,
				  struct shutdown_node *n,
				  struct shutdown_edge_list *list)
{
	struct device_link *link;
	struct shutdown_node *c;
	int ret;

	list_for_each_entry_rcu(link, &n->dev->links.consumers, s_node,
				device_links_read_lock_held()) {
		if (link->flags & DL_FLAG_SYNC_STATE_ONLY)
			continue;
		if (!device_is_registered(link->consumer))
			continue;
		c = shutdown_find(run, index, link->consumer);
		if (c) {
			ret = shutdown_add_edge(list, c, n);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Every dependency within the set: children and consumers. */
static int shutdown_find_edges(struct shutdown_run *run,
			       struct shutdown_edge_list *list)
{
	struct shutdown_node *n, *parent;
	struct shutdown_index index;
	unsigned int i;
	int idx, ret;

	/* Room for an edge to every parent; links grow the list if needed. */
	list->edges = kvmalloc_array(run->nr, sizeof(*list->edges), GFP_KERNEL);
	if (!list->edges)
		return -ENOMEM;
	list->size = run->nr;
	ret = shutdown_index_build(run, &index);
	if (ret)
		return ret;

	/* One read section for all: growing the list may sleep, which is fine. */
	idx = device_links_read_lock();
	for (i = 0; i < run->nr && !ret; i++) {
		n = &run->nodes[i];
		parent = shutdown_find(run, &index, n->dev->parent);
		if (parent)
			ret = shutdown_add_edge(list, n, parent);
		if (!ret)
			ret = shutdown_add_consumers(run, &index, n, list);
	}
	device_links_read_unlock(idx);
	kvfree(index.slots);
	return ret;
}

/*
 * Lay the edges out by the node they start from, and index them by the
 * node they lead to: each node then finds what waits for it and what it
 * waits for as one slice of an array.
 */
static int shutdown_lay_out_edges(struct shutdown_run *run,
				  struct shutdown_edge_list *list)
{
	unsigned int i, succ = 0, pred = 0;
	struct shutdown_edge *e;
	struct shutdown_node *n;

	run->nr_edges = list->nr;
	run->edges = kvmalloc_array(list->nr, sizeof(*run->edges), GFP_KERNEL);
	run->preds = kvmalloc_array(list->nr, sizeof(*run->preds), GFP_KERNEL);
	if (!run->edges || !run->preds)
		return -ENOMEM;

	for (i = 0; i < list->nr; i++) {
		run->nodes[list->edges[i].from].nr_succ++;
		run->nodes[list->edges[i].to].nr_pred++;
	}
	for (i = 0; i < run->nr; i++) {
		n = &run->nodes[i];
		n->succ = succ;
		n->pred = pred;
		succ += n->nr_succ;
		pred += n->nr_pred;
		n->nr_succ = 0;
		n->nr_pred = 0;
	}
	for (i = 0; i < list->nr; i++) {
		n = &run->nodes[list->edges[i].from];
		run->edges[n->succ + n->nr_succ++] = list->edges[i];
	}
	for (i = 0; i < run->nr_edges; i++) {
		e = &run->edges[i];
		n = &run->nodes[e->to];
		run->preds[n->pred + n->nr_pred++] = i;
	}
	return 0;
}

static int shutdown_build_graph(struct shutdown_run *run)
{
	struct shutdown_edge_list list = { };
	int ret;

	ret = shutdown_find_edges(run, &list);
	if (!ret)
		ret = shutdown_lay_out_edges(run, &list);
	kvfree(list.edges);
	return ret;
}

static void shutdown_report_cycle(struct shutdown_node **cycle,
				  unsigned int nr, struct shutdown_node *first)
{
	struct device *dev, *dep;
	unsigned int i;

	pr_warn("device_shutdown: dependency cycle of %u devices, broken to shut %s %s down first:\n",
		nr, dev_driver_string(first->dev), dev_name(first->dev));
	for (i = 0; i < nr; i++) {
		dev = cycle[i]->dev;
		dep = cycle[(i + 1) % nr]->dev;
		pr_warn("device_shutdown: cycle: %s %s waits for %s %s\n",
			dev_driver_string(dev), dev_name(dev),
			dev_driver_string(dep), dev_name(dep));
	}
}

/*
 * The walk met @dep open on its stack: from @dep up, each node waits for
 * the one above it and the top waits for @dep.  Drop the dependency of the
 * member that comes first in the set, so that within the cycle the legacy
 * order decides, and unwind the stack down to that member; the nodes
 * above it are visited again later.  Return: the new depth.
 */
static unsigned int shutdown_break_cycle(struct shutdown_run *run,
					 unsigned int depth,
					 struct shutdown_node *dep)
{
	struct shutdown_node **stack = run->stack;
	unsigned int first, cut, i;

	for (first = depth - 1; stack[first] != dep; first--)
		;
	cut = first;
	for (i = first + 1; i < depth; i++) {
		if (stack[i] < stack[cut])
			cut = i;
	}
	shutdown_report_cycle(stack + first, depth - first, stack[cut]);

	/* ->walk has gone past the edge that leads up the cycle. */
	shutdown_pred_edge(run, stack[cut], stack[cut]->walk - 1)->broken = true;
	run->cycles++;

	for (i = cut + 1; i < depth; i++) {
		stack[i]->mark = SHUTDOWN_UNSEEN;
		stack[i]->walk = 0;
	}
	return cut + 1;
}

/*
 * Sort the nodes so that each comes after everything it waits for.  Walk
 * depth-first along dependencies, starting from each node in set order:
 * where the set order is already valid it is kept as it is.
 */
static void shutdown_sort(struct shutdown_run *run)
{
	struct shutdown_node **stack = run->stack;
	struct shutdown_node *n, *dep;
	unsigned int i, depth, pos = 0;
	struct shutdown_edge *e;

	for (i = 0; i < run->nr; i++) {
		if (run->nodes[i].mark != SHUTDOWN_UNSEEN)
			continue;
		depth = 0;
		stack[depth++] = &run->nodes[i];
		run->nodes[i].mark = SHUTDOWN_OPEN;
		while (depth) {
			n = stack[depth - 1];
			if (n->walk == n->nr_pred) {
				n->mark = SHUTDOWN_SORTED;
				run->order[pos++] = n;
				depth--;
				continue;
			}
			e = shutdown_pred_edge(run, n, n->walk++);
			if (e->broken)
				continue;
			dep = &run->nodes[e->from];
			if (dep->mark == SHUTDOWN_UNSEEN) {
				dep->mark = SHUTDOWN_OPEN;
				stack[depth++] = dep;
			} else if (dep->mark == SHUTDOWN_OPEN) {
				depth = shutdown_break_cycle(run, depth, dep);
			}
		}
	}
}

/*
 * What the run needs to know about each node once the graph is sorted:
 * how many dependencies it waits for, how many async stages lie below it,
 * and whether some async device depends on it.
 */
static void shutdown_rank(struct shutdown_run *run)
{
	struct shutdown_node *n, *dep;
	struct shutdown_edge *e;
	unsigned int i, j;

	for (i = 0; i < run->nr; i++) {
		n = run->order[i];
		for (j = 0; j < n->nr_pred; j++) {
			e = shutdown_pred_edge(run, n, j);
			if (e->broken)
				continue;
			dep = &run->nodes[e->from];
			n->nr_deps++;
			n->level = max(n->level, dep->level +
				       (dep->kind == SHUTDOWN_ASYNC));
		}
		atomic_set(&n->pending, n->nr_deps);
	}
	for (i = run->nr; i--; ) {
		n = run->order[i];
		for (j = 0; j < n->nr_succ; j++) {
			e = &run->edges[n->succ + j];
			if (e->broken)
				continue;
			dep = &run->nodes[e->to];
			if (dep->kind == SHUTDOWN_ASYNC || dep->feeds_async)
				n->feeds_async = true;
		}
	}
}

/*
 * The sync loop runs first what async chains wait for, then the rest.
 * Within each group, those with fewer async stages below them come first:
 * they can run before the loop has to wait for any chain.  A dependency of
 * a node never has a higher level, nor feeds async devices less, so the
 * order stays topological.
 */
static unsigned int shutdown_sync_bucket(const struct shutdown_node *n,
					 unsigned int max_level)
{
	return (n->feeds_async ? 0 : max_level + 1) + n->level;
}

/* A counting sort by bucket, topological within each bucket. */
static int shutdown_order_sync(struct shutdown_run *run)
{
	unsigned int i, b, nr_buckets, max_level = 0, *next;
	struct shutdown_node *n;

	for (i = 0; i < run->nr; i++) {
		n = run->order[i];
		if (n->kind == SHUTDOWN_SYNC)
			max_level = max(max_level, n->level);
	}
	nr_buckets = 2 * (max_level + 1);
	next = kvcalloc(nr_buckets + 1, sizeof(*next), GFP_KERNEL);
	if (!next)
		return -ENOMEM;

	for (i = 0; i < run->nr; i++) {
		n = run->order[i];
		if (n->kind == SHUTDOWN_SYNC)
			next[shutdown_sync_bucket(n, max_level) + 1]++;
	}
	for (b = 0; b < nr_buckets; b++)
		next[b + 1] += next[b];
	run->nr_sync = next[nr_buckets];
	for (i = 0; i < run->nr; i++) {
		n = run->order[i];
		if (n->kind == SHUTDOWN_SYNC)
			run->sync_order[next[shutdown_sync_bucket(n, max_level)]++] = n;
	}
	kvfree(next);
	return 0;
}

static void shutdown_free(struct shutdown_run *run)
{
	if (run->reserved)
		async_unreserve(&run->res);
	kvfree(run->lanes);
	kvfree(run->chains);
	kvfree(run->preds);
	kvfree(run->edges);
	kvfree(run->nodes);
	kfree(run);
}

static int shutdown_alloc_nodes(struct shutdown_run *run,
				struct device **devs, unsigned int nr)
{
	struct shutdown_node *n;
	unsigned int i;

	/* The nodes, then three arrays of node pointers: one allocation. */
	run->nr = nr;
	run->nodes = kvmalloc_array(nr, sizeof(*run->nodes) +
				    3 * sizeof(*run->order), GFP_KERNEL);
	if (!run->nodes)
		return -ENOMEM;
	run->order = (struct shutdown_node **)(run->nodes + nr);
	run->sync_order = run->order + nr;
	run->stack = run->sync_order + nr;

	/* Node by node rather than zeroing the array first: one pass. */
	for (i = 0; i < nr; i++) {
		n = &run->nodes[i];
		*n = (struct shutdown_node) {
			.dev	= devs[i],
			.run	= run,
			.kind	= shutdown_kind(devs[i]),
		};
		if (n->kind == SHUTDOWN_ASYNC)
			run->nr_async++;
	}
	run->lanes = kvcalloc(run->nr_async + 1, sizeof(*run->lanes),
			      GFP_KERNEL);
	return run->lanes ? 0 : -ENOMEM;
}

/*
 * Everything the chains will use, taken now: an entry per async device
 * and a domain per possible chain.  Nothing can fail once shutdown runs.
 */
static int shutdown_reserve_chains(struct shutdown_run *run)
{
	struct shutdown_chain *chain;
	unsigned int i;

	if (!run->nr_async)
		return 0;
	run->chains = kvcalloc(run->nr_async, sizeof(*run->chains),
			       GFP_KERNEL);
	if (!run->chains)
		return -ENOMEM;
	for (i = 0; i < run->nr_async; i++) {
		chain = &run->chains[i];
		chain->id = i + 1;
		snprintf(chain->name, sizeof(chain->name), "shutdown-chain-%u",
			 chain->id);
		async_domain_init(&chain->domain, chain->name, 1);
	}
	if (async_reserve(&run->res, run->nr_async))
		return -ENOMEM;
	run->reserved = true;
	return 0;
}

static struct shutdown_run *shutdown_prepare(struct device **devs,
					     unsigned int nr)
{
	struct shutdown_run *run;

	run = kzalloc(sizeof(*run), GFP_KERNEL);
	if (!run)
		return NULL;
	if (shutdown_alloc_nodes(run, devs, nr) || shutdown_build_graph(run))
		goto fail;
	shutdown_sort(run);
	shutdown_rank(run);
	if (shutdown_order_sync(run) || shutdown_reserve_chains(run))
		goto fail;
	return run;

fail:
	shutdown_free(run);
	return NULL;
}

static void shutdown_node_run(struct shutdown_run *run,
			      struct shutdown_node *n)
{
	int now = atomic_inc_return(&run->running);
	int peak = atomic_read(&run->peak);
	unsigned int chain = n->chain ? n->chain->id : 0;
	bool alive;

	while (now > peak && !atomic_try_cmpxchg(&run->peak, &peak, now))
		;

	n->start_ns = ktime_get_ns();
	alive = shutdown_one_device(n->dev, &run->lanes[chain], chain);
	n->end_ns = ktime_get_ns();

	atomic_dec(&run->running);
	if (!alive)
		atomic_inc(&run->skipped);
}

static void shutdown_complete(struct shutdown_run *run,
			      struct shutdown_node *n);

static void shutdown_chain_fn(void *data, async_cookie_t cookie)
{
	struct shutdown_node *n = data;

	shutdown_node_run(n->run, n);
	shutdown_complete(n->run, n);
}

static void shutdown_queue(struct shutdown_run *run,
			   struct shutdown_chain *chain,
			   struct shutdown_node *n)
{
	async_cookie_t cookie;

	n->chain = chain;
	cookie = async_schedule_reserved(shutdown_chain_fn, n, &chain->domain,
					 &run->res);
	/*
	 * The entry may have run already on another worker.  Publish the
	 * cookie for the sync loop only if it has not: DONE is final.
	 */
	n->cookie = cookie;
	atomic_cmpxchg_release(&n->state, SHUTDOWN_PENDING, SHUTDOWN_QUEUED);
}

/*
 * Every chain starts with an async device and each async device is queued
 * once, so there are never more chains than the domains reserved.
 */
static void shutdown_start_chain(struct shutdown_run *run,
				 struct shutdown_node *n)
{
	unsigned int id = atomic_inc_return(&run->nr_chains);

	shutdown_queue(run, &run->chains[id - 1], n);
}

/* Nodes released by a finished one, sorted by what happens to them. */
struct shutdown_ready {
	struct shutdown_node	*none;
	struct shutdown_node	*async;
};

static void shutdown_release(struct shutdown_run *run,
			     struct shutdown_node *n,
			     struct shutdown_ready *ready)
{
	struct shutdown_edge *e;
	struct shutdown_node *m;
	unsigned int i;

	for (i = 0; i < n->nr_succ; i++) {
		e = &run->edges[n->succ + i];
		if (e->broken)
			continue;
		m = &run->nodes[e->to];
		if (!atomic_dec_and_test(&m->pending))
			continue;
		/* Sync nodes: the sync loop gets to them in its order. */
		if (m->kind == SHUTDOWN_NONE) {
			m->next = ready->none;
			ready->none = m;
		} else if (m->kind == SHUTDOWN_ASYNC) {
			m->next = ready->async;
			ready->async = m;
		}
	}
}

/*
 * The first async node released continues @chain, if there is one; the
 * others start chains of their own.
 */
static void shutdown_dispatch_async(struct shutdown_run *run,
				    struct shutdown_node *list,
				    struct shutdown_chain *chain)
{
	struct shutdown_node *m, *next;

	for (m = list; m; m = next) {
		/* Once queued, @m may run and reuse ->next at once. */
		next = m->next;
		if (chain) {
			shutdown_queue(run, chain, m);
			chain = NULL;
		} else {
			shutdown_start_chain(run, m);
		}
	}
}

/*
 * @n has just been shut down, in its chain or by the calling thread (no
 * chain): release what waited for it.  Nodes without callbacks that
 * become ready are shut down right here, in the same context.
 *
 * Nodes are marked done only after everything they released has been
 * dispatched: a waiter that finds all dependencies of a node done then
 * finds that node queued or done too (see shutdown_wait_deps()).
 */
static void shutdown_complete(struct shutdown_run *run,
			      struct shutdown_node *n)
{
	struct shutdown_ready ready = { };
	struct shutdown_node *done = n, *m;

	n->next = NULL;
	shutdown_release(run, n, &ready);
	while ((m = ready.none)) {
		ready.none = m->next;
		m->chain = n->chain;
		shutdown_node_run(run, m);
		shutdown_release(run, m, &ready);
		m->next = done;
		done = m;
	}
	shutdown_dispatch_async(run, ready.async, n->chain);

	while ((m = done)) {
		done = m->next;
		atomic_set_release(&m->state, SHUTDOWN_DONE);
	}
}

/* A dependency of @n that is not done yet, if any. */
static struct shutdown_node *shutdown_unfinished_dep(struct shutdown_run *run,
						     struct shutdown_node *n)
{
	struct shutdown_edge *e;
	struct shutdown_node *dep;
	unsigned int i;

	for (i = 0; i < n->nr_pred; i++) {
		e = shutdown_pred_edge(run, n, i);
		if (e->broken)
			continue;
		dep = &run->nodes[e->from];
		if (atomic_read_acquire(&dep->state) != SHUTDOWN_DONE)
			return dep;
	}
	return NULL;
}

/*
 * Wait until everything sync node @s depends on is done.  The sync nodes
 * among them ran before it.  A queued one is waited for by its cookie:
 * the wait ends when exactly that entry of its chain has finished.  One
 * that is not queued yet is still waiting for one of its own dependencies:
 * walk down to those and wait for them first, after which it is queued or
 * done, since nodes are marked done only after dispatching what they
 * released.
 */
static void shutdown_wait_deps(struct shutdown_run *run,
			       struct shutdown_node *s)
{
	struct shutdown_node **stack = run->stack;
	struct shutdown_node *n, *dep;
	unsigned int depth = 0;
	int state;

	stack[depth++] = s;
	while (depth) {
		n = stack[depth - 1];
		dep = shutdown_unfinished_dep(run, n);
		if (!dep) {
			/* Its dependencies are all done, so it is not pending. */
			state = atomic_read_acquire(&n->state);
			if (WARN_ON_ONCE(n != s && state == SHUTDOWN_PENDING))
				return;
			depth--;
			continue;
		}
		if (atomic_read_acquire(&dep->state) == SHUTDOWN_QUEUED) {
			async_synchronize_cookie_domain(dep->cookie + 1,
							&dep->chain->domain);
			state = atomic_read_acquire(&dep->state);
			if (WARN_ON_ONCE(state != SHUTDOWN_DONE))
				return;
			continue;
		}
		/* Sync dependencies ran earlier: the sync order is topological. */
		if (WARN_ON_ONCE(dep->kind == SHUTDOWN_SYNC))
			return;
		stack[depth++] = dep;
	}
}

/* Shut down the nodes without callback that wait for nothing. */
static void shutdown_run_roots(struct shutdown_run *run, bool feeds_async)
{
	struct shutdown_node *n;
	unsigned int i;

	for (i = 0; i < run->nr; i++) {
		n = &run->nodes[i];
		if (n->nr_deps || n->kind != SHUTDOWN_NONE ||
		    n->feeds_async != feeds_async)
			continue;
		shutdown_node_run(run, n);
		shutdown_complete(run, n);
	}
}

/*
 * The calling thread: start what needs nothing, those that async chains
 * wait for first, run the sync nodes one by one, and wait for the chains.
 * A chain is started by the calling thread or by an entry of an earlier
 * chain, so by the time the last loop gets to a chain, it has been fully
 * started.
 */
static void shutdown_execute(struct shutdown_run *run)
{
	struct shutdown_node *n;
	unsigned int i;

	for (i = 0; i < run->nr; i++) {
		n = &run->nodes[i];
		if (!n->nr_deps && n->kind == SHUTDOWN_ASYNC)
			shutdown_start_chain(run, n);
	}
	shutdown_run_roots(run, true);
	shutdown_run_roots(run, false);

	for (i = 0; i < run->nr_sync; i++) {
		n = run->sync_order[i];
		shutdown_wait_deps(run, n);
		shutdown_node_run(run, n);
		shutdown_complete(run, n);
	}

	for (i = 0; i < atomic_read(&run->nr_chains); i++)
		async_synchronize_full_domain(&run->chains[i].domain);
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
		for (j = 0; j < n->nr_pred; j++) {
			e = shutdown_pred_edge(run, n, j);
			dep = &run->nodes[e->from];
			if (!e->broken)
				n->path_ns = max(n->path_ns, dep->path_ns);
		}
		n->path_ns += n->end_ns - n->start_ns;
		longest = max(longest, n->path_ns);
	}
	return longest;
}

static void shutdown_account(struct shutdown_run *run,
			     struct device_shutdown_stats *stats)
{
	stats->async = run->nr_async;
	stats->chains = atomic_read(&run->nr_chains);
	stats->peak = atomic_read(&run->peak);
	stats->edges = run->nr_edges;
	stats->cycles = run->cycles;
	stats->skipped = atomic_read(&run->skipped);
	stats->critical_ns = shutdown_critical_path(run);
}

static void shutdown_legacy(struct device **devs, unsigned int nr,
			    unsigned int timeout_ms,
			    struct device_shutdown_stats *stats)
{
	struct shutdown_lane lane = { };
	struct shutdown_watchdog wd;
	unsigned int i;

	stats->legacy = true;
	stats->peak = 1;
	shutdown_watchdog_start(&wd, &lane, 1, timeout_ms);
	for (i = 0; i < nr; i++)
		stats->skipped += !shutdown_one_device(devs[i], &lane, 0);
	stats->hung += shutdown_watchdog_stop(&wd);
}

/**
 * device_shutdown_devices - shut a set of devices down
 * @devs: the devices, in the legacy order: the first is shut down first
 *	when nothing else decides
 * @nr: number of devices
 * @opts: async or legacy, and the watchdog
 * @stats: filled with what the shutdown did
 *
 * The engine behind device_shutdown(); it only touches the devices of the
 * set, so tests can run it on devices of their own.  The caller holds a
 * reference on every device; a device that is no longer registered when
 * its turn comes is skipped.  Dependencies on devices outside the set are
 * ignored.  May sleep for as long as the slowest dependency path takes.
 */
void device_shutdown_devices(struct device **devs, unsigned int nr,
			     const struct device_shutdown_opts *opts,
			     struct device_shutdown_stats *stats)
{
	struct shutdown_run *run = NULL;
	struct shutdown_watchdog wd;
	u64 start = ktime_get_ns();

	*stats = (struct device_shutdown_stats) {
		.devices = nr,
		.legacy = !opts->async,
	};
	if (!nr)
		return;
	if (opts->async) {
		run = shutdown_prepare(devs, nr);
		if (!run) {
			pr_warn("device_shutdown: no memory to run %u devices in parallel, shutting them down one at a time\n",
				nr);
			stats->no_memory = true;
		}
	}

	if (run) {
		shutdown_watchdog_start(&wd, run->lanes, run->nr_async + 1,
					opts->timeout_ms);
		shutdown_execute(run);
		stats->hung = shutdown_watchdog_stop(&wd);
		shutdown_account(run, stats);
		shutdown_free(run);
	} else {
		shutdown_legacy(devs, nr, opts->timeout_ms, stats);
	}
	stats->elapsed_ns = ktime_get_ns() - start;
}
EXPORT_SYMBOL_IF_KUNIT(device_shutdown_devices);

static int shutdown_cmp_dev(const void *a, const void *b)
{
	const struct device *x = *(struct device **)a;
	const struct device *y = *(struct device **)b;

	if (x == y)
		return 0;
	return x < y ? -1 : 1;
}

/*
 * Take the devices of @kset, last first as the legacy walk visits them.
 * Like that walk, give each a reference and take it off the list, so that
 * whatever is on the list afterwards came later.
 */
static struct device **shutdown_take_kset(struct kset *kset, unsigned int *nr)
{
	struct device **devs, *dev;
	struct list_head *pos;
	unsigned int size = 0, n = 0;

	spin_lock(&kset->list_lock);
	list_for_each(pos, &kset->list)
		size++;
	spin_unlock(&kset->list_lock);

	devs = kvmalloc_array(size, sizeof(*devs), GFP_KERNEL);
	if (!devs)
		return NULL;

	/* Devices added meanwhile are left to the late pass. */
	spin_lock(&kset->list_lock);
	while (n < size && !list_empty(&kset->list)) {
		dev = list_last_entry(&kset->list, struct device, kobj.entry);
		list_del_init(&dev->kobj.entry);
		devs[n++] = get_device(dev);
	}
	spin_unlock(&kset->list_lock);
	*nr = n;
	return devs;
}

/*
 * The legacy walk over what is left on @kset: devices added while the set
 * was being shut down, or all of them if no set could be taken.  A device
 * of the set (@done) is only back on the list if something moved it there
 * after its shutdown; it is not shut down twice.  The set is sorted for
 * that only once a device shows up, which is rare.
 * Return: the number of devices shut down.
 */
static unsigned int shutdown_kset_rest(struct kset *kset,
				       struct device **done, unsigned int nr,
				       unsigned int timeout_ms,
				       struct device_shutdown_stats *stats)
{
	struct shutdown_lane lane = { };
	struct shutdown_watchdog wd;
	unsigned int count = 0;
	struct device *dev;
	bool sorted = false;

	shutdown_watchdog_start(&wd, &lane, 1, timeout_ms);
	spin_lock(&kset->list_lock);
	while (!list_empty(&kset->list)) {
		dev = list_last_entry(&kset->list, struct device, kobj.entry);
		list_del_init(&dev->kobj.entry);
		get_device(dev);
		spin_unlock(&kset->list_lock);

		if (done && !sorted) {
			sort(done, nr, sizeof(*done), shutdown_cmp_dev, NULL);
			sorted = true;
		}
		if (!done || !bsearch(&dev, done, nr, sizeof(*done),
				      shutdown_cmp_dev)) {
			stats->skipped += !shutdown_one_device(dev, &lane, 0);
			count++;
		}
		put_device(dev);

		spin_lock(&kset->list_lock);
	}
	spin_unlock(&kset->list_lock);
	stats->hung += shutdown_watchdog_stop(&wd);
	return count;
}

/**
 * device_shutdown_kset - shut down the devices of a kset
 * @kset: the kset; devices_kset for device_shutdown()
 * @opts: async or legacy, and the watchdog
 * @stats: filled with what the shutdown did
 *
 * Takes the devices off @kset, as the legacy walk did, and shuts them
 * down with device_shutdown_devices().  Devices added in the meantime are
 * shut down afterwards, one at a time, last first.
 */
void device_shutdown_kset(struct kset *kset,
			  const struct device_shutdown_opts *opts,
			  struct device_shutdown_stats *stats)
{
	u64 start = ktime_get_ns();
	unsigned int nr = 0, i, rest;
	struct device **devs;

	devs = shutdown_take_kset(kset, &nr);
	if (devs) {
		device_shutdown_devices(devs, nr, opts, stats);
	} else {
		pr_warn("device_shutdown: no memory for the device list, shutting devices down one at a time\n");
		*stats = (struct device_shutdown_stats) {
			.legacy = true,
			.no_memory = true,
		};
	}

	rest = shutdown_kset_rest(kset, devs, nr, opts->timeout_ms, stats);
	stats->devices += rest;
	if (devs)
		stats->late = rest;
	else
		stats->peak = rest ? 1 : 0;

	for (i = 0; i < nr; i++)
		put_device(devs[i]);
	kvfree(devs);
	stats->elapsed_ns = ktime_get_ns() - start;
}
EXPORT_SYMBOL_IF_KUNIT(device_shutdown_kset);

/* "12.345" for 12345678 ns */
static void shutdown_ms(u64 ns, u64 *ms, u32 *us)
{
	*ms = div_u64_rem(div_u64(ns, NSEC_PER_USEC), USEC_PER_MSEC, us);
}

static void shutdown_report(const struct device_shutdown_stats *st)
{
	char tail[96];
	int len = 0;
	u64 ms, cms;
	u32 us, cus;

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

	shutdown_ms(st->elapsed_ns, &ms, &us);
	if (st->legacy) {
		pr_info("device_shutdown: %u devices, 0 async, 0 chains, peak %u parallel, %llu.%03u ms elapsed, legacy order (%s)%s\n",
			st->devices, st->peak, ms, us,
			st->no_memory ? "no memory" : "async shutdown off",
			tail);
		return;
	}
	shutdown_ms(st->critical_ns, &cms, &cus);
	pr_info("device_shutdown: %u devices, %u async, %u chains, peak %u parallel, %llu.%03u ms elapsed, %llu.%03u ms critical path%s\n",
		st->devices, st->async, st->chains, st->peak, ms, us, cms, cus,
		tail);
}

/**
 * device_shutdown_all - shut down every device of the system
 *
 * The walk of device_shutdown(), which has blocked probing already.  Reads
 * driver_core.async_shutdown and driver_core.shutdown_timeout_ms once, and
 * ends with a one-line summary.
 */
void device_shutdown_all(void)
{
	struct device_shutdown_opts opts = {
		.async		= READ_ONCE(async_shutdown),
		.timeout_ms	= READ_ONCE(shutdown_timeout_ms),
	};
	struct device_shutdown_stats stats;

	device_shutdown_kset(devices_kset, &opts, &stats);
	shutdown_report(&stats);
}
