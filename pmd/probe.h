/* `bench path` stamps on the data path: TSC read as CLOCK_MONOTONIC_RAW ns, written into probes. */
#ifndef PMD_PROBE_H
#define PMD_PROBE_H

#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "probe-stamps.h"

/* After rte_eal_init: reads rte_rdtsc() and clock_gettime together, tsc_hz from
 * rte_get_tsc_hz(); idempotent. */
void pmd_probe_calibrate(void);
/*
 * Now as CLOCK_MONOTONIC_RAW ns from the TSC. Called on probes only: it re-anchors to the
 * clock every 10 ms and refines tsc_hz from the first anchor, so that an rte_get_tsc_hz()
 * off by a few ppm does not drift the stamps by microseconds over a long-running switch.
 * 0 before pmd_probe_calibrate().
 */
uint64_t pmd_probe_ns(void);

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
