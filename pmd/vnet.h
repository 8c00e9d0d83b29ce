/*
 * The virtio-net header a tap with IFF_VNET_HDR puts before every frame, translated to and
 * from the offload fields of an mbuf (ol_flags, l2/l3/l4_len, tso_segsz), so that large TCP
 * segments and partial checksums cross the shim in both directions:
 *
 *   tap -> switch: NEEDS_CSUM becomes RTE_MBUF_F_TX_{TCP,UDP}_CKSUM, a TCPV4/TCPV6 GSO frame
 *                  RTE_MBUF_F_TX_TCP_SEG with tso_segsz; the virtio PMD turns them back
 *                  into its own virtio-net header for the switch;
 *   switch -> tap: RTE_MBUF_F_RX_LRO (the switch handed over a large segment) becomes a
 *                  TCPV4/TCPV6 GSO frame, RTE_MBUF_F_RX_L4_CKSUM_NONE (checksum not
 *                  filled in) NEEDS_CSUM, RTE_MBUF_F_RX_L4_CKSUM_GOOD DATA_VALID.
 */

#ifndef PMD_VNET_H
#define PMD_VNET_H

#include <stdint.h>

#include <linux/virtio_net.h>

#include <rte_mbuf.h>

#include "pkt.h"

/* The header the shim's taps use: the 10-byte one, without num_buffers. */
#define PMD_VNET_HDR_LEN ((unsigned int)sizeof(struct virtio_net_hdr))

/* What pmd_vnet_to_mbuf() and pmd_vnet_from_mbuf() did, as bits of their result. */
#define PMD_VNET_GSO PKT_VNET_GSO		/* the frame is a large TCP segment */
#define PMD_VNET_SW_CKSUM PKT_VNET_SW_CKSUM	/* the checksum could not be offloaded:
						 * computed here */

/*
 * Tap -> switch. m is the frame that followed hdr (it may be a chain); set its offload
 * fields. A partial checksum in a layout the switch cannot take (not TCP or UDP right after
 * the IP header) is completed in software. Returns PMD_VNET_* bits, or -EPROTONOSUPPORT for
 * a GSO frame the switch cannot segment (not TCP, ECN, no checksum request), -EINVAL for a
 * header that does not fit the frame: drop those.
 */
int pmd_vnet_to_mbuf(const struct virtio_net_hdr *hdr, struct rte_mbuf *m);

/*
 * Switch -> tap. Fill hdr from m's rx offload flags, as the virtio PMD set them. For a
 * checksum left partial, the checksum field is reset to the pseudo-header sum including
 * the length, which the guest kernel expects (DPDK leaves it out for TSO frames). Returns
 * PMD_VNET_* bits, or -EPROTONOSUPPORT for a large segment that is not TCP over IPv4/IPv6:
 * drop that.
 */
int pmd_vnet_from_mbuf(struct rte_mbuf *m, struct virtio_net_hdr *hdr);

/*
 * The folded one's complement sum (pkt_sum()) of len bytes of m from off, over its segments;
 * -EINVAL when m is shorter. Not rte_raw_cksum_mbuf(): in DPDK 22.11 it byte-swaps a
 * segment's unreduced sum when the segment starts at an odd offset, and gets those wrong.
 */
int pmd_mbuf_sum(const struct rte_mbuf *m, uint32_t off, uint32_t len, uint16_t *sum);

#endif /* PMD_VNET_H */
