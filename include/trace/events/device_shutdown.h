/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace events of device shutdown at reboot and power-off, one pair per
 * device, so that a timeline of the chains can be drawn from a trace.
 * Chain 0 is the task that called device_shutdown(); chains from 1 up are
 * the async chains of drivers/base/shutdown.c.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM device_shutdown

#if !defined(_TRACE_DEVICE_SHUTDOWN_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_DEVICE_SHUTDOWN_H

#include <linux/device.h>
#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(device_shutdown_device,
		    TP_PROTO(struct device *dev, unsigned int chain),
		    TP_ARGS(dev, chain),
		    TP_STRUCT__entry(__string(driver, dev_driver_string(dev))
				     __string(name, dev_name(dev))
				     __field(unsigned int, chain)),
		    TP_fast_assign(__assign_str(driver);
				   __assign_str(name);
				   __entry->chain = chain;),
		    TP_printk("%s %s chain=%u", __get_str(driver),
			      __get_str(name), __entry->chain));

/*
 * device_shutdown_start - a device is about to be shut down, by the calling
 * task (chain 0) or by an async chain.
 */
DEFINE_EVENT(device_shutdown_device, device_shutdown_start,
	     TP_PROTO(struct device *dev, unsigned int chain),
	     TP_ARGS(dev, chain));

/*
 * device_shutdown_end - a device has been shut down, or skipped because it
 * was removed before its turn.
 */
DEFINE_EVENT(device_shutdown_device, device_shutdown_end,
	     TP_PROTO(struct device *dev, unsigned int chain),
	     TP_ARGS(dev, chain));

#endif /* _TRACE_DEVICE_SHUTDOWN_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
