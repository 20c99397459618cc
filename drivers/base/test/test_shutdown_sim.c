// SPDX-License-Identifier: GPL-2.0
/*
 * A device topology to shut down, described by a module parameter.
 *
 * The module registers the devices of its topology= spec (or of a seeded
 * random one) and records, for each, when its shutdown started and ended
 * and on which CPU.  After device_shutdown(), its syscore shutdown hook
 * checks the order itself and prints a report that the host parses:
 *
 *   shutdown_sim: dev NAME mode=MODE start_us=N end_us=N cpu=N
 *   shutdown_sim: summary devices=N makespan_us=N critical_path_us=N
 *		   measured_critical_path_us=N serial_sum_us=N callbacks_us=N
 *		   violations=N sync_overlaps=N missing=N sync_step_ns=N
 *		   device_shutdown_us=N inline_fallbacks=N probe_inline=N
 *		   legacy_limit_us=N sync_order_violations=N
 *		   early_wakeups=N nested_calls=N after_return=N called_twice=N
 *
 * critical_path_us follows the delays of the spec; the measured one, the
 * time the callbacks really took, which timers stretch.  Sync devices
 * run one at a time in the order of the legacy walk, which the module
 * takes from devices_kset as the last reboot notifier: legacy_limit_us
 * is the best a run in that order can do, the measured critical path
 * with each sync device also waiting for the one before it, and
 * sync_order_violations counts the sync devices that started before one
 * that comes earlier in that order.  callbacks_us
 * adds up the time all callbacks took.  sync_step_ns is
 * the median time from the start of one sync device to the start of the
 * next: what the shutdown walk costs per device, robust against the odd
 * interrupt or preemption that stretches a makespan.  device_shutdown_us
 * is the time from the last reboot notifier to the first power-off
 * handler, which is device_shutdown() and little else (0 on reboot).
 * inline_fallbacks counts the async calls that ran in their caller during
 * device_shutdown().  With alloc_probe=1, the first device to shut down
 * also schedules one async call of its own, without a reservation:
 * probe_inline=1 says its entry could not be allocated, so allocations
 * were failing while devices were being shut down.  after_return counts
 * the callbacks that ended after device_shutdown() had returned (the
 * first power-off or restart preparation), called_twice the devices
 * whose callback ran more than once: both must be 0.
 *
 * Grammar of topology=, groups separated by ';':
 *
 *   group := NAME ['*' COUNT] [':' ATTR {',' ATTR}]
 *   ATTR  := 'parent=' NAME        the parent, defined in an earlier group
 *          | 'link=' NAME {'+' NAME}  suppliers (device links), any group
 *          | 'delay=' MS           time its shutdown callback takes
 *          | 'async' | 'sync' | 'nocb'
 *                                  opted in to async shutdown, or not
 *                                  (the default), or no shutdown
 *                                  callback at all
 *
 * NAME*COUNT defines NAME0 .. NAME<COUNT-1> alike.  Example: a sync
 * bridge with 16 async leaves that take half a second each:
 *
 *   topology="br:sync,delay=1;nvme*16:parent=br,async,delay=500"
 *
 * random=N seed=S instead builds N devices (up to 100,000) with random
 * parents, modes, delays of 0 to max_delay= ms (default 2) and device
 * links to earlier devices; async_percent= of them (default 40) are
 * async, the others half sync, half without callback.
 *
 * Three more attributes make devices race the shutdown.  Once the first
 * shutdown callback has started, a thread removes every 'remove' device
 * (device_unregister(), children before parents), flipping
 * driver_core.async_shutdown through sysfs after each one if flip_knob=1,
 * then registers every 'late' device.  A 'gate' device's callback waits
 * until that thread is done, so a late child of a device that waits for
 * a gate is added while its parent is still pending; and the report comes
 * after the thread is done.  So a spec with 'remove' or 'late' devices
 * needs a gate, neither removed nor the child of a removed device (the
 * removal would wait for the gate's lock, held while it waits):
 *
 *   ATTR  := 'remove' | 'late' | 'gate'
 *
 * A removed device was either shut down before device_unregister()
 * returned or never; a callback that starts after that counts in
 * after_removal=.  A late device must be shut down, before its parent.
 * The summary then adds removed=N (how many the thread removed), late=N
 * (registered), knob_flips=N, gate_timeouts=N (a gate gave up waiting,
 * after 20 s) and racer_done=0 or 1.
 *
 * fail_nth=N fails the N-th fault injection point (failslab, or
 * fail_async_alloc) that device_shutdown() passes in its own thread, as
 * /proc/self/fail-nth does for a system call: armed in the last reboot
 * notifier, disarmed in the first power-off or restart preparation.  The
 * summary adds fail_nth=N fail_nth_left=L: L=0 says the N-th point
 * failed; L>0 that shutdown passed only N-L points.
 *
 * Two attributes make a callback do what some drivers do:
 *
 *   ATTR  := 'bare'                sleep its delay with one bare
 *                                  schedule_timeout_uninterruptible():
 *                                  a wakeup it was not waiting for
 *                                  cuts it short, and counts in
 *                                  early_wakeups=
 *          | 'nested=' ('dfl' | 'own' | 'full')
 *                                  schedule an async call of 1 ms and
 *                                  wait for it: in the default domain
 *                                  by its cookie, in a domain of its
 *                                  own, or with async_synchronize_full()
 *
 * One attribute changes the topology while shutdown runs, as a driver
 * may from its callback:
 *
 *   ATTR  := 'relink=' NAME ':' NAME ['+' NAME ':' NAME]
 *                                  its callback adds a device link
 *                                  from the first device, the consumer,
 *                                  to the second, the supplier (then
 *                                  the second pair); 6.12's walk then
 *                                  shuts the consumer and what depends
 *                                  on it down next, the last moved
 *                                  first
 *
 * 'parent=NAME*' in a group NAME2*COUNT gives NAME2<i> the parent NAME<i>,
 * so that COUNT chains can be built side by side.
 *
 * A spec that does not parse is refused with -EINVAL and a message that
 * names the position.  report_devices=0 leaves the per-device lines out.
 */
