/*
 * Frames towards a NIC, over plain bytes (see pkt.h; switch-nic.c applies them to mbufs):
 * whether the NIC, GSO or software does what a guest's frame asks for, the segment size for
 * GSO, and the checksums done in software.
 */

#include <errno.h>
#include <string.h>

#include "pkt.h"

#define PKT_TCP_CSUM_OFF 16U
#define PKT_UDP_CSUM_OFF 6U

int
pkt_nic_cksum_prep(uint8_t *seg, uint32_t seg_len, uint32_t frame_len, uint64_t ol_flags,
		   uint16_t l2_len, uint16_t l3_len, struct pkt_l4_job *job)
{
	uint64_t l4 = ol_flags & PKT_F_TX_L4_MASK;
	uint32_t l3 = l2_len, l4_off = l3 + l3_len, field;
	bool udp = l4 == PKT_F_TX_UDP_CKSUM;
	uint64_t len;
	uint8_t *ip;
	uint16_t sum;

	memset(job, 0, sizeof(*job));
	/* SCTP's is a CRC, which virtio guests do not hand over */
	if (l4 == PKT_F_TX_SCTP_CKSUM)
		return -ENOTSUP;
	field = l4_off + (udp ? PKT_UDP_CSUM_OFF : PKT_TCP_CSUM_OFF);
	if (l2_len == 0 || l3_len == 0 || field + 2 > seg_len)
		return -EINVAL;
	ip = seg + l3;
	if (ol_flags & PKT_F_TX_IPV4) {
		uint32_t ihl = (ip[0] & 0xfU) * 4;

		/* the header sum covers what the header says it is: it must be there */
		if (l3 + (ihl > 20 ? ihl : 20) > seg_len)
			return -EINVAL;
		/* GSO rewrote length and id; a guest's own header sum is complete anyway */
		memset(ip + 10, 0, 2);
		sum = (uint16_t)~pkt_sum(ip, ihl);
		memcpy(ip + 10, &sum, sizeof(sum));
		len = (uint64_t)(uint16_t)(ip[2] << 8 | ip[3]) - l3_len;
		job->phdr = pkt_ipv4_phdr(ip);
	} else if (ol_flags & PKT_F_TX_IPV6) {
		if (l3 + 40 > seg_len)
			return -EINVAL;
		len = (uint64_t)(uint16_t)(ip[4] << 8 | ip[5]) + 40 - l3_len;
		job->phdr = pkt_ipv6_phdr(ip);
	} else {
		return -EINVAL;
	}
	if ((ol_flags & (PKT_F_TX_TCP_SEG | PKT_F_TX_L4_MASK)) != 0) {
		memset(seg + field, 0, 2);
		/* lengths that wrap (an IP length shorter than its header) are past the frame */
		if ((uint64_t)l4_off + (uint32_t)len > frame_len || len > UINT32_MAX)
			return -EINVAL;
		job->want = true;
		job->off = l4_off;
		job->len = (uint32_t)len;
		job->field = field;
		job->udp = udp;
	}
	return 0;
}

uint16_t
pkt_l4_cksum(const struct pkt_l4_job *job, uint16_t sum)
{
	uint16_t c = (uint16_t)~pkt_sum_fold((uint32_t)sum + job->phdr);

	/* RFC 768: a UDP checksum that comes out 0 is sent as all ones. */
	return c == 0 && job->udp ? 0xffff : c;
}

enum pkt_nic_plan
pkt_nic_plan(uint64_t ol_flags, uint64_t nic_ol, uint16_t nb_segs, uint32_t pkt_len,
	     uint16_t l2_len, uint16_t mtu, uint64_t *add_flags)
{
	uint64_t want = ol_flags & PKT_F_TX_OL_MASK, l4 = want & PKT_F_TX_L4_MASK;
	bool chain = nb_segs > 1 && !(nic_ol & PKT_NIC_MULTI_SEGS);
	bool hw = false;

	*add_flags = 0;
	if (want == 0 && !chain)
		return PKT_NIC_AS_IS;
	if ((want & PKT_F_TX_TCP_SEG) && (nic_ol & PKT_NIC_TCP_TSO)) {
		hw = true;
	} else if (want & (PKT_F_TX_TCP_SEG | PKT_F_TX_UDP_SEG)) {
		if (pkt_len > (uint32_t)l2_len + mtu)
			return PKT_NIC_GSO;
		/* A TSO frame no longer than the MTU needs only its checksums. */
	} else if ((l4 != PKT_F_TX_TCP_CKSUM || (nic_ol & PKT_NIC_TCP_CKSUM)) &&
		   (l4 != PKT_F_TX_UDP_CKSUM || (nic_ol & PKT_NIC_UDP_CKSUM)) &&
		   (!(want & PKT_F_TX_IP_CKSUM) || (nic_ol & PKT_NIC_IPV4_CKSUM))) {
		hw = true;	/* want is 0 only for a chain: done here below */
	}
	if (hw && !chain) {
		/* The NIC does it: IPv4 TSO also asks it for the header checksum. */
		if ((want & PKT_F_TX_TCP_SEG) && (ol_flags & PKT_F_TX_IPV4))
			*add_flags = PKT_F_TX_IP_CKSUM | PKT_F_TX_TCP_CKSUM;
		return PKT_NIC_HW;
	}
	return PKT_NIC_SW;
}

int
pkt_nic_gso_size(uint64_t ol_flags, uint16_t l2_len, uint16_t l3_len, uint16_t l4_len,
		 uint16_t tso_segsz, uint32_t seg_len, uint16_t mtu, uint16_t *gso_size)
{
	uint64_t tcp4 = PKT_F_TX_TCP_SEG | PKT_F_TX_IPV4;
	uint32_t hdr = (uint32_t)l2_len + l3_len + l4_len, seg;

	*gso_size = 0;
	if ((ol_flags & tcp4) != tcp4 || l4_len == 0 || hdr > seg_len ||
			mtu <= (uint32_t)l3_len + l4_len)
		return (ol_flags & PKT_F_TX_IPV6) && (ol_flags & PKT_F_TX_TCP_SEG) ?
			-EPROTONOSUPPORT : -EINVAL;
	/* Payload per segment: what the MTU leaves, or the guest's MSS if smaller. */
	seg = (uint32_t)mtu - l3_len - l4_len;
	if (tso_segsz != 0 && tso_segsz < seg)
		seg = tso_segsz;
	if (hdr + seg > UINT16_MAX)
		return -EINVAL;
	*gso_size = (uint16_t)(hdr + seg);
	return 0;
}
