/* SPDX-License-Identifier: BSD-3-Clause */
/* Which cores of a NUMA node go to PMDs, the shim and the guests. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "coreplan.h"

static void
plan_dedicated(const struct topo_node *n, const struct cp_conf *c, struct cp_plan *p)
{
	int next = 0, i;

	p->housekeeping = n->core_cpu[next++];
	for (i = 0; i < c->n_pmd; i++)
		p->pmd[i] = n->core_cpu[next++];
	if (c->shim)
		p->shim = n->core_cpu[next++];
	for (i = 0; i < c->n_guests; i++)
		p->guest[i] = n->core_cpu[next++];
}

/*
 * Too few cores: PMDs keep the last cores (at least one core stays for the rest),
 * everything else shares the remaining cores round-robin, starting after the
 * housekeeping core so it is the last to be loaded. With guests_on_all the guests go
 * round-robin over every core from the first, so guest i and i + 1 never share one.
 */
static void
plan_shared(const struct topo_node *n, const struct cp_conf *c, struct cp_plan *p)
{
	int rest = n->n_cores > 1 ? n->n_cores - 1 : 1;
	int i, k = 0;

	p->n_pmd = c->n_pmd < rest ? c->n_pmd : rest;
	if (n->n_cores == 1)
		p->n_pmd = c->n_pmd > 0 ? 1 : 0;
	for (i = 0; i < p->n_pmd; i++)
		p->pmd[i] = n->core_cpu[n->n_cores - 1 - i];
	rest = n->n_cores - (n->n_cores > 1 ? p->n_pmd : 0);
	p->housekeeping = n->core_cpu[0];
	if (c->shim)
		p->shim = n->core_cpu[(++k) % rest];
	p->guests_on_all = c->guests_on_all && n->n_cores > 1;
	for (i = 0; i < c->n_guests; i++)
		p->guest[i] = p->guests_on_all ? n->core_cpu[i % n->n_cores]
					       : n->core_cpu[(++k) % rest];
}

int
cp_plan_make(const struct topo *t, int node, const struct cp_conf *c, struct cp_plan *p)
{
	const struct topo_node *n = topo_node_find(t, node);

	if (n == NULL)
		return -ENODEV;
	if (c->n_pmd < 0 || c->n_pmd > CP_MAX_PMD || c->n_guests < 0 ||
	    c->n_guests > CP_MAX_GUESTS || n->n_cores < 1)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->node = node;
	p->shim = -1;
	p->n_pmd = c->n_pmd;
	p->n_guests = c->n_guests;
	p->cores_needed = 1 + c->n_pmd + (c->shim ? 1 : 0) + c->n_guests;
	p->cores_available = n->n_cores;
	p->oversubscribed = p->cores_needed > n->n_cores;
	if (p->oversubscribed)
		plan_shared(n, c, p);
	else
		plan_dedicated(n, c, p);
	return 0;
}

int
cp_mask_str(const int *cpus, int n, char *buf, size_t len)
{
	unsigned char nib[1024 / 4] = {0};
	int i, top = 0;
	size_t off;

	for (i = 0; i < n; i++) {
		if (cpus[i] < 0 || cpus[i] >= 1024)
			return -EINVAL;
		nib[cpus[i] / 4] |= 1u << (cpus[i] % 4);
		if (cpus[i] / 4 > top)
			top = cpus[i] / 4;
	}
	if ((size_t)top + 4 > len)
		return -ENAMETOOLONG;
	off = snprintf(buf, len, "0x");
	for (i = top; i >= 0; i--)
		buf[off++] = "0123456789abcdef"[nib[i]];
	buf[off] = '\0';
	return 0;
}
