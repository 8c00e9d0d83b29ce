/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "fsutil.h"
#include "log.h"
#include "netns-guest.h"
#include "ovs.h"
#include "pmdswitch.h"
#include "proc.h"
#include "shim.h"
#include "state.h"
#include "up.h"

/*
 * The shim wakes on tap fds and virtio-user rx interrupts; its timed sleep is only
 * a safety net, long enough to cost little CPU when idle (~3.5% at 1 ms, ~12% at 250 us).
 */
#define SHIM_MAX_SLEEP_US 1000

struct vu_names {
	char ovs_dir[300], bridge[32], ready[300], log[300], prefix[64], pmd[512];
	char sw_ready[300], sw_log[300], sw_prefix[64];
	char guest[UP_MAX_GUESTS][16], ns[UP_MAX_GUESTS][64], sock[UP_MAX_GUESTS][300];
	char tap[UP_MAX_GUESTS][TB_IFNAME_MAX + 1];
};

/* Entry i is guest first + i; shim k > 0 is named shim<k>. */
static int
names(const struct up_ctx *u, struct vu_names *n)
{
	const char *inst = u->conf.instance;
	char shim[16], file[32];
	int i, ret = 0;

	if (u->shim_idx == 0)
		snprintf(shim, sizeof(shim), "shim");
	else
		snprintf(shim, sizeof(shim), "shim%d", u->shim_idx);
	ret |= tb_run_path(n->ovs_dir, sizeof(n->ovs_dir), inst, "ovs");
	ret |= tb_link_name(n->bridge, sizeof(n->bridge), inst, "ovs");
	snprintf(file, sizeof(file), "%s.ready", shim);
	ret |= tb_run_path(n->ready, sizeof(n->ready), inst, file);
	snprintf(file, sizeof(file), "%s.log", shim);
	ret |= tb_run_path(n->log, sizeof(n->log), inst, file);
	ret |= tb_file_prefix(n->prefix, sizeof(n->prefix), inst, shim);
	ret |= tb_run_path(n->sw_ready, sizeof(n->sw_ready), inst, "switch.ready");
	ret |= tb_run_path(n->sw_log, sizeof(n->sw_log), inst, "switch.log");
	ret |= tb_file_prefix(n->sw_prefix, sizeof(n->sw_prefix), inst, "switch");
	for (i = 0; i < u->count; i++) {
		char sock[32], tap[16];

		snprintf(n->guest[i], sizeof(n->guest[i]), "%s%d", tb_backend_tag(TB_BE_VHOST_USER),
			 u->first + i);
		snprintf(sock, sizeof(sock), "%s.sock", n->guest[i]);
		snprintf(tap, sizeof(tap), "t%d", u->first + i);
		ret |= tb_ns_name(n->ns[i], sizeof(n->ns[i]), inst, n->guest[i]);
		ret |= tb_run_path(n->sock[i], sizeof(n->sock[i]), inst, sock);
		ret |= tb_link_name(n->tap[i], sizeof(n->tap[i]), inst, tap);
	}
	return ret ? -ENAMETOOLONG : up_pmd_path(n->pmd, sizeof(n->pmd));
}

static int
start_ovs(struct up_ctx *u, const struct vu_names *n, struct vsc_ovs_conf *oc, char *pmd_mask,
	  char *lcore_mask)
{
	pid_t pid;
	int ret;

	cp_mask_str(u->plan.pmd, u->plan.n_pmd, pmd_mask, 64);
	cp_mask_str(&u->plan.housekeeping, 1, lcore_mask, 64);
	oc->dir = n->ovs_dir;
	oc->bridge = n->bridge;
	oc->netns = u->host_ns;
	oc->node = u->conf.numa;
	oc->n_nodes = u->topo.node[u->topo.n_nodes - 1].id + 1;
	oc->socket_mem_mb = u->conf.switch_mem_mb;
	oc->huge_dir = u->huge_dir;
	oc->pmd_mask = pmd_mask;
	oc->lcore_mask = lcore_mask;
	oc->pmd_maxsleep_us = u->conf.pmd_maxsleep_us >= 0 ? u->conf.pmd_maxsleep_us
			      : u->plan.oversubscribed ? PMD_MAXSLEEP_SHARED_US : 0;
	oc->no_pci = !vsc_dpdk_nic_bound();
	ret = tb_mkdir_p(n->ovs_dir, 0700);
	if (ret < 0) {
		snprintf(u->err, sizeof(u->err), "%s: %s", n->ovs_dir, strerror(-ret));
		return ret;
	}
	ret = vsc_ovs_db_start(oc, &pid, u->err, sizeof(u->err));
	if (ret == 0)
		ret = up_journal_process(u, "ovsdb-server", pid);
	if (ret == 0)
		ret = vsc_ovs_configure(oc, u->err, sizeof(u->err));
	if (ret == 0)
		ret = vsc_ovs_vswitchd_start(oc, &pid, u->err, sizeof(u->err));
	if (ret == 0)
		ret = up_journal_process(u, "ovs-vswitchd", pid);
	if (ret == 0)
		ret = vsc_ovs_add_bridge(oc, u->err, sizeof(u->err));
	if (ret == 0)
		tb_info("switch: OVS-DPDK bridge %s, PMD cores %s, lcore %s, pmd-maxsleep %d us%s",
			n->bridge, pmd_mask, lcore_mask, oc->pmd_maxsleep_us,
			oc->no_pci ? ", no NIC (--no-pci)" : "");
	return ret;
}

