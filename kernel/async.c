// SPDX-License-Identifier: GPL-2.0-only
/*
 * Asynchronous function calls
 *
 * The original interface and its cookie scheme (C) Copyright 2009 Intel
 * Corporation.
 *
 * Theory of operation
 *
 * A caller hands the async core a function, which runs later in a worker
 * while the caller goes on.  Every call gets a cookie from one global,
 * monotonic counter, so cookies order all calls ever made.  A task that
 * needs the effects of earlier calls waits for a cookie: it sleeps until
 * every call with a lower cookie has finished.
 *
 * Calls are grouped in domains.  A wait looks at one domain only, or at
 * all registered domains when no domain is given, so that unrelated work
 * does not hold it up.  Exclusive domains stay out of the global wait and
 * may live on the stack of the task that waits for them.
 *
 * Each pending call is an entry on its domain's pending list, in cookie
 * order, so the lowest pending cookie of a domain is the head of that
 * list.  A domain with a limit lets at most max_active entries run at
 * once; the others wait on its queue.  Starting an entry queues the work
 * item embedded in it on async_wq; that work item becomes a runner which,
 * when its entry is done, takes the next queued entry and runs it too.  A
 * busy domain therefore keeps a few workers busy instead of waking a new
 * one for every entry, and a serial domain (max_active 1) runs its entries
 * one at a time, in cookie order, on one worker.
 *
 * Domains without a limit of their own (max_active 0, the default domain
 * among them) share one per NUMA node instead, as all async calls shared
 * the per-node limit of async_wq in 6.12: WQ_DFL_ACTIVE entries run at
 * once on each node, each on the node it was meant for (the node of the
 * scheduling CPU if it named none), and the rest wait on a queue of that
 * node, whose runners take them in turn.  A busy node so holds up only
 * the entries meant for it, and an entry never runs on another node
 * because a runner there came free first.
 *
 * Runners of domains with a limit run on async_wq too, but outside the
 * nodes' shares.  More than WQ_DFL_ACTIVE of them busy on one node, each
 * waiting for an entry of a domain without a limit, would leave the
 * workqueue no room to run that entry.  No caller has that many.  The
 * shutdown engine, with a serial domain per chain, runs its reserved
 * entries on async_reserved_wq, lanes of their own: its chains never
 * take the room of the calls their callbacks make and wait for.
 *
 * The workqueue knows a running work item by its address, and parks any
 * work item queued at the same address behind it.  So the entry whose
 * work item started a runner is freed when the runner ends, not when its
 * own call returns: otherwise a new entry allocated there would wait for
 * the runner's whole batch, and forever if the batch waits for it.
 *
 * Waiters are kept on a list per domain (and one for the registered set)
 * sorted by cookie.  When an entry finishes, only the waiters at the head
 * that are now satisfied are taken off and woken, each exactly once, and
 * the others are never looked at.  A satisfied waiter may return, and its
 * owner free the domain, the moment the waiter sees it is done.  So a
 * completion first does all it has to do to the domain, then tells the
 * waiters, and touches nothing of the domain after that.  It wakes them
 * under async_lock, and a waiter takes that lock once before it returns:
 * so no wakeup of ours reaches a task after its wait has returned, where
 * it would cut short whatever the task sleeps in next, as 6.12's
 * wait_event() never did.
 *
 * Scheduling allocates an entry with GFP_ATOMIC and, if that fails or too
 * much work is pending, runs the function in the caller.  A domain with a
 * limit cannot do that without breaking it, so such a call is refused
 * instead.  Callers that must neither run anything inline nor be refused
 * reserve entries up front.
 */

#include <linux/async.h>
#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/fault-inject.h>
#include <linux/init.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <asm/sections.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#define CREATE_TRACE_POINTS
#include <trace/events/async.h>

#include "workqueue_internal.h"

#define MAX_WORK		32768		/* pending entries before inline */
#define ASYNC_COOKIE_MAX	ULLONG_MAX	/* infinity cookie */

/* async_reservation.state, so that misuse can be told from use */
#define ASYNC_RES_ACTIVE	0x52455356	/* holds entries */
#define ASYNC_RES_RELEASED	0x44454144	/* released, or failed to reserve */

struct async_entry {
	struct list_head	domain_list;	/* domain pending list */
	struct list_head	queue_list;	/* domain or lane queue */
	struct async_lane	*lane;		/* %NULL: domain has a limit */
	struct list_head	global_list;	/* async_global_pending */
	struct work_struct	work;		/* starts the runner of this entry */
	struct async_entry	*batch_entry;	/* runner only: what it runs now */
	async_cookie_t		cookie;
	async_func_t		func;
	void			*data;
	struct async_domain	*domain;
	struct workqueue_struct	*wq;		/* where its runner starts */
	int			node;
	bool			global;		/* on async_global_pending */
};

struct async_waiter {
	struct list_head	node;		/* domain or global waiters */
	struct task_struct	*task;
	struct async_domain	*domain;	/* %NULL: the registered ones */
	async_cookie_t		cookie;		/* wait for all entries below */
	int			done;		/* set once by the waker */
};

static DEFINE_SPINLOCK(async_lock);

/* All of the following are protected by async_lock. */
static async_cookie_t next_cookie = 1;
static unsigned int entry_count;		/* pending entries */
static unsigned int nr_runners;			/* runners at work */
static LIST_HEAD(async_global_pending);		/* of registered domains */
static LIST_HEAD(async_global_waiters);		/* waits with a NULL domain */
static LIST_HEAD(async_static_domains);		/* shown in debugfs */
static struct async_stats async_counters;	/* but spurious_wakeups: */
static atomic64_t async_spurious_wakeups;
static ASYNC_DOMAIN(async_dfl_domain);

