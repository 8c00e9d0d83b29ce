/* SPDX-License-Identifier: BSD-3-Clause */
/* The kernel paths: bridge guests on veth, masquerade pods with NAT, tap VMs. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "kbridge.h"
#include "log.h"
#include "nat.h"
#include "netns-guest.h"
#include "state.h"
#include "runcmd.h"
#include "up.h"

/*
 * The kernel paths: one bridge in a host namespace (tb-<inst>-host), guests
 * on veth pairs; masquerade guests sit behind a pod namespace that NATs them
 * onto the same bridge, as KubeVirt's masquerade binding does.
 */

int
up_kernel_bridge(struct up_ctx *u, int h, char *br, size_t brlen)
{
	int ret;

	if (tb_link_name(br, brlen, u->conf.instance, "br") < 0)
		return -ENAMETOOLONG;
	if (tb_link_exists(u->hosts_ns[h], br))
		return 0; /* the other kernel backend or the wire made it */
	ret = vsc_kbr_create(u->hosts_ns[h], br, u->err, sizeof(u->err));
	if (ret == 0)
		tb_info("kernel bridge %s in namespace %s", br, u->hosts_ns[h]);
	return ret;
}

/* guest namespace `ns` with eth0 on a veth whose other end `peer` is in peer_ns */
static int
veth_guest(struct up_ctx *u, const char *ns, const char *peer_ns, const char *peer)
{
	int ret = up_journal_netns(u, ns);

	if (ret == 0)
		ret = vm_netns_create(ns, u->err, sizeof(u->err));
	if (ret == 0)
		ret = tb_veth_add(ns, VM_GUEST_NIC, peer_ns, peer, u->err, sizeof(u->err));
	return ret;
}

/* A persistent tap in ns for a VM's NIC (journaled: simulate's shrink removes it). */
static int
vm_tap(struct up_ctx *u, const char *ns, const char *tap)
{
	int ret = tb_journal_add(u->st, json_pack("{s:s, s:s, s:s}", "kind", "link", "name", tap,
						  "netns", ns));

	if (ret == 0)
		ret = tb_ip(u->err, sizeof(u->err), "-n", ns, "tuntap", "add", "dev", tap, "mode",
			    "tap", NULL);
	if (ret == 0)
		ret = tb_ip(u->err, sizeof(u->err), "-n", ns, "link", "set", tap, "up", NULL);
	return ret;
}

/* A VM whose NIC is a new tap in ns (QEMU runs there); NULL with *ret on failure. */
static struct up_vm *
tap_vm(struct up_ctx *u, enum tb_backend be, int idx, const char *name, const char *addr,
       const char *cidr, const char *ns, const char *tap, int *ret)
{
	struct up_vm *vm = up_vm_new(u);

	if (vm == NULL) {
		*ret = -E2BIG;
		return NULL;
	}
	snprintf(vm->name, sizeof(vm->name), "%s", name);
	vm->be = be;
	vm->idx = idx;
	snprintf(vm->addr, sizeof(vm->addr), "%s", addr);
	snprintf(vm->cidr, sizeof(vm->cidr), "%s", cidr);
	snprintf(vm->ns, sizeof(vm->ns), "%s", ns);
	snprintf(vm->tap, sizeof(vm->tap), "%s", tap);
	*ret = vm_tap(u, ns, tap);
	return *ret == 0 ? vm : NULL;
}

/* Port name suffix on the bridge of a QEMU guest's tap, per backend. */
static const char *
bridge_port_sfx(enum tb_backend be)
{
	return be == TB_BE_TAP ? "p" : be == TB_BE_VHOST_NET ? "n" : "b";
}

