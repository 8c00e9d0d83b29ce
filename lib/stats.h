/* SPDX-License-Identifier: BSD-3-Clause */
/* Median, min/max, percentiles and spread of repeated measurements. */
#ifndef TB_STATS_H
#define TB_STATS_H

#include <stddef.h>

/*
 * A point is "wide" when the spread of its repeats, (max - min) / median, is above this, in
 * percent: the sweep repeats it more (measure/sweep.h), the reports mark it (report/report.h).
 */
#define TB_WIDE_SPREAD_PCT 20

struct tb_spread {
	double median, min, max;
	size_t n;
};

/* Median (mean of the middle two for even n), min and max of v[0..n). n == 0: all -1. */
struct tb_spread tb_spread_of(const double *v, size_t n);

/*
 * Percentiles by the nearest-rank method: percentile p (0 < p <= 100) of n values is the
 * k-th smallest, k = ceil(p / 100 x n) (1-based), i.e. the smallest value with at least
 * p% of the values at or below it. Always one of the observed values, no interpolation;
 * p <= 0 gives the minimum. p is taken to 3 decimals (99.999) so k is exact integer math.
 * sockperf's own percentile lines round the rank instead (k = round(p / 100 x n)), which
 * can differ by one observation.
 */
/* Of sorted values (ascending); -1 when n == 0. */
double tb_percentile_sorted(const double *sorted, size_t n, double p);
/* Of unsorted v[0..n) (copied and sorted once) for each p[i] into out[i];
 * -EINVAL when n == 0 or a p is outside 0..100, -ENOMEM. */
int tb_percentiles(const double *v, size_t n, const double *p, size_t np, double *out);

#endif
