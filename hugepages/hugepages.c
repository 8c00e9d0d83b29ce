/* SPDX-License-Identifier: BSD-3-Clause */
/* Hugepages per NUMA node: read, plan, reserve and give back, hugetlbfs mounts. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "fsutil.h"
#include "hugepages.h"

static const char *sysfs_root = "/sys";

void
hp_set_sysfs_root(const char *root)
{
	sysfs_root = root;
}

static int
pool_path(char *buf, size_t len, int node, unsigned long kb, const char *file)
{
	int n = snprintf(buf, len, "%s/devices/system/node/node%d/hugepages/hugepages-%lukB/%s",
			 sysfs_root, node, kb, file);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int
cmp_desc(const void *a, const void *b)
{
	const struct hp_size_info *x = a, *y = b;

	return x->kb < y->kb ? 1 : x->kb > y->kb ? -1 : 0;
}

int
hp_node_read(int node, struct hp_node_info *info)
{
	char dir[512], path[600];
	struct dirent *de;
	DIR *d;

	memset(info, 0, sizeof(*info));
	info->node = node;
	snprintf(dir, sizeof(dir), "%s/devices/system/node/node%d/hugepages", sysfs_root, node);
	d = opendir(dir);
	if (d == NULL)
		return -errno;
	while ((de = readdir(d)) != NULL && info->n_sizes < HP_MAX_SIZES) {
		struct hp_size_info *s = &info->size[info->n_sizes];

		if (sscanf(de->d_name, "hugepages-%lukB", &s->kb) != 1)
			continue;
		pool_path(path, sizeof(path), node, s->kb, "nr_hugepages");
		if (tb_read_long(path, &s->nr) < 0)
			continue;
		pool_path(path, sizeof(path), node, s->kb, "free_hugepages");
		if (tb_read_long(path, &s->free) < 0)
			continue;
		info->n_sizes++;
	}
	closedir(d);
	qsort(info->size, info->n_sizes, sizeof(info->size[0]), cmp_desc);
	return 0;
}

const struct hp_size_info *
hp_node_size(const struct hp_node_info *info, unsigned long kb)
{
	int i;

	for (i = 0; i < info->n_sizes; i++)
		if (info->size[i].kb == kb)
			return &info->size[i];
	return NULL;
}

long
hp_pages_for(const struct hp_demand *d, int n, unsigned long page_kb)
{
	long pages = 0, page_mb = page_kb / 1024;
	int i;

	if (page_mb == 0)
		return -EINVAL;
	for (i = 0; i < n; i++)
		pages += (d[i].mb + page_mb - 1) / page_mb;
	return pages;
}

void
hp_size_str(unsigned long kb, char *buf, size_t len)
{
	if (kb >= 1024 * 1024 && kb % (1024 * 1024) == 0)
		snprintf(buf, len, "%lu GB", kb / (1024 * 1024));
	else
		snprintf(buf, len, "%lu MB", kb / 1024);
}

unsigned long
hp_size_parse(const char *s)
{
	if (strcmp(s, "2M") == 0 || strcmp(s, "2MB") == 0)
		return 2048;
	if (strcmp(s, "1G") == 0 || strcmp(s, "1GB") == 0)
		return 1024 * 1024;
	return 0;
}

static int
pool_get(int node, unsigned long kb, const char *file, long *val)
{
	char path[600];

	pool_path(path, sizeof(path), node, kb, file);
	return tb_read_long(path, val);
}

static int
pool_set_nr(int node, unsigned long kb, long nr)
{
	char path[600], val[32];

	pool_path(path, sizeof(path), node, kb, "nr_hugepages");
	snprintf(val, sizeof(val), "%ld", nr < 0 ? 0 : nr);
	return tb_write_str(path, val);
}

/*
 * Asks the kernel to compact memory (the way to free contiguous 1 GB ranges on a host that has
 * been running a while). Only on the real sysfs: a test's fake tree has nothing to compact.
 */
static void
compact_memory(void)
{
	if (strcmp(sysfs_root, "/sys") == 0)
		tb_write_str("/proc/sys/vm/compact_memory", "1");
}

/* MemAvailable in kB: more than this can never become hugepages. */
static long
mem_available_kb(void)
{
	char *buf = NULL, *p;
	long kb = -1;

	if (tb_read_file("/proc/meminfo", &buf, NULL) < 0)
		return -1;
	p = strstr(buf, "MemAvailable:");
	if (p != NULL)
		kb = strtol(p + strlen("MemAvailable:"), NULL, 10);
	free(buf);
	return kb;
}

int
hp_reserve(int node, unsigned long kb, long pages, long *added, long *free_out)
{
	long nr, free_, now, avail = mem_available_kb();
	int ret;

	*added = 0;
	ret = pool_get(node, kb, "nr_hugepages", &nr);
	if (ret == 0)
		ret = pool_get(node, kb, "free_hugepages", &free_);
	if (ret < 0)
		return ret;
	*free_out = free_;
	if (free_ >= pages)
		return 0;
	/* hopeless requests are refused without squeezing the host's memory first */
	if (avail >= 0 && (pages - free_) * (long)kb > avail)
		return -ENOMEM;
	ret = pool_set_nr(node, kb, nr + pages - free_);
	/* the kernel may give fewer pages than asked (fragmented memory): re-read */
	pool_get(node, kb, "free_hugepages", free_out);
	if (*free_out < pages) {
		/* once more after compacting: a long-running host rarely has 1 GB in one piece */
		compact_memory();
		ret = pool_set_nr(node, kb, nr + pages - free_);
		pool_get(node, kb, "free_hugepages", free_out);
	}
	if (pool_get(node, kb, "nr_hugepages", &now) < 0)
		now = nr;
	if (*free_out >= pages) {
		*added = now - nr;
		return 0;
	}
	pool_set_nr(node, kb, nr);
	return ret < 0 && ret != -ENOMEM ? ret : -ENOMEM;
}

int
hp_release(int node, unsigned long kb, long added)
{
	long nr;
	int ret;

	if (added <= 0)
		return 0;
	ret = pool_get(node, kb, "nr_hugepages", &nr);
	if (ret < 0)
		return ret;
	return pool_set_nr(node, kb, nr - added);
}

int
hp_mount(const char *dir, unsigned long kb)
{
	char opts[64];

	snprintf(opts, sizeof(opts), "pagesize=%luK,mode=0700", kb);
	if (tb_mkdir_p(dir, 0700) < 0)
		return -errno;
	return mount("nodev", dir, "hugetlbfs", MS_NOSUID | MS_NODEV, opts) < 0 ? -errno : 0;
}

bool
hp_is_mounted(const char *dir)
{
	char *buf = NULL, *line, *save = NULL;
	bool found = false;

	if (tb_read_file("/proc/self/mounts", &buf, NULL) < 0)
		return false;
	for (line = strtok_r(buf, "\n", &save); line != NULL && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		char mnt[512];

		if (sscanf(line, "%*s %511s", mnt) == 1 && strcmp(mnt, dir) == 0)
			found = true;
	}
	free(buf);
	return found;
}

int
hp_umount(const char *dir)
{
	if (!hp_is_mounted(dir))
		return 0;
	if (umount2(dir, UMOUNT_NOFOLLOW) < 0 && umount2(dir, MNT_DETACH) < 0)
		return -errno;
	return 0;
}
