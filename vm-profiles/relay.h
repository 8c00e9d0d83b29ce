/* SPDX-License-Identifier: BSD-3-Clause */
/* The tap/macvtap relay: frames copied between a guest's tap and the host side. */
#ifndef TB_VM_RELAY_H
#define TB_VM_RELAY_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The relay: the userspace virtio backend of netns guests on the `tap` and `macvtap`
 * backends, standing for what QEMU does with `-netdev tap,vhost=off`: every frame the guest
 * sends is read by a process and written to the host's device, and back. Each port pairs
 * the guest's NIC (a tap the relay creates; `up` moves it into the guest as eth0) with the
 * host side: a tap on the bridge (created here too) or a macvtap's character device. Both
 * ends carry a virtio-net header with checksum and TSO offloads, so TCP moves in 64 KiB
 * frames as with a virtio NIC. The relay sleeps in epoll: it costs nothing idle.
 */
#define VM_RELAY_MAX_PORTS 32
#define VM_RELAY_NAME_MAX 15 /* IFNAMSIZ - 1 */
#define VM_RELAY_PATH_MAX 255

enum vm_relay_host { VM_RELAY_HOST_TAP, VM_RELAY_HOST_MACVTAP };

struct vm_relay_port {
	char guest_tap[VM_RELAY_NAME_MAX + 1];
	enum vm_relay_host kind;
	char host[VM_RELAY_PATH_MAX + 1]; /* tap name, or the macvtap's device node */
	int fd[2];			  /* guest, host */
	uint64_t frames[2], bytes[2], drops[2]; /* read from that side */
};

struct vm_relay_conf {
	struct vm_relay_port port[VM_RELAY_MAX_PORTS];
	int n_ports;
	int cpu;		/* -1: not pinned */
	const char *ready_file; /* written once every device is open */
};

/*
 * "GUEST_TAP,tap:HOST_TAP" or "GUEST_TAP,macvtap:/path/to/chardev" into the next port;
 * -EINVAL with a one-line message naming the bad part.
 */
int vm_relay_parse_port(struct vm_relay_conf *c, const char *arg, char *err, size_t errlen);
/* Opens every device (creating the taps); on failure closes what it opened. */
int vm_relay_open(struct vm_relay_conf *c, char *err, size_t errlen);
/* Forwards until *stop; then closes everything (the taps go away with their fds). */
int vm_relay_run(struct vm_relay_conf *c, volatile sig_atomic_t *stop, char *err, size_t errlen);

/* --- launcher (relay-launch.c), for `up` --- */

struct vm_relay_launch {
	const char *self;     /* this program: the relay is `testbed relay` */
	const char *log_path;
	const char *ready_file;
	int cpu;
	int n_ports;
	const char *guest_tap[VM_RELAY_MAX_PORTS];
	const char *host[VM_RELAY_MAX_PORTS]; /* "tap:NAME" or "macvtap:PATH" */
};

int vm_relay_start(const struct vm_relay_launch *l, pid_t *pid, char *err, size_t errlen);
/* Waits for the ready file (every device open); -ECHILD if the relay exited. */
int vm_relay_wait_ready(const struct vm_relay_launch *l, pid_t pid, int timeout_ms, char *err,
			size_t errlen);

#endif
