/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers the report kinds share: number formats, backend columns. */
#ifndef TB_REPORT_COMMON_H
#define TB_REPORT_COMMON_H

/*
 * Helpers shared by the report renderers (report-md.c: the qperf sweep, report-sim.c: the
 * simulation, report-net.c, report-ebpf.c, report-all.c, report-switch.c: the benches;
 * plot.c: gnuplot). Internal to lib/: not part of report.h.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#define RP_MAX_NAMES 32  /* tests, backends or scopes of one run */
#define RP_MAX_SERIES 16 /* lines of one plot, ours and the reference's counted once */

/* ---- report-common.c: numbers, cells, sections ---- */

/* The string at key, NULL when absent or not a string. */
const char *rp_str(json_t *o, const char *key);
/* Whether results.json is of this "kind" ("bench-net", ...). */
bool rp_is_kind(json_t *results, const char *kind);
/* The number at key, -1 when absent or not a number. */
double rp_num(json_t *o, const char *key);
/* Three significant digits without exponents: 0.512, 12.0, 145, 3160; "-" below 0. */
void rp_fmt3(char *b, size_t len, double v);
/* A line rate as the reference prints it: 950 Mb/s, 25.3 Gb/s. */
void rp_fmt_mbps(char *b, size_t len, double mbps);
/* num/den in three digits, "-" where either is missing (<= 0). */
void rp_cell_ratio(char *b, size_t len, double num, double den);
/* rp_fmt_mbps, or "-" below 0 (not measured). */
void rp_cell_mbps(char *b, size_t len, double mbps);
/* rp_fmt3 and unit ("12.0 us", "1.40%"), or "-" below 0. */
void rp_cell_unit(char *b, size_t len, double v, const char *unit);
/* Text from results.json inside a table cell: no pipes or line breaks, bounded. */
void rp_cell_text(char *b, size_t len, const char *prefix, const char *s);
/* A name from results.json in a heading or table header. */
void rp_md_name(FILE *f, const char *s);
/* Appends s to list (*n names, room for RP_MAX_NAMES) unless there; -E2BIG when full. */
int rp_name_add(const char **list, int *n, const char *s);
/* "same host", "across hosts" */
const char *rp_scope_words(const char *scope);
/* "- time: ... to ... (UTC)" when the results have a start time. */
void rp_md_time(FILE *f, json_t *results);
/* The OVERSUBSCRIBED warning when the testbed shared cores (nothing otherwise). */
void rp_md_oversubscribed(FILE *f, json_t *results);
/*
 * "## Baseline: host to host over the wire" from results' "baseline" (nothing without
 * one): ours beside the reference's (with_ref), the raw files, how to read across hosts.
 */
void rp_md_baseline(FILE *f, json_t *results, bool with_ref);
struct ref_table;
/* "## Reference" and note, when there are reference figures (ref not NULL). */
void rp_md_reference(FILE *f, const struct ref_table *ref, const char *note);
/* "## Host and testbed": host, testbed and versions, one "- key: value" line each. */
void rp_md_host(FILE *f, json_t *results);
/* "- A: <run id>, started ..., **oversubscribed**" for a comparison. */
void rp_md_run_line(FILE *f, const char *label, json_t *results);
/*
 * A comparison's set-up line: "- **set up differently**: switch ovs in A, testbed-pmd in B;
 * ..." over the host, kernel, switch, adapter, guest cores and guest profile, or "- set up
 * alike: ...".
 */
void rp_md_setup_diff(FILE *f, json_t *a, json_t *b);
/*
 * Writes dir/report.md from buf atomically. Then a plot's failure (plot_ret < 0, plot_err
 * saying why) is the result, as the report itself is written.
 */
int rp_md_commit(const char *dir, const char *buf, size_t len, int plot_ret, const char *plot_err,
		 char *err, size_t errlen);

/* Closes f (an open_memstream on *buf, *len) and writes dir/report.md from it as
 * rp_md_commit does (plot_ret 0 when there are no plots); frees *buf. */
int rp_md_close(const char *dir, FILE *f, char **buf, size_t *len, int plot_ret,
		const char *plot_err, char *err, size_t errlen);