/*
 * The limit of domains with max_active 0, per NUMA node: async_wq lets
 * WQ_DFL_ACTIVE work items run per node, and so ran as many entries at
 * once on each node before domains had limits.
 */
#define ASYNC_DFL_MAX_ACTIVE	WQ_DFL_ACTIVE

/*
 * What the domains without a limit share on one node, for the entries of
 * one workqueue: reserved entries have a lane of their own, so that they
 * only ever run on async_reserved_wq.  Protected by async_lock.
 */
struct async_lane {
	struct list_head	queued;		/* entries waiting for a runner */
	unsigned int		active;		/* runners at work */
};

/* Two lanes per node: async_wq's, then async_reserved_wq's. */
static struct async_lane *async_lanes __ro_after_init;

static struct workqueue_struct *async_wq;
/*
 * Reserved entries run on a workqueue of their own.  Their callers (device
 * shutdown) may have hundreds of them running at once, each waiting for
 * ordinary async calls it made: on async_wq, they would take every slot
 * its max_active allows and leave the calls they wait for queued behind
 * them, for ever.  Here they cannot starve async_wq, whatever their number.
 */
static struct workqueue_struct *async_reserved_wq;

#ifdef CONFIG_FAIL_ASYNC_ALLOC
static DECLARE_FAULT_ATTR(fail_async_alloc);

static int __init setup_fail_async_alloc(char *str)
{
	return setup_fault_attr(&fail_async_alloc, str);
}
__setup("fail_async_alloc=", setup_fail_async_alloc);

static bool async_fault_alloc(void)
{
	return should_fail(&fail_async_alloc, sizeof(struct async_entry));
}
#else
static inline bool async_fault_alloc(void)
{
	return false;
}
#endif

/**
 * async_alloc_entry - allocate an async entry
 * @gfp: allocation flags
 *
 * Every entry comes from here.  KUnit tests make it fail for their own
 * task only, with kunit_activate_static_stub(), which costs nothing
 * outside a test; fail_async_alloc fails it for everyone.  An interrupt
 * that lands on a test's task is not the test's: the stub is not for it.
 *
 * Return: the entry, or %NULL.
 */
VISIBLE_IF_KUNIT struct async_entry *async_alloc_entry(gfp_t gfp)
{
	if (in_task())
		KUNIT_STATIC_STUB_REDIRECT(async_alloc_entry, gfp);

	if (async_fault_alloc())
		return NULL;
	return kmalloc(sizeof(struct async_entry), gfp);
}
EXPORT_SYMBOL_IF_KUNIT(async_alloc_entry);

/**
 * async_free_entry - free an async entry
 * @entry: the entry, from async_alloc_entry()
 *
 * Every entry goes back through here.  KUnit tests watch the frees of
 * their own task with a static stub, not those of an interrupt.
 */
VISIBLE_IF_KUNIT void async_free_entry(struct async_entry *entry)
{
	if (in_task())
		KUNIT_STATIC_STUB_REDIRECT(async_free_entry, entry);

	kfree(entry);
}
EXPORT_SYMBOL_IF_KUNIT(async_free_entry);

static const char *async_domain_name(const struct async_domain *domain)
{
	if (!domain)
		return "all";
	return domain->name ?: "unnamed";
}

static unsigned int async_max_active(const struct async_domain *domain)
{
	return domain->max_active ?: ASYNC_DFL_MAX_ACTIVE;
}

/* Count an event of @domain, or of the core alone when @domain is NULL. */
#define async_count(domain, field)					\
do {									\
	struct async_domain *__domain = (domain);			\
									\
	lockdep_assert_held(&async_lock);				\
	async_counters.field++;						\
	if (__domain)							\
		__domain->stats.field++;				\
} while (0)

static async_cookie_t async_domain_lowest(struct async_domain *domain)
{
	struct async_entry *first;

	first = list_first_entry_or_null(&domain->pending, struct async_entry,
					 domain_list);
	return first ? first->cookie : ASYNC_COOKIE_MAX;
}

static async_cookie_t async_global_lowest(void)
{
	struct async_entry *first;

	first = list_first_entry_or_null(&async_global_pending,
					 struct async_entry, global_list);
	return first ? first->cookie : ASYNC_COOKIE_MAX;
}

/*
 * Domains built into the kernel live forever, so debugfs lists them from
 * their first call on.  Any other domain may be freed or go out of scope
 * once idle, and is only seen in trace events.
 */
static void async_list_static_domain(struct async_domain *domain)
{
	lockdep_assert_held(&async_lock);

	if (list_empty(&domain->node) &&
	    is_kernel_core_data((unsigned long)domain))
		list_add_tail(&domain->node, &async_static_domains);
}

/* Far more built-in domains than a kernel has, and a walk that ends. */
#define ASYNC_STATIC_DOMAINS_MAX	100000

/**
 * async_static_domain_count - how many times debugfs lists a domain
 * @domain: the domain
 *
 * Walks the list of the built-in domains that debugfs shows, as
 * /sys/kernel/debug/async/domains does, but gives up after far more
 * steps than there are domains, so that a test sees a broken list
 * instead of hanging on it.
 *
 * Return: how many times @domain is on the list, or -%ELOOP if the walk
 * does not come back to the head of the list.
 */
