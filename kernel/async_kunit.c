// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the async core (kernel/async.c)
 *
 * Counters are read from domains private to each case, never from the
 * global ones, which boot-time async work moves at any time.  Cases that
 * start threads give up on a thread stuck for ASYNC_TEST_TIMEOUT; they
 * then leak, rather than free, what the thread may still use.
 *
 * Most cases also make sense on uniprocessor UML; the races and the
 * parallelism they are after only show on an SMP kernel, so the suite
 * runs in the SMP guest too, and there also under KASAN and KCSAN.
 */

#include <kunit/device.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/async.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

/* Long enough for a slow UML run, short enough to fail instead of hang. */
#define ASYNC_TEST_TIMEOUT	(20 * HZ)

/* Poll @cond until it holds or ASYNC_TEST_TIMEOUT passes; yields @cond. */
#define async_test_poll(cond)						\
({									\
	unsigned long __end = jiffies + ASYNC_TEST_TIMEOUT;		\
	bool __ok;							\
									\
	while (!(__ok = (cond)) && time_before(jiffies, __end))		\
		schedule_timeout_uninterruptible(1);			\
	__ok;								\
})

/*
 * An entry that blocks its runner until the test opens the gate.  It lets
 * itself through after ASYNC_TEST_TIMEOUT, so that a broken core makes a
 * test fail rather than hang.
 */
struct async_test_gate {
	struct completion	open;
	atomic_t		arrived;
	atomic_t		passed;
	bool			timed_out;
};

/*
 * Atomic context for a caller of async_schedule*(): interrupts off, or on
 * PREEMPT_RT, where the core's spinlock_t sleeps and so, as in 6.12, may
 * not be taken with interrupts off, bottom halves off.
 */
static unsigned long async_test_atomic_begin(void)
{
	unsigned long flags = 0;

	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		local_bh_disable();
	else
		local_irq_save(flags);
	return flags;
}

static void async_test_atomic_end(unsigned long flags)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		local_bh_enable();
	else
		local_irq_restore(flags);
}

static void async_test_gate_init(struct async_test_gate *gate)
{
	init_completion(&gate->open);
	atomic_set(&gate->arrived, 0);
	atomic_set(&gate->passed, 0);
	gate->timed_out = false;
}

static void async_test_gate_fn(void *data, async_cookie_t cookie)
{
	struct async_test_gate *gate = data;

	atomic_inc(&gate->arrived);
	if (!wait_for_completion_timeout(&gate->open, ASYNC_TEST_TIMEOUT))
		WRITE_ONCE(gate->timed_out, true);
	atomic_inc(&gate->passed);
}

/* What an entry saw when it ran. */
struct async_test_rec {
	struct task_struct	*task;
	bool			was_async;
	unsigned int		delay_ms;
	int			done;
};

static void async_test_record_fn(void *data, async_cookie_t cookie)
{
	struct async_test_rec *rec = data;

	if (rec->delay_ms)
		msleep(rec->delay_ms);
	rec->task = current;
	rec->was_async = current_is_async();
	/* publish the record before ->done; pairs with async_test_done() */
	smp_store_release(&rec->done, 1);
}

static bool async_test_done(struct async_test_rec *rec)
{
	/* pairs with the release in async_test_record_fn() */
	return smp_load_acquire(&rec->done);
}

static void async_test_count_fn(void *data, async_cookie_t cookie)
{
	atomic_inc(data);
}

static struct async_stats async_test_stats(struct async_domain *domain)
{
	struct async_stats st;

	async_domain_get_stats(domain, &st);
	return st;
}

/* The static stub that makes every entry allocation of the test fail. */
static struct async_entry *async_test_no_entry(gfp_t gfp)
{
	return NULL;
}

static void async_test_fail_alloc(struct kunit *test, bool fail)
{
	if (fail)
		kunit_activate_static_stub(test, async_alloc_entry,
					   async_test_no_entry);
	else
		kunit_deactivate_static_stub(test, async_alloc_entry);
}

/*
 * Wait for @nr threads to signal their exit, each at @stride bytes from
 * the one before.  With @progress, a count of loops each thread keeps at
 * the same stride, a thread is given up on only once it has neither
 * exited nor finished a loop for ASYNC_TEST_TIMEOUT: under KASAN on a
 * slow emulated machine a whole stress takes longer than that, and a
 * thread that still makes progress is not stuck.  Returns how many are
 * stuck: the caller must not free anything those may still use.
 */
static int async_test_join(struct completion *exited,
			   const unsigned int *progress, size_t stride, int nr)
{
	const unsigned int *loops;
	struct completion *c;
	unsigned int seen;
	int i, stuck = 0;
	bool done;

	for (i = 0; i < nr; i++) {
		c = (void *)exited + i * stride;
		loops = progress ? (void *)progress + i * stride : NULL;
		do {
			seen = loops ? READ_ONCE(*loops) : 0;
			done = wait_for_completion_timeout(c, ASYNC_TEST_TIMEOUT);
		} while (!done && loops && READ_ONCE(*loops) != seen);
		stuck += !done;
	}
	return stuck;
}

/* Free @mem, which test threads used, unless one of them is stuck. */
static void async_test_release(struct kunit *test, void *mem, int stuck)
{
	if (stuck) {
		kunit_err(test, "%d thread(s) stuck: leaking their memory\n",
			  stuck);
		return;
	}
	kfree(mem);
}

/*
 * A cookie wait on domain A covers A's earlier entries, all of them, and
 * no entry of domain B, even one with a lower cookie that is blocked.
 */
static void async_test_cookie_wait_is_per_domain(struct kunit *test)
{
	ASYNC_DOMAIN_EXCLUSIVE(async_test_a);
	ASYNC_DOMAIN_EXCLUSIVE(async_test_b);
	struct async_test_rec rec[4] = {
		{ .delay_ms = 30 }, { .delay_ms = 10 }, { .delay_ms = 20 },
	};
	struct async_reservation res = { };
	struct async_test_gate gate;
	async_cookie_t last;
	int i;

	KUNIT_ASSERT_EQ(test, async_reserve(&res, 5), 0);
	async_test_gate_init(&gate);

	async_schedule_reserved(async_test_gate_fn, &gate, &async_test_b, &res);
	for (i = 0; i < ARRAY_SIZE(rec); i++)
		last = async_schedule_reserved(async_test_record_fn, &rec[i],
					       &async_test_a, &res);

	async_synchronize_cookie_domain(last, &async_test_a);

	KUNIT_EXPECT_EQ(test, atomic_read(&gate.passed), 0);
	for (i = 0; i < ARRAY_SIZE(rec) - 1; i++)
		KUNIT_EXPECT_TRUE_MSG(test, async_test_done(&rec[i]),
				      "entry %d of A still running", i);

	complete_all(&gate.open);
	async_synchronize_full_domain(&async_test_b);
	async_synchronize_full_domain(&async_test_a);
	KUNIT_EXPECT_TRUE(test, async_test_done(&rec[3]));
	KUNIT_EXPECT_FALSE(test, gate.timed_out);
	async_unreserve(&res);
}

/* A blocked entry of an exclusive domain does not hold up the full sync. */
static void async_test_full_sync_skips_exclusive(struct kunit *test)
{
	ASYNC_DOMAIN_EXCLUSIVE(async_test_excl);
	struct async_reservation res = { };
	struct async_test_gate gate;

	KUNIT_ASSERT_EQ(test, async_reserve(&res, 1), 0);
	async_test_gate_init(&gate);
	async_schedule_reserved(async_test_gate_fn, &gate, &async_test_excl,
				&res);

	async_synchronize_full();
	KUNIT_EXPECT_EQ(test, atomic_read(&gate.passed), 0);

	complete_all(&gate.open);
	async_synchronize_full_domain(&async_test_excl);
	KUNIT_EXPECT_FALSE(test, gate.timed_out);
	async_unreserve(&res);
}

static ASYNC_DOMAIN(async_test_registered);

/* The full sync waits for the default and any other registered domain. */
static void async_test_full_sync_waits_for_registered(struct kunit *test)
{
	struct async_test_rec rec[4] = {
		{ .delay_ms = 40 }, { .delay_ms = 10 },
		{ .delay_ms = 30 }, { .delay_ms = 20 },
	};

	async_schedule(async_test_record_fn, &rec[0]);
	async_schedule_domain(async_test_record_fn, &rec[1],
			      &async_test_registered);
	async_schedule(async_test_record_fn, &rec[2]);
	async_schedule_domain(async_test_record_fn, &rec[3],
			      &async_test_registered);

	async_synchronize_full();

	KUNIT_EXPECT_TRUE(test, async_test_done(&rec[0]));
	KUNIT_EXPECT_TRUE(test, async_test_done(&rec[1]));
	KUNIT_EXPECT_TRUE(test, async_test_done(&rec[2]));
	KUNIT_EXPECT_TRUE(test, async_test_done(&rec[3]));
}

#define ASYNC_TEST_WAITERS	64
#define ASYNC_TEST_ENTRIES	1024

struct async_test_waiter {
	struct task_struct	*task;
	struct async_domain	*domain;
	async_cookie_t		cookie;
	atomic_t		*ran;		/* entries of the domain run */
	unsigned int		ran_at_return;
	unsigned long		nvcsw_start;
	unsigned long		nvcsw;
	int			waiting;
	struct completion	exited;
};

static int async_test_waiter_fn(void *data)
{
	struct async_test_waiter *w = data;

	w->nvcsw_start = current->nvcsw;
	/* ->nvcsw_start before ->waiting; pairs with async_test_waiter_asleep() */
	smp_store_release(&w->waiting, 1);
	async_synchronize_cookie_domain(w->cookie, w->domain);
	w->nvcsw = current->nvcsw - w->nvcsw_start;
	w->ran_at_return = atomic_read(w->ran);
	kthread_complete_and_exit(&w->exited, 0);
}

/*
 * @w has gone to sleep inside its wait.  Seeing TASK_UNINTERRUPTIBLE is
 * not enough: the waiter may still be on its way to schedule(), and a
 * wakeup then would cost it no switch at all.  Its voluntary switch count
 * having moved since it announced the wait says it did switch out.
 */
