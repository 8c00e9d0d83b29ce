/* SPDX-License-Identifier: BSD-3-Clause */
/* The tap, macvtap and vhost-net backends: relays for netns guests, taps for VMs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "addr.h"
#include "fsutil.h"
#include "kbridge.h"
#include "log.h"
#include "netcmd.h"
#include "netns-guest.h"
#include "qemu.h"
#include "relay.h"
#include "runcmd.h"
#include "state.h"
#include "up.h"

/*
 * The tap and macvtap backends. QEMU guests get a tap NIC (vhost=off) on the host's
 * bridge, or a macvtap's fd. Netns guests have no QEMU to copy their frames: the relay
 * (vm-profiles/relay.h, one process per batch of guests) does what QEMU's userspace
 * backend does, between the guest's tap and the host side: a tap on the bridge, or a
 * macvtap in bridge mode on the host link (one host: a veth whose peer idles; with
 * --hosts 2 the macvtap wire between the hosts). A macvlan on the same link gives the
 * host namespace a way to its macvtap guests (the lower device itself cannot reach them).
 */

struct relay_batch {
	struct vm_relay_launch l;
	char gtap[UP_MAX_GUESTS][TB_IFNAME_MAX + 1];
	char host[UP_MAX_GUESTS][320];
	char log[300], ready[300], role[32];
};

/* Host h's link the macvtaps sit on (made on first use), with the host's macvlan. */
static int
macvtap_lower(struct up_ctx *u, int h, char *lower, size_t len)
{
	char mh[32], lower_peer[32];
	int ret;

	if (u->n_hosts > 1) {
		if (up_wire_name(u, 'm', h, lower, len) < 0)
			return -ENAMETOOLONG;
	} else if (tb_link_name(lower, len, u->conf.instance, "ml") < 0) {
		return -ENAMETOOLONG;
	}
	if (tb_link_name(mh, sizeof(mh), u->conf.instance, "mh") < 0 ||
	    tb_link_name(lower_peer, sizeof(lower_peer), u->conf.instance, "mp") < 0)
		return -ENAMETOOLONG;
	if (tb_link_exists(u->hosts_ns[h], mh))
		return 0;
	ret = 0;
	/* one host: a veth whose other end stays idle (kernels without the dummy module) */
	if (u->n_hosts == 1)
		ret = tb_veth_add(u->hosts_ns[h], lower, u->hosts_ns[h], lower_peer, u->err,
				  sizeof(u->err));
	if (ret == 0)
		ret = tb_ip(u->err, sizeof(u->err), "-n", u->hosts_ns[h], "link", "set", lower,
			    "up", NULL);
	if (ret == 0)
		ret = tb_ip(u->err, sizeof(u->err), "-n", u->hosts_ns[h], "link", "add", "link",
			    lower, "name", mh, "type", "macvlan", "mode", "bridge", NULL);
	if (ret == 0)
		ret = tb_ip(u->err, sizeof(u->err), "-n", u->hosts_ns[h], "link", "set", mh, "up",
			    NULL);
	return ret;
}

/* One line of a file in namespace ns's sysfs (ip netns exec mounts the namespace's own). */
static int
ns_sysfs_read(struct up_ctx *u, const char *ns, const char *path, char *buf, size_t len)
{
	const char *argv[] = {"ip", "netns", "exec", ns, "cat", path, NULL};
	struct tb_run_opts o = {.timeout_ms = 10000};
	char *out = NULL;
	int ret = tb_run(argv, &o, &out, NULL);

	if (ret != 0 || out == NULL) {
		snprintf(u->err, sizeof(u->err), "cannot read %s in %s", path, ns);
		free(out);
		return -EIO;
	}
	snprintf(buf, len, "%s", out);
	buf[strcspn(buf, "\n")] = '\0';
	free(out);
	return 0;
}

/*
 * A macvtap `name` in host namespace hns with the guest's MAC, and its character device
 * made in the run dir (no udev makes /dev/tapN for a namespace's device) into node.
 */
