/*
 * NIC ports: a DPDK device given by its device arguments (net_af_xdp0,iface=eth1,
 * net_af_packet0,iface=eth1, a PCI address), hot-plugged so that EAL needs no --vdev.
 *
 * Guests hand the switch 64 KiB TSO frames with partial checksums (vhost's legacy offload
 * flags), which another guest takes as they are. A NIC that does TSO and checksums gets
 * them as they are too. One that does not (af_xdp and af_packet do neither, nor send mbuf
 * chains) gets what the guest's own NIC would have put on the wire: segments of at most
 * its MTU cut by DPDK's GSO library, checksums computed here (rte_gso leaves them alone),
 * one mbuf per frame. Frames from a NIC are complete already and go to guests unchanged.
 *
 * af_xdp hands its rx pool to the kernel as one area (the UMEM): from the first object,
 * the pool's size times the object size long. The switch's pool does not fit that: its
 * objects skip page ends (4 KiB ones without hugepages), so the area misses the last ones
 * and frames in them vanish, rx buffers too. An af_xdp NIC gets a pool of its own with
 * the objects packed end to end; frames made for it (segments, copies) come from there,
 * so that af_xdp sends them without another copy.
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_gso.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>
#include <rte_mempool.h>

#include "pkt.h"
#include "switch-priv.h"
#include "vnet.h"

/* 64 KiB in segments of 1448 bytes is 46, of 536 (the least IPv4 MSS) 123; an MSS under
 * 512 fails (gso_fail). */
#define SW_GSO_SEGS_MAX 128U
#define SW_NIC_TX_MAX 512U
/* af_xdp: its fill ring (2048), rx and tx rings, what other ports hold, lcore caches */
#define SW_XDP_POOL_SIZE (8U * SW_RING_SIZE - 1)
#define SW_XDP_POOL_CACHE 256U

#define SW_NIC_TX_OFFLOADS (RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_TCP_TSO | \
	RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM | \
	RTE_ETH_TX_OFFLOAD_UDP_CKSUM)
/* The offload requests a guest's frame can carry (vhost sets no others). */
#define SW_TX_OL_MASK PKT_F_TX_OL_MASK

static int
sw_nic_error(const struct sw_port *p, const char *what, int ret)
{
	/* Drivers often fail with -1, which is no errno: they log their reason themselves. */
	if (ret == -1)
		fprintf(stderr, "switch: nic \"%s\": %s (the driver's message is above)\n",
			p->conf->nic, what);
	else
		fprintf(stderr, "switch: nic \"%s\": %s: %s\n", p->conf->nic, what,
			rte_strerror(-ret));
	return ret;
}

/* The NIC's offloads that the switch uses: TSO only with what it needs beside. */
static uint64_t
sw_nic_offloads(const struct rte_eth_dev_info *info)
{
	uint64_t ol = info->tx_offload_capa & SW_NIC_TX_OFFLOADS;
	uint64_t tso_needs = RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
		RTE_ETH_TX_OFFLOAD_TCP_CKSUM;

	if ((ol & tso_needs) != tso_needs)
		ol &= ~RTE_ETH_TX_OFFLOAD_TCP_TSO;
	return ol;
}

/* An mbuf pool with nothing between objects: one memory chunk, objects end to end. */
static struct rte_mempool *
sw_nic_packed_pool(const struct sw_port *p, int socket)
{
	struct rte_pktmbuf_pool_private priv = {
		.mbuf_data_room_size = RTE_MBUF_DEFAULT_BUF_SIZE,
	};
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *mp;

	snprintf(name, sizeof(name), "sw_nic%u", p->port_id);
	/* Without IOVA-contiguous objects they need not avoid page ends: no gaps. */
	mp = rte_mempool_create_empty(name, SW_XDP_POOL_SIZE,
				      sizeof(struct rte_mbuf) + RTE_MBUF_DEFAULT_BUF_SIZE,
				      SW_XDP_POOL_CACHE, sizeof(priv), socket,
				      RTE_MEMPOOL_F_NO_IOVA_CONTIG);
	if (mp == NULL)
		return NULL;
	if (rte_mempool_set_ops_byname(mp, rte_mbuf_best_mempool_ops(), NULL) != 0)
		goto fail;
	rte_pktmbuf_pool_init(mp, &priv);
	if (rte_mempool_populate_default(mp) < 0)
		goto fail;
	if (mp->nb_mem_chunks != 1) {
		rte_errno = ENOMEM; /* memory too fragmented for one area */
		goto fail;
	}
	rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);
	return mp;
