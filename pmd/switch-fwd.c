/*
 * The switch's forwarding loop, one per data lcore, shaped like DPDK's l2fwd: a burst from
 * each of its ports, prefetch ahead, learn the source, look the destination up, buffer per
 * output port, flush after the burst. No copies: vhost copies once out of the sending
 * guest's ring and once into the receiving guest's. A flooded packet is sent to each port
 * by reference (refcount), since vhost only reads it.
 *
 * Adaptive idle, as DPDK's l3fwd-power does with rx interrupts: after poll_us without a
 * packet, the lcore asks its guests to kick (vring notifications on), polls once more for
 * what came before that, then waits in epoll on the kick fds; the first kick brings it back
 * to polling with notifications off, so guests under load do not pay for kicks. A port
 * that cannot kick (af_xdp, af_packet) shortens the wait to nic_poll_us: the lcore then
 * wakes, polls once and waits again.
 *
 * Co-located guests (--guest-tap): the main lcore also serves the guests' adapter (the shim's
 * virtio-user ports and taps, shim-fwd.c) in the same loop; its epoll fd (taps, virtio-user
 * kicks) is one more fd of the lcore's wait.
 */

#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/epoll.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "switch-priv.h"

static inline void
sw_out(struct sw_lcore *lc, uint16_t port, struct rte_mbuf *m)
{
	if (lc->nb_out[port] == 0)
		lc->dirty[lc->nb_dirty++] = port;
	lc->out[port][lc->nb_out[port]++] = m;
}

static void
sw_flood(struct sw *s, struct sw_lcore *lc, uint16_t in, struct rte_mbuf *m)
{
	uint16_t to[SW_MAX_PORTS];
	unsigned int i, n = 0;
	struct rte_mbuf *seg;

	for (i = 0; i < s->nb_ports; i++) {
		if (i != in && sw_port_attached(&s->ports[i]))
			to[n++] = (uint16_t)i;
	}
	if (n == 0) {
		sw_count(&lc->cnt[in].no_dest, 1);
		rte_pktmbuf_free(m);
		return;
	}
	/* Every segment: freeing a chain walks the segments whatever the head's count. */
	if (n > 1) {
		for (seg = m; seg != NULL; seg = seg->next)
			rte_mbuf_refcnt_update(seg, (int16_t)(n - 1));
	}
	for (i = 0; i < n; i++)
		sw_out(lc, to[i], m);
}

void
sw_tx(struct sw *s, struct sw_lcore *lc, uint16_t o, struct rte_mbuf **pkts, uint16_t n)
{
	struct sw_port *p = &s->ports[o];
	unsigned int tries = 0;
	uint16_t sent = 0, k;

	if (s->shared_tx)
		rte_spinlock_lock(&p->tx_lock);
	/* A guest draining its ring makes room as we go: retry while it does, as OVS. */
	do {
		k = rte_eth_tx_burst(p->port_id, 0, &pkts[sent], n - sent);
		sent += k;
	} while (sent < n && k > 0 && ++tries < SW_TX_RETRIES);
	if (s->shared_tx)
		rte_spinlock_unlock(&p->tx_lock);
	if (unlikely(sent < n)) {
		rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
		sw_count(&lc->cnt[o].tx_drop, n - sent);
	}
	sw_count(&lc->cnt[o].tx, sent);
}

static void
sw_flush(struct sw *s, struct sw_lcore *lc)
{
	unsigned int i;
	uint16_t o;

	for (i = 0; i < lc->nb_dirty; i++) {
		o = lc->dirty[i];
		if (s->ports[o].is_nic)
			sw_nic_tx(s, lc, o, lc->out[o], lc->nb_out[o]);
		else
			sw_tx(s, lc, o, lc->out[o], lc->nb_out[o]);
		lc->nb_out[o] = 0;
	}
	lc->nb_dirty = 0;
}

static inline void
sw_switch_one(struct sw *s, struct sw_lcore *lc, uint16_t in, struct rte_mbuf *m, uint32_t now)
{
	bool learned;
	int out;

	out = sw_mac_forward(&s->mac, rte_pktmbuf_mtod(m, const uint8_t *),
			     rte_pktmbuf_data_len(m), in, now, &learned);
	if (unlikely(learned))
		sw_count(&lc->learned, 1);
	if (likely(out >= 0)) {
		sw_out(lc, (uint16_t)out, m);
	} else if (out == SW_MAC_FLOOD) {
		sw_count(&lc->cnt[in].flood, 1);
		sw_flood(s, lc, in, m);
	} else {
		sw_count(out == SW_MAC_RUNT ? &lc->cnt[in].runt : &lc->cnt[in].filtered, 1);
		rte_pktmbuf_free(m);
	}
}

