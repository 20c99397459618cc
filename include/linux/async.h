/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * async.h: asynchronous function calls
 *
 * The async core runs functions in the background while the caller goes
 * on, and lets the caller wait for them later by cookie or by domain.
 * The original interface (C) Copyright 2009 Intel Corporation.
 */
#ifndef __ASYNC_H__
#define __ASYNC_H__

#include <linux/types.h>
#include <linux/list.h>
#include <linux/numa.h>
#include <linux/device.h>

typedef u64 async_cookie_t;
typedef void (*async_func_t) (void *data, async_cookie_t cookie);

/**
 * struct async_stats - counters of the async core, or of one domain
 * @scheduled: calls queued for asynchronous execution
 * @inline_fallbacks: calls that ran the function in the caller instead,
 *	because no entry could be allocated or too much work was pending
 * @refused: calls into a domain with a limit (&async_domain.max_active
 *	not 0) that could not be queued; such a call is not run at all,
 *	since running it inline would break the limit
 * @wakeups: waiters woken by the completion that satisfied them
 * @spurious_wakeups: waiters that came back from schedule() unsatisfied
 * @workers_started: runners started, each one a work item on the async
 *	workqueue that runs entries of one domain back to back
 * @peak_active: most runners at work at the same time
 *
 * The counters of a domain count its own calls, and the waits on it; the
 * waits given a %NULL domain only count in the core's.
 */
struct async_stats {
	u64	scheduled;
	u64	inline_fallbacks;
	u64	refused;
	u64	wakeups;
	u64	spurious_wakeups;
	u64	workers_started;
	u64	peak_active;
};

/**
 * struct async_domain - a group of async entries that can be waited for
 * @name: name shown in trace events and in debugfs.  It must stay valid
 *	while the domain has pending entries.  debugfs lists a domain built
 *	into the kernel for good once it had calls, so the name of such a
 *	domain must live for ever, as a string literal does.
 * @max_active: how many entries of the domain may run at the same time;
 *	0 selects the default limit (WQ_DFL_ACTIVE per NUMA node, shared
 *	with the other domains without a limit), 1 makes the domain
 *	serial.  Set it before the first entry is scheduled.  A domain
 *	with a limit never runs a call in its caller: see
 *	async_schedule_node_domain().
 * @registered: the domain takes part in async_synchronize_full() and in
 *	the other waits with a %NULL domain.  It may change while calls are
 *	pending: each call takes part as its domain did when it was
 *	scheduled.
 *
 * Define domains with ASYNC_DOMAIN(), ASYNC_DOMAIN_EXCLUSIVE() or
 * ASYNC_DOMAIN_SERIAL(), or set one up at run time with
 * async_domain_init().  The remaining fields belong to kernel/async.c.
 */
struct async_domain {
	const char		*name;
	unsigned int		max_active;
	bool			registered;
	/* private: protected by the async core's lock */
	struct list_head	pending;
	struct list_head	queued;
	struct list_head	waiters;
	struct list_head	node;
	unsigned int		active;
	unsigned int		nr_queued;
	struct async_stats	stats;		/* but spurious_wakeups: */
	/* private: counted without the lock, by the waiters themselves */
	atomic64_t		spurious_wakeups;
};

#define __ASYNC_DOMAIN_INITIALIZER(_name, _registered, _max_active)	\
	{								\
		.name		= #_name,				\
		.max_active	= (_max_active),			\
		.registered	= (_registered),			\
		.pending	= LIST_HEAD_INIT((_name).pending),	\
		.queued		= LIST_HEAD_INIT((_name).queued),	\
		.waiters	= LIST_HEAD_INIT((_name).waiters),	\
		.node		= LIST_HEAD_INIT((_name).node),		\
	}

/*
 * The domain takes part in async_synchronize_full().
 */
#define ASYNC_DOMAIN(_name)						\
	struct async_domain _name =					\
		__ASYNC_DOMAIN_INITIALIZER(_name, true, 0)

/*
 * The domain stays out of async_synchronize_full(), and may go out of
 * scope as soon as its last entry has finished and its waiters returned.
 */
#define ASYNC_DOMAIN_EXCLUSIVE(_name)					\
	struct async_domain _name =					\
		__ASYNC_DOMAIN_INITIALIZER(_name, false, 0)

/*
 * An exclusive domain whose entries run one at a time, in cookie order.
 */
#define ASYNC_DOMAIN_SERIAL(_name)					\
	struct async_domain _name =					\
		__ASYNC_DOMAIN_INITIALIZER(_name, false, 1)

/**
 * struct async_reservation - entries set aside for async_schedule_reserved()
 *
 * Filled by async_reserve() and emptied by async_unreserve().  The caller
 * provides the storage (on the stack or embedded in its own object),
 * zeroed before its first async_reserve(): ``= { }`` or kzalloc().  Once
 * unreserved, it may be filled again.  The fields are private to
 * kernel/async.c.
 */
