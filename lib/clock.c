/* SPDX-License-Identifier: BSD-3-Clause */
/* The monotonic clock in the units the callers count in (one copy for the whole tree). */
#include <time.h>

#include "clock.h"

double
tb_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

long long
tb_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
