/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench switch`: the switches under test (testpmd io, testbed-pmd) started and stopped. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "fsutil.h"
#include "log.h"
#include "ovs.h"
#include "pmdswitch.h"
#include "proc.h"
#include "results.h"
#include "runcmd.h"
#include "state.h"
#include "telemetry.h"
#include "toolparse.h"

static const char *const ovs_port[2] = {"gen0", "gen1"};

static int
journal_hugefiles(struct bench_run *r, const char *prefix)
{
	return tb_journal_add(r->u->st, json_pack("{s:s, s:s, s:s}", "kind", "hugefiles", "dir",
						  r->u->huge_dir, "prefix", prefix));
}

static int
spawned(struct bench_run *r, struct bench_sw_proc *s, int ret, char *err, size_t errlen)
{
	if (ret < 0) {
		snprintf(err, errlen, "switch %s: %s", bench_sw_name(s->kind), strerror(-ret));
		return ret;
	}
	tb_proc_start_time(s->pid, &s->start);
	return up_journal_process(r->u, bench_sw_name(s->kind), s->pid);
}

/* io forwarding between two net_vhost clients: main lcore on housekeeping, one fwd lcore. */
static int
start_testpmd(struct bench_run *r, const char *log, struct bench_sw_proc *s, char *err,
	      size_t errlen)
{
	char lcores[32], prefix[96], mem[64], vdev[2][400];
	struct tb_run_opts o = {.log_path = log, .stdin_pipe = &s->in_fd};
	int i, ret;

	snprintf(lcores, sizeof(lcores), "0@%d,1@%d", r->gen_cpu, r->sw_cpu);
	snprintf(prefix, sizeof(prefix), "--file-prefix=%s", s->prefix);
	vsc_ovs_socket_mem(r->u->conf.numa, r->n_nodes, BENCH_SW_MEM_MB, mem, sizeof(mem));
	for (i = 0; i < 2; i++)
		snprintf(vdev[i], sizeof(vdev[i]), "net_vhost%d,iface=%s,client=1,queues=1", i,
			 r->sock[i]);
	const char *argv[] = {"stdbuf", "-oL", "dpdk-testpmd", "--lcores", lcores, prefix,
			      "--huge-dir", r->u->huge_dir, "--socket-mem", mem, "--socket-limit",
			      mem, "--no-pci", "--vdev", vdev[0], "--vdev", vdev[1], "--",
			      "--forward-mode=io", "--nb-cores=1", "--rxq=1", "--txq=1",
			      "--total-num-mbufs=16384", "--stats-period=0", NULL};

	ret = journal_hugefiles(r, s->prefix);
	if (ret == 0)
		ret = tb_spawn(argv, &o, &s->pid);
	return spawned(r, s, ret, err, errlen);
}

/* As `up --switch testbed-pmd` starts it (vswitch-config/pmdswitch.c), on the switch core. */
static int
start_ours(struct bench_run *r, const char *log, struct bench_sw_proc *s, char *err,
	   size_t errlen)
{
	struct vsc_pmd_conf pc = {
		.pmd_path = r->pmd,
		.file_prefix = s->prefix,
		.huge_dir = r->u->huge_dir,
		.log_path = log,
		.ready_file = r->ready,
		.idle = s->kind == BENCH_BUSY ? "busy" : "adaptive",
		.cpus = &r->sw_cpu,
		.n_cpus = 1,
		.node = r->u->conf.numa,
		.n_nodes = r->n_nodes,
		.socket_mem_mb = BENCH_SW_MEM_MB,
		.tso = true,
		.n_ports = 2,
		.sock = {r->sock[0], r->sock[1]},
	};

	/* --in-memory: it leaves no hugepage files behind */
	return spawned(r, s, vsc_pmd_start(&pc, &s->pid, err, errlen), err, errlen);
}

/* As `up` builds it (ovs.h); OVS runs DPDK --in-memory, so it leaves no hugepage files. */
static int
start_ovs(struct bench_run *r, struct bench_sw_proc *s, char *err, size_t errlen)
{
	struct vsc_ovs_conf oc = VSC_OVS_CONF_DEFAULT;
	char pmd_mask[64], lcore_mask[64];
	struct up_ctx *u = r->u;
	pid_t pid;
	int i, ret;

	tb_rm_tree(r->ovs_dir);
	ret = tb_mkdir_p(r->ovs_dir, 0700);
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", r->ovs_dir, strerror(-ret));
		return ret;
	}
	cp_mask_str(&r->sw_cpu, 1, pmd_mask, sizeof(pmd_mask));
	cp_mask_str(&r->gen_cpu, 1, lcore_mask, sizeof(lcore_mask));
	oc.dir = r->ovs_dir;
	oc.bridge = r->bridge;
	oc.netns = u->host_ns;
	oc.node = u->conf.numa;
	oc.n_nodes = r->n_nodes;
	oc.socket_mem_mb = BENCH_OVS_MEM_MB;
	oc.huge_dir = u->huge_dir;
	oc.pmd_mask = pmd_mask;
	oc.lcore_mask = lcore_mask;
	oc.pmd_maxsleep_us = 0;
	oc.no_pci = !vsc_dpdk_nic_bound();
	ret = vsc_ovs_db_start(&oc, &pid, err, errlen);
	if (ret == 0)
		ret = up_journal_process(u, "ovsdb-server", pid);
	if (ret == 0)
		ret = vsc_ovs_configure(&oc, err, errlen);
	if (ret == 0)
		ret = vsc_ovs_vswitchd_start(&oc, &s->pid, err, errlen);
	if (ret == 0) {
		tb_proc_start_time(s->pid, &s->start);
		ret = up_journal_process(u, "ovs-vswitchd", s->pid);
	}
	if (ret == 0)
		ret = vsc_ovs_add_bridge(&oc, err, errlen);
	for (i = 0; i < 2 && ret == 0; i++)
		ret = vsc_ovs_add_vhost_port(&oc, ovs_port[i], r->sock[i], err, errlen);
	return ret;
}

int
bench_sw_start(struct bench_run *r, enum bench_sw kind, const char *log,
	       struct bench_sw_proc *s, char *err, size_t errlen)
{
	static const char *const role[BENCH_N_SW] = {"testpmd", "ovs", "switch", "switch"};

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->in_fd = -1;
	tb_file_prefix(s->prefix, sizeof(s->prefix), r->u->conf.instance, role[kind]);
	tb_telemetry_path(s->tel, sizeof(s->tel), s->prefix);
	switch (kind) {
	case BENCH_TESTPMD:
		return start_testpmd(r, log, s, err, errlen);
	case BENCH_OVS:
		return start_ovs(r, s, err, errlen);
	default:
		return start_ours(r, log, s, err, errlen);
	}
}

int
bench_ovs_maxsleep(struct bench_run *r, int us)
{
	char arg[64];

	snprintf(arg, sizeof(arg), "other_config:pmd-maxsleep=%d", us);
	return vsc_ovs_vsctl(r->ovs_dir, NULL, (const char *[]){"set", "Open_vSwitch", ".", arg,
								 NULL}) == 0
		       ? 0
		       : -EIO;
}

static void
keep(const struct bench_run *r, enum bench_sw kind, int round, const char *what,
     const char *text)
{
	char rel[128];

	bench_raw_rel(r, kind, round, what, rel, sizeof(rel));
	res_write_text(r->dir, rel, text);
}

/* Replies of several telemetry commands as one JSON object, command -> value. */
static void
dump_telemetry(const struct bench_run *r, const struct bench_sw_proc *s, int round,
	       const char *const cmds[])
{
	json_t *all = json_object();
	char err[256], *text;
	int i;

	for (i = 0; cmds[i] != NULL; i++) {
		json_t *reply;

		if (tb_telemetry_query(s->tel, cmds[i], &reply, err, sizeof(err)) == 0) {
			json_object_set(all, cmds[i], tb_telemetry_value(reply, cmds[i]));
			json_decref(reply);
		} else {
			json_object_set_new(all, cmds[i], json_pack("{s:s}", "error", err));
		}
	}
	text = json_dumps(all, JSON_INDENT(2));
	if (text != NULL)
		keep(r, s->kind, round, "switch-stats.json", text);
	free(text);
	json_decref(all);
}

void
bench_sw_dump(struct bench_run *r, const struct bench_sw_proc *s, int round)
{
	static const char *const ethdev[] = {"/ethdev/stats,0", "/ethdev/stats,1", NULL};
	static const char *const ours[] = {"/testbed/switch/stats", "/ethdev/stats,0",
					   "/ethdev/stats,1", NULL};
	char *out = NULL;

	if (s->kind == BENCH_TESTPMD) {
		dump_telemetry(r, s, round, ethdev);
	} else if (s->kind == BENCH_OVS) {
		if (vsc_ovs_appctl(r->ovs_dir, &out, (const char *[]){"dpif-netdev/pmd-stats-show",
								      NULL}) == 0)
			keep(r, s->kind, round, "switch-stats.txt", out);
		free(out);
	} else {
		dump_telemetry(r, s, round, ours);
	}
}

int
bench_sw_busy_cycles(struct bench_run *r, const struct bench_sw_proc *s, double *cycles)
{
	json_t *reply = NULL, *v, *lc;
	char *out = NULL, err[256];
	const char *key;
	int ret;

	*cycles = 0;
	if (s->kind == BENCH_TESTPMD)
		return -ENOTSUP;
	if (s->kind == BENCH_OVS) {
		ret = vsc_ovs_appctl(r->ovs_dir, &out, (const char *[]){"dpif-netdev/pmd-stats-show",
									NULL});
		if (ret == 0)
			ret = tp_ovs_processing_cycles(out, cycles);
		free(out);
		return ret != 0 ? -EIO : 0;
	}
	ret = tb_telemetry_query(s->tel, "/testbed/switch/stats", &reply, err, sizeof(err));
	if (ret < 0)
		return ret;
	v = tb_telemetry_value(reply, "/testbed/switch/stats");
	json_object_foreach(v, key, lc) {
		if (strncmp(key, "lcore", 5) == 0)
			*cycles += json_number_value(json_object_get(lc, "busy_cycles"));
	}
	json_decref(reply);
	return 0;
}

void
bench_sw_after(struct bench_run *r, const struct bench_sw_proc *s, int round)
{
	static const char *const logs[] = {"ovs-vswitchd.log", "ovsdb-server.log", NULL};
	char path[400], *text;
	int i;

	if (s->kind != BENCH_OVS)
		return;
	for (i = 0; logs[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s", r->ovs_dir, logs[i]);
		if (tb_read_file(path, &text, NULL) == 0) {
			keep(r, s->kind, round, logs[i], text);
			free(text);
		}
	}
	tb_rm_tree(r->ovs_dir);
}
