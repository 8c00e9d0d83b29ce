/*
 * Tap devices. Without a vnet header the kernel hands us complete, checksummed frames no
 * longer than the MTU, which is what a virtio port without offloads expects. With one
 * (IFF_VNET_HDR) and offloads set, frames may be GSO frames of up to 64 KiB with a partial
 * checksum, which the header describes; the same goes for frames we write.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sched.h>
#include <linux/if.h>
#include <linux/if_tun.h>

#include "tap.h"

bool
pmd_tap_name_valid(const char *name)
{
	size_t len = strlen(name);
	const char *c;

	if (len == 0 || len > PMD_TAP_NAME_MAX)
		return false;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (c = name; *c != '\0'; c++) {
		/* '%' would make TUNSETIFF pick a name from a pattern. */
		if (*c == '/' || *c == ':' || *c == '%' || isspace((unsigned char)*c) ||
				!isprint((unsigned char)*c))
			return false;
	}
	return true;
}

int
pmd_tap_open(const char *name, bool vnet_hdr, int *fd)
{
	int hdr_len = (int)PMD_VNET_HDR_LEN;
	struct ifreq ifr;
	int ret;
	int tfd;

	if (!pmd_tap_name_valid(name))
		return -EINVAL;

	tfd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (tfd < 0)
		return -errno;

	memset(&ifr, 0, sizeof(ifr));
	/* IFF_TUN_EXCL: fail rather than attach to a device left by someone else. */
	ifr.ifr_flags = (short)(IFF_TAP | IFF_NO_PI | IFF_TUN_EXCL | (vnet_hdr ? IFF_VNET_HDR : 0));
	memcpy(ifr.ifr_name, name, strlen(name));
	/* The header size is set before the device is up, so no frame sees another one. */
	if (ioctl(tfd, TUNSETIFF, &ifr) < 0 ||
			(vnet_hdr && ioctl(tfd, TUNSETVNETHDRSZ, &hdr_len) < 0)) {
		ret = -errno;
		close(tfd);
		return ret;
	}
	*fd = tfd;
	return 0;
}

/* Opens /dev/net/tun in namespace netns_path: a tun socket belongs to its opener's namespace. */
static int
pmd_tap_open_in(const char *netns_path)
{
	int self, ns, tfd, ret;

	if (netns_path == NULL) {
		tfd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
		return tfd < 0 ? -errno : tfd;
	}
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	ns = open(netns_path, O_RDONLY | O_CLOEXEC);
	if (ns < 0) {
		ret = -errno;
		close(self);
		return ret;
	}
	/* Only this thread changes namespace, and only for the open() below. */
	if (setns(ns, CLONE_NEWNET) < 0) {
		ret = -errno;
		close(ns);
		close(self);
		return ret;
	}
	tfd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	ret = tfd < 0 ? -errno : tfd;
	if (setns(self, CLONE_NEWNET) < 0 && tfd >= 0) {
		close(tfd);
		ret = -EPERM;
	}
	close(ns);
	close(self);
	return ret;
}

int
pmd_tap_attach(const char *name, const char *netns_path, bool vnet_hdr, int *fd)
{
	int hdr_len = (int)PMD_VNET_HDR_LEN;
	struct ifreq ifr;
	int tfd, ret;

	if (!pmd_tap_name_valid(name))
		return -EINVAL;
	tfd = pmd_tap_open_in(netns_path);
	if (tfd < 0)
		return tfd;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = (short)(IFF_TAP | IFF_NO_PI | (vnet_hdr ? IFF_VNET_HDR : 0));
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(tfd, TUNSETIFF, &ifr) < 0 ||
			(vnet_hdr && ioctl(tfd, TUNSETVNETHDRSZ, &hdr_len) < 0) ||
			ioctl(tfd, TUNSETPERSIST, 1UL) < 0) {
		ret = -errno;
		close(tfd);
		return ret;
	}
	*fd = tfd;
	return 0;
}

int
pmd_tap_set_offload(int fd, unsigned int tun_flags)
{
	return ioctl(fd, TUNSETOFFLOAD, (unsigned long)tun_flags) < 0 ? -errno : 0;
}

int
pmd_tap_read_burst(int fd, struct rte_mbuf **pkts, unsigned int nb)
{
	unsigned int i;
	ssize_t len;

	for (i = 0; i < nb; i++) {
		struct rte_mbuf *m = pkts[i];

		len = read(fd, rte_pktmbuf_mtod(m, void *), rte_pktmbuf_tailroom(m));
		if (len <= 0) {
			/* An empty queue, or a signal: the next loop comes back. */
			if (len == 0 || i > 0 || errno == EAGAIN || errno == EINTR)
				break;
			return -errno;
		}
		m->data_len = (uint16_t)len;
		m->pkt_len = (uint32_t)len;
	}
	return (int)i;
}

int
pmd_tap_read_vnet(int fd, struct virtio_net_hdr *hdr, struct rte_mbuf **segs,
	unsigned int nb_segs)
{
	struct iovec iov[1 + PMD_TAP_MAX_SEGS];
	size_t room = PMD_VNET_HDR_LEN, left;
	struct rte_mbuf *m, *prev = NULL;
	unsigned int i, n = 1;
	ssize_t len;

	if (nb_segs == 0 || nb_segs > PMD_TAP_MAX_SEGS)
		return -EINVAL;
	iov[0].iov_base = hdr;
	iov[0].iov_len = PMD_VNET_HDR_LEN;
	for (i = 0; i < nb_segs; i++, n++) {
		iov[n].iov_base = rte_pktmbuf_mtod(segs[i], void *);
		iov[n].iov_len = rte_pktmbuf_tailroom(segs[i]);
		room += iov[n].iov_len;
	}
	len = readv(fd, iov, (int)n);
	if (len <= 0)
		return len == 0 || errno == EAGAIN || errno == EINTR ? 0 : -errno;
	if ((size_t)len < PMD_VNET_HDR_LEN)
		return -EIO;
	/* The kernel cuts a frame that does not fit and drops the rest: this one may be cut. */
	if ((size_t)len == room)
		return -EMSGSIZE;

	left = (size_t)len - PMD_VNET_HDR_LEN;
	segs[0]->pkt_len = (uint32_t)left;
	for (i = 0; i == 0 || (left > 0 && i < nb_segs); i++) {
		m = segs[i];
		m->data_len = (uint16_t)RTE_MIN(left, (size_t)iov[i + 1].iov_len);
		left -= m->data_len;
		if (prev != NULL)
			prev->next = m;
		prev = m;
	}
	segs[0]->nb_segs = (uint16_t)i;
	return (int)i;
}

int
pmd_tap_write(int fd, const struct virtio_net_hdr *hdr, const struct rte_mbuf *m)
{
	struct iovec iov[1 + PMD_TAP_MAX_SEGS];
	unsigned int n = 0;
	ssize_t len;

	if (m->nb_segs > PMD_TAP_MAX_SEGS)
		return -EMSGSIZE;
	if (hdr != NULL) {
		iov[n].iov_base = (void *)(uintptr_t)hdr;
		iov[n].iov_len = PMD_VNET_HDR_LEN;
		n++;
	}
	for (; m != NULL; m = m->next) {
		iov[n].iov_base = rte_pktmbuf_mtod(m, void *);
		iov[n].iov_len = m->data_len;
		n++;
	}
	do {
		len = writev(fd, iov, (int)n);
	} while (len < 0 && errno == EINTR);
	return len < 0 ? -errno : 0;
}
