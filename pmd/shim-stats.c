/*
 * Shim counters: printed on exit, and exported through DPDK telemetry
 * (/testbed/shim/stats and /testbed/shim/ports on the process's telemetry socket).
 */

#include <errno.h>
#include <inttypes.h>
#include <linux/if_tun.h>

#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "shim-priv.h"

/* Telemetry commands cannot be unregistered: they read this, which outlives the loop. */
static const struct shim *shim_stats_state;

static uint64_t
shim_stats_read(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

static int
shim_stats_port_counters(const struct shim_port *p, struct rte_tel_data *d)
{
	const struct shim_counters *c = &p->cnt;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "virtio_rx", shim_stats_read(&c->virtio_rx));
	rte_tel_data_add_dict_u64(d, "tap_tx", shim_stats_read(&c->tap_tx));
	rte_tel_data_add_dict_u64(d, "tap_tx_drop", shim_stats_read(&c->tap_tx_drop));
	rte_tel_data_add_dict_u64(d, "tap_rx", shim_stats_read(&c->tap_rx));
	rte_tel_data_add_dict_u64(d, "virtio_tx", shim_stats_read(&c->virtio_tx));
	rte_tel_data_add_dict_u64(d, "virtio_tx_drop", shim_stats_read(&c->virtio_tx_drop));
	rte_tel_data_add_dict_u64(d, "virtio_tx_wait", shim_stats_read(&c->virtio_tx_wait));
	rte_tel_data_add_dict_u64(d, "nombuf", shim_stats_read(&c->nombuf));
	rte_tel_data_add_dict_u64(d, "tap_rx_gso", shim_stats_read(&c->tap_rx_gso));
	rte_tel_data_add_dict_u64(d, "tap_rx_bad", shim_stats_read(&c->tap_rx_bad));
	rte_tel_data_add_dict_u64(d, "tap_tx_gso", shim_stats_read(&c->tap_tx_gso));
	rte_tel_data_add_dict_u64(d, "cksum_sw", shim_stats_read(&c->cksum_sw));
	rte_tel_data_add_dict_u64(d, "notail", shim_stats_read(&c->notail));
	return 0;
}

const char *
shim_offloads_guest(const struct shim_port *p)
{
	if ((p->tap_offload & TUN_F_TSO4) != 0)
		return "tso+csum";
	return (p->tap_offload & TUN_F_CSUM) != 0 ? "csum" : "none";
}

const char *
shim_offloads_switch(const struct shim_port *p)
{
	if ((p->rx_offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO) != 0)
		return "lro+csum";
	return (p->rx_offloads & RTE_ETH_RX_OFFLOAD_TCP_CKSUM) != 0 ? "csum" : "none";
}

const char *
shim_offloads_describe(const struct shim_port *p, char *buf, size_t len)
{
	if (!p->vnet_hdr)
		snprintf(buf, len, "off");
	else
		snprintf(buf, len, "guest->switch %s, switch->guest %s", shim_offloads_guest(p),
			shim_offloads_switch(p));
	return buf;
}

static int
shim_stats_port_info(const struct shim_port *p, struct rte_tel_data *d)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "port_id", p->probed ? p->port_id : -1);
	rte_tel_data_add_dict_string(d, "tap", p->conf->tap_name);
	rte_tel_data_add_dict_string(d, "socket", p->conf->sock_path);
	rte_tel_data_add_dict_int(d, "started", p->started);
	rte_tel_data_add_dict_int(d, "rx_intr", p->intr_fd >= 0);
	rte_tel_data_add_dict_int(d, "vnet_hdr", p->vnet_hdr);
	rte_tel_data_add_dict_string(d, "offloads_guest_to_switch",
		p->vnet_hdr ? shim_offloads_guest(p) : "off");
	rte_tel_data_add_dict_string(d, "offloads_switch_to_guest",
		p->vnet_hdr ? shim_offloads_switch(p) : "off");
	return 0;
}