static bool
use_pmd_switch(const struct up_ctx *u)
{
	return strcmp(u->conf.vswitch, UP_SWITCH_PMD) == 0;
}

static const char *
pmd_switch_idle(const struct up_ctx *u)
{
	if (u->conf.switch_idle != NULL)
		return u->conf.switch_idle;
	return u->plan.oversubscribed ? "adaptive" : "busy";
}

/*
 * The switch's journal entry is updated in place on a restart: down stops the one that
 * runs, and simulate's shrink (which undoes what came after its mark) leaves it running.
 */
static int
journal_switch(struct up_ctx *u, const char *role, pid_t pid)
{
	unsigned long long start = 0;
	json_t *o;
	size_t i;

	json_array_foreach(json_object_get(u->st, "objects"), i, o) {
		if (strcmp(json_string_value(json_object_get(o, "kind")) ?: "", "process") == 0 &&
		    strcmp(json_string_value(json_object_get(o, "role")) ?: "", role) == 0) {
			tb_proc_start_time(pid, &start);
			json_object_set_new(o, "pid", json_integer(pid));
			json_object_set_new(o, "start", json_integer((json_int_t)start));
			return tb_state_save(u->st);
		}
	}
	return up_journal_process(u, role, pid);
}

/*
 * (Re)starts testbed-pmd's switch with every vhost-user port of the instance: those it
 * had (state's switch.ports) and the n->sock being added. Its ports are vhost-user
 * clients, so guests already up reconnect to the new process by themselves.
 */
static int
pmd_switch_restart(struct up_ctx *u, const struct vu_names *n)
{
	json_t *sw = json_object_get(u->st, "switch"), *p;
	struct vsc_pmd_conf pc = {0};
	unsigned long long start;
	pid_t pid;
	size_t i;
	int k, ret;

	pc.pmd_path = n->pmd;
	pc.file_prefix = n->sw_prefix;
	pc.huge_dir = u->huge_dir;
	pc.log_path = n->sw_log;
	pc.ready_file = n->sw_ready;
	pc.idle = pmd_switch_idle(u);
	pc.cpus = u->plan.pmd;
	pc.n_cpus = u->plan.n_pmd;
	pc.node = u->conf.numa;
	pc.n_nodes = u->topo.node[u->topo.n_nodes - 1].id + 1;
	pc.tso = true;
	json_array_foreach(json_object_get(sw, "ports"), i, p) {
		if (pc.n_ports < VSC_PMD_MAX_PORTS)
			pc.sock[pc.n_ports++] = json_string_value(json_object_get(p, "socket"));
	}
	for (k = 0; k < u->count && pc.n_ports < VSC_PMD_MAX_PORTS; k++)
		pc.sock[pc.n_ports++] = n->sock[k];
	if ((int)json_array_size(json_object_get(sw, "ports")) + u->count > VSC_PMD_MAX_PORTS) {
		snprintf(u->err, sizeof(u->err), "testbed-pmd switch: at most %d ports (DPDK's "
			 "RTE_MAX_ETHPORTS)", VSC_PMD_MAX_PORTS);
		return -E2BIG;
	}
	pc.socket_mem_mb = u->conf.switch_mem_mb;
	if (json_integer_value(json_object_get(sw, "pid")) > 0) {
		pid = (pid_t)json_integer_value(json_object_get(sw, "pid"));
		start = (unsigned long long)json_integer_value(json_object_get(sw, "start"));
		tb_proc_stop(pid, start, 5000);
	}
	unlink(n->sw_ready);
	ret = vsc_pmd_start(&pc, &pid, u->err, sizeof(u->err));
	if (ret == 0)
		ret = journal_switch(u, "switch", pid);
	if (ret == 0)
		ret = vsc_pmd_wait_ready(&pc, pid, 30000, u->err, sizeof(u->err));
	if (ret < 0)
		return ret;
	start = 0;
	tb_proc_start_time(pid, &start);
	if (!json_is_object(sw)) {
		sw = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:[]}", "kind", UP_SWITCH_PMD,
			       "file_prefix", n->sw_prefix, "log", n->sw_log, "idle", pc.idle, "node",
			       pc.node, "socket_mem_mb", (json_int_t)pc.socket_mem_mb, "ports");
		json_object_set_new(sw, "cpus", json_array());
		for (k = 0; k < pc.n_cpus; k++)
			json_array_append_new(json_object_get(sw, "cpus"), json_integer(pc.cpus[k]));
		json_object_set_new(u->st, "switch", sw);
	}
	json_object_set_new(sw, "pid", json_integer(pid));
	json_object_set_new(sw, "start", json_integer((json_int_t)start));
	tb_info("switch: testbed-pmd (pid %d), %d vhost-user ports, %d lcore%s from cpu %d, idle %s",
		(int)pid, pc.n_ports, pc.n_cpus, pc.n_cpus > 1 ? "s" : "", pc.cpus[0], pc.idle);
	return tb_state_save(u->st);
}

