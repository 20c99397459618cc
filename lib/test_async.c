// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios for the async function-call core, driven from user space.
 *
 * Write a scenario and its parameters to <debugfs>/test_async/run; the
 * write runs the scenario and returns when it is over, or fails with
 * -EINVAL for input it cannot parse.  <debugfs>/test_async/result then
 * holds what it measured, as "key=value" lines:
 *
 *   throughput entries=N           schedule N empty entries, wait for all
 *   atomic entries=N               the same, scheduling with interrupts off
 *   herd waiters=W entries=E       W tasks wait for distinct cookies while
 *                                  E entries finish one after another
 *   spread entries=N               N entries of the default domain, spread
 *                                  over the NUMA nodes with CPUs, each
 *                                  waiting until all N run at once
 *   skewed entries=N delay_ms=D    N entries of the default domain hinted
 *          per_node=P              to the first node with CPUs, then N to
 *                                  the next, and so on; each sleeps D ms
 *                                  once P entries of every node have
 *                                  arrived
 *   serial entries=N               N entries in one serial domain
 *   domains domains=K entries=N    N entries in each of K serial domains
 *   reserve entries=N              reserve N entries and hold them
 *   reserved                       schedule the held entries against
 *                                  the reservation, then release it
 *
 * The last four need the reworked core (serial domains, reservations);
 * the others also build against the unmodified 6.12 core, out of tree, so
 * that benchmarks can run the same scenarios on both kernels.
 *
 * Every scenario counts the entries that ran inline, in the task that
 * scheduled them: the fallback the reworked core avoids.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/async.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>

/* The reworked core defines serial domains; the 6.12 one does not. */
#ifdef ASYNC_DOMAIN_SERIAL
#define TEST_ASYNC_NEW_CORE 1
#else
#define TEST_ASYNC_NEW_CORE 0
#endif

#define MAX_ENTRIES	(1024U * 1024U)
#define MAX_WAITERS	256U
#define MAX_DOMAINS	64U
#define RESULT_SIZE	1024

struct test_async_params {
	unsigned int entries;
	unsigned int waiters;
	unsigned int domains;
	unsigned int delay_ms;
	unsigned int per_node;
};

/* One scenario run: what every entry records about itself. */
struct test_async_run {
	struct task_struct *scheduler;	/* who scheduled the entries */
	atomic_t ran;			/* entries that have run */
	atomic_t inline_runs;		/* entries run by the scheduler itself */
	pid_t *pids;			/* pid of the task that ran each entry */
	unsigned int nr_pids;
};

/* Per-domain bookkeeping of the serial scenarios. */
struct test_async_serial {
	struct test_async_run *run;
#if TEST_ASYNC_NEW_CORE
	struct async_domain domain;
#endif
	atomic_t running;		/* entries of this domain running now */
	async_cookie_t last_cookie;	/* cookie of the last entry to start */
	unsigned int order_violations;	/* started before a smaller cookie */
	unsigned int overlaps;		/* started while another one ran */
};

static DEFINE_MUTEX(test_async_lock);	/* one scenario at a time */
static char test_async_result[RESULT_SIZE];
static size_t test_async_result_len;

static __printf(1, 2) void report(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	test_async_result_len += vscnprintf(test_async_result + test_async_result_len,
					    RESULT_SIZE - test_async_result_len,
					    fmt, args);
	va_end(args);
}

static void record_entry(struct test_async_run *run)
{
	unsigned int slot = atomic_inc_return(&run->ran) - 1;

	if (current == run->scheduler)
		atomic_inc(&run->inline_runs);
	if (slot < run->nr_pids)
		run->pids[slot] = current->pid;
}

static int run_init(struct test_async_run *run, unsigned int entries)
{
	run->scheduler = current;
	atomic_set(&run->ran, 0);
	atomic_set(&run->inline_runs, 0);
	run->nr_pids = entries;
	run->pids = kvcalloc(entries, sizeof(*run->pids), GFP_KERNEL);
	return run->pids ? 0 : -ENOMEM;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return x < y ? -1 : x > y;
}

