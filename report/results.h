/* SPDX-License-Identifier: BSD-3-Clause */
/* Run directories and result files: ids, atomic writes, CSV, results.json I/O. */
#ifndef TB_RESULTS_H
#define TB_RESULTS_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

/*
 * A run directory: results/<run-id>/ with
 *   raw/<backend>/<test>-<size>-r<k>.txt  every tool output, untouched
 *   results.json                          schema below
 *   results.csv                           one row per point
 *   report.md, <test>.png                 rendered from results.json (report.h)
 *
 * results.json, schema 1:
 * {
 *   "schema": 1, "kind": "sweep", "run_id": "20261123-134800-tcp_lat",
 *   "tests": ["tcp_lat", ...], "started": ISO-8601, "finished": ISO-8601,
 *   "host": {...}, "testbed": {...}, "versions": {"dpdk", "ovs", "qperf", "kernel"},
 *   "params": {"time_s", "repeat", "min_size", "max_size"},
 *   "points": [{
 *     "backend": "vhost-user", "test": "tcp_lat", "msg_size": 1,
 *     "status": "ok" | "failed", "reason": "..." (failed only),
 *     "repeats": [{"raw": "raw/...", "status": "ok"|"failed", "error": "...",
 *                  "latency_us", "bw_MBps", "bw_mbps", "msg_rate",
 *                  "cpu_local_pct", "cpu_remote_pct"}, ...],
 *     "latency_us": {"median", "min", "max"}, and the same for bw_MBps, bw_mbps,
 *     msg_rate, cpu_local_pct, cpu_remote_pct (each only where measured),
 *     "wide": true (optional: the main metric spread wide; the report also computes it)
 *   }, ...]
 * repeats[k] of every point of one test and size ran back to back (backends and scopes
 * interleaved), so the report pairs them by k for its ratios.
 * }
 * MB/s are decimal megabytes (10^6 bytes) per second, Mb/s = MB/s x 8, as the reference.
 */
#define RES_SCHEMA 1

/* Metrics of a point, in the order of the CSV columns. */
extern const char *const res_metrics[];
#define RES_N_METRICS 6

/* Creates base/<run_id>/raw (base made if needed); -errno with the path in err. */
int res_run_dir_create(const char *base, const char *run_id, char *dir, size_t len, char *err,
		       size_t errlen);
/* "20261123-134800-<tag>" in UTC. */
void res_run_id(const char *tag, char *buf, size_t len);

/* Writes text as dir/rel atomically, making parent dirs. */
int res_write_text(const char *dir, const char *rel, const char *text);
/* results.json and results.csv, each atomically. */
int res_write(const char *dir, json_t *results);
/* results.json and a results.csv of the caller's (csv taken: freed here; NULL: out of memory). */
int res_write_json_csv(const char *dir, json_t *results, char *csv);
int res_load(const char *dir, json_t **results, char *err, size_t errlen);

/*
 * A long-form results.csv (the benches'): a row per point and metric of its "metrics" list
 * ([{"key", "unit"}, ...]); a point without metrics: one row without a metric. A column
 * takes its value from:
 */
enum res_col_src {
	RES_COL_STR,	 /* the point's string key */
	RES_COL_NUM,	 /* the point's number key */
	RES_COL_METRIC,	 /* the metric's "key" */
	RES_COL_UNIT,	 /* the metric's "unit" */
	RES_COL_STAT,	 /* point[metric][key]: "median", "min", "max" */
	RES_COL_DELTA,	 /* point["delta"][metric][key] */
	RES_COL_REPEATS, /* how many repeats the point has */
};

struct res_col {
	const char *name; /* in the header */
	enum res_col_src src;
	const char *key; /* NULL: name */
};

/* results.json and such a results.csv, each atomically; -EINVAL unless results is of kind. */
int res_write_long(const char *dir, json_t *results, const char *kind, const struct res_col *cols,
		   size_t n_cols);
/* CSV fields: a string, quoted when it holds a separator, quote or newline (NULL: empty);
 * a number as %.6g (not a number: empty). */
void res_csv_str(FILE *f, const char *s);
void res_csv_num(FILE *f, json_t *v);

#endif
