/* SPDX-License-Identifier: BSD-3-Clause */
/* The instance's cgroup v2 group: every process it starts, killed whole on down. */
#ifndef TB_CGROUP_H
#define TB_CGROUP_H

#include <stddef.h>

/*
 * Every process an instance starts lives in one cgroup v2 group, testbed-<instance>: the
 * command that starts them (up, simulate, restart) moves itself in while it spawns, so
 * children and whatever they fork (OVS's daemons, QEMU) are in it from their first
 * instruction, even when testbed is killed halfway. down kills what is left in it
 * (cgroup.kill) and removes it. Hosts without cgroup v2 get -ENOTSUP and fall back to
 * the pid journal and name sweeps alone.
 */

/* <cgroup2 mount>/testbed-<inst>; -ENOTSUP without a cgroup2 mount. */
int tb_cgroup_path(const char *inst, char *buf, size_t len);

/* Creates path if needed and moves this process into it; prev gets where it was. */
int tb_cgroup_enter(const char *path, char *prev, size_t prevlen);

/* Moves this process back to prev (from tb_cgroup_enter). */
int tb_cgroup_leave(const char *prev);

/* Kills every process in path, waits for them (timeout_ms), removes it; 0 if absent. */
int tb_cgroup_remove(const char *path, int timeout_ms);

#endif
