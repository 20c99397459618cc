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
 * Before anything is shut down, the engine plans the run: it builds the
 * dependency graph of the whole set explicitly (shutdown_plan.c).  Each
 * device is a node that counts the dependencies it still waits for and
 * knows the nodes waiting for it.  A device whose parent is not in the set
 * (removed while the device stays) waits for the nearest ancestor that
 * is.  Sync-state-only links and consumers that are not registered add
 * nothing.  A depth-first walk gives a topological order; a dependency
 * cycle, which the driver core does not let links create but device_move()
 * can, is reported and broken there, so that it costs a warning rather
 * than a hung reboot.
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
 * - A sync device (a callback, but no opt-in) is shut down by the calling
 *   thread, in the order the legacy walk gives it among the sync devices.
 *   A driver that never opted in agreed to nothing else: it may rely on
 *   devices registered before it being shut down after it, link or not.
 *   The sync devices therefore run one at a time, in the topological
 *   order of the plan, which is the legacy order wherever that order
 *   honours the dependencies.  The calling thread runs the next one as
 *   soon as it is ready, and while it is not (an async chain above it has
 *   not finished), it waits.
 *
 *   It waits on a wait queue of the run's, which only the completion that
 *   makes the awaited device ready (or ends the run, or meets a late
 *   device, or may free one left for later) wakes.  A chain never wakes
 *   the calling thread by its task: while that thread is inside a sync
 *   driver's callback, a wakeup would cut a bare
 *   schedule_timeout_uninterruptible() there short, which the legacy walk
 *   never did.
 *
 * Shutdown must not fail half-way, and an async call that runs inline
 * when memory is short would run devices out of order.  So everything the
 * run needs, every async entry and chain domain included, is allocated
 * and reserved before the first device is touched.  If that is not
 * possible, or driver_core.async_shutdown is off, device_shutdown() runs
 * the walk of 6.12 itself (device_shutdown_walk() in core.c), unchanged:
 * over the live list, every parent locked around its child.
 *
 * The topology may change while the run is under way, and 6.12's walk
 * followed such changes: device_link_add() and device_move() reorder
 * devices_kset, and the walk takes whatever is last.  Here the driver core
 * announces each change (device_shutdown_topology_changed()), and before
 * the next device starts anywhere, the calling thread looks at the
 * parents and links of the devices not yet done and adds the dependencies
 * that are new, as edges of their own, and moves sync devices in the
 * order if one now needs another that came later.  A sync device that the
 * change put at the end of the list runs next, after what it waits for,
 * as the walk took it next.  An edge whose waiter
 * has started, or was released to start, comes too late, as it would
 * have for the walk once it had taken that device; one that would close a
 * cycle is reported and left out.
 *
 * Around the engine, device_shutdown() takes the devices off devices_kset,
 * with a reference each, as the legacy walk did; a device removed
 * meanwhile is skipped under its lock.  A device added meanwhile shows up
 * on the emptied list: it is shut down by the calling thread before the
 * next device starts anywhere, and before a device that finishes meanwhile
 * releases what waits for it, so before its parent and its suppliers if
 * they have not started yet.  One that a device of the set not done yet
 * waits for (a change made it the parent or supplier of one) is left for
 * later, and holds back its parent and suppliers until it is shut down.
 *
 * A watchdog names any device whose shutdown takes too long, and one line
 * sums the shutdown up (shutdown_report.c).
 */

#include <linux/async.h>
#include <linux/device.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/pm_runtime.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#define CREATE_TRACE_POINTS
#include <trace/events/device_shutdown.h>
#ifdef CONFIG_TRACEPOINTS
/* KUnit holds a task up there: sdt_test_watchdog_no_stall_at_end(). */
EXPORT_SYMBOL_IF_KUNIT(__tracepoint_device_shutdown_end);
#endif

#include "base.h"
#include "shutdown.h"
#include "shutdown_engine.h"

#ifdef MODULE_PARAM_PREFIX
#undef MODULE_PARAM_PREFIX
#endif
#define MODULE_PARAM_PREFIX "driver_core."

/*
 * The kset lock is held for this many devices at a time at most, so that
 * the time nothing can preempt us does not grow with the machine.
 */
#define SHUTDOWN_KSET_BATCH	256

/*
 * How far the calling thread follows late devices left for later that
 * wait for each other, each the parent or consumer of the next: a chain
 * of devices added while shutdown runs, which a cycle made by
 * device_move() could make endless.
 */
#define SHUTDOWN_DEFERRED_DEPTH	8

/**
 * device_shutdown_kset_relax - let a kset's lock go for a moment
 * @kset: the kset, whose list_lock the caller holds
 *
 * Called every SHUTDOWN_KSET_BATCH devices by whatever goes over many
 * devices under the lock, so that it is never held for more.  Tests
 * count the calls.
 */
VISIBLE_IF_KUNIT void device_shutdown_kset_relax(struct kset *kset)
{
	KUNIT_STATIC_STUB_REDIRECT(device_shutdown_kset_relax, kset);
	spin_unlock(&kset->list_lock);
	cond_resched();
	spin_lock(&kset->list_lock);
}
EXPORT_SYMBOL_IF_KUNIT(device_shutdown_kset_relax);

/*
 * Scans of every node that follow a change of the topology run in the
 * calling thread while nothing else holds it up, but on a kernel without
 * preemption they would still keep the CPU for as long as the set is
 * large: they let others run after every SHUTDOWN_KSET_BATCH nodes.
 */
static void shutdown_scan_relax(unsigned int scanned)
{
	if (!(scanned % SHUTDOWN_KSET_BATCH))
		cond_resched();
}

/* Edges reserved for dependencies made during a run, besides 1 in 64. */
#define SHUTDOWN_ADDED_EDGES	16

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
VISIBLE_IF_KUNIT bool device_shutdown_async = true;
EXPORT_SYMBOL_IF_KUNIT(device_shutdown_async);
module_param_cb(async_shutdown, &device_shutdown_bool_ops,
		&device_shutdown_async, 0644);
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
 * Whether the shutdown of @dev, of @kind, holds its parent's lock too, as
 * the legacy walk did for every device.  A sync device gets it: its driver
 * agreed to nothing else, and sync devices run one at a time anyway.  An
 * async device gets it only where its type asks for it (USB interfaces),
 * as for probing and removal: locking every parent would serialize async
 * siblings.  So does a device without a callback, whose driver has no
 * shutdown code to run under it: it would only hold up a chain behind a
 * sibling's shutdown.
 */
static bool shutdown_locks_parent(struct device *dev, enum shutdown_kind kind)
{
	return kind == SHUTDOWN_SYNC ||
	       (dev->type && dev->type->need_parent_lock);
}

/*
 * A reference on the parent of @dev, if its shutdown locks it.  Only a
 * registered device holds a reference on its parent, and device_del()
 * marks the device dead under its lock before it lets the parent go: so
 * the parent is read under that lock, while the device is alive.  The
 * lock is dropped again, since the parent's is taken first.
 */
static struct device *shutdown_get_parent(struct device *dev,
					  enum shutdown_kind kind)
{
	struct device *parent = NULL;

	if (!shutdown_locks_parent(dev, kind))
		return NULL;
	device_lock(dev);
	if (shutdown_device_alive(dev))
		parent = get_device(dev->parent);
	device_unlock(dev);
	return parent;
}

/*
 * Shut one device down in the engine, holding its lock, and its parent's
 * where shutdown_locks_parent() says so, against a racing probe or
 * release.  @chain names where it runs, for traces and the watchdog.
 * Return: %false if @dev was removed before its turn.
 */
static bool shutdown_one_device(struct device *dev, enum shutdown_kind kind,
				struct shutdown_lane *lane, unsigned int chain)
{
	struct device *parent;
	bool alive;

	trace_device_shutdown_start(dev, chain);
	shutdown_lane_enter(lane, dev, chain);