/* How many distinct tasks ran the entries: the workers the core used. */
static unsigned int run_workers(struct test_async_run *run)
{
	unsigned int i, distinct = 0, n = min_t(unsigned int,
						atomic_read(&run->ran), run->nr_pids);

	sort(run->pids, n, sizeof(*run->pids), cmp_pid, NULL);
	for (i = 0; i < n; i++)
		if (i == 0 || run->pids[i] != run->pids[i - 1])
			distinct++;
	return distinct;
}

static void run_report(struct test_async_run *run, u64 elapsed_ns)
{
	unsigned int ran = atomic_read(&run->ran);

	report("entries=%u\n", ran);
	report("elapsed_ns=%llu\n", elapsed_ns);
	report("entries_per_sec=%llu\n",
	       elapsed_ns ? div64_u64((u64)ran * NSEC_PER_SEC, elapsed_ns) : 0);
	report("workers=%u\n", run_workers(run));
	report("inline=%d\n", atomic_read(&run->inline_runs));
	kvfree(run->pids);
}

static void empty_entry(void *data, async_cookie_t cookie)
{
	record_entry(data);
}

static ASYNC_DOMAIN_EXCLUSIVE(test_async_domain);

/*
 * Schedule and run empty entries; with @atomic, from atomic context:
 * interrupts off, or on PREEMPT_RT, where the async core's spinlock_t
 * sleeps and may not be taken with interrupts off, bottom halves off.
 */
static int run_empty_entries(const struct test_async_params *p, bool atomic)
{
	struct test_async_run run;
	unsigned long flags = 0;
	bool rt = IS_ENABLED(CONFIG_PREEMPT_RT);
	unsigned int i;
	ktime_t start;

	if (run_init(&run, p->entries))
		return -ENOMEM;
	start = ktime_get();
	for (i = 0; i < p->entries; i++) {
		if (atomic && rt)
			local_bh_disable();
		else if (atomic)
			local_irq_save(flags);
		async_schedule_domain(empty_entry, &run, &test_async_domain);
		if (atomic && rt)
			local_bh_enable();
		else if (atomic)
			local_irq_restore(flags);
		/* Tens of thousands of entries take seconds under KASAN. */
		if (!(i % 256))
			cond_resched();
	}
	async_synchronize_full_domain(&test_async_domain);
	run_report(&run, ktime_to_ns(ktime_sub(ktime_get(), start)));
	return 0;
}

static int scenario_throughput(const struct test_async_params *p)
{
	return run_empty_entries(p, false);
}

static int scenario_atomic(const struct test_async_params *p)
{
	return run_empty_entries(p, true);
}

/*
 * The herd: W tasks wait for distinct cookies of one domain while its E
 * entries finish one after another (a mutex strings them out).  A waiter
 * that is woken by completions that do not satisfy it goes back to sleep,
 * which its voluntary context switch count shows.
 */
struct herd {
	struct test_async_run run;
	struct completion gate;		/* entries start once all wait */
	struct mutex one_at_a_time;
	atomic_t waiting;
};

struct herd_waiter {
	struct herd *herd;
	struct task_struct *task;
	async_cookie_t cookie;
	unsigned long sleeps;
	struct completion done;
};

static void herd_entry(void *data, async_cookie_t cookie)
{
	struct herd *herd = data;

	wait_for_completion(&herd->gate);
	mutex_lock(&herd->one_at_a_time);
	usleep_range(200, 300);
	mutex_unlock(&herd->one_at_a_time);
	record_entry(&herd->run);
}

static int herd_waiter_fn(void *data)
{
	struct herd_waiter *w = data;
	unsigned long before = current->nvcsw;

	atomic_inc(&w->herd->waiting);
	async_synchronize_cookie_domain(w->cookie, &test_async_domain);
	w->sleeps = current->nvcsw - before;
	/* Not a plain complete(): the module may go as soon as it is seen. */
	kthread_complete_and_exit(&w->done, 0);
}

