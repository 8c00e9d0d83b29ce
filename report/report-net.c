/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `bench net` results (kind "bench-net"): results.json and a long-form results.csv, and
 * report.md with one comparison table per test: a row per case, metric and direction, a
 * column per backend, then what was not measured and why, the methods, and the host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "report-common.h"
#include "report.h"
#include "results.h"

#define NET_CELL 200

static const char *const known_dirs[] = {"guest_to_guest", "host_to_guest"};

/* ---- results.json, results.csv: a row per point and metric ---- */

static const struct res_col net_cols[] = {
	{"backend", RES_COL_STR, NULL},
	{"direction", RES_COL_STR, NULL},
	{"test", RES_COL_STR, NULL},
	{"case", RES_COL_STR, NULL},
	{"msg_size", RES_COL_NUM, NULL},
	{"metric", RES_COL_METRIC, NULL},
	{"unit", RES_COL_UNIT, NULL},
	{"median", RES_COL_STAT, NULL},
	{"min", RES_COL_STAT, NULL},
	{"max", RES_COL_STAT, NULL},
	{"repeats", RES_COL_REPEATS, NULL},
	{"status", RES_COL_STR, NULL},
	{"reason", RES_COL_STR, NULL},
	{"method", RES_COL_STR, NULL},
};

int
rp_write_net_results(const char *dir, json_t *results)
{
	return res_write_long(dir, results, "bench-net", net_cols,
			      sizeof(net_cols) / sizeof(net_cols[0]));
}

/* ---- report.md ---- */

struct net_run {
	json_t *results, *points;
	const char *backends[RP_MAX_NAMES], *dirs[RP_MAX_NAMES], *tests[RP_MAX_NAMES];
	int n_backends, n_dirs, n_tests;
};

/* Stored unit -> what the table shows, the factor, and whether it is a count. */
static const struct {
	const char *unit, *shown;
	double mul;
	bool count;
} shown_units[] = {
	{"Mb/s", "Gb/s", 1e-3, false},
	{"pps", "kpps", 1e-3, false},
	{"segments", "segments", 1, true},
};

/* mul < 0 marks a count (whole numbers) */
static const char *
unit_shown(const char *unit, double *mul)
{
	size_t i;

	*mul = 1;
	for (i = 0; i < sizeof(shown_units) / sizeof(shown_units[0]); i++)
		if (unit != NULL && strcmp(unit, shown_units[i].unit) == 0) {
			*mul = shown_units[i].count ? -1 : shown_units[i].mul;
			return shown_units[i].shown;
		}
	return unit != NULL ? unit : "";
}

/* Three significant digits, or a whole number for counts (mul < 0). */
static void
fmt_val(char *b, size_t len, double v, double mul)
{
	if (mul < 0)
		snprintf(b, len, "%.0f", v);
	else
		rp_fmt3(b, len, v * mul);
}

static const char *
dir_words(const char *d)
{
	if (d != NULL && strcmp(d, "guest_to_guest") == 0)
		return "guest to guest";
	if (d != NULL && strcmp(d, "host_to_guest") == 0)
		return "host to guest";
	return d != NULL ? d : "?";
}