/* One burst from port in; returns the packets it moved. */
static unsigned int
sw_rx_port(struct sw *s, struct sw_lcore *lc, uint16_t in)
{
	struct rte_mbuf *pkts[SW_BURST];
	uint16_t n, i;
	uint32_t now;

	n = rte_eth_rx_burst(s->ports[in].port_id, 0, pkts, SW_BURST);
	if (n == 0)
		return 0;
	now = sw_now_s(s);
	for (i = 0; i < n && i < SW_PREFETCH_OFFSET; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		if (i + SW_PREFETCH_OFFSET < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + SW_PREFETCH_OFFSET], void *));
		sw_switch_one(s, lc, in, pkts[i], now);
	}
	sw_count(&lc->cnt[in].rx, n);
	sw_flush(s, lc);
	return n;
}

static unsigned int
sw_poll(struct sw *s, struct sw_lcore *lc)
{
	unsigned int i, n = 0;

	for (i = 0; i < lc->nb_rx_ports; i++)
		n += sw_rx_port(s, lc, lc->rx_port[i]);
	if (lc == s->colo_lc)
		n += shim_colo_poll(s->colo);
	return n;
}

static void
sw_notify(struct sw *s, struct sw_lcore *lc, bool on)
{
	unsigned int i;

	if (lc == s->colo_lc)
		shim_colo_notify(s->colo, on);
	for (i = 0; i < lc->nb_rx_ports; i++) {
		const struct sw_port *p = &s->ports[lc->rx_port[i]];

		if (p->intr_fd < 0)
			continue;
		if (on)
			rte_eth_dev_rx_intr_enable(p->port_id, 0);
		else
			rte_eth_dev_rx_intr_disable(p->port_id, 0);
	}
	lc->notify = on;
}

/*
 * Waits with notifications on for a kick, a wake-up or lc->sleep. Returns true when woken
 * or when packets moved (*moved): back to polling, notifications off. A timeout returns
 * false with notifications left on: the caller polls once (a NIC cannot kick) and waits
 * again, without the poll_us of polling a wake-up earns.
 */
static bool
sw_wait(struct sw *s, struct sw_lcore *lc, unsigned int *moved)
{
	struct epoll_event ev[8];
	uint64_t v;
	int i, n;

	if (!lc->notify) {
		sw_notify(s, lc, true);
		/* A packet queued before notifications were on did not kick: look once more. */
		*moved = sw_poll(s, lc);
	}
	if (*moved == 0 && !*s->quit) {
		sw_count(&lc->sleeps, 1);
		n = epoll_pwait2(lc->epfd, ev, RTE_DIM(ev), &lc->sleep, NULL);
		if (n == 0) {
			sw_count(&lc->timeouts, 1);
			return false;
		}
		for (i = 0; i < n; i++) {
			if (ev[i].data.u64 == SW_EV_WAKE) {
				if (read(lc->wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
					break;
			} else {
				sw_count(&lc->kick_wakeups, 1);
			}
		}
	}
	sw_notify(s, lc, false);
	return true;
}

int
sw_fwd_lcore(void *arg)
{
	struct sw_lcore *lc = arg;
	struct sw *s = lc->sw;
	bool adaptive = s->conf->idle == SW_IDLE_ADAPTIVE;
	uint64_t now, prev, last_rx;
	unsigned int moved = 0;

	prev = last_rx = lc->start_tsc = rte_rdtsc();
	while (!*s->quit) {
		now = rte_rdtsc();
		if (moved > 0) {
			sw_count(&lc->busy_cycles, now - prev);
			last_rx = now;
		}
		prev = now;
		sw_count(&lc->loops, 1);
		moved = sw_poll(s, lc);
		if (!adaptive)
			continue;
		if (moved > 0) {
			/* Traffic after a timeout (a NIC's): guests need not kick while we poll. */
			if (unlikely(lc->notify))
				sw_notify(s, lc, false);
		} else if (now - last_rx > s->poll_tsc && sw_wait(s, lc, &moved)) {
			/* Poll for poll_us after any wake-up before the next wait. */
			last_rx = prev = rte_rdtsc();
		}
	}
	if (lc->notify)
		sw_notify(s, lc, false);
	return 0;
}

void
sw_fwd_wake_all(struct sw *s)
{
	uint64_t one = 1;
	unsigned int i;

	for (i = 0; i < s->nb_lcores; i++) {
		if (s->lcores[i] != NULL && s->lcores[i]->wake_fd >= 0 &&
				write(s->lcores[i]->wake_fd, &one, sizeof(one)) < 0)
			continue; /* a full counter already wakes it */
	}
}