struct async_reservation {
	/* private: protected by the async core's lock */
	struct list_head	free;
	unsigned int		nr_free;
	unsigned int		state;
};

void async_domain_init(struct async_domain *domain, const char *name,
		       unsigned int max_active);

async_cookie_t async_schedule_node(async_func_t func, void *data,
				   int node);
async_cookie_t async_schedule_node_domain(async_func_t func, void *data,
					  int node,
					  struct async_domain *domain);

/**
 * async_schedule - run a function asynchronously
 * @func: function to run
 * @data: argument for @func
 *
 * Return: the cookie of the call, to wait for it later.  May be called
 * from atomic context.
 */
static inline async_cookie_t async_schedule(async_func_t func, void *data)
{
	return async_schedule_node(func, data, NUMA_NO_NODE);
}

/**
 * async_schedule_domain - run a function asynchronously within a domain
 * @func: function to run
 * @data: argument for @func
 * @domain: domain of the call
 *
 * The call can be waited for with the async_synchronize_*_domain()
 * functions on @domain, without waiting for unrelated work.
 *
 * When no entry can be had (memory is short, or too much work is
 * pending), a domain without a limit runs @func in the caller, but a
 * domain with a limit (&async_domain.max_active not 0, such as a serial
 * domain) refuses the call: @func is not run at all, and 0 is returned.
 * Callers that need every call to run reserve entries first, with
 * async_reserve() and async_schedule_reserved().
 *
 * Return: the cookie of the call, or 0 if @domain has a limit and the
 * call was refused.  May be called from atomic context.
 */
static inline async_cookie_t
async_schedule_domain(async_func_t func, void *data,
		      struct async_domain *domain)
{
	return async_schedule_node_domain(func, data, NUMA_NO_NODE, domain);
}

/**
 * async_schedule_dev - run a function asynchronously for a device
 * @func: function to run
 * @dev: device, passed to @func as its argument
 *
 * The work runs close to the NUMA node of @dev when possible.
 *
 * Return: the cookie of the call.  May be called from atomic context.
 */
static inline async_cookie_t
async_schedule_dev(async_func_t func, struct device *dev)
{
	return async_schedule_node(func, dev, dev_to_node(dev));
}

bool async_schedule_dev_nocall(async_func_t func, struct device *dev);

/**
 * async_schedule_dev_domain - run a function asynchronously for a device
 *			       within a domain
 * @func: function to run
 * @dev: device, passed to @func as its argument
 * @domain: domain of the call
 *
 * Like async_schedule_dev(), and the call belongs to @domain.  As with
 * async_schedule_domain(), a domain with a limit may refuse the call.
 *
 * Return: the cookie of the call, or 0 if @domain has a limit and the
 * call was refused (@func not run).  May be called from atomic context.
 */
static inline async_cookie_t
async_schedule_dev_domain(async_func_t func, struct device *dev,
			  struct async_domain *domain)
{
	return async_schedule_node_domain(func, dev, dev_to_node(dev), domain);
}

int async_reserve(struct async_reservation *res, unsigned int nr);
async_cookie_t async_schedule_reserved_node(async_func_t func, void *data,
					    int node,
					    struct async_domain *domain,
					    struct async_reservation *res);
void async_unreserve(struct async_reservation *res);

/**
 * async_schedule_reserved - run a function asynchronously on a reserved entry
 * @func: function to run
 * @data: argument for @func
 * @domain: domain of the call
 * @res: reservation filled by async_reserve()
 *
 * async_schedule_reserved_node() without a NUMA node.
 *
 * Return: the cookie of the call, or 0 if @res had no entry left.
 */
static inline async_cookie_t
async_schedule_reserved(async_func_t func, void *data,
			struct async_domain *domain,
			struct async_reservation *res)
{
	return async_schedule_reserved_node(func, data, NUMA_NO_NODE, domain,
					    res);
}

void async_synchronize_full(void);
void async_synchronize_full_domain(struct async_domain *domain);
void async_synchronize_cookie(async_cookie_t cookie);
void async_synchronize_cookie_domain(async_cookie_t cookie,
				     struct async_domain *domain);
bool current_is_async(void);

void async_get_stats(struct async_stats *st);
void async_domain_get_stats(struct async_domain *domain,
			    struct async_stats *st);

#if IS_ENABLED(CONFIG_KUNIT)
/* The entry allocator and its free, for KUnit static stubs. */
struct async_entry;
struct async_entry *async_alloc_entry(gfp_t gfp);
void async_free_entry(struct async_entry *entry);
/* How many times debugfs lists @domain, or -ELOOP for a broken list. */
int async_static_domain_count(struct async_domain *domain);
/* Whether %current runs async entries for reservations. */
bool async_current_reserved(void);
/* The node the runner of %current was queued for, or %NUMA_NO_NODE. */
int async_current_node(void);
#endif

void async_init(void);
#endif
