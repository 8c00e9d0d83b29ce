/* SPDX-License-Identifier: BSD-3-Clause */
/* The report of a qperf sweep (results "kind": "sweep"): report.md, comparing two sweeps. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "fsutil.h"
#include "report-common.h"
#include "report.h"
#include "stats.h"

#define RP_CELL 160
#define MAX_PAIRS 256 /* repeats of one point paired with another's */

enum kind { K_OTHER, K_LAT, K_BW };

struct pt {
	json_t *j;
	const char *backend, *test, *scope, *status;
	double size;
	size_t idx;
};

struct run {
	json_t *results;
	struct pt *p;
	size_t n;
	const char *tests[RP_MAX_NAMES], *backends[RP_MAX_NAMES], *scopes[RP_MAX_NAMES];
	int n_tests, n_backends, n_scopes;
};

/* A metric of a point: the median and spread of its successful repeats. */
struct val {
	bool ok;
	double med, min, max;
	int n;	   /* successful repeats (of a ratio: pairs of repeats) */
	bool wide; /* (max-min)/median above RP_WIDE_SPREAD_PCT */
};

/* (max-min)/median in percent; -1 without a spread (one repeat, no median). */
static double
spread_pct(const struct val *v)
{
	if (!v->ok || v->n <= 1 || v->med <= 0)
		return -1;
	return (v->max - v->min) / v->med * 100;
}

/* " *" after a cell whose spread is wide. */
static void
mark_wide(char *b, size_t len, const struct val *v)
{
	size_t n = strlen(b);

	if (v->wide && n < len)
		snprintf(b + n, len - n, " *");
}

/* ---- numbers and units ---- */

static void
fmt_size(char *b, size_t len, double size)
{
	static const char *const unit[] = {"B", "KiB", "MiB", "GiB"};
	int i = 0;

	/* binary units only where exact, so 1500 B stays 1500 B */
	while (i < 3 && size >= 1024 && (long long)size % 1024 == 0) {
		size /= 1024;
		i++;
	}
	snprintf(b, len, "%.0f %s", size, unit[i]);
}

/* 2.44M, 706K, 950 */
static void
fmt_pps(char *b, size_t len, double v)
{
	static const char *const sfx[] = {"", "K", "M", "G"};
	char n[32];
	int i = 0;

	while (i < 3 && v >= 999.5) {
		v /= 1000;
		i++;
	}
	rp_fmt3(n, sizeof(n), v);
	snprintf(b, len, "%s%s", n, sfx[i]);
}

/* MB/s with the line rate in brackets as the reference prints it: 3160 MB/s (25.3 Gb/s). */
static void
fmt_bw(char *b, size_t len, double MBps, const char *spread)
{
	char mb[32], line[32];

	rp_fmt3(mb, sizeof(mb), MBps);
	rp_fmt_mbps(line, sizeof(line), MBps * 8);
	snprintf(b, len, "%s MB/s%s (%s)", mb, spread, line);
}

/* " [min-max]" in the formatter's units when the point has more than one repeat. */
static void
fmt_spread(char *b, size_t len, const struct val *v, void (*f)(char *, size_t, double))
{
	char lo[32], hi[32];

	b[0] = '\0';
	if (v->n <= 1)
		return;
	f(lo, sizeof(lo), v->min);
	f(hi, sizeof(hi), v->max);
	snprintf(b, len, " [%s-%s]", lo, hi);
}

static void
cell_lat(char *b, size_t len, const struct val *v)
{
	char m[32], s[80];

	if (!v->ok) {
		snprintf(b, len, "-");
		return;
	}
	rp_fmt3(m, sizeof(m), v->med);
	fmt_spread(s, sizeof(s), v, rp_fmt3);
	snprintf(b, len, "%s us%s", m, s);
	mark_wide(b, len, v);
}

static void
cell_bw(char *b, size_t len, const struct val *v)
{
	char s[80];

	if (!v->ok) {
		snprintf(b, len, "-");
		return;
	}
	fmt_spread(s, sizeof(s), v, rp_fmt3);
	fmt_bw(b, len, v->med, s);
	mark_wide(b, len, v);
}

static void
cell_pps(char *b, size_t len, const struct val *v)
{
	char m[32], s[80];

	if (!v->ok) {
		snprintf(b, len, "-");
		return;
	}
	fmt_pps(m, sizeof(m), v->med);
	fmt_spread(s, sizeof(s), v, fmt_pps);
	snprintf(b, len, "%s%s", m, s);
	mark_wide(b, len, v);
}

/* A ratio: median [min-max] over its pairs of repeats, "-" where there is none. */
static void
cell_ratio(char *b, size_t len, const struct val *v)
{
	char m[32], s[80];

	if (!v->ok) {
		snprintf(b, len, "-");
		return;
	}
	rp_fmt3(m, sizeof(m), v->med);
	fmt_spread(s, sizeof(s), v, rp_fmt3);
	snprintf(b, len, "%s%s", m, s);
	mark_wide(b, len, v);
}

/* ---- points ---- */

/* results.json of a sweep: "kind": "sweep", or no kind (the first results had none). */
static bool
is_sweep(json_t *results)
{
	json_t *kind = json_object_get(results, "kind");

	return kind == NULL || strcmp(json_string_value(kind) ?: "", "sweep") == 0;
}

