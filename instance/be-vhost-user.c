/* SPDX-License-Identifier: BSD-3-Clause */
/* Backend vhost-user: guests on a DPDK switch (OVS-DPDK or testbed-pmd), netns guests through
 * the shim; PMD cores and hugepages on the chosen node. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

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
	char pmd[512];

	if (strcmp(u->conf.vswitch, UP_SWITCH_OVS) == 0 &&
	    (tb_tool_path("ovs-vswitchd-dpdk") == NULL || tb_tool_path("ovsdb-server") == NULL)) {
		tb_err("OVS-DPDK not found (vhost-user needs openvswitch-switch-dpdk): run "
		       "scripts/install-deps.sh");
		return -ENOENT;
	}
	if (up_pmd_path(pmd, sizeof(pmd)) < 0) {
		tb_err("%s not built: run ./testbed through its launcher, which builds it", pmd);
		return -ENOENT;
	}
	return 0;
}

static int
count_shims(json_t *st)
{
	json_t *o;
	size_t i;
	int n = 0;

	json_array_foreach(json_object_get(st, "objects"), i, o) {
		const char *role = json_string_value(json_object_get(o, "role"));

		n += role != NULL && strncmp(role, "shim", 4) == 0;
	}
	return n;
}

/* One more shim and its guests; the switch is up already. */
static int
grow(struct up_ctx *u)
{
	u->shim_idx = count_shims(u->st);
	return up_vhost_guests(u);
}

/* Every host's switch and the shims carry vhost-user traffic. */
static const char *
path_role(const char *role)
{
	if (role == NULL)
		return NULL;
	if (strncmp(role, "shim", 4) == 0)
		return "guest side";
	if (strncmp(role, "ovs-vswitchd", 12) == 0 || strncmp(role, "switch", 6) == 0)
		return "switch";
	return NULL;
}

static json_t *
doctor(const struct ib_backend *b, const struct ib_doctor *d)
{
	char pmd[512], why[1200];
	bool pmd_ok = up_pmd_path(pmd, sizeof(pmd)) == 0;
	bool ovs_ok =
		tb_tool_path("ovs-vswitchd-dpdk") != NULL && tb_tool_path("ovsdb-server") != NULL;

	(void)b;
	snprintf(why, sizeof(why), "%s%s%s%s",
		 ovs_ok ? "" : "no OVS-DPDK (apt-get install openvswitch-switch-dpdk); ",
		 pmd_ok ? "" : "testbed-pmd not built (run ./testbed, it builds); ",
		 d->hugepages ? "" : "no hugepage pools (kernel without hugetlbfs); ",
		 d->tun.ok ? "" : "no TUN/TAP for the guests' NICs; ");
	if (!(ovs_ok && pmd_ok && d->hugepages && d->tun.ok))
		return ib_verdict(false, why);
	/* the path a netns guest takes depends on the switch: say which */
	return json_pack("{s:b, s:s}", "runs", true, "why",
			 "runs here; netns guests' adapter (tap <-> virtio-user): co-located "
			 "in the switch with --switch testbed-pmd (default; --adapter shim for "
			 "a separate process), a testbed-pmd shim process with OVS-DPDK");
}

const struct ib_backend ib_be_vhost_user = {
	.be = TB_BE_VHOST_USER,
	.name = "vhost-user",
	.flags = IB_PMD_CORES | IB_SWITCH_MEM | IB_SHIM,
	.runs = runs,
	.check_tools = check_tools,
	.build = up_vhost_user,
	.grow = grow,
	.path_role = path_role,
	.doctor = doctor,
};
