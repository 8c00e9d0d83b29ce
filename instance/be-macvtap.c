/* SPDX-License-Identifier: BSD-3-Clause */
/* Backend macvtap: the guest on a macvtap (bridge mode) of a host link, frames copied in
 * userspace (QEMU on the macvtap's fd, or the testbed relay for netns guests). */
#include <stdio.h>

#include "backends.h"
#include "up.h"

static bool
runs(bool vms, char *why, size_t len)
{
	struct probe p;

	probe_macvtap(&p);
	if (!p.ok) {
		snprintf(why, len, "macvtap: %s", p.detail);
		return false;
	}
	snprintf(why, len, "%s", vms ? "QEMU's userspace virtio backend on a macvtap's fd"
				     : "testbed relay between the guest's tap and a macvtap "
				       "(bridge mode) of the host link");
	return true;
}

static int
build(struct up_ctx *u)
{
	return up_relay_backend(u, TB_BE_MACVTAP);
}

static const char *
path_role(const char *role)
{
	return ib_relay_role(TB_BE_MACVTAP, role);
}

const struct ib_backend ib_be_macvtap = {
	.be = TB_BE_MACVTAP,
	.name = "macvtap",
	.runs = runs,
	.build = build,
	.grow = build,
	.path_role = path_role,
	.doctor = ib_doctor_probed,
};