static int scenario_herd(const struct test_async_params *p)
{
	unsigned int i, started = 0, per_waiter = p->entries / p->waiters;
	unsigned long total = 0, most = 0;
	struct herd_waiter *waiters;
	async_cookie_t *cookies;
	struct herd *herd;
	ktime_t start;
	int ret = -ENOMEM;

	herd = kzalloc(sizeof(*herd), GFP_KERNEL);
	waiters = kcalloc(p->waiters, sizeof(*waiters), GFP_KERNEL);
	cookies = kcalloc(p->entries, sizeof(*cookies), GFP_KERNEL);
	if (!herd || !waiters || !cookies || run_init(&herd->run, p->entries))
		goto out;
	init_completion(&herd->gate);
	mutex_init(&herd->one_at_a_time);

	for (i = 0; i < p->entries; i++)
		cookies[i] = async_schedule_domain(herd_entry, herd, &test_async_domain);
	/* Waiter i waits for the first (i + 1) / W of the entries. */
	for (i = 0; i < p->waiters; i++) {
		struct herd_waiter *w = &waiters[i];

		w->herd = herd;
		w->cookie = cookies[(i + 1) * per_waiter - 1] + 1;
		init_completion(&w->done);
		w->task = kthread_run(herd_waiter_fn, w, "async_herd/%u", i);
		if (IS_ERR(w->task))
			break;
		report("waiter_pid=%d\n", task_pid_nr(w->task));
		started++;
	}
	/* Let every waiter reach its sleep before the first entry finishes. */
	while (atomic_read(&herd->waiting) < started)
		usleep_range(1000, 2000);
	msleep(20);

	start = ktime_get();
	complete_all(&herd->gate);
	for (i = 0; i < started; i++) {
		wait_for_completion(&waiters[i].done);
		total += waiters[i].sleeps;
		most = max(most, waiters[i].sleeps);
	}
	async_synchronize_full_domain(&test_async_domain);
	report("waiters=%u\n", started);
	report("sleeps_per_wait_x100=%lu\n", started ? total * 100 / started : 0);
	report("sleeps_per_wait_max=%lu\n", most);
	run_report(&herd->run, ktime_to_ns(ktime_sub(ktime_get(), start)));
	herd->run.pids = NULL;
	ret = started == p->waiters ? 0 : -ENOMEM;
out:
	if (herd)
		kvfree(herd->run.pids);
	kfree(cookies);
	kfree(waiters);
	kfree(herd);
	return ret;
}

/*
 * How many entries of the default domain run at once: each one waits
 * until all have arrived.  The first to give up, after SPREAD_TIMEOUT,
 * notes how many had arrived by then and lets everyone through, so that
 * a limit shows as a number rather than as a hang.
 */
#define SPREAD_TIMEOUT	(30 * HZ)

struct spread {
	struct test_async_run run;
	struct completion all;
	atomic_t arrived;
	atomic_t at_timeout;		/* arrived when one gave up; 0: none did */
	unsigned int want;
};

static void spread_entry(void *data, async_cookie_t cookie)
{
	struct spread *s = data;

	record_entry(&s->run);
	if (atomic_inc_return(&s->arrived) == s->want) {
		complete_all(&s->all);
		return;
	}
	if (!wait_for_completion_timeout(&s->all, SPREAD_TIMEOUT)) {
		atomic_cmpxchg(&s->at_timeout, 0, atomic_read(&s->arrived));
		complete_all(&s->all);
	}
}

static int scenario_spread(const struct test_async_params *p)
{
	unsigned int i, nodes = num_node_state(N_CPU);
	async_cookie_t cookie = 0;
	struct spread *s;
	int node = first_node(node_states[N_CPU]);
	ktime_t start;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s || run_init(&s->run, p->entries)) {
		kfree(s);
		return -ENOMEM;
	}
	init_completion(&s->all);
	s->want = p->entries;
	start = ktime_get();
	for (i = 0; i < p->entries; i++) {
		cookie = async_schedule_node(spread_entry, s, node);
		node = next_node_in(node, node_states[N_CPU]);
	}
	async_synchronize_cookie(cookie + 1);
	report("nodes=%u\n", nodes);
	report("concurrent=%u\n", atomic_read(&s->at_timeout) ?: s->want);
	report("met=%d\n", !atomic_read(&s->at_timeout));
	run_report(&s->run, ktime_to_ns(ktime_sub(ktime_get(), start)));
	kfree(s);
	return 0;
}

