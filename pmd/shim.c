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

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "shim-priv.h"

#define SHIM_POOL_CACHE 256

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

		ret = pmd_tap_open(p->conf->tap_name, &p->tap_fd);
		if (ret == -EBUSY)
			hint = " (a device of that name exists: left from an earlier run? "
				"remove it with 'ip link del' or pick another name)";
		else if (ret == -EPERM)
			hint = " (needs CAP_NET_ADMIN: run as root)";
		else if (ret == -ENOENT || ret == -ENODEV)
			hint = " (no /dev/net/tun: load the tun module)";
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

	/* Per port a full rx ring, a full tx ring in flight and a burst each way. */
	nb_mbufs = s->nb_ports * (2 * q + 2 * SHIM_BURST) + 2 * SHIM_POOL_CACHE;
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
	return 0;
}

static int
shim_port_start(struct shim *s, struct shim_port *p, unsigned int idx)
{
	const struct pmd_idle_conf *idle = &s->conf->idle;
	struct rte_eth_conf conf = {
		/* No offloads: no GUEST_TSO/LRO, so no packet outgrows one 2 KB mbuf. */
		.rxmode = { .mtu = RTE_ETHER_MTU },
	};
	uint16_t nb_rxd = s->conf->queue_size;
	uint16_t nb_txd = nb_rxd;
	struct rte_eth_dev_info info;
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
	conf.intr_conf.rxq = idle->mode == PMD_IDLE_ADAPTIVE && idle->max_sleep_us > 0;

	ret = rte_eth_dev_configure(p->port_id, 1, 1, &conf);
	if (ret < 0 && conf.intr_conf.rxq) {
		/* Rx interrupts only shorten wake-ups; the bounded sleep works without them. */
		conf.intr_conf.rxq = 0;
		ret = rte_eth_dev_configure(p->port_id, 1, 1, &conf);
	}
	if (ret < 0)
		return ret;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &nb_rxd, &nb_txd);
	if (ret < 0)
		return ret;
	ret = rte_eth_rx_queue_setup(p->port_id, 0, nb_rxd, rte_socket_id(), NULL, s->pool);
	if (ret < 0)
		return ret;
	ret = rte_eth_tx_queue_setup(p->port_id, 0, nb_txd, rte_socket_id(), NULL);
	if (ret < 0)
		return ret;
	ret = rte_eth_dev_start(p->port_id);
	if (ret < 0)
		return ret;
	p->started = true;

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
	char args[SHIM_SOCK_PATH_MAX + 64];
	struct stat st;
	int ret;

	/* A socket left by a shim that died makes bind() fail, and nobody serves it. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			fprintf(stderr, "shim: %s: %s exists and is not a socket\n", p->name, path);
			return -EEXIST;
		}
		unlink(path);
	}

	snprintf(args, sizeof(args), "path=%s,server=1,queues=1,queue_size=%u", path,
		s->conf->queue_size);
	printf("shim: %s: waiting for the switch to connect to %s\n", p->name, path);
	fflush(stdout);
	p->probe_tried = true;
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
	printf("shim: %s: port %u up, tap %s, rx interrupt %s\n", p->name, p->port_id,
		p->conf->tap_name, p->intr_fd >= 0 ? "on" : "off");
	fflush(stdout);
	return 0;
}

static int
shim_ready_write(struct shim *s)
{
	const char *path = s->conf->ready_file;
	char tmp[PATH_MAX];
	unsigned int i;
	FILE *f;
	int ret;

	if (path == NULL)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (f == NULL) {
		ret = -errno;
		goto err;
	}
	for (i = 0; i < s->nb_ports; i++)
		fprintf(f, "%s port %u tap %s\n", s->ports[i].name, s->ports[i].port_id,
			s->ports[i].conf->tap_name);
	ret = ferror(f) ? -EIO : 0;
	if (fclose(f) != 0 && ret == 0)
		ret = -errno;
	/* rename() makes the file appear complete or not at all. */
	if (ret == 0 && rename(tmp, path) < 0)
		ret = -errno;
	if (ret < 0) {
		unlink(tmp);
		goto err;
	}
	s->ready_written = true;
	return 0;

err:
	fprintf(stderr, "shim: ready file %s: %s\n", path, strerror(-ret));
	return ret;
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
	return shim_ready_write(s);
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
	}
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
