/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `up`: the checks, the plan and the build steps of an instance, and the journal helpers they
 * share.
 */
#include <errno.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "backends.h"
#include "cgroup.h"
#include "fsutil.h"
#include "hugepages.h"
#include "lock.h"
#include "log.h"
#include "names.h"
#include "probe.h"
#include "proc.h"
#include "shim-launch.h"
#include "runcmd.h"
#include "state.h"
#include "stop.h"
#include "teardown.h"
#include "up.h"

int
up_pmd_path(char *buf, size_t len)
{
	char exe[512], *dir;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return -errno;
	exe[n] = '\0';
	dir = dirname(dirname(exe));
	snprintf(buf, len, "%s/pmd/testbed-pmd", dir);
	return access(buf, X_OK) == 0 ? 0 : -ENOENT;
}

int
up_cgroup_join(struct up_ctx *u)
{
	char path[600];
	json_t *o;
	size_t i;
	bool journaled = false;
	int ret;

	u->cgroup_prev[0] = '\0';
	if (tb_cgroup_path(u->conf.instance, path, sizeof(path)) < 0)
		return 0; /* no cgroup v2: the journal and name sweeps still find everything */
	json_array_foreach(json_object_get(u->st, "objects"), i, o)
		journaled |= strcmp(json_string_value(json_object_get(o, "kind")) ?: "", "cgroup") == 0;
	ret = journaled ? 0 : tb_journal_add(u->st, json_pack("{s:s, s:s}", "kind", "cgroup",
							       "name", path));
	if (ret == 0 && tb_cgroup_enter(path, u->cgroup_prev, sizeof(u->cgroup_prev)) < 0) {
		tb_warn("cgroup %s: cannot join it; children are tracked by pid only", path);
		u->cgroup_prev[0] = '\0';
	}
	return ret;
}

void
up_cgroup_part(struct up_ctx *u)
{
	if (u->cgroup_prev[0] != '\0' && tb_cgroup_leave(u->cgroup_prev) < 0)
		tb_warn("cgroup: cannot go back to %s", u->cgroup_prev);
	u->cgroup_prev[0] = '\0';
}

int
up_journal_netns(struct up_ctx *u, const char *ns)
{
	return tb_journal_add(u->st, json_pack("{s:s, s:s}", "kind", "netns", "name", ns));
}

int
up_journal_process(struct up_ctx *u, const char *role, pid_t pid)
{
	return tb_journal_process(u->st, role, pid);
}

int
up_add_guest(struct up_ctx *u, const char *name, enum tb_backend be, unsigned int idx,
	     const char *ns, const char *pod, const char *addr, int cpu)
{
	json_t *g = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:i, s:s}", "name", name, "backend",
			      tb_backend_name(be), "index", (int)idx, "kind", "netns", "netns", ns,
			      "address", addr, "cpu", cpu, "nic", "eth0");

	if (u->n_hosts > 1)
		json_object_set_new(g, "host", json_integer(tb_guest_host(idx, u->n_hosts)));

	if (pod != NULL) {
		json_object_set_new(g, "pod", json_string(pod));
		json_object_set_new(g, "inner_address", json_string(tb_addr_masq_inner()));
	}
	json_array_append_new(u->guests, g);
	return tb_state_save(u->st);
}

int
up_next_guest_cpu(struct up_ctx *u)
{
	int n = (int)json_array_size(u->guests);

	return n < u->plan.n_guests ? u->plan.guest[n] : u->plan.housekeeping;
}

int
up_check_node(struct up_ctx *u)
{
	char nodes[64];

	if (topo_load(&u->topo) < 0) {
		tb_err("cannot read the CPU topology (hwloc)");
		return -EIO;
	}
	if (topo_node_find(&u->topo, u->conf.numa) == NULL) {
		topo_nodes_str(&u->topo, nodes, sizeof(nodes));
		tb_err("NUMA node %d does not exist (this host has node%s %s)", u->conf.numa,
		       u->topo.n_nodes > 1 ? "s" : "", nodes);
		return -ENODEV;
	}
	return 0;
}