static int
net_load(struct net_run *r, json_t *results, char *err, size_t errlen)
{
	json_t *p, *t;
	size_t i;
	int k, ret = 0;

	memset(r, 0, sizeof(*r));
	r->results = results;
	r->points = json_object_get(results, "points");
	if (!rp_is_kind(results, "bench-net") || !json_is_array(r->points)) {
		snprintf(err, errlen, "not the results of `bench net` (kind \"bench-net\")");
		return -EINVAL;
	}
	/* the known backends and directions first, in their order; others as they come */
	for (k = 0; k < TB_BE_COUNT; k++) {
		json_array_foreach(r->points, i, p) {
			if (strcmp(rp_str(p, "backend") ?: "", tb_backend_name(k)) == 0) {
				ret |= rp_name_add(r->backends, &r->n_backends, tb_backend_name(k));
				break;
			}
		}
	}
	for (k = 0; k < (int)(sizeof(known_dirs) / sizeof(known_dirs[0])); k++) {
		json_array_foreach(r->points, i, p) {
			if (strcmp(rp_str(p, "direction") ?: "", known_dirs[k]) == 0) {
				ret |= rp_name_add(r->dirs, &r->n_dirs, known_dirs[k]);
				break;
			}
		}
	}
	json_array_foreach(r->points, i, p) {
		if (rp_str(p, "backend") == NULL || rp_str(p, "direction") == NULL ||
		    rp_str(p, "test") == NULL || rp_str(p, "case") == NULL) {
			snprintf(err, errlen, "point %zu lacks backend, direction, test or case",
				 i);
			return -EINVAL;
		}
		ret |= rp_name_add(r->backends, &r->n_backends, rp_str(p, "backend"));
		ret |= rp_name_add(r->dirs, &r->n_dirs, rp_str(p, "direction"));
	}
	json_array_foreach(json_object_get(results, "tests"), i, t) {
		if (json_is_string(t))
			ret |= rp_name_add(r->tests, &r->n_tests, json_string_value(t));
	}
	json_array_foreach(r->points, i, p) {
		ret |= rp_name_add(r->tests, &r->n_tests, rp_str(p, "test"));
	}
	if (ret < 0) {
		snprintf(err, errlen, "more than %d backends, directions or tests", RP_MAX_NAMES);
		return -E2BIG;
	}
	return 0;
}

static json_t *
find_point(const struct net_run *r, const char *test, const char *cs, const char *backend,
	   const char *dir)
{
	json_t *p;
	size_t i;

	json_array_foreach(r->points, i, p) {
		if (strcmp(rp_str(p, "test"), test) == 0 && strcmp(rp_str(p, "case"), cs) == 0 &&
		    strcmp(rp_str(p, "backend"), backend) == 0 &&
		    strcmp(rp_str(p, "direction"), dir) == 0)
			return p;
	}
	return NULL;
}

/* "5.62", "5.62 (5.50-5.70)" over several repeats, "n/a", "failed", "-" (not run). */
static void
cell(char *b, size_t len, json_t *p, const char *key, double mul)
{
	const char *st = p != NULL ? rp_str(p, "status") : NULL;
	json_t *m = p != NULL ? json_object_get(p, key) : NULL;
	char med[32], lo[32], hi[32];

	if (p == NULL) {
		snprintf(b, len, "-");
	} else if (st != NULL && strcmp(st, "n/a") == 0) {
		snprintf(b, len, "n/a");
	} else if (!json_is_number(json_object_get(m, "median"))) {
		snprintf(b, len, "%s", st != NULL && strcmp(st, "failed") == 0 ? "failed" : "-");
	} else {
		fmt_val(med, sizeof(med), rp_num(m, "median"), mul);
		if (rp_num(m, "n") > 1) {
			fmt_val(lo, sizeof(lo), rp_num(m, "min"), mul);
			fmt_val(hi, sizeof(hi), rp_num(m, "max"), mul);
			snprintf(b, len, "%s (%s-%s)", med, lo, hi);
		} else {
			snprintf(b, len, "%s", med);
		}
		if (st != NULL && strcmp(st, "failed") == 0) /* some repeats failed */
			strncat(b, " *", len - strlen(b) - 1);
	}
}