#define pr_fmt(fmt) "shutdown_sim: " fmt

#include <linux/async.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/syscore_ops.h>

/*
 * Benchmarks also build this module out of tree for the unmodified base
 * kernel, which shuts every device down in order and has no opt-in.
 */
#ifdef TEST_SHUTDOWN_SIM_BASE
static inline void device_enable_async_shutdown(struct device *dev)
{
}

/* The base has no counters: report 0 inline fallbacks there. */
struct async_stats {
	u64	inline_fallbacks;
};

static inline void async_get_stats(struct async_stats *stats)
{
	stats->inline_fallbacks = 0;
}
#endif

enum sim_nest { SIM_NEST_NONE, SIM_NEST_DFL, SIM_NEST_OWN, SIM_NEST_FULL };

static const char * const sim_nest_names[] = {
	[SIM_NEST_NONE] = "none", [SIM_NEST_DFL] = "dfl",
	[SIM_NEST_OWN] = "own", [SIM_NEST_FULL] = "full",
};

#define SIM_MAX_DEVICES	100000		/* of random= */
#define SIM_MAX_SPEC	20000		/* of topology= */
#define SIM_MAX_LINKS	4
#define SIM_MAX_RELINKS	2
#define SIM_MAX_DELAY	60000		/* ms */
#define SIM_NAME_LEN	24

enum sim_mode { SIM_SYNC, SIM_ASYNC, SIM_NOCB };

static const char * const sim_mode_names[] = {
	[SIM_SYNC] = "sync", [SIM_ASYNC] = "async", [SIM_NOCB] = "nocb",
};

struct sim_dev {
	struct device dev;
	char name[SIM_NAME_LEN];
	int parent;			/* index, or -1 for the sim root */
	int links[SIM_MAX_LINKS];	/* indices of suppliers */
	char link_names[SIM_MAX_LINKS][SIM_NAME_LEN];	/* until resolved */
	unsigned int nr_links;
	u8 links_made;			/* bit j: links[j] was accepted */
	/* consumer, supplier of each pair, in the order linked */
	char relink_names[SIM_MAX_RELINKS][2][SIM_NAME_LEN];
	int relink[SIM_MAX_RELINKS][2];	/* resolved */
	unsigned int nr_relinks;
	unsigned int delay_ms;
	enum sim_mode mode;
	enum sim_nest nest;
	bool bare;
	char parent_group[SIM_NAME_LEN];	/* parent=NAME*, until resolved */
	int next_sync;			/* next sync device of the legacy order */
	bool remove, late, gate;	/* see "race" in the header */
	bool registered;
	bool unregistered;		/* device_unregister() has returned */
	/* written by the shutdown callback */
	u64 start_ns, end_ns;
	int cpu;
	bool shut_down;
	atomic_t calls;
	/* for the report */
	unsigned int waits;		/* dependencies not walked yet */
	s64 deps_end_ns;		/* latest end among what it waits for */
	u64 deps_ms;			/* longest path among them, from the spec */
	u64 deps_ns;			/* the same from the measured durations */
	u64 path_ms;			/* critical path through it, from the spec */
	u64 path_ns;			/* the same from the measured durations */
	u64 limit_ns;			/* path_ns, in the legacy sync order */
};

static char *topology;
module_param(topology, charp, 0444);
MODULE_PARM_DESC(topology, "devices to build; see the grammar in test_shutdown_sim.c");
static unsigned int random_devices;
module_param_named(random, random_devices, uint, 0444);
MODULE_PARM_DESC(random, "build this many random devices instead of topology=");
static unsigned int seed = 1;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "seed of random=");
static bool alloc_probe;
module_param(alloc_probe, bool, 0444);
MODULE_PARM_DESC(alloc_probe, "the first device to shut down schedules an unreserved async call");
static bool report_devices = true;
module_param(report_devices, bool, 0444);
MODULE_PARM_DESC(report_devices, "print one report line per device");
static unsigned int async_percent = 40;
module_param(async_percent, uint, 0444);
MODULE_PARM_DESC(async_percent, "share of async devices in random=, in percent (default 40)");
static unsigned int max_delay = 2;
module_param(max_delay, uint, 0444);
MODULE_PARM_DESC(max_delay, "longest delay of a device of random=, in ms (default 2)");
static bool flip_knob;
module_param(flip_knob, bool, 0444);
MODULE_PARM_DESC(flip_knob, "flip driver_core.async_shutdown after each removal during shutdown");
static unsigned int fail_nth;
module_param(fail_nth, uint, 0444);
MODULE_PARM_DESC(fail_nth, "fail the N-th fault injection point of device_shutdown()'s thread");

static struct sim_dev *sim;
static unsigned int nr_sim;
static struct device *sim_root;
static atomic_t sim_sync_running = ATOMIC_INIT(0);
static atomic_t sim_sync_overlaps = ATOMIC_INIT(0);
static u64 *sim_sync_starts;		/* scratch for sim_sync_step() */
static unsigned int *sim_queue;		/* scratch for sim_walk() */
static u64 sim_notified_ns, sim_power_off_ns;
static int sim_first_sync = -1;		/* of the legacy order */
static atomic_t sim_early_wakeups = ATOMIC_INIT(0);
static atomic_t sim_nested_calls = ATOMIC_INIT(0);
static u64 sim_returned_ns;		/* device_shutdown() had returned */
static struct sys_off_handler *sim_sys_off, *sim_restart_prep;
static struct async_stats sim_async_before;
static atomic_t sim_probed = ATOMIC_INIT(0);
static bool sim_probe_inline;
static bool sim_races;			/* a remove, late or gate device */
static DECLARE_COMPLETION(sim_started);	/* a shutdown callback ran */
static DECLARE_COMPLETION(sim_raced);	/* the racer is done */
static unsigned int sim_removed, sim_late, sim_knob_flips;
static atomic_t sim_gate_timeouts = ATOMIC_INIT(0);
static atomic_t sim_after_removal = ATOMIC_INIT(0);
static bool sim_fail_nth_armed;
static unsigned int sim_fail_nth_left;