static bool async_test_waiter_asleep(struct async_test_waiter *w)
{
	/* pairs with the release in async_test_waiter_fn() */
	return smp_load_acquire(&w->waiting) &&
	       READ_ONCE(w->task->__state) == TASK_UNINTERRUPTIBLE &&
	       READ_ONCE(w->task->nvcsw) != w->nvcsw_start;
}

static bool async_test_all_asleep(struct async_test_waiter *w, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		if (!async_test_waiter_asleep(&w[i]))
			return false;
	return true;
}

/* Everything the waiters of the wakeup case share with the test. */
struct async_test_herd {
	struct async_domain	domain;
	struct async_test_gate	gate;
	atomic_t		ran;
	async_cookie_t		cookie[ASYNC_TEST_ENTRIES];
	struct async_test_waiter w[ASYNC_TEST_WAITERS];
};

/*
 * 64 tasks wait for distinct cookies of a serial domain while its 1024
 * entries complete, one after the other.  Each task must be woken exactly
 * once, by the entry that satisfies it, and not before all the entries
 * below its cookie have run.
 *
 * Between the two reads of nvcsw a waiter only sleeps in the wait itself:
 * being preempted counts as involuntary, and nothing else wakes a kthread
 * that has not been told to stop.  The gate opens only once every waiter
 * is off the CPU, so each one switches out exactly once.  On PREEMPT_RT
 * the async lock is a sleeping lock, and contention on it may add
 * voluntary switches there.
 */
static void async_test_wakeups_exactly_once(struct kunit *test)
{
	struct async_test_herd *h;
	struct async_reservation res = { };
	struct async_stats st;
	struct async_test_waiter *w;
	int i, k, started, stuck;
	bool asleep;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	if (async_reserve(&res, ASYNC_TEST_ENTRIES)) {
		kfree(h);
		KUNIT_FAIL_AND_ABORT(test, "no memory for the reservation");
	}

	async_domain_init(&h->domain, "async_test_wakeups", 1);
	async_test_gate_init(&h->gate);
	h->cookie[0] = async_schedule_reserved(async_test_gate_fn, &h->gate,
					       &h->domain, &res);
	for (i = 1; i < ASYNC_TEST_ENTRIES; i++)
		h->cookie[i] = async_schedule_reserved(async_test_count_fn,
						       &h->ran, &h->domain,
						       &res);

	for (started = 0; started < ASYNC_TEST_WAITERS; started++) {
		w = &h->w[started];
		k = started * ASYNC_TEST_ENTRIES / ASYNC_TEST_WAITERS;
		w->domain = &h->domain;
		w->cookie = h->cookie[k] + 1;
		w->ran = &h->ran;
		init_completion(&w->exited);
		w->task = kthread_create(async_test_waiter_fn, w,
					 "async_test_w%d", started);
		if (IS_ERR(w->task))
			break;
		get_task_struct(w->task);
		wake_up_process(w->task);
	}
	KUNIT_EXPECT_EQ(test, started, ASYNC_TEST_WAITERS);

	asleep = async_test_poll(async_test_all_asleep(h->w, started));
	KUNIT_EXPECT_TRUE(test, asleep);

	complete_all(&h->gate.open);
	stuck = async_test_join(&h->w[0].exited, NULL, sizeof(h->w[0]),
				started);
	KUNIT_EXPECT_EQ(test, stuck, 0);
	/* before our own wait below, which may sleep and count a wakeup */
	st = async_test_stats(&h->domain);
	async_synchronize_full_domain(&h->domain);

	for (i = 0; i < started && !stuck; i++) {
		w = &h->w[i];
		k = i * ASYNC_TEST_ENTRIES / ASYNC_TEST_WAITERS;
		/* entries 1..k count; entry 0 is the gate */
		KUNIT_EXPECT_GE_MSG(test, w->ran_at_return, k,
				    "waiter %d returned before its cookie", i);
		if (IS_ENABLED(CONFIG_PREEMPT_RT))
			KUNIT_EXPECT_GE(test, w->nvcsw, 1);
		else
			KUNIT_EXPECT_EQ(test, w->nvcsw, 1);
	}
	for (i = 0; i < started; i++)
		put_task_struct(h->w[i].task);

	KUNIT_EXPECT_EQ(test, atomic_read(&h->ran), ASYNC_TEST_ENTRIES - 1);
	if (asleep)
		KUNIT_EXPECT_EQ(test, st.wakeups, started);
	KUNIT_EXPECT_EQ(test, st.spurious_wakeups, 0);
	KUNIT_EXPECT_FALSE(test, h->gate.timed_out);
	async_unreserve(&res);
	async_test_release(test, h, stuck);
}

#define ASYNC_TEST_SERIAL	1000

struct async_test_order {
	atomic_t		running;
	atomic_t		overlaps;
	unsigned int		nr;
	unsigned int		seq[ASYNC_TEST_SERIAL];
};

struct async_test_step {
	struct async_test_order	*order;
	unsigned int		index;
};

static void async_test_step_fn(void *data, async_cookie_t cookie)
{
	struct async_test_step *step = data;
	struct async_test_order *order = step->order;

	if (atomic_inc_return(&order->running) > 1)
		atomic_inc(&order->overlaps);
	/* Sleep now and then, so that a second runner would get to run. */
	if (step->index % 100 == 0)
		usleep_range(100, 200);
	order->seq[order->nr++] = step->index;
	atomic_dec(&order->running);
}

/* A serial domain runs its entries one at a time, in cookie order. */
static void async_test_serial_domain_runs_in_order(struct kunit *test)
{
	ASYNC_DOMAIN_SERIAL(async_test_serial);
	struct async_test_order *order;
	struct async_test_step *step;
	struct async_reservation res = { };
	unsigned int i;

	order = kunit_kzalloc(test, sizeof(*order), GFP_KERNEL);
	step = kunit_kcalloc(test, ASYNC_TEST_SERIAL, sizeof(*step),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, order);
	KUNIT_ASSERT_NOT_NULL(test, step);
	KUNIT_ASSERT_EQ(test, async_reserve(&res, ASYNC_TEST_SERIAL), 0);

	for (i = 0; i < ASYNC_TEST_SERIAL; i++) {
		step[i].order = order;
		step[i].index = i;
		async_schedule_reserved(async_test_step_fn, &step[i],
					&async_test_serial, &res);
	}
	async_synchronize_full_domain(&async_test_serial);

	KUNIT_EXPECT_EQ(test, atomic_read(&order->overlaps), 0);
	KUNIT_EXPECT_EQ(test, async_test_stats(&async_test_serial).peak_active,
			1);
	KUNIT_ASSERT_EQ(test, order->nr, ASYNC_TEST_SERIAL);
	for (i = 0; i < ASYNC_TEST_SERIAL && order->seq[i] == i; i++)
		;
	KUNIT_EXPECT_EQ_MSG(test, i, ASYNC_TEST_SERIAL,
			    "entry %u ran in place of entry %u",
			    order->seq[min(i, ASYNC_TEST_SERIAL - 1)], i);
	async_unreserve(&res);
}

#define ASYNC_TEST_DOMAINS	4
#define ASYNC_TEST_PER_DOMAIN	50

/*
 * Serial domains run side by side, each on one worker.  The first entry
 * of every domain is a gate, so that all the others are queued behind it
 * and must be batched by that domain's runner.  All gates being reached
 * at once shows the domains are concurrent; UML has a single CPU, so
 * parallelism in time cannot be shown there.
 */
