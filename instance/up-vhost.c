/* SPDX-License-Identifier: BSD-3-Clause */
/* The vhost-user backend: the switch (OVS-DPDK or testbed-pmd), shims, guests. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "fsutil.h"
#include "log.h"
#include "netns-guest.h"
#include "ovs.h"
#include "pmd/ring-spec.h"
#include "pmdswitch.h"
#include "proc.h"
#include "shim-launch.h"
#include "state.h"
#include "up.h"

/*
 * The shim wakes on tap fds and virtio-user rx interrupts; its timed sleep is only
 * a safety net, long enough to cost little CPU when idle (~3.5% at 1 ms, ~12% at 250 us).
 */
#define SHIM_MAX_SLEEP_US 1000

/* What each host's switch is called; host 0's names are those of a one-host instance. */
struct vu_host {
	char ovs_dir[300], sw_ready[300], sw_log[300], sw_prefix[64], sfx[8], wire[32];
};

struct vu_names {
	char bridge[32], ready[300], log[300], prefix[64], pmd[512];
	struct vu_host host[TB_MAX_HOSTS];
	char guest[UP_MAX_GUESTS][16], ns[UP_MAX_GUESTS][64], sock[UP_MAX_GUESTS][300];
	char tap[UP_MAX_GUESTS][TB_IFNAME_MAX + 1];
};

