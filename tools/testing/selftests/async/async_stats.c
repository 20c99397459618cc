// SPDX-License-Identifier: GPL-2.0
/*
 * The async core's debugfs counters: present, well formed, and moving.
 *
 * Boot itself schedules async work (the initramfs is unpacked through
 * async_schedule_domain()), so by the time user space runs the core must
 * have counted scheduled entries and started workers.
 */
#include <stdio.h>
#include <string.h>

#include "../kselftest.h"

#define ASYNC_DEBUGFS "/sys/kernel/debug/async"

static const char * const counters[] = {
	"scheduled", "inline_fallbacks", "refused", "wakeups",
	"spurious_wakeups", "workers_started", "peak_active",
};

enum {
	SCHEDULED, INLINE_FALLBACKS, REFUSED, WAKEUPS, SPURIOUS_WAKEUPS,
	WORKERS_STARTED, PEAK_ACTIVE
};

#define NR_COUNTERS ARRAY_SIZE(counters)

/* Read every counter of the stats file; returns how many were found. */
static int read_stats(unsigned long long *values)
{
	char name[64];
	unsigned long long value;
	int found = 0;
	size_t i;
	FILE *f;

	f = fopen(ASYNC_DEBUGFS "/stats", "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %llu", name, &value) == 2) {
		for (i = 0; i < NR_COUNTERS; i++) {
			if (!strcmp(name, counters[i])) {
				values[i] = value;
				found++;
			}
		}
	}
	fclose(f);
	return found;
}

/* Is a domain called @name listed in the domains file? */
static int domain_listed(const char *name)
{
	char line[256], domain[128];
	int listed = 0;
	FILE *f;

	f = fopen(ASYNC_DEBUGFS "/domains", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s", domain) == 1 && !strcmp(domain, name))
			listed = 1;
	fclose(f);
	return listed;
}

int main(void)
{
	unsigned long long values[NR_COUNTERS] = { 0 };
	int found;

	ksft_print_header();
	ksft_set_plan(4);

	found = read_stats(values);
	if (found < 0)
		ksft_exit_skip("%s/stats: not readable (debugfs mounted?)\n",
			       ASYNC_DEBUGFS);

	ksft_test_result(found == NR_COUNTERS,
			 "stats lists all %zu counters (found %d)\n",
			 NR_COUNTERS, found);
	ksft_test_result(values[SCHEDULED] > 0, "boot scheduled entries (%llu)\n",
			 values[SCHEDULED]);
	ksft_test_result(values[WORKERS_STARTED] > 0 &&
			 values[WORKERS_STARTED] <= values[SCHEDULED],
			 "workers started (%llu), no more than entries\n",
			 values[WORKERS_STARTED]);
	ksft_test_result(domain_listed("async_dfl_domain"),
			 "the default domain is listed in domains\n");
	ksft_finished();
}
