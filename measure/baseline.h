/* SPDX-License-Identifier: BSD-3-Clause */
/* The across-hosts baseline: iperf and qperf host to host over the wire. */
#ifndef TB_BASELINE_H
#define TB_BASELINE_H

#include <jansson.h>

/*
 * The across-hosts baseline, as the reference's NIC baseline: iperf bandwidth and qperf
 * latency (tcp_lat 1 B, tcp_bw 64 KiB) between the two hosts' own addresses over the
 * kernel wire, time_s each. Raw outputs go to dir/raw/baseline/. Returns the "baseline"
 * object of results.json: status ok|failed, path, iperf, qperf_tcp_lat, qperf_tcp_bw.
 */
json_t *baseline_measure(json_t *st, const char *dir, int time_s);

#endif
