// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the device shutdown engine (drivers/base/shutdown.c).
 *
 * Each case registers devices of its own and shuts them down through the
 * engine; the machine's devices are never touched.  Devices with a
 * callback sit on a test bus whose ->shutdown() records when, on which
 * task and in which global sequence it ran, and may sleep.  Devices
 * without any callback sit on no bus.
 *
 * What each device must wait for comes from the test's own model of the
 * topology, built from the parents and links the test created, never from
 * the engine.  Devices without a callback leave no trace, so ordering is
 * checked between devices with callbacks, through the transitive closure
 * of the model.
 *
 * Parallelism is proven with rendezvous, never with the clock: devices
 * that must run at the same time each wait, with a timeout, until all of
 * them have entered their callbacks.  Only sdt_test_random_timed compares
 * elapsed times, against bounds that any valid schedule meets; a loaded
 * host only skips it, unless strict_timing is set (make bench).
 */

#include <kunit/resource.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/async.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/nodemask.h>
#include <linux/prandom.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/topology.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <trace/events/device_shutdown.h>

#include "../shutdown.h"

#define SDT_MAX_DEVS		64
#define SDT_MAX_LINKS		128
#define SDT_RANDOM_DAGS		2000
#define SDT_TIMED_DAGS		6
#define SDT_CHURN_DAGS		200
#define SDT_SLACK_NS		(10 * NSEC_PER_MSEC)
#define SDT_TIMED_TRIES		3
#define SDT_STRAY		UINT_MAX	/* sdt_dev::id of a stray device */
/* How long a rendezvous or an awaited event may take before it failed. */
#define SDT_MEET_TIMEOUT	(5 * HZ)
/*
 * The watchdog's timeout where it must name some devices and not others.
 * Those it must name wait until it has; the others have next to nothing
 * to do, and would have to be held up for a whole second to be named.
 */
#define SDT_WATCH_MS		1000

enum sdt_kind {
	SDT_SYNC,	/* a callback, no opt-in */
	SDT_ASYNC,	/* a callback and device_enable_async_shutdown() */
	SDT_NONE,	/* no callback at all */
};

struct sdt_topo;

struct sdt_dev {
	struct device		dev;
	struct sdt_topo		*topo;
	struct sdt_dev		*parent;
	unsigned int		id;
	enum sdt_kind		kind;
	unsigned int		sleep_ms;
	unsigned int		sleep_us;	/* of fuzzed topologies */
	unsigned int		bare_sleep_ms;	/* one bare sleep */
	bool			registered;
	bool			in_set;
	u64			deps;	/* children and consumers, by id */
	void			(*hook)(struct sdt_dev *sd);
	struct sdt_dev		*victim;	/* of hooks that remove */
	struct sdt_dev		*late_parent;	/* of hooks that add */
	struct sdt_dev		*late_supplier;
	enum dpm_order		dpm_order;	/* of hooks that move */
	bool			linked;		/* the hook's link was made */
	bool			fresh;		/* ... before its supplier ran */
	bool			meets;	/* joins the topology's rendezvous */
	struct completion	*announce;	/* completed on entry */
	struct completion	*await;		/* waited for on entry */
	struct completion	*finished;	/* completed on exit */
	struct completion	named;		/* by the watchdog */
	ktime_t			named_at;	/* when it was */
	/* written by the callback */
	atomic_t		calls;
	unsigned int		start_seq;
	unsigned int		end_seq;
	ktime_t			start;
	ktime_t			end;
	struct task_struct	*task;
	int			ran_on_node;
	bool			parent_locked;
	bool			met;	/* everyone was there */
	bool			awaited;	/* @await completed in time */
	bool			cut_short;	/* the bare sleep was */
	bool			chain_waited;	/* see sdt_add_and_remove_late() */
	bool			released;	/* see sdt_poison_release() */
};

struct sdt_link {
	struct sdt_dev		*consumer;
	struct sdt_dev		*supplier;
	bool			sync_state_only;
	bool			honoured;	/* orders them, as the engine sees it */
};

/*
 * Devices that must be shut down at the same time each wait here until
 * all of them have arrived.  One that waits in vain gives up after
 * SDT_MEET_TIMEOUT and lets the others go at once.
 */
struct sdt_meeting {
	atomic_t		arrived;
	unsigned int		expected;
	bool			failed;
	wait_queue_head_t	wq;
};

struct sdt_topo {
	struct kunit		*test;
	struct sdt_dev		*devs[SDT_MAX_DEVS];
	unsigned int		nr;
	struct sdt_link		links[SDT_MAX_LINKS];
	unsigned int		nr_links;
	struct device		*set[SDT_MAX_DEVS];
	unsigned int		nr_set;
	struct kset		*kset;
	atomic_t		seq;
	atomic_t		sync_running;
	atomic_t		sync_overlaps;
	struct device_shutdown_stats stats;
	struct async_stats	before;
	struct async_stats	after;
	ktime_t			run_start;
	struct sdt_dev		*late;	/* added by a hook, if any */
	struct sdt_dev		*late_above;	/* ... under this one */
	struct sdt_meeting	meeting;
	atomic_t		stray_calls;	/* of devices not in devs[] */
	struct completion	stalled;	/* reported by the watchdog */
	struct device		*stall_dev;	/* what held it up */
	struct completion	*on_stall;	/* completed with @stalled */
};

static atomic_t sdt_names = ATOMIC_INIT(0);

static void sdt_meet(struct sdt_dev *sd)
{
	struct sdt_meeting *m = &sd->topo->meeting;

	if (atomic_inc_return(&m->arrived) == m->expected) {
		wake_up_all(&m->wq);
	} else if (!wait_event_timeout(m->wq,
				       atomic_read(&m->arrived) >= m->expected ||
				       READ_ONCE(m->failed),
				       SDT_MEET_TIMEOUT)) {
		WRITE_ONCE(m->failed, true);
		wake_up_all(&m->wq);
	}
	sd->met = atomic_read(&m->arrived) >= m->expected;
}

/*
 * One bare sleep, as some drivers do: a wakeup it did not ask for ends it
 * early, which the legacy walk never caused.  The rest is slept anyway.
 */
static void sdt_bare_sleep(struct sdt_dev *sd)
{
	long left;

	left = schedule_timeout_uninterruptible(msecs_to_jiffies(sd->bare_sleep_ms));
	sd->cut_short = left;
	if (left)
		schedule_timeout_uninterruptible(left);
}

static void sdt_shutdown(struct device *dev)
{
	struct sdt_dev *sd = container_of(dev, struct sdt_dev, dev);
	struct sdt_topo *t = sd->topo;
	bool sync = sd->kind == SDT_SYNC;

	if (sd->id == SDT_STRAY) {
		atomic_inc(&t->stray_calls);
		return;
	}

	if (sync && atomic_inc_return(&t->sync_running) > 1)
		atomic_inc(&t->sync_overlaps);
	atomic_inc(&sd->calls);
	sd->task = current;
	sd->ran_on_node = numa_node_id();
	sd->start = ktime_get();
	sd->start_seq = atomic_inc_return(&t->seq);
	if (dev->parent)
		sd->parent_locked = mutex_is_locked(&dev->parent->mutex);
	if (sd->announce)
		complete_all(sd->announce);
	if (sd->await)
		sd->awaited = wait_for_completion_timeout(sd->await,
							  SDT_MEET_TIMEOUT);
	if (sd->meets)
		sdt_meet(sd);
	if (sd->bare_sleep_ms)
		sdt_bare_sleep(sd);
	if (sd->sleep_ms)
		msleep(sd->sleep_ms);
	if (sd->sleep_us)
		usleep_range(sd->sleep_us, 2 * sd->sleep_us);
	if (sd->hook)
		sd->hook(sd);
	sd->end_seq = atomic_inc_return(&t->seq);
	sd->end = ktime_get();
	if (sync)
		atomic_dec(&t->sync_running);
	if (sd->finished)
		complete_all(sd->finished);
}

static const struct bus_type sdt_bus = {
	.name		= "shutdown_kunit",
	.shutdown	= sdt_shutdown,
};

static void sdt_release(struct device *dev)
{
	kfree(container_of(dev, struct sdt_dev, dev));
}

/*
 * A release that leaves the device where it was, with its parent pointer
 * cleared as if the memory were reused, so that a read of it after the
 * last reference was dropped shows without KASAN.  sdt_topo_release()
 * frees it.
 */
static void sdt_poison_release(struct device *dev)
{
	struct sdt_dev *sd = container_of(dev, struct sdt_dev, dev);

	sd->released = true;
	dev->parent = NULL;
}

static unsigned int sdt_depth(struct sdt_dev *sd)
{
	unsigned int depth = 0;

	for (; sd->parent; sd = sd->parent)
		depth++;
	return depth;
}

/*
 * Tear a topology down, children first: deepest first, since a device
 * moved under another may sit below one created after it, then the last
 * created first.  The depths are taken before anything is released, as a
 * device may be freed as soon as it is unregistered.
 */
static void sdt_topo_release(void *data)
{
	struct sdt_topo *t = data;
	unsigned int i, depth, deepest = 0, depths[SDT_MAX_DEVS];
	struct sdt_dev *sd;

	for (i = 0; i < t->nr; i++) {
		depths[i] = sdt_depth(t->devs[i]);
		deepest = max(deepest, depths[i]);
	}
	for (depth = deepest + 1; depth--; ) {
		for (i = t->nr; i--; ) {
			sd = t->devs[i];
			if (depths[i] != depth)
				continue;
			if (sd->released)
				kfree(sd);
			else if (sd->registered)
				device_unregister(&sd->dev);
			else
				put_device(&sd->dev);
		}
	}
	if (t->kset)
		kset_unregister(t->kset);
	kfree(t);
}

static struct sdt_topo *sdt_topo_new(struct kunit *test)
{
	struct sdt_topo *t = kzalloc(sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	init_waitqueue_head(&t->meeting.wq);
	init_completion(&t->stalled);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, sdt_topo_release, t));
	return t;
}

static void sdt_topo_done(struct sdt_topo *t)
{
	kunit_release_action(t->test, sdt_topo_release, t);
}

/*
 * A device, initialized but not added.  Returns NULL on failure without
 * asserting, so that it can be used from a shutdown callback too.
 */
static struct sdt_dev *sdt_alloc(struct sdt_topo *t, struct sdt_dev *parent,
				 enum sdt_kind kind, unsigned int sleep_ms)
{
	struct sdt_dev *sd;

	if (t->nr == SDT_MAX_DEVS)
		return NULL;
	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return NULL;
	sd->topo = t;
	sd->id = t->nr;
	sd->kind = kind;
	sd->sleep_ms = sleep_ms;
	init_completion(&sd->named);
	device_initialize(&sd->dev);
	sd->dev.release = sdt_release;
	if (parent) {
		sd->parent = parent;
		sd->dev.parent = &parent->dev;
		parent->deps |= BIT_ULL(sd->id);
	}
	if (kind != SDT_NONE)
		sd->dev.bus = &sdt_bus;
	if (kind == SDT_ASYNC)
		device_enable_async_shutdown(&sd->dev);
	if (t->kset)
		sd->dev.kobj.kset = t->kset;
	dev_set_uevent_suppress(&sd->dev, true);
	t->devs[t->nr++] = sd;
	if (dev_set_name(&sd->dev, "sdt%d", atomic_inc_return(&sdt_names)))
		return NULL;
	return sd;
}

static int sdt_register(struct sdt_dev *sd)
{
	int ret = device_add(&sd->dev);

	sd->registered = !ret;
	return ret;
}

/* A registered device; the usual way to build a topology. */
static struct sdt_dev *sdt_add(struct sdt_topo *t, struct sdt_dev *parent,
			       enum sdt_kind kind, unsigned int sleep_ms)
{
	struct sdt_dev *sd = sdt_alloc(t, parent, kind, sleep_ms);

	KUNIT_ASSERT_NOT_NULL(t->test, sd);
	KUNIT_ASSERT_EQ(t->test, 0, sdt_register(sd));
	return sd;
}

/*
 * @consumer uses @supplier: the supplier waits for the consumer, unless
 * the link only defers sync_state() or the consumer is not registered.
 */
static void sdt_link(struct sdt_topo *t, struct sdt_dev *consumer,
		     struct sdt_dev *supplier, bool sync_state_only)
{
	u32 flags = sync_state_only ? DL_FLAG_SYNC_STATE_ONLY :
				      DL_FLAG_STATELESS;

	KUNIT_ASSERT_LT(t->test, t->nr_links, SDT_MAX_LINKS);
	KUNIT_ASSERT_NOT_NULL(t->test, device_link_add(&consumer->dev,
						       &supplier->dev, flags));
	t->links[t->nr_links++] = (struct sdt_link) {
		.consumer = consumer,
		.supplier = supplier,
		.sync_state_only = sync_state_only,
		.honoured = !sync_state_only && consumer->registered,
	};
	if (!sync_state_only)
		supplier->deps |= BIT_ULL(consumer->id);
}

/* @sd joins the rendezvous of its topology. */
static void sdt_meets(struct sdt_dev *sd)
{
	sd->meets = true;
	sd->topo->meeting.expected++;
}

static void sdt_set_add(struct sdt_topo *t, struct sdt_dev *sd)
{
	sd->in_set = true;
	t->set[t->nr_set++] = &sd->dev;
}

/* The set in the order given, first shut down first in the legacy order. */
#define sdt_set(t, ...)							\
	do {								\
		struct sdt_dev *__devs[] = { __VA_ARGS__ };		\
		unsigned int __i;					\
									\
		for (__i = 0; __i < ARRAY_SIZE(__devs); __i++)		\
			sdt_set_add(t, __devs[__i]);			\
	} while (0)

/* Every device, last created first, as device_shutdown() takes them. */
static void sdt_set_all(struct sdt_topo *t)
{
	unsigned int i;

	for (i = t->nr; i--; )
		sdt_set_add(t, t->devs[i]);
}

static void sdt_reset(struct sdt_topo *t)
{
	struct sdt_dev *sd;
	unsigned int i;

	for (i = 0; i < t->nr; i++) {
		sd = t->devs[i];
		atomic_set(&sd->calls, 0);
		sd->start_seq = 0;
		sd->end_seq = 0;
		sd->task = NULL;
		sd->parent_locked = false;
		sd->met = false;
		sd->awaited = false;
		sd->cut_short = false;
		if (sd->announce)
			reinit_completion(sd->announce);
		if (sd->finished)
			reinit_completion(sd->finished);
		reinit_completion(&sd->named);
		sd->named_at = 0;
		sd->ran_on_node = NUMA_NO_NODE;
	}
	reinit_completion(&t->stalled);
	t->stall_dev = NULL;
	atomic_set(&t->meeting.arrived, 0);
	t->meeting.failed = false;
	atomic_set(&t->seq, 0);
	atomic_set(&t->sync_running, 0);
	atomic_set(&t->sync_overlaps, 0);
}

/*
 * The watchdog has named a device of the topology: if it waits for its
 * name (sdt_await_name()), it may go on.  Every device the engine runs in
 * a test is one of ours.
 */
static void sdt_watchdog_reported(struct device *dev, void *data)
{
	struct sdt_dev *sd = container_of(dev, struct sdt_dev, dev);

	sd->named_at = ktime_get();
	complete_all(&sd->named);
}

/* The watchdog has reported a stall, held up by @dev if not %NULL. */
static void sdt_watchdog_stalled(struct device *dev, void *data)
{
	struct sdt_topo *t = data;

	t->stall_dev = dev;
	complete_all(&t->stalled);
	if (t->on_stall)
		complete_all(t->on_stall);
}

/* @sd waits in its callback until the watchdog has named it. */
static void sdt_await_name(struct sdt_dev *sd)
{
	sd->sleep_ms = 0;
	sd->await = &sd->named;
}

static void sdt_run(struct sdt_topo *t, bool async, unsigned int timeout_ms)
{
	struct device_shutdown_opts opts = {
		.async = async,
		.timeout_ms = timeout_ms,
		.reported = sdt_watchdog_reported,
		.stalled = sdt_watchdog_stalled,
		.reported_data = t,
	};

	sdt_reset(t);
	async_get_stats(&t->before);
	t->run_start = ktime_get();
	device_shutdown_devices(t->set, t->nr_set, &opts, &t->stats);
	async_get_stats(&t->after);
}

static bool sdt_has_callback(struct sdt_dev *sd)
{
	return sd->kind != SDT_NONE;
}

/* Shut down by the engine: in the set, and registered when its turn came. */
static bool sdt_expected(struct sdt_dev *sd)
{
	return sd->in_set && sd->registered && sdt_has_callback(sd);
}

/* The nearest ancestor of @sd in the set, if any. */
static struct sdt_dev *sdt_set_ancestor(struct sdt_dev *sd)
{
	struct sdt_dev *a;

	for (a = sd->parent; a && !a->in_set; a = a->parent)
		;
	return a;
}

/*
 * What each device of the set waits for directly: its children, or
 * through a parent outside the set the nearest descendants in the set,
 * and the consumers of its links that order anything.
 */
static void sdt_direct_deps(struct sdt_topo *t, u64 *deps)
{
	struct sdt_dev *sd, *a;
	struct sdt_link *l;
	unsigned int i;

	memset(deps, 0, t->nr * sizeof(*deps));
	for (i = 0; i < t->nr; i++) {
		sd = t->devs[i];
		a = sd->in_set ? sdt_set_ancestor(sd) : NULL;
		if (a)
			deps[a->id] |= BIT_ULL(i);
	}
	for (i = 0; i < t->nr_links; i++) {
		l = &t->links[i];
		if (l->honoured && l->consumer->in_set && l->supplier->in_set)
			deps[l->supplier->id] |= BIT_ULL(l->consumer->id);
	}
}

/* What each device waits for, directly or through others. */
static void sdt_closure(struct sdt_topo *t, u64 *closure)
{
	unsigned int i, j;
	bool changed;
	u64 next;

	sdt_direct_deps(t, closure);
	do {
		changed = false;
		for (i = 0; i < t->nr; i++) {
			next = closure[i];
			for (j = 0; j < t->nr; j++) {
				if (closure[i] & BIT_ULL(j))
					next |= closure[j];
			}
			if (next != closure[i]) {
				closure[i] = next;
				changed = true;
			}
		}
	} while (changed);
}

/* Whether some device of the set waits for itself, through the others. */
static bool sdt_model_has_cycle(struct sdt_topo *t)
{
	u64 closure[SDT_MAX_DEVS];
	unsigned int i;

	sdt_closure(t, closure);
	for (i = 0; i < t->nr; i++) {
		if (closure[i] & BIT_ULL(i))
			return true;
	}
	return false;
}

/* Each device with a callback ran exactly once, and no other. */
static bool sdt_check_calls(struct sdt_topo *t, u32 seed)
{
	struct sdt_dev *sd;
	unsigned int i;
	int want;

	for (i = 0; i < t->nr; i++) {
		sd = t->devs[i];
		want = sdt_expected(sd) ? 1 : 0;
		if (atomic_read(&sd->calls) != want) {
			KUNIT_FAIL(t->test, "seed %u: %s shut down %d times, expected %d",
				   seed, dev_name(&sd->dev),
				   atomic_read(&sd->calls), want);
			return false;
		}
	}
	return true;
}

/* Every device started only after everything it waits for had finished. */
static bool sdt_check_order(struct sdt_topo *t, u32 seed)
{
	u64 closure[SDT_MAX_DEVS];
	struct sdt_dev *u, *v;
	unsigned int i, j;

	sdt_closure(t, closure);
	for (i = 0; i < t->nr; i++) {
		v = t->devs[i];
		if (!sdt_expected(v))
			continue;
		for (j = 0; j < t->nr; j++) {
			u = t->devs[j];
			if (!(closure[i] & BIT_ULL(j)) || !sdt_expected(u))
				continue;
			if (u->end_seq > v->start_seq) {
				KUNIT_FAIL(t->test,
					   "seed %u: %s started (%u) before %s, which it waits for, finished (%u)",
					   seed, dev_name(&v->dev), v->start_seq,
					   dev_name(&u->dev), u->end_seq);
				return false;
			}
		}
	}
	return true;
}

/* Sync devices ran one at a time, all on the calling task. */
static bool sdt_check_sync(struct sdt_topo *t, u32 seed)
{
	struct sdt_dev *a, *b;
	unsigned int i, j;

	if (atomic_read(&t->sync_overlaps)) {
		KUNIT_FAIL(t->test, "seed %u: sync devices overlapped", seed);
		return false;
	}
	for (i = 0; i < t->nr; i++) {
		a = t->devs[i];
		if (a->kind != SDT_SYNC || !sdt_expected(a))
			continue;
		if (a->task != current) {
			KUNIT_FAIL(t->test, "seed %u: sync %s ran on %s, not the calling task",
				   seed, dev_name(&a->dev),
				   a->task ? a->task->comm : "nothing");
			return false;
		}
		if (a->dev.parent && !a->parent_locked) {
			KUNIT_FAIL(t->test, "seed %u: sync %s ran without its parent locked",
				   seed, dev_name(&a->dev));
			return false;
		}
		for (j = i + 1; j < t->nr; j++) {
			b = t->devs[j];
			if (b->kind != SDT_SYNC || !sdt_expected(b))
				continue;
			if (a->start_seq < b->end_seq &&
			    b->start_seq < a->end_seq) {
				KUNIT_FAIL(t->test, "seed %u: sync %s and %s overlapped",
					   seed, dev_name(&a->dev),
					   dev_name(&b->dev));
				return false;
			}
		}
	}
	return true;
}

static struct sdt_dev *sdt_set_dev(struct sdt_topo *t, unsigned int pos)
{
	return container_of(t->set[pos], struct sdt_dev, dev);
}

/*
 * Place the device at @pos of the set in the model's sync order, after
 * everything it waits for: those first, in set order.
 */
static void sdt_model_visit(struct sdt_topo *t, const u64 *deps,
			    unsigned int pos, u64 *seen,
			    struct sdt_dev **seq, unsigned int *nr)
{
	struct sdt_dev *sd = sdt_set_dev(t, pos), *dep;
	unsigned int j;

	*seen |= BIT_ULL(sd->id);
	for (j = 0; j < t->nr_set; j++) {
		dep = sdt_set_dev(t, j);
		if ((deps[sd->id] & BIT_ULL(dep->id)) &&
		    !(*seen & BIT_ULL(dep->id)))
			sdt_model_visit(t, deps, j, seen, seq, nr);
	}
	if (sd->kind == SDT_SYNC && sdt_expected(sd))
		seq[(*nr)++] = sd;
}

/*
 * The sync devices ran in the order of the legacy walk, the set order,
 * made to honour the dependencies where it does not: each device placed
 * after everything it waits for, depth first from each device of the set
 * in set order.  Where the set order honours the dependencies, that is
 * the set order itself.  A topology with a cycle has no such order.
 */
