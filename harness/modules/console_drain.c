// SPDX-License-Identifier: GPL-2.0
/*
 * Drain the consoles before a reboot resets the machine.  kernel_power_off()
 * waits for the consoles (pr_flush()), kernel_restart() does not: on
 * PREEMPT_RT, where a thread prints the console, the lines printed during
 * device_shutdown() (its summary among them) are often lost in the reset.
 * A restart-prepare handler runs after device_shutdown(); it stops and
 * starts each enabled console: console_stop() waits until that console
 * has printed everything so far, and console_start() waits again for what
 * came meanwhile (each wait gives up after a second without progress).  The guest's init loads it for scenarios that reboot, so that
 * their checks can count every shutdown.  Harness-only: not part of the
 * patch series.
 */
#include <linux/console.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/reboot.h>

#define DRAIN_MAX_CONSOLES	8

static struct sys_off_handler *drain_handler;

static int console_drain(struct sys_off_data *data)
{
	struct console *cons[DRAIN_MAX_CONSOLES], *con;
	int i, nr = 0;

	/* console_stop() takes the list lock: pick the consoles first. */
	console_list_lock();
	for_each_console(con) {
		if (nr < DRAIN_MAX_CONSOLES &&
		    (con->flags & CON_ENABLED))
			cons[nr++] = con;
	}
	console_list_unlock();

	for (i = 0; i < nr; i++) {
		console_stop(cons[i]);
		console_start(cons[i]);
	}
	return NOTIFY_DONE;
}

static int __init console_drain_init(void)
{
	drain_handler = register_sys_off_handler(SYS_OFF_MODE_RESTART_PREPARE,
						 SYS_OFF_PRIO_DEFAULT,
						 console_drain, NULL);
	return PTR_ERR_OR_ZERO(drain_handler);
}

static void __exit console_drain_exit(void)
{
	unregister_sys_off_handler(drain_handler);
}

module_init(console_drain_init);
module_exit(console_drain_exit);
MODULE_DESCRIPTION("Harness-only: drain the consoles before a reboot");
MODULE_LICENSE("GPL");