static struct sim_dev *to_sim(struct device *dev)
{
	return container_of(dev, struct sim_dev, dev);
}

static void sim_probe_fn(void *data, async_cookie_t cookie)
{
	*(struct task_struct **)data = current;
}

static ASYNC_DOMAIN_EXCLUSIVE(sim_probe_domain);

/* Schedule one async call as any driver would: did it run in our task? */
static void sim_probe_alloc(void)
{
	struct task_struct *ran_in = NULL;

	async_schedule_domain(sim_probe_fn, &ran_in, &sim_probe_domain);
	async_synchronize_full_domain(&sim_probe_domain);
	sim_probe_inline = ran_in == current;
}

static void sim_nested_fn(void *data, async_cookie_t cookie)
{
	usleep_range(1000, 1100);
	atomic_inc(&sim_nested_calls);
}

/* An async call of the callback's own, waited for as the spec says. */
static void sim_nested(struct sim_dev *d)
{
	ASYNC_DOMAIN_EXCLUSIVE(own);
	async_cookie_t cookie;

	switch (d->nest) {
	case SIM_NEST_DFL:
		cookie = async_schedule(sim_nested_fn, d);
		async_synchronize_cookie(cookie + 1);
		break;
	case SIM_NEST_OWN:
		async_schedule_domain(sim_nested_fn, d, &own);
		async_synchronize_full_domain(&own);
		break;
	default:
		async_schedule(sim_nested_fn, d);
		async_synchronize_full();
		break;
	}
}

/*
 * A driver that sleeps with one bare schedule_timeout_uninterruptible():
 * any wakeup of its task cuts the sleep short.  The rest is slept anyway,
 * so that only the count tells.
 */
static void sim_bare_sleep(struct sim_dev *d)
{
	long left = schedule_timeout_uninterruptible(msecs_to_jiffies(d->delay_ms));

	if (left) {
		atomic_inc(&sim_early_wakeups);
		pr_err("%s: its sleep was cut short, %u ms left\n", d->name,
		       jiffies_to_msecs(left));
		schedule_timeout_uninterruptible(left);
	}
}

/* relink=: new device links while shutdown runs. */
static void sim_relink(struct sim_dev *d)
{
	struct sim_dev *consumer, *supplier;
	unsigned int i;

	for (i = 0; i < d->nr_relinks; i++) {
		consumer = &sim[d->relink[i][0]];
		supplier = &sim[d->relink[i][1]];
		if (device_link_add(&consumer->dev, &supplier->dev,
				    DL_FLAG_STATELESS))
			pr_info("%s: linked %s to its new supplier %s\n",
				d->name, consumer->name, supplier->name);
		else
			pr_err("%s: could not link %s to %s\n", d->name,
			       consumer->name, supplier->name);
	}
}

/* The bus of every device with a callback: its .shutdown is the callback. */
static void sim_shutdown(struct device *dev)
{
	struct sim_dev *d = to_sim(dev);

	atomic_inc(&d->calls);
	/* device_del() marks it dead under the lock we are called with. */
	if (READ_ONCE(d->unregistered))
		atomic_inc(&sim_after_removal);
	if (alloc_probe && !atomic_xchg(&sim_probed, 1))
		sim_probe_alloc();
	if (sim_races && !completion_done(&sim_started))
		complete_all(&sim_started);
	if (d->gate && !wait_for_completion_timeout(&sim_raced, 20 * HZ)) {
		pr_err("%s: the racer is not done after 20 s\n", d->name);
		atomic_inc(&sim_gate_timeouts);
	}
	d->start_ns = ktime_get_ns();
	d->cpu = raw_smp_processor_id();
	if (d->mode == SIM_SYNC && atomic_inc_return(&sim_sync_running) > 1)
		atomic_inc(&sim_sync_overlaps);
	if (d->nr_relinks)
		sim_relink(d);
	if (d->nest)
		sim_nested(d);
	if (d->bare)
		sim_bare_sleep(d);
	/* msleep() would stretch short delays to whole jiffies */
	else if (d->delay_ms >= 20)
		msleep(d->delay_ms);
	else if (d->delay_ms)
		usleep_range(d->delay_ms * USEC_PER_MSEC,
			     d->delay_ms * USEC_PER_MSEC + 100);
	if (d->mode == SIM_SYNC)
		atomic_dec(&sim_sync_running);
	d->end_ns = ktime_get_ns();
	WRITE_ONCE(d->shut_down, true);
}

static const struct bus_type sim_bus = {
	.name = "shutdown_sim",
	.shutdown = sim_shutdown,
};

/* ---- parsing ---------------------------------------------------------- */

struct sim_parser {
	const char *spec;	/* the whole spec, for positions */
	unsigned int max;	/* room in sim[] */
	struct sim_dev *tmpl;	/* a group's attributes: too big for the stack */
};

static __printf(3, 4) int sim_error(struct sim_parser *p, const char *at,
				   const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("topology: at position %td: %pV\n", at - p->spec, &vaf);
	va_end(args);
	return -EINVAL;
}

static int sim_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_sim; i++)
		if (!strcmp(sim[i].name, name))
			return i;
	return -1;
}