/* Closes f (an open_memstream on *buf, *len) and writes path from it atomically; frees *buf. */
int rp_md_save(const char *path, FILE *f, char **buf, size_t *len, char *err, size_t errlen);

/* ---- plot.c: gnuplot ---- */

/* Index of the backend's colour (the known backends first, others in order of seen[]:
 * room for RP_MAX_SERIES names, *n_seen starts at 0) and its "#rrggbb". */
int rp_backend_colour(const char *backend, const char **seen, int *n_seen);
const char *rp_colour(int index);
/* A backend or test name reduced to [A-Za-z0-9_-] for a file name. */
void rp_file_part(char *dst, size_t len, const char *s);
/* A gnuplot single-quoted string. */
void rp_gp_str(FILE *f, const char *s);
/* A line's "lc rgb ... dt ... lw ... pt ...": colour per backend, dash and points per scope
 * and for the reference's (ref) line. */
void rp_gp_style(FILE *f, const char *colour, const char *scope, bool ref);
/* A line's title: "vhost-user", with scoped "vhost-user (across hosts)", with ref
 * ", Virtink reference" after it. */
void rp_gp_title(FILE *f, const char *backend, const char *scope, bool scoped, bool ref);
/* The key of a plot of both scopes (lines: the number of titles it lists). */
void rp_gp_key_scoped(FILE *f, int lines);
/* A script's first lines: comment, cd beside the script, pngcairo into ../<fname>.png
 * unless out is set (rp_run_gnuplot sets it). */
void rp_gp_head(FILE *f, const char *what, const char *run_id, const char *fname);
/* Writes text (malloc'd, freed here; NULL means out of memory) atomically to path. */
int rp_write_text(const char *path, char *text, size_t len);
/* gnuplot script drawing into tmp, renamed to png once complete; err says why not. */
int rp_run_gnuplot(const char *script, const char *tmp, const char *png, char *err,
		   size_t errlen);

/* ---- the kinds' own, for the kind table (report-kinds.c) ---- */

struct rp_cmp_summary;
/* rp_compare for two sweeps (report-md.c): point by point. */
int rp_compare_sweep(const char *out_path, json_t *a, json_t *b, char *err, size_t errlen);
/* rp_compare_summary for two sweeps (report-md.c). */
int rp_compare_sweep_summary(json_t *a, json_t *b, struct rp_cmp_summary *s, char *err,
			     size_t errlen);
/* rp_compare for two simulate runs (report-sim.c): per backend and number of VMs. */
int rp_compare_sim(const char *out_path, json_t *a, json_t *b, char *err, size_t errlen);
int rp_compare_sim_summary(json_t *a, json_t *b, struct rp_cmp_summary *s, char *err,
			   size_t errlen);
/* rp_subruns of a bench all run (report-all.c): its steps' "run_dir". */
int rp_all_subruns(json_t *results, const char **names, int max);

struct rp_cmp_summary;

/* Whether a figure differs between two runs (the comparisons of `report A B`). */
enum rp_spread_cmp {
	RP_SC_NONE,	 /* not in both runs with a value: not compared */
	RP_SC_NO_SPREAD, /* one repeat on a side: no range to judge by */
	RP_SC_WITHIN,	 /* the [min-max] ranges overlap */
	RP_SC_BEYOND,	 /* they do not */
};

/* One run's figure: median, range and how many repeats made it; ok false when none. */
struct rp_fig {
	bool ok;
	double med, min, max;
	int n;
};

/* A against B; *diff_pct |B-A|/A of the medians in percent (-1 when not compared). */
enum rp_spread_cmp rp_spread_cmp(struct rp_fig a, struct rp_fig b, double *diff_pct);
/* "yes", "no", "no spread", "-": the "beyond spread" column's words. */
const char *rp_spread_cmp_word(enum rp_spread_cmp c);
/* Adds one verdict to a summary (compared, beyond, no_spread; diffs[] for the median). */
void rp_cmp_summary_add(struct rp_cmp_summary *s, enum rp_spread_cmp c, double diff_pct,
			double *diffs);
/* Sets s->median_diff_pct from diffs[0..s->compared). */
void rp_cmp_summary_end(struct rp_cmp_summary *s, const double *diffs);

#endif
