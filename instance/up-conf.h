/* SPDX-License-Identifier: BSD-3-Clause */
/* What `up` is asked to build (its options, defaults as in the usage line), and their limits. */
#ifndef TB_UP_CONF_H
#define TB_UP_CONF_H

#include <stdbool.h>

#include "addr.h"
#include "backend.h"
#include "hosts.h"
#include "names.h"

/* per backend; one shim process drives at most 32 ports (DPDK's RTE_MAX_ETHPORTS) */
#define UP_MAX_GUESTS 32
/* the highest node number --numa takes */
#define UP_MAX_NUMA_NODE 1023

/* `up` options, defaults as in the usage line. */
struct up_conf {
	int numa; /* required */
	int guests;
	unsigned int backends;
	bool backends_all; /* --backends all: those this host runs (the others left out) */
	char instance[TB_INSTANCE_MAX + 1];
	unsigned long page_kb; /* 0: 1 GB where that many are free, else 2 MB */
	int n_pmd;
	long switch_mem_mb;
	const char *shim_idle;
	int pmd_maxsleep_us; /* -1: 0 with dedicated cores, PMD_MAXSLEEP_SHARED_US when shared */
	const char *vswitch; /* UP_SWITCH_OVS or UP_SWITCH_PMD */
	const char *switch_idle; /* testbed-pmd: NULL: busy on own cores, adaptive when shared */
	const char *profile;     /* guest profile: a name in vm-profiles/profiles/ or a path */
	int hosts;               /* simulated hosts joined by a wire (lib/hosts.h) */
	const char *wire_pmd;    /* DPDK PMD on the wire: "auto", "af_xdp" or "af_packet" */
	const char *nic;         /* NULL: the wire; else the switch's NIC (dpdk-devargs) */
	const char *kernel_nic;  /* NULL, or the kernel bridge's link to other machines */
	int host_index;          /* with --nic/--kernel-nic: which real machine this is (0-7) */
	/* netns guests' virtio device on vhost-user: UP_ADAPTER_*; NULL: colocated with
	 * testbed-pmd, shim with OVS-DPDK (which cannot host it) */
	const char *adapter;
	/* --guest-cores: UP_GUEST_CORES_*; NULL: all with testbed-pmd sleeping when idle (it
	 * gives its core back), rest when the switch polls (OVS-DPDK, --switch-idle busy) */
	const char *guest_cores;
};

/* Pages this large (1 GB) are taken by default only when already free (reserved at boot). */
#define UP_GIGANTIC_PAGE_KB (1024UL * 1024)


/* How each host's switch drives its wire end (`--wire-pmd`). */
#define UP_WIRE_AUTO "auto"
#define UP_WIRE_AF_XDP "af_xdp"
#define UP_WIRE_AF_PACKET "af_packet"
/* Guests per backend with --hosts 2 when --guests is not given: two on each host, so both
 * a same-host and an across-hosts pair exist. */
#define UP_GUESTS_PER_HOST_DEFAULT 2

/* The vhost-user switches `up --switch` runs: OVS-DPDK, or pmd/'s switch role. */
#define UP_SWITCH_OVS "ovs"
#define UP_SWITCH_PMD "testbed-pmd"

/*
 * A vhost-user netns guest's adapter (tap <-> virtio-user): a separate `testbed-pmd shim`
 * process, or the same ports inside testbed-pmd's switch process (`switch --guest-tap`).
 */
#define UP_ADAPTER_SHIM "shim"
#define UP_ADAPTER_COLOCATED "colocated"

/* `--guest-cores`: guests share the cores the PMDs leave, or go on every core. */
#define UP_GUEST_CORES_REST "rest"
#define UP_GUEST_CORES_ALL "all"

/* PMD sleep bound when cores are shared: ~0.4 ms ping RTT instead of ~2 ms at 1000 us. */
#define PMD_MAXSLEEP_SHARED_US 100

#define UP_CONF_DEFAULT                                                                            \
	{                                                                                          \
		.numa = -1, .guests = 2, .backends = TB_BE_DEFAULT, .instance = "main",             \
		.page_kb = 0, .n_pmd = 1, .switch_mem_mb = 1024, .shim_idle = "adaptive",          \
		.pmd_maxsleep_us = -1, .vswitch = UP_SWITCH_OVS, .switch_idle = NULL,              \
		.profile = "netns", .hosts = 1, .wire_pmd = UP_WIRE_AUTO, .nic = NULL,             \
		.kernel_nic = NULL,                                                                \
		.adapter = NULL,                                                                   \
	}

#endif