static bool sdt_check_sync_order(struct sdt_topo *t, u32 seed)
{
	struct sdt_dev *seq[SDT_MAX_DEVS];
	u64 deps[SDT_MAX_DEVS], seen = 0;
	unsigned int pos, i, nr = 0;

	if (sdt_model_has_cycle(t))
		return true;
	sdt_direct_deps(t, deps);
	for (pos = 0; pos < t->nr_set; pos++) {
		if (!(seen & BIT_ULL(sdt_set_dev(t, pos)->id)))
			sdt_model_visit(t, deps, pos, &seen, seq, &nr);
	}
	for (i = 0; i + 1 < nr; i++) {
		if (seq[i]->start_seq > seq[i + 1]->start_seq) {
			KUNIT_FAIL(t->test,
				   "seed %u: sync %s ran before %s, which the legacy order puts first",
				   seed, dev_name(&seq[i + 1]->dev),
				   dev_name(&seq[i]->dev));
			return false;
		}
	}
	return true;
}

/* Callbacks ran exactly in set order, one at a time, on the calling task. */
static bool sdt_check_legacy(struct sdt_topo *t, u32 seed)
{
	unsigned int i, seq = 0;
	struct sdt_dev *sd;

	if (!t->stats.legacy || t->stats.chains || t->stats.peak > 1) {
		KUNIT_FAIL(t->test, "seed %u: legacy run reported %u chains, peak %u",
			   seed, t->stats.chains, t->stats.peak);
		return false;
	}
	for (i = 0; i < t->nr_set; i++) {
		sd = container_of(t->set[i], struct sdt_dev, dev);
		if (!sdt_expected(sd))
			continue;
		if (sd->start_seq != seq + 1 || sd->end_seq != seq + 2 ||
		    sd->task != current) {
			KUNIT_FAIL(t->test, "seed %u: %s is not number %u of the legacy order",
				   seed, dev_name(&sd->dev), i);
			return false;
		}
		if (sd->parent && !sd->parent_locked) {
			KUNIT_FAIL(t->test, "seed %u: %s ran without its parent locked",
				   seed, dev_name(&sd->dev));
			return false;
		}
		seq += 2;
	}
	return true;
}

/* Dependencies the engine must have found: parents and honoured links. */
static unsigned int sdt_model_edges(struct sdt_topo *t)
{
	struct sdt_link *l;
	struct sdt_dev *sd;
	unsigned int i, nr = 0;

	for (i = 0; i < t->nr; i++) {
		sd = t->devs[i];
		if (sd->in_set && sdt_set_ancestor(sd))
			nr++;
	}
	for (i = 0; i < t->nr_links; i++) {
		l = &t->links[i];
		if (l->honoured && l->consumer->in_set && l->supplier->in_set)
			nr++;
	}
	return nr;
}

static unsigned int sdt_count_async(struct sdt_topo *t)
{
	unsigned int i, nr = 0;

	for (i = 0; i < t->nr; i++)
		nr += t->devs[i]->in_set && t->devs[i]->kind == SDT_ASYNC;
	return nr;
}

static bool sdt_check_stats(struct sdt_topo *t, u32 seed)
{
	struct device_shutdown_stats *st = &t->stats;

	if (st->legacy || st->devices != t->nr_set || st->cycles ||
	    st->edges != sdt_model_edges(t) ||
	    st->async != sdt_count_async(t) || st->chains > st->async ||
	    t->after.inline_fallbacks != t->before.inline_fallbacks) {
		KUNIT_FAIL(t->test,
			   "seed %u: stats: %u devices (%u), %u edges (%u), %u async (%u), %u chains, %u cycles, legacy %d, %llu inline fallbacks",
			   seed, st->devices, t->nr_set, st->edges,
			   sdt_model_edges(t), st->async, sdt_count_async(t),
			   st->chains, st->cycles, st->legacy,
			   t->after.inline_fallbacks -
			   t->before.inline_fallbacks);
		return false;
	}
	return true;
}

static bool sdt_check_all(struct sdt_topo *t, u32 seed)
{
	return sdt_check_calls(t, seed) && sdt_check_order(t, seed) &&
	       sdt_check_sync(t, seed) && sdt_check_sync_order(t, seed) &&
	       sdt_check_stats(t, seed);
}

static u64 sdt_duration(struct sdt_dev *sd)
{
	return sdt_expected(sd) ? ktime_to_ns(ktime_sub(sd->end, sd->start)) : 0;
}

/* The longest dependency path, weighing each device by its callback. */
static u64 sdt_critical_ns(struct sdt_topo *t)
{
	u64 path[SDT_MAX_DEVS] = { }, deps[SDT_MAX_DEVS], before, longest = 0;
	unsigned int i, j, round;
	struct sdt_dev *sd;

	sdt_direct_deps(t, deps);
	/* The model is acyclic: nr rounds of relaxation settle it. */
	for (round = 0; round < t->nr; round++) {
		for (i = 0; i < t->nr; i++) {
			sd = t->devs[i];
			if (!sd->in_set)
				continue;
			before = 0;
			for (j = 0; j < t->nr; j++) {
				if (deps[i] & BIT_ULL(j))
					before = max(before, path[j]);
			}
			path[i] = before + sdt_duration(sd);
		}
	}
	for (i = 0; i < t->nr; i++)
		longest = max(longest, path[i]);
	return longest;
}

static const char * const sdt_kind_name[] = {
	[SDT_SYNC] = "sync", [SDT_ASYNC] = "async", [SDT_NONE] = "none",
};

/* When a timed run fails: when each device ran, and where. */
static void sdt_dump_timeline(struct sdt_topo *t)
{
	struct sdt_dev *sd;
	unsigned int i;

	for (i = 0; i < t->nr; i++) {
		sd = t->devs[i];
		if (!sdt_expected(sd)) {
			kunit_info(t->test, "%s %s waits for %#llx",
				   dev_name(&sd->dev), sdt_kind_name[sd->kind],
				   sd->deps);
			continue;
		}
		kunit_info(t->test, "%s %s waits for %#llx: %lld-%lld us, pid %d",
			   dev_name(&sd->dev), sdt_kind_name[sd->kind], sd->deps,
			   ktime_us_delta(sd->start, t->run_start),
			   ktime_us_delta(sd->end, t->run_start),
			   task_pid_nr(sd->task));
	}
}

/* The time sync devices took: they are serialized, whatever the order. */
static u64 sdt_sync_ns(struct sdt_topo *t)
{
	unsigned int i;
	u64 sum = 0;

	for (i = 0; i < t->nr; i++) {
		if (t->devs[i]->kind == SDT_SYNC)
			sum += sdt_duration(t->devs[i]);
	}
	return sum;
}

/*
 * The bound of a timed run is a performance goal: a loaded host only ever
 * adds time, so make check, which may run on one, skips a case that never
 * met it, and make bench, which measures, fails it.  The same goes for a
 * race that a case needs to go one way, and a loaded host may make go the
 * other.
 */
static bool strict_timing;
module_param(strict_timing, bool, 0444);
MODULE_PARM_DESC(strict_timing,
		 "fail a timed run that never meets its bound, or a race that went the other way, rather than skip the case (default off)");

/*
 * The parallel run took no longer than a schedule that never leaves the
 * sync loop idle while a sync device is ready: the critical path, plus
 * the sync devices off it that may have been in its way, give or take 2%
 * and 10 ms.  The engine measured the critical path as we did, as
 * closely.
 *
 * Return: 0 if the run met its bound; -ETIME if it took longer, which a
 * loaded host may cause (@report: say so, a failure with strict_timing);
 * -EINVAL, reported, if it cannot be right: a run shorter than its
 * critical path, or the engine's measure not ours.
 */
static int sdt_check_timing(struct sdt_topo *t, u32 seed, bool report)
{
	u64 cp = sdt_critical_ns(t), sync = sdt_sync_ns(t);
	u64 bound = cp + sync + cp / 50 + SDT_SLACK_NS;
	struct device_shutdown_stats *st = &t->stats;

	kunit_info(t->test, "seed %u: %u devices, %u chains, peak %u: %llu us elapsed, %llu us critical path (engine: %llu us), %llu us in sync devices",
		   seed, st->devices, st->chains, st->peak,
		   div_u64(st->elapsed_ns, NSEC_PER_USEC),
		   div_u64(cp, NSEC_PER_USEC),
		   div_u64(st->critical_ns, NSEC_PER_USEC),
		   div_u64(sync, NSEC_PER_USEC));
	/*
	 * The engine times callbacks with local_clock(), which ticks in
	 * jiffies on some machines (UML): either way of ours, within slack.
	 */
	if (st->critical_ns + cp / 50 + SDT_SLACK_NS < cp ||
	    st->critical_ns > cp + cp / 50 + SDT_SLACK_NS) {
		KUNIT_FAIL(t->test, "seed %u: engine critical path %llu us, ours %llu us",
			   seed, div_u64(st->critical_ns, NSEC_PER_USEC),
			   div_u64(cp, NSEC_PER_USEC));
		return -EINVAL;
	}
	if (st->elapsed_ns < cp) {
		KUNIT_FAIL(t->test, "seed %u: %llu us elapsed, less than the critical path",
			   seed, div_u64(st->elapsed_ns, NSEC_PER_USEC));
		return -EINVAL;
	}
	if (st->elapsed_ns <= bound)
		return 0;
	if (report && strict_timing) {
		KUNIT_FAIL(t->test, "seed %u: %llu us elapsed, bound %llu us",
			   seed, div_u64(st->elapsed_ns, NSEC_PER_USEC),
			   div_u64(bound, NSEC_PER_USEC));
		sdt_dump_timeline(t);
	} else if (report) {
		kunit_info(t->test, "seed %u: %llu us elapsed, bound %llu us, over it on every try",
			   seed, div_u64(st->elapsed_ns, NSEC_PER_USEC),
			   div_u64(bound, NSEC_PER_USEC));
	}
	return -ETIME;
}

/*
 * A timed run.  The chains of a first run on a freshly booted machine may
 * wait for the workqueue to create workers, which a machine that has been
 * up for a while has.  So the first run is checked for its order only.
 * Noise on a busy host only ever adds time: the run meets its bound if one
 * of a few more does, and each of them is checked for its order.
 *
 * Return: %false if a check failed, the bound only with strict_timing;
 * *@late if no run met the bound.
 */
static bool sdt_run_timed(struct sdt_topo *t, u32 seed, bool *late)
{
	unsigned int try;
	int ret;

	sdt_run(t, true, 0);
	kunit_info(t->test, "seed %u: first run: %llu us elapsed, %llu us critical path",
		   seed, div_u64(t->stats.elapsed_ns, NSEC_PER_USEC),
		   div_u64(sdt_critical_ns(t), NSEC_PER_USEC));
	if (!sdt_check_all(t, seed))
		return false;
	for (try = 1; try <= SDT_TIMED_TRIES; try++) {
		sdt_run(t, true, 0);
		if (!sdt_check_all(t, seed))
			return false;
		ret = sdt_check_timing(t, seed, try == SDT_TIMED_TRIES);
		if (ret != -ETIME)
			return !ret;
	}
	*late = true;
	return !strict_timing;
}

/*
 * Mark @test skipped for what this host did not let it test, unless an
 * expectation already failed: a skip would overwrite the failure.
 */
#define sdt_untested(test, fmt, ...)					\
	do {								\
		struct kunit *__test = (test);				\
									\
		if (READ_ONCE(__test->status) != KUNIT_FAILURE)		\
			kunit_mark_skipped(__test, fmt, ##__VA_ARGS__);	\
	} while (0)

static bool sdt_before(struct sdt_dev *a, struct sdt_dev *b)
{
	return a->end_seq < b->start_seq;
}

/* Every device of the rendezvous was in its callback with all the others. */
static bool sdt_all_met(struct sdt_topo *t)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++) {
		if (t->devs[i]->meets && !t->devs[i]->met) {
			KUNIT_FAIL(t->test, "%s waited in vain for %u devices to meet (%d came)",
				   dev_name(&t->devs[i]->dev),
				   t->meeting.expected,
				   atomic_read(&t->meeting.arrived));
			return false;
		}
	}
	return true;
}

/*
 * A chain: eight async devices and one without callback, each the parent
 * of the next.  One chain carries them all, on one worker, one after the
 * other: a runner per device would start eight.
 */
static void sdt_test_single_chain(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *sd = NULL, *top;
	unsigned int i;

	top = sdt_add(t, NULL, SDT_ASYNC, 0);
	sd = top;
	for (i = 0; i < 8; i++)
		sd = sdt_add(t, sd, i == 4 ? SDT_NONE : SDT_ASYNC, 0);
	sdt_set_all(t);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_EQ(test, t->stats.chains, 1);
	KUNIT_EXPECT_EQ(test, t->stats.peak, 1);
	for (i = 1, sd = top; i < t->nr; i++) {
		if (t->devs[i]->kind != SDT_ASYNC)
			continue;
		KUNIT_EXPECT_TRUE(test, sdt_before(t->devs[i], sd));
		KUNIT_EXPECT_PTR_EQ(test, t->devs[i]->task, top->task);
		sd = t->devs[i];
	}
	KUNIT_EXPECT_PTR_NE(test, top->task, current);
	/* One runner for the chain; two more for unrelated async work. */
	KUNIT_EXPECT_LE(test, t->after.workers_started - t->before.workers_started,
			3);
}

/*
 * Sixteen async leaves under one async bridge: all sixteen are in their
 * callbacks at the same time, each in a chain of its own.
 */
static void sdt_test_leaves_under_bridge(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *bridge = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_dev *leaf[16];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(leaf); i++) {
		leaf[i] = sdt_add(t, bridge, SDT_ASYNC, 0);
		sdt_meets(leaf[i]);
	}
	sdt_set_all(t);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_all_met(t));
	KUNIT_EXPECT_EQ(test, t->stats.chains, ARRAY_SIZE(leaf));
	KUNIT_EXPECT_EQ(test, t->stats.peak, ARRAY_SIZE(leaf));
	for (i = 0; i < ARRAY_SIZE(leaf); i++)
		KUNIT_EXPECT_TRUE(test, sdt_before(leaf[i], bridge));
}

/*
 * The PCIe tree of the boot test: a root port with NVMe A and a switch
 * upstream port, whose two downstream ports hold NVMe B and C.  Ports are
 * sync devices with callbacks in the middle of the tree; each NVMe has a
 * controller and a namespace without callbacks below it.
 */
static struct sdt_dev *sdt_add_nvme(struct sdt_topo *t, struct sdt_dev *port)
{
	struct sdt_dev *nvme = sdt_add(t, port, SDT_ASYNC, 0);
	struct sdt_dev *ctrl = sdt_add(t, nvme, SDT_NONE, 0);

	sdt_add(t, ctrl, SDT_NONE, 0);
	sdt_meets(nvme);
	return nvme;
}

static void sdt_test_pcie_tree(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *rp = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *nvme_a = sdt_add_nvme(t, rp);
	struct sdt_dev *usp = sdt_add(t, rp, SDT_SYNC, 0);
	struct sdt_dev *dsp1 = sdt_add(t, usp, SDT_SYNC, 0);
	struct sdt_dev *dsp2 = sdt_add(t, usp, SDT_SYNC, 0);
	struct sdt_dev *nvme_b = sdt_add_nvme(t, dsp1);
	struct sdt_dev *nvme_c = sdt_add_nvme(t, dsp2);

	sdt_set_all(t);
	sdt_run(t, true, 0);
	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_all_met(t));
	KUNIT_EXPECT_TRUE(test, sdt_before(nvme_b, dsp1));
	KUNIT_EXPECT_TRUE(test, sdt_before(nvme_c, dsp2));
	KUNIT_EXPECT_TRUE(test, sdt_before(dsp1, usp) && sdt_before(dsp2, usp));
	KUNIT_EXPECT_TRUE(test, sdt_before(nvme_a, rp) && sdt_before(usp, rp));
	KUNIT_EXPECT_EQ(test, t->stats.chains, 3);
	KUNIT_EXPECT_EQ(test, t->stats.async, 3);
}

/*
 * A sync child with a callback under an async parent: child first, on
 * the calling task, while an unrelated async device is being shut down.
 */
static void sdt_test_async_parent_sync_child(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_dev *child = sdt_add(t, parent, SDT_SYNC, 0);
	struct sdt_dev *other = sdt_add(t, NULL, SDT_ASYNC, 0);

	sdt_meets(child);
	sdt_meets(other);
	sdt_set_all(t);
	sdt_run(t, true, 0);
	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_all_met(t));
	KUNIT_EXPECT_TRUE(test, sdt_before(child, parent));
	KUNIT_EXPECT_PTR_EQ(test, child->task, current);
	KUNIT_EXPECT_PTR_NE(test, parent->task, current);
}

/* Async children of a sync parent run at the same time, the parent after. */
static void sdt_test_sync_parent_async_children(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *a = sdt_add(t, parent, SDT_ASYNC, 0);
	struct sdt_dev *b = sdt_add(t, parent, SDT_ASYNC, 0);

	sdt_meets(a);
	sdt_meets(b);
	sdt_set_all(t);
	sdt_run(t, true, 0);
	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_all_met(t));
	KUNIT_EXPECT_TRUE(test, sdt_before(a, parent) && sdt_before(b, parent));
	KUNIT_EXPECT_PTR_EQ(test, parent->task, current);
}

/*
 * One async -> sync -> async pipeline: the sync device in the middle and
 * the async device above it, in the order it is registered.
 */
struct sdt_pipeline {
	struct sdt_dev	*top;
	struct sdt_dev	*sync;
	struct sdt_dev	*bottom;
};

static void sdt_add_pipeline(struct sdt_topo *t, struct sdt_pipeline *p)
{
	p->top = sdt_add(t, NULL, SDT_ASYNC, 0);
	p->sync = sdt_add(t, p->top, SDT_SYNC, 0);
	p->bottom = sdt_add(t, p->sync, SDT_ASYNC, 0);
}

/*
 * Two pipelines, async -> sync -> async, in both registration orders.
 * The sync devices keep the legacy order even where it costs time: in
 * one of the two, the first sync device waits for the slow bottom of its
 * pipeline while the second is ready.  A driver that never opted in may
 * rely on that order.
 */
static void sdt_test_sync_keeps_legacy_order(struct kunit *test)
{
	struct sdt_pipeline p[2];
	struct sdt_topo *t;
	unsigned int first;

	for (first = 0; first < 2; first++) {
		t = sdt_topo_new(test);
		sdt_add_pipeline(t, &p[first]);
		sdt_add_pipeline(t, &p[!first]);
		p[0].bottom->sleep_ms = 20;
		sdt_set_all(t);
		sdt_run(t, true, 0);

		KUNIT_EXPECT_TRUE(test, sdt_check_all(t, first));
		/* Last registered first. */
		KUNIT_EXPECT_TRUE_MSG(test, sdt_before(p[!first].sync,
						       p[first].sync),
				      "registered %s first: the sync devices left the legacy order",
				      first ? "the second" : "the first");
		sdt_topo_done(t);
	}
}

/*
 * A hung async device holds up what depends on it, and the sync devices
 * after those in the legacy order, but nothing before them: a sync
 * device that the legacy order puts before the hung device's sync parent
 * runs while it hangs.
 */
static void sdt_test_hung_async_spares_sync(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *top = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_dev *parent = sdt_add(t, top, SDT_SYNC, 0);
	struct sdt_dev *hung = sdt_add(t, parent, SDT_ASYNC, 0);
	struct sdt_dev *other = sdt_add(t, NULL, SDT_SYNC, 0);
	struct completion go;

	init_completion(&go);
	hung->await = &go;
	other->announce = &go;
	sdt_set(t, other, hung, parent, top);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_TRUE_MSG(test, hung->awaited,
			      "an earlier sync device waited for a hung async one");
	KUNIT_EXPECT_TRUE(test, sdt_before(other, parent));
}

/*
 * Four async chains three deep, each under a sync device, and ten sync
 * devices that need nothing, registered in turns.  A sync loop that ran
 * whichever sync device is ready would run the ten first; the legacy
 * order interleaves them with those that wait for chains, and that is
 * the order they must run in.
 */
static void sdt_test_sync_legacy_order(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *sync[14], *a;
	unsigned int i, j, nr = 0;

	for (i = 0; i < 4; i++) {
		sync[nr++] = sdt_add(t, NULL, SDT_SYNC, 0);
		a = sync[nr - 1];
		for (j = 0; j < 3; j++)
			a = sdt_add(t, a, SDT_ASYNC, 2);
		sync[nr++] = sdt_add(t, NULL, SDT_SYNC, 0);
		if (i < 2)
			sync[nr++] = sdt_add(t, NULL, SDT_SYNC, 0);
		if (i < 2)
			sync[nr++] = sdt_add(t, NULL, SDT_SYNC, 0);
	}
	while (nr < ARRAY_SIZE(sync))
		sync[nr++] = sdt_add(t, NULL, SDT_SYNC, 0);
	sdt_set_all(t);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	/* Registered later, shut down earlier. */
	for (i = 0; i + 1 < nr; i++)
		KUNIT_EXPECT_TRUE_MSG(test, sdt_before(sync[i + 1], sync[i]),
				      "sync device %u of 14 ran out of the legacy order",
				      i + 1);
}

/*
 * A sync driver that sleeps with one bare schedule_timeout_uninterruptible()
 * sleeps its whole time, while async chains finish around it and make the
 * next sync device ready: nothing wakes the calling thread inside a
 * driver's callback, as nothing did in the legacy walk.
 */
static void sdt_test_sync_sleep_not_cut_short(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *child[4], *sleeper;
	struct completion asleep;
	unsigned int i;

	init_completion(&asleep);
	for (i = 0; i < ARRAY_SIZE(child); i++) {
		child[i] = sdt_add(t, parent, SDT_ASYNC, 0);
		child[i]->await = &asleep;
	}
	sleeper = sdt_add(t, NULL, SDT_SYNC, 0);
	sleeper->bare_sleep_ms = 200;
	sleeper->announce = &asleep;
	sdt_set_all(t);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	for (i = 0; i < ARRAY_SIZE(child); i++)
		KUNIT_EXPECT_TRUE(test, child[i]->awaited);
	KUNIT_EXPECT_FALSE_MSG(test, sleeper->cut_short,
			       "the sleep of a sync driver was cut short");
}

/*
 * Sixteen async children finish one after the other, in the order of the
 * set; their sync parent then runs.  The sync loop sleeps once, until the
 * last of them has finished, instead of waiting for each in turn: it is
 * woken once, not once per child.
 */
static void sdt_test_sync_waits_once(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *child[16];
	struct completion done[16];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(done); i++) {
		init_completion(&done[i]);
		child[i] = sdt_add(t, parent, SDT_ASYNC, 2);
		child[i]->finished = &done[i];
	}
	/* The set takes the last registered first: it finishes first. */
	for (i = 0; i + 1 < ARRAY_SIZE(done); i++)
		child[i]->await = &done[i + 1];
	sdt_set_all(t);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_LE(test, t->after.wakeups - t->before.wakeups, 1);
	KUNIT_EXPECT_LE(test, t->stats.sleeps, 1);
}

