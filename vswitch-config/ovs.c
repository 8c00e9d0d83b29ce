/* SPDX-License-Identifier: BSD-3-Clause */
/* A private OVS-DPDK: ovsdb-server + ovs-vswitchd-dpdk, bridges, ports, PMD settings. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "netcmd.h"
#include "ovs.h"
#include "proc.h"
#include "runcmd.h"

#define OVS_SCHEMA "/usr/share/openvswitch/vswitch.ovsschema"
#define VSWITCHD_DPDK "/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk"
#define ARGS_MAX 40

struct ovs_paths {
	char db[300], sock[300], remote[310], db_pid[300], db_ctl[300];
	char vs_pid[300], vs_ctl[300], db_log[300], vs_log[300];
	char env_run[320], env_db[320], env_log[320];
};

static void
paths(const char *dir, struct ovs_paths *p)
{
	snprintf(p->db, sizeof(p->db), "%s/conf.db", dir);
	snprintf(p->sock, sizeof(p->sock), "%s/db.sock", dir);
	snprintf(p->remote, sizeof(p->remote), "unix:%s", p->sock);
	snprintf(p->db_pid, sizeof(p->db_pid), "%s/ovsdb-server.pid", dir);
	snprintf(p->db_ctl, sizeof(p->db_ctl), "%s/ovsdb-server.ctl", dir);
	snprintf(p->db_log, sizeof(p->db_log), "%s/ovsdb-server.log", dir);
	snprintf(p->vs_pid, sizeof(p->vs_pid), "%s/ovs-vswitchd.pid", dir);
	snprintf(p->vs_ctl, sizeof(p->vs_ctl), "%s/ovs-vswitchd.ctl", dir);
	snprintf(p->vs_log, sizeof(p->vs_log), "%s/ovs-vswitchd.log", dir);
	snprintf(p->env_run, sizeof(p->env_run), "OVS_RUNDIR=%s", dir);
	snprintf(p->env_db, sizeof(p->env_db), "OVS_DBDIR=%s", dir);
	snprintf(p->env_log, sizeof(p->env_log), "OVS_LOGDIR=%s", dir);
}

void
vsc_ovs_socket_mem(int node, int n_nodes, long mb, char *buf, size_t len)
{
	int total = n_nodes > node ? n_nodes : node + 1;
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < total && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%ld", i ? "," : "", i == node ? mb : 0L);
}

bool
vsc_dpdk_nic_bound(void)
{
	static const char *const drivers[] = {"vfio-pci", "igb_uio", "uio_pci_generic", NULL};
	bool found = false;
	int i;

	for (i = 0; drivers[i] != NULL && !found; i++) {
		char dir[128];
		struct dirent *de;
		DIR *d;

		snprintf(dir, sizeof(dir), "/sys/bus/pci/drivers/%s", drivers[i]);
		d = opendir(dir);
		if (d == NULL)
			continue;
		while ((de = readdir(d)) != NULL && !found)
			found = strchr(de->d_name, ':') != NULL; /* a PCI address link */
		closedir(d);
	}
	return found;
}

/*
 * What an OVS tool's stderr says went wrong: its last ERR or EMER log line (EAL and netdev
 * errors are logged there, after pages of INFO lines), else its last line.
 */
static void
ovs_why(const char *eout, char *buf, size_t len)
{
	const char *line, *best = NULL, *last = NULL;
	size_t n;

	snprintf(buf, len, "%s", "");
	for (line = eout; line != NULL && *line != '\0'; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (*line == '\0' || *line == '\n')
			continue;
		last = line;
		n = strcspn(line, "\n");
		if (memmem(line, n, "|ERR|", 5) != NULL || memmem(line, n, "|EMER|", 6) != NULL)
			best = line;
	}
	if (best == NULL)
		best = last;
	if (best != NULL)
		snprintf(buf, len, "%.*s", (int)strcspn(best, "\n"), best);
}