/* One ATTR of a group, applied to the template @d. */
static int sim_parse_attr(struct sim_parser *p, char *attr, struct sim_dev *d)
{
	char *value = strchr(attr, '=');
	char *supplier;

	if (!strcmp(attr, "async") || !strcmp(attr, "sync") || !strcmp(attr, "nocb")) {
		d->mode = match_string(sim_mode_names, ARRAY_SIZE(sim_mode_names), attr);
		return 0;
	}
	if (!strcmp(attr, "bare")) {
		d->bare = true;
		return 0;
	}
	if (!strcmp(attr, "remove") || !strcmp(attr, "late") || !strcmp(attr, "gate")) {
		d->remove |= attr[0] == 'r';
		d->late |= attr[0] == 'l';
		d->gate |= attr[0] == 'g';
		return 0;
	}
	if (!value)
		return sim_error(p, attr, "unknown attribute '%s'", attr);
	*value++ = '\0';
	if (!strcmp(attr, "delay")) {
		if (kstrtouint(value, 10, &d->delay_ms) || d->delay_ms > SIM_MAX_DELAY)
			return sim_error(p, value, "delay must be 0..%u ms, not '%s'",
					 SIM_MAX_DELAY, value);
		return 0;
	}
	if (!strcmp(attr, "nested")) {
		d->nest = match_string(sim_nest_names, ARRAY_SIZE(sim_nest_names), value);
		if ((int)d->nest <= SIM_NEST_NONE) {
			d->nest = SIM_NEST_NONE;
			return sim_error(p, value, "nested must be dfl, own or full, not '%s'",
					 value);
		}
		return 0;
	}
	if (!strcmp(attr, "parent") && value[0] && value[strlen(value) - 1] == '*') {
		value[strlen(value) - 1] = '\0';
		if (strlen(value) >= SIM_NAME_LEN - 6)
			return sim_error(p, value, "bad parent group '%s'", value);
		strscpy(d->parent_group, value);
		return 0;
	}
	if (!strcmp(attr, "parent")) {
		d->parent = sim_find(value);
		if (d->parent < 0)
			return sim_error(p, value, "parent '%s' is not defined before", value);
		if (sim[d->parent].late)
			return sim_error(p, value, "parent '%s' is late", value);
		return 0;
	}
	if (!strcmp(attr, "relink")) {
		char *pair, *consumer;

		while ((pair = strsep(&value, "+")) != NULL) {
			consumer = pair;
			supplier = strchr(pair, ':');
			if (!supplier || supplier == consumer || !supplier[1] ||
			    supplier - consumer >= SIM_NAME_LEN ||
			    strlen(supplier + 1) >= SIM_NAME_LEN)
				return sim_error(p, pair,
						 "relink must be CONSUMER:SUPPLIER, not '%s'",
						 pair);
			if (d->nr_relinks == SIM_MAX_RELINKS)
				return sim_error(p, pair, "more than %u relinks",
						 SIM_MAX_RELINKS);
			*supplier++ = '\0';
			strscpy(d->relink_names[d->nr_relinks][0], consumer);
			strscpy(d->relink_names[d->nr_relinks++][1], supplier);
		}
		return 0;
	}
	if (!strcmp(attr, "link")) {
		while ((supplier = strsep(&value, "+")) != NULL) {
			if (d->nr_links == SIM_MAX_LINKS)
				return sim_error(p, supplier, "more than %u links", SIM_MAX_LINKS);
			if (!*supplier || strlen(supplier) >= SIM_NAME_LEN)
				return sim_error(p, supplier, "bad link target '%s'", supplier);
			strscpy(d->link_names[d->nr_links++], supplier);
		}
		return 0;
	}
	return sim_error(p, attr, "unknown attribute '%s'", attr);
}

/* parent=NAME*: device @i of its group gets NAME<i> for a parent. */
static int sim_pair_parent(struct sim_parser *p, char *group,
			   struct sim_dev *d, unsigned int i)
{
	char name[SIM_NAME_LEN];

	snprintf(name, sizeof(name), "%s%u", d->parent_group, i);
	d->parent = sim_find(name);
	if (d->parent < 0)
		return sim_error(p, group, "parent '%s' of %s is not defined before",
				 name, d->name);
	if (sim[d->parent].late || d->late)
		return sim_error(p, group, "a late device cannot be paired with a parent");
	if (d->gate && sim[d->parent].remove)
		return sim_error(p, group, "the parent of a gate device cannot be removed");
	return 0;
}

/* One group: NAME['*'COUNT][':'ATTR{','ATTR}]. */
static int sim_parse_group(struct sim_parser *p, char *group)
{
	struct sim_dev *tmpl = p->tmpl;
	char *attrs = strchr(group, ':');
	char *star, *attr;
	unsigned int count = 1, i;
	int ret;

	memset(tmpl, 0, sizeof(*tmpl));
	tmpl->parent = -1;
	tmpl->mode = SIM_SYNC;
	if (attrs)
		*attrs++ = '\0';
	star = strchr(group, '*');
	if (star) {
		*star++ = '\0';
		if (kstrtouint(star, 10, &count) || !count)
			return sim_error(p, star, "bad count '%s'", star);
	}
	if (!*group || strlen(group) + 6 >= SIM_NAME_LEN || strpbrk(group, "=+,"))
		return sim_error(p, group, "bad device name '%s'", group);
	while (attrs && (attr = strsep(&attrs, ",")) != NULL) {
		ret = sim_parse_attr(p, attr, tmpl);
		if (ret)
			return ret;
	}
	if (tmpl->late && (tmpl->remove || tmpl->nr_links))
		return sim_error(p, group, "a late device cannot be removed or linked");
	if ((tmpl->late || tmpl->gate) && tmpl->parent >= 0 && sim[tmpl->parent].remove)
		return sim_error(p, group, "the parent of a late or gate device cannot be removed");
	if (tmpl->gate && tmpl->remove)
		return sim_error(p, group, "a gate cannot be removed");
	if (count > p->max - nr_sim)
		return sim_error(p, group, "more than %u devices", SIM_MAX_SPEC);

	for (i = 0; i < count; i++) {
		struct sim_dev *d = &sim[nr_sim];

		*d = *tmpl;
		if (star)
			snprintf(d->name, SIM_NAME_LEN, "%s%u", group, i);
		else
			strscpy(d->name, group);
		if (sim_find(d->name) >= 0)
			return sim_error(p, group, "device '%s' defined twice", d->name);
		if (tmpl->parent_group[0]) {
			ret = sim_pair_parent(p, group, d, i);
			if (ret)
				return ret;
		}
		nr_sim++;
	}
	return 0;
}

