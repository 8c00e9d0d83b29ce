/* `bench path` stamps: the TSC -> CLOCK_MONOTONIC_RAW conversion of this process. */
#include <time.h>

#include <rte_cycles.h>

#include "probe.h"

static struct {
	uint64_t tsc_first, ns_first; /* the first anchor: refines ns_per_tsc over time */
	uint64_t tsc0, ns0;	      /* the latest anchor */
	uint64_t reanchor;	      /* TSC ticks between anchors (10 ms) */
	double ns_per_tsc;	      /* 0: not calibrated, no stamps */
} clk;

static uint64_t
ts_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000ULL + (uint64_t)t->tv_nsec;
}

/* The TSC read between two clock reads: its ns is their midpoint. */
static void
anchor(uint64_t *tsc, uint64_t *ns)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC_RAW, &a);
	*tsc = rte_rdtsc();
	clock_gettime(CLOCK_MONOTONIC_RAW, &b);
	*ns = (ts_ns(&a) + ts_ns(&b)) / 2;
}

void
pmd_probe_calibrate(void)
{
	uint64_t hz;

	if (clk.ns_per_tsc > 0)
		return;
	hz = rte_get_tsc_hz();
	if (hz == 0)
		return;
	anchor(&clk.tsc_first, &clk.ns_first);
	clk.tsc0 = clk.tsc_first;
	clk.ns0 = clk.ns_first;
	clk.reanchor = hz / 100;
	clk.ns_per_tsc = 1e9 / (double)hz;
}

uint64_t
pmd_probe_ns(void)
{
	uint64_t tsc = rte_rdtsc();

	if (clk.ns_per_tsc == 0)
		return 0;
	if (tsc - clk.tsc0 > clk.reanchor) {
		anchor(&clk.tsc0, &clk.ns0);
		if (clk.tsc0 - clk.tsc_first > 100 * clk.reanchor) /* a second or more */
			clk.ns_per_tsc = (double)(clk.ns0 - clk.ns_first) /
					 (double)(clk.tsc0 - clk.tsc_first);
		tsc = rte_rdtsc();
	}
	return clk.ns0 + (uint64_t)((double)(tsc - clk.tsc0) * clk.ns_per_tsc);
}
