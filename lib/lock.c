/* SPDX-License-Identifier: BSD-3-Clause */
/* One command at a time per instance: an flock on /run/testbed/<instance>/lock. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "fsutil.h"
#include "lock.h"
#include "names.h"

/* What the lock file says: "WHO (pid PID)". */
static void
describe_holder(int fd, char *holder, size_t len)
{
	char buf[256];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	char *who;
	long pid;

	if (holder == NULL || len == 0)
		return;
	if (n <= 0) {
		snprintf(holder, len, "another command");
		return;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	pid = strtol(buf, &who, 10);
	while (*who == ' ')
		who++;
	snprintf(holder, len, "%s (pid %ld)", *who ? who : "another command", pid);
}

/* fd still names path (a `down` may have removed the run directory meanwhile). */
static bool
still_there(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

int
tb_lock_take_at(const char *dir, const char *who, int wait_ms, char *holder, size_t len)
{
	struct timespec ts = {.tv_nsec = 50 * 1000000};
	long long deadline = tb_now_ms() + (wait_ms > 0 ? wait_ms : 0);
	char path[4096], line[256];
	int fd, ret, n;

	if (snprintf(path, sizeof(path), "%s/%s", dir, TB_LOCK_FILE) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	for (;;) {
		ret = tb_mkdir_p(dir, 0700);
		if (ret < 0)
			return ret;
		fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno == ENOENT && tb_now_ms() < deadline + 1000)
			continue; /* the directory went away between mkdir and open: again */
		if (fd < 0)
			return -errno;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (still_there(fd, path))
				break;
			close(fd); /* its file was removed: lock the new one */
			continue;
		}
		ret = -errno;
		if (ret != -EWOULDBLOCK && ret != -EINTR) {
			close(fd);
			return ret;
		}
		if (tb_now_ms() >= deadline) {
			describe_holder(fd, holder, len);
			close(fd);
			return -EBUSY;
		}
		close(fd);
		nanosleep(&ts, NULL);
	}
	n = snprintf(line, sizeof(line), "%d %s\n", (int)getpid(), who != NULL ? who : "");
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	if (ftruncate(fd, 0) < 0 || pwrite(fd, line, n, 0) != n) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

int
tb_lock_take(const char *inst, const char *who, int wait_ms, char *holder, size_t len)
{
	char dir[256];
	int ret = tb_run_path(dir, sizeof(dir), inst, NULL);

	if (ret == 0)
		ret = tb_mkdir_p(TB_RUN_BASE, 0755);
	return ret < 0 ? ret : tb_lock_take_at(dir, who, wait_ms, holder, len);
}

void
tb_lock_release(int fd, const char *dir)
{
	char path[4096];

	if (fd < 0)
		return;
	/* still ours while we unlink: a waiter then finds its file gone and makes a new one */
	if (!tb_lock_dir_used(dir) &&
	    snprintf(path, sizeof(path), "%s/%s", dir, TB_LOCK_FILE) < (int)sizeof(path) &&
	    still_there(fd, path) && unlink(path) == 0)
		rmdir(dir);
	close(fd);
}

int
tb_lock_holder_pid(const char *dir, pid_t *pid)
{
	char path[4096], *buf = NULL;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, TB_LOCK_FILE);
	ret = tb_read_file(path, &buf, NULL);
	if (ret < 0)
		return ret;
	*pid = atoi(buf);
	free(buf);
	return *pid > 0 ? 0 : -EINVAL;
}

/* 1 with buf the path of dir's first entry other than its lock file, 0 when none, -errno. */
static int
first_entry(const char *dir, char *buf, size_t len)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (buf != NULL && len > 0)
		buf[0] = '\0';
	if (d == NULL)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, TB_LOCK_FILE) == 0)
			continue;
		if (buf != NULL && len > 0)
			snprintf(buf, len, "%.150s/%.100s", dir, de->d_name);
		closedir(d);
		return 1;
	}
	closedir(d);
	return 0;
}

bool
tb_lock_dir_used(const char *dir)
{
	int ret = first_entry(dir, NULL, 0);

	return ret == -ENOENT ? false : ret != 0;
}

bool
tb_lock_dir_entry(const char *dir, char *buf, size_t len)
{
	return first_entry(dir, buf, len) == 1;
}