static enum kind
test_kind(const char *test)
{
	size_t n = strlen(test);

	if (n > 4 && strcmp(test + n - 4, "_lat") == 0)
		return K_LAT;
	if (n > 3 && strcmp(test + n - 3, "_bw") == 0)
		return K_BW;
	return K_OTHER;
}

/* The reference's test of ours: tcp_lat and tcp_bw are both "tcp" rows. */
static void
ref_test(char *b, size_t len, const char *test)
{
	snprintf(b, len, "%.*s", (int)strcspn(test, "_"), test);
}

/* metric "bw" is bandwidth in MB/s, from bw_MBps or else bw_mbps. */
static struct val
metric(const struct pt *p, const char *name)
{
	struct val v = {.ok = false, .med = -1, .min = -1, .max = -1, .n = 0};
	json_t *m, *r;
	double f = 1;
	size_t i;

	if (p == NULL || p->status == NULL || strcmp(p->status, "ok") != 0)
		return v;
	if (strcmp(name, "bw") == 0) {
		m = json_object_get(p->j, "bw_MBps");
		if (!json_is_object(m)) {
			m = json_object_get(p->j, "bw_mbps");
			f = 1.0 / 8;
		}
	} else {
		m = json_object_get(p->j, name);
	}
	if (!json_is_object(m) || rp_num(m, "median") < 0)
		return v;
	v.ok = true;
	v.med = rp_num(m, "median") * f;
	v.min = rp_num(m, "min") * f;
	v.max = rp_num(m, "max") * f;
	if (v.min < 0 || v.max < 0)
		v.min = v.max = v.med;
	json_array_foreach(json_object_get(p->j, "repeats"), i, r) {
		const char *st = json_string_value(json_object_get(r, "status"));

		if (st == NULL || strcmp(st, "ok") == 0)
			v.n++;
	}
	v.wide = spread_pct(&v) > RP_WIDE_SPREAD_PCT;
	return v;
}

static const char *
main_metric(enum kind k)
{
	return k == K_LAT ? "latency_us" : "bw";
}

/* The point's main metric; "wide": true from the measuring side makes it wide. */
static struct val
main_val(const struct pt *p, enum kind k)
{
	struct val v = metric(p, main_metric(k));

	if (v.ok && json_is_true(json_object_get(p->j, "wide")))
		v.wide = true;
	return v;
}

/* Repeat rep's value of a metric ("bw": MB/s, as metric()); -1 where it failed or lacks it. */
static double
rep_value(json_t *rep, const char *name)
{
	const char *st = rp_str(rep, "status");
	double v;

	if (st != NULL && strcmp(st, "ok") != 0)
		return -1;
	if (strcmp(name, "bw") != 0)
		return rp_num(rep, name);
	v = rp_num(rep, "bw_MBps");
	if (v >= 0)
		return v;
	v = rp_num(rep, "bw_mbps");
	return v >= 0 ? v / 8 : -1;
}

/*
 * num/den of a metric, pair by pair: repeat k of num over repeat k of den, for each k where
 * both succeeded (the sweep runs repeat k of every backend back to back), and their median,
 * min and max. Results without per-repeat values: the ratio of the medians.
 */
static struct val
pair_ratio(const struct pt *num, const struct pt *den, const char *name)
{
	struct val v = {.ok = false, .med = -1, .min = -1, .max = -1, .n = 0};
	struct val a = metric(num, name), b = metric(den, name);
	json_t *ra, *rb;
	double r[MAX_PAIRS];
	struct tb_spread sp;
	size_t k, n = 0;

	if (!a.ok || !b.ok || a.med <= 0 || b.med <= 0)
		return v;
	ra = json_object_get(num->j, "repeats");
	rb = json_object_get(den->j, "repeats");
	for (k = 0; k < json_array_size(ra) && k < json_array_size(rb) && n < MAX_PAIRS; k++) {
		double x = rep_value(json_array_get(ra, k), name);
		double y = rep_value(json_array_get(rb, k), name);

		if (x > 0 && y > 0)
			r[n++] = x / y;
	}
	v.ok = true;
	if (n == 0) {
		v.med = v.min = v.max = a.med / b.med;
		v.n = 1;
		return v;
	}
	sp = tb_spread_of(r, n);
	v.med = sp.median;
	v.min = sp.min;
	v.max = sp.max;
	v.n = (int)n;
	v.wide = spread_pct(&v) > RP_WIDE_SPREAD_PCT;
	return v;
}

static double
ref_main(const struct ref_point *r, enum kind k)
{
	if (r == NULL)
		return -1;
	if (k == K_LAT)
		return r->lat_us;
	return r->bw_mbps > 0 ? r->bw_mbps / 8 : -1;
}

/* "failed: " before a failed point's reason; a stopped one's reason says so itself. */
static const char *
bad_prefix(const struct pt *p)
{
	return p->status != NULL && strcmp(p->status, "stopped") == 0 ? "" : "failed: ";
}

/* A point's main metric, "failed: why", "stopped by SIGINT", or "-" where there is none. */
static void
cell_main(char *b, size_t len, const struct pt *p, enum kind k)
{
	struct val v = main_val(p, k);

	if (p == NULL) {
		snprintf(b, len, "-");
	} else if (p->status == NULL || strcmp(p->status, "ok") != 0) {
		const char *why = json_string_value(json_object_get(p->j, "reason"));

		rp_cell_text(b, len, bad_prefix(p), why != NULL ? why : "no reason recorded");
	} else if (k == K_LAT) {
		cell_lat(b, len, &v);
	} else {
		cell_bw(b, len, &v);
	}
}