/*
 * A supplier waits for its consumers; a sync-state-only link orders
 * nothing, even one that points the other way.
 */
static void sdt_test_links(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *supplier = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *slow = sdt_add(t, NULL, SDT_ASYNC, 20);
	struct sdt_dev *consumer = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *sso = sdt_add(t, NULL, SDT_SYNC, 0);

	sdt_link(t, slow, supplier, false);
	sdt_link(t, consumer, supplier, false);
	/* If honoured, this one would close a cycle. */
	sdt_link(t, supplier, consumer, true);
	sdt_link(t, sso, consumer, true);
	sdt_set(t, supplier, consumer, sso, slow);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_before(slow, supplier));
	KUNIT_EXPECT_TRUE(test, sdt_before(consumer, supplier));
	KUNIT_EXPECT_EQ(test, t->stats.edges, 2);
	KUNIT_EXPECT_EQ(test, t->stats.cycles, 0);
	/* Nothing orders them, so the set order stands. */
	KUNIT_EXPECT_TRUE(test, sdt_before(consumer, sso));
}

/*
 * Registered after its consumer, the supplier comes first in a set taken
 * last-registered first: the legacy walk would get it wrong.
 */
static void sdt_test_supplier_after_consumer(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *consumer = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *async_consumer = sdt_add(t, NULL, SDT_ASYNC, 10);
	struct sdt_dev *supplier = sdt_add(t, NULL, SDT_SYNC, 0);

	sdt_link(t, consumer, supplier, false);
	sdt_link(t, async_consumer, supplier, false);
	sdt_set_all(t);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_before(consumer, supplier));
	KUNIT_EXPECT_TRUE(test, sdt_before(async_consumer, supplier));
}

/* A parent ahead of its children in the set still waits for them. */
static void sdt_test_parent_first_in_set(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *child = sdt_add(t, parent, SDT_SYNC, 0);
	struct sdt_dev *aparent = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_dev *achild = sdt_add(t, aparent, SDT_ASYNC, 10);
	struct sdt_dev *grandchild = sdt_add(t, achild, SDT_SYNC, 0);

	sdt_set(t, parent, aparent, achild, child, grandchild);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_before(child, parent));
	KUNIT_EXPECT_TRUE(test, sdt_before(grandchild, achild));
	KUNIT_EXPECT_TRUE(test, sdt_before(achild, aparent));
}

/*
 * A consumer that is not registered yet has no private part (NULL
 * dev->p): it orders nothing, in the set or out of it, and the engine
 * leaves it alone.
 */
static void sdt_test_unregistered_consumer(struct kunit *test)
{
	struct sdt_dev *supplier, *consumer;
	struct sdt_topo *t;
	unsigned int in_set;

	for (in_set = 0; in_set < 2; in_set++) {
		t = sdt_topo_new(test);
		supplier = sdt_add(t, NULL, in_set ? SDT_SYNC : SDT_ASYNC, 0);
		consumer = sdt_alloc(t, NULL, SDT_ASYNC, 0);
		KUNIT_ASSERT_NOT_NULL(test, consumer);
		sdt_link(t, consumer, supplier, false);
		KUNIT_ASSERT_NULL(test, consumer->dev.p);
		if (in_set)
			sdt_set(t, supplier, consumer);
		else
			sdt_set(t, supplier);
		sdt_run(t, true, 0);

		KUNIT_EXPECT_TRUE(test, sdt_check_all(t, in_set));
		KUNIT_EXPECT_EQ(test, t->stats.edges, 0);
		KUNIT_EXPECT_EQ(test, t->stats.skipped, in_set);
		KUNIT_EXPECT_EQ(test, atomic_read(&consumer->calls), 0);
		KUNIT_EXPECT_EQ(test, atomic_read(&supplier->calls), 1);
		KUNIT_EXPECT_NULL(test, consumer->dev.p);
		sdt_topo_done(t);
	}
}

/*
 * A parent outside the set (device_del()'d while its child stays
 * registered, or simply not given) does not cut its child loose: the
 * child still goes before the nearest ancestor that is in the set, here
 * the grandparent, sync or async.
 */
static void sdt_test_outside_ancestor(struct kunit *test)
{
	enum sdt_kind kinds[] = { SDT_SYNC, SDT_ASYNC };
	struct sdt_dev *grandparent, *parent, *child;
	struct sdt_topo *t;
	unsigned int i;

	for (i = 0; i < 2 * ARRAY_SIZE(kinds); i++) {
		t = sdt_topo_new(test);
		grandparent = sdt_add(t, NULL, kinds[i / 2], 0);
		parent = sdt_add(t, grandparent, SDT_SYNC, 0);
		child = sdt_add(t, parent, SDT_ASYNC, 10);
		if (i % 2) {
			device_del(&parent->dev);
			parent->registered = false;
		}
		sdt_set(t, grandparent, child);
		sdt_run(t, true, 0);

		KUNIT_EXPECT_TRUE(test, sdt_check_all(t, i));
		KUNIT_EXPECT_EQ(test, t->stats.edges, 1);
		KUNIT_EXPECT_TRUE(test, sdt_before(child, grandparent));
		KUNIT_EXPECT_EQ(test, atomic_read(&parent->calls), 0);
		sdt_topo_done(t);
	}
}

static struct sdt_dev *sdt_removed_while_planned;
static atomic_t sdt_parent_above_calls;

/*
 * The plan's step above @dev, and then device_del() of the device that
 * was to be removed, as another CPU might do it right after the step.
 */
static struct device *sdt_parent_above_racing(struct device *dev)
{
	struct sdt_dev *victim = sdt_removed_while_planned;
	struct device *parent;

	kunit_deactivate_static_stub(kunit_get_current_test(),
				     device_shutdown_parent_above);
	parent = device_shutdown_parent_above(dev);
	atomic_inc(&sdt_parent_above_calls);
	if (victim && dev == &victim->dev) {
		device_del(dev);
		victim->registered = false;
		sdt_removed_while_planned = NULL;
	}
	return parent;
}

/*
 * A child whose parent is outside the set and held by nothing but the
 * child, removed while the plan looks above that parent for the nearest
 * ancestor in the set.  device_del() of the child drops the parent; the
 * plan must have taken its own reference before it reads the parent's
 * parent, or it reads freed memory (here a cleared pointer, which loses
 * the grandparent's edge).
 */
static void sdt_test_outside_ancestor_removed(struct kunit *test)
{
	struct sdt_dev *grandparent, *parent, *child;
	struct sdt_topo *t;

	/* The parent's release must come with the last put, not later. */
	if (IS_ENABLED(CONFIG_DEBUG_KOBJECT_RELEASE))
		kunit_skip(test, "CONFIG_DEBUG_KOBJECT_RELEASE delays releases");
	t = sdt_topo_new(test);
	grandparent = sdt_add(t, NULL, SDT_SYNC, 0);
	parent = sdt_add(t, grandparent, SDT_SYNC, 0);
	child = sdt_add(t, parent, SDT_ASYNC, 0);
	device_del(&parent->dev);
	parent->registered = false;
	parent->dev.release = sdt_poison_release;
	put_device(&parent->dev);
	KUNIT_ASSERT_FALSE(test, parent->released);

	sdt_set(t, grandparent, child);
	sdt_removed_while_planned = child;
	atomic_set(&sdt_parent_above_calls, 0);
	kunit_activate_static_stub(test, device_shutdown_parent_above,
				   sdt_parent_above_racing);
	/* The stub deactivates itself when called. */
	sdt_run(t, true, 0);
	sdt_removed_while_planned = NULL;

	/* The race was made, and the plan still went up to the grandparent. */
	KUNIT_ASSERT_EQ(test, atomic_read(&sdt_parent_above_calls), 1);
	KUNIT_EXPECT_FALSE(test, child->registered);
	KUNIT_EXPECT_EQ(test, t->stats.edges, 1);
	/* ... and gave the parent back. */
	KUNIT_EXPECT_TRUE(test, parent->released);
	KUNIT_EXPECT_EQ(test, atomic_read(&child->calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&grandparent->calls), 1);
	sdt_topo_done(t);
}

/*
 * The driver core refuses links that close a cycle, but moving a device
 * under its own consumer makes one.  It is reported, broken so that the
 * device first in the set goes first, and nothing hangs.
 */
static void sdt_test_cycle(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *b = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *a = sdt_add(t, NULL, SDT_SYNC, 0);

	sdt_link(t, b, a, false);
	KUNIT_ASSERT_EQ(test, 0, device_move(&a->dev, &b->dev, DPM_ORDER_NONE));
	sdt_set(t, a, b);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_calls(t, 0) && sdt_check_sync(t, 0));
	KUNIT_EXPECT_EQ(test, t->stats.cycles, 1);
	KUNIT_EXPECT_EQ(test, t->stats.edges, 2);
	KUNIT_EXPECT_TRUE(test, sdt_before(a, b));
}

/* The same with three async devices, broken where the set says. */
static void sdt_test_async_cycle(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *z = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_dev *y = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_dev *x = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_dev *n = sdt_add(t, NULL, SDT_NONE, 0);

	/* x waits for y, y for z, z (now x's parent) for x; n for x. */
	sdt_link(t, y, x, false);
	sdt_link(t, z, y, false);
	sdt_link(t, x, n, false);
	KUNIT_ASSERT_EQ(test, 0, device_move(&x->dev, &z->dev, DPM_ORDER_NONE));
	sdt_set(t, n, y, z, x);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_calls(t, 0));
	KUNIT_EXPECT_EQ(test, t->stats.cycles, 1);
	/* y comes first in the set: its wait for z is the one dropped. */
	KUNIT_EXPECT_TRUE(test, sdt_before(y, x) && sdt_before(x, z));
}

/*
 * With the kill switch off, the set order is followed exactly, one device
 * at a time, even where it is wrong.
 */
static void sdt_test_legacy_order(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_dev *child = sdt_add(t, parent, SDT_SYNC, 0);
	struct sdt_dev *leaf = sdt_add(t, child, SDT_ASYNC, 5);
	struct sdt_dev *none = sdt_add(t, NULL, SDT_NONE, 0);
	struct sdt_dev *other = sdt_add(t, none, SDT_ASYNC, 5);

	sdt_set(t, parent, other, child, none, leaf);
	sdt_run(t, false, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_calls(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_check_legacy(t, 0));
	KUNIT_EXPECT_FALSE(test, t->stats.no_memory);
	KUNIT_EXPECT_EQ(test, t->stats.async, 0);
}

/*
 * Allocation failures, for the calling thread only: the engine's own
 * allocations, or the entries the async core allocates for the
 * reservation, fail from the @fail_at'th on (0: none), or only that one.
 */
struct sdt_faults {
	unsigned int	calls;
	unsigned int	no_run;		/* of those, not for a run */
	size_t		failed_n;	/* elements the failed one asked for */
	bool		failed_run;	/* it was for a run */
	unsigned int	fail_at;
	bool		only;
	bool		entries;
};

static bool sdt_fault(struct kunit *test)
{
	struct sdt_faults *f = test->priv;

	f->calls++;
	return f->fail_at && (f->only ? f->calls == f->fail_at :
					f->calls >= f->fail_at);
}

static void *sdt_failing_alloc(struct shutdown_run *run, size_t n,
			       size_t size, gfp_t gfp)
{
	struct kunit *test = kunit_get_current_test();
	struct sdt_faults *f = test->priv;

	f->no_run += !run;
	if (sdt_fault(test)) {
		f->failed_n = n;
		f->failed_run = !!run;
		return NULL;
	}
	return kvmalloc_array(n, size, gfp);
}

static struct async_entry *sdt_failing_entry(gfp_t gfp)
{
	struct kunit *test = kunit_get_current_test();
	struct async_entry *entry;

	if (sdt_fault(test))
		return NULL;
	/* The real allocator, without coming back here. */
	kunit_deactivate_static_stub(test, async_alloc_entry);
	entry = async_alloc_entry(gfp);
	kunit_activate_static_stub(test, async_alloc_entry, sdt_failing_entry);
	return entry;
}

static void sdt_faults_start(struct kunit *test, struct sdt_faults *f,
			     bool entries)
{
	f->calls = 0;
	f->no_run = 0;
	f->failed_n = 0;
	f->failed_run = false;
	f->entries = entries;
	test->priv = f;
	if (entries)
		kunit_activate_static_stub(test, async_alloc_entry,
					   sdt_failing_entry);
	else
		kunit_activate_static_stub(test, device_shutdown_alloc,
					   sdt_failing_alloc);
}

static void sdt_faults_stop(struct kunit *test)
{
	struct sdt_faults *f = test->priv;

	if (f->entries)
		kunit_deactivate_static_stub(test, async_alloc_entry);
	else
		kunit_deactivate_static_stub(test, device_shutdown_alloc);
	test->priv = NULL;
}

/* Make every allocation of the engine fail, or none. */
static void sdt_fail_allocs(struct kunit *test, bool fail)
{
	static struct sdt_faults all = { .fail_at = 1 };

	if (fail)
		sdt_faults_start(test, &all, false);
	else
		sdt_faults_stop(test);
}

/*
 * One allocation failing is enough for the legacy order.  Each of the
 * engine's own allocations fails in turn, then each entry of the
 * reservation: every time, the set is shut down one device at a time in
 * the order of the set, nothing runs inline, and the run after it, with
 * nothing failing, runs in parallel.  The engine allocates a fixed
 * handful of times, however many devices there are.
 */
static void sdt_test_no_memory(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_faults f = { .only = true };
	unsigned int entries, failed;

	sdt_add(t, parent, SDT_ASYNC, 0);
	sdt_add(t, parent, SDT_SYNC, 0);
	sdt_add(t, NULL, SDT_ASYNC, 0);
	sdt_add(t, NULL, SDT_NONE, 0);
	sdt_set_all(t);

	kunit_info(test, "next: 'no memory' lines from the engine, on purpose");
	for (entries = 0; entries < 2; entries++) {
		for (failed = 0, f.fail_at = 1; ; f.fail_at++) {
			sdt_faults_start(test, &f, entries);
			sdt_run(t, true, 0);
			sdt_faults_stop(test);
			if (f.calls < f.fail_at)
				break;
			failed++;
			KUNIT_EXPECT_TRUE(test, t->stats.no_memory);
			KUNIT_EXPECT_TRUE(test, sdt_check_calls(t, f.fail_at));
			KUNIT_EXPECT_TRUE(test, sdt_check_legacy(t, f.fail_at));
			KUNIT_EXPECT_EQ(test, t->after.inline_fallbacks,
					t->before.inline_fallbacks);
		}
		KUNIT_EXPECT_FALSE(test, t->stats.no_memory);
		KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
		kunit_info(test, "%s: %u allocations, each failed once",
			   entries ? "async entries" : "engine", failed);
		KUNIT_EXPECT_GE(test, failed, entries ? 3 : 4);
		KUNIT_EXPECT_LE(test, failed, entries ? 3 : 5);
	}
}

/* Remove the device that waits for us while we shut down. */
static void sdt_remove_supplier(struct sdt_dev *sd)
{
	struct sdt_topo *t = sd->topo;
	struct sdt_dev *victim = t->links[0].supplier;

	device_del(&victim->dev);
	victim->registered = false;
}

/*
 * A device removed while shutdown runs is skipped: the engine holds a
 * reference, not a registration.  Sync and async removers alike.
 */
static void sdt_test_removed_during_shutdown(struct kunit *test)
{
	enum sdt_kind kinds[] = { SDT_SYNC, SDT_ASYNC };
	struct sdt_dev *victim, *remover;
	struct sdt_topo *t;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		t = sdt_topo_new(test);
		victim = sdt_add(t, NULL, SDT_SYNC, 0);
		remover = sdt_add(t, NULL, kinds[i], 0);
		remover->hook = sdt_remove_supplier;
		sdt_link(t, remover, victim, false);
		sdt_set(t, victim, remover);
		sdt_run(t, true, 0);

		KUNIT_EXPECT_TRUE(test, sdt_check_calls(t, i));
		KUNIT_EXPECT_FALSE(test, victim->registered);
		KUNIT_EXPECT_EQ(test, atomic_read(&victim->calls), 0);
		KUNIT_EXPECT_EQ(test, t->stats.skipped, 1);
		sdt_topo_done(t);
	}
}

/* Remove another device of the topology while shutdown runs. */
static void sdt_remove_victim(struct sdt_dev *sd)
{
	device_del(&sd->victim->dev);
	sd->victim->registered = false;
}

/*
 * Register a sync device under @parent (if any) while shutdown runs, as
 * the topology's late device.  Return: it, or %NULL.
 */
static struct sdt_dev *sdt_register_late(struct sdt_dev *sd,
					 struct sdt_dev *parent)
{
	struct sdt_topo *t = sd->topo;
	struct sdt_dev *late = sdt_alloc(t, parent, SDT_SYNC, 0);

	if (!late || sdt_register(late))
		return NULL;
	t->late = late;
	return late;
}

/*
 * Register a sync device in the kset while shutdown runs, under
 * ->late_parent if there is one.
 */
static void sdt_add_late(struct sdt_dev *sd)
{
	sdt_register_late(sd, sd->late_parent);
}

/*
 * Register a consumer of @supplier while shutdown runs.  The link comes
 * before the registration, as it does for a device that is still being
 * set up, so that the driver core does not move the consumer to
 * devices_kset.  Return: the consumer, or %NULL.
 */
static struct sdt_dev *sdt_register_late_consumer(struct sdt_topo *t,
						  struct sdt_dev *supplier,
						  enum sdt_kind kind)
{
	struct sdt_dev *late = sdt_alloc(t, NULL, kind, 0);

	if (!late || !device_link_add(&late->dev, &supplier->dev,
				      DL_FLAG_STATELESS) ||
	    sdt_register(late))
		return NULL;
	return late;
}

/* Hot-add an async consumer of ->late_supplier while shutdown runs. */
static void sdt_add_late_consumer(struct sdt_dev *sd)
{
	struct sdt_dev *late;

	late = sdt_register_late_consumer(sd->topo, sd->late_supplier,
					  SDT_ASYNC);
	if (late)
		sd->topo->late = late;
}

static struct sdt_topo *sdt_kset_topo_new(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);

	t->kset = kset_create_and_add("shutdown_kunit_kset", NULL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, t->kset);
	return t;
}

static void sdt_run_kset(struct sdt_topo *t, bool async)
{
	struct device_shutdown_opts opts = { .async = async };

	sdt_reset(t);
	async_get_stats(&t->before);
	device_shutdown_kset(t->kset, &opts, &t->stats);
	async_get_stats(&t->after);
}

/*
 * The whole device_shutdown() walk on a private kset: devices are taken
 * off it, one added meanwhile is shut down too, and the kill switch gives
 * exactly the reverse kset order.
 */
static void sdt_test_kset(struct kunit *test)
{
	struct sdt_dev *a, *b, *c;
	struct sdt_topo *t;

	t = sdt_kset_topo_new(test);
	a = sdt_add(t, NULL, SDT_SYNC, 0);
	b = sdt_add(t, a, SDT_ASYNC, 5);
	c = sdt_add(t, NULL, SDT_ASYNC, 5);
	b->hook = sdt_add_late;
	sdt_run_kset(t, true);

	KUNIT_ASSERT_NOT_NULL(test, t->late);
	KUNIT_EXPECT_EQ(test, t->stats.late, 1);
	KUNIT_EXPECT_EQ(test, t->stats.devices, 4);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->late->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);
	KUNIT_EXPECT_TRUE(test, sdt_before(b, a));
	/* Taken off the list, as the legacy walk did. */
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
	sdt_topo_done(t);

	t = sdt_kset_topo_new(test);
	a = sdt_add(t, NULL, SDT_ASYNC, 0);
	b = sdt_add(t, NULL, SDT_SYNC, 0);
	c = sdt_add(t, a, SDT_ASYNC, 0);
	sdt_run_kset(t, false);
	KUNIT_EXPECT_TRUE(test, t->stats.legacy);
	KUNIT_EXPECT_EQ(test, t->stats.late, 0);
	KUNIT_EXPECT_EQ(test, c->start_seq, 1);
	KUNIT_EXPECT_EQ(test, b->start_seq, 3);
	KUNIT_EXPECT_EQ(test, a->start_seq, 5);
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
}

/*
 * A device added under a parent that is still waiting for its turn is
 * shut down before that parent, not after everything.
 */
static void sdt_test_late_child(struct kunit *test)
{
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_dev *child = sdt_add(t, parent, SDT_SYNC, 0);
	struct sdt_dev *other = sdt_add(t, NULL, SDT_SYNC, 0);

	child->hook = sdt_add_late;
	child->late_parent = parent;
	sdt_run_kset(t, true);

	KUNIT_ASSERT_NOT_NULL(test, t->late);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->late->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&other->calls), 1);
	KUNIT_EXPECT_EQ(test, t->stats.late, 1);
	KUNIT_EXPECT_TRUE(test, sdt_before(child, parent));
	KUNIT_EXPECT_TRUE(test, sdt_before(t->late, parent));
	/* A sync device, locked as the legacy walk locks it. */
	KUNIT_EXPECT_TRUE(test, t->late->parent_locked);
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
}

/*
 * An async device hot-added after its sync supplier has been taken off
 * the list, while that supplier still waits for another consumer: the new
 * consumer is shut down before the supplier.
 */
static void sdt_test_late_consumer(struct kunit *test)
{
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_dev *supplier = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *consumer = sdt_alloc(t, NULL, SDT_ASYNC, 0);

	KUNIT_ASSERT_NOT_NULL(test, consumer);
	sdt_link(t, consumer, supplier, false);
	KUNIT_ASSERT_EQ(test, 0, sdt_register(consumer));
	consumer->hook = sdt_add_late_consumer;
	consumer->late_supplier = supplier;
	sdt_run_kset(t, true);

	KUNIT_ASSERT_NOT_NULL(test, t->late);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->late->calls), 1);
	KUNIT_EXPECT_EQ(test, t->stats.late, 1);
	KUNIT_EXPECT_TRUE(test, sdt_before(consumer, supplier));
	KUNIT_EXPECT_TRUE(test, sdt_before(t->late, supplier));
}

/*
 * Topology changes while the run is under way.  The hook of the device
 * shut down first links ->victim, as a consumer, to ->late_supplier.
 */
static void sdt_link_late(struct sdt_dev *sd)
{
	if (device_link_add(&sd->victim->dev, &sd->late_supplier->dev,
			    DL_FLAG_STATELESS))
		sd->late_supplier->deps |= BIT_ULL(sd->victim->id);
}

/*
 * A device link between two devices of the set, added once the run has
 * started: the supplier, a sync device next in line, now waits for its
 * new consumer, an async device whose own child is still being shut down.
 */
