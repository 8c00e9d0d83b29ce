/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `bench ebpf` results (kind "bench-ebpf"): results.json, a long-form results.csv, and
 * report.md with one table: a column per variant (none, tc, xdp-generic, xdp-driver), a row
 * per metric with its unit and under each a row of its change against none; then what was
 * not measured and why, where the programs sat, the methods and the host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-common.h"
#include "report.h"
#include "results.h"

#define EBPF_CELL 200

static const char *const known_variants[] = {"none", "tc", "xdp-generic", "xdp-driver"};

/* The rows of the table: a metric of a case, how it is shown. */
static const struct {
	const char *test, *cs, *key, *label, *unit;
	double mul;
} rows[] = {
	{"throughput", "tcp", "mbps", "TCP throughput (iperf3, 1 stream)", "Gb/s", 1e-3},
	{"latency", "tcp", "p50_us", "TCP latency P50 (sockperf ping-pong)", "us", 1},
	{"latency", "tcp", "p95_us", "TCP latency P95", "us", 1},
	{"latency", "tcp", "p99_us", "TCP latency P99", "us", 1},
};

/* ---- results.json, results.csv: a row per point and metric ---- */

static const struct res_col ebpf_cols[] = {
	{"variant", RES_COL_STR, NULL},
	{"test", RES_COL_STR, NULL},
	{"case", RES_COL_STR, NULL},
	{"metric", RES_COL_METRIC, NULL},
	{"unit", RES_COL_UNIT, NULL},
	{"median", RES_COL_STAT, NULL},
	{"min", RES_COL_STAT, NULL},
	{"max", RES_COL_STAT, NULL},
	{"delta_median_pct", RES_COL_DELTA, "median_pct"},
	{"delta_min_pct", RES_COL_DELTA, "min_pct"},
	{"delta_max_pct", RES_COL_DELTA, "max_pct"},
	{"repeats", RES_COL_REPEATS, NULL},
	{"status", RES_COL_STR, NULL},
	{"reason", RES_COL_STR, NULL},
	{"method", RES_COL_STR, NULL},
};

int
rp_write_ebpf_results(const char *dir, json_t *results)
{
	return res_write_long(dir, results, "bench-ebpf", ebpf_cols,
			      sizeof(ebpf_cols) / sizeof(ebpf_cols[0]));
}

/* ---- the table ---- */

struct ebpf_run {
	json_t *results, *points;
	const char *variants[RP_MAX_NAMES];
	int n_variants;
};

static int
ebpf_load(struct ebpf_run *r, json_t *results, char *err, size_t errlen)
{
	json_t *p, *v;
	size_t i;
	int k, ret = 0;

	memset(r, 0, sizeof(*r));
	r->results = results;
	r->points = json_object_get(results, "points");
	if (!rp_is_kind(results, "bench-ebpf") || !json_is_array(r->points)) {
		snprintf(err, errlen, "not the results of `bench ebpf` (kind \"bench-ebpf\")");
		return -EINVAL;
	}
	json_array_foreach(r->points, i, p) {
		if (rp_str(p, "variant") == NULL || rp_str(p, "test") == NULL ||
		    rp_str(p, "case") == NULL) {
			snprintf(err, errlen, "point %zu lacks variant, test or case", i);
			return -EINVAL;
		}
	}
	/* the known variants first, in their order, when the run has them; others after */
	for (k = 0; k < (int)(sizeof(known_variants) / sizeof(known_variants[0])); k++) {
		json_array_foreach(json_object_get(results, "variants"), i, v) {
			if (strcmp(rp_str(v, "name") ?: "", known_variants[k]) == 0)
				ret |= rp_name_add(r->variants, &r->n_variants, known_variants[k]);
		}
		json_array_foreach(r->points, i, p) {
			if (strcmp(rp_str(p, "variant"), known_variants[k]) == 0)
				ret |= rp_name_add(r->variants, &r->n_variants, known_variants[k]);
		}
	}
	json_array_foreach(json_object_get(results, "variants"), i, v) {
		if (rp_str(v, "name") != NULL)
			ret |= rp_name_add(r->variants, &r->n_variants, rp_str(v, "name"));
	}
	json_array_foreach(r->points, i, p) {
		ret |= rp_name_add(r->variants, &r->n_variants, rp_str(p, "variant"));
	}
	if (ret < 0) {
		snprintf(err, errlen, "more than %d variants", RP_MAX_NAMES);
		return -E2BIG;
	}
	return 0;
}

