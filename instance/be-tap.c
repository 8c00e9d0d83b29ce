/* SPDX-License-Identifier: BSD-3-Clause */
/* Backend tap: the guest's NIC on a plain tap, frames copied in userspace (QEMU vhost=off, or
 * the testbed relay for netns guests), a tap on the bridge. */
#include <stdio.h>

#include "backends.h"
#include "up.h"

static bool
runs(bool vms, char *why, size_t len)
{
	if (!ib_tun_opens(why, len))
		return false;
	snprintf(why, len, "%s", vms ? "QEMU's userspace virtio backend (vhost=off) on a tap"
				     : "testbed relay (userspace, like QEMU vhost=off) between "
				       "the guest's tap and a tap on the bridge");
	return true;
}

static int
build(struct up_ctx *u)
{
	return up_relay_backend(u, TB_BE_TAP);
}

static const char *
path_role(const char *role)
{
	return ib_relay_role(TB_BE_TAP, role);
}

const struct ib_backend ib_be_tap = {
	.be = TB_BE_TAP,
	.name = "tap",
	.flags = IB_ON_BRIDGE,
	.runs = runs,
	.build = build,
	.grow = build,
	.path_role = path_role,
	.doctor = ib_doctor_probed,
};
