/* SPDX-License-Identifier: BSD-3-Clause */
/* Probes of the host: kernel modules, QEMU boot, AF_XDP, macvtap, vhost-net, nft. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/vhost.h>

#include "fsutil.h"
#include "nat.h"
#include "netcmd.h"
#include "probe.h"
#include "runcmd.h"

static int
newest_kernel(char *buf, size_t len)
{
	struct dirent *de;
	DIR *d = opendir("/boot");

	buf[0] = '\0';
	if (d == NULL)
		return -ENOENT;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "vmlinuz-", 8) == 0 &&
		    (buf[0] == '\0' || strverscmp(de->d_name, buf + 6) > 0))
			snprintf(buf, len, "/boot/%s", de->d_name);
	closedir(d);
	return buf[0] ? 0 : -ENOENT;
}

void
probe_qemu_boot(const char *accel, int timeout_ms, struct probe *p)
{
	struct tb_run_opts o = {.timeout_ms = timeout_ms};
	char kernel[300], *out = NULL;
	int ret;

	p->ok = false;
	if (tb_tool_path("qemu-system-x86_64") == NULL) {
		snprintf(p->detail, sizeof(p->detail), "qemu-system-x86_64 not installed");
		return;
	}
	if (newest_kernel(kernel, sizeof(kernel)) < 0) {
		snprintf(p->detail, sizeof(p->detail), "no guest kernel in /boot (linux-image-amd64)");
		return;
	}
	const char *argv[] = {"qemu-system-x86_64", "-accel", accel, "-m", "256", "-nodefaults",
			      "-display", "none", "-serial", "stdio", "-no-reboot", "-kernel",
			      kernel, "-append", "console=ttyS0 panic=-1 loglevel=4", NULL};

	ret = tb_run(argv, &o, &out, NULL);
	/* the kernel got as far as looking for its root: it runs under this accelerator */
	if (out != NULL && (strstr(out, "Kernel panic") || strstr(out, "VFS: Unable to mount"))) {
		p->ok = true;
		snprintf(p->detail, sizeof(p->detail), "%s booted %s to its root mount", accel,
			 kernel);
	} else if (ret == -ETIMEDOUT) {
		snprintf(p->detail, sizeof(p->detail), "%s: guest kernel hung (no panic within %d s)",
			 accel, timeout_ms / 1000);
	} else {
		snprintf(p->detail, sizeof(p->detail), "%s: qemu exit %d before the kernel ran", accel,
			 ret);
	}
	free(out);
}

bool
probe_kvm_pvm(void)
{
	char *mods = NULL;
	bool pvm;

	if (tb_path_exists("/sys/module/kvm_pvm"))
		return true;
	if (tb_read_file("/proc/modules", &mods, NULL) < 0)
		return false;
	pvm = strncmp(mods, "kvm_pvm ", 8) == 0 || strstr(mods, "\nkvm_pvm ") != NULL;
	free(mods);
	return pvm;
}

void
probe_kvm_explain(struct probe *kvm)
{
	char seen[sizeof(kvm->detail)];

	if (kvm->ok || !probe_kvm_pvm())
		return;
	snprintf(seen, sizeof(seen), "%s", kvm->detail);
	snprintf(kvm->detail, sizeof(kvm->detail), "%s (probe: %.400s)", PROBE_KVM_PVM_WHY, seen);
}

void
probe_module(const char *name, struct probe *p)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	if (tb_path_exists(path)) {
		p->ok = true;
		snprintf(p->detail, sizeof(p->detail), "loaded");
		return;
	}
	p->ok = tb_run_ok((const char *[]){"modprobe", "-n", "-q", name, NULL}, NULL, 0) == 0;
	snprintf(p->detail, sizeof(p->detail), p->ok ? "loadable" : "not available in this kernel");
}

void
probe_af_xdp(struct probe *p)
{
	int fd = socket(AF_XDP, SOCK_RAW, 0);

	p->ok = fd >= 0;
	if (p->ok) {
		close(fd);
		snprintf(p->detail, sizeof(p->detail), "AF_XDP sockets open: the hosts' wire "
			 "(up --hosts 2) runs on net_af_xdp");
	} else {
		snprintf(p->detail, sizeof(p->detail), "no AF_XDP sockets (%s): the hosts' wire "
			 "runs on net_af_packet", strerror(errno));
	}
}