/* The tools every instance needs, then those of each backend (its row's check_tools). */
static int
check_tools(const struct up_ctx *u)
{
	size_t i;
	int ret;

	if (tb_tool_path("ip") == NULL) {
		tb_err("ip (iproute2) not found: run scripts/install-deps.sh");
		return -ENOENT;
	}
	if (u->vms && tb_tool_path("qemu-system-x86_64") == NULL) {
		tb_err("qemu-system-x86_64 not found (profile %s runs QEMU guests): run "
		       "scripts/install-deps.sh", u->prof.name);
		return -ENOENT;
	}
	if (u->vms && (!tb_path_exists(TB_GUEST_IMAGE_DIR "/vmlinuz") ||
		       !tb_path_exists(TB_GUEST_IMAGE_DIR "/initramfs.img"))) {
		tb_err("no guest image in %s: run ./testbed through its launcher, which builds it "
		       "(scripts/build-guest-image.sh)", TB_GUEST_IMAGE_DIR);
		return -ENOENT;
	}
	for (i = 0; i < ib_n_backends; i++) {
		const struct ib_backend *b = ib_backends[i];

		if (!(u->conf.backends & (1u << b->be)) || b->check_tools == NULL)
			continue;
		ret = b->check_tools(u);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * Backends this host cannot run are refused with the reason (or, with --backends all,
 * left out with it); bridge QEMU guests use vhost-net where /dev/vhost-net answers.
 */
static int
check_backends(struct up_ctx *u)
{
	char why[512];
	struct probe p;
	size_t i;

	for (i = 0; i < ib_n_backends; i++) {
		const struct ib_backend *b = ib_backends[i];

		if (!(u->conf.backends & (1u << b->be)) || b->runs(u->vms, why, sizeof(why)))
			continue;
		if (!u->conf.backends_all) {
			tb_err("backend %s does not run here: %s (./testbed doctor lists what does)",
			       b->name, why);
			return -ENOTSUP;
		}
		tb_warn("backend %s left out: %s", b->name, why);
		u->conf.backends &= ~(1u << b->be);
	}
	if (u->vms) {
		probe_vhost_net_dev(&p);
		u->vhost_net = p.ok;
	}
	return 0;
}

int
up_check_not_up(const struct up_ctx *u)
{
	const char *inst = u->conf.instance, *opt = strcmp(inst, "main") ? " --instance " : "";
	char state[256];

	/* the run dir may hold our own lock file (cli/commands.c took it before this check) */
	if (!tb_lock_dir_used(u->run_dir) && !td_anything_left(inst))
		return 0;
	if (tb_run_path(state, sizeof(state), inst, "state.json") == 0 && access(state, F_OK) == 0)
		tb_err("instance %s is already up (%s): use it, or run `./testbed down%s%s` first",
		       inst, u->run_dir, opt, *opt ? inst : "");
	else /* a crashed run: sockets, namespaces or processes without a state file */
		tb_err("instance %s has leftovers of a run that did not finish (no state file%s%s): "
		       "run `./testbed down%s%s` first",
		       inst, tb_lock_dir_entry(u->run_dir, state, sizeof(state)) ? "; there is " : "",
		       state, opt, *opt ? inst : "");
	return -EEXIST;
}

bool
up_guests_on_all(const struct up_conf *c)
{
	if (c->guest_cores != NULL)
		return strcmp(c->guest_cores, UP_GUEST_CORES_ALL) == 0;
	/* testbed-pmd shares its core when it sleeps (adaptive, the default when shared) */
	return strcmp(c->vswitch, UP_SWITCH_PMD) == 0 &&
	       (c->switch_idle == NULL || strcmp(c->switch_idle, "busy") != 0);
}

static int
plan_cores(struct up_ctx *u)
{
	int n_backends = __builtin_popcount(u->conf.backends);
	unsigned int flags = ib_flags(u->conf.backends);
	struct cp_conf cc = {
		/* a switch per host; hosts share PMD cores when the node has too few */
		.n_pmd = (flags & IB_PMD_CORES) ? u->conf.n_pmd * u->n_hosts : 0,
		.n_guests = u->conf.guests * n_backends,
		.shim = (flags & IB_SHIM) != 0 && !u->vms && !u->colo,
		.guests_on_all = up_guests_on_all(&u->conf),
	};
	int ret = cp_plan_make(&u->topo, u->conf.numa, &cc, &u->plan);

	if (ret < 0) {
		tb_err("cannot plan cores on node %d: %s", u->conf.numa, strerror(-ret));
	} else if (u->plan.n_pmd < cc.n_pmd / u->n_hosts) {
		/* one switch's PMD cores are never shared with each other: fewer is an error */
		tb_err("bad --pmd-cores %d: node %d has %d cores, so at most %d PMD core%s beside "
		       "the housekeeping core", u->conf.n_pmd, u->conf.numa, u->plan.cores_available,
		       u->plan.n_pmd, u->plan.n_pmd == 1 ? "" : "s");
		ret = -EINVAL;
	}
	return ret;
}

/* Hugepage demand on the chosen node only: the switch's socket-mem, the shim's or the VMs'. */
static int
demand(const struct up_ctx *u, struct hp_demand d[3])
{
	unsigned int flags = ib_flags(u->conf.backends);
	int n = 0;

	if (flags & IB_SWITCH_MEM)
		d[n++] = (struct hp_demand){"switch", u->conf.switch_mem_mb * u->n_hosts};
	if ((flags & IB_SHIM) && !u->vms)
		d[n++] = (struct hp_demand){"shim", vm_shim_mem_mb(u->conf.guests)};
	if (u->vms)
		d[n++] = (struct hp_demand){"guests", (long)u->prof.memory_mb * u->conf.guests *
						      __builtin_popcount(u->conf.backends)};
	return n;
}

/*
 * A VM's memory is a whole number of hugepages: a size that is not a multiple of 1 GB
 * takes 2 MB pages (unless --page-size says otherwise, which is then refused).
 */
static int
check_vm_pages(struct up_ctx *u)
{
	if (!u->vms || u->prof.memory_mb % 1024 == 0)
		return 0;
	if (u->conf.page_kb == 0) {
		u->conf.page_kb = 2048;
		return 0;
	}
	if ((u->prof.memory_mb * 1024L) % (long)u->conf.page_kb != 0) {
		tb_err("profile %s: %d MB of guest memory is not a whole number of %lu kB pages "
		       "(use --page-size 2M)", u->prof.name, u->prof.memory_mb, u->conf.page_kb);
		return -EINVAL;
	}
	return 0;
}

int
up_reserve_hugepages(struct up_ctx *u, const struct hp_demand *d, int n)
{
	struct hp_node_info info;
	long added = 0, free_ = 0, mb = 0;
	int i, ret = -ENOENT;
	char size[32];

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		mb += d[i].mb;
	if (hp_node_read(u->conf.numa, &info) < 0 || info.n_sizes == 0) {
		tb_err("no hugepage pools on node %d (kernel without hugetlbfs?)", u->conf.numa);
		return -ENOENT;
	}
	/* largest page size first; a size the kernel cannot supply falls back to the next */
	for (i = 0; i < info.n_sizes; i++) {
		unsigned long kb = info.size[i].kb;

		if (u->conf.page_kb != 0 && kb != u->conf.page_kb)
			continue;
		u->pages = hp_pages_for(d, n, kb);
		/*
		 * By default gigantic pages only when they are free already (reserved at boot, as on
		 * a host set up for DPDK): made at run time they need 1 GB of contiguous memory, which
		 * a host that has run a while rarely has, and simulate could not grow the instance.
		 */
		if (u->conf.page_kb == 0 && kb >= UP_GIGANTIC_PAGE_KB && i < info.n_sizes - 1 &&
		    info.size[i].free < u->pages)
			continue;
		ret = hp_reserve(u->conf.numa, kb, u->pages, &added, &free_);
		if (ret == 0) {
			u->page_kb = kb;
			break;
		}
		hp_size_str(kb, size, sizeof(size));
		if (u->conf.page_kb != 0 || i == info.n_sizes - 1) {
			tb_err("need %ld MB of %s hugepages on node %d, %ld MB free and no more could be "
			       "reserved",
			       u->pages * (long)(kb / 1024), size, u->conf.numa, free_ * (long)(kb / 1024));
			return ret;
		}
	}
	if (ret < 0) {
		tb_err("page size %lu kB not offered on node %d", u->conf.page_kb, u->conf.numa);
		return ret;
	}
	ret = tb_journal_add(u->st, json_pack("{s:s, s:i, s:I, s:I, s:I, s:I}", "kind", "hugepages",
					      "node", u->conf.numa, "page_kb", (json_int_t)u->page_kb,
					      "pages", (json_int_t)u->pages, "added", (json_int_t)added,
					      "mb", (json_int_t)mb));
	if (ret < 0)
		return ret;
	tb_run_path(u->huge_dir, sizeof(u->huge_dir), u->conf.instance, "hugepages");
	ret = tb_journal_add(u->st, json_pack("{s:s, s:s}", "kind", "mount", "name", u->huge_dir));
	if (ret == 0)
		ret = hp_mount(u->huge_dir, u->page_kb);
	if (ret < 0)
		tb_err("hugetlbfs mount %s: %s", u->huge_dir, strerror(-ret));
	hp_size_str(u->page_kb, size, sizeof(size));
	tb_info("hugepages: %ld x %s on node %d (%ld added), mounted at %s", u->pages, size,
		u->conf.numa, added, u->huge_dir);
	return ret;
}

static json_t *
plan_json(const struct up_ctx *u)
{
	json_t *pmd = json_array(), *guests = json_array();
	int i;

	for (i = 0; i < u->plan.n_pmd; i++)
		json_array_append_new(pmd, json_integer(u->plan.pmd[i]));
	for (i = 0; i < u->plan.n_guests; i++)
		json_array_append_new(guests, json_integer(u->plan.guest[i]));
	return json_pack("{s:i, s:i, s:o, s:i, s:o, s:i, s:i, s:b, s:b}", "node", u->plan.node,
			 "housekeeping", u->plan.housekeeping, "pmd", pmd, "shim", u->plan.shim,
			 "guests", guests, "cores_needed", u->plan.cores_needed, "cores_available",
			 u->plan.cores_available, "oversubscribed", u->plan.oversubscribed,
			 "guests_on_all", u->plan.guests_on_all);
}

static int
record_config(struct up_ctx *u)
{
	json_t *be = json_array();
	int i;

	for (i = 0; i < TB_BE_COUNT; i++)
		if (u->conf.backends & (1u << i))
			json_array_append_new(be, json_string(tb_backend_name(i)));
	json_object_set_new(u->st, "config",
			    json_pack("{s:i, s:i, s:o, s:i, s:I, s:s, s:s, s:s}", "numa", u->conf.numa,
				      "guests_per_backend", u->conf.guests, "backends", be, "pmd_cores",
				      u->conf.n_pmd, "switch_mem_mb", (json_int_t)u->conf.switch_mem_mb,
				      "guest_kind", vm_kind_name(u->prof.kind), "shim_idle",
				      u->conf.shim_idle, "switch", u->conf.vswitch));
	json_object_set_new(json_object_get(u->st, "config"), "hosts", json_integer(u->n_hosts));
	json_object_set_new(json_object_get(u->st, "config"), "guest_cores",
			    json_string(up_guests_on_all(&u->conf) ? UP_GUEST_CORES_ALL
								   : UP_GUEST_CORES_REST));
	if (!u->vms && (u->conf.backends & (1u << TB_BE_VHOST_USER)) != 0)
		json_object_set_new(json_object_get(u->st, "config"), "adapter",
				    json_string(u->conf.adapter));
	if (u->n_hosts > 1)
		json_object_set_new(json_object_get(u->st, "config"), "wire_pmd",
				    json_string(u->conf.wire_pmd));
	if (u->conf.nic != NULL)
		json_object_set_new(json_object_get(u->st, "config"), "nic", json_string(u->conf.nic));
	if (u->conf.kernel_nic != NULL)
		json_object_set_new(json_object_get(u->st, "config"), "kernel_nic",
				    json_string(u->conf.kernel_nic));
	if (u->conf.nic != NULL || u->conf.kernel_nic != NULL)
		json_object_set_new(json_object_get(u->st, "config"), "host_index",
				    json_integer(u->conf.host_index));
	json_object_set_new(json_object_get(u->st, "config"), "profile",
			    json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:b, s:s, s:b, s:b}",
				      "name", u->prof.name, "kind", vm_kind_name(u->prof.kind),
				      "vcpus", u->prof.vcpus, "memory_mb", u->prof.memory_mb,
				      "queues", u->prof.queues, "rx_queue_size",
				      u->prof.rx_queue_size, "tx_queue_size", u->prof.tx_queue_size,
				      "offloads", u->prof.offloads, "ring",
				      u->prof.packed ? "packed" : "split", "in_order",
				      u->prof.in_order, "mrg_rxbuf", u->prof.mrg_rxbuf));
	if (u->vms)
		json_object_set_new(json_object_get(u->st, "config"), "accel",
				    json_string(u->accel == VM_ACCEL_KVM ? "kvm" : "tcg"));
	json_object_set_new(u->st, "plan", plan_json(u));
	u->guests = json_array();
	json_object_set_new(u->st, "guests", u->guests);
	return tb_state_save(u->st);
}

