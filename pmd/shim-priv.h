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

/*
 * With offloads a frame is read from a tap into a 2 KB mbuf followed by a 64 KB "tail" from
 * a second pool, which only frames longer than 2 KB use: three iovecs, so the kernel takes
 * the read's fast path, and a GSO frame is a chain of two. Each port may hold up to
 * SHIM_TAILS_PER_PORT tails (in the virtio ring until the switch took them); without a
 * free tail the frame goes into a chain of up to 33 (PMD_TAP_FRAME_MAX) 2 KB mbufs instead.
 * One burst stops reading once it holds SHIM_TAP_BURST_SEGS 2 KB mbufs.
 */
#define SHIM_TAILS_PER_PORT 32U
#define SHIM_TAIL_DATAROOM UINT16_MAX
#define SHIM_TAP_BURST_SEGS (4 * SHIM_BURST)

/* Longest sleep while frames wait for room in a virtio ring (there is no tx interrupt). */
#define SHIM_HELD_SLEEP_US 50U

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
	uint64_t virtio_tx_wait;	/* ... bursts the ring took in part: the rest waited */
	uint64_t nombuf;	/* tap reads put off for lack of mbufs */
	uint64_t tap_rx_gso;	/* ... GSO frames from the guest, segmented by the switch */
	uint64_t tap_rx_bad;	/* ... dropped: cut short, or offloads the switch cannot take */
	uint64_t tap_tx_gso;	/* large segments from the switch written to the tap as GSO */
	uint64_t cksum_sw;	/* partial checksums the shim completed itself */
	uint64_t notail;	/* tap reads without a free tail: into a chain of 2 KB mbufs */
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
	bool vnet_hdr;	/* the tap has a virtio-net header: offloads are on */
	uint64_t rx_offloads;	/* RTE_ETH_RX_OFFLOAD_* the virtio-user port runs with */
	uint64_t tx_offloads;	/* RTE_ETH_TX_OFFLOAD_* */
	unsigned int tap_offload;	/* TUN_F_* set on the tap */
	/* Fresh mbufs for the next tap read (vnet_hdr only): kept between bursts. */
	struct rte_mbuf *spare[PMD_TAP_MAX_SEGS];
	unsigned int nb_spare;
	struct rte_mbuf *tail;	/* a free tail for the next read, or NULL */
	/*
	 * Frames from the tap the virtio ring had no room for (vnet_hdr only: dropping a
	 * 64 KiB frame costs TCP dearly). They go first; until then the tap is not read and
	 * its fd is out of the epoll set, so its queue pushes back on the guest.
	 */
	struct rte_mbuf *held[SHIM_BURST];
	uint16_t nb_held;
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
	unsigned int nb_holding;	/* ports with held frames */
	unsigned int tap_segs;	/* mbufs a tap read needs with offloads: PMD_TAP_FRAME_MAX */
	struct rte_mempool *pool;
	struct rte_mempool *tail_pool;	/* with offloads; NULL: reads go into chains */
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

/* The offloads of a port's tap, one way: "tso+csum", "csum", "none". */
const char *shim_offloads_guest(const struct shim_port *p);	/* guest -> switch */
const char *shim_offloads_switch(const struct shim_port *p);	/* switch -> guest */

/* "off", or both ways: "guest->switch tso+csum, switch->guest lro+csum"; returns buf. */
const char *shim_offloads_describe(const struct shim_port *p, char *buf, size_t len);

#endif /* PMD_SHIM_PRIV_H */
