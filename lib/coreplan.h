/* SPDX-License-Identifier: BSD-3-Clause */
/* Which cores of a NUMA node go to PMDs, the shim and the guests. */
#ifndef TB_COREPLAN_H
#define TB_COREPLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "topology.h"

#define CP_MAX_PMD 16
#define CP_MAX_GUESTS 1024

/* What needs a core on the chosen node. */
struct cp_conf {
	int n_pmd;    /* switch PMD threads (the reference used 1) */
	int n_guests; /* one core each, as the reference's VMs */
	bool shim;    /* the netns guests' virtio-user shim */
	/*
	 * When cores are too few: guests round-robin over every core of the node, PMD cores
	 * included, so consecutive guests (a measured pair) sit on different cores as they do
	 * with a core per VM; else (false) they share the cores the PMDs leave.
	 */
	bool guests_on_all;
};

/*
 * Placement on one node. The housekeeping core runs the switch's non-PMD
 * threads (dpdk-lcore-mask) and the control plane. When there are fewer cores
 * than needed, cores are shared and the plan says so: the PMDs then must sleep
 * when idle or they starve the guests.
 */
struct cp_plan {
	int node;
	int housekeeping;
	int n_pmd;
	int pmd[CP_MAX_PMD];
	int shim; /* -1: none */
	int n_guests;
	int guest[CP_MAX_GUESTS];
	int cores_needed;
	int cores_available;
	bool oversubscribed;
	bool guests_on_all; /* shared plan: guests on every core, the PMDs' too */
};

/* -ENODEV: node not in t; -EINVAL: bad conf. */
int cp_plan_make(const struct topo *t, int node, const struct cp_conf *c, struct cp_plan *p);

/* Hex CPU mask for OVS ("0x2"), any number of CPUs. */
int cp_mask_str(const int *cpus, int n, char *buf, size_t len);

#endif
