/* SPDX-License-Identifier: BSD-3-Clause */
/* QEMU's command line for a guest: hugepage memory, NICs per backend, agent. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "qemu.h"

#define QA_SUN_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

static int
qa_add(struct vm_qemu_argv *a, const char *s)
{
	if (a->argc == VM_QEMU_MAX_ARGS)
		return -E2BIG;
	a->argv[a->argc++] = s;
	a->argv[a->argc] = NULL;
	return 0;
}

/* One argument formatted into a->buf. */
static int __attribute__((format(printf, 2, 3)))
qa_addf(struct vm_qemu_argv *a, const char *fmt, ...)
{
	size_t room = sizeof(a->buf) - a->used;
	char *s = a->buf + a->used;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		return -E2BIG;
	a->used += (size_t)n + 1;
	return qa_add(a, s);
}

static const char *
qa_onoff(bool on)
{
	return on ? "on" : "off";
}

int
vm_qemu_run_path(const char *run_dir, const char *name, const char *suffix, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s.%s", run_dir, name, suffix);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int
vm_qemu_mac(int backend, int index, char *buf, size_t len)
{
	if (backend < 0 || backend > 0xff || index < 0 || index > 0xffff || len < VM_MAC_LEN)
		return -ERANGE;
	snprintf(buf, len, "02:74:62:%02x:%02x:%02x", backend, index >> 8, index & 0xff);
	return 0;
}

/* QEMU splits option values at ',' and the kernel its command line at spaces. */
static int
qa_check_str(const char *what, const char *s, const char *bad, char *err, size_t errlen)
{
	if (s == NULL || s[0] == '\0') {
		snprintf(err, errlen, "qemu: %s not given", what);
		return -EINVAL;
	}
	if (strpbrk(s, bad) != NULL) {
		snprintf(err, errlen, "qemu: %s \"%s\" contains one of \"%s\"", what, s, bad);
		return -EINVAL;
	}
	return 0;
}

static int
qa_check_sock(const char *what, const char *path, char *err, size_t errlen)
{
	if (strlen(path) > QA_SUN_MAX) {
		snprintf(err, errlen,
			 "qemu: %s %s is longer than %zu characters (a unix socket "
			 "path): use a shorter run dir or guest name",
			 what, path, QA_SUN_MAX);
		return -ENAMETOOLONG;
	}
	return 0;
}

static int
qa_check(const struct vm_qemu_conf *c, char *err, size_t errlen)
{
	const struct vm_profile *p = c->profile;
	char path[256];
	int ret;

	if (p == NULL || p->kind != VM_KIND_QEMU) {
		snprintf(err, errlen, "qemu: guest \"%s\" has no kind = qemu profile",
			 c->name ? c->name : "");
		return -EINVAL;
	}
	if ((ret = qa_check_str("guest name", c->name, ", /=\t\n", err, errlen)) < 0 ||
	    (ret = qa_check_str("run dir", c->run_dir, ",", err, errlen)) < 0 ||
	    (ret = qa_check_str("kernel", c->kernel, ",", err, errlen)) < 0 ||
	    (ret = qa_check_str("guest address", c->ip_cidr, ", \t\n", err, errlen)) < 0 ||
	    (ret = qa_check_str("MAC", c->mac, ", ", err, errlen)) < 0)
		return ret;
	if ((c->initrd != NULL &&
	     (ret = qa_check_str("initrd", c->initrd, ",", err, errlen)) < 0) ||
	    (c->gw != NULL && (ret = qa_check_str("gateway", c->gw, ", \t\n", err, errlen)) < 0) ||
	    (c->huge_dir != NULL &&
	     (ret = qa_check_str("hugetlbfs dir", c->huge_dir, ",", err, errlen)) < 0))
		return ret;
	if (c->n_agents < 0 || c->n_agents > VM_QEMU_MAX_AGENTS) {
		snprintf(err, errlen, "qemu: %d agent ports (allowed: 0-%d)", c->n_agents,
			 VM_QEMU_MAX_AGENTS);
		return -EINVAL;
	}
	if (c->mtu != 0 && (c->mtu < 68 || c->mtu > 65535)) {
		snprintf(err, errlen, "qemu: MTU %d (allowed: 68-65535, or 0 for the default)",
			 c->mtu);
		return -EINVAL;
	}
	if (c->nic == VM_NIC_VHOST_USER) {
		if ((ret = qa_check_str("vhost-user socket", c->vu_sock, ",", err, errlen)) < 0 ||
		    (ret = qa_check_sock("vhost-user socket", c->vu_sock, err, errlen)) < 0)
			return ret;
		if (c->huge_dir == NULL) {
			snprintf(err, errlen,
				 "qemu: guest \"%s\": vhost-user needs shared guest memory "
				 "(give a hugetlbfs dir)",
				 c->name);
			return -EINVAL;
		}
	} else if (c->tap_fd <= 0 && (ret = qa_check_str("tap", c->tap, ", ", err, errlen)) < 0) {
		return ret;
	}
	/* the longest of the guest's own sockets */
	if (vm_qemu_run_path(c->run_dir, c->name, "agent0.sock", path, sizeof(path)) < 0)
		return -ENAMETOOLONG;
	return qa_check_sock("agent socket", path, err, errlen);
}

static int
qa_memory(const struct vm_qemu_conf *c, struct vm_qemu_argv *a)
{
	int mb = c->profile->memory_mb, ret = 0;

	ret |= qa_add(a, "-m");
	ret |= qa_addf(a, "%d", mb);
	if (c->huge_dir == NULL)
		return ret;
	/* share=on: the vhost-user switch maps guest memory */
	ret |= qa_add(a, "-object");
	if (c->node >= 0)
		ret |= qa_addf(a,
			       "memory-backend-file,id=mem0,size=%dM,mem-path=%s,share=on,"
			       "prealloc=on,host-nodes=%d,policy=bind",
			       mb, c->huge_dir, c->node);
	else
		ret |= qa_addf(a,
			       "memory-backend-file,id=mem0,size=%dM,mem-path=%s,share=on,"
			       "prealloc=on",
			       mb, c->huge_dir);
	ret |= qa_add(a, "-numa");
	ret |= qa_add(a, "node,memdev=mem0");
	return ret;
}

static int
qa_boot(const struct vm_qemu_conf *c, struct vm_qemu_argv *a)
{
	char gw[64] = "", mtu[32] = "";
	int ret = 0;

	if (c->gw != NULL)
		snprintf(gw, sizeof(gw), " tb.gw=%s", c->gw);
	if (c->mtu > 0)
		snprintf(mtu, sizeof(mtu), " tb.mtu=%d", c->mtu);
	ret |= qa_add(a, "-kernel");
	ret |= qa_add(a, c->kernel);
	if (c->initrd != NULL) {
		ret |= qa_add(a, "-initrd");
		ret |= qa_add(a, c->initrd);
	}
	ret |= qa_add(a, "-append");
	ret |= qa_addf(a, "console=ttyS0 quiet tb.ip=%s tb.name=%s%s%s", c->ip_cidr, c->name, gw,
		       mtu);
	return ret;
}

static int
qa_files(const struct vm_qemu_conf *c, struct vm_qemu_argv *a)
{
	const char *d = c->run_dir, *n = c->name;
	int k, ret = 0;

	ret |= qa_add(a, "-serial");
	ret |= qa_addf(a, "file:%s/%s.console.log", d, n);
	ret |= qa_add(a, "-qmp");
	ret |= qa_addf(a, "unix:%s/%s.qmp,server=on,wait=off", d, n);
	ret |= qa_add(a, "-pidfile");
	ret |= qa_addf(a, "%s/%s.pid", d, n);
	if (c->n_agents == 0)
		return ret;
	ret |= qa_add(a, "-device");
	ret |= qa_add(a, "virtio-serial-pci,id=vser0");
	for (k = 0; k < c->n_agents; k++) {
		ret |= qa_add(a, "-chardev");
		ret |= qa_addf(a, "socket,id=agent%d,path=%s/%s.agent%d.sock,server=on,wait=off", k,
			       d, n, k);
		ret |= qa_add(a, "-device");
		ret |= qa_addf(a, "virtserialport,bus=vser0.0,chardev=agent%d,name=tb.agent%d", k,
			       k);
	}
	return ret;
}

static int
qa_nic(const struct vm_qemu_conf *c, struct vm_qemu_argv *a)
{
	const struct vm_profile *p = c->profile;
	const char *off = qa_onoff(p->offloads);
	char mq[16] = "", vectors[16] = "";
	int ret = 0;

	if (c->nic == VM_NIC_VHOST_USER) {
		/* QEMU serves: the switch connects as a client and comes back when QEMU restarts */
		ret |= qa_add(a, "-chardev");
		ret |= qa_addf(a, "socket,id=vu0,path=%s,server=on,wait=off", c->vu_sock);
		ret |= qa_add(a, "-netdev");
		ret |= qa_addf(a, "vhost-user,id=net0,chardev=vu0,queues=%d", p->queues);
	} else if (c->tap_fd > 0) {
		/* a macvtap: QEMU cannot open it by name, it takes the fd it inherited */
		ret |= qa_add(a, "-netdev");
		ret |= qa_addf(a, "tap,id=net0,fd=%d,vhost=%s", c->tap_fd, qa_onoff(c->vhost_net));
	} else {
		ret |= qa_add(a, "-netdev");
		if (p->queues > 1)
			ret |= qa_addf(a,
				       "tap,id=net0,ifname=%s,script=no,downscript=no,vhost=%s,"
				       "queues=%d",
				       c->tap, qa_onoff(c->vhost_net), p->queues);
		else
			ret |= qa_addf(a, "tap,id=net0,ifname=%s,script=no,downscript=no,vhost=%s",
				       c->tap, qa_onoff(c->vhost_net));
	}
	if (p->queues > 1)
		snprintf(mq, sizeof(mq), ",mq=on");
	/* QEMU 7.2 under TCG segfaults in vhost_net_start with MSI-X: INTx there */
	if (c->accel == VM_ACCEL_TCG)
		snprintf(vectors, sizeof(vectors), ",vectors=0");
	ret |= qa_add(a, "-device");
	ret |= qa_addf(a,
		       "virtio-net-pci,netdev=net0,mac=%s%s,rx_queue_size=%d,tx_queue_size=%d,"
		       "csum=%s,guest_csum=%s,host_tso4=%s,host_tso6=%s,guest_tso4=%s,"
		       "guest_tso6=%s,mrg_rxbuf=%s,packed=%s%s",
		       c->mac, mq, p->rx_queue_size, p->tx_queue_size, off, off, off, off, off, off,
		       qa_onoff(p->mrg_rxbuf), qa_onoff(p->packed), vectors);
	return ret;
}

int
vm_qemu_argv(const struct vm_qemu_conf *c, struct vm_qemu_argv *a, char *err, size_t errlen)
{
	int kvm = c->accel == VM_ACCEL_KVM, ret;

	memset(a, 0, sizeof(*a));
	ret = qa_check(c, err, errlen);
	if (ret < 0)
		return ret;
	ret |= qa_add(a, c->qemu_path != NULL ? c->qemu_path : "qemu-system-x86_64");
	ret |= qa_add(a, "-name");
	/* debug-threads: vCPU threads show as "CPU 0/KVM" in ps -L */
	ret |= qa_addf(a, "%s,debug-threads=on", c->name);
	ret |= qa_add(a, "-accel");
	ret |= qa_add(a, kvm ? "kvm" : "tcg");
	ret |= qa_add(a, "-cpu");
	ret |= qa_add(a, kvm ? "host" : "max");
	ret |= qa_add(a, "-smp");
	ret |= qa_addf(a, "%d", c->profile->vcpus);
	ret |= qa_memory(c, a);
	ret |= qa_add(a, "-nodefaults");
	ret |= qa_add(a, "-display");
	ret |= qa_add(a, "none");
	ret |= qa_add(a, "-no-user-config");
	/* seccomp filter (Debian's 7.2 has it); a guest that reboots or panics ends instead */
	ret |= qa_add(a, "-sandbox");
	ret |= qa_add(a, "on");
	ret |= qa_add(a, "-no-reboot");
	ret |= qa_boot(c, a);
	ret |= qa_files(c, a);
	ret |= qa_nic(c, a);
	if (ret != 0) {
		snprintf(err, errlen, "qemu: guest \"%s\": command line too long", c->name);
		return -E2BIG;
	}
	return 0;
}
