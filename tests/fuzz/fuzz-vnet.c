/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The pmd's packet logic on guest-controlled bytes (pmd/pkt.h): the virtio-net header ->
 * offload translation a tap frame goes through, the header the switch's frames get towards
 * a guest, and the software checksums and GSO decision towards a NIC.
 *
 * Input: a 10-byte struct virtio_net_hdr, 4 bytes of knobs (rx offload flags, tso_segsz,
 * where the first segment ends), then the frame. The frame sits in a buffer of exactly its
 * length, so that a read or write past it is an ASan report.
 */
#include <errno.h>

#include "fuzz.h"
#include "pkt.h"

#define FZ_KNOBS 4

static const uint64_t fz_rx_flags[] = {
	0, PKT_F_RX_L4_CKSUM_GOOD, PKT_F_RX_L4_CKSUM_BAD, PKT_F_RX_L4_CKSUM_NONE,
	PKT_F_RX_LRO | PKT_F_RX_L4_CKSUM_NONE, PKT_F_RX_LRO, PKT_F_RX_LRO | PKT_F_RX_L4_CKSUM_GOOD,
	PKT_F_RX_L4_CKSUM_NONE,
};

static const uint64_t fz_tx_flags[] = {
	PKT_F_TX_IPV4 | PKT_F_TX_TCP_CKSUM,
	PKT_F_TX_IPV4 | PKT_F_TX_TCP_CKSUM | PKT_F_TX_IP_CKSUM,
	PKT_F_TX_IPV4 | PKT_F_TX_UDP_CKSUM,
	PKT_F_TX_IPV6 | PKT_F_TX_TCP_CKSUM,
	PKT_F_TX_IPV6 | PKT_F_TX_UDP_CKSUM,
	PKT_F_TX_IPV4 | PKT_F_TX_TCP_SEG | PKT_F_TX_TCP_CKSUM,
	PKT_F_TX_IPV6 | PKT_F_TX_TCP_SEG | PKT_F_TX_TCP_CKSUM,
	PKT_F_TX_IPV4 | PKT_F_TX_SCTP_CKSUM,
	PKT_F_TX_IPV4 | PKT_F_TX_IP_CKSUM,
	PKT_F_TX_TCP_CKSUM,
};

/* The folded sum of [off, off + len) of f, in two pieces cut at cut, and whole. */
static uint16_t
fz_sum(const uint8_t *f, uint32_t off, uint32_t len, uint32_t cut)
{
	uint32_t s;

	cut = len == 0 ? 0 : cut % (len + 1);
	s = pkt_sum_add(0, f + off, cut, 0);
	s = pkt_sum_add(s, f + off + cut, len - cut, cut);
	FUZZ_ASSERT(pkt_sum_fold(s) == pkt_sum(f + off, len));
	return pkt_sum_fold(s);
}

/* Tap -> switch, with the first avail bytes given first, as vnet.c does. */
static void
fz_tx(const struct virtio_net_hdr *vh, uint8_t *f, uint32_t len, uint32_t avail, uint32_t cut)
{
	struct pkt_offload ol;
	uint16_t c;
	int ret;

	ret = pkt_vnet_tx(vh, f, avail, len, &ol);
	if (ret == -EAGAIN) {
		FUZZ_ASSERT(avail < len);
		ret = pkt_vnet_tx(vh, f, len < PKT_PARSE_MAX ? len : PKT_PARSE_MAX, len, &ol);
	}
	FUZZ_ASSERT(ret == 0 || ret == PKT_VNET_GSO || ret == PKT_VNET_SW_CKSUM ||
		    ret == -EINVAL || ret == -EPROTONOSUPPORT);
	if (ret < 0)
		return;
	/* what an mbuf can hold, and a checksum field in the frame */
	FUZZ_ASSERT(ol.l2_len <= PKT_L2_LEN_MAX && ol.l3_len <= PKT_L3_LEN_MAX &&
		    ol.l4_len <= PKT_L4_LEN_MAX);
	if (ret == PKT_VNET_SW_CKSUM) {
		FUZZ_ASSERT(ol.flags == 0);
		FUZZ_ASSERT((uint32_t)ol.csum_start + ol.csum_offset + 2 <= len);
		c = pkt_cksum_complete(fz_sum(f, ol.csum_start, len - ol.csum_start, cut));
		memcpy(f + ol.csum_start + ol.csum_offset, &c, sizeof(c));
		return;
	}
	if (ol.flags == 0) {
		FUZZ_ASSERT(ret == 0 && ol.l2_len == 0);
		return;
	}
	FUZZ_ASSERT((ol.flags & (PKT_F_TX_IPV4 | PKT_F_TX_IPV6)) != 0);
	FUZZ_ASSERT(vh->csum_start == ol.l2_len + ol.l3_len);
	FUZZ_ASSERT((uint32_t)vh->csum_start + vh->csum_offset + 2 <= len);
	if (ret == PKT_VNET_GSO)
		FUZZ_ASSERT(ol.tso_segsz == vh->gso_size && ol.tso_segsz != 0 &&
			    (ol.flags & PKT_F_TX_TCP_SEG) != 0);
}