static int
pt_cmp(const void *a, const void *b)
{
	const struct pt *x = a, *y = b;

	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Points sorted by size; names of tests, backends and scopes in display order. */
static int
run_load(struct run *r, json_t *results, char *err, size_t errlen)
{
	json_t *pts = json_object_get(results, "points"), *p;
	size_t i;
	int k, ret = 0;

	memset(r, 0, sizeof(*r));
	r->results = results;
	if (!json_is_array(pts)) {
		snprintf(err, errlen, "results have no \"points\" array (not a results.json?)");
		return -EINVAL;
	}
	r->p = calloc(json_array_size(pts) + 1, sizeof(*r->p));
	if (r->p == NULL)
		return -ENOMEM;
	json_array_foreach(json_object_get(results, "tests"), i, p)
		if (json_is_string(p))
			ret |= rp_name_add(r->tests, &r->n_tests, json_string_value(p));
	/* backend.h's order (the reference's first); others as the results list them */
	for (k = 0; k < TB_BE_COUNT; k++)
		r->backends[r->n_backends++] = tb_backend_name(k);
	r->scopes[r->n_scopes++] = "same_host";
	json_array_foreach(pts, i, p) {
		struct pt *q = &r->p[r->n];

		q->j = p;
		q->idx = i;
		q->backend = json_string_value(json_object_get(p, "backend"));
		q->test = json_string_value(json_object_get(p, "test"));
		q->scope = json_string_value(json_object_get(p, "scope"));
		if (q->scope == NULL)
			q->scope = "same_host";
		q->status = json_string_value(json_object_get(p, "status"));
		q->size = rp_num(p, "msg_size");
		if (q->backend == NULL || q->test == NULL || q->size <= 0)
			continue; /* not a point of schema 1: nothing to show */
		ret |= rp_name_add(r->tests, &r->n_tests, q->test);
		ret |= rp_name_add(r->backends, &r->n_backends, q->backend);
		ret |= rp_name_add(r->scopes, &r->n_scopes, q->scope);
		r->n++;
	}
	if (ret < 0) {
		snprintf(err, errlen, "results name more than %d tests, backends or scopes",
			 RP_MAX_NAMES);
		free(r->p);
		r->p = NULL;
		return -E2BIG;
	}
	qsort(r->p, r->n, sizeof(*r->p), pt_cmp);
	return 0;
}

static bool
pt_is(const struct pt *p, const char *test, const char *scope, const char *backend)
{
	return strcmp(p->test, test) == 0 && strcmp(p->scope, scope) == 0 &&
	       (backend == NULL || strcmp(p->backend, backend) == 0);
}

static const struct pt *
run_find(const struct run *r, const char *test, const char *scope, const char *backend,
	 double size)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->p[i].size == size && pt_is(&r->p[i], test, scope, backend))
			return &r->p[i];
	return NULL;
}

static bool
run_has(const struct run *r, const char *test, const char *scope, const char *backend)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (pt_is(&r->p[i], test, scope, backend))
			return true;
	return false;
}

/* ---- report.md ---- */

/* Points with a result, and of them those with a single successful repeat. */
static void
count_once(const struct run *r, size_t *ok, size_t *once)
{
	size_t i;

	*ok = *once = 0;
	for (i = 0; i < r->n; i++) {
		struct val v = main_val(&r->p[i], test_kind(r->p[i].test));

		if (!v.ok)
			continue;
		(*ok)++;
		if (v.n <= 1)
			(*once)++;
	}
}

/* How to read the cells: the spread, the wide mark, the ratios; or that points ran once. */
static void
md_method(FILE *f, const struct run *r)
{
	size_t ok, once;

	count_once(r, &ok, &once);
	if (ok > 0 && once == ok) {
		fputs("- method: points ran once: each cell is that one measurement, with no "
		      "spread to tell\n  noise from difference; ratios are of single "
		      "measurements\n",
		      f);
		return;
	}
	fprintf(f, "- method: each cell is the median [min-max] of the point's repeats; a "
		   "trailing `*` marks\n  a wide spread, (max-min)/median above %g%% (listed "
		   "under \"Wide spread\"); ratios between\n  backends are median [min-max] "
		   "of per-repeat ratios (repeat k of one backend over\n  repeat k of the "
		   "other: the sweep runs repeat k of every backend back to back)\n",
		RP_WIDE_SPREAD_PCT);
	if (once > 0)
		fprintf(f, "- %zu of %zu points ran once: their cells show the value alone\n", once,
			ok);
}

