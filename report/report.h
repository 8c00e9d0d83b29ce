/* SPDX-License-Identifier: BSD-3-Clause */
/* Reports: results.json -> report.md, results.csv and plots, per kind of run. */
#ifndef TB_REPORT_H
#define TB_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "reference.h"
#include "stats.h"

struct rp_cmp_summary;

/*
 * The report-kind table (report-kinds.c): one row per value of results.json's "kind", each
 * with the functions of that kind. A results.json without "kind" is a sweep's.
 */
struct rp_kind {
	const char *name; /* "sweep", "simulate", "bench-net", "bench-ebpf", "bench-all", ... */
	const char *what; /* "a sweep": for messages */
	/* results.json and results.csv, atomically; NULL where the measuring code writes them */
	int (*results)(const char *dir, json_t *results);
	/* report.md and what else the kind draws (plots, summary.txt); ref may be NULL */
	int (*report)(const char *dir, json_t *results, const struct ref_table *ref, char *err,
		      size_t errlen);
	/* out_path: B against A; NULL: runs of this kind are not compared */
	int (*compare)(const char *out_path, json_t *a, json_t *b, char *err, size_t errlen);
	/* the one-line outcome of compare (rp_compare_summary); NULL: none */
	int (*summary)(json_t *a, json_t *b, struct rp_cmp_summary *s, char *err, size_t errlen);
	/* subdirectories that are runs of their own, to re-render first; NULL: none */
	int (*subruns)(json_t *results, const char **names, int max);
};

/*
 * The row of results' "kind"; NULL with err naming the kind and the known ones:
 * `unknown kind of run "x" (known: sweep, simulate, ...)`.
 */
const struct rp_kind *rp_kind_find(json_t *results, char *err, size_t errlen);

/*
 * Renders a run directory's report from its results.json with the renderer of its kind
 * (rp_kind_find; -EINVAL for an unknown kind). Files are written atomically.
 * A plot that cannot be drawn does not stop report.md: it is still written (saying which
 * plot is missing and why) and the first plot error is returned with err set, e.g.
 * -ENOENT "gnuplot not found: ...". Other errors mean report.md was not written.
 */
int rp_write_report(const char *dir, json_t *results, const struct ref_table *ref, char *err,
		    size_t errlen);

/*
 * Names (plain subdirectory names, in results) of the runs inside this one that have their
 * own results.json, as bench all's benches: `report RUN` renders them first. Returns how
 * many, at most max; 0 for kinds without any.
 */
int rp_subruns(json_t *results, const char **names, int max);

/*
 * The report of a qperf sweep (results "kind": "sweep" or none): report.md shaped like the
 * reference Statistics tables and one PNG per test (gnuplot; inputs kept in plots/).
 * Each cell is the median [min-max] of the point's repeats (the value alone for one repeat,
 * and the method line says which points ran once); the vhost-user/other ratios are median
 * [min-max] of per-repeat pair ratios (repeat k over repeat k); a cell whose spread is wide
 * (RP_WIDE_SPREAD_PCT) ends in " *" and such points are listed under "Wide spread".
 * ref may be NULL (no reference column). Same return rule as rp_write_report; -EINVAL for
 * results of another kind or without "points".
 * A run across hosts (points of both scopes) adds per test a table "Same host vs across
 * hosts" (per size and backend: the main metric in each scope, across/same, the
 * reference's across/same); results with a "baseline" (the wire host to host) get a
 * section "Baseline: host to host over the wire" beside the reference's baseline.
 */
int rp_write_sweep_report(const char *dir, json_t *results, const struct ref_table *ref,
			  char *err, size_t errlen);

/*
 * The report of a `testbed simulate` run (results "kind": "simulate"): report.md with the
 * host/testbed section, per backend a table of link bandwidth, VM bandwidth, latency, loss
 * and CPU per number of VMs beside the reference's simulate rows, failed points and pairs
 * with their reason, and vhost-user's ratios to the other backends; with both scopes, per
 * backend link bandwidth and latency same host vs across hosts with their ratios; the
 * baseline as rp_write_sweep_report's; sim_link_bw.png, sim_vm_bw.png and sim_latency.png
 * (inputs in plots/).
 * Same return rule as rp_write_report: plot errors leave report.md written (-ENOENT
 * without gnuplot); -EINVAL for results of another kind or without "points".
 */
int rp_write_sim_report(const char *dir, json_t *results, const struct ref_table *ref, char *err,
			size_t errlen);

/*
 * `testbed bench net` (results "kind": "bench-net"): results.json and results.csv (one row
 * per point and metric: backend, direction, test, case, msg_size, metric, unit, median, min,
 * max, repeats, status, reason, method), each written atomically; -EINVAL for another kind.
 */
int rp_write_net_results(const char *dir, json_t *results);

/*
 * report.md of a `bench net` run: per test one table in the shape of a results template
 * (a row per case, metric and direction with its unit, a column per backend; the median over
 * the repeats, with (min-max) when there are several; "n/a" where not applicable, "failed"),
 * what was not measured and why, each case's method, then the host, testbed and versions.
 * Written atomically; -EINVAL (err set) for results of another kind.
 */
int rp_write_net_report(const char *dir, json_t *results, char *err, size_t errlen);

/*
 * `testbed bench path` (results "kind": "bench-path"): results.json and results.csv (a row
 * per backend and hop), and report.md with the latency budget per backend and a stacked bar
 * PNG per backend (path-<backend>.png, inputs in plots/). -EINVAL for another kind.
 */
