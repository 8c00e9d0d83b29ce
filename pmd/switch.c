/*
 * Switch setup and teardown. In order:
 *  1. one state block per EAL lcore (all of them forward), on the lcore's NUMA node;
 *  2. the mbuf pool and the MAC table on the main lcore's node;
 *  3. per port, in command-line order: a net_vhost vdev (client mode by default: it
 *     connects, and reconnects after the guest side restarts) or a NIC (switch-nic.c),
 *     configured with rx interrupts when adaptive, started, and given to a data lcore
 *     round-robin;
 *  4. the ready file;
 * then forwarding on every lcore until quit, counters on stdout, and everything closed.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>

#include <rte_dev.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "pmd-args.h"
#include "switch-priv.h"

#define SW_POOL_CACHE 256U
/* A TSO frame of 64 KiB is a chain of up to 33 mbufs of 2 KiB. */
#define SW_SEGS_PER_FRAME 34U
/* A NIC holds mbufs in its rx ring (not af_xdp: it has its own pool) and its tx ring
 * (segments of TSO frames until sent); GSO takes a header and a payload mbuf a segment. */
#define SW_NIC_MBUFS (3U * SW_RING_SIZE)

static unsigned int
sw_pool_size(const struct sw *s)
{
	unsigned int n = s->nb_lcores * (SW_BURST * SW_SEGS_PER_FRAME + 2 * SW_POOL_CACHE) +
		s->nb_ports * 2 * SW_BURST + s->conf->nb_nics * SW_NIC_MBUFS;

	return RTE_MAX(n, 8191U);
}

static int
sw_lcores_setup(struct sw *s)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = SW_EV_WAKE };
	struct sw_lcore *lc;
	unsigned int lcore;

	RTE_LCORE_FOREACH(lcore) {
		lc = rte_zmalloc_socket("sw_lcore", sizeof(*lc), RTE_CACHE_LINE_SIZE,
					rte_lcore_to_socket_id(lcore));
		if (lc == NULL)
			return -ENOMEM;
		s->lcores[s->nb_lcores] = lc;
		lc->sw = s;
		lc->lcore_id = lcore;
		lc->idx = s->nb_lcores++;
		lc->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		lc->epfd = epoll_create1(EPOLL_CLOEXEC);
		if (lc->wake_fd < 0 || lc->epfd < 0 ||
				epoll_ctl(lc->epfd, EPOLL_CTL_ADD, lc->wake_fd, &ev) < 0)
			return -errno;
	}
	s->shared_tx = s->nb_lcores > 1;
	return 0;
}

