/*
 * Virtio-net header <-> mbuf offload fields. The layouts the switch takes are those of the
 * DPDK 22.11 virtio PMD and vhost library: a checksum to fill in starts right after the IP
 * header (csum_start = l2_len + l3_len) and is the TCP or UDP one; a large segment is TCP
 * over IPv4 or IPv6. Everything else is finished here (checksum) or refused (GSO).
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_net.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "vnet.h"

#define VNET_PTYPES (RTE_PTYPE_L2_MASK | RTE_PTYPE_L3_MASK | RTE_PTYPE_L4_MASK)
#define VNET_TCP_CSUM_OFF ((uint16_t)offsetof(struct rte_tcp_hdr, cksum))
#define VNET_UDP_CSUM_OFF ((uint16_t)offsetof(struct rte_udp_hdr, dgram_cksum))

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

/* Complete a partial checksum: the field already holds the pseudo-header sum. */
static int
vnet_cksum_sw(struct rte_mbuf *m, uint16_t start, uint16_t off)
{
	uint32_t len = rte_pktmbuf_pkt_len(m);
	uint16_t csum;

	if ((uint32_t)start + off + sizeof(csum) > len)
		return -EINVAL;
	if (rte_raw_cksum_mbuf(m, start, len - start, &csum) < 0)
		return -EINVAL;
	/* 0 would mean "no checksum" to UDP; 0xffff is the same sum for TCP. */
	csum = csum == 0xffff ? csum : (uint16_t)~csum;
	return vnet_write16(m, (uint32_t)start + off, csum);
}

/* The L4 checksum offset the switch takes for this packet type, or 0. */
static uint16_t
vnet_csum_off(uint32_t ptype)
{
	if (!RTE_ETH_IS_IPV4_HDR(ptype) && !RTE_ETH_IS_IPV6_HDR(ptype))
		return 0;
	switch (ptype & RTE_PTYPE_L4_MASK) {
	case RTE_PTYPE_L4_TCP:
		return VNET_TCP_CSUM_OFF;
	case RTE_PTYPE_L4_UDP:
		return VNET_UDP_CSUM_OFF;
	default:
		return 0;
	}
}

static void
vnet_set_lens(struct rte_mbuf *m, const struct rte_net_hdr_lens *lens)
{
	m->l2_len = lens->l2_len;
	m->l3_len = lens->l3_len;
	m->l4_len = lens->l4_len;
}