static void sdt_test_link_during_run(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *first = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *supplier = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *consumer = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_dev *child = sdt_add(t, consumer, SDT_ASYNC, 50);

	first->hook = sdt_link_late;
	first->victim = consumer;
	first->late_supplier = supplier;
	sdt_set(t, first, supplier, consumer, child);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_calls(t, 0) && sdt_check_sync(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_before(first, supplier));
	KUNIT_EXPECT_TRUE(test, sdt_before(child, consumer));
	KUNIT_EXPECT_TRUE(test, sdt_before(consumer, supplier));
	KUNIT_EXPECT_EQ(test, t->stats.edges, 2);
}

#define SDT_EDGE_PAIRS	20

/* Suppliers and consumers linked during the run by sdt_link_pairs(). */
static struct sdt_dev *sdt_edge_pair[2][SDT_EDGE_PAIRS];
static atomic_t sdt_edges_refused;
static atomic_t sdt_said_no_memory;

/* Not recorded in ->deps: the engine keeps only the edges it has room for. */
static void sdt_link_pairs(struct sdt_dev *sd)
{
	unsigned int i;

	for (i = 0; i < SDT_EDGE_PAIRS; i++)
		device_link_add(&sdt_edge_pair[1][i]->dev,
				&sdt_edge_pair[0][i]->dev, DL_FLAG_STATELESS);
}

static void sdt_link_one_more(struct sdt_dev *sd)
{
	device_link_add(&sd->victim->dev, &sd->late_supplier->dev,
			DL_FLAG_STATELESS);
}

/* Only the edges made during the run are allocated without waiting. */
static void *sdt_refuse_run_edges(struct shutdown_run *run, size_t n,
				  size_t size, gfp_t gfp)
{
	if (!gfpflags_allow_blocking(gfp)) {
		atomic_inc(&sdt_edges_refused);
		return NULL;
	}
	return kvmalloc_array(n, size, gfp);
}

static void sdt_count_left_out(struct device *w, struct device *n,
			       const char *why)
{
	if (!strcmp(why, "no memory"))
		atomic_inc(&sdt_said_no_memory);
}

/*
 * More device links made during the run than the run reserved edges for,
 * with no memory for the others, and then one more change: the engine
 * tries again at every change, and says that it has no memory once.
 */
static void sdt_test_edges_no_memory_said_once(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *first, *second, *extra;
	unsigned int i, k;

	first = sdt_add(t, NULL, SDT_SYNC, 0);
	second = sdt_add(t, NULL, SDT_SYNC, 0);
	extra = sdt_add(t, NULL, SDT_SYNC, 0);
	for (k = 0; k < 2; k++)
		for (i = 0; i < SDT_EDGE_PAIRS; i++)
			sdt_edge_pair[k][i] = sdt_add(t, NULL, SDT_SYNC, 0);
	first->hook = sdt_link_pairs;
	/* One more change once the first pass has run out of edges. */
	second->hook = sdt_link_one_more;
	second->victim = extra;
	second->late_supplier = sdt_edge_pair[0][0];

	sdt_set_add(t, first);
	sdt_set_add(t, second);
	for (k = 0; k < 2; k++)
		for (i = 0; i < SDT_EDGE_PAIRS; i++)
			sdt_set_add(t, sdt_edge_pair[k][i]);
	sdt_set_add(t, extra);

	atomic_set(&sdt_edges_refused, 0);
	atomic_set(&sdt_said_no_memory, 0);
	kunit_activate_static_stub(test, device_shutdown_left_out,
				   sdt_count_left_out);
	kunit_activate_static_stub(test, device_shutdown_alloc,
				   sdt_refuse_run_edges);
	sdt_run(t, true, 0);
	kunit_deactivate_static_stub(test, device_shutdown_alloc);
	kunit_deactivate_static_stub(test, device_shutdown_left_out);

	KUNIT_EXPECT_FALSE(test, t->stats.legacy);
	KUNIT_EXPECT_TRUE(test, sdt_check_calls(t, 0) && sdt_check_sync(t, 0));
	/*
	 * Refused in the first pass, and tried again in the second: the run
	 * reserves SHUTDOWN_ADDED_EDGES (16) edges for this many devices.
	 */
	KUNIT_EXPECT_GT(test, atomic_read(&sdt_edges_refused),
			2 * (SDT_EDGE_PAIRS - 16));
	KUNIT_EXPECT_EQ(test, atomic_read(&sdt_said_no_memory), 1);
	sdt_topo_done(t);
}

/*
 * Move ->victim under ->late_parent, in the order @sd->dpm_order asks for,
 * and keep the topology's own record of parents up to date.
 */
static void sdt_move_late(struct sdt_dev *sd)
{
	struct sdt_dev *dev = sd->victim, *parent = sd->late_parent;

	if (device_move(&dev->dev, &parent->dev, sd->dpm_order))
		return;
	if (dev->parent)
		dev->parent->deps &= ~BIT_ULL(dev->id);
	dev->parent = parent;
	parent->deps |= BIT_ULL(dev->id);
}

/*
 * device_move() of a device of the set under another, once the run has
 * started: the new parent, a sync device next in line, waits for it.
 */
static void sdt_test_move_during_run(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *first = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *moved = sdt_add(t, NULL, SDT_ASYNC, 50);

	first->hook = sdt_move_late;
	first->victim = moved;
	first->late_parent = parent;
	first->dpm_order = DPM_ORDER_DEV_AFTER_PARENT;
	sdt_set(t, first, parent, moved);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_calls(t, 0) && sdt_check_sync(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_before(moved, parent));
	KUNIT_EXPECT_EQ(test, t->stats.edges, 1);
}

/*
 * Register a sync device while shutdown runs and move it under
 * ->late_parent with DPM_ORDER_DEV_AFTER_PARENT, which places it right
 * after its parent on the kset list: among the devices already taken.
 */
static void sdt_add_late_after_parent(struct sdt_dev *sd)
{
	sd->victim = sdt_register_late(sd, NULL);
	if (sd->victim)
		sdt_move_late(sd);
}

/*
 * A late device placed with DPM_ORDER_DEV_AFTER_PARENT under a device of
 * the set that has not started yet is shut down before that parent.  All
 * devices are sync, so only the calling thread touches the lists that
 * device_move() reorders under devices_kset's lock, not this kset's.
 */
static void sdt_test_late_after_parent(struct kunit *test)
{
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *other = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *first = sdt_add(t, NULL, SDT_SYNC, 0);

	first->hook = sdt_add_late_after_parent;
	first->late_parent = parent;
	first->dpm_order = DPM_ORDER_DEV_AFTER_PARENT;
	sdt_run_kset(t, true);

	KUNIT_ASSERT_NOT_NULL(test, t->late);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->late->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&other->calls), 1);
	KUNIT_EXPECT_EQ(test, t->stats.late, 1);
	KUNIT_EXPECT_TRUE(test, sdt_before(first, other));
	KUNIT_EXPECT_TRUE(test, sdt_before(t->late, parent));
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
}

/*
 * A new dependency against the order of the sync devices: the supplier,
 * next in line, gets a new consumer that comes later, with a sync child
 * of its own.  The consumer and its child go first, as the reorder of the
 * list made the legacy walk do; the others keep their order.
 */
static void sdt_test_link_against_sync_order(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *first = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *supplier = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *other = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *consumer = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *kid = sdt_add(t, consumer, SDT_SYNC, 0);

	first->hook = sdt_link_late;
	first->victim = consumer;
	first->late_supplier = supplier;
	sdt_set(t, first, supplier, other, kid, consumer);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_calls(t, 0) && sdt_check_sync(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_before(first, kid));
	KUNIT_EXPECT_TRUE(test, sdt_before(kid, consumer));
	KUNIT_EXPECT_TRUE(test, sdt_before(consumer, supplier));
	KUNIT_EXPECT_TRUE(test, sdt_before(supplier, other));
	KUNIT_EXPECT_EQ(test, t->stats.edges, 2);
}

/*
 * Register a sync device while shutdown runs and make it the parent of
 * ->victim, a device of the set, with DPM_ORDER_PARENT_BEFORE_DEV: it
 * lands among the devices taken, right before its new child.
 */
static void sdt_add_late_parent(struct sdt_dev *sd)
{
	sd->late_parent = sdt_register_late(sd, NULL);
	if (sd->late_parent)
		sdt_move_late(sd);
}

/*
 * A late device that becomes the parent of a device of the set still
 * waiting for its turn is shut down after that child, not at once.
 */
static void sdt_test_late_parent(struct kunit *test)
{
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_dev *child = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *first = sdt_add(t, NULL, SDT_SYNC, 0);

	first->hook = sdt_add_late_parent;
	first->victim = child;
	first->dpm_order = DPM_ORDER_PARENT_BEFORE_DEV;
	sdt_run_kset(t, true);

	KUNIT_ASSERT_NOT_NULL(test, t->late);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->late->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&child->calls), 1);
	KUNIT_EXPECT_EQ(test, t->stats.late, 1);
	KUNIT_EXPECT_TRUE(test, sdt_before(child, t->late));
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
}

/*
 * Register a sync device under ->late_parent while shutdown runs and make
 * it the parent of ->victim, a device of the set, with
 * DPM_ORDER_PARENT_BEFORE_DEV: the new device comes between the two.
 */
static void sdt_add_late_between(struct sdt_dev *sd)
{
	sd->late_parent = sdt_register_late(sd, sd->late_parent);
	if (sd->late_parent)
		sdt_move_late(sd);
}

/* The same, with a second device registered between the two. */
static void sdt_add_two_late_between(struct sdt_dev *sd)
{
	struct sdt_dev *above = sdt_register_late(sd, sd->late_parent);

	if (!above)
		return;
	sd->late_parent = sdt_register_late(sd, above);
	sd->topo->late_above = above;
	if (sd->late_parent)
		sdt_move_late(sd);
}

/*
 * The same, but make the new device a supplier of ->victim instead of its
 * parent: device_link_add() moves the consumer to the end of the kset.
 */
static void sdt_add_late_supplier_between(struct sdt_dev *sd)
{
	struct sdt_dev *late = sdt_register_late(sd, sd->late_parent);

	if (late && device_link_add(&sd->victim->dev, &late->dev,
				    DL_FLAG_STATELESS))
		late->deps |= BIT_ULL(sd->victim->id);
}

/* How sdt_late_between() sets the parent up. */
enum sdt_between {
	SDT_BETWEEN_SYNC,	/* sync, registered before the child */
	SDT_BETWEEN_ASYNC,	/* async, with a slow child of its own */
	SDT_BETWEEN_ONLY,	/* async, the adding device its only child */
	SDT_BETWEEN_AFTER,	/* sync, registered after the child */
	SDT_BETWEEN_CYCLE,	/* ... and a consumer of the child */
	SDT_BETWEEN_TWO,	/* ... and two late devices in between */
	SDT_BETWEEN_CHANGE,	/* sync; the child moves another device */
	SDT_BETWEEN_SUPPLIER,	/* sync; the late device supplies the child */
};

/*
 * A late device that must wait for its new child, a device of the set,
 * still goes before its own parent, which has not started yet: the
 * parent waits for it.  So does a late device made the supplier of that
 * device instead.  An async parent also waits for a child of its own, so
 * that it is still pending when the late device shows up; that child and
 * the late device's, async too, wait for the sync device after the one
 * that adds the late device, so they finish only once it is left for
 * later.  An async parent whose only child adds the late device waits
 * too: the late device is left for later before that child lets the
 * parent start.  A sync parent registered after the child comes first in
 * the legacy order and waits all the same: the child goes before it.
 * Unless the parent is a consumer of the child: then holding it back
 * would close a cycle, so it is not, and the run ends all the same.  Two
 * late devices between them go in their order.  A change made once the
 * late device was left for later (the child moves another device) does
 * not shut it down twice.
 */
static void sdt_late_between(struct kunit *test, enum sdt_between how)
{
	bool gated = how == SDT_BETWEEN_ASYNC || how == SDT_BETWEEN_ONLY;
	enum sdt_kind kind = gated ? SDT_ASYNC : SDT_SYNC;
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_dev *parent = NULL, *child, *first, *slow = NULL;
	struct sdt_dev *moved = NULL, *mover, *second;
	DECLARE_COMPLETION_ONSTACK(go);

	if (how == SDT_BETWEEN_CHANGE) {
		moved = sdt_add(t, NULL, SDT_SYNC, 0);
		mover = sdt_add(t, NULL, SDT_SYNC, 0);
	}
	if (how == SDT_BETWEEN_SYNC || gated || how == SDT_BETWEEN_CHANGE ||
	    how == SDT_BETWEEN_SUPPLIER)
		parent = sdt_add(t, NULL, kind, 0);
	if (how == SDT_BETWEEN_ASYNC)
		slow = sdt_add(t, parent, SDT_ASYNC, 0);
	child = sdt_add(t, NULL, kind, 0);
	if (!parent) {
		/* Linked before it is registered: see sdt_add_late_consumer(). */
		parent = sdt_alloc(t, NULL, kind, 0);
		KUNIT_ASSERT_NOT_NULL(test, parent);
		if (how == SDT_BETWEEN_CYCLE)
			sdt_link(t, parent, child, false);
		KUNIT_ASSERT_EQ(test, 0, sdt_register(parent));
	}
	if (gated) {
		if (slow)
			slow->await = &go;
		child->await = &go;
		second = sdt_add(t, NULL, SDT_SYNC, 0);
		second->announce = &go;
	}
	if (moved) {
		child->hook = sdt_move_late;
		child->victim = moved;
		child->late_parent = mover;
		child->dpm_order = DPM_ORDER_NONE;
	}
	first = sdt_add(t, how == SDT_BETWEEN_ONLY ? parent : NULL, SDT_SYNC, 0);
	if (how == SDT_BETWEEN_TWO)
		first->hook = sdt_add_two_late_between;
	else if (how == SDT_BETWEEN_SUPPLIER)
		first->hook = sdt_add_late_supplier_between;
	else
		first->hook = sdt_add_late_between;
	first->late_parent = parent;
	first->victim = child;
	first->dpm_order = DPM_ORDER_PARENT_BEFORE_DEV;
	sdt_run_kset(t, true);

	KUNIT_ASSERT_NOT_NULL(test, t->late);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->late->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&child->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&parent->calls), 1);
	KUNIT_EXPECT_EQ(test, t->stats.late, how == SDT_BETWEEN_TWO ? 2 : 1);
	KUNIT_EXPECT_TRUE(test, sdt_before(child, t->late));
	if (how == SDT_BETWEEN_CYCLE)
		KUNIT_EXPECT_TRUE(test, sdt_before(parent, child));
	else
		KUNIT_EXPECT_TRUE(test, sdt_before(t->late, parent));
	if (how == SDT_BETWEEN_TWO) {
		KUNIT_ASSERT_NOT_NULL(test, t->late_above);
		KUNIT_EXPECT_EQ(test, atomic_read(&t->late_above->calls), 1);
		KUNIT_EXPECT_TRUE(test, sdt_before(t->late, t->late_above));
		KUNIT_EXPECT_TRUE(test, sdt_before(t->late_above, parent));
	}
	if (moved)
		KUNIT_EXPECT_TRUE(test, sdt_before(moved, mover));
	if (gated) {
		KUNIT_EXPECT_TRUE(test, child->awaited);
		KUNIT_EXPECT_LT(test, first->end_seq, child->end_seq);
	}
	if (slow) {
		KUNIT_EXPECT_TRUE(test, slow->awaited);
		KUNIT_EXPECT_TRUE(test, sdt_before(slow, parent));
	}
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
}

static void sdt_test_late_between_sync(struct kunit *test)
{
	sdt_late_between(test, SDT_BETWEEN_SYNC);
}

static void sdt_test_late_between_async(struct kunit *test)
{
	sdt_late_between(test, SDT_BETWEEN_ASYNC);
}

static void sdt_test_late_between_only_child(struct kunit *test)
{
	sdt_late_between(test, SDT_BETWEEN_ONLY);
}

static void sdt_test_late_between_supplier(struct kunit *test)
{
	sdt_late_between(test, SDT_BETWEEN_SUPPLIER);
}

static void sdt_test_late_between_reordered(struct kunit *test)
{
	sdt_late_between(test, SDT_BETWEEN_AFTER);
}

static void sdt_test_late_between_cycle(struct kunit *test)
{
	sdt_late_between(test, SDT_BETWEEN_CYCLE);
}

static void sdt_test_late_between_two(struct kunit *test)
{
	sdt_late_between(test, SDT_BETWEEN_TWO);
}

static void sdt_test_late_between_change(struct kunit *test)
{
	sdt_late_between(test, SDT_BETWEEN_CHANGE);
}

/*
 * Hot-add a consumer of ->late_supplier while shutdown runs, and make it
 * the parent of ->victim, a device of the set.
 */
static void sdt_add_late_consumer_parent(struct sdt_dev *sd)
{
	sdt_add_late_consumer(sd);
	sd->late_parent = sd->topo->late;
	if (sd->late_parent)
		sdt_move_late(sd);
}

/* Move ->victim under the late device, without reordering. */
static void sdt_move_under_late(struct sdt_dev *sd)
{
	sd->late_parent = sd->topo->late;
	if (sd->late_parent)
		sdt_move_late(sd);
}

/*
 * A late device left for later holds back its supplier, a device of the
 * set.  Then a change closes a cycle through that hold: the supplier's
 * own parent becomes a child of the late device.  The hold is let go, as
 * an edge that would close a cycle is left out, and the run ends.
 */
static void sdt_test_late_hold_cycle(struct kunit *test)
{
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_dev *above = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *supplier = sdt_add(t, above, SDT_SYNC, 0);
	struct sdt_dev *child = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *second = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *first = sdt_add(t, NULL, SDT_SYNC, 0);

	first->hook = sdt_add_late_consumer_parent;
	first->late_supplier = supplier;
	first->victim = child;
	first->dpm_order = DPM_ORDER_PARENT_BEFORE_DEV;
	second->hook = sdt_move_under_late;
	second->victim = above;
	second->dpm_order = DPM_ORDER_NONE;
	sdt_run_kset(t, true);

	KUNIT_ASSERT_NOT_NULL(test, t->late);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->late->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&above->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&supplier->calls), 1);
	KUNIT_EXPECT_EQ(test, t->stats.late, 1);
	KUNIT_EXPECT_TRUE(test, sdt_before(child, t->late));
	KUNIT_EXPECT_TRUE(test, sdt_before(above, t->late));
	KUNIT_EXPECT_TRUE(test, sdt_before(supplier, above));
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
}

/*
 * Take the late device from under its parent, then give it ->victim, a
 * device of the set, as a child instead.
 */
static void sdt_move_late_away(struct sdt_dev *sd)
{
	struct sdt_dev *late = sd->topo->late;

	if (!late || device_move(&late->dev, NULL, DPM_ORDER_NONE))
		return;
	if (late->parent)
		late->parent->deps &= ~BIT_ULL(late->id);
	late->parent = NULL;
	sd->late_parent = late;
	sdt_move_late(sd);
}

/* Move the late device back under ->late_parent, without reordering. */
static void sdt_move_late_back(struct sdt_dev *sd)
{
	sd->victim = sd->topo->late;
	if (sd->victim)
		sdt_move_late(sd);
}

/*
 * A late device left for later holds back its parent, a sync device that
 * comes before the sync device it waits for.  Then it leaves that parent
 * and waits for another sync device that comes after it: the hold on the
 * old parent is let go, or the calling thread would wait for it for ever.
 * If @back, a third sync device then moves the late device back under its
 * first parent, which holds back again.
 */
static void sdt_late_moved(struct kunit *test, bool back)
{
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_dev *later = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *mover = back ? sdt_add(t, NULL, SDT_SYNC, 0) : NULL;
	struct sdt_dev *child = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *first = sdt_add(t, NULL, SDT_SYNC, 0);

	first->hook = sdt_add_late_between;
	first->late_parent = parent;
	first->victim = child;
	first->dpm_order = DPM_ORDER_PARENT_BEFORE_DEV;
	child->hook = sdt_move_late_away;
	child->victim = later;
	child->dpm_order = DPM_ORDER_NONE;
	if (mover) {
		mover->hook = sdt_move_late_back;
		mover->late_parent = parent;
		mover->dpm_order = DPM_ORDER_NONE;
	}
	sdt_run_kset(t, true);

	KUNIT_ASSERT_NOT_NULL(test, t->late);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->late->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&parent->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&later->calls), 1);
	KUNIT_EXPECT_EQ(test, t->stats.late, 1);
	KUNIT_EXPECT_TRUE(test, sdt_before(child, t->late));
	KUNIT_EXPECT_TRUE(test, sdt_before(later, t->late));
	if (back)
		KUNIT_EXPECT_TRUE(test, sdt_before(t->late, parent));
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
}

static void sdt_test_late_moved_away(struct kunit *test)
{
	sdt_late_moved(test, false);
}

static void sdt_test_late_moved_back(struct kunit *test)
{
	sdt_late_moved(test, true);
}

/*
 * Register a late device under ->late_parent and move ->victim, a device
 * of the set, under it, so that it is left for later.  Its own callback,
 * in a late pass, will move ->late_supplier under ->late_parent too, and
 * let it finish (the late device's ->finished is its ->await).
 */
static void sdt_add_late_mover(struct sdt_dev *sd)
{
	struct sdt_dev *late = sdt_register_late(sd, sd->late_parent);

	if (!late)
		return;
	late->hook = sdt_move_late;
	late->victim = sd->late_supplier;
	late->late_parent = sd->late_parent;
	late->dpm_order = DPM_ORDER_NONE;
	late->finished = sd->late_supplier->await;
	sd->late_parent = late;
	sdt_move_late(sd);
}

/*
 * A late device left for later holds back its async parent.  Once what it
 * waits for is done, a pass shuts it down, and its callback makes a device
 * of the set still running a child of that parent.  The parent was held
 * until then, so it waits for its new child too: the change is followed
 * before the hold is let go, not in the next pass, too late.
 */
static void sdt_test_late_changes_before_let_go(struct kunit *test)
{
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_dev *moved = sdt_add(t, NULL, SDT_ASYNC, 100);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_dev *child = sdt_add(t, parent, SDT_ASYNC, 0);
	struct sdt_dev *waiting = sdt_add(t, NULL, SDT_ASYNC, 20);
	struct sdt_dev *second = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *first = sdt_add(t, NULL, SDT_SYNC, 0);
	struct completion *go = kunit_kzalloc(test, sizeof(*go), GFP_KERNEL);
	struct completion *gate = kunit_kzalloc(test, sizeof(*gate),
						GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, go);
	KUNIT_ASSERT_NOT_NULL(test, gate);
	init_completion(go);
	init_completion(gate);
	/* Both wait for the second sync device, after the first one's pass. */
	child->await = go;
	waiting->await = go;
	second->announce = go;
	/* Running until the late device has moved it. */
	moved->await = gate;
	first->hook = sdt_add_late_mover;
	first->late_parent = parent;
	first->late_supplier = moved;
	first->victim = waiting;
	first->dpm_order = DPM_ORDER_PARENT_BEFORE_DEV;
	sdt_run_kset(t, true);

	KUNIT_ASSERT_NOT_NULL(test, t->late);
	KUNIT_EXPECT_EQ(test, t->stats.late, 1);
	KUNIT_EXPECT_TRUE(test, moved->awaited);
	KUNIT_EXPECT_TRUE(test, sdt_before(waiting, t->late));
	KUNIT_EXPECT_TRUE(test, sdt_before(t->late, parent));
	KUNIT_EXPECT_TRUE(test, sdt_before(moved, parent));
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
}

