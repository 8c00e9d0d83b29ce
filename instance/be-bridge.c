/* SPDX-License-Identifier: BSD-3-Clause */
/* Backend bridge: guests on the kernel bridge (veth for netns guests, a tap for QEMU, with
 * vhost-net where /dev/vhost-net answers). */
#include <stdio.h>

#include "backends.h"
#include "up.h"

static bool
runs(bool vms, char *why, size_t len)
{
	(void)vms;
	/* its tools and kernel parts are checked by up itself (and doctor's probes) */
	snprintf(why, len, "runs here");
	return true;
}

static json_t *
doctor(const struct ib_backend *b, const struct ib_doctor *d)
{
	(void)b;
	return ib_verdict(d->veth.ok && d->bridge.ok,
			  "kernel bridge or veth unavailable (see probes)");
}

const struct ib_backend ib_be_bridge = {
	.be = TB_BE_BRIDGE,
	.name = "bridge",
	.flags = IB_ON_BRIDGE,
	.runs = runs,
	.build = up_bridge,
	.grow = up_bridge,
	.doctor = doctor,
};
