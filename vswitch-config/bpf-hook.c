/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Empty tc and XDP programs on an interface of a network namespace (bpf-hook.h). libbpf's
 * netlink calls act on the namespace of the calling thread, so each operation runs in a
 * forked child that setns()es first and sends its result back over a pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/pkt_cls.h>

#include "bpf-hook.h"

static const char *const mode_names[BH_N_MODES] = {"none", "tc", "xdp-generic", "xdp-driver"};
static const char *const mode_attached[BH_N_MODES] = {"none", "tc-ingress", "skb", "drv"};

const char *
bh_mode_name(enum bh_mode m)
{
	return m < BH_N_MODES ? mode_names[m] : "?";
}

int
bh_mode_parse(const char *s, enum bh_mode *m)
{
	int i;

	for (i = 0; s != NULL && i < BH_N_MODES; i++) {
		if (strcmp(s, mode_names[i]) == 0) {
			*m = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *
bh_mode_attached(enum bh_mode m)
{
	return m < BH_N_MODES ? mode_attached[m] : "?";
}

const char *
bh_prog_text(enum bh_mode m)
{
	switch (m) {
	case BH_TC:
		return "r0 = TC_ACT_OK (0); exit";
	case BH_XDP_GENERIC:
	case BH_XDP_DRIVER:
		return "r0 = XDP_PASS (2); exit";
	default:
		return "none";
	}
}

const char *
bh_libbpf_version(void)
{
	return libbpf_version_string();
}

/* ---- libbpf's messages: kept, not printed (the kernel's reason is among them) ---- */

static char bpf_msg[BH_ERR_LEN];

static int
keep_msg(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	static const char kernel[] = "Kernel error message: ";
	char line[BH_ERR_LEN];
	const char *p;
	size_t n;

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strcspn(line, "\n");
	line[n] = '\0';
	p = strstr(line, kernel);
	/* the kernel's own words win over libbpf's follow-up lines */
	if (p != NULL)
		snprintf(bpf_msg, sizeof(bpf_msg), "%s", p + sizeof(kernel) - 1);
	else if (bpf_msg[0] == '\0')
		snprintf(bpf_msg, sizeof(bpf_msg), "%s",
			 strncmp(line, "libbpf: ", 8) == 0 ? line + 8 : line);
	return 0;
}

/* "what: strerror (the kernel's reason)" */
static int
fail(int ret, char *err, size_t errlen, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (ret >= 0)
		ret = -EIO;
	snprintf(err, errlen, "%s: %s%s%s%s", what, strerror(-ret), bpf_msg[0] ? " (" : "", bpf_msg,
		 bpf_msg[0] ? ")" : "");
	bpf_msg[0] = '\0';
	return ret;
}

/* ---- the programs ---- */

int
bh_prog_load(enum bh_mode mode, int *fd, unsigned int *prog_id, char *err, size_t errlen)
{
	/* r0 = K; exit */
	struct bpf_insn insns[2] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	char log[1024] = "";
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = log, .log_size = sizeof(log));
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	enum bpf_prog_type type;
	libbpf_print_fn_t old = libbpf_set_print(keep_msg);
	const char *name;
	int ret;

	*fd = -1;
	*prog_id = 0;
	switch (mode) {
	case BH_TC:
		type = BPF_PROG_TYPE_SCHED_CLS;
		insns[0].imm = TC_ACT_OK;
		name = "tb_tc_ok";
		break;
	case BH_XDP_GENERIC:
	case BH_XDP_DRIVER:
		type = BPF_PROG_TYPE_XDP;
		insns[0].imm = XDP_PASS;
		name = "tb_xdp_pass";
		break;
	default:
		libbpf_set_print(old);
		snprintf(err, errlen, "no program for mode %s", bh_mode_name(mode));
		return -EINVAL;
	}
	bpf_msg[0] = '\0';
	ret = bpf_prog_load(type, name, "BSD", insns, 2, &o);
	if (ret < 0) {
		ret = fail(ret, err, errlen, "loading the empty %s program%s%.200s",
			   bh_mode_name(mode), log[0] ? ", verifier: " : "", log);
		libbpf_set_print(old);
		return ret;
	}
	*fd = ret;
	memset(&info, 0, sizeof(info));
	ret = bpf_obj_get_info_by_fd(*fd, &info, &len);
	libbpf_set_print(old);
	if (ret < 0) {
		close(*fd);
		*fd = -1;
		return fail(ret, err, errlen, "the empty %s program's id", bh_mode_name(mode));
	}
	*prog_id = info.id;
	return 0;
}

/* ---- in the namespace ---- */

static int
ifindex_of(const char *ifname, int *ifindex, char *err, size_t errlen)
{
	*ifindex = (int)if_nametoindex(ifname);
	if (*ifindex == 0) {
		snprintf(err, errlen, "%s: no such interface in the namespace", ifname);
		return -ENODEV;
	}
	return 0;
}

static __u32
xdp_flag(enum bh_mode m)
{
	return m == BH_XDP_DRIVER ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;
}

static const char *
xdp_words(enum bh_mode m)
{
	return m == BH_XDP_DRIVER ? "driver" : "generic";
}

/* Our filter on the ingress hook: its program id, 0 when there is none (or no hook). */
static int
tc_query(int ifindex, const char *ifname, unsigned int *prog_id, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, o, .handle = BH_TC_HANDLE, .priority = BH_TC_PRIORITY);
	int ret = bpf_tc_query(&hook, &o);

	*prog_id = 0;
	/* no filter: ENOENT; no clsact qdisc at all: EINVAL */
	if (ret == -ENOENT || ret == -EINVAL) {
		bpf_msg[0] = '\0';
		return 0;
	}
	if (ret < 0)
		return fail(ret, err, errlen, "%s: tc query (ingress)", ifname);
	*prog_id = o.prog_id;
	return 0;
}

static void
xdp_attached_name(__u8 mode, char *b, size_t len)
{
	static const char *const names[] = {"none", "drv", "skb", "hw", "multi"};

	snprintf(b, len, "%s", mode < sizeof(names) / sizeof(names[0]) ? names[mode] : "?");
}

static int
do_query(const char *ifname, enum bh_mode mode, struct bh_info *info, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int ret;

	memset(info, 0, sizeof(*info));
	info->mode = mode;
	snprintf(info->attached, sizeof(info->attached), "none");
	ret = ifindex_of(ifname, &info->ifindex, err, errlen);
	if (ret < 0)
		return ret;
	if (mode == BH_TC || mode == BH_NONE) {
		ret = tc_query(info->ifindex, ifname, &info->prog_id, err, errlen);
		if (ret < 0)
			return ret;
		if (info->prog_id != 0) {
			snprintf(info->attached, sizeof(info->attached), "tc-ingress");
			return 0;
		}
		if (mode == BH_TC)
			return 0;
	}
	ret = bpf_xdp_query(info->ifindex, 0, &q);
	if (ret < 0)
		return fail(ret, err, errlen, "%s: XDP query", ifname);
	xdp_attached_name(q.attach_mode, info->attached, sizeof(info->attached));
	if (mode == BH_XDP_GENERIC)
		info->prog_id = q.skb_prog_id;
	else if (mode == BH_XDP_DRIVER)
		info->prog_id = q.drv_prog_id;
	else
		info->prog_id = q.skb_prog_id ?: q.drv_prog_id ?: q.hw_prog_id;
	return 0;
}

static int
do_attach(const char *ifname, enum bh_mode mode, struct bh_info *info, char *err, size_t errlen)
{
	unsigned int id;
	int ret, fd, ifindex;

	memset(info, 0, sizeof(*info));
	info->mode = mode;
	ret = ifindex_of(ifname, &ifindex, err, errlen);
	if (ret < 0)
		return ret;
	ret = bh_prog_load(mode, &fd, &id, err, errlen);
	if (ret < 0)
		return ret;
	if (mode == BH_TC) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
		/* libbpf attaches direct-action (TCA_BPF_FLAG_ACT_DIRECT) */
		LIBBPF_OPTS(bpf_tc_opts, o, .prog_fd = fd, .handle = BH_TC_HANDLE,
			    .priority = BH_TC_PRIORITY, .flags = BPF_TC_F_REPLACE);

		ret = bpf_tc_hook_create(&hook);
		if (ret < 0 && ret != -EEXIST)
			ret = fail(ret, err, errlen, "%s: tc clsact hook", ifname);
		else if ((ret = bpf_tc_attach(&hook, &o)) < 0)
			ret = fail(ret, err, errlen, "%s: tc attach (ingress, direct-action)",
				   ifname);
	} else {
		ret = bpf_xdp_attach(ifindex, fd, xdp_flag(mode), NULL);
		if (ret < 0) {
			info->refused = true;
			ret = fail(ret, err, errlen, "%s: XDP attach (%s mode)", ifname,
				   xdp_words(mode));
		}
	}
	close(fd); /* the attachment holds the program */
	if (ret < 0)
		return ret;
	ret = do_query(ifname, mode, info, err, errlen);
	if (ret == 0 && info->prog_id != id) {
		snprintf(err, errlen, "%s: attached program %u but the %s query shows %u", ifname,
			 id, bh_mode_name(mode), info->prog_id);
		ret = -EIO;
	}
	return ret;
}

