/* SPDX-License-Identifier: BSD-3-Clause */
/* Empty tc and XDP programs on an interface of a namespace (libbpf). */
#ifndef TB_BPF_HOOK_H
#define TB_BPF_HOOK_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Empty eBPF programs on an interface, to measure what the hook itself costs: loaded with
 * libbpf from raw instructions (no compiler), attached through netlink in a network
 * namespace, queried, detached.
 *   tc           SCHED_CLS `r0 = TC_ACT_OK; exit`, direct-action, on the clsact hook's
 *                ingress (handle BH_TC_HANDLE, priority BH_TC_PRIORITY)
 *   xdp-generic  XDP `r0 = XDP_PASS; exit` with XDP_FLAGS_SKB_MODE
 *   xdp-driver   the same with XDP_FLAGS_DRV_MODE; a device without native XDP refuses it
 *                (bh_info.refused, the kernel's reason in err)
 * The namespace work runs in a forked child that setns()es into the namespace: attachments
 * made through netlink hold the program and outlive the child. A namespace is a name under
 * /run/netns, a path ("/proc/PID/ns/net") or NULL (this one).
 * Every function returns 0 or -errno with one line in err ("tbmainb0: XDP attach
 * (driver mode): Operation not supported (veth: ...)"); nothing is printed.
 */
enum bh_mode { BH_NONE, BH_TC, BH_XDP_GENERIC, BH_XDP_DRIVER, BH_N_MODES };

#define BH_TC_HANDLE 1
#define BH_TC_PRIORITY 1
#define BH_ERR_LEN 512

struct bh_info {
	enum bh_mode mode;    /* asked for */
	int ifindex;	      /* in its namespace */
	unsigned int prog_id; /* attached in that mode; 0: none */
	/*
	 * What the kernel reports on the interface: "tc-ingress" (our filter is there),
	 * "skb", "drv", "hw" or "multi" (XDP), "none".
	 */
	char attached[16];
	bool refused; /* bh_attach: the device refused the attachment (the load went fine) */
};

const char *bh_mode_name(enum bh_mode m); /* "none", "tc", "xdp-generic", "xdp-driver" */
/* -EINVAL for anything else. */
int bh_mode_parse(const char *s, enum bh_mode *m);
/* The kernel's attach mode the query reports when mode is attached: "tc-ingress", "skb",
 * "drv"; "none" for BH_NONE. */
const char *bh_mode_attached(enum bh_mode m);
/* The program's instructions in words, for results: "r0 = XDP_PASS (2); exit". */
const char *bh_prog_text(enum bh_mode m);

/*
 * Loads the empty program of mode (tc: SCHED_CLS; the XDP modes: XDP) in this process:
 * its fd (close it) and the kernel's program id. Needs CAP_BPF (root).
 */
int bh_prog_load(enum bh_mode mode, int *fd, unsigned int *prog_id, char *err, size_t errlen);

/*
 * Loads and attaches the empty program of mode (not BH_NONE) on ifname in netns, then
 * reads back what the interface has (info). The tc hook (clsact) is made when missing; an
 * XDP program already there in the same mode is replaced. A program of the other XDP mode
 * makes the kernel refuse (-EEXIST): detach first.
 */
int bh_attach(const char *netns, const char *ifname, enum bh_mode mode, struct bh_info *info,
	      char *err, size_t errlen);
/*
 * What is attached on ifname in mode: tc: the filter at our handle and priority on ingress;
 * XDP: the kernel's attach mode and the program of that mode. Nothing: prog_id 0.
 * BH_NONE: whether anything of ours is attached at all (prog_id of the first found).
 */
int bh_query(const char *netns, const char *ifname, enum bh_mode mode, struct bh_info *info,
	     char *err, size_t errlen);
/*
 * Removes what mode attaches; nothing attached (no hook, no program) is success, so it is
 * safe in cleanup paths. tc removes our filter and the clsact qdisc (testbed's ports carry
 * no other). BH_NONE: nothing to do.
 */
int bh_detach(const char *netns, const char *ifname, enum bh_mode mode, char *err, size_t errlen);
/* tc, xdp-generic and xdp-driver, in one child: the cleanup of a port. */
int bh_detach_all(const char *netns, const char *ifname, char *err, size_t errlen);

/* libbpf's version ("v1.1"). */
const char *bh_libbpf_version(void);

#endif