static int
start_shim(struct up_ctx *u, const struct vu_names *n, struct vm_shim_conf *sc, pid_t *pid)
{
	int i, ret;

	sc->pmd_path = n->pmd;
	sc->file_prefix = n->prefix;
	sc->huge_dir = u->huge_dir;
	sc->log_path = n->log;
	sc->ready_file = n->ready;
	sc->idle = u->conf.shim_idle;
	sc->max_sleep_us = SHIM_MAX_SLEEP_US;
	sc->cpu = u->plan.shim;
	sc->node = u->conf.numa;
	sc->n_nodes = u->topo.node[u->topo.n_nodes - 1].id + 1;
	sc->socket_mem_mb = vm_shim_mem_mb(u->count);
	sc->n_ports = u->count;
	for (i = 0; i < u->count; i++) {
		sc->sock[i] = n->sock[i];
		sc->tap[i] = n->tap[i];
	}
	/* DPDK leaves its hugepage files when it exits: they go with the shim, not at umount */
	ret = tb_journal_add(u->st, json_pack("{s:s, s:s, s:s}", "kind", "hugefiles", "dir",
					      u->huge_dir, "prefix", n->prefix));
	if (ret == 0)
		ret = vm_shim_start(sc, pid, u->err, sizeof(u->err));
	if (ret == 0)
		ret = up_journal_process(u, n->prefix + strlen("tb-") + strlen(u->conf.instance) + 1,
					 *pid);
	if (ret == 0)
		ret = vm_shim_wait_taps(sc, *pid, 30000, u->err, sizeof(u->err));
	return ret;
}

static int
make_guests(struct up_ctx *u, const struct vu_names *n)
{
	char addr[32], cidr[40];
	int i, ret = 0;

	for (i = 0; i < u->count && ret == 0; i++) {
		tb_addr_guest(TB_BE_VHOST_USER, u->first + i, addr, sizeof(addr));
		snprintf(cidr, sizeof(cidr), "%s/%d", addr, TB_ADDR_PREFIX_LEN);
		ret = up_journal_netns(u, n->ns[i]);
		if (ret == 0)
			ret = vm_netns_create(n->ns[i], u->err, sizeof(u->err));
		if (ret == 0)
			ret = vm_netns_adopt(n->ns[i], n->tap[i], u->err, sizeof(u->err));
		if (ret == 0)
			ret = vm_netns_nic_up(n->ns[i], cidr, u->err, sizeof(u->err));
		if (ret == 0)
			ret = up_add_guest(u, n->guest[i], TB_BE_VHOST_USER, u->first + i, n->ns[i],
					   NULL, addr, up_next_guest_cpu(u));
	}
	return ret;
}

