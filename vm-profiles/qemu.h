/* SPDX-License-Identifier: BSD-3-Clause */
/* QEMU's command line for a guest: hugepage memory, NICs per backend, agent. */
#ifndef TB_VM_QEMU_H
#define TB_VM_QEMU_H

#include <stdbool.h>
#include <stddef.h>

#include "profile.h"

#define VM_QEMU_MAX_AGENTS 4 /* virtio-serial ports tb.agent0..3 of the guest image */
#define VM_QEMU_MAX_ARGS 96
#define VM_MAC_LEN 18 /* "02:xx:xx:xx:xx:xx" + NUL */

enum vm_accel {
	VM_ACCEL_KVM,
	VM_ACCEL_TCG,
};

enum vm_nic {
	VM_NIC_VHOST_USER, /* QEMU serves the socket; the switch connects as a client */
	VM_NIC_TAP,	   /* bridge and masquerade guests */
};

/*
 * One QEMU guest. Its sockets and files are named after it in run_dir (vm_qemu_run_path):
 * NAME.qmp, NAME.pid, NAME.console.log, NAME.agentK.sock.
 */
struct vm_qemu_conf {
	const char *qemu_path; /* NULL: "qemu-system-x86_64" */
	const char *name;
	const char *run_dir;
	const struct vm_profile *profile; /* vcpus, memory, NIC queues, ring sizes, offloads */
	enum vm_accel accel;
	const char *huge_dir; /* hugetlbfs mount; NULL only with a tap NIC (plain -m) */
	int node;	      /* NUMA node of the memory; -1: no binding */
	const char *kernel;
	const char *initrd;  /* NULL: none */
	const char *ip_cidr; /* guest address, a.b.c.d/len */
	const char *gw;	     /* NULL: none */
	int mtu;	     /* 0: the guest's default */
	int n_agents;	     /* 0..VM_QEMU_MAX_AGENTS */
	enum vm_nic nic;
	const char *mac;     /* vm_qemu_mac() */
	const char *vu_sock; /* VM_NIC_VHOST_USER */
	const char *tap;     /* VM_NIC_TAP: an existing tap in QEMU's namespace */
	bool vhost_net;	     /* VM_NIC_TAP: /dev/vhost-net exists */
	int tap_fd;	     /* VM_NIC_TAP: > 0: an open tap/macvtap QEMU inherits, not `tap` */
};

/* The command line; argv points into buf. */
struct vm_qemu_argv {
	const char *argv[VM_QEMU_MAX_ARGS + 1];
	int argc;
	char buf[8192];
	size_t used;
};

/* Fills a from c (no side effects). Returns 0, -EINVAL (message in err) or -E2BIG. */
int vm_qemu_argv(const struct vm_qemu_conf *c, struct vm_qemu_argv *a, char *err, size_t errlen);

/* "<run_dir>/<name>.<suffix>", e.g. suffix "qmp"; -ENAMETOOLONG past len. */
int vm_qemu_run_path(const char *run_dir, const char *name, const char *suffix, char *buf,
		     size_t len);

/*
 * Deterministic locally administered unicast MAC "02:74:62:BB:II:II" ("tb") for guest
 * index of backend; -ERANGE outside 0..255 / 0..65535.
 */
int vm_qemu_mac(int backend, int index, char *buf, size_t len);

#endif
