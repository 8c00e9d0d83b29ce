/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <math.h>

#include "stats.h"
#include "unit.h"

START_TEST(test_spread)
{
	const double v[] = {3, 1, 2, 10};
	struct tb_spread s = tb_spread_of(v, 4);

	ck_assert_double_eq(s.median, 2.5);
	ck_assert_double_eq(s.min, 1);
	ck_assert_double_eq(s.max, 10);
	s = tb_spread_of(v, 3);
	ck_assert_double_eq(s.median, 2);
	s = tb_spread_of(v, 0);
	ck_assert_double_eq(s.median, -1);
}
END_TEST

/* Nearest rank: the ceil(p/100 x n)-th smallest, always an observed value. */
START_TEST(test_percentile_nearest_rank)
{
	double v[100], sorted[] = {15, 20, 35, 40, 50};
	int i;

	/* the textbook example (5 values) */
	ck_assert_double_eq(tb_percentile_sorted(sorted, 5, 5), 15);
	ck_assert_double_eq(tb_percentile_sorted(sorted, 5, 30), 20);
	ck_assert_double_eq(tb_percentile_sorted(sorted, 5, 40), 20);
	ck_assert_double_eq(tb_percentile_sorted(sorted, 5, 50), 35);
	ck_assert_double_eq(tb_percentile_sorted(sorted, 5, 100), 50);
	ck_assert_double_eq(tb_percentile_sorted(sorted, 5, 0), 15);
	ck_assert_double_eq(tb_percentile_sorted(sorted, 5, -3), 15);
	ck_assert_double_eq(tb_percentile_sorted(sorted, 5, 250), 50);
	ck_assert_double_eq(tb_percentile_sorted(sorted, 5, NAN), 15);
	ck_assert_double_eq(tb_percentile_sorted(sorted, 0, 50), -1);
	/* 1..100: P95 is 95 exactly, not 96 (0.95 x 100 is 95.00000000000001 in doubles) */
	for (i = 0; i < 100; i++)
		v[i] = i + 1;
	ck_assert_double_eq(tb_percentile_sorted(v, 100, 95), 95);
	ck_assert_double_eq(tb_percentile_sorted(v, 100, 99), 99);
	ck_assert_double_eq(tb_percentile_sorted(v, 100, 50), 50);
	ck_assert_double_eq(tb_percentile_sorted(v, 100, 99.9), 100);
	ck_assert_double_eq(tb_percentile_sorted(v, 100, 0.001), 1);
	/* 1..10: P95 -> rank 9.5 -> 10; P50 -> 5 (no averaging of 5 and 6) */
	ck_assert_double_eq(tb_percentile_sorted(v, 10, 95), 10);
	ck_assert_double_eq(tb_percentile_sorted(v, 10, 50), 5);
	ck_assert_double_eq(tb_percentile_sorted(v, 10, 51), 6);
	/* one value is every percentile */
	ck_assert_double_eq(tb_percentile_sorted(v, 1, 99), 1);
}
END_TEST

START_TEST(test_percentiles_unsorted)
{
	const double v[] = {9, 1, 8, 2, 7, 3, 6, 4, 5, 10};
	const double p[] = {50, 95, 99, 25};
	double out[4];

	ck_assert_int_eq(tb_percentiles(v, 10, p, 4, out), 0);
	ck_assert_double_eq(out[0], 5);
	ck_assert_double_eq(out[1], 10);
	ck_assert_double_eq(out[2], 10);
	ck_assert_double_eq(out[3], 3);
	/* the input is left as it was */
	ck_assert_double_eq(v[0], 9);
	ck_assert_int_eq(tb_percentiles(v, 0, p, 4, out), -EINVAL);
	ck_assert_int_eq(tb_percentiles(v, 10, (const double[]){101}, 1, out), -EINVAL);
	ck_assert_int_eq(tb_percentiles(v, 10, (const double[]){NAN}, 1, out), -EINVAL);
}
END_TEST

static Suite *
stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_spread);
	tcase_add_test(tc, test_percentile_nearest_rank);
	tcase_add_test(tc, test_percentiles_unsorted);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(stats_suite)