#define SDT_LATE_CHAIN	10

/*
 * Register SDT_LATE_CHAIN sync devices while shutdown runs, each under the
 * one before, the first under ->late_parent, and make the last the parent
 * of ->victim, a device of the set.
 */
static void sdt_add_late_chain(struct sdt_dev *sd)
{
	struct sdt_dev *above = sd->late_parent;
	unsigned int i;

	for (i = 0; i < SDT_LATE_CHAIN; i++) {
		above = sdt_register_late(sd, above);
		if (!above)
			return;
	}
	sd->late_parent = above;
	sdt_move_late(sd);
}

/*
 * A chain of late devices longer than the calling thread follows: the
 * first holds back its parent, a sync device that comes before the sync
 * device at the bottom of the chain.  That device is out of sight, so
 * the hold is let go rather than left to wait for ever, and the run ends.
 */
static void sdt_test_late_chain(struct kunit *test)
{
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_dev *child = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *first = sdt_add(t, NULL, SDT_SYNC, 0);
	unsigned int i;

	first->hook = sdt_add_late_chain;
	first->late_parent = parent;
	first->victim = child;
	first->dpm_order = DPM_ORDER_PARENT_BEFORE_DEV;
	sdt_run_kset(t, true);

	KUNIT_ASSERT_NOT_NULL(test, t->late);
	KUNIT_EXPECT_EQ(test, t->stats.late, SDT_LATE_CHAIN);
	for (i = 0; i < t->nr; i++)
		KUNIT_EXPECT_EQ(test, atomic_read(&t->devs[i]->calls), 1);
	KUNIT_EXPECT_TRUE(test, sdt_before(child, t->late));
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
}

#define SDT_LADDER_WIDTH	6
#define SDT_LADDER_RUNGS	7

/*
 * Register late sync devices in SDT_LADDER_RUNGS rungs of SDT_LADDER_WIDTH,
 * each a consumer of every device of the rung above, those of the first
 * rung of ->late_supplier; then move ->victim, a device of the set, under
 * the last one.  Each link comes before its consumer is registered, as in
 * sdt_add_late_consumer().
 */
static void sdt_add_late_ladder(struct sdt_dev *sd)
{
	struct sdt_dev *rungs[2][SDT_LADDER_WIDTH], *late = NULL, *supplier;
	unsigned int r, i, j;

	for (r = 0; r < SDT_LADDER_RUNGS; r++) {
		for (i = 0; i < SDT_LADDER_WIDTH; i++) {
			late = sdt_alloc(sd->topo, NULL, SDT_SYNC, 0);
			if (!late)
				return;
			for (j = 0; j < (r ? SDT_LADDER_WIDTH : 1); j++) {
				supplier = r ? rungs[(r - 1) % 2][j] :
					       sd->late_supplier;
				if (!device_link_add(&late->dev, &supplier->dev,
						     DL_FLAG_STATELESS))
					return;
			}
			if (sdt_register(late))
				return;
			rungs[r % 2][i] = late;
		}
	}
	sd->topo->late = late;
	sd->late_parent = late;
	sdt_move_late(sd);
}

/*
 * Deferred late devices looked at, at most, with the ladder of the test:
 * 32,640 on every machine so far, 15,195,240 once a path.
 */
#define SDT_LADDER_LOOKS	100000

/*
 * Late devices linked many to many, all left for later: the device of the
 * set at the bottom waits, and a sync device of the set that comes first
 * is held back by the whole ladder.  Every path down the ladder is a path
 * of the late passes' walks, 6^6 of them from each device of the first
 * rung: the walks must look at each late device a bounded number of
 * times, not once a path.
 */
static void sdt_test_late_ladder(struct kunit *test)
{
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_dev *bottom = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *supplier = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *first = sdt_add(t, NULL, SDT_SYNC, 0);
	unsigned int i;

	first->hook = sdt_add_late_ladder;
	first->late_supplier = supplier;
	first->victim = bottom;
	first->dpm_order = DPM_ORDER_NONE;
	sdt_run_kset(t, true);

	KUNIT_ASSERT_NOT_NULL(test, t->late);
	KUNIT_EXPECT_EQ(test, t->stats.late,
			SDT_LADDER_RUNGS * SDT_LADDER_WIDTH);
	for (i = 0; i < t->nr; i++)
		KUNIT_EXPECT_EQ(test, atomic_read(&t->devs[i]->calls), 1);
	KUNIT_EXPECT_TRUE(test, sdt_before(bottom, t->late));
	KUNIT_EXPECT_TRUE(test, sdt_before(t->devs[first->id + 1], supplier));
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
	kunit_info(test, "late devices looked at: %lu", t->stats.late_looks);
	KUNIT_EXPECT_LE(test, t->stats.late_looks, SDT_LADDER_LOOKS);
}

/*
 * A device whose device_add() is held between joining the kset and
 * probing (at BUS_NOTIFY_ADD_DEVICE, where the driver core tells the bus)
 * while the run takes the kset.
 */
struct sdt_midadd {
	struct notifier_block	nb;
	struct sdt_dev		*dev;
	struct completion	entered;	/* device_add() is held */
	struct completion	release;
	struct completion	added;		/* device_add() returned */
	int			ret;
};

static struct sdt_midadd *sdt_midadd;

static int sdt_midadd_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	struct sdt_midadd *m = container_of(nb, struct sdt_midadd, nb);

	if (action != BUS_NOTIFY_ADD_DEVICE || data != &m->dev->dev)
		return NOTIFY_DONE;
	complete(&m->entered);
	wait_for_completion_timeout(&m->release, SDT_MEET_TIMEOUT);
	return NOTIFY_OK;
}

static int sdt_midadd_fn(void *data)
{
	struct sdt_midadd *m = data;

	m->ret = sdt_register(m->dev);
	complete_all(&m->added);
	return 0;
}

/* Let the held device_add() finish while the run is under way. */
static void sdt_midadd_finish(struct sdt_dev *sd)
{
	complete_all(&sdt_midadd->release);
	wait_for_completion_timeout(&sdt_midadd->added, SDT_MEET_TIMEOUT);
}

/*
 * The run takes a device caught in the middle of device_add(): it is shut
 * down once, before its parent, and its device_add() finishes meanwhile.
 */
static void sdt_test_mid_device_add(struct kunit *test)
{
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_midadd m = {
		.nb.notifier_call = sdt_midadd_notify,
	};
	struct task_struct *adder;
	struct sdt_dev *first;

	m.dev = sdt_alloc(t, parent, SDT_SYNC, 0);
	KUNIT_ASSERT_NOT_NULL(test, m.dev);
	init_completion(&m.entered);
	init_completion(&m.release);
	init_completion(&m.added);
	KUNIT_ASSERT_EQ(test, 0, bus_register_notifier(&sdt_bus, &m.nb));
	sdt_midadd = &m;
	adder = kthread_run(sdt_midadd_fn, &m, "sdt_midadd");
	if (IS_ERR(adder)) {
		bus_unregister_notifier(&sdt_bus, &m.nb);
		KUNIT_FAIL(test, "no thread to add the device");
		return;
	}
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&m.entered,
							    SDT_MEET_TIMEOUT));
	first = sdt_add(t, NULL, SDT_SYNC, 0);
	first->hook = sdt_midadd_finish;
	sdt_run_kset(t, true);
	complete_all(&m.release);
	/* The thread uses @m until then. */
	wait_for_completion(&m.added);
	bus_unregister_notifier(&sdt_bus, &m.nb);

	KUNIT_EXPECT_EQ(test, m.ret, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&m.dev->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&parent->calls), 1);
	KUNIT_EXPECT_TRUE(test, sdt_before(first, m.dev));
	KUNIT_EXPECT_TRUE(test, sdt_before(m.dev, parent));
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
}

/*
 * Adds devices whose device_add() fails, over and over, until stopped:
 * each joins the kset list for a moment, under a parent whose sysfs
 * directory is gone, and leaves it again when its directory cannot be
 * made.
 */
struct sdt_adder {
	struct sdt_topo		*t;
	struct sdt_dev		*gone;
	atomic_t		attempts;
	atomic_t		added;
	atomic_t		released;
};

static void sdt_stray_release(struct device *dev)
{
	struct sdt_dev *sd = container_of(dev, struct sdt_dev, dev);

	atomic_inc(&((struct sdt_adder *)sd->late_parent)->released);
	kfree(sd);
}

static int sdt_adder_fn(void *data)
{
	struct sdt_adder *adder = data;
	struct sdt_dev *sd;

	while (!kthread_should_stop() && atomic_read(&adder->attempts) < 32) {
		sd = kzalloc(sizeof(*sd), GFP_KERNEL);
		if (!sd)
			break;
		sd->topo = adder->t;
		sd->id = SDT_STRAY;
		/* Where the release finds the adder. */
		sd->late_parent = (struct sdt_dev *)adder;
		device_initialize(&sd->dev);
		sd->dev.release = sdt_stray_release;
		sd->dev.parent = &adder->gone->dev;
		sd->dev.bus = &sdt_bus;
		sd->dev.kobj.kset = adder->t->kset;
		dev_set_uevent_suppress(&sd->dev, true);
		atomic_inc(&adder->attempts);
		if (!dev_set_name(&sd->dev, "sdt-stray%d",
				  atomic_inc_return(&sdt_names)) &&
		    !device_add(&sd->dev)) {
			atomic_inc(&adder->added);
			device_del(&sd->dev);
		}
		put_device(&sd->dev);
		usleep_range(200, 400);
	}
	while (!kthread_should_stop())
		usleep_range(1000, 2000);
	return 0;
}

/*
 * A device that joins the kset and leaves it before the calling thread
 * looks, while a chain waits for the calling thread to deal with it.
 * Once ->victim (async) is inside its callback, waiting on its ->await,
 * register one and let ->victim finish, so that its chain finds the late
 * device before it releases what waits for ->victim, and waits (see
 * shutdown_complete()); once the chain's worker sleeps there, remove the
 * late device.
 */
static void sdt_add_and_remove_late(struct sdt_dev *sd)
{
	struct sdt_dev *waiting = sd->victim;
	unsigned long until = jiffies + SDT_MEET_TIMEOUT;
	struct task_struct *worker;
	struct sdt_dev *late;

	if (!wait_for_completion_timeout(waiting->announce, SDT_MEET_TIMEOUT))
		return;
	late = sdt_register_late(sd, NULL);
	complete_all(waiting->await);
	if (!late || !wait_for_completion_timeout(waiting->finished,
						  SDT_MEET_TIMEOUT))
		return;
	/*
	 * The same worker goes on to finish ->victim.  It is in that state
	 * from prepare_to_wait() on, a moment before it looks at the kset:
	 * seen twice, some time apart, it sleeps.
	 */
	worker = waiting->task;
	do {
		while (READ_ONCE(worker->__state) != TASK_UNINTERRUPTIBLE &&
		       time_before(jiffies, until))
			usleep_range(100, 200);
		msleep(20);
	} while (READ_ONCE(worker->__state) != TASK_UNINTERRUPTIBLE &&
		 time_before(jiffies, until));
	sd->chain_waited = READ_ONCE(worker->__state) == TASK_UNINTERRUPTIBLE;
	device_del(&late->dev);
	late->registered = false;
}

struct sdt_kset_run {
	struct sdt_topo		*t;
	struct completion	done;
};

static int sdt_kset_thread(void *data)
{
	struct sdt_kset_run *r = data;

	sdt_run_kset(r->t, true);
	complete(&r->done);
	return 0;
}

/*
 * A late device gone again before the calling thread looked releases the
 * chain that waits for it: the calling thread wakes the chain even when
 * it finds nothing left to do.  The run gets a thread of its own and half
 * a minute; if it hangs, everything is left to it, never freed under it.
 */
static void sdt_test_late_device_gone(struct kunit *test)
{
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *next = sdt_add(t, parent, SDT_ASYNC, 0);
	struct sdt_dev *first = sdt_add(t, next, SDT_ASYNC, 0);
	struct sdt_dev *adder = sdt_add(t, NULL, SDT_SYNC, 0);
	struct completion *in = kzalloc(sizeof(*in), GFP_KERNEL);
	struct completion *go = kzalloc(sizeof(*go), GFP_KERNEL);
	struct completion *done = kzalloc(sizeof(*done), GFP_KERNEL);
	struct sdt_kset_run *r = kzalloc(sizeof(*r), GFP_KERNEL);
	struct task_struct *task;

	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, go);
	KUNIT_ASSERT_NOT_NULL(test, done);
	KUNIT_ASSERT_NOT_NULL(test, r);
	init_completion(in);
	init_completion(go);
	init_completion(done);
	init_completion(&r->done);
	r->t = t;
	first->announce = in;
	first->await = go;
	first->finished = done;
	adder->victim = first;
	adder->hook = sdt_add_and_remove_late;

	task = kthread_run(sdt_kset_thread, r, "sdt_late_gone");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	if (!wait_for_completion_timeout(&r->done, 30 * HZ)) {
		KUNIT_FAIL(test, "the run hung: a chain waits for a late pass");
		kunit_remove_action(test, sdt_topo_release, t);
		return;
	}
	KUNIT_EXPECT_TRUE(test, adder->chain_waited);
	KUNIT_ASSERT_NOT_NULL(test, t->late);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->late->calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&adder->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&first->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&next->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&parent->calls), 1);
	KUNIT_EXPECT_LT(test, adder->start_seq, parent->start_seq);
	kfree(in);
	kfree(go);
	kfree(done);
	kfree(r);
}

/*
 * Register two late sync devices: the first a consumer of ->late_supplier,
 * the second a consumer of the first.  Move ->victim, a device of the
 * set, under the second, then the first under the second as well: each
 * now waits for the other.
 */
static void sdt_add_late_cycle(struct sdt_dev *sd)
{
	struct sdt_dev *first, *second;

	first = sdt_register_late_consumer(sd->topo, sd->late_supplier,
					   SDT_SYNC);
	second = first ? sdt_register_late_consumer(sd->topo, first, SDT_SYNC) :
			 NULL;
	if (!second)
		return;
	sd->topo->late = second;
	sd->late_parent = second;
	sdt_move_late(sd);
	sd->victim = first;
	sdt_move_late(sd);
}

/*
 * Two late devices left for later wait for each other, and one holds
 * back its supplier, a device of the set.  They can never go before it:
 * the hold is let go, the run ends, and they are shut down after it.
 * The run gets a thread of its own, as in sdt_test_late_device_gone().
 */
static void sdt_test_late_cycle(struct kunit *test)
{
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_dev *supplier = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *victim = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *first = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_kset_run *r = kzalloc(sizeof(*r), GFP_KERNEL);
	struct task_struct *task;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	init_completion(&r->done);
	r->t = t;
	first->hook = sdt_add_late_cycle;
	first->late_supplier = supplier;
	first->victim = victim;
	first->dpm_order = DPM_ORDER_NONE;

	task = kthread_run(sdt_kset_thread, r, "sdt_late_cycle");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	if (!wait_for_completion_timeout(&r->done, 30 * HZ)) {
		KUNIT_FAIL(test, "the run hung: a hold on the supplier stays");
		kunit_remove_action(test, sdt_topo_release, t);
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, t->late);
	for (i = 0; i < t->nr; i++)
		KUNIT_EXPECT_EQ(test, atomic_read(&t->devs[i]->calls), 1);
	KUNIT_EXPECT_TRUE(test, sdt_before(victim, t->late));
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
	kfree(r);
}

/*
 * device_add() calls that fail while shutdown runs leave no trace: the
 * devices that briefly joined the list are never shut down, every
 * reference the engine took is given back, and the set is shut down
 * as usual.
 */
static void sdt_test_add_fails_during_shutdown(struct kunit *test)
{
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_adder adder = { .t = t };
	struct kset *kset = t->kset;
	struct task_struct *task;
	struct sdt_dev *parent;
	unsigned int i;

	parent = sdt_add(t, NULL, SDT_SYNC, 5);
	for (i = 0; i < 4; i++)
		sdt_add(t, parent, i % 2 ? SDT_ASYNC : SDT_SYNC, 5);
	/* Not in the kset: a plain device, removed but still referenced. */
	t->kset = NULL;
	adder.gone = sdt_add(t, NULL, SDT_NONE, 0);
	t->kset = kset;
	device_del(&adder.gone->dev);
	adder.gone->registered = false;

	kunit_info(test, "next: kobject_add_internal errors, on purpose");
	task = kthread_run(sdt_adder_fn, &adder, "sdt-adder");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	sdt_run_kset(t, true);
	kthread_stop(task);

	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, atomic_read(&t->devs[i]->calls), 1);
	for (i = 1; i < 5; i++)
		KUNIT_EXPECT_TRUE(test, sdt_before(t->devs[i], parent));
	KUNIT_EXPECT_GT(test, atomic_read(&adder.attempts), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&adder.added), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->stray_calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&adder.released),
			atomic_read(&adder.attempts));
	KUNIT_EXPECT_EQ(test, t->stats.late, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
}

/*
 * What the kill switch and a failure to prepare give: the walk of 6.12
 * itself, over the live list.  A device added meanwhile is shut down as
 * soon as it is at the end of the list, a device removed meanwhile not
 * at all, and every parent is locked around its child.
 */
static void sdt_check_6_12_walk(struct kunit *test, bool async)
{
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_dev *a = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *b = sdt_add(t, a, SDT_ASYNC, 0);
	struct sdt_dev *c = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *d = sdt_add(t, c, SDT_ASYNC, 0);
	struct sdt_dev *x = sdt_add(t, NULL, SDT_ASYNC, 0);

	d->hook = sdt_add_late;
	c->hook = sdt_remove_victim;
	c->victim = b;
	sdt_run_kset(t, async);

	KUNIT_EXPECT_TRUE(test, t->stats.legacy);
	KUNIT_EXPECT_EQ(test, t->stats.no_memory, async);
	KUNIT_ASSERT_NOT_NULL(test, t->late);
	/* Last registered first, the late device as soon as it is last. */
	KUNIT_EXPECT_EQ(test, x->start_seq, 1);
	KUNIT_EXPECT_EQ(test, d->start_seq, 3);
	KUNIT_EXPECT_EQ(test, t->late->start_seq, 5);
	KUNIT_EXPECT_EQ(test, c->start_seq, 7);
	KUNIT_EXPECT_EQ(test, a->start_seq, 9);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->calls), 0);
	KUNIT_EXPECT_TRUE(test, d->parent_locked);
	KUNIT_EXPECT_PTR_EQ(test, d->task, current);
	KUNIT_EXPECT_PTR_EQ(test, x->task, current);
	KUNIT_EXPECT_EQ(test, t->stats.devices, 5);
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
	KUNIT_EXPECT_EQ(test, t->after.inline_fallbacks,
			t->before.inline_fallbacks);
	sdt_topo_done(t);
}

static void sdt_test_legacy_is_6_12(struct kunit *test)
{
	sdt_check_6_12_walk(test, false);
	kunit_info(test, "next: a 'no memory' line from the engine, on purpose");
	sdt_fail_allocs(test, true);
	sdt_check_6_12_walk(test, true);
	sdt_fail_allocs(test, false);
}

#define SDT_COST_DEVS	1000

/* More runs make a profile of the engine: perf record while it loads. */
static unsigned int cost_runs = 6;
module_param(cost_runs, uint, 0444);
MODULE_PARM_DESC(cost_runs, "runs of the cost cases (default 6)");

static atomic_t sdt_cost_released = ATOMIC_INIT(0);

static void sdt_cost_release(struct device *dev)
{
	atomic_inc(&sdt_cost_released);
	kfree(dev);
}

static void sdt_cost_unregister(void *data)
{
	struct device **devs = data;
	unsigned int i;

	for (i = SDT_COST_DEVS; i--; ) {
		if (!devs[i])
			continue;
		if (device_is_registered(devs[i]))
			device_unregister(devs[i]);
		else
			put_device(devs[i]);
	}
}

/*
 * What the engine costs on its own, natively: a thousand devices without
 * callbacks, in a tree, shut down through the engine and in the legacy
 * order, the fastest of a few runs each.  The times go to the bench
 * ("BENCH:" line); what is checked does not depend on the machine: every
 * device went through the engine, and the plan takes a bounded amount of
 * memory per device.
 */
static void sdt_test_engine_cost(struct kunit *test)
{
	struct device_shutdown_opts opts = { .async = true };
	u64 prepare = U64_MAX, finish = U64_MAX, elapsed = U64_MAX;
	u64 legacy = U64_MAX;
	struct device_shutdown_stats st;
	struct device **devs, **set;
	unsigned int i, run;
	size_t bytes = 0;

	devs = kunit_kcalloc(test, SDT_COST_DEVS, sizeof(*devs), GFP_KERNEL);
	set = kunit_kcalloc(test, SDT_COST_DEVS, sizeof(*set), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, devs);
	KUNIT_ASSERT_NOT_NULL(test, set);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, sdt_cost_unregister,
						  devs));
	for (i = 0; i < SDT_COST_DEVS; i++) {
		devs[i] = kzalloc(sizeof(*devs[i]), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, devs[i]);
		device_initialize(devs[i]);
		devs[i]->release = sdt_cost_release;
		devs[i]->parent = i ? devs[(i - 1) / 8] : NULL;
		dev_set_uevent_suppress(devs[i], true);
		KUNIT_ASSERT_EQ(test, 0, dev_set_name(devs[i], "sdt-cost%u", i));
		KUNIT_ASSERT_EQ(test, 0, device_add(devs[i]));
		/* Last registered first, as device_shutdown() takes them. */
		set[SDT_COST_DEVS - 1 - i] = devs[i];
	}

	for (run = 0; run < cost_runs; run++) {
		opts.async = true;
		device_shutdown_devices(set, SDT_COST_DEVS, &opts, &st);
		KUNIT_ASSERT_FALSE(test, st.legacy);
		KUNIT_EXPECT_EQ(test, st.devices, SDT_COST_DEVS);
		KUNIT_EXPECT_EQ(test, st.edges, SDT_COST_DEVS - 1);
		KUNIT_EXPECT_EQ(test, st.skipped, 0);
		KUNIT_EXPECT_LE(test, st.plan_bytes, SDT_COST_DEVS * 256 + SZ_64K);
		bytes = st.plan_bytes;
		prepare = min(prepare, st.prepare_ns);
		finish = min(finish, st.finish_ns);
		elapsed = min(elapsed, st.elapsed_ns);

		opts.async = false;
		device_shutdown_devices(set, SDT_COST_DEVS, &opts, &st);
		KUNIT_EXPECT_TRUE(test, st.legacy);
		legacy = min(legacy, st.elapsed_ns);
	}
	kunit_info(test, "BENCH: engine_1000 prepare_ns=%llu finish_ns=%llu elapsed_ns=%llu legacy_ns=%llu plan_bytes=%zu",
		   prepare, finish, elapsed, legacy, bytes);
}