/*
 * Skewed hints: all entries of one node are scheduled before any of the
 * next.  6.12 queued each entry on async_wq at its node, which ran
 * WQ_DFL_ACTIVE of them at once per node, so entries hinted to a node ran
 * there and never waited for a busy node elsewhere.  An entry counts as
 * running on the node it was hinted to.  Every entry waits, with a
 * timeout, until per_node entries of each node have arrived: a rendezvous
 * of all nodes at once, which only a core that runs per_node entries on
 * each node at the same time lets happen, however slowly workers start.
 * The first node's entries, scheduled first, so hold its runners while
 * the next node's must start.  An entry also notes the node of the CPU
 * it started on; on an unbound workqueue without strict affinity, the
 * scheduler may move a worker off its node, on 6.12 as well, so that is
 * only reported.  Nodes from SKEWED_MAX_NODES on are left out.
 */
#define SKEWED_MAX_NODES	8
#define SKEWED_MAX_ENTRIES	4096U
#define SKEWED_TIMEOUT		(20 * HZ)

struct skewed_node {
	atomic_t running;		/* entries hinted here, running now */
	atomic_t peak;			/* most of them at once */
	atomic_t arrived;		/* entries hinted here that started */
	atomic_t wrong;			/* of those, started on another node */
	atomic64_t last_end_ns;		/* since the start, of the last one */
	s64 met_ns;			/* since the start, per_node arrived */
};

struct skewed {
	struct test_async_run run;
	struct skewed_node nodes[SKEWED_MAX_NODES];
	unsigned int per_node;
	unsigned int delay_ms;
	unsigned int nr_nodes;
	atomic_t nodes_met;		/* nodes where per_node arrived */
	struct completion all_met;	/* at all of them */
	bool timed_out;
	ktime_t start;
};

struct skewed_entry {
	struct skewed *s;
	int node;
};

static void skewed_peak(struct skewed_node *n, int now)
{
	int peak = atomic_read(&n->peak);

	while (now > peak && !atomic_try_cmpxchg(&n->peak, &peak, now))
		;
}

static void skewed_entry_fn(void *data, async_cookie_t cookie)
{
	struct skewed_entry *e = data;
	struct skewed *s = e->s;
	struct skewed_node *n = &s->nodes[e->node];
	s64 end, last;

	record_entry(&s->run);
	if (cpu_to_node(raw_smp_processor_id()) != e->node)
		atomic_inc(&n->wrong);
	skewed_peak(n, atomic_inc_return(&n->running));
	if (atomic_inc_return(&n->arrived) == s->per_node) {
		n->met_ns = ktime_to_ns(ktime_sub(ktime_get(), s->start));
		if (atomic_inc_return(&s->nodes_met) == s->nr_nodes)
			complete_all(&s->all_met);
	}
	if (!wait_for_completion_timeout(&s->all_met, SKEWED_TIMEOUT)) {
		WRITE_ONCE(s->timed_out, true);
		complete_all(&s->all_met);
	}
	msleep(s->delay_ms);
	atomic_dec(&n->running);
	end = ktime_to_ns(ktime_sub(ktime_get(), s->start));
	last = atomic64_read(&n->last_end_ns);
	while (end > last && !atomic64_try_cmpxchg(&n->last_end_ns, &last, end))
		;
}

