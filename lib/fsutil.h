/* SPDX-License-Identifier: BSD-3-Clause */
/* Files: read, write atomically (unique temp + rename), make directories. */
#ifndef TB_FSUTIL_H
#define TB_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Whole file into a NUL-terminated buffer (free it); len optional. */
int tb_read_file(const char *path, char **buf, size_t *len);
int tb_read_long(const char *path, long *val);
int tb_write_str(const char *path, const char *s); /* sysfs/procfs style, no temp file */

/*
 * Writes a new temporary file beside path (an unguessable name, O_EXCL|O_NOFOLLOW, mode
 * exactly as given), fsyncs, renames: readers see the old or the new file, never half.
 */
int tb_write_atomic(const char *path, const char *data, size_t len, mode_t mode);

/* Makes path and its parents; an existing path must be a real directory (-ELOOP: a symlink,
 * -ENOTDIR: something else). */
int tb_mkdir_p(const char *path, mode_t mode);
/* 0 when path is a directory and not a symlink; -ELOOP, -ENOTDIR, -ENOENT. */
int tb_real_dir(const char *path);
int tb_rm_tree(const char *path); /* does not cross mount points */
bool tb_path_exists(const char *path);
/*
 * The last non-empty line of a text file (a log), at most len - 1 bytes of it; 0, or -errno
 * with buf "" (no such file, nothing in it: -ENODATA).
 */
int tb_file_last_line(const char *path, char *buf, size_t len);

#endif
