// SPDX-License-Identifier: GPL-2.0
/*
 * The plan of a device shutdown: the dependency graph of the set, found
 * from parents and device links, sorted with its cycles broken, and the
 * orders the execution follows.  Built before the first device is shut
 * down, and not changed by the execution.
 */

#include <linux/device.h>
#include <linux/hash.h>
#include <linux/kobject.h>
#include <linux/rculist.h>
#include <linux/printk.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/slab.h>

#include "base.h"
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
static enum shutdown_kind shutdown_kind(struct device *dev)
{
	if (!shutdown_has_callback(dev))
		return SHUTDOWN_NONE;
	return dev_async_shutdown(dev) ? SHUTDOWN_ASYNC : SHUTDOWN_SYNC;
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
			     struct shutdown_node *dep,
			     struct shutdown_node *waiter)
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
		.dep	= dep - dep->run->nodes,
		.waiter	= waiter - waiter->run->nodes,
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
 * Lay the edges out by the dependency they start from, and index them by
 * the node that waits: each node then finds what waits for it and what it
 * waits for as one slice of an array.
 */
static int shutdown_lay_out_edges(struct shutdown_run *run,
				  struct shutdown_edge_list *list)
{
	unsigned int i, waiters = 0, deps = 0;
	struct shutdown_edge *e;
	struct shutdown_node *n;

	run->nr_edges = list->nr;
	run->edges = kvmalloc_array(list->nr, sizeof(*run->edges), GFP_KERNEL);
	run->dep_edges = kvmalloc_array(list->nr, sizeof(*run->dep_edges),
					GFP_KERNEL);
	if (!run->edges || !run->dep_edges)
		return -ENOMEM;

	for (i = 0; i < list->nr; i++) {
		run->nodes[list->edges[i].dep].nr_waiters++;
		run->nodes[list->edges[i].waiter].nr_deps++;
	}
	for (i = 0; i < run->nr; i++) {
		n = &run->nodes[i];
		n->waiters = waiters;
		n->deps = deps;
		waiters += n->nr_waiters;
		deps += n->nr_deps;
		n->nr_waiters = 0;
		n->nr_deps = 0;
	}
	for (i = 0; i < list->nr; i++) {
		n = &run->nodes[list->edges[i].dep];
		run->edges[n->waiters + n->nr_waiters++] = list->edges[i];
	}
	for (i = 0; i < run->nr_edges; i++) {
		e = &run->edges[i];
		n = &run->nodes[e->waiter];
		run->dep_edges[n->deps + n->nr_deps++] = i;
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
	shutdown_dep_edge(run, stack[cut], stack[cut]->walk - 1)->broken = true;
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
		for (j = 0; j < n->nr_deps; j++) {
			e = shutdown_dep_edge(run, n, j);
			if (e->broken)
				continue;
			dep = &run->nodes[e->dep];
			n->nr_kept++;
			n->async_below = max(n->async_below, dep->async_below +
					     (dep->kind == SHUTDOWN_ASYNC));
		}
		atomic_set(&n->pending, n->nr_kept);
	}
	for (i = run->nr; i--; ) {
		n = run->order[i];
		for (j = 0; j < n->nr_waiters; j++) {
			e = &run->edges[n->waiters + j];
			if (e->broken)
				continue;
			dep = &run->nodes[e->waiter];
			if (dep->kind == SHUTDOWN_ASYNC || dep->feeds_async)
				n->feeds_async = true;
		}
	}
}

/*
 * The sync loop runs first what async chains wait for, then the rest.
 * Within each group, those with fewer async stages below them come first:
 * they can run before the loop has to wait for any chain.  A dependency of
 * a node never has more async stages below it, nor feeds async devices
 * less, so the order stays topological.
 */
static unsigned int shutdown_sync_bucket(const struct shutdown_node *n,
					 unsigned int max_below)
{
	return (n->feeds_async ? 0 : max_below + 1) + n->async_below;
}

/* A counting sort by bucket, topological within each bucket. */
static int shutdown_order_sync(struct shutdown_run *run)
{
	unsigned int i, b, nr_buckets, max_below = 0, *next;
	struct shutdown_node *n;

	for (i = 0; i < run->nr; i++) {
		n = run->order[i];
		if (n->kind == SHUTDOWN_SYNC)
			max_below = max(max_below, n->async_below);
	}
	nr_buckets = 2 * (max_below + 1);
	next = kvcalloc(nr_buckets + 1, sizeof(*next), GFP_KERNEL);
	if (!next)
		return -ENOMEM;

	for (i = 0; i < run->nr; i++) {
		n = run->order[i];
		if (n->kind == SHUTDOWN_SYNC)
			next[shutdown_sync_bucket(n, max_below) + 1]++;
	}
	for (b = 0; b < nr_buckets; b++)
		next[b + 1] += next[b];
	run->nr_sync = next[nr_buckets];
	for (i = 0; i < run->nr; i++) {
		n = run->order[i];
		if (n->kind == SHUTDOWN_SYNC)
			run->sync_order[next[shutdown_sync_bucket(n, max_below)]++] = n;
	}
	kvfree(next);
	return 0;
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
	return 0;
}

/**
 * shutdown_plan_build - the plan of a shutdown of a set of devices
 * @run: the run to plan, zeroed
 * @devs: the devices, in the legacy order
 * @nr: number of devices
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
	return shutdown_order_sync(run);
}

void shutdown_plan_free(struct shutdown_run *run)
{
	kvfree(run->dep_edges);
	kvfree(run->edges);
	kvfree(run->nodes);
}
