/* SPDX-License-Identifier: BSD-3-Clause */
/* The instance's cgroup v2 group: every process it starts, killed whole on down. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "fsutil.h"

/* The cgroup2 mount point from /proc/self/mountinfo (hybrid hosts mount it aside). */
static int
cgroup2_mount(char *buf, size_t len)
{
	char line[1024], mnt[512], *sep;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int ret = -ENOTSUP;

	if (f == NULL)
		return -errno;
	while (fgets(line, sizeof(line), f) != NULL) {
		/* "... - cgroup2 cgroup2 rw": the type follows the separator */
		sep = strstr(line, " - cgroup2 ");
		if (sep == NULL || sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1)
			continue;
		snprintf(buf, len, "%s", mnt);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

int
tb_cgroup_path(const char *inst, char *buf, size_t len)
{
	char mnt[512];
	int ret = cgroup2_mount(mnt, sizeof(mnt));

	if (ret < 0)
		return ret;
	if ((size_t)snprintf(buf, len, "%s/testbed-%s", mnt, inst) >= len)
		return -ENAMETOOLONG;
	return 0;
}

static int
move_self(const char *dir)
{
	char procs[600];

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	return tb_write_str(procs, "0"); /* "0": the writing process */
}

int
tb_cgroup_enter(const char *path, char *prev, size_t prevlen)
{
	char mnt[512], *self = NULL, *p;
	int ret = cgroup2_mount(mnt, sizeof(mnt));

	if (ret < 0)
		return ret;
	/* "0::/some/group" is this process's place in the v2 hierarchy */
	if (tb_read_file("/proc/self/cgroup", &self, NULL) < 0)
		return -EIO;
	p = strstr(self, "0::");
	snprintf(prev, prevlen, "%s%s", mnt, p != NULL ? strtok(p + 3, "\n") : "/");
	free(self);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	return move_self(path);
}

int
tb_cgroup_leave(const char *prev)
{
	return move_self(prev);
}

static int
members(const char *path, pid_t *first)
{
	char procs[600], *text = NULL, *tok, *save;
	int n = 0;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", path);
	if (tb_read_file(procs, &text, NULL) < 0)
		return 0;
	for (tok = strtok_r(text, "\n", &save); tok != NULL; tok = strtok_r(NULL, "\n", &save)) {
		if (n++ == 0 && first != NULL)
			*first = (pid_t)atoi(tok);
	}
	free(text);
	return n;
}

int
tb_cgroup_remove(const char *path, int timeout_ms)
{
	struct timespec ts = {.tv_nsec = 20 * 1000000};
	char kill_file[600];
	pid_t pid = 0;
	int waited;

	if (!tb_path_exists(path))
		return 0;
	snprintf(kill_file, sizeof(kill_file), "%s/cgroup.kill", path);
	for (waited = 0; members(path, &pid) > 0 && waited < timeout_ms; waited += 20) {
		/* cgroup.kill (Linux 5.14) takes the whole group at once; else one by one */
		if (tb_write_str(kill_file, "1") < 0 && pid > 0)
			kill(pid, SIGKILL);
		nanosleep(&ts, NULL);
	}
	/* a daemon that detached is reaped by init: until then, its zombie keeps the group busy */
	for (; rmdir(path) < 0; waited += 20) {
		if (errno == ENOENT)
			return 0;
		if (errno != EBUSY || waited >= 2 * timeout_ms)
			return -errno;
		nanosleep(&ts, NULL);
	}
	return 0;
}
