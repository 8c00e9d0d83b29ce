/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TB_STATS_H
#define TB_STATS_H

#include <stddef.h>

struct tb_spread {
	double median, min, max;
	size_t n;
};

/* Median (mean of the middle two for even n), min and max of v[0..n). n == 0: all -1. */
struct tb_spread tb_spread_of(const double *v, size_t n);

#endif
