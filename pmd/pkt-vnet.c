/*
 * Virtio-net header <-> offload fields, over plain bytes (see pkt.h; vnet.c applies them to
 * mbufs). The layouts the switch takes are those of the DPDK 22.11 virtio PMD and vhost
 * library: a checksum to fill in starts right after the IP header (csum_start = l2_len +
 * l3_len) and is the TCP or UDP one; a large segment is TCP over IPv4 or IPv6. Everything
 * else is finished by the caller (checksum) or refused (GSO).
 */

#include <errno.h>
#include <string.h>

#include "pkt.h"

#define PKT_TCP_CSUM_OFF 16U
#define PKT_UDP_CSUM_OFF 6U

/* The L4 checksum offset the switch takes for this frame, or 0. */
static uint16_t
pkt_csum_off(const struct pkt_hdrs *h)
{
	if (h->l3 == PKT_L3_NONE)
		return 0;
	switch (h->l4) {
	case PKT_L4_TCP:
		return PKT_TCP_CSUM_OFF;
	case PKT_L4_UDP:
		return PKT_UDP_CSUM_OFF;
	default:
		return 0;
	}
}

/* Lengths an mbuf can hold (its l2/l3/l4_len are bit fields). */
static bool
pkt_lens_fit(const struct pkt_hdrs *h)
{
	return h->l2_len <= PKT_L2_LEN_MAX && h->l3_len <= PKT_L3_LEN_MAX &&
		h->l4_len <= PKT_L4_LEN_MAX;
}

static void
pkt_set_lens(struct pkt_offload *ol, const struct pkt_hdrs *h)
{
	ol->l2_len = h->l2_len;
	ol->l3_len = h->l3_len;
	ol->l4_len = h->l4_len;
}

int
pkt_vnet_tx(const struct virtio_net_hdr *vh, const uint8_t *p, uint32_t avail,
	    uint32_t frame_len, struct pkt_offload *ol)
{
	bool csum = (vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0;
	struct pkt_hdrs h;
	uint64_t ip_flag;
	uint16_t off;
	bool fits;
	int ret;

	memset(ol, 0, sizeof(*ol));
	/* DATA_VALID: the guest forwards a frame it already checked; nothing to do. */
	if (!csum && vh->gso_type == VIRTIO_NET_HDR_GSO_NONE)
		return 0;

	ret = pkt_parse(p, avail, frame_len, &h);
	if (ret < 0)
		return ret;
	off = pkt_csum_off(&h);
	ip_flag = h.l3 == PKT_L3_IPV4 ? PKT_F_TX_IPV4 : PKT_F_TX_IPV6;
	/*
	 * What the virtio PMD can hand on: the checksum right after the IP header, in the
	 * frame, with header lengths an mbuf holds.
	 */
	fits = csum && off != 0 && vh->csum_start == h.l2_len + h.l3_len &&
		vh->csum_offset == off && pkt_lens_fit(&h) &&
		(uint32_t)vh->csum_start + off + 2 <= frame_len;

	if (vh->gso_type != VIRTIO_NET_HDR_GSO_NONE) {
		/* Only what TUNSETOFFLOAD allowed: TSO4/TSO6, without ECN. */
		if (!fits || off != PKT_TCP_CSUM_OFF || vh->gso_size == 0 ||
				(vh->gso_type == VIRTIO_NET_HDR_GSO_TCPV4 &&
				 h.l3 != PKT_L3_IPV4) ||
				(vh->gso_type == VIRTIO_NET_HDR_GSO_TCPV6 &&
				 h.l3 != PKT_L3_IPV6) ||
				(vh->gso_type != VIRTIO_NET_HDR_GSO_TCPV4 &&
				 vh->gso_type != VIRTIO_NET_HDR_GSO_TCPV6))
			return -EPROTONOSUPPORT;
		/*
		 * The kernel left the pseudo-header sum (with the length) in the TCP checksum
		 * field and a valid IPv4 header checksum: what the virtio PMD's tx_prepare
		 * would write, so the frame goes out as it is.
		 */
		pkt_set_lens(ol, &h);
		ol->tso_segsz = vh->gso_size;
		ol->flags = PKT_F_TX_TCP_SEG | PKT_F_TX_TCP_CKSUM | ip_flag;
		return PKT_VNET_GSO;
	}

	if (fits) {
		pkt_set_lens(ol, &h);
		ol->flags = (off == PKT_TCP_CSUM_OFF ? PKT_F_TX_TCP_CKSUM : PKT_F_TX_UDP_CKSUM) |
			ip_flag;
		return 0;
	}
	if ((uint32_t)vh->csum_start + vh->csum_offset + 2 > frame_len)
		return -EINVAL;
	ol->csum_start = vh->csum_start;
	ol->csum_offset = vh->csum_offset;
	return PKT_VNET_SW_CKSUM;
}

int
pkt_vnet_rx(const uint8_t *p, uint32_t avail, uint32_t frame_len, uint64_t ol_flags,
	    uint16_t tso_segsz, struct virtio_net_hdr *vh, struct pkt_fix *fix)
{
	uint64_t l4_cksum = ol_flags & PKT_F_RX_L4_CKSUM_MASK;
	/* The PMD drops GSO frames without a segment size; never hand one to the guest. */
	bool lro = (ol_flags & PKT_F_RX_LRO) != 0 && tso_segsz != 0;
	struct pkt_hdrs h;
	uint16_t off;
	int ret;

	memset(vh, 0, sizeof(*vh));
	memset(fix, 0, sizeof(*fix));
	if (!lro && l4_cksum != PKT_F_RX_L4_CKSUM_NONE) {
		if (l4_cksum == PKT_F_RX_L4_CKSUM_GOOD)
			vh->flags = VIRTIO_NET_HDR_F_DATA_VALID;
		return 0;
	}

	ret = pkt_parse(p, avail, frame_len, &h);
	if (ret < 0)
		return ret;
	off = pkt_csum_off(&h);
	if (lro && off != PKT_TCP_CSUM_OFF)
		return -EPROTONOSUPPORT;
	if (off == 0) {
		/* Not TCP or UDP (SCTP's CRC cannot be left to the guest): let it check. */
		return 0;
	}

	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->csum_start = (uint16_t)(h.l2_len + h.l3_len);
	vh->csum_offset = off;
	/* Reset the partial checksum to the pseudo-header sum over the real L4 length; not
	 * with extension headers: proto and payload_len are not the L4 ones. */
	fix->off = (uint32_t)h.l2_len + h.l3_len + off;
	if (h.l3 == PKT_L3_IPV4) {
		fix->val = pkt_ipv4_phdr(p + h.l2_len);
		fix->set = true;
	} else if (h.l3_len == 40) {
		fix->val = pkt_ipv6_phdr(p + h.l2_len);
		fix->set = true;
	}
	if (!lro)
		return 0;

	vh->gso_type = h.l3 == PKT_L3_IPV4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6;
	vh->gso_size = tso_segsz;
	vh->hdr_len = (uint16_t)(vh->csum_start + h.l4_len);
	return PKT_VNET_GSO;
}
