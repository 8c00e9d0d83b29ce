/* SPDX-License-Identifier: BSD-3-Clause */
/* The data plane's packet logic without DPDK (pmd/pkt.h, mactable.h), under the sanitizers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>

#include "mactable.h"
#include "pkt.h"
#include "unit.h"

#define L2 14U
#define V4 20U
#define V6 40U
#define TCP 20U
#define UDP 8U
#define TCP_CSUM 16U
#define UDP_CSUM 6U

/* Frames live in heap buffers of exactly their length, so ASan sees any read past them. */
static uint8_t *
frame_dup(const uint8_t *f, uint32_t len)
{
	uint8_t *p = malloc(len > 0 ? len : 1);

	ck_assert_ptr_nonnull(p);
	memcpy(p, f, len);
	return p;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Big-endian one's complement sum, written apart from pkt.c's to check it. */
static uint32_t
be_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
be_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * Ethernet (with vlan tags), IPv4 or IPv6 (with ext bytes of hop-by-hop options), TCP or
 * UDP, payload bytes. Returns the length; the L4 header starts at *l4.
 */
static uint32_t
frame(uint8_t *f, unsigned int vlans, bool v6, uint32_t ext, uint8_t proto, uint32_t payload,
      uint32_t *l4)
{
	uint32_t off = 12, l4len = proto == IPPROTO_UDP ? UDP : TCP, i;

	memset(f, 0, 16384);
	f[0] = 0x02;		/* dst 02:00:00:00:00:02 */
	f[5] = 0x02;
	f[6] = 0x02;		/* src 02:00:00:00:00:01 */
	f[11] = 0x01;
	for (i = 0; i < vlans; i++) {
		put16(f + off, vlans == 2 && i == 0 ? 0x88a8 : 0x8100);
		off += 4;
	}
	put16(f + off, v6 ? 0x86dd : 0x0800);
	off += 2;
	if (v6) {
		f[off] = 0x60;
		put16(f + off + 4, (uint16_t)(ext + l4len + payload));
		f[off + 6] = ext > 0 ? IPPROTO_HOPOPTS : proto;
		f[off + 7] = 64;
		f[off + 8] = 0xfe;
		f[off + 23] = 1;
		f[off + 24] = 0xfe;
		f[off + 39] = 2;
		off += V6;
		if (ext > 0) {
			f[off] = proto;
			f[off + 1] = (uint8_t)(ext / 8 - 1);
			off += ext;
		}
	} else {
		f[off] = 0x45;
		put16(f + off + 2, (uint16_t)(V4 + l4len + payload));
		f[off + 8] = 64;
		f[off + 9] = proto;
		f[off + 12] = 198;
		f[off + 13] = 18;
		f[off + 15] = 1;
		f[off + 16] = 198;
		f[off + 17] = 18;
		f[off + 19] = 2;
		put16(f + off + 10, (uint16_t)~be_fold(be_sum(f + off, V4, 0)));
		off += V4;
	}
	*l4 = off;
	if (proto == IPPROTO_TCP) {
		put16(f + off, 19999);
		put16(f + off + 2, 40000);
		f[off + 12] = 0x50;
		f[off + 13] = 0x10;
	} else {
		put16(f + off, 19999);
		put16(f + off + 2, 40000);
		put16(f + off + 4, (uint16_t)(UDP + payload));
	}
	for (i = 0; i < payload; i++)
		f[off + l4len + i] = (uint8_t)(i * 7 + 3);
	return off + l4len + payload;
}

static uint8_t fbuf[16384];

START_TEST(test_parse)
{
	struct pkt_hdrs h;
	uint32_t len, l4;

	len = frame(fbuf, 0, false, 0, IPPROTO_TCP, 10, &l4);
	ck_assert_int_eq(pkt_parse(fbuf, len, len, &h), 0);
	ck_assert_uint_eq(h.l2_len, L2);
	ck_assert_uint_eq(h.l3_len, V4);
	ck_assert_uint_eq(h.l4_len, TCP);
	ck_assert_uint_eq(h.l3, PKT_L3_IPV4);
	ck_assert_uint_eq(h.l4, PKT_L4_TCP);

	/* a vlan tag, QinQ */
	len = frame(fbuf, 1, true, 0, IPPROTO_UDP, 10, &l4);
	ck_assert_int_eq(pkt_parse(fbuf, len, len, &h), 0);
	ck_assert_uint_eq(h.l2_len, L2 + 4);
	ck_assert_uint_eq(h.l3, PKT_L3_IPV6);
	ck_assert_uint_eq(h.l4, PKT_L4_UDP);
	ck_assert_uint_eq(h.l4_len, UDP);
	len = frame(fbuf, 2, false, 0, IPPROTO_UDP, 10, &l4);
	ck_assert_int_eq(pkt_parse(fbuf, len, len, &h), 0);
	ck_assert_uint_eq(h.l2_len, L2 + 8);
	ck_assert_uint_eq(h.l4, PKT_L4_UDP);

	/* IPv6 extension headers count into l3_len */
	len = frame(fbuf, 0, true, 16, IPPROTO_TCP, 10, &l4);
	ck_assert_int_eq(pkt_parse(fbuf, len, len, &h), 0);
	ck_assert_uint_eq(h.l3_len, V6 + 16);
	ck_assert_uint_eq(h.l4, PKT_L4_TCP);
	/* ... and more than a few bytes are past what the caller gave: it asks for them */
	ck_assert_int_eq(pkt_parse(fbuf, L2 + V6 + 4, len, &h), -EAGAIN);

	/* fragments: no L4 */
	len = frame(fbuf, 0, false, 0, IPPROTO_TCP, 10, &l4);
	fbuf[L2 + 6] = 0x20;	/* MF */
	ck_assert_int_eq(pkt_parse(fbuf, len, len, &h), 0);
	ck_assert_uint_eq(h.l4, PKT_L4_FRAG);
	fbuf[L2 + 6] = 0;
	fbuf[L2 + 7] = 1;	/* an offset */
	ck_assert_int_eq(pkt_parse(fbuf, len, len, &h), 0);
	ck_assert_uint_eq(h.l4, PKT_L4_FRAG);

	/* IPv4 with a header shorter than 5 words, not IP at all */
	len = frame(fbuf, 0, false, 0, IPPROTO_TCP, 10, &l4);
	fbuf[L2] = 0x44;
	ck_assert_int_eq(pkt_parse(fbuf, len, len, &h), 0);
	ck_assert_uint_eq(h.l3, PKT_L3_NONE);
	put16(fbuf + 12, 0x0806);
	ck_assert_int_eq(pkt_parse(fbuf, len, len, &h), 0);
	ck_assert_uint_eq(h.l3, PKT_L3_NONE);
	ck_assert_uint_eq(h.l4, PKT_L4_NONE);
}
END_TEST

/* Cut short anywhere, a frame parses to no more than what is in it; never reads past it. */
START_TEST(test_parse_truncated)
{
	struct pkt_hdrs h;
	uint32_t len, l4, n;
	uint8_t *p;

	len = frame(fbuf, 1, false, 0, IPPROTO_TCP, 4, &l4);
	for (n = 0; n <= len; n++) {
		p = frame_dup(fbuf, n);
		ck_assert_int_eq(pkt_parse(p, n, n, &h), 0);
		ck_assert_uint_eq(h.l3, n >= L2 + 4 + V4 ? PKT_L3_IPV4 : PKT_L3_NONE);
		/* a TCP header is there entirely or not taken */
		ck_assert_uint_eq(h.l4, n >= l4 + TCP ? PKT_L4_TCP : PKT_L4_NONE);
		free(p);
	}
	/* UDP: DPDK takes the header from the IP protocol, there or not */
	len = frame(fbuf, 0, true, 8, IPPROTO_UDP, 4, &l4);
	for (n = 0; n <= len; n++) {
		p = frame_dup(fbuf, n);
		ck_assert_int_eq(pkt_parse(p, n, n, &h), 0);
		ck_assert_uint_eq(h.l4, n >= L2 + V6 + 2 ? PKT_L4_UDP : PKT_L4_NONE);
		free(p);
	}
}
END_TEST

static int
vtx(const struct virtio_net_hdr *vh, uint32_t len, struct pkt_offload *ol)
{
	uint8_t *p = frame_dup(fbuf, len);
	int ret = pkt_vnet_tx(vh, p, len, len, ol);

	free(p);
	return ret;
}

START_TEST(test_vnet_tx_csum)
{
	struct virtio_net_hdr vh = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
				    .csum_start = L2 + V4, .csum_offset = TCP_CSUM};
	struct pkt_offload ol;
	uint32_t len, l4;

	len = frame(fbuf, 0, false, 0, IPPROTO_TCP, 100, &l4);
	ck_assert_int_eq(vtx(&vh, len, &ol), 0);
	ck_assert_uint_eq(ol.flags, PKT_F_TX_TCP_CKSUM | PKT_F_TX_IPV4);
	ck_assert_uint_eq(ol.l2_len, L2);
	ck_assert_uint_eq(ol.l3_len, V4);
	ck_assert_uint_eq(ol.l4_len, TCP);

	vh.csum_start = L2 + V6;
	vh.csum_offset = UDP_CSUM;
	len = frame(fbuf, 0, true, 0, IPPROTO_UDP, 100, &l4);
	ck_assert_int_eq(vtx(&vh, len, &ol), 0);
	ck_assert_uint_eq(ol.flags, PKT_F_TX_UDP_CKSUM | PKT_F_TX_IPV6);

	/* DATA_VALID, or nothing: no offload, the frame is not even looked at */
	vh.flags = VIRTIO_NET_HDR_F_DATA_VALID;
	ck_assert_int_eq(pkt_vnet_tx(&vh, NULL, 0, 0, &ol), 0);
	ck_assert_uint_eq(ol.flags, 0);
	vh.flags = 0;
	ck_assert_int_eq(pkt_vnet_tx(&vh, NULL, 0, 0, &ol), 0);
}
END_TEST