static json_t *
find_point(const struct ebpf_run *r, const char *variant, const char *test, const char *cs)
{
	json_t *p;
	size_t i;

	json_array_foreach(r->points, i, p) {
		if (strcmp(rp_str(p, "variant"), variant) == 0 &&
		    strcmp(rp_str(p, "test"), test) == 0 && strcmp(rp_str(p, "case"), cs) == 0)
			return p;
	}
	return NULL;
}

static json_t *
find_variant(json_t *results, const char *name)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(results, "variants"), i, v) {
		if (strcmp(rp_str(v, "name") ?: "", name) == 0)
			return v;
	}
	return NULL;
}

static bool
is_na(json_t *p)
{
	return p != NULL && strcmp(rp_str(p, "status") ?: "", "n/a") == 0;
}

/* "9.41", "9.41 (9.30-9.50)" over several rounds, "n/a", "failed", "-" (not run). */
static void
value_cell(char *b, size_t len, json_t *p, const char *key, double mul)
{
	json_t *m = p != NULL ? json_object_get(p, key) : NULL;
	const char *st = p != NULL ? rp_str(p, "status") : NULL;
	char med[32], lo[32], hi[32];

	if (p == NULL) {
		snprintf(b, len, "-");
	} else if (is_na(p)) {
		snprintf(b, len, "n/a");
	} else if (!json_is_number(json_object_get(m, "median"))) {
		snprintf(b, len, "%s", st != NULL && strcmp(st, "failed") == 0 ? "failed" : "-");
	} else {
		rp_fmt3(med, sizeof(med), rp_num(m, "median") * mul);
		if (rp_num(m, "n") > 1) {
			rp_fmt3(lo, sizeof(lo), rp_num(m, "min") * mul);
			rp_fmt3(hi, sizeof(hi), rp_num(m, "max") * mul);
			snprintf(b, len, "%s (%s-%s)", med, lo, hi);
		} else {
			snprintf(b, len, "%s", med);
		}
		if (st != NULL && strcmp(st, "failed") == 0) /* some rounds failed */
			strncat(b, " *", len - strlen(b) - 1);
	}
}

/* "-2.3% [-4.0..+0.5]", "+1.0%" from one round, "baseline" for none, "n/a", "-". */
static void
delta_cell(char *b, size_t len, json_t *p, const char *variant, const char *key)
{
	json_t *d = p != NULL ? json_object_get(json_object_get(p, "delta"), key) : NULL;

	if (strcmp(variant, "none") == 0)
		snprintf(b, len, "baseline");
	else if (is_na(p))
		snprintf(b, len, "n/a");
	else if (!json_is_number(json_object_get(d, "median_pct")))
		snprintf(b, len, "-");
	else if (rp_num(d, "n") > 1)
		snprintf(b, len, "%+.1f%% [%+.1f..%+.1f]",
			 json_number_value(json_object_get(d, "median_pct")),
			 json_number_value(json_object_get(d, "min_pct")),
			 json_number_value(json_object_get(d, "max_pct")));
	else
		snprintf(b, len, "%+.1f%%", json_number_value(json_object_get(d, "median_pct")));
}

static void
md_table(FILE *f, const struct ebpf_run *r)
{
	size_t k;
	int v;

	fputs("| metric | unit |", f);
	for (v = 0; v < r->n_variants; v++) {
		fputc(' ', f);
		rp_md_name(f, r->variants[v]);
		fputs(" |", f);
	}
	fputs("\n|---|---|", f);
	for (v = 0; v < r->n_variants; v++)
		fputs("---:|", f);
	fputc('\n', f);
	for (k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		char c[EBPF_CELL];

		fprintf(f, "| %s | %s |", rows[k].label, rows[k].unit);
		for (v = 0; v < r->n_variants; v++) {
			value_cell(c, sizeof(c),
				   find_point(r, r->variants[v], rows[k].test, rows[k].cs),
				   rows[k].key, rows[k].mul);
			fprintf(f, " %s |", c);
		}
		fputs("\n| change vs none | % |", f);
		for (v = 0; v < r->n_variants; v++) {
			delta_cell(c, sizeof(c),
				   find_point(r, r->variants[v], rows[k].test, rows[k].cs),
				   r->variants[v], rows[k].key);
			fprintf(f, " %s |", c);
		}
		fputc('\n', f);
	}
}

