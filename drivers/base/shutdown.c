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
 *
 * This file executes a shutdown.  The plan it follows is built in
 * shutdown_plan.c; the watchdog and the summary live in shutdown_report.c.
 */

#include <linux/async.h>
#include <linux/bsearch.h>
#include <linux/device.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#define CREATE_TRACE_POINTS
#include <trace/events/device_shutdown.h>

#include "base.h"
#include "shutdown.h"
#include "shutdown_engine.h"

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
	dev_set_async_shutdown(dev);
}
EXPORT_SYMBOL_GPL(device_enable_async_shutdown);


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

static void shutdown_free(struct shutdown_run *run)
{
	if (run->reserved)
		async_unreserve(&run->res);
	kvfree(run->lanes);
	kvfree(run->chains);
	shutdown_plan_free(run);
	kfree(run);
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
	if (shutdown_plan_build(run, devs, nr))
		goto fail;
	run->lanes = kvcalloc(run->nr_async + 1, sizeof(*run->lanes),
			      GFP_KERNEL);
	if (!run->lanes || shutdown_reserve_chains(run))
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

	for (i = 0; i < n->nr_waiters; i++) {
		e = &run->edges[n->waiters + i];
		if (e->broken)
			continue;
		m = &run->nodes[e->waiter];
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

	for (i = 0; i < n->nr_deps; i++) {
		e = shutdown_dep_edge(run, n, i);
		if (e->broken)
			continue;
		dep = &run->nodes[e->dep];
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
		if (n->nr_kept || n->kind != SHUTDOWN_NONE ||
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
		if (!n->nr_kept && n->kind == SHUTDOWN_ASYNC)
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

