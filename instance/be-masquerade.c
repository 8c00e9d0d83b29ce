/* SPDX-License-Identifier: BSD-3-Clause */
/* Backend masquerade: each guest in a pod namespace with nftables NAT (masquerade + DNAT),
 * the pod on the kernel bridge. */
#include <errno.h>
#include <stdio.h>

#include "backends.h"
#include "log.h"
#include "runcmd.h"
#include "up.h"

static bool
runs(bool vms, char *why, size_t len)
{
	(void)vms;
	/* its tools and kernel parts are checked by up itself (and doctor's probes) */
	snprintf(why, len, "runs here");
	return true;
}

static int
check_tools(const struct up_ctx *u)
{
	(void)u;
	if (tb_tool_path("nft") == NULL) {
		tb_err("nft not found (masquerade needs nftables): run scripts/install-deps.sh");
		return -ENOENT;
	}
	return 0;
}

static json_t *
doctor(const struct ib_backend *b, const struct ib_doctor *d)
{
	bool nft = tb_tool_path("nft") != NULL;
	char why[200];

	(void)b;
	snprintf(why, sizeof(why), "%s",
		 !nft	      ? "nft missing: apt-get install nftables"
		 : !d->nat.ok ? "nftables NAT does not load (see probes; kernel "
				"needs nf_tables + nf_nat)"
			      : "needs the bridge backend");
	return ib_verdict(d->veth.ok && d->bridge.ok && d->nat.ok && nft, why);
}

const struct ib_backend ib_be_masquerade = {
	.be = TB_BE_MASQUERADE,
	.name = "masquerade",
	.flags = IB_ON_BRIDGE,
	.runs = runs,
	.check_tools = check_tools,
	.build = up_masquerade,
	.grow = up_masquerade,
	.doctor = doctor,
};