	parent = shutdown_get_parent(dev, kind);
	if (parent)
		device_lock(parent);
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

/*
 * A set given by the caller, in the legacy order: one device after the
 * other, each treated as the walk of 6.12 treats it, parent locked.
 * Return: the number of devices removed before their turn.
 */
static unsigned int shutdown_legacy_devices(struct device **devs,
					    unsigned int nr)
{
	unsigned int i, skipped = 0;
	struct device *parent;

	for (i = 0; i < nr; i++) {
		parent = get_device(devs[i]->parent);
		if (parent)
			device_lock(parent);
		device_lock(devs[i]);
		if (shutdown_device_alive(devs[i]))
			shutdown_device_callbacks(devs[i]);
		else
			skipped++;
		device_unlock(devs[i]);
		if (parent)
			device_unlock(parent);
		put_device(parent);
	}
	return skipped;
}

/**
 * device_shutdown_alloc - allocate memory for a shutdown
 * @run: the run it is for, which it is accounted to
 * @n: number of elements
 * @size: size of each
 * @gfp: allocation flags
 *
 * Every allocation of a shutdown goes through here, so that tests can
 * make them fail one at a time.  Freed with kvfree().
 *
 * Return: the memory, or %NULL.
 */
void *device_shutdown_alloc(struct shutdown_run *run, size_t n, size_t size,
			    gfp_t gfp)
{
	void *p;

	KUNIT_STATIC_STUB_REDIRECT(device_shutdown_alloc, run, n, size, gfp);
	p = kvmalloc_array(n, size, gfp);
	if (p && run)
		run->plan_bytes += array_size(n, size);
	return p;
}
EXPORT_SYMBOL_IF_KUNIT(device_shutdown_alloc);

/* Changes of the topology so far; see device_shutdown_topology_changed(). */
static atomic_t device_shutdown_topology_gen = ATOMIC_INIT(0);

/**
 * device_shutdown_topology_changed - announce a new shutdown dependency
 *
 * The driver core calls this once it has added a device link that orders
 * shutdown, or moved a device to a new parent.  A shutdown under way then
 * adds the dependency before it starts another device, as the legacy walk
 * followed the reorder of devices_kset that goes with such a change.  It
 * costs one atomic increment, and takes no lock.
 *
 * Context: any context, once the change is in place.
 */
void device_shutdown_topology_changed(void)
{
	/*
	 * After the change: pairs with the smp_mb() of
	 * shutdown_topology_now() and of shutdown_follow_topology().
	 */
	smp_mb__before_atomic();
	atomic_inc(&device_shutdown_topology_gen);
}

/*
 * The count of changes, read before the topology it stands for: a change
 * that what is read next does not show shows up as a new count.
 */
static unsigned int shutdown_topology_now(void)
{
	unsigned int gen = atomic_read(&device_shutdown_topology_gen);

	/* Pairs with device_shutdown_topology_changed(). */
	smp_mb();
	return gen;
}

static bool shutdown_topology_changed(struct shutdown_run *run)
{
	return atomic_read(&device_shutdown_topology_gen) !=
	       READ_ONCE(run->topology_gen);
}

/*
 * Devices added to the kset while the set is being shut down ("late"
 * devices) show up on its list, which the set left empty, and a change of
 * the topology shows up in its count.
 */
static bool shutdown_late_pending(struct shutdown_run *run)
{
	return shutdown_topology_changed(run) ||
	       (run->kset && !list_empty(&run->kset->list));
}

/* The calling thread is making a late pass. */
static bool shutdown_late_busy(struct shutdown_run *run)
{
	/*
	 * The list is read before the flag: the calling thread sets the
	 * flag before it empties the list (the smp_mb() in
	 * shutdown_late_pass()).  Acquire: what the late devices did is
	 * seen by whoever finds the flag clear again.
	 */
	smp_rmb();
	/* Pairs with the release in shutdown_late_pass(). */
	return smp_load_acquire(&run->late_active);
}

/*
 * Seen from anywhere: late devices or changes are pending, or the calling
 * thread is dealing with them.
 */
static bool shutdown_late_seen(struct shutdown_run *run)
{
	return shutdown_late_pending(run) || shutdown_late_busy(run);
}

/* Nodes released by a finished one that the finisher dispatches. */
struct shutdown_released {
	struct shutdown_node	*none;
	struct shutdown_node	*async;
};

/*
 * A late device that a device of the set still waits for, left for a
 * later pass, and the nodes it holds back meanwhile: its parent and its
 * suppliers, which must not start before it does.
 */
struct shutdown_deferred {
	struct shutdown_deferred	*next;
	struct device			*dev;	/* a reference of its own */
	struct shutdown_held		*held;
	bool				no_memory;	/* said so */
	/* of the last shutdown_walk_awaited() through it */
	unsigned long			walk;
	unsigned int			walk_depth;
	bool				walking;	/* on its path */
};

/*
 * A node that a deferred late device holds back, or meant to (!@holds);
 * @seen: the node still waits for the device, as the last pass found;
 * @drop: the hold is to be let go, at the end of the pass's sweep.
 */
struct shutdown_held {
	struct shutdown_held	*next;
	struct shutdown_node	*node;
	bool			holds;
	bool			seen;
	bool			drop;
};

static struct shutdown_deferred *
shutdown_find_deferred(struct shutdown_run *run, struct device *dev)
{
	struct shutdown_deferred *d;

	for (d = run->deferred; d; d = d->next) {
		if (d->dev == dev)
			break;
	}
	return d;
}

/*
 * What to do with each node of the set that a late device waits for: see
 * shutdown_walk_awaited().  @fn returns %true to stop there.
 */
struct shutdown_awaited {
	struct shutdown_run		*run;
	bool				(*fn)(struct shutdown_awaited *aw,
					      struct shutdown_node *n);
	struct shutdown_node		*waiter;
	struct shutdown_released	*rel;
	unsigned int			stamp;
	const char			*why;
	unsigned long			walk;	/* from shutdown_awaited_start() */
	unsigned int			depth;
	bool				cut;	/* at the depth limit */
	bool				looped;	/* a cycle */
};

/* Number a new walk of @aw: shutdown_deferred_walked() tells them apart. */
static void shutdown_awaited_start(struct shutdown_awaited *aw)
{
	aw->walk = ++aw->run->late_walks;
	aw->depth = 0;
	aw->cut = false;
	aw->looped = false;
}

/*
 * Has this walk of @aw been through @d and back already, at the same
 * depth or nearer?  Then it has seen all it would see below @d now.  Late
 * devices linked many to many are reached by many paths, exponentially
 * many with the depth: each is walked through once a depth at most, not
 * once a path.
 */
static bool shutdown_deferred_walked(const struct shutdown_deferred *d,
				     const struct shutdown_awaited *aw)
{
	return d->walk == aw->walk && d->walk_depth <= aw->depth &&
	       !d->walking;
}

/* Is @d on the path of this walk of @aw, down to where it is now? */
static bool shutdown_deferred_walking(const struct shutdown_deferred *d,
				      const struct shutdown_awaited *aw)
{
	return d->walk == aw->walk && d->walking;
}

/* Is the late device @d left for later a child or a consumer of @dev? */
static bool shutdown_deferred_waits_for(struct shutdown_deferred *d,
					struct device *dev)
{
	struct device_link *link;
	bool waits = false;
	int idx;

	/*
	 * By address: @d->dev holds its parent while registered.  Once it
	 * is removed, the address may be that of a new device.
	 */
	/* Unlocked: a racing device_del() leaves a device one more pass. */
	if (data_race(device_is_registered(d->dev)) &&
	    READ_ONCE(d->dev->parent) == dev)
		return true;
	idx = device_links_read_lock();
	list_for_each_entry_rcu(link, &d->dev->links.suppliers, c_node,
				device_links_read_lock_held()) {
		if (link->supplier == dev &&
		    shutdown_link_orders(link, d->dev)) {
			waits = true;
			break;
		}
	}
	device_links_read_unlock(idx);
	return waits;
}

/* Is a late device left for later a child or a consumer of @dev? */
static bool shutdown_deferred_below(struct shutdown_run *run,
				    struct device *dev)
{
	struct shutdown_deferred *d;

	for (d = run->deferred; d; d = d->next) {
		run->late_looks++;
		if (shutdown_deferred_waits_for(d, dev))
			return true;
	}
	return false;
}

static int shutdown_awaited_child(struct device *child, void *data)
{
	struct shutdown_awaited *aw = data;
	struct shutdown_node *n = shutdown_plan_find(aw->run, child);

	return n && !shutdown_node_done(n) && aw->fn(aw, n);
}

/*
 * Call @aw->fn for each device of the set not done yet that waits for the
 * late device @dev, as its child or its consumer: device_move() may have
 * made @dev the parent of one, and device_link_add() its supplier.  So
 * does a late device left for later, for what it waits for in turn, to a
 * depth of SHUTDOWN_DEFERRED_DEPTH; @aw->cut says if that left some out,
 * and @aw->looped if late devices on the way wait for each other.
 * Return: whether a call said to stop.
 */
static bool shutdown_walk_awaited(struct device *dev,
				  struct shutdown_awaited *aw)
{
	struct shutdown_deferred *d;
	struct shutdown_node *n;
	struct device_link *link;
	bool stopped = false;
	int idx;

	if (device_for_each_child(dev, aw, shutdown_awaited_child))
		return true;
	idx = device_links_read_lock();
	list_for_each_entry_rcu(link, &dev->links.consumers, s_node,
				device_links_read_lock_held()) {
		n = shutdown_plan_find(aw->run, link->consumer);
		if (n && !shutdown_node_done(n) &&
		    shutdown_link_orders(link, link->consumer) &&
		    aw->fn(aw, n)) {
			stopped = true;
			break;
		}
	}
	device_links_read_unlock(idx);
	if (stopped)
		return true;
	if (aw->depth == SHUTDOWN_DEFERRED_DEPTH) {
		aw->cut |= shutdown_deferred_below(aw->run, dev);
		return false;
	}