static int scenario_skewed(const struct test_async_params *p)
{
	unsigned int i, k = 0, nodes = 0, wrong = 0;
	struct skewed_entry *entries;
	async_cookie_t cookie = 0;
	struct skewed *s;
	int node;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	entries = kcalloc(SKEWED_MAX_NODES * p->entries, sizeof(*entries),
			  GFP_KERNEL);
	if (!s || !entries || run_init(&s->run, SKEWED_MAX_NODES * p->entries)) {
		kfree(entries);
		kfree(s);
		return -ENOMEM;
	}
	s->per_node = p->per_node;
	s->delay_ms = p->delay_ms;
	init_completion(&s->all_met);
	for_each_node_state(node, N_CPU)
		if (node < SKEWED_MAX_NODES)
			s->nr_nodes++;
	s->start = ktime_get();
	for_each_node_state(node, N_CPU) {
		if (node >= SKEWED_MAX_NODES)
			continue;
		for (i = 0; i < p->entries; i++, k++) {
			entries[k].s = s;
			entries[k].node = node;
			cookie = async_schedule_node(skewed_entry_fn, &entries[k],
						     node);
		}
		nodes++;
	}
	async_synchronize_cookie(cookie + 1);
	report("nodes=%u\n", nodes);
	report("per_node=%u\n", s->per_node);
	for_each_node_state(node, N_CPU) {
		struct skewed_node *n = &s->nodes[node];

		if (node >= SKEWED_MAX_NODES)
			continue;
		report("node%d_peak=%d\n", node, atomic_read(&n->peak));
		report("node%d_wrong=%d\n", node, atomic_read(&n->wrong));
		report("node%d_met_ms=%lld\n", node,
		       div_s64(n->met_ns, NSEC_PER_MSEC));
		report("node%d_last_end_ms=%lld\n", node,
		       div_s64(atomic64_read(&n->last_end_ns), NSEC_PER_MSEC));
		wrong += atomic_read(&n->wrong);
	}
	report("met=%d\n", !s->timed_out);
	report("wrong=%u\n", wrong);
	run_report(&s->run, ktime_to_ns(ktime_sub(ktime_get(), s->start)));
	kfree(entries);
	kfree(s);
	return 0;
}

#if TEST_ASYNC_NEW_CORE
static void serial_entry(void *data, async_cookie_t cookie)
{
	struct test_async_serial *s = data;

	if (atomic_inc_return(&s->running) > 1)
		s->overlaps++;
	if (cookie < s->last_cookie)
		s->order_violations++;
	s->last_cookie = cookie;
	record_entry(s->run);
	atomic_dec(&s->running);
}

/* K serial domains of N entries each, scheduled round robin. */
static int run_serial_domains(unsigned int nr_domains, unsigned int entries)
{
	unsigned int i, k, violations = 0, overlaps = 0;
	struct test_async_serial *serial;
	struct test_async_run run;
	ktime_t start;

	serial = kcalloc(nr_domains, sizeof(*serial), GFP_KERNEL);
	if (!serial || run_init(&run, nr_domains * entries)) {
		kfree(serial);
		return -ENOMEM;
	}
	for (k = 0; k < nr_domains; k++) {
		serial[k].run = &run;
		async_domain_init(&serial[k].domain, "test_async_serial", 1);
	}
	start = ktime_get();
	for (i = 0; i < entries; i++)
		for (k = 0; k < nr_domains; k++)
			async_schedule_domain(serial_entry, &serial[k],
					      &serial[k].domain);
	for (k = 0; k < nr_domains; k++) {
		async_synchronize_full_domain(&serial[k].domain);
		violations += serial[k].order_violations;
		overlaps += serial[k].overlaps;
	}
	report("domains=%u\n", nr_domains);
	report("order_violations=%u\n", violations);
	report("overlaps=%u\n", overlaps);
	run_report(&run, ktime_to_ns(ktime_sub(ktime_get(), start)));
	kfree(serial);
	return 0;
}

static int scenario_serial(const struct test_async_params *p)
{
	return run_serial_domains(1, p->entries);
}

static int scenario_domains(const struct test_async_params *p)
{
	return run_serial_domains(p->domains, p->entries);
}