START_TEST(test_vnet_tx_gso_types)
{
	static const struct {
		uint8_t gso_type;
		bool v6;
		uint8_t proto;
		int ret;
	} cases[] = {
		{VIRTIO_NET_HDR_GSO_TCPV4, false, IPPROTO_TCP, PKT_VNET_GSO},
		{VIRTIO_NET_HDR_GSO_TCPV6, true, IPPROTO_TCP, PKT_VNET_GSO},
		{VIRTIO_NET_HDR_GSO_TCPV4, true, IPPROTO_TCP, -EPROTONOSUPPORT},
		{VIRTIO_NET_HDR_GSO_TCPV6, false, IPPROTO_TCP, -EPROTONOSUPPORT},
		{VIRTIO_NET_HDR_GSO_UDP, false, IPPROTO_UDP, -EPROTONOSUPPORT},
		{VIRTIO_NET_HDR_GSO_UDP, false, IPPROTO_TCP, -EPROTONOSUPPORT},
		{5 /* UDP_L4, not in Debian 12's header */, true, IPPROTO_UDP, -EPROTONOSUPPORT},
		{VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN, false, IPPROTO_TCP,
		 -EPROTONOSUPPORT},
		{VIRTIO_NET_HDR_GSO_TCPV6 | VIRTIO_NET_HDR_GSO_ECN, true, IPPROTO_TCP,
		 -EPROTONOSUPPORT},
		{0x7f, false, IPPROTO_TCP, -EPROTONOSUPPORT},
	};
	struct virtio_net_hdr vh = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .gso_size = 1448};
	struct pkt_offload ol;
	uint32_t len, l4;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = frame(fbuf, 0, cases[i].v6, 0, cases[i].proto, 4000, &l4);
		vh.gso_type = cases[i].gso_type;
		vh.csum_start = (uint16_t)l4;
		vh.csum_offset = cases[i].proto == IPPROTO_TCP ? TCP_CSUM : UDP_CSUM;
		vh.hdr_len = (uint16_t)(l4 + TCP);
		ck_assert_msg(vtx(&vh, len, &ol) == cases[i].ret, "case %u", i);
		if (cases[i].ret == PKT_VNET_GSO) {
			ck_assert_uint_eq(ol.flags, PKT_F_TX_TCP_SEG | PKT_F_TX_TCP_CKSUM |
					  (cases[i].v6 ? PKT_F_TX_IPV6 : PKT_F_TX_IPV4));
			ck_assert_uint_eq(ol.tso_segsz, 1448);
			ck_assert_uint_eq(ol.l4_len, TCP);
		}
	}
	/* TSO without a checksum request, or without a segment size */
	len = frame(fbuf, 0, false, 0, IPPROTO_TCP, 4000, &l4);
	vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	vh.csum_start = (uint16_t)l4;
	vh.csum_offset = TCP_CSUM;
	vh.flags = 0;
	ck_assert_int_eq(vtx(&vh, len, &ol), -EPROTONOSUPPORT);
	vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh.gso_size = 0;
	ck_assert_int_eq(vtx(&vh, len, &ol), -EPROTONOSUPPORT);
	/* hdr_len is the guest's word only: far past the frame, the frame's headers count */
	vh.gso_size = 1448;
	vh.hdr_len = 0xffff;
	ck_assert_int_eq(vtx(&vh, len, &ol), PKT_VNET_GSO);
	ck_assert_uint_eq(ol.l2_len + ol.l3_len + ol.l4_len, l4 + TCP);
}
END_TEST