/* Entry i is guest first + i; shim k > 0 is named shim<k>. */
static int
names(const struct up_ctx *u, struct vu_names *n)
{
	const char *inst = u->conf.instance;
	char shim[16], file[48];
	int h, i, ret = 0;

	if (u->shim_idx == 0)
		snprintf(shim, sizeof(shim), "shim");
	else
		snprintf(shim, sizeof(shim), "shim%d", u->shim_idx);
	ret |= tb_link_name(n->bridge, sizeof(n->bridge), inst, "ovs");
	snprintf(file, sizeof(file), "%s.ready", shim);
	ret |= tb_run_path(n->ready, sizeof(n->ready), inst, file);
	snprintf(file, sizeof(file), "%s.log", shim);
	ret |= tb_run_path(n->log, sizeof(n->log), inst, file);
	ret |= tb_file_prefix(n->prefix, sizeof(n->prefix), inst, shim);
	for (h = 0; h < u->n_hosts; h++) {
		struct vu_host *vh = &n->host[h];

		tb_host_suffix(h, vh->sfx, sizeof(vh->sfx));
		snprintf(file, sizeof(file), "ovs%s", vh->sfx);
		ret |= tb_run_path(vh->ovs_dir, sizeof(vh->ovs_dir), inst, file);
		snprintf(file, sizeof(file), "switch%s.ready", vh->sfx);
		ret |= tb_run_path(vh->sw_ready, sizeof(vh->sw_ready), inst, file);
		snprintf(file, sizeof(file), "switch%s.log", vh->sfx);
		ret |= tb_run_path(vh->sw_log, sizeof(vh->sw_log), inst, file);
		snprintf(file, sizeof(file), "switch%s", vh->sfx);
		ret |= tb_file_prefix(vh->sw_prefix, sizeof(vh->sw_prefix), inst, file);
		vh->wire[0] = '\0';
		if (u->n_hosts > 1)
			ret |= up_wire_name(u, 'v', h, vh->wire, sizeof(vh->wire));
	}
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

static void
role_name(const struct vu_names *n, int h, const char *base, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", base, n->host[h].sfx);
}

static bool
use_pmd_switch(const struct up_ctx *u)
{
	return strcmp(u->conf.vswitch, UP_SWITCH_PMD) == 0;
}

/* A NIC on each switch: the wire between the hosts, or the one --nic names. */
static bool
has_nic(const struct up_ctx *u)
{
	return u->n_hosts > 1 || u->conf.nic != NULL;
}

/*
 * The NIC's DPDK devargs for wire PMD `pmd` (af_xdp/af_packet on host h's wire end), or
 * --nic as given. af_packet skips the qdisc layer as OVS's own af_packet guidance does.
 */
static void
nic_devargs(const struct up_ctx *u, const struct vu_names *n, int h, const char *pmd, char *buf,
	    size_t len)
{
	if (u->conf.nic != NULL)
		snprintf(buf, len, "%s", u->conf.nic);
	else if (strcmp(pmd, UP_WIRE_AF_XDP) == 0)
		snprintf(buf, len, "net_af_xdp%d,iface=%s", h, n->host[h].wire);
	else
		snprintf(buf, len, "net_af_packet%d,iface=%s,qdisc_bypass=1", h, n->host[h].wire);
}

/* The wire PMDs to try in order: auto means af_xdp where the kernel allows it. */
static int
wire_pmds(const struct up_ctx *u, const char **pmds)
{
	if (u->conf.nic != NULL) {
		pmds[0] = "nic";
		return 1;
	}
	if (strcmp(u->conf.wire_pmd, UP_WIRE_AUTO) != 0) {
		pmds[0] = u->conf.wire_pmd;
		return 1;
	}
	pmds[0] = UP_WIRE_AF_XDP;
	pmds[1] = UP_WIRE_AF_PACKET;
	return 2;
}

static json_t *
nic_json(const char *pmd, const char *devargs, const char *fallback)
{
	json_t *o = json_pack("{s:s, s:s}", "pmd", pmd, "devargs", devargs);

	if (fallback != NULL && fallback[0] != '\0')
		json_object_set_new(o, "fallback_reason", json_string(fallback));
	return o;
}

/* OVS's dpdk port "wire" on the NIC; the first wire PMD that attaches wins. */
static json_t *
ovs_add_nic(struct up_ctx *u, const struct vu_names *n, const struct vsc_ovs_conf *oc, int h)
{
	const char *pmds[2];
	char devargs[256], why[TB_ERR_LEN] = "";
	int i, k = wire_pmds(u, pmds);

	for (i = 0; i < k; i++) {
		nic_devargs(u, n, h, pmds[i], devargs, sizeof(devargs));
		if (vsc_ovs_add_nic_port(oc, "wire", devargs, u->err, sizeof(u->err)) == 0) {
			tb_info("switch: OVS in %s drives %s through %s", oc->netns,
				u->conf.nic ?: n->host[h].wire, pmds[i]);
			return nic_json(pmds[i], devargs, why);
		}
		snprintf(why, sizeof(why), "%s did not attach: %.400s", pmds[i], u->err);
		tb_warn("switch %s: %s", oc->bridge, why);
	}
	return NULL;
}

static int
start_ovs(struct up_ctx *u, const struct vu_names *n, int h, struct vsc_ovs_conf *oc,
	  char *pmd_mask, char *lcore_mask)
{
	int cpus[CP_MAX_PMD], n_cpus = up_host_pmd(u, h, cpus);
	char role[32];
	json_t *nic = NULL;
	pid_t pid;
	int ret;

	cp_mask_str(cpus, n_cpus, pmd_mask, 64);
	cp_mask_str(&u->plan.housekeeping, 1, lcore_mask, 64);
	oc->dir = n->host[h].ovs_dir;
	oc->bridge = n->bridge;
	oc->netns = u->hosts_ns[h];
	oc->node = u->conf.numa;
	oc->n_nodes = u->topo.node[u->topo.n_nodes - 1].id + 1;
	oc->socket_mem_mb = u->conf.switch_mem_mb;
	oc->huge_dir = u->huge_dir;
	oc->pmd_mask = pmd_mask;
	oc->lcore_mask = lcore_mask;
	oc->pmd_maxsleep_us = u->conf.pmd_maxsleep_us >= 0 ? u->conf.pmd_maxsleep_us
			      : u->plan.oversubscribed ? PMD_MAXSLEEP_SHARED_US : 0;
	oc->no_pci = !vsc_dpdk_nic_bound();
	/* OVS 3.1 drops TSO frames bound for a NIC without TSO (it cannot segment them) */
	oc->tso = !has_nic(u);
	ret = tb_mkdir_p(oc->dir, 0700);
	if (ret < 0) {
		snprintf(u->err, sizeof(u->err), "%s: %s", oc->dir, strerror(-ret));
		return ret;
	}
	ret = vsc_ovs_db_start(oc, &pid, u->err, sizeof(u->err));
	role_name(n, h, "ovsdb-server", role, sizeof(role));
	if (ret == 0)
		ret = up_journal_process(u, role, pid);
	if (ret == 0)
		ret = vsc_ovs_configure(oc, u->err, sizeof(u->err));
	if (ret == 0)
		ret = vsc_ovs_vswitchd_start(oc, &pid, u->err, sizeof(u->err));
	role_name(n, h, "ovs-vswitchd", role, sizeof(role));
	if (ret == 0)
		ret = up_journal_process(u, role, pid);
	if (ret == 0)
		ret = vsc_ovs_add_bridge(oc, u->err, sizeof(u->err));
	if (ret == 0 && has_nic(u) && (nic = ovs_add_nic(u, n, oc, h)) == NULL)
		ret = -EIO;
	if (ret == 0)
		ret = tb_state_set_switch(u->st, h, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:I, "
							      "s:b, s:b, s:s, s:o*, s:[]}",
							      "kind", "ovs-dpdk", "dir", oc->dir,
							      "bridge", oc->bridge, "pmd_cpu_mask",
							      pmd_mask, "lcore_mask", lcore_mask,
							      "pmd_maxsleep_us", oc->pmd_maxsleep_us,
							      "socket_mem_mb",
							      (json_int_t)oc->socket_mem_mb, "no_pci",
							      oc->no_pci, "tso", oc->tso, "netns",
							      oc->netns, "nic", nic, "ports"));
	if (ret == 0)
		tb_info("switch: OVS-DPDK bridge %s in %s, PMD cores %s, lcore %s, pmd-maxsleep %d us%s",
			n->bridge, oc->netns, pmd_mask, lcore_mask, oc->pmd_maxsleep_us,
			oc->no_pci ? ", --no-pci" : "");
	return ret;
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

/* Starts testbed-pmd with pc; the old process (if any) is stopped first. */
static int
pmd_switch_spawn(struct up_ctx *u, struct vsc_pmd_conf *pc, const char *role, json_t *sw,
		 pid_t *pid)
{
	unsigned long long start = 0;
	int ret;

	if (json_integer_value(json_object_get(sw, "pid")) > 0)
		tb_proc_stop((pid_t)json_integer_value(json_object_get(sw, "pid")),
			     (unsigned long long)json_integer_value(json_object_get(sw, "start")),
			     5000);
	unlink(pc->ready_file);
	*pid = 0;
	ret = vsc_pmd_start(pc, pid, u->err, sizeof(u->err));
	if (ret == 0) {
		tb_proc_start_time(*pid, &start);
		ret = journal_switch(u, role, *pid);
	}
	if (ret == 0)
		ret = vsc_pmd_wait_ready(pc, *pid, 30000, u->err, sizeof(u->err));
	if (ret < 0 && *pid > 0)
		tb_proc_stop(*pid, start, 5000); /* e.g. a wire PMD that did not attach */
	return ret;
}

/*
 * The first start tries the wire PMDs in order; restarts keep the one that worked.
 * pc->nic[0] points into devargs (the caller's, so it outlives this call).
 */
static int
pmd_switch_start(struct up_ctx *u, const struct vu_names *n, int h, struct vsc_pmd_conf *pc,
		 json_t *sw, pid_t *pid, json_t **nic, char *devargs, size_t len)
{
	const char *pmds[2], *known = json_string_value(json_object_get(json_object_get(sw, "nic"),
									 "devargs"));
	char role[32], why[TB_ERR_LEN] = "";
	int i, k, ret = -EIO;

	role_name(n, h, "switch", role, sizeof(role));
	*nic = NULL;
	if (!has_nic(u))
		return pmd_switch_spawn(u, pc, role, sw, pid);
	pc->n_nics = 1;
	if (known != NULL) {
		pc->nic[0] = known;
		return pmd_switch_spawn(u, pc, role, sw, pid);
	}
	k = wire_pmds(u, pmds);
	for (i = 0; i < k; i++) {
		nic_devargs(u, n, h, pmds[i], devargs, len);
		pc->nic[0] = devargs;
		ret = pmd_switch_spawn(u, pc, role, sw, pid);
		if (ret == 0) {
			*nic = nic_json(pmds[i], devargs, why);
			return 0;
		}
		snprintf(why, sizeof(why), "%s did not attach: %.400s", pmds[i], u->err);
		tb_warn("testbed-pmd on host %d: %s", h, why);
	}
	return ret;
}

/*
 * (Re)starts host h's testbed-pmd switch with every vhost-user port of its guests: those
 * it had (its state's ports) and the guests on host h among n->sock being added. Its ports
 * are vhost-user clients, so guests already up reconnect to the new process by themselves.
 */
static int
pmd_switch_restart(struct up_ctx *u, const struct vu_names *n, int h)
{
	json_t *sw = tb_state_switch(u->st, h), *p, *nic = NULL;
	struct vsc_pmd_conf pc = {0};
	int cpus[CP_MAX_PMD];
	char devargs[256], ring[PMD_RING_SPEC_MAX];
	unsigned long long start;
	pid_t pid = 0;
	size_t i;
	int k, ret, n_new = 0, n_colo = 0;

	pc.pmd_path = n->pmd;
	pc.file_prefix = n->host[h].sw_prefix;
	pc.huge_dir = u->huge_dir;
	pc.log_path = n->host[h].sw_log;
	pc.ready_file = n->host[h].sw_ready;
	pc.idle = pmd_switch_idle(u);
	pc.n_cpus = up_host_pmd(u, h, cpus);
	pc.cpus = cpus;
	pc.node = u->conf.numa;
	pc.n_nodes = u->topo.node[u->topo.n_nodes - 1].id + 1;
	pc.tso = true; /* the switch segments what leaves through a NIC without TSO */
	pc.netns = has_nic(u) ? u->hosts_ns[h] : NULL;
	pc.guest_nic = VM_GUEST_NIC;
	/* the co-located guests' virtio-user rings, as the profile asks */
	if (!u->vms && vm_profile_ring_spec(&u->prof, ring, sizeof(ring)) > 0)
		pc.guest_ring = ring;
	json_array_foreach(json_object_get(sw, "ports"), i, p) {
		if (pc.n_ports >= VSC_PMD_MAX_PORTS)
			break;
		pc.guest_ns[pc.n_ports] = json_string_value(json_object_get(p, "netns"));
		n_colo += pc.guest_ns[pc.n_ports] != NULL;
		pc.sock[pc.n_ports++] = json_string_value(json_object_get(p, "socket"));
	}
	for (k = 0; k < u->count; k++) {
		if (tb_guest_host(u->first + k, u->n_hosts) != h)
			continue;
		n_new++;
		if (pc.n_ports >= VSC_PMD_MAX_PORTS)
			continue;
		/* co-located: the switch feeds the guest's tap itself (VMs serve their sockets) */
		pc.guest_ns[pc.n_ports] = u->colo && !u->vms ? n->ns[k] : NULL;
		n_colo += pc.guest_ns[pc.n_ports] != NULL;
		pc.sock[pc.n_ports++] = n->sock[k];
	}
	if (vsc_pmd_ethdevs((int)json_array_size(json_object_get(sw, "ports")) + n_new, n_colo) +
	    has_nic(u) > VSC_PMD_MAX_PORTS) {
		snprintf(u->err, sizeof(u->err), "testbed-pmd switch: at most %d ports (DPDK's "
			 "RTE_MAX_ETHPORTS; a co-located guest takes two: at most %d such "
			 "guests%s)",
			 VSC_PMD_MAX_PORTS, (VSC_PMD_MAX_PORTS - has_nic(u)) / 2,
			 has_nic(u) ? " beside the NIC" : "");
		return -E2BIG;
	}
	pc.socket_mem_mb = u->conf.switch_mem_mb;
	/*
	 * The guests' adapter's pools: what a shim process would have had per port (its EAL
	 * heap is the switch's); `up` reserved a shim's worth once, and each host's switch
	 * takes its own guests' share of it.
	 */
	if (n_colo > 0)
		pc.socket_mem_mb += vm_shim_mem_mb(n_colo) - vm_shim_mem_mb(0);
	ret = pmd_switch_start(u, n, h, &pc, sw, &pid, &nic, devargs, sizeof(devargs));
	if (ret < 0)
		return ret;
	start = 0;
	tb_proc_start_time(pid, &start);
	if (sw == NULL) {
		sw = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:[], s:[]}", "kind", UP_SWITCH_PMD,
			       "file_prefix", pc.file_prefix, "log", pc.log_path, "idle", pc.idle,
			       "node", pc.node, "socket_mem_mb", (json_int_t)pc.socket_mem_mb,
			       "ports", "cpus");
		for (k = 0; k < pc.n_cpus; k++)
			json_array_append_new(json_object_get(sw, "cpus"), json_integer(pc.cpus[k]));
		if (pc.netns != NULL)
			json_object_set_new(sw, "netns", json_string(pc.netns));
		tb_state_set_switch(u->st, h, sw);
	}
	if (nic != NULL)
		json_object_set_new(sw, "nic", nic);
	json_object_set_new(sw, "pid", json_integer(pid));
	json_object_set_new(sw, "start", json_integer((json_int_t)start));
	tb_info("switch: testbed-pmd (pid %d)%s%s, %d vhost-user ports (%d with co-located guest "
		"adapters)%s%s, %d lcore%s from cpu %d, idle %s", (int)pid, pc.netns ? " in " : "",
		pc.netns ?: "", pc.n_ports, n_colo, pc.n_nics ? " + NIC " : "",
		pc.n_nics ? pc.nic[0] : "", pc.n_cpus, pc.n_cpus > 1 ? "s" : "", pc.cpus[0],
		pc.idle);
	return tb_state_save(u->st);
}

