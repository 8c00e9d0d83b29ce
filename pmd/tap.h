/*
 * Kernel tap devices (IFF_TAP | IFF_NO_PI, no vnet header): open, and move frames between a
 * tap fd and mbufs.
 */

#ifndef PMD_TAP_H
#define PMD_TAP_H

#include <stdbool.h>

#include <rte_mbuf.h>

#define PMD_TAP_NAME_MAX 15U	/* IFNAMSIZ - 1 */

/* Whether the kernel would accept name as an interface name, taken literally. */
bool pmd_tap_name_valid(const char *name);

/*
 * Create tap device name (it must not exist yet) and return its non-blocking fd in *fd.
 * The device goes away when the fd is closed. Returns 0 or a negative errno.
 */
int pmd_tap_open(const char *name, int *fd);

/*
 * Read up to nb frames into pkts[] (fresh mbufs with room for a full frame), setting their
 * lengths. Returns the number of frames read, or a negative errno if the first read failed
 * for another reason than an empty queue.
 */
int pmd_tap_read_burst(int fd, struct rte_mbuf **pkts, unsigned int nb);

/* Write one frame, which may be a chain of segments. Returns 0 or a negative errno. */
int pmd_tap_write(int fd, const struct rte_mbuf *m);

#endif /* PMD_TAP_H */
