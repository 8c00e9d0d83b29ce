/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench path`: the latency budget of one message, its probe tool and its hop arithmetic. */
#ifndef TB_BENCH_PATH_H
#define TB_BENCH_PATH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "names.h"
#include "pmd/probe-stamps.h" /* the probe wire format */

/*
 * `bench path`: N paced UDP probes guest 0 -> guest 1 per backend; the adapter and the
 * switch stamp them on the way (pmd/probe-stamps.h); guest 1 replies with what arrived and
 * when; the hops of a message's one-way time, median [p10-p90].
 */
struct bpath_conf {
	char instance[TB_INSTANCE_MAX + 1];
	unsigned int backends; /* 0: vhost-user and bridge, those that are up */
	int size;	       /* UDP payload bytes */
	int count;	       /* probes per backend */
	int interval_us;       /* between probes */
	int repeat;	       /* rounds, backends interleaved in each (ABAB) */
	const char *out;
};

#define BPATH_SIZE_MAX 1400
#define BPATH_COUNT_MAX 100000
#define BPATH_REPEAT_MAX 20
#define BPATH_CONF_DEFAULT                                                                         \
	{                                                                                          \
		.instance = "main", .size = 64, .count = 2000, .interval_us = 1000,                \
		.repeat = 3, .out = "results",                                                     \
	}

/* The points of a message's way: send, the six stamps, receive. */
#define BPATH_N_POINTS (PROBE_N_SLOTS + 2)
#define BPATH_N_HOPS (BPATH_N_POINTS - 1)

/* One probe as the receiver reported it (ns, CLOCK_MONOTONIC_RAW; 0: absent). */
struct bpath_sample {
	uint32_t seq;
	uint64_t t[BPATH_N_POINTS];
};

/* "send", "tap read", ..., "receive". */
const char *bpath_point_name(int i);
/* The hop from point i to i + 1: "guest stack -> adapter", ... */
const char *bpath_hop_label(int i);
/*
 * The hops of s: for each present point i (t[i] != 0) but the last, us[i] the time to the next
 * present point j and end[i] = j; absent points: end[i] = -1. A span longer than one hop is
 * a remainder (its stamps were not written: OVS-DPDK's switch, the bridge). Returns the number
 * of spans, or -EINVAL when send or receive is absent or time runs backwards by more than 1 us.
 */
int bpath_hops(const struct bpath_sample *s, double us[BPATH_N_HOPS], int end[BPATH_N_HOPS]);
/* The label of span i -> j (j > i + 1 a remainder; ovs: the switch is OVS-DPDK). */
void bpath_span_label(int i, int j, bool ovs, char *buf, size_t len);

/* A reply datagram -> sample (t_recv included); false when it is not a reply. */
bool bpath_sample_from_reply(const void *buf, size_t len, struct bpath_sample *s);
/* CSV of samples: the header, then "seq,send,tap_read,...,receive" in ns. */
void bpath_csv_header(FILE *f);
void bpath_csv_row(FILE *f, const struct bpath_sample *s);
/* One CSV row -> s; -EINVAL for the header or a malformed line. */
int bpath_csv_parse(const char *line, struct bpath_sample *s);

/* The probe tool (`testbed bench probe`, hidden), run in the guests. */
struct bpath_probe_conf {
	const char *to; /* client: the receiver's IPv4; NULL: serve */
	int port, size, count, interval_us, timeout_ms, idle_s;
};
#define BPATH_PROBE_CONF_DEFAULT                                                                   \
	{                                                                                          \
		.port = PROBE_PORT, .size = 64, .count = 100, .interval_us = 1000,                 \
		.timeout_ms = 200, .idle_s = 30,                                                   \
	}
/*
 * Client: count probes, a reply awaited after each, one CSV row per reply to out; server:
 * replies to probes until idle_s seconds without one or stop. 0 when at least one probe came
 * back (client) or stopped (server); -errno.
 */
int bpath_probe_run(const struct bpath_probe_conf *c, FILE *out, volatile sig_atomic_t *stop);

/* The engine: results.json of kind "bench-path" in a new run directory (dir). */
int bpath_measure(const struct bpath_conf *conf, json_t **out, char *dir, size_t dirlen);

#endif
