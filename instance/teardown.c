/* SPDX-License-Identifier: BSD-3-Clause */
/* Removing an instance: the journal undone in reverse, then a sweep of its names. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "hugepages.h"
#include "lock.h"
#include "log.h"
#include "names.h"
#include "netcmd.h"
#include "proc.h"
#include "cgroup.h"
#include "qmp.h"
#include "runcmd.h"
#include "state.h"
#include "teardown.h"

static int
undo_process(json_t *o)
{
	pid_t pid = json_integer_value(json_object_get(o, "pid"));
	unsigned long long start = json_integer_value(json_object_get(o, "start"));
	const char *qmp = json_string_value(json_object_get(o, "qmp"));
	char err[TB_ERR_LEN];
	int ret;

	/* a VM: `quit` through its QMP socket first, then the pid as for any process */
	if (qmp != NULL && tb_proc_is(pid, start) && vm_qmp_quit(qmp, 0, 2000, err, sizeof(err)) == 0)
		tb_proc_stop(pid, start, 3000);
	ret = tb_proc_stop(pid, start, 5000);

	if (ret == -EBUSY) {
		tb_err("%s (pid %d): does not stop", json_string_value(json_object_get(o, "role")),
		       (int)pid);
		return 1;
	}
	return 0; /* stopped, or gone, or the pid now belongs to someone else */
}

static int
undo_netns(const char *name)
{
	char err[TB_ERR_LEN];

	if (!tb_netns_exists(name))
		return 0;
	if (tb_ip(err, sizeof(err), "netns", "delete", name, NULL) < 0) {
		tb_err("netns %s: %s", name, err);
		return 1;
	}
	return 0;
}

/* A link in the root namespace, or in ns (e.g. a VM's tap in the host namespace). */
static int
undo_link(const char *name, const char *ns)
{
	char err[TB_ERR_LEN];
	int ret;

	if (ns != NULL && !tb_netns_exists(ns))
		return 0;
	if (!tb_link_exists(ns, name))
		return 0;
	ret = ns != NULL ? tb_ip(err, sizeof(err), "-n", ns, "link", "delete", name, NULL)
			 : tb_ip(err, sizeof(err), "link", "delete", name, NULL);
	if (ret < 0) {
		tb_err("link %s: %s", name, err);
		return 1;
	}
	return 0;
}

static int
undo_mount(const char *path)
{
	int ret = hp_umount(path);

	if (ret < 0) {
		tb_err("mount %s: %s", path, strerror(-ret));
		return 1;
	}
	return 0;
}

static int
undo_hugepages(json_t *o)
{
	int node = json_integer_value(json_object_get(o, "node"));
	unsigned long kb = json_integer_value(json_object_get(o, "page_kb"));
	long added = json_integer_value(json_object_get(o, "added"));
	int ret = hp_release(node, kb, added);

	if (ret < 0) {
		tb_err("hugepages on node %d: cannot give back %ld pages: %s", node, added,
		       strerror(-ret));
		return 1;
	}
	return 0;
}

static int
undo_ovs_port(json_t *o)
{
	char db[320];
	const char *dir = json_string_value(json_object_get(o, "dir"));
	const char *name = json_string_value(json_object_get(o, "name"));

	if (dir == NULL || name == NULL)
		return 0;
	snprintf(db, sizeof(db), "--db=unix:%s/db.sock", dir);
	/* the database only: a dead vswitchd must not make down wait */
	tb_run_ok((const char *[]){"ovs-vsctl", db, "--timeout=5", "--no-wait", "--if-exists",
				   "del-port", name, NULL},
		  NULL, 0);
	return 0;
}

