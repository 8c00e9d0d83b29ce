/* Virtio ring variants (layout, in-order, mergeable rx buffers, size): one grammar, its devargs. */
#ifndef PMD_RING_SPEC_H
#define PMD_RING_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Plain C (no DPDK): testbed-pmd parses --ring/--guest-ring with it, and the control plane
 * (profiles, `bench switch --rings`) writes and checks the same text.
 *
 * A spec is tokens joined by '+', each at most once, e.g. "packed+no_in_order+q1024":
 *   split | packed          ring layout (VIRTIO_F_RING_PACKED)
 *   in_order | no_in_order  descriptors used in the order made available (VIRTIO_F_IN_ORDER)
 *   mrg | nomrg             mergeable rx buffers (VIRTIO_NET_F_MRG_RXBUF)
 *   qN                      descriptors per ring, a power of 2 in 64-4096
 * What a spec leaves out keeps virtio-user's default in DPDK 22.11: split, in_order, mrg;
 * the ring size then is the program's own default (the shim's 1024, the generator's 256).
 */
struct pmd_ring {
	bool packed;
	bool in_order;
	bool mrg_rxbuf;
	unsigned int queue_size; /* 0: the user's default */
};

#define PMD_RING_DEFAULT {.packed = false, .in_order = true, .mrg_rxbuf = true, .queue_size = 0}
#define PMD_RING_QSIZE_MIN 64U
#define PMD_RING_QSIZE_MAX 4096U
#define PMD_RING_SPEC_MAX 64U
#define PMD_RING_GRAMMAR "tokens joined by '+': split|packed, in_order|no_in_order, mrg|nomrg, " \
	"qN (N a power of 2 in 64-4096), e.g. packed+no_in_order+q1024"

/* Virtio feature bits (virtio 1.1): what a negotiation's result is read with. */
#define PMD_VIRTIO_NET_F_MRG_RXBUF 15
#define PMD_VIRTIO_F_RING_PACKED 34
#define PMD_VIRTIO_F_IN_ORDER 35

/* Parses spec over the defaults in *r (unchanged on error); -EINVAL for a bad token, a token
 * given twice or two of one kind (split+packed). */
int pmd_ring_parse(const char *spec, struct pmd_ring *r);

/* The canonical spec, every token: "split+in_order+mrg+q1024" (no q when queue_size is 0).
 * Returns the length, or -ENOSPC. */
int pmd_ring_format(const struct pmd_ring *r, char *buf, size_t len);

/* virtio_user device arguments: "packed_vq=0,in_order=1,mrg_rxbuf=1,queue_size=N", the last
 * left out when the size is 0 and def_qsize is 0. Returns the length, or -ENOSPC. */
int pmd_ring_devargs(const struct pmd_ring *r, unsigned int def_qsize, char *buf, size_t len);

/* Layout, in-order and mergeable buffers of a negotiated feature set (queue_size 0). */
void pmd_ring_from_features(uint64_t features, struct pmd_ring *r);

#endif /* PMD_RING_SPEC_H */
