/* SPDX-License-Identifier: BSD-3-Clause */
/* The context `up` had, rebuilt from the state file (restart, simulate). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backends.h"
#include "state.h"
#include "up.h"

/* The backends the state's guests are of, as a mask. */
static unsigned int
guest_backends(json_t *st)
{
	unsigned int mask = 0;
	json_t *g;
	size_t i;
	int be;

	json_array_foreach(json_object_get(st, "guests"), i, g) {
		be = tb_backend_from_name(json_string_value(json_object_get(g, "backend")) ?: "");
		if (be >= 0)
			mask |= 1u << be;
	}
	return mask;
}

/* The context `up` had, rebuilt from the state, planned for `total` guests. */
/* The guests' profile as `up` recorded it (the file may have changed since). */
static void
profile_from_config(struct up_ctx *u, json_t *p, const char *accel)
{
	struct vm_profile *pr = &u->prof;

	snprintf(pr->name, sizeof(pr->name), "%s",
		 json_string_value(json_object_get(p, "name")) ?: "netns");
	pr->kind = strcmp(json_string_value(json_object_get(p, "kind")) ?: "", "qemu") == 0
			   ? VM_KIND_QEMU : VM_KIND_NETNS;
	pr->vcpus = json_integer_value(json_object_get(p, "vcpus")) ?: 1;
	pr->memory_mb = json_integer_value(json_object_get(p, "memory_mb"));
	pr->queues = json_integer_value(json_object_get(p, "queues")) ?: 1;
	pr->rx_queue_size = json_integer_value(json_object_get(p, "rx_queue_size")) ?: 256;
	pr->tx_queue_size = json_integer_value(json_object_get(p, "tx_queue_size")) ?: 256;
	pr->offloads = !json_is_false(json_object_get(p, "offloads"));
	/* states from before ring keys: what the shim and QEMU then used */
	pr->packed = strcmp(json_string_value(json_object_get(p, "ring")) ?: "", "packed") == 0;
	pr->in_order = json_is_boolean(json_object_get(p, "in_order"))
			       ? json_is_true(json_object_get(p, "in_order"))
			       : pr->kind == VM_KIND_NETNS;
	pr->mrg_rxbuf = !json_is_false(json_object_get(p, "mrg_rxbuf"));
	if (pr->kind == VM_KIND_NETNS && json_object_get(p, "ring") == NULL)
		pr->rx_queue_size = pr->tx_queue_size = 1024;
	u->vms = pr->kind == VM_KIND_QEMU;
	u->accel = accel != NULL && strcmp(accel, "kvm") == 0 ? VM_ACCEL_KVM : VM_ACCEL_TCG;
}

int
up_ctx_from_state(struct up_ctx *u, json_t *st, const char *inst, int total)
{
	json_t *cfg = json_object_get(st, "config"), *sw = json_object_get(st, "switch");
	const char *kind = json_string_value(json_object_get(cfg, "guest_kind")) ?: "";
	const char *adapter = json_string_value(json_object_get(cfg, "adapter")) ?: "";
	struct cp_conf cc = {
		.n_pmd = json_integer_value(json_object_get(cfg, "pmd_cores")) * tb_state_hosts(st),
		.n_guests = total,
		.shim = (ib_flags(guest_backends(st)) & IB_SHIM) != 0 &&
			strcmp(kind, "qemu") != 0 && strcmp(adapter, UP_ADAPTER_COLOCATED) != 0,
		.guests_on_all = strcmp(json_string_value(json_object_get(cfg, "guest_cores")) ?: "",
					UP_GUEST_CORES_ALL) == 0,
	};

	memset(u, 0, sizeof(*u));
	u->st = st;
	u->guests = json_object_get(st, "guests");
	snprintf(u->conf.instance, sizeof(u->conf.instance), "%s", inst);
	u->conf.numa = json_integer_value(json_object_get(cfg, "numa"));
	u->conf.n_pmd = json_integer_value(json_object_get(cfg, "pmd_cores"));
	u->conf.shim_idle = json_string_value(json_object_get(cfg, "shim_idle")) ?: "adaptive";
	u->conf.vswitch = UP_SWITCH_OVS;
	u->conf.switch_mem_mb = json_integer_value(json_object_get(cfg, "switch_mem_mb"));
	if (strcmp(json_string_value(json_object_get(cfg, "switch")) ?: "", UP_SWITCH_PMD) == 0) {
		u->conf.vswitch = UP_SWITCH_PMD;
		u->conf.switch_idle = json_string_value(json_object_get(sw, "idle"));
	}
	profile_from_config(u, json_object_get(cfg, "profile"),
			    json_string_value(json_object_get(cfg, "accel")));
	u->conf.adapter = strcmp(adapter, UP_ADAPTER_COLOCATED) == 0 ? UP_ADAPTER_COLOCATED
								   : UP_ADAPTER_SHIM;
	u->colo = !u->vms && strcmp(u->conf.adapter, UP_ADAPTER_COLOCATED) == 0;
	tb_run_path(u->run_dir, sizeof(u->run_dir), inst, NULL);
	tb_run_path(u->huge_dir, sizeof(u->huge_dir), inst, "hugepages");
	u->n_hosts = tb_state_hosts(st);
	up_host_names(u);
	u->conf.nic = json_string_value(json_object_get(cfg, "nic"));
	u->conf.kernel_nic = json_string_value(json_object_get(cfg, "kernel_nic"));
	u->conf.host_index = json_integer_value(json_object_get(cfg, "host_index"));
	u->conf.hosts = u->n_hosts;
	u->conf.wire_pmd = UP_WIRE_AUTO;
	u->conf.guest_cores = cc.guests_on_all ? UP_GUEST_CORES_ALL : UP_GUEST_CORES_REST;
	if (topo_load(&u->topo) < 0 || cp_plan_make(&u->topo, u->conf.numa, &cc, &u->plan) < 0)
		return -EIO;
	return 0;
}


int
up_state_load_up(const char *inst, json_t **st, char *err, size_t errlen)
{
	const char *phase, *down = strcmp(inst, "main") != 0 ? " --instance " : "";
	const char *name = strcmp(inst, "main") != 0 ? inst : "";
	int ret = tb_state_load(inst, st);

	if (ret == -ENOENT) {
		snprintf(err, errlen, "instance %s is not up: run ./testbed up --numa N%s%s first",
			 inst, down, name);
		return ret;
	}
	if (ret == -EXDEV) {
		snprintf(err, errlen, "instance %s: its state file names another instance "
			 "(a copy?): run ./testbed down%s%s, then up again", inst, down, name);
		return ret;
	}
	if (ret < 0) {
		snprintf(err, errlen, "instance %s: state file unreadable (%s): run "
			 "./testbed down%s%s, then up again", inst, strerror(-ret), down, name);
		return ret;
	}
	phase = json_string_value(json_object_get(*st, "phase"));
	if (phase != NULL && strcmp(phase, "up") == 0)
		return 0;
	snprintf(err, errlen, "instance %s is not ready (phase %s%s%s): an up that did not finish "
		 "(still at work, or killed); run ./testbed down%s%s, then up again", inst,
		 phase != NULL ? "\"" : "", phase != NULL ? phase : "none",
		 phase != NULL ? "\"" : "", down, name);
	json_decref(*st);
	*st = NULL;
	return -EAGAIN;
}