/* "## Wide spread": the points whose main metric spread wide, or that none did. */
static void
md_wide(FILE *f, const struct run *r)
{
	size_t ok, once, i, n = 0;

	count_once(r, &ok, &once);
	for (i = 0; i < r->n; i++) {
		const struct pt *p = &r->p[i];
		enum kind k = test_kind(p->test);
		struct val v = main_val(p, k);
		char size[32], cell[RP_CELL];
		double pct = spread_pct(&v);

		if (!v.wide)
			continue;
		if (n++ == 0)
			fprintf(f, "\n## Wide spread\n\nPoints whose main metric (latency for "
				   "*_lat, bandwidth for *_bw) spread more than %g%%\nof its "
				   "median over the repeats: read them as noisy, or run them "
				   "again.\n\n",
				RP_WIDE_SPREAD_PCT);
		fmt_size(size, sizeof(size), p->size);
		cell_main(cell, sizeof(cell), p, k);
		fputs("- ", f);
		rp_md_name(f, p->test);
		fputs(", ", f);
		rp_md_name(f, p->backend);
		if (r->n_scopes > 1)
			fprintf(f, " (%s)", rp_scope_words(p->scope));
		fprintf(f, ", %s: %s", size, cell);
		if (pct >= 0)
			fprintf(f, ", spread %.1f%%", pct);
		if (json_is_true(json_object_get(p->j, "wide")))
			fputs(", flagged wide by the sweep", f);
		fputc('\n', f);
	}
	/* without repeats there is no spread to judge: the method line says they ran once */
	if (n == 0 && ok > once)
		fprintf(f, "\n## Wide spread\n\nNo point's main metric spread more than %g%% of "
			   "its median over the\nrepeats.\n",
			RP_WIDE_SPREAD_PCT);
}

static void
md_header(FILE *f, const struct run *r)
{
	json_t *res = r->results, *params = json_object_get(res, "params");
	const char *run_id = json_string_value(json_object_get(res, "run_id"));
	char a[32], b[32];
	int i, n;

	fprintf(f, "# Testbed report: %s\n\n", run_id != NULL ? run_id : "(no run id)");
	fputs("- tests:", f);
	for (i = 0; i < r->n_tests; i++)
		fprintf(f, "%s %s", i ? "," : "", r->tests[i]);
	fputs("\n- backends:", f);
	for (i = 0, n = 0; i < r->n_backends; i++) {
		size_t k;

		for (k = 0; k < r->n; k++)
			if (strcmp(r->p[k].backend, r->backends[i]) == 0)
				break;
		if (k < r->n)
			fprintf(f, "%s %s", n++ ? "," : "", r->backends[i]);
	}
	fputc('\n', f);
	rp_md_time(f, res);
	if (json_is_object(params)) {
		fmt_size(a, sizeof(a), rp_num(params, "min_size"));
		fmt_size(b, sizeof(b), rp_num(params, "max_size"));
		if (json_is_string(json_object_get(params, "repeat")))
			/* auto: a minimum, more while the spread stays wide, up to a cap */
			fprintf(f, "- qperf: %g s per run, %g to %g runs per point (more while the "
				"spread exceeds %g%%)",
				rp_num(params, "time_s"), rp_num(params, "repeat_min"),
				rp_num(params, "repeat_cap"), 100 * rp_num(params, "wide_threshold"));
		else
			fprintf(f, "- qperf: %g s per run, %g run(s) per point", rp_num(params, "time_s"),
				rp_num(params, "repeat"));
		if (rp_num(params, "min_size") > 0 && rp_num(params, "max_size") > 0)
			fprintf(f, ", sizes %s to %s (doubling)", a, b);
		fputc('\n', f);
	}
	md_method(f, r);
	rp_md_oversubscribed(f, res);
	md_wide(f, r);
	rp_md_host(f, res);
}

/* What the reference figures beside ours are, under "## Reference". */
static const char reference_note[] =
	"The `ref` columns are the published figures of the Virtink \"Vhost-user Network "
	"Test\"\n(data/reference/virtink-vhost-user-test.csv, scope of each point, same host "
	"by default):\n2 x (2 NUMA nodes x 20 cores), 25 Gb/s Mellanox CX4 Lx, OVS-DPDK "
	"with 1 dedicated PMD\ncore, one dedicated core per VM. Different hardware: compare "
	"shapes and ratios, not\nabsolute values. For qperf the reference reports one row "
	"per size with bandwidth,\nPPS and latency together, so both the _lat and the _bw "
	"tables show all three.\n";

/* Repeats that failed inside a point that still has a result. */
static void
md_failed_repeats(FILE *f, const struct run *r, const char *test, const char *scope,
		  const char *backend)
{
	bool any = false;
	size_t i, k;

	for (i = 0; i < r->n; i++) {
		const struct pt *p = &r->p[i];
		json_t *reps = json_object_get(p->j, "repeats"), *rep;
		size_t bad = 0;
		const char *first = NULL, *raw = NULL;
		char size[32], msg[RP_CELL];

		if (!pt_is(p, test, scope, backend) || p->status == NULL ||
		    strcmp(p->status, "ok") != 0)
			continue;
		json_array_foreach(reps, k, rep) {
			const char *st = json_string_value(json_object_get(rep, "status"));

			if (st == NULL || strcmp(st, "ok") == 0)
				continue;
			if (bad++ == 0) {
				first = json_string_value(json_object_get(rep, "error"));
				raw = json_string_value(json_object_get(rep, "raw"));
			}
		}
		if (bad == 0)
			continue;
		if (!any)
			fputc('\n', f);
		any = true;
		fmt_size(size, sizeof(size), p->size);
		rp_cell_text(msg, sizeof(msg), "", first != NULL ? first : "no error recorded");
		fprintf(f, "- %s: %zu of %zu repeats failed, the figures are of the others "
			   "(%s%s%s)\n",
			size, bad, json_array_size(reps), raw != NULL ? raw : "", raw ? ": " : "",
			msg);
	}
}