static void
md_table(FILE *f, const struct net_run *r, const char *test)
{
	const char *cases[RP_MAX_NAMES * 4];
	json_t *first[RP_MAX_NAMES * 4], *p, *mt;
	int n_cases = 0, c, b, d;
	size_t i, m;

	json_array_foreach(r->points, i, p) {
		if (strcmp(rp_str(p, "test"), test) != 0)
			continue;
		for (c = 0; c < n_cases; c++)
			if (strcmp(cases[c], rp_str(p, "case")) == 0)
				break;
		if (c == n_cases && n_cases < (int)(sizeof(cases) / sizeof(cases[0]))) {
			cases[n_cases] = rp_str(p, "case");
			first[n_cases++] = p;
		}
	}
	fputs("| case | metric | direction | unit |", f);
	for (b = 0; b < r->n_backends; b++) {
		fputc(' ', f);
		rp_md_name(f, r->backends[b]);
		fputs(" |", f);
	}
	fputs("\n|---|---|---|---|", f);
	for (b = 0; b < r->n_backends; b++)
		fputs("---:|", f);
	fputc('\n', f);
	for (c = 0; c < n_cases; c++) {
		char label[NET_CELL];

		rp_cell_text(label, sizeof(label), "", rp_str(first[c], "label") ?: cases[c]);
		json_array_foreach(json_object_get(first[c], "metrics"), m, mt) {
			const char *key = rp_str(mt, "key");
			double mul;
			const char *unit = unit_shown(rp_str(mt, "unit"), &mul);
			char mlabel[NET_CELL];

			if (key == NULL)
				continue;
			rp_cell_text(mlabel, sizeof(mlabel), "", rp_str(mt, "label") ?: key);
			for (d = 0; d < r->n_dirs; d++) {
				fprintf(f, "| %s | %s | %s | %s |", m == 0 && d == 0 ? label : "",
					d == 0 ? mlabel : "", dir_words(r->dirs[d]), unit);
				for (b = 0; b < r->n_backends; b++) {
					char v[128];

					cell(v, sizeof(v),
					     find_point(r, test, cases[c], r->backends[b],
							r->dirs[d]),
					     key, mul);
					fprintf(f, " %s |", v);
				}
				fputc('\n', f);
			}
		}
	}
}

static bool
same_na(json_t *p, json_t *q)
{
	return strcmp(rp_str(q, "status") ?: "", "n/a") == 0 &&
	       strcmp(rp_str(q, "backend"), rp_str(p, "backend")) == 0 &&
	       strcmp(rp_str(q, "direction"), rp_str(p, "direction")) == 0 &&
	       strcmp(rp_str(q, "reason") ?: "", rp_str(p, "reason") ?: "") == 0;
}

/*
 * What was not measured and why: failures one by one; n/a once per backend and direction
 * when every case of the test shares the reason ("every case"), else per case.
 */
static void
md_notes(FILE *f, const struct net_run *r, const char *test)
{
	json_t *p, *q;
	size_t i, j;
	int n = 0;

	json_array_foreach(r->points, i, p) {
		const char *st = rp_str(p, "status"), *why = rp_str(p, "reason"), *what;
		char text[NET_CELL * 2];
		int n_pair = 0, n_same = 0;
		bool dup = false;

		if (strcmp(rp_str(p, "test"), test) != 0 || st == NULL || strcmp(st, "ok") == 0)
			continue;
		what = rp_str(p, "label") ?: rp_str(p, "case");
		if (strcmp(st, "n/a") == 0) {
			json_array_foreach(r->points, j, q) {
				if (strcmp(rp_str(q, "test"), test) != 0 ||
				    strcmp(rp_str(q, "backend"), rp_str(p, "backend")) != 0 ||
				    strcmp(rp_str(q, "direction"), rp_str(p, "direction")) != 0)
					continue;
				n_pair++;
				n_same += same_na(p, q);
				dup |= j < i && same_na(p, q);
			}
			if (n_same == n_pair) {
				if (dup)
					continue;
				what = "every case";
			}
		}
		if (n++ == 0)
			fputs("\nNot measured (n/a) and failed (a `*` marks a value some repeats "
			      "of which failed):\n\n",
			      f);
		rp_cell_text(text, sizeof(text), "", why ?: "no reason recorded");
		fprintf(f, "- %s, %s, %s: %s%s\n", rp_str(p, "backend"),
			dir_words(rp_str(p, "direction")), what,
			strcmp(st, "n/a") == 0 ? "" : "**failed**: ", text);
	}
}