static int
detach_one(int ifindex, const char *ifname, enum bh_mode mode, char *err, size_t errlen)
{
	int ret;

	if (mode == BH_TC) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
		LIBBPF_OPTS(bpf_tc_opts, o, .handle = BH_TC_HANDLE, .priority = BH_TC_PRIORITY);

		ret = bpf_tc_detach(&hook, &o);
		/* no filter (ENOENT) or no clsact qdisc (EINVAL): nothing to do */
		if (ret < 0 && ret != -ENOENT && ret != -EINVAL)
			return fail(ret, err, errlen, "%s: tc detach (ingress)", ifname);
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS; /* the clsact qdisc */
		ret = bpf_tc_hook_destroy(&hook);
		if (ret < 0 && ret != -ENOENT && ret != -EINVAL)
			return fail(ret, err, errlen, "%s: removing the clsact qdisc", ifname);
		bpf_msg[0] = '\0';
		return 0;
	}
	if (mode == BH_XDP_GENERIC || mode == BH_XDP_DRIVER) {
		ret = bpf_xdp_detach(ifindex, xdp_flag(mode), NULL);
		/* a device without native XDP has nothing attached in that mode */
		if (ret < 0 && !(mode == BH_XDP_DRIVER && ret == -EOPNOTSUPP))
			return fail(ret, err, errlen, "%s: XDP detach (%s mode)", ifname,
				    xdp_words(mode));
		bpf_msg[0] = '\0';
	}
	return 0;
}

