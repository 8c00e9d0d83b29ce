/* SPDX-License-Identifier: BSD-3-Clause */
/* `sweep`: its tests, message sizes and options. */
#ifndef TB_SWEEP_H
#define TB_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "names.h"

/* qperf tests, in the reference's order. */
enum sweep_test { SW_TCP_LAT, SW_TCP_BW, SW_UDP_LAT, SW_UDP_BW, SW_N_TESTS };

#define SW_TCP_MAX_DEFAULT (128L << 20) /* msg_size:1:128M:*2 as the reference */
#define SW_UDP_MAX_DEFAULT 1024L        /* msg_size:1:1K:*2 */
#define SW_UDP_MAX 32768L               /* a UDP datagram holds at most 65507 bytes */
#define SW_SIZE_MAX (1L << 30)

struct sweep_conf {
	unsigned int tests;    /* bit per enum sweep_test */
	unsigned int backends; /* 0: every backend that is up */
	long min_size, max_size; /* 0: the reference's range per test */
	int time_s;
	int repeat;
	const char *out;
	char instance[TB_INSTANCE_MAX + 1];
	int pmd_maxsleep_us; /* while measuring; -1: 0 if the PMD has its own core, else as is */
	bool across_hosts;   /* also pairs on different hosts (`up --hosts 2`) */
	bool baseline;       /* with across_hosts: host-to-host iperf/qperf over the wire */
};

#define SWEEP_CONF_DEFAULT                                                                         \
	{                                                                                          \
		.time_s = 2, .repeat = 1, .out = "results", .instance = "main",                    \
		.pmd_maxsleep_us = -1, .baseline = true,                                           \
	}

const char *sweep_test_name(enum sweep_test t);
bool sweep_test_is_lat(enum sweep_test t);
/* "1", "64K", "128M" (binary multiples) -> bytes; -EINVAL otherwise. */
int sweep_size_parse(const char *s, long *bytes);
/* The sizes of one test: min..max doubling, clipped for UDP. Returns how many. */
int sweep_sizes(const struct sweep_conf *c, enum sweep_test t, long *sizes, int max);

#endif