static int sim_resolve_links(struct sim_parser *p)
{
	unsigned int i, j;

	for (i = 0; i < nr_sim; i++) {
		for (j = 0; j < 2 * sim[i].nr_relinks; j++) {
			int *to = &sim[i].relink[j / 2][j % 2];

			*to = sim_find(sim[i].relink_names[j / 2][j % 2]);
			if (*to < 0 || sim[*to].late) {
				pr_err("topology: %s relinks '%s', which is not a device registered at load\n",
				       sim[i].name, sim[i].relink_names[j / 2][j % 2]);
				return -EINVAL;
			}
		}
		for (j = 0; j < sim[i].nr_links; j++) {
			sim[i].links[j] = sim_find(sim[i].link_names[j]);
			if (sim[i].links[j] < 0 || sim[i].links[j] == i ||
			    sim[sim[i].links[j]].late) {
				pr_err("topology: %s links to '%s', which is not another device registered at load\n",
				       sim[i].name, sim[i].link_names[j]);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Racing devices need a gate, which orders the racer before the report. */
static int sim_check_races(void)
{
	bool racing = false, gated = false;
	unsigned int i;

	for (i = 0; i < nr_sim; i++) {
		racing |= sim[i].remove || sim[i].late;
		gated |= sim[i].gate;
	}
	if (racing && !gated) {
		pr_err("topology: 'remove' and 'late' devices need a 'gate' device\n");
		return -EINVAL;
	}
	sim_races = racing || gated;
	return 0;
}

static int sim_parse(const char *spec)
{
	struct sim_parser p = { .max = SIM_MAX_SPEC };
	char *copy, *group, *rest;
	int ret = 0;

	copy = kstrdup(spec, GFP_KERNEL);
	p.tmpl = kmalloc(sizeof(*p.tmpl), GFP_KERNEL);
	if (!copy || !p.tmpl) {
		kfree(copy);
		kfree(p.tmpl);
		return -ENOMEM;
	}
	/* Positions in messages are offsets into the copy, which matches @spec. */
	p.spec = copy;
	rest = copy;
	while (!ret && (group = strsep(&rest, ";")) != NULL) {
		if (*group)
			ret = sim_parse_group(&p, group);
	}
	if (!ret && !nr_sim)
		ret = sim_error(&p, copy, "no device defined");
	if (!ret)
		ret = sim_resolve_links(&p);
	if (!ret)
		ret = sim_check_races();
	kfree(p.tmpl);
	kfree(copy);
	return ret;
}

static void sim_generate(unsigned int n, unsigned int rnd_seed)
{
	struct rnd_state rnd;
	unsigned int i, r;

	prandom_seed_state(&rnd, rnd_seed);
	for (i = 0; i < n; i++) {
		struct sim_dev *d = &sim[i];

		snprintf(d->name, SIM_NAME_LEN, "rnd%u", i);
		d->parent = (i && prandom_u32_state(&rnd) % 4) ?
			    prandom_u32_state(&rnd) % i : -1;
		/* The rest is half sync, half without callback. */
		r = prandom_u32_state(&rnd) % 200;
		d->mode = r < 2 * async_percent ? SIM_ASYNC :
			  r < 100 + async_percent ? SIM_SYNC : SIM_NOCB;
		d->delay_ms = d->mode == SIM_NOCB ? 0 :
			      prandom_u32_state(&rnd) % (max_delay + 1);
		if (i > 1 && prandom_u32_state(&rnd) % 20 == 0)
			d->links[d->nr_links++] = prandom_u32_state(&rnd) % i;
	}
	nr_sim = n;
}

/* ---- the devices -------------------------------------------------------- */

static void sim_release(struct device *dev)
{
	/* sim[] is freed as a whole once every device is gone */
}

static int sim_register(struct sim_dev *d)
{
	int ret;

	device_initialize(&d->dev);
	d->dev.parent = d->parent >= 0 ? &sim[d->parent].dev : sim_root;
	d->dev.release = sim_release;
	if (d->mode != SIM_NOCB)
		d->dev.bus = &sim_bus;
	ret = dev_set_name(&d->dev, "%s", d->name);
	if (!ret)
		ret = device_add(&d->dev);
	if (ret) {
		put_device(&d->dev);
		return ret;
	}
	if (d->mode == SIM_ASYNC)
		device_enable_async_shutdown(&d->dev);
	d->registered = true;
	return 0;
}

static void sim_add_links(void)
{
	unsigned int i, j;

	for (i = 0; i < nr_sim; i++) {
		for (j = 0; j < sim[i].nr_links; j++) {
			if (!sim[sim[i].links[j]].registered)
				continue;
			if (device_link_add(&sim[i].dev, &sim[sim[i].links[j]].dev,
					    DL_FLAG_STATELESS))
				sim[i].links_made |= BIT(j);
			else
				pr_warn("link %s -> %s refused (it would close a cycle)\n",
					sim[i].name, sim[sim[i].links[j]].name);
		}
		cond_resched();
	}
}

static void sim_unregister_all(void)
{
	int i;

	/* children before parents; device_del() drops the links too */
	for (i = nr_sim - 1; i >= 0; i--)
		if (sim[i].registered)
			device_unregister(&sim[i].dev);
}

/* ---- racing the shutdown ---------------------------------------------- */

/* Write the opposite of what driver_core.async_shutdown says, as root would. */
static void sim_flip_knob(void)
{
	static const char path[] = "/sys/module/driver_core/parameters/async_shutdown";
	char now[4] = "";
	struct file *file;
	loff_t pos = 0;

	file = filp_open(path, O_RDWR, 0);
	if (IS_ERR(file)) {
		pr_err("cannot open %s: %ld\n", path, PTR_ERR(file));
		return;
	}
	if (kernel_read(file, now, sizeof(now) - 1, &pos) > 0) {
		pos = 0;
		if (kernel_write(file, now[0] == 'Y' ? "0" : "1", 1, &pos) == 1)
			sim_knob_flips++;
	}
	filp_close(file, NULL);
}

/*
 * Once shutdown is under way: remove the 'remove' devices, children
 * first, then add the 'late' ones, then open the gates.
 */
static int sim_race(void *unused)
{
	int i;

	wait_for_completion(&sim_started);
	for (i = nr_sim - 1; i >= 0; i--) {
		if (!sim[i].remove || !sim[i].registered)
			continue;
		usleep_range(1000, 2000);
		sim[i].registered = false;
		device_unregister(&sim[i].dev);
		WRITE_ONCE(sim[i].unregistered, true);
		sim_removed++;
		if (flip_knob)
			sim_flip_knob();
	}
	for (i = 0; i < nr_sim; i++) {
		if (!sim[i].late)
			continue;
		if (sim_register(&sim[i]))
			pr_err("cannot register late device %s\n", sim[i].name);
		else
			sim_late++;
	}
	complete_all(&sim_raced);
	module_put_and_kthread_exit(0);
}

/* ---- fault injection -------------------------------------------------- */

/*
 * From the last reboot notifier to the first power-off or restart
 * preparation, in the task that reboots; the report disarms it where
 * neither runs (halt, kexec).
 */
static void sim_fail_nth_arm(void)
{
#ifdef CONFIG_FAULT_INJECTION
	if (!fail_nth)
		return;
	WRITE_ONCE(current->fail_nth, fail_nth);
	sim_fail_nth_armed = true;
#endif
}

static void sim_fail_nth_disarm(void)
{
#ifdef CONFIG_FAULT_INJECTION
	if (!sim_fail_nth_armed)
		return;
	sim_fail_nth_left = READ_ONCE(current->fail_nth);
	WRITE_ONCE(current->fail_nth, 0);
	sim_fail_nth_armed = false;
#endif
}

/* ---- the report --------------------------------------------------------- */

/*
 * Count for each device how many it waits for: its children and the
 * consumers of its links, and with @legacy the sync device before it in
 * the legacy order.
 */
static void sim_count_waits(bool legacy)
{
	unsigned int i, j;
	struct sim_dev *d;

	for (i = 0; i < nr_sim; i++)
		sim[i].waits = 0;
	for (i = 0; i < nr_sim; i++) {
		d = &sim[i];
		if (d->parent >= 0)
			sim[d->parent].waits++;
		for (j = 0; j < d->nr_links; j++)
			if (d->links_made & BIT(j))
				sim[d->links[j]].waits++;
		if (legacy && d->mode == SIM_SYNC && d->next_sync >= 0)
			sim[d->next_sync].waits++;
	}
}

/*
 * Walk the devices so that each comes after everything it waits for (its
 * children and the consumers of its links), with a queue of the devices
 * whose dependencies have all been walked.  Linear in devices and links,
 * as a hundred thousand devices need.  For each device: the latest end
 * among what it waits for, looking through devices without a callback
 * (they leave no timestamps) to what they wait for, and the critical path
 * through it, from the spec's delays and from the measured durations
 * (timers overshoot, more so under emulation).
 */
static void sim_walk(void)
{
	unsigned int i, j, head = 0, tail = 0;
	struct sim_dev *d, *w;
	s64 end;

	sim_count_waits(false);
	for (i = 0; i < nr_sim; i++)
		if (!sim[i].waits)
			sim_queue[tail++] = i;
	while (head < tail) {
		d = &sim[sim_queue[head++]];
		d->path_ms = d->deps_ms;
		if (d->mode != SIM_NOCB && (d->shut_down || !d->remove))
			d->path_ms += d->delay_ms;
		d->path_ns = d->deps_ns;
		if (d->mode != SIM_NOCB && d->shut_down)
			d->path_ns += d->end_ns - d->start_ns;
		/* Through what left no timestamps: no callback, or removed. */
		end = (d->mode == SIM_NOCB || !d->shut_down) ? d->deps_end_ns : d->end_ns;
		for (j = 0; j <= d->nr_links; j++) {
			if (j == d->nr_links)
				w = d->parent >= 0 ? &sim[d->parent] : NULL;
			else
				w = d->links_made & BIT(j) ? &sim[d->links[j]] : NULL;
			if (!w)
				continue;
			w->deps_end_ns = max(w->deps_end_ns, end);
			w->deps_ms = max(w->deps_ms, d->path_ms);
			w->deps_ns = max(w->deps_ns, d->path_ns);
			if (!--w->waits)
				sim_queue[tail++] = w - sim;
		}
	}
}

/*
 * The sync devices in the order the legacy walk takes them: devices_kset
 * from its end, as it stands when device_shutdown() is about to start,
 * reorders by device links included.  Each gets the next one.
 */
static void sim_take_legacy_order(void)
{
	struct kset *kset = sim_root->kobj.kset;
	struct sim_dev *d, *prev = NULL;
	struct kobject *kobj;
	struct device *dev;
	unsigned int i;

	for (i = 0; i < nr_sim; i++)
		sim[i].next_sync = -1;
	spin_lock(&kset->list_lock);
	list_for_each_entry_reverse(kobj, &kset->list, entry) {
		dev = container_of(kobj, struct device, kobj);
		if (dev->bus != &sim_bus || to_sim(dev)->mode != SIM_SYNC)
			continue;
		d = to_sim(dev);
		if (prev)
			prev->next_sync = d - sim;
		else
			sim_first_sync = d - sim;
		prev = d;
	}
	spin_unlock(&kset->list_lock);
}

/* Sync devices that started before one that the legacy order puts first. */
static unsigned int sim_sync_order_violations(void)
{
	struct sim_dev *d, *last = NULL;
	unsigned int bad = 0;
	int i;

	for (i = sim_first_sync; i >= 0; i = d->next_sync) {
		d = &sim[i];
		if (!d->shut_down)
			continue;
		if (last && d->start_ns < last->start_ns) {
			pr_err("sync %s started before %s, which the legacy order puts first\n",
			       d->name, last->name);
			bad++;
		}
		last = d;
	}
	return bad;
}

static u64 sim_measured_ns(struct sim_dev *d)
{
	return d->mode != SIM_NOCB && d->shut_down ? d->end_ns - d->start_ns : 0;
}

static void sim_limit_reaches(struct sim_dev *d, struct sim_dev *w,
			      unsigned int *tail)
{
	w->limit_ns = max(w->limit_ns, d->limit_ns);
	if (!--w->waits)
		sim_queue[(*tail)++] = w - sim;
}

/*
 * The best makespan with the sync devices in the legacy order: the
 * longest path of measured durations through the dependencies and
 * through the edge from each sync device to the next in that order.
 * With unlimited chains, a list schedule that never idles when a device
 * is ready finishes exactly then.  0 if that order contradicts the
 * dependencies, which then make a cycle with it.
 */
static u64 sim_legacy_limit(void)
{
	unsigned int i, j, head = 0, tail = 0;
	struct sim_dev *d;
	u64 limit = 0;

	for (i = 0; i < nr_sim; i++)
		sim[i].limit_ns = 0;
	sim_count_waits(true);
	for (i = 0; i < nr_sim; i++)
		if (!sim[i].waits)
			sim_queue[tail++] = i;
	while (head < tail) {
		d = &sim[sim_queue[head++]];
		d->limit_ns += sim_measured_ns(d);
		limit = max(limit, d->limit_ns);
		if (d->parent >= 0)
			sim_limit_reaches(d, &sim[d->parent], &tail);
		for (j = 0; j < d->nr_links; j++)
			if (d->links_made & BIT(j))
				sim_limit_reaches(d, &sim[d->links[j]], &tail);
		if (d->mode == SIM_SYNC && d->next_sync >= 0)
			sim_limit_reaches(d, &sim[d->next_sync], &tail);
	}
	return tail == nr_sim ? limit : 0;
}

static int sim_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Median of the gaps between consecutive starts of sync devices. */
static u64 sim_sync_step(void)
{
	unsigned int i, nr = 0;

	for (i = 0; i < nr_sim; i++)
		if (sim[i].mode == SIM_SYNC && sim[i].shut_down)
			sim_sync_starts[nr++] = sim[i].start_ns;
	if (nr < 2)
		return 0;
	sort(sim_sync_starts, nr, sizeof(u64), sim_cmp_u64, NULL);
	for (i = 0; i < nr - 1; i++)
		sim_sync_starts[i] = sim_sync_starts[i + 1] - sim_sync_starts[i];
	sort(sim_sync_starts, nr - 1, sizeof(u64), sim_cmp_u64, NULL);
	return sim_sync_starts[(nr - 1) / 2];
}

static void sim_report(void *data)
{
	struct async_stats after;
	unsigned int i, violations = 0, missing = 0, after_return = 0, twice = 0;
	u64 first = U64_MAX, last = 0, critical = 0, measured = 0, serial = 0;
	u64 callbacks = 0, limit;

	sim_fail_nth_disarm();
	for (i = 0; i < nr_sim; i++) {
		struct sim_dev *d = &sim[i];

		if (d->mode == SIM_NOCB)
			continue;
		if (!READ_ONCE(d->shut_down)) {
			/* Removed by the racer, before or during its turn. */
			if (d->remove && !d->registered)
				continue;
			pr_err("%s was never shut down\n", d->name);
			missing++;
			continue;
		}
		first = min(first, d->start_ns);
		last = max(last, d->end_ns);
		if (sim_returned_ns && d->end_ns > sim_returned_ns)
			after_return++;
		if (atomic_read(&d->calls) > 1)
			twice++;
		serial += d->delay_ms;
		callbacks += d->end_ns - d->start_ns;
	}
	sim_walk();
	limit = sim_legacy_limit();
	for (i = 0; i < nr_sim; i++) {
		struct sim_dev *d = &sim[i];

		critical = max(critical, d->path_ms);
		measured = max(measured, d->path_ns);
		if (d->mode == SIM_NOCB || !d->shut_down)
			continue;
		if (d->deps_end_ns > d->start_ns) {
			pr_err("%s started %lld us before what it waits for ended\n",
			       d->name, (d->deps_end_ns - d->start_ns) / NSEC_PER_USEC);
			violations++;
		}
		if (report_devices)
			pr_info("dev %s mode=%s start_us=%llu end_us=%llu cpu=%d\n",
				d->name, sim_mode_names[d->mode],
				(d->start_ns - first) / NSEC_PER_USEC,
				(d->end_ns - first) / NSEC_PER_USEC, d->cpu);
	}
	async_get_stats(&after);
	pr_info("summary devices=%u makespan_us=%llu critical_path_us=%llu measured_critical_path_us=%llu serial_sum_us=%llu callbacks_us=%llu violations=%u sync_overlaps=%d missing=%u sync_step_ns=%llu device_shutdown_us=%llu inline_fallbacks=%llu probe_inline=%d legacy_limit_us=%llu sync_order_violations=%u early_wakeups=%d nested_calls=%d after_return=%u called_twice=%u\n",
		nr_sim, last > first ? (last - first) / NSEC_PER_USEC : 0,
		critical * USEC_PER_MSEC, measured / NSEC_PER_USEC,
		serial * USEC_PER_MSEC, callbacks / NSEC_PER_USEC, violations,
		atomic_read(&sim_sync_overlaps), missing, sim_sync_step(),
		sim_power_off_ns ?
		(sim_power_off_ns - sim_notified_ns) / NSEC_PER_USEC : 0,
		after.inline_fallbacks - sim_async_before.inline_fallbacks,
		sim_probe_inline, limit / NSEC_PER_USEC,
		sim_sync_order_violations(), atomic_read(&sim_early_wakeups),
		atomic_read(&sim_nested_calls),
		after_return, twice);
	if (sim_races)
		pr_info("race removed=%u late=%u knob_flips=%u gate_timeouts=%d after_removal=%d racer_done=%d\n",
			sim_removed, sim_late, sim_knob_flips,
			atomic_read(&sim_gate_timeouts),
			atomic_read(&sim_after_removal),
			completion_done(&sim_raced));
	if (fail_nth)
		pr_info("faults fail_nth=%u fail_nth_left=%u\n", fail_nth,
			sim_fail_nth_left);
}

static const struct syscore_ops sim_syscore_ops = {
	.shutdown = sim_report,
};

static struct syscore sim_syscore = {
	.ops = &sim_syscore_ops,
};

/*
 * The last reboot notifier runs right before device_shutdown(), the first
 * power-off preparation right after it: together they time it, on any
 * kernel, without touching it.
 */
static int sim_reboot_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	async_get_stats(&sim_async_before);
	sim_take_legacy_order();
	if (sim_races) {
		/* Dropped by the racer as it exits. */
		__module_get(THIS_MODULE);
		if (IS_ERR(kthread_run(sim_race, NULL, "shutdown_sim_race"))) {
			pr_err("cannot start the racer\n");
			module_put(THIS_MODULE);
		}
	}
	sim_notified_ns = ktime_get_ns();
	sim_fail_nth_arm();
	return NOTIFY_DONE;
}

static struct notifier_block sim_reboot_nb = {
	.notifier_call = sim_reboot_notify,
	.priority = INT_MIN,
};

static int sim_power_off_prepare(struct sys_off_data *data)
{
	if (sim_notified_ns && !sim_power_off_ns)
		sim_power_off_ns = ktime_get_ns();
	if (sim_notified_ns && !sim_returned_ns)
		sim_returned_ns = ktime_get_ns();
	sim_fail_nth_disarm();
	return NOTIFY_DONE;
}

/* On reboot: the firmware's preparation has allocations of its own. */
static int sim_restart_prepare(struct sys_off_data *data)
{
	if (sim_notified_ns && !sim_returned_ns)
		sim_returned_ns = ktime_get_ns();
	sim_fail_nth_disarm();
	return NOTIFY_DONE;
}

static int __init sim_init(void)
{
	unsigned int i, max = random_devices ?: SIM_MAX_SPEC;
	int ret;

	if (!topology == !random_devices) {
		pr_err("give exactly one of topology= and random=\n");
		return -EINVAL;
	}
	if (fail_nth && !IS_ENABLED(CONFIG_FAULT_INJECTION)) {
		pr_err("fail_nth=%u: this kernel has no fault injection\n", fail_nth);
		return -EINVAL;
	}
	if (max > SIM_MAX_DEVICES) {
		pr_err("random=%u: at most %u devices\n", random_devices,
		       SIM_MAX_DEVICES);
		return -EINVAL;
	}
	sim = kvcalloc(max, sizeof(*sim), GFP_KERNEL);
	sim_sync_starts = kvmalloc_array(max, sizeof(u64), GFP_KERNEL);
	sim_queue = kvmalloc_array(max, sizeof(*sim_queue), GFP_KERNEL);
	if (!sim || !sim_sync_starts || !sim_queue) {
		ret = -ENOMEM;
		goto free;
	}
	if (random_devices) {
		sim_generate(random_devices, seed);
		ret = 0;
	} else {
		ret = sim_parse(topology);
	}
	if (ret)
		goto free;

	ret = bus_register(&sim_bus);
	if (ret)
		goto free;
	sim_root = root_device_register("shutdown_sim");
	if (IS_ERR(sim_root)) {
		ret = PTR_ERR(sim_root);
		goto bus;
	}
	/*
	 * A hundred thousand devices take a while to register, longer than
	 * RCU's stall timeout under KASAN on an emulated machine.
	 */
	for (i = 0; i < nr_sim; i++) {
		if (sim[i].late)
			continue;
		ret = sim_register(&sim[i]);
		if (ret) {
			pr_err("cannot register %s: %d\n", sim[i].name, ret);
			goto devices;
		}
		cond_resched();
	}
	sim_add_links();
	/* Ahead of the firmware's own preparation, which can take a while. */
	sim_sys_off = register_sys_off_handler(SYS_OFF_MODE_POWER_OFF_PREPARE,
					       INT_MAX, sim_power_off_prepare,
					       NULL);
	if (IS_ERR(sim_sys_off)) {
		ret = PTR_ERR(sim_sys_off);
		goto devices;
	}
	sim_restart_prep = register_sys_off_handler(SYS_OFF_MODE_RESTART_PREPARE,
						    INT_MAX, sim_restart_prepare,
						    NULL);
	if (IS_ERR(sim_restart_prep)) {
		ret = PTR_ERR(sim_restart_prep);
		goto power_off;
	}
	register_reboot_notifier(&sim_reboot_nb);
	register_syscore(&sim_syscore);
	pr_info("%u devices ready\n", nr_sim);
	return 0;

power_off:
	unregister_sys_off_handler(sim_sys_off);
devices:
	sim_unregister_all();
	root_device_unregister(sim_root);
bus:
	bus_unregister(&sim_bus);
free:
	kvfree(sim_queue);
	kvfree(sim_sync_starts);
	kvfree(sim);
	nr_sim = 0;
	return ret;
}

static void __exit sim_exit(void)
{
	unregister_syscore(&sim_syscore);
	unregister_reboot_notifier(&sim_reboot_nb);
	unregister_sys_off_handler(sim_restart_prep);
	unregister_sys_off_handler(sim_sys_off);
	sim_unregister_all();
	root_device_unregister(sim_root);
	bus_unregister(&sim_bus);
	kvfree(sim_queue);
	kvfree(sim_sync_starts);
	kvfree(sim);
}

module_init(sim_init);
module_exit(sim_exit);
MODULE_DESCRIPTION("Device topologies that record and check their own shutdown");
MODULE_LICENSE("GPL");
