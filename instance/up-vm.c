/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * QEMU guests for `up --profile <qemu profile>`: each VM boots the testbed's guest image
 * (build/vm-profiles/guest) with its memory in the instance's hugetlbfs (share=on, on
 * node N), its address on the kernel command line, agent channels for the tools, and
 * one NIC: vhost-user (QEMU serves the socket, the switch connects as a client) or a tap
 * in the namespace QEMU runs in (the host namespace's bridge, or a masquerade pod).
 * The process is journaled with its QMP socket, so down quits it through QMP first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "agent.h"
#include "log.h"
#include "proc.h"
#include "qemu.h"
#include "qmp.h"
#include "runcmd.h"
#include "state.h"
#include "up.h"

#define VM_BOOT_TIMEOUT_MS 120000
#define VM_AGENTS 4
#define VM_PENDING_MAX (3 * UP_MAX_GUESTS)

/* VMs started and not yet ready: every backend's boot at once, then one wait. */
static struct up_vm pending[VM_PENDING_MAX];
static int n_pending;

struct up_vm *
up_vm_new(struct up_ctx *u)
{
	struct up_vm *vm;
	int k = (int)json_array_size(u->guests) + n_pending;

	if (n_pending == VM_PENDING_MAX)
		return NULL;
	vm = &pending[n_pending++];
	memset(vm, 0, sizeof(*vm));
	vm->cpu = k < u->plan.n_guests ? u->plan.guest[k] : u->plan.housekeeping;
	return vm;
}

static int
vm_paths(struct up_ctx *u, struct up_vm *vm)
{
	int i, ret = 0;

	ret |= vm_qemu_run_path(u->run_dir, vm->name, "qmp", vm->qmp, sizeof(vm->qmp));
	ret |= vm_qemu_run_path(u->run_dir, vm->name, "console.log", vm->console,
				sizeof(vm->console));
	ret |= vm_qemu_run_path(u->run_dir, vm->name, "qemu.log", vm->log, sizeof(vm->log));
	for (i = 0; i < VM_AGENTS; i++) {
		char sfx[16];

		snprintf(sfx, sizeof(sfx), "agent%d.sock", i);
		ret |= vm_qemu_run_path(u->run_dir, vm->name, sfx, vm->agent[i],
					sizeof(vm->agent[i]));
	}
	return ret < 0 ? -ENAMETOOLONG : 0;
}

int
up_vm_start(struct up_ctx *u, struct up_vm *vm)
{
	static struct vm_qemu_argv qa;
	struct vm_qemu_conf qc = {0};
	const char *argv[VM_QEMU_MAX_ARGS + 8];
	struct tb_run_opts o;
	char mac[VM_MAC_LEN], role[32];
	int n = 0, i, ret, tap_fd = -1;

	ret = vm_paths(u, vm);
	if (ret < 0) {
		snprintf(u->err, sizeof(u->err), "%s: run dir paths too long", vm->name);
		return ret;
	}
	vm_qemu_mac(vm->be, up_guest_index(u, vm->idx), mac, sizeof(mac));
	qc.name = vm->name;
	qc.run_dir = u->run_dir;
	qc.profile = &u->prof;
	qc.accel = u->accel;
	qc.huge_dir = u->huge_dir;
	qc.node = u->conf.numa;
	qc.kernel = TB_GUEST_IMAGE_DIR "/vmlinuz";
	qc.initrd = TB_GUEST_IMAGE_DIR "/initramfs.img";
	qc.ip_cidr = vm->cidr;
	qc.gw = vm->gw[0] != '\0' ? vm->gw : NULL;
	qc.n_agents = VM_AGENTS;
	qc.mac = mac;
	qc.nic = vm->sock[0] != '\0' ? VM_NIC_VHOST_USER : VM_NIC_TAP;
	qc.vu_sock = vm->sock;
	qc.tap = vm->tap;
	qc.vhost_net = vm->vhost_net;
	if (vm->tap_dev[0] != '\0') {
		/* inherited by QEMU (no O_CLOEXEC), closed here once it runs */
		tap_fd = open(vm->tap_dev, O_RDWR);
		if (tap_fd < 0) {
			ret = -errno;
			snprintf(u->err, sizeof(u->err), "%s: %s: %s", vm->name, vm->tap_dev,
				 strerror(errno));
			return ret;
		}
		qc.tap_fd = tap_fd;
	}
	ret = vm_qemu_argv(&qc, &qa, u->err, sizeof(u->err));
	if (ret < 0) {
		if (tap_fd >= 0)
			close(tap_fd);
		return ret;
	}
	/* a tap NIC is opened by name in the namespace QEMU runs in */
	if (vm->ns[0] != '\0') {
		argv[n++] = "ip";
		argv[n++] = "netns";
		argv[n++] = "exec";
		argv[n++] = vm->ns;
	}
	for (i = 0; i < qa.argc; i++)
		argv[n++] = qa.argv[i];
	argv[n] = NULL;
	memset(&o, 0, sizeof(o));
	o.log_path = vm->log;
	ret = tb_spawn(argv, &o, &vm->pid);
	if (tap_fd >= 0)
		close(tap_fd);
	if (ret < 0) {
		snprintf(u->err, sizeof(u->err), "%s: qemu: %s", vm->name, strerror(-ret));
		return ret;
	}
	vm->start = 0;
	tb_proc_start_time(vm->pid, &vm->start);
	snprintf(role, sizeof(role), "qemu-%s", vm->name);
	return tb_journal_add(u->st, json_pack("{s:s, s:s, s:i, s:I, s:s, s:s}", "kind", "process",
					       "role", role, "pid", (int)vm->pid, "start",
					       (json_int_t)vm->start, "cmdline", qa.argv[0], "qmp",
					       vm->qmp));
}

static int
up_vm_ready(struct up_ctx *u, struct up_vm *vm)
{
	json_t *socks, *g;
	char line[256];
	int ret, i;

	ret = vm_agent_wait_ready(vm->console, VM_BOOT_TIMEOUT_MS, line, sizeof(line), u->err,
				  sizeof(u->err));
	if (ret < 0 && !tb_proc_is(vm->pid, vm->start))
		snprintf(u->err, sizeof(u->err), "%s: qemu exited (see %s)", vm->name, vm->log);
	if (ret < 0)
		return ret;
	ret = vm_qmp_pin_vcpus(vm->qmp, &vm->cpu, 1, 5000, u->err, sizeof(u->err));
	if (ret < 0)
		return ret;
	socks = json_array();
	for (i = 0; i < VM_AGENTS; i++)
		json_array_append_new(socks, json_string(vm->agent[i]));
	g = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:i, s:s, s:o, s:s, s:s, s:i, s:I, s:s, "
		      "s:s, s:i, s:i}",
		      "name", vm->name, "backend", tb_backend_name(vm->be), "index", vm->idx,
		      "kind", "qemu", "netns", vm->ns[0] != '\0' ? vm->ns : u->host_ns, "address",
		      vm->addr, "cpu", vm->cpu, "nic", "eth0", "agent_sockets", socks, "qmp", vm->qmp,
		      "console", vm->console, "pid", (int)vm->pid, "start", (json_int_t)vm->start,
		      "accel", u->accel == VM_ACCEL_KVM ? "kvm" : "tcg", "profile", u->prof.name,
		      "vcpus", u->prof.vcpus, "memory_mb", u->prof.memory_mb);
	if (u->n_hosts > 1)
		json_object_set_new(g, "host", json_integer(tb_guest_host(vm->idx, u->n_hosts)));
	if (vm->pod[0] != '\0') {
		json_object_set_new(g, "pod", json_string(vm->pod));
		json_object_set_new(g, "inner_address", json_string(tb_addr_masq_inner()));
	}
	json_array_append_new(u->guests, g);
	tb_info("%s: %s (%s, pid %d, vCPU on cpu %d)", vm->name, line, vm->ns[0] ? vm->ns : "-",
		(int)vm->pid, vm->cpu);
	return tb_state_save(u->st);
}

int
up_vm_wait_all(struct up_ctx *u)
{
	int i, ret = 0;

	for (i = 0; i < n_pending && ret == 0; i++)
		ret = up_vm_ready(u, &pending[i]);
	if (ret < 0)
		tb_err("%s", u->err);
	n_pending = 0;
	return ret;
}
