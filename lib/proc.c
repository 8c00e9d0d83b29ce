/* SPDX-License-Identifier: BSD-3-Clause */
/* Processes by pid + start time: identity, liveness, stopping only our own. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "proc.h"
#include "runcmd.h"

int
tb_proc_start_time(pid_t pid, unsigned long long *start)
{
	char path[64], *buf = NULL, *p;
	int field, ret;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	ret = tb_read_file(path, &buf, NULL);
	if (ret < 0)
		return ret == -ENOENT ? -ESRCH : ret;
	/* comm may hold spaces and parentheses: fields restart after the last ')'. */
	p = strrchr(buf, ')');
	if (p == NULL) {
		free(buf);
		return -EINVAL;
	}
	for (field = 2; field < 22 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	ret = p != NULL && sscanf(p + 1, "%llu", start) == 1 ? 0 : -EINVAL;
	/* a zombie has exited: treat it as gone */
	if (ret == 0 && strstr(buf, ") Z ") != NULL)
		ret = -ESRCH;
	free(buf);
	return ret;
}

bool
tb_proc_is(pid_t pid, unsigned long long start)
{
	unsigned long long now;

	return pid > 0 && tb_proc_start_time(pid, &now) == 0 && now == start;
}

int
tb_proc_cmdline(pid_t pid, char *buf, size_t len)
{
	char path[64], *raw = NULL;
	size_t n, i;
	int ret;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	ret = tb_read_file(path, &raw, &n);
	if (ret < 0)
		return ret;
	for (i = 0; i < n; i++)
		if (raw[i] == '\0')
			raw[i] = ' ';
	snprintf(buf, len, "%.*s", (int)n, raw);
	free(raw);
	return 0;
}

static void
reap(pid_t pid)
{
	/* only succeeds for our own children; others are reaped by init */
	waitpid(pid, NULL, WNOHANG);
}

static bool
wait_gone(pid_t pid, unsigned long long start, int ms)
{
	struct timespec ts = {.tv_nsec = 10 * 1000000};
	int waited;

	for (waited = 0; waited <= ms; waited += 10) {
		reap(pid);
		if (!tb_proc_is(pid, start))
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

int
tb_proc_stop(pid_t pid, unsigned long long start, int grace_ms)
{
	/* a pidfd taken before the identity check keeps naming that process: no pid reuse race */
	int pidfd = tb_pidfd_open(pid), ret;

	if (!tb_proc_is(pid, start)) {
		ret = -ESRCH;
		goto out;
	}
	tb_signal_child(pidfd, pid, SIGTERM);
	if (wait_gone(pid, start, grace_ms)) {
		ret = 0;
		goto out;
	}
	tb_signal_child(pidfd, pid, SIGKILL);
	ret = wait_gone(pid, start, 5000) ? 0 : -EBUSY;
out:
	if (pidfd >= 0)
		close(pidfd);
	return ret;
}

int
tb_pidfile_read(const char *path, pid_t *pid)
{
	char *buf = NULL;
	int ret = tb_read_file(path, &buf, NULL);

	if (ret < 0)
		return ret;
	*pid = atoi(buf);
	free(buf);
	return *pid > 0 ? 0 : -EINVAL;
}