static atomic_t sdt_cost_calls = ATOMIC_INIT(0);
static struct device *sdt_cost_order[16];
/* Called by each callback of the cost cases, with its turn, if set. */
static void (*sdt_cost_hook)(struct device *dev, int nth);

/* Devices of the cost cases that have a callback: count, note the first. */
static void sdt_cost_shutdown(struct device *dev)
{
	int nth = atomic_inc_return(&sdt_cost_calls) - 1;

	if (nth < ARRAY_SIZE(sdt_cost_order))
		sdt_cost_order[nth] = dev;
	if (sdt_cost_hook)
		sdt_cost_hook(dev, nth);
}

/* When @dev was shut down, among the callbacks; -1 for not at all. */
static int sdt_cost_turn(struct device *dev)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(sdt_cost_order); i++) {
		if (sdt_cost_order[i] == dev)
			return i;
	}
	return -1;
}

static const struct bus_type sdt_cost_bus = {
	.name		= "shutdown_kunit_cost",
	.shutdown	= sdt_cost_shutdown,
};

struct sdt_cost_kset {
	struct kset	*kset;
	struct device	**devs;
	unsigned int	allocs;		/* of the engine's, without a run */
};

static void sdt_cost_kset_release(void *data)
{
	struct sdt_cost_kset *ck = data;

	sdt_cost_unregister(ck->devs);
	kset_unregister(ck->kset);
}

enum sdt_nest { SDT_NEST_COOKIE, SDT_NEST_OWN, SDT_NEST_FULL, SDT_NESTS };

static atomic_t sdt_nested_calls = ATOMIC_INIT(0);

static void sdt_nested_fn(void *data, async_cookie_t cookie)
{
	usleep_range(100, 200);
	atomic_inc(&sdt_nested_calls);
}

/*
 * A driver whose ->shutdown() schedules an async call and waits for it:
 * in the default domain by its cookie, in a domain of its own, or with
 * async_synchronize_full(), as its drvdata says.
 */
static void sdt_nested_shutdown(struct device *dev)
{
	ASYNC_DOMAIN_EXCLUSIVE(own);
	async_cookie_t cookie;

	switch ((unsigned long)dev_get_drvdata(dev)) {
	case SDT_NEST_COOKIE:
		cookie = async_schedule(sdt_nested_fn, dev);
		async_synchronize_cookie(cookie + 1);
		break;
	case SDT_NEST_OWN:
		async_schedule_domain(sdt_nested_fn, dev, &own);
		async_synchronize_full_domain(&own);
		break;
	default:
		async_schedule(sdt_nested_fn, dev);
		async_synchronize_full();
		break;
	}
}

static const struct bus_type sdt_nested_bus = {
	.name		= "shutdown_kunit_nested",
	.shutdown	= sdt_nested_shutdown,
};

struct sdt_nested_run {
	struct device			**set;
	struct device_shutdown_stats	st;
	struct completion		done;
};

static int sdt_nested_thread(void *data)
{
	struct sdt_nested_run *r = data;
	struct device_shutdown_opts opts = { .async = true };

	device_shutdown_devices(r->set, SDT_COST_DEVS, &opts, &r->st);
	complete(&r->done);
	return 0;
}

/*
 * A thousand async devices, each in a chain of its own, whose callbacks
 * each schedule an async call and wait for it: far more chains than
 * async_wq runs at once.  The calls they wait for must not queue behind
 * them.  The run gets a thread of its own and a minute: if it hangs, the
 * devices are left to it, never freed under it.
 */
static void sdt_test_nested_async(struct kunit *test)
{
	struct device **devs = kcalloc(SDT_COST_DEVS, sizeof(*devs), GFP_KERNEL);
	struct sdt_nested_run *r = kzalloc(sizeof(*r), GFP_KERNEL);
	struct task_struct *task;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, devs);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, sdt_cost_unregister,
						  devs));
	r->set = devs;
	init_completion(&r->done);
	atomic_set(&sdt_nested_calls, 0);
	for (i = 0; i < SDT_COST_DEVS; i++) {
		devs[i] = kzalloc(sizeof(*devs[i]), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, devs[i]);
		device_initialize(devs[i]);
		devs[i]->release = sdt_cost_release;
		devs[i]->bus = &sdt_nested_bus;
		dev_set_drvdata(devs[i], (void *)(unsigned long)(i % SDT_NESTS));
		device_enable_async_shutdown(devs[i]);
		dev_set_uevent_suppress(devs[i], true);
		KUNIT_ASSERT_EQ(test, 0, dev_set_name(devs[i], "sdt-nested%u", i));
		KUNIT_ASSERT_EQ(test, 0, device_add(devs[i]));
	}

	task = kthread_run(sdt_nested_thread, r, "sdt_nested");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	if (!wait_for_completion_timeout(&r->done, 60 * HZ)) {
		KUNIT_FAIL(test, "chains that wait for nested async calls hung: %d of %u calls ran",
			   atomic_read(&sdt_nested_calls), SDT_COST_DEVS);
		kunit_remove_action(test, sdt_cost_unregister, devs);
		return;
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&sdt_nested_calls), SDT_COST_DEVS);
	KUNIT_EXPECT_EQ(test, r->st.async, SDT_COST_DEVS);
	KUNIT_EXPECT_EQ(test, r->st.chains, SDT_COST_DEVS);
	KUNIT_EXPECT_FALSE(test, r->st.legacy);
	kunit_release_action(test, sdt_cost_unregister, devs);
	kfree(devs);
	kfree(r);
}

/*
 * A kset of SDT_COST_DEVS devices as a small machine has them: a sync
 * root with a callback, nine async devices with callbacks below it, two
 * more sync ones with callbacks (the middle one and the last one), the
 * others without callback, in a tree.
 */
static struct sdt_cost_kset *sdt_cost_kset_new(struct kunit *test)
{
	struct sdt_cost_kset *ck = kunit_kzalloc(test, sizeof(*ck), GFP_KERNEL);
	struct device *dev;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, ck);
	ck->devs = kunit_kcalloc(test, SDT_COST_DEVS, sizeof(*ck->devs),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ck->devs);
	ck->kset = kset_create_and_add("shutdown_kunit_cost", NULL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, ck->kset);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, sdt_cost_kset_release,
						  ck));
	for (i = 0; i < SDT_COST_DEVS; i++) {
		dev = kzalloc(sizeof(*dev), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, dev);
		ck->devs[i] = dev;
		device_initialize(dev);
		dev->release = sdt_cost_release;
		dev->kobj.kset = ck->kset;
		dev->parent = i ? ck->devs[(i - 1) / 8] : NULL;
		if (i < 10 || i == SDT_COST_DEVS / 2 || i == SDT_COST_DEVS - 1)
			dev->bus = &sdt_cost_bus;
		if (i && i < 10)
			device_enable_async_shutdown(dev);
		dev_set_uevent_suppress(dev, true);
		KUNIT_ASSERT_EQ(test, 0, dev_set_name(dev, "sdt-costk%u", i));
		KUNIT_ASSERT_EQ(test, 0, device_add(dev));
	}
	return ck;
}

/*
 * All of device_shutdown() natively, on a kset of its own: the engine
 * against the walk of 6.12 (device_shutdown_walk(), what the kill switch
 * runs), on a fresh kset each time, the fastest of a few runs each.  The
 * times go to the bench; checked is what does not depend on the machine.
 */
static void sdt_test_kset_cost(struct kunit *test)
{
	struct device_shutdown_opts opts = { };
	u64 engine = U64_MAX, walk = U64_MAX, plan = U64_MAX;
	struct device_shutdown_stats st;
	struct sdt_cost_kset *ck;
	unsigned int run;

	for (run = 0; run < cost_runs; run++) {
		opts.async = run % 2 == 0;
		ck = sdt_cost_kset_new(test);
		device_shutdown_kset(ck->kset, &opts, &st);
		KUNIT_EXPECT_EQ(test, st.devices, SDT_COST_DEVS);
		KUNIT_EXPECT_EQ(test, st.legacy, !opts.async);
		KUNIT_EXPECT_TRUE(test, list_empty(&ck->kset->list));
		if (opts.async) {
			KUNIT_EXPECT_EQ(test, st.async, 9);
			engine = min(engine, st.elapsed_ns);
			plan = min(plan, st.prepare_ns + st.finish_ns);
		} else {
			walk = min(walk, st.elapsed_ns);
		}
		kunit_release_action(test, sdt_cost_kset_release, ck);
	}
	kunit_info(test, "BENCH: kset_1000 engine_ns=%llu walk_ns=%llu plan_ns=%llu",
		   engine, walk, plan);
}

/*
 * The devices of a kset are held in an array that grows as they are
 * taken, 1000 devices needing a few steps.  Whichever allocation fails,
 * the first or one that grows the array, the kset is left as it was and
 * the walk of 6.12 shuts every device down once; with none failing, the
 * engine does.
 */
static void sdt_test_kset_grow(struct kunit *test)
{
	struct device_shutdown_opts opts = { .async = true };
	struct sdt_faults f = { .only = true };
	struct device_shutdown_stats st;
	struct sdt_cost_kset *ck;

	kunit_info(test, "next: 'no memory' lines from the engine, on purpose");
	for (f.fail_at = 0; f.fail_at <= 3; f.fail_at++) {
		ck = sdt_cost_kset_new(test);
		atomic_set(&sdt_cost_calls, 0);
		atomic_set(&sdt_cost_released, 0);
		sdt_faults_start(test, &f, false);
		device_shutdown_kset(ck->kset, &opts, &st);
		sdt_faults_stop(test);
		if (f.fail_at) {
			/* The array of 256 devices, then the array growing. */
			KUNIT_EXPECT_EQ(test, f.failed_n, 256 << (f.fail_at - 1));
			KUNIT_EXPECT_FALSE(test, f.failed_run);
		}
		KUNIT_EXPECT_EQ(test, st.devices, SDT_COST_DEVS);
		KUNIT_EXPECT_EQ(test, st.no_memory, f.fail_at != 0);
		KUNIT_EXPECT_EQ(test, st.legacy, f.fail_at != 0);
		KUNIT_EXPECT_EQ(test, atomic_read(&sdt_cost_calls), 12);
		KUNIT_EXPECT_TRUE(test, list_empty(&ck->kset->list));
		if (!f.fail_at) {
			/* Arrays of 256, 512 and 1024 devices, and the run. */
			KUNIT_EXPECT_EQ(test, f.no_run, 4);
			KUNIT_EXPECT_EQ(test, st.edges, SDT_COST_DEVS - 1);
		}
		/* Every reference taken was given back. */
		kunit_release_action(test, sdt_cost_kset_release, ck);
		KUNIT_EXPECT_EQ(test, atomic_read(&sdt_cost_released),
				SDT_COST_DEVS);
	}
}

/*
 * While the kset lock is dropped to grow the array of devices taken, move
 * the device taken first (the last one registered) under the second one,
 * not taken yet.  DPM_ORDER_DEV_AFTER_PARENT places it right after its
 * new parent: among the devices the walk has still to take.  Remove one
 * device taken already and one not taken yet, with a callback, too.
 */
static void *sdt_moving_alloc(struct shutdown_run *run, size_t n,
			      size_t size, gfp_t gfp)
{
	struct kunit *test = kunit_get_current_test();
	struct sdt_cost_kset *ck = test->priv;

	/* The first array comes before any device is taken. */
	if (!run && ck->allocs++ == 1) {
		KUNIT_EXPECT_EQ(test, 0,
				device_move(ck->devs[SDT_COST_DEVS - 1],
					    ck->devs[1],
					    DPM_ORDER_DEV_AFTER_PARENT));
		device_del(ck->devs[SDT_COST_DEVS - 2]);
		device_del(ck->devs[2]);
	}
	return kvmalloc_array(n, size, gfp);
}

/*
 * A device moved back among those not taken yet, while they are being
 * taken, is met a second time: it is still one device of the set, shut
 * down once, waited for by its new parent alone, and in its new place:
 * after the middle device, as the legacy walk would find it.  A device
 * removed then is skipped if it was taken, and never seen if not.
 */
static void sdt_test_kset_moved_while_taken(struct kunit *test)
{
	struct device_shutdown_opts opts = { .async = true };
	struct sdt_cost_kset *ck = sdt_cost_kset_new(test);
	struct device_shutdown_stats st;

	atomic_set(&sdt_cost_calls, 0);
	atomic_set(&sdt_cost_released, 0);
	memset(sdt_cost_order, 0, sizeof(sdt_cost_order));
	test->priv = ck;
	kunit_activate_static_stub(test, device_shutdown_alloc,
				   sdt_moving_alloc);
	device_shutdown_kset(ck->kset, &opts, &st);
	kunit_deactivate_static_stub(test, device_shutdown_alloc);
	test->priv = NULL;

	KUNIT_EXPECT_GE(test, ck->allocs, 2);
	KUNIT_EXPECT_PTR_EQ(test, ck->devs[SDT_COST_DEVS - 1]->parent,
			    ck->devs[1]);
	KUNIT_EXPECT_FALSE(test, st.legacy);
	KUNIT_EXPECT_EQ(test, st.devices, SDT_COST_DEVS - 1);
	KUNIT_EXPECT_EQ(test, st.edges, SDT_COST_DEVS - 2);
	KUNIT_EXPECT_EQ(test, st.skipped, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&sdt_cost_calls), 11);
	KUNIT_EXPECT_LT(test, sdt_cost_turn(ck->devs[SDT_COST_DEVS / 2]),
			sdt_cost_turn(ck->devs[SDT_COST_DEVS - 1]));
	KUNIT_EXPECT_TRUE(test, list_empty(&ck->kset->list));
	/* Both references to the device met twice were given back. */
	kunit_release_action(test, sdt_cost_kset_release, ck);
	KUNIT_EXPECT_EQ(test, atomic_read(&sdt_cost_released), SDT_COST_DEVS);
}

/* sdt_test_removed_with_parent(): the three devices, and who is gone. */
static struct device *sdt_orphan[3];	/* parent, child, remover */
static atomic_t sdt_orphan_parent_gone = ATOMIC_INIT(0);

/* The parent is kept, so that the test can see it touched once gone. */
static void sdt_orphan_parent_release(struct device *dev)
{
	atomic_set(&sdt_orphan_parent_gone, 1);
}

static void sdt_remove_child_and_parent(struct device *dev, int nth)
{
	if (dev != READ_ONCE(sdt_orphan[2]))
		return;
	device_unregister(sdt_orphan[1]);
	device_unregister(sdt_orphan[0]);
}

static struct device *sdt_orphan_add(struct kunit *test, const char *name,
				     struct device *parent, bool callback,
				     void (*release)(struct device *dev))
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, dev);
	device_initialize(dev);
	dev->release = release;
	dev->parent = parent;
	if (callback)
		dev->bus = &sdt_cost_bus;
	dev_set_uevent_suppress(dev, true);
	KUNIT_ASSERT_EQ(test, 0, dev_set_name(dev, "%s", name));
	KUNIT_ASSERT_EQ(test, 0, device_add(dev));
	return dev;
}

/*
 * A sync device removed during the run together with its parent, which
 * is not in the set: once removed, the device no longer holds its parent,
 * which is gone by its turn.  The engine must not touch the parent then:
 * it reads it only while the device is alive, under the device's lock.
 * The parent's memory is kept, so that a reference taken on it shows.
 */
static void sdt_test_removed_with_parent(struct kunit *test)
{
	struct device_shutdown_opts opts = { .async = true };
	struct device_shutdown_stats st;
	struct device *set[2];

	atomic_set(&sdt_orphan_parent_gone, 0);
	atomic_set(&sdt_cost_calls, 0);
	sdt_orphan[0] = sdt_orphan_add(test, "sdt-orphan-parent", NULL, false,
				       sdt_orphan_parent_release);
	sdt_orphan[1] = sdt_orphan_add(test, "sdt-orphan", sdt_orphan[0], true,
				       sdt_cost_release);
	sdt_orphan[2] = sdt_orphan_add(test, "sdt-orphan-remover", NULL, true,
				       sdt_cost_release);
	/* The remover first; the caller's references on the set. */
	set[0] = get_device(sdt_orphan[2]);
	set[1] = get_device(sdt_orphan[1]);
	sdt_cost_hook = sdt_remove_child_and_parent;
	device_shutdown_devices(set, ARRAY_SIZE(set), &opts, &st);
	sdt_cost_hook = NULL;

	KUNIT_EXPECT_EQ(test, atomic_read(&sdt_cost_calls), 1);
	KUNIT_EXPECT_EQ(test, st.skipped, 1);
	device_unregister(sdt_orphan[2]);
	put_device(set[0]);
	put_device(set[1]);
	KUNIT_EXPECT_EQ(test, atomic_read(&sdt_orphan_parent_gone), 1);
	/* A reference taken on the parent once gone saturates its count. */
	KUNIT_EXPECT_EQ(test, kref_read(&sdt_orphan[0]->kobj.kref), 0);
	kfree(sdt_orphan[0]);
}

/* What sdt_test_kset_reordered() counts: the kset lock let go. */
static atomic_t sdt_relaxes = ATOMIC_INIT(0);
static int sdt_relaxes_at_reorder, sdt_relaxes_at_end;
static struct sdt_cost_kset *sdt_reordered;	/* callbacks run anywhere */

static void sdt_counting_relax(struct kset *kset)
{
	atomic_inc(&sdt_relaxes);
	spin_unlock(&kset->list_lock);
	spin_lock(&kset->list_lock);
}

/*
 * The callback of the first sync device moves nine devices of the set in
 * ten, all but the first registered, back to the end of the kset's list,
 * as device_link_add() does with a consumer and what is below it; the
 * last one, the root's, notes how often the lock was let go since.  Only
 * the late pass takes the kset lock in between.
 */
static void sdt_reorder_hook(struct device *dev, int nth)
{
	struct sdt_cost_kset *ck = READ_ONCE(sdt_reordered);
	unsigned int i;

	if (ck && dev == ck->devs[SDT_COST_DEVS - 1]) {
		sdt_relaxes_at_reorder = atomic_read(&sdt_relaxes);
		spin_lock(&ck->kset->list_lock);
		for (i = SDT_COST_DEVS / 10; i < SDT_COST_DEVS; i++)
			list_move_tail(&ck->devs[i]->kobj.entry,
				       &ck->kset->list);
		spin_unlock(&ck->kset->list_lock);
	} else if (ck && dev == ck->devs[0]) {
		sdt_relaxes_at_end = atomic_read(&sdt_relaxes);
	}
}

/*
 * Devices of the set that come back on the kset's list during the run,
 * 900 of them here, go back among those taken in batches: the late pass
 * lets the lock go at least once every 256 devices (SHUTDOWN_KSET_BATCH),
 * so that the time nothing can preempt it does not grow with the machine.
 * They are not late devices: each is shut down once, by its node.
 */
static void sdt_test_kset_reordered(struct kunit *test)
{
	struct device_shutdown_opts opts = { .async = true };
	struct sdt_cost_kset *ck = sdt_cost_kset_new(test);
	struct device_shutdown_stats st;

	atomic_set(&sdt_cost_calls, 0);
	atomic_set(&sdt_cost_released, 0);
	atomic_set(&sdt_relaxes, 0);
	sdt_relaxes_at_reorder = -1;
	sdt_relaxes_at_end = -1;
	sdt_reordered = ck;
	sdt_cost_hook = sdt_reorder_hook;
	kunit_activate_static_stub(test, device_shutdown_kset_relax,
				   sdt_counting_relax);
	device_shutdown_kset(ck->kset, &opts, &st);
	kunit_deactivate_static_stub(test, device_shutdown_kset_relax);
	sdt_cost_hook = NULL;
	sdt_reordered = NULL;

	KUNIT_ASSERT_GE(test, sdt_relaxes_at_reorder, 0);
	KUNIT_ASSERT_GE(test, sdt_relaxes_at_end, 0);
	KUNIT_EXPECT_GE(test, sdt_relaxes_at_end - sdt_relaxes_at_reorder,
			(SDT_COST_DEVS - SDT_COST_DEVS / 10) / 256);
	KUNIT_EXPECT_FALSE(test, st.legacy);
	KUNIT_EXPECT_EQ(test, st.devices, SDT_COST_DEVS);
	KUNIT_EXPECT_EQ(test, st.late, 0);
	KUNIT_EXPECT_EQ(test, st.skipped, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&sdt_cost_calls), 12);
	KUNIT_EXPECT_TRUE(test, list_empty(&ck->kset->list));
	kunit_release_action(test, sdt_cost_kset_release, ck);
	KUNIT_EXPECT_EQ(test, atomic_read(&sdt_cost_released), SDT_COST_DEVS);
}

/* Flip the kill switch from within a shutdown callback. */
static void sdt_toggle_knob(struct sdt_dev *sd)
{
	WRITE_ONCE(device_shutdown_async, !READ_ONCE(device_shutdown_async));
}

/*
 * driver_core.async_shutdown is read once, when shutdown starts: turned
 * off, or on, by a device while devices are being shut down, it changes
 * nothing for that shutdown.  Every device is shut down once, in order.
 */
static void sdt_test_knob_toggled(struct kunit *test)
{
	bool saved = READ_ONCE(device_shutdown_async);
	struct sdt_dev *a, *b, *c, *d;
	struct sdt_topo *t;
	unsigned int on;

	for (on = 0; on < 2; on++) {
		t = sdt_kset_topo_new(test);
		a = sdt_add(t, NULL, SDT_SYNC, 0);
		b = sdt_add(t, a, SDT_ASYNC, 0);
		c = sdt_add(t, NULL, SDT_ASYNC, 0);
		d = sdt_add(t, c, SDT_SYNC, 0);
		d->hook = sdt_toggle_knob;
		WRITE_ONCE(device_shutdown_async, on);
		sdt_reset(t);
		device_shutdown_configured(t->kset, &t->stats);

		KUNIT_EXPECT_EQ(test, READ_ONCE(device_shutdown_async), !on);
		KUNIT_EXPECT_EQ(test, t->stats.legacy, !on);
		KUNIT_EXPECT_EQ(test, t->stats.devices, 4);
		KUNIT_EXPECT_EQ(test, atomic_read(&a->calls), 1);
		KUNIT_EXPECT_EQ(test, atomic_read(&b->calls), 1);
		KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);
		KUNIT_EXPECT_EQ(test, atomic_read(&d->calls), 1);
		KUNIT_EXPECT_TRUE(test, sdt_before(b, a) && sdt_before(d, c));
		if (on)
			KUNIT_EXPECT_GE(test, t->stats.chains, 1);
		else
			KUNIT_EXPECT_EQ(test, d->start_seq, 1);
		sdt_topo_done(t);
	}
	WRITE_ONCE(device_shutdown_async, saved);
}

