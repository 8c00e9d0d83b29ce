/* SPDX-License-Identifier: BSD-3-Clause */
/* Launches testbed-pmd in its switch role: EAL arguments, ports, NICs. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "fsutil.h"
#include "ovs.h"
#include "pmdswitch.h"
#include "runcmd.h"

#define PMD_ARGS_MAX (36 + 2 * VSC_PMD_MAX_PORTS + 2 * VSC_PMD_MAX_NICS)
#define PMD_GUEST_ARG_MAX 400

int
vsc_pmd_ethdevs(int n_ports, int n_colo)
{
	return n_ports + n_colo;
}

long
vsc_pmd_mem_mb(int n_cpus, int n_ports)
{
	/* EAL heap + a pool of ~8K 2.3 KB mbufs (TSO chains of one burst per lcore) */
	return 128 + 32L * n_cpus + 2L * n_ports;
}

long
vsc_pmd_mem_mb_nics(int n_cpus, int n_ports, int n_nics)
{
	/*
	 * Per NIC 3072 more mbufs in the pool (rx ring, tx ring of segments, GSO's header
	 * mbufs), 8 MB, and af_xdp's own pool of 8191 packed mbufs (its UMEM), 20 MB.
	 */
	return vsc_pmd_mem_mb(n_cpus, n_ports) + 32L * n_nics;
}

bool
vsc_pmd_nic_is_pci(const char *s)
{
	static const char form[] = "xxxx:xx:xx.x";
	size_t i;

	for (i = 0; i < sizeof(form) - 1; i++) {
		if (form[i] == 'x' ? !isxdigit((unsigned char)s[i]) : s[i] != form[i])
			return false;
	}
	return s[i] == '\0' || s[i] == ',';
}

static bool
any_pci(const struct vsc_pmd_conf *c)
{
	int i;

	for (i = 0; i < c->n_nics; i++) {
		if (vsc_pmd_nic_is_pci(c->nic[i]))
			return true;
	}
	return false;
}

int
vsc_pmd_start(const struct vsc_pmd_conf *c, pid_t *pid, char *err, size_t errlen)
{
	static char guest[VSC_PMD_MAX_PORTS][PMD_GUEST_ARG_MAX];
	char lcores[8 * VSC_PMD_MAX_CPUS], prefix[80], mem[128];
	const char *argv[PMD_ARGS_MAX];
	struct tb_run_opts o = {.log_path = c->log_path};
	size_t off = 0;
	int n = 0, i, ret, n_colo = 0;

	for (i = 0; i < c->n_ports && i < VSC_PMD_MAX_PORTS; i++)
		n_colo += c->guest_ns[i] != NULL;
	if (n_colo > 0 && c->guest_nic == NULL)
		return -EINVAL;
	if (vsc_pmd_ethdevs(c->n_ports, n_colo) + c->n_nics > VSC_PMD_MAX_PORTS)
		return -E2BIG;
	if (c->n_ports < 0 || c->n_nics < 0 || c->n_nics > VSC_PMD_MAX_NICS ||
	    c->n_ports + c->n_nics < 1 || c->n_ports + c->n_nics > VSC_PMD_MAX_PORTS ||
	    c->n_cpus < 1 || c->n_cpus > VSC_PMD_MAX_CPUS)
		return -EINVAL;
	for (i = 0; i < c->n_nics; i++) {
		if (c->nic[i] == NULL)
			return -EINVAL;
	}
	lcores[0] = '\0';
	for (i = 0; i < c->n_cpus; i++)
		off += snprintf(lcores + off, sizeof(lcores) - off, "%s%d", i ? "," : "",
				c->cpus[i]);
	snprintf(prefix, sizeof(prefix), "--file-prefix=%s", c->file_prefix);
	vsc_ovs_socket_mem(c->node, c->n_nodes, c->socket_mem_mb, mem, sizeof(mem));
	/* af_xdp and af_packet bind to the interface by name in the process's namespace */
	if (c->netns != NULL) {
		argv[n++] = "ip";
		argv[n++] = "netns";
		argv[n++] = "exec";
		argv[n++] = c->netns;
	}
	argv[n++] = c->pmd_path;
	argv[n++] = "-l";
	argv[n++] = lcores;
	argv[n++] = prefix;
	argv[n++] = "--huge-dir";
	argv[n++] = c->huge_dir;
	/*
	 * The vhost side maps the guests' memory; its own needs no files others open, unless
	 * co-located guests' virtio-user ports share it (one file per page size: vhost-user's
	 * memory table has few slots).
	 */
	argv[n++] = n_colo > 0 ? "--single-file-segments" : "--in-memory";
	argv[n++] = "--socket-mem";
	argv[n++] = mem;
	argv[n++] = "--socket-limit";
	argv[n++] = mem;
	/* a NIC on the PCI bus needs the scan; otherwise it only costs startup time */
	if (!any_pci(c))
		argv[n++] = "--no-pci";
	/* one line per vhost-user message otherwise */
	argv[n++] = "--log-level=lib.vhost.config:notice";
	argv[n++] = "--";
	argv[n++] = "switch";
	for (i = 0; i < c->n_ports; i++) {
		if (c->guest_ns[i] == NULL) {
			argv[n++] = "--port";
			argv[n++] = c->sock[i];
			continue;
		}
		if (snprintf(guest[i], sizeof(guest[i]), "%s,%s,%s", c->sock[i], c->guest_nic,
			     c->guest_ns[i]) >= (int)sizeof(guest[i]))
			return -ENAMETOOLONG;
		argv[n++] = "--guest-tap";
		argv[n++] = guest[i];
	}
	for (i = 0; i < c->n_nics; i++) {
		argv[n++] = "--nic";
		argv[n++] = c->nic[i];
	}
	if (n_colo > 0 && c->guest_ring != NULL) {
		argv[n++] = "--guest-ring";
		argv[n++] = c->guest_ring;
	}
	argv[n++] = "--idle";
	argv[n++] = c->idle;
	argv[n++] = "--tso";
	argv[n++] = c->tso ? "on" : "off";
	argv[n++] = "--ready-file";
	argv[n++] = c->ready_file;
	argv[n] = NULL;
	ret = tb_spawn(argv, &o, pid);
	if (ret < 0)
		snprintf(err, errlen, "switch %s: %s", c->pmd_path, strerror(-ret));
	return ret;
}

int
vsc_pmd_wait_ready(const struct vsc_pmd_conf *c, pid_t pid, int timeout_ms, char *err,
		   size_t errlen)
{
	struct timespec ts = {.tv_nsec = 20 * 1000000};
	int waited;

	for (waited = 0; waited < timeout_ms; waited += 20) {
		if (tb_path_exists(c->ready_file))
			return 0;
		if (waitpid(pid, NULL, WNOHANG) != 0) {
			char last[300];

			/* the log goes with the run dir when up undoes: its last word goes here */
			tb_file_last_line(c->log_path, last, sizeof(last));
			snprintf(err, errlen, "testbed-pmd switch exited before it was ready: %s (%s)",
				 last[0] ? last : "its log is empty", c->log_path);
			return -ECHILD;
		}
		nanosleep(&ts, NULL);
	}
	snprintf(err, errlen, "testbed-pmd switch: not ready after %d s (see %s)",
		 timeout_ms / 1000, c->log_path);
	return -ETIMEDOUT;
}
