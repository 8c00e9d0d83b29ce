/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/runcmd.c: time limits that hold when a child closes its output, output caps, umask. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "fsutil.h"
#include "runcmd.h"
#include "unit.h"

START_TEST(test_timeout_after_closing_pipes)
{
	struct tb_run_opts o = {.timeout_ms = 1000};
	long long t0 = tb_now_ms();
	char *out = NULL, *err = NULL;
	int ret;

	/* the child closes stdout and stderr at once, then runs on: the limit must still hold */
	ret = tb_run((const char *[]){"sh", "-c", "exec >&- 2>&-; exec sleep 30", NULL}, &o, &out,
		     &err);
	ck_assert_int_eq(ret, -ETIMEDOUT);
	ck_assert_int_lt(tb_now_ms() - t0, 3000);
	free(out);
	free(err);
}
END_TEST

START_TEST(test_timeout_while_printing)
{
	struct tb_run_opts o = {.timeout_ms = 500};
	long long t0 = tb_now_ms();

	ck_assert_int_eq(tb_run((const char *[]){"sleep", "30", NULL}, &o, NULL, NULL), -ETIMEDOUT);
	ck_assert_int_lt(tb_now_ms() - t0, 2500);
}
END_TEST

START_TEST(test_exit_status_kept)
{
	struct tb_run_opts o = {.timeout_ms = 5000};
	char *out = NULL;

	ck_assert_int_eq(tb_run((const char *[]){"sh", "-c", "echo hi; exit 3", NULL}, &o, &out,
				NULL),
			 3);
	ck_assert_str_eq(out, "hi\n");
	free(out);
	/* closes its output, then exits by itself before the limit */
	ck_assert_int_eq(tb_run((const char *[]){"sh", "-c", "exec >&- 2>&-; sleep 0.2; exit 4",
					      NULL},
				&o, NULL, NULL),
			 4);
}
END_TEST

START_TEST(test_output_cap)
{
	struct tb_run_opts o = {.timeout_ms = 20000};
	char *out = NULL, errbuf[256];

	/* endless output is cut at the cap, not read into memory without end */
	ck_assert_int_eq(tb_run((const char *[]){"yes", NULL}, &o, &out, NULL), -EFBIG);
	ck_assert_uint_le(strlen(out), TB_RUN_OUTPUT_MAX);
	free(out);
	ck_assert_int_eq(tb_run_ok((const char *[]){"yes", NULL}, errbuf, sizeof(errbuf)), -EFBIG);
	ck_assert_ptr_nonnull(strstr(errbuf, "more than 16 MiB"));
}
END_TEST

START_TEST(test_children_get_normal_umask)
{
	char dir[] = "/tmp/tb-unit-run-XXXXXX", path[128];
	mode_t old = umask(077); /* ours narrow: the child still gets 022 */
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	ck_assert_int_eq(tb_run((const char *[]){"touch", path, NULL}, NULL, NULL, NULL), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	umask(old);
	tb_rm_tree(dir);
}
END_TEST

static Suite *
runcmd_suite(void)
{
	Suite *s = suite_create("runcmd");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_timeout_after_closing_pipes);
	tcase_add_test(tc, test_timeout_while_printing);
	tcase_add_test(tc, test_exit_status_kept);
	tcase_add_test(tc, test_output_cap);
	tcase_add_test(tc, test_children_get_normal_umask);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(runcmd_suite)
