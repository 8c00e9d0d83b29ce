/* SPDX-License-Identifier: BSD-3-Clause */
/* Host side of the guest agent: run a command in a QEMU guest over virtio-serial. */
#ifndef TB_VM_AGENT_H
#define TB_VM_AGENT_H

#include <signal.h>
#include <stddef.h>

/*
 * Runs programs in a QEMU guest through its agent (vm-profiles/guest-agent.c), over
 * virtio-serial ports whose QEMU chardevs are AF_UNIX sockets on the host (QEMU the
 * server). A chardev takes one host connection at a time, so a VM has several channels
 * (tb.agent0..N) and a caller takes a free one: an flock on "<socket>.lock" beside each
 * socket, held for the whole command, keeps concurrent host processes apart.
 *
 * All return 0 when the command ran to its end, *status (optional) being its exit status
 * (0..255, 128+signal; 127: no such program in the guest), or a negative errno:
 * -ETIMEDOUT (killed in the guest at timeout_ms), -ECANCELED (*cancel was set: killed in
 * the guest), -EBUSY (every channel taken for VM_AGENT_CHANNEL_WAIT_MS), -ECONNRESET
 * (the VM closed the channel), -EBADMSG (not an agent on the other end), or what
 * connect(2) said. err gets one line for the user. timeout_ms 0: no limit.
 */
#define VM_AGENT_CHANNEL_WAIT_MS 10000

/* stdout and stderr merged in arrival order into *out (NUL-terminated; free it). */
int vm_agent_exec(const char *const sock_paths[], int n_socks, const char *const argv[],
		  int timeout_ms, char **out, int *status, char *err, size_t errlen);

/*
 * Output written to out_fd / err_fd (-1: dropped; may be the same fd) as it comes, for
 * long runs. When *cancel (optional; set it from a signal handler) becomes non-zero the
 * command gets SIGTERM in the guest, SIGKILL 2 s later. A caller that dies instead
 * closes the channel, and the guest agent kills the command then.
 */
int vm_agent_exec_stream(const char *const sock_paths[], int n_socks, const char *const argv[],
			 int timeout_ms, int out_fd, int err_fd, volatile sig_atomic_t *cancel,
			 int *status, char *err, size_t errlen);

/*
 * Waits for the guest's "TB-READY <name> <address>" line in the console log QEMU writes
 * (-serial file:PATH). 0 with the line (no newline) in line (optional); -ETIMEDOUT, or
 * -EIO when the kernel panicked or /init said "TB-FAILED <why>", with that line in err.
 */
int vm_agent_wait_ready(const char *console_log, int timeout_ms, char *line, size_t linelen,
			char *err, size_t errlen);

#endif