int
up_bridge_vm(struct up_ctx *u, enum tb_backend be, int i, const char *name, const char *addr,
	     const char *cidr)
{
	const char *hns = up_guest_host_ns(u, i);
	char br[32], port[32], sfx[16];
	struct up_vm *vm;
	int ret = up_kernel_bridge(u, tb_guest_host(i, u->n_hosts), br, sizeof(br));

	snprintf(sfx, sizeof(sfx), "%s%d", bridge_port_sfx(be), i);
	if (ret == 0 && tb_link_name(port, sizeof(port), u->conf.instance, sfx) < 0)
		ret = -ENAMETOOLONG;
	if (ret < 0)
		return ret;
	vm = tap_vm(u, be, i, name, addr, cidr, hns, port, &ret);
	if (vm == NULL)
		return ret;
	/* tap: QEMU copies (vhost=off); vhost-net: the kernel does; bridge: as KubeVirt,
	 * vhost-net where the host has it */
	vm->vhost_net = be == TB_BE_VHOST_NET || (be == TB_BE_BRIDGE && u->vhost_net);
	ret = vsc_kbr_attach(hns, br, port, u->err, sizeof(u->err));
	if (ret == 0)
		ret = up_vm_start(u, vm);
	return ret;
}

int
up_bridge(struct up_ctx *u)
{
	char br[32], name[16], ns[64], port[32], addr[32], cidr[40], sfx[16];
	const char *hns;
	int i, ret = 0;

	for (i = u->first; i < u->first + u->count && ret == 0; i++) {
		hns = up_guest_host_ns(u, i);
		ret = up_kernel_bridge(u, tb_guest_host(i, u->n_hosts), br, sizeof(br));
		if (ret < 0)
			break;
		snprintf(name, sizeof(name), "%s%d", tb_backend_tag(TB_BE_BRIDGE), i);
		up_guest_addr(u, TB_BE_BRIDGE, i, addr, sizeof(addr));
		snprintf(cidr, sizeof(cidr), "%s/%d", addr, TB_ADDR_PREFIX_LEN);
		if (u->vms) {
			ret = up_bridge_vm(u, TB_BE_BRIDGE, i, name, addr, cidr);
			continue;
		}
		snprintf(sfx, sizeof(sfx), "b%d", i);
		tb_ns_name(ns, sizeof(ns), u->conf.instance, name);
		tb_link_name(port, sizeof(port), u->conf.instance, sfx);
		ret = veth_guest(u, ns, hns, port);
		if (ret == 0)
			ret = vsc_kbr_attach(hns, br, port, u->err, sizeof(u->err));
		if (ret == 0)
			ret = vm_netns_nic_up(ns, cidr, u->err, sizeof(u->err));
		if (ret == 0)
			ret = up_add_guest(u, name, TB_BE_BRIDGE, i, ns, NULL, addr,
					   up_next_guest_cpu(u));
	}
	if (ret < 0) {
		tb_err("bridge: %s", u->err[0] ? u->err : strerror(-ret));
		return ret;
	}
	tb_info("bridge: guests %d-%d on %s%s", u->first, u->first + u->count - 1, br,
		u->n_hosts > 1 ? " of their hosts" : "");
	return 0;
}

#define POD_INNER_LINK "tbin"

/* A pod: eth0 on the bridge with the address peers use, NAT to its guest. */
static int
make_pod(struct up_ctx *u, const char *pod, const char *hns, const char *br, const char *port,
	 const char *outer_addr)
{
	char cidr[40], table[32], rules[300], nft_name[80];
	struct vsc_nat_conf nc = {
		.table = table,
		.outer_if = VM_GUEST_NIC,
		.outer_addr = outer_addr,
		.inner_net = TB_ADDR_MASQ_INNER_NET,
		.inner_addr = tb_addr_masq_inner(),
	};
	int ret;

	snprintf(table, sizeof(table), "testbed_%s", u->conf.instance);
	snprintf(cidr, sizeof(cidr), "%s/%d", outer_addr, TB_ADDR_PREFIX_LEN);
	snprintf(nft_name, sizeof(nft_name), "%s.nft", pod);
	tb_run_path(rules, sizeof(rules), u->conf.instance, nft_name);
	ret = veth_guest(u, pod, hns, port);
	if (ret == 0)
		ret = vsc_kbr_attach(hns, br, port, u->err, sizeof(u->err));
	if (ret == 0)
		ret = vm_netns_nic_up(pod, cidr, u->err, sizeof(u->err));
	if (ret == 0)
		ret = tb_ns_sysctl(pod, "net.ipv4.ip_forward", "1", u->err, sizeof(u->err));
	if (ret == 0)
		ret = vsc_nat_apply(pod, &nc, rules, u->err, sizeof(u->err));
	return ret;
}