static void async_test_serial_domains_one_worker_each(struct kunit *test)
{
	struct async_domain domain[ASYNC_TEST_DOMAINS];
	struct task_struct *task[ASYNC_TEST_DOMAINS];
	struct async_test_rec *rec;
	struct async_reservation res = { };
	struct async_test_gate gate;
	struct async_stats st;
	int d, i, j, distinct;

	rec = kunit_kcalloc(test, ASYNC_TEST_DOMAINS * ASYNC_TEST_PER_DOMAIN,
			    sizeof(*rec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_ASSERT_EQ(test, async_reserve(&res, ASYNC_TEST_DOMAINS *
					    (ASYNC_TEST_PER_DOMAIN + 1)), 0);
	async_test_gate_init(&gate);

	for (d = 0; d < ASYNC_TEST_DOMAINS; d++) {
		async_domain_init(&domain[d], "async_test_batch", 1);
		async_schedule_reserved(async_test_gate_fn, &gate, &domain[d],
					&res);
		for (i = 0; i < ASYNC_TEST_PER_DOMAIN; i++)
			async_schedule_reserved(async_test_record_fn,
						&rec[d * ASYNC_TEST_PER_DOMAIN + i],
						&domain[d], &res);
	}

	KUNIT_EXPECT_TRUE(test, async_test_poll(atomic_read(&gate.arrived) ==
						ASYNC_TEST_DOMAINS));
	complete_all(&gate.open);
	for (d = 0; d < ASYNC_TEST_DOMAINS; d++)
		async_synchronize_full_domain(&domain[d]);
	KUNIT_EXPECT_FALSE(test, gate.timed_out);

	for (d = 0; d < ASYNC_TEST_DOMAINS; d++) {
		struct async_test_rec *first = &rec[d * ASYNC_TEST_PER_DOMAIN];

		st = async_test_stats(&domain[d]);
		KUNIT_EXPECT_EQ(test, st.peak_active, 1);
		KUNIT_EXPECT_EQ(test, st.workers_started, 1);
		for (i = 0; i < ASYNC_TEST_PER_DOMAIN; i++)
			if (first[i].task != first->task)
				break;
		KUNIT_EXPECT_EQ_MSG(test, i, ASYNC_TEST_PER_DOMAIN,
				    "domain %d changed workers", d);
		task[d] = first->task;
	}

	distinct = 0;
	for (d = 0; d < ASYNC_TEST_DOMAINS; d++) {
		for (j = 0; j < d && task[j] != task[d]; j++)
			;
		if (j == d)
			distinct++;
	}
	KUNIT_EXPECT_EQ(test, distinct, ASYNC_TEST_DOMAINS);
	async_unreserve(&res);
}

struct async_test_nest {
	struct async_domain		*domain;
	struct async_reservation	*res;
	struct async_test_rec		outer;
	struct async_test_rec		inner;
	int				inner_ran_early;
};

static void async_test_nest_fn(void *data, async_cookie_t cookie)
{
	struct async_test_nest *nest = data;

	async_schedule_reserved(async_test_record_fn, &nest->inner,
				nest->domain, nest->res);
	/* Give a wrongly started second runner the chance to run it now. */
	msleep(20);
	nest->inner_ran_early = async_test_done(&nest->inner);
	async_test_record_fn(&nest->outer, cookie);
}

/*
 * An entry of a serial domain may schedule into its own domain: the new
 * entry waits for it and then runs on the same worker.
 */
static void async_test_reserved_from_own_serial_entry(struct kunit *test)
{
	ASYNC_DOMAIN_SERIAL(async_test_nested);
	struct async_reservation res = { };
	struct async_test_nest nest = {
		.domain	= &async_test_nested,
		.res	= &res,
	};

	KUNIT_ASSERT_EQ(test, async_reserve(&res, 2), 0);
	async_schedule_reserved(async_test_nest_fn, &nest, &async_test_nested,
				&res);
	async_synchronize_full_domain(&async_test_nested);

	KUNIT_EXPECT_TRUE(test, async_test_done(&nest.outer));
	KUNIT_EXPECT_TRUE(test, async_test_done(&nest.inner));
	KUNIT_EXPECT_FALSE(test, nest.inner_ran_early);
	KUNIT_EXPECT_PTR_EQ(test, nest.inner.task, nest.outer.task);
	KUNIT_EXPECT_TRUE(test, nest.inner.was_async);
	async_unreserve(&res);
}

/* An entry that notes whether it ran on async_reserved_wq. */
struct async_test_wq {
	bool	ran;
	bool	reserved;
};

static void async_test_wq_fn(void *data, async_cookie_t cookie)
{
	struct async_test_wq *w = data;

	w->reserved = async_current_reserved();
	w->ran = true;
}

/*
 * A domain with a limit queues ordinary and reserved entries on one list.
 * Each still runs on its own workqueue: a reserved entry never takes a
 * slot of async_wq, where it could wait for the ordinary calls queued
 * behind it, nor an ordinary one a slot of async_reserved_wq.  Here each
 * kind waits behind the other in a serial domain.
 */
static void async_test_limited_domain_keeps_wq(struct kunit *test)
{
	ASYNC_DOMAIN_SERIAL(async_test_mixed);
	struct async_test_wq ordinary = { }, reserved = { };
	struct async_reservation res = { };
	struct async_test_gate gate;
	unsigned int first;

	KUNIT_ASSERT_EQ(test, async_reserve(&res, 3), 0);
	for (first = 0; first < 2; first++) {
		async_test_gate_init(&gate);
		ordinary = (struct async_test_wq){ };
		reserved = (struct async_test_wq){ };
		/* The gate holds the runner of one kind... */
		if (first)
			async_schedule_reserved(async_test_gate_fn, &gate,
						&async_test_mixed, &res);
		else
			async_schedule_domain(async_test_gate_fn, &gate,
					      &async_test_mixed);
		/* ...while an entry of either kind queues behind it. */
		async_schedule_domain(async_test_wq_fn, &ordinary,
				      &async_test_mixed);
		async_schedule_reserved(async_test_wq_fn, &reserved,
					&async_test_mixed, &res);
		complete_all(&gate.open);
		async_synchronize_full_domain(&async_test_mixed);

		KUNIT_EXPECT_TRUE(test, ordinary.ran && reserved.ran);
		KUNIT_EXPECT_FALSE(test, ordinary.reserved);
		KUNIT_EXPECT_TRUE(test, reserved.reserved);
	}
	async_unreserve(&res);
}

#define ASYNC_TEST_CROSS_ROUNDS	20

/* A serial domain whose second entry schedules into another one. */
struct async_test_cross {
	struct async_domain	serial;
	struct async_domain	other;
	struct async_test_gate	gate;
	struct completion	other_ran;
	bool			ran_in_time;
};

static void async_test_cross_other_fn(void *data, async_cookie_t cookie)
{
	struct async_test_cross *x = data;

	complete(&x->other_ran);
}

/*
 * Runs right after the gate, in the same batch, so the entry that
 * started the batch has just finished.  An entry allocated now may land
 * where that one was.  Waits with a timeout, not with the async core,
 * so that a broken core fails the case instead of hanging it.
 */
static void async_test_cross_fn(void *data, async_cookie_t cookie)
{
	struct async_test_cross *x = data;

	async_schedule_domain(async_test_cross_other_fn, x, &x->other);
	x->ran_in_time = wait_for_completion_timeout(&x->other_ran, 5 * HZ);
}

/*
 * An entry of a batch schedules into an idle domain and waits for it:
 * that entry must run at once, on another worker.  When the runner's
 * first entry was freed as soon as it ran, the workqueue still took its
 * address for the running work item, and a new entry allocated there was
 * parked behind the whole batch: a deadlock when the batch waits for it.
 */
static void async_test_batch_waits_for_other_domain(struct kunit *test)
{
	struct async_test_cross *x;
	struct async_reservation res = { };
	int round;

	x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);

	for (round = 0; round < ASYNC_TEST_CROSS_ROUNDS; round++) {
		KUNIT_ASSERT_EQ(test, async_reserve(&res, 2), 0);
		async_domain_init(&x->serial, "async_test_batch", 1);
		async_domain_init(&x->other, "async_test_other", 0);
		async_test_gate_init(&x->gate);
		init_completion(&x->other_ran);

		async_schedule_reserved(async_test_gate_fn, &x->gate,
					&x->serial, &res);
		async_schedule_reserved(async_test_cross_fn, x, &x->serial,
					&res);
		KUNIT_EXPECT_TRUE(test, async_test_poll(atomic_read(&x->gate.arrived)));
		complete_all(&x->gate.open);
		async_synchronize_full_domain(&x->serial);
		async_synchronize_full_domain(&x->other);
		async_unreserve(&res);

		KUNIT_EXPECT_FALSE(test, x->gate.timed_out);
		KUNIT_EXPECT_TRUE_MSG(test, x->ran_in_time,
				      "round %d: the entry waited for the batch that waited for it",
				      round);
		if (!x->ran_in_time)
			break;
	}
}

#define ASYNC_TEST_FREED_ROUNDS		100
#define ASYNC_TEST_GLOBAL_WAITERS	64

/* A domain its waiter frees as soon as its wait returns. */
struct async_test_freed {
	struct async_domain	*domain;
	struct async_test_gate	*gate;
	struct task_struct	*waiter;
	bool			waiter_returned;
	struct completion	waiter_exited;
	struct completion	hammer_exited;
	struct task_struct	*global[ASYNC_TEST_GLOBAL_WAITERS];
	struct completion	global_exited[ASYNC_TEST_GLOBAL_WAITERS];
	atomic_t		global_started;
};

static int async_test_free_after_wait_fn(void *data)
{
	struct async_test_freed *f = data;

	async_synchronize_full_domain(f->domain);
	kfree(f->domain);
	WRITE_ONCE(f->waiter_returned, true);
	kthread_complete_and_exit(&f->waiter_exited, 0);
}

static int async_test_global_wait_fn(void *data)
{
	struct async_test_freed *f = data;
	int i = atomic_inc_return(&f->global_started) - 1;

	async_synchronize_full();
	kthread_complete_and_exit(&f->global_exited[i], 0);
}

/*
 * Start a thread that the test may look at until it puts it, on @cpu
 * unless that is negative.
 */
static struct task_struct *async_test_thread(int (*fn)(void *), void *data,
					     const char *name, int i, int cpu)
{
	struct task_struct *task = kthread_create(fn, data, "%s%d", name, i);

	if (IS_ERR(task))
		return NULL;
	if (cpu >= 0)
		kthread_bind(task, cpu);
	get_task_struct(task);
	wake_up_process(task);
	return task;
}

static bool async_test_sleeping(struct task_struct **tasks, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		if (READ_ONCE(tasks[i]->__state) != TASK_UNINTERRUPTIBLE)
			return false;
	return true;
}

/* Wakeups of the waiter before the gate opens, so that it is in full swing. */
#define ASYNC_TEST_HAMMER_LEAD	1000

/*
 * Wake the domain's waiter over and over, so that it keeps checking
 * whether its wait is over, open the gate while it does, and go on until
 * it is gone.  On a CPU of its own, or the waiter would mostly wait for
 * this thread to yield.
 */
static int async_test_hammer_fn(void *data)
{
	struct async_test_freed *f = data;
	unsigned long end = jiffies + ASYNC_TEST_TIMEOUT;
	unsigned int i = 0;

	while (!READ_ONCE(f->waiter_returned) && time_before(jiffies, end)) {
		wake_up_process(f->waiter);
		if (i++ == ASYNC_TEST_HAMMER_LEAD)
			complete_all(&f->gate->open);
		cond_resched();
	}
	complete_all(&f->gate->open);
	kthread_complete_and_exit(&f->hammer_exited, 0);
}

/*
 * Once all the waiters sleep, let the hammer loose on the domain's waiter
 * from another CPU than the waiter's.  Returns the threads stuck.
 */
static int async_test_race_free(struct kunit *test, struct async_test_freed *f,
				int waiter_cpu, int nr)
{
	int cpu = cpumask_next(waiter_cpu, cpu_online_mask);
	struct task_struct *hammer;
	int stuck;

	KUNIT_EXPECT_TRUE(test, async_test_poll(async_test_sleeping(f->global, nr) &&
						async_test_sleeping(&f->waiter, 1)));
	init_completion(&f->hammer_exited);
	hammer = async_test_thread(async_test_hammer_fn, f, "async_test_h", 0,
				   cpu < nr_cpu_ids ? cpu : -1);
	if (!hammer) {
		complete_all(&f->gate->open);
		complete_all(&f->hammer_exited);
	}
	stuck = async_test_join(&f->waiter_exited, NULL,
				sizeof(f->waiter_exited), 1);
	stuck += async_test_join(&f->hammer_exited, NULL,
				 sizeof(f->hammer_exited), 1);
	if (hammer)
		put_task_struct(hammer);
	return stuck;
}

/*
 * A waiter that sees its wait end may return at once and free its domain
 * (a registered one here, so that the completion also goes on to wake the
 * waiters of all registered domains).  The completion must not touch the
 * domain after it has told the waiter.  The waiter is woken over and over
 * meanwhile, so that it checks for the end of its wait while the
 * completion is still at work.  A completion that touches the freed
 * domain is caught by KASAN, which the guest runs this suite under.
 */
static void async_test_waiter_frees_domain(struct kunit *test)
{
	int waiter_cpu = cpumask_first(cpu_online_mask);
	struct async_test_freed *f;
	struct async_test_gate gate;
	struct async_reservation res = { };
	int round, i, nr, stuck = 0;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);

	for (round = 0; round < ASYNC_TEST_FREED_ROUNDS && !stuck; round++) {
		f->domain = kmalloc(sizeof(*f->domain), GFP_KERNEL);
		if (!f->domain || async_reserve(&res, 1)) {
			kfree(f->domain);
			KUNIT_FAIL(test, "out of memory");
			break;
		}
		async_domain_init(f->domain, "async_test_freed", 0);
		f->domain->registered = true;
		f->gate = &gate;
		atomic_set(&f->global_started, 0);
		f->waiter_returned = false;
		init_completion(&f->waiter_exited);
		async_test_gate_init(&gate);
		async_schedule_reserved(async_test_gate_fn, &gate, f->domain,
					&res);
		async_unreserve(&res);

		for (nr = 0; nr < ASYNC_TEST_GLOBAL_WAITERS; nr++) {
			init_completion(&f->global_exited[nr]);
			f->global[nr] = async_test_thread(async_test_global_wait_fn,
							  f, "async_test_g", nr, -1);
			if (!f->global[nr])
				break;
		}
		KUNIT_EXPECT_EQ(test, nr, ASYNC_TEST_GLOBAL_WAITERS);
		/* A domain's waiters are told before the global ones. */
		f->waiter = async_test_thread(async_test_free_after_wait_fn, f,
					      "async_test_free", round,
					      waiter_cpu);
		if (!f->waiter) {
			/* nobody frees the domain then */
			complete_all(&gate.open);
			async_synchronize_full();
			kfree(f->domain);
		} else {
			stuck = async_test_race_free(test, f, waiter_cpu, nr);
			put_task_struct(f->waiter);
		}
		stuck += async_test_join(&f->global_exited[0], NULL,
					 sizeof(f->global_exited[0]), nr);
		for (i = 0; i < nr; i++)
			put_task_struct(f->global[i]);
		KUNIT_EXPECT_FALSE(test, gate.timed_out);
		if (!f->waiter)
			KUNIT_FAIL(test, "no thread");
	}
	KUNIT_EXPECT_EQ(test, stuck, 0);
	async_test_release(test, f, stuck);
}