fail:
	rte_mempool_free(mp);
	return NULL;
}

static int
sw_nic_start(struct sw_port *p, int socket, const struct rte_eth_dev_info *info, bool rx_intr)
{
	uint16_t nb_rxd = SW_RING_SIZE, nb_txd = SW_RING_SIZE;
	struct rte_eth_conf conf;
	int ret;

	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.rxq = rx_intr;
	conf.txmode.offloads = sw_nic_offloads(info);
	ret = rte_eth_dev_configure(p->port_id, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &nb_rxd, &nb_txd);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(p->port_id, 0, nb_rxd, socket, NULL, p->nic.pool);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(p->port_id, 0, nb_txd, socket, NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(p->port_id);
	p->nic.tx_offloads = conf.txmode.offloads;
	return ret;
}

int
sw_nic_setup(struct sw *s, struct sw_port *p, int socket, bool rx_intr)
{
	struct rte_eth_dev_info info;
	int ret;

	/* The device's name is what comes before the arguments (a PCI address: itself). */
	snprintf(p->name, sizeof(p->name), "%.*s", (int)strcspn(p->conf->nic, ","),
		 p->conf->nic);
	ret = rte_dev_probe(p->conf->nic);
	if (ret < 0)
		return sw_nic_error(p, "cannot probe", ret);
	ret = rte_eth_dev_get_port_by_name(p->name, &p->port_id);
	if (ret != 0) {
		fprintf(stderr, "switch: nic \"%s\": probed, but DPDK has no port named %s (give "
			"a PCI address as DDDD:BB:DD.F)\n", p->conf->nic, p->name);
		return -ENODEV;
	}
	p->probed = true;
	ret = rte_eth_dev_info_get(p->port_id, &info);
	if (ret != 0)
		return sw_nic_error(p, "device info", ret);
	p->nic.dev = info.device;
	snprintf(p->nic.driver, sizeof(p->nic.driver), "%s", info.driver_name);
	p->nic.pool = s->pool;
	if (strcmp(p->nic.driver, "net_af_xdp") == 0) {
		p->nic.own_pool = sw_nic_packed_pool(p, socket);
		if (p->nic.own_pool == NULL) {
			fprintf(stderr, "switch: nic \"%s\": mbuf pool of %u in one piece on node "
				"%d: %s\n", p->conf->nic, SW_XDP_POOL_SIZE, socket,
				rte_strerror(rte_errno));
			return -ENOMEM;
		}
		p->nic.pool = p->nic.own_pool;
	}
	/* Virtual devices (af_xdp, af_packet) have none in DPDK 22.11; a PCI NIC may refuse
	 * them too. Without, it is polled between waits (nic_poll_us). */
	p->nic.rx_intr = rx_intr && strcmp(rte_bus_name(rte_dev_bus(info.device)), "vdev") != 0;
	ret = sw_nic_start(p, socket, &info, p->nic.rx_intr);
	if (ret != 0 && p->nic.rx_intr) {
		p->nic.rx_intr = false;
		ret = sw_nic_start(p, socket, &info, false);
	}
	if (ret != 0)
		return sw_nic_error(p, "cannot start", ret);
	p->started = true;
	/* Frames for guests' addresses, not the NIC's own. */
	ret = rte_eth_promiscuous_enable(p->port_id);
	if (ret != 0)
		return sw_nic_error(p, "cannot turn promiscuous mode on", ret);
	if (rte_eth_dev_get_mtu(p->port_id, &p->nic.mtu) != 0 || p->nic.mtu < RTE_ETHER_MIN_MTU)
		p->nic.mtu = RTE_ETHER_MTU;
	return 0;
}

void
sw_nic_close(struct sw_port *p)
{
	if (p->started)
		rte_eth_dev_stop(p->port_id);
	rte_eth_dev_close(p->port_id);
	if (p->nic.dev != NULL)
		rte_dev_remove(p->nic.dev);
}

/* A flooded frame goes to other ports too: write to a copy, never to it. */
static struct rte_mbuf *
sw_nic_own(const struct sw_nic *nic, struct rte_mbuf *m)
{
	struct rte_mbuf *c;

	if (likely(rte_mbuf_refcnt_read(m) == 1 && RTE_MBUF_DIRECT(m)))
		return m;
	c = rte_pktmbuf_copy(m, nic->pool, 0, UINT32_MAX);
	rte_pktmbuf_free(m);
	return c;
}

int
sw_nic_cksum(struct rte_mbuf *m)
{
	struct pkt_l4_job job;
	uint16_t sum;
	int ret;

	ret = pkt_nic_cksum_prep(rte_pktmbuf_mtod(m, uint8_t *), rte_pktmbuf_data_len(m),
				 rte_pktmbuf_pkt_len(m), m->ol_flags, m->l2_len, m->l3_len, &job);
	if (ret < 0)
		return ret;
	if (job.want) {
		if (pmd_mbuf_sum(m, job.off, job.len, &sum) < 0)
			return -EINVAL;
		sum = pkt_l4_cksum(&job, sum);
		memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, job.field), &sum, sizeof(sum));
	}
	m->ol_flags &= ~SW_TX_OL_MASK;
	return 0;
}

