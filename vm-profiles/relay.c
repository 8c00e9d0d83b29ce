/* SPDX-License-Identifier: BSD-3-Clause */
/* The tap/macvtap relay: frames copied between a guest's tap and the host side. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/if_tun.h>
#include <linux/virtio_net.h>

#include "fsutil.h"
#include "relay.h"

/* A 64 KiB GSO frame with its Ethernet/VLAN header, after the virtio-net header. */
#define FRAME_MAX (sizeof(struct virtio_net_hdr) + 65536 + 18)
/* Frames moved per wake-up and side before the other ports get their turn. */
#define BURST 64

static bool
name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > VM_RELAY_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		/* '%' would make TUNSETIFF pick a name from a pattern */
		if (s[i] == '/' || s[i] == ':' || s[i] == '%' || s[i] == ',' ||
		    !isgraph((unsigned char)s[i]))
			return false;
	return true;
}

int
vm_relay_parse_port(struct vm_relay_conf *c, const char *arg, char *err, size_t errlen)
{
	const char *comma = strchr(arg, ','), *host;
	struct vm_relay_port *p;
	int i;

	if (c->n_ports == VM_RELAY_MAX_PORTS) {
		snprintf(err, errlen, "--port \"%s\": too many ports (at most %d)", arg,
			 VM_RELAY_MAX_PORTS);
		return -EINVAL;
	}
	if (comma == NULL) {
		snprintf(err, errlen,
			 "--port \"%s\": expected GUEST_TAP,tap:HOST_TAP or GUEST_TAP,macvtap:PATH",
			 arg);
		return -EINVAL;
	}
	if (!name_ok(arg, (size_t)(comma - arg))) {
		snprintf(err, errlen,
			 "--port \"%s\": guest tap name must be 1-%d printable characters without "
			 "'/', ':', '%%' or ','",
			 arg, VM_RELAY_NAME_MAX);
		return -EINVAL;
	}
	p = &c->port[c->n_ports];
	memset(p, 0, sizeof(*p));
	memcpy(p->guest_tap, arg, (size_t)(comma - arg));
	host = comma + 1;
	if (strncmp(host, "tap:", 4) == 0 && name_ok(host + 4, strlen(host + 4))) {
		p->kind = VM_RELAY_HOST_TAP;
		snprintf(p->host, sizeof(p->host), "%s", host + 4);
	} else if (strncmp(host, "macvtap:", 8) == 0 && host[8] == '/' &&
		   strlen(host + 8) <= VM_RELAY_PATH_MAX) {
		p->kind = VM_RELAY_HOST_MACVTAP;
		snprintf(p->host, sizeof(p->host), "%s", host + 8);
	} else {
		snprintf(err, errlen,
			 "--port \"%s\": host side \"%s\" is neither tap:NAME (1-%d characters) nor "
			 "macvtap:/ABSOLUTE/PATH",
			 arg, host, VM_RELAY_NAME_MAX);
		return -EINVAL;
	}
	for (i = 0; i < c->n_ports; i++) {
		if (strcmp(c->port[i].guest_tap, p->guest_tap) == 0 ||
		    strcmp(c->port[i].host, p->host) == 0) {
			snprintf(err, errlen, "--port \"%s\": a device already used by another --port",
				 arg);
			return -EINVAL;
		}
	}
	p->fd[0] = p->fd[1] = -1;
	c->n_ports++;
	return 0;
}

/* Offloads the reader handles: the kernel then hands over partial checksums and GSO frames. */
static int
set_offloads(int fd)
{
	unsigned long f = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;

	return ioctl(fd, TUNSETOFFLOAD, f) < 0 ? -errno : 0;
}

/* A new tap (IFF_TUN_EXCL: never one somebody else left) with a virtio-net header. */
static int
tap_create(const char *name, int *fd)
{
	int hdr = (int)sizeof(struct virtio_net_hdr), tfd, ret;
	struct ifreq ifr;

	tfd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (tfd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = (short)(IFF_TAP | IFF_NO_PI | IFF_TUN_EXCL | IFF_VNET_HDR);
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(tfd, TUNSETIFF, &ifr) < 0 || ioctl(tfd, TUNSETVNETHDRSZ, &hdr) < 0) {
		ret = -errno;
		close(tfd);
		return ret;
	}
	*fd = tfd;
	return 0;
}

