/* SPDX-License-Identifier: BSD-3-Clause */
/* Hugepages per NUMA node: read, plan, reserve and give back, hugetlbfs mounts. */
#ifndef TB_HUGEPAGES_H
#define TB_HUGEPAGES_H

#include <stdbool.h>
#include <stddef.h>

#define HP_MAX_SIZES 4

struct hp_size_info {
	unsigned long kb; /* page size */
	long nr;          /* pages reserved on the node */
	long free;        /* of which free */
};

/* Hugepage pools of one NUMA node, largest page size first. */
struct hp_node_info {
	int node;
	int n_sizes;
	struct hp_size_info size[HP_MAX_SIZES];
};

/* What each consumer needs on the node, in MB. */
struct hp_demand {
	const char *who;
	long mb;
};

/* Sysfs root; tests point it at a fake tree. */
void hp_set_sysfs_root(const char *root);

int hp_node_read(int node, struct hp_node_info *info);
const struct hp_size_info *hp_node_size(const struct hp_node_info *info, unsigned long kb);

/* Pages of size page_kb covering every demand (each rounded up: DPDK asks per process). */
long hp_pages_for(const struct hp_demand *d, int n, unsigned long page_kb);

/* "2 MB" / "1 GB" */
void hp_size_str(unsigned long kb, char *buf, size_t len);
/* "2M" / "1G" -> kB, or 0 when not a size */
unsigned long hp_size_parse(const char *s);

/*
 * Grows the node's pool so at least `pages` are free. *added receives how many
 * pages were added (0 when enough were free) so hp_release can give back just
 * those. On shortage the pool is put back and -ENOMEM returned; *free_out says
 * how many pages were free at best.
 */
int hp_reserve(int node, unsigned long kb, long pages, long *added, long *free_out);
int hp_release(int node, unsigned long kb, long added);

/* Private hugetlbfs mount of one page size. */
int hp_mount(const char *dir, unsigned long kb);
int hp_umount(const char *dir);
bool hp_is_mounted(const char *dir);

#endif
