/*
 * Switch counters, summed over the lcores: printed on exit and exported through DPDK
 * telemetry: /testbed/switch/stats (per port and per lcore), /testbed/switch/macs (the
 * learned addresses). DPDK's own /ethdev/stats,<port_id> work too.
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_cycles.h>
#include <rte_telemetry.h>

#include "switch-priv.h"

/* Telemetry commands cannot be unregistered: they read this, which outlives the loop. */
static const struct sw *sw_stats_state;

static uint64_t
sw_read(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

static void
sw_port_sum(const struct sw *s, unsigned int port, struct sw_port_counters *sum)
{
	const struct sw_port_counters *c;
	unsigned int i;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < s->nb_lcores; i++) {
		c = &s->lcores[i]->cnt[port];
		sum->rx += sw_read(&c->rx);
		sum->tx += sw_read(&c->tx);
		sum->tx_drop += sw_read(&c->tx_drop);
		sum->flood += sw_read(&c->flood);
		sum->filtered += sw_read(&c->filtered);
		sum->no_dest += sw_read(&c->no_dest);
		sum->runt += sw_read(&c->runt);
	}
}

static int
sw_stats_port(const struct sw *s, unsigned int i, struct rte_tel_data *d)
{
	const struct sw_port *p = &s->ports[i];
	struct sw_port_counters c;

	sw_port_sum(s, i, &c);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "port_id", p->probed ? p->port_id : -1);
	rte_tel_data_add_dict_string(d, "socket", p->conf->sock_path);
	rte_tel_data_add_dict_string(d, "mode", p->conf->server ? "server" : "client");
	rte_tel_data_add_dict_int(d, "attached", sw_port_attached(p));
	rte_tel_data_add_dict_int(d, "lcore", (int)s->lcores[p->lcore_idx]->lcore_id);
	rte_tel_data_add_dict_u64(d, "rx", c.rx);
	rte_tel_data_add_dict_u64(d, "tx", c.tx);
	rte_tel_data_add_dict_u64(d, "tx_drop", c.tx_drop);
	rte_tel_data_add_dict_u64(d, "flood", c.flood);
	rte_tel_data_add_dict_u64(d, "filtered", c.filtered);
	rte_tel_data_add_dict_u64(d, "no_dest", c.no_dest);
	rte_tel_data_add_dict_u64(d, "runt", c.runt);
	return 0;
}

static int
sw_stats_lcore(const struct sw *s, unsigned int i, struct rte_tel_data *d)
{
	const struct sw_lcore *lc = s->lcores[i];
	uint64_t busy = sw_read(&lc->busy_cycles), total = rte_rdtsc() - lc->start_tsc;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "lcore", (int)lc->lcore_id);
	rte_tel_data_add_dict_int(d, "ports", (int)lc->nb_rx_ports);
	rte_tel_data_add_dict_u64(d, "loops", sw_read(&lc->loops));
	rte_tel_data_add_dict_u64(d, "busy_cycles", busy);
	rte_tel_data_add_dict_u64(d, "total_cycles", lc->start_tsc != 0 ? total : 0);
	rte_tel_data_add_dict_u64(d, "sleeps", sw_read(&lc->sleeps));
	rte_tel_data_add_dict_u64(d, "kick_wakeups", sw_read(&lc->kick_wakeups));
	rte_tel_data_add_dict_u64(d, "learned", sw_read(&lc->learned));
	return 0;
}

static int
sw_stats_add(struct rte_tel_data *d, const char *key,
	     int (*fill)(const struct sw *s, unsigned int i, struct rte_tel_data *d),
	     unsigned int i)
{
	struct rte_tel_data *c = rte_tel_data_alloc();

	if (c == NULL)
		return -ENOMEM;
	fill(sw_stats_state, i, c);
	if (rte_tel_data_add_dict_container(d, key, c, 0) != 0) {
		rte_tel_data_free(c);
		return -ENOSPC;
	}
	return 0;
}

