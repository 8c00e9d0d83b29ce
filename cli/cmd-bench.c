/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench-all.h"
#include "bench-ebpf.h"
#include "bench-net.h"
#include "commands.h"
#include "log.h"
#include "results.h"
#include "runcmd.h"
#include "state.h"
#include "sweep-run.h"
#include "teardown.h"

/* The switch role exists in this build of pmd/ (it answers --help without EAL). */
static bool
pmd_has_switch(const char *pmd)
{
	struct tb_run_opts o = {.timeout_ms = 10000};

	return tb_run((const char *[]){pmd, "--", "switch", "--help", NULL}, &o, NULL, NULL) == 0;
}

static int
check_tools(struct bench_conf *c, struct bench_run *r)
{
	unsigned int ours = (1u << BENCH_BUSY) | (1u << BENCH_ADAPTIVE);

	if (tb_tool_path("dpdk-testpmd") == NULL || tb_tool_path("stdbuf") == NULL) {
		tb_err("dpdk-testpmd not found (the generator; package dpdk-dev): run "
		       "scripts/install-deps.sh");
		return -ENOENT;
	}
	if ((c->switches & (1u << BENCH_OVS)) &&
	    (tb_tool_path("ovs-vswitchd-dpdk") == NULL || tb_tool_path("ovsdb-server") == NULL)) {
		tb_err("OVS-DPDK not found (package openvswitch-switch-dpdk): run "
		       "scripts/install-deps.sh, or leave ovs out of --switches");
		return -ENOENT;
	}
	if (tb_tool_path("ip") == NULL) {
		tb_err("ip (iproute2) not found: run scripts/install-deps.sh");
		return -ENOENT;
	}
	if (!(c->switches & ours))
		return 0;
	if (up_pmd_path(r->pmd, sizeof(r->pmd)) == 0 && pmd_has_switch(r->pmd))
		return 0;
	if (c->switches_given) {
		tb_err("%s has no switch role (busy, adaptive): rebuild, or leave busy and adaptive "
		       "out of --switches",
		       r->pmd);
		return -ENOENT;
	}
	tb_warn("%s has no switch role yet: measuring testpmd and ovs only", r->pmd);
	c->switches &= ~ours;
	return 0;
}

static int
names(struct bench_run *r)
{
	const char *inst = r->u->conf.instance;
	int ret = 0;

	ret |= tb_run_path(r->sock[0], sizeof(r->sock[0]), inst, "gen0.sock");
	ret |= tb_run_path(r->sock[1], sizeof(r->sock[1]), inst, "gen1.sock");
	ret |= tb_run_path(r->ovs_dir, sizeof(r->ovs_dir), inst, "ovs");
	ret |= tb_run_path(r->ready, sizeof(r->ready), inst, "switch.ready");
	ret |= tb_link_name(r->bridge, sizeof(r->bridge), inst, "ovs");
	if (ret != 0)
		tb_err("bench: names for instance %s do not fit", inst);
	return ret != 0 ? -ENAMETOOLONG : 0;
}

/* Generator + housekeeping on one core, the switch's forwarding on another (hwloc). */
static int
place(struct bench_run *r)
{
	struct up_ctx *u = r->u;
	struct cp_conf cc = {.n_pmd = 1};
	int ret = cp_plan_make(&u->topo, u->conf.numa, &cc, &u->plan);

	if (ret < 0) {
		tb_err("cannot plan cores on node %d: %s", u->conf.numa, strerror(-ret));
		return ret;
	}
	r->gen_cpu = u->plan.housekeeping;
	r->sw_cpu = u->plan.pmd[0];
	r->n_nodes = u->topo.node[u->topo.n_nodes - 1].id + 1;
	if (u->plan.oversubscribed)
		tb_warn("node %d has one core: generator and switch share it, rates will be low",
			u->conf.numa);
	return 0;
}

/* Run dir, hugepages for the generator and the largest switch, the host namespace. */
static int
build(struct bench_run *r)
{
	struct up_ctx *u = r->u;
	struct hp_demand d[2] = {
		{"generator", BENCH_GEN_MEM_MB},
		{"switch", (r->conf->switches & (1u << BENCH_OVS)) ? BENCH_OVS_MEM_MB
								   : BENCH_SW_MEM_MB},
	};
	int ret;

	ret = up_make_run_dir(u);
	if (ret == 0)
		ret = tb_state_set(u->st, "phase", json_string("bench"));
	/* what `status --instance` shows while it runs */
	if (ret == 0)
		ret = tb_state_set(u->st, "config", json_pack("{s:i, s:s}", "numa", u->conf.numa,
							      "command", "bench switch"));
	if (ret == 0)
		ret = tb_state_set(u->st, "plan",
				   json_pack("{s:i, s:i, s:[i], s:i, s:[], s:i, s:i, s:b}", "node",
					     u->plan.node, "housekeeping", r->gen_cpu, "pmd",
					     r->sw_cpu, "shim", -1, "guests", "cores_needed",
					     u->plan.cores_needed, "cores_available",
					     u->plan.cores_available, "oversubscribed",
					     u->plan.oversubscribed));
	if (ret == 0)
		ret = up_reserve_hugepages(u, d, 2);
	/* OVS's netdev datapath makes a tap (ovs-netdev): vswitchd lives in a namespace */
	if (ret == 0 && (r->conf->switches & (1u << BENCH_OVS)))
		ret = up_host_ns(u);
	return ret;
}