VISIBLE_IF_KUNIT int async_static_domain_count(struct async_domain *domain)
{
	struct list_head *pos = &async_static_domains;
	unsigned long flags;
	int count = 0, steps;

	spin_lock_irqsave(&async_lock, flags);
	for (steps = 0; steps < ASYNC_STATIC_DOMAINS_MAX; steps++) {
		pos = pos->next;
		if (pos == &async_static_domains)
			break;
		if (pos == &domain->node)
			count++;
	}
	spin_unlock_irqrestore(&async_lock, flags);
	return pos == &async_static_domains ? count : -ELOOP;
}
EXPORT_SYMBOL_IF_KUNIT(async_static_domain_count);

static void async_init_entry(struct async_entry *entry, async_func_t func,
			     void *data, int node, struct async_domain *domain)
{
	entry->func = func;
	entry->data = data;
	entry->node = node;
	entry->domain = domain;
	entry->wq = async_wq;
}

/* A runner goes on to an entry of @domain. */
static void async_domain_running(struct async_domain *domain)
{
	domain->active++;
	domain->stats.peak_active = max_t(u64, domain->stats.peak_active,
					  domain->active);
}

/* A runner of @domain starts. */
static void async_runner_started(struct async_domain *domain)
{
	async_domain_running(domain);
	nr_runners++;
	async_count(domain, workers_started);
	async_counters.peak_active = max_t(u64, async_counters.peak_active,
					   nr_runners);
}

/*
 * The lane of @entry, of a domain without a limit: that of the node it is
 * meant for, which becomes its node.  A node that is not there, or has
 * no CPU, is taken for no node at all, as queue_work_node() does, and
 * the scheduling CPU's node stands for none.
 */
static struct async_lane *async_entry_lane(struct async_entry *entry)
{
	int node = entry->node;

	lockdep_assert_held(&async_lock);

	if (node < 0 || node >= nr_node_ids || !node_state(node, N_CPU))
		node = numa_node_id();
	entry->node = node;
	return &async_lanes[node * 2 + (entry->wq == async_reserved_wq)];
}

/*
 * Give @entry its cookie and put it on its domain.  Returns %true when the
 * domain, or for a domain without a limit the node, is below its limit
 * and the caller must start a runner for @entry once async_lock is
 * dropped; otherwise a runner of the domain, or of the node, will pick
 * @entry up.
 */
static bool async_enqueue(struct async_entry *entry)
{
	struct async_domain *domain = entry->domain;
	struct list_head *queue;
	unsigned int active;

	lockdep_assert_held(&async_lock);

	entry->cookie = next_cookie++;
	entry_count++;
	async_count(domain, scheduled);
	/*
	 * ->registered may change while entries are pending: each entry
	 * keeps the membership it was scheduled with.
	 */
	entry->global = READ_ONCE(domain->registered);
	if (entry->global)
		list_add_tail(&entry->global_list, &async_global_pending);
	async_list_static_domain(domain);
	trace_async_entry_queue(async_domain_name(domain), entry->cookie,
				entry->func);
	list_add_tail(&entry->domain_list, &domain->pending);

	if (domain->max_active) {
		entry->lane = NULL;
		queue = &domain->queued;
		active = domain->active;
	} else {
		entry->lane = async_entry_lane(entry);
		queue = &entry->lane->queued;
		active = entry->lane->active;
	}
	if (active >= async_max_active(domain) || !list_empty(queue)) {
		list_add_tail(&entry->queue_list, queue);
		domain->nr_queued++;
		return false;
	}

	if (entry->lane)
		entry->lane->active++;
	async_runner_started(domain);
	return true;
}

/*
 * Move the waiters at the head of @waiters that no longer wait for
 * anything, now that @lowest is the lowest pending cookie they care about,
 * to @satisfied.  The list is sorted, so the walk stops at the first
 * unsatisfied waiter.
 */
static void async_take_satisfied(struct list_head *waiters,
				 async_cookie_t lowest,
				 struct list_head *satisfied)
{
	struct async_waiter *w, *tmp;

	list_for_each_entry_safe(w, tmp, waiters, node) {
		if (w->cookie > lowest)
			break;
		list_move_tail(&w->node, satisfied);
		async_count(w->domain, wakeups);
	}
}

/*
 * Tell each waiter on @satisfied that it is done, and wake it, under
 * async_lock.  This is the completion's last access to the waiters and to
 * their domains: a waiter that sees ->done may return, and its
 * async_waiter and its domain vanish, as soon as it has had async_lock
 * (async_sleep()).  Holding the lock keeps the task itself around until
 * it is woken, and keeps the wakeup from coming after the wait returned.
 */
static void async_tell_satisfied(struct list_head *satisfied)
{
	struct async_waiter *w, *tmp;
	struct task_struct *task;

	lockdep_assert_held(&async_lock);

	list_for_each_entry_safe(w, tmp, satisfied, node) {
		task = w->task;
		/* Pairs with the acquire in async_sleep(). */
		smp_store_release(&w->done, 1);
		wake_up_process(task);
	}
}

/*
 * Take the finished @entry off its domain, wake whoever it satisfies and
 * return the entry the runner should run next, of the same domain, or of
 * the same lane, or %NULL when the runner retires.  Unless an entry of
 * the same domain is returned, the domain may be freed by its owner at
 * any time, even before async_lock is dropped.
 */
static struct async_entry *async_retire(struct async_entry *entry)
{
	struct async_domain *domain = entry->domain;
	struct async_lane *lane = entry->lane;
	struct async_entry *next;
	LIST_HEAD(satisfied);

	lockdep_assert_held(&async_lock);

	list_del(&entry->domain_list);
	if (entry->global)
		list_del(&entry->global_list);
	entry_count--;

