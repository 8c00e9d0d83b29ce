/* `bench path` stamps: the one TSC -> CLOCK_MONOTONIC_RAW calibration of this process. */
#include <time.h>

#include <rte_cycles.h>

#include "probe.h"

struct pmd_probe_clock pmd_probe_clk;

void
pmd_probe_calibrate(void)
{
	struct timespec a, b;
	uint64_t tsc, hz;

	if (pmd_probe_clk.ns_per_tsc > 0)
		return;
	hz = rte_get_tsc_hz();
	if (hz == 0)
		return;
	/* the TSC read between two clock reads: its ns is their midpoint */
	clock_gettime(CLOCK_MONOTONIC_RAW, &a);
	tsc = rte_rdtsc();
	clock_gettime(CLOCK_MONOTONIC_RAW, &b);
	pmd_probe_clk.tsc0 = tsc;
	pmd_probe_clk.ns0 = ((uint64_t)a.tv_sec * 1000000000ULL + (uint64_t)a.tv_nsec +
			     (uint64_t)b.tv_sec * 1000000000ULL + (uint64_t)b.tv_nsec) / 2;
	pmd_probe_clk.ns_per_tsc = 1e9 / (double)hz;
}
