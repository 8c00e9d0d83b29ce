/*
 * The shim's forwarding loop, on the main lcore: virtio-user -> tap, then one epoll wait
 * over all tap fds (and rx interrupt fds), then tap -> virtio-user for the ready taps.
 *
 * Waking up: a tap fd wakes the loop as soon as the guest sends. On the virtio side the
 * loop arms the virtio-user rx interrupts before a blocking wait, so the switch kicks
 * the queue's eventfd (the vring callfd) when it enqueues; where a port has no interrupt
 * the bounded sleep (--max-sleep-us) is what brings the loop back.
 */

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/prctl.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "shim-priv.h"

/* With offloads the vnet header tells the guest about large segments and partial checksums. */
static int
shim_fwd_tap_write(struct shim_port *p, struct rte_mbuf *m, uint64_t *gso)
{
	struct virtio_net_hdr hdr;
	int ret;

	if (!p->vnet_hdr)
		return pmd_tap_write(p->tap_fd, NULL, m);
	ret = pmd_vnet_from_mbuf(m, &hdr);
	if (ret < 0)
		return ret;
	if (pmd_tap_write(p->tap_fd, &hdr, m) < 0)
		return -EIO;
	if ((ret & PMD_VNET_GSO) != 0)
		(*gso)++;
	return 0;
}

static unsigned int
shim_fwd_virtio_to_tap(struct shim_port *p)
{
	struct rte_mbuf *pkts[SHIM_BURST];
	uint64_t drop = 0, gso = 0;
	uint16_t nb, i;

	nb = rte_eth_rx_burst(p->port_id, 0, pkts, SHIM_BURST);
	if (nb == 0)
		return 0;
	for (i = 0; i < nb; i++) {
		if (p->tap_fd < 0 || shim_fwd_tap_write(p, pkts[i], &gso) < 0)
			drop++;
	}
	rte_pktmbuf_free_bulk(pkts, nb);

	shim_count(&p->cnt.virtio_rx, nb);
	shim_count(&p->cnt.tap_tx, nb - drop);
	if (drop > 0)
		shim_count(&p->cnt.tap_tx_drop, drop);
	if (gso > 0)
		shim_count(&p->cnt.tap_tx_gso, gso);
	return nb;
}

static unsigned int
shim_fwd_virtio_to_tap_all(struct shim *s)
{
	unsigned int i, nb = 0;

	for (i = 0; i < s->nb_ports; i++)
		nb += shim_fwd_virtio_to_tap(&s->ports[i]);
	return nb;
}

static unsigned int
shim_fwd_tap_to_virtio(struct shim *s, struct shim_port *p)
{
	struct rte_mbuf *pkts[SHIM_BURST];
	uint16_t sent;
	int nb;

	if (rte_pktmbuf_alloc_bulk(s->pool, pkts, SHIM_BURST) != 0) {
		shim_count(&p->cnt.nombuf, 1);
		return 0;
	}
	nb = pmd_tap_read_burst(p->tap_fd, pkts, SHIM_BURST);
	if (nb < 0)
		nb = 0;
	if (nb < SHIM_BURST)
		rte_pktmbuf_free_bulk(&pkts[nb], SHIM_BURST - nb);
	if (nb == 0)
		return 0;

	sent = rte_eth_tx_burst(p->port_id, 0, pkts, (uint16_t)nb);
	if (sent < nb) {
		rte_pktmbuf_free_bulk(&pkts[sent], nb - sent);
		shim_count(&p->cnt.virtio_tx_drop, nb - sent);
	}
	shim_count(&p->cnt.tap_rx, nb);
	shim_count(&p->cnt.virtio_tx, sent);
	return nb;
}

/* Take a tap out of the epoll set while its frames wait for the ring, or put it back. */
static void
shim_fwd_tap_pause(struct shim *s, struct shim_port *p, bool pause)
{
	struct epoll_event ev = {
		.events = pause ? 0 : EPOLLIN,
		.data.u64 = SHIM_EV(SHIM_EV_TAP, (uint64_t)(p - s->ports)),
	};

	if (p->tap_fd >= 0)
		epoll_ctl(s->epfd, EPOLL_CTL_MOD, p->tap_fd, &ev);
}

/* Offer the held frames to the ring again; the tap is read again once they are all gone. */
static unsigned int
shim_fwd_held_tx(struct shim *s, struct shim_port *p)
{
	uint16_t sent = rte_eth_tx_burst(p->port_id, 0, p->held, p->nb_held);

	if (sent == 0)
		return 0;
	p->nb_held -= sent;
	memmove(p->held, &p->held[sent], p->nb_held * sizeof(p->held[0]));
	shim_count(&p->cnt.virtio_tx, sent);
	if (p->nb_held == 0) {
		s->nb_holding--;
		shim_fwd_tap_pause(s, p, false);
	}
	return sent;
}