static int
do_detach(const char *ifname, enum bh_mode mode, struct bh_info *info, char *err, size_t errlen)
{
	int ifindex, ret = ifindex_of(ifname, &ifindex, err, errlen);

	(void)info;
	if (ret < 0)
		return ret;
	return detach_one(ifindex, ifname, mode, err, errlen);
}

/* mode BH_N_MODES: every mode */
static int
do_detach_all(const char *ifname, enum bh_mode mode, struct bh_info *info, char *err, size_t errlen)
{
	int ifindex, ret = ifindex_of(ifname, &ifindex, err, errlen), m, first = 0;
	char e[BH_ERR_LEN];

	(void)mode;
	(void)info;
	if (ret < 0)
		return ret;
	/* every mode is tried even when one fails; the first error is the result */
	for (m = BH_TC; m < BH_N_MODES; m++) {
		ret = detach_one(ifindex, ifname, m, e, sizeof(e));
		if (ret < 0 && first == 0) {
			first = ret;
			snprintf(err, errlen, "%s", e);
		}
	}
	return first;
}

typedef int (*ns_fn)(const char *ifname, enum bh_mode mode, struct bh_info *info, char *err,
		     size_t errlen);

struct reply {
	int ret;
	struct bh_info info;
	char err[BH_ERR_LEN];
};