static int
add_ports(struct up_ctx *u, const struct vu_names *n, const struct vsc_ovs_conf *oc)
{
	int i, ret = 0;

	for (i = 0; i < u->count && ret == 0; i++) {
		ret = tb_journal_add(u->st, json_pack("{s:s, s:s, s:s}", "kind", "ovs-port", "name",
						      n->guest[i], "dir", n->ovs_dir));
		if (ret == 0)
			ret = vsc_ovs_add_vhost_port(oc, n->guest[i], n->sock[i], u->err,
						     sizeof(u->err));
	}
	return ret;
}

static int
record_switch(struct up_ctx *u, const struct vu_names *n, const struct vsc_ovs_conf *oc,
	      const struct vm_shim_conf *sc)
{
	json_t *ports = json_array();
	int i;

	for (i = 0; i < u->count; i++)
		json_array_append_new(ports, json_pack("{s:s, s:s}", "name", n->guest[i], "socket",
						       n->sock[i]));
	json_t *sw = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:b, s:o}", "kind", "ovs-dpdk",
			       "dir", n->ovs_dir, "bridge", n->bridge, "pmd_cpu_mask", oc->pmd_mask,
			       "lcore_mask", oc->lcore_mask, "pmd_maxsleep_us", oc->pmd_maxsleep_us,
			       "socket_mem_mb", (json_int_t)oc->socket_mem_mb, "no_pci", oc->no_pci,
			       "ports", ports);

	if (sw != NULL && sc->log_path != NULL) /* netns guests: their shim */
		json_object_set_new(sw, "shim", json_pack("{s:s, s:s, s:i}", "log", sc->log_path,
							  "idle", sc->idle, "cpu", sc->cpu));
	return tb_state_set(u->st, "switch", sw);
}

static int
record_pmd_ports(struct up_ctx *u, const struct vu_names *n, const struct vm_shim_conf *sc)
{
	json_t *sw = json_object_get(u->st, "switch");
	json_t *ports = json_object_get(sw, "ports");
	int i;

	for (i = 0; i < u->count; i++)
		json_array_append_new(ports, json_pack("{s:s, s:s}", "name", n->guest[i], "socket",
						       n->sock[i]));
	if (sc != NULL && sc->log_path != NULL)
		json_object_set_new(sw, "shim", json_pack("{s:s, s:s, s:i}", "log", sc->log_path,
							  "idle", sc->idle, "cpu", sc->cpu));
	return tb_state_save(u->st);
}

/* QEMU guests serve their vhost-user sockets themselves: start them, wire the switch. */
static int
vm_guests(struct up_ctx *u, const struct vu_names *n, const struct vsc_ovs_conf *oc)
{
	struct up_vm *vm;
	int i, ret = 0;

	for (i = 0; i < u->count && ret == 0; i++) {
		vm = up_vm_new(u);
		if (vm == NULL)
			return -E2BIG;
		snprintf(vm->name, sizeof(vm->name), "%s", n->guest[i]);
		vm->be = TB_BE_VHOST_USER;
		vm->idx = u->first + i;
		tb_addr_guest(TB_BE_VHOST_USER, vm->idx, vm->addr, sizeof(vm->addr));
		snprintf(vm->cidr, sizeof(vm->cidr), "%s/%d", vm->addr, TB_ADDR_PREFIX_LEN);
		snprintf(vm->sock, sizeof(vm->sock), "%s", n->sock[i]);
		ret = up_vm_start(u, vm);
	}
	/* the switch connects to the sockets QEMU serves while the guests boot */
	if (ret == 0)
		ret = use_pmd_switch(u) ? pmd_switch_restart(u, n) : add_ports(u, n, oc);
	if (ret == 0)
		tb_info("vhost-user: VMs %d-%d booting, on %s", u->first, u->first + u->count - 1,
			use_pmd_switch(u) ? "testbed-pmd" : n->bridge);
	return ret;
}

/* A shim and its guests, wired to OVS: the shim makes the taps, then blocks serving
 * each socket until OVS connects, so guests are wired before the ports are added. */
static int
guests(struct up_ctx *u, const struct vu_names *n, const struct vsc_ovs_conf *oc,
       struct vm_shim_conf *sc)
{
	pid_t shim_pid;
	int ret;

	if (u->vms)
		return vm_guests(u, n, oc);

