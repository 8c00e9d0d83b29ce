/* SPDX-License-Identifier: BSD-3-Clause */
/* Hosts of an instance: their namespaces, wires and addresses, guests' placement. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "fsutil.h"
#include "backends.h"
#include "kbridge.h"
#include "log.h"
#include "netcmd.h"
#include "netns-guest.h"
#include "state.h"
#include "up.h"

/*
 * The instance's hosts (lib/hosts.h): one network namespace each. With --hosts 2 they are
 * joined by two veth "wires", as two machines would be by their NICs: one the vhost-user
 * switches drive through a DPDK PMD (tb<inst>-wv<h>), one for the kernel paths that joins
 * each host's bridge (tb<inst>-wk<h>) and carries the hosts' own addresses (the baseline).
 * Two wires because a DPDK PMD on a link sees every frame on it: sharing one would mix the
 * backends' traffic. A real host gives each path its own NIC (or a bifurcated one).
 */

const char *
up_guest_host_ns(const struct up_ctx *u, int idx)
{
	return u->hosts_ns[tb_guest_host(idx, u->n_hosts)];
}

int
up_guest_index(const struct up_ctx *u, int idx)
{
	int k = tb_addr_machine_index(u->conf.host_index, idx);

	return k < 0 ? idx : k;
}

int
up_guest_addr(const struct up_ctx *u, enum tb_backend be, int idx, char *buf, size_t len)
{
	if (u->conf.nic != NULL || u->conf.kernel_nic != NULL) /* a machine among others */
		return tb_addr_machine_guest(be, u->conf.host_index, idx, buf, len);
	return tb_addr_guest(be, idx, buf, len);
}

int
up_host_pmd(const struct up_ctx *u, int h, int *cpus)
{
	int i, n = u->conf.n_pmd < u->plan.n_pmd ? u->conf.n_pmd : u->plan.n_pmd;

	/* hosts share the planned PMD cores round-robin when the node has too few */
	for (i = 0; i < n; i++)
		cpus[i] = u->plan.pmd[(h * n + i) % u->plan.n_pmd];
	return n;
}

void
up_host_names(struct up_ctx *u)
{
	char tag[16];
	int h;

	if (u->n_hosts < 1)
		u->n_hosts = 1;
	for (h = 0; h < u->n_hosts; h++) {
		tb_host_tag(h, tag, sizeof(tag));
		tb_ns_name(u->hosts_ns[h], sizeof(u->hosts_ns[h]), u->conf.instance, tag);
	}
	snprintf(u->host_ns, sizeof(u->host_ns), "%s", u->hosts_ns[0]);
}

int
up_wire_name(const struct up_ctx *u, char kind, int h, char *buf, size_t len)
{
	char sfx[8];

	snprintf(sfx, sizeof(sfx), "w%c%d", kind, h);
	return tb_link_name(buf, len, u->conf.instance, sfx);
}

int
up_host_ns(struct up_ctx *u)
{
	int h, ret = 0;

	up_host_names(u);
	for (h = 0; h < u->n_hosts && ret == 0; h++) {
		if (tb_netns_exists(u->hosts_ns[h]))
			continue; /* growing an instance that is up */
		ret = up_journal_netns(u, u->hosts_ns[h]);
		if (ret == 0)
			ret = vm_netns_create(u->hosts_ns[h], u->err, sizeof(u->err));
		if (ret < 0)
			tb_err("host namespace %s: %s", u->hosts_ns[h], u->err);
	}
	return ret;
}

/* Host h's own address: on its bridge when the kernel paths have one, else on the wire. */
static int
host_address(struct up_ctx *u, int h, const char *wire, json_t *entry)
{
	char br[32], addr[32], cidr[40];
	const char *dev = wire;
	int ret = 0;

	/* one host per real machine: machine K's host is K, as its guests are K's */
	tb_addr_host(u->conf.kernel_nic != NULL ? u->conf.host_index : h, addr, sizeof(addr));
	snprintf(cidr, sizeof(cidr), "%s/%d", addr, TB_ADDR_PREFIX_LEN);
	/* guests on the kernel bridge (their rows' IB_ON_BRIDGE): the host's address on it */
	if (ib_flags(u->conf.backends) & IB_ON_BRIDGE) {
		ret = up_kernel_bridge(u, h, br, sizeof(br));
		if (ret == 0)
			ret = vsc_kbr_attach(u->hosts_ns[h], br, wire, u->err, sizeof(u->err));
		dev = br;
	}
	if (ret == 0)
		ret = tb_ip(u->err, sizeof(u->err), "-n", u->hosts_ns[h], "addr", "add", cidr, "dev",
			    dev, NULL);
	json_object_set_new(entry, "address", json_string(addr));
	json_object_set_new(entry, "address_on", json_string(dev));
	return ret;
}