static unsigned int
shim_fwd_held_all(struct shim *s)
{
	unsigned int i, nb = 0;

	if (s->nb_holding == 0)
		return 0;
	for (i = 0; i < s->nb_ports; i++) {
		if (s->ports[i].nb_held > 0)
			nb += shim_fwd_held_tx(s, &s->ports[i]);
	}
	return nb;
}

/*
 * Top the port's spare mbufs up to one read's worth and one more. That one is kept for
 * when the pool runs dry: a frame read into what is left (short ones fit; longer ones are
 * dropped) still makes a tx burst, which frees what the switch took from the ring.
 */
static int
shim_fwd_spare_fill(struct shim *s, struct shim_port *p)
{
	unsigned int want = s->tap_segs + 1 - p->nb_spare;

	if (want == 0)
		return 0;
	if (rte_pktmbuf_alloc_bulk(s->pool, &p->spare[p->nb_spare], want) != 0)
		return -ENOBUFS;
	p->nb_spare = s->tap_segs + 1;
	return 0;
}

/*
 * Read one frame from a tap with vnet header: into the first spare and a tail if there is
 * one (see SHIM_TAILS_PER_PORT), else into a chain of spares. Returns the packet in *pkt and
 * the number of spares it took, 0 if the tap is empty, or a negative errno (from
 * pmd_tap_read_vnet()).
 */
static int
shim_fwd_tap_read(struct shim *s, struct shim_port *p, struct virtio_net_hdr *hdr,
	struct rte_mbuf **pkt)
{
	struct rte_mbuf *two[2];
	int n;

	if (p->tail == NULL && s->tail_pool != NULL)
		p->tail = rte_pktmbuf_alloc(s->tail_pool);
	if (p->tail != NULL) {
		two[0] = p->spare[0];
		two[1] = p->tail;
		n = pmd_tap_read_vnet(p->tap_fd, hdr, two, 2);
		if (n == 2)
			p->tail = NULL;
		n = RTE_MIN(n, 1);
	} else {
		n = pmd_tap_read_vnet(p->tap_fd, hdr, p->spare,
			RTE_MIN(p->nb_spare, s->tap_segs));
		if (n > 0 && s->tail_pool != NULL)
			shim_count(&p->cnt.notail, 1);
	}
	if (n <= 0)
		return n;
	*pkt = p->spare[0];
	p->nb_spare -= (unsigned int)n;
	memmove(p->spare, &p->spare[n], p->nb_spare * sizeof(p->spare[0]));
	return n;
}

/*
 * Tap with vnet header: the frame's header becomes the mbuf's offload flags. The burst ends
 * when the tap is empty, SHIM_BURST frames were read, or another chain could overrun
 * SHIM_TAP_BURST_SEGS. What the ring cannot take waits (see struct shim_port's held).
 */
static unsigned int
shim_fwd_tap_to_virtio_vnet(struct shim *s, struct shim_port *p)
{
	struct rte_mbuf *pkts[SHIM_BURST];
	struct virtio_net_hdr hdr;
	unsigned int nb = 0, nb_read = 0, segs = 0;
	uint64_t gso = 0, bad = 0, sw = 0;
	struct rte_mbuf *m;
	bool short_read;
	uint16_t sent;
	int n, ret;

	if (p->nb_held > 0)
		return 0;
	while (nb_read < SHIM_BURST && segs + s->tap_segs <= SHIM_TAP_BURST_SEGS) {
		short_read = shim_fwd_spare_fill(s, p) < 0;
		if (short_read) {
			shim_count(&p->cnt.nombuf, 1);
			if (nb > 0 || p->nb_spare == 0)
				break;
		}
		n = shim_fwd_tap_read(s, p, &hdr, &m);
		if (n == -EIO || n == -EMSGSIZE) {
			nb_read++;
			bad++;
			if (short_read)
				break;
			continue;
		}
		if (n <= 0)
			break;
		nb_read++;
		segs += (unsigned int)n;

		ret = pmd_vnet_to_mbuf(&hdr, m);
		if (ret < 0) {
			rte_pktmbuf_free(m);
			bad++;
			continue;
		}
		if ((ret & PMD_VNET_GSO) != 0)
			gso++;
		if ((ret & PMD_VNET_SW_CKSUM) != 0)
			sw++;
		pkts[nb++] = m;
		if (short_read)
			break;
	}
	if (nb_read == 0)
		return 0;

	shim_count(&p->cnt.tap_rx, nb_read);
	if (gso > 0)
		shim_count(&p->cnt.tap_rx_gso, gso);
	if (bad > 0)
		shim_count(&p->cnt.tap_rx_bad, bad);
	if (sw > 0)
		shim_count(&p->cnt.cksum_sw, sw);
	sent = nb > 0 ? rte_eth_tx_burst(p->port_id, 0, pkts, (uint16_t)nb) : 0;
	shim_count(&p->cnt.virtio_tx, sent);
	if (sent < nb) {
		p->nb_held = (uint16_t)(nb - sent);
		memcpy(p->held, &pkts[sent], p->nb_held * sizeof(pkts[0]));
		s->nb_holding++;
		shim_count(&p->cnt.virtio_tx_wait, 1);
		shim_fwd_tap_pause(s, p, true);
	}
	return nb_read;
}

