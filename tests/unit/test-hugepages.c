/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "hugepages.h"
#include "unit.h"

static char root[64];

/* A fake /sys with node 0 offering 2 MB and 1 GB pools. */
static void
fake_pool(unsigned long kb, long nr, long free_)
{
	char dir[256], path[300], val[32];

	snprintf(dir, sizeof(dir), "%s/devices/system/node/node0/hugepages/hugepages-%lukB", root, kb);
	ck_assert_int_eq(tb_mkdir_p(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/nr_hugepages", dir);
	snprintf(val, sizeof(val), "%ld\n", nr);
	ck_assert_int_eq(tb_write_atomic(path, val, strlen(val), 0644), 0);
	snprintf(path, sizeof(path), "%s/free_hugepages", dir);
	snprintf(val, sizeof(val), "%ld\n", free_);
	ck_assert_int_eq(tb_write_atomic(path, val, strlen(val), 0644), 0);
}

static void
setup(void)
{
	snprintf(root, sizeof(root), "/tmp/tb-unit-sysfs-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	hp_set_sysfs_root(root);
}

static void
teardown(void)
{
	tb_rm_tree(root);
}

START_TEST(test_pages_for)
{
	struct hp_demand d[] = {{"ovs", 1024}, {"shim", 96}};

	ck_assert_int_eq(hp_pages_for(d, 2, 2048), 512 + 48);
	/* each process rounds up to whole pages: 1 GB pages cost 2 here */
	ck_assert_int_eq(hp_pages_for(d, 2, 1024 * 1024), 2);
	ck_assert_int_eq(hp_pages_for((struct hp_demand[]){{"x", 1}}, 1, 2048), 1);
	ck_assert_int_eq(hp_pages_for(d, 0, 2048), 0);
}
END_TEST

START_TEST(test_sizes)
{
	char buf[32];

	ck_assert_uint_eq(hp_size_parse("2M"), 2048);
	ck_assert_uint_eq(hp_size_parse("1G"), 1048576);
	ck_assert_uint_eq(hp_size_parse("4K"), 0);
	hp_size_str(2048, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2 MB");
	hp_size_str(1048576, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1 GB");
}
END_TEST

START_TEST(test_node_read_sorted)
{
	struct hp_node_info info;

	fake_pool(2048, 10, 4);
	fake_pool(1048576, 1, 1);
	ck_assert_int_eq(hp_node_read(0, &info), 0);
	ck_assert_int_eq(info.n_sizes, 2);
	ck_assert_uint_eq(info.size[0].kb, 1048576); /* largest first */
	ck_assert_int_eq(info.size[1].nr, 10);
	ck_assert_int_eq(info.size[1].free, 4);
	ck_assert_ptr_nonnull(hp_node_size(&info, 2048));
	ck_assert_ptr_null(hp_node_size(&info, 4));
	ck_assert_int_lt(hp_node_read(3, &info), 0);
}
END_TEST

START_TEST(test_reserve_enough_free)
{
	long added = -1, free_ = 0;

	fake_pool(2048, 10, 8);
	ck_assert_int_eq(hp_reserve(0, 2048, 8, &added, &free_), 0);
	ck_assert_int_eq(added, 0);
	ck_assert_int_eq(free_, 8);
}
END_TEST

/* The fake kernel never frees pages: the pool must be put back and -ENOMEM returned. */
START_TEST(test_reserve_short_restores)
{
	char path[300];
	long added = -1, free_ = 0, nr;

	fake_pool(2048, 10, 2);
	ck_assert_int_eq(hp_reserve(0, 2048, 8, &added, &free_), -ENOMEM);
	ck_assert_int_eq(added, 0);
	ck_assert_int_eq(free_, 2);
	snprintf(path, sizeof(path),
		 "%s/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages", root);
	ck_assert_int_eq(tb_read_long(path, &nr), 0);
	ck_assert_int_eq(nr, 10);
}
END_TEST

START_TEST(test_release)
{
	char path[300];
	long nr;

	fake_pool(2048, 10, 2);
	ck_assert_int_eq(hp_release(0, 2048, 4), 0);
	snprintf(path, sizeof(path),
		 "%s/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages", root);
	ck_assert_int_eq(tb_read_long(path, &nr), 0);
	ck_assert_int_eq(nr, 6);
	ck_assert_int_eq(hp_release(0, 2048, 0), 0);
}
END_TEST

static Suite *
hugepages_suite(void)
{
	Suite *s = suite_create("hugepages");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_pages_for);
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_node_read_sorted);
	tcase_add_test(tc, test_reserve_enough_free);
	tcase_add_test(tc, test_reserve_short_restores);
	tcase_add_test(tc, test_release);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(hugepages_suite)
