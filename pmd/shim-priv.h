/*
 * State shared by the shim's files: setup (shim.c), the forwarding loop (shim-fwd.c) and
 * the counters (shim-stats.c).
 */

#ifndef PMD_SHIM_PRIV_H
#define PMD_SHIM_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_dev.h>
#include <rte_mempool.h>

#include "shim.h"

#define SHIM_BURST 32

/* Epoll event tags: kind in the high half, port index in the low half. */
#define SHIM_EV_TAP 0ULL
#define SHIM_EV_INTR 1ULL
#define SHIM_EV(kind, idx) (((kind) << 32) | (idx))

/* Written by the main lcore only, read by the telemetry thread. */
struct shim_counters {
	uint64_t virtio_rx;	/* packets from the switch */
	uint64_t tap_tx;	/* ... written to the tap */
	uint64_t tap_tx_drop;	/* ... the tap refused */
	uint64_t tap_rx;	/* frames from the guest */
	uint64_t virtio_tx;	/* ... handed to the switch */
	uint64_t virtio_tx_drop;	/* ... the virtio ring had no room for */
	uint64_t nombuf;	/* tap reads put off for lack of mbufs */
};

struct shim_port {
	const struct shim_port_conf *conf;
	char name[RTE_DEV_NAME_MAX_LEN];	/* vdev name, virtio_user<i> */
	uint16_t port_id;
	bool probe_tried;	/* the socket path may exist because of us */
	bool probed;
	bool started;
	int tap_fd;
	int intr_fd;	/* rx interrupt eventfd in the epoll set, or -1 */
	struct shim_counters cnt;
};

struct shim_loop_counters {
	uint64_t loops;
	uint64_t sleeps;	/* waits allowed to block */
	uint64_t intr_wakeups;	/* rx interrupts from the switch */
};

struct shim {
	const struct shim_conf *conf;
	struct shim_port ports[SHIM_MAX_PORTS];
	unsigned int nb_ports;
	unsigned int nb_intr;	/* ports with an rx interrupt fd */
	struct rte_mempool *pool;
	int epfd;
	bool ready_written;
	struct shim_loop_counters loop;
};

static inline void
shim_count(uint64_t *counter, uint64_t n)
{
	/* Single writer: a relaxed store keeps the telemetry reader from seeing torn values. */
	__atomic_store_n(counter, *counter + n, __ATOMIC_RELAXED);
}

/* Forward until *quit; returns 0 or a negative errno if waiting failed. */
int shim_fwd_loop(struct shim *s, const volatile bool *quit);

/* Register the telemetry commands (once per process) that read s. */
int shim_stats_register(struct shim *s);

void shim_stats_print(const struct shim *s, FILE *f);

#endif /* PMD_SHIM_PRIV_H */
