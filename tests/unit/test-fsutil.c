/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/fsutil.c: atomic writes that no planted symlink can redirect; real directories only. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "unit.h"

START_TEST(test_atomic_write_ignores_planted_symlink)
{
	char dir[] = "/tmp/tb-unit-fs-XXXXXX", path[128], tmp[160], victim[128], *text = NULL;
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.json", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	ck_assert_int_eq(tb_write_atomic(victim, "keep", 4, 0644), 0);
	/* the names a predictable writer would use, each pointing at the victim */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	ck_assert_int_eq(symlink(victim, tmp), 0);
	ck_assert_int_eq(tb_write_atomic(path, "new", 3, 0600), 0);
	ck_assert_int_eq(tb_read_file(victim, &text, NULL), 0);
	ck_assert_str_eq(text, "keep");
	free(text);
	ck_assert_int_eq(tb_read_file(path, &text, NULL), 0);
	ck_assert_str_eq(text, "new");
	free(text);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	tb_rm_tree(dir);
}
END_TEST

START_TEST(test_atomic_write_mode_exact)
{
	char dir[] = "/tmp/tb-unit-fs-XXXXXX", path[128];
	mode_t old = umask(077);
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/results.json", dir);
	ck_assert_int_eq(tb_write_atomic(path, "{}", 2, 0644), 0);
	umask(old);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	tb_rm_tree(dir);
}
END_TEST

static int
put(const char *path, const char *s)
{
	return tb_write_atomic(path, s, strlen(s), 0644);
}

/* A log's last word: the last non-empty line, trailing blank lines skipped. */
START_TEST(test_file_last_line)
{
	char dir[] = "/tmp/tb-unit-fsutil-XXXXXX", path[256], line[16];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/log", dir);
	ck_assert_int_eq(put(path, "EAL: start\nEAL: no memory\n\n  \n"), 0);
	ck_assert_int_eq(tb_file_last_line(path, line, sizeof(line)), 0);
	ck_assert_str_eq(line, "EAL: no memory"); /* 14 bytes: fits 16 */
	ck_assert_int_eq(put(path, "one line without newline, longer than 15"), 0);
	ck_assert_int_eq(tb_file_last_line(path, line, sizeof(line)), 0);
	ck_assert_str_eq(line, "one line withou");
	ck_assert_int_eq(put(path, "\n\n"), 0);
	ck_assert_int_eq(tb_file_last_line(path, line, sizeof(line)), -ENODATA);
	ck_assert_str_eq(line, "");
	unlink(path);
	ck_assert_int_eq(tb_file_last_line(path, line, sizeof(line)), -ENOENT);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_mkdir_refuses_symlink)
{
	char dir[] = "/tmp/tb-unit-fs-XXXXXX", link[128], file[128], sub[160];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/out", dir);
	ck_assert_int_eq(symlink("/tmp", link), 0);
	ck_assert_int_eq(tb_mkdir_p(link, 0755), -ELOOP);
	ck_assert_int_eq(tb_real_dir(link), -ELOOP);
	snprintf(file, sizeof(file), "%s/file", dir);
	ck_assert_int_eq(tb_write_atomic(file, "x", 1, 0644), 0);
	ck_assert_int_eq(tb_mkdir_p(file, 0755), -ENOTDIR);
	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	ck_assert_int_eq(tb_mkdir_p(sub, 0755), 0);
	ck_assert_int_eq(tb_mkdir_p(sub, 0755), 0); /* existing real directory: fine */
	unlink(link);
	tb_rm_tree(dir);
}
END_TEST

static Suite *
fsutil_suite(void)
{
	Suite *s = suite_create("fsutil");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_atomic_write_ignores_planted_symlink);
	tcase_add_test(tc, test_atomic_write_mode_exact);
	tcase_add_test(tc, test_mkdir_refuses_symlink);
	tcase_add_test(tc, test_file_last_line);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(fsutil_suite)
