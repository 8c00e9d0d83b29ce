/* SPDX-License-Identifier: BSD-3-Clause */
/* Backend vhost-net: QEMU guests on a tap on the bridge, the kernel's vhost-net copying
 * (vhost=on); QEMU guests only. */
#include <stdio.h>

#include "backends.h"
#include "up.h"

static bool
runs(bool vms, char *why, size_t len)
{
	struct probe p;

	probe_vhost_net_dev(&p);
	if (!p.ok) {
		snprintf(why, len, "%s", p.detail);
		return false;
	}
	if (!vms) {
		snprintf(why, len, "vhost-net serves a guest's virtio rings from the kernel: "
				   "needs QEMU guests (--profile with kind qemu)");
		return false;
	}
	snprintf(why, len, "QEMU tap NIC with vhost=on (%s)", p.detail);
	return true;
}

static int
build(struct up_ctx *u)
{
	return up_relay_backend(u, TB_BE_VHOST_NET);
}

const struct ib_backend ib_be_vhost_net = {
	.be = TB_BE_VHOST_NET,
	.name = "vhost-net",
	.flags = IB_ON_BRIDGE,
	.runs = runs,
	.build = build,
	.grow = build,
	.doctor = ib_doctor_probed,
};