/* Switch -> tap. */
static void
fz_rx(uint8_t *f, uint32_t len, uint32_t avail, uint64_t flags, uint16_t segsz)
{
	struct virtio_net_hdr vh;
	struct pkt_fix fix;
	int ret;

	ret = pkt_vnet_rx(f, avail, len, flags, segsz, &vh, &fix);
	if (ret == -EAGAIN)
		ret = pkt_vnet_rx(f, len < PKT_PARSE_MAX ? len : PKT_PARSE_MAX, len, flags, segsz,
				  &vh, &fix);
	FUZZ_ASSERT(ret == 0 || ret == PKT_VNET_GSO || ret == -EPROTONOSUPPORT);
	if (ret == PKT_VNET_GSO)
		FUZZ_ASSERT(vh.gso_size == segsz && segsz != 0 &&
			    (vh.gso_type == VIRTIO_NET_HDR_GSO_TCPV4 ||
			     vh.gso_type == VIRTIO_NET_HDR_GSO_TCPV6));
	if (fix.set) {
		FUZZ_ASSERT(vh.flags == VIRTIO_NET_HDR_F_NEEDS_CSUM);
		FUZZ_ASSERT(fix.off == (uint32_t)vh.csum_start + vh.csum_offset);
		/* vnet.c writes it only where it is in the (first) segment */
		if (fix.off + 2 <= len)
			memcpy(f + fix.off, &fix.val, sizeof(fix.val));
	}
}

/* Towards a NIC without offloads: the plan, the GSO size, the checksums. */
static void
fz_nic(uint8_t *f, uint32_t len, uint32_t seg_len, uint8_t knob, uint16_t segsz, uint32_t cut)
{
	uint64_t flags = fz_tx_flags[knob % (sizeof(fz_tx_flags) / sizeof(fz_tx_flags[0]))];
	uint64_t nic_ol = (knob & 0x80) ? PKT_NIC_MULTI_SEGS : 0, add;
	struct pkt_l4_job job;
	struct pkt_hdrs h;
	uint16_t gso_size, mtu = (uint16_t)(68 + segsz % 9000), c;
	int ret;

	if (pkt_parse(f, len < PKT_PARSE_MAX ? len : PKT_PARSE_MAX, len, &h) != 0)
		return;
	/* the lengths vhost would have set, or some from the input */
	if ((knob & 0x40) && len > 0) {
		h.l2_len = f[0] & 0x7f;
		h.l3_len = (uint16_t)(f[len - 1] | (f[len / 2] & 1) << 8);
		h.l4_len = f[len / 3];
	}
	(void)pkt_nic_plan(flags, nic_ol, (uint16_t)(1 + (knob >> 5 & 1)), len, h.l2_len, mtu,
			   &add);
	FUZZ_ASSERT((add & ~(PKT_F_TX_IP_CKSUM | PKT_F_TX_TCP_CKSUM)) == 0);
	ret = pkt_nic_gso_size(flags, h.l2_len, h.l3_len, h.l4_len, segsz, seg_len, mtu,
			       &gso_size);
	FUZZ_ASSERT(ret == 0 || ret == -EINVAL || ret == -EPROTONOSUPPORT);
	if (ret == 0)
		FUZZ_ASSERT(gso_size > h.l2_len + h.l3_len + h.l4_len &&
			    gso_size <= h.l2_len + mtu);
	ret = pkt_nic_cksum_prep(f, seg_len, len, flags, h.l2_len, h.l3_len, &job);
	FUZZ_ASSERT(ret == 0 || ret == -EINVAL || ret == -ENOTSUP);
	if (ret != 0 || !job.want)
		return;
	FUZZ_ASSERT((uint64_t)job.off + job.len <= len && job.field + 2 <= seg_len);
	c = pkt_l4_cksum(&job, fz_sum(f, job.off, job.len, cut));
	FUZZ_ASSERT(c != 0 || !job.udp);
	memcpy(f + job.field, &c, sizeof(c));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct virtio_net_hdr vh;
	uint32_t len, avail, seg_len;
	uint16_t segsz;
	uint8_t *f;

	if (size < sizeof(vh) + FZ_KNOBS || size - sizeof(vh) - FZ_KNOBS > 65535)
		return 0;
	memcpy(&vh, data, sizeof(vh));
	data += sizeof(vh);
	segsz = (uint16_t)(data[1] | data[2] << 8);
	len = (uint32_t)(size - sizeof(vh) - FZ_KNOBS);
	avail = len == 0 ? 0 : data[3] % (len + 1);
	seg_len = len == 0 ? 0 : len - data[3] % (len + 1) / 2;
	f = malloc(len > 0 ? len : 1);
	if (f == NULL)
		return 0;
	memcpy(f, data + FZ_KNOBS, len);

	fz_tx(&vh, f, len, avail, data[3]);
	memcpy(f, data + FZ_KNOBS, len);
	fz_rx(f, len, avail, fz_rx_flags[data[0] & 7], segsz);
	memcpy(f, data + FZ_KNOBS, len);
	fz_nic(f, len, seg_len, data[0], segsz, data[3]);
	free(f);
	return 0;
}