/* One frame for a NIC without the offloads it asks for: in one mbuf if need be, summed. */
static int
sw_nic_finish(const struct sw_nic *nic, struct sw_port_counters *c, struct rte_mbuf *m)
{
	if (m->nb_segs > 1 && !(nic->tx_offloads & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) &&
			rte_pktmbuf_linearize(m) != 0)
		return -ENOSPC;
	if ((m->ol_flags & SW_TX_OL_MASK) == 0)
		return 0;
	sw_count(&c->cksum_sw, 1);
	return sw_nic_cksum(m);
}

/* A TSO frame longer than the MTU: its segments in out; returns how many (0: dropped). */
static unsigned int
sw_nic_gso(struct sw *s, struct sw_lcore *lc, uint16_t o, struct rte_mbuf *m,
	   struct rte_mbuf **out)
{
	const struct sw_nic *nic = &s->ports[o].nic;
	struct sw_port_counters *c = &lc->cnt[o];
	uint64_t flags = m->ol_flags;
	/* Headers in the NIC's pool: linearized segments are sent from there as they are. */
	struct rte_gso_ctx ctx = {
		.direct_pool = nic->pool,
		.indirect_pool = s->pool,
		.gso_types = RTE_ETH_TX_OFFLOAD_TCP_TSO,
	};
	int i, n, k = 0, ret;

	sw_count(&c->gso_in, 1);
	ret = pkt_nic_gso_size(flags, m->l2_len, m->l3_len, m->l4_len, m->tso_segsz,
			       rte_pktmbuf_data_len(m), nic->mtu, &ctx.gso_size);
	if (ret < 0) {
		sw_count(ret == -EPROTONOSUPPORT ? &c->gso_ipv6_drop : &c->gso_fail, 1);
		rte_pktmbuf_free(m);
		return 0;
	}
	/* It only reads m (the segments copy its headers and point into its payload) but
	 * clears TCP_SEG there: put it back for ports that still have to send m. */
	n = rte_gso_segment(m, &ctx, out, SW_GSO_SEGS_MAX);
	m->ol_flags = flags;
	rte_pktmbuf_free(m);
	if (n <= 0) {
		sw_count(&c->gso_fail, 1);
		return 0;
	}
	sw_count(&c->gso_out, (uint64_t)n);
	for (i = 0; i < n; i++) {
		/* The segments carry m's flags without TCP_SEG: the checksums to do. */
		out[i]->ol_flags |= RTE_MBUF_F_TX_TCP_CKSUM;
		if (sw_nic_finish(nic, c, out[i]) == 0) {
			out[k++] = out[i];
		} else {
			sw_count(&c->gso_fail, 1);
			rte_pktmbuf_free(out[i]);
		}
	}
	return (unsigned int)k;
}