/*
 * Reservations are taken and used in two steps, so that user space can
 * make every allocation fail in between (fail_async_alloc) and see that
 * scheduling against the reservation does not care.
 */
static struct async_reservation test_async_held;
static unsigned int test_async_held_entries;

static int scenario_reserve(const struct test_async_params *p)
{
	int ret;

	if (test_async_held_entries) {
		pr_err("reserve: %u entries are held already; run reserved first\n",
		       test_async_held_entries);
		return -EINVAL;
	}
	ret = async_reserve(&test_async_held, p->entries);
	report("reserve_error=%d\n", ret);
	if (!ret)
		test_async_held_entries = p->entries;
	return 0;
}

static int scenario_reserved(const struct test_async_params *p)
{
	unsigned int i, entries = test_async_held_entries;
	struct async_stats before, after;
	struct test_async_run run;
	ktime_t start;

	if (!entries) {
		pr_err("reserved: nothing is held; run reserve first\n");
		return -EINVAL;
	}
	if (run_init(&run, entries))
		return -ENOMEM;
	async_domain_get_stats(&test_async_domain, &before);
	start = ktime_get();
	for (i = 0; i < entries; i++)
		async_schedule_reserved(empty_entry, &run, &test_async_domain,
					&test_async_held);
	async_synchronize_full_domain(&test_async_domain);
	async_domain_get_stats(&test_async_domain, &after);
	async_unreserve(&test_async_held);
	test_async_held_entries = 0;
	report("domain_inline_fallbacks=%llu\n",
	       after.inline_fallbacks - before.inline_fallbacks);
	run_report(&run, ktime_to_ns(ktime_sub(ktime_get(), start)));
	return 0;
}

static void release_held(void)
{
	if (test_async_held_entries)
		async_unreserve(&test_async_held);
}
#else
static void release_held(void)
{
}
#endif /* TEST_ASYNC_NEW_CORE */

struct test_async_scenario {
	const char *name;
	int (*run)(const struct test_async_params *p);
	bool needs_domains;
	bool needs_waiters;
	bool needs_nodes;
	unsigned int max_entries;	/* below MAX_ENTRIES, if not 0 */
};

/*
 * Herd entries wait for a gate that the scheduling task opens once they
 * are all queued: one run inline, past the core's MAX_WORK of pending
 * entries, would wait for it in that very task.
 */
#define HERD_MAX_ENTRIES	16384U

static const struct test_async_scenario scenarios[] = {
	{ "throughput", scenario_throughput },
	{ "atomic", scenario_atomic },
	{ "herd", scenario_herd, .needs_waiters = true,
	  .max_entries = HERD_MAX_ENTRIES },
	{ "spread", scenario_spread },
	{ "skewed", scenario_skewed, .needs_nodes = true,
	  .max_entries = SKEWED_MAX_ENTRIES },
#if TEST_ASYNC_NEW_CORE
	{ "serial", scenario_serial },
	{ "domains", scenario_domains, .needs_domains = true },
	{ "reserve", scenario_reserve },
	{ "reserved", scenario_reserved },
#endif
};

static unsigned int *param_field(struct test_async_params *p, const char *key)
{
	if (!strcmp(key, "entries"))
		return &p->entries;
	if (!strcmp(key, "waiters"))
		return &p->waiters;
	if (!strcmp(key, "domains"))
		return &p->domains;
	if (!strcmp(key, "delay_ms"))
		return &p->delay_ms;
	if (!strcmp(key, "per_node"))
		return &p->per_node;
	return NULL;
}

/* Parse "key=value" words into @p; complain about anything else. */
static int parse_params(const char *scenario, char *args,
			struct test_async_params *p)
{
	char *word, *value;
	unsigned int *field;

