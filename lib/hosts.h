/* SPDX-License-Identifier: BSD-3-Clause */
/* Simulated hosts: scopes, which host a guest is on, guest pairs per scope. */
#ifndef TB_HOSTS_H
#define TB_HOSTS_H

#include <stddef.h>

/*
 * Hosts of an instance: `up --hosts 2` builds two "hosts" on one machine, each a network
 * namespace with its own switch, joined by veth "wires". Guests are split evenly: guest i
 * of every backend lives on host i % n_hosts, so guests 2k and 2k+1 are on different hosts
 * and the guests of one host are i, i + n_hosts, ...
 */
#define TB_MAX_HOSTS 2

/* Where the guests of a measurement are: the reference's two placements. */
enum tb_scope {
	TB_SCOPE_SAME_HOST,
	TB_SCOPE_ACROSS_HOSTS,
	TB_SCOPE_COUNT,
};

const char *tb_scope_name(enum tb_scope s); /* "same_host", "across_hosts" */

int tb_guest_host(unsigned int idx, int n_hosts);

/*
 * Pairs of guests 0..n-1 (client first) whose two guests share a host (same_host) or
 * sit on different hosts (across_hosts: 2k with 2k+1). Every guest is in at most one
 * pair. Returns how many pairs (0 if the placement has none), or -EINVAL.
 */
int tb_guest_pairs(int n, int n_hosts, enum tb_scope s, int (*pairs)[2], int max);

/* Namespace tag of host h: "host" for host 0 (the only host of a one-host instance). */
void tb_host_tag(int h, char *buf, size_t len);
/* Suffix that tells host h's objects apart: "" for host 0, "-h1" for host 1. */
void tb_host_suffix(int h, char *buf, size_t len);

#endif
