/* SPDX-License-Identifier: BSD-3-Clause */
/* Guest profiles (vm-profiles/profiles/NAME.ini): shape, kind, limits. */
#ifndef TB_VM_PROFILE_H
#define TB_VM_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A guest profile: an INI file a person edits (vm-profiles/profiles/NAME.ini).
 *
 *   [guest]
 *   kind = netns | qemu        (required)
 *   vcpus = 1-64               (default 1)
 *   memory_mb = 64-65536       (required for qemu, refused for netns)
 *   description = free text
 *   [nic]
 *   queues = 1-8               (default 1)
 *   rx_queue_size = 256|512|1024, tx_queue_size = 256|512|1024
 *                              (default 256 for qemu; netns: 1024, and both alike: a
 *                              virtio-user port has one ring size)
 *   offloads = on | off        (checksum + TSO in virtio-net, default on)
 *   ring = split | packed      (virtio ring layout, default split)
 *   in_order = on | off        (VIRTIO_F_IN_ORDER; default on for netns, virtio-user's
 *                              default; qemu: off only, QEMU 7.2 has no such property)
 *   mrg_rxbuf = on | off       (mergeable rx buffers, default on)
 */
enum vm_kind {
	VM_KIND_NETNS,
	VM_KIND_QEMU,
};

#define VM_PROFILE_NAME_LEN 64
#define VM_PROFILE_DESC_LEN 160

struct vm_profile {
	char name[VM_PROFILE_NAME_LEN]; /* file name without ".ini" */
	char description[VM_PROFILE_DESC_LEN];
	enum vm_kind kind;
	int vcpus;
	int memory_mb; /* 0 for netns */
	int queues;
	int rx_queue_size;
	int tx_queue_size;
	bool offloads;
	bool packed;    /* ring = packed */
	bool in_order;
	bool mrg_rxbuf;
};

/*
 * Loads a profile: a bare name (no '/', no ".ini") is DIR/NAME.ini, anything else a path.
 * Errors go to err as `FILE:LINE: ...`; returns 0, -ENOENT (no such profile), -EINVAL
 * (bad content) or another negative errno.
 */
int vm_profile_load(const char *dir, const char *name_or_path, struct vm_profile *p, char *err,
		    size_t errlen);

/* Parses INI text; file names the source in error messages and gives the profile name. */
int vm_profile_parse_string(const char *text, const char *file, struct vm_profile *p, char *err,
			    size_t errlen);

const char *vm_kind_name(enum vm_kind k);

/*
 * The profile's rings in the grammar of pmd/ring-spec.h, every token, e.g.
 * "packed+in_order+mrg+q1024" (netns guests: testbed-pmd's --ring / --guest-ring).
 * Returns the length or -ENOSPC.
 */
int vm_profile_ring_spec(const struct vm_profile *p, char *buf, size_t len);

#endif
