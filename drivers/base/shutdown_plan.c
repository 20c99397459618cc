// SPDX-License-Identifier: GPL-2.0
/*
 * The plan of a device shutdown: the dependency graph of the set, found
 * from parents and device links, sorted with its cycles broken, and what
 * the execution needs to know about each node.  Built before the first
 * device is shut down; the execution only reads it.
 */

#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <linux/device.h>
#include <linux/hash.h>
#include <linux/kobject.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "base.h"
#include "shutdown.h"
#include "shutdown_engine.h"

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
enum shutdown_kind shutdown_kind(struct device *dev)
{
	if (!shutdown_has_callback(dev))
		return SHUTDOWN_NONE;
	return dev_async_shutdown(dev) ? SHUTDOWN_ASYNC : SHUTDOWN_SYNC;
}

/*
 * Finding the node of a device: the set hashed by address, with linear
 * probing in a table at least twice its size, so that a lookup costs a
 * probe or two and no comparison callbacks.  A slot holds the device
 * too, so that a lookup reads the table alone.  The execution uses it
 * too, to recognize devices of the set that show up on the kset list
 * again.
 *
 * The slot of @dev: its own, or the empty one where it would go.
 */
static struct shutdown_slot *shutdown_index_slot(struct shutdown_run *run,
						 struct device *dev)
{
	unsigned int h, mask = BIT(run->slot_bits) - 1;

	for (h = hash_ptr(dev, run->slot_bits);
	     run->slots[h].dev && run->slots[h].dev != dev; h = (h + 1) & mask)
		;
	return &run->slots[h];
}

/* Add @dev as node @node.  Return: %false if it is in already. */
static bool shutdown_index_add(struct shutdown_run *run, struct device *dev,
			       unsigned int node)
{
	struct shutdown_slot *slot = shutdown_index_slot(run, dev);

	if (slot->dev)
		return false;
	*slot = (struct shutdown_slot){ .dev = dev, .node = node };
	return true;
}

/**
 * shutdown_plan_find - the node of a device
 * @run: the run
 * @dev: the device, which may be freed: only its address is used
 *
 * Return: the node of @dev, or %NULL if @dev is not in the set.
 */
struct shutdown_node *shutdown_plan_find(struct shutdown_run *run,
					 struct device *dev)
{
	struct shutdown_slot *slot;

	if (!dev)
		return NULL;
	slot = shutdown_index_slot(run, dev);
	return slot->dev ? &run->nodes[slot->node] : NULL;
}

/**
 * device_shutdown_parent_above - hold the parent a plan may look above
 * @dev: a device of the set, or an ancestor that the caller holds
 *
 * A device holds its parent from device_add() until device_del() has
 * taken it off its kset's list, so the parent is taken under that list's
 * lock while @dev is still on a list of it, as the legacy walk takes it.
 * A device that is not (never added, or removed) may have lost its
 * parent: the plan does not look above it.  A device of a kset run is on
 * the kset's list or on the run's @taken, under the same lock.
 *
 * device_move() is the exception, as it is for the legacy walk: it drops
 * the old parent without that lock when it does not reorder the list
 * (DPM_ORDER_NONE), so a racing move could still give the plan a parent
 * that is on its way out.
 *
 * Return: the parent of @dev with a reference, or %NULL.
 */
VISIBLE_IF_KUNIT struct device *device_shutdown_parent_above(struct device *dev)
{
	struct kset *kset = dev->kobj.kset;
	struct device *parent = NULL;

	KUNIT_STATIC_STUB_REDIRECT(device_shutdown_parent_above, dev);
	if (!kset)
		return NULL;
	spin_lock(&kset->list_lock);
	if (!list_empty(&dev->kobj.entry))
		parent = get_device(READ_ONCE(dev->parent));
	spin_unlock(&kset->list_lock);
	return parent;
}
EXPORT_SYMBOL_IF_KUNIT(device_shutdown_parent_above);

