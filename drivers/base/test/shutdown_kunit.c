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
 */

#include <kunit/resource.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/async.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "../shutdown.h"

#define SDT_MAX_DEVS		64
#define SDT_MAX_LINKS		128
#define SDT_RANDOM_DAGS		2000
#define SDT_TIMED_DAGS		6
#define SDT_SLACK_NS		(10 * NSEC_PER_MSEC)

enum sdt_kind {
	SDT_SYNC,	/* a callback, no opt-in */
	SDT_ASYNC,	/* a callback and device_enable_async_shutdown() */
	SDT_NONE,	/* no callback at all */
};

struct sdt_topo;

struct sdt_dev {
	struct device		dev;
	struct sdt_topo		*topo;
	unsigned int		id;
	enum sdt_kind		kind;
	unsigned int		sleep_ms;
	bool			registered;
	bool			in_set;
	u64			deps;	/* ids it waits for directly */
	void			(*hook)(struct sdt_dev *sd);
	/* written by the callback */
	atomic_t		calls;
	unsigned int		start_seq;
	unsigned int		end_seq;
	ktime_t			start;
	ktime_t			end;
	struct task_struct	*task;
};

struct sdt_link {
	struct sdt_dev		*consumer;
	struct sdt_dev		*supplier;
	bool			sync_state_only;
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
};

static atomic_t sdt_names = ATOMIC_INIT(0);

static void sdt_shutdown(struct device *dev)
{
	struct sdt_dev *sd = container_of(dev, struct sdt_dev, dev);
	struct sdt_topo *t = sd->topo;
	bool sync = sd->kind == SDT_SYNC;

	if (sync && atomic_inc_return(&t->sync_running) > 1)
		atomic_inc(&t->sync_overlaps);
	atomic_inc(&sd->calls);
	sd->task = current;
	sd->start = ktime_get();
	sd->start_seq = atomic_inc_return(&t->seq);
	if (sd->sleep_ms)
		msleep(sd->sleep_ms);
	if (sd->hook)
		sd->hook(sd);
	sd->end_seq = atomic_inc_return(&t->seq);
	sd->end = ktime_get();
	if (sync)
		atomic_dec(&t->sync_running);
}

static const struct bus_type sdt_bus = {
	.name		= "shutdown_kunit",
	.shutdown	= sdt_shutdown,
};

static void sdt_release(struct device *dev)
{
	kfree(container_of(dev, struct sdt_dev, dev));
}

/* Tear a topology down, children and consumers first. */
static void sdt_topo_release(void *data)
{
	struct sdt_topo *t = data;
	struct sdt_dev *sd;
	unsigned int i;

	for (i = t->nr; i--; ) {
		sd = t->devs[i];
		if (sd->registered)
			device_unregister(&sd->dev);
		else
			put_device(&sd->dev);
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
	device_initialize(&sd->dev);
	sd->dev.release = sdt_release;
	if (parent) {
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
	};
	if (!sync_state_only && consumer->registered)
		supplier->deps |= BIT_ULL(consumer->id);
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
	}
	atomic_set(&t->seq, 0);
	atomic_set(&t->sync_running, 0);
	atomic_set(&t->sync_overlaps, 0);
}

