/* SPDX-License-Identifier: BSD-3-Clause */
/* `sweep`: its tests, message sizes and options. */
#ifndef TB_SWEEP_H
#define TB_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "names.h"
#include "stats.h"

/* qperf tests, in the reference's order. */
enum sweep_test { SW_TCP_LAT, SW_TCP_BW, SW_UDP_LAT, SW_UDP_BW, SW_N_TESTS };

#define SW_TCP_MAX_DEFAULT (128L << 20) /* msg_size:1:128M:*2 as the reference */
#define SW_UDP_MAX_DEFAULT 1024L        /* msg_size:1:1K:*2 */
#define SW_UDP_MAX 32768L               /* a UDP datagram holds at most 65507 bytes */
#define SW_SIZE_MAX (1L << 30)

/*
 * Repeats (--repeat): a fixed count, or SW_REPEAT_AUTO: every point SW_REPEAT_MIN times (in
 * passes over all sizes, so a point's runs are minutes apart), then further rounds of a size
 * (every pair, so the pairs stay paired) while some pair's
 * spread of its main metric, (max - min) / median, exceeds SW_WIDE_SPREAD, up to
 * SW_REPEAT_CAP. The extra rounds of the whole sweep add at most SW_EXTRA_BUDGET_PCT % to the
 * qperf time of the minimum's runs (--time x runs), so the sweep's time stays predictable; a
 * point still wide at the end is marked "wide" in results.json.
 */
#define SW_REPEAT_AUTO 0
#define SW_REPEAT_MIN 3
#define SW_REPEAT_CAP 7
#define SW_REPEAT_MAX 100 /* --repeat N: 1-100 */
#define SW_WIDE_SPREAD_PCT TB_WIDE_SPREAD_PCT
#define SW_WIDE_SPREAD (SW_WIDE_SPREAD_PCT / 100.0)
#define SW_EXTRA_BUDGET_PCT 15
#define SW_TIME_DEFAULT 1 /* s per qperf run (its -t takes whole seconds) */

struct sweep_conf {
	unsigned int tests;    /* bit per enum sweep_test */
	unsigned int backends; /* 0: every backend that is up */
	long min_size, max_size; /* 0: the reference's range per test */
	int time_s;
	int repeat; /* SW_REPEAT_AUTO or a fixed count */
	const char *out;
	char instance[TB_INSTANCE_MAX + 1];
	int pmd_maxsleep_us; /* while measuring; -1: 0 if the PMD has its own core, else as is */
	bool across_hosts;   /* also pairs on different hosts (`up --hosts 2`) */
	bool baseline;       /* with across_hosts: host-to-host iperf/qperf over the wire */
	const char *remote_guests; /* another machine's `serve -j`: its guests serve across */
};

#define SWEEP_CONF_DEFAULT                                                                         \
	{                                                                                          \
		.time_s = SW_TIME_DEFAULT, .repeat = SW_REPEAT_AUTO, .out = "results",             \
		.instance = "main", .pmd_maxsleep_us = -1, .baseline = true,                       \
	}

const char *sweep_test_name(enum sweep_test t);
bool sweep_test_is_lat(enum sweep_test t);
/* "1", "64K", "128M" (binary multiples) -> bytes; -EINVAL otherwise. */
int sweep_size_parse(const char *s, long *bytes);
/* The sizes of one test: min..max doubling, clipped for UDP. Returns how many. */
int sweep_sizes(const struct sweep_conf *c, enum sweep_test t, long *sizes, int max);
/* --repeat auto|N -> SW_REPEAT_AUTO or 1-SW_REPEAT_MAX; -EINVAL otherwise. */
int sweep_repeat_parse(const char *s, int *repeat);

/* The metric a point's spread is judged by: "latency_us" (*_lat) or "bw_mbps" (*_bw). */
const char *sweep_main_metric(const char *test);
/* (max - min) / median of v[0..n): -1 when n < 2 or the median is not above 0. */
double sweep_spread_rel(const double *v, size_t n);
/*
 * The repeat rule: after `done` repeats of a point, of which v[0..n) are the main metric of
 * those that succeeded, whether to run another. Below min: yes; at cap: no; between: while
 * the spread exceeds threshold (not with fewer than two values: nothing to judge).
 */
bool sweep_repeat_more(const double *v, size_t n, int done, int min, int cap, double threshold);

#endif