static void
md_methods(FILE *f, const struct net_run *r, const char *test)
{
	const char *seen[RP_MAX_NAMES * 4];
	int n = 0, k;
	json_t *p;
	size_t i;

	fputs("\nMethods:\n\n", f);
	json_array_foreach(r->points, i, p) {
		if (strcmp(rp_str(p, "test"), test) != 0)
			continue;
		for (k = 0; k < n; k++)
			if (strcmp(seen[k], rp_str(p, "case")) == 0)
				break;
		if (k < n || n >= (int)(sizeof(seen) / sizeof(seen[0])))
			continue;
		seen[n++] = rp_str(p, "case");
		fprintf(f, "- %s: %s\n", rp_str(p, "label") ?: rp_str(p, "case"),
			rp_str(p, "method") ?: "(not recorded)");
	}
}

static void
md_header(FILE *f, const struct net_run *r)
{
	json_t *params = json_object_get(r->results, "params"), *pr;
	json_t *pairs = json_object_get(json_object_get(r->results, "testbed"), "pairs");
	const char *run_id = rp_str(r->results, "run_id");
	size_t i;
	int k;

	fprintf(f, "# bench net: %s\n\n", run_id != NULL ? run_id : "(no run id)");
	fputs("- tests:", f);
	for (k = 0; k < r->n_tests; k++)
		fprintf(f, "%s %s", k ? "," : "", r->tests[k]);
	fputs("\n- backends:", f);
	for (k = 0; k < r->n_backends; k++)
		fprintf(f, "%s %s", k ? "," : "", r->backends[k]);
	fputs("\n- directions:", f);
	for (k = 0; k < r->n_dirs; k++)
		fprintf(f, "%s %s", k ? "," : "", dir_words(r->dirs[k]));
	fputc('\n', f);
	json_array_foreach(pairs, i, pr) {
		fprintf(f, "  - %s, %s: client %s (%s), server %s at %s\n", rp_str(pr, "backend"),
			dir_words(rp_str(pr, "direction")), rp_str(pr, "client") ?: "?",
			rp_str(pr, "client_netns") ?: "QEMU guest", rp_str(pr, "server") ?: "?",
			rp_str(pr, "server_address") ?: "?");
	}
	rp_md_time(f, r->results);
	if (rp_num(params, "time_s") > 0)
		fprintf(f,
			"- %g s per measurement, %g repeat(s), backends and directions "
			"interleaved per case; a cell is the median over the repeats, (min-max) "
			"when there are several\n",
			rp_num(params, "time_s"), rp_num(params, "repeat"));
	if (rp_str(params, "percentiles") != NULL)
		fprintf(f, "- percentiles: %s\n", rp_str(params, "percentiles"));
	rp_md_oversubscribed(f, r->results);
}

int
rp_write_net_report(const char *dir, json_t *results, char *err, size_t errlen)
{
	json_t *titles = json_object_get(results, "test_titles");
	struct net_run r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret, t;

	ret = net_load(&r, results, err, errlen);
	if (ret < 0)
		return ret;
	f = open_memstream(&buf, &len);
	if (f == NULL) {
		snprintf(err, errlen, "report of %s: out of memory", dir);
		return -ENOMEM;
	}
	md_header(f, &r);
	for (t = 0; t < r.n_tests; t++) {
		fputs("\n## ", f);
		rp_md_name(f, rp_str(titles, r.tests[t]) ?: r.tests[t]);
		fputs("\n\n", f);
		md_table(f, &r, r.tests[t]);
		md_notes(f, &r, r.tests[t]);
		md_methods(f, &r, r.tests[t]);
	}
	rp_md_host(f, results);
	return rp_md_close(dir, f, &buf, &len, 0, NULL, err, errlen);
}