/* A macvtap's queue: its character device, with the same header and flags as a tap. */
static int
macvtap_open(const char *path, int *fd)
{
	int hdr = (int)sizeof(struct virtio_net_hdr), tfd, ret;
	struct ifreq ifr;

	tfd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (tfd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = (short)(IFF_TAP | IFF_NO_PI | IFF_VNET_HDR);
	if (ioctl(tfd, TUNSETIFF, &ifr) < 0 || ioctl(tfd, TUNSETVNETHDRSZ, &hdr) < 0) {
		ret = -errno;
		close(tfd);
		return ret;
	}
	*fd = tfd;
	return 0;
}

static void
close_all(struct vm_relay_conf *c)
{
	int i, s;

	for (i = 0; i < c->n_ports; i++)
		for (s = 0; s < 2; s++)
			if (c->port[i].fd[s] >= 0) {
				close(c->port[i].fd[s]);
				c->port[i].fd[s] = -1;
			}
}

int
vm_relay_open(struct vm_relay_conf *c, char *err, size_t errlen)
{
	int i, ret = 0;

	for (i = 0; i < c->n_ports; i++)
		c->port[i].fd[0] = c->port[i].fd[1] = -1;
	for (i = 0; i < c->n_ports && ret == 0; i++) {
		struct vm_relay_port *p = &c->port[i];
		const char *what = p->guest_tap;

		ret = tap_create(p->guest_tap, &p->fd[0]);
		if (ret == 0)
			ret = set_offloads(p->fd[0]);
		if (ret == 0) {
			what = p->host;
			ret = p->kind == VM_RELAY_HOST_TAP ? tap_create(p->host, &p->fd[1])
							   : macvtap_open(p->host, &p->fd[1]);
		}
		if (ret == 0)
			ret = set_offloads(p->fd[1]);
		if (ret < 0)
			snprintf(err, errlen, "%s: %s", what, strerror(-ret));
	}
	if (ret < 0)
		close_all(c);
	return ret;
}

/* Moves up to BURST frames from side s of p to the other side. */
static void
forward(struct vm_relay_port *p, int s, char *buf)
{
	ssize_t n, w;
	int k;

	for (k = 0; k < BURST; k++) {
		n = read(p->fd[s], buf, FRAME_MAX);
		if (n <= 0)
			return; /* empty (EAGAIN), or a signal: epoll comes back */
		p->frames[s]++;
		p->bytes[s] += (uint64_t)n - sizeof(struct virtio_net_hdr);
		/* a tap or macvtap takes a write whole or not at all (its queue is the peer's) */
		w = write(p->fd[!s], buf, (size_t)n);
		if (w != n)
			p->drops[s]++;
	}
}

static void
pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		fprintf(stderr, "relay: cannot pin to cpu %d: %s\n", cpu, strerror(errno));
}

int
vm_relay_run(struct vm_relay_conf *c, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct epoll_event ev[2 * VM_RELAY_MAX_PORTS];
	char *buf = malloc(FRAME_MAX);
	int ep = epoll_create1(EPOLL_CLOEXEC), i, s, n, ret = 0;

	if (buf == NULL || ep < 0) {
		snprintf(err, errlen, "relay: %s", strerror(buf == NULL ? ENOMEM : errno));
		ret = -ENOMEM;
		goto out;
	}
	pin(c->cpu);
	for (i = 0; i < c->n_ports; i++) {
		for (s = 0; s < 2; s++) {
			struct epoll_event e = {.events = EPOLLIN, .data.u32 = (uint32_t)(2 * i + s)};

			if (epoll_ctl(ep, EPOLL_CTL_ADD, c->port[i].fd[s], &e) < 0) {
				ret = -errno;
				snprintf(err, errlen, "relay: epoll: %s", strerror(-ret));
				goto out;
			}
		}
	}
	if (c->ready_file != NULL && tb_write_atomic(c->ready_file, "ready\n", 6, 0644) < 0) {
		ret = -EIO;
		snprintf(err, errlen, "relay: cannot write %s", c->ready_file);
		goto out;
	}
	while (!*stop) {
		n = epoll_wait(ep, ev, 2 * VM_RELAY_MAX_PORTS, -1);
		if (n < 0 && errno != EINTR) {
			ret = -errno;
			snprintf(err, errlen, "relay: epoll_wait: %s", strerror(-ret));
			break;
		}
		for (i = 0; i < n; i++)
			forward(&c->port[ev[i].data.u32 / 2], (int)(ev[i].data.u32 % 2), buf);
	}
	for (i = 0; i < c->n_ports; i++)
		fprintf(stderr,
			"relay: %s: guest->host %" PRIu64 " frames %" PRIu64 " bytes %" PRIu64
			" dropped; host->guest %" PRIu64 " frames %" PRIu64 " bytes %" PRIu64
			" dropped\n",
			c->port[i].guest_tap, c->port[i].frames[0], c->port[i].bytes[0],
			c->port[i].drops[0], c->port[i].frames[1], c->port[i].bytes[1],
			c->port[i].drops[1]);
out:
	if (c->ready_file != NULL)
		unlink(c->ready_file);
	if (ep >= 0)
		close(ep);
	free(buf);
	close_all(c);
	return ret;
}
