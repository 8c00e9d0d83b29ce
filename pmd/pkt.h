/*
 * The data plane's packet-facing logic without DPDK: header parsing, checksums, the
 * virtio-net header <-> offload translation and the NIC offload decisions, as pure functions
 * over plain bytes, so that unit tests and fuzzers run them under ASan and UBSan with no EAL
 * and no hugepages. vnet.c, switch-fwd.c and switch-nic.c call them on mbufs.
 *
 * Flags are the values of DPDK 22.11's RTE_MBUF_F_* and RTE_ETH_TX_OFFLOAD_* bits (the
 * callers check at build time that they agree), so they go to and from mbufs unchanged.
 */

#ifndef PMD_PKT_H
#define PMD_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/virtio_net.h>

/* mbuf offload flags (RTE_MBUF_F_*) */
#define PKT_F_RX_L4_CKSUM_BAD (1ULL << 3)
#define PKT_F_RX_L4_CKSUM_GOOD (1ULL << 8)
#define PKT_F_RX_L4_CKSUM_MASK (PKT_F_RX_L4_CKSUM_BAD | PKT_F_RX_L4_CKSUM_GOOD)
#define PKT_F_RX_L4_CKSUM_NONE PKT_F_RX_L4_CKSUM_MASK
#define PKT_F_RX_LRO (1ULL << 16)
#define PKT_F_TX_UDP_SEG (1ULL << 42)
#define PKT_F_TX_TCP_SEG (1ULL << 50)
#define PKT_F_TX_TCP_CKSUM (1ULL << 52)
#define PKT_F_TX_SCTP_CKSUM (2ULL << 52)
#define PKT_F_TX_UDP_CKSUM (3ULL << 52)
#define PKT_F_TX_L4_MASK (3ULL << 52)
#define PKT_F_TX_IP_CKSUM (1ULL << 54)
#define PKT_F_TX_IPV4 (1ULL << 55)
#define PKT_F_TX_IPV6 (1ULL << 56)
/* The offload requests a guest's frame can carry (vhost sets no others). */
#define PKT_F_TX_OL_MASK (PKT_F_TX_TCP_SEG | PKT_F_TX_UDP_SEG | PKT_F_TX_L4_MASK | \
	PKT_F_TX_IP_CKSUM)

/* NIC tx offloads (RTE_ETH_TX_OFFLOAD_*) */
#define PKT_NIC_IPV4_CKSUM (1ULL << 1)
#define PKT_NIC_UDP_CKSUM (1ULL << 2)
#define PKT_NIC_TCP_CKSUM (1ULL << 3)
#define PKT_NIC_TCP_TSO (1ULL << 5)
#define PKT_NIC_MULTI_SEGS (1ULL << 15)

/* The widths of the mbuf's l2_len, l3_len and l4_len fields: longer headers do not fit. */
#define PKT_L2_LEN_MAX 127U
#define PKT_L3_LEN_MAX 511U
#define PKT_L4_LEN_MAX 255U

/*
 * The most bytes from the frame's start pkt_parse() reads: QinQ, IPv6, four extension
 * headers of 2 KiB and a fragment header, a TCP header.
 */
#define PKT_PARSE_MAX (22U + 40U + 4U * 2048U + 8U + 20U)

enum pkt_l3 {
	PKT_L3_NONE,	/* not IP, or not a header DPDK takes (IPv4 with ihl < 5) */
	PKT_L3_IPV4,
	PKT_L3_IPV6,
};

enum pkt_l4 {
	PKT_L4_NONE,	/* unknown, or its header is not in the frame */
	PKT_L4_TCP,
	PKT_L4_UDP,
	PKT_L4_SCTP,
	PKT_L4_FRAG,	/* a fragment: no L4 header to look at */
};

/* What pkt_parse() found; lengths as rte_net_get_ptype() gives them. */
struct pkt_hdrs {
	uint16_t l2_len;
	uint16_t l3_len;
	uint16_t l4_len;
	uint8_t l3;	/* enum pkt_l3 */
	uint8_t l4;	/* enum pkt_l4 */
};

/*
 * The Ethernet, IP and TCP/UDP headers at the start of a frame of frame_len bytes, of which
 * the first avail are at p, as DPDK 22.11's rte_net_get_ptype(L2 | L3 | L4) parses them.
 * Returns 0, or -EAGAIN when the headers go on past avail bytes: call again with
 * min(frame_len, PKT_PARSE_MAX) bytes.
 */
int pkt_parse(const uint8_t *p, uint32_t avail, uint32_t frame_len, struct pkt_hdrs *h);

/*
 * One's complement sum of len bytes in the host's byte order, folded to 16 bits (DPDK's
 * rte_raw_cksum()). A frame summed in pieces: pkt_sum_add() each piece with the offset
 * at which it starts in the summed range (an odd one swaps its bytes), then pkt_sum_fold().
 */
uint16_t pkt_sum(const void *buf, size_t len);
uint32_t pkt_sum_add(uint32_t sum, const void *buf, size_t len, uint32_t at);
uint16_t pkt_sum_fold(uint32_t sum);

/* Pseudo-header sums with the L4 length (rte_ipv4_phdr_cksum(ip, 0), rte_ipv6_...). ip: the
 * 20 or 40 bytes of the fixed header. */
