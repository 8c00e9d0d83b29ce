/* Header parsing and checksums over plain bytes: see pkt.h. */

#include <errno.h>
#include <string.h>

#include <netinet/in.h>

#include "pkt.h"

#define PKT_ETH_LEN 14U
#define PKT_VLAN_LEN 4U
#define PKT_IPV4_LEN 20U
#define PKT_IPV6_LEN 40U
#define PKT_TCP_LEN 20U
#define PKT_UDP_LEN 8U
#define PKT_SCTP_LEN 12U
#define PKT_IP6_EXT_MAX 5	/* extension headers DPDK walks before it gives up */

/* Where a read of n bytes at off stands: in the bytes we have, past the frame, or past the
 * bytes we have but in the frame (the caller has to give more). */
enum pkt_have {
	PKT_HAVE,
	PKT_PAST_FRAME,
	PKT_NEED_MORE,
};

struct pkt_view {
	const uint8_t *p;
	uint32_t avail;
	uint32_t frame_len;
};

static enum pkt_have
pkt_have(const struct pkt_view *v, uint32_t off, uint32_t n)
{
	uint64_t end = (uint64_t)off + n;

	if (end <= v->avail)
		return PKT_HAVE;
	return end > v->frame_len ? PKT_PAST_FRAME : PKT_NEED_MORE;
}

static uint16_t
pkt_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* IPv6 extension headers from off (rte_net_skip_ip6_ext()): the next protocol, 0 for none,
 * -1 when a header is not in the frame, -EAGAIN when it is past avail. */
static int
pkt_skip_ip6_ext(const struct pkt_view *v, uint8_t proto, uint32_t *off, bool *frag)
{
	enum pkt_have have;
	unsigned int i;

	*frag = false;
	for (i = 0; i < PKT_IP6_EXT_MAX; i++) {
		switch (proto) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
		case IPPROTO_FRAGMENT:
			have = pkt_have(v, *off, 2);
			if (have == PKT_NEED_MORE)
				return -EAGAIN;
			if (have == PKT_PAST_FRAME)
				return -1;
			if (proto == IPPROTO_FRAGMENT) {
				proto = v->p[*off];
				*off += 8;
				*frag = true;
				return proto; /* always the last one */
			}
			proto = v->p[*off];
			*off += ((uint32_t)v->p[*off + 1] + 1) * 8;
			break;
		case IPPROTO_NONE:
			return 0;
		default:
			return proto;
		}
	}
	return -1;
}

static bool
pkt_ip6_is_ext(uint8_t proto)
{
	return proto == IPPROTO_HOPOPTS || proto == IPPROTO_ROUTING ||
		proto == IPPROTO_FRAGMENT || proto == IPPROTO_ESP || proto == IPPROTO_AH ||
		proto == IPPROTO_DSTOPTS;
}

static uint8_t
pkt_l4_of(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return PKT_L4_TCP;
	case IPPROTO_UDP:
		return PKT_L4_UDP;
	case IPPROTO_SCTP:
		return PKT_L4_SCTP;
	default:
		return PKT_L4_NONE;
	}
}