int
up_masquerade(struct up_ctx *u)
{
	char br[32], name[16], ns[64], pod[64], podname[16], port[32], addr[32];
	char inner[40], gw[40], sfx[16];
	const char *hns;
	int i, ret = 0;

	snprintf(inner, sizeof(inner), "%s/%d", tb_addr_masq_inner(), TB_ADDR_PREFIX_LEN);
	snprintf(gw, sizeof(gw), "%s/%d", tb_addr_masq_gateway(), TB_ADDR_PREFIX_LEN);
	for (i = u->first; i < u->first + u->count && ret == 0; i++) {
		hns = up_guest_host_ns(u, i);
		ret = up_kernel_bridge(u, tb_guest_host(i, u->n_hosts), br, sizeof(br));
		if (ret < 0)
			break;
		snprintf(name, sizeof(name), "%s%d", tb_backend_tag(TB_BE_MASQUERADE), i);
		snprintf(podname, sizeof(podname), "pod%d", i);
		snprintf(sfx, sizeof(sfx), "m%d", i);
		tb_ns_name(ns, sizeof(ns), u->conf.instance, name);
		tb_ns_name(pod, sizeof(pod), u->conf.instance, podname);
		tb_link_name(port, sizeof(port), u->conf.instance, sfx);
		up_guest_addr(u, TB_BE_MASQUERADE, i, addr, sizeof(addr));
		ret = make_pod(u, pod, hns, br, port, addr);
		if (ret == 0 && u->vms) {
			/* the VM's tap is the pod's inner link; QEMU runs in the pod */
			struct up_vm *vm = tap_vm(u, TB_BE_MASQUERADE, i, name, addr, inner, pod,
						  POD_INNER_LINK, &ret);

			if (vm != NULL) {
				snprintf(vm->gw, sizeof(vm->gw), "%s", tb_addr_masq_gateway());
				snprintf(vm->pod, sizeof(vm->pod), "%s", pod);
				ret = tb_ip(u->err, sizeof(u->err), "-n", pod, "addr", "add", gw, "dev",
					    POD_INNER_LINK, NULL);
			}
			if (ret == 0)
				ret = up_vm_start(u, vm);
			continue;
		}
		/* the guest: eth0 to the pod's inner link, default route through the pod */
		if (ret == 0)
			ret = veth_guest(u, ns, pod, POD_INNER_LINK);
		if (ret == 0)
			ret = tb_ip(u->err, sizeof(u->err), "-n", pod, "addr", "add", gw, "dev",
				    POD_INNER_LINK, NULL);
		if (ret == 0)
			ret = vm_netns_nic_up(ns, inner, u->err, sizeof(u->err));
		if (ret == 0)
			ret = vm_netns_default_route(ns, tb_addr_masq_gateway(), u->err,
						     sizeof(u->err));
		if (ret == 0)
			ret = up_add_guest(u, name, TB_BE_MASQUERADE, i, ns, pod, addr,
					   up_next_guest_cpu(u));
	}
	if (ret < 0) {
		tb_err("masquerade: %s", u->err[0] ? u->err : strerror(-ret));
		return ret;
	}
	tb_info("masquerade: guests %d-%d behind NAT pods on %s", u->first,
		u->first + u->count - 1, br);
	return 0;
}
