/*
 * Shim counters: printed on exit, and exported through DPDK telemetry
 * (/testbed/shim/stats and /testbed/shim/ports on the process's telemetry socket).
 */

#include <errno.h>
#include <inttypes.h>

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
	rte_tel_data_add_dict_u64(d, "nombuf", shim_stats_read(&c->nombuf));
	return 0;
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

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "idle", pmd_idle_mode_name(s->conf->idle.mode));
	rte_tel_data_add_dict_int(d, "max_sleep_us", (int)s->conf->idle.max_sleep_us);
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
		"Shim ports: port id, tap, socket, rx interrupt. Takes no parameters");
}

void
shim_stats_print(const struct shim *s, FILE *f)
{
	const struct shim_counters *c;
	unsigned int i;

	for (i = 0; i < s->nb_ports; i++) {
		c = &s->ports[i].cnt;
		fprintf(f, "shim: %s tap %s: switch->tap rx %" PRIu64 " tx %" PRIu64
			" drop %" PRIu64 "; tap->switch rx %" PRIu64 " tx %" PRIu64
			" drop %" PRIu64 "; nombuf %" PRIu64 "\n",
			s->ports[i].name, s->ports[i].conf->tap_name, c->virtio_rx, c->tap_tx,
			c->tap_tx_drop, c->tap_rx, c->virtio_tx, c->virtio_tx_drop, c->nombuf);
	}
	fprintf(f, "shim: loops %" PRIu64 " sleeps %" PRIu64 " rx interrupts %" PRIu64 "\n",
		s->loop.loops, s->loop.sleeps, s->loop.intr_wakeups);
}
