/* SPDX-License-Identifier: GPL-2.0-only */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM async

#if !defined(_TRACE_ASYNC_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_ASYNC_H

#include <linux/async.h>
#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(async_entry,

	TP_PROTO(const char *domain, async_cookie_t cookie, async_func_t func),

	TP_ARGS(domain, cookie, func),

	TP_STRUCT__entry(
		__string(domain,	domain)
		__field(async_cookie_t,	cookie)
		__field(void *,		func)
	),

	TP_fast_assign(
		__assign_str(domain);
		__entry->cookie = cookie;
		__entry->func = (void *)func;
	),

	TP_printk("domain=%s cookie=%llu func=%ps",
		  __get_str(domain), (unsigned long long)__entry->cookie,
		  __entry->func)
);

/*
 * async_entry_queue - an entry got its cookie and was put on its domain
 * @domain: name of the domain
 * @cookie: cookie of the entry
 * @func: function the entry will run
 */
DEFINE_EVENT(async_entry, async_entry_queue,
	TP_PROTO(const char *domain, async_cookie_t cookie, async_func_t func),
	TP_ARGS(domain, cookie, func)
);

/*
 * async_entry_start - a runner is about to call the function of an entry
 * @domain: name of the domain
 * @cookie: cookie of the entry
 * @func: function about to run
 */
DEFINE_EVENT(async_entry, async_entry_start,
	TP_PROTO(const char *domain, async_cookie_t cookie, async_func_t func),
	TP_ARGS(domain, cookie, func)
);

/*
 * async_entry_end - the function of an entry returned
 * @domain: name of the domain
 * @cookie: cookie of the entry
 * @func: function that ran
 */
DEFINE_EVENT(async_entry, async_entry_end,
	TP_PROTO(const char *domain, async_cookie_t cookie, async_func_t func),
	TP_ARGS(domain, cookie, func)
);

DECLARE_EVENT_CLASS(async_wait,

	TP_PROTO(const char *domain, async_cookie_t cookie),

	TP_ARGS(domain, cookie),

	TP_STRUCT__entry(
		__string(domain,	domain)
		__field(async_cookie_t,	cookie)
	),

	TP_fast_assign(
		__assign_str(domain);
		__entry->cookie = cookie;
	),

	TP_printk("domain=%s cookie=%llu",
		  __get_str(domain), (unsigned long long)__entry->cookie)
);

/*
 * async_wait_begin - a task starts waiting for entries below a cookie
 * @domain: name of the domain, "all" for the registered domains
 * @cookie: the task waits for the entries below this cookie
 */
DEFINE_EVENT(async_wait, async_wait_begin,
	TP_PROTO(const char *domain, async_cookie_t cookie),
	TP_ARGS(domain, cookie)
);

/*
 * async_wait_end - the wait started by async_wait_begin is over
 * @domain: name of the domain, "all" for the registered domains
 * @cookie: cookie the task waited for
 */
DEFINE_EVENT(async_wait, async_wait_end,
	TP_PROTO(const char *domain, async_cookie_t cookie),
	TP_ARGS(domain, cookie)
);

#endif /* _TRACE_ASYNC_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