/* Files a DPDK process left in the hugetlbfs mount: <prefix>map_N and the like. */
static int
undo_hugefiles(json_t *o)
{
	const char *dir = json_string_value(json_object_get(o, "dir"));
	const char *prefix = json_string_value(json_object_get(o, "prefix"));
	struct dirent *de;
	char path[600];
	DIR *d;

	if (dir == NULL || prefix == NULL || (d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	return 0;
}

static int
undo(json_t *o)
{
	const char *kind = json_string_value(json_object_get(o, "kind"));
	const char *name = json_string_value(json_object_get(o, "name"));

	if (kind == NULL)
		return 0;
	if (strcmp(kind, "process") == 0)
		return undo_process(o);
	if (strcmp(kind, "netns") == 0 && name != NULL)
		return undo_netns(name);
	if (strcmp(kind, "link") == 0 && name != NULL)
		return undo_link(name, json_string_value(json_object_get(o, "netns")));
	if (strcmp(kind, "mount") == 0 && name != NULL)
		return undo_mount(name);
	if (strcmp(kind, "cgroup") == 0 && name != NULL)
		return tb_cgroup_remove(name, 5000) < 0;
	if (strcmp(kind, "hugepages") == 0)
		return undo_hugepages(o);
	if (strcmp(kind, "ovs-port") == 0)
		return undo_ovs_port(o);
	if (strcmp(kind, "hugefiles") == 0)
		return undo_hugefiles(o);
	return 0;
}

/* Our processes carry the run dir or our DPDK file prefix in their argv. */
static bool
ours(const char *cmd, const char *run_dir, const char *prefix)
{
	char rd[300];

	snprintf(rd, sizeof(rd), "%s/", run_dir);
	return strstr(cmd, rd) != NULL || strstr(cmd, prefix) != NULL;
}

static int
sweep_processes(const char *inst, bool stop)
{
	char run_dir[256], prefix[80], cmd[4096];
	struct dirent *de;
	int found = 0;
	DIR *d = opendir("/proc");

	if (d == NULL)
		return 0;
	tb_run_path(run_dir, sizeof(run_dir), inst, NULL);
	snprintf(prefix, sizeof(prefix), "file-prefix=tb-%s-", inst);
	while ((de = readdir(d)) != NULL) {
		pid_t pid = atoi(de->d_name);
		unsigned long long start;

		if (pid <= 0 || pid == getpid() || tb_proc_cmdline(pid, cmd, sizeof(cmd)) < 0)
			continue;
		if (!ours(cmd, run_dir, prefix) || tb_proc_start_time(pid, &start) < 0)
			continue;
		found++;
		if (stop && tb_proc_stop(pid, start, 5000) == -EBUSY)
			tb_err("process %d (%.60s): does not stop", (int)pid, cmd);
	}
	closedir(d);
	return found;
}

/* Entries of dir whose names start with pfx; each handed to remove when it is given. */
static int
sweep_dir(const char *dir, const char *pfx, int (*remove)(const char *dir, const char *name))
{
	struct dirent *de;
	int found = 0;
	DIR *d = opendir(dir);

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, pfx, strlen(pfx)) != 0)
			continue;
		found++;
		if (remove != NULL)
			remove(dir, de->d_name);
	}
	closedir(d);
	return found;
}

static int
remove_netns(const char *dir, const char *name)
{
	(void)dir;
	return undo_netns(name);
}

static int
remove_link(const char *dir, const char *name)
{
	(void)dir;
	return undo_link(name, NULL);
}

static int
remove_tree(const char *dir, const char *name)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return tb_rm_tree(path);
}

static int
sweep_netns(const char *inst, bool remove)
{
	char pfx[64];

	snprintf(pfx, sizeof(pfx), "tb-%s-", inst);
	return sweep_dir("/run/netns", pfx, remove ? remove_netns : NULL);
}

static int
sweep_links(const char *inst, bool remove)
{
	char pfx[64];

	snprintf(pfx, sizeof(pfx), "tb%s-", inst);
	return sweep_dir("/sys/class/net", pfx, remove ? remove_link : NULL);
}

/* DPDK's runtime dirs (/var/run/dpdk/<file-prefix>) of our processes. */
static int
sweep_dpdk_runtime(const char *inst, bool remove)
{
	char pfx[64];

	snprintf(pfx, sizeof(pfx), "tb-%s-", inst);
	return sweep_dir("/var/run/dpdk", pfx, remove ? remove_tree : NULL);
}

static int
sweep_nft(const char *inst, bool remove)
{
	char table[64];

	snprintf(table, sizeof(table), "testbed_%s", inst);
	if (tb_run_ok((const char *[]){"nft", "list", "table", "ip", table, NULL}, NULL, 0) != 0)
		return 0;
	if (remove)
		tb_run_ok((const char *[]){"nft", "delete", "table", "ip", table, NULL}, NULL, 0);
	return 1;
}