	/* A runner of a lane may go on to an entry of another domain. */
	next = list_first_entry_or_null(lane ? &lane->queued : &domain->queued,
					struct async_entry, queue_list);
	if (next) {
		list_del(&next->queue_list);
		next->domain->nr_queued--;
		if (next->domain != domain) {
			domain->active--;
			async_domain_running(next->domain);
		}
	} else {
		domain->active--;
		nr_runners--;
		if (lane)
			lane->active--;
	}

	async_take_satisfied(&domain->waiters, async_domain_lowest(domain),
			     &satisfied);
	if (entry->global)
		async_take_satisfied(&async_global_waiters,
				     async_global_lowest(), &satisfied);
	/* Nothing of @domain may be touched from here on. */
	async_tell_satisfied(&satisfied);
	return next;
}

static void async_start_runner(struct async_entry *entry);

/* Run @entry and return the next entry of its domain to run, if any. */
static struct async_entry *async_run_one(struct async_entry *entry)
{
	const char *name = async_domain_name(entry->domain);
	struct async_entry *next;
	unsigned long flags;
	bool handoff;

	trace_async_entry_start(name, entry->cookie, entry->func);
	entry->func(entry->data, entry->cookie);
	trace_async_entry_end(name, entry->cookie, entry->func);

	spin_lock_irqsave(&async_lock, flags);
	next = async_retire(entry);
	/*
	 * A domain with a limit queues ordinary and reserved entries on one
	 * list, where a lane keeps them apart.  An entry of the other
	 * workqueue gets a runner of its own there, in this one's place:
	 * a reserved entry waiting for ordinary calls must not hold a slot
	 * of async_wq.
	 */
	handoff = next && next->wq != entry->wq;
	if (handoff)
		async_count(next->domain, workers_started);
	spin_unlock_irqrestore(&async_lock, flags);

	if (handoff) {
		async_start_runner(next);
		return NULL;
	}
	return next;
}

/*
 * The work function of every runner.  It stays on its worker for as long
 * as its domain has queued entries: taking the next one here costs no
 * wakeup and no trip through the worker pool.  current_is_async() stays
 * true throughout, since the worker keeps running this function.
 *
 * @runner, whose work item this is, outlives its own call: the workqueue
 * identifies this work by its address until the function returns.
 */
static void async_run_entry_fn(struct work_struct *work)
{
	struct async_entry *runner = container_of(work, struct async_entry,
						  work);
	struct async_entry *entry = runner, *next;

	for (;;) {
		runner->batch_entry = entry;
		next = async_run_one(entry);
		if (entry != runner)
			async_free_entry(entry);
		if (!next)
			break;
		entry = next;
		cond_resched();
	}
	async_free_entry(runner);
}

static void async_start_runner(struct async_entry *entry)
{
	INIT_WORK(&entry->work, async_run_entry_fn);
	queue_work_node(entry->node, entry->wq, &entry->work);
}

/* The runner %current is, if it is an async worker, else %NULL. */
static struct async_entry *async_current_runner(void)
{
	struct worker *worker = current_wq_worker();

	if (!worker || worker->current_func != async_run_entry_fn)
		return NULL;
	return container_of(worker->current_work, struct async_entry, work);
}

/* The entry %current is running, if it is an async worker. */
static struct async_entry *async_current_entry(void)
{
	struct async_entry *runner = async_current_runner();

	return runner ? runner->batch_entry : NULL;
}

/*
 * Whether %current is a runner of async_reserved_wq: a reserved entry
 * must never run on async_wq, nor an ordinary one take a slot of
 * async_reserved_wq.  For tests.
 */
VISIBLE_IF_KUNIT bool async_current_reserved(void)
{
	struct async_entry *runner = async_current_runner();

	return runner && runner->wq == async_reserved_wq;
}
EXPORT_SYMBOL_IF_KUNIT(async_current_reserved);

/*
 * The node whose lane the runner of %current was started for, as given
 * to queue_work_node(), or %NUMA_NO_NODE outside a runner.  It is not
 * always the node of the CPU the entry runs on: async_wq is unbound
 * without strict affinity, so the scheduler may move a worker off its
 * node.  For tests of the per-node lanes, which must not depend on that.
 */
VISIBLE_IF_KUNIT int async_current_node(void)
{
	struct async_entry *runner = async_current_runner();

	return runner ? runner->node : NUMA_NO_NODE;
}
EXPORT_SYMBOL_IF_KUNIT(async_current_node);

/* Is @domain on the list that debugfs walks?  Looks at no field of it. */
static bool async_domain_listed(struct async_domain *domain)
{
	struct list_head *pos;

	lockdep_assert_held(&async_lock);

	list_for_each(pos, &async_static_domains)
		if (pos == &domain->node)
			return true;
	return false;
}

/* Set up every field of @domain but its place on the debugfs list. */
static void async_domain_reset(struct async_domain *domain, const char *name,
			       unsigned int max_active)
{
	domain->name = name;
	domain->max_active = max_active;
	domain->registered = false;
	INIT_LIST_HEAD(&domain->pending);
	INIT_LIST_HEAD(&domain->queued);
	INIT_LIST_HEAD(&domain->waiters);
	domain->active = 0;
	domain->nr_queued = 0;
	memset(&domain->stats, 0, sizeof(domain->stats));
	atomic64_set(&domain->spurious_wakeups, 0);
}

