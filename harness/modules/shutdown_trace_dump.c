// SPDX-License-Identifier: GPL-2.0
/*
 * Print the trace buffer on the console once device_shutdown() is over,
 * at power-off: the harness boots with trace_event=device_shutdown:* and
 * loads this module, so the device_shutdown trace events reach the host
 * without printing a console line while devices shut down (tp_printk
 * does that, and the console's time skews the shutdown it shows).
 * Harness-only: not part of the patch series.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/reboot.h>

static struct sys_off_handler *handler;

/* Runs after device_shutdown(), before the machine powers off. */
static int shutdown_trace_dump(struct sys_off_data *data)
{
	pr_info("shutdown_trace_dump: the trace buffer follows\n");
	ftrace_dump(DUMP_ALL);
	return NOTIFY_DONE;
}

static int __init shutdown_trace_dump_init(void)
{
	handler = register_sys_off_handler(SYS_OFF_MODE_POWER_OFF_PREPARE,
					   SYS_OFF_PRIO_DEFAULT,
					   shutdown_trace_dump, NULL);
	return PTR_ERR_OR_ZERO(handler);
}
module_init(shutdown_trace_dump_init);

static void __exit shutdown_trace_dump_exit(void)
{
	unregister_sys_off_handler(handler);
}
module_exit(shutdown_trace_dump_exit);

MODULE_DESCRIPTION("Print the trace buffer at power-off, after device shutdown");
MODULE_LICENSE("GPL");