	while ((word = strsep(&args, " \t\n")) != NULL) {
		if (!*word)
			continue;
		value = strchr(word, '=');
		if (!value) {
			pr_err("%s: expected key=value, got '%s'\n", scenario, word);
			return -EINVAL;
		}
		*value++ = '\0';
		field = param_field(p, word);
		if (!field) {
			pr_err("%s: unknown parameter '%s'\n", scenario, word);
			return -EINVAL;
		}
		if (kstrtouint(value, 0, field)) {
			pr_err("%s: %s=%s is not a number\n", scenario, word, value);
			return -EINVAL;
		}
	}
	return 0;
}

static int check_params(const struct test_async_scenario *s,
			const struct test_async_params *p)
{
	unsigned int max_entries = s->max_entries ?: MAX_ENTRIES;

	if (p->entries < 1 || p->entries > max_entries) {
		pr_err("%s: entries must be 1..%u\n", s->name, max_entries);
		return -EINVAL;
	}
	if (s->needs_waiters &&
	    (p->waiters < 1 || p->waiters > MAX_WAITERS || p->waiters > p->entries)) {
		pr_err("%s: waiters must be 1..%u and at most entries\n",
		       s->name, MAX_WAITERS);
		return -EINVAL;
	}
	if (s->needs_nodes &&
	    (p->per_node < 1 || p->per_node > p->entries || p->delay_ms > 10000)) {
		pr_err("%s: per_node must be 1..entries, delay_ms at most 10000\n",
		       s->name);
		return -EINVAL;
	}
	if (s->needs_domains &&
	    (p->domains < 1 || p->domains > MAX_DOMAINS ||
	     (u64)p->domains * p->entries > MAX_ENTRIES)) {
		pr_err("%s: domains must be 1..%u, and domains * entries at most %u\n",
		       s->name, MAX_DOMAINS, MAX_ENTRIES);
		return -EINVAL;
	}
	return 0;
}

static int run_command(char *cmd)
{
	struct test_async_params p = {
		.entries = 1000, .waiters = 16, .domains = 4,
		.delay_ms = 200, .per_node = 256,
	};
	const struct test_async_scenario *s = NULL;
	char *name = strsep(&cmd, " \t\n");
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(scenarios); i++)
		if (!strcmp(name, scenarios[i].name))
			s = &scenarios[i];
	if (!s) {
		pr_err("unknown scenario '%s'\n", name);
		return -EINVAL;
	}
	ret = parse_params(s->name, cmd, &p);
	if (!ret)
		ret = check_params(s, &p);
	if (ret)
		return ret;

	test_async_result_len = 0;
	report("scenario=%s\n", s->name);
	return s->run(&p);
}

static ssize_t run_write(struct file *file, const char __user *buf,
			 size_t count, loff_t *ppos)
{
	char *cmd;
	int ret;

	if (count > 256)
		return -EINVAL;
	cmd = memdup_user_nul(buf, count);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	mutex_lock(&test_async_lock);
	ret = run_command(strim(cmd));
	mutex_unlock(&test_async_lock);
	kfree(cmd);
	return ret ? ret : count;
}

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.write = run_write,
};

static ssize_t result_read(struct file *file, char __user *buf, size_t count,
			   loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&test_async_lock);
	ret = simple_read_from_buffer(buf, count, ppos, test_async_result,
				      test_async_result_len);
	mutex_unlock(&test_async_lock);
	return ret;
}

static const struct file_operations result_fops = {
	.owner = THIS_MODULE,
	.read = result_read,
};

static struct dentry *test_async_dir;

static int __init test_async_init(void)
{
	test_async_dir = debugfs_create_dir("test_async", NULL);
	debugfs_create_file("run", 0200, test_async_dir, NULL, &run_fops);
	debugfs_create_file("result", 0444, test_async_dir, NULL, &result_fops);
	return 0;
}

static void __exit test_async_exit(void)
{
	debugfs_remove(test_async_dir);
	/* Nothing of ours may run once the module text is gone. */
	async_synchronize_full_domain(&test_async_domain);
	release_held();
}

module_init(test_async_init);
module_exit(test_async_exit);
MODULE_DESCRIPTION("Scenarios and benchmarks for the async function-call core");
MODULE_LICENSE("GPL");
