/*
 * Switch counters, summed over the lcores: printed on exit and exported through DPDK
 * telemetry: /testbed/switch/stats (per port and per lcore), /testbed/switch/macs (the
 * learned addresses). DPDK's own /ethdev/stats,<port_id> work too.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>

#include <rte_cycles.h>
#include <rte_eth_vhost.h>
#include <rte_telemetry.h>
#include <rte_vhost.h>

#include "ring-spec.h"
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
		sum->gso_in += sw_read(&c->gso_in);
		sum->gso_out += sw_read(&c->gso_out);
		sum->gso_fail += sw_read(&c->gso_fail);
		sum->gso_ipv6_drop += sw_read(&c->gso_ipv6_drop);
		sum->cksum_sw += sw_read(&c->cksum_sw);
	}
}

/*
 * What a connected guest and vhost negotiated: the feature bits and, read from them, the
 * ring's layout, in-order and mergeable buffers, with the size of its first vring.
 */
static void
sw_stats_ring(const struct sw_port *p, struct rte_tel_data *d)
{
	struct pmd_ring r;
	struct rte_vhost_vring vr;
	char spec[PMD_RING_SPEC_MAX];
	uint64_t features;
	int vid;

	if (!p->probed || !sw_port_attached(p))
		return;
	vid = rte_eth_vhost_get_vid_from_port_id(p->port_id);
	if (vid < 0 || rte_vhost_get_negotiated_features(vid, &features) != 0)
		return;
	pmd_ring_from_features(features, &r);
	if (rte_vhost_get_vhost_vring(vid, 0, &vr) == 0)
		r.queue_size = vr.size;
	rte_tel_data_add_dict_u64(d, "features", features);
	if (pmd_ring_format(&r, spec, sizeof(spec)) > 0)
		rte_tel_data_add_dict_string(d, "ring", spec);
}

static int
sw_stats_port(const struct sw *s, unsigned int i, struct rte_tel_data *d)
{
	const struct sw_port *p = &s->ports[i];
	struct sw_port_counters c;

	sw_port_sum(s, i, &c);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "port_id", p->probed ? p->port_id : -1);
	rte_tel_data_add_dict_string(d, "kind", p->is_nic ? "nic" : "vhost");
	/* A NIC's "socket" is its device arguments: what it is attached to. */
	rte_tel_data_add_dict_string(d, "socket", p->is_nic ? p->conf->nic : p->conf->sock_path);
	rte_tel_data_add_dict_string(d, "mode", p->is_nic ? "nic" :
				     p->conf->server ? "server" : "client");
	rte_tel_data_add_dict_int(d, "attached", sw_port_attached(p));
	rte_tel_data_add_dict_int(d, "lcore", (int)s->lcores[p->lcore_idx]->lcore_id);
	rte_tel_data_add_dict_u64(d, "rx", c.rx);
	rte_tel_data_add_dict_u64(d, "tx", c.tx);
	rte_tel_data_add_dict_u64(d, "tx_drop", c.tx_drop);
	rte_tel_data_add_dict_u64(d, "flood", c.flood);
	rte_tel_data_add_dict_u64(d, "filtered", c.filtered);
	rte_tel_data_add_dict_u64(d, "no_dest", c.no_dest);
	rte_tel_data_add_dict_u64(d, "runt", c.runt);
	rte_tel_data_add_dict_int(d, "rx_intr", p->intr_fd >= 0);
	if (!p->is_nic) {
		sw_stats_ring(p, d);
		return 0;
	}
	rte_tel_data_add_dict_string(d, "devargs", p->conf->nic);
	rte_tel_data_add_dict_string(d, "driver", p->nic.driver);
	rte_tel_data_add_dict_int(d, "mtu", p->nic.mtu);
	rte_tel_data_add_dict_u64(d, "tx_offloads", p->nic.tx_offloads);
	rte_tel_data_add_dict_u64(d, "gso_in", c.gso_in);
	rte_tel_data_add_dict_u64(d, "gso_out", c.gso_out);
	rte_tel_data_add_dict_u64(d, "gso_fail", c.gso_fail);
	rte_tel_data_add_dict_u64(d, "gso_ipv6_drop", c.gso_ipv6_drop);
	rte_tel_data_add_dict_u64(d, "cksum_sw", c.cksum_sw);
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
	rte_tel_data_add_dict_u64(d, "timeouts", sw_read(&lc->timeouts));
	rte_tel_data_add_dict_u64(d, "sleep_us", (uint64_t)lc->sleep.tv_sec * 1000000 +
				  (uint64_t)lc->sleep.tv_nsec / 1000);
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

/* Telemetry names take [A-Za-z0-9_/] only: a PCI address 0000:03:00.0 is 0000_03_00_0. */
static void
sw_stats_key(const char *name, char *key, size_t len)
{
	char *c;

	snprintf(key, len, "%s", name);
	for (c = key; *c != '\0'; c++) {
		if (!isalnum((unsigned char)*c) && *c != '_' && *c != '/')
			*c = '_';
	}
}

static int
sw_stats_cmd_stats(const char *cmd __rte_unused, const char *params __rte_unused,
		   struct rte_tel_data *d)
{
	const struct sw *s = sw_stats_state;
	char key[RTE_DEV_NAME_MAX_LEN];
	unsigned int i;
	int ret = 0;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "idle", sw_idle_name(s->conf->idle));
	rte_tel_data_add_dict_int(d, "poll_us", (int)s->conf->poll_us);
	rte_tel_data_add_dict_int(d, "max_sleep_ms", (int)s->conf->max_sleep_ms);
	rte_tel_data_add_dict_int(d, "nic_poll_us", (int)s->conf->nic_poll_us);
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
	for (i = 0; i < s->nb_ports && ret == 0; i++) {
		sw_stats_key(s->ports[i].name, key, sizeof(key));
		ret = sw_stats_add(d, key, sw_stats_port, i);
	}
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
		if (s->ports[i].is_nic)
			fprintf(f, "switch: %s gso_in %" PRIu64 " gso_out %" PRIu64 " gso_fail %"
				PRIu64 " gso_ipv6_drop %" PRIu64 " cksum_sw %" PRIu64 "\n",
				s->ports[i].name, c.gso_in, c.gso_out, c.gso_fail, c.gso_ipv6_drop,
				c.cksum_sw);
	}
	for (i = 0; i < s->nb_lcores; i++) {
		const struct sw_lcore *lc = s->lcores[i];
		uint64_t total = rte_rdtsc() - lc->start_tsc;

		fprintf(f, "switch: lcore %u loops %" PRIu64 " busy %.1f%% sleeps %" PRIu64
			" kick wake-ups %" PRIu64 " timeouts %" PRIu64 " learned %" PRIu64 "\n",
			lc->lcore_id, lc->loops,
			total > 0 ? 100.0 * (double)lc->busy_cycles / (double)total : 0.0,
			lc->sleeps, lc->kick_wakeups, lc->timeouts, lc->learned);
	}
}
