/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/lock.c: one command at a time per instance, the holder named, across processes. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "fsutil.h"
#include "lock.h"
#include "unit.h"

/* A child that takes the lock of dir, says so on the pipe, and holds it until killed. */
static pid_t
holder_child(const char *dir)
{
	int p[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = tb_lock_take_at(dir, "sweep --instance x", 0, NULL, 0);

		c = fd >= 0 ? 'y' : 'n';
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	ck_assert_int_eq(c, 'y');
	close(p[0]);
	return pid;
}

START_TEST(test_second_command_waits_then_fails)
{
	char base[] = "/tmp/tb-unit-lock-XXXXXX", dir[128], holder[256], want[128];
	long long t0;
	struct stat st;
	pid_t pid, got;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(base));
	snprintf(dir, sizeof(dir), "%s/x", base);
	pid = holder_child(dir);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	t0 = tb_now_ms();
	fd = tb_lock_take_at(dir, "down --instance x", 300, holder, sizeof(holder));
	ck_assert_int_eq(fd, -EBUSY);
	ck_assert_int_ge(tb_now_ms() - t0, 250);
	snprintf(want, sizeof(want), "sweep --instance x (pid %d)", (int)pid);
	ck_assert_str_eq(holder, want);
	ck_assert_int_eq(tb_lock_holder_pid(dir, &got), 0);
	ck_assert_int_eq(got, pid);
	/* the holder exits: the lock is free, and the next one writes itself in */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	fd = tb_lock_take_at(dir, "down --instance x", 300, holder, sizeof(holder));
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(tb_lock_holder_pid(dir, &got), 0);
	ck_assert_int_eq(got, getpid());
	close(fd);
	tb_rm_tree(base);
}
END_TEST

START_TEST(test_removed_run_dir_is_not_shared)
{
	char base[] = "/tmp/tb-unit-lock-XXXXXX", dir[128];
	pid_t pid;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(base));
	snprintf(dir, sizeof(dir), "%s/x", base);
	fd = tb_lock_take_at(dir, "down", 0, NULL, 0);
	ck_assert_int_ge(fd, 0);
	/* down removes the run directory, lock file and all, while it holds the lock */
	ck_assert_int_eq(tb_rm_tree(dir), 0);
	pid = holder_child(dir); /* a new lock file: taken */
	ck_assert_int_eq(tb_lock_take_at(dir, "up", 100, NULL, 0), -EBUSY);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(fd);
	tb_rm_tree(base);
}
END_TEST

START_TEST(test_symlinked_run_dir_refused)
{
	char base[] = "/tmp/tb-unit-lock-XXXXXX", dir[128];

	ck_assert_ptr_nonnull(mkdtemp(base));
	snprintf(dir, sizeof(dir), "%s/x", base);
	ck_assert_int_eq(symlink("/tmp", dir), 0);
	ck_assert_int_eq(tb_lock_take_at(dir, "up", 0, NULL, 0), -ELOOP);
	unlink(dir);
	tb_rm_tree(base);
}
END_TEST

START_TEST(test_dir_used)
{
	char base[] = "/tmp/tb-unit-lock-XXXXXX", dir[128], f[160];
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(base));
	snprintf(dir, sizeof(dir), "%s/x", base);
	ck_assert(!tb_lock_dir_used(dir));
	fd = tb_lock_take_at(dir, "up", 0, NULL, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert(!tb_lock_dir_used(dir)); /* only the lock: nothing of an instance */
	snprintf(f, sizeof(f), "%s/state.json", dir);
	ck_assert_int_eq(tb_write_atomic(f, "{}", 2, 0600), 0);
	ck_assert(tb_lock_dir_used(dir));
	close(fd);
	tb_rm_tree(base);
}
END_TEST

static Suite *
lock_suite(void)
{
	Suite *s = suite_create("lock");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_second_command_waits_then_fails);
	tcase_add_test(tc, test_removed_run_dir_is_not_shared);
	tcase_add_test(tc, test_symlinked_run_dir_refused);
	tcase_add_test(tc, test_dir_used);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(lock_suite)
