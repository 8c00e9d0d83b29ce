/*
 * Virtio-net header <-> mbuf offload fields: pkt-vnet.c decides over the frame's bytes, this
 * applies its decisions to mbufs (flags, lengths, a checksum completed over the segments).
 */

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ethdev.h>

#include "vnet.h"

/* pkt.h's flags are DPDK's, so they go to and from mbufs as they are. */
static_assert(PKT_F_RX_L4_CKSUM_MASK == RTE_MBUF_F_RX_L4_CKSUM_MASK &&
	      PKT_F_RX_L4_CKSUM_NONE == RTE_MBUF_F_RX_L4_CKSUM_NONE &&
	      PKT_F_RX_L4_CKSUM_GOOD == RTE_MBUF_F_RX_L4_CKSUM_GOOD &&
	      PKT_F_RX_LRO == RTE_MBUF_F_RX_LRO && PKT_F_TX_UDP_SEG == RTE_MBUF_F_TX_UDP_SEG &&
	      PKT_F_TX_TCP_SEG == RTE_MBUF_F_TX_TCP_SEG &&
	      PKT_F_TX_TCP_CKSUM == RTE_MBUF_F_TX_TCP_CKSUM &&
	      PKT_F_TX_SCTP_CKSUM == RTE_MBUF_F_TX_SCTP_CKSUM &&
	      PKT_F_TX_UDP_CKSUM == RTE_MBUF_F_TX_UDP_CKSUM &&
	      PKT_F_TX_L4_MASK == RTE_MBUF_F_TX_L4_MASK &&
	      PKT_F_TX_IP_CKSUM == RTE_MBUF_F_TX_IP_CKSUM &&
	      PKT_F_TX_IPV4 == RTE_MBUF_F_TX_IPV4 && PKT_F_TX_IPV6 == RTE_MBUF_F_TX_IPV6,
	      "pkt.h's mbuf flags are not DPDK's");
static_assert(PKT_NIC_IPV4_CKSUM == RTE_ETH_TX_OFFLOAD_IPV4_CKSUM &&
	      PKT_NIC_UDP_CKSUM == RTE_ETH_TX_OFFLOAD_UDP_CKSUM &&
	      PKT_NIC_TCP_CKSUM == RTE_ETH_TX_OFFLOAD_TCP_CKSUM &&
	      PKT_NIC_TCP_TSO == RTE_ETH_TX_OFFLOAD_TCP_TSO &&
	      PKT_NIC_MULTI_SEGS == RTE_ETH_TX_OFFLOAD_MULTI_SEGS,
	      "pkt.h's NIC offloads are not DPDK's");

/* Write a 16-bit value at byte offset off of the packet, wherever the segments split it. */
static int
vnet_write16(struct rte_mbuf *m, uint32_t off, uint16_t val)
{
	const uint8_t *v = (const uint8_t *)&val;
	unsigned int i;

	if (off + sizeof(val) > rte_pktmbuf_pkt_len(m))
		return -EINVAL;
	for (i = 0; i < sizeof(val); i++, off++) {
		while (m != NULL && off >= m->data_len) {
			off -= m->data_len;
			m = m->next;
		}
		if (m == NULL)
			return -EINVAL;
		*rte_pktmbuf_mtod_offset(m, uint8_t *, off) = v[i];
	}
	return 0;
}

int
pmd_mbuf_sum(const struct rte_mbuf *m, uint32_t off, uint32_t len, uint16_t *sum)
{
	uint32_t done = 0, n, s = 0;

	for (; m != NULL && off >= m->data_len; m = m->next)
		off -= m->data_len;
	for (; m != NULL && done < len; m = m->next, off = 0) {
		n = RTE_MIN((uint32_t)m->data_len - off, len - done);
		s = pkt_sum_add(s, rte_pktmbuf_mtod_offset(m, const uint8_t *, off), n, done);
		done += n;
	}
	*sum = pkt_sum_fold(s);
	return done == len ? 0 : -EINVAL;
}

/*
 * The frame's headers for pkt_parse(): the first segment when they are in it (no copy), else
 * copied from the chain into buf (PKT_PARSE_MAX bytes).
 */
static const uint8_t *
vnet_hdrs(const struct rte_mbuf *m, uint8_t *buf, uint32_t *avail)
{
	*avail = RTE_MIN(rte_pktmbuf_pkt_len(m), PKT_PARSE_MAX);
	return rte_pktmbuf_read(m, 0, *avail, buf);
}

int
pmd_vnet_to_mbuf(const struct virtio_net_hdr *hdr, struct rte_mbuf *m)
{
	struct pkt_offload ol;
	uint32_t avail;
	uint16_t sum;
	int ret;

	ret = pkt_vnet_tx(hdr, rte_pktmbuf_mtod(m, const uint8_t *), rte_pktmbuf_data_len(m),
			  rte_pktmbuf_pkt_len(m), &ol);
	if (unlikely(ret == -EAGAIN)) {
		uint8_t buf[PKT_PARSE_MAX];
		const uint8_t *p = vnet_hdrs(m, buf, &avail);

		ret = pkt_vnet_tx(hdr, p, avail, rte_pktmbuf_pkt_len(m), &ol);
	}
	if (ret < 0)
		return ret;
	if (ret & PKT_VNET_SW_CKSUM) {
		/* Complete a partial checksum: the field already holds the pseudo-header sum. */
		if (pmd_mbuf_sum(m, ol.csum_start, rte_pktmbuf_pkt_len(m) - ol.csum_start,
				 &sum) < 0 ||
				vnet_write16(m, (uint32_t)ol.csum_start + ol.csum_offset,
					     pkt_cksum_complete(sum)) < 0)
			return -EINVAL;
		return ret;
	}
	if (ol.flags != 0) {
		m->l2_len = ol.l2_len;
		m->l3_len = ol.l3_len;
		m->l4_len = ol.l4_len;
		if (ret & PKT_VNET_GSO)
			m->tso_segsz = ol.tso_segsz;
		m->ol_flags |= ol.flags;
	}
	return ret;
}

int
pmd_vnet_from_mbuf(struct rte_mbuf *m, struct virtio_net_hdr *hdr)
{
	struct pkt_fix fix;
	uint32_t avail;
	int ret;

	ret = pkt_vnet_rx(rte_pktmbuf_mtod(m, const uint8_t *), rte_pktmbuf_data_len(m),
			  rte_pktmbuf_pkt_len(m), m->ol_flags, m->tso_segsz, hdr, &fix);
	if (unlikely(ret == -EAGAIN)) {
		uint8_t buf[PKT_PARSE_MAX];
		const uint8_t *p = vnet_hdrs(m, buf, &avail);

		ret = pkt_vnet_rx(p, avail, rte_pktmbuf_pkt_len(m), m->ol_flags, m->tso_segsz,
				  hdr, &fix);
	}
	/* The checksum field is written where it is in the first segment only. */
	if (ret >= 0 && fix.set && fix.off + sizeof(fix.val) <= rte_pktmbuf_data_len(m))
		memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, fix.off), &fix.val, sizeof(fix.val));
	return ret;
}