static int
macvtap_make(struct up_ctx *u, int h, const char *name, const char *mac, char *node,
	     size_t nodelen)
{
	const char *hns = u->hosts_ns[h];
	char lower[32], path[160], line[64], file[48];
	unsigned int maj, min;
	int ret = macvtap_lower(u, h, lower, sizeof(lower));

	if (ret == 0)
		ret = tb_ip(u->err, sizeof(u->err), "-n", hns, "link", "add", "link", lower, "name",
			    name, "address", mac, "txqueuelen", "1000", "type", "macvtap", "mode",
			    "bridge", NULL);
	if (ret == 0)
		ret = tb_ip(u->err, sizeof(u->err), "-n", hns, "link", "set", name, "up", NULL);
	snprintf(path, sizeof(path), "/sys/class/net/%s/ifindex", name);
	if (ret == 0)
		ret = ns_sysfs_read(u, hns, path, line, sizeof(line));
	snprintf(path, sizeof(path), "/sys/class/net/%s/macvtap/tap%s/dev", name, line);
	if (ret == 0)
		ret = ns_sysfs_read(u, hns, path, line, sizeof(line));
	if (ret == 0 && sscanf(line, "%u:%u", &maj, &min) != 2) {
		snprintf(u->err, sizeof(u->err), "%s: device number \"%s\" unreadable", name, line);
		ret = -EIO;
	}
	snprintf(file, sizeof(file), "%s.tap", name);
	if (ret == 0)
		ret = tb_run_path(node, nodelen, u->conf.instance, file);
	if (ret == 0 && mknod(node, S_IFCHR | 0600, makedev(maj, min)) < 0) {
		ret = -errno;
		snprintf(u->err, sizeof(u->err), "mknod %s: %s", node, strerror(errno));
	}
	return ret;
}

static int
relay_start(struct up_ctx *u, struct relay_batch *b, enum tb_backend be, pid_t *pid)
{
	char self[512], file[48];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int ret;

	if (n <= 0) {
		snprintf(u->err, sizeof(u->err), "cannot find this program for the relay");
		return -ENOENT;
	}
	self[n] = '\0';
	snprintf(b->role, sizeof(b->role), "relay-%s%d", tb_backend_tag(be), u->first);
	snprintf(file, sizeof(file), "%s.log", b->role);
	tb_run_path(b->log, sizeof(b->log), u->conf.instance, file);
	snprintf(file, sizeof(file), "%s.ready", b->role);
	tb_run_path(b->ready, sizeof(b->ready), u->conf.instance, file);
	b->l.self = self;
	b->l.log_path = b->log;
	b->l.ready_file = b->ready;
	/* the guest side's copying runs where the shim would: housekeeping, off guest cores */
	b->l.cpu = u->plan.shim >= 0 ? u->plan.shim : u->plan.housekeeping;
	ret = vm_relay_start(&b->l, pid, u->err, sizeof(u->err));
	if (ret == 0)
		ret = up_journal_process(u, b->role, *pid);
	if (ret == 0)
		ret = vm_relay_wait_ready(&b->l, *pid, 30000, u->err, sizeof(u->err));
	return ret;
}

/* A netns guest on the relay's guest tap: in its namespace as eth0, with mac. */
static int
relay_guest(struct up_ctx *u, enum tb_backend be, int i, const char *gtap, const char *mac)
{
	char name[16], ns[64], addr[32], cidr[40];
	int ret;

	snprintf(name, sizeof(name), "%s%d", tb_backend_tag(be), i);
	tb_ns_name(ns, sizeof(ns), u->conf.instance, name);
	up_guest_addr(u, be, i, addr, sizeof(addr));
	snprintf(cidr, sizeof(cidr), "%s/%d", addr, TB_ADDR_PREFIX_LEN);
	ret = up_journal_netns(u, ns);
	if (ret == 0)
		ret = vm_netns_create(ns, u->err, sizeof(u->err));
	if (ret == 0)
		ret = vm_netns_adopt(ns, gtap, u->err, sizeof(u->err));
	if (ret == 0)
		ret = tb_ip(u->err, sizeof(u->err), "-n", ns, "link", "set", VM_GUEST_NIC,
			    "address", mac, NULL);
	if (ret == 0)
		ret = vm_netns_nic_up(ns, cidr, u->err, sizeof(u->err));
	if (ret == 0)
		ret = up_add_guest(u, name, be, i, ns, NULL, addr, up_next_guest_cpu(u));
	return ret;
}

/* The host side of guest i: a tap name, or a macvtap made now (node in b->host). */
static int
host_side(struct up_ctx *u, struct relay_batch *b, enum tb_backend be, int k, const char *mac)
{
	int i = u->first + k, h = tb_guest_host(i, u->n_hosts);
	char sfx[16], link[32], node[300];
	int ret;

	snprintf(sfx, sizeof(sfx), "%s%d", be == TB_BE_TAP ? "p" : "v", i);
	if (tb_link_name(link, sizeof(link), u->conf.instance, sfx) < 0)
		return -ENAMETOOLONG;
	if (be == TB_BE_TAP) {
		snprintf(b->host[k], sizeof(b->host[k]), "tap:%s", link);
		return 0;
	}
	ret = macvtap_make(u, h, link, mac, node, sizeof(node));
	snprintf(b->host[k], sizeof(b->host[k]), "macvtap:%s", node);
	return ret;
}