int rp_write_path_results(const char *dir, json_t *results);
int rp_write_path_report(const char *dir, json_t *results, char *err, size_t errlen);
/* The budget as a text table for people (bench path prints it on stderr, beside progress). */
void rp_path_print(FILE *f, json_t *results);

/*
 * `testbed bench ebpf` (results "kind": "bench-ebpf"): results.json and results.csv (one row
 * per point and metric: variant, test, case, metric, unit, median, min, max, the change
 * against none in percent (median, min, max), repeats, status, reason, method), each written
 * atomically; -EINVAL for another kind.
 */
int rp_write_ebpf_results(const char *dir, json_t *results);

/*
 * report.md of a `bench ebpf` run: the table of rp_ebpf_tables under a title and the run's
 * parameters, then where the programs sat (ports, namespace, direction, program ids and
 * modes per round, pinning, load), the methods, the host. Written atomically; -EINVAL (err
 * set) for results of another kind.
 */
int rp_write_ebpf_report(const char *dir, json_t *results, char *err, size_t errlen);

/*
 * Only the table of a `bench ebpf` run (no title), for another report to embed: a column per
 * variant (none, tc, xdp-generic, xdp-driver), a row per metric with its unit (TCP
 * throughput Gb/s, latency P50/P95/P99 us), each followed by its change against none
 * (median % over the rounds' ratios [min..max]); then one line on how to read it and the
 * variants and points not measured, with why. -EINVAL for results of another kind.
 */
int rp_ebpf_tables(FILE *f, json_t *results);

/*
 * report.md of a `bench all` run (results "kind": "bench-all"): the backends with whether
 * they were measured and how they run here or why they do not, the steps, then the report
 * of each bench it ran (steps' "run_dir", subdirectories of dir) with its headings one
 * level down. Written atomically.
 */
int rp_write_all_report(const char *dir, json_t *results, char *err, size_t errlen);

/*
 * `testbed bench switch` (results "kind": "bench_switch"): results.json, and once the run is
 * summarised ("throughput" present) results.csv (one row per switch, frame and metric:
 * switch, frame, metric, median, min, max, n), each written atomically; -EINVAL for another
 * kind.
 */
int rp_write_switch_results(const char *dir, json_t *results);

/*
 * The report of a summarised `bench switch` run: summary.txt (rp_switch_text) and report.md
 * (the same table under a title, then the host and versions), each written atomically;
 * -EINVAL (err set) for another kind, -ENODATA for a run not summarised.
 */
int rp_write_switch_report(const char *dir, json_t *results, char *err, size_t errlen);

/*
 * The table of a summarised `bench switch` run, for people: throughput per switch and frame,
 * ping-pong RTT, idle CPU, the ratios against their targets, warnings. -EINVAL for another
 * kind, -ENODATA for a run not summarised.
 */
int rp_switch_text(FILE *f, json_t *results);

/*
 * dir/<test>.png from the points of one test (used by rp_write_sweep_report): ours solid with
 * error bars from each point's min to max over its repeats (yerrorlines on median, min,
 * max), the reference dashed in the same colour per backend; across hosts, in a run of both
 * scopes, dash-dotted (the reference's dotted) with squares, the key below the plot. The
 * gnuplot script and data files ("msg_size median min max" per line) stay in dir/plots/
 * ("gnuplot dir/plots/<test>.gp" redraws dir/<test>.png).
 * -ENOENT without gnuplot (the script and data files are still written); -ENODATA when the
 * test has no successful point (no file).
 */
int rp_plot_test(const char *dir, json_t *results, const char *test, const struct ref_table *ref,
		 char *err, size_t errlen);

/*
 * Compares run B against run A into out_path (markdown) with the comparison of their kind
 * (rp_kind_find). Two sweeps point by point: ratio B/A of the medians of each point's main
 * metric, and whether the difference stands beyond both runs' spread (the two [min-max]
 * ranges of the repeats do not overlap; "no spread" where either side ran once), under
 * the summary line of rp_compare_summary. Two simulate runs per backend and number of VMs
 * on link bandwidth and latency. Runs of two kinds (a simulate run and a sweep) or of an
 * unknown kind: -EINVAL; of a kind without a comparison: -ENOTSUP.
 */
int rp_compare(const char *out_path, json_t *a, json_t *b, char *err, size_t errlen);

/*
 * A point's spread is "wide" when (max-min)/median of its repeats is above this, in percent:
 * the sweep report marks such cells with a trailing " *" and lists the points. A point may
 * carry "wide": true (written by the measuring side): it is then wide whatever its figures.
 */
#define RP_WIDE_SPREAD_PCT ((double)TB_WIDE_SPREAD_PCT)

/* The outcome of comparing two runs, point by point on each point's main metric. */
struct rp_cmp_summary {
	int compared;		/* points with a result in both runs */
	int beyond;		/* of them, A's and B's [min-max] ranges do not overlap */
	int no_spread;		/* of them, one repeat on either side: not judged, not in beyond */
	double median_diff_pct; /* median of |B-A|/A x 100 over all compared; -1 when none */
};

/*
 * The summary of comparing B against A (as rp_compare's file states it at its top); -EINVAL
 * as rp_compare, -ENOTSUP for kinds without one (only sweeps have it).
 */
int rp_compare_summary(json_t *a, json_t *b, struct rp_cmp_summary *s, char *err,
		       size_t errlen);

/*
 * The summary as one line: "compared 84 points: 3 (3.6%) differ beyond both runs' spread;
 * median |difference| 4.1%", with ", N with no spread (one repeat)" before the ';' when some
 * points ran once on a side.
 */
void rp_cmp_summary_line(char *b, size_t len, const struct rp_cmp_summary *s);

#endif
