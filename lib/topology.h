/* SPDX-License-Identifier: BSD-3-Clause */
/* The host's NUMA nodes, cores and memory (hwloc). */
#ifndef TB_TOPOLOGY_H
#define TB_TOPOLOGY_H

#include <stddef.h>

#define TOPO_MAX_NODES 16
#define TOPO_MAX_CORES 256 /* per node */

/* Cores of one NUMA node; each core is named by its first hardware thread (PU). */
struct topo_node {
	int id;
	int n_cores;
	int n_pus;
	int core_cpu[TOPO_MAX_CORES];
};

struct topo {
	int n_nodes;
	int n_cores;
	int n_pus;
	struct topo_node node[TOPO_MAX_NODES];
};

/* From hwloc, restricted to the CPUs this process may use. */
int topo_load(struct topo *t);
const struct topo_node *topo_node_find(const struct topo *t, int id);
/* "0" or "0-1" or "0,2": the node ids, for error messages. */
void topo_nodes_str(const struct topo *t, char *buf, size_t len);

#endif