/*
 * The watchdog names a device that takes too long and shutdown goes on:
 * unrelated devices finish meanwhile.  The slow device is slow until the
 * watchdog has named it.
 */
static void sdt_test_watchdog(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *slow = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_dev *fast = sdt_add(t, NULL, SDT_ASYNC, 10);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_SYNC, 0);

	sdt_add(t, parent, SDT_ASYNC, 10);
	sdt_await_name(slow);
	sdt_set_all(t);
	kunit_info(test, "next: a watchdog report with a stack trace, on purpose");
	sdt_run(t, true, SDT_WATCH_MS);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_TRUE_MSG(test, slow->awaited,
			      "the watchdog did not name the slow device");
	KUNIT_EXPECT_EQ(test, t->stats.hung, 1);
	KUNIT_EXPECT_TRUE(test, ktime_before(fast->end, slow->end));
	KUNIT_EXPECT_TRUE(test, ktime_before(parent->end, slow->end));
}

/*
 * Reserved async calls that hold every slot of the workqueue reserved
 * calls run on, until released, so that a chain queued behind them
 * cannot start: the engine stalls with no device being shut down.
 */
#define SDT_BLOCKERS	(2 * WQ_DFL_ACTIVE)

struct sdt_blockers {
	struct async_domain		domain;
	struct async_reservation	res;
	struct completion		release;
};

static void sdt_blocker_fn(void *data, async_cookie_t cookie)
{
	struct sdt_blockers *b = data;

	wait_for_completion_timeout(&b->release, SDT_MEET_TIMEOUT);
}

/*
 * The chain of an async grandchild cannot start while the calling thread
 * waits for its sync grandparent (@kind SDT_SYNC), or for the end of the
 * run, until the watchdog has reported the stall: no device finishes and
 * none is being shut down.  The watchdog reports that stall once, naming
 * the grandchild as what holds the run up, no device as hung, and the
 * shutdown goes on in order once the chain runs.
 */
static void sdt_watchdog_stall(struct kunit *test, enum sdt_kind kind)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *top = sdt_add(t, NULL, kind, 0);
	struct sdt_dev *parent = sdt_add(t, top, SDT_NONE, 0);
	struct sdt_blockers *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	int node = numa_node_id();
	struct sdt_dev *child;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	child = sdt_add(t, parent, SDT_ASYNC, 0);
	/* Its chain queues behind the blockers, on their node. */
	set_dev_node(&child->dev, node);
	sdt_set_all(t);
	async_domain_init(&b->domain, "sdt-blockers", 0);
	init_completion(&b->release);
	t->on_stall = &b->release;
	KUNIT_ASSERT_EQ(test, 0, async_reserve(&b->res, SDT_BLOCKERS));
	for (i = 0; i < SDT_BLOCKERS; i++)
		async_schedule_reserved_node(sdt_blocker_fn, b, node,
					     &b->domain, &b->res);

	kunit_info(test, "next: a watchdog report of a stall, on purpose");
	sdt_run(t, true, SDT_WATCH_MS);
	complete_all(&b->release);
	async_synchronize_full_domain(&b->domain);
	async_unreserve(&b->res);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_TRUE_MSG(test, completion_done(&t->stalled),
			      "the watchdog did not report the stall");
	KUNIT_EXPECT_PTR_EQ_MSG(test, t->stall_dev, &child->dev,
				"the stall was not put down to the queued device");
	KUNIT_EXPECT_EQ(test, t->stats.stalls, 1);
	KUNIT_EXPECT_EQ(test, t->stats.hung, 0);
}

static void sdt_test_watchdog_stall(struct kunit *test)
{
	sdt_watchdog_stall(test, SDT_SYNC);
}

/* The same with nothing sync: the calling thread waits for the end. */
static void sdt_test_watchdog_stall_end(struct kunit *test)
{
	sdt_watchdog_stall(test, SDT_NONE);
}

/*
 * The task of @data has shut its device down and left the watchdog's
 * lane, and the engine has not counted the device done yet: hold it there
 * until the watchdog, which named the device, has looked again, as a
 * loaded host may preempt it there.  A tracepoint probe may not sleep.
 */
static void sdt_hold_after_end(void *data, struct device *dev,
			       unsigned int chain)
{
	struct sdt_dev *sd = data;
	ktime_t until;

	/* Set by its own task, before it waited for the name. */
	if (dev != &sd->dev || !sd->awaited)
		return;
	until = ktime_add_ms(sd->named_at, SDT_WATCH_MS + SDT_WATCH_MS / 4);
	while (ktime_before(ktime_get(), until))
		cpu_relax();
}

static void sdt_unhold_after_end(void *data)
{
	unregister_trace_device_shutdown_end(sdt_hold_after_end, data);
	tracepoint_synchronize_unregister();
}

/*
 * A device named by the watchdog ends just before the watchdog looks
 * again, and its task is held up before the device is counted done: at
 * that look no lane is busy and no device has finished since the last,
 * yet the run did not stall.  The watchdog must not report a stall.
 */
static void sdt_test_watchdog_no_stall_at_end(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *slow = sdt_add(t, NULL, SDT_ASYNC, 0);
	s64 ended_ms;

	if (!IS_ENABLED(CONFIG_TRACEPOINTS))
		kunit_skip(test, "this kernel has no tracepoints");
	sdt_await_name(slow);
	/* Ends a quarter of a timeout before the watchdog looks again. */
	slow->sleep_ms = SDT_WATCH_MS * 3 / 4;
	sdt_set_all(t);
	KUNIT_ASSERT_EQ(test, 0,
			register_trace_device_shutdown_end(sdt_hold_after_end,
							   slow));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, sdt_unhold_after_end,
						  slow));
	kunit_info(test, "next: a watchdog report with a stack trace, on purpose");
	sdt_run(t, true, SDT_WATCH_MS);
	kunit_release_action(test, sdt_unhold_after_end, slow);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_ASSERT_TRUE_MSG(test, slow->awaited,
			      "the watchdog did not name the slow device");
	KUNIT_EXPECT_EQ(test, t->stats.hung, 1);
	KUNIT_EXPECT_EQ_MSG(test, t->stats.stalls, 0,
			    "a stall was reported as the slow device ended");
	KUNIT_EXPECT_FALSE(test, completion_done(&t->stalled));
	ended_ms = ktime_ms_delta(slow->end, slow->named_at);
	if (ended_ms >= SDT_WATCH_MS)
		sdt_untested(test,
			     "ended %lld ms after its name, past the next look: untested",
			     ended_ms);
}

/* How long sdt_add_late_under_queued() gives a chain to start. */
#define SDT_QUEUED_MS	1000

static struct sdt_blockers *sdt_queued_blockers;

/*
 * Register a late device under ->late_parent, an async device whose chain
 * is queued behind blockers, then let the blockers go and give the chain
 * time to start ->late_parent while this callback still runs, before the
 * calling thread can make a late pass.
 */
static void sdt_add_late_under_queued(struct sdt_dev *sd)
{
	sdt_register_late(sd, sd->late_parent);
	complete_all(&sdt_queued_blockers->release);
	wait_for_completion_timeout(sd->late_parent->announce,
				    msecs_to_jiffies(SDT_QUEUED_MS));
}

/*
 * A late device placed under an async device that was released before it
 * came, whose chain starts only afterwards: the chain sees the late device
 * as it is about to start the parent (shutdown_node_run()), and has the
 * calling thread shut it down first.  The parent cannot start before,
 * so the callback that added the late device waits SDT_QUEUED_MS in vain.
 * A chain that started only after that proves nothing: the case is then
 * skipped, on a host too loaded to start the chain in time, and fails
 * with strict_timing (make bench).
 */
static void sdt_test_late_under_queued(struct kunit *test)
{
	struct sdt_topo *t = sdt_kset_topo_new(test);
	struct sdt_dev *queued = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_dev *adder = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_blockers *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct completion *in = kunit_kzalloc(test, sizeof(*in), GFP_KERNEL);
	int node = numa_node_id();
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, in);
	init_completion(in);
	queued->announce = in;
	/* Its chain queues behind the blockers, on their node. */
	set_dev_node(&queued->dev, node);
	adder->hook = sdt_add_late_under_queued;
	adder->late_parent = queued;
	async_domain_init(&b->domain, "sdt-blockers", 0);
	init_completion(&b->release);
	sdt_queued_blockers = b;
	KUNIT_ASSERT_EQ(test, 0, async_reserve(&b->res, SDT_BLOCKERS));
	for (i = 0; i < SDT_BLOCKERS; i++)
		async_schedule_reserved_node(sdt_blocker_fn, b, node,
					     &b->domain, &b->res);

	sdt_run_kset(t, true);
	complete_all(&b->release);
	async_synchronize_full_domain(&b->domain);
	async_unreserve(&b->res);

	KUNIT_ASSERT_NOT_NULL(test, t->late);
	KUNIT_EXPECT_EQ(test, t->stats.late, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->late->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&queued->calls), 1);
	KUNIT_EXPECT_TRUE(test, sdt_before(t->late, queued));
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
	if (t->stats.late_waits)
		return;
	if (strict_timing)
		KUNIT_FAIL(test, "the chain started after the late pass");
	else
		sdt_untested(test,
			     "no chain slept for the late device (late_waits 0), as when its chain starts more than %u ms after its blockers go, on a slow host: untested (strict_timing=1 fails it)",
			     SDT_QUEUED_MS);
}

/*
 * Each lane has its own watch: devices hung at the same time in two
 * chains and in the calling thread are each named once, each hung until
 * it is, and a quick device is not named at all.  The legacy walk, like
 * 6.12's, has no watchdog.
 */
static void sdt_test_watchdog_lanes(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *hung[3];
	unsigned int i;

	hung[0] = sdt_add(t, NULL, SDT_ASYNC, 150);
	hung[1] = sdt_add(t, NULL, SDT_ASYNC, 150);
	hung[2] = sdt_add(t, NULL, SDT_SYNC, 150);
	sdt_add(t, NULL, SDT_SYNC, 0);
	sdt_set_all(t);
	for (i = 0; i < ARRAY_SIZE(hung); i++)
		sdt_await_name(hung[i]);

	kunit_info(test, "next: three watchdog reports with stack traces, on purpose");
	sdt_run(t, true, SDT_WATCH_MS);
	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	for (i = 0; i < ARRAY_SIZE(hung); i++)
		KUNIT_EXPECT_TRUE_MSG(test, hung[i]->awaited,
				      "hung device %u was not named", i);
	KUNIT_EXPECT_EQ(test, t->stats.hung, 3);

	/* Hung for three times the timeout, with nothing to name them. */
	for (i = 0; i < ARRAY_SIZE(hung); i++) {
		hung[i]->await = NULL;
		hung[i]->sleep_ms = 150;
	}
	sdt_run(t, false, 50);
	KUNIT_EXPECT_TRUE(test, t->stats.legacy);
	KUNIT_EXPECT_EQ(test, t->stats.hung, 0);

	sdt_run(t, true, 0);
	KUNIT_EXPECT_EQ(test, t->stats.hung, 0);
}

/*
 * Twelve devices hang at once, each in a chain of its own.  The watchdog
 * names every one, but no more than four in one firing of its timer
 * (SHUTDOWN_WATCH_REPORTS): each report prints a stack trace, in softirq.
 */
static void sdt_test_watchdog_many_hung(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *hung[12];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hung); i++) {
		hung[i] = sdt_add(t, NULL, SDT_ASYNC, 0);
		sdt_await_name(hung[i]);
	}
	sdt_set_all(t);
	kunit_info(test, "next: twelve watchdog reports with stack traces, on purpose");
	sdt_run(t, true, SDT_WATCH_MS);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	for (i = 0; i < ARRAY_SIZE(hung); i++)
		KUNIT_EXPECT_TRUE_MSG(test, hung[i]->awaited,
				      "hung device %u was not named", i);
	KUNIT_EXPECT_EQ(test, t->stats.hung, ARRAY_SIZE(hung));
	KUNIT_EXPECT_GE(test, t->stats.watchdog_most_reports, 1);
	KUNIT_EXPECT_LE(test, t->stats.watchdog_most_reports, 4);
}

/*
 * The watchdog looks at the lanes of the chains that started, not at a
 * slot for every async device: here one chain carries them all.
 */
static void sdt_test_watchdog_started_lanes(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *sd = NULL;
	unsigned int i;

	for (i = 0; i < 24; i++)
		sd = sdt_add(t, sd, SDT_ASYNC, 5);
	sdt_set_all(t);
	sdt_run(t, true, 100);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_EQ(test, t->stats.chains, 1);
	KUNIT_EXPECT_GE(test, t->stats.watchdog_scans, 1);
	KUNIT_EXPECT_LE(test, t->stats.watchdog_lanes,
			t->stats.watchdog_scans * (t->stats.chains + 1));
}

static struct device *sdt_watched_root;
static DECLARE_COMPLETION(sdt_root_named);

static void sdt_name_root(struct device *dev, void *data)
{
	if (dev && dev == READ_ONCE(sdt_watched_root))
		complete_all(&sdt_root_named);
}

/* The root hangs until it is named, then for a whole scan more. */
static void sdt_root_hangs(struct device *dev, int nth)
{
	if (dev != READ_ONCE(sdt_watched_root))
		return;
	wait_for_completion_timeout(&sdt_root_named, SDT_MEET_TIMEOUT);
	msleep(300);
}

/*
 * A thousand chains have started, so the watchdog has as many lanes to
 * look at, in softirq: no firing of its timer looks at more than 64
 * (SHUTDOWN_WATCH_LANES), and a scan goes on a jiffy later where the last
 * one stopped, until it has seen every lane.  The sync root, last,
 * hangs: it is named, once.
 */
static void sdt_test_watchdog_lanes_bounded(struct kunit *test)
{
	struct device_shutdown_opts opts = {
		.async		= true,
		.timeout_ms	= 100,
		.reported	= sdt_name_root,
	};
	struct device_shutdown_stats st;
	struct device **devs, **set;
	unsigned int i;

	devs = kcalloc(SDT_COST_DEVS, sizeof(*devs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, devs);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, sdt_cost_unregister,
						  devs));
	set = kunit_kcalloc(test, SDT_COST_DEVS, sizeof(*set), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, set);
	for (i = 0; i < SDT_COST_DEVS; i++) {
		devs[i] = kzalloc(sizeof(*devs[i]), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, devs[i]);
		device_initialize(devs[i]);
		devs[i]->release = sdt_cost_release;
		devs[i]->bus = &sdt_cost_bus;
		devs[i]->parent = i ? devs[0] : NULL;
		if (i)
			device_enable_async_shutdown(devs[i]);
		dev_set_uevent_suppress(devs[i], true);
		KUNIT_ASSERT_EQ(test, 0, dev_set_name(devs[i], "sdt-lanes%u", i));
		KUNIT_ASSERT_EQ(test, 0, device_add(devs[i]));
		/* The legacy order: last registered first. */
		set[SDT_COST_DEVS - 1 - i] = devs[i];
	}

	reinit_completion(&sdt_root_named);
	WRITE_ONCE(sdt_watched_root, devs[0]);
	sdt_cost_hook = sdt_root_hangs;
	kunit_info(test, "next: a watchdog report with a stack trace, on purpose");
	device_shutdown_devices(set, SDT_COST_DEVS, &opts, &st);
	sdt_cost_hook = NULL;
	WRITE_ONCE(sdt_watched_root, NULL);

	KUNIT_EXPECT_EQ(test, st.chains, SDT_COST_DEVS - 1);
	KUNIT_EXPECT_TRUE(test, completion_done(&sdt_root_named));
	KUNIT_EXPECT_EQ(test, st.hung, 1);
	KUNIT_EXPECT_GE(test, st.watchdog_lanes, SDT_COST_DEVS);
	KUNIT_EXPECT_GE(test, st.watchdog_most_lanes, 1);
	KUNIT_EXPECT_LE(test, st.watchdog_most_lanes, 64);
	kunit_release_action(test, sdt_cost_unregister, devs);
	kfree(devs);
}

/*
 * A late device that the watchdog names while a thread of its own
 * unregisters it: sdt_test_watchdog_late_freed().  The timer's report
 * holds on, under RCU, until the device is freed or a second has gone.
 */
static struct device *sdt_doomed;
static DECLARE_COMPLETION(sdt_doomed_named);
static DECLARE_COMPLETION(sdt_doomed_gone);	/* unregistered */
static atomic_t sdt_doomed_freed = ATOMIC_INIT(0);
static bool sdt_freed_while_named;
static int sdt_doomed_cpu;	/* where the calling thread goes on */

static void sdt_doomed_release(struct device *dev)
{
	atomic_set(&sdt_doomed_freed, 1);
	kfree(dev);
}

static int sdt_doomed_unregister(void *data)
{
	/* Waits for the device's lock, which its shutdown holds. */
	device_unregister(data);
	complete(&sdt_doomed_gone);
	return 0;
}

/* In the timer: name it, then see whether it is freed meanwhile. */
static void sdt_doomed_reported(struct device *dev, void *data)
{
	unsigned int ms;

	if (!dev || dev != READ_ONCE(sdt_doomed))
		return;
	complete_all(&sdt_doomed_named);
	for (ms = 0; ms < 1000 && !atomic_read(&sdt_doomed_freed); ms++)
		mdelay(1);
	sdt_freed_while_named = atomic_read(&sdt_doomed_freed);
}

/* Its shutdown lets the thread at it and hangs until it is named. */
static void sdt_doomed_shutdown(struct device *dev, int nth)
{
	struct task_struct *task;

	if (dev != READ_ONCE(sdt_doomed))
		return;
	task = kthread_run(sdt_doomed_unregister, dev, "sdt_doomed");
	if (IS_ERR(task))
		complete(&sdt_doomed_gone);
	wait_for_completion_timeout(&sdt_doomed_named, SDT_MEET_TIMEOUT);
}

/*
 * Register it, from the callback of a device of the set, and leave the
 * CPU of the watchdog's timer, which stays where the run started.
 */
static void sdt_add_doomed(struct sdt_dev *sd)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	set_cpus_allowed_ptr(current, cpumask_of(sdt_doomed_cpu));
	if (!dev)
		return;
	device_initialize(dev);
	dev->release = sdt_doomed_release;
	dev->bus = &sdt_cost_bus;
	dev->kobj.kset = sd->topo->kset;
	dev_set_uevent_suppress(dev, true);
	if (dev_set_name(dev, "sdt-doomed") || device_add(dev)) {
		put_device(dev);
		return;
	}
	WRITE_ONCE(sdt_doomed, dev);
}

/*
 * The watchdog reads the device of a lane it names.  A late device is
 * held only while it is shut down, not for the whole run as the devices
 * of the set are: so it must not be let go while a report may still be
 * reading it.  Here its registration goes while it hangs, and the report
 * waits to see whether it is freed under it.  The calling thread starts
 * the run, and so the timer, on one CPU, then moves to another: on the
 * timer's, nothing else would run meanwhile.
 */
static void sdt_test_watchdog_late_freed(struct kunit *test)
{
	struct device_shutdown_opts opts = {
		.async		= true,
		.timeout_ms	= 100,
		.reported	= sdt_doomed_reported,
	};
	struct sdt_topo *t;
	struct sdt_dev *first;
	int cpu;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	cpu = raw_smp_processor_id();
	sdt_doomed_cpu = cpumask_any_but(cpu_online_mask, cpu);
	KUNIT_ASSERT_EQ(test, 0, set_cpus_allowed_ptr(current, cpumask_of(cpu)));
	t = sdt_kset_topo_new(test);
	first = sdt_add(t, NULL, SDT_SYNC, 0);
	first->hook = sdt_add_doomed;
	reinit_completion(&sdt_doomed_named);
	reinit_completion(&sdt_doomed_gone);
	atomic_set(&sdt_doomed_freed, 0);
	sdt_freed_while_named = false;
	sdt_cost_hook = sdt_doomed_shutdown;

	kunit_info(test, "next: a watchdog report with a stack trace, on purpose");
	sdt_reset(t);
	device_shutdown_kset(t->kset, &opts, &t->stats);
	sdt_cost_hook = NULL;
	set_cpus_allowed_ptr(current, cpu_possible_mask);

	KUNIT_ASSERT_NOT_NULL(test, READ_ONCE(sdt_doomed));
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&sdt_doomed_gone,
							    SDT_MEET_TIMEOUT));
	WRITE_ONCE(sdt_doomed, NULL);
	KUNIT_EXPECT_TRUE(test, completion_done(&sdt_doomed_named));
	KUNIT_EXPECT_EQ(test, t->stats.hung, 1);
	KUNIT_EXPECT_EQ(test, t->stats.late, 1);
	KUNIT_EXPECT_FALSE_MSG(test, sdt_freed_while_named,
			       "the late device was freed while the watchdog named it");
	KUNIT_EXPECT_EQ(test, atomic_read(&sdt_doomed_freed), 1);
}

/*
 * Devices due one after the other are looked at together: the watchdog
 * looks again no sooner than an eighth of its timeout later, not at each
 * device's own due time.  Six devices hang, their starts 10 ms apart.
 *
 * Its first look comes a timeout after the run started, and finds none of
 * them due if the first chain started a jiffy or more later, as it may on
 * a loaded host.  From there, each look but the last comes a granule or
 * more after the one before, and before the last device is due: so the
 * looks, counted from the run's start, not from the first device's, are
 * at most two more than the granules until the last device started, a
 * jiffy of rounding included.
 */
static void sdt_test_watchdog_granularity(struct kunit *test)
{
	/* The watchdog's, in whole jiffies: 48 ms at HZ=250, not 50. */
	u64 last = 0, granule = jiffies_to_nsecs(max(msecs_to_jiffies(400) / 8, 1UL));
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *hung[6];
	unsigned int i;
	ktime_t begin;

	for (i = 0; i < ARRAY_SIZE(hung); i++) {
		hung[i] = sdt_add(t, NULL, SDT_ASYNC, 0);
		sdt_await_name(hung[i]);
		/* In the same chain, first: it delays the hung one. */
		if (i)
			sdt_add(t, hung[i], SDT_ASYNC, 10 * i);
	}
	sdt_set_all(t);
	kunit_info(test, "next: six watchdog reports with stack traces, on purpose");
	begin = ktime_get();
	sdt_run(t, true, 400);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_EQ(test, t->stats.hung, ARRAY_SIZE(hung));
	for (i = 0; i < ARRAY_SIZE(hung); i++)
		last = max_t(u64, last, ktime_to_ns(hung[i]->start));
	KUNIT_EXPECT_LE(test, t->stats.watchdog_scans,
			2 + div64_u64(last - ktime_to_ns(begin) + TICK_NSEC,
				      granule));
}