/* After the relay opened it: the host tap into its host's namespace, on the bridge. */
static int
host_tap_attach(struct up_ctx *u, int i)
{
	int h = tb_guest_host(i, u->n_hosts);
	char sfx[16], link[32], br[32];
	int ret;

	snprintf(sfx, sizeof(sfx), "p%d", i);
	tb_link_name(link, sizeof(link), u->conf.instance, sfx);
	ret = up_kernel_bridge(u, h, br, sizeof(br));
	if (ret == 0)
		ret = tb_ip(u->err, sizeof(u->err), "link", "set", link, "netns", u->hosts_ns[h],
			    NULL);
	if (ret == 0)
		ret = vsc_kbr_attach(u->hosts_ns[h], br, link, u->err, sizeof(u->err));
	return ret;
}

static int
netns_guests(struct up_ctx *u, enum tb_backend be)
{
	struct relay_batch *b = calloc(1, sizeof(*b));
	char mac[UP_MAX_GUESTS][VM_MAC_LEN], sfx[16];
	pid_t pid;
	int k, ret = 0;

	if (b == NULL)
		return -ENOMEM;
	for (k = 0; k < u->count && ret == 0; k++) {
		int i = u->first + k;

		vm_qemu_mac(be, up_guest_index(u, i), mac[k],
			    sizeof(mac[k]));
		snprintf(sfx, sizeof(sfx), "%s%d", be == TB_BE_TAP ? "pg" : "vg", i);
		if (tb_link_name(b->gtap[k], sizeof(b->gtap[k]), u->conf.instance, sfx) < 0)
			ret = -ENAMETOOLONG;
		if (ret == 0)
			ret = host_side(u, b, be, k, mac[k]);
		b->l.guest_tap[k] = b->gtap[k];
		b->l.host[k] = b->host[k];
	}
	b->l.n_ports = u->count;
	if (ret == 0)
		ret = relay_start(u, b, be, &pid);
	for (k = 0; k < u->count && ret == 0; k++) {
		if (be == TB_BE_TAP)
			ret = host_tap_attach(u, u->first + k);
		if (ret == 0)
			ret = relay_guest(u, be, u->first + k, b->gtap[k], mac[k]);
	}
	if (ret == 0)
		tb_info("%s: guests %d-%d through the relay (pid %d, cpu %d)", tb_backend_name(be),
			u->first, u->first + u->count - 1, (int)pid, b->l.cpu);
	free(b);
	return ret;
}

static int
vm_guests(struct up_ctx *u, enum tb_backend be)
{
	char name[16], addr[32], cidr[40], sfx[16], link[32], mac[VM_MAC_LEN], node[300];
	int k, ret = 0;

	for (k = 0; k < u->count && ret == 0; k++) {
		int i = u->first + k, h = tb_guest_host(i, u->n_hosts);
		struct up_vm *vm;

		snprintf(name, sizeof(name), "%s%d", tb_backend_tag(be), i);
		up_guest_addr(u, be, i, addr, sizeof(addr));
		snprintf(cidr, sizeof(cidr), "%s/%d", addr, TB_ADDR_PREFIX_LEN);
		if (be != TB_BE_MACVTAP) {
			ret = up_bridge_vm(u, be, i, name, addr, cidr);
			continue;
		}
		vm = up_vm_new(u);
		if (vm == NULL) {
			ret = -E2BIG;
			break;
		}
		vm_qemu_mac(be, up_guest_index(u, i), mac, sizeof(mac));
		snprintf(sfx, sizeof(sfx), "v%d", i);
		tb_link_name(link, sizeof(link), u->conf.instance, sfx);
		ret = macvtap_make(u, h, link, mac, node, sizeof(node));
		snprintf(vm->name, sizeof(vm->name), "%s", name);
		vm->be = be;
		vm->idx = i;
		snprintf(vm->addr, sizeof(vm->addr), "%s", addr);
		snprintf(vm->cidr, sizeof(vm->cidr), "%s", cidr);
		snprintf(vm->tap_dev, sizeof(vm->tap_dev), "%s", node);
		if (ret == 0)
			ret = up_vm_start(u, vm);
	}
	return ret;
}

int
up_relay_backend(struct up_ctx *u, enum tb_backend be)
{
	int ret = u->vms ? vm_guests(u, be) : netns_guests(u, be);

	if (ret < 0) {
		tb_err("%s: %s", tb_backend_name(be), u->err[0] ? u->err : strerror(-ret));
		return ret;
	}
	if (u->vms)
		tb_info("%s: guests %d-%d (QEMU %s)", tb_backend_name(be), u->first,
			u->first + u->count - 1,
			be == TB_BE_MACVTAP ? "on macvtap fds" : be == TB_BE_VHOST_NET
				? "tap, vhost=on" : "tap, vhost=off");
	return 0;
}
