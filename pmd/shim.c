/*
 * Shim setup and teardown. Order matters to the controlling program:
 *  1. every tap is created first; the controller waits for them and moves each into its
 *     guest's namespace (the fd keeps working there);
 *  2. then one virtio-user port per tap, in vhost-user server mode, so that the switch
 *     can restart while guests stay up (the port re-accepts it). In DPDK 22.11 probing a
 *     server-mode port blocks in accept() until the switch connects;
 *  3. the ready file, once every port is started.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <linux/if_tun.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "pmd-args.h"
#include "shim-priv.h"

#define SHIM_POOL_CACHE 256

/*
 * Offloads asked of each virtio-user port, as far as it has them. Rx: TCP_LRO is what makes
 * the PMD negotiate GUEST_TSO4/6 (the switch may then deliver 64 KiB segments, in chains
 * of mergeable buffers: SCATTER), the checksum ones GUEST_CSUM (partial checksums). Tx:
 * HOST_TSO4/6 and CSUM, for what the guests' taps hand over.
 */
#define SHIM_RX_OFFLOADS (RTE_ETH_RX_OFFLOAD_TCP_LRO | RTE_ETH_RX_OFFLOAD_TCP_CKSUM | \
	RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_SCATTER)
#define SHIM_TX_OFFLOADS (RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_TCP_CKSUM | \
	RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_MULTI_SEGS)
#define SHIM_TX_CKSUM (RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM)

/* Static: telemetry may read it until the process ends. */
static struct shim shim_state;

static void
shim_init(struct shim *s, const struct shim_conf *conf)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->conf = conf;
	s->nb_ports = conf->nb_ports;
	s->epfd = -1;
	for (i = 0; i < s->nb_ports; i++) {
		struct shim_port *p = &s->ports[i];

		p->conf = &conf->ports[i];
		snprintf(p->name, sizeof(p->name), "virtio_user%u", i);
		p->tap_fd = -1;
		p->intr_fd = -1;
		p->vnet_hdr = conf->offloads;
	}
}