/* Makes m fit the NIC; the frames to send in out, returns how many (0: dropped). */
static unsigned int
sw_nic_frame(struct sw *s, struct sw_lcore *lc, uint16_t o, struct rte_mbuf *m,
	     struct rte_mbuf **out)
{
	const struct sw_nic *nic = &s->ports[o].nic;
	enum pkt_nic_plan plan;
	uint64_t add;

	plan = pkt_nic_plan(m->ol_flags, nic->tx_offloads, m->nb_segs, rte_pktmbuf_pkt_len(m),
			    m->l2_len, nic->mtu, &add);
	if (likely(plan == PKT_NIC_AS_IS)) {
		out[0] = m;
		return 1;
	}
	if (plan == PKT_NIC_GSO)
		return sw_nic_gso(s, lc, o, m, out);
	m = sw_nic_own(nic, m);
	if (m == NULL) {
		sw_count(&lc->cnt[o].tx_drop, 1);
		return 0;
	}
	if (plan == PKT_NIC_HW) {
		m->ol_flags |= add;
		out[0] = m;
		return 1;
	}
	if (sw_nic_finish(nic, &lc->cnt[o], m) != 0) {
		sw_count(&lc->cnt[o].tx_drop, 1);
		rte_pktmbuf_free(m);
		return 0;
	}
	out[0] = m;
	return 1;
}

/* Hardware offloads need the driver's preparation (pseudo-header sums and the like). */
static uint16_t
sw_nic_prepare(struct sw_lcore *lc, uint16_t o, uint16_t port_id, struct rte_mbuf **pkts,
	       uint16_t n)
{
	uint16_t done = 0, k;

	while (done < n) {
		k = rte_eth_tx_prepare(port_id, 0, &pkts[done], n - done);
		done += k;
		if (done == n)
			break;
		sw_count(&lc->cnt[o].tx_drop, 1);
		rte_pktmbuf_free(pkts[done]);
		memmove(&pkts[done], &pkts[done + 1], (size_t)(n - done - 1) * sizeof(*pkts));
		n--;
	}
	return n;
}

static void
sw_nic_send(struct sw *s, struct sw_lcore *lc, uint16_t o, struct rte_mbuf **pkts, uint16_t n)
{
	const struct sw_port *p = &s->ports[o];

	if (p->nic.tx_offloads & ~RTE_ETH_TX_OFFLOAD_MULTI_SEGS)
		n = sw_nic_prepare(lc, o, p->port_id, pkts, n);
	if (n > 0)
		sw_tx(s, lc, o, pkts, n);
}

void
sw_nic_tx(struct sw *s, struct sw_lcore *lc, uint16_t o, struct rte_mbuf **pkts, uint16_t n)
{
	struct rte_mbuf *ready[SW_NIC_TX_MAX];
	unsigned int nb = 0, i;

	for (i = 0; i < n; i++) {
		if (nb > SW_NIC_TX_MAX - SW_GSO_SEGS_MAX) {
			sw_nic_send(s, lc, o, ready, (uint16_t)nb);
			nb = 0;
		}
		nb += sw_nic_frame(s, lc, o, pkts[i], &ready[nb]);
	}
	if (nb > 0)
		sw_nic_send(s, lc, o, ready, (uint16_t)nb);
}
