/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What this host can run, and why not: topology, hugepages, probes, tools, a verdict per backend.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "backends.h"
#include "hugepages.h"
#include "log.h"
#include "up.h"
#include "probe.h"
#include "runcmd.h"
#include "topology.h"

/* Tools the backends and tests use, with the Debian package that brings each. */
static const struct {
	const char *name, *package;
} tools[] = {
	{"ovs-vswitchd-dpdk", "openvswitch-switch-dpdk"},
	{"ovsdb-server", "openvswitch-switch"},
	{"ovs-vsctl", "openvswitch-switch"},
	{"ip", "iproute2"},
	{"nft", "nftables"},
	{"qperf", "qperf"},
	{"iperf", "iperf"},
	{"mtr", "mtr-tiny"},
	{"qemu-system-x86_64", "qemu-system-x86"},
	{NULL, NULL},
};

static json_t *
topology_json(const struct topo *t)
{
	json_t *nodes = json_array();
	int i, j;

	for (i = 0; i < t->n_nodes; i++) {
		json_t *cores = json_array();
		struct hp_node_info hp;
		json_t *pools = json_array();

		for (j = 0; j < t->node[i].n_cores; j++)
			json_array_append_new(cores, json_integer(t->node[i].core_cpu[j]));
		if (hp_node_read(t->node[i].id, &hp) == 0)
			for (j = 0; j < hp.n_sizes; j++)
				json_array_append_new(pools, json_pack("{s:I, s:I, s:I}", "page_kb",
								       (json_int_t)hp.size[j].kb, "pages",
								       (json_int_t)hp.size[j].nr, "free",
								       (json_int_t)hp.size[j].free));
		json_array_append_new(nodes, json_pack("{s:i, s:i, s:o, s:o}", "node", t->node[i].id,
						       "pus", t->node[i].n_pus, "cores", cores,
						       "hugepages", pools));
	}
	return json_pack("{s:i, s:i, s:i, s:o}", "nodes", t->n_nodes, "cores", t->n_cores, "pus",
			 t->n_pus, "numa", nodes);
}

static json_t *
probe_json(const struct probe *p)
{
	return json_pack("{s:b, s:s}", "ok", p->ok, "detail", p->detail);
}

static json_t *
tools_json(void)
{
	json_t *out = json_object();
	int i;

	for (i = 0; tools[i].name != NULL; i++) {
		const char *path = tb_tool_path(tools[i].name);

		json_object_set_new(out, tools[i].name,
				    json_pack("{s:s?, s:s}", "path", path, "package", tools[i].package));
	}
	return out;
}

int
up_doctor(json_t **out, char *why, size_t whylen)
{
	struct probe kvm, tcg, vhost_net, ovs_mod, xdp;
	struct ib_doctor dd = {.root = geteuid() == 0};
	struct topo topo;
	struct utsname un;
	json_t *d, *t, *probes, *v, *vd;
	size_t i;

	if (topo_load(&topo) < 0) {
		tb_err("cannot read the CPU topology (hwloc)");
		return -ENODEV;
	}
	uname(&un);
	tb_info("probing (boots a guest kernel under KVM and TCG: up to 40 s) ...");
	probe_qemu_boot("kvm", 15000, &kvm);
	probe_kvm_explain(&kvm);
	probe_qemu_boot("tcg", 25000, &tcg);
	probe_module("vhost_net", &vhost_net);
	probe_module("openvswitch", &ovs_mod);
	probe_af_xdp(&xdp);
	if (dd.root) {
		probe_kernel_net(&dd.tun, &dd.veth, &dd.bridge, &dd.nat);
	} else {
		dd.tun = (struct probe){false, "not probed: needs root"};
		dd.veth = dd.bridge = dd.nat = dd.tun;
	}
	d = json_pack("{s:s, s:o}", "kernel", un.release, "topology", topology_json(&topo));
	probes = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "kvm", probe_json(&kvm), "tcg",
			   probe_json(&tcg), "vhost_net", probe_json(&vhost_net), "openvswitch_mod",
			   probe_json(&ovs_mod), "tun", probe_json(&dd.tun), "veth",
			   probe_json(&dd.veth), "bridge", probe_json(&dd.bridge), "nftables_nat",
			   probe_json(&dd.nat));
	json_object_set_new(probes, "af_xdp", probe_json(&xdp));
	json_object_set_new(d, "probes", probes);
	t = tools_json();
	json_object_set_new(d, "tools", t);
	json_array_foreach(json_object_get(json_object_get(d, "topology"), "numa"), i, v)
		dd.hugepages = dd.hugepages || json_array_size(json_object_get(v, "hugepages")) > 0;
	dd.qemu = kvm.ok || tcg.ok;

	/* one verdict per backend, from its row (instance/be-*.c), in the table's order */
	vd = json_object();
	for (i = 0; i < ib_n_backends; i++)
		json_object_set_new(vd, ib_backends[i]->name,
				    ib_backends[i]->doctor(ib_backends[i], &dd));
	json_object_set_new(vd, "guest netns",
			    ib_verdict(dd.veth.ok, "cannot create namespaces (root?)"));
	json_object_set_new(vd, "across hosts",
			    json_pack("{s:b, s:s, s:s}", "runs", dd.veth.ok, "wire_pmd",
				      xdp.ok ? "af_xdp" : "af_packet", "why",
				      !dd.veth.ok ? "no veth for the wire between the hosts"
				      : xdp.ok ? "two host namespaces on a veth wire, af_xdp"
					       : "two host namespaces on a veth wire, af_packet"));
	snprintf(why, whylen, "%s", kvm.ok ? "KVM works" :
		 tcg.ok && probe_kvm_pvm() ? PROBE_KVM_PVM_WHY :
		 tcg.ok ? "KVM unusable, TCG (software emulation, slow) works" :
			  "no accelerator boots a guest");
	json_object_set_new(vd, "guest qemu",
			    json_pack("{s:b, s:s, s:s}", "runs", kvm.ok || tcg.ok, "accel",
				      kvm.ok ? "kvm" : tcg.ok ? "tcg" : "none", "why", why));
	json_object_set_new(d, "verdict", vd);
	*out = d;
	return 0;
}