/* Runs an OVS tool with the private instance's environment. */
static int
ovs_run(const char *dir, const char *const argv[], char **out, char *err, size_t errlen)
{
	struct ovs_paths p;
	const char *env[] = {p.env_run, p.env_db, p.env_log, NULL};
	struct tb_run_opts o = {.env_extra = env, .timeout_ms = 120000};
	char *eout = NULL, cmd[300], why[300];
	int ret;

	paths(dir, &p);
	ret = tb_run(argv, &o, out, &eout);
	if (ret != 0 && err != NULL) {
		tb_argv_str(argv, cmd, sizeof(cmd));
		if (ret < 0) {
			snprintf(err, errlen, "%s: %s", cmd, strerror(-ret));
		} else {
			ovs_why(eout, why, sizeof(why));
			snprintf(err, errlen, "%s: exit %d: %s", cmd, ret, why);
		}
	}
	free(eout);
	return ret == 0 ? 0 : ret < 0 ? ret : -EIO;
}

int
vsc_ovs_appctl(const char *dir, char **out, const char *const args[])
{
	struct ovs_paths p;
	const char *argv[ARGS_MAX] = {"ovs-appctl", "--timeout=10", "-t", p.vs_ctl};
	int n = 4, i;

	paths(dir, &p);
	for (i = 0; args[i] != NULL && n < ARGS_MAX - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return ovs_run(dir, argv, out, NULL, 0);
}

static int
vsctl(const char *dir, char **out, char *err, size_t errlen, const char *const args[])
{
	struct ovs_paths p;
	char db[320];
	const char *argv[ARGS_MAX] = {"ovs-vsctl", db, "--timeout=60"};
	int n = 3, i;

	paths(dir, &p);
	snprintf(db, sizeof(db), "--db=%s", p.remote);
	for (i = 0; args[i] != NULL && n < ARGS_MAX - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return ovs_run(dir, argv, out, err, errlen);
}

int
vsc_ovs_vsctl(const char *dir, char **out, const char *const args[])
{
	return vsctl(dir, out, NULL, 0, args);
}

static int
vsctl_err(const struct vsc_ovs_conf *c, char *err, size_t errlen, const char *const args[])
{
	return vsctl(c->dir, NULL, err, errlen, args);
}

int
vsc_ovs_db_start(const struct vsc_ovs_conf *c, pid_t *pid, char *err, size_t errlen)
{
	struct ovs_paths p;
	char remote[330], pidf[320], ctl[320], log[320];
	int ret;

	paths(c->dir, &p);
	const char *create[] = {"ovsdb-tool", "create", p.db, OVS_SCHEMA, NULL};

	ret = ovs_run(c->dir, create, NULL, err, errlen);
	if (ret < 0)
		return ret;
	snprintf(remote, sizeof(remote), "--remote=punix:%s", p.sock);
	snprintf(pidf, sizeof(pidf), "--pidfile=%s", p.db_pid);
	snprintf(ctl, sizeof(ctl), "--unixctl=%s", p.db_ctl);
	snprintf(log, sizeof(log), "--log-file=%s", p.db_log);
	const char *server[] = {"ovsdb-server", p.db, remote, pidf, ctl, log, "--detach",
				"--no-chdir", NULL};

	ret = ovs_run(c->dir, server, NULL, err, errlen);
	if (ret < 0)
		return ret;
	ret = tb_pidfile_read(p.db_pid, pid);
	if (ret < 0) {
		snprintf(err, errlen, "ovsdb-server: no pid file %s", p.db_pid);
		return ret;
	}
	const char *init[] = {"--no-wait", "init", NULL};

	return vsctl_err(c, err, errlen, init);
}

int
vsc_ovs_configure(const struct vsc_ovs_conf *c, char *err, size_t errlen)
{
	char mem[128], a_mem[192], a_lim[192], a_dir[512], a_pmd[80], a_lcore[80], a_sleep[64];
	char a_tso[64];
	const char *args[24] = {"--no-wait", "set", "Open_vSwitch", "."};
	int n = 4;

	vsc_ovs_socket_mem(c->node, c->n_nodes, c->socket_mem_mb, mem, sizeof(mem));
	snprintf(a_mem, sizeof(a_mem), "other_config:dpdk-socket-mem=\"%s\"", mem);
	/* the limit keeps DPDK from growing past what `up` reserved */
	snprintf(a_lim, sizeof(a_lim), "other_config:dpdk-socket-limit=\"%s\"", mem);
	snprintf(a_dir, sizeof(a_dir), "other_config:dpdk-hugepage-dir=\"%s\"", c->huge_dir);
	snprintf(a_pmd, sizeof(a_pmd), "other_config:pmd-cpu-mask=%s", c->pmd_mask);
	snprintf(a_lcore, sizeof(a_lcore), "other_config:dpdk-lcore-mask=%s", c->lcore_mask);
	snprintf(a_sleep, sizeof(a_sleep), "other_config:pmd-maxsleep=%d", c->pmd_maxsleep_us);
	snprintf(a_tso, sizeof(a_tso), "other_config:userspace-tso-enable=%s",
		 c->tso ? "true" : "false");
	args[n++] = "other_config:dpdk-init=true";
	args[n++] = a_mem;
	args[n++] = a_lim;
	args[n++] = a_dir;
	args[n++] = a_pmd;
	args[n++] = a_lcore;
	args[n++] = a_sleep;
	args[n++] = a_tso;
	if (c->no_pci)
		args[n++] = "other_config:dpdk-extra=\"--no-pci\"";
	args[n] = NULL;
	return vsctl_err(c, err, errlen, args);
}

int
vsc_ovs_vswitchd_start(const struct vsc_ovs_conf *c, pid_t *pid, char *err, size_t errlen)
{
	struct ovs_paths p;
	char pidf[320], ctl[320], log[320];
	int ret;

	paths(c->dir, &p);
	snprintf(pidf, sizeof(pidf), "--pidfile=%s", p.vs_pid);
	snprintf(ctl, sizeof(ctl), "--unixctl=%s", p.vs_ctl);
	snprintf(log, sizeof(log), "--log-file=%s", p.vs_log);
	/*
	 * In the instance's host namespace, so the netdev datapath's taps
	 * ("ovs-netdev", the bridge's own port) cannot clash with another
	 * instance or a system OVS. --detach returns once the daemon has read
	 * its config and initialised DPDK.
	 */
	const char *argv[] = {"ip", "netns", "exec", c->netns, VSWITCHD_DPDK, p.remote, pidf, ctl,
			      log, "--detach", "--no-chdir", NULL};

	ret = ovs_run(c->dir, argv, NULL, err, errlen);
	if (ret < 0)
		return ret;
	ret = tb_pidfile_read(p.vs_pid, pid);
	if (ret < 0)
		snprintf(err, errlen, "ovs-vswitchd-dpdk: no pid file %s (see %s)", p.vs_pid,
			 p.vs_log);
	return ret;
}

int
vsc_ovs_add_bridge(const struct vsc_ovs_conf *c, char *err, size_t errlen)
{
	const char *args[] = {"add-br", c->bridge, "--", "set", "Bridge", c->bridge,
			      "datapath_type=netdev", NULL};

	return vsctl_err(c, err, errlen, args);
}

int
vsc_ovs_add_vhost_port(const struct vsc_ovs_conf *c, const char *port, const char *sock,
		       char *err, size_t errlen)
{
	char path[400];
	const char *args[] = {"add-port", c->bridge, port, "--", "set", "Interface", port,
			      "type=dpdkvhostuserclient", path, NULL};

	snprintf(path, sizeof(path), "options:vhost-server-path=\"%s\"", sock);
	return vsctl_err(c, err, errlen, args);
}

int
vsc_ovs_add_nic_port(const struct vsc_ovs_conf *c, const char *port, const char *devargs,
		     char *err, size_t errlen)
{
	char opt[300], *out = NULL;
	const char *add[] = {"add-port", c->bridge, port, "--", "set", "Interface", port,
			     "type=dpdk", opt, NULL};
	const char *get[] = {"get", "Interface", port, "error", NULL};
	const char *del[] = {"--if-exists", "del-port", c->bridge, port, NULL};
	size_t n;
	int ret;

	snprintf(opt, sizeof(opt), "options:dpdk-devargs=\"%s\"", devargs);
	ret = vsctl_err(c, err, errlen, add);
	/* a device DPDK cannot attach still makes a port: its error column says why */
	if (ret == 0 && vsc_ovs_vsctl(c->dir, &out, get) == 0 && out != NULL &&
	    strcmp(out, "[]\n") != 0 && strcmp(out, "[]") != 0) {
		n = strlen(out);
		while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '"'))
			out[--n] = '\0';
		snprintf(err, errlen, "%s", out[0] == '"' ? out + 1 : out);
		ret = -EIO;
	}
	free(out);
	if (ret < 0)
		vsctl(c->dir, NULL, NULL, 0, del);
	return ret;
}
