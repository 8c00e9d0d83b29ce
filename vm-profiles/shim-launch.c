/* SPDX-License-Identifier: BSD-3-Clause */
/* Starts the testbed-pmd shim for netns guests and waits for their taps. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "fsutil.h"
#include "netcmd.h"
#include "shim-launch.h"
#include "runcmd.h"

#define SHIM_ARGS_MAX (24 + 2 * VM_SHIM_MAX_PORTS)

long
vm_shim_mem_mb(int n_ports)
{
	/* EAL heap + per port: 4096 mbufs of ~2.3 KB and two 1024-entry vrings */
	return 64 + 16L * n_ports;
}

int
vm_shim_start(const struct vm_shim_conf *c, pid_t *pid, char *err, size_t errlen)
{
	char lcore[16], prefix[80], mem[128], sleep[16], ports[VM_SHIM_MAX_PORTS][400];
	const char *argv[SHIM_ARGS_MAX];
	struct tb_run_opts o = {.log_path = c->log_path};
	int n = 0, i, ret;
	size_t off = 0;

	if (c->n_ports < 1 || c->n_ports > VM_SHIM_MAX_PORTS)
		return -EINVAL;
	snprintf(lcore, sizeof(lcore), "%d", c->cpu);
	snprintf(prefix, sizeof(prefix), "--file-prefix=%s", c->file_prefix);
	mem[0] = '\0';
	for (i = 0; i < (c->n_nodes > c->node ? c->n_nodes : c->node + 1); i++)
		off += snprintf(mem + off, sizeof(mem) - off, "%s%ld", i ? "," : "",
				i == c->node ? c->socket_mem_mb : 0L);
	argv[n++] = c->pmd_path;
	argv[n++] = "-l";
	argv[n++] = lcore;
	argv[n++] = prefix;
	argv[n++] = "--huge-dir";
	argv[n++] = c->huge_dir;
	/* one segment file per page size: vhost-user's memory table has few slots */
	argv[n++] = "--single-file-segments";
	argv[n++] = "--socket-mem";
	argv[n++] = mem;
	argv[n++] = "--socket-limit";
	argv[n++] = mem;
	argv[n++] = "--no-pci";
	argv[n++] = "--";
	argv[n++] = "shim";
	for (i = 0; i < c->n_ports; i++) {
		snprintf(ports[i], sizeof(ports[i]), "%s,%s", c->sock[i], c->tap[i]);
		argv[n++] = "--port";
		argv[n++] = ports[i];
	}
	argv[n++] = "--idle";
	argv[n++] = c->idle;
	snprintf(sleep, sizeof(sleep), "%d", c->max_sleep_us);
	argv[n++] = "--max-sleep-us";
	argv[n++] = sleep;
	if (c->ring != NULL) {
		argv[n++] = "--ring";
		argv[n++] = c->ring;
	}
	argv[n++] = "--ready-file";
	argv[n++] = c->ready_file;
	argv[n] = NULL;
	ret = tb_spawn(argv, &o, pid);
	if (ret < 0)
		snprintf(err, errlen, "shim %s: %s", c->pmd_path, strerror(-ret));
	return ret;
}

static bool
alive(pid_t pid)
{
	return waitpid(pid, NULL, WNOHANG) == 0;
}

static bool
taps_ready(const struct vm_shim_conf *c)
{
	int i;

	for (i = 0; i < c->n_ports; i++)
		if (!tb_link_exists(NULL, c->tap[i]))
			return false;
	return true;
}

static int
wait_for(const struct vm_shim_conf *c, pid_t pid, int timeout_ms, bool (*done)(const struct vm_shim_conf *),
	 const char *what, char *err, size_t errlen)
{
	struct timespec ts = {.tv_nsec = 20 * 1000000};
	int waited;

	for (waited = 0; waited < timeout_ms; waited += 20) {
		if (done(c))
			return 0;
		if (!alive(pid)) {
			char last[300];

			/* the log goes with the run dir when up undoes: its last word goes here */
			tb_file_last_line(c->log_path, last, sizeof(last));
			snprintf(err, errlen, "shim exited before %s: %s (%s)", what,
				 last[0] ? last : "its log is empty", c->log_path);
			return -ECHILD;
		}
		nanosleep(&ts, NULL);
	}
	snprintf(err, errlen, "shim: no %s after %d s (see %s)", what, timeout_ms / 1000,
		 c->log_path);
	return -ETIMEDOUT;
}

int
vm_shim_wait_taps(const struct vm_shim_conf *c, pid_t pid, int timeout_ms, char *err,
		  size_t errlen)
{
	return wait_for(c, pid, timeout_ms, taps_ready, "taps", err, errlen);
}

static bool
ready_file(const struct vm_shim_conf *c)
{
	return tb_path_exists(c->ready_file);
}

int
vm_shim_wait_ready(const struct vm_shim_conf *c, pid_t pid, int timeout_ms, char *err,
		   size_t errlen)
{
	return wait_for(c, pid, timeout_ms, ready_file, "switch connection on every port", err,
			errlen);
}