static int
start_shim(struct up_ctx *u, const struct vu_names *n, struct vm_shim_conf *sc, pid_t *pid)
{
	char ring[PMD_RING_SPEC_MAX];
	int i, ret;

	if (vm_profile_ring_spec(&u->prof, ring, sizeof(ring)) > 0)
		sc->ring = ring;

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
		up_guest_addr(u, TB_BE_VHOST_USER, u->first + i, addr, sizeof(addr));
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

/* Host h's OVS: just enough to talk to it (it is up already). */
static void
ovs_conf_of(const struct up_ctx *u, const struct vu_names *n, int h, struct vsc_ovs_conf *oc)
{
	oc->dir = n->host[h].ovs_dir;
	oc->bridge = n->bridge;
	oc->netns = u->hosts_ns[h];
}

/* The new guests' ports on their hosts' OVS, recorded in that switch's state. */
static int
add_ports(struct up_ctx *u, const struct vu_names *n)
{
	struct vsc_ovs_conf oc = VSC_OVS_CONF_DEFAULT;
	int i, h, ret = 0;

	for (i = 0; i < u->count && ret == 0; i++) {
		h = tb_guest_host(u->first + i, u->n_hosts);
		ovs_conf_of(u, n, h, &oc);
		ret = tb_journal_add(u->st, json_pack("{s:s, s:s, s:s}", "kind", "ovs-port", "name",
						      n->guest[i], "dir", oc.dir));
		if (ret == 0)
			ret = vsc_ovs_add_vhost_port(&oc, n->guest[i], n->sock[i], u->err,
						     sizeof(u->err));
	}
	return ret;
}

/*
 * Each new guest's port in its host switch's "ports" (co-located: with the guest's namespace,
 * so a restart re-attaches its tap); the shim (one for all) on host 0's.
 */
static int
record_ports(struct up_ctx *u, const struct vu_names *n, const struct vm_shim_conf *sc)
{
	json_t *sw, *port;
	int i;

	for (i = 0; i < u->count; i++) {
		sw = tb_state_switch(u->st, tb_guest_host(u->first + i, u->n_hosts));
		port = json_pack("{s:s, s:s}", "name", n->guest[i], "socket", n->sock[i]);
		if (u->colo && !u->vms)
			json_object_set_new(port, "netns", json_string(n->ns[i]));
		json_array_append_new(json_object_get(sw, "ports"), port);
	}
	sw = tb_state_switch(u->st, 0);
	if (sc != NULL && sc->log_path != NULL && sw != NULL)
		json_object_set_new(sw, "shim", json_pack("{s:s, s:s, s:i}", "log", sc->log_path,
							  "idle", sc->idle, "cpu", sc->cpu));
	return tb_state_save(u->st);
}

/* Every host's switch gets its new guests' ports (testbed-pmd: a restart with them). */
static int
wire_switches(struct up_ctx *u, const struct vu_names *n)
{
	int h, ret = 0;

	if (!use_pmd_switch(u))
		return add_ports(u, n);
	for (h = 0; h < u->n_hosts && ret == 0; h++)
		ret = pmd_switch_restart(u, n, h);
	return ret;
}

/* QEMU guests serve their vhost-user sockets themselves: start them, wire the switch. */
static int
vm_guests(struct up_ctx *u, const struct vu_names *n)
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
		up_guest_addr(u, TB_BE_VHOST_USER, vm->idx, vm->addr, sizeof(vm->addr));
		snprintf(vm->cidr, sizeof(vm->cidr), "%s/%d", vm->addr, TB_ADDR_PREFIX_LEN);
		snprintf(vm->sock, sizeof(vm->sock), "%s", n->sock[i]);
		ret = up_vm_start(u, vm);
	}
	/* the switch connects to the sockets QEMU serves while the guests boot */
	if (ret == 0)
		ret = wire_switches(u, n);
	if (ret == 0)
		tb_info("vhost-user: VMs %d-%d booting, on %s", u->first, u->first + u->count - 1,
			use_pmd_switch(u) ? "testbed-pmd" : n->bridge);
	return ret;
}

