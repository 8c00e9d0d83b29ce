/* SPDX-License-Identifier: BSD-3-Clause */
/* Starts a `testbed relay` process and waits until its taps are ready. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "fsutil.h"
#include "relay.h"
#include "runcmd.h"

int
vm_relay_start(const struct vm_relay_launch *l, pid_t *pid, char *err, size_t errlen)
{
	const char *argv[8 + 2 * VM_RELAY_MAX_PORTS];
	char cpu[16], port[VM_RELAY_MAX_PORTS][VM_RELAY_NAME_MAX + VM_RELAY_PATH_MAX + 16];
	struct tb_run_opts o = {.log_path = l->log_path};
	int n = 0, i, ret;

	if (l->n_ports < 1 || l->n_ports > VM_RELAY_MAX_PORTS)
		return -EINVAL;
	argv[n++] = l->self;
	argv[n++] = "relay";
	for (i = 0; i < l->n_ports; i++) {
		snprintf(port[i], sizeof(port[i]), "%s,%s", l->guest_tap[i], l->host[i]);
		argv[n++] = "--port";
		argv[n++] = port[i];
	}
	snprintf(cpu, sizeof(cpu), "%d", l->cpu);
	argv[n++] = "--cpu";
	argv[n++] = cpu;
	argv[n++] = "--ready-file";
	argv[n++] = l->ready_file;
	argv[n] = NULL;
	ret = tb_spawn(argv, &o, pid);
	if (ret < 0)
		snprintf(err, errlen, "relay %s: %s", l->self, strerror(-ret));
	return ret;
}

int
vm_relay_wait_ready(const struct vm_relay_launch *l, pid_t pid, int timeout_ms, char *err,
		    size_t errlen)
{
	struct timespec ts = {.tv_nsec = 10 * 1000000};
	int waited;

	for (waited = 0; waited < timeout_ms; waited += 10) {
		if (tb_path_exists(l->ready_file))
			return 0;
		if (waitpid(pid, NULL, WNOHANG) != 0) {
			snprintf(err, errlen, "relay exited before opening its devices (see %s)",
				 l->log_path);
			return -ECHILD;
		}
		nanosleep(&ts, NULL);
	}
	snprintf(err, errlen, "relay: devices not open after %d s (see %s)", timeout_ms / 1000,
		 l->log_path);
	return -ETIMEDOUT;
}
