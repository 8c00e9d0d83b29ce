/* SPDX-License-Identifier: BSD-3-Clause */
/* nftables masquerade + DNAT of a pod (one table per instance). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fsutil.h"
#include "nat.h"
#include "netcmd.h"

int
vsc_nat_ruleset(const struct vsc_nat_conf *c, char *buf, size_t len)
{
	int n = snprintf(buf, len,
			 "table ip %s {\n"
			 "\tchain prerouting {\n"
			 "\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
			 "\t\tiifname \"%s\" ip daddr %s dnat to %s\n"
			 "\t}\n"
			 "\tchain postrouting {\n"
			 "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
			 "\t\toifname \"%s\" ip saddr %s masquerade\n"
			 "\t}\n"
			 "}\n",
			 c->table, c->outer_if, c->outer_addr, c->inner_addr, c->outer_if,
			 c->inner_net);

	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

int
vsc_nat_apply(const char *ns, const struct vsc_nat_conf *c, const char *path, char *err,
	      size_t errlen)
{
	char rules[1024];
	int ret = vsc_nat_ruleset(c, rules, sizeof(rules));

	if (ret == 0)
		ret = tb_write_atomic(path, rules, strlen(rules), 0600);
	if (ret < 0) {
		snprintf(err, errlen, "nftables rules %s: %s", path, strerror(-ret));
		return ret;
	}
	return tb_ns_exec(ns, err, errlen, "nft", "-f", path, NULL);
}