	aw->depth++;
	for (d = aw->run->deferred; d && !stopped; d = d->next) {
		aw->run->late_looks++;
		if (shutdown_deferred_walked(d, aw) ||
		    !shutdown_deferred_waits_for(d, dev))
			continue;
		if (shutdown_deferred_walking(d, aw)) {
			aw->looped = true;
			continue;
		}
		d->walk = aw->walk;
		d->walk_depth = aw->depth;
		d->walking = true;
		stopped = shutdown_walk_awaited(d->dev, aw);
		d->walking = false;
	}
	aw->depth--;
	return stopped;
}

static bool shutdown_awaited_any(struct shutdown_awaited *aw,
				 struct shutdown_node *n)
{
	return true;
}

/*
 * Does a device of the set that is not done yet, or a late device left
 * for later, wait for the late @dev?
 */
static bool shutdown_late_waits(struct shutdown_run *run, struct device *dev)
{
	struct shutdown_awaited aw = {
		.run	= run,
		.fn	= shutdown_awaited_any,
	};

	shutdown_awaited_start(&aw);
	return shutdown_walk_awaited(dev, &aw) ||
	       shutdown_deferred_below(run, dev);
}

/*
 * Leave the late device @dev, and the reference taken on it, for a later
 * pass: shutdown_retry_deferred() shuts it down once nothing of the set
 * waits for it, and holds back what waits for it until then.  It stays
 * among the devices taken, for the walk after the run if the reference
 * cannot be kept.  Not if it is on a list again (a change moved it
 * meanwhile: the change is counted), nor if its kobject has left sysfs:
 * kobject_del() marks that before it takes the device off the kset
 * under this lock, so one that has not marked it yet will take it off
 * @taken too.
 */
static void shutdown_defer_late(struct shutdown_run *run, struct device *dev)
{
	struct shutdown_deferred *d, **pos;

	spin_lock(&run->kset->list_lock);
	if (dev->kobj.state_in_sysfs && list_empty(&dev->kobj.entry))
		list_add_tail(&dev->kobj.entry, run->taken);
	spin_unlock(&run->kset->list_lock);

	/* Devices already shut down may be what reclaim would need. */
	d = kzalloc(sizeof(*d), GFP_NOWAIT | __GFP_NOWARN);
	if (!d) {
		pr_warn("device_shutdown: %s %s goes last, its parent not held back: no memory\n",
			dev_driver_string(dev), dev_name(dev));
		put_device(dev);
		return;
	}
	d->dev = dev;
	/*
	 * Last, so that those freed by one pass go in the order they were
	 * taken, last registered first.  Published before the second look at
	 * what it waits for, in shutdown_retry_deferred(): see
	 * shutdown_finish().
	 */
	for (pos = &run->deferred; *pos; pos = &(*pos)->next)
		;
	WRITE_ONCE(*pos, d);
}

/*
 * Shut the late device @dev down in the calling thread's lane, and drop
 * the reference taken on it.  The devices of the set are held until the
 * watchdog has stopped, a late device only until now: if the watchdog
 * may have found it overdue, a report may still be reading it, under RCU.
 */
static void shutdown_late_device(struct shutdown_run *run, struct device *dev)
{
	struct shutdown_lane *lane = &run->lanes[0];

	if (shutdown_one_device(dev, shutdown_kind(dev), lane, 0))
		run->late++;
	else
		atomic_inc(&run->skipped);
	/*
	 * A jiffy early: the watchdog may read jiffies before it looks at
	 * the lane, and this before the lane was seen to be left.
	 */
	if (run->overdue &&
	    !time_before(jiffies + 1, lane->since + run->overdue))
		synchronize_rcu();
	put_device(dev);
}

static unsigned int shutdown_mark(struct shutdown_run *run,
				  struct shutdown_node *from, bool up);
static unsigned int shutdown_order_next(struct shutdown_run *run);
static unsigned int shutdown_move_up(struct shutdown_run *run,
				     unsigned int first, unsigned int stamp);

/*
 * The sync nodes on @moved, which shutdown_take_late() found back on the
 * kset list, in the order the legacy walk would have met them there, go
 * next, in that order, each after what it waits for.  One at a time from
 * the calling thread's place: each move takes what the node waits for
 * along, and the next one goes after it.
 */
static void shutdown_run_moved_next(struct shutdown_run *run,
				    struct shutdown_node *moved)
{
	unsigned int place = shutdown_order_next(run);
	struct shutdown_node *n;

	for (n = moved; n; n = n->next) {
		n->moved_last = false;
		place = shutdown_move_up(run, place,
					 shutdown_mark(run, n, false));
	}
}

/*
 * Shut down the late devices, last first as the legacy walk would, in the
 * calling thread: they may be sync devices, which never run beside each
 * other.  Every node that starts meanwhile waits for them (see
 * shutdown_node_run()), so a late device goes before its parent and its
 * suppliers unless those had started already.  One that a device of the
 * set still waits for is left for later.
 *
 * A device of the set that shows up on the list again only goes back
 * among the devices taken: its node takes care of it.  device_link_add()
 * and device_move() put devices back at the end of the list, and the
 * legacy walk took them next.  So the sync nodes among them that have
 * not started move to the calling thread's place in ->order, in the order
 * met, with what they wait for, and run next; after the late devices met
 * meanwhile, though, which go before any node starts.
 */
static void shutdown_take_late(struct shutdown_run *run)
{
	struct shutdown_node *n, *moved = NULL, **tail = &moved;
	struct kset *kset = run->kset;
	unsigned int back = 0;
	struct device *dev;

	spin_lock(&kset->list_lock);
	while (!list_empty(&kset->list)) {
		dev = list_last_entry(&kset->list, struct device, kobj.entry);
		/*
		 * Back among the taken, not off every list: device_move()
		 * may yet place another device next to it.  A change may
		 * bring a whole subtree back: device_link_add() moves the
		 * consumer's children and consumers along.
		 */
		n = shutdown_plan_find(run, dev);
		if (n || shutdown_find_deferred(run, dev)) {
			list_move_tail(&dev->kobj.entry, run->taken);
			/* Only the calling thread starts sync nodes. */
			if (n && n->kind == SHUTDOWN_SYNC && !n->ran &&
			    !n->moved_last) {
				n->moved_last = true;
				n->next = NULL;
				*tail = n;
				tail = &n->next;
			}
			if (!(++back % SHUTDOWN_KSET_BATCH))
				device_shutdown_kset_relax(kset);
			continue;
		}
		/* As the legacy walk takes a device off the list. */
		list_del_init(&dev->kobj.entry);
		get_device(dev);
		spin_unlock(&kset->list_lock);

		if (shutdown_late_waits(run, dev))
			shutdown_defer_late(run, dev);
		else
			shutdown_late_device(run, dev);

		spin_lock(&kset->list_lock);
	}
	spin_unlock(&kset->list_lock);
	if (moved)
		shutdown_run_moved_next(run, moved);
}

static void shutdown_follow_topology(struct shutdown_run *run,
				     struct shutdown_released *rel);
static void shutdown_retry_deferred(struct shutdown_run *run,
				    struct shutdown_released *rel);
static void shutdown_finish(struct shutdown_run *run,
			    struct shutdown_released *rel,
			    struct shutdown_chain *chain, int done);

/*
 * One pass: follow the changes of the topology, then shut the late devices
 * down.  The nodes that become ready meanwhile are dispatched once chains
 * may go on.
 */
static void shutdown_late_pass(struct shutdown_run *run)
{
	struct shutdown_released rel = { };

	WRITE_ONCE(run->late_active, true);
	/* Whoever sees the list emptied sees us busy: shutdown_late_seen(). */
	smp_mb();
	shutdown_follow_topology(run, &rel);
	if (run->kset)
		shutdown_take_late(run);
	shutdown_retry_deferred(run, &rel);
	/* The late devices are done before whoever waited for them goes on. */
	smp_store_release(&run->late_active, false);
	wake_up_all(&run->late_wq);
	shutdown_finish(run, &rel, NULL, 0);
}

/*
 * Whether the calling thread has a late pass to make: something is
 * pending, or a chain asked for one.  A chain that saw a late device asks
 * even if the device leaves the kset again before the calling thread
 * looks (a device_add() that fails, or a device_del() right after it):
 * only a pass wakes the chain, so it must come all the same.
 */
static bool shutdown_late_wanted(struct shutdown_run *run)
{
	return shutdown_late_pending(run) || READ_ONCE(run->late_asked);
}

/*
 * Before any other device starts, in the calling thread: until nothing
 * new is seen.  The devices that shutdown_finish() runs here start
 * without a pass of their own, which the loop makes up for.  A request
 * is cleared before the pass that answers it.
 */
static void shutdown_run_late(struct shutdown_run *run)
{
	if (run->in_late)
		return;
	run->in_late = true;
	while (shutdown_late_wanted(run)) {
		WRITE_ONCE(run->late_asked, false);
		shutdown_late_pass(run);
	}
	run->in_late = false;
}

/*
 * Have the calling thread make a late pass.  A chain wakes it only in the
 * engine's own wait: see shutdown_wait_over().
 */
static void shutdown_ask_late(struct shutdown_run *run)
{
	WRITE_ONCE(run->late_asked, true);
	if (current != run->task)
		wake_up(&run->wq);
}

/*
 * A node is about to start while late devices are around: they go first.
 * The calling thread shuts them down itself; a chain asks it to and waits.
 */
static void shutdown_late_first(struct shutdown_run *run)
{
	DEFINE_WAIT(wait);

	if (current == run->task) {
		shutdown_run_late(run);
		return;
	}
	/*
	 * Ask again each time something new is seen: the calling thread may
	 * have gone back to its wait after the last pass.  This only wakes
	 * it there, never inside a callback.
	 */
	for (;;) {
		prepare_to_wait(&run->late_wq, &wait, TASK_UNINTERRUPTIBLE);
		if (shutdown_late_pending(run)) {
			/*
			 * On late_wq before the request: the pass that
			 * answers it wakes us (see shutdown_late_wanted()).
			 */
			shutdown_ask_late(run);
		} else if (!shutdown_late_busy(run)) {
			break;
		}
		/* A pass under way ends with a wakeup too. */
		atomic_inc(&run->late_waits);
		schedule();
	}
	finish_wait(&run->late_wq, &wait);
}

/* Count @n in the devices being shut down at the same time. */
static void shutdown_count_running(struct shutdown_run *run)
{
	int now = atomic_inc_return(&run->running);
	int peak = atomic_read(&run->peak);

	while (now > peak && !atomic_try_cmpxchg(&run->peak, &peak, now))
		;
}

/*
 * Shut down the device of @n.  Only devices with a callback are timed and
 * counted in the peak: most devices have none, and reading the clock
 * twice would cost more than their whole shutdown.  The local clock is
 * enough for the length of a callback, and cheaper to read than the
 * timekeeping clock, whose seqcount lockdep watches.
 */
static void shutdown_node_run(struct shutdown_run *run,
			      struct shutdown_node *n)
{
	unsigned int chain = n->chain ? n->chain->id : 0;
	bool timed = n->kind != SHUTDOWN_NONE;
	bool alive;

