/* SPDX-License-Identifier: BSD-3-Clause */
/* Probes of the host: kernel modules, QEMU boot, AF_XDP, macvtap, vhost-net, nft. */
#ifndef TB_PROBE_H
#define TB_PROBE_H

#include <stdbool.h>
#include <stddef.h>

/* A capability found by trying it, with the reason when it failed. */
struct probe {
	bool ok;
	char detail[640];
};

/* Boots the distribution kernel in QEMU until it panics for want of a root fs. */
void probe_qemu_boot(const char *accel, int timeout_ms, struct probe *p);
/* The host's KVM is kvm_pvm (/sys/module/kvm_pvm, or in /proc/modules). */
bool probe_kvm_pvm(void);
#define PROBE_KVM_PVM_WHY                                                                          \
	"KVM is kvm_pvm (nested PVM): it boots only PVM-enabled guest kernels; Debian's is not, "  \
	"so guests run under TCG"
/* A failed KVM boot probe on a kvm_pvm host: its detail says why (the probe's own after it). */
void probe_kvm_explain(struct probe *kvm);
/* Kernel module loaded or loadable (modprobe dry run). */
void probe_module(const char *name, struct probe *p);
/* Whether the kernel opens AF_XDP sockets (DPDK's net_af_xdp needs them). */
void probe_af_xdp(struct probe *p);
/* In a throwaway namespace: tap, veth, bridge, nftables NAT. */
void probe_kernel_net(struct probe *tun, struct probe *veth, struct probe *bridge,
		      struct probe *nat);
/* In a throwaway namespace: a macvtap in bridge mode on a veth. */
void probe_macvtap(struct probe *p);
/* /dev/vhost-net opens and answers VHOST_GET_FEATURES (not just: the file exists). */
void probe_vhost_net_dev(struct probe *p);

#endif