static ssize_t
read_all(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t k;

	while (got < len) {
		k = read(fd, (char *)buf + got, len - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

static int
in_netns(const char *netns, ns_fn fn, const char *ifname, enum bh_mode mode, struct bh_info *info,
	 char *err, size_t errlen)
{
	struct reply rep;
	char path[PATH_MAX];
	int p[2], nsfd = -1, status = 0;
	ssize_t got;
	pid_t pid;

	if (ifname == NULL || ifname[0] == '\0' || strlen(ifname) >= IF_NAMESIZE) {
		snprintf(err, errlen, "bad interface name \"%s\"", ifname ?: "");
		return -EINVAL;
	}
	if (netns != NULL) {
		snprintf(path, sizeof(path), netns[0] == '/' ? "%s" : "/run/netns/%s", netns);
		nsfd = open(path, O_RDONLY | O_CLOEXEC);
		if (nsfd < 0) {
			int ret = -errno;

			snprintf(err, errlen, "network namespace %s: %s", netns, strerror(-ret));
			return ret;
		}
	}
	if (pipe2(p, O_CLOEXEC) < 0) {
		int ret = -errno;

		snprintf(err, errlen, "pipe: %s", strerror(-ret));
		if (nsfd >= 0)
			close(nsfd);
		return ret;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		/* Ctrl-C reaches the whole group: the parent decides, this finishes its call */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		close(p[0]);
		memset(&rep, 0, sizeof(rep));
		bpf_msg[0] = '\0';
		libbpf_set_print(keep_msg);
		if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET) < 0) {
			rep.ret = -errno;
			snprintf(rep.err, sizeof(rep.err), "entering network namespace %s: %s",
				 netns, strerror(errno));
		} else {
			rep.ret = fn(ifname, mode, &rep.info, rep.err, sizeof(rep.err));
		}
		if (write(p[1], &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (nsfd >= 0)
		close(nsfd);
	if (pid < 0) {
		int ret = -errno;

		close(p[0]);
		snprintf(err, errlen, "fork: %s", strerror(-ret));
		return ret;
	}
	got = read_all(p[0], &rep, sizeof(rep));
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got != (ssize_t)sizeof(rep)) {
		snprintf(err, errlen, "%s: the helper process for %s died (status %d)", ifname,
			 bh_mode_name(mode), status);
		return -ECHILD;
	}
	if (info != NULL)
		*info = rep.info;
	if (rep.ret < 0)
		snprintf(err, errlen, "%s", rep.err);
	return rep.ret;
}

int
bh_attach(const char *netns, const char *ifname, enum bh_mode mode, struct bh_info *info, char *err,
	  size_t errlen)
{
	if (mode == BH_NONE || mode >= BH_N_MODES) {
		snprintf(err, errlen, "nothing to attach for mode %s", bh_mode_name(mode));
		return -EINVAL;
	}
	return in_netns(netns, do_attach, ifname, mode, info, err, errlen);
}

int
bh_query(const char *netns, const char *ifname, enum bh_mode mode, struct bh_info *info, char *err,
	 size_t errlen)
{
	if (mode >= BH_N_MODES) {
		snprintf(err, errlen, "unknown hook mode %d", (int)mode);
		return -EINVAL;
	}
	return in_netns(netns, do_query, ifname, mode, info, err, errlen);
}

int
bh_detach(const char *netns, const char *ifname, enum bh_mode mode, char *err, size_t errlen)
{
	if (mode >= BH_N_MODES) {
		snprintf(err, errlen, "unknown hook mode %d", (int)mode);
		return -EINVAL;
	}
	if (mode == BH_NONE)
		return 0;
	return in_netns(netns, do_detach, ifname, mode, NULL, err, errlen);
}

int
bh_detach_all(const char *netns, const char *ifname, char *err, size_t errlen)
{
	return in_netns(netns, do_detach_all, ifname, BH_N_MODES, NULL, err, errlen);
}