	/* Too late for a new dependency: see shutdown_hold_waiter(). */
	WRITE_ONCE(n->ran, true);
	if (unlikely(shutdown_late_seen(run)))
		shutdown_late_first(run);

	if (timed) {
		shutdown_count_running(run);
		n->start_ns = local_clock();
	}
	alive = shutdown_one_device(n->dev, n->kind, &run->lanes[chain], chain);
	if (timed) {
		n->end_ns = local_clock();
		atomic_dec(&run->running);
	}
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
	/* The watchdog reads it: see shutdown_stall_culprit(). */
	WRITE_ONCE(n->chain, chain);
	/*
	 * A chain starts near its first device, as async_schedule_dev()
	 * would run it; the devices that continue it run on its worker.
	 */
	async_schedule_reserved_node(shutdown_chain_fn, n, dev_to_node(n->dev),
				     &chain->domain, &run->res);
}

/*
 * Every chain starts with an async device and each async device is queued
 * once, so there are never more chains than the domains reserved.  A
 * chain's domain is set up when it starts: most are never used.
 */
static void shutdown_start_chain(struct shutdown_run *run,
				 struct shutdown_node *n)
{
	unsigned int id = atomic_inc_return(&run->nr_chains);
	struct shutdown_chain *chain = &run->chains[id - 1];

	chain->id = id;
	snprintf(chain->name, sizeof(chain->name), "shutdown-chain-%u", id);
	async_domain_init(&chain->domain, chain->name, 1);
	shutdown_queue(run, chain, n);
}

/*
 * Sync node @m is ready.  The calling thread runs the sync nodes in order
 * and finds the others ready when their turn comes, so it is woken only
 * if it waits for @m.  The fully ordered atomic that made @m ready comes
 * before the look at what it waits for: see shutdown_wait().
 */
static void shutdown_sync_ready(struct shutdown_run *run,
				struct shutdown_node *m)
{
	if (current != run->task && READ_ONCE(run->awaited) == m)
		wake_up(&run->wq);
}

/* @m waits for one dependency less; if that was the last, it is ready. */
static void shutdown_dep_done(struct shutdown_run *run, struct shutdown_node *m,
			      struct shutdown_released *rel)
{
	if (!atomic_dec_and_test(&m->pending))
		return;
	if (m->kind == SHUTDOWN_SYNC) {
		shutdown_sync_ready(run, m);
	} else if (m->kind == SHUTDOWN_NONE) {
		m->next = rel->none;
		rel->none = m;
	} else {
		m->next = rel->async;
		rel->async = m;
	}
}

static void shutdown_release(struct shutdown_run *run,
			     struct shutdown_node *n,
			     struct shutdown_released *rel)
{
	struct shutdown_added_edge *added;
	struct shutdown_edge *e;
	unsigned int i;