static int
sweep_run_dir(const char *inst, bool remove)
{
	char run_dir[256], huge[300];
	int ret;

	tb_run_path(run_dir, sizeof(run_dir), inst, NULL);
	if (!tb_path_exists(run_dir))
		return 0;
	if (!remove) /* a lock file alone is a command at work, not something left */
		return tb_lock_dir_used(run_dir) ? 1 : 0;
	tb_run_path(huge, sizeof(huge), inst, "hugepages");
	undo_mount(huge);
	ret = tb_rm_tree(run_dir);
	if (ret < 0) {
		tb_err("run dir %s: %s", run_dir, strerror(-ret));
		return 1;
	}
	return 0;
}

/* "process ovs-vswitchd (pid 12)", "link tbmain-b0": an entry for a message. */
static void
describe(json_t *o, char *buf, size_t len)
{
	const char *kind = json_string_value(json_object_get(o, "kind")) ?: "object";
	const char *name = json_string_value(json_object_get(o, "name"));
	const char *role = json_string_value(json_object_get(o, "role"));

	if (json_object_get(o, "pid") != NULL)
		snprintf(buf, len, "%s %s (pid %d)", kind, role ?: name ?: "",
			 (int)json_integer_value(json_object_get(o, "pid")));
	else
		snprintf(buf, len, "%s %s", kind, name ?: role ?: "");
}

/*
 * Undoes the journal's entries from index mark on, newest first. Those whose undo failed stay
 * in the journal (in their order) for the next try; they are listed in names.
 */
static int
undo_entries(json_t *st, size_t mark, char *names, size_t len)
{
	json_t *objs = json_object_get(st, "objects");
	size_t i, off = 0;
	int failed = 0;

	if (len > 0)
		names[0] = '\0';
	for (i = json_array_size(objs); i > mark; i--) {
		json_t *o = json_array_get(objs, i - 1);
		char what[160];

		if (undo(o) == 0) {
			json_array_remove(objs, i - 1);
			continue;
		}
		failed++;
		describe(o, what, sizeof(what));
		if (off < len)
			off += snprintf(names + off, len - off, "%s%s", off ? ", " : "", what);
	}
	return failed;
}

int
td_undo_from(json_t *st, size_t mark)
{
	char names[1024];
	int failed = undo_entries(st, mark, names, sizeof(names)), ret;

	ret = tb_state_save(st);
	if (failed)
		tb_err("kept in the journal for `down`: %s", names);
	if (ret < 0) {
		tb_err("state file of instance %s: cannot save: %s",
		       json_string_value(json_object_get(st, "instance")), strerror(-ret));
		failed++;
	}
	return failed;
}

/* The instance's cgroup, journaled or not (testbed killed before it saved the state). */
static int
sweep_cgroup(const char *inst, bool remove)
{
	char path[600];

	if (tb_cgroup_path(inst, path, sizeof(path)) < 0 || !tb_path_exists(path))
		return 0;
	if (!remove)
		return 1;
	if (tb_cgroup_remove(path, 5000) < 0) {
		tb_err("cgroup %s: processes in it do not go away", path);
		return 1;
	}
	return 0;
}

int
td_teardown(const char *inst, json_t *st)
{
	char names[1024];
	int failed = 0, kept = st != NULL ? undo_entries(st, 0, names, sizeof(names)) : 0, ret;

	failed += kept + sweep_cgroup(inst, true);
	sweep_processes(inst, true);
	sweep_netns(inst, true);
	sweep_links(inst, true);
	sweep_nft(inst, true);
	sweep_dpdk_runtime(inst, true);
	if (kept == 0) {
		failed += sweep_run_dir(inst, true);
	} else {
		/* the run dir stays with a state of what is left: the next down tries again */
		ret = tb_state_save(st);
		tb_err("instance %s: kept in its journal for the next down: %s%s", inst, names,
		       ret < 0 ? " (but the state file could not be saved)" : "");
	}
	if (sweep_nft(inst, false)) {
		tb_err("nftables table ip testbed_%s: still there after nft delete table", inst);
		failed++;
	}
	failed += sweep_processes(inst, false) + sweep_netns(inst, false) +
		  sweep_links(inst, false);
	return failed;
}

bool
td_anything_left(const char *inst)
{
	return sweep_processes(inst, false) + sweep_netns(inst, false) + sweep_links(inst, false) +
		       sweep_nft(inst, false) + sweep_run_dir(inst, false) +
		       sweep_cgroup(inst, false) >
	       0;
}
