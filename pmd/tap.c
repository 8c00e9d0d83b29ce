/*
 * Tap devices. No vnet header and no offloads: the kernel hands us complete, checksummed
 * frames no longer than the MTU, which is what a virtio port without offloads expects.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <linux/if.h>
#include <linux/if_tun.h>

#include "tap.h"

#define TAP_MAX_SEGS 16

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
pmd_tap_open(const char *name, int *fd)
{
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
	ifr.ifr_flags = (short)(IFF_TAP | IFF_NO_PI | IFF_TUN_EXCL);
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(tfd, TUNSETIFF, &ifr) < 0) {
		ret = -errno;
		close(tfd);
		return ret;
	}
	*fd = tfd;
	return 0;
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
pmd_tap_write(int fd, const struct rte_mbuf *m)
{
	struct iovec iov[TAP_MAX_SEGS];
	unsigned int n = 0;
	ssize_t len;

	if (m->nb_segs > TAP_MAX_SEGS)
		return -EMSGSIZE;
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