#define ASYNC_TEST_POOL		64

/*
 * With every allocation failing, reserved entries still run in a worker,
 * unreserved calls to a domain without a limit fall back to running
 * inline, and that is counted.
 */
static void async_test_reserved_survive_alloc_failure(struct kunit *test)
{
	ASYNC_DOMAIN_EXCLUSIVE(async_test_pool);
	ASYNC_DOMAIN_EXCLUSIVE(async_test_inline);
	struct async_reservation res = { }, none = { };
	struct async_test_rec *rec, inl = {};
	async_cookie_t cookie;
	unsigned long flags;
	int i;

	rec = kunit_kcalloc(test, ASYNC_TEST_POOL, sizeof(*rec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_ASSERT_EQ(test, async_reserve(&res, ASYNC_TEST_POOL), 0);

	async_test_fail_alloc(test, true);
	KUNIT_EXPECT_EQ(test, async_reserve(&none, 1), -ENOMEM);

	for (i = 0; i < ASYNC_TEST_POOL; i++) {
		/* half of them from atomic context */
		if (i % 2)
			flags = async_test_atomic_begin();
		cookie = async_schedule_reserved(async_test_record_fn, &rec[i],
						 &async_test_pool, &res);
		if (i % 2)
			async_test_atomic_end(flags);
		KUNIT_EXPECT_NE(test, cookie, 0);
	}
	async_synchronize_full_domain(&async_test_pool);
	KUNIT_EXPECT_EQ(test, async_test_stats(&async_test_pool).inline_fallbacks,
			0);
	KUNIT_EXPECT_EQ(test, async_test_stats(&async_test_pool).scheduled,
			ASYNC_TEST_POOL);

	KUNIT_EXPECT_NE(test, async_schedule_domain(async_test_record_fn, &inl,
						    &async_test_inline), 0);
	KUNIT_EXPECT_EQ(test, async_test_stats(&async_test_inline).inline_fallbacks,
			1);
	async_test_fail_alloc(test, false);

	for (i = 0; i < ASYNC_TEST_POOL; i++) {
		KUNIT_EXPECT_TRUE(test, async_test_done(&rec[i]));
		KUNIT_EXPECT_TRUE(test, rec[i].was_async);
		KUNIT_EXPECT_PTR_NE(test, rec[i].task, current);
	}
	KUNIT_EXPECT_TRUE(test, async_test_done(&inl));
	KUNIT_EXPECT_FALSE(test, inl.was_async);
	KUNIT_EXPECT_PTR_EQ(test, inl.task, current);
	async_unreserve(&res);
}

/*
 * A domain with a limit never runs a call in its caller, where it would
 * overlap the running entry and overtake the queued ones: without an
 * entry, the call is refused and counted.  The limit-free domain next to
 * it keeps the old contract.
 */
static void async_test_limited_domain_refuses_inline(struct kunit *test)
{
	ASYNC_DOMAIN_SERIAL(async_test_serial);
	ASYNC_DOMAIN_EXCLUSIVE(async_test_unlimited);
	struct async_test_rec serial = {}, limited = {}, later = {}, inl = {};
	struct async_domain pair;
	struct async_reservation res = { };
	struct async_test_gate gate;
	struct async_stats st;

	async_domain_init(&pair, "async_test_pair", 2);
	KUNIT_ASSERT_EQ(test, async_reserve(&res, 1), 0);
	async_test_gate_init(&gate);
	async_schedule_reserved(async_test_gate_fn, &gate, &async_test_serial,
				&res);

	async_test_fail_alloc(test, true);
	KUNIT_EXPECT_EQ(test, async_schedule_domain(async_test_record_fn,
						    &serial, &async_test_serial),
			0);
	KUNIT_EXPECT_EQ(test, async_schedule_domain(async_test_record_fn,
						    &limited, &pair), 0);
	KUNIT_EXPECT_NE(test, async_schedule_domain(async_test_record_fn,
						    &inl, &async_test_unlimited),
			0);
	async_test_fail_alloc(test, false);

	KUNIT_EXPECT_NE(test, async_schedule_domain(async_test_record_fn,
						    &later, &async_test_serial),
			0);
	complete_all(&gate.open);
	async_synchronize_full_domain(&async_test_serial);
	async_synchronize_full_domain(&pair);

	KUNIT_EXPECT_FALSE(test, async_test_done(&serial));
	KUNIT_EXPECT_FALSE(test, async_test_done(&limited));
	KUNIT_EXPECT_TRUE(test, async_test_done(&later));
	KUNIT_EXPECT_TRUE(test, later.was_async);
	st = async_test_stats(&async_test_serial);
	KUNIT_EXPECT_EQ(test, st.refused, 1);
	KUNIT_EXPECT_EQ(test, st.inline_fallbacks, 0);
	KUNIT_EXPECT_EQ(test, st.scheduled, 2);
	KUNIT_EXPECT_EQ(test, async_test_stats(&pair).refused, 1);
	st = async_test_stats(&async_test_unlimited);
	KUNIT_EXPECT_EQ(test, st.refused, 0);
	KUNIT_EXPECT_EQ(test, st.inline_fallbacks, 1);
	KUNIT_EXPECT_TRUE(test, async_test_done(&inl));
	KUNIT_EXPECT_FALSE(test, inl.was_async);
	KUNIT_EXPECT_PTR_EQ(test, inl.task, current);
	KUNIT_EXPECT_FALSE(test, gate.timed_out);
	async_unreserve(&res);
}

static void async_test_dev_fn(void *data, async_cookie_t cookie)
{
	atomic_inc(dev_get_drvdata(data));
}

/* async_schedule_dev_nocall() gives up instead of running inline. */
static void async_test_nocall_gives_up(struct kunit *test)
{
	struct device *dev = kunit_device_register(test, "async_test_dev");
	atomic_t ran = ATOMIC_INIT(0);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	dev_set_drvdata(dev, &ran);

	async_test_fail_alloc(test, true);
	KUNIT_EXPECT_FALSE(test, async_schedule_dev_nocall(async_test_dev_fn,
							   dev));
	async_test_fail_alloc(test, false);
	KUNIT_EXPECT_EQ(test, atomic_read(&ran), 0);

	KUNIT_EXPECT_TRUE(test, async_schedule_dev_nocall(async_test_dev_fn,
							  dev));
	async_synchronize_full();
	KUNIT_EXPECT_EQ(test, atomic_read(&ran), 1);
}

#define ASYNC_TEST_MAX_WORK	32768
#define ASYNC_TEST_MANY		(ASYNC_TEST_MAX_WORK + 64)

/*
 * More reserved entries than the MAX_WORK cap may be pending at once; the
 * cap still applies to unreserved calls, which then run inline, or are
 * refused by a domain with a limit.
 */
static void async_test_reserved_ignore_max_work(struct kunit *test)
{
	ASYNC_DOMAIN_SERIAL(async_test_many);
	ASYNC_DOMAIN_EXCLUSIVE(async_test_other);
	struct async_test_rec inl = {}, refused = {};
	struct async_reservation res = { };
	struct async_test_gate gate;
	atomic_t ran = ATOMIC_INIT(0);
	int i;

	KUNIT_ASSERT_EQ(test, async_reserve(&res, ASYNC_TEST_MANY), 0);
	async_test_gate_init(&gate);

	async_schedule_reserved(async_test_gate_fn, &gate, &async_test_many,
				&res);
	for (i = 1; i < ASYNC_TEST_MANY; i++)
		async_schedule_reserved(async_test_count_fn, &ran,
					&async_test_many, &res);
	KUNIT_EXPECT_EQ(test, atomic_read(&ran), 0);
	KUNIT_EXPECT_EQ(test, async_test_stats(&async_test_many).scheduled,
			ASYNC_TEST_MANY);

	async_schedule_domain(async_test_record_fn, &inl, &async_test_other);
	KUNIT_EXPECT_PTR_EQ(test, inl.task, current);
	KUNIT_EXPECT_EQ(test, async_test_stats(&async_test_other).inline_fallbacks,
			1);
	KUNIT_EXPECT_EQ(test, async_schedule_domain(async_test_record_fn,
						    &refused, &async_test_many),
			0);

	complete_all(&gate.open);
	async_synchronize_full_domain(&async_test_many);
	KUNIT_EXPECT_EQ(test, atomic_read(&ran), ASYNC_TEST_MANY - 1);
	KUNIT_EXPECT_FALSE(test, async_test_done(&refused));
	KUNIT_EXPECT_EQ(test, async_test_stats(&async_test_many).refused, 1);
	KUNIT_EXPECT_EQ(test, async_test_stats(&async_test_many).inline_fallbacks,
			0);
	KUNIT_EXPECT_FALSE(test, gate.timed_out);
	async_unreserve(&res);
}

/*
 * Misuse of a reservation warns and is refused, and leaves the core in a
 * state where reservations keep working.
 */
static void async_test_reservation_misuse_refused(struct kunit *test)
{
	ASYNC_DOMAIN_EXCLUSIVE(async_test_misuse);
	struct async_reservation res = { }, unfilled = { };
	atomic_t ran = ATOMIC_INIT(0);

	KUNIT_ASSERT_EQ(test, async_reserve(&res, 2), 0);
	KUNIT_EXPECT_NE(test, async_schedule_reserved(async_test_count_fn, &ran,
						      &async_test_misuse, &res), 0);
	KUNIT_EXPECT_NE(test, async_schedule_reserved(async_test_count_fn, &ran,
						      &async_test_misuse, &res), 0);
	kunit_info(test, "expected warning: async: no reserved entry left for %ps\n",
		   async_test_count_fn);
	KUNIT_EXPECT_EQ(test, async_schedule_reserved(async_test_count_fn, &ran,
						      &async_test_misuse, &res), 0);
	async_synchronize_full_domain(&async_test_misuse);
	KUNIT_EXPECT_EQ(test, atomic_read(&ran), 2);

	async_unreserve(&res);
	kunit_info(test, "expected warning: async: reservation released twice or never filled\n");
	async_unreserve(&res);
	KUNIT_EXPECT_EQ(test, async_schedule_reserved(async_test_count_fn, &ran,
						      &async_test_misuse, &res), 0);
	KUNIT_EXPECT_EQ(test, async_schedule_reserved(async_test_count_fn, &ran,
						      &async_test_misuse,
						      &unfilled), 0);

	KUNIT_ASSERT_EQ(test, async_reserve(&res, 1), 0);
	KUNIT_EXPECT_NE(test, async_schedule_reserved(async_test_count_fn, &ran,
						      &async_test_misuse, &res), 0);
	async_synchronize_full_domain(&async_test_misuse);
	KUNIT_EXPECT_EQ(test, atomic_read(&ran), 3);
	async_unreserve(&res);
}

/* An entry that waits for its own domain, which includes itself. */
struct async_test_self {
	struct async_domain	*domain;	/* %NULL: all registered */
	struct async_test_rec	before;
	struct async_test_rec	after;
	bool			before_done;	/* when the wait returned */
	bool			after_done;
	struct completion	returned;
};

static void async_test_self_wait_fn(void *data, async_cookie_t cookie)
{
	struct async_test_self *s = data;

	async_synchronize_full_domain(s->domain);
	s->before_done = async_test_done(&s->before);
	s->after_done = async_test_done(&s->after);
	complete(&s->returned);
}

/*
 * Waiting for your own serial domain from inside it can never end.  It
 * is caught: the wait covers the entries before the caller only, and
 * warns once.  A global wait from a registered domain is caught the same
 * way.
 */
static void async_test_self_wait_caught(struct kunit *test)
{
	static ASYNC_DOMAIN_SERIAL(async_test_self_serial);
	struct async_domain *domains[] = {
		&async_test_self_serial, &async_test_registered,
	};
	struct async_reservation res = { };
	struct async_test_self *s;
	int i, stuck = 0;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	kunit_info(test, "expected warning: async: %ps waits for %s, its own domain, which cannot finish before it returns\n",
		   async_test_self_wait_fn, domains[0]->name);
	for (i = 0; i < ARRAY_SIZE(domains) && !stuck; i++) {
		KUNIT_ASSERT_EQ(test, async_reserve(&res, 3), 0);
		memset(s, 0, sizeof(*s));
		init_completion(&s->returned);
		/* the serial domain waits for itself, the other for all */
		s->domain = i ? NULL : domains[i];
		s->before.delay_ms = 20;
		async_schedule_reserved(async_test_record_fn, &s->before,
					domains[i], &res);
		async_schedule_reserved(async_test_self_wait_fn, s, domains[i],
					&res);
		async_schedule_reserved(async_test_record_fn, &s->after,
					domains[i], &res);
		stuck = !wait_for_completion_timeout(&s->returned,
						     ASYNC_TEST_TIMEOUT);
		KUNIT_EXPECT_FALSE_MSG(test, stuck, "%s: the wait never returned",
				       domains[i]->name);
		if (stuck)
			break;
		async_synchronize_full_domain(domains[i]);
		async_unreserve(&res);
		KUNIT_EXPECT_TRUE(test, s->before_done);
		/* the serial domain runs it only after the waiter returned */
		if (!i)
			KUNIT_EXPECT_FALSE(test, s->after_done);
		KUNIT_EXPECT_TRUE(test, async_test_done(&s->after));
	}
	async_test_release(test, s, stuck);
}

#define ASYNC_TEST_THREADS	4

/* A thread of the stress cases, and what it found. */
struct async_test_stresser {
	struct async_reservation	*res;
	struct async_domain		*shared;
	atomic_t			*ran;
	unsigned int			errors;
	unsigned int			loops;	/* done so far */
	struct completion		exited;
};

/* Run @fn on ASYNC_TEST_THREADS threads; returns the ones stuck. */
static int async_test_stress(struct kunit *test, struct async_test_stresser *s,
			     int (*fn)(void *), const char *name)
{
	struct task_struct *task;
	int i, started = 0, stuck;

	for (i = 0; i < ASYNC_TEST_THREADS; i++) {
		init_completion(&s[i].exited);
		task = kthread_run(fn, &s[i], "%s%d", name, i);
		if (IS_ERR(task))
			break;
		started++;
	}
	KUNIT_EXPECT_EQ(test, started, ASYNC_TEST_THREADS);
	stuck = async_test_join(&s[0].exited, &s[0].loops, sizeof(s[0]),
				started);
	KUNIT_EXPECT_EQ(test, stuck, 0);
	for (i = 0; i < started && !stuck; i++)
		KUNIT_EXPECT_EQ_MSG(test, s[i].errors, 0, "thread %d", i);
	return stuck;
}

#define ASYNC_TEST_STRESS_LOOPS	200

static ASYNC_DOMAIN_SERIAL(async_test_shared);

static int async_test_mixed_fn(void *data)
{
	ASYNC_DOMAIN_EXCLUSIVE(async_test_own);
	struct async_test_stresser *s = data;
	async_cookie_t own, dfl;
	int i;

	for (i = 0; i < ASYNC_TEST_STRESS_LOOPS; i++) {
		own = async_schedule_domain(async_test_count_fn, s->ran,
					    &async_test_own);
		dfl = async_schedule(async_test_count_fn, s->ran);
		async_schedule_reserved(async_test_count_fn, s->ran,
					&async_test_shared, s->res);
		async_synchronize_cookie_domain(own + 1, &async_test_own);
		async_synchronize_cookie(dfl + 1);
		if (i % 16 == 0)
			async_synchronize_full();
		if (i % 16 == 8)
			async_synchronize_full_domain(&async_test_shared);
		WRITE_ONCE(s->loops, i + 1);
	}
	async_synchronize_full_domain(&async_test_own);
	kthread_complete_and_exit(&s->exited, 0);
}

/* Several tasks schedule and wait at the same time, on shared domains. */
static void async_test_stress_schedule_and_wait(struct kunit *test)
{
	struct async_test_stresser *s;
	struct async_reservation *res;
	atomic_t *ran;
	int i, stuck;

	/* Not on the stack: a thread that is stuck may still use them. */
	s = kcalloc(ASYNC_TEST_THREADS, sizeof(*s), GFP_KERNEL);
	ran = kzalloc(sizeof(*ran), GFP_KERNEL);
	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!s || !ran || !res ||
	    async_reserve(res, ASYNC_TEST_THREADS * ASYNC_TEST_STRESS_LOOPS)) {
		kfree(s);
		kfree(ran);
		kfree(res);
		KUNIT_FAIL_AND_ABORT(test, "out of memory");
	}
	for (i = 0; i < ASYNC_TEST_THREADS; i++) {
		s[i].ran = ran;
		s[i].res = res;
	}
	stuck = async_test_stress(test, s, async_test_mixed_fn, "async_test_s");
	if (stuck) {
		async_test_release(test, s, stuck);
		async_test_release(test, ran, stuck);
		async_test_release(test, res, stuck);
		return;
	}
	async_synchronize_full_domain(&async_test_shared);
	async_synchronize_full();
	KUNIT_EXPECT_EQ(test, atomic_read(ran),
			ASYNC_TEST_THREADS * ASYNC_TEST_STRESS_LOOPS * 3);
	async_unreserve(res);
	kfree(res);
	kfree(ran);
	kfree(s);
}

/*
 * A domain on the stack of each loop, gone as soon as the loop moves on:
 * a completion that still touched it would write into the next frame.
 * Each entry waits for the one before it with a cookie wait, so that
 * waiters arrive while the entry they wait for is completing.
 */
static int async_test_stack_domains_fn(void *data)
{
	struct async_test_stresser *s = data;
	struct async_test_rec rec[2];
	async_cookie_t cookie;
	int i, j;

	for (i = 0; i < ASYNC_TEST_STRESS_LOOPS; i++) {
		struct async_domain domain;

		async_domain_init(&domain, "async_test_stack", i % 2);
		memset(rec, 0, sizeof(rec));
		for (j = 0; j < ARRAY_SIZE(rec); j++) {
			cookie = async_schedule_domain(async_test_record_fn,
						       &rec[j], &domain);
			/* arrive while the entry may be completing */
			async_synchronize_cookie_domain(cookie + 1, &domain);
			if (!async_test_done(&rec[j]))
				s->errors++;
		}
		if (i % 3 == 0)
			async_synchronize_full_domain(&domain);
		WRITE_ONCE(s->loops, i + 1);
	}
	kthread_complete_and_exit(&s->exited, 0);
}

static void async_test_stress_stack_domains(struct kunit *test)
{
	struct async_test_stresser *s;

	s = kcalloc(ASYNC_TEST_THREADS, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	async_test_release(test, s,
			   async_test_stress(test, s, async_test_stack_domains_fn,
					     "async_test_k"));
}

#define ASYNC_TEST_RESERVED_EACH	500

/*
 * One reservation, used from several CPUs at once, half of the calls with
 * interrupts off: each entry is taken once and every call runs.
 */
static int async_test_shared_res_fn(void *data)
{
	struct async_test_stresser *s = data;
	unsigned long flags;
	async_cookie_t cookie;
	int i;

	for (i = 0; i < ASYNC_TEST_RESERVED_EACH; i++) {
		if (i % 2)
			flags = async_test_atomic_begin();
		cookie = async_schedule_reserved(async_test_count_fn, s->ran,
						 s->shared, s->res);
		if (i % 2)
			async_test_atomic_end(flags);
		if (!cookie)
			s->errors++;
		WRITE_ONCE(s->loops, i + 1);
	}
	kthread_complete_and_exit(&s->exited, 0);
}

static void async_test_stress_shared_reservation(struct kunit *test)
{
	struct async_test_stresser *s;
	struct async_reservation *res;
	struct async_domain *domain;
	atomic_t *ran;
	int i, stuck;

	/* Not on the stack: a thread that is stuck may still use them. */
	s = kcalloc(ASYNC_TEST_THREADS, sizeof(*s), GFP_KERNEL);
	ran = kzalloc(sizeof(*ran), GFP_KERNEL);
	domain = kzalloc(sizeof(*domain), GFP_KERNEL);
	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!s || !ran || !domain || !res ||
	    async_reserve(res, ASYNC_TEST_THREADS * ASYNC_TEST_RESERVED_EACH)) {
		kfree(s);
		kfree(ran);
		kfree(domain);
		kfree(res);
		KUNIT_FAIL_AND_ABORT(test, "out of memory");
	}
	async_domain_init(domain, "async_test_shared_res", 0);
	for (i = 0; i < ASYNC_TEST_THREADS; i++) {
		s[i].ran = ran;
		s[i].res = res;
		s[i].shared = domain;
	}
	stuck = async_test_stress(test, s, async_test_shared_res_fn,
				  "async_test_r");
	if (stuck) {
		async_test_release(test, s, stuck);
		async_test_release(test, ran, stuck);
		async_test_release(test, domain, stuck);
		async_test_release(test, res, stuck);
		return;
	}
	async_synchronize_full_domain(domain);
	KUNIT_EXPECT_EQ(test, atomic_read(ran),
			ASYNC_TEST_THREADS * ASYNC_TEST_RESERVED_EACH);
	KUNIT_EXPECT_EQ(test, async_test_stats(domain).scheduled,
			ASYNC_TEST_THREADS * ASYNC_TEST_RESERVED_EACH);
	KUNIT_EXPECT_EQ(test, async_test_stats(domain).inline_fallbacks, 0);
	async_unreserve(res);
	kfree(res);
	kfree(domain);
	kfree(ran);
	kfree(s);
}

#define ASYNC_TEST_IRQ_SHOTS	200
#define ASYNC_TEST_IRQ_PERIOD_NS	(200 * NSEC_PER_USEC)

/* A timer that schedules from interrupt context, and what it did. */
struct async_test_irq {
	struct hrtimer			timer;
	struct async_reservation	res;
	struct async_domain		serial;
	struct async_domain		unlimited;
	struct async_test_order		order;
	struct async_test_step		step[ASYNC_TEST_IRQ_SHOTS];
	atomic_t			ran;
	unsigned int			shots;
	unsigned int			refused;
	bool				in_hardirq;
};

static enum hrtimer_restart async_test_irq_fn(struct hrtimer *timer)
{
	struct async_test_irq *x = container_of(timer, struct async_test_irq,
						timer);
	struct async_test_step *step = &x->step[x->shots];

	x->in_hardirq |= in_hardirq();
	step->order = &x->order;
	step->index = x->shots;
	if (!async_schedule_reserved(async_test_step_fn, step, &x->serial,
				     &x->res))
		x->refused++;
	async_schedule_domain(async_test_count_fn, &x->ran, &x->unlimited);
	if (++x->shots == ASYNC_TEST_IRQ_SHOTS)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ns_to_ktime(ASYNC_TEST_IRQ_PERIOD_NS));
	return HRTIMER_RESTART;
}