static void
shim_fwd_intr_arm(struct shim *s, bool on)
{
	unsigned int i;

	for (i = 0; i < s->nb_ports; i++) {
		struct shim_port *p = &s->ports[i];

		if (p->intr_fd < 0)
			continue;
		if (on)
			rte_eth_dev_rx_intr_enable(p->port_id, 0);
		else
			rte_eth_dev_rx_intr_disable(p->port_id, 0);
	}
}

/* The tap's device is gone (its namespace was deleted): stop waking up for it. */
static void
shim_fwd_tap_gone(struct shim *s, struct shim_port *p)
{
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, p->tap_fd, NULL);
	close(p->tap_fd);
	p->tap_fd = -1;
	fprintf(stderr, "shim: tap \"%s\" of %s is gone; dropping its traffic from now on\n",
		p->conf->tap_name, p->name);
}

static unsigned int
shim_fwd_events(struct shim *s, const struct epoll_event *evs, int nev)
{
	unsigned int nb = 0;
	uint64_t kick;
	int i;

	for (i = 0; i < nev; i++) {
		uint64_t kind = evs[i].data.u64 >> 32;
		struct shim_port *p = &s->ports[(uint32_t)evs[i].data.u64];

		if (kind == SHIM_EV_INTR) {
			/* Level-triggered: consume the kick or every wait returns at once. */
			if (read(p->intr_fd, &kick, sizeof(kick)) > 0)
				shim_count(&s->loop.intr_wakeups, 1);
			continue;
		}
		if (p->tap_fd < 0)
			continue;
		if ((evs[i].events & (EPOLLERR | EPOLLHUP)) != 0) {
			shim_fwd_tap_gone(s, p);
			continue;
		}
		if (p->nb_held > 0)
			continue;	/* paused just now, in this batch of events */
		if (p->vnet_hdr)
			nb += shim_fwd_tap_to_virtio_vnet(s, p);
		else
			nb += shim_fwd_tap_to_virtio(s, p);
	}
	return nb;
}

int
shim_fwd_loop(struct shim *s, const volatile bool *quit)
{
	struct epoll_event evs[2 * SHIM_MAX_PORTS];
	struct pmd_idle idle;
	unsigned int nb_tap = 0, nb;
	uint32_t sleep_us;
	struct timespec ts;
	bool armed;
	int nev;

	pmd_idle_init(&idle, &s->conf->idle);
	/* The default 50 us timer slack would turn the first short sleeps into 50 us ones. */
	prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);

	while (!*quit) {
		shim_count(&s->loop.loops, 1);
		nb = shim_fwd_virtio_to_tap_all(s) + shim_fwd_held_all(s);
		sleep_us = pmd_idle_next(&idle, nb + nb_tap);
		if (s->nb_holding > 0)
			sleep_us = RTE_MIN(sleep_us, SHIM_HELD_SLEEP_US);

		armed = false;
		if (sleep_us > 0 && s->nb_intr > 0) {
			shim_fwd_intr_arm(s, true);
			armed = true;
			/* What arrived before arming raised no interrupt: look once more. */
			nb = shim_fwd_virtio_to_tap_all(s);
			if (nb > 0)
				sleep_us = pmd_idle_next(&idle, nb);
		}
		if (sleep_us > 0)
			shim_count(&s->loop.sleeps, 1);

		ts.tv_sec = sleep_us / 1000000;
		ts.tv_nsec = (long)(sleep_us % 1000000) * 1000;
		nev = epoll_pwait2(s->epfd, evs, RTE_DIM(evs), &ts, NULL);
		if (armed)
			shim_fwd_intr_arm(s, false);
		if (nev < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		nb_tap = shim_fwd_events(s, evs, nev);
	}
	return 0;
}

unsigned int
shim_colo_poll(struct shim *s)
{
	struct epoll_event evs[2 * SHIM_MAX_PORTS];
	unsigned int nb;
	int nev;

	shim_count(&s->loop.loops, 1);
	nb = shim_fwd_virtio_to_tap_all(s) + shim_fwd_held_all(s);
	nev = epoll_wait(s->epfd, evs, RTE_DIM(evs), 0);
	if (nev > 0)
		nb += shim_fwd_events(s, evs, nev);
	return nb;
}

void
shim_colo_notify(struct shim *s, bool on)
{
	if (on)
		shim_count(&s->loop.sleeps, 1);
	shim_fwd_intr_arm(s, on);
}