static void sdt_run(struct sdt_topo *t, bool async, unsigned int timeout_ms)
{
	struct device_shutdown_opts opts = {
		.async = async,
		.timeout_ms = timeout_ms,
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

/*
 * What each device waits for, directly or through others, as far as the
 * engine can see: dependencies through devices outside the set do not
 * count.
 */
static void sdt_closure(struct sdt_topo *t, u64 *closure)
{
	u64 in_set = 0, next;
	unsigned int i, j;
	bool changed;

	for (i = 0; i < t->nr; i++) {
		if (t->devs[i]->in_set)
			in_set |= BIT_ULL(i);
	}
	for (i = 0; i < t->nr; i++)
		closure[i] = t->devs[i]->in_set ? t->devs[i]->deps & in_set : 0;
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
		if (sd->in_set && sd->dev.parent &&
		    container_of(sd->dev.parent, struct sdt_dev, dev)->in_set)
			nr++;
	}
	for (i = 0; i < t->nr_links; i++) {
		l = &t->links[i];
		if (!l->sync_state_only && l->consumer->registered &&
		    l->consumer->in_set && l->supplier->in_set)
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
	       sdt_check_sync(t, seed) && sdt_check_stats(t, seed);
}

static u64 sdt_duration(struct sdt_dev *sd)
{
	return sdt_expected(sd) ? ktime_to_ns(ktime_sub(sd->end, sd->start)) : 0;
}

/* The longest dependency path, weighing each device by its callback. */
static u64 sdt_critical_ns(struct sdt_topo *t)
{
	u64 path[SDT_MAX_DEVS] = { }, before, longest = 0;
	unsigned int i, j, round;
	struct sdt_dev *sd;

	/* The model is acyclic: nr rounds of relaxation settle it. */
	for (round = 0; round < t->nr; round++) {
		for (i = 0; i < t->nr; i++) {
			sd = t->devs[i];
			if (!sd->in_set)
				continue;
			before = 0;
			for (j = 0; j < t->nr; j++) {
				if ((sd->deps & BIT_ULL(j)) && t->devs[j]->in_set)
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

/*
 * The parallel run took no longer than its critical path, give or take
 * 2% and 10 ms, and the engine measured that path as we did.
 */
static bool sdt_check_timing(struct sdt_topo *t, u32 seed)
{
	u64 cp = sdt_critical_ns(t), bound = cp + cp / 50 + SDT_SLACK_NS;
	struct device_shutdown_stats *st = &t->stats;

	kunit_info(t->test, "seed %u: %u devices, %u chains, peak %u: %llu us elapsed, %llu us critical path (engine: %llu us)",
		   seed, st->devices, st->chains, st->peak,
		   div_u64(st->elapsed_ns, NSEC_PER_USEC),
		   div_u64(cp, NSEC_PER_USEC),
		   div_u64(st->critical_ns, NSEC_PER_USEC));
	if (st->elapsed_ns > bound || st->elapsed_ns < cp) {
		KUNIT_FAIL(t->test, "seed %u: %llu us elapsed, critical path %llu us",
			   seed, div_u64(st->elapsed_ns, NSEC_PER_USEC),
			   div_u64(cp, NSEC_PER_USEC));
		sdt_dump_timeline(t);
		return false;
	}
	if (st->critical_ns < cp || st->critical_ns > bound) {
		KUNIT_FAIL(t->test, "seed %u: engine critical path %llu us, ours %llu us",
			   seed, div_u64(st->critical_ns, NSEC_PER_USEC),
			   div_u64(cp, NSEC_PER_USEC));
		return false;
	}
	return true;
}

/*
 * A timed run.  The chains of a first run on a freshly booted machine may
 * wait for the workqueue to create workers, which a machine that has been
 * up for a while has.  So the first run is checked for its order only,
 * and the second one against the clock as well.
 */
static bool sdt_run_timed(struct sdt_topo *t, u32 seed)
{
	sdt_run(t, true, 0);
	kunit_info(t->test, "seed %u: first run: %llu us elapsed, %llu us critical path",
		   seed, div_u64(t->stats.elapsed_ns, NSEC_PER_USEC),
		   div_u64(sdt_critical_ns(t), NSEC_PER_USEC));
	if (!sdt_check_all(t, seed))
		return false;
	sdt_run(t, true, 0);
	return sdt_check_all(t, seed) && sdt_check_timing(t, seed);
}

static bool sdt_overlapped(struct sdt_dev *a, struct sdt_dev *b)
{
	return ktime_before(a->start, b->end) && ktime_before(b->start, a->end);
}

static bool sdt_before(struct sdt_dev *a, struct sdt_dev *b)
{
	return a->end_seq < b->start_seq;
}

/*
 * A chain: an async leaf, a device without callback, two async devices.
 * One chain carries them all, on one worker, one after the other.
 */
static void sdt_test_single_chain(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *c = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_dev *b = sdt_add(t, c, SDT_ASYNC, 0);
	struct sdt_dev *n = sdt_add(t, b, SDT_NONE, 0);
	struct sdt_dev *a = sdt_add(t, n, SDT_ASYNC, 0);

	sdt_set_all(t);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_before(a, b) && sdt_before(b, c));
	KUNIT_EXPECT_EQ(test, t->stats.chains, 1);
	KUNIT_EXPECT_EQ(test, t->stats.peak, 1);
	KUNIT_EXPECT_PTR_NE(test, a->task, current);
	KUNIT_EXPECT_PTR_EQ(test, a->task, b->task);
	KUNIT_EXPECT_PTR_EQ(test, b->task, c->task);
	/* One runner for the chain, not one per device. */
	KUNIT_EXPECT_LE(test, t->after.workers_started - t->before.workers_started,
			t->stats.chains + 2);
}

/* Sixteen slow async leaves under one async bridge: all at once. */
static void sdt_test_leaves_under_bridge(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *bridge = sdt_add(t, NULL, SDT_ASYNC, 0);
	struct sdt_dev *leaf[16];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(leaf); i++)
		leaf[i] = sdt_add(t, bridge, SDT_ASYNC, 20);
	sdt_set_all(t);
	KUNIT_EXPECT_TRUE(test, sdt_run_timed(t, 0));
	KUNIT_EXPECT_EQ(test, t->stats.chains, ARRAY_SIZE(leaf));
	KUNIT_EXPECT_GE(test, t->stats.peak, 2);
	for (i = 1; i < ARRAY_SIZE(leaf); i++)
		KUNIT_EXPECT_TRUE(test, sdt_overlapped(leaf[0], leaf[i]));
}

/*
 * The PCIe tree of the boot test: a root port with NVMe A and a switch
 * upstream port, whose two downstream ports hold NVMe B and C.  Ports are
 * sync devices with callbacks in the middle of the tree; each NVMe has a
 * controller and a namespace without callbacks below it.
 */
static struct sdt_dev *sdt_add_nvme(struct sdt_topo *t, struct sdt_dev *port)
{
	struct sdt_dev *nvme = sdt_add(t, port, SDT_ASYNC, 30);
	struct sdt_dev *ctrl = sdt_add(t, nvme, SDT_NONE, 0);

	sdt_add(t, ctrl, SDT_NONE, 0);
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
	KUNIT_EXPECT_TRUE(test, sdt_run_timed(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_before(nvme_b, dsp1));
	KUNIT_EXPECT_TRUE(test, sdt_before(nvme_c, dsp2));
	KUNIT_EXPECT_TRUE(test, sdt_before(dsp1, usp) && sdt_before(dsp2, usp));
	KUNIT_EXPECT_TRUE(test, sdt_before(nvme_a, rp) && sdt_before(usp, rp));
	KUNIT_EXPECT_TRUE(test, sdt_overlapped(nvme_a, nvme_b));
	KUNIT_EXPECT_TRUE(test, sdt_overlapped(nvme_a, nvme_c));
	KUNIT_EXPECT_TRUE(test, sdt_overlapped(nvme_b, nvme_c));
	KUNIT_EXPECT_EQ(test, t->stats.chains, 3);
	KUNIT_EXPECT_EQ(test, t->stats.async, 3);
}

/* A sync child with a callback under an async parent: child first. */
static void sdt_test_async_parent_sync_child(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_ASYNC, 20);
	struct sdt_dev *child = sdt_add(t, parent, SDT_SYNC, 20);
	struct sdt_dev *other = sdt_add(t, NULL, SDT_ASYNC, 20);

	sdt_set_all(t);
	KUNIT_EXPECT_TRUE(test, sdt_run_timed(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_before(child, parent));
	KUNIT_EXPECT_PTR_EQ(test, child->task, current);
	KUNIT_EXPECT_PTR_NE(test, parent->task, current);
	KUNIT_EXPECT_TRUE(test, sdt_overlapped(child, other));
}

/* Async children of a sync parent run in parallel, the parent after. */
static void sdt_test_sync_parent_async_children(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *a = sdt_add(t, parent, SDT_ASYNC, 20);
	struct sdt_dev *b = sdt_add(t, parent, SDT_ASYNC, 20);

	sdt_set_all(t);
	KUNIT_EXPECT_TRUE(test, sdt_run_timed(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_overlapped(a, b));
	KUNIT_EXPECT_TRUE(test, sdt_before(a, parent) && sdt_before(b, parent));
	KUNIT_EXPECT_PTR_EQ(test, parent->task, current);
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

/* A consumer that never got registered orders nothing and is skipped. */
static void sdt_test_unregistered_consumer(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *supplier = sdt_add(t, NULL, SDT_SYNC, 0);
	struct sdt_dev *consumer = sdt_alloc(t, NULL, SDT_SYNC, 0);

	KUNIT_ASSERT_NOT_NULL(test, consumer);
	sdt_link(t, consumer, supplier, false);
	sdt_set(t, supplier, consumer);
	sdt_run(t, true, 0);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_EQ(test, t->stats.edges, 0);
	KUNIT_EXPECT_EQ(test, t->stats.skipped, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&consumer->calls), 0);
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

/* Every async entry allocation of the test's task fails. */
static struct async_entry *sdt_no_async_entry(gfp_t gfp)
{
	return NULL;
}

/* No entries to reserve: the legacy order, never an inline fallback. */
static void sdt_test_no_memory(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_ASYNC, 0);

	sdt_add(t, parent, SDT_ASYNC, 5);
	sdt_add(t, parent, SDT_SYNC, 0);
	sdt_add(t, NULL, SDT_ASYNC, 5);
	sdt_set_all(t);

	kunit_info(test, "next: a 'no memory' line from the engine, on purpose");
	kunit_activate_static_stub(test, async_alloc_entry, sdt_no_async_entry);
	sdt_run(t, true, 0);
	kunit_deactivate_static_stub(test, async_alloc_entry);

	KUNIT_EXPECT_TRUE(test, t->stats.no_memory);
	KUNIT_EXPECT_TRUE(test, sdt_check_calls(t, 0));
	KUNIT_EXPECT_TRUE(test, sdt_check_legacy(t, 0));
	KUNIT_EXPECT_EQ(test, t->after.inline_fallbacks,
			t->before.inline_fallbacks);
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

/* Register a device in the kset while shutdown runs. */
static void sdt_add_late(struct sdt_dev *sd)
{
	struct sdt_topo *t = sd->topo;
	struct sdt_dev *late = sdt_alloc(t, NULL, SDT_SYNC, 0);

	if (late && !sdt_register(late))
		t->late = late;
}

/*
 * The whole device_shutdown() walk on a private kset: devices are taken
 * off it last-registered first, one added meanwhile is shut down by the
 * late pass, and the kill switch gives exactly the reverse kset order.
 */
static void sdt_test_kset(struct kunit *test)
{
	struct device_shutdown_opts opts = { .async = true };
	struct sdt_dev *a, *b, *c;
	struct sdt_topo *t;

	t = sdt_topo_new(test);
	t->kset = kset_create_and_add("shutdown_kunit_kset", NULL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, t->kset);
	a = sdt_add(t, NULL, SDT_SYNC, 0);
	b = sdt_add(t, a, SDT_ASYNC, 5);
	c = sdt_add(t, NULL, SDT_ASYNC, 5);
	b->hook = sdt_add_late;

	sdt_reset(t);
	device_shutdown_kset(t->kset, &opts, &t->stats);
	KUNIT_ASSERT_NOT_NULL(test, t->late);
	KUNIT_EXPECT_EQ(test, t->stats.late, 1);
	KUNIT_EXPECT_EQ(test, t->stats.devices, 4);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->late->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);
	KUNIT_EXPECT_TRUE(test, sdt_before(b, a));
	KUNIT_EXPECT_TRUE(test, sdt_before(a, t->late));
	/* Taken off the list, as the legacy walk did. */
	KUNIT_EXPECT_TRUE(test, list_empty(&t->kset->list));
	sdt_topo_done(t);

	t = sdt_topo_new(test);
	t->kset = kset_create_and_add("shutdown_kunit_kset", NULL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, t->kset);
	a = sdt_add(t, NULL, SDT_ASYNC, 0);
	b = sdt_add(t, NULL, SDT_SYNC, 0);
	c = sdt_add(t, a, SDT_ASYNC, 0);
	opts.async = false;
	sdt_reset(t);
	device_shutdown_kset(t->kset, &opts, &t->stats);
	KUNIT_EXPECT_TRUE(test, t->stats.legacy);
	KUNIT_EXPECT_EQ(test, t->stats.late, 0);
	KUNIT_EXPECT_EQ(test, c->start_seq, 1);
	KUNIT_EXPECT_EQ(test, b->start_seq, 3);
	KUNIT_EXPECT_EQ(test, a->start_seq, 5);
}

/*
 * The watchdog names a device that takes too long and shutdown goes on:
 * an unrelated device finishes meanwhile.
 */
static void sdt_test_watchdog(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);
	struct sdt_dev *slow = sdt_add(t, NULL, SDT_ASYNC, 200);
	struct sdt_dev *fast = sdt_add(t, NULL, SDT_ASYNC, 10);
	struct sdt_dev *parent = sdt_add(t, NULL, SDT_SYNC, 0);

	sdt_add(t, parent, SDT_ASYNC, 10);
	sdt_set_all(t);
	kunit_info(test, "next: a watchdog report with a stack trace, on purpose");
	sdt_run(t, true, 50);

	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_EQ(test, t->stats.hung, 1);
	KUNIT_EXPECT_TRUE(test, ktime_before(fast->end, slow->end));
	KUNIT_EXPECT_TRUE(test, ktime_before(parent->end, slow->end));
}

/*
 * Each lane has its own watch: devices hung at the same time in two
 * chains and in the calling thread are each named once, in the engine and
 * in the legacy walk, and a quick device is not named at all.
 */
static void sdt_test_watchdog_lanes(struct kunit *test)
{
	struct sdt_topo *t = sdt_topo_new(test);

	sdt_add(t, NULL, SDT_ASYNC, 150);
	sdt_add(t, NULL, SDT_ASYNC, 150);
	sdt_add(t, NULL, SDT_SYNC, 150);
	sdt_add(t, NULL, SDT_SYNC, 1);
	sdt_set_all(t);

	kunit_info(test, "next: three watchdog reports with stack traces, on purpose");
	sdt_run(t, true, 50);
	KUNIT_EXPECT_TRUE(test, sdt_check_all(t, 0));
	KUNIT_EXPECT_EQ(test, t->stats.hung, 3);

	kunit_info(test, "next: three more, in the legacy order, on purpose");
	sdt_run(t, false, 50);
	KUNIT_EXPECT_TRUE(test, t->stats.legacy);
	KUNIT_EXPECT_EQ(test, t->stats.hung, 3);

	sdt_run(t, true, 0);
	KUNIT_EXPECT_EQ(test, t->stats.hung, 0);
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
		sdt_add(t, parent, kind,
			timed && kind == SDT_ASYNC ? 5 + sdt_rand(rnd, 16) : 0);
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
 * Thousands of seeded random topologies mixing async, sync and callback-
 * less devices, parents, links and sync-state-only links, in a random set
 * order; each shut down in parallel, then in the legacy order.
 */
static void sdt_test_random_dags(struct kunit *test)
{
	struct rnd_state rnd;
	struct sdt_topo *t;
	unsigned int chains = 0, async = 0;
	u32 seed;
	bool ok;

	for (seed = 1; seed <= SDT_RANDOM_DAGS; seed++) {
		prandom_seed_state(&rnd, seed);
		t = sdt_random_topo(test, &rnd, 1, 24, false);
		sdt_random_set(t, &rnd, false);

		sdt_run(t, true, 0);
		ok = sdt_check_all(t, seed);
		chains += t->stats.chains;
		async += t->stats.async;

		sdt_run(t, false, 0);
		ok = ok && sdt_check_calls(t, seed) && sdt_check_legacy(t, seed);
		sdt_topo_done(t);
		if (!ok)
			break;
		cond_resched();
	}
	kunit_info(test, "%u topologies: %u async devices in %u chains",
		   seed - 1, async, chains);
}

/*
 * Sync devices are serialized, so the critical path bounds the elapsed
 * time only where no sync device sits between two async stages: there the
 * sync loop could be waiting for an unrelated chain.  Make such devices
 * async.
 */
static void sdt_untangle(struct sdt_topo *t)
{
	u64 closure[SDT_MAX_DEVS], has_async_below, feeds_async;
	struct sdt_dev *sd;
	unsigned int i, j;

	sdt_closure(t, closure);
	for (i = 0; i < t->nr; i++) {
		sd = t->devs[i];
		if (sd->kind != SDT_SYNC)
			continue;
		has_async_below = 0;
		feeds_async = 0;
		for (j = 0; j < t->nr; j++) {
			if (t->devs[j]->kind != SDT_ASYNC)
				continue;
			if (closure[i] & BIT_ULL(j))
				has_async_below = 1;
			if (closure[j] & BIT_ULL(i))
				feeds_async = 1;
		}
		if (has_async_below && feeds_async) {
			sd->kind = SDT_ASYNC;
			device_enable_async_shutdown(&sd->dev);
			sd->sleep_ms = 5;
		}
	}
}

/* A few random topologies with sleeping async devices, against the clock. */
static void sdt_test_random_timed(struct kunit *test)
{
	struct rnd_state rnd;
	struct sdt_topo *t;
	u32 seed;

	for (seed = 1; seed <= SDT_TIMED_DAGS; seed++) {
		prandom_seed_state(&rnd, 0x7133d + seed);
		t = sdt_random_topo(test, &rnd, 8, 14, true);
		sdt_random_set(t, &rnd, true);
		sdt_untangle(t);
		KUNIT_EXPECT_TRUE(test, sdt_run_timed(t, seed));
		sdt_topo_done(t);
	}
}

static int sdt_suite_init(struct kunit_suite *suite)
{
	return bus_register(&sdt_bus);
}

static void sdt_suite_exit(struct kunit_suite *suite)
{
	bus_unregister(&sdt_bus);
}

static struct kunit_case device_shutdown_cases[] = {
	KUNIT_CASE(sdt_test_single_chain),
	KUNIT_CASE(sdt_test_leaves_under_bridge),
	KUNIT_CASE(sdt_test_pcie_tree),
	KUNIT_CASE(sdt_test_async_parent_sync_child),
	KUNIT_CASE(sdt_test_sync_parent_async_children),
	KUNIT_CASE(sdt_test_links),
	KUNIT_CASE(sdt_test_supplier_after_consumer),
	KUNIT_CASE(sdt_test_parent_first_in_set),
	KUNIT_CASE(sdt_test_unregistered_consumer),
	KUNIT_CASE(sdt_test_cycle),
	KUNIT_CASE(sdt_test_async_cycle),
	KUNIT_CASE(sdt_test_legacy_order),
	KUNIT_CASE(sdt_test_no_memory),
	KUNIT_CASE(sdt_test_removed_during_shutdown),
	KUNIT_CASE(sdt_test_kset),
	KUNIT_CASE(sdt_test_watchdog),
	KUNIT_CASE(sdt_test_watchdog_lanes),
	KUNIT_CASE(sdt_test_param),
	KUNIT_CASE(sdt_test_random_dags),
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