/*
 * Co-located (--adapter colocated, testbed-pmd): no shim process. The guests' namespaces
 * first, then the switch (re)starts with a --guest-tap per guest, which makes each guest's
 * tap in its namespace as eth0 and feeds it from its own loop; then the addresses.
 */
static int
colo_guests(struct up_ctx *u, const struct vu_names *n)
{
	char addr[32], cidr[40];
	int i, ret = 0;

	for (i = 0; i < u->count && ret == 0; i++) {
		ret = up_journal_netns(u, n->ns[i]);
		if (ret == 0)
			ret = vm_netns_create(n->ns[i], u->err, sizeof(u->err));
	}
	if (ret == 0)
		ret = wire_switches(u, n);
	for (i = 0; i < u->count && ret == 0; i++) {
		up_guest_addr(u, TB_BE_VHOST_USER, u->first + i, addr, sizeof(addr));
		snprintf(cidr, sizeof(cidr), "%s/%d", addr, TB_ADDR_PREFIX_LEN);
		ret = vm_netns_nic_up(n->ns[i], cidr, u->err, sizeof(u->err));
		if (ret == 0)
			ret = up_add_guest(u, n->guest[i], TB_BE_VHOST_USER, u->first + i, n->ns[i],
					   NULL, addr, up_next_guest_cpu(u));
	}
	if (ret == 0)
		tb_info("vhost-user: guests %d-%d on testbed-pmd, their adapter co-located in the "
			"switch (no shim process)", u->first, u->first + u->count - 1);
	return ret;
}