int
pmd_vnet_to_mbuf(const struct virtio_net_hdr *hdr, struct rte_mbuf *m)
{
	struct rte_net_hdr_lens lens;
	uint64_t ip_flag;
	uint32_t ptype;
	uint16_t off;
	bool fits;

	/* DATA_VALID: the guest forwards a frame it already checked; nothing to do. */
	if ((hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) == 0 &&
			hdr->gso_type == VIRTIO_NET_HDR_GSO_NONE)
		return 0;

	ptype = rte_net_get_ptype(m, &lens, VNET_PTYPES);
	off = vnet_csum_off(ptype);
	ip_flag = RTE_ETH_IS_IPV4_HDR(ptype) ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6;
	fits = (hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0 && off != 0 &&
		hdr->csum_start == lens.l2_len + lens.l3_len && hdr->csum_offset == off;

	if (hdr->gso_type != VIRTIO_NET_HDR_GSO_NONE) {
		/* Only what TUNSETOFFLOAD allowed: TSO4/TSO6, without ECN. */
		if (!fits || off != VNET_TCP_CSUM_OFF || hdr->gso_size == 0 ||
				(hdr->gso_type == VIRTIO_NET_HDR_GSO_TCPV4 &&
				 !RTE_ETH_IS_IPV4_HDR(ptype)) ||
				(hdr->gso_type == VIRTIO_NET_HDR_GSO_TCPV6 &&
				 !RTE_ETH_IS_IPV6_HDR(ptype)) ||
				(hdr->gso_type != VIRTIO_NET_HDR_GSO_TCPV4 &&
				 hdr->gso_type != VIRTIO_NET_HDR_GSO_TCPV6))
			return -EPROTONOSUPPORT;
		/*
		 * The kernel left the pseudo-header sum (with the length) in the TCP checksum
		 * field and a valid IPv4 header checksum: what the virtio PMD's tx_prepare
		 * would write, so the frame goes out as it is.
		 */
		vnet_set_lens(m, &lens);
		m->tso_segsz = hdr->gso_size;
		m->ol_flags |= RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM | ip_flag;
		return PMD_VNET_GSO;
	}

	if (fits) {
		vnet_set_lens(m, &lens);
		m->ol_flags |= (off == VNET_TCP_CSUM_OFF ? RTE_MBUF_F_TX_TCP_CKSUM :
			RTE_MBUF_F_TX_UDP_CKSUM) | ip_flag;
		return 0;
	}
	return vnet_cksum_sw(m, hdr->csum_start, hdr->csum_offset) < 0 ? -EINVAL :
		PMD_VNET_SW_CKSUM;
}

/* Reset a partial checksum to the pseudo-header sum over the real L4 length. */
static void
vnet_phdr_fix(struct rte_mbuf *m, uint32_t ptype, const struct rte_net_hdr_lens *lens,
	uint16_t off)
{
	uint32_t field = (uint32_t)lens->l2_len + lens->l3_len + off;
	const void *ip = rte_pktmbuf_mtod_offset(m, const void *, lens->l2_len);
	uint16_t sum;

	if (field + sizeof(sum) > rte_pktmbuf_data_len(m))
		return;
	if (RTE_ETH_IS_IPV4_HDR(ptype))
		sum = rte_ipv4_phdr_cksum(ip, 0);
	else if (lens->l3_len == sizeof(struct rte_ipv6_hdr))
		sum = rte_ipv6_phdr_cksum(ip, 0);
	else
		return;	/* extension headers: proto and payload_len are not the L4 ones */
	memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, field), &sum, sizeof(sum));
}

int
pmd_vnet_from_mbuf(struct rte_mbuf *m, struct virtio_net_hdr *hdr)
{
	uint64_t l4_cksum = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	/* The PMD drops GSO frames without a segment size; never hand one to the guest. */
	bool lro = (m->ol_flags & RTE_MBUF_F_RX_LRO) != 0 && m->tso_segsz != 0;
	struct rte_net_hdr_lens lens;
	uint32_t ptype;
	uint16_t off;

	memset(hdr, 0, sizeof(*hdr));
	if (!lro && l4_cksum != RTE_MBUF_F_RX_L4_CKSUM_NONE) {
		if (l4_cksum == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
			hdr->flags = VIRTIO_NET_HDR_F_DATA_VALID;
		return 0;
	}

	ptype = rte_net_get_ptype(m, &lens, VNET_PTYPES);
	off = vnet_csum_off(ptype);
	if (lro && off != VNET_TCP_CSUM_OFF)
		return -EPROTONOSUPPORT;
	if (off == 0) {
		/* Not TCP or UDP (SCTP's CRC cannot be left to the guest): let it check. */
		return 0;
	}

	hdr->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	hdr->csum_start = (uint16_t)(lens.l2_len + lens.l3_len);
	hdr->csum_offset = off;
	vnet_phdr_fix(m, ptype, &lens, off);
	if (!lro)
		return 0;

	hdr->gso_type = RTE_ETH_IS_IPV4_HDR(ptype) ? VIRTIO_NET_HDR_GSO_TCPV4 :
		VIRTIO_NET_HDR_GSO_TCPV6;
	hdr->gso_size = m->tso_segsz;
	hdr->hdr_len = (uint16_t)(hdr->csum_start + lens.l4_len);
	return PMD_VNET_GSO;
}