static int
shim_stats_each_port(struct rte_tel_data *d,
	int (*fill)(const struct shim_port *p, struct rte_tel_data *d))
{
	const struct shim *s = shim_stats_state;
	struct rte_tel_data *pd;
	unsigned int i;

	for (i = 0; i < s->nb_ports; i++) {
		pd = rte_tel_data_alloc();
		if (pd == NULL)
			return -ENOMEM;
		fill(&s->ports[i], pd);
		if (rte_tel_data_add_dict_container(d, s->ports[i].name, pd, 0) != 0) {
			rte_tel_data_free(pd);
			return -ENOSPC;
		}
	}
	return 0;
}

static int
shim_stats_cmd_stats(const char *cmd __rte_unused, const char *params __rte_unused,
	struct rte_tel_data *d)
{
	const struct shim *s = shim_stats_state;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "loops", shim_stats_read(&s->loop.loops));
	rte_tel_data_add_dict_u64(d, "sleeps", shim_stats_read(&s->loop.sleeps));
	rte_tel_data_add_dict_u64(d, "intr_wakeups", shim_stats_read(&s->loop.intr_wakeups));
	return shim_stats_each_port(d, shim_stats_port_counters);
}

static int
shim_stats_cmd_ports(const char *cmd __rte_unused, const char *params __rte_unused,
	struct rte_tel_data *d)
{
	const struct shim *s = shim_stats_state;
	struct pmd_ring rq = s->conf->ring;
	char ring[PMD_RING_SPEC_MAX];

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "idle", pmd_idle_mode_name(s->conf->idle.mode));
	rte_tel_data_add_dict_int(d, "max_sleep_us", (int)s->conf->idle.max_sleep_us);
	rte_tel_data_add_dict_string(d, "offloads", s->conf->offloads ? "on" : "off");
	/* what was asked of virtio-user; the switch's side tells what was negotiated */
	rq.queue_size = s->conf->queue_size;
	if (pmd_ring_format(&rq, ring, sizeof(ring)) > 0)
		rte_tel_data_add_dict_string(d, "ring", ring);
	return shim_stats_each_port(d, shim_stats_port_info);
}

int
shim_stats_register(struct shim *s)
{
	int ret;

	shim_stats_state = s;
	ret = rte_telemetry_register_cmd("/testbed/shim/stats", shim_stats_cmd_stats,
		"Shim loop and per-port packet counters. Takes no parameters");
	if (ret < 0)
		return ret;
	return rte_telemetry_register_cmd("/testbed/shim/ports", shim_stats_cmd_ports,
		"Shim ports: port id, tap, socket, rx interrupt, offloads. Takes no parameters");
}

void
shim_stats_print(const struct shim *s, FILE *f)
{
	const struct shim_counters *c;
	unsigned int i;

	for (i = 0; i < s->nb_ports; i++) {
		c = &s->ports[i].cnt;
		fprintf(f, "shim: %s tap %s: switch->tap rx %" PRIu64 " tx %" PRIu64
			" drop %" PRIu64 " gso %" PRIu64 "; tap->switch rx %" PRIu64 " tx %"
			PRIu64 " drop %" PRIu64 " wait %" PRIu64 " gso %" PRIu64 " bad %" PRIu64
			"; nombuf %" PRIu64 " notail %" PRIu64 "; sw checksums %" PRIu64 "\n",
			s->ports[i].name, s->ports[i].conf->tap_name, c->virtio_rx, c->tap_tx,
			c->tap_tx_drop, c->tap_tx_gso, c->tap_rx, c->virtio_tx, c->virtio_tx_drop,
			c->virtio_tx_wait, c->tap_rx_gso, c->tap_rx_bad, c->nombuf, c->notail,
			c->cksum_sw);
	}
	fprintf(f, "shim: loops %" PRIu64 " sleeps %" PRIu64 " rx interrupts %" PRIu64 "\n",
		s->loop.loops, s->loop.sleeps, s->loop.intr_wakeups);
}