static void
say_plan(const struct up_ctx *u)
{
	if (!u->plan.oversubscribed) {
		tb_info("cores: node %d has %d cores, %d needed: every PMD and guest has its own",
			u->plan.node, u->plan.cores_available, u->plan.cores_needed);
		return;
	}
	tb_warn("node %d has %d cores but %d are needed (housekeeping, %d PMD, %sone per guest): "
		"cores are shared, the switch PMD and the shim sleep when idle instead of spinning, "
		"and results will say the host is oversubscribed%s",
		u->plan.node, u->plan.cores_available, u->plan.cores_needed, u->plan.n_pmd,
		u->plan.shim >= 0 ? "shim, " : "",
		u->plan.guests_on_all ? "; guests go round-robin over every core, the PMD's too"
				      : "");
	if (u->plan.guests_on_all && strcmp(u->conf.vswitch, UP_SWITCH_OVS) == 0)
		tb_warn("--guest-cores all with OVS-DPDK: its PMD polls cpu %d even between "
			"packets, so the guests placed there get only what it leaves (measured "
			"here: tcp_lat 1 B ~6x higher)",
			u->plan.pmd[0]);
}

int
up_make_run_dir(struct up_ctx *u)
{
	int ret = tb_mkdir_p(TB_RUN_BASE, 0755);

	if (ret == 0)
		ret = tb_mkdir_p(u->run_dir, 0700);
	if (ret == -ELOOP || ret == -ENOTDIR)
		tb_err("run dir %s: not a directory of its own (a symlink or a file): remove it",
		       u->run_dir);
	else if (ret < 0)
		tb_err("run dir %s: %s", u->run_dir, strerror(-ret));
	if (ret < 0)
		return ret;
	u->st = tb_state_new(u->conf.instance);
	return tb_state_save(u->st);
}

