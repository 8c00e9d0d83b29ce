/* `bench path` stamps on the data path: TSC read as CLOCK_MONOTONIC_RAW ns, written into probes. */
#ifndef PMD_PROBE_H
#define PMD_PROBE_H

#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "probe-stamps.h"

/* TSC -> CLOCK_MONOTONIC_RAW ns, calibrated once (pmd_probe_calibrate). */
struct pmd_probe_clock {
	uint64_t tsc0, ns0;
	double ns_per_tsc; /* 0: not calibrated, no stamps */
};

extern struct pmd_probe_clock pmd_probe_clk;

/* After rte_eal_init: reads rte_rdtsc() and clock_gettime together; idempotent. */
void pmd_probe_calibrate(void);

static inline uint64_t
pmd_probe_ns(void)
{
	return pmd_probe_clk.ns0 +
	       (uint64_t)((double)(rte_rdtsc() - pmd_probe_clk.tsc0) * pmd_probe_clk.ns_per_tsc);
}

/* Stamps slot of m when m is a probe: a length test and a branch for any other frame. */
static inline void
pmd_probe_mbuf(struct rte_mbuf *m, enum probe_slot slot)
{
	uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);

	if (likely(probe_stamp_off(f, rte_pktmbuf_data_len(m), slot) == 0))
		return;
	probe_stamp(f, rte_pktmbuf_data_len(m), slot, pmd_probe_ns());
}

static inline void
pmd_probe_burst(struct rte_mbuf **pkts, unsigned int n, enum probe_slot slot)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		pmd_probe_mbuf(pkts[i], slot);
}

#endif