	for (i = 0; i < n->nr_waiters; i++) {
		e = &run->edges[n->waiters + i];
		if (!e->broken)
			shutdown_dep_done(run, &run->nodes[e->waiter], rel);
	}
	/* Fully ordered: whoever adds a waiter from now on sees it too late. */
	for (added = xchg(&n->added, SHUTDOWN_RELEASED); added;
	     added = added->next) {
		if (added->held)
			shutdown_dep_done(run, added->waiter, rel);
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
 * become ready are shut down right here, in the same context.  The end of
 * the last node wakes the calling thread.
 */
static void shutdown_complete(struct shutdown_run *run,
			      struct shutdown_node *n)
{
	struct shutdown_released rel = { };

	/*
	 * Late devices seen by now, maybe added by @n's own callback, go
	 * first.  One of them left for later holds back its parent and
	 * suppliers, which it can only do while they still wait for
	 * something: for @n, maybe, until it is released here.
	 */
	if (unlikely(shutdown_late_seen(run)))
		shutdown_late_first(run);
	shutdown_release(run, n, &rel);
	shutdown_finish(run, &rel, n->chain, 1);
}

/*
 * Dispatch the nodes on @rel, which became ready in @chain (%NULL: the
 * calling thread), after @done nodes were shut down there.
 */
static void shutdown_finish(struct shutdown_run *run,
			    struct shutdown_released *rel,
			    struct shutdown_chain *chain, int done)
{
	struct shutdown_node *m;

	while ((m = rel->none)) {
		rel->none = m->next;
		WRITE_ONCE(m->chain, chain);
		shutdown_node_run(run, m);
		shutdown_release(run, m, rel);
		done++;
	}
	shutdown_dispatch_async(run, rel->async, chain);
	/*
	 * A late device left for later may wait for what is done now.  The
	 * xchg() of shutdown_release() orders that before this look, and
	 * shutdown_retry_deferred() looks at what is done after it makes a
	 * device wait: one of the two sees the other.
	 */
	if (done && unlikely(READ_ONCE(run->deferred)))
		shutdown_ask_late(run);
	/* Fully ordered: pairs with the barrier in shutdown_wait(). */
	if (done && atomic_sub_and_test(done, &run->left) &&
	    current != run->task)
		wake_up(&run->wq);
}

/*
 * Keep @w from starting until one more dependency is done.  Return: %false
 * if @w has started, or was released to start, already.  Only the calling
 * thread starts sync nodes, and only it calls this.
 */
static bool shutdown_hold_waiter(struct shutdown_node *w)
{
	if (w->kind != SHUTDOWN_SYNC)
		return atomic_inc_not_zero(&w->pending);
	if (READ_ONCE(w->ran))
		return false;
	atomic_inc(&w->pending);
	return true;
}

/* Add @added to the waiters of @n, unless @n has released them already. */
static bool shutdown_add_waiter(struct shutdown_node *n,
				struct shutdown_added_edge *added)
{
	struct shutdown_added_edge *head = READ_ONCE(n->added);

	do {
		if (head == SHUTDOWN_RELEASED)
			return false;
		added->next = head;
	} while (!try_cmpxchg(&n->added, &head, added));
	return true;
}

/*
 * Does the plan, or a change seen before, have @w wait for @n already
 * (or tell that it cannot), or is @n done?
 */
static bool shutdown_edge_known(struct shutdown_run *run,
				struct shutdown_node *w, struct shutdown_node *n)
{
	struct shutdown_added_edge *added = READ_ONCE(n->added);
	unsigned int i;

	if (added == SHUTDOWN_RELEASED)
		return true;
	for (i = 0; i < n->nr_waiters; i++) {
		if (run->edges[n->waiters + i].waiter == w - run->nodes)
			return true;
	}
	for (; added; added = added->next) {
		if (added->waiter == w)
			return true;
	}
	return false;
}

/* Push @n on the stack of a search, unless the search has seen it. */
static void shutdown_visit(struct shutdown_node **stack, unsigned int *depth,
			   struct shutdown_node *n, unsigned int stamp)
{
	if (n->walk != stamp) {
		n->walk = stamp;
		stack[(*depth)++] = n;
	}
}

/*
 * Mark, with a new ->walk stamp, the nodes not done yet that wait for
 * @from directly or not (@up), or that @from waits for (!@up), @from
 * included.  A depth-first search that visits each node once; stamps
 * count down from UINT_MAX so as to differ from what the plan left: 0,
 * or the number of dependencies.
 * Return: the stamp.
 */
static unsigned int shutdown_mark(struct shutdown_run *run,
				  struct shutdown_node *from, bool up)
{
	unsigned int i, depth = 0, stamp = UINT_MAX - run->search++;
	struct shutdown_node **stack = run->stack, *n;
	unsigned int visited = 0;
	struct shutdown_added_edge *added;
	struct shutdown_edge *e;

	shutdown_visit(stack, &depth, from, stamp);
	while (depth) {
		shutdown_scan_relax(++visited);
		n = stack[--depth];
		/* Once: a chain may release @n at any time. */
		added = READ_ONCE(n->added);
		if (added == SHUTDOWN_RELEASED)
			continue;
		if (up) {
			for (i = 0; i < n->nr_waiters; i++) {
				e = &run->edges[n->waiters + i];
				if (!e->broken)
					shutdown_visit(stack, &depth,
						       &run->nodes[e->waiter],
						       stamp);
			}
			for (; added; added = added->next) {
				if (added->held)
					shutdown_visit(stack, &depth,
						       added->waiter, stamp);
			}
			continue;
		}
		for (i = 0; i < n->nr_deps; i++) {
			e = shutdown_dep_edge(run, n, i);
			if (!e->broken)
				shutdown_visit(stack, &depth,
					       &run->nodes[e->dep], stamp);
		}
		for (added = run->added; added; added = added->all) {
			if (added->waiter == n && added->held)
				shutdown_visit(stack, &depth, added->dep, stamp);
		}
	}
	return stamp;
}

/* Where the calling thread is in ->order: its first sync node not started. */
static unsigned int shutdown_order_next(struct shutdown_run *run)
{
	struct shutdown_node *m;
	unsigned int i;

	for (i = 0; i < run->nr; i++) {
		m = run->order[i];
		if (m->kind == SHUTDOWN_SYNC && !m->ran)
			break;
		shutdown_scan_relax(i + 1);
	}
	return i;
}

/*
 * Move the nodes of ->order from @first on that carry @stamp right before
 * the others, in the order they had: a stable partition, in place, with
 * the sorting stack for the moved.  Everything a moved node waits for
 * must carry @stamp too, so that ->order stays sorted.
 * Return: the place right after the moved.
 */
static unsigned int shutdown_move_up(struct shutdown_run *run,
				     unsigned int first, unsigned int stamp)
{
	struct shutdown_node **moved = run->stack, *m;
	unsigned int i, dst, nr_moved = 0;

	for (i = first; i < run->nr; i++) {
		if (run->order[i]->walk == stamp)
			moved[nr_moved++] = run->order[i];
		shutdown_scan_relax(i + 1 - first);
	}
	for (i = 0; i < nr_moved && run->order[first + i] == moved[i]; i++)
		;
	if (i == nr_moved)
		return first + nr_moved;
	/* The others to the end, from the end, in place; then the moved. */
	for (i = dst = run->nr; i-- > first; ) {
		m = run->order[i];
		if (m->walk != stamp)
			run->order[--dst] = m;
		shutdown_scan_relax(run->nr - i);
	}
	memcpy(run->order + first, moved, nr_moved * sizeof(*moved));
	run->reordered = true;
	return first + nr_moved;
}

/*
 * The calling thread runs the sync nodes in ->order.  Now that @w waits
 * for @n, a sync node that waits for @w might come before one that @n
 * waits for.  Move what @n needs (itself, and what it waits for directly
 * or not) that comes later right before the first sync node not started
 * that waits for @w, in the order they had, so that ->order stays sorted.
 * The legacy walk shut the new consumer and what it depends on down next,
 * as device_link_add() moved them to the end of the list: the late pass
 * that follows finds them there and moves them further, to the calling
 * thread's place (shutdown_take_late()).  Nothing moves before that place
 * in ->order: every sync node there has started.
 */
static void shutdown_keep_sync_order(struct shutdown_run *run,
				     struct shutdown_node *n,
				     struct shutdown_node *w)
{
	unsigned int first, stamp;
	struct shutdown_node *m;

	stamp = shutdown_mark(run, w, true);
	for (first = 0; first < run->nr; first++) {
		m = run->order[first];
		if (m->kind == SHUTDOWN_SYNC && !m->ran && m->walk == stamp)
			break;
		shutdown_scan_relax(first + 1);
	}
	if (first == run->nr)
		return;
	shutdown_move_up(run, first, shutdown_mark(run, n, false));
}

/*
 * An edge for a dependency made during the run: from those reserved with
 * the run, or, once they are used up, from what can be had without
 * waiting (devices already shut down may be what reclaim would need).
 */
static struct shutdown_added_edge *shutdown_new_edge(struct shutdown_run *run)
{
	struct shutdown_added_edge *added;

	if (run->nr_pool_used < run->nr_pool) {
		added = &run->pool[run->nr_pool_used++];
		added->allocated = false;
	} else {
		/* Far below a page: kvmalloc_array() is kmalloc() here. */
		added = device_shutdown_alloc(run, 1, sizeof(*added),
					      GFP_NOWAIT | __GFP_NOWARN);
		if (!added)
			return NULL;
		added->allocated = true;
	}
	added->all = run->added;
	run->added = added;
	return added;
}

static const char shutdown_too_late[] = "the waiter has started";

#define SHUTDOWN_LEFT_OUT \
	"device_shutdown: %s %s should now wait for %s %s, left out: %s\n"

/**
 * device_shutdown_left_out - say that a run's new dependency is not kept
 * @w: the device that was to wait
 * @n: the device it was to wait for
 * @why: the reason
 *
 * Too late is what the legacy walk did as well, once it had taken @w:
 * that is only worth a note.  Tests count the calls.
 */
VISIBLE_IF_KUNIT void device_shutdown_left_out(struct device *w,
					       struct device *n,
					       const char *why)
{
	KUNIT_STATIC_STUB_REDIRECT(device_shutdown_left_out, w, n, why);
	if (why == shutdown_too_late)
		pr_info(SHUTDOWN_LEFT_OUT, dev_driver_string(w), dev_name(w),
			dev_driver_string(n), dev_name(n), why);
	else
		pr_warn(SHUTDOWN_LEFT_OUT, dev_driver_string(w), dev_name(w),
			dev_driver_string(n), dev_name(n), why);
}
EXPORT_SYMBOL_IF_KUNIT(device_shutdown_left_out);

/*
 * @w is to wait for @n from now on, a dependency made during the run.  If
 * @w has started already, that comes too late, as it did for the legacy
 * walk; and a dependency that would close a cycle is left out.  Either is
 * kept as an edge that holds nothing, so as to be said once.  One with
 * no memory for its edge is not kept, and is tried again at every later
 * change; the run says once that edges ran out (the first one it names
 * stands for the others).  If @n is done by the time the edge is added,
 * @w was held in vain and may be ready now: it goes on @rel.  Return:
 * why the edge was left out, or %NULL (it holds @w, or was known before).
 */
static const char *shutdown_add_dependency(struct shutdown_run *run,
					   struct shutdown_node *n,
					   struct shutdown_node *w,
					   struct shutdown_released *rel)
{
	struct shutdown_added_edge *added;
	const char *left_out = NULL;

	if (n == w || shutdown_edge_known(run, w, n))
		return NULL;
	if (shutdown_mark(run, w, true) == n->walk)
		left_out = "it would close a cycle";
	else if (!shutdown_hold_waiter(w))
		left_out = shutdown_too_late;

	added = shutdown_new_edge(run);
	if (!added) {
		if (!left_out)
			shutdown_dep_done(run, w, rel);
		left_out = "no memory";
		/* Tried again at every change: said once a run. */
		if (run->edge_no_memory)
			return left_out;
		run->edge_no_memory = true;
	} else {
		added->waiter = w;
		added->dep = n;
		added->held = !left_out;
		if (!shutdown_add_waiter(n, added)) {
			/* @n finished meanwhile: there is nothing to wait for. */
			if (added->held)
				shutdown_dep_done(run, w, rel);
			added->held = false;
			left_out = NULL;
		} else if (added->held) {
			run->nr_added++;
			shutdown_keep_sync_order(run, n, w);
		}
	}
	if (left_out)
		device_shutdown_left_out(w->dev, n->dev, left_out);
	return left_out;
}

/*
 * The dependencies of @n that the plan does not have yet.  Only its own
 * parent is looked at, by address: above it, a device may be on its way
 * out (device_del() drops the reference it held on its parent), and a
 * device moved under a late device is taken care of by the late pass.
 */
static void shutdown_add_dependencies(struct shutdown_run *run,
				      struct shutdown_node *n,
				      struct shutdown_released *rel)
{
	struct device_link *link;
	struct shutdown_node *w;

	w = shutdown_plan_find(run, READ_ONCE(n->dev->parent));
	if (w)
		shutdown_add_dependency(run, n, w, rel);
	list_for_each_entry_rcu(link, &n->dev->links.suppliers, c_node,
				device_links_read_lock_held()) {
		w = shutdown_link_waiter(run, link, n->dev);
		if (w)
			shutdown_add_dependency(run, n, w, rel);
	}
}

static bool shutdown_awaited_marked(struct shutdown_awaited *aw,
				    struct shutdown_node *n)
{
	return n->walk == aw->stamp;
}

static bool shutdown_awaited_order(struct shutdown_awaited *aw,
				   struct shutdown_node *n)
{
	aw->why = shutdown_add_dependency(aw->run, n, aw->waiter, aw->rel);
	return aw->why;
}

/*
 * Why @w, held back by @d, cannot wait for what @d waits for: that waits
 * for @w already (a cycle, which a change may close at any time), or it
 * is too far down a chain of late devices to be seen, or late devices on
 * the way wait for each other (then none of them, nor @d, goes before the
 * end of the run), or an edge for it cannot be had.  The edges keep sync
 * nodes in an order the calling thread can run: without them, it could
 * wait for a sync @w while a sync node that @d waits for comes after @w.
 * Return: %NULL if @w waits for all of it.
 */
static const char *shutdown_hold_blocked(struct shutdown_run *run,
					 struct shutdown_deferred *d,
					 struct shutdown_node *w,
					 struct shutdown_released *rel)
{
	struct shutdown_awaited aw = {
		.run	= run,
		.fn	= shutdown_awaited_marked,
		.waiter	= w,
		.rel	= rel,
	};

	aw.stamp = shutdown_mark(run, w, true);
	shutdown_awaited_start(&aw);
	if (shutdown_walk_awaited(d->dev, &aw))
		return "it would close a cycle";
	if (aw.cut)
		return "too many late devices in between";
	if (aw.looped)
		return "late devices in between wait for each other";
	aw.fn = shutdown_awaited_order;
	shutdown_awaited_start(&aw);
	shutdown_walk_awaited(d->dev, &aw);
	return aw.why;
}

/*
 * @w waits for the deferred late device @d: hold it back until @d is shut
 * down, and have it wait for what @d waits for (shutdown_hold_blocked()).
 * Each pass looks again, as what @d waits for may have changed.  A hold
 * that comes too late (@w has started) or that would block the run is
 * let go and said, once, as for an edge (shutdown_add_dependency()).
 */
static void shutdown_hold_back(struct shutdown_run *run,
			       struct shutdown_deferred *d,
			       struct shutdown_node *w,
			       struct shutdown_released *rel)
{
	struct shutdown_held *h;
	const char *why;

	for (h = d->held; h; h = h->next) {
		if (h->node == w)
			break;
	}
	if (!h) {
		h = kzalloc(sizeof(*h), GFP_NOWAIT | __GFP_NOWARN);
		if (!h) {
			if (!d->no_memory)
				device_shutdown_left_out(w->dev, d->dev,
							 "no memory");
			d->no_memory = true;
			return;
		}
		h->node = w;
		h->next = d->held;
		d->held = h;
		h->holds = shutdown_hold_waiter(w);
		if (!h->holds)
			device_shutdown_left_out(w->dev, d->dev,
						 shutdown_too_late);
	}
	h->seen = true;
	if (!h->holds)
		return;
	why = shutdown_hold_blocked(run, d, w, rel);
	if (why) {
		h->drop = true;
		device_shutdown_left_out(w->dev, d->dev, why);
	}
}

/*
 * Hold back the parent and the suppliers of @d that are in the set.  Those
 * that no longer are (a change moved @d, or took a link away) are left
 * unseen, for shutdown_drop_holds().
 */
static void shutdown_hold_back_waiters(struct shutdown_run *run,
				       struct shutdown_deferred *d,
				       struct shutdown_released *rel)
{
	struct device_link *link;
	struct shutdown_node *w;
	struct shutdown_held *h;
	int idx;

	for (h = d->held; h; h = h->next)
		h->seen = false;
	/*
	 * By address, as in shutdown_add_dependencies(); only while @d->dev
	 * is registered, as in shutdown_deferred_waits_for().
	 */
	/* Unlocked: a racing device_del() holds the parent one more pass. */
	w = data_race(device_is_registered(d->dev)) ?
		shutdown_plan_find(run, READ_ONCE(d->dev->parent)) : NULL;
	if (w)
		shutdown_hold_back(run, d, w, rel);
	idx = device_links_read_lock();
	list_for_each_entry_rcu(link, &d->dev->links.suppliers, c_node,
				device_links_read_lock_held()) {
		w = shutdown_link_waiter(run, link, d->dev);
		if (w)
			shutdown_hold_back(run, d, w, rel);
	}
	device_links_read_unlock(idx);
}

/*
 * Let go of the holds of @d that would block the run, and of those on
 * nodes that no longer wait for it: nothing would look at them again.
 * The latter are forgotten, so that a change that makes such a node wait
 * for @d again holds it again.
 */
static void shutdown_drop_holds(struct shutdown_run *run,
				struct shutdown_deferred *d,
				struct shutdown_released *rel)
{
	struct shutdown_held **pos = &d->held, *h;

	while ((h = *pos)) {
		if (h->holds && (h->drop || !h->seen)) {
			h->holds = false;
			shutdown_dep_done(run, h->node, rel);
		}
		h->drop = false;
		if (h->seen) {
			pos = &h->next;
			continue;
		}
		*pos = h->next;
		kfree(h);
	}
}

/* Let go of what @d held back, and of @d. */
static void shutdown_let_go(struct shutdown_run *run,
			    struct shutdown_deferred *d,
			    struct shutdown_released *rel)
{
	struct shutdown_held *h;

	while ((h = d->held)) {
		d->held = h->next;
		if (h->holds)
			shutdown_dep_done(run, h->node, rel);
		kfree(h);
	}
	kfree(d);
}

/*
 * The late devices left for later: shut down those that nothing of the
 * set waits for any more, in the calling thread's lane, and hold back
 * what waits for the others.  Each device done meanwhile asks for a pass
 * (shutdown_finish()).  A device taken off the kset in the meantime
 * (device_del()) is skipped as any other.  Holds are let go only once
 * every device of the sweep has taken its own: a node that one lets go
 * of while another holds it stays held, rather than being found ready,
 * and so too late to hold, by the next.
 */
static void shutdown_retry_deferred(struct shutdown_run *run,
				    struct shutdown_released *rel)
{
	struct shutdown_deferred **pos, *d, *freed;
	bool again;

	/* Pairs with the xchg() of shutdown_release(): see shutdown_finish(). */
	smp_mb();
	/* Until none is freed: one may have waited for one freed after it. */
	do {
		freed = NULL;
		for (pos = &run->deferred; (d = *pos); ) {
			if (shutdown_late_waits(run, d->dev)) {
				shutdown_hold_back_waiters(run, d, rel);
				pos = &d->next;
				continue;
			}
			WRITE_ONCE(*pos, d->next);
			spin_lock(&run->kset->list_lock);
			list_del_init(&d->dev->kobj.entry);
			spin_unlock(&run->kset->list_lock);
			shutdown_late_device(run, d->dev);
			d->next = freed;
			freed = d;
		}
		/*
		 * What the callbacks of the late devices shut down so far
		 * changed, while what they hold back is still held: once
		 * let go, a waiter may be released and too late to hold.
		 */
		shutdown_follow_topology(run, rel);
		for (d = run->deferred; d; d = d->next)
			shutdown_drop_holds(run, d, rel);
		again = freed && run->deferred;
		while ((d = freed)) {
			freed = d->next;
			shutdown_let_go(run, d, rel);
		}
	} while (again);
}

/*
 * device_move() may have placed a device that is not in the set among
 * those taken, next to its new parent or child: put it back on the kset,
 * where it is shut down as a late device.  A cursor keeps the place while
 * the lock is dropped between batches, as in shutdown_kset_hold().
 */
static void shutdown_untake_strays(struct shutdown_run *run)
{
	struct kset *kset = run->kset;
	struct list_head cursor, *pos;
	unsigned int batch = 0;
	struct device *dev;

	spin_lock(&kset->list_lock);
	list_add(&cursor, run->taken);
	while (cursor.next != run->taken) {
		pos = cursor.next;
		list_move(&cursor, pos);
		dev = kobj_to_dev(container_of(pos, struct kobject, entry));
		if (!shutdown_plan_find(run, dev))
			list_move_tail(pos, &kset->list);
		if (!(++batch % SHUTDOWN_KSET_BATCH))
			device_shutdown_kset_relax(kset);
	}
	list_del(&cursor);
	spin_unlock(&kset->list_lock);
}

/*
 * The topology changed since the calling thread last looked: add the new
 * dependencies between the nodes not done yet, and find the devices that
 * the change placed among those taken.  Rare, so it looks at everything.
 */
static void shutdown_follow_topology(struct shutdown_run *run,
				     struct shutdown_released *rel)
{
	unsigned int gen, i;
	int idx;

	while ((gen = atomic_read(&device_shutdown_topology_gen)) !=
	       run->topology_gen) {
		WRITE_ONCE(run->topology_gen, gen);
		/* The topology after the count: see shutdown_topology_now(). */
		smp_mb();
		idx = device_links_read_lock();
		for (i = 0; i < run->nr; i++) {
			if (!shutdown_node_done(&run->nodes[i]))
				shutdown_add_dependencies(run, &run->nodes[i],
							  rel);
			if (!((i + 1) % SHUTDOWN_KSET_BATCH))
				cond_resched();
		}
		device_links_read_unlock(idx);
		if (run->taken)
			shutdown_untake_strays(run);
	}
}

/*
 * Start what waits for nothing, in the order of the set: async nodes in
 * chains of their own, and nodes without callback right away, those that
 * async work waits for in a first pass.  Sync nodes wait for their turn.
 */
static void shutdown_start(struct shutdown_run *run)
{
	struct shutdown_node *n;
	unsigned int i;

	atomic_set(&run->left, run->nr);
	for (i = 0; i < run->nr; i++) {
		n = &run->nodes[i];
		if (n->nr_kept)
			continue;
		if (n->kind == SHUTDOWN_ASYNC) {
			shutdown_start_chain(run, n);
		} else if (n->kind == SHUTDOWN_NONE && n->async_above) {
			shutdown_node_run(run, n);
			shutdown_complete(run, n);
		}
	}
	for (i = 0; i < run->nr; i++) {
		n = &run->nodes[i];
		if (!n->nr_kept && n->kind == SHUTDOWN_NONE && !n->async_above) {
			shutdown_node_run(run, n);
			shutdown_complete(run, n);
		}
	}
}

/*
 * What the calling thread waits for has come: @n is ready (or, for %NULL,
 * every node is done), or late devices must go first, or a chain asked
 * for a late pass.
 */
static bool shutdown_wait_over(struct shutdown_run *run,
			       struct shutdown_node *n)
{
	if (shutdown_late_wanted(run))
		return true;
	return n ? !atomic_read(&n->pending) : !atomic_read(&run->left);
}

/*
 * The calling thread waits until @n is ready, or for the end of the run
 * when @n is %NULL, shutting down late devices that show up meanwhile.
 * It publishes what it waits for before it looks, and a chain that makes
 * @n ready or ends the run looks at that after its fully ordered atomic:
 * whichever comes second sees the other, so no wakeup is lost, and no
 * other completion wakes it.  Nothing between prepare_to_wait() and
 * schedule() can sleep, even on PREEMPT_RT.
 */
static void shutdown_wait(struct shutdown_run *run, struct shutdown_node *n)
{
	DEFINE_WAIT(wait);

	WRITE_ONCE(run->awaited, n);
	/* Pairs with the atomics of shutdown_release() and shutdown_complete(). */
	smp_mb();
	for (;;) {
		shutdown_run_late(run);
		if (n ? !atomic_read(&n->pending) || run->reordered :
			!atomic_read(&run->left))
			break;
		prepare_to_wait(&run->wq, &wait, TASK_UNINTERRUPTIBLE);
		if (!shutdown_wait_over(run, n)) {
			run->sleeps++;
			schedule();
		}
		finish_wait(&run->wq, &wait);
	}
}

/*
 * The calling thread: start what needs nothing, run the sync nodes one
 * at a time in the order of the plan, each once it is ready, then let the
 * chains retire and shut down what was added in the meantime.
 */
static void shutdown_execute(struct shutdown_run *run)
{
	struct shutdown_node *n;
	unsigned int i;

	shutdown_start(run);
	for (i = 0; i < run->nr; ) {
		/* What the last callback changed may make the next one wait. */
		run->reordered = false;
		shutdown_run_late(run);
		n = run->order[i];
		if (n->kind != SHUTDOWN_SYNC) {
			i++;
		} else if (atomic_read(&n->pending)) {
			/* Returns early if a change puts another node first. */
			shutdown_wait(run, n);
		} else {
			shutdown_node_run(run, n);
			shutdown_complete(run, n);
			i++;
		}
	}
	if (atomic_read(&run->left))
		shutdown_wait(run, NULL);
	/* Every node is done; a chain may still be retiring its last entry. */
	for (i = 0; i < atomic_read(&run->nr_chains); i++)
		async_synchronize_full_domain(&run->chains[i].domain);
	shutdown_run_late(run);
}

static void shutdown_free(struct shutdown_run *run)
{
	struct shutdown_deferred *d, *next = run->deferred;
	struct shutdown_released rel = { };
	struct shutdown_added_edge *added;

	/*
	 * Once every node is done, only late devices that wait for each
	 * other are left: device_move() made a cycle of them.  They are
	 * among the devices taken, and the walk after the run shuts them
	 * down, in the order of the kset.
	 */
	while ((d = next)) {
		next = d->next;
		pr_warn("device_shutdown: %s %s waits for a device that waits for it, shut down after the run\n",
			dev_driver_string(d->dev), dev_name(d->dev));
		put_device(d->dev);
		shutdown_let_go(run, d, &rel);
	}

	while ((added = run->added)) {
		run->added = added->all;
		if (added->allocated)
			kvfree(added);
	}
	kvfree(run->pool);
	if (run->reserved)
		async_unreserve(&run->res);
	kvfree(run->lanes);
	shutdown_plan_free(run);
	kvfree(run);
}

/*
 * Everything the execution will use, taken now: the watchdog lanes, a
 * domain per possible chain and an async entry per async device, so that
 * nothing can fail once shutdown runs.
 */
static int shutdown_reserve(struct shutdown_run *run)
{
	size_t size;

	size = size_add(size_mul(run->nr_async + 1, sizeof(*run->lanes)),
			size_mul(run->nr_async, sizeof(*run->chains)));
	run->lanes = device_shutdown_alloc(run, 1, size,
					   GFP_KERNEL | __GFP_ZERO);
	if (!run->lanes)
		return -ENOMEM;
	run->chains = (struct shutdown_chain *)(run->lanes + run->nr_async + 1);
	init_waitqueue_head(&run->wq);
	init_waitqueue_head(&run->late_wq);

	/* For dependencies made during the run: rare, and few at a time. */
	run->nr_pool = SHUTDOWN_ADDED_EDGES + run->nr / 64;
	run->pool = device_shutdown_alloc(run, run->nr_pool,
					  sizeof(*run->pool), GFP_KERNEL);
	if (!run->pool)
		return -ENOMEM;

	if (run->nr_async) {
		if (async_reserve(&run->res, run->nr_async))
			return -ENOMEM;
		run->reserved = true;
	}
	return 0;
}

/*
 * The run of a set, planned and with all it needs; %NULL if short of it.
 * @gen is shutdown_topology_now() from before the set was taken.
 */
static struct shutdown_run *shutdown_prepare(struct device **devs,
					     unsigned int nr, unsigned int gen)
{
	struct shutdown_run *run;

	run = device_shutdown_alloc(NULL, 1, sizeof(*run),
				    GFP_KERNEL | __GFP_ZERO);
	if (!run)
		return NULL;
	run->plan_bytes = sizeof(*run);
	run->task = current;
	run->topology_gen = gen;
	if (shutdown_plan_build(run, devs, nr) || shutdown_reserve(run)) {
		shutdown_free(run);
		return NULL;
	}
	return run;
}

/* Execute @run under the watchdog, then account for it and free it. */
static void shutdown_run_watched(struct shutdown_run *run,
				 const struct device_shutdown_opts *opts,
				 struct device_shutdown_stats *stats, u64 start)
{
	struct shutdown_watchdog wd;
	u64 end;

	stats->prepare_ns = ktime_get_ns() - start;
	shutdown_watchdog_start(&wd, run, opts);
	shutdown_execute(run);
	shutdown_watchdog_stop(&wd, stats);
	end = ktime_get_ns();

	shutdown_account(run, stats);
	shutdown_free(run);
	stats->finish_ns = ktime_get_ns() - end;
}

/**
 * device_shutdown_devices - shut a set of devices down
 * @devs: the devices, in the legacy order: the first is shut down first
 *	when nothing else decides; each once
 * @nr: number of devices
 * @opts: async or legacy, and the watchdog
 * @stats: filled with what the shutdown did
 *
 * The engine behind device_shutdown(); it only touches the devices of the
 * set, so tests can run it on devices of their own.  The caller holds a
 * reference on every device; a device that is no longer registered when
 * its turn comes is skipped.  A device waits for the nearest of its
 * ancestors that is in the set; other dependencies on devices outside the
 * set are ignored.  In the legacy order, or when short of memory, the
 * devices are shut down one at a time in the order of @devs, each as the
 * walk of 6.12 does, with its parent locked.  May sleep for as long as
 * the slowest dependency path takes.
 */
void device_shutdown_devices(struct device **devs, unsigned int nr,
			     const struct device_shutdown_opts *opts,
			     struct device_shutdown_stats *stats)
{
	struct shutdown_run *run = NULL;
	u64 start = ktime_get_ns();

	*stats = (struct device_shutdown_stats) {
		.devices = nr,
		.legacy = !opts->async,
	};
	if (!nr)
		return;
	if (opts->async) {
		run = shutdown_prepare(devs, nr, shutdown_topology_now());
		if (run) {
			shutdown_run_watched(run, opts, stats, start);
			stats->elapsed_ns = ktime_get_ns() - start;
			return;
		}
		pr_warn("device_shutdown: no memory to run %u devices in parallel, shutting them down one at a time\n",
			nr);
		stats->legacy = true;
		stats->no_memory = true;
	}
	stats->skipped = shutdown_legacy_devices(devs, nr);
	stats->peak = 1;
	stats->elapsed_ns = ktime_get_ns() - start;
}
EXPORT_SYMBOL_IF_KUNIT(device_shutdown_devices);

/* The array of the devices held, twice as large; %false if short of memory. */
static bool shutdown_devs_grow(struct device ***devsp, unsigned int *sizep,
			       unsigned int nr)
{
	unsigned int size = max(2 * *sizep, SHUTDOWN_KSET_BATCH);
	struct device **devs;

	/* Beyond what kvmalloc() gives, without its warning. */
	if (*sizep > INT_MAX / sizeof(*devs) / 2)
		return false;
	devs = device_shutdown_alloc(NULL, size, sizeof(*devs), GFP_KERNEL);
	if (!devs)
		return false;
	if (nr)
		memcpy(devs, *devsp, nr * sizeof(*devs));
	kvfree(*devsp);
	*devsp = devs;
	*sizep = size;
	return true;
}

/*
 * The devices on @taken, from its end as the legacy walk takes them, with
 * a reference each, into *@devsp, an array of *@sizep that grows as they
 * come: one pass over the devices rather than one to count them first.
 * A cursor, a list node of our own that nothing else unlinks, keeps the
 * place while the kset lock is dropped, between batches and to grow the
 * array; devices removed meanwhile leave @taken under that lock, as they
 * would the kset.  Return: the number of devices held, in *@devsp even
 * if short of memory, which sets *@no_memory.
 */
static unsigned int shutdown_kset_hold(struct kset *kset,
				       struct list_head *taken,
				       struct device ***devsp,
				       unsigned int *sizep, bool *no_memory)
{
	unsigned int nr = 0, batch = 0;
	struct list_head cursor, *pos;
	struct kobject *kobj;

	spin_lock(&kset->list_lock);
	list_add_tail(&cursor, taken);
	while ((pos = cursor.prev) != taken) {
		if (nr == *sizep || batch == SHUTDOWN_KSET_BATCH) {
			spin_unlock(&kset->list_lock);
			if (nr == *sizep &&
			    !shutdown_devs_grow(devsp, sizep, nr)) {
				*no_memory = true;
				spin_lock(&kset->list_lock);
				break;
			}
			cond_resched();
			batch = 0;
			spin_lock(&kset->list_lock);
			continue;
		}
		kobj = container_of(pos, struct kobject, entry);
		(*devsp)[nr++] = get_device(kobj_to_dev(kobj));
		batch++;
		/* Right before the device just taken. */
		list_move_tail(&cursor, pos);
	}
	list_del(&cursor);
	spin_unlock(&kset->list_lock);
	return nr;
}

/*
 * The devices of @kset, in the order the legacy walk would visit them
 * (last first), with a reference each, and the plan of their shutdown.
 * A device that device_move() put back ahead while they were taken is
 * in @devs twice, with two references: *@nrp counts entries, which
 * shutdown_give_back() drops one by one.
 * They move to @taken, a list that the kset lock still protects: a device
 * removed meanwhile leaves it as it would leave the kset.  The kset's own
 * list is left with the late devices: those added from now on, and those
 * of the set that device_link_add() or device_move() moves back to its
 * end, which shutdown_run_late() takes off again.  A device that
 * device_move() places on @taken is put back on the kset by the next late
 * pass (the move is counted), or by shutdown_give_back() after the last
 * one, for the walk after the run.  Return: the run; %NULL if the kset is
 * empty, or an error pointer if there is not enough memory, and then
 * @kset is as it was.
 */
static struct shutdown_run *shutdown_take_kset(struct kset *kset,
					       struct list_head *taken,
					       struct device ***devsp,
					       unsigned int *nrp)
{
	unsigned int gen = shutdown_topology_now();
	struct shutdown_run *run = NULL;
	struct device **devs = NULL;
	unsigned int size = 0, nr;
	bool no_memory = false;

	spin_lock(&kset->list_lock);
	list_splice_init(&kset->list, taken);
	spin_unlock(&kset->list_lock);

	nr = shutdown_kset_hold(kset, taken, &devs, &size, &no_memory);
	if (nr && !no_memory)
		run = shutdown_prepare(devs, nr, gen);
	if (!run) {
		/* Short of memory, unless nothing was left to shut down. */
		no_memory = no_memory || nr;

		/* Before the devices added meanwhile, as if never taken. */
		spin_lock(&kset->list_lock);
		list_splice(taken, &kset->list);
		INIT_LIST_HEAD(taken);
		spin_unlock(&kset->list_lock);
		while (nr)
			put_device(devs[--nr]);
		kvfree(devs);
		return no_memory ? ERR_PTR(-ENOMEM) : NULL;
	}
	run->plan_bytes += size * sizeof(*devs);
	run->kset = kset;
	run->taken = taken;
	*devsp = devs;
	*nrp = nr;
	return run;
}

/*
 * Take the devices of the set off @taken for good and drop them.  A device
 * of the set is not always still there: one removed meanwhile has left
 * it already, and one that device_link_add() or device_move() moved to
 * the end of the kset since the last late pass sits on the kset's list
 * again.  So each is unlinked from wherever it is.  A late device left
 * for later without the memory to keep track of it, and one that
 * device_move() placed next to one of the set after the last late pass,
 * are on @taken: they go back on the kset, for the final walk.
 */
static void shutdown_give_back(struct kset *kset, struct list_head *taken,
			       struct device **devs, unsigned int nr)
{
	unsigned int i;

	spin_lock(&kset->list_lock);
	for (i = 0; i < nr; i++) {
		if (i && !(i % SHUTDOWN_KSET_BATCH))
			device_shutdown_kset_relax(kset);
		list_del_init(&devs[i]->kobj.entry);
	}
	list_splice_tail_init(taken, &kset->list);
	spin_unlock(&kset->list_lock);
	while (nr)
		put_device(devs[--nr]);
	kvfree(devs);
}

/**
 * device_shutdown_kset - shut down the devices of a kset
 * @kset: the kset; devices_kset for device_shutdown()
 * @opts: async or legacy, and the watchdog
 * @stats: filled with what the shutdown did
 *
 * Takes the devices off @kset, as the legacy walk did, and shuts them
 * down in parallel where they allow it; a device added meanwhile is shut
 * down before the next device starts, or, once the last one has started,
 * by the walk of 6.12 when the run is over.  In the legacy order, or when
 * there is not enough memory for all the run needs, it leaves the kset
 * alone and runs device_shutdown_walk(): the walk of 6.12, unchanged.
 */
void device_shutdown_kset(struct kset *kset,
			  const struct device_shutdown_opts *opts,
			  struct device_shutdown_stats *stats)
{
	u64 start = ktime_get_ns(), end;
	struct shutdown_run *run = NULL;
	struct device **devs;
	unsigned int nr = 0;
	LIST_HEAD(taken);

	*stats = (struct device_shutdown_stats) { .legacy = !opts->async };
	if (opts->async) {
		run = shutdown_take_kset(kset, &taken, &devs, &nr);
		if (IS_ERR(run)) {
			pr_warn("device_shutdown: no memory to run the devices in parallel, shutting them down one at a time\n");
			stats->legacy = true;
			stats->no_memory = true;
			run = NULL;
		}
	}
	if (!run) {
		stats->devices = device_shutdown_walk(kset);
		stats->peak = stats->devices ? 1 : 0;
		stats->elapsed_ns = ktime_get_ns() - start;
		return;
	}

	shutdown_run_watched(run, opts, stats, start);
	end = ktime_get_ns();
	shutdown_give_back(kset, &taken, devs, nr);
	stats->finish_ns += ktime_get_ns() - end;
	/* Whatever came after the last late pass, the way 6.12 would. */
	stats->late += device_shutdown_walk(kset);
	stats->devices += stats->late;
	stats->elapsed_ns = ktime_get_ns() - start;
}
EXPORT_SYMBOL_IF_KUNIT(device_shutdown_kset);

/**
 * device_shutdown_configured - shut down a kset as the parameters say
 * @kset: the kset; devices_kset for device_shutdown()
 * @stats: filled with what the shutdown did
 *
 * Reads driver_core.async_shutdown and driver_core.shutdown_timeout_ms
 * once, before the first device: changing them while devices are being
 * shut down changes nothing for this shutdown.
 */
VISIBLE_IF_KUNIT void
device_shutdown_configured(struct kset *kset,
			   struct device_shutdown_stats *stats)
{
	struct device_shutdown_opts opts = {
		.async		= READ_ONCE(device_shutdown_async),
		.timeout_ms	= READ_ONCE(shutdown_timeout_ms),
	};

	device_shutdown_kset(kset, &opts, stats);
}
EXPORT_SYMBOL_IF_KUNIT(device_shutdown_configured);

/**
 * device_shutdown_all - shut down every device of the system
 *
 * The walk of device_shutdown(), which has blocked probing already.  Ends
 * with a one-line summary, unless driver_core.async_shutdown is off: then
 * the console shows what 6.12 showed, and nothing more.
 */
void device_shutdown_all(void)
{
	struct device_shutdown_stats stats;

	device_shutdown_configured(devices_kset, &stats);
	if (!stats.legacy || stats.no_memory)
		shutdown_report(&stats);
}
