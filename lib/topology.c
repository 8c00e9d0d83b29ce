/* SPDX-License-Identifier: BSD-3-Clause */
/* The host's NUMA nodes, cores and memory (hwloc). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <hwloc.h>

#include "topology.h"

static void
fill_node(hwloc_topology_t h, hwloc_const_cpuset_t set, struct topo_node *n)
{
	int i, nc = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_CORE);

	for (i = 0; i < nc && n->n_cores < TOPO_MAX_CORES; i++) {
		hwloc_obj_t core = hwloc_get_obj_by_type(h, HWLOC_OBJ_CORE, i);
		int pu;

		if (!hwloc_bitmap_intersects(core->cpuset, set))
			continue;
		pu = hwloc_bitmap_first(core->cpuset);
		if (pu >= 0)
			n->core_cpu[n->n_cores++] = pu;
	}
	n->n_pus = hwloc_bitmap_weight(set);
}

int
topo_load(struct topo *t)
{
	hwloc_topology_t h;
	int i, nn;

	memset(t, 0, sizeof(*t));
	if (hwloc_topology_init(&h) < 0)
		return -ENOMEM;
	if (hwloc_topology_load(h) < 0) {
		hwloc_topology_destroy(h);
		return -EIO;
	}
	nn = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_NUMANODE);
	for (i = 0; i < nn && t->n_nodes < TOPO_MAX_NODES; i++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(h, HWLOC_OBJ_NUMANODE, i);
		struct topo_node *n = &t->node[t->n_nodes++];

		n->id = (int)o->os_index;
		fill_node(h, o->cpuset, n);
		t->n_cores += n->n_cores;
		t->n_pus += n->n_pus;
	}
	hwloc_topology_destroy(h);
	return t->n_nodes > 0 ? 0 : -ENODEV;
}

const struct topo_node *
topo_node_find(const struct topo *t, int id)
{
	int i;

	for (i = 0; i < t->n_nodes; i++)
		if (t->node[i].id == id)
			return &t->node[i];
	return NULL;
}

void
topo_nodes_str(const struct topo *t, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	if (t->n_nodes > 1 && t->node[t->n_nodes - 1].id - t->node[0].id == t->n_nodes - 1) {
		snprintf(buf, len, "%d-%d", t->node[0].id, t->node[t->n_nodes - 1].id);
		return;
	}
	for (i = 0; i < t->n_nodes && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%d", i ? "," : "", t->node[i].id);
}