static void
result(struct probe *p, int ret, const char *err, const char *ok)
{
	p->ok = ret == 0;
	snprintf(p->detail, sizeof(p->detail), "%s", p->ok ? ok : err);
}

void
probe_kernel_net(struct probe *tun, struct probe *veth, struct probe *bridge, struct probe *nat)
{
	char ns[64], err[TB_ERR_LEN];
	struct vsc_nat_conf nc = {
		.table = "testbed_probe",
		.outer_if = "tbp-a",
		.outer_addr = "198.18.255.1",
		.inner_net = "198.19.255.0/24",
		.inner_addr = "198.19.255.2",
	};
	char path[128], dir[] = "/tmp/tb-probe-XXXXXX";
	int ret;

	snprintf(ns, sizeof(ns), "tb-probe%d", (int)getpid());
	ret = tb_ip(err, sizeof(err), "netns", "add", ns, NULL);
	if (ret < 0) {
		result(tun, ret, err, "");
		*veth = *bridge = *nat = *tun;
		return;
	}
	ret = tb_ip(err, sizeof(err), "-n", ns, "tuntap", "add", "dev", "tbp-t", "mode", "tap", NULL);
	result(tun, ret, err, "tap device created");
	ret = tb_ip(err, sizeof(err), "-n", ns, "link", "add", "tbp-a", "type", "veth", "peer",
		    "name", "tbp-b", NULL);
	result(veth, ret, err, "veth pair created");
	ret = tb_ip(err, sizeof(err), "-n", ns, "link", "add", "tbp-br", "type", "bridge", NULL);
	result(bridge, ret, err, "bridge created");
	/* the same ruleset `up` loads into each masquerade pod, from a private directory */
	if (mkdtemp(dir) == NULL) {
		snprintf(err, sizeof(err), "mkdtemp %s: %s", dir, strerror(errno));
		result(nat, -errno, err, "");
	} else {
		snprintf(path, sizeof(path), "%s/nat.nft", dir);
		ret = vsc_nat_apply(ns, &nc, path, err, sizeof(err));
		result(nat, ret, err, "nftables DNAT + masquerade rules loaded");
		unlink(path);
		rmdir(dir);
	}
	tb_ip(NULL, 0, "netns", "delete", ns, NULL);
}

void
probe_macvtap(struct probe *p)
{
	char ns[64], err[TB_ERR_LEN];
	int ret;

	snprintf(ns, sizeof(ns), "tb-probe%d-mv", (int)getpid());
	ret = tb_ip(err, sizeof(err), "netns", "add", ns, NULL);
	if (ret == 0)
		ret = tb_ip(err, sizeof(err), "-n", ns, "link", "add", "tbp-l", "type", "veth",
			    "peer", "name", "tbp-p", NULL);
	if (ret == 0)
		ret = tb_ip(err, sizeof(err), "-n", ns, "link", "add", "link", "tbp-l", "name",
			    "tbp-mv", "type", "macvtap", "mode", "bridge", NULL);
	result(p, ret, err, "macvtap (bridge mode) on a veth created");
	tb_ip(NULL, 0, "netns", "delete", ns, NULL);
}

void
probe_vhost_net_dev(struct probe *p)
{
	uint64_t features = 0;
	int fd = open("/dev/vhost-net", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		p->ok = false;
		snprintf(p->detail, sizeof(p->detail),
			 "/dev/vhost-net: %s (the kernel's vhost_net module is not loaded; "
			 "modprobe vhost_net where it exists)",
			 strerror(errno));
		return;
	}
	p->ok = ioctl(fd, VHOST_GET_FEATURES, &features) == 0;
	if (p->ok)
		snprintf(p->detail, sizeof(p->detail), "/dev/vhost-net answers (features 0x%llx)",
			 (unsigned long long)features);
	else
		snprintf(p->detail, sizeof(p->detail), "/dev/vhost-net: VHOST_GET_FEATURES: %s",
			 strerror(errno));
	close(fd);
}
