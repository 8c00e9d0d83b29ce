/* SPDX-License-Identifier: BSD-3-Clause */
/* Files: read, write atomically (unique temp + rename), make directories. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"

int
tb_read_file(const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 4096, n = 0;
	char *p;
	ssize_t r;

	if (fd < 0)
		return -errno;
	p = malloc(cap);
	if (p == NULL) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (n + 1 >= cap) {
			char *q = realloc(p, cap * 2);

			if (q == NULL) {
				free(p);
				close(fd);
				return -ENOMEM;
			}
			p = q;
			cap *= 2;
		}
		r = read(fd, p + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = -errno;

			free(p);
			close(fd);
			return e;
		}
		if (r == 0)
			break;
		n += r;
	}
	close(fd);
	p[n] = '\0';
	*buf = p;
	if (len != NULL)
		*len = n;
	return 0;
}

int
tb_read_long(const char *path, long *val)
{
	char *buf = NULL, *end;
	int ret = tb_read_file(path, &buf, NULL);

	if (ret < 0)
		return ret;
	errno = 0;
	*val = strtol(buf, &end, 10);
	ret = (errno != 0 || end == buf) ? -EINVAL : 0;
	free(buf);
	return ret;
}

int
tb_write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n;
	int ret = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* A new file beside path with a name nobody can guess, opened O_EXCL|O_NOFOLLOW (mkstemp's way). */
static int
open_unique_tmp(const char *path, mode_t mode, char *tmp, size_t len)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char rnd[12];
	int tries, fd, i;

	for (tries = 0; tries < 100; tries++) {
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			return -EIO;
		if (snprintf(tmp, len, "%s.tmp-", path) >= (int)len - (int)sizeof(rnd))
			return -ENAMETOOLONG;
		for (i = 0; i < (int)sizeof(rnd); i++) {
			char c[2] = {chars[rnd[i] % (sizeof(chars) - 1)], '\0'};

			strcat(tmp, c);
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd >= 0) {
			/* the umask must not narrow what the caller asked for */
			if (fchmod(fd, mode) < 0) {
				int e = -errno;

				close(fd);
				unlink(tmp);
				return e;
			}
			return fd;
		}
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

int
tb_write_atomic(const char *path, const char *data, size_t len, mode_t mode)
{
	char tmp[4096];
	size_t off = 0;
	int fd, ret = 0;

	fd = open_unique_tmp(path, mode, tmp, sizeof(tmp));
	if (fd < 0)
		return fd;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		off += n;
	}
	if (ret == 0 && fsync(fd) < 0)
		ret = -errno;
	close(fd);
	if (ret == 0 && rename(tmp, path) < 0)
		ret = -errno;
	if (ret < 0)
		unlink(tmp);
	return ret;
}

int
tb_real_dir(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return -errno;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

int
tb_mkdir_p(const char *path, mode_t mode)
{
	char buf[4096], *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	/* an existing one must be a directory itself, not a symlink planted to one */
	return tb_real_dir(buf);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

int
tb_rm_tree(const char *path)
{
	if (!tb_path_exists(path))
		return 0;
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 ? -errno : 0;
}

bool
tb_path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int
tb_file_last_line(const char *path, char *buf, size_t len)
{
	char *text = NULL, *end, *start;
	size_t n = 0;
	int ret;

	buf[0] = '\0';
	ret = tb_read_file(path, &text, &n);
	if (ret < 0)
		return ret;
	end = text + n;
	while (end > text && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	start = end;
	while (start > text && start[-1] != '\n')
		start--;
	snprintf(buf, len, "%.*s", (int)(end - start), start);
	free(text);
	return buf[0] != '\0' ? 0 : -ENODATA;
}