START_TEST(test_vnet_tx_bad_csum)
{
	struct virtio_net_hdr vh = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM};
	struct pkt_offload ol;
	uint32_t len, l4;

	len = frame(fbuf, 0, false, 0, IPPROTO_TCP, 100, &l4);
	/* not right after the IP header: completed by the caller */
	vh.csum_start = (uint16_t)(l4 + 2);
	vh.csum_offset = 4;
	ck_assert_int_eq(vtx(&vh, len, &ol), PKT_VNET_SW_CKSUM);
	ck_assert_uint_eq(ol.csum_start, l4 + 2);
	ck_assert_uint_eq(ol.csum_offset, 4);
	ck_assert_uint_eq(ol.flags, 0);
	/* the UDP offset in a TCP frame */
	vh.csum_start = (uint16_t)l4;
	vh.csum_offset = UDP_CSUM;
	ck_assert_int_eq(vtx(&vh, len, &ol), PKT_VNET_SW_CKSUM);
	/* the field's last byte is the frame's last */
	vh.csum_start = (uint16_t)(len - 10);
	vh.csum_offset = 8;
	ck_assert_int_eq(vtx(&vh, len, &ol), PKT_VNET_SW_CKSUM);
	/* one past it, far past it */
	vh.csum_offset = 9;
	ck_assert_int_eq(vtx(&vh, len, &ol), -EINVAL);
	vh.csum_start = 0xffff;
	vh.csum_offset = 0xffff;
	ck_assert_int_eq(vtx(&vh, len, &ol), -EINVAL);
	vh.csum_start = 0;
	ck_assert_int_eq(vtx(&vh, len, &ol), -EINVAL);
	vh.csum_start = (uint16_t)len;
	vh.csum_offset = 0;
	ck_assert_int_eq(vtx(&vh, len, &ol), -EINVAL);
}
END_TEST