static int
sw_memory_setup(struct sw *s, int socket)
{
	size_t mac_size = sw_mac_table_mem_size(s->conf->mac_entries);

	s->pool = rte_pktmbuf_pool_create("sw_pool", sw_pool_size(s), SW_POOL_CACHE, 0,
					  RTE_MBUF_DEFAULT_BUF_SIZE, socket);
	if (s->pool == NULL) {
		fprintf(stderr, "switch: mbuf pool of %u on node %d: %s\n", sw_pool_size(s),
			socket, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	s->mac_mem = rte_zmalloc_socket("sw_mac", mac_size, RTE_CACHE_LINE_SIZE, socket);
	if (s->mac_mem == NULL) {
		fprintf(stderr, "switch: MAC table of %u entries: no memory on node %d\n",
			s->conf->mac_entries, socket);
		return -ENOMEM;
	}
	return sw_mac_table_init(&s->mac, s->mac_mem, s->conf->mac_entries, s->conf->aging_s);
}

static struct sw_port *
sw_port_by_id(struct sw *s, uint16_t port_id)
{
	unsigned int i;

	for (i = 0; i < s->nb_ports; i++) {
		if (s->ports[i].probed && s->ports[i].port_id == port_id)
			return &s->ports[i];
	}
	return NULL;
}

/* Runs on the vhost event thread when a guest connects or goes away. */
static int
sw_lsc_event(uint16_t port_id, enum rte_eth_event_type type __rte_unused, void *arg,
	     void *ret_param __rte_unused)
{
	struct sw *s = arg;
	struct sw_port *p = sw_port_by_id(s, port_id);
	struct rte_eth_link link;

	if (p == NULL || rte_eth_link_get_nowait(port_id, &link) != 0)
		return 0;
	__atomic_store_n(&p->attached, link.link_status == RTE_ETH_LINK_UP, __ATOMIC_RELAXED);
	if (link.link_status != RTE_ETH_LINK_UP)
		sw_mac_forget_port(&s->mac, (uint16_t)(p - s->ports));
	printf("switch: %s %s (%s)\n", p->name, link.link_status == RTE_ETH_LINK_UP ?
	       "connected" : "disconnected", p->conf->sock_path);
	fflush(stdout);
	/* New guests start with kicks off: the lcore must turn them on before it waits. */
	sw_fwd_wake_all(s);
	return 0;
}

static int
sw_port_configure(struct sw *s, struct sw_port *p, int socket)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	int ret;

	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.rxq = s->conf->idle == SW_IDLE_ADAPTIVE;
	ret = rte_eth_dev_info_get(p->port_id, &info);
	if (ret != 0)
		return ret;
	/* Offloads pass through (legacy-ol-flags): what vhost read from one guest's header
	 * it writes into the other's. */
	conf.rxmode.offloads = info.rx_offload_capa & (RTE_ETH_RX_OFFLOAD_SCATTER |
		RTE_ETH_RX_OFFLOAD_TCP_LRO | RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_RX_OFFLOAD_UDP_CKSUM);
	conf.txmode.offloads = info.tx_offload_capa & (RTE_ETH_TX_OFFLOAD_MULTI_SEGS |
		RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_TX_OFFLOAD_UDP_CKSUM);
	ret = rte_eth_dev_configure(p->port_id, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(p->port_id, 0, SW_RING_SIZE, socket, NULL, s->pool);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(p->port_id, 0, SW_RING_SIZE, socket, NULL);
	if (ret == 0)
		ret = rte_eth_dev_callback_register(p->port_id, RTE_ETH_EVENT_INTR_LSC,
						    sw_lsc_event, s);
	return ret;
}

static int
sw_vhost_setup(struct sw *s, struct sw_port *p, unsigned int idx, int socket)
{
	char args[SW_SOCK_PATH_MAX + 96];
	struct stat st;
	int ret;

	snprintf(p->name, sizeof(p->name), "net_vhost%u", idx);
	/* A socket left by a switch that was killed makes bind() fail. */
	if (p->conf->server && lstat(p->conf->sock_path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(p->conf->sock_path);
	snprintf(args, sizeof(args), "iface=%s,client=%d,queues=1,tso=%d,legacy-ol-flags=1",
		 p->conf->sock_path, !p->conf->server, s->conf->tso);
	ret = rte_eal_hotplug_add("vdev", p->name, args);
	if (ret == 0)
		ret = rte_eth_dev_get_port_by_name(p->name, &p->port_id);
	if (ret != 0) {
		fprintf(stderr, "switch: port %s (%s): cannot create: %s\n", p->name,
			p->conf->sock_path, strerror(ret < 0 ? -ret : ret));
		return ret < 0 ? ret : -ret;
	}
	p->probed = true;
	ret = sw_port_configure(s, p, socket);
	if (ret == 0)
		ret = rte_eth_dev_start(p->port_id);
	if (ret != 0) {
		fprintf(stderr, "switch: port %s (%s): cannot start: %s\n", p->name,
			p->conf->sock_path, strerror(-ret));
		return ret;
	}
	p->started = true;
	return 0;
}

static int
sw_port_setup(struct sw *s, unsigned int idx, int socket)
{
	struct sw_port *p = &s->ports[idx];
	struct sw_lcore *lc = s->lcores[idx % s->nb_lcores];
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.u64 = idx };
	bool adaptive = s->conf->idle == SW_IDLE_ADAPTIVE;
	struct rte_eth_link link;
	int ret;

	p->conf = &s->conf->ports[idx];
	p->is_nic = p->conf->nic != NULL;
	p->intr_fd = -1;
	rte_spinlock_init(&p->tx_lock);
	ret = p->is_nic ? sw_nic_setup(s, p, socket, adaptive) :
		sw_vhost_setup(s, p, idx, socket);
	if (ret < 0)
		return ret;
	if (adaptive && (!p->is_nic || p->nic.rx_intr)) {
		p->intr_fd = rte_eth_dev_rx_intr_ctl_q_get_fd(p->port_id, 0);
		/* Edge-triggered: the fd is vhost's proxy epoll, which stays readable. */
		if (p->intr_fd >= 0 && epoll_ctl(lc->epfd, EPOLL_CTL_ADD, p->intr_fd, &ev) < 0) {
			fprintf(stderr, "switch: port %s: rx interrupt: %s\n", p->name,
				strerror(errno));
			p->intr_fd = -1;
		}
	}
	p->lcore_idx = lc->idx;
	lc->rx_port[lc->nb_rx_ports++] = (uint16_t)idx;
	if (p->is_nic) {
		/* A wire is always there: flood to it whatever its link says. */
		__atomic_store_n(&p->attached, 1, __ATOMIC_RELAXED);
		printf("switch: %s port %u nic %s (%s, mtu %u) on lcore %u, rx interrupt %s\n",
		       p->name, p->port_id, p->conf->nic, p->nic.driver, p->nic.mtu, lc->lcore_id,
		       p->intr_fd >= 0 ? "on" : "off");
		return 0;
	}
	if (rte_eth_link_get_nowait(p->port_id, &link) == 0)
		__atomic_store_n(&p->attached, link.link_status == RTE_ETH_LINK_UP,
				 __ATOMIC_RELAXED);
	printf("switch: %s port %u %s %s on lcore %u, rx interrupt %s\n", p->name, p->port_id,
	       p->conf->server ? "server" : "client", p->conf->sock_path, lc->lcore_id,
	       p->intr_fd >= 0 ? "on" : "off");
	return 0;
}

/* An lcore with a port that cannot kick must not sleep longer than nic_poll_us. */
static void
sw_lcore_sleep(struct sw *s, struct sw_lcore *lc)
{
	uint64_t ns = (uint64_t)s->conf->max_sleep_ms * 1000000;
	unsigned int i;

	for (i = 0; i < lc->nb_rx_ports; i++) {
		if (s->ports[lc->rx_port[i]].intr_fd < 0)
			ns = RTE_MIN(ns, (uint64_t)s->conf->nic_poll_us * 1000);
	}
	lc->sleep.tv_sec = (time_t)(ns / 1000000000);
	lc->sleep.tv_nsec = (long)(ns % 1000000000);
}

/*
 * The co-located guests' adapter, once their vhost-user ports listen: taps, virtio-user
 * ports connected to those ports, and its fd in the main lcore's wait.
 */
static int
sw_colo_setup(struct sw *s)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = SW_EV_COLO };
	struct sw_lcore *lc = NULL;
	unsigned int i;
	int ret;

	if (s->conf->guests.nb_ports == 0)
		return 0;
	for (i = 0; i < s->nb_lcores; i++) {
		if (s->lcores[i]->lcore_id == rte_get_main_lcore())
			lc = s->lcores[i];
	}
	ret = shim_colo_open(&s->conf->guests, s->quit, &s->colo);
	if (ret < 0)
		return ret;
	if (lc == NULL || epoll_ctl(lc->epfd, EPOLL_CTL_ADD, shim_colo_fd(s->colo), &ev) < 0) {
		fprintf(stderr, "switch: guests' adapter: epoll: %s\n", strerror(errno));
		return -EIO;
	}
	s->colo_lc = lc;
	printf("switch: %u co-located guest(s) on lcore %u\n", s->conf->guests.nb_ports,
	       lc->lcore_id);
	return 0;
}

static int
sw_ready_write(struct sw *s)
{
	char text[SW_MAX_PORTS * (SW_NIC_ARGS_MAX + 48) + SHIM_MAX_PORTS * 192 + 1];
	size_t len = 0;
	unsigned int i;
	int ret;

	if (s->conf->ready_file == NULL)
		return 0;
	text[0] = '\0';
	for (i = 0; i < s->nb_ports && len < sizeof(text); i++) {
		const struct sw_port *p = &s->ports[i];

		len += snprintf(text + len, sizeof(text) - len, "%s port %u %s %s\n", p->name,
				p->port_id, p->is_nic ? "nic" : p->conf->server ? "server" : "client",
				p->is_nic ? p->conf->nic : p->conf->sock_path);
	}
	if (s->colo_lc != NULL && len < sizeof(text))
		shim_colo_describe(s->colo, text + len, sizeof(text) - len);
	ret = pmd_ready_file_write(s->conf->ready_file, text);
	if (ret < 0) {
		fprintf(stderr, "switch: ready file %s: %s\n", s->conf->ready_file, strerror(-ret));
		return ret;
	}
	s->ready_written = true;
	return 0;
}

static int
sw_setup(struct sw *s)
{
	int socket = (int)rte_lcore_to_socket_id(rte_get_main_lcore());
	unsigned int i;
	int ret;

	s->tsc_hz = rte_get_tsc_hz();
	s->poll_tsc = s->tsc_hz / 1000000 * s->conf->poll_us;
	ret = sw_lcores_setup(s);
	if (ret < 0) {
		fprintf(stderr, "switch: lcore state: %s\n", strerror(-ret));
		return ret;
	}
	ret = sw_memory_setup(s, socket);
	if (ret < 0)
		return ret;
	for (i = 0; i < s->conf->nb_ports && !*s->quit; i++) {
		s->nb_ports = i + 1;
		ret = sw_port_setup(s, i, socket);
		if (ret < 0)
			return ret;
	}
	if (!*s->quit) {
		ret = sw_colo_setup(s);
		if (ret < 0)
			return ret;
	}
	for (i = 0; i < s->nb_lcores; i++)
		sw_lcore_sleep(s, s->lcores[i]);
	ret = sw_stats_register(s);
	if (ret < 0)
		fprintf(stderr, "switch: telemetry commands not registered: %s\n", strerror(-ret));
	printf("switch: %u ports (%u nics), %u lcores, node %d, idle %s, MAC table %u, aging %u s, "
	       "tso %s\n", s->nb_ports, s->conf->nb_nics, s->nb_lcores, socket,
	       sw_idle_name(s->conf->idle), s->conf->mac_entries, s->conf->aging_s,
	       s->conf->tso ? "on" : "off");
	fflush(stdout);
	return sw_ready_write(s);
}

static void
sw_teardown(struct sw *s)
{
	unsigned int i;

	if (s->ready_written)
		unlink(s->conf->ready_file);
	/* The guests' virtio-user ports first: they are clients of our vhost-user ports. */
	s->colo_lc = NULL;
	shim_colo_close(s->colo, NULL);
	s->colo = NULL;
	for (i = 0; i < s->nb_ports; i++) {
		struct sw_port *p = &s->ports[i];

		if (!p->probed)
			continue;
		if (p->is_nic) {
			sw_nic_close(p);
			continue;
		}
		rte_eth_dev_callback_unregister(p->port_id, RTE_ETH_EVENT_INTR_LSC, sw_lsc_event,
						s);
		if (p->started)
			rte_eth_dev_stop(p->port_id);
		rte_eth_dev_close(p->port_id);
		rte_eal_hotplug_remove("vdev", p->name);
	}
	for (i = 0; i < s->nb_lcores; i++) {
		if (s->lcores[i]->epfd >= 0)
			close(s->lcores[i]->epfd);
		if (s->lcores[i]->wake_fd >= 0)
			close(s->lcores[i]->wake_fd);
		rte_free(s->lcores[i]);
	}
	rte_free(s->mac_mem);
	/* After every port: one may still have held another's mbufs. */
	for (i = 0; i < s->nb_ports; i++)
		rte_mempool_free(s->ports[i].nic.own_pool);
	rte_mempool_free(s->pool);
}

int
sw_run(const struct sw_conf *conf, const volatile bool *quit)
{
	/* Telemetry commands keep pointing at it after the loop: static, like the shim's. */
	static struct sw s;
	unsigned int i;
	int ret;

	s.conf = conf;
	s.quit = quit;
	ret = sw_setup(&s);
	if (ret == 0 && !*quit) {
		for (i = 0; i < s.nb_lcores; i++) {
			if (s.lcores[i]->lcore_id != rte_get_main_lcore())
				rte_eal_remote_launch(sw_fwd_lcore, s.lcores[i],
						      s.lcores[i]->lcore_id);
		}
		for (i = 0; i < s.nb_lcores; i++) {
			if (s.lcores[i]->lcore_id == rte_get_main_lcore())
				sw_fwd_lcore(s.lcores[i]);
		}
		/* The main lcore saw quit; its workers may be waiting for a kick. */
		sw_fwd_wake_all(&s);
		rte_eal_mp_wait_lcore();
		sw_stats_print(&s, stdout);
		if (s.colo != NULL)
			shim_colo_close(s.colo, stdout);
		s.colo = NULL;
	}
	sw_teardown(&s);
	return ret;
}