static int
shim_epoll_add(struct shim *s, int fd, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	return epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static int
shim_taps_open(struct shim *s)
{
	unsigned int i;
	int ret;

	for (i = 0; i < s->nb_ports; i++) {
		struct shim_port *p = &s->ports[i];
		const char *hint = "";

		if (s->conf->colo)
			ret = pmd_tap_attach(p->conf->tap_name, p->conf->netns[0] != '\0' ?
					     p->conf->netns : NULL, p->vnet_hdr, &p->tap_fd);
		else
			ret = pmd_tap_open(p->conf->tap_name, p->vnet_hdr, &p->tap_fd);
		if (ret == -EBUSY)
			hint = " (a device of that name exists: left from an earlier run? "
				"remove it with 'ip link del' or pick another name)";
		else if (ret == -EPERM)
			hint = " (needs CAP_NET_ADMIN: run as root)";
		else if (ret == -ENOENT || ret == -ENODEV)
			hint = " (no /dev/net/tun: load the tun module)";
		if (ret < 0 && s->conf->colo) {
			fprintf(stderr, "shim: tap \"%s\" in %s: cannot attach: %s\n",
				p->conf->tap_name, p->conf->netns[0] != '\0' ? p->conf->netns :
				"this namespace", strerror(-ret));
			return ret;
		}
		if (ret < 0) {
			fprintf(stderr, "shim: tap \"%s\": cannot create: %s%s\n",
				p->conf->tap_name, strerror(-ret), hint);
			return ret;
		}
		ret = shim_epoll_add(s, p->tap_fd, SHIM_EV(SHIM_EV_TAP, i));
		if (ret < 0) {
			fprintf(stderr, "shim: tap \"%s\": epoll: %s\n", p->conf->tap_name,
				strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static int
shim_pool_create(struct shim *s)
{
	unsigned int q = s->conf->queue_size;
	unsigned int nb_mbufs;
	struct rte_mempool_objsz sz;
	uint32_t elt_size = sizeof(struct rte_mbuf) + RTE_MBUF_DEFAULT_BUF_SIZE;
	unsigned int seg_room = RTE_MBUF_DEFAULT_BUF_SIZE - RTE_PKTMBUF_HEADROOM;
	unsigned int per_port;

	/*
	 * Per port a full rx ring, a full tx ring in flight and a burst each way. With offloads
	 * a tx descriptor holds a segment (in-order path; with indirect descriptors a burst of
	 * used ones is freed at every tx burst), a tap burst holds up to SHIM_TAP_BURST_SEGS
	 * segments, one read's worth and one more wait in the spares, and an rx burst may end
	 * in a chain of tap_segs.
	 */
	RTE_BUILD_BUG_ON((PMD_TAP_FRAME_MAX + RTE_MBUF_DEFAULT_DATAROOM - 1) /
		RTE_MBUF_DEFAULT_DATAROOM + 1 > PMD_TAP_MAX_SEGS);
	s->tap_segs = (PMD_TAP_FRAME_MAX + seg_room - 1) / seg_room;
	per_port = 2 * q + 2 * SHIM_BURST;
	if (s->conf->offloads)
		per_port += SHIM_TAP_BURST_SEGS + 2 * s->tap_segs + 1;
	nb_mbufs = s->nb_ports * per_port + 2 * SHIM_POOL_CACHE;
	s->pool = rte_pktmbuf_pool_create("shim_pool", nb_mbufs, SHIM_POOL_CACHE, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (s->pool == NULL) {
		rte_mempool_calc_obj_size(elt_size, 0, &sz);
		fprintf(stderr, "shim: cannot create a pool of %u mbufs (%" PRIu64 " MB) on NUMA "
			"node %u: %s; give EAL more hugepage memory (--socket-mem)\n", nb_mbufs,
			(uint64_t)nb_mbufs * sz.total_size >> 20, rte_socket_id(),
			rte_strerror(rte_errno));
		return -rte_errno;
	}
	if (!s->conf->offloads)
		return 0;

	/* Tails only make tap reads cheaper: without them the shim works, a little slower. */
	nb_mbufs = s->nb_ports * SHIM_TAILS_PER_PORT;
	s->tail_pool = rte_pktmbuf_pool_create("shim_tails", nb_mbufs, 0, 0, SHIM_TAIL_DATAROOM,
		(int)rte_socket_id());
	if (s->tail_pool == NULL) {
		rte_mempool_calc_obj_size(sizeof(struct rte_mbuf) + SHIM_TAIL_DATAROOM, 0, &sz);
		fprintf(stderr, "shim: no pool of %u 64 KB buffers (%" PRIu64 " MB): %s; GSO "
			"frames from the guests go into chains of 2 KB mbufs (more --socket-mem "
			"avoids that)\n", nb_mbufs, (uint64_t)nb_mbufs * sz.total_size >> 20,
			rte_strerror(rte_errno));
	}
	return 0;
}

/* Configure, and if rx interrupts are refused, configure without: they only shorten waits. */
static int
shim_port_configure(struct shim_port *p, struct rte_eth_conf *conf)
{
	int ret;

	ret = rte_eth_dev_configure(p->port_id, 1, 1, conf);
	if (ret < 0 && conf->intr_conf.rxq) {
		conf->intr_conf.rxq = 0;
		ret = rte_eth_dev_configure(p->port_id, 1, 1, conf);
	}
	return ret;
}

/*
 * Let the guest hand over what the port passes on to the switch: partial checksums if it
 * takes both TCP and UDP ones, GSO frames if it also segments TCP.
 */
static void
shim_tap_offload(struct shim_port *p)
{
	unsigned int tun = 0;
	int ret;

	if ((p->tx_offloads & SHIM_TX_CKSUM) == SHIM_TX_CKSUM) {
		tun |= TUN_F_CSUM;
		if ((p->tx_offloads & RTE_ETH_TX_OFFLOAD_TCP_TSO) != 0)
			tun |= TUN_F_TSO4 | TUN_F_TSO6;
	}
	ret = pmd_tap_set_offload(p->tap_fd, tun);
	if (ret < 0) {
		/* The tap then sends plain frames, which need no offload. */
		fprintf(stderr, "shim: tap \"%s\": cannot set offloads: %s; the guest sends "
			"MTU-sized, checksummed frames\n", p->conf->tap_name, strerror(-ret));
		tun = 0;
	}
	p->tap_offload = tun;
}

static int
shim_port_start(struct shim *s, struct shim_port *p, unsigned int idx)
{
	const struct pmd_idle_conf *idle = &s->conf->idle;
	struct rte_eth_conf conf = {
		/* Without offloads no GUEST_TSO/LRO, so no packet outgrows one 2 KB mbuf. */
		.rxmode = { .mtu = RTE_ETHER_MTU },
	};
	uint16_t nb_rxd = s->conf->queue_size;
	uint16_t nb_txd = nb_rxd;
	struct rte_eth_dev_info info;
	struct rte_eth_txconf txconf;
	bool rxq_intr;
	int ret, fd;

	ret = rte_eth_dev_info_get(p->port_id, &info);
	if (ret < 0)
		return ret;
	/* With link-state interrupts the EAL interrupt thread re-accepts a restarted switch. */
	if ((*info.dev_flags & RTE_ETH_DEV_INTR_LSC) != 0)
		conf.intr_conf.lsc = 1;
	else
		fprintf(stderr, "shim: %s: no link-state interrupt; a restarted switch will not "
			"be re-accepted\n", p->name);
	rxq_intr = idle->mode == PMD_IDLE_ADAPTIVE && idle->max_sleep_us > 0;
	conf.intr_conf.rxq = rxq_intr;
	if (p->vnet_hdr) {
		/* What the switch offered when it connected (the port's capabilities). */
		conf.rxmode.offloads = info.rx_offload_capa & SHIM_RX_OFFLOADS;
		conf.txmode.offloads = info.tx_offload_capa & SHIM_TX_OFFLOADS;
	}

	ret = shim_port_configure(p, &conf);
	if (ret < 0 && (conf.rxmode.offloads | conf.txmode.offloads) != 0) {
		fprintf(stderr, "shim: %s: offloads refused (%s); running without them\n",
			p->name, strerror(-ret));
		conf.rxmode.offloads = 0;
		conf.txmode.offloads = 0;
		conf.intr_conf.rxq = rxq_intr;
		ret = shim_port_configure(p, &conf);
	}
	if (ret < 0)
		return ret;
	p->rx_offloads = conf.rxmode.offloads;
	p->tx_offloads = conf.txmode.offloads;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &nb_rxd, &nb_txd);
	if (ret < 0)
		return ret;
	ret = rte_eth_rx_queue_setup(p->port_id, 0, nb_rxd, rte_socket_id(), NULL, s->pool);
	if (ret < 0)
		return ret;
	/*
	 * With offloads, free what the switch took at every burst, not once the ring is
	 * nearly all used: a chain holds up to 33 mbufs, and with indirect descriptors (no
	 * IN_ORDER) seven of them take one slot, more than the pool allows for a full ring.
	 */
	txconf = info.default_txconf;
	txconf.tx_free_thresh = (uint16_t)(s->conf->queue_size - 4);
	ret = rte_eth_tx_queue_setup(p->port_id, 0, nb_txd, rte_socket_id(),
		p->vnet_hdr ? &txconf : NULL);
	if (ret < 0)
		return ret;
	ret = rte_eth_dev_start(p->port_id);
	if (ret < 0)
		return ret;
	p->started = true;
	if (p->vnet_hdr)
		shim_tap_offload(p);

	if (conf.intr_conf.rxq) {
		fd = rte_eth_dev_rx_intr_ctl_q_get_fd(p->port_id, 0);
		if (fd >= 0 && shim_epoll_add(s, fd, SHIM_EV(SHIM_EV_INTR, idx)) == 0) {
			p->intr_fd = fd;
			s->nb_intr++;
		}
	}
	return 0;
}

static int
shim_port_probe(struct shim *s, struct shim_port *p, unsigned int idx,
	const volatile bool *quit)
{
	const char *path = p->conf->sock_path;
	char args[SHIM_SOCK_PATH_MAX + 128], ring[80];
	char desc[64];
	struct pmd_ring rq = s->conf->ring;
	struct stat st;
	int ret;

	rq.queue_size = s->conf->queue_size;	/* --queue-size or the spec's qN */
	pmd_ring_devargs(&rq, 0, ring, sizeof(ring));
	if (s->conf->colo) {
		/* A client of the switch's own vhost-user port, listening already. */
		snprintf(args, sizeof(args), "path=%s,server=0,queues=1,%s", path, ring);
		goto probe;
	}
	/* A socket left by a shim that died makes bind() fail, and nobody serves it. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			fprintf(stderr, "shim: %s: %s exists and is not a socket\n", p->name, path);
			return -EEXIST;
		}
		unlink(path);
	}

	snprintf(args, sizeof(args), "path=%s,server=1,queues=1,%s", path, ring);
	printf("shim: %s: waiting for the switch to connect to %s\n", p->name, path);
	fflush(stdout);
	p->probe_tried = true;
probe:
	ret = rte_eal_hotplug_add("vdev", p->name, args);
	if (ret < 0) {
		if (*quit)
			return -EINTR;
		/* The driver mostly returns -1; its log above says why. */
		fprintf(stderr, "shim: %s: cannot create virtio-user port on %s: %s\n", p->name,
			path, ret == -1 ? "probe failed" : strerror(-ret));
		return ret;
	}
	ret = rte_eth_dev_get_port_by_name(p->name, &p->port_id);
	if (ret < 0) {
		fprintf(stderr, "shim: %s: no ethdev after probing: %s\n", p->name,
			strerror(-ret));
		return ret;
	}
	p->probed = true;

	ret = shim_port_start(s, p, idx);
	if (ret < 0) {
		fprintf(stderr, "shim: %s (port %u): cannot start: %s\n", p->name, p->port_id,
			strerror(-ret));
		return ret;
	}
	printf("shim: %s: port %u up, tap %s, rx interrupt %s, offloads %s\n", p->name,
		p->port_id, p->conf->tap_name, p->intr_fd >= 0 ? "on" : "off",
		shim_offloads_describe(p, desc, sizeof(desc)));
	fflush(stdout);
	return 0;
}

static int
shim_ready_write(struct shim *s)
{
	const char *path = s->conf->ready_file;
	char text[SHIM_MAX_PORTS * 64 + 1];
	size_t len = 0;
	unsigned int i;
	int ret;

	if (path == NULL)
		return 0;
	text[0] = '\0';
	for (i = 0; i < s->nb_ports && len < sizeof(text); i++)
		len += snprintf(text + len, sizeof(text) - len, "%s port %u tap %s\n",
				s->ports[i].name, s->ports[i].port_id, s->ports[i].conf->tap_name);
	ret = pmd_ready_file_write(path, text);
	if (ret < 0) {
		fprintf(stderr, "shim: ready file %s: %s\n", path, strerror(-ret));
		return ret;
	}
	s->ready_written = true;
	return 0;
}

static int
shim_setup(struct shim *s, const volatile bool *quit)
{
	unsigned int i;
	int ret;

	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0) {
		ret = -errno;
		fprintf(stderr, "shim: epoll: %s\n", strerror(errno));
		return ret;
	}
	ret = shim_taps_open(s);
	if (ret < 0)
		return ret;
	ret = shim_pool_create(s);
	if (ret < 0)
		return ret;
	ret = shim_stats_register(s);
	if (ret < 0)
		fprintf(stderr, "shim: telemetry commands not registered: %s\n", strerror(-ret));

	for (i = 0; i < s->nb_ports; i++) {
		if (*quit)
			return -EINTR;
		ret = shim_port_probe(s, &s->ports[i], i, quit);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static void
shim_teardown(struct shim *s)
{
	struct stat st;
	unsigned int i;

	if (s->ready_written)
		unlink(s->conf->ready_file);
	for (i = s->nb_ports; i-- > 0;) {
		struct shim_port *p = &s->ports[i];

		if (p->started)
			rte_eth_dev_stop(p->port_id);
		p->started = false;
		if (p->probed) {
			rte_eth_dev_close(p->port_id);
			rte_eal_hotplug_remove("vdev", p->name);
			p->probed = false;
		}
		/* Closing unlinks the socket, but not after a failed or interrupted probe. */
		if (p->probe_tried && lstat(p->conf->sock_path, &st) == 0 && S_ISSOCK(st.st_mode))
			unlink(p->conf->sock_path);
		if (p->tap_fd >= 0)
			close(p->tap_fd);
		p->tap_fd = -1;
		p->intr_fd = -1;
		if (p->nb_spare > 0)
			rte_pktmbuf_free_bulk(p->spare, p->nb_spare);
		p->nb_spare = 0;
		rte_pktmbuf_free(p->tail);
		p->tail = NULL;
		if (p->nb_held > 0)
			rte_pktmbuf_free_bulk(p->held, p->nb_held);
		p->nb_held = 0;
	}
	rte_mempool_free(s->tail_pool);
	s->tail_pool = NULL;
	rte_mempool_free(s->pool);
	s->pool = NULL;
	if (s->epfd >= 0)
		close(s->epfd);
	s->epfd = -1;
}

int
shim_run(const struct shim_conf *conf, const volatile bool *quit)
{
	struct shim *s = &shim_state;
	int ret;

	if (*quit)
		return 0;
	shim_init(s, conf);
	ret = shim_setup(s, quit);
	if (ret == 0)
		ret = shim_ready_write(s);
	if (ret == -EINTR && *quit) {
		printf("shim: stopped during setup\n");
		ret = 0;
	} else if (ret == 0) {
		printf("shim: forwarding %u port(s), idle %s, max sleep %u us\n", s->nb_ports,
			pmd_idle_mode_name(conf->idle.mode), conf->idle.max_sleep_us);
		fflush(stdout);
		ret = shim_fwd_loop(s, quit);
		if (ret < 0)
			fprintf(stderr, "shim: epoll wait: %s\n", strerror(-ret));
		shim_stats_print(s, stdout);
	}
	shim_teardown(s);
	return ret;
}

int
shim_colo_open(const struct shim_conf *conf, const volatile bool *quit, struct shim **sp)
{
	struct shim *s = &shim_state;

	shim_init(s, conf);
	*sp = s;
	return shim_setup(s, quit);
}

int
shim_colo_fd(const struct shim *s)
{
	return s->epfd;
}

int
shim_colo_describe(const struct shim *s, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < s->nb_ports && off < len; i++)
		off += snprintf(buf + off, len - off, "%s port %u tap %s netns %s\n",
				s->ports[i].name, s->ports[i].port_id, s->ports[i].conf->tap_name,
				s->ports[i].conf->netns[0] != '\0' ? s->ports[i].conf->netns : "-");
	return off < len ? 0 : -ENOSPC;
}

void
shim_colo_close(struct shim *s, FILE *f)
{
	if (s == NULL)
		return;
	if (f != NULL)
		shim_stats_print(s, f);
	shim_teardown(s);
}