static void
md_backend_table(FILE *f, const struct run *r, const char *test, const char *scope,
		 const char *backend, const struct ref_table *ref)
{
	enum kind k = test_kind(test);
	char rtest[16];
	size_t i;

	ref_test(rtest, sizeof(rtest), test);
	fputs("\n### ", f);
	rp_md_name(f, backend);
	fprintf(f, "%s%s%s\n\n", r->n_scopes > 1 ? " (" : "",
		r->n_scopes > 1 ? rp_scope_words(scope) : "", r->n_scopes > 1 ? ")" : "");
	fputs("| msg size | bandwidth | PPS | latency |", f);
	if (ref != NULL)
		fputs(" ref bandwidth | ref PPS | ref latency |", f);
	fputs("\n|---:|---:|---:|---:|", f);
	if (ref != NULL)
		fputs("---:|---:|---:|", f);
	fputc('\n', f);
	for (i = 0; i < r->n; i++) {
		const struct pt *p = &r->p[i];
		char size[32], bw[RP_CELL], pps[RP_CELL], lat[RP_CELL];

		if (!pt_is(p, test, scope, backend))
			continue;
		fmt_size(size, sizeof(size), p->size);
		if (p->status == NULL || strcmp(p->status, "ok") != 0) {
			const char *why = json_string_value(json_object_get(p->j, "reason"));
			char *cell = k == K_LAT ? lat : bw;

			snprintf(bw, sizeof(bw), "-");
			snprintf(pps, sizeof(pps), "-");
			snprintf(lat, sizeof(lat), "-");
			rp_cell_text(cell, RP_CELL, bad_prefix(p), why != NULL ? why : "no reason recorded");
		} else {
			struct val vb = k == K_BW ? main_val(p, k) : metric(p, "bw"),
				   vp = metric(p, "msg_rate"),
				   vl = k == K_LAT ? main_val(p, k) : metric(p, "latency_us");

			cell_bw(bw, sizeof(bw), &vb);
			cell_pps(pps, sizeof(pps), &vp);
			cell_lat(lat, sizeof(lat), &vl);
		}
		fprintf(f, "| %s | %s | %s | %s |", size, bw, pps, lat);
		if (ref != NULL) {
			const struct ref_point *rp = ref_find(ref, backend, scope, rtest, p->size);
			struct val rb = {.ok = rp != NULL && rp->bw_mbps >= 0, .n = 1},
				   rps = {.ok = rp != NULL && rp->pps >= 0, .n = 1},
				   rl = {.ok = rp != NULL && rp->lat_us >= 0, .n = 1};

			if (rp != NULL) {
				rb.med = rp->bw_mbps / 8;
				rps.med = rp->pps;
				rl.med = rp->lat_us;
			}
			cell_bw(bw, sizeof(bw), &rb);
			cell_pps(pps, sizeof(pps), &rps);
			cell_lat(lat, sizeof(lat), &rl);
			fprintf(f, " %s | %s | %s |", bw, pps, lat);
		}
		fputc('\n', f);
	}
	md_failed_repeats(f, r, test, scope, backend);
}

/* The backends with points of test in scope (and in also, unless NULL), in display order. */
static int
backends_in(const struct run *r, const char *test, const char *scope, const char *also,
	    const char **present)
{
	int i, n = 0;

	for (i = 0; i < r->n_backends; i++)
		if (run_has(r, test, scope, r->backends[i]) &&
		    (also == NULL || run_has(r, test, also, r->backends[i])))
			present[n++] = r->backends[i];
	return n;
}

/* base/other of the test's main metric per size, ours and the reference's. */
static void
md_ratio_table(FILE *f, const struct run *r, const char *test, const char *scope,
	       const struct ref_table *ref)
{
	const char *present[RP_MAX_NAMES], *base;
	enum kind k = test_kind(test);
	int n, i;
	double last = -1;
	char rtest[16];
	size_t j;

	if (k == K_OTHER)
		return;
	n = backends_in(r, test, scope, NULL, present);
	if (n < 2)
		return;
	base = present[0]; /* vhost-user whenever it ran: the backend under test */
	ref_test(rtest, sizeof(rtest), test);
	fputs("\n### ", f);
	rp_md_name(f, base);
	fprintf(f, " compared with the other backends%s%s%s\n\n| msg size |",
		r->n_scopes > 1 ? " (" : "", r->n_scopes > 1 ? rp_scope_words(scope) : "",
		r->n_scopes > 1 ? ")" : "");
	for (i = 1; i < (ref != NULL ? 2 * n - 1 : n); i++) {
		fputs(i < n ? " " : " ref ", f);
		rp_md_name(f, base);
		fputc('/', f);
		rp_md_name(f, present[i < n ? i : i - n + 1]);
		fputs(" |", f);
	}
	fputs("\n|---:|", f);
	for (i = 0; i < (n - 1) * (ref != NULL ? 2 : 1); i++)
		fputs("---:|", f);
	fputc('\n', f);
	for (j = 0; j < r->n; j++) {
		const struct pt *p = &r->p[j], *pb;
		char size[32], cell[RP_CELL];

		if (!pt_is(p, test, scope, NULL) || p->size == last)
			continue;
		last = p->size;
		pb = run_find(r, test, scope, base, p->size);
		fmt_size(size, sizeof(size), p->size);
		fprintf(f, "| %s |", size);
		for (i = 1; i < n; i++) {
			const struct pt *po = run_find(r, test, scope, present[i], p->size);
			struct val vr = pair_ratio(pb, po, main_metric(k));

			cell_ratio(cell, sizeof(cell), &vr);
			fprintf(f, " %s |", cell);
		}
		for (i = 1; ref != NULL && i < n; i++) {
			rp_cell_ratio(cell, sizeof(cell),
				   ref_main(ref_find(ref, base, scope, rtest, p->size), k),
				   ref_main(ref_find(ref, present[i], scope, rtest, p->size), k));
			fprintf(f, " %s |", cell);
		}
		fputc('\n', f);
	}
	if (k == K_LAT)
		fprintf(f, "\nRatios of latency, %s divided by the other backend: lower latency is "
			   "better, so\nbelow 1 means %s answers faster.",
			base, base);
	else
		fprintf(f, "\nRatios of bandwidth, %s divided by the other backend: higher "
			   "bandwidth is better, so\nabove 1 means %s moves more data.",
			base, base);
	fprintf(f, "\nOurs: median [min-max] of the per-repeat ratios (repeat k of %s over "
		   "repeat k of the\nother, run back to back)%s.\n",
		base, ref != NULL ? "; the reference's: of its single figures" : "");
}