/*
 * The node @dev goes before as a child: its parent's, or, when the parent
 * is not in the set (removed while @dev stays, say), the nearest ancestor
 * that is.  Nothing in the set holds the ancestors above @dev's parent,
 * so each is held while the plan reads its parent.  That is rare: in a
 * kset run, every parent still registered is in the set.
 */
static struct shutdown_node *shutdown_parent_node(struct shutdown_run *run,
						  struct device *dev)
{
	struct device *up, *above, *parent = READ_ONCE(dev->parent);
	struct shutdown_node *n = shutdown_plan_find(run, parent);

	if (n || !parent)
		return n;
	for (up = device_shutdown_parent_above(dev); up; up = above) {
		n = shutdown_plan_find(run, READ_ONCE(up->parent));
		above = n ? NULL : device_shutdown_parent_above(up);
		put_device(up);
	}
	return n;
}

/*
 * Whether the link makes its supplier wait for @consumer.  A sync-state-
 * only link only defers sync_state(), and a consumer that is not
 * registered has nothing to shut down: neither orders anything.
 */
bool shutdown_link_orders(struct device_link *link, struct device *consumer)
{
	return !(link->flags & DL_FLAG_SYNC_STATE_ONLY) &&
	       device_is_registered(consumer);
}

/*
 * The node that @link makes wait for @consumer: its supplier's, if the
 * link orders shutdown and the supplier is in the set; else %NULL.
 */
struct shutdown_node *shutdown_link_waiter(struct shutdown_run *run,
					   struct device_link *link,
					   struct device *consumer)
{
	if (!shutdown_link_orders(link, consumer))
		return NULL;
	return shutdown_plan_find(run, link->supplier);
}

/* Add an edge from @n to @w, if there is room. */
static void shutdown_add_edge(struct shutdown_edge *edges, unsigned int *nr,
			      unsigned int room, struct shutdown_node *n,
			      struct shutdown_node *w)
{
	if (edges && *nr < room)
		edges[*nr] = (struct shutdown_edge) {
			.dep	= n - n->run->nodes,
			.waiter	= w - w->run->nodes,
		};
	(*nr)++;
}

/*
 * The waiters of @n: @parent, its parent or nearest ancestor in the set,
 * and the suppliers in the set of the links that order it.  With @edges,
 * also fill in at most @room of them, and stop there: the links are not
 * read at all once the parent fills the room, as for most devices.  The
 * caller holds the device links read lock, which does not keep links from
 * being added meanwhile.  Return: the number of waiters found.
 */
static unsigned int shutdown_find_waiters(struct shutdown_run *run,
					  struct shutdown_node *n,
					  struct shutdown_node *parent,
					  struct shutdown_edge *edges,
					  unsigned int room)
{
	struct shutdown_node *w;
	struct device_link *link;
	unsigned int nr = 0;

	if (parent)
		shutdown_add_edge(edges, &nr, room, n, parent);
	if (edges && nr >= room)
		return nr;
	list_for_each_entry_rcu(link, &n->dev->links.suppliers, c_node,
				device_links_read_lock_held()) {
		if (edges && nr >= room)
			break;
		w = shutdown_link_waiter(run, link, n->dev);
		if (w)
			shutdown_add_edge(edges, &nr, room, n, w);
	}
	return nr;
}

/*
 * Every dependency within the set, as edges grouped by the dependency,
 * and indexed by the node that waits: each node then finds what waits
 * for it and what it waits for as one slice of an array.  The edges are
 * counted first, then found again into an array of that size; a link
 * added in between is left out, as if it came after the plan.  Between
 * the two passes, ->walk keeps the parent's node (index + 1, 0 for none)
 * so that it is looked up once, and only a device that had waiters by
 * its links has them read again (see shutdown_find_waiters()): most
 * devices have none.
 */
