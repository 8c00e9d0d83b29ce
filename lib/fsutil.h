/* SPDX-License-Identifier: BSD-3-Clause */
/* Files: read, write atomically (temp + rename), make directories. */
#ifndef TB_FSUTIL_H
#define TB_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Whole file into a NUL-terminated buffer (free it); len optional. */
int tb_read_file(const char *path, char **buf, size_t *len);
int tb_read_long(const char *path, long *val);
int tb_write_str(const char *path, const char *s); /* sysfs/procfs style, no temp file */

/* Writes path.tmp, fsyncs, renames: readers see the old or the new file, never half. */
int tb_write_atomic(const char *path, const char *data, size_t len, mode_t mode);

int tb_mkdir_p(const char *path, mode_t mode);
int tb_rm_tree(const char *path); /* does not cross mount points */
bool tb_path_exists(const char *path);

#endif
