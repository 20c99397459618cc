/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device shutdown engine (drivers/base/shutdown.c), for the driver core
 * and for its KUnit tests.
 */
#ifndef _DRIVERS_BASE_SHUTDOWN_H
#define _DRIVERS_BASE_SHUTDOWN_H

#include <linux/moduleparam.h>
#include <linux/types.h>

struct device;
struct kset;

/**
 * struct device_shutdown_opts - how to shut a set of devices down
 * @async: run devices that opted in with device_enable_async_shutdown() in
 *	parallel chains; %false gives the legacy order, one at a time
 * @timeout_ms: name any device whose shutdown takes longer than this, with
 *	the stack of the task running it; 0 for no watchdog
 * @reported: if set, called in the watchdog's timer once it has named a
 *	device: tests wait for it instead of guessing how long a report
 *	takes.  It runs in softirq context (a thread on PREEMPT_RT), maybe in
 *	an RCU read-side section, so it must not sleep; the device is the
 *	caller's, valid during the call
 * @stalled: the same, once the watchdog has reported a stall, with the
 *	device it named as what holds the run up (%NULL if none)
 * @reported_data: passed to @reported and @stalled
 */
struct device_shutdown_opts {
	bool		async;
	unsigned int	timeout_ms;
	void		(*reported)(struct device *dev, void *data);
	void		(*stalled)(struct device *dev, void *data);
	void		*reported_data;
};

/**
 * struct device_shutdown_stats - what a shutdown did
 * @devices: devices in the set, plus those added during the shutdown
 * @async: devices shut down in async chains (with a callback, opted in)
 * @chains: async chains started
 * @peak: most devices with a callback being shut down at the same time
 * @edges: dependencies honoured (children and device-link consumers)
 * @cycles: dependency cycles found and broken
 * @skipped: devices removed from the system before their turn
 * @late: devices added after the set was taken, and shut down
 * @hung: devices reported by the watchdog
 * @stalls: times the watchdog saw no device start or finish for its
 *	timeout while none was being shut down
 * @watchdog_scans: times the watchdog looked at the lanes
 * @watchdog_lanes: lanes it looked at, all scans together
 * @watchdog_most_lanes: most lanes it looked at in one firing
 * @watchdog_most_reports: most devices it named in one firing
 * @sleeps: times the calling thread waited for a sync device to be ready
 * @late_looks: late devices left for later that the late passes looked at,
 *	to find what waits for a late device
 * @late_waits: times a chain slept until the calling thread had shut the
 *	late devices it saw down
 * @legacy: the legacy order was used
 * @no_memory: ... because what the parallel shutdown needs could not be
 *	allocated or reserved
 * @plan_bytes: memory the plan and its execution took
 * @elapsed_ns: time from start to end
 * @prepare_ns: of which taking the devices, planning and reserving
 * @finish_ns: and accounting, freeing and giving the devices back
 * @critical_ns: longest dependency path, summing the measured time of
 *	each device on it (0 in the legacy order)
 */
struct device_shutdown_stats {
	unsigned int	devices;
	unsigned int	async;
	unsigned int	chains;
	unsigned int	peak;
	unsigned int	edges;
	unsigned int	cycles;
	unsigned int	skipped;
	unsigned int	late;
	unsigned int	hung;
	unsigned int	stalls;
	unsigned int	watchdog_scans;
	unsigned int	watchdog_lanes;
	unsigned int	watchdog_most_lanes;
	unsigned int	watchdog_most_reports;
	unsigned int	sleeps;
	unsigned long	late_looks;
	unsigned int	late_waits;
	bool		legacy;
	bool		no_memory;
	size_t		plan_bytes;
	u64		elapsed_ns;
	u64		prepare_ns;
	u64		finish_ns;
	u64		critical_ns;
};

void device_shutdown_all(void);
unsigned int device_shutdown_walk(struct kset *kset);
void device_shutdown_topology_changed(void);

void device_shutdown_devices(struct device **devs, unsigned int nr,
			     const struct device_shutdown_opts *opts,
			     struct device_shutdown_stats *stats);
void device_shutdown_kset(struct kset *kset,
			  const struct device_shutdown_opts *opts,
			  struct device_shutdown_stats *stats);

#if IS_ENABLED(CONFIG_KUNIT)
struct shutdown_run;

extern const struct kernel_param_ops device_shutdown_bool_ops;
extern bool device_shutdown_async;
void device_shutdown_configured(struct kset *kset,
				struct device_shutdown_stats *stats);
void *device_shutdown_alloc(struct shutdown_run *run, size_t n, size_t size,
			    gfp_t gfp);
void device_shutdown_kset_relax(struct kset *kset);
struct device *device_shutdown_parent_above(struct device *dev);
void device_shutdown_left_out(struct device *w, struct device *n,
			      const char *why);
#endif

#endif /* _DRIVERS_BASE_SHUTDOWN_H */