/* A shim and its guests, wired to the switches: the shim makes the taps, then blocks
 * serving each socket until a switch connects, so guests are wired before the ports are
 * added. One shim serves the guests of every host: it stands for their virtio devices. */
static int
guests(struct up_ctx *u, const struct vu_names *n, struct vm_shim_conf *sc)
{
	pid_t shim_pid;
	int ret;

	if (u->vms)
		return vm_guests(u, n);
	if (u->colo)
		return colo_guests(u, n);

	ret = start_shim(u, n, sc, &shim_pid);
	if (ret == 0)
		ret = make_guests(u, n);
	if (ret == 0)
		ret = wire_switches(u, n);
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
	int h, ret;

	ret = names(u, &n);
	if (ret < 0) {
		tb_err("vhost-user: names for instance %s do not fit", u->conf.instance);
		return ret;
	}
	for (h = 0; h < u->n_hosts && ret == 0; h++) {
		if (use_pmd_switch(u))
			ret = tb_journal_add(u->st, json_pack("{s:s, s:s, s:s}", "kind", "hugefiles",
							      "dir", u->huge_dir, "prefix",
							      n.host[h].sw_prefix));
		else
			ret = start_ovs(u, &n, h, &oc, pmd_mask, lcore_mask);
	}
	if (ret == 0)
		ret = guests(u, &n, &sc);
	if (ret == 0)
		ret = record_ports(u, &n, &sc);
	if (ret < 0)
		tb_err("vhost-user: %s", u->err[0] ? u->err : strerror(-ret));
	return ret;
}