/*
 * A timer schedules entries from interrupt context, into a serial domain
 * against a reservation and into a domain without a limit, while this
 * task waits for both domains over and over.  Every entry runs, the
 * serial ones in order and one at a time.  On PREEMPT_RT, hard interrupt
 * context may not take the async core's spinlock_t, as in 6.12, so the
 * timer runs in soft interrupt context there.
 */
static void async_test_schedule_from_irq(struct kunit *test)
{
	enum hrtimer_mode mode = IS_ENABLED(CONFIG_PREEMPT_RT) ?
				 HRTIMER_MODE_REL_SOFT : HRTIMER_MODE_REL_HARD;
	unsigned long end = jiffies + ASYNC_TEST_TIMEOUT;
	struct async_test_irq *x;
	unsigned int i, waits = 0;

	x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_ASSERT_EQ(test, async_reserve(&x->res, ASYNC_TEST_IRQ_SHOTS), 0);
	async_domain_init(&x->serial, "async_test_irq_serial", 1);
	async_domain_init(&x->unlimited, "async_test_irq", 0);

	hrtimer_init(&x->timer, CLOCK_MONOTONIC, mode);
	x->timer.function = async_test_irq_fn;
	hrtimer_start(&x->timer, ns_to_ktime(ASYNC_TEST_IRQ_PERIOD_NS), mode);
	while (READ_ONCE(x->shots) < ASYNC_TEST_IRQ_SHOTS &&
	       time_before(jiffies, end)) {
		async_synchronize_full_domain(&x->serial);
		async_synchronize_full_domain(&x->unlimited);
		waits++;
	}
	hrtimer_cancel(&x->timer);
	async_synchronize_full_domain(&x->serial);
	async_synchronize_full_domain(&x->unlimited);
	async_unreserve(&x->res);

	kunit_info(test, "%u waits while the timer scheduled\n", waits);
	KUNIT_EXPECT_EQ(test, x->shots, ASYNC_TEST_IRQ_SHOTS);
	KUNIT_EXPECT_EQ(test, x->refused, 0);
	KUNIT_EXPECT_EQ(test, x->in_hardirq, !IS_ENABLED(CONFIG_PREEMPT_RT));
	KUNIT_EXPECT_EQ(test, atomic_read(&x->ran), x->shots);
	KUNIT_EXPECT_EQ(test, atomic_read(&x->order.overlaps), 0);
	KUNIT_ASSERT_EQ(test, x->order.nr, x->shots);
	for (i = 0; i < x->order.nr && x->order.seq[i] == i; i++)
		;
	KUNIT_EXPECT_EQ(test, i, x->order.nr);
}

