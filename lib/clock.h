/* SPDX-License-Identifier: BSD-3-Clause */
/* The monotonic clock, for durations, deadlines and time left. */
#ifndef TB_CLOCK_H
#define TB_CLOCK_H

/* The monotonic clock (CLOCK_MONOTONIC), for durations, deadlines and time left. */
double tb_now_s(void);	   /* seconds, with the nanoseconds as a fraction */
long long tb_now_ms(void); /* whole milliseconds */

#endif