/*
 * A chain starts near its device, as async_schedule_dev() would run it:
 * each async device, in a chain of its own, runs on the NUMA node set for
 * it.  The node is a hint the scheduler may overrule by moving a worker,
 * so a round may see one elsewhere, but not every round: without the hint
 * all chains would start on the node of the task that queues them.
 * Needs two nodes with CPUs, or the node could not be told from any other.
 */
#define SDT_NODE_ROUNDS	3

static bool sdt_chains_on_their_nodes(struct sdt_topo *t,
				      struct sdt_dev **sd, const int *want,
				      unsigned int nr)
{
	unsigned int i;

	sdt_run(t, true, 0);
	if (!sdt_check_all(t, 0))
		return false;
	for (i = 0; i < nr; i++) {
		if (sd[i]->ran_on_node != want[i]) {
			kunit_info(t->test, "device %u ran on node %d, not %d\n",
				   i, sd[i]->ran_on_node, want[i]);
			return false;
		}
	}
	return true;
}

static void sdt_test_chain_node(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	int node = first_node(node_states[N_CPU]);
	struct sdt_dev *sd[4];
	bool placed = false;
	int want[4];
	unsigned int i;

	if (num_node_state(N_CPU) < 2)
		kunit_skip(test, "needs two NUMA nodes with CPUs");
	for (i = 0; i < ARRAY_SIZE(sd); i++) {
		sd[i] = sdt_add(t, NULL, SDT_ASYNC, 0);
		want[i] = node;
		set_dev_node(&sd[i]->dev, node);
		node = next_node_in(node, node_states[N_CPU]);
	}
	sdt_set_all(t);
	for (i = 0; i < SDT_NODE_ROUNDS && !placed; i++)
		placed = sdt_chains_on_their_nodes(t, sd, want, ARRAY_SIZE(sd));

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_EQ(test, t->stats.chains, ARRAY_SIZE(sd));
	KUNIT_EXPECT_TRUE_MSG(test, placed,
			      "no round of %d ran every chain on its node",
			      SDT_NODE_ROUNDS);
}

static int sdt_toggle_offline(void *data)
{
	struct device *dev = data;
	unsigned int i = 0;

	while (!kthread_should_stop()) {
		dev->offline = !dev->offline;
		if (!(++i % 1024))
			cond_resched();
	}
	return 0;
}

/*
 * The opt-in survives concurrent writes to the bitfields of struct device,
 * here ->offline, which its writers update without any lock the opt-in
 * knows of.  It can only fail on SMP, where the two writers really race.
 */
static void sdt_test_flag_is_atomic(struct kunit *test)
{
	struct device *dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);
	struct task_struct *task;
	unsigned int i, lost = 0;

	KUNIT_ASSERT_NOT_NULL(test, dev);
	task = kthread_run(sdt_toggle_offline, dev, "sdt-toggle");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	for (i = 0; i < 1000000; i++) {
		dev_clear_async_shutdown(dev);
		device_enable_async_shutdown(dev);
		lost += !dev_async_shutdown(dev);
		if (!(i % 1024))
			cond_resched();
	}
	kthread_stop(task);
	KUNIT_EXPECT_EQ(test, lost, 0);
}

/* Bad values of driver_core.async_shutdown are refused. */
static void sdt_test_param(struct kunit *test)
{
	bool value = true;
	struct kernel_param kp = {
		.name	= "driver_core.async_shutdown",
		.ops	= &device_shutdown_bool_ops,
		.arg	= &value,
	};

	kunit_info(test, "next: two errors about bad values, on purpose");
	KUNIT_EXPECT_EQ(test, kp.ops->set("0", &kp), 0);
	KUNIT_EXPECT_FALSE(test, value);
	KUNIT_EXPECT_EQ(test, kp.ops->set("on", &kp), 0);
	KUNIT_EXPECT_TRUE(test, value);
	KUNIT_EXPECT_EQ(test, kp.ops->set("n", &kp), 0);
	KUNIT_EXPECT_EQ(test, kp.ops->set(NULL, &kp), 0);
	KUNIT_EXPECT_TRUE(test, value);
	KUNIT_EXPECT_EQ(test, kp.ops->set("maybe", &kp), -EINVAL);
	KUNIT_EXPECT_EQ(test, kp.ops->set("", &kp), -EINVAL);
	KUNIT_EXPECT_TRUE(test, value);
}

static u32 sdt_rand(struct rnd_state *rnd, u32 n)
{
	return prandom_u32_state(rnd) % n;
}

/*
 * How long a device of a timed topology takes: async devices are the slow
 * ones, sync devices take a little time too, in between async stages as
 * much as anywhere.
 */
static unsigned int sdt_timed_ms(struct rnd_state *rnd, enum sdt_kind kind)
{
	if (kind == SDT_ASYNC)
		return 5 + sdt_rand(rnd, 16);
	if (kind == SDT_SYNC)
		return 1 + sdt_rand(rnd, 3);
	return 0;
}

/*
 * A random topology: nodes are created in index order, and whatever
 * waits has a lower index than what it waits for (a parent before its
 * children, a supplier before its consumers), so the driver core accepts
 * every link.  Sync-state-only links may point anywhere.
 */
static struct sdt_topo *sdt_random_topo(struct kunit *test,
					struct rnd_state *rnd,
					unsigned int min, unsigned int max,
					bool timed)
{
	struct sdt_topo *t = sdt_topo_new(test);
	unsigned int i, nr = min + sdt_rand(rnd, max - min + 1);
	struct sdt_dev *parent, *c, *s;
	enum sdt_kind kind;
	u32 r;

	for (i = 0; i < nr; i++) {
		parent = i && sdt_rand(rnd, 4) ? t->devs[sdt_rand(rnd, i)] : NULL;
		r = sdt_rand(rnd, 10);
		kind = r < 4 ? SDT_ASYNC : r < 7 ? SDT_SYNC : SDT_NONE;
		sdt_add(t, parent, kind, timed ? sdt_timed_ms(rnd, kind) : 0);
	}
	for (i = nr / 2; nr > 1 && i--; ) {
		s = t->devs[sdt_rand(rnd, nr - 1)];
		c = t->devs[s->id + 1 + sdt_rand(rnd, nr - 1 - s->id)];
		if (!(s->deps & BIT_ULL(c->id)))
			sdt_link(t, c, s, false);
	}
	for (i = nr / 6; nr > 1 && i--; ) {
		s = t->devs[sdt_rand(rnd, nr)];
		c = t->devs[sdt_rand(rnd, nr)];
		/* Not over a link of the same pair: that would merge them. */
		if (s != c && !(s->deps & BIT_ULL(c->id)))
			sdt_link(t, c, s, true);
	}
	return t;
}

/* @a is @sd or one of its ancestors. */
static bool sdt_is_ancestor(struct sdt_dev *a, struct sdt_dev *sd)
{
	for (; sd; sd = sd->parent) {
		if (sd == a)
			return true;
	}
	return false;
}

/*
 * Move the supplier of a random link under its consumer, as
 * sdt_test_cycle does by hand: each now waits for the other, a cycle if
 * both are in the set.  A consumer below its supplier cannot become its
 * parent without a loop in sysfs, so that draw makes none.
 */
static void sdt_random_cycle(struct sdt_topo *t, struct rnd_state *rnd)
{
	struct sdt_link *l;

	if (!t->nr_links)
		return;
	l = &t->links[sdt_rand(rnd, t->nr_links)];
	if (!l->honoured || sdt_is_ancestor(l->supplier, l->consumer))
		return;
	KUNIT_ASSERT_EQ(t->test, 0, device_move(&l->supplier->dev,
						&l->consumer->dev,
						DPM_ORDER_NONE));
	l->supplier->parent = l->consumer;
	l->consumer->deps |= BIT_ULL(l->supplier->id);
}

/*
 * What the fuzzer adds to a random topology: a few consumers that are
 * linked but never registered (NULL dev->p), short sleeps in some
 * callbacks, so that chains really overlap on an SMP machine, and now and
 * then a cycle made with device_move().
 */
static void sdt_fuzz_topo(struct sdt_topo *t, struct rnd_state *rnd)
{
	unsigned int i, nr = t->nr;
	struct sdt_dev *sd;

	for (i = 0; i < nr; i++) {
		sd = t->devs[i];
		if (sdt_has_callback(sd) && !sdt_rand(rnd, 4))
			sd->sleep_us = 10 + sdt_rand(rnd, 200);
	}
	for (i = sdt_rand(rnd, 3); i--; ) {
		sd = sdt_alloc(t, NULL, sdt_rand(rnd, 2) ? SDT_ASYNC : SDT_SYNC,
			       0);
		KUNIT_ASSERT_NOT_NULL(t->test, sd);
		sdt_link(t, sd, t->devs[sdt_rand(rnd, nr)], false);
	}
	if (!sdt_rand(rnd, 8))
		sdt_random_cycle(t, rnd);
}

/* A random set order; a few devices may be left out of the set. */
static void sdt_random_set(struct sdt_topo *t, struct rnd_state *rnd,
			   bool all)
{
	unsigned int order[SDT_MAX_DEVS], i, j, tmp;

	for (i = 0; i < t->nr; i++)
		order[i] = i;
	for (i = t->nr; i > 1; i--) {
		j = sdt_rand(rnd, i);
		tmp = order[i - 1];
		order[i - 1] = order[j];
		order[j] = tmp;
	}
	for (i = 0; i < t->nr; i++) {
		if (all || sdt_rand(rnd, 16))
			sdt_set_add(t, t->devs[order[i]]);
	}
}

/*
 * How many random topologies sdt_test_random_dags runs, from which seed:
 * make check-full fuzzes with many more, and a failure it reports is
 * replayed with its seed and random_topologies=1.  They run in blocks,
 * one parameter of the case each, so that no block comes near KUnit's
 * timeout of a case or the hung-task timeout of the task that loads us.
 */
static unsigned int random_topologies = SDT_RANDOM_DAGS;
module_param(random_topologies, uint, 0444);
MODULE_PARM_DESC(random_topologies,
		 "random topologies of the random_dags case (default 2000)");
static unsigned int random_seed = 1;
module_param(random_seed, uint, 0444);
MODULE_PARM_DESC(random_seed, "seed of the first of them (default 1)");

#define SDT_RANDOM_BLOCK	100

/* The parameter of block N is N + 1: no parameter may be NULL. */
static const void *sdt_random_block_gen(const void *prev, char *desc)
{
	unsigned long block = (unsigned long)prev;
	u32 first = random_seed + block * SDT_RANDOM_BLOCK;

	if (block * SDT_RANDOM_BLOCK >= random_topologies)
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "seeds %u-%u", first,
		 first + min_t(u32, SDT_RANDOM_BLOCK,
			       random_topologies - block * SDT_RANDOM_BLOCK) - 1);
	return (const void *)(block + 1);
}

/*
 * A topology with a cycle has no order to check: the engine must report
 * the cycle, shut every device down once, keep sync devices apart and
 * never fall back inline or hang.
 */
static bool sdt_check_cycle(struct sdt_topo *t, u32 seed)
{
	if (!t->stats.cycles || t->stats.legacy ||
	    t->after.inline_fallbacks != t->before.inline_fallbacks) {
		KUNIT_FAIL(t->test, "seed %u: a cycle: %u cycles reported, legacy %d",
			   seed, t->stats.cycles, t->stats.legacy);
		return false;
	}
	return sdt_check_calls(t, seed) && sdt_check_sync(t, seed);
}

/*
 * Thousands of seeded random topologies mixing async, sync and callback-
 * less devices, parents, links, sync-state-only links, links to consumers
 * that are not registered, callbacks that sleep and cycles, in a random
 * set order; each shut down in parallel, then in the legacy order.
 */
static void sdt_test_random_dags(struct kunit *test)
{
	unsigned long block = (unsigned long)test->param_value - 1;
	u32 first = random_seed + block * SDT_RANDOM_BLOCK;
	u32 nr = min_t(u32, SDT_RANDOM_BLOCK,
		       random_topologies - block * SDT_RANDOM_BLOCK);
	unsigned int chains = 0, async = 0, cycles = 0;
	struct rnd_state rnd;
	struct sdt_topo *t;
	bool ok, cycle;
	u32 seed;

	for (seed = first; seed - first < nr; seed++) {
		prandom_seed_state(&rnd, seed);
		t = sdt_random_topo(test, &rnd, 1, 24, false);
		sdt_fuzz_topo(t, &rnd);
		sdt_random_set(t, &rnd, false);
		cycle = sdt_model_has_cycle(t);

		sdt_run(t, true, 0);
		ok = cycle ? sdt_check_cycle(t, seed) : sdt_check_all(t, seed);
		chains += t->stats.chains;
		async += t->stats.async;
		cycles += cycle;

		sdt_run(t, false, 0);
		ok = ok && sdt_check_calls(t, seed) && sdt_check_legacy(t, seed);
		sdt_topo_done(t);
		if (!ok) {
			kunit_info(test, "replay: shutdown_kunit.random_seed=%u shutdown_kunit.random_topologies=1",
				   seed);
			break;
		}
		cond_resched();
	}
	kunit_info(test, "%u topologies from seed %u: %u async devices in %u chains, %u cycles",
		   seed - first, first, async, chains, cycles);
	KUNIT_EXPECT_EQ(test, seed - first, nr);
	/* One topology in twenty has a cycle: a whole block has some. */
	if (nr == SDT_RANDOM_BLOCK)
		KUNIT_EXPECT_GT(test, cycles, 0);
}

/*
 * A few random topologies whose devices sleep, against the clock,
 * including sync devices between async stages.
 */
static void sdt_test_random_timed(struct kunit *test)
{
	struct rnd_state rnd;
	struct sdt_topo *t;
	u32 seed, late = 0;
	bool over;

	for (seed = 1; seed <= SDT_TIMED_DAGS; seed++) {
		prandom_seed_state(&rnd, 0x7133d + seed);
		t = sdt_random_topo(test, &rnd, 8, 14, true);
		sdt_random_set(t, &rnd, true);
		over = false;
		KUNIT_EXPECT_TRUE(test, sdt_run_timed(t, seed, &over));
		late += over;
		sdt_topo_done(t);
	}
	if (late)
		sdt_untested(test,
			     "%u of %u topologies over their time bound on this host: timing untested (strict_timing=1 fails them)",
			     late, SDT_TIMED_DAGS);
}

/*
 * Link ->victim, as a consumer, to ->late_supplier from a sync device's
 * callback, so from the calling thread: whether the supplier has started
 * is then what the engine sees too.
 */
static void sdt_churn_link(struct sdt_dev *sd)
{
	sd->fresh = !atomic_read(&sd->late_supplier->calls);
	sd->linked = device_link_add(&sd->victim->dev, &sd->late_supplier->dev,
				     DL_FLAG_STATELESS);
}

/*
 * Random topologies whose sync devices add device links between random
 * devices of the set while the run is under way, async chains running
 * beside them: every device is shut down once, the sync devices one at a
 * time, nothing hangs, and a sync supplier that had not started when its
 * link came is shut down after its new consumer.
 */
static void sdt_test_topology_churn(struct kunit *test)
{
	unsigned int i, links = 0;
	struct sdt_dev *sd;
	struct rnd_state rnd;
	bool held;
	struct sdt_topo *t;
	u32 seed;

	for (seed = 1; seed <= SDT_CHURN_DAGS; seed++) {
		prandom_seed_state(&rnd, 0xc4a2 + seed);
		t = sdt_random_topo(test, &rnd, 1, 24, false);
		for (i = 0; i < t->nr; i++) {
			sd = t->devs[i];
			if (sd->kind == SDT_ASYNC && !sdt_rand(&rnd, 2))
				sd->sleep_us = 10 + sdt_rand(&rnd, 200);
			if (sd->kind != SDT_SYNC || sdt_rand(&rnd, 2))
				continue;
			sd->hook = sdt_churn_link;
			sd->victim = t->devs[sdt_rand(&rnd, t->nr)];
			sd->late_supplier = t->devs[sdt_rand(&rnd, t->nr)];
			if (sd->victim == sd->late_supplier)
				sd->hook = NULL;
		}
		sdt_random_set(t, &rnd, true);
		sdt_run(t, true, 0);

		KUNIT_EXPECT_TRUE(test, sdt_check_calls(t, seed));
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&t->sync_overlaps), 0,
				    "seed %u", seed);
		for (i = 0; i < t->nr; i++) {
			sd = t->devs[i];
			if (!sd->hook || !sd->linked)
				continue;
			links++;
			held = sd->fresh && sd->late_supplier->kind == SDT_SYNC;
			KUNIT_EXPECT_TRUE_MSG(test, !held ||
					      sdt_before(sd->victim, sd->late_supplier),
					      "seed %u: %s went before its new consumer %s",
					      seed, dev_name(&sd->late_supplier->dev),
					      dev_name(&sd->victim->dev));
		}
		sdt_topo_done(t);
		cond_resched();
	}
	kunit_info(test, "%u topologies, %u links added while they ran",
		   SDT_CHURN_DAGS, links);
	KUNIT_EXPECT_GT(test, links, 0);
}

static int sdt_suite_init(struct kunit_suite *suite)
{
	int ret = bus_register(&sdt_bus);

	if (ret)
		return ret;
	ret = bus_register(&sdt_cost_bus);
	if (ret)
		goto sdt;
	ret = bus_register(&sdt_nested_bus);
	if (ret)
		goto cost;
	return 0;
cost:
	bus_unregister(&sdt_cost_bus);
sdt:
	bus_unregister(&sdt_bus);
	return ret;
}

static void sdt_suite_exit(struct kunit_suite *suite)
{
	bus_unregister(&sdt_nested_bus);
	bus_unregister(&sdt_cost_bus);
	bus_unregister(&sdt_bus);
}

static struct kunit_case device_shutdown_cases[] = {
	KUNIT_CASE(sdt_test_single_chain),
	KUNIT_CASE(sdt_test_leaves_under_bridge),
	KUNIT_CASE(sdt_test_pcie_tree),
	KUNIT_CASE(sdt_test_async_parent_sync_child),
	KUNIT_CASE(sdt_test_sync_parent_async_children),
	KUNIT_CASE(sdt_test_sync_keeps_legacy_order),
	KUNIT_CASE(sdt_test_hung_async_spares_sync),
	KUNIT_CASE(sdt_test_sync_legacy_order),
	KUNIT_CASE(sdt_test_sync_sleep_not_cut_short),
	KUNIT_CASE(sdt_test_sync_waits_once),
	KUNIT_CASE(sdt_test_links),
	KUNIT_CASE(sdt_test_supplier_after_consumer),
	KUNIT_CASE(sdt_test_parent_first_in_set),
	KUNIT_CASE(sdt_test_unregistered_consumer),
	KUNIT_CASE(sdt_test_outside_ancestor),
	KUNIT_CASE(sdt_test_outside_ancestor_removed),
	KUNIT_CASE(sdt_test_cycle),
	KUNIT_CASE(sdt_test_async_cycle),
	KUNIT_CASE(sdt_test_legacy_order),
	KUNIT_CASE(sdt_test_no_memory),
	KUNIT_CASE(sdt_test_removed_during_shutdown),
	KUNIT_CASE(sdt_test_removed_with_parent),
	KUNIT_CASE(sdt_test_kset),
	KUNIT_CASE(sdt_test_late_child),
	KUNIT_CASE(sdt_test_late_consumer),
	KUNIT_CASE(sdt_test_link_during_run),
	KUNIT_CASE(sdt_test_edges_no_memory_said_once),
	KUNIT_CASE(sdt_test_move_during_run),
	KUNIT_CASE(sdt_test_late_after_parent),
	KUNIT_CASE(sdt_test_link_against_sync_order),
	KUNIT_CASE(sdt_test_late_parent),
	KUNIT_CASE(sdt_test_late_between_sync),
	KUNIT_CASE(sdt_test_late_between_async),
	KUNIT_CASE(sdt_test_late_between_only_child),
	KUNIT_CASE(sdt_test_late_between_supplier),
	KUNIT_CASE(sdt_test_late_between_reordered),
	KUNIT_CASE(sdt_test_late_between_cycle),
	KUNIT_CASE(sdt_test_late_between_two),
	KUNIT_CASE(sdt_test_late_between_change),
	KUNIT_CASE(sdt_test_late_hold_cycle),
	KUNIT_CASE(sdt_test_late_moved_away),
	KUNIT_CASE(sdt_test_late_moved_back),
	KUNIT_CASE(sdt_test_late_chain),
	KUNIT_CASE(sdt_test_late_changes_before_let_go),
	KUNIT_CASE(sdt_test_late_ladder),
	KUNIT_CASE(sdt_test_late_cycle),
	KUNIT_CASE(sdt_test_topology_churn),
	KUNIT_CASE(sdt_test_mid_device_add),
	KUNIT_CASE(sdt_test_late_device_gone),
	KUNIT_CASE(sdt_test_add_fails_during_shutdown),
	KUNIT_CASE(sdt_test_legacy_is_6_12),
	KUNIT_CASE(sdt_test_knob_toggled),
	KUNIT_CASE(sdt_test_engine_cost),
	KUNIT_CASE(sdt_test_kset_cost),
	KUNIT_CASE(sdt_test_kset_grow),
	KUNIT_CASE(sdt_test_kset_moved_while_taken),
	KUNIT_CASE(sdt_test_kset_reordered),
	KUNIT_CASE(sdt_test_nested_async),
	KUNIT_CASE(sdt_test_watchdog),
	KUNIT_CASE(sdt_test_watchdog_stall),
	KUNIT_CASE(sdt_test_watchdog_stall_end),
	KUNIT_CASE(sdt_test_watchdog_no_stall_at_end),
	KUNIT_CASE(sdt_test_late_under_queued),
	KUNIT_CASE(sdt_test_watchdog_lanes),
	KUNIT_CASE(sdt_test_watchdog_many_hung),
	KUNIT_CASE(sdt_test_watchdog_started_lanes),
	KUNIT_CASE(sdt_test_watchdog_lanes_bounded),
	KUNIT_CASE(sdt_test_watchdog_late_freed),
	KUNIT_CASE(sdt_test_watchdog_granularity),
	KUNIT_CASE(sdt_test_chain_node),
	KUNIT_CASE(sdt_test_param),
	KUNIT_CASE(sdt_test_flag_is_atomic),
	KUNIT_CASE_PARAM(sdt_test_random_dags, sdt_random_block_gen),
	KUNIT_CASE(sdt_test_random_timed),
	{}
};

static struct kunit_suite device_shutdown_suite = {
	.name		= "device_shutdown",
	.suite_init	= sdt_suite_init,
	.suite_exit	= sdt_suite_exit,
	.test_cases	= device_shutdown_cases,
};

kunit_test_suite(device_shutdown_suite);

MODULE_DESCRIPTION("KUnit tests for the device shutdown engine");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
