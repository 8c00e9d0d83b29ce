/* SPDX-License-Identifier: BSD-3-Clause */
/* Simulated hosts: scopes, which host a guest is on, guest pairs per scope. */
#include <errno.h>
#include <stdio.h>

#include "hosts.h"

const char *
tb_scope_name(enum tb_scope s)
{
	return s == TB_SCOPE_ACROSS_HOSTS ? "across_hosts" : "same_host";
}

int
tb_guest_host(unsigned int idx, int n_hosts)
{
	return n_hosts > 1 ? (int)(idx % (unsigned int)n_hosts) : 0;
}

int
tb_guest_pairs(int n, int n_hosts, enum tb_scope s, int (*pairs)[2], int max)
{
	int h, i, k = 0, prev;

	if (n < 0 || n_hosts < 1 || n_hosts > TB_MAX_HOSTS || max < 0)
		return -EINVAL;
	if (s == TB_SCOPE_ACROSS_HOSTS) {
		if (n_hosts < 2)
			return 0;
		for (i = 0; i + 1 < n && k < max; i += 2, k++) {
			pairs[k][0] = i;
			pairs[k][1] = i + 1;
		}
		return k;
	}
	/* same host: consecutive guests of each host, host by host in turn */
	for (i = 0; i < n; i += 2 * n_hosts) {
		for (h = 0; h < n_hosts; h++) {
			prev = i + h;
			if (prev + n_hosts >= n || k >= max)
				continue;
			pairs[k][0] = prev;
			pairs[k][1] = prev + n_hosts;
			k++;
		}
	}
	return k;
}

void
tb_host_tag(int h, char *buf, size_t len)
{
	if (h == 0)
		snprintf(buf, len, "host");
	else
		snprintf(buf, len, "host%d", h);
}

void
tb_host_suffix(int h, char *buf, size_t len)
{
	if (h == 0)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "-h%d", h);
}