static int
sw_stats_cmd_stats(const char *cmd __rte_unused, const char *params __rte_unused,
		   struct rte_tel_data *d)
{
	const struct sw *s = sw_stats_state;
	char key[32];
	unsigned int i;
	int ret = 0;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "idle", sw_idle_name(s->conf->idle));
	rte_tel_data_add_dict_int(d, "poll_us", (int)s->conf->poll_us);
	rte_tel_data_add_dict_int(d, "tso", s->conf->tso);
	rte_tel_data_add_dict_u64(d, "tsc_hz", s->tsc_hz);
	rte_tel_data_add_dict_int(d, "mac_entries", (int)sw_mac_walk(&s->mac, sw_now_s(s), NULL,
								      NULL));
	rte_tel_data_add_dict_int(d, "mac_capacity", (int)s->conf->mac_entries);
	rte_tel_data_add_dict_int(d, "aging_s", (int)s->conf->aging_s);
	rte_tel_data_add_dict_u64(d, "mac_learn_full", sw_read(&s->mac.learn_full));
	for (i = 0; i < s->nb_lcores && ret == 0; i++) {
		snprintf(key, sizeof(key), "lcore%u", s->lcores[i]->lcore_id);
		ret = sw_stats_add(d, key, sw_stats_lcore, i);
	}
	for (i = 0; i < s->nb_ports && ret == 0; i++)
		ret = sw_stats_add(d, s->ports[i].name, sw_stats_port, i);
	return ret;
}

struct sw_macs_walk {
	struct rte_tel_data *d;
	int ret;
};

static void
sw_macs_one(uint64_t mac, int port, uint32_t age_s, void *arg)
{
	struct sw_macs_walk *w = arg;
	char key[24], val[48], *c;

	/* Telemetry names take [A-Za-z0-9_/] only. */
	sw_mac_str(mac, key, sizeof(key));
	for (c = key; *c != '\0'; c++) {
		if (*c == ':')
			*c = '_';
	}
	snprintf(val, sizeof(val), "%s age %u s", port >= 0 &&
		 (unsigned int)port < sw_stats_state->nb_ports ?
		 sw_stats_state->ports[port].name : "?", age_s);
	if (w->ret == 0)
		w->ret = rte_tel_data_add_dict_string(w->d, key, val);
}

static int
sw_stats_cmd_macs(const char *cmd __rte_unused, const char *params __rte_unused,
		  struct rte_tel_data *d)
{
	struct sw_macs_walk w = { .d = d, .ret = 0 };

	rte_tel_data_start_dict(d);
	sw_mac_walk(&sw_stats_state->mac, sw_now_s(sw_stats_state), sw_macs_one, &w);
	return 0; /* a table larger than one reply is cut short */
}

int
sw_stats_register(struct sw *s)
{
	int ret;

	sw_stats_state = s;
	ret = rte_telemetry_register_cmd("/testbed/switch/stats", sw_stats_cmd_stats,
		"Switch counters: per lcore (busy cycles, sleeps) and per port. No parameters");
	if (ret < 0)
		return ret;
	return rte_telemetry_register_cmd("/testbed/switch/macs", sw_stats_cmd_macs,
		"Learned MAC addresses (aa_bb_cc_dd_ee_ff): port and age. No parameters");
}

void
sw_stats_print(const struct sw *s, FILE *f)
{
	struct sw_port_counters c;
	unsigned int i;

	for (i = 0; i < s->nb_ports; i++) {
		sw_port_sum(s, i, &c);
		fprintf(f, "switch: %s rx %" PRIu64 " tx %" PRIu64 " tx_drop %" PRIu64 " flood %"
			PRIu64 " filtered %" PRIu64 " no_dest %" PRIu64 " runt %" PRIu64 "\n",
			s->ports[i].name, c.rx, c.tx, c.tx_drop, c.flood, c.filtered, c.no_dest,
			c.runt);
	}
	for (i = 0; i < s->nb_lcores; i++) {
		const struct sw_lcore *lc = s->lcores[i];
		uint64_t total = rte_rdtsc() - lc->start_tsc;

		fprintf(f, "switch: lcore %u loops %" PRIu64 " busy %.1f%% sleeps %" PRIu64
			" kick wake-ups %" PRIu64 " learned %" PRIu64 "\n", lc->lcore_id, lc->loops,
			total > 0 ? 100.0 * (double)lc->busy_cycles / (double)total : 0.0,
			lc->sleeps, lc->kick_wakeups, lc->learned);
	}
}