/*
 * The benchmark named among argv[1..]: the first word that is neither an option nor an
 * option's value (every option of the benches takes a value); NULL when there is none.
 */
static const char *
bench_which(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1 < argc ? argv[i + 1] : NULL;
		if (argv[i][0] != '-' || argv[i][1] == '\0')
			return argv[i];
		if (strchr(argv[i], '=') == NULL)
			i++; /* its value */
	}
	return NULL;
}

static int
cmd_bench_switch(int argc, char **argv);

/* `bench switch` (below), `bench net` (bench-net.c), `bench ebpf` (bench-ebpf.c), `bench crr`
 * (the in-guest client). */
int
cmd_bench(int argc, char **argv)
{
	const char *which = bench_which(argc, argv);

	if (which != NULL && strcmp(which, "net") == 0)
		return cmd_bench_net(argc, argv);
	if (which != NULL && strcmp(which, "ebpf") == 0)
		return cmd_bench_ebpf(argc, argv);
	if (which != NULL && strcmp(which, "all") == 0)
		return cmd_bench_all(argc, argv);
	if (argc > 1 && strcmp(argv[1], "crr") == 0)
		return bnet_crr_main(argc, argv);
	if (which != NULL && strcmp(which, "switch") != 0) {
		tb_err("unknown benchmark \"%s\" (valid: %s)", which, CLI_BENCHES);
		return CLI_EXIT_USAGE;
	}
	/* none named: bench switch's parser says so, as it always did */
	return cmd_bench_switch(argc, argv);
}

static int
cmd_bench_switch(int argc, char **argv)
{
	static struct bench_run r; /* large: the per-round tables */
	struct bench_conf conf = BENCH_CONF_DEFAULT;
	struct up_ctx u = {.conf = UP_CONF_DEFAULT};
	char err[1024], run_id[128];
	int ret, i;

	if (bench_parse_args(argc, argv, &conf, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	memset(&r, 0, sizeof(r));
	r.conf = &conf;
	r.u = &u;
	for (i = 0; i < BENCH_N_SW; i++)
		r.idle_pct[i] = -1;
	r.idle_ovs_sleep_pct = -1;
	r.gen_cpu_min = -1;
	snprintf(u.conf.instance, sizeof(u.conf.instance), "%s", conf.instance);
	if (conf.numa < 0) {
		if (topo_load(&u.topo) < 0 || u.topo.n_nodes == 0) {
			tb_err("cannot read the CPU topology (hwloc)");
			return CLI_EXIT_FAIL;
		}
		conf.numa = u.topo.node[0].id;
	}
	u.conf.numa = conf.numa;
	tb_run_path(u.run_dir, sizeof(u.run_dir), u.conf.instance, NULL);
	if (up_check_node(&u) < 0 || check_tools(&conf, &r) < 0 || up_check_not_up(&u) < 0 ||
	    names(&r) < 0 || place(&r) < 0)
		return CLI_EXIT_FAIL;
	res_run_id("bench-switch", run_id, sizeof(run_id));
	if (res_run_dir_create(conf.out, run_id, r.dir, sizeof(r.dir), err, sizeof(err)) < 0) {
		tb_err("--out %s: %s", conf.out, err);
		return CLI_EXIT_FAIL;
	}
	r.results = bench_results_new(&r, run_id);
	tb_info("bench switch: instance %s, node %d, generator on cpu %d, switch on cpu %d; "
		"results in %s",
		u.conf.instance, u.conf.numa, r.gen_cpu, r.sw_cpu, r.dir);
	/* Ctrl-C or SIGTERM: the point under way ends, then everything is undone */
	sw_catch_signals();
	signal(SIGPIPE, SIG_IGN); /* a generator that died must not kill us mid-write */
	ret = build(&r);
	if (ret == 0)
		bench_run_all(&r);
	tb_info("bench: removing instance %s", u.conf.instance);
	if (td_teardown(u.conf.instance, u.st) > 0)
		tb_err("instance %s: not everything could be removed: run ./testbed down --instance %s",
		       u.conf.instance, u.conf.instance);
	json_decref(u.st);
	bench_summarise(&r);
	if (bench_write(&r) < 0)
		tb_err("%s: cannot write results", r.dir);
	if (ret == 0)
		bench_print(&r);
	json_decref(r.results);
	if (sw_stop_signal())
		return 128 + sw_stop_signal();
	return ret < 0 || r.n_failed > 0 ? CLI_EXIT_FAIL : 0;
}