/* What was not measured and why: a variant n/a once, failures per case. */
static void
md_notes(FILE *f, const struct ebpf_run *r)
{
	json_t *p, *v;
	size_t i;
	int n = 0, k;

	for (k = 0; k < r->n_variants; k++) {
		char text[EBPF_CELL * 3];

		v = find_variant(r->results, r->variants[k]);
		if (v == NULL || strcmp(rp_str(v, "status") ?: "", "n/a") != 0)
			continue;
		if (n++ == 0)
			fputs("\nNot measured (n/a) and failed (a `*` marks a value some rounds of "
			      "which failed):\n\n",
			      f);
		rp_cell_text(text, sizeof(text), "", rp_str(v, "reason") ?: "no reason recorded");
		fprintf(f, "- %s: %s\n", r->variants[k], text);
	}
	json_array_foreach(r->points, i, p) {
		const char *st = rp_str(p, "status");
		char text[EBPF_CELL * 3];

		if (st == NULL || strcmp(st, "ok") == 0 || strcmp(st, "n/a") == 0)
			continue;
		if (n++ == 0)
			fputs("\nNot measured (n/a) and failed (a `*` marks a value some rounds of "
			      "which failed):\n\n",
			      f);
		rp_cell_text(text, sizeof(text), "", rp_str(p, "reason") ?: "no reason recorded");
		fprintf(f, "- %s, %s: **failed**: %s\n", rp_str(p, "variant"),
			rp_str(p, "label") ?: rp_str(p, "case"), text);
	}
}

int
rp_ebpf_tables(FILE *f, json_t *results)
{
	struct ebpf_run r;
	char err[128];

	if (ebpf_load(&r, results, err, sizeof(err)) < 0)
		return -EINVAL;
	md_table(f, &r);
	fputs("\nA cell is the median over the rounds (min-max). change vs none: the median over "
	      "the rounds of the ratio variant / none of the same round, as a change in percent "
	      "[min..max]; for throughput below zero is a loss, for latency above zero is "
	      "slower.\n",
	      f);
	md_notes(f, &r);
	return 0;
}

/* ---- the rest of report.md ---- */

static void
md_header(FILE *f, const struct ebpf_run *r)
{
	json_t *res = r->results, *params = json_object_get(res, "params");
	json_t *pair = json_object_get(json_object_get(res, "testbed"), "pair");
	const char *run_id = rp_str(res, "run_id");
	int k;

	fprintf(f, "# bench ebpf: %s\n\n", run_id != NULL ? run_id : "(no run id)");
	fprintf(f,
		"- path: %s -> kernel bridge -> %s (%s), instance %s, servers (iperf3 -s, "
		"sockperf server --tcp) in %s\n",
		rp_str(pair, "client") ?: "?", rp_str(pair, "server") ?: "?",
		rp_str(pair, "server_address") ?: "?",
		rp_str(json_object_get(res, "testbed"), "instance") ?: "?",
		rp_str(pair, "server") ?: "?");
	fputs("- variants:", f);
	for (k = 0; k < r->n_variants; k++)
		fprintf(f, "%s %s", k ? "," : "", r->variants[k]);
	fputc('\n', f);
	rp_md_time(f, res);
	if (rp_num(params, "time_s") > 0)
		fprintf(f, "- %g s per measurement, %g round(s)\n", rp_num(params, "time_s"),
			rp_num(params, "repeat"));
	if (rp_str(params, "order") != NULL)
		fprintf(f, "- order: %s\n", rp_str(params, "order"));
	if (rp_str(params, "percentiles") != NULL)
		fprintf(f, "- percentiles: %s\n", rp_str(params, "percentiles"));
	rp_md_oversubscribed(f, res);
}

