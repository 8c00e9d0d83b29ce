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

#define RP_CELL 160

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
	int n; /* successful repeats */
};

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
	return v;
}

static const char *
main_metric(enum kind k)
{
	return k == K_LAT ? "latency_us" : "bw";
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

/* A point's main metric, "failed: why", or "-" where there is no such point. */
static void
cell_main(char *b, size_t len, const struct pt *p, enum kind k)
{
	struct val v = metric(p, main_metric(k));

	if (p == NULL) {
		snprintf(b, len, "-");
	} else if (p->status == NULL || strcmp(p->status, "ok") != 0) {
		const char *why = json_string_value(json_object_get(p->j, "reason"));

		rp_cell_text(b, len, "failed: ", why != NULL ? why : "no reason recorded");
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
		fprintf(f, "- qperf: %g s per point, %g repeat(s) per point",
			rp_num(params, "time_s"), rp_num(params, "repeat"));
		if (rp_num(params, "min_size") > 0 && rp_num(params, "max_size") > 0)
			fprintf(f, ", sizes %s to %s (doubling)", a, b);
		fputc('\n', f);
	}
	rp_md_oversubscribed(f, res);
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
			rp_cell_text(cell, RP_CELL, "failed: ",
				  why != NULL ? why : "no reason recorded");
		} else {
			struct val vb = metric(p, "bw"), vp = metric(p, "msg_rate"),
				   vl = metric(p, "latency_us");

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
		const struct pt *p = &r->p[j];
		char size[32], cell[32];
		struct val vb;

		if (!pt_is(p, test, scope, NULL) || p->size == last)
			continue;
		last = p->size;
		vb = metric(run_find(r, test, scope, base, p->size), main_metric(k));
		fmt_size(size, sizeof(size), p->size);
		fprintf(f, "| %s |", size);
		for (i = 1; i < n; i++) {
			struct val vo = metric(run_find(r, test, scope, present[i], p->size),
					       main_metric(k));

			rp_cell_ratio(cell, sizeof(cell), vb.ok ? vb.med : -1, vo.ok ? vo.med : -1);
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
			   "better, so\nbelow 1 means %s answers faster.\n",
			base, base);
	else
		fprintf(f, "\nRatios of bandwidth, %s divided by the other backend: higher "
			   "bandwidth is better, so\nabove 1 means %s moves more data.\n",
			base, base);
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
		char size[32], same[RP_CELL], across[RP_CELL], ratio[32];

		if (strcmp(p->test, test) != 0 || p->size == last)
			continue;
		last = p->size;
		fmt_size(size, sizeof(size), p->size);
		fprintf(f, "| %s |", size);
		for (i = 0; i < n; i++) {
			const char *b = present[i];
			const struct pt *ps = run_find(r, test, "same_host", b, p->size);
			const struct pt *pa = run_find(r, test, "across_hosts", b, p->size);
			struct val vs = metric(ps, main_metric(k)), va = metric(pa, main_metric(k));
			double rs = ref_main(ref_find(ref, b, "same_host", rtest, p->size), k);
			double ra = ref_main(ref_find(ref, b, "across_hosts", rtest, p->size), k);

			cell_main(same, sizeof(same), ps, k);
			cell_main(across, sizeof(across), pa, k);
			rp_cell_ratio(ratio, sizeof(ratio), va.ok ? va.med : -1,
				      vs.ok ? vs.med : -1);
			fprintf(f, " %s | %s | %s |", same, across, ratio);
			rp_cell_ratio(ratio, sizeof(ratio), ra, rs);
			if (ref != NULL)
				fprintf(f, " %s |", ratio);
		}
		fputc('\n', f);
	}
	fprintf(f, "\nacross/same: the %s across hosts divided by the %s on one host; %s 1\n"
		   "means crossing the wire %s.%s\n",
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
		const char *beyond = "-";
		struct val va, vb;

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
		if (va.ok && vb.ok) {
			double d = vb.med > va.med ? vb.med - va.med : va.med - vb.med;
			double sa = va.n > 1 ? va.max - va.min : 0;
			double sb = vb.n > 1 ? vb.max - vb.min : 0;

			/* one repeat on both sides says nothing about the noise */
			if (va.n <= 1 && vb.n <= 1)
				beyond = "no repeats";
			else
				beyond = d > (sa > sb ? sa : sb) ? "yes" : "no";
		}
		fprintf(f, "| %s | %s | %s | %s | %s |\n", size, ca, cb, ratio, beyond);
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

int
rp_compare_sweep(const char *out_path, json_t *a, json_t *b, char *err, size_t errlen)
{
	struct run ra, rb;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int t, s, k, ret;

	ret = run_load(&ra, a, err, errlen);
	if (ret < 0)
		return ret;
	ret = run_load(&rb, b, err, errlen);
	if (ret < 0) {
		free(ra.p);
		return ret;
	}
	f = open_memstream(&buf, &len);
	if (f == NULL) {
		snprintf(err, errlen, "comparison: out of memory");
		ret = -ENOMEM;
		goto out;
	}
	fputs("# Comparison of two runs\n\n", f);
	rp_md_run_line(f, "A", a);
	rp_md_run_line(f, "B", b);
	fprintf(f, "- points in both: %zu; only in A: %zu; only in B: %zu\n",
		ra.n - count_unmatched(&ra, &rb), count_unmatched(&ra, &rb),
		count_unmatched(&rb, &ra));
	fputs("\nB/A is the ratio of the medians of each point's main metric (latency for *_lat,\n"
	      "bandwidth for *_bw). \"beyond spread\": the difference is larger than the widest\n"
	      "min-max range of either point's repeats, so it is unlikely to be noise; \"no "
	      "repeats\":\nboth points ran once, there is no spread to judge by.\n",
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