/**
 * async_domain_init - set up a domain at run time
 * @domain: the domain
 * @name: name shown in trace events; must stay valid while the domain has
 *	pending entries, and for ever if @domain is built into the kernel,
 *	as debugfs then shows it too
 * @max_active: how many entries may run at once; 0 for the default limit,
 *	1 for a serial domain
 *
 * The domain is exclusive: it takes no part in async_synchronize_full(),
 * and it may be freed as soon as its last entry has finished and its
 * waiters have returned, e.g. after async_synchronize_full_domain().
 * It must not have pending entries when it is set up.
 *
 * A domain built into the kernel that already had calls is listed in
 * debugfs, and may be set up again once idle: it stays listed, with its
 * counters cleared.  If it still has calls pending or tasks waiting, that
 * is a bug: it warns and leaves the domain as it is.  Other domains in
 * use cannot be told from uninitialised memory and are not checked.
 */
void async_domain_init(struct async_domain *domain, const char *name,
		       unsigned int max_active)
{
	unsigned long flags;
	bool listed = false, busy = false;

	if (is_kernel_core_data((unsigned long)domain)) {
		spin_lock_irqsave(&async_lock, flags);
		listed = async_domain_listed(domain);
		if (listed) {
			busy = !list_empty(&domain->pending) ||
			       !list_empty(&domain->queued) ||
			       !list_empty(&domain->waiters);
			if (!busy)
				async_domain_reset(domain, name, max_active);
		}
		spin_unlock_irqrestore(&async_lock, flags);
	}
	WARN_ONCE(busy, "async: %s is in use, not set up again as %s\n",
		  async_domain_name(domain), name);
	if (listed)
		return;

	async_domain_reset(domain, name, max_active);
	INIT_LIST_HEAD(&domain->node);
}
EXPORT_SYMBOL_GPL(async_domain_init);

/*
 * A call that got no entry.  Running it in the caller would let it
 * overlap the running entries of a domain with a limit, and overtake its
 * queued ones, so that is refused; any other domain keeps the old
 * contract and runs it inline.  Returns the cookie, or 0 if refused.
 */
static async_cookie_t async_run_unqueued(async_func_t func, void *data,
					 struct async_domain *domain)
{
	async_cookie_t cookie = 0;
	unsigned long flags;

	spin_lock_irqsave(&async_lock, flags);
	if (domain->max_active) {
		async_count(domain, refused);
	} else {
		cookie = next_cookie++;
		async_count(domain, inline_fallbacks);
	}
	spin_unlock_irqrestore(&async_lock, flags);

	if (!cookie) {
		pr_warn_ratelimited("async: no entry for %ps in %s, which is limited to %u at once: not run\n",
				    func, async_domain_name(domain),
				    domain->max_active);
		return 0;
	}
	func(data, cookie);
	return cookie;
}

/*
 * Queue @entry, unless too much work is pending.  Returns the cookie, or
 * 0 if @entry was not used and the caller still owns it.
 */
static async_cookie_t async_queue_entry(struct async_entry *entry,
					async_func_t func, void *data,
					int node, struct async_domain *domain)
{
	async_cookie_t cookie;
	unsigned long flags;
	bool start;

	spin_lock_irqsave(&async_lock, flags);
	if (entry_count > MAX_WORK) {
		spin_unlock_irqrestore(&async_lock, flags);
		return 0;
	}
	async_init_entry(entry, func, data, node, domain);
	start = async_enqueue(entry);
	cookie = entry->cookie;
	spin_unlock_irqrestore(&async_lock, flags);

	if (start)
		async_start_runner(entry);
	return cookie;
}

/**
 * async_schedule_node_domain - run a function asynchronously within a
 *				domain, near a NUMA node
 * @func: function to run
 * @data: argument for @func
 * @node: NUMA node to run on or near, or %NUMA_NO_NODE
 * @domain: domain of the call
 *
 * The node is a hint for the runner the call may start; a call that
 * waits in a busy domain runs wherever that domain's runner is.
 *
 * If no entry can be allocated, or more than 32768 entries are pending,
 * the call cannot be queued.  In a domain without a limit (max_active 0,
 * such as the default domain), @func then runs in the caller before this
 * returns, counted as an inline fallback.  In a domain with a limit, that
 * would break the limit and the cookie order (a serial domain would run
 * two calls at once), so the call is refused: @func is not run, a warning
 * is printed, and 0 is returned.  Callers of such domains reserve their
 * entries with async_reserve() to be sure their calls run.
 *
 * May be called from atomic context; on PREEMPT_RT, as wherever a
 * spinlock_t is taken, not with interrupts or preemption disabled, nor
 * under a raw spinlock.
 *
 * Return: the cookie of the call, for the async_synchronize_*()
 * functions, or 0 if it was refused: only in a domain with a limit, and
 * @func was then not run.
 */
async_cookie_t async_schedule_node_domain(async_func_t func, void *data,
					  int node, struct async_domain *domain)
{
	/* atomic callers are allowed */
	struct async_entry *entry = async_alloc_entry(GFP_ATOMIC);
	async_cookie_t cookie;

	if (entry) {
		cookie = async_queue_entry(entry, func, data, node, domain);
		if (cookie)
			return cookie;
		async_free_entry(entry);
	}
	return async_run_unqueued(func, data, domain);
}
EXPORT_SYMBOL_GPL(async_schedule_node_domain);

/**
 * async_schedule_node - run a function asynchronously, near a NUMA node
 * @func: function to run
 * @data: argument for @func
 * @node: NUMA node to run on or near, or %NUMA_NO_NODE
 *
 * Like async_schedule_node_domain() on the default domain, which has no
 * limit of its own: @func runs in the caller if it cannot be queued.
 *
 * Return: the cookie of the call.
 */
async_cookie_t async_schedule_node(async_func_t func, void *data, int node)
{
	return async_schedule_node_domain(func, data, node, &async_dfl_domain);
}
EXPORT_SYMBOL_GPL(async_schedule_node);