	ret = start_shim(u, n, sc, &shim_pid);
	if (ret == 0)
		ret = make_guests(u, n);
	if (ret == 0)
		ret = use_pmd_switch(u) ? pmd_switch_restart(u, n) : add_ports(u, n, oc);
	if (ret == 0)
		ret = vm_shim_wait_ready(sc, shim_pid, 60000 + 2000 * u->count, u->err,
					 sizeof(u->err));
	if (ret == 0)
		tb_info("vhost-user: guests %d-%d on %s through %s (pid %d, cpu %d, idle %s)",
			u->first, u->first + u->count - 1, use_pmd_switch(u) ? "testbed-pmd" : n->bridge,
			n->prefix, (int)shim_pid, sc->cpu, sc->idle);
	return ret;
}

int
up_vhost_user(struct up_ctx *u)
{
	struct vsc_ovs_conf oc = VSC_OVS_CONF_DEFAULT;
	struct vm_shim_conf sc = {0};
	static struct vu_names n;
	char pmd_mask[64], lcore_mask[64];
	int ret;

	ret = names(u, &n);
	if (ret < 0) {
		tb_err("vhost-user: names for instance %s do not fit", u->conf.instance);
		return ret;
	}
	if (use_pmd_switch(u)) {
		ret = tb_journal_add(u->st, json_pack("{s:s, s:s, s:s}", "kind", "hugefiles", "dir",
						      u->huge_dir, "prefix", n.sw_prefix));
		if (ret == 0)
			ret = guests(u, &n, &oc, &sc);
		if (ret == 0)
			ret = record_pmd_ports(u, &n, &sc);
	} else {
		ret = start_ovs(u, &n, &oc, pmd_mask, lcore_mask);
		if (ret == 0)
			ret = guests(u, &n, &oc, &sc);
		if (ret == 0)
			ret = record_switch(u, &n, &oc, &sc);
	}
	if (ret < 0)
		tb_err("vhost-user: %s", u->err[0] ? u->err : strerror(-ret));
	return ret;
}

int
up_vhost_guests(struct up_ctx *u)
{
	json_t *sw = json_object_get(u->st, "switch");
	struct vsc_ovs_conf oc = VSC_OVS_CONF_DEFAULT;
	struct vm_shim_conf sc = {0};
	static struct vu_names n;
	int ret;

	ret = names(u, &n);
	if (ret < 0) {
		tb_err("vhost-user: names for instance %s do not fit", u->conf.instance);
		return ret;
	}
	oc.dir = n.ovs_dir;
	oc.bridge = n.bridge;
	oc.netns = u->host_ns;
	ret = guests(u, &n, &oc, &sc);
	if (ret < 0) {
		tb_err("vhost-user: %s", u->err[0] ? u->err : strerror(-ret));
		return ret;
	}
	if (use_pmd_switch(u))
		return record_pmd_ports(u, &n, NULL);
	json_t *ports = json_object_get(sw, "ports");
	int i;

	for (i = 0; i < u->count; i++)
		json_array_append_new(ports, json_pack("{s:s, s:s}", "name", n.guest[i], "socket",
						       n.sock[i]));
	return tb_state_save(u->st);
}

/* ovs-vswitchd only: its ports and settings live on in its private ovsdb. */
static int
ovs_restart(struct up_ctx *u, const struct vu_names *n)
{
	struct vsc_ovs_conf oc = VSC_OVS_CONF_DEFAULT;
	json_t *o;
	pid_t pid;
	size_t i;
	int ret;

	json_array_foreach(json_object_get(u->st, "objects"), i, o) {
		if (strcmp(json_string_value(json_object_get(o, "role")) ?: "", "ovs-vswitchd") == 0)
			tb_proc_stop((pid_t)json_integer_value(json_object_get(o, "pid")),
				     (unsigned long long)json_integer_value(json_object_get(o, "start")),
				     10000);
	}
	oc.dir = n->ovs_dir;
	oc.bridge = n->bridge;
	oc.netns = u->host_ns;
	ret = vsc_ovs_vswitchd_start(&oc, &pid, u->err, sizeof(u->err));
	if (ret == 0)
		ret = journal_switch(u, "ovs-vswitchd", pid);
	if (ret == 0)
		tb_info("switch: ovs-vswitchd restarted (pid %d)", (int)pid);
	return ret;
}

int
up_switch_restart(struct up_ctx *u)
{
	static struct vu_names n;
	int ret;

	u->first = u->count = 0;
	ret = names(u, &n);
	if (ret == 0)
		ret = use_pmd_switch(u) ? pmd_switch_restart(u, &n) : ovs_restart(u, &n);
	if (ret < 0)
		tb_err("restart: %s", u->err[0] ? u->err : strerror(-ret));
	return ret;
}
