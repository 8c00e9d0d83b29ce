/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The backend table: one row per backend (instance/be-<name>.c), listed in report order in
 * instance/backends.c, as OVS's netdev provider classes or iproute2's link_util. Everything
 * a backend does differently is a field of its row; `up`, simulate's grow, the data-path
 * check and doctor loop over the rows. Its identity (enum, name, tag) is lib/backend.h.
 */
#ifndef TB_INSTANCE_BACKENDS_H
#define TB_INSTANCE_BACKENDS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "backend.h"
#include "probe.h"

struct up_ctx;

/* What doctor found, handed to every row's doctor line. */
struct ib_doctor {
	bool root;	/* the probes that create links ran */
	bool qemu;	/* KVM or TCG boots a guest */
	bool hugepages; /* some NUMA node has hugepage pools */
	struct probe tun, veth, bridge, nat;
};

/* What `up` plans for a backend, and where its guests are. */
#define IB_PMD_CORES (1u << 0)	/* the switch's PMD cores (per host) */
#define IB_SWITCH_MEM (1u << 1) /* the switch's socket-mem hugepages (per host) */
#define IB_SHIM (1u << 2)	/* netns guests: a shim, its core and its hugepages */
#define IB_ON_BRIDGE (1u << 3)	/* guests hang off the kernel bridge (so does a host's address) */

struct ib_backend {
	enum tb_backend be;
	const char *name; /* tb_backend_name(be) */

	unsigned int flags; /* IB_* */

	/*
	 * Whether this host runs it for netns guests (vms false) or QEMU guests, found by
	 * trying; why receives the reason it does not, or how it runs. Needs root for the
	 * probes that create links.
	 */
	bool (*runs)(bool vms, char *why, size_t len);
	/* NULL, or the tools `up` needs for it: prints what is missing, returns -ENOENT. */
	int (*check_tools)(const struct up_ctx *u);
	/* `up`: builds its guests [u->first, u->first + u->count); NULL: nothing to build. */
	int (*build)(struct up_ctx *u);
	/* simulate: adds guests [u->first, u->first + u->count) to a running instance. */
	int (*grow)(struct up_ctx *u);
	/*
	 * Data-path check: for a journaled process's role, NULL when that process does not
	 * carry this backend's frames, else which side it is ("switch", "guest side"): it must
	 * be alive. A NULL hook: the data path is the kernel's, nothing to check.
	 */
	const char *(*path_role)(const char *role);
	/* Doctor's verdict on row b (this row): {"runs": bool, "why": text, ...}. */
	json_t *(*doctor)(const struct ib_backend *b, const struct ib_doctor *d);
};

/* The rows in report order (enum order); the unit test checks one row per enum value. */
extern const struct ib_backend *const ib_backends[];
extern const size_t ib_n_backends;

/* The row of backend be, or NULL. */
const struct ib_backend *ib_be_ops(enum tb_backend be);

/* The IB_* flags of the backends in mask, or-ed. */
unsigned int ib_flags(unsigned int mask);
/* The backends whose rows have every flag in flags, as a mask. */
unsigned int ib_mask(unsigned int flags);

/* Helpers the rows share. */
/* /dev/net/tun opens; why receives the reason when it does not. */
bool ib_tun_opens(char *why, size_t len);
/* {"runs": ok, "why": ok ? "runs here" : why} */
json_t *ib_verdict(bool ok, const char *why);
/* A doctor hook: the verdict from row b's runs hook, for netns and for QEMU guests. */
json_t *ib_doctor_probed(const struct ib_backend *b, const struct ib_doctor *d);
/* Role of a relay's journaled process (relay-<tag><first guest>): "guest side", or NULL. */
const char *ib_relay_role(enum tb_backend be, const char *role);

#endif