/* A timer that lands on the test's own task, and what its call got. */
struct async_test_irq_stub {
	struct hrtimer			timer;
	struct async_domain		serial;
	atomic_t			ran;
	async_cookie_t			cookie;
	int				fired;
};

static enum hrtimer_restart async_test_irq_stub_fn(struct hrtimer *timer)
{
	struct async_test_irq_stub *x =
		container_of(timer, struct async_test_irq_stub, timer);

	x->cookie = async_schedule_domain(async_test_count_fn, &x->ran,
					  &x->serial);
	/* publish ->cookie before ->fired */
	smp_store_release(&x->fired, 1);
	return HRTIMER_NORESTART;
}

/*
 * The static stubs of a test apply to its task only.  An interrupt that
 * lands on that task runs someone else's code: a call it schedules gets
 * a real entry, even while the test makes its own allocations fail.  The
 * test spins with preemption off, so that the timer's hard interrupt
 * lands on it.
 */
static void async_test_stub_not_in_irq(struct kunit *test)
{
	u64 end = ktime_get_ns() + 10 * NSEC_PER_SEC;
	struct async_test_irq_stub *x;

	/* Where hard interrupt context may not take the async core's lock. */
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		kunit_skip(test, "no async call from hard interrupt context");

	x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	async_domain_init(&x->serial, "async_test_irq_stub", 1);
	hrtimer_init(&x->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	x->timer.function = async_test_irq_stub_fn;

	async_test_fail_alloc(test, true);
	preempt_disable();
	hrtimer_start(&x->timer, ns_to_ktime(NSEC_PER_USEC),
		      HRTIMER_MODE_REL_PINNED_HARD);
	/* pairs with the release in async_test_irq_stub_fn() */
	while (!smp_load_acquire(&x->fired) && ktime_get_ns() < end)
		cpu_relax();
	preempt_enable();
	async_test_fail_alloc(test, false);
	hrtimer_cancel(&x->timer);

	KUNIT_ASSERT_TRUE(test, x->fired);
	KUNIT_EXPECT_NE(test, x->cookie, 0);
	async_synchronize_full_domain(&x->serial);
	KUNIT_EXPECT_EQ(test, atomic_read(&x->ran), 1);
}

static ASYNC_DOMAIN_EXCLUSIVE(async_test_listed);

/*
 * A built-in domain is on the list that debugfs walks from its first call
 * on.  Setting it up again while idle leaves it there once, and the walk
 * still ends; while it has a call pending, that is refused, with a
 * warning, and the domain is left as it is.
 */
static void async_test_reinit_listed_domain(struct kunit *test)
{
	struct async_reservation res = { };
	struct async_test_gate gate;
	atomic_t ran = ATOMIC_INIT(0);

	async_schedule_domain(async_test_count_fn, &ran, &async_test_listed);
	async_synchronize_full_domain(&async_test_listed);
	if (!async_static_domain_count(&async_test_listed))
		kunit_skip(test, "not built in: debugfs does not list the domain");
	KUNIT_ASSERT_EQ(test, async_static_domain_count(&async_test_listed), 1);

	async_domain_init(&async_test_listed, "async_test_listed", 0);
	KUNIT_ASSERT_EQ(test, async_static_domain_count(&async_test_listed), 1);
	async_schedule_domain(async_test_count_fn, &ran, &async_test_listed);
	async_synchronize_full_domain(&async_test_listed);
	KUNIT_EXPECT_EQ(test, atomic_read(&ran), 2);
	KUNIT_EXPECT_EQ(test, async_static_domain_count(&async_test_listed), 1);

	KUNIT_ASSERT_EQ(test, async_reserve(&res, 1), 0);
	async_test_gate_init(&gate);
	async_schedule_reserved(async_test_gate_fn, &gate, &async_test_listed,
				&res);
	kunit_info(test, "expected warning: async: async_test_listed is in use, not set up again as async_test_renamed\n");
	async_domain_init(&async_test_listed, "async_test_renamed", 1);
	KUNIT_EXPECT_STREQ(test, async_test_listed.name, "async_test_listed");
	KUNIT_EXPECT_EQ(test, async_test_listed.max_active, 0);
	KUNIT_EXPECT_EQ(test, async_static_domain_count(&async_test_listed), 1);
	complete_all(&gate.open);
	async_synchronize_full_domain(&async_test_listed);
	KUNIT_EXPECT_EQ(test, atomic_read(&gate.passed), 1);
	KUNIT_EXPECT_FALSE(test, gate.timed_out);
	/* set up again while idle, it counts from there: two calls since */
	KUNIT_EXPECT_EQ(test, async_test_stats(&async_test_listed).scheduled, 2);
	async_unreserve(&res);
}

/*
 * Filling a reservation that still holds entries would lose them: it is
 * refused, with a warning, and the reservation keeps what it had.
 */
static void async_test_reserve_active_refused(struct kunit *test)
{
	ASYNC_DOMAIN_EXCLUSIVE(async_test_refill);
	struct async_reservation res = { };
	atomic_t ran = ATOMIC_INIT(0);

	KUNIT_ASSERT_EQ(test, async_reserve(&res, 2), 0);
	kunit_info(test, "expected warning: async: reservation filled again while it holds entries\n");
	KUNIT_EXPECT_EQ(test, async_reserve(&res, 1), -EBUSY);
	KUNIT_EXPECT_NE(test, async_schedule_reserved(async_test_count_fn, &ran,
						      &async_test_refill, &res), 0);
	KUNIT_EXPECT_NE(test, async_schedule_reserved(async_test_count_fn, &ran,
						      &async_test_refill, &res), 0);
	async_synchronize_full_domain(&async_test_refill);
	KUNIT_EXPECT_EQ(test, atomic_read(&ran), 2);
	async_unreserve(&res);
}

/*
 * A reservation's storage is zeroed before its first use, so that
 * async_reserve() can tell one that holds entries from a new one without
 * reading garbage.  Storage that was not is refused, with a warning.
 */
static void async_test_reserve_not_zeroed(struct kunit *test)
{
	struct async_reservation res;

	memset(&res, 0xa5, sizeof(res));
	kunit_info(test, "expected warning: async: reservation not zeroed before its first use\n");
	KUNIT_EXPECT_EQ(test, async_reserve(&res, 1), -EINVAL);
	memset(&res, 0, sizeof(res));
	KUNIT_ASSERT_EQ(test, async_reserve(&res, 1), 0);
	async_unreserve(&res);
	/* Unreserved, it may be filled again. */
	KUNIT_ASSERT_EQ(test, async_reserve(&res, 1), 0);
	async_unreserve(&res);
}

static int async_test_full_sync_fn(void *data)
{
	async_synchronize_full();
	kthread_complete_and_exit(data, 0);
}

/*
 * Flip ->registered of @d to @registered while an entry of it is pending,
 * let the entry finish, and check that the full sync still returns.
 */
static void async_test_flip_one(struct kunit *test, struct async_domain *d,
				bool registered)
{
	struct async_reservation res = { };
	struct async_test_gate gate;
	struct task_struct *full;
	struct completion *exited;

	KUNIT_ASSERT_EQ(test, async_reserve(&res, 1), 0);
	async_test_gate_init(&gate);
	async_schedule_reserved(async_test_gate_fn, &gate, d, &res);
	KUNIT_ASSERT_TRUE(test, async_test_poll(atomic_read(&gate.arrived)));
	d->registered = registered;
	complete_all(&gate.open);
	async_synchronize_full_domain(d);
	d->registered = false;

	/* The full sync must not wait for an entry that is gone. */
	exited = kmalloc(sizeof(*exited), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, exited);
	init_completion(exited);
	full = kthread_run(async_test_full_sync_fn, exited, "async_test_full");
	KUNIT_ASSERT_FALSE(test, IS_ERR(full));
	if (wait_for_completion_timeout(exited, ASYNC_TEST_TIMEOUT))
		kfree(exited);
	else
		KUNIT_FAIL(test, "async_synchronize_full() hangs: leaking its completion");
	KUNIT_EXPECT_FALSE(test, gate.timed_out);
	async_unreserve(&res);
}

/*
 * A domain's ->registered may change while it has calls pending, as
 * 6.12 tolerated: each call stays in or out of the full sync as it was
 * scheduled, and finishes cleanly either way.
 */
static void async_test_registered_flip_while_pending(struct kunit *test)
{
	ASYNC_DOMAIN_EXCLUSIVE(async_test_flip_in);
	ASYNC_DOMAIN(async_test_flip_out);

	async_test_flip_one(test, &async_test_flip_out, false);
	async_test_flip_one(test, &async_test_flip_in, true);
}

/*
 * Long reservations give the CPU up as they go.  A thread that became
 * runnable before async_reserve() and async_unreserve() started must get
 * to run before they end, each of whose allocations and frees takes a
 * while.  On a kernel that preempts, or with another CPU, the thread runs
 * anyway, and the case proves nothing: it is skipped there.
 */
#define ASYNC_TEST_YIELD_ENTRIES	2000

static atomic_t async_test_yield_ran;
static int async_test_yield_steps;

static int async_test_yield_fn(void *data)
{
	atomic_set(&async_test_yield_ran, 1);
	return 0;
}

/*
 * One step of a long loop: note whether the thread ran yet, and dawdle,
 * busy, since sleeping would let the thread run.
 */
static void async_test_yield_step(void)
{
	u64 end = ktime_get_ns() + 200 * NSEC_PER_USEC;

	if (atomic_read(&async_test_yield_ran))
		return;
	async_test_yield_steps++;
	while (ktime_get_ns() < end)
		cpu_relax();
}

static struct async_entry *async_test_slow_alloc(gfp_t gfp)
{
	async_test_yield_step();
	/* an entry is smaller than this, and the core only kfree()s it */
	return kmalloc(256, gfp);
}

static void async_test_slow_free(struct async_entry *entry)
{
	async_test_yield_step();
	kfree(entry);
}

static void async_test_yield_run(struct kunit *test, bool reserve,
				 struct async_reservation *res)
{
	struct task_struct *t;

	atomic_set(&async_test_yield_ran, 0);
	async_test_yield_steps = 0;
	t = kthread_run(async_test_yield_fn, NULL, "async_test_yield");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	if (reserve)
		KUNIT_ASSERT_EQ(test, async_reserve(res,
						    ASYNC_TEST_YIELD_ENTRIES),
				0);
	else
		async_unreserve(res);
	KUNIT_EXPECT_LT_MSG(test, async_test_yield_steps,
			    ASYNC_TEST_YIELD_ENTRIES,
			    "%s did not let a runnable thread run",
			    reserve ? "async_reserve()" : "async_unreserve()");
	KUNIT_EXPECT_TRUE(test, async_test_poll(atomic_read(&async_test_yield_ran)));
}

static void async_test_reserve_yields(struct kunit *test)
{
	struct async_reservation res = { };

	if (IS_ENABLED(CONFIG_PREEMPTION) || num_online_cpus() > 1)
		kunit_skip(test, "a runnable thread runs anyway here");

	kunit_activate_static_stub(test, async_alloc_entry,
				   async_test_slow_alloc);
	kunit_activate_static_stub(test, async_free_entry,
				   async_test_slow_free);
	async_test_yield_run(test, true, &res);
	async_test_yield_run(test, false, &res);
	kunit_deactivate_static_stub(test, async_free_entry);
	kunit_deactivate_static_stub(test, async_alloc_entry);
}

/* Nodes the locality cases look at, at most. */
#define ASYNC_TEST_NODES	8

/*
 * Where an entry ran, by node: that of the lane its runner was queued
 * for.  Not that of the CPU it ran on, which the scheduler may pick on
 * another node when the node's own CPUs are busy: async_wq's affinity
 * is not strict.
 */
struct async_test_where {
	int			node;
	int			done;
};

static void async_test_where_fn(void *data, async_cookie_t cookie)
{
	struct async_test_where *w = data;

	w->node = async_current_node();
	/* publish ->node before ->done */
	smp_store_release(&w->done, 1);
}

/*
 * Domains without a limit run WQ_DFL_ACTIVE entries at once per node, as
 * async_wq did in 6.12.  With one node full of blocked entries, more than
 * the whole machine's worth of them, an entry meant for another node
 * still runs at once, there, and the full node runs no more of its own
 * than its share.  Needs two nodes with CPUs.
 */
static void async_test_dfl_limit_per_node(struct kunit *test)
{
	ASYNC_DOMAIN_EXCLUSIVE(async_test_nodes);
	struct async_test_where other = { .node = NUMA_NO_NODE };
	unsigned int i, nr;
	struct async_test_gate *gate;
	int busy, free;

	busy = first_node(node_states[N_CPU]);
	free = next_node(busy, node_states[N_CPU]);
	if (free >= MAX_NUMNODES)
		kunit_skip(test, "needs two NUMA nodes with CPUs");

	/* More than all nodes together ran at once with a global limit. */
	nr = WQ_DFL_ACTIVE * num_node_state(N_CPU) + 1;
	gate = kunit_kzalloc(test, sizeof(*gate), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gate);
	async_test_gate_init(gate);
	for (i = 0; i < nr; i++)
		KUNIT_ASSERT_NE(test, async_schedule_node_domain(async_test_gate_fn,
								 gate, busy,
								 &async_test_nodes),
				0);
	KUNIT_EXPECT_TRUE(test, async_test_poll(atomic_read(&gate->arrived) >=
						WQ_DFL_ACTIVE));

	async_schedule_node_domain(async_test_where_fn, &other, free,
				   &async_test_nodes);
	/* pairs with the release in async_test_where_fn() */
	KUNIT_EXPECT_TRUE_MSG(test, async_test_poll(smp_load_acquire(&other.done)),
			      "an entry for node %d waits behind node %d",
			      free, busy);
	KUNIT_EXPECT_EQ(test, other.node, free);
	KUNIT_EXPECT_EQ(test, atomic_read(&gate->arrived), WQ_DFL_ACTIVE);
	KUNIT_EXPECT_EQ(test, atomic_read(&gate->passed), 0);

	complete_all(&gate->open);
	async_synchronize_full_domain(&async_test_nodes);
	KUNIT_EXPECT_EQ(test, atomic_read(&gate->passed), nr);
	KUNIT_EXPECT_FALSE(test, gate->timed_out);
}

/*
 * A reserved call runs on the node it was scheduled for, in a domain
 * without a limit as in a serial one, when it starts a runner.  Needs two
 * nodes with CPUs, or the node could not be told from any other.
 */
static void async_test_reserved_node(struct kunit *test)
{
	ASYNC_DOMAIN_EXCLUSIVE(async_test_rnode);
	ASYNC_DOMAIN_SERIAL(async_test_rnode_serial);
	struct async_test_where where[2 * ASYNC_TEST_NODES] = {};
	struct async_reservation res = { };
	int node, nr = 0, i;

	if (num_node_state(N_CPU) < 2)
		kunit_skip(test, "needs two NUMA nodes with CPUs");

	KUNIT_ASSERT_EQ(test, async_reserve(&res, ARRAY_SIZE(where)), 0);
	for_each_node_state(node, N_CPU) {
		if (nr == ARRAY_SIZE(where))
			break;
		KUNIT_EXPECT_NE(test,
				async_schedule_reserved_node(async_test_where_fn,
							     &where[nr++], node,
							     &async_test_rnode,
							     &res), 0);
		KUNIT_EXPECT_NE(test,
				async_schedule_reserved_node(async_test_where_fn,
							     &where[nr++], node,
							     &async_test_rnode_serial,
							     &res), 0);
		/* else it would queue behind the last, on its runner */
		async_synchronize_full_domain(&async_test_rnode_serial);
	}
	async_synchronize_full_domain(&async_test_rnode);
	async_synchronize_full_domain(&async_test_rnode_serial);
	i = 0;
	for_each_node_state(node, N_CPU) {
		if (i == nr)
			break;
		KUNIT_EXPECT_EQ(test, where[i++].node, node);
		KUNIT_EXPECT_EQ(test, where[i++].node, node);
	}
	async_unreserve(&res);
}

/*
 * A waiter must not be woken by the async core once it has returned from
 * its wait: wherever it sleeps next, a bare sleep would be cut short, as
 * 6.12's wait_event() never did.  Two threads wait for the same entry: a
 * real-time one first, then the test's own.  The entry pins the first to
 * its own CPU as it ends, so that the wakeup of the first preempts the
 * completion right there, before it wakes anyone else.  The first then
 * wakes the second itself, so that it sees its wait over, and spins a
 * while before it lets the completion go on.  The second sleeps once it
 * knows the first is done waking it: only the completion can then cut
 * that sleep short, by a wakeup still on its way.  Without preemption
 * (PREEMPT_NONE) the completion goes on waking before the first runs,
 * and the case can only pass; PREEMPT_RT shows the race.
 */
struct async_test_stray {
	struct async_domain	domain;
	struct task_struct	*first;
	struct task_struct	*second;
	int			first_waiting;
	int			second_waiting;
	int			woken;		/* by the first */
	struct completion	first_exited;
};

#define ASYNC_TEST_STRAY_SPIN_MS	100

static int async_test_stray_first_fn(void *data)
{
	struct async_test_stray *st = data;

	sched_set_fifo(current);
	/* Pairs with async_test_asleep(). */
	smp_store_release(&st->first_waiting, 1);
	async_synchronize_full_domain(&st->domain);
	wake_up_process(st->second);
	/* After the wakeup; pairs with the acquire of the second. */
	smp_store_release(&st->woken, 1);
	mdelay(ASYNC_TEST_STRAY_SPIN_MS);
	kthread_complete_and_exit(&st->first_exited, 0);
}

static bool async_test_asleep(struct task_struct *task, int *waiting)
{
	/* Pairs with the release of the waiter before its wait. */
	return smp_load_acquire(waiting) &&
	       READ_ONCE(task->__state) == TASK_UNINTERRUPTIBLE;
}

/* Once both wait, pin the first here and the second anywhere else. */
static void async_test_stray_entry_fn(void *data, async_cookie_t cookie)
{
	struct async_test_stray *st = data;
	unsigned long end = jiffies + ASYNC_TEST_TIMEOUT;
	int cpu;

	while (!(async_test_asleep(st->first, &st->first_waiting) &&
		 async_test_asleep(st->second, &st->second_waiting)) &&
	       time_before(jiffies, end))
		usleep_range(100, 200);
	cpu = raw_smp_processor_id();
	set_cpus_allowed_ptr(st->first, cpumask_of(cpu));
	set_cpus_allowed_ptr(st->second,
			     cpumask_of(cpumask_any_but(cpu_online_mask, cpu)));
}

static void async_test_no_wakeup_after_return(struct kunit *test)
{
	struct async_test_stray *st;
	unsigned long end;
	bool woken;
	long left;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	async_domain_init(&st->domain, "async_test_stray", 0);
	init_completion(&st->first_exited);
	st->second = current;
	st->first = async_test_thread(async_test_stray_first_fn, st,
				      "async_test_stray", 0, -1);
	KUNIT_ASSERT_NOT_NULL(test, st->first);
	async_schedule_domain(async_test_stray_entry_fn, st, &st->domain);
	end = jiffies + ASYNC_TEST_TIMEOUT;
	while (!async_test_asleep(st->first, &st->first_waiting) &&
	       time_before(jiffies, end))
		usleep_range(100, 200);

	/* Pairs with async_test_asleep(). */
	smp_store_release(&st->second_waiting, 1);
	async_synchronize_full_domain(&st->domain);
	/* Pairs with the release of the first once it has woken us. */
	while (!smp_load_acquire(&st->woken) && time_before(jiffies, end))
		cpu_relax();
	woken = READ_ONCE(st->woken);
	left = schedule_timeout_uninterruptible(msecs_to_jiffies(3 *
						ASYNC_TEST_STRAY_SPIN_MS));

	set_cpus_allowed_ptr(current, cpu_possible_mask);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&st->first_exited,
							    ASYNC_TEST_TIMEOUT));
	put_task_struct(st->first);
	KUNIT_EXPECT_TRUE(test, woken);
	KUNIT_EXPECT_EQ_MSG(test, left, 0,
			    "a waiter was woken after it had returned from its wait");
}