int
up_vhost_guests(struct up_ctx *u)
{
	struct vm_shim_conf sc = {0};
	static struct vu_names n;
	int ret;

	ret = names(u, &n);
	if (ret < 0) {
		tb_err("vhost-user: names for instance %s do not fit", u->conf.instance);
		return ret;
	}
	ret = guests(u, &n, &sc);
	if (ret == 0)
		ret = record_ports(u, &n, NULL);
	if (ret < 0)
		tb_err("vhost-user: %s", u->err[0] ? u->err : strerror(-ret));
	return ret;
}

/* ovs-vswitchd only: its ports and settings live on in its private ovsdb. */
static int
ovs_restart(struct up_ctx *u, const struct vu_names *n, int h)
{
	struct vsc_ovs_conf oc = VSC_OVS_CONF_DEFAULT;
	char role[32];
	json_t *o;
	pid_t pid;
	size_t i;
	int ret;

	role_name(n, h, "ovs-vswitchd", role, sizeof(role));
	json_array_foreach(json_object_get(u->st, "objects"), i, o) {
		if (strcmp(json_string_value(json_object_get(o, "role")) ?: "", role) == 0)
			tb_proc_stop((pid_t)json_integer_value(json_object_get(o, "pid")),
				     (unsigned long long)json_integer_value(json_object_get(o, "start")),
				     10000);
	}
	ovs_conf_of(u, n, h, &oc);
	ret = vsc_ovs_vswitchd_start(&oc, &pid, u->err, sizeof(u->err));
	if (ret == 0)
		ret = journal_switch(u, role, pid);
	if (ret == 0)
		tb_info("switch: %s restarted (pid %d)", role, (int)pid);
	return ret;
}

int
up_switch_restart(struct up_ctx *u)
{
	static struct vu_names n;
	int h, ret;

	u->first = u->count = 0;
	ret = names(u, &n);
	for (h = 0; h < u->n_hosts && ret == 0; h++)
		ret = use_pmd_switch(u) ? pmd_switch_restart(u, &n, h) : ovs_restart(u, &n, h);
	if (ret < 0)
		tb_err("restart: %s", u->err[0] ? u->err : strerror(-ret));
	return ret;
}