/**
 * async_schedule_dev_nocall - run a function asynchronously for a device,
 *			       or not at all
 * @func: function to run
 * @dev: device, passed to @func as its argument and used as NUMA hint
 *
 * Unlike async_schedule_dev(), this never runs @func in the caller: when
 * no entry can be allocated or too much work is pending it does nothing.
 * May sleep.
 *
 * Return: %true if @func was scheduled, %false otherwise.
 */
bool async_schedule_dev_nocall(async_func_t func, struct device *dev)
{
	struct async_entry *entry = async_alloc_entry(GFP_KERNEL);

	if (!entry)
		return false;
	if (async_queue_entry(entry, func, dev, dev_to_node(dev),
			      &async_dfl_domain))
		return true;
	async_free_entry(entry);
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(async_schedule_dev_nocall);

/**
 * async_reserve - set entries aside for async_schedule_reserved_node()
 * @res: the reservation to fill: zeroed storage, or one unreserved
 * @nr: number of entries
 *
 * Allocates all @nr entries now, so that scheduling against @res later
 * can neither fail nor fall back to running inline.  May sleep.
 *
 * Filling a reservation that still holds entries (one filled and not
 * unreserved) would lose them, and storage that was not zeroed cannot be
 * told from it: both are bugs, warn once and are refused.
 *
 * Return: 0 on success.  -%ENOMEM if an allocation failed; nothing is
 * held then, and @res must not be used or unreserved.  -%EBUSY if @res
 * still holds entries; it keeps them.  -%EINVAL if @res was not zeroed.
 */
int async_reserve(struct async_reservation *res, unsigned int nr)
{
	struct async_entry *entry, *tmp;
	unsigned long flags;
	unsigned int i;
	LIST_HEAD(entries);
	unsigned int state;
	int ret = 0;

	might_sleep();

	spin_lock_irqsave(&async_lock, flags);
	state = res->state;
	spin_unlock_irqrestore(&async_lock, flags);
	if (WARN_ONCE(state == ASYNC_RES_ACTIVE,
		      "async: reservation filled again while it holds entries\n"))
		return -EBUSY;
	if (WARN_ONCE(state && state != ASYNC_RES_RELEASED,
		      "async: reservation not zeroed before its first use\n"))
		return -EINVAL;

	for (i = 0; i < nr; i++) {
		entry = async_alloc_entry(GFP_KERNEL);
		if (!entry) {
			ret = -ENOMEM;
			break;
		}
		list_add(&entry->domain_list, &entries);
		cond_resched();
	}

	spin_lock_irqsave(&async_lock, flags);
	INIT_LIST_HEAD(&res->free);
	if (!ret) {
		list_splice(&entries, &res->free);
		res->nr_free = nr;
		res->state = ASYNC_RES_ACTIVE;
	} else {
		res->nr_free = 0;
		res->state = ASYNC_RES_RELEASED;
	}
	spin_unlock_irqrestore(&async_lock, flags);

	if (ret) {
		list_for_each_entry_safe(entry, tmp, &entries, domain_list) {
			async_free_entry(entry);
			cond_resched();
		}
	}
	return ret;
}
EXPORT_SYMBOL_GPL(async_reserve);

static struct async_entry *async_take_reserved(struct async_reservation *res)
{
	struct async_entry *entry;

	lockdep_assert_held(&async_lock);

	if (res->state != ASYNC_RES_ACTIVE || !res->nr_free)
		return NULL;
	entry = list_first_entry(&res->free, struct async_entry, domain_list);
	list_del(&entry->domain_list);
	res->nr_free--;
	return entry;
}

/**
 * async_schedule_reserved_node - run a function asynchronously on a
 *				  reserved entry, near a NUMA node
 * @func: function to run
 * @data: argument for @func
 * @node: NUMA node to run on or near, or %NUMA_NO_NODE
 * @domain: domain of the call
 * @res: reservation filled by async_reserve()
 *
 * The node is a hint for the runner the call may start, as for
 * async_schedule_node_domain(); pass dev_to_node() of the device a call
 * works on to keep it near the device.
 *
 * Uses one entry of @res.  It never allocates, never fails and never runs
 * @func in the caller, whatever the amount of pending work.  May be called
 * from atomic context (on PREEMPT_RT, not with interrupts or preemption
 * disabled, nor under a raw spinlock) and from a running async function,
 * including one of a serial @domain: the new call then queues behind
 * it, and when the running call is a reserved one too and nothing else
 * is queued ahead, the same worker runs it next.  Reserved calls run on
 * a workqueue of their own, so however many of them run at once, each
 * may still wait for ordinary async calls it makes.
 *
 * Scheduling more calls than were reserved, or against a reservation that
 * was released or never filled, is a bug: it warns once, @func is not run
 * and 0 is returned (no call ever gets cookie 0).
 *
 * Return: the cookie of the call, or 0 if it was refused.
 */
async_cookie_t async_schedule_reserved_node(async_func_t func, void *data,
					    int node,
					    struct async_domain *domain,
					    struct async_reservation *res)
{
	struct async_entry *entry;
	async_cookie_t cookie = 0;
	unsigned long flags;
	bool start = false;

	spin_lock_irqsave(&async_lock, flags);
	entry = async_take_reserved(res);
	if (entry) {
		async_init_entry(entry, func, data, node, domain);
		entry->wq = async_reserved_wq;
		start = async_enqueue(entry);
		cookie = entry->cookie;
	}
	spin_unlock_irqrestore(&async_lock, flags);

	if (WARN_ONCE(!entry, "async: no reserved entry left for %ps\n", func))
		return 0;
	if (start)
		async_start_runner(entry);
	return cookie;
}
EXPORT_SYMBOL_GPL(async_schedule_reserved_node);

/**
 * async_unreserve - give back the unused entries of a reservation
 * @res: reservation filled by async_reserve()
 *
 * Frees the entries of @res that were not scheduled.  Entries already
 * scheduled are freed when they finish, so this need not wait for them.
 * Unreserving twice, or a reservation that was never filled, is a bug:
 * it warns once and does nothing.  May sleep.
 */
void async_unreserve(struct async_reservation *res)
{
	struct async_entry *entry, *tmp;
	unsigned long flags;
	LIST_HEAD(unused);
	bool active;

	spin_lock_irqsave(&async_lock, flags);
	active = res->state == ASYNC_RES_ACTIVE;
	if (active) {
		list_splice_init(&res->free, &unused);
		res->nr_free = 0;
		res->state = ASYNC_RES_RELEASED;
	}
	spin_unlock_irqrestore(&async_lock, flags);

	if (WARN_ONCE(!active, "async: reservation released twice or never filled\n"))
		return;
	list_for_each_entry_safe(entry, tmp, &unused, domain_list) {
		async_free_entry(entry);
		cond_resched();
	}
}
EXPORT_SYMBOL_GPL(async_unreserve);

/* Insert @w sorted by cookie, behind waiters with the same cookie. */
static void async_add_waiter(struct list_head *waiters, struct async_waiter *w)
{
	struct async_waiter *pos;

	/* New waiters tend to wait for recent cookies: search from the tail. */
	list_for_each_entry_reverse(pos, waiters, node) {
		if (pos->cookie <= w->cookie)
			break;
	}
	list_add(&w->node, &pos->node);
}

/*
 * Sleep until the waker sets ->done.  The waker removes @w from its list,
 * so there is nothing to clean up here.  Between set_current_state() and
 * schedule() only ->done is read: on PREEMPT_RT even a spinlock_t would
 * sleep and lose the task state.  A waiter woken by anything else counts
 * that without async_lock, which the wakers hold while they work.
 */
static void async_sleep(struct async_waiter *w)
{
	unsigned long flags;

	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		/* Pairs with the release in async_tell_satisfied(). */
		if (smp_load_acquire(&w->done))
			break;
		schedule();
		/* Woken by anything but the waker? */
		if (!smp_load_acquire(&w->done)) {
			atomic64_inc(&async_spurious_wakeups);
			if (w->domain)
				atomic64_inc(&w->domain->spurious_wakeups);
		}
	}
	__set_current_state(TASK_RUNNING);
	/*
	 * ->done may be seen before the waker, which holds async_lock, has
	 * woken us: once we have had the lock, that wakeup is behind us.
	 */
	spin_lock_irqsave(&async_lock, flags);
	spin_unlock_irqrestore(&async_lock, flags);
}