static void
md_placement(FILE *f, const struct ebpf_run *r)
{
	json_t *pl = json_object_get(r->results, "placement"), *tc = json_object_get(pl, "tc");
	json_t *pair = json_object_get(json_object_get(r->results, "testbed"), "pair");
	json_t *port, *v, *rd, *pp, *lavg;
	size_t i, j, k;
	int n;

	fputs("\n## Hook placement\n\n", f);
	fprintf(f, "- direction: %s, on the host-side bridge port of each guest:\n",
		rp_str(pl, "direction") ?: "?");
	json_array_foreach(json_object_get(pl, "ports"), i, port) {
		fprintf(f, "  - %s in namespace %s (%s %s)\n", rp_str(port, "port") ?: "?",
			rp_str(port, "netns") ?: "?", rp_str(port, "role") ?: "?",
			rp_str(port, "guest") ?: "?");
	}
	if (json_is_object(tc))
		fprintf(f, "- tc: %s hook, handle %g, priority %g%s; program: %s\n",
			rp_str(tc, "hook") ?: "?", rp_num(tc, "handle"), rp_num(tc, "priority"),
			json_is_true(json_object_get(tc, "direct_action")) ? ", direct-action" : "",
			rp_str(json_object_get(pl, "programs"), "tc") ?: "?");
	if (rp_str(json_object_get(pl, "programs"), "xdp") != NULL)
		fprintf(f, "- XDP: program %s\n", rp_str(json_object_get(pl, "programs"), "xdp"));
	fputs("- programs as attached and verified (program id and the mode the kernel "
	      "reports), per round:\n",
	      f);
	json_array_foreach(json_object_get(r->results, "variants"), i, v) {
		fprintf(f, "  - %s (%s): ", rp_str(v, "name") ?: "?", rp_str(v, "attach") ?: "?");
		n = 0;
		json_array_foreach(json_object_get(v, "rounds"), j, rd) {
			fprintf(f, "%sr%g", n++ ? "; " : "", rp_num(rd, "round"));
			if (strcmp(rp_str(rd, "status") ?: "", "ok") != 0) {
				fprintf(f, " %s", rp_str(rd, "status") ?: "?");
				continue;
			}
			json_array_foreach(json_object_get(rd, "ports"), k, pp) {
				if (rp_num(pp, "prog_id") > 0)
					fprintf(f, "%s %s prog %g (%s)", k ? "," : "",
						rp_str(pp, "port") ?: "?", rp_num(pp, "prog_id"),
						rp_str(pp, "attached") ?: "?");
				else
					fprintf(f, "%s %s %s", k ? "," : "",
						rp_str(pp, "port") ?: "?",
						rp_str(pp, "attached") ?: "?");
			}
		}
		fputs(n ? "\n" : "not run\n", f);
	}
	if (json_is_object(pair))
		fprintf(f, "- pinning: client %s on cpu %g, server %s on cpu %g\n",
			rp_str(pair, "client") ?: "?", rp_num(pair, "client_cpu"),
			rp_str(pair, "server") ?: "?", rp_num(pair, "server_cpu"));
	lavg = json_object_get(r->results, "host");
	if (json_is_array(json_object_get(lavg, "loadavg_start")))
		fprintf(f, "- host load average (1, 5, 15 min): %.2f %.2f %.2f at the start",
			json_number_value(
				json_array_get(json_object_get(lavg, "loadavg_start"), 0)),
			json_number_value(
				json_array_get(json_object_get(lavg, "loadavg_start"), 1)),
			json_number_value(
				json_array_get(json_object_get(lavg, "loadavg_start"), 2)));
	if (json_is_array(json_object_get(lavg, "loadavg_end")))
		fprintf(f, ", %.2f %.2f %.2f at the end",
			json_number_value(json_array_get(json_object_get(lavg, "loadavg_end"), 0)),
			json_number_value(json_array_get(json_object_get(lavg, "loadavg_end"), 1)),
			json_number_value(json_array_get(json_object_get(lavg, "loadavg_end"), 2)));
	if (json_is_array(json_object_get(lavg, "loadavg_start")))
		fputc('\n', f);
}

static void
md_methods(FILE *f, const struct ebpf_run *r)
{
	json_t *seen[8], *p, *w = json_object_get(r->results, "warmup");
	int n = 0, k;
	size_t i;

	fputs("\n## Methods\n\n", f);
	json_array_foreach(r->points, i, p) {
		for (k = 0; k < n; k++)
			if (strcmp(rp_str(seen[k], "test"), rp_str(p, "test")) == 0 &&
			    strcmp(rp_str(seen[k], "case"), rp_str(p, "case")) == 0)
				break;
		if (k < n || n >= (int)(sizeof(seen) / sizeof(seen[0])))
			continue;
		seen[n++] = p;
		fprintf(f, "- %s: %s\n", rp_str(p, "label") ?: rp_str(p, "case"),
			rp_str(p, "method") ?: "(not recorded)");
	}
	if (json_is_object(w)) {
		fputs("- warm-up (discarded):", f);
		json_array_foreach(json_object_get(w, "repeats"), i, p) {
			fprintf(f, "%s %s %s", i ? "," : "", rp_str(p, "test") ?: "?",
				rp_str(p, "status") ?: "?");
		}
		fputc('\n', f);
	}
}

int
rp_write_ebpf_report(const char *dir, json_t *results, char *err, size_t errlen)
{
	struct ebpf_run r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	ret = ebpf_load(&r, results, err, errlen);
	if (ret < 0)
		return ret;
	f = open_memstream(&buf, &len);
	if (f == NULL) {
		snprintf(err, errlen, "report of %s: out of memory", dir);
		return -ENOMEM;
	}
	md_header(f, &r);
	fputs("\n## Overhead of an empty eBPF program on the bridge path\n\n", f);
	rp_ebpf_tables(f, results);
	md_placement(f, &r);
	md_methods(f, &r);
	rp_md_host(f, results);
	return rp_md_close(dir, f, &buf, &len, 0, NULL, err, errlen);
}
