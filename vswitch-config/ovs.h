/* SPDX-License-Identifier: BSD-3-Clause */
/* A private OVS-DPDK: ovsdb-server + ovs-vswitchd-dpdk, bridges, ports, PMD settings. */
#ifndef TB_VSC_OVS_H
#define TB_VSC_OVS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * A private OVS-DPDK: its own ovsdb-server and ovs-vswitchd-dpdk, database,
 * sockets, pid files and logs all in `dir`; a system OVS is never touched.
 */
struct vsc_ovs_conf {
	const char *dir;
	const char *bridge;     /* datapath_type=netdev bridge */
	const char *netns;      /* vswitchd runs here: its taps (ovs-netdev, bridge port) too */
	int node;               /* NUMA node of PMDs and socket-mem */
	int n_nodes;            /* highest node id + 1: socket-mem lists every node */
	long socket_mem_mb;     /* on `node` only */
	const char *huge_dir;   /* the testbed's hugetlbfs mount */
	const char *pmd_mask;   /* "0x2" */
	const char *lcore_mask; /* non-PMD threads */
	int pmd_maxsleep_us;    /* 0: PMDs busy-poll; >0 they sleep up to this when idle */
	bool no_pci;            /* no NIC bound to a DPDK driver */
	bool tso;               /* userspace-tso-enable */
};

#define VSC_OVS_CONF_DEFAULT                                                                       \
	{                                                                                          \
		.socket_mem_mb = 1024, .pmd_maxsleep_us = 0, .no_pci = true, .tso = true,          \
		.n_nodes = 1,                                                                      \
	}

/* "0,1024" for node 1 of 2: memory on the chosen node only. */
void vsc_ovs_socket_mem(int node, int n_nodes, long mb, char *buf, size_t len);
/* True when some PCI device is bound to a DPDK-capable driver (vfio-pci, uio). */
bool vsc_dpdk_nic_bound(void);

int vsc_ovs_db_start(const struct vsc_ovs_conf *c, pid_t *pid, char *err, size_t errlen);
int vsc_ovs_configure(const struct vsc_ovs_conf *c, char *err, size_t errlen);
int vsc_ovs_vswitchd_start(const struct vsc_ovs_conf *c, pid_t *pid, char *err, size_t errlen);
int vsc_ovs_add_bridge(const struct vsc_ovs_conf *c, char *err, size_t errlen);
/* dpdkvhostuserclient port: OVS connects to the guest side's server socket. */
int vsc_ovs_add_vhost_port(const struct vsc_ovs_conf *c, const char *port, const char *sock,
			   char *err, size_t errlen);

/*
 * dpdk port driving a NIC: a PCI address or vdev devargs ("net_af_xdp0,iface=eth1").
 * -EIO with OVS's reason in err when DPDK cannot attach it (the port is removed again).
 */
int vsc_ovs_add_nic_port(const struct vsc_ovs_conf *c, const char *port, const char *devargs,
			 char *err, size_t errlen);

/* ovs-vsctl / ovs-appctl against the private instance; *out is what it printed. */
int vsc_ovs_vsctl(const char *dir, char **out, const char *const args[]);
int vsc_ovs_appctl(const char *dir, char **out, const char *const args[]);

#endif