int
pkt_parse(const uint8_t *p, uint32_t avail, uint32_t frame_len, struct pkt_hdrs *h)
{
	struct pkt_view v = {.p = p, .avail = avail < frame_len ? avail : frame_len,
			     .frame_len = frame_len};
	enum pkt_have have;
	uint32_t off = PKT_ETH_LEN;
	uint16_t proto;
	uint8_t l4proto;
	bool frag;
	int ret;

	memset(h, 0, sizeof(*h));
#define PKT_NEED(o, n)                                          \
	do {                                                    \
		have = pkt_have(&v, (o), (n));                  \
		if (have == PKT_NEED_MORE)                      \
			return -EAGAIN;                         \
		if (have == PKT_PAST_FRAME)                     \
			goto out;                               \
	} while (0)

	PKT_NEED(0, PKT_ETH_LEN);
	proto = pkt_be16(p + 12);
	h->l2_len = PKT_ETH_LEN;
	if (proto == 0x8100) {		/* VLAN */
		PKT_NEED(off, PKT_VLAN_LEN);
		proto = pkt_be16(p + off + 2);
		off += PKT_VLAN_LEN;
		h->l2_len = (uint16_t)off;
	} else if (proto == 0x88a8) {	/* QinQ: the inner tag's type */
		PKT_NEED(off + PKT_VLAN_LEN, PKT_VLAN_LEN);
		proto = pkt_be16(p + off + PKT_VLAN_LEN + 2);
		off += 2 * PKT_VLAN_LEN;
		h->l2_len = (uint16_t)off;
	}

	if (proto == 0x0800) {
		const uint8_t *ip = p + off;

		PKT_NEED(off, PKT_IPV4_LEN);
		/* DPDK takes version 4 with 5..15 words of header, and nothing else. */
		if (ip[0] < 0x45 || ip[0] > 0x4f)
			goto out;
		h->l3 = PKT_L3_IPV4;
		h->l3_len = (uint16_t)((ip[0] & 0xf) * 4);
		off += h->l3_len;
		if ((pkt_be16(ip + 6) & 0x3fff) != 0) {	/* MF or an offset */
			h->l4 = PKT_L4_FRAG;
			goto out;
		}
		l4proto = ip[9];
	} else if (proto == 0x86dd) {
		PKT_NEED(off, PKT_IPV6_LEN);
		l4proto = p[off + 6];
		h->l3 = PKT_L3_IPV6;
		h->l3_len = PKT_IPV6_LEN;
		off += PKT_IPV6_LEN;
		frag = false;
		if (pkt_ip6_is_ext(l4proto)) {
			ret = pkt_skip_ip6_ext(&v, l4proto, &off, &frag);
			if (ret == -EAGAIN)
				return -EAGAIN;
			if (ret < 0)
				goto out;
			l4proto = (uint8_t)ret;
			h->l3_len = (uint16_t)(off - h->l2_len);
		}
		if (l4proto == 0)
			goto out;
		if (frag) {
			h->l4 = PKT_L4_FRAG;
			goto out;
		}
	} else {
		goto out;
	}

	h->l4 = pkt_l4_of(l4proto);
	switch (h->l4) {
	case PKT_L4_UDP:
		h->l4_len = PKT_UDP_LEN;	/* DPDK does not look whether it is there */
		break;
	case PKT_L4_SCTP:
		h->l4_len = PKT_SCTP_LEN;
		break;
	case PKT_L4_TCP:
		have = pkt_have(&v, off, PKT_TCP_LEN);
		if (have == PKT_NEED_MORE)
			return -EAGAIN;
		if (have == PKT_PAST_FRAME) {
			h->l4 = PKT_L4_NONE;
			break;
		}
		h->l4_len = (uint16_t)((p[off + 12] & 0xf0) >> 2);
		break;
	default:
		break;
	}
#undef PKT_NEED
out:
	return 0;
}

uint32_t
pkt_sum_add(uint32_t sum, const void *buf, size_t len, uint32_t at)
{
	uint16_t s = pkt_sum(buf, len);

	return sum + (at & 1 ? (uint16_t)(s << 8 | s >> 8) : s);
}

uint16_t
pkt_sum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

uint16_t
pkt_sum(const void *buf, size_t len)
{
	const uint8_t *b = buf;
	uint64_t sum = 0;
	uint16_t w;
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		memcpy(&w, b + i, sizeof(w));
		sum += w;
	}
	if (len & 1) {
		w = 0;
		memcpy(&w, b + len - 1, 1);	/* the first byte of a word, as DPDK */
		sum += w;
	}
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	return pkt_sum_fold((uint32_t)sum);
}

uint16_t
pkt_ipv4_phdr(const uint8_t *ip)
{
	uint16_t len = (uint16_t)(pkt_be16(ip + 2) - (ip[0] & 0xf) * 4);
	uint8_t ph[12];

	memcpy(ph, ip + 12, 8);
	ph[8] = 0;
	ph[9] = ip[9];
	ph[10] = (uint8_t)(len >> 8);
	ph[11] = (uint8_t)len;
	return pkt_sum(ph, sizeof(ph));
}

uint16_t
pkt_ipv6_phdr(const uint8_t *ip)
{
	uint8_t ph[40];

	memcpy(ph, ip + 8, 32);
	memset(ph + 32, 0, 8);
	ph[34] = ip[4];	/* payload length */
	ph[35] = ip[5];
	ph[39] = ip[6];	/* next header */
	return pkt_sum(ph, sizeof(ph));
}

uint16_t
pkt_cksum_complete(uint16_t sum)
{
	/* 0 would mean "no checksum" to UDP; 0xffff is the same sum for TCP. */
	return sum == 0xffff ? sum : (uint16_t)~sum;
}