static struct kunit_case async_test_cases[] = {
	KUNIT_CASE(async_test_cookie_wait_is_per_domain),
	KUNIT_CASE(async_test_full_sync_skips_exclusive),
	KUNIT_CASE(async_test_full_sync_waits_for_registered),
	KUNIT_CASE(async_test_wakeups_exactly_once),
	KUNIT_CASE(async_test_no_wakeup_after_return),
	KUNIT_CASE(async_test_serial_domain_runs_in_order),
	KUNIT_CASE(async_test_serial_domains_one_worker_each),
	KUNIT_CASE(async_test_reserved_from_own_serial_entry),
	KUNIT_CASE(async_test_limited_domain_keeps_wq),
	KUNIT_CASE(async_test_batch_waits_for_other_domain),
	KUNIT_CASE(async_test_waiter_frees_domain),
	KUNIT_CASE(async_test_reserved_survive_alloc_failure),
	KUNIT_CASE(async_test_limited_domain_refuses_inline),
	KUNIT_CASE(async_test_nocall_gives_up),
	KUNIT_CASE(async_test_reserved_ignore_max_work),
	KUNIT_CASE(async_test_reservation_misuse_refused),
	KUNIT_CASE(async_test_self_wait_caught),
	KUNIT_CASE(async_test_stress_schedule_and_wait),
	KUNIT_CASE(async_test_stress_stack_domains),
	KUNIT_CASE(async_test_stress_shared_reservation),
	KUNIT_CASE(async_test_schedule_from_irq),
	KUNIT_CASE(async_test_reinit_listed_domain),
	KUNIT_CASE(async_test_reserve_active_refused),
	KUNIT_CASE(async_test_reserve_not_zeroed),
	KUNIT_CASE(async_test_stub_not_in_irq),
	KUNIT_CASE(async_test_reserve_yields),
	KUNIT_CASE(async_test_registered_flip_while_pending),
	KUNIT_CASE(async_test_dfl_limit_per_node),
	KUNIT_CASE(async_test_reserved_node),
	{}
};

static struct kunit_suite async_test_suite = {
	.name = "async",
	.test_cases = async_test_cases,
};

kunit_test_suite(async_test_suite);

MODULE_DESCRIPTION("KUnit tests for the async core");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
