/* SPDX-License-Identifier: BSD-3-Clause */
/* Launches testbed-pmd in its switch role: EAL arguments, ports, NICs. */
#ifndef TB_VSC_PMDSWITCH_H
#define TB_VSC_PMDSWITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define VSC_PMD_MAX_PORTS 32 /* DPDK's RTE_MAX_ETHPORTS in Debian's build */
#define VSC_PMD_MAX_CPUS 64
#define VSC_PMD_MAX_NICS 4 /* testbed-pmd switch --nic */

/*
 * testbed-pmd in its `switch` role, in place of OVS-DPDK: vhost-user client ports to the
 * guests' sockets (so it can restart under running guests), NICs (DPDK device arguments:
 * net_af_xdp0,iface=X, net_af_packet0,iface=X, a PCI address), the PMD cores from the plan,
 * memory on one node, no database.
 */
struct vsc_pmd_conf {
	const char *pmd_path;    /* testbed-pmd binary */
	const char *file_prefix; /* tb-<inst>-switch: its telemetry socket's directory */
	const char *huge_dir;
	const char *log_path;
	const char *ready_file;
	const char *idle;        /* "adaptive" or "busy" */
	const int *cpus;         /* PMD cores; the first is EAL's main lcore */
	int n_cpus;
	int node;
	int n_nodes;
	long socket_mem_mb;
	bool tso;
	int n_ports;
	const char *sock[VSC_PMD_MAX_PORTS];
	/*
	 * Non-NULL: port i is a co-located netns guest (`--guest-tap`): the switch serves
	 * sock[i] itself and connects its own virtio-user port to it, feeding tap guest_nic in
	 * namespace guest_ns[i] (created, or re-attached after a restart). Such a port takes two
	 * of the process's ports, and the switch then runs on hugepage files (virtio-user shares
	 * its memory), not --in-memory.
	 */
	const char *guest_ns[VSC_PMD_MAX_PORTS];
	const char *guest_nic;
	const char *guest_ring; /* --guest-ring SPEC for them; NULL: the switch's default */
	/* NULL: this namespace; else run in it (af_xdp/af_packet open the interface there) */
	const char *netns;
	int n_nics; /* n_ports + n_nics <= VSC_PMD_MAX_PORTS */
	const char *nic[VSC_PMD_MAX_NICS];
};

/* DPDK ports the switch needs for its n_ports vhost-user ports, n_colo of them co-located. */
int vsc_pmd_ethdevs(int n_ports, int n_colo);

/* Memory the switch asks DPDK for: EAL heap, vhost rings' metadata, one mbuf pool. */
long vsc_pmd_mem_mb(int n_cpus, int n_ports);
/* ... with NICs, whose rings and software segmentation (GSO) hold more mbufs. */
long vsc_pmd_mem_mb_nics(int n_cpus, int n_ports, int n_nics);

/* A PCI address (DDDD:BB:DD.F, maybe followed by ",args"): EAL must scan the PCI bus. */
bool vsc_pmd_nic_is_pci(const char *devargs);

/* Starts it in the background (log_path gets its output). */
int vsc_pmd_start(const struct vsc_pmd_conf *c, pid_t *pid, char *err, size_t errlen);
/* Waits for its ready file: every port is set up (guests connect on their own). */
int vsc_pmd_wait_ready(const struct vsc_pmd_conf *c, pid_t pid, int timeout_ms, char *err,
		       size_t errlen);

#endif
