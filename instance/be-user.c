/* SPDX-License-Identifier: BSD-3-Clause */
/* Backend user: QEMU user-mode networking (slirp); reported, never built (why: its probe). */
#include <stdio.h>

#include "backends.h"

static bool
runs(bool vms, char *why, size_t len)
{
	if (!vms) {
		snprintf(why, len, "QEMU user-mode networking (slirp) lives inside QEMU: "
				   "needs QEMU guests");
		return false;
	}
	snprintf(why, len,
		 "not supported: a slirp guest is reachable only through host port forwards "
		 "(no ICMP: no ping, no mtr), and guest to guest would be two NATs through "
		 "the host rather than a guest network");
	return false;
}

const struct ib_backend ib_be_user = {
	.be = TB_BE_USER,
	.name = "user",
	.runs = runs,
	.doctor = ib_doctor_probed,
};