/*
 * An async call that waits for its own cookie waits for itself, forever.
 * Catch that: wait only for the calls before it, and say so, once.
 * Returns the cookie that can be waited for.
 */
static async_cookie_t async_clamp_self_wait(async_cookie_t cookie,
					    struct async_domain *domain)
{
	struct async_entry *self = async_current_entry();

	if (!self || self->cookie >= cookie)
		return cookie;
	if (domain ? self->domain != domain : !self->global)
		return cookie;
	WARN_ONCE(1, "async: %ps waits for %s, its own domain, which cannot finish before it returns\n",
		  self->func, async_domain_name(domain));
	return self->cookie;
}

/**
 * async_synchronize_cookie_domain - wait for the calls of a domain below a
 *				     cookie
 * @cookie: the cookie to wait for
 * @domain: the domain, or %NULL for all registered domains
 *
 * Waits until every call of @domain with a cookie lower than @cookie has
 * finished.  The task is woken once, by the call that completes the set.
 *
 * An async call that waits for a set including itself would never
 * return; it gets a warning and waits only for the calls before it.
 */
void async_synchronize_cookie_domain(async_cookie_t cookie,
				     struct async_domain *domain)
{
	struct async_waiter w = { .task = current, .domain = domain };
	struct list_head *waiters;
	async_cookie_t lowest;
	unsigned long flags;

	might_sleep();
	trace_async_wait_begin(async_domain_name(domain), cookie);

	w.cookie = async_clamp_self_wait(cookie, domain);
	spin_lock_irqsave(&async_lock, flags);
	if (domain) {
		lowest = async_domain_lowest(domain);
		waiters = &domain->waiters;
	} else {
		lowest = async_global_lowest();
		waiters = &async_global_waiters;
	}
	if (lowest < w.cookie)
		async_add_waiter(waiters, &w);
	spin_unlock_irqrestore(&async_lock, flags);

	if (lowest < w.cookie)
		async_sleep(&w);

	trace_async_wait_end(async_domain_name(domain), cookie);
}
EXPORT_SYMBOL_GPL(async_synchronize_cookie_domain);

/**
 * async_synchronize_cookie - wait for the default domain below a cookie
 * @cookie: the cookie to wait for
 *
 * Waits until every call of the default domain (the one async_schedule()
 * uses) with a cookie lower than @cookie has finished.
 */
void async_synchronize_cookie(async_cookie_t cookie)
{
	async_synchronize_cookie_domain(cookie, &async_dfl_domain);
}
EXPORT_SYMBOL_GPL(async_synchronize_cookie);

/**
 * async_synchronize_full_domain - wait for all calls of a domain
 * @domain: the domain, or %NULL for all registered domains
 *
 * Called from an async call of @domain (or of a registered domain, for
 * %NULL), it waits only for the calls scheduled before the caller, as
 * async_synchronize_cookie_domain() does: the others could not finish
 * before it returns.  It warns once.
 */