/* A frame cut short: offloads only for what is in it, a checksum field never past its end. */
START_TEST(test_vnet_tx_truncated)
{
	struct virtio_net_hdr vh = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM};
	struct pkt_offload ol;
	uint32_t len, l4, n;
	int ret;

	len = frame(fbuf, 0, false, 0, IPPROTO_UDP, 20, &l4);
	vh.csum_start = (uint16_t)l4;
	vh.csum_offset = UDP_CSUM;
	for (n = 0; n <= len; n++) {
		ret = vtx(&vh, n, &ol);
		if (n >= l4 + UDP_CSUM + 2)
			ck_assert_int_eq(ret, 0);
		else
			ck_assert_int_eq(ret, -EINVAL);
	}
	len = frame(fbuf, 0, true, 0, IPPROTO_TCP, 3000, &l4);
	vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	vh.gso_size = 1000;
	vh.csum_start = (uint16_t)l4;
	vh.csum_offset = TCP_CSUM;
	for (n = 0; n <= len; n++) {
		ret = vtx(&vh, n, &ol);
		ck_assert_int_eq(ret, n >= l4 + TCP ? PKT_VNET_GSO : -EPROTONOSUPPORT);
	}
}
END_TEST

/* Headers longer than an mbuf's length fields hold are not handed on, they are finished. */
START_TEST(test_vnet_tx_long_headers)
{
	struct virtio_net_hdr vh = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
				    .csum_offset = TCP_CSUM};
	struct pkt_offload ol;
	uint32_t len, l4;

	len = frame(fbuf, 0, true, 512, IPPROTO_TCP, 100, &l4);
	vh.csum_start = (uint16_t)l4;
	ck_assert_int_eq(vtx(&vh, len, &ol), PKT_VNET_SW_CKSUM);
	vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	vh.gso_size = 1000;
	ck_assert_int_eq(vtx(&vh, len, &ol), -EPROTONOSUPPORT);
	/* 464 bytes of options still fit */
	len = frame(fbuf, 0, true, 464, IPPROTO_TCP, 100, &l4);
	vh.csum_start = (uint16_t)l4;
	ck_assert_int_eq(vtx(&vh, len, &ol), PKT_VNET_GSO);
	ck_assert_uint_eq(ol.l3_len, V6 + 464);
}
END_TEST