/*
 * Per size, each backend's main metric on one host and across two, across/same, and the
 * reference's across/same: the reference measured every test in both scopes.
 */
static void
md_scopes_table(FILE *f, const struct run *r, const char *test, const struct ref_table *ref)
{
	static const char *const head[] = {" same host", " across hosts", " across/same"};
	const char *present[RP_MAX_NAMES];
	enum kind k = test_kind(test);
	int n, i, c;
	double last = -1;
	char rtest[16];
	size_t j;

	n = backends_in(r, test, "same_host", "across_hosts", present);
	if (k == K_OTHER || n == 0)
		return;
	ref_test(rtest, sizeof(rtest), test);
	fputs("\n### Same host vs across hosts\n\n| msg size |", f);
	for (i = 0; i < n; i++)
		for (c = 0; c < (ref != NULL ? 4 : 3); c++) {
			fputs(c < 3 ? " " : " ref ", f);
			rp_md_name(f, present[i]);
			fprintf(f, "%s |", head[c < 3 ? c : 2]);
		}
	fputs("\n|---:|", f);
	for (i = 0; i < n * (ref != NULL ? 4 : 3); i++)
		fputs("---:|", f);
	fputc('\n', f);
	for (j = 0; j < r->n; j++) {
		const struct pt *p = &r->p[j];
		char size[32], same[RP_CELL], across[RP_CELL], ratio[RP_CELL];

		if (strcmp(p->test, test) != 0 || p->size == last)
			continue;
		last = p->size;
		fmt_size(size, sizeof(size), p->size);
		fprintf(f, "| %s |", size);
		for (i = 0; i < n; i++) {
			const char *b = present[i];
			const struct pt *ps = run_find(r, test, "same_host", b, p->size);
			const struct pt *pa = run_find(r, test, "across_hosts", b, p->size);
			struct val vr = pair_ratio(pa, ps, main_metric(k));
			double rs = ref_main(ref_find(ref, b, "same_host", rtest, p->size), k);
			double ra = ref_main(ref_find(ref, b, "across_hosts", rtest, p->size), k);

			cell_main(same, sizeof(same), ps, k);
			cell_main(across, sizeof(across), pa, k);
			cell_ratio(ratio, sizeof(ratio), &vr);
			fprintf(f, " %s | %s | %s |", same, across, ratio);
			rp_cell_ratio(ratio, sizeof(ratio), ra, rs);
			if (ref != NULL)
				fprintf(f, " %s |", ratio);
		}
		fputc('\n', f);
	}
	fprintf(f, "\nacross/same: the %s across hosts divided by the %s on one host "
		   "(median [min-max] of\nrepeat k over repeat k); %s 1 means crossing the wire "
		   "%s.%s\n",
		k == K_LAT ? "latency" : "bandwidth", k == K_LAT ? "latency" : "bandwidth",
		k == K_LAT ? "above" : "below", k == K_LAT ? "adds latency" : "costs bandwidth",
		json_is_object(json_object_get(r->results, "baseline"))
			? " Read it against the baseline above."
			: "");
}

/* The PNG's name as plot.c makes it. */
static void
png_name(char *b, size_t len, const char *test)
{
	size_t i;

	for (i = 0; test[i] != '\0' && i + 5 < len; i++)
		b[i] = strchr("-_", test[i]) != NULL || (test[i] >= 'a' && test[i] <= 'z') ||
				       (test[i] >= 'A' && test[i] <= 'Z') ||
				       (test[i] >= '0' && test[i] <= '9')
			       ? test[i]
			       : '_';
	snprintf(b + i, len - i, ".png");
}