static int
build(struct up_ctx *u)
{
	struct hp_demand d[3];
	size_t i;
	int ret;

	ret = up_make_run_dir(u);
	if (ret == 0)
		ret = up_cgroup_join(u);
	if (ret == 0)
		ret = record_config(u);
	if (ret == 0)
		ret = up_reserve_hugepages(u, d, demand(u, d));
	if (ret == 0)
		ret = up_host_ns(u);
	if (ret == 0 && !tb_stop_signal())
		ret = up_wires(u);
	/* each backend's guests, in the table's order */
	for (i = 0; i < ib_n_backends && ret == 0 && !tb_stop_signal(); i++) {
		const struct ib_backend *b = ib_backends[i];

		if ((u->conf.backends & (1u << b->be)) && b->build != NULL)
			ret = b->build(u);
	}
	if (ret == 0 && u->vms)
		ret = up_vm_wait_all(u);
	return ret;
}

int
up_prepare(struct up_ctx *u)
{
	char err[TB_ERR_LEN] = "";

	if (vm_profile_load(TB_PROFILE_DIR, u->conf.profile, &u->prof, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return -EINVAL;
	}
	u->vms = u->prof.kind == VM_KIND_QEMU;
	if (u->vms && u->conf.adapter != NULL &&
	    strcmp(u->conf.adapter, UP_ADAPTER_COLOCATED) == 0) {
		tb_err("--adapter is for netns guests (profile %s runs QEMU VMs, whose virtio "
		       "device is QEMU's)", u->prof.name);
		return -EINVAL;
	}
	if (u->conf.adapter == NULL)
		u->conf.adapter = strcmp(u->conf.vswitch, UP_SWITCH_PMD) == 0 && !u->vms
				  ? UP_ADAPTER_COLOCATED : UP_ADAPTER_SHIM;
	u->colo = !u->vms && strcmp(u->conf.adapter, UP_ADAPTER_COLOCATED) == 0;
	u->n_hosts = u->conf.hosts;
	up_host_names(u);
	if (tb_run_path(u->run_dir, sizeof(u->run_dir), u->conf.instance, NULL) < 0)
		snprintf(err, sizeof(err), "the run dir of instance %s does not fit a path",
			 u->conf.instance);
	if (err[0] != '\0' || tb_run_dir_sock_check(u->run_dir, err, sizeof(err)) < 0) {
		tb_err("%s", err); /* before anything is made */
		return -EINVAL;
	}
	u->first = 0;
	u->count = u->conf.guests;
	if (check_vm_pages(u) < 0)
		return -EINVAL;
	if (up_check_node(u) < 0 || check_backends(u) < 0 || check_tools(u) < 0 ||
	    up_check_not_up(u) < 0 || plan_cores(u) < 0)
		return -EPERM;
	say_plan(u);
	if (u->vms) {
		char why[700];

		up_vm_accel(&u->accel, why, sizeof(why));
		tb_info("guests: %d x profile %s (%d vCPU, %d MB) under %s", u->conf.guests,
			u->prof.name, u->prof.vcpus, u->prof.memory_mb, why);
	}
	return 0;
}

int
up_build(struct up_ctx *u)
{
	int ret;

	/* Ctrl-C or SIGTERM: the step under way fails or ends, then everything is undone */
	tb_stop_catch();
	ret = build(u);
	/* before any teardown: removing the cgroup kills whatever is in it */
	up_cgroup_part(u);
	if (ret == 0 && tb_stop_signal())
		ret = -EINTR;
	if (ret < 0) {
		tb_info("up %s: removing what was made", tb_stop_signal() ? "interrupted" : "failed");
		td_teardown(u->conf.instance, u->st);
		return ret;
	}
	json_object_set_new(u->st, "phase", json_string("up"));
	ret = tb_state_save(u->st);
	if (ret < 0)
		/* its state on disk still says "building": nothing else will use it */
		tb_err("instance %s: built, but its state file could not be saved (%s): run "
		       "./testbed down%s%s", u->conf.instance, strerror(-ret),
		       strcmp(u->conf.instance, "main") ? " --instance " : "",
		       strcmp(u->conf.instance, "main") ? u->conf.instance : "");
	return ret;
}