void async_synchronize_full_domain(struct async_domain *domain)
{
	async_synchronize_cookie_domain(ASYNC_COOKIE_MAX, domain);
}
EXPORT_SYMBOL_GPL(async_synchronize_full_domain);

/**
 * async_synchronize_full - wait for all calls of all registered domains
 *
 * Exclusive domains are not waited for.  Called from an async call of a
 * registered domain, it waits only for the calls scheduled before the
 * caller, and warns once: see async_synchronize_full_domain().
 */
void async_synchronize_full(void)
{
	async_synchronize_full_domain(NULL);
}
EXPORT_SYMBOL_GPL(async_synchronize_full);

/**
 * current_is_async - is %current running an async call?
 *
 * Return: %true inside a function run by the async core's workers,
 * %false otherwise.  A function run in its caller as an inline fallback
 * sees what its caller would: %false, unless the caller is itself an
 * async call.
 */
bool current_is_async(void)
{
	struct worker *worker = current_wq_worker();

	return worker && worker->current_func == async_run_entry_fn;
}
EXPORT_SYMBOL_GPL(current_is_async);

/**
 * async_get_stats - read the counters of the async core
 * @st: filled with the counters since boot, all but @spurious_wakeups
 *	read at one instant, under the lock that updates them
 */
void async_get_stats(struct async_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&async_lock, flags);
	*st = async_counters;
	spin_unlock_irqrestore(&async_lock, flags);
	st->spurious_wakeups = atomic64_read(&async_spurious_wakeups);
}
EXPORT_SYMBOL_GPL(async_get_stats);

/**
 * async_domain_get_stats - read the counters of one domain
 * @domain: the domain
 * @st: filled with a consistent snapshot of the counters of @domain since
 *	it was defined or set up with async_domain_init()
 *
 * A domain of its own lets a test count exactly what its calls and waits
 * did, whatever else the system schedules meanwhile.
 */
void async_domain_get_stats(struct async_domain *domain,
			    struct async_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&async_lock, flags);
	*st = domain->stats;
	spin_unlock_irqrestore(&async_lock, flags);
	st->spurious_wakeups = atomic64_read(&domain->spurious_wakeups);
}
EXPORT_SYMBOL_GPL(async_domain_get_stats);

void __init async_init(void)
{
	unsigned int i;

	/* A few bytes per node, at boot: nothing to do without them. */
	async_lanes = kcalloc(nr_node_ids * 2, sizeof(*async_lanes),
			      GFP_KERNEL | __GFP_NOFAIL);
	for (i = 0; i < nr_node_ids * 2; i++)
		INIT_LIST_HEAD(&async_lanes[i].queued);
	/*
	 * Entries may depend on each other, and an unbound workqueue only
	 * guarantees min_active of its work items progress at once.  The
	 * default of 8 can stall async users, so raise it to max_active.
	 */
	async_wq = alloc_workqueue("async", WQ_UNBOUND, 0);
	BUG_ON(!async_wq);
	workqueue_set_min_active(async_wq, WQ_DFL_ACTIVE);
	/*
	 * Not WQ_MEM_RECLAIM, as async_wq and 6.12's system_unbound_wq are
	 * not: reserved calls run device shutdown callbacks, which flush
	 * ordinary workqueues, and check_flush_dependency() warns about
	 * that from a reclaim worker.  So, like every async call, a
	 * reserved one needs the pool to have or create a worker.
	 */
	async_reserved_wq = alloc_workqueue("async_reserved", WQ_UNBOUND, 0);
	BUG_ON(!async_reserved_wq);
	workqueue_set_min_active(async_reserved_wq, WQ_DFL_ACTIVE);
}

#ifdef CONFIG_DEBUG_FS
static int async_stats_show(struct seq_file *m, void *v)
{
	struct async_stats st;

	async_get_stats(&st);
	seq_printf(m, "scheduled %llu\n", st.scheduled);
	seq_printf(m, "inline_fallbacks %llu\n", st.inline_fallbacks);
	seq_printf(m, "refused %llu\n", st.refused);
	seq_printf(m, "wakeups %llu\n", st.wakeups);
	seq_printf(m, "spurious_wakeups %llu\n", st.spurious_wakeups);
	seq_printf(m, "workers_started %llu\n", st.workers_started);
	seq_printf(m, "peak_active %llu\n", st.peak_active);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(async_stats);

static int async_domains_show(struct seq_file *m, void *v)
{
	struct async_domain *domain;
	unsigned long flags;

	seq_puts(m, "name max_active active queued scheduled peak_active\n");
	spin_lock_irqsave(&async_lock, flags);
	list_for_each_entry(domain, &async_static_domains, node)
		seq_printf(m, "%s %u %u %u %llu %llu\n",
			   async_domain_name(domain), async_max_active(domain),
			   domain->active, domain->nr_queued,
			   domain->stats.scheduled, domain->stats.peak_active);
	spin_unlock_irqrestore(&async_lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(async_domains);

static int __init async_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("async", NULL);

	debugfs_create_file("stats", 0444, dir, NULL, &async_stats_fops);
	debugfs_create_file("domains", 0444, dir, NULL, &async_domains_fops);
#ifdef CONFIG_FAIL_ASYNC_ALLOC
	fault_create_debugfs_attr("fail_async_alloc", NULL, &fail_async_alloc);
#endif
	return 0;
}
late_initcall(async_debugfs_init);
#endif /* CONFIG_DEBUG_FS */