static int shutdown_build_graph(struct shutdown_run *run)
{
	unsigned int i, nr = 0, deps = 0, room, found;
	struct shutdown_node *n, *parent;
	struct shutdown_edge *e;
	int idx;

	idx = device_links_read_lock();
	for (i = 0; i < run->nr; i++) {
		n = &run->nodes[i];
		parent = shutdown_parent_node(run, n->dev);
		n->walk = parent ? parent - run->nodes + 1 : 0;
		n->nr_waiters = shutdown_find_waiters(run, n, parent, NULL, 0);
		nr += n->nr_waiters;
	}
	run->edges = device_shutdown_alloc(run, nr, sizeof(*run->edges) +
					   sizeof(*run->dep_edges), GFP_KERNEL);
	if (!run->edges) {
		device_links_read_unlock(idx);
		return -ENOMEM;
	}
	run->dep_edges = (unsigned int *)(run->edges + nr);
	for (i = 0; i < run->nr; i++) {
		n = &run->nodes[i];
		parent = n->walk ? &run->nodes[n->walk - 1] : NULL;
		n->walk = 0;
		room = n->nr_waiters;
		n->waiters = run->nr_edges;
		found = shutdown_find_waiters(run, n, parent,
					      run->edges + n->waiters, room);
		n->nr_waiters = min(room, found);
		run->nr_edges += n->nr_waiters;
	}
	device_links_read_unlock(idx);

	for (i = 0; i < run->nr_edges; i++)
		run->nodes[run->edges[i].waiter].nr_deps++;
	for (i = 0; i < run->nr; i++) {
		n = &run->nodes[i];
		n->deps = deps;
		deps += n->nr_deps;
		n->nr_deps = 0;
	}
	for (i = 0; i < run->nr_edges; i++) {
		e = &run->edges[i];
		n = &run->nodes[e->waiter];
		run->dep_edges[n->deps + n->nr_deps++] = i;
	}
	return 0;
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
	shutdown_dep_edge(run, stack[cut], stack[cut]->walk - 1)->broken = true;
	run->cycles++;

	for (i = cut + 1; i < depth; i++) {
		stack[i]->mark = SHUTDOWN_UNSEEN;
		stack[i]->walk = 0;
	}
	return cut + 1;
}

/*
 * Whether each node comes after everything it waits for already, in the
 * order of the set: the order the driver core keeps devices_kset in,
 * unless device_move() placed a device badly.  The walk below would then
 * give that order back unchanged, after walking every edge.
 */
static bool shutdown_set_order_sorted(struct shutdown_run *run)
{
	unsigned int i;

	for (i = 0; i < run->nr_edges; i++) {
		if (run->edges[i].dep >= run->edges[i].waiter)
			return false;
	}
	return true;
}

/*
 * Sort the nodes so that each comes after everything it waits for.  Walk
 * depth-first along dependencies, starting from each node in set order
 * and visiting its dependencies in set order too: where the set order is
 * already valid it is kept as it is.  The calling thread runs the sync
 * nodes in this order, so a sync device keeps its place of the legacy
 * walk unless that walk would have shut it down before a dependency.
 */
