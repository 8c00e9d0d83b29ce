/* SPDX-License-Identifier: BSD-3-Clause */
/* nftables masquerade + DNAT of a pod (one table per instance). */
#ifndef TB_VSC_NAT_H
#define TB_VSC_NAT_H

#include <stddef.h>

/*
 * Masquerade as KubeVirt's binding does it, inside a guest's pod namespace:
 * traffic from the guest leaves with the pod's address (masquerade), traffic
 * to the pod's address goes to the guest (DNAT).
 */
struct vsc_nat_conf {
	const char *table;      /* testbed_<instance> */
	const char *outer_if;   /* pod link on the bridge */
	const char *outer_addr; /* pod address peers use */
	const char *inner_net;  /* guest subnet inside the pod */
	const char *inner_addr; /* the guest */
};

/* The nftables ruleset text for `nft -f`; -ENOSPC if it does not fit. */
int vsc_nat_ruleset(const struct vsc_nat_conf *c, char *buf, size_t len);
/* Writes the ruleset to path (kept in the run dir) and loads it inside ns. */
int vsc_nat_apply(const char *ns, const struct vsc_nat_conf *c, const char *path, char *err,
		  size_t errlen);

#endif
