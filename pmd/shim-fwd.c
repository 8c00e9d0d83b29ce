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

static unsigned int
shim_fwd_virtio_to_tap(struct shim_port *p)
{
	struct rte_mbuf *pkts[SHIM_BURST];
	uint16_t nb, i;
	uint64_t drop = 0;

	nb = rte_eth_rx_burst(p->port_id, 0, pkts, SHIM_BURST);
	if (nb == 0)
		return 0;
	for (i = 0; i < nb; i++) {
		if (p->tap_fd < 0 || pmd_tap_write(p->tap_fd, pkts[i]) < 0)
			drop++;
	}
	rte_pktmbuf_free_bulk(pkts, nb);

	shim_count(&p->cnt.virtio_rx, nb);
	shim_count(&p->cnt.tap_tx, nb - drop);
	if (drop > 0)
		shim_count(&p->cnt.tap_tx_drop, drop);
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
		nb = shim_fwd_virtio_to_tap_all(s);
		sleep_us = pmd_idle_next(&idle, nb + nb_tap);

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