static void
md_test(FILE *f, const struct run *r, const char *test, const struct ref_table *ref,
	int plot_ret, const char *plot_err)
{
	char png[80];
	int s, b;

	fprintf(f, "\n## %s\n\n", test);
	png_name(png, sizeof(png), test);
	if (plot_ret == 0)
		fprintf(f, "![%s](%s)\n", test, png);
	else if (plot_ret != -ENOTSUP)
		fprintf(f, "_No plot: %s._\n", plot_err);
	for (s = 0; s < r->n_scopes; s++) {
		for (b = 0; b < r->n_backends; b++)
			if (run_has(r, test, r->scopes[s], r->backends[b]))
				md_backend_table(f, r, test, r->scopes[s], r->backends[b], ref);
		md_ratio_table(f, r, test, r->scopes[s], ref);
	}
	md_scopes_table(f, r, test, ref);
}

int
rp_write_sweep_report(const char *dir, json_t *results, const struct ref_table *ref, char *err,
		      size_t errlen)
{
	int plot_ret[RP_MAX_NAMES], first = -1, ret, t;
	char plot_err[RP_MAX_NAMES][256], *buf = NULL;
	size_t len = 0;
	struct run r;
	FILE *f;

	if (!is_sweep(results)) {
		snprintf(err, errlen, "not the results of a sweep (kind \"%s\")",
			 json_string_value(json_object_get(results, "kind")) ?: "?");
		return -EINVAL;
	}
	ret = run_load(&r, results, err, errlen);
	if (ret < 0)
		return ret;
	for (t = 0; t < r.n_tests; t++) {
		/* without gnuplot one error says it all */
		if (first >= 0 && plot_ret[first] == -ENOENT) {
			plot_ret[t] = -ENOENT;
			snprintf(plot_err[t], sizeof(plot_err[t]), "%s", plot_err[first]);
			continue;
		}
		plot_ret[t] = rp_plot_test(dir, results, r.tests[t], ref, plot_err[t],
					   sizeof(plot_err[t]));
		if (plot_ret[t] == -ENODATA)
			snprintf(plot_err[t], sizeof(plot_err[t]), "no successful point");
		else if (plot_ret[t] < 0 && plot_ret[t] != -ENOTSUP && first < 0)
			first = t;
	}
	f = open_memstream(&buf, &len);
	if (f == NULL) {
		snprintf(err, errlen, "report of %s: out of memory", dir);
		ret = -ENOMEM;
		goto out;
	}
	md_header(f, &r);
	rp_md_reference(f, ref, reference_note);
	rp_md_baseline(f, results, ref != NULL);
	for (t = 0; t < r.n_tests; t++)
		md_test(f, &r, r.tests[t], ref, plot_ret[t], plot_err[t]);
	ret = rp_md_close(dir, f, &buf, &len, first >= 0 ? plot_ret[first] : 0,
			  first >= 0 ? plot_err[first] : NULL, err, errlen);
out:
	free(r.p);
	return ret;
}

/* ---- rp_compare_sweep ---- */

/* Whether point pa (run A) and pb (run B) differ beyond both runs' spread; *diff_pct the
 * |B-A|/A of their medians in percent. */
static enum rp_spread_cmp
cmp_point(const struct pt *pa, const struct pt *pb, enum kind k, double *diff_pct)
{
	struct val va, vb;

	*diff_pct = -1;
	if (pa == NULL || pb == NULL || k == K_OTHER)
		return RP_SC_NONE;
	va = metric(pa, main_metric(k));
	vb = metric(pb, main_metric(k));
	return rp_spread_cmp((struct rp_fig){va.ok, va.med, va.min, va.max, va.n},
			     (struct rp_fig){vb.ok, vb.med, vb.min, vb.max, vb.n}, diff_pct);
}

static void
cmp_table(FILE *f, const struct run *a, const struct run *b, const char *test, const char *scope,
	  const char *backend)
{
	enum kind k = test_kind(test);
	bool head = false;
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct pt *pa = &a->p[i], *pb;
		char size[32], ca[RP_CELL], cb[RP_CELL], ratio[32];
		struct val va, vb;
		double d;

		if (!pt_is(pa, test, scope, backend))
			continue;
		pb = run_find(b, test, scope, backend, pa->size);
		if (pb == NULL)
			continue;
		if (!head) {
			bool scoped = a->n_scopes > 1 || b->n_scopes > 1;
			const char *what = k == K_LAT ? "latency" : "bandwidth";

			fputs("\n### ", f);
			rp_md_name(f, backend);
			fprintf(f, "%s%s%s\n\n| msg size | A %s | B %s | B/A | beyond spread |\n"
				   "|---:|---:|---:|---:|:---:|\n",
				scoped ? " (" : "", scoped ? rp_scope_words(scope) : "",
				scoped ? ")" : "", what, what);
			head = true;
		}
		fmt_size(size, sizeof(size), pa->size);
		cell_main(ca, sizeof(ca), pa, k);
		cell_main(cb, sizeof(cb), pb, k);
		va = metric(pa, main_metric(k));
		vb = metric(pb, main_metric(k));
		rp_cell_ratio(ratio, sizeof(ratio), vb.ok ? vb.med : -1, va.ok ? va.med : -1);
		fprintf(f, "| %s | %s | %s | %s | %s |\n", size, ca, cb, ratio,
			rp_spread_cmp_word(cmp_point(pa, pb, k, &d)));
	}
}

static size_t
count_unmatched(const struct run *x, const struct run *y)
{
	size_t i, n = 0;

	for (i = 0; i < x->n; i++)
		if (run_find(y, x->p[i].test, x->p[i].scope, x->p[i].backend, x->p[i].size) == NULL)
			n++;
	return n;
}

