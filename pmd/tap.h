/*
 * Kernel tap devices (IFF_TAP | IFF_NO_PI, with or without a virtio-net header before every
 * frame): open, set offloads, and move frames between a tap fd and mbufs.
 */

#ifndef PMD_TAP_H
#define PMD_TAP_H

#include <stdbool.h>

#include <rte_mbuf.h>

#include "vnet.h"

#define PMD_TAP_NAME_MAX 15U	/* IFNAMSIZ - 1 */

/*
 * The longest frame a tap with offloads hands over: a 64 KiB GSO frame (the kernel's default
 * gso_max_size) plus an Ethernet header with a VLAN tag.
 */
#define PMD_TAP_FRAME_MAX (65536U + 18U)

/* Segments of a chain written to a tap at most. */
#define PMD_TAP_MAX_SEGS 64U

/* Whether the kernel would accept name as an interface name, taken literally. */
bool pmd_tap_name_valid(const char *name);

/*
 * Create tap device name (it must not exist yet) and return its non-blocking fd in *fd.
 * With vnet_hdr every frame read or written carries a struct virtio_net_hdr in front
 * (IFF_VNET_HDR); the device has no offloads until pmd_tap_set_offload(). The device goes
 * away when the fd is closed. Returns 0 or a negative errno.
 */
int pmd_tap_open(const char *name, bool vnet_hdr, int *fd);

/*
 * Co-located guests: open tap device name in the network namespace at netns_path (a file
 * such as /run/netns/NAME; NULL: this one), creating it if it does not exist there and
 * attaching to it if it does (a switch restarting under running guests), and make it
 * persistent, so that the guest's addresses and routes outlive this process; the device goes
 * away with its namespace. Otherwise as pmd_tap_open(). Returns 0 or a negative errno.
 */
int pmd_tap_attach(const char *name, const char *netns_path, bool vnet_hdr, int *fd);

/*
 * Tell the kernel which offloads (TUN_F_CSUM, TUN_F_TSO4, TUN_F_TSO6) the reader of a
 * vnet_hdr tap handles: it then hands over frames with partial checksums and GSO frames up
 * to PMD_TAP_FRAME_MAX. Works after the device moved to another namespace. Returns 0 or a
 * negative errno.
 */
int pmd_tap_set_offload(int fd, unsigned int tun_flags);

/*
 * Tap without vnet header: read up to nb frames into pkts[] (fresh mbufs with room for a
 * full frame), setting their lengths. Returns the number of frames read, or a negative errno
 * if the first read failed for another reason than an empty queue.
 */
int pmd_tap_read_burst(int fd, struct rte_mbuf **pkts, unsigned int nb);

/*
 * Tap with vnet header: read one frame's header into *hdr and the frame into segs[] (fresh
 * mbufs; to take any frame they must hold more than PMD_TAP_FRAME_MAX), chaining the
 * segments it filled: segs[0] is then the packet. Segments it did not use stay untouched.
 * Returns the number of segments used, 0 if the queue was empty, or a negative errno: -EIO
 * for a frame shorter than its header, -EMSGSIZE for one that filled segs[] (the kernel cut
 * it): both are gone from the tap, the segments are untouched.
 */
int pmd_tap_read_vnet(int fd, struct virtio_net_hdr *hdr, struct rte_mbuf **segs,
	unsigned int nb_segs);

/*
 * Write one frame, which may be a chain of up to PMD_TAP_MAX_SEGS segments, after *hdr if
 * the tap has a vnet header (hdr NULL: none). Returns 0 or a negative errno.
 */
int pmd_tap_write(int fd, const struct virtio_net_hdr *hdr, const struct rte_mbuf *m);

#endif /* PMD_TAP_H */
