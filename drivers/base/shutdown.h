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
 */
struct device_shutdown_opts {
	bool		async;
	unsigned int	timeout_ms;
};

/**
 * struct device_shutdown_stats - what a shutdown did
 * @devices: devices in the set, plus those shut down by the late pass
 * @async: devices shut down in async chains (with a callback, opted in)
 * @chains: async chains started
 * @peak: most devices being shut down at the same time
 * @edges: dependencies honoured (children and device-link consumers)
 * @cycles: dependency cycles found and broken
 * @skipped: devices removed from the system before their turn
 * @late: devices added after the set was taken, shut down at the end
 * @hung: devices reported by the watchdog
 * @legacy: the legacy order was used
 * @no_memory: ... because what the parallel shutdown needs could not be
 *	allocated or reserved
 * @elapsed_ns: time from start to end
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
	bool		legacy;
	bool		no_memory;
	u64		elapsed_ns;
	u64		critical_ns;
};

void device_shutdown_all(void);

void device_shutdown_devices(struct device **devs, unsigned int nr,
			     const struct device_shutdown_opts *opts,
			     struct device_shutdown_stats *stats);
void device_shutdown_kset(struct kset *kset,
			  const struct device_shutdown_opts *opts,
			  struct device_shutdown_stats *stats);

#if IS_ENABLED(CONFIG_KUNIT)
extern const struct kernel_param_ops device_shutdown_bool_ops;
#endif

#endif /* _DRIVERS_BASE_SHUTDOWN_H */
