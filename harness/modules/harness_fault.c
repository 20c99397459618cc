// SPDX-License-Identifier: GPL-2.0
/*
 * A fault on purpose, for proving the console checks: loading this module
 * WARNs once, with a message nothing expects.  The guest's init loads it
 * after the scenario when the kernel command line says harness.inject=warn
 * (BOOT_CMDLINE=harness.inject=warn make boot SCENARIO=...), and
 * harness/console-check must fail that boot.  Harness-only: not part of
 * the patch series.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init harness_fault_init(void)
{
	WARN(1, "harness_fault: a warning injected on purpose\n");
	return 0;
}

static void __exit harness_fault_exit(void)
{
}

module_init(harness_fault_init);
module_exit(harness_fault_exit);
MODULE_DESCRIPTION("Harness-only: WARN on load, to prove the console checks");
MODULE_LICENSE("GPL");