static int
wire_quiet(struct up_ctx *u, int h, const char *wire)
{
	char key[96];

	snprintf(key, sizeof(key), "net.ipv6.conf.%s.disable_ipv6", wire);
	return tb_ns_sysctl(u->hosts_ns[h], key, "1", u->err, sizeof(u->err));
}

/*
 * --nic with iface=NAME (af_xdp, af_packet) names a link of the machine: the switch runs in the
 * host namespace, so the link moves there (down's deletion of that namespace gives a physical
 * NIC back to the root namespace). A PCI address, or a link already there, is left as it is.
 */
int
up_nic_iface(const char *devargs, char *link, size_t len)
{
	const char *p = strstr(devargs, "iface=");
	size_t n;

	if (p == NULL)
		return 0;
	p += strlen("iface=");
	n = strcspn(p, ",");
	if (n == 0 || n >= len || n > 15)
		return -EINVAL;
	memcpy(link, p, n);
	link[n] = '\0';
	return 1;
}

int
up_nic_probe(const char *devargs, char *why, size_t len)
{
	char link[32], path[300], drv[300];
	const char *base;
	unsigned int d, b, s, f;
	ssize_t n;
	int ret = up_nic_iface(devargs, link, sizeof(link));

	if (ret < 0) {
		snprintf(why, len, "bad iface in \"%s\" (allowed: a link name of 1-15 characters)",
			 devargs);
		return ret;
	}
	if (ret == 1) {
		if (tb_ip(NULL, 0, "link", "show", "dev", link, NULL) != 0) {
			snprintf(why, len, "no link %s on this machine", link);
			return -ENODEV;
		}
		snprintf(why, len, "link %s is here (up moves it into the host namespace)", link);
		return 0;
	}
	if (sscanf(devargs, "%x:%x:%x.%x", &d, &b, &s, &f) != 4) {
		snprintf(why, len, "\"%s\" is neither a PCI address nor has iface=: not checked",
			 devargs);
		return 0;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%.12s", devargs);
	if (!tb_path_exists(path)) {
		snprintf(why, len, "no PCI device %s on this machine", devargs);
		return -ENODEV;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%.12s/driver", devargs);
	n = readlink(path, drv, sizeof(drv) - 1);
	drv[n > 0 ? n : 0] = '\0';
	base = strrchr(drv, '/') != NULL ? strrchr(drv, '/') + 1 : drv;
	if (n <= 0 || strcmp(base, "vfio-pci") != 0) {
		snprintf(why, len, "PCI device %s is bound to %s, not vfio-pci (dpdk-devbind.py -b "
			 "vfio-pci %s)", devargs, n > 0 ? base : "no driver", devargs);
		return -ENODEV;
	}
	snprintf(why, len, "PCI device %s is bound to vfio-pci", devargs);
	return 0;
}

/* Link `link` of the machine into the host namespace, up (nothing when it is there). */
static int
link_adopt(struct up_ctx *u, const char *opt, const char *link)
{
	int ret;

	if (tb_link_exists(u->hosts_ns[0], link))
		return 0;
	/* netlink, not /sys: sysfs may be another namespace's (nsenter --net) */
	if (tb_ip(NULL, 0, "link", "show", "dev", link, NULL) != 0) {
		tb_err("--%s: no link %s on this machine", opt, link);
		return -ENODEV;
	}
	ret = tb_ip(u->err, sizeof(u->err), "link", "set", link, "netns", u->hosts_ns[0], NULL);
	if (ret == 0)
		ret = tb_ip(u->err, sizeof(u->err), "-n", u->hosts_ns[0], "link", "set", link, "up",
			    NULL);
	if (ret < 0)
		tb_err("--%s: moving %s into %s: %s", opt, link, u->hosts_ns[0], u->err);
	return ret;
}

/*
 * --kernel-nic IFACE: the kernel paths' wire to the other machines, as --hosts 2's kernel
 * wire: in the host namespace, joined to the kernel bridge, the host's address on it.
 */
static int
kernel_nic_adopt(struct up_ctx *u)
{
	char opt[40];
	json_t *e;
	int ret;

	snprintf(opt, sizeof(opt), "kernel-nic %s", u->conf.kernel_nic);
	ret = link_adopt(u, opt, u->conf.kernel_nic);
	if (ret == 0)
		ret = wire_quiet(u, 0, u->conf.kernel_nic);
	if (ret < 0)
		return ret;
	e = tb_state_host(u->st, 0, 1);
	json_object_set_new(e, "netns", json_string(u->hosts_ns[0]));
	json_object_set_new(e, "kernel_wire", json_string(u->conf.kernel_nic));
	ret = host_address(u, 0, u->conf.kernel_nic, e);
	if (ret == 0)
		ret = tb_state_save(u->st);
	if (ret < 0)
		tb_err("--kernel-nic %s: %s", u->conf.kernel_nic,
		       u->err[0] ? u->err : strerror(-ret));
	else
		tb_info("NIC %s joins the kernel bridge in %s", u->conf.kernel_nic, u->hosts_ns[0]);
	return ret;
}

static int
nic_adopt(struct up_ctx *u)
{
	char link[32], opt[240];
	int ret = up_nic_iface(u->conf.nic, link, sizeof(link));

	if (ret == 0)
		return 0;
	if (ret < 0) {
		tb_err("--nic %s: bad iface (allowed: a link name of 1-15 characters)",
		       u->conf.nic);
		return -EINVAL;
	}
	if (tb_link_exists(u->hosts_ns[0], link))
		return 0;
	snprintf(opt, sizeof(opt), "nic %s", u->conf.nic);
	ret = link_adopt(u, opt, link);
	if (ret == 0)
		tb_info("NIC %s moved into %s, where the switch drives it", link, u->hosts_ns[0]);
	return ret;
}

int
up_wires(struct up_ctx *u)
{
	bool vhost = (u->conf.backends & (1u << TB_BE_VHOST_USER)) != 0;
	bool mvt = (u->conf.backends & (1u << TB_BE_MACVTAP)) != 0;
	char wk[2][32], wv[2][32], wm[2][32];
	json_t *e;
	int h, ret = 0;

	if (u->n_hosts < 2 && (u->conf.nic != NULL || u->conf.kernel_nic != NULL)) {
		ret = u->conf.nic != NULL ? nic_adopt(u) : 0;
		if (ret == 0 && u->conf.kernel_nic != NULL)
			ret = kernel_nic_adopt(u);
		return ret;
	}
	if (u->n_hosts < 2)
		return 0;
	for (h = 0; h < 2; h++) {
		if (up_wire_name(u, 'k', h, wk[h], sizeof(wk[h])) < 0 ||
		    up_wire_name(u, 'v', h, wv[h], sizeof(wv[h])) < 0 ||
		    up_wire_name(u, 'm', h, wm[h], sizeof(wm[h])) < 0)
			return -ENAMETOOLONG;
	}
	/* the wires live in the hosts' namespaces: they go when those do */
	ret = tb_veth_add(u->hosts_ns[0], wk[0], u->hosts_ns[1], wk[1], u->err, sizeof(u->err));
	if (ret == 0 && vhost)
		ret = tb_veth_add(u->hosts_ns[0], wv[0], u->hosts_ns[1], wv[1], u->err,
				  sizeof(u->err));
	/* the macvtap guests' host link: macvtaps on each end, as on a host's NIC */
	if (ret == 0 && mvt)
		ret = tb_veth_add(u->hosts_ns[0], wm[0], u->hosts_ns[1], wm[1], u->err,
				  sizeof(u->err));
	for (h = 0; h < 2 && ret == 0; h++) {
		/* no IPv6 chatter (router solicitations, MLD) on the wires: only test traffic */
		ret = wire_quiet(u, h, wk[h]);
		if (ret == 0 && vhost)
			ret = wire_quiet(u, h, wv[h]);
		if (ret == 0 && mvt)
			ret = wire_quiet(u, h, wm[h]);
		if (ret < 0)
			break;
		e = tb_state_host(u->st, h, 1);
		json_object_set_new(e, "netns", json_string(u->hosts_ns[h]));
		json_object_set_new(e, "kernel_wire", json_string(wk[h]));
		if (vhost)
			json_object_set_new(e, "vhost_wire", json_string(wv[h]));
		if (mvt)
			json_object_set_new(e, "macvtap_wire", json_string(wm[h]));
		ret = host_address(u, h, wk[h], e);
	}
	if (ret == 0)
		ret = tb_state_save(u->st);
	if (ret < 0)
		tb_err("wires between the hosts: %s", u->err[0] ? u->err : strerror(-ret));
	else
		tb_info("hosts: %s and %s joined by wire %s<->%s (kernel paths)%s%s", u->hosts_ns[0],
			u->hosts_ns[1], wk[0], wk[1], vhost ? " and the vhost-user wire " : "",
			vhost ? wv[0] : "");
	return ret;
}