static void shutdown_sort(struct shutdown_run *run)
{
	struct shutdown_node **stack = run->stack;
	struct shutdown_node *n, *dep;
	unsigned int i, depth, pos = 0;
	struct shutdown_edge *e;

	if (shutdown_set_order_sorted(run)) {
		for (i = 0; i < run->nr; i++)
			run->order[i] = &run->nodes[i];
		return;
	}
	for (i = 0; i < run->nr; i++) {
		if (run->nodes[i].mark != SHUTDOWN_UNSEEN)
			continue;
		depth = 0;
		stack[depth++] = &run->nodes[i];
		run->nodes[i].mark = SHUTDOWN_OPEN;
		while (depth) {
			n = stack[depth - 1];
			if (n->walk == n->nr_deps) {
				n->mark = SHUTDOWN_SORTED;
				run->order[pos++] = n;
				depth--;
				continue;
			}
			e = shutdown_dep_edge(run, n, n->walk++);
			if (e->broken)
				continue;
			dep = &run->nodes[e->dep];
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
 * What the execution needs to know about each node once the graph is
 * sorted: how many dependencies it waits for (where its count of pending
 * ones starts), and how much async work waits for it, so that the nodes
 * without callback that hold chains up go first.
 */
static void shutdown_rank(struct shutdown_run *run)
{
	struct shutdown_node *n, *w;
	struct shutdown_edge *e;
	unsigned int i, j;

	for (i = run->nr; i--; ) {
		n = run->order[i];
		for (j = 0; j < n->nr_waiters; j++) {
			e = &run->edges[n->waiters + j];
			if (e->broken)
				continue;
			w = &run->nodes[e->waiter];
			w->nr_kept++;
			atomic_set(&w->pending, w->nr_kept);
			n->async_above = max(n->async_above, w->async_above +
					     (w->kind == SHUTDOWN_ASYNC));
		}
	}
}

/* The next node, for @dev; written whole rather than zeroed first. */
static void shutdown_add_node(struct shutdown_run *run, struct device *dev)
{
	struct shutdown_node *n = &run->nodes[run->nr++];

	*n = (struct shutdown_node) {
		.dev	= dev,
		.run	= run,
		.kind	= shutdown_kind(dev),
	};
	run->nr_async += n->kind == SHUTDOWN_ASYNC;
}

/*
 * A node for each device, in order, as it enters the index: one pass.
 * Return: %false at the first device that comes a second time.
 */
static bool shutdown_index_all(struct shutdown_run *run, struct device **devs,
			       unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (!shutdown_index_add(run, devs[i], run->nr))
			return false;
		shutdown_add_node(run, devs[i]);
	}
	return true;
}

/*
 * The devices of a kset are taken with its lock dropped now and then, and
 * device_move() may put one taken already back among those not taken yet,
 * where it is met a second time.  It keeps its last place, where the kset
 * has it now, as the legacy walk would find it.  That is rare, so it is
 * done over: the index takes each device at its last place first, from
 * the end, then the nodes are written in order, at those places only.
 */
static void shutdown_index_last(struct shutdown_run *run, struct device **devs,
				unsigned int nr)
{
	struct shutdown_slot *slot;
	unsigned int i;

	memset(run->slots, 0, BIT(run->slot_bits) * sizeof(*run->slots));
	for (i = nr; i--; )
		shutdown_index_add(run, devs[i], i);
	run->nr = 0;
	run->nr_async = 0;
	for (i = 0; i < nr; i++) {
		slot = shutdown_index_slot(run, devs[i]);
		if (slot->node != i)
			continue;
		slot->node = run->nr;
		shutdown_add_node(run, devs[i]);
	}
}

/* The nodes, the order, the sorting stack and the index: one allocation. */
static int shutdown_alloc_nodes(struct shutdown_run *run,
				struct device **devs, unsigned int nr)
{
	size_t size;

	run->slot_bits = ilog2(roundup_pow_of_two(2 * nr));
	size = size_add(size_mul(nr, sizeof(*run->nodes) +
				 2 * sizeof(*run->order)),
			size_mul(BIT(run->slot_bits), sizeof(*run->slots)));
	run->nodes = device_shutdown_alloc(run, 1, size, GFP_KERNEL);
	if (!run->nodes)
		return -ENOMEM;
	run->order = (struct shutdown_node **)(run->nodes + nr);
	run->stack = run->order + nr;
	run->slots = (struct shutdown_slot *)(run->stack + nr);

	memset(run->slots, 0, BIT(run->slot_bits) * sizeof(*run->slots));
	if (!shutdown_index_all(run, devs, nr))
		shutdown_index_last(run, devs, nr);
	return 0;
}

/**
 * shutdown_plan_build - the plan of a shutdown of a set of devices
 * @run: the run to plan, zeroed
 * @devs: the devices, in the legacy order; one that comes twice keeps
 *	its last place
 * @nr: number of devices, at least one
 *
 * Return: 0, or -ENOMEM; shutdown_plan_free() cleans up either way.
 */
int shutdown_plan_build(struct shutdown_run *run, struct device **devs,
			unsigned int nr)
{
	if (shutdown_alloc_nodes(run, devs, nr) || shutdown_build_graph(run))
		return -ENOMEM;
	shutdown_sort(run);
	shutdown_rank(run);
	return 0;
}

void shutdown_plan_free(struct shutdown_run *run)
{
	kvfree(run->edges);
	kvfree(run->nodes);
}