uint16_t pkt_ipv4_phdr(const uint8_t *ip);
uint16_t pkt_ipv6_phdr(const uint8_t *ip);

/* What the translations did, as bits of their result. */
#define PKT_VNET_GSO 1		/* the frame is a large TCP segment */
#define PKT_VNET_SW_CKSUM 2	/* the checksum could not be offloaded: complete it */

/* The offload fields for an mbuf (ol_flags bits to set, lengths, segment size). */
struct pkt_offload {
	uint64_t flags;
	uint16_t l2_len;
	uint16_t l3_len;
	uint16_t l4_len;
	uint16_t tso_segsz;
	/* PKT_VNET_SW_CKSUM: the checksum to complete (pkt_cksum_complete()) */
	uint16_t csum_start;
	uint16_t csum_offset;
};

/*
 * Tap -> switch: the offloads of a frame (frame_len bytes, the first avail at p) that came
 * after the virtio-net header vh. A partial checksum in a layout the switch cannot take (not
 * TCP or UDP right after the IP header) is left to the caller to complete (csum_start,
 * csum_offset). Returns PKT_VNET_* bits, -EPROTONOSUPPORT for a GSO frame the switch cannot
 * segment (not TCP, ECN, no checksum request), -EINVAL for a header that does not fit the
 * frame (drop those), -EAGAIN as pkt_parse().
 */
int pkt_vnet_tx(const struct virtio_net_hdr *vh, const uint8_t *p, uint32_t avail,
		uint32_t frame_len, struct pkt_offload *ol);

/* The 16 bits to write at off of a frame's first segment (when they are in it). */
struct pkt_fix {
	bool set;
	uint32_t off;
	uint16_t val;
};

/*
 * Switch -> tap: the virtio-net header for a frame with the rx offload flags ol_flags and
 * tso_segsz (as the virtio PMD set them). For a checksum left partial, *fix resets the
 * checksum field to the pseudo-header sum including the length, which the guest kernel
 * expects (DPDK leaves it out for TSO frames). Returns PKT_VNET_* bits, -EPROTONOSUPPORT for
 * a large segment that is not TCP over IPv4/IPv6 (drop that), -EAGAIN as pkt_parse().
 */
int pkt_vnet_rx(const uint8_t *p, uint32_t avail, uint32_t frame_len, uint64_t ol_flags,
		uint16_t tso_segsz, struct virtio_net_hdr *vh, struct pkt_fix *fix);

/* The value to write into a completed checksum field from the folded sum of its range (the
 * field holding the pseudo-header sum): 0xffff stays, for UDP 0 would mean none. */
uint16_t pkt_cksum_complete(uint16_t sum);

/* An L4 checksum to compute over the frame's segments: pkt_l4_cksum(sum of [off, off+len)). */
struct pkt_l4_job {
	bool want;	/* an L4 checksum is asked for */
	uint32_t off;
	uint32_t len;
	uint32_t field;	/* where it goes, in the first segment */
	uint16_t phdr;
	bool udp;
};

/*
 * NIC without checksum offloads: the IPv4 header checksum and the L4 one that ol_flags ask
 * for. seg is the frame's first segment (seg_len bytes, writable; the headers must be in it),
 * frame_len its length. Writes the IPv4 header checksum and zeroes the L4 field, then says in
 * *job what to sum. Returns 0, -ENOTSUP (SCTP), -EINVAL (headers not where the lengths say).
 */
int pkt_nic_cksum_prep(uint8_t *seg, uint32_t seg_len, uint32_t frame_len, uint64_t ol_flags,
		       uint16_t l2_len, uint16_t l3_len, struct pkt_l4_job *job);

/* The L4 checksum field's value from the folded sum of the job's range. */
uint16_t pkt_l4_cksum(const struct pkt_l4_job *job, uint16_t sum);

enum pkt_nic_plan {
	PKT_NIC_AS_IS,	/* send as it is */
	PKT_NIC_HW,	/* the NIC does the offloads: set *add_flags too */
	PKT_NIC_GSO,	/* a TSO frame over the MTU: segment it (pkt_nic_gso_size()) */
	PKT_NIC_SW,	/* one mbuf if the NIC needs it, checksums in software */
};

/*
 * What to do with a frame towards a NIC with tx offloads nic_ol: the frame's ol_flags,
 * segments, length, l2_len; the NIC's MTU. *add_flags: flags to set for PKT_NIC_HW.
 */
enum pkt_nic_plan pkt_nic_plan(uint64_t ol_flags, uint64_t nic_ol, uint16_t nb_segs,
			       uint32_t pkt_len, uint16_t l2_len, uint16_t mtu,
			       uint64_t *add_flags);

/*
 * The size of each segment (headers + payload) GSO cuts a TSO frame into for a NIC with mtu:
 * payload what the MTU leaves, or the guest's MSS (tso_segsz) if smaller. seg_len: bytes in
 * the frame's first segment. Returns 0, -EPROTONOSUPPORT for TCP/IPv6 (DPDK 22.11's GSO has
 * none), -EINVAL for anything else it cannot segment.
 */
int pkt_nic_gso_size(uint64_t ol_flags, uint16_t l2_len, uint16_t l3_len, uint16_t l4_len,
		     uint16_t tso_segsz, uint32_t seg_len, uint16_t mtu, uint16_t *gso_size);

#endif /* PMD_PKT_H */
