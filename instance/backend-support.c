/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backend-support.h"
#include "probe.h"

static bool
tun_opens(char *why, size_t len)
{
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, len, "/dev/net/tun: %s (no TUN/TAP)", strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

bool
up_backend_runs(enum tb_backend be, bool vms, char *why, size_t len)
{
	struct probe p;

	switch (be) {
	case TB_BE_VHOST_USER:
	case TB_BE_BRIDGE:
	case TB_BE_MASQUERADE:
		/* their tools and kernel parts are checked by up itself (and doctor's probes) */
		snprintf(why, len, "runs here");
		return true;
	case TB_BE_TAP:
		if (!tun_opens(why, len))
			return false;
		snprintf(why, len, "%s", vms ? "QEMU's userspace virtio backend (vhost=off) on a tap"
					     : "testbed relay (userspace, like QEMU vhost=off) between "
					       "the guest's tap and a tap on the bridge");
		return true;
	case TB_BE_MACVTAP:
		probe_macvtap(&p);
		if (!p.ok) {
			snprintf(why, len, "macvtap: %s", p.detail);
			return false;
		}
		snprintf(why, len, "%s", vms ? "QEMU's userspace virtio backend on a macvtap's fd"
					     : "testbed relay between the guest's tap and a macvtap "
					       "(bridge mode) of the host link");
		return true;
	case TB_BE_VHOST_NET:
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
	case TB_BE_USER:
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
	case TB_BE_COUNT:
		break;
	}
	snprintf(why, len, "unknown backend");
	return false;
}