/* The summary over every point of A with a result in both runs. */
static int
cmp_summary(const struct run *a, const struct run *b, struct rp_cmp_summary *s)
{
	double *d = calloc(a->n + 1, sizeof(*d)), diff;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->median_diff_pct = -1;
	if (d == NULL)
		return -ENOMEM;
	for (i = 0; i < a->n; i++) {
		const struct pt *pa = &a->p[i];
		enum rp_spread_cmp c = cmp_point(pa, run_find(b, pa->test, pa->scope, pa->backend,
							      pa->size),
						 test_kind(pa->test), &diff);

		rp_cmp_summary_add(s, c, diff, d);
	}
	rp_cmp_summary_end(s, d);
	free(d);
	return 0;
}

void
rp_cmp_summary_line(char *b, size_t len, const struct rp_cmp_summary *s)
{
	char ns[64] = "";

	if (s->compared == 0) {
		snprintf(b, len, "compared 0 points: no point has a result in both runs");
		return;
	}
	if (s->no_spread > 0)
		snprintf(ns, sizeof(ns), ", %d with no spread (one repeat)", s->no_spread);
	snprintf(b, len,
		 "compared %d point%s: %d (%.1f%%) differ beyond both runs' spread%s; median "
		 "|difference| %.1f%%",
		 s->compared, s->compared == 1 ? "" : "s", s->beyond,
		 100.0 * s->beyond / s->compared, ns, s->median_diff_pct);
}

/* Both runs loaded (rb.p NULL when not); -errno with err set. */
static int
load_both(struct run *ra, struct run *rb, json_t *a, json_t *b, char *err, size_t errlen)
{
	int ret;

	rb->p = NULL;
	ret = run_load(ra, a, err, errlen);
	if (ret < 0)
		return ret;
	ret = run_load(rb, b, err, errlen);
	if (ret < 0) {
		free(ra->p);
		ra->p = NULL;
	}
	return ret;
}

int
rp_compare_sweep_summary(json_t *a, json_t *b, struct rp_cmp_summary *s, char *err,
			 size_t errlen)
{
	struct run ra, rb;
	int ret;

	ret = load_both(&ra, &rb, a, b, err, errlen);
	if (ret < 0)
		return ret;
	ret = cmp_summary(&ra, &rb, s);
	if (ret < 0)
		snprintf(err, errlen, "comparison: out of memory");
	free(ra.p);
	free(rb.p);
	return ret;
}

int
rp_compare_sweep(const char *out_path, json_t *a, json_t *b, char *err, size_t errlen)
{
	struct rp_cmp_summary sum;
	struct run ra, rb;
	char *buf = NULL, line[256];
	size_t len = 0;
	FILE *f;
	int t, s, k, ret;

	ret = load_both(&ra, &rb, a, b, err, errlen);
	if (ret < 0)
		return ret;
	ret = cmp_summary(&ra, &rb, &sum);
	f = ret == 0 ? open_memstream(&buf, &len) : NULL;
	if (f == NULL) {
		snprintf(err, errlen, "comparison: out of memory");
		ret = -ENOMEM;
		goto out;
	}
	rp_cmp_summary_line(line, sizeof(line), &sum);
	fprintf(f, "# Comparison of two runs\n\n%s\n\n", line);
	rp_md_run_line(f, "A", a);
	rp_md_run_line(f, "B", b);
	rp_md_setup_diff(f, a, b);
	fprintf(f, "- points in both: %zu; only in A: %zu; only in B: %zu\n",
		ra.n - count_unmatched(&ra, &rb), count_unmatched(&ra, &rb),
		count_unmatched(&rb, &ra));
	fputs("\nB/A is the ratio of the medians of each point's main metric (latency for *_lat,\n"
	      "bandwidth for *_bw). \"beyond spread\": yes when the [min-max] ranges of A's and "
	      "B's\nrepeats do not overlap, so the difference stands beyond both runs' noise; "
	      "no when they\noverlap; \"no spread\": one side ran once, there is no range to "
	      "judge by (such points\nare left out of the count beyond spread, not out of the "
	      "median |difference|, |B-A|/A).\n",
	      f);
	for (t = 0; t < ra.n_tests; t++) {
		const char *test = ra.tests[t];
		enum kind kd = test_kind(test);
		bool any = false;

		for (s = 0; s < ra.n_scopes; s++)
			for (k = 0; k < ra.n_backends; k++)
				any = any || (run_has(&ra, test, ra.scopes[s], ra.backends[k]) &&
					      run_has(&rb, test, ra.scopes[s], ra.backends[k]));
		if (!any || kd == K_OTHER)
			continue;
		fprintf(f, "\n## %s\n\n%s\n", test,
			kd == K_LAT ? "Lower latency is better: B/A below 1 means B is faster."
				    : "Higher bandwidth is better: B/A above 1 means B moves more "
				      "data.");
		for (s = 0; s < ra.n_scopes; s++)
			for (k = 0; k < ra.n_backends; k++)
				cmp_table(f, &ra, &rb, test, ra.scopes[s], ra.backends[k]);
	}
	ret = rp_md_save(out_path, f, &buf, &len, err, errlen);
out:
	free(ra.p);
	free(rb.p);
	return ret;
}
