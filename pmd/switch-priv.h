/*
 * State shared by the switch's files: setup (switch.c), the forwarding loop (switch-fwd.c),
 * NIC ports (switch-nic.c) and the counters (switch-stats.c).
 */

#ifndef PMD_SWITCH_PRIV_H
#define PMD_SWITCH_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <rte_common.h>
#include <rte_dev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "mactable.h"
#include "switch.h"

#define SW_BURST 32
#define SW_PREFETCH_OFFSET 3
/* tx bursts to a guest whose ring is full, while each takes some (OVS's default) */
#define SW_TX_RETRIES 8
#define SW_RING_SIZE 1024U	/* descriptors per queue */

/* Per port, per lcore: single writer (the lcore), read by telemetry. */
struct sw_port_counters {
	uint64_t rx;		/* packets received on the port */
	uint64_t tx;		/* ... sent out of it */
	uint64_t tx_drop;	/* ... its guest had no room for */
	uint64_t flood;		/* received with a group or unknown destination */
	uint64_t filtered;	/* received for an address on the same port */
	uint64_t no_dest;	/* received with no other port attached to go to */
	uint64_t runt;		/* shorter than an Ethernet header */
	/* NIC ports: offloads done in software on the way out (switch-nic.c) */
	uint64_t gso_in;	/* TSO frames longer than the MTU, to segment */
	uint64_t gso_out;	/* ... into that many segments */
	uint64_t gso_fail;	/* TSO frames dropped: no mbufs, too many segments, not TCP */
	uint64_t gso_ipv6_drop;	/* TCP/IPv6 TSO frames dropped: DPDK 22.11's GSO has no IPv6 */
	uint64_t cksum_sw;	/* frames (or segments) given checksums in software */
};

/* What a NIC port needs besides a vhost port's state. */
struct sw_nic {
	struct rte_device *dev;	/* to remove on exit */
	char driver[32];	/* net_af_xdp, net_af_packet, net_ice, ... */
	struct rte_mempool *own_pool;	/* af_xdp's: see switch-nic.c; NULL: the switch's */
	struct rte_mempool *pool;	/* where frames made for it come from */
	uint64_t tx_offloads;	/* enabled: what the NIC does itself */
	bool rx_intr;		/* configured with rx interrupts */
	uint16_t mtu;
};

struct sw_port {
	const struct sw_port_conf *conf;
	char name[RTE_DEV_NAME_MAX_LEN];	/* net_vhost<i>, or a NIC's device name */
	bool is_nic;
	struct sw_nic nic;
	uint16_t port_id;
	bool probed;
	bool started;
	uint8_t attached;	/* a guest is connected (link up); set by the LSC callback */
	unsigned int lcore_idx;	/* the data lcore that polls it */
	int intr_fd;		/* rx interrupt fd (kicks), or -1 */
	rte_spinlock_t tx_lock;	/* taken when several lcores send to the port */
};

struct sw;

struct sw_lcore {
	struct sw *sw;
	unsigned int lcore_id;
	unsigned int idx;
	uint16_t rx_port[SW_MAX_PORTS];	/* indexes of the ports it polls */
	unsigned int nb_rx_ports;
	int epfd;		/* its ports' rx interrupt fds + wake_fd */
	int wake_fd;		/* eventfd: port attached, quit */
	struct timespec sleep;	/* longest wait: max_sleep_ms, nic_poll_us if a port has no
				 * rx interrupt */
	bool notify;		/* its ports' rx interrupts are on */
	/* Output buffers, filled from one rx burst and flushed after it. */
	uint16_t nb_out[SW_MAX_PORTS];
	uint16_t dirty[SW_MAX_PORTS];
	unsigned int nb_dirty;
	struct rte_mbuf *out[SW_MAX_PORTS][SW_BURST];
	struct sw_port_counters cnt[SW_MAX_PORTS];
	uint64_t loops;
	uint64_t busy_cycles;	/* in loops that moved packets */
	uint64_t start_tsc;
	uint64_t sleeps;	/* waits for kicks (adaptive) */
	uint64_t kick_wakeups;	/* ... ended by a guest's kick */
	uint64_t timeouts;	/* ... ended by the timeout */
	uint64_t learned;	/* new and moved addresses */
} __rte_cache_aligned;

struct sw {
	const struct sw_conf *conf;
	const volatile bool *quit;
	struct sw_port ports[SW_MAX_PORTS];
	unsigned int nb_ports;
	struct sw_lcore *lcores[RTE_MAX_LCORE];
	unsigned int nb_lcores;
	bool shared_tx;		/* several lcores: tx takes the port's lock */
	struct rte_mempool *pool;
	struct sw_mac_table mac;
	void *mac_mem;
	uint64_t tsc_hz;
	uint64_t poll_tsc;	/* conf->poll_us in TSC cycles */
	bool ready_written;
	/* Co-located guests' adapter (--guest-tap), served by one lcore (the main one). */
	struct shim *colo;
	struct sw_lcore *colo_lc;	/* NULL until every guest port started */
};

/* Epoll tags of an lcore's wait besides port indexes: its wake-up fd, the guests' adapter. */
#define SW_EV_WAKE UINT64_MAX
#define SW_EV_COLO (UINT64_MAX - 1)

static inline void
sw_count(uint64_t *counter, uint64_t n)
{
	/* Single writer: a relaxed store keeps the telemetry reader from seeing torn values. */
	__atomic_store_n(counter, *counter + n, __ATOMIC_RELAXED);
}

static inline bool
sw_port_attached(const struct sw_port *p)
{
	return __atomic_load_n(&p->attached, __ATOMIC_RELAXED) != 0;
}

/* Seconds on the MAC table's clock. */
static inline uint32_t
sw_now_s(const struct sw *s)
{
	return (uint32_t)(rte_rdtsc() / s->tsc_hz);
}

/* The loop of one data lcore (rte_eal_remote_launch signature). */
int sw_fwd_lcore(void *arg);

/* Wakes every data lcore from a wait (an attached port to arm, or quit). */
void sw_fwd_wake_all(struct sw *s);

/* Sends n packets out of port o, retrying while it takes some; frees and counts the rest. */
void sw_tx(struct sw *s, struct sw_lcore *lc, uint16_t o, struct rte_mbuf **pkts, uint16_t n);

/*
 * NIC ports (switch-nic.c). sw_nic_setup probes conf->nic, configures one queue pair
 * (with s->pool, af_xdp with a pool of its own), promiscuous, and starts it (rx interrupts
 * if rx_intr and the device has them); prints one line naming the device arguments on
 * failure. sw_nic_tx sends what an lcore buffered for a NIC, segmenting TSO frames and
 * completing checksums the NIC cannot do.
 */
int sw_nic_setup(struct sw *s, struct sw_port *p, int socket, bool rx_intr);
void sw_nic_close(struct sw_port *p);
void sw_nic_tx(struct sw *s, struct sw_lcore *lc, uint16_t o, struct rte_mbuf **pkts, uint16_t n);

/* Fills in the IPv4 header and TCP/UDP checksums m's offload flags ask for (any number of
 * segments, headers in the first), then clears the flags. m must be writable. */
int sw_nic_cksum(struct rte_mbuf *m);

/* Register the telemetry commands (once per process) that read s. */
int sw_stats_register(struct sw *s);

void sw_stats_print(const struct sw *s, FILE *f);

#endif /* PMD_SWITCH_PRIV_H */
