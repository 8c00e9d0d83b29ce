/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TB_TOOLPARSE_H
#define TB_TOOLPARSE_H

#include <stdbool.h>

#include <jansson.h>

/*
 * Parsers of the benchmark tools' text output, so every kept raw output can be
 * re-analysed. They never print; on output that is not the tool's they return
 * -EINVAL, on the tool's own failure report they return 0 with ok = false and
 * the tool's words in error. Values absent from the output are -1.
 */

#define TP_ERR_LEN 256

/* One test of `qperf HOST -vv -m SIZE TEST` (qperf 0.4.x). Units normalised. */
struct tp_qperf {
	char test[24];        /* "tcp_lat", from the "tcp_lat:" header */
	bool ok;              /* false: tool error, or no message completed (latency/bw 0) */
	char error[TP_ERR_LEN];
	double latency_us;    /* *_lat: latency */
	double bw_Bps;        /* tcp_bw: bw; udp_bw: recv_bw (what arrived), bytes/s */
	double send_bw_Bps;   /* udp_bw: send_bw */
	double msg_rate;      /* messages per second */
	double msg_size;      /* bytes */
	double time_s;        /* test duration */
	double loc_cpus_used; /* % of one CPU; *_bw: send_cpus_used */
	double rem_cpus_used; /* *_bw: recv_cpus_used */
};

/* `iperf -c` (iperf 2) in text (-f any) or CSV (-y C) form; several streams: their sum. */
struct tp_iperf {
	bool ok;
	char error[TP_ERR_LEN];
	int streams;
	double seconds;
	double bytes;
	double bw_bps; /* bits per second */
};

#define TP_MTR_MAX_HOPS 32

struct tp_mtr_hop {
	int n;
	char host[64];
	double loss_pct;
	int sent;
	double last_ms, avg_ms, best_ms, worst_ms, stdev_ms;
};

/* `mtr --report` (mtr 0.9x); the last hop is the destination. */
struct tp_mtr {
	bool ok; /* false when no hop answered */
	char error[TP_ERR_LEN];
	int n_hops;
	struct tp_mtr_hop hop[TP_MTR_MAX_HOPS];
};

int tp_qperf_parse(const char *text, struct tp_qperf *r);
int tp_iperf_parse(const char *text, struct tp_iperf *r);
int tp_mtr_parse(const char *text, struct tp_mtr *r);

/* JSON of a parse result (what `testbed parse` prints). */
json_t *tp_qperf_json(const struct tp_qperf *r);
json_t *tp_iperf_json(const struct tp_iperf *r);
json_t *tp_mtr_json(const struct tp_mtr *r);

/*
 * "164 us", "1.2 ms", "127 MB/sec", "6.09 K/sec", "246 MiB (257,949,696)", "118 % cpus":
 * a number (thousands separators allowed) and its unit, normalised to the base unit
 * (us for time, bytes, bytes/s, 1/s, %). qperf's K/M/G are decimal, KiB/MiB binary.
 * -EINVAL when the unit is unknown.
 */
int tp_value_unit(const char *s, double *val);

#endif
