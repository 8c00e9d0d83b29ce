/* SPDX-License-Identifier: BSD-3-Clause */
/* Starts the testbed-pmd shim for netns guests and waits for their taps. */
#ifndef TB_VM_SHIM_H
#define TB_VM_SHIM_H

#include <stddef.h>
#include <sys/types.h>

#define VM_SHIM_MAX_PORTS 32 /* DPDK's RTE_MAX_ETHPORTS in Debian's build */

/*
 * The netns guests' virtio device: one pmd/ process in its `shim` role bridges
 * each guest's tap to a virtio-user port whose vhost-user socket it serves
 * (server mode, so the switch can restart under running guests).
 */
struct vm_shim_conf {
	const char *pmd_path;    /* testbed-pmd binary */
	const char *file_prefix; /* tb-<inst>-shim */
	const char *huge_dir;
	const char *log_path;
	const char *ready_file;
	const char *idle;        /* "adaptive" or "busy" */
	int max_sleep_us;        /* bound of one idle sleep */
	const char *ring;        /* --ring SPEC (pmd/ring-spec.h); NULL: the shim's default */
	int cpu;
	int node;
	int n_nodes;
	long socket_mem_mb;
	int n_ports;
	const char *sock[VM_SHIM_MAX_PORTS];
	const char *tap[VM_SHIM_MAX_PORTS];
};

/* Memory the shim asks DPDK for: EAL + vrings + mbufs for n_ports. */
long vm_shim_mem_mb(int n_ports);

int vm_shim_start(const struct vm_shim_conf *c, pid_t *pid, char *err, size_t errlen);
/* Waits until every tap exists (the shim makes them before serving sockets). */
int vm_shim_wait_taps(const struct vm_shim_conf *c, pid_t pid, int timeout_ms, char *err,
		      size_t errlen);
/* Waits until the switch connected every port and the shim wrote its ready file. */
int vm_shim_wait_ready(const struct vm_shim_conf *c, pid_t pid, int timeout_ms, char *err,
		       size_t errlen);

#endif