START_TEST(test_vnet_rx)
{
	struct virtio_net_hdr vh;
	struct pkt_fix fix;
	uint32_t len, l4, all;
	uint8_t *p;

	len = frame(fbuf, 0, false, 0, IPPROTO_TCP, 10, &l4);
	ck_assert_int_eq(pkt_vnet_rx(fbuf, len, len, PKT_F_RX_L4_CKSUM_GOOD, 0, &vh, &fix), 0);
	ck_assert_uint_eq(vh.flags, VIRTIO_NET_HDR_F_DATA_VALID);
	ck_assert(!fix.set);
	ck_assert_int_eq(pkt_vnet_rx(fbuf, len, len, 0, 0, &vh, &fix), 0);
	ck_assert_uint_eq(vh.flags, 0);
	/* LRO without a segment size is no LRO */
	ck_assert_int_eq(pkt_vnet_rx(fbuf, len, len, PKT_F_RX_LRO, 0, &vh, &fix), 0);
	ck_assert_uint_eq(vh.gso_type, VIRTIO_NET_HDR_GSO_NONE);

	/* a large IPv4 segment: the pseudo-header sum with the length, and the guest's
	 * completion of it gives a valid frame */
	len = frame(fbuf, 0, false, 0, IPPROTO_TCP, 3000, &l4);
	p = frame_dup(fbuf, len);
	ck_assert_int_eq(pkt_vnet_rx(p, len, len, PKT_F_RX_LRO | PKT_F_RX_L4_CKSUM_NONE, 1448,
				     &vh, &fix), PKT_VNET_GSO);
	ck_assert_uint_eq(vh.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	ck_assert_uint_eq(vh.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	ck_assert_uint_eq(vh.gso_size, 1448);
	ck_assert_uint_eq(vh.csum_start, l4);
	ck_assert_uint_eq(vh.csum_offset, TCP_CSUM);
	ck_assert_uint_eq(vh.hdr_len, l4 + TCP);
	ck_assert(fix.set);
	ck_assert_uint_eq(fix.off, l4 + TCP_CSUM);
	memcpy(p + fix.off, &fix.val, 2);
	{
		uint16_t c = pkt_cksum_complete(pkt_sum(p + l4, len - l4));

		memcpy(p + fix.off, &c, 2);
	}
	all = be_sum(p + l4, len - l4, be_sum(p + L2 + 12, 8, IPPROTO_TCP + len - l4));
	ck_assert_uint_eq(be_fold(all), 0xffff);
	free(p);

	/* IPv6: a large segment; with extension headers no fix (proto and length are not
	 * the L4 ones) */
	len = frame(fbuf, 0, true, 0, IPPROTO_TCP, 3000, &l4);
	ck_assert_int_eq(pkt_vnet_rx(fbuf, len, len, PKT_F_RX_LRO | PKT_F_RX_L4_CKSUM_NONE, 1428,
				     &vh, &fix), PKT_VNET_GSO);
	ck_assert_uint_eq(vh.gso_type, VIRTIO_NET_HDR_GSO_TCPV6);
	ck_assert(fix.set);
	len = frame(fbuf, 0, true, 8, IPPROTO_UDP, 30, &l4);
	ck_assert_int_eq(pkt_vnet_rx(fbuf, len, len, PKT_F_RX_L4_CKSUM_NONE, 0, &vh, &fix), 0);
	ck_assert_uint_eq(vh.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	ck_assert_uint_eq(vh.csum_start, l4);
	ck_assert_uint_eq(vh.csum_offset, UDP_CSUM);
	ck_assert(!fix.set);
	/* a large segment that is not TCP cannot go to the guest */
	ck_assert_int_eq(pkt_vnet_rx(fbuf, len, len, PKT_F_RX_LRO | PKT_F_RX_L4_CKSUM_NONE, 1000,
				     &vh, &fix), -EPROTONOSUPPORT);
	/* not TCP or UDP: left to the guest */
	fbuf[L2 + 6] = IPPROTO_ICMPV6;
	ck_assert_int_eq(pkt_vnet_rx(fbuf, len, len, PKT_F_RX_L4_CKSUM_NONE, 0, &vh, &fix), 0);
	ck_assert_uint_eq(vh.flags, 0);
}
END_TEST

START_TEST(test_sum)
{
	static uint8_t b[3001];
	uint32_t i, cut, s;

	for (i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(i * 131 + 17);
	for (i = 0; i <= 9; i++) {
		uint16_t w = pkt_sum(b, i), want = be_fold(be_sum(b, i, 0));
		uint8_t n[2];

		/* the host-order sum written to memory reads as the big-endian one */
		memcpy(n, &w, 2);
		ck_assert_uint_eq((uint16_t)(n[0] << 8 | n[1]), want);
	}
	/* in two pieces cut anywhere, the second at an odd or even offset: the same sum */
	for (cut = 0; cut <= sizeof(b); cut += 7) {
		s = pkt_sum_add(0, b, cut, 0);
		s = pkt_sum_add(s, b + cut, sizeof(b) - cut, cut);
		ck_assert_msg(pkt_sum_fold(s) == pkt_sum(b, sizeof(b)), "cut at %u", cut);
	}
	ck_assert_uint_eq(pkt_cksum_complete(0xffff), 0xffff);
	ck_assert_uint_eq(pkt_cksum_complete(0x1234), 0xedcb);
}
END_TEST

/* NIC without offloads: the IPv4 header and TCP/UDP checksums done here are valid. */
START_TEST(test_nic_cksum)
{
	struct pkt_l4_job job;
	uint32_t len, l4, all, s;
	uint16_t c;
	uint8_t *p;

	len = frame(fbuf, 0, false, 0, IPPROTO_TCP, 101, &l4);
	fbuf[L2 + 10] = 0x12;	/* stale header sum, as after GSO */
	p = frame_dup(fbuf, len);
	ck_assert_int_eq(pkt_nic_cksum_prep(p, len, len, PKT_F_TX_IPV4 | PKT_F_TX_TCP_CKSUM |
					    PKT_F_TX_IP_CKSUM, L2, V4, &job), 0);
	ck_assert_uint_eq(be_fold(be_sum(p + L2, V4, 0)), 0xffff);
	ck_assert(job.want);
	ck_assert_uint_eq(job.off, l4);
	ck_assert_uint_eq(job.len, len - l4);
	ck_assert_uint_eq(job.field, l4 + TCP_CSUM);
	/* summed in two pieces, the second at an odd offset */
	s = pkt_sum_add(0, p + job.off, 33, 0);
	s = pkt_sum_add(s, p + job.off + 33, job.len - 33, 33);
	c = pkt_l4_cksum(&job, pkt_sum_fold(s));
	memcpy(p + job.field, &c, 2);
	all = be_sum(p + l4, len - l4, be_sum(p + L2 + 12, 8, IPPROTO_TCP + len - l4));
	ck_assert_uint_eq(be_fold(all), 0xffff);
	free(p);

	/* IPv6 UDP */
	len = frame(fbuf, 0, true, 0, IPPROTO_UDP, 57, &l4);
	p = frame_dup(fbuf, len);
	ck_assert_int_eq(pkt_nic_cksum_prep(p, len, len, PKT_F_TX_IPV6 | PKT_F_TX_UDP_CKSUM, L2, V6,
					    &job), 0);
	ck_assert(job.udp);
	c = pkt_l4_cksum(&job, pkt_sum(p + job.off, job.len));
	memcpy(p + job.field, &c, 2);
	ck_assert_uint_ne(c, 0);
	all = be_sum(p + l4, len - l4, be_sum(p + L2 + 8, 32, IPPROTO_UDP + len - l4));
	ck_assert_uint_eq(be_fold(all), 0xffff);
	free(p);

	/* what it cannot do */
	len = frame(fbuf, 0, false, 0, IPPROTO_TCP, 10, &l4);
	ck_assert_int_eq(pkt_nic_cksum_prep(fbuf, len, len, PKT_F_TX_IPV4 | PKT_F_TX_SCTP_CKSUM,
					    L2, V4, &job), -ENOTSUP);
	ck_assert_int_eq(pkt_nic_cksum_prep(fbuf, len, len, PKT_F_TX_IPV4 | PKT_F_TX_TCP_CKSUM,
					    0, V4, &job), -EINVAL);
	ck_assert_int_eq(pkt_nic_cksum_prep(fbuf, len, len, PKT_F_TX_TCP_CKSUM, L2, V4, &job),
			 -EINVAL);
	/* the checksum field past the first segment */
	ck_assert_int_eq(pkt_nic_cksum_prep(fbuf, l4 + TCP_CSUM + 1, len, PKT_F_TX_IPV4 |
					    PKT_F_TX_TCP_CKSUM, L2, V4, &job), -EINVAL);
	/* an IPv6 header past the segment (a bogus l3_len) */
	ck_assert_int_eq(pkt_nic_cksum_prep(fbuf, L2 + V6 - 1, len, PKT_F_TX_IPV6 |
					    PKT_F_TX_TCP_CKSUM, L2, 1, &job), -EINVAL);
	/* an IP header longer than the segment, an IP length shorter than its header */
	fbuf[L2] = 0x4f;
	ck_assert_int_eq(pkt_nic_cksum_prep(fbuf, l4 + TCP_CSUM + 2, len, PKT_F_TX_IPV4 |
					    PKT_F_TX_TCP_CKSUM, L2, V4, &job), -EINVAL);
	fbuf[L2] = 0x45;
	put16(fbuf + L2 + 2, 10);
	ck_assert_int_eq(pkt_nic_cksum_prep(fbuf, len, len, PKT_F_TX_IPV4 | PKT_F_TX_TCP_CKSUM,
					    L2, V4, &job), -EINVAL);
	/* an IP length past the frame */
	put16(fbuf + L2 + 2, (uint16_t)(len - L2 + 1));
	ck_assert_int_eq(pkt_nic_cksum_prep(fbuf, len, len, PKT_F_TX_IPV4 | PKT_F_TX_TCP_CKSUM,
					    L2, V4, &job), -EINVAL);
}
END_TEST

START_TEST(test_nic_plan)
{
	const uint64_t tso4 = PKT_F_TX_TCP_SEG | PKT_F_TX_TCP_CKSUM | PKT_F_TX_IPV4;
	const uint64_t all = PKT_NIC_MULTI_SEGS | PKT_NIC_TCP_TSO | PKT_NIC_IPV4_CKSUM |
		PKT_NIC_TCP_CKSUM | PKT_NIC_UDP_CKSUM;
	uint64_t add;

	/* nothing asked: as is, unless a chain the NIC cannot take */
	ck_assert_int_eq(pkt_nic_plan(0, 0, 1, 1514, L2, 1500, &add), PKT_NIC_AS_IS);
	ck_assert_int_eq(pkt_nic_plan(0, 0, 2, 1514, L2, 1500, &add), PKT_NIC_SW);
	ck_assert_int_eq(pkt_nic_plan(0, all, 2, 1514, L2, 1500, &add), PKT_NIC_AS_IS);
	/* TSO: a NIC that does it (the IPv4 header sum too), GSO over the MTU, else sums */
	ck_assert_int_eq(pkt_nic_plan(tso4, all, 3, 65000, L2, 1500, &add), PKT_NIC_HW);
	ck_assert_uint_eq(add, PKT_F_TX_IP_CKSUM | PKT_F_TX_TCP_CKSUM);
	ck_assert_int_eq(pkt_nic_plan(tso4, 0, 3, 65000, L2, 1500, &add), PKT_NIC_GSO);
	ck_assert_int_eq(pkt_nic_plan(tso4, 0, 1, 1514, L2, 1500, &add), PKT_NIC_SW);
	ck_assert_int_eq(pkt_nic_plan(tso4, 0, 1, 1515, L2, 1500, &add), PKT_NIC_GSO);
	/* checksums: the NIC's if it has that one */
	ck_assert_int_eq(pkt_nic_plan(PKT_F_TX_UDP_CKSUM | PKT_F_TX_IPV6, PKT_NIC_UDP_CKSUM, 1,
				      100, L2, 1500, &add), PKT_NIC_HW);
	ck_assert_uint_eq(add, 0);
	ck_assert_int_eq(pkt_nic_plan(PKT_F_TX_UDP_CKSUM | PKT_F_TX_IPV6, PKT_NIC_TCP_CKSUM, 1,
				      100, L2, 1500, &add), PKT_NIC_SW);
	ck_assert_int_eq(pkt_nic_plan(PKT_F_TX_TCP_CKSUM | PKT_F_TX_IP_CKSUM | PKT_F_TX_IPV4,
				      PKT_NIC_TCP_CKSUM, 1, 100, L2, 1500, &add), PKT_NIC_SW);
	/* hardware offloads on a chain the NIC cannot take: done here */
	ck_assert_int_eq(pkt_nic_plan(PKT_F_TX_TCP_CKSUM | PKT_F_TX_IPV4, PKT_NIC_TCP_CKSUM, 2,
				      100, L2, 1500, &add), PKT_NIC_SW);
}
END_TEST

START_TEST(test_nic_gso_size)
{
	const uint64_t tso4 = PKT_F_TX_TCP_SEG | PKT_F_TX_TCP_CKSUM | PKT_F_TX_IPV4;
	uint16_t size;

	ck_assert_int_eq(pkt_nic_gso_size(tso4, L2, V4, TCP, 0, 2048, 1500, &size), 0);
	ck_assert_uint_eq(size, 1514);
	ck_assert_int_eq(pkt_nic_gso_size(tso4, L2, V4, TCP, 536, 2048, 1500, &size), 0);
	ck_assert_uint_eq(size, L2 + V4 + TCP + 536);
	ck_assert_int_eq(pkt_nic_gso_size(tso4, L2, V4, TCP, 9000, 2048, 1500, &size), 0);
	ck_assert_uint_eq(size, 1514);
	ck_assert_int_eq(pkt_nic_gso_size(PKT_F_TX_TCP_SEG | PKT_F_TX_IPV6, L2, V6, TCP, 0, 2048,
					  1500, &size), -EPROTONOSUPPORT);
	ck_assert_int_eq(pkt_nic_gso_size(PKT_F_TX_UDP_SEG | PKT_F_TX_IPV4, L2, V4, UDP, 0, 2048,
					  1500, &size), -EINVAL);
	ck_assert_int_eq(pkt_nic_gso_size(tso4, L2, V4, 0, 0, 2048, 1500, &size), -EINVAL);
	/* headers not in the first segment; an MTU they leave no room in */
	ck_assert_int_eq(pkt_nic_gso_size(tso4, L2, V4, TCP, 0, L2 + V4 + TCP - 1, 1500, &size),
			 -EINVAL);
	ck_assert_int_eq(pkt_nic_gso_size(tso4, L2, V4, TCP, 0, 2048, V4 + TCP, &size), -EINVAL);
}
END_TEST

static struct sw_mac_table t;
static void *mem;

static void
table(uint32_t entries)
{
	free(mem);
	mem = aligned_alloc(64, sw_mac_table_mem_size(entries));
	ck_assert_ptr_nonnull(mem);
	ck_assert_int_eq(sw_mac_table_init(&t, mem, entries, 300), 0);
}

/* A frame from src to dst (the low bytes of 02:00:00:00:xx:xx) of len bytes. */
static int
fwd(uint32_t dst, uint32_t src, uint16_t in, uint32_t now, uint32_t len, bool *learned)
{
	uint8_t *f;
	int ret;

	memset(fbuf, 0, 64);
	fbuf[0] = (uint8_t)(dst >> 24) | 0x02;
	fbuf[4] = (uint8_t)(dst >> 8);
	fbuf[5] = (uint8_t)dst;
	fbuf[6] = (uint8_t)(src >> 24) | 0x02;
	fbuf[10] = (uint8_t)(src >> 8);
	fbuf[11] = (uint8_t)src;
	f = frame_dup(fbuf, len);
	ret = sw_mac_forward(&t, f, len, in, now, learned);
	free(f);
	return ret;
}

START_TEST(test_forward)
{
	bool learned;
	uint32_t n;

	table(64);
	/* shorter than an Ethernet header: nothing learned */
	for (n = 0; n < SW_MAC_ETH_HDR_LEN; n++)
		ck_assert_int_eq(fwd(2, 1, 0, 10, n, &learned), SW_MAC_RUNT);
	ck_assert_uint_eq(sw_mac_walk(&t, 10, NULL, NULL), 0);
	/* unknown destination floods; the source is learned */
	ck_assert_int_eq(fwd(2, 1, 0, 10, 14, &learned), SW_MAC_FLOOD);
	ck_assert(learned);
	ck_assert_int_eq(fwd(1, 2, 3, 10, 60, &learned), 0);
	ck_assert(learned);
	ck_assert_int_eq(fwd(2, 1, 0, 11, 60, &learned), 3);
	ck_assert(!learned);
	/* the destination on the input port: dropped */
	ck_assert_int_eq(fwd(2, 1, 3, 12, 60, &learned), SW_MAC_FILTER);
	ck_assert(learned);	/* 1 moved to port 3 */
	ck_assert_int_eq(fwd(1, 2, 0, 12, 60, &learned), 3);
	/* aged out: flooded again */
	ck_assert_int_eq(fwd(2, 1, 3, 312, 60, &learned), SW_MAC_FLOOD);
}
END_TEST

START_TEST(test_forward_group)
{
	bool learned;

	table(64);
	ck_assert_int_eq(fwd(1, 2, 5, 0, 60, &learned), SW_MAC_FLOOD);
	/* broadcast and multicast destinations flood, even to a learned address's bits */
	memset(fbuf, 0xff, 6);
	ck_assert_int_eq(sw_mac_forward(&t, fbuf, 14, 1, 0, &learned), SW_MAC_FLOOD);
	ck_assert_int_eq(fwd(0x01000000 | 2, 1, 0, 0, 60, &learned), SW_MAC_FLOOD);
	/* a group source is not learned: frames to it flood */
	ck_assert_int_eq(fwd(3, 0x01000000 | 4, 7, 0, 60, &learned), SW_MAC_FLOOD);
	ck_assert(!learned);
	ck_assert_int_eq(fwd(0x01000000 | 4, 3, 1, 0, 60, &learned), SW_MAC_FLOOD);
}
END_TEST

START_TEST(test_forward_full)
{
	bool learned;
	uint32_t i;

	/* one bucket: a fifth address is not learned and frames to it flood */
	table(4);
	for (i = 1; i <= 4; i++)
		ck_assert_int_eq(fwd(99, i, (uint16_t)i, 0, 60, &learned), SW_MAC_FLOOD);
	ck_assert_int_eq(fwd(99, 5, 5, 0, 60, &learned), SW_MAC_FLOOD);
	ck_assert(!learned);
	ck_assert_uint_eq(t.learn_full, 1);
	ck_assert_int_eq(fwd(5, 1, 1, 0, 60, &learned), SW_MAC_FLOOD);
	ck_assert_int_eq(fwd(4, 1, 1, 0, 60, &learned), 4);
}
END_TEST

static Suite *
pkt_suite(void)
{
	Suite *s = suite_create("pkt");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_parse_truncated);
	tcase_add_test(tc, test_vnet_tx_csum);
	tcase_add_test(tc, test_vnet_tx_gso_types);
	tcase_add_test(tc, test_vnet_tx_bad_csum);
	tcase_add_test(tc, test_vnet_tx_truncated);
	tcase_add_test(tc, test_vnet_tx_long_headers);
	tcase_add_test(tc, test_vnet_rx);
	tcase_add_test(tc, test_sum);
	tcase_add_test(tc, test_nic_cksum);
	tcase_add_test(tc, test_nic_plan);
	tcase_add_test(tc, test_nic_gso_size);
	tcase_add_test(tc, test_forward);
	tcase_add_test(tc, test_forward_group);
	tcase_add_test(tc, test_forward_full);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(pkt_suite)
