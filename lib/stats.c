/* SPDX-License-Identifier: BSD-3-Clause */
/* Median, min/max, percentiles and spread of repeated measurements. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y ? 1 : 0;
}

struct tb_spread
tb_spread_of(const double *v, size_t n)
{
	struct tb_spread s = {-1, -1, -1, n};
	double *c;

	if (n == 0)
		return s;
	c = malloc(n * sizeof(*c));
	if (c == NULL)
		return s;
	memcpy(c, v, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp_double);
	s.min = c[0];
	s.max = c[n - 1];
	s.median = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
	free(c);
	return s;
}

/* The 1-based nearest rank of percentile p among n values: ceil(p x n / 100), in integers. */
static size_t
nearest_rank(size_t n, double p)
{
	unsigned long long milli, k;

	if (!(p > 0)) /* also NaN */
		return 1;
	if (p >= 100)
		return n;
	milli = (unsigned long long)(p * 1000 + 0.5); /* 99.9 -> 99900, exact */
	k = (milli * n + 100000 - 1) / 100000;
	if (k < 1)
		k = 1;
	return k > n ? n : (size_t)k;
}

double
tb_percentile_sorted(const double *sorted, size_t n, double p)
{
	if (n == 0)
		return -1;
	return sorted[nearest_rank(n, p) - 1];
}

int
tb_percentiles(const double *v, size_t n, const double *p, size_t np, double *out)
{
	double *c;
	size_t i;

	if (n == 0)
		return -EINVAL;
	for (i = 0; i < np; i++)
		if (!(p[i] >= 0 && p[i] <= 100))
			return -EINVAL;
	c = malloc(n * sizeof(*c));
	if (c == NULL)
		return -ENOMEM;
	memcpy(c, v, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp_double);
	for (i = 0; i < np; i++)
		out[i] = tb_percentile_sorted(c, n, p[i]);
	free(c);
	return 0;
}
