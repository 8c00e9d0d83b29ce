/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The report of a `testbed simulate` run: N guests per backend, iperf between guest pairs
 * (all clients at once) and mtr from every guest to its peer, as the reference's simulation.
 */
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
#include "runcmd.h"

#define SIM_CELL 160
#define SIM_NAME_LEN 160 /* <png>-ref-<backend>-<scope>.dat */
#define SIM_ERR_LEN (PATH_MAX + 512)

struct spt {
	json_t *j;
	const char *backend, *scope, *status;
	double vms;
	size_t idx;
};

struct sim {
	json_t *results;
	struct spt *p; /* sorted by number of VMs */
	size_t n;
	const char *backends[RP_MAX_NAMES], *scopes[RP_MAX_NAMES];
	int n_backends, n_scopes;
};

/* The figures plotted, each compared with one field of the reference. */
enum fig { F_LINK, F_VM, F_LAT, F_N };

static const struct {
	const char *key;   /* in a point of results.json */
	const char *png;   /* <png>.png, plots/<png>.gp */
	const char *what;  /* report.md's words */
	const char *title; /* the plot's */
	const char *ylabel;
} figs[F_N] = {
	{"link_bw_mbps", "sim_link_bw", "link bandwidth",
	 "Link bandwidth (iperf, sum over the guest pairs)", "link bandwidth (Mb/s)"},
	{"vm_bw_mbps", "sim_vm_bw", "VM bandwidth", "VM bandwidth (iperf, average per guest pair)",
	 "bandwidth per VM pair (Mb/s)"},
	{"lat_us", "sim_latency", "latency", "Latency (mtr average to the peer)", "latency (us)"},
};

/* ---- points ---- */

static bool
pt_ok(const struct spt *p)
{
	return p != NULL && p->status != NULL && strcmp(p->status, "ok") == 0;
}

/* A figure of a successful point; -1 when the point failed or did not measure it. */
static double
pt_fig(const struct spt *p, const char *key)
{
	return pt_ok(p) ? rp_num(p->j, key) : -1;
}

static double
ref_fig(const struct ref_point *r, enum fig k)
{
	double v;

	if (r == NULL)
		return -1;
	v = k == F_LINK ? r->link_bw_mbps : k == F_VM ? r->bw_mbps : r->lat_us;
	return v > 0 ? v : -1;
}

static const struct ref_point *
ref_of(const struct ref_table *ref, const char *backend, const char *scope, double vms)
{
	return ref != NULL ? ref_find(ref, backend, scope, "simulate", vms) : NULL;
}

static int
spt_cmp(const void *a, const void *b)
{
	const struct spt *x = a, *y = b;

	if (x->vms != y->vms)
		return x->vms < y->vms ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static const char *
run_name(json_t *results)
{
	const char *id = json_string_value(json_object_get(results, "run_id"));

	return id != NULL ? id : "(no run id)";
}

/* Points sorted by number of VMs; the backends present in display order. */
static int
sim_load(struct sim *s, json_t *results, char *err, size_t errlen)
{
	json_t *pts = json_object_get(results, "points"), *p;
	const char *kind = json_string_value(json_object_get(results, "kind"));
	const char *seen[RP_MAX_NAMES];
	int n_seen = 0, i, ret = 0;
	size_t k;

	memset(s, 0, sizeof(*s));
	s->results = results;
	if (kind != NULL && strcmp(kind, "simulate") != 0) {
		snprintf(err, errlen, "run %s is a %s, not a simulation", run_name(results), kind);
		return -EINVAL;
	}
	if (!json_is_array(pts)) {
		snprintf(err, errlen, "results have no \"points\" array (not a results.json?)");
		return -EINVAL;
	}
	s->p = calloc(json_array_size(pts) + 1, sizeof(*s->p));
	if (s->p == NULL) {
		snprintf(err, errlen, "report of run %s: out of memory", run_name(results));
		return -ENOMEM;
	}
	json_array_foreach(pts, k, p) {
		struct spt *q = &s->p[s->n];

		q->j = p;
		q->idx = k;
		q->backend = json_string_value(json_object_get(p, "backend"));
		q->scope = json_string_value(json_object_get(p, "scope"));
		if (q->scope == NULL)
			q->scope = "same_host";
		q->status = json_string_value(json_object_get(p, "status"));
		q->vms = rp_num(p, "vms");
		if (q->backend == NULL || q->vms <= 0)
			continue; /* not a simulation point: nothing to show */
		ret |= rp_name_add(seen, &n_seen, q->backend);
		ret |= rp_name_add(s->scopes, &s->n_scopes, q->scope);
		s->n++;
	}
	/* backend.h's order (the reference's first); others as the results list them */
	for (k = 0; k < TB_BE_COUNT; k++)
		for (i = 0; i < n_seen; i++)
			if (strcmp(seen[i], tb_backend_name(k)) == 0)
				ret |= rp_name_add(s->backends, &s->n_backends, seen[i]);
	for (i = 0; i < n_seen; i++)
		ret |= rp_name_add(s->backends, &s->n_backends, seen[i]);
	if (ret < 0) {
		snprintf(err, errlen, "results name more than %d backends or scopes", RP_MAX_NAMES);
		free(s->p);
		s->p = NULL;
		return -E2BIG;
	}
	/* "same_host" first, as the reference's tables */
	for (i = 1; i < s->n_scopes; i++)
		if (strcmp(s->scopes[i], "same_host") == 0) {
			s->scopes[i] = s->scopes[0];
			s->scopes[0] = "same_host";
		}
	qsort(s->p, s->n, sizeof(*s->p), spt_cmp);
	return 0;
}

static bool
pt_is(const struct spt *p, const char *scope, const char *backend)
{
	return strcmp(p->scope, scope) == 0 &&
	       (backend == NULL || strcmp(p->backend, backend) == 0);
}

/* The point of backend at vms; a successful one where the step ran twice. */
static const struct spt *
sim_find(const struct sim *s, const char *scope, const char *backend, double vms)
{
	const struct spt *any = NULL;
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (s->p[i].vms != vms || !pt_is(&s->p[i], scope, backend))
			continue;
		if (pt_ok(&s->p[i]))
			return &s->p[i];
		if (any == NULL)
			any = &s->p[i];
	}
	return any;
}

static bool
sim_has(const struct sim *s, const char *scope, const char *backend)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (pt_is(&s->p[i], scope, backend))
			return true;
	return false;
}

/* ---- cells ---- */

static void
cell_failed(char *b, size_t len, const struct spt *p)
{
	const char *why = json_string_value(json_object_get(p->j, "reason"));

	rp_cell_text(b, len, "failed: ", why != NULL ? why : "no reason recorded");
}

/* A figure of a point; a failed one's reason in its link bandwidth; "-" without a point. */
static void
cell_fig(char *b, size_t len, const struct spt *p, enum fig k)
{
	if (p != NULL && !pt_ok(p) && k == F_LINK)
		cell_failed(b, len, p);
	else if (k == F_LAT)
		rp_cell_unit(b, len, pt_fig(p, figs[k].key), " us");
	else
		rp_cell_mbps(b, len, pt_fig(p, figs[k].key));
}

static void
md_scope(FILE *f, const struct sim *s, const char *scope)
{
	if (s->n_scopes > 1)
		fprintf(f, " (%s)", rp_scope_words(scope));
}

/* ---- report.md ---- */

static void
md_header(FILE *f, const struct sim *s)
{
	json_t *res = s->results, *params = json_object_get(res, "params"), *v;
	size_t i;
	int b;

	fprintf(f, "# Testbed report: %s\n\n", run_name(res));
	fputs("- simulation: N guests per backend; iperf between guest pairs, all clients at "
	      "once,\n  and mtr from every guest to its peer at the same time\n",
	      f);
	fputs("- backends:", f);
	for (b = 0; b < s->n_backends; b++)
		fprintf(f, "%s %s", b ? "," : "", s->backends[b]);
	fputc('\n', f);
	rp_md_time(f, res);
	if (json_is_object(params)) {
		fputs("- steps:", f);
		json_array_foreach(json_object_get(params, "steps"), i, v)
			fprintf(f, "%s %g", i ? "," : "", json_number_value(v));
		fputs(" VMs", f);
		if (rp_num(params, "duration_s") > 0)
			fprintf(f, "; iperf %g s per step", rp_num(params, "duration_s"));
		if (rp_num(params, "mtr_cycles") > 0)
			fprintf(f, "; mtr %g report cycles", rp_num(params, "mtr_cycles"));
		fputc('\n', f);
	}
	rp_md_oversubscribed(f, res);
	rp_md_host(f, res);
}

/* What the reference figures beside ours are, under "## Reference". */
static const char reference_note[] =
	"The `ref` columns are the published figures of the simulation in the Virtink "
	"\"Vhost-user\nNetwork Test\" (data/reference/virtink-vhost-user-test.csv, scope of "
	"each point, same host\nby default): 2 to 14 VMs, `iperf -s/-c` between pairs of "
	"VMs and `mtr --no-dns --report\n--report-cycles 30` to the peer; 2 x (2 NUMA nodes "
	"x 20 cores), OVS-DPDK with 1 dedicated\nPMD core, one dedicated core per VM. "
	"Different hardware: compare shapes and ratios, not\nabsolute values. The "
	"reference's VM bandwidth is per VM pair (its link bandwidth divided\nby the number "
	"of pairs), as ours.\n";

/* Pairs that failed inside a point that still has figures. */
static void
md_failed_pairs(FILE *f, const struct sim *s, const char *scope, const char *backend)
{
	bool any = false;
	size_t i, k;

	for (i = 0; i < s->n; i++) {
		const struct spt *p = &s->p[i];
		json_t *pairs = json_object_get(p->j, "pairs"), *pr;
		size_t bad = 0;

		if (!pt_is(p, scope, backend) || !pt_ok(p))
			continue;
		json_array_foreach(pairs, k, pr) {
			const char *st = json_string_value(json_object_get(pr, "status"));

			bad += st != NULL && strcmp(st, "ok") != 0;
		}
		if (bad == 0)
			continue;
		if (!any)
			fputc('\n', f);
		any = true;
		fprintf(f, "- %g VMs: %zu of %zu pairs failed: ", p->vms, bad,
			json_array_size(pairs));
		bad = 0;
		json_array_foreach(pairs, k, pr) {
			const char *st = json_string_value(json_object_get(pr, "status"));
			const char *cl = json_string_value(json_object_get(pr, "client"));
			const char *sv = json_string_value(json_object_get(pr, "server"));
			const char *e = json_string_value(json_object_get(pr, "error"));
			const char *raw = json_string_value(json_object_get(pr, "iperf_raw"));
			char a[64], c[64], msg[SIM_CELL];

			if (st == NULL || strcmp(st, "ok") == 0)
				continue;
			rp_cell_text(a, sizeof(a), "", cl != NULL ? cl : "?");
			rp_cell_text(c, sizeof(c), "", sv != NULL ? sv : "?");
			rp_cell_text(msg, sizeof(msg), "", e != NULL ? e : "no error recorded");
			fprintf(f, "%s%s -> %s: %s%s%s%s", bad++ ? "; " : "", a, c, msg,
				raw != NULL ? " (" : "", raw != NULL ? raw : "",
				raw != NULL ? ")" : "");
		}
		fputc('\n', f);
	}
}

static void
md_backend_table(FILE *f, const struct sim *s, const char *scope, const char *backend,
		 const struct ref_table *ref)
{
	size_t i;

	fputs("\n### ", f);
	rp_md_name(f, backend);
	md_scope(f, s, scope);
	fputs("\n\n| VMs | link bandwidth | VM bandwidth | latency | loss | switch CPU | host CPU "
	      "|",
	      f);
	if (ref != NULL)
		fputs(" ref link bandwidth | ref VM bandwidth | ref latency |", f);
	fputs("\n|---:|---:|---:|---:|---:|---:|---:|", f);
	if (ref != NULL)
		fputs("---:|---:|---:|", f);
	fputc('\n', f);
	for (i = 0; i < s->n; i++) {
		const struct spt *p = &s->p[i];
		char c[7][SIM_CELL];
		int k;

		if (!pt_is(p, scope, backend))
			continue;
		if (pt_ok(p)) {
			rp_cell_mbps(c[0], SIM_CELL, pt_fig(p, "link_bw_mbps"));
			rp_cell_mbps(c[1], SIM_CELL, pt_fig(p, "vm_bw_mbps"));
			rp_cell_unit(c[2], SIM_CELL, pt_fig(p, "lat_us"), " us");
			rp_cell_unit(c[3], SIM_CELL, pt_fig(p, "loss_pct"), "%");
			rp_cell_unit(c[4], SIM_CELL, pt_fig(p, "switch_cpu_pct"), "%");
			rp_cell_unit(c[5], SIM_CELL, pt_fig(p, "host_cpu_pct"), "%");
		} else {
			cell_failed(c[0], SIM_CELL, p);
			for (k = 1; k < 6; k++)
				snprintf(c[k], SIM_CELL, "-");
		}
		fprintf(f, "| %g |", p->vms);
		for (k = 0; k < 6; k++)
			fprintf(f, " %s |", c[k]);
		if (ref != NULL) {
			const struct ref_point *r = ref_of(ref, backend, scope, p->vms);

			rp_cell_mbps(c[0], SIM_CELL, ref_fig(r, F_LINK));
			rp_cell_mbps(c[1], SIM_CELL, ref_fig(r, F_VM));
			rp_cell_unit(c[2], SIM_CELL, ref_fig(r, F_LAT), " us");
			fprintf(f, " %s | %s | %s |", c[0], c[1], c[2]);
		}
		fputc('\n', f);
	}
	md_failed_pairs(f, s, scope, backend);
}

/* The first backend (vhost-user whenever it ran) over each other one, per number of VMs. */
static void
md_ratio_table(FILE *f, const struct sim *s, const char *scope, const struct ref_table *ref)
{
	const char *present[RP_MAX_NAMES], *base;
	int n = 0, i;
	double last = -1;
	size_t j;

	for (i = 0; i < s->n_backends; i++)
		if (sim_has(s, scope, s->backends[i]))
			present[n++] = s->backends[i];
	if (n < 2)
		return;
	base = present[0];
	fputs("\n### ", f);
	rp_md_name(f, base);
	fputs(" compared with the other backends", f);
	md_scope(f, s, scope);
	fputs("\n\n| VMs |", f);
	for (i = 1; i < n; i++) {
		static const char *const what[] = {"link bandwidth", "latency"};
		int w, r;

		for (w = 0; w < 2; w++)
			for (r = 0; r < (ref != NULL ? 2 : 1); r++) {
				fprintf(f, " %s%s ", r ? "ref " : "", what[w]);
				rp_md_name(f, base);
				fputc('/', f);
				rp_md_name(f, present[i]);
				fputs(" |", f);
			}
	}
	fputs("\n|---:|", f);
	for (i = 0; i < (n - 1) * (ref != NULL ? 4 : 2); i++)
		fputs("---:|", f);
	fputc('\n', f);
	for (j = 0; j < s->n; j++) {
		const struct spt *p = &s->p[j], *pb;
		const struct ref_point *rb;
		char cell[32];

		if (!pt_is(p, scope, NULL) || p->vms == last)
			continue;
		last = p->vms;
		pb = sim_find(s, scope, base, p->vms);
		rb = ref_of(ref, base, scope, p->vms);
		fprintf(f, "| %g |", p->vms);
		for (i = 1; i < n; i++) {
			const struct spt *po = sim_find(s, scope, present[i], p->vms);
			const struct ref_point *ro = ref_of(ref, present[i], scope, p->vms);

			rp_cell_ratio(cell, sizeof(cell), pt_fig(pb, "link_bw_mbps"),
				      pt_fig(po, "link_bw_mbps"));
			fprintf(f, " %s |", cell);
			if (ref != NULL) {
				rp_cell_ratio(cell, sizeof(cell), ref_fig(rb, F_LINK),
					      ref_fig(ro, F_LINK));
				fprintf(f, " %s |", cell);
			}
			rp_cell_ratio(cell, sizeof(cell), pt_fig(pb, "lat_us"),
				      pt_fig(po, "lat_us"));
			fprintf(f, " %s |", cell);
			if (ref != NULL) {
				rp_cell_ratio(cell, sizeof(cell), ref_fig(rb, F_LAT),
					      ref_fig(ro, F_LAT));
				fprintf(f, " %s |", cell);
			}
		}
		fputc('\n', f);
	}
	fprintf(f,
		"\nRatios of %s to the other backend at the same number of VMs. Link "
		"bandwidth: higher\nis better, so above 1 means %s moves more data in "
		"total. Latency: lower is better,\nso below 1 means %s answers faster.\n",
		base, base, base);
}

/*
 * Per number of VMs, backend's link bandwidth and latency on one host and across two,
 * across/same, and the reference's across/same: it simulated in both scopes.
 */
static void
md_scopes_table(FILE *f, const struct sim *s, const char *backend, const struct ref_table *ref)
{
	static const enum fig shown[] = {F_LINK, F_LAT};
	double last = -1;
	size_t i;
	int k;

	if (!sim_has(s, "same_host", backend) || !sim_has(s, "across_hosts", backend))
		return;
	fputs("\n### ", f);
	rp_md_name(f, backend);
	fputs(": same host vs across hosts\n\n| VMs |", f);
	for (k = 0; k < 2; k++) {
		const char *w = figs[shown[k]].what;

		fprintf(f, " %s same host | %s across hosts | %s across/same |", w, w, w);
		if (ref != NULL)
			fprintf(f, " ref %s across/same |", w);
	}
	fputs("\n|---:|", f);
	for (k = 0; k < (ref != NULL ? 8 : 6); k++)
		fputs("---:|", f);
	fputc('\n', f);
	for (i = 0; i < s->n; i++) {
		const struct spt *p = &s->p[i], *ps, *pa;
		char same[SIM_CELL], across[SIM_CELL], ratio[32];

		if (strcmp(p->backend, backend) != 0 || p->vms == last)
			continue;
		last = p->vms;
		ps = sim_find(s, "same_host", backend, p->vms);
		pa = sim_find(s, "across_hosts", backend, p->vms);
		fprintf(f, "| %g |", p->vms);
		for (k = 0; k < 2; k++) {
			enum fig g = shown[k];

			cell_fig(same, sizeof(same), ps, g);
			cell_fig(across, sizeof(across), pa, g);
			rp_cell_ratio(ratio, sizeof(ratio), pt_fig(pa, figs[g].key),
				      pt_fig(ps, figs[g].key));
			fprintf(f, " %s | %s | %s |", same, across, ratio);
			rp_cell_ratio(ratio, sizeof(ratio),
				      ref_fig(ref_of(ref, backend, "across_hosts", p->vms), g),
				      ref_fig(ref_of(ref, backend, "same_host", p->vms), g));
			if (ref != NULL)
				fprintf(f, " %s |", ratio);
		}
		fputc('\n', f);
	}
}

static void
md_plots(FILE *f, const int *ret, char err[][SIM_ERR_LEN])
{
	int k;

	fputc('\n', f);
	if (ret[0] == -ENOENT) {
		/* without gnuplot one line says it all */
		fprintf(f, "_No plots: %s._\n", err[0]);
		return;
	}
	for (k = 0; k < F_N; k++) {
		if (ret[k] == 0)
			fprintf(f, "![%s](%s.png)\n\n", figs[k].what, figs[k].png);
		else
			fprintf(f, "_No plot of %s: %s._\n\n", figs[k].what, err[k]);
	}
}

static void
md_sim(FILE *f, const struct sim *s, const struct ref_table *ref, const int *plot_ret,
       char plot_err[][SIM_ERR_LEN])
{
	int sc, b;

	fputs("\n## Simulation\n", f);
	md_plots(f, plot_ret, plot_err);
	fputs("Link bandwidth is the sum of iperf's bandwidth over the guest pairs, VM bandwidth "
	      "its\naverage per pair; latency and loss are mtr's to the peer, averaged over the "
	      "guests.\nSwitch CPU: the switch's processes during the step (`-` where the kernel "
	      "switches:\nbridge, masquerade); host CPU: the whole host. Both in % of one CPU.\n",
	      f);
	for (sc = 0; sc < s->n_scopes; sc++) {
		for (b = 0; b < s->n_backends; b++)
			if (sim_has(s, s->scopes[sc], s->backends[b]))
				md_backend_table(f, s, s->scopes[sc], s->backends[b], ref);
		md_ratio_table(f, s, s->scopes[sc], ref);
	}
	if (!sim_has(s, "same_host", NULL) || !sim_has(s, "across_hosts", NULL))
		return;
	for (b = 0; b < s->n_backends; b++)
		md_scopes_table(f, s, s->backends[b], ref);
	fprintf(f, "\nacross/same: the figure across hosts divided by the one on one host. Link "
		   "bandwidth below\n1 means crossing the wire costs bandwidth; latency above 1 "
		   "means it adds latency.%s\n",
		json_is_object(json_object_get(s->results, "baseline"))
			? "\nRead them against the baseline above."
			: "");
}

/* ---- plots ---- */

struct sseries {
	const char *backend, *scope;
	int colour;
	size_t n, n_ref;
	double *x, *v, *rx, *rv; /* ours (ok points), the reference's over our range */
	char file[SIM_NAME_LEN], ref_file[SIM_NAME_LEN];
};

struct splot {
	enum fig k;
	struct sseries s[RP_MAX_SERIES];
	int n_series;
	double xmin, xmax, vmin, vmax;
	bool odd_x;
};

static void
splot_free(struct splot *c)
{
	int i;

	for (i = 0; i < c->n_series; i++) {
		free(c->s[i].x);
		free(c->s[i].v);
		free(c->s[i].rx);
		free(c->s[i].rv);
	}
}

static void
span(struct splot *c, double v)
{
	if (c->vmin < 0 || v < c->vmin)
		c->vmin = v;
	if (v > c->vmax)
		c->vmax = v;
}

/* Our successful points of the figure per backend and scope, then the reference's. */
static int
splot_collect(struct splot *c, const struct sim *s, const struct ref_table *ref)
{
	const char *seen[RP_MAX_SERIES];
	int n_seen = 0, sc, b;
	size_t i;

	c->xmin = c->xmax = c->vmin = c->vmax = -1;
	for (sc = 0; sc < s->n_scopes; sc++) {
		for (b = 0; b < s->n_backends && c->n_series < RP_MAX_SERIES; b++) {
			struct sseries *q = &c->s[c->n_series];

			*q = (struct sseries){
				.backend = s->backends[b],
				.scope = s->scopes[sc],
				.colour = rp_backend_colour(s->backends[b], seen, &n_seen),
			};
			q->x = calloc(s->n + 1, sizeof(double));
			q->v = calloc(s->n + 1, sizeof(double));
			c->n_series++;
			if (q->x == NULL || q->v == NULL)
				return -ENOMEM;
			for (i = 0; i < s->n; i++) {
				const struct spt *p = &s->p[i];
				double v = pt_fig(p, figs[c->k].key);

				/* a step that ran twice: the point the tables show */
				if (!pt_is(p, q->scope, q->backend) || v <= 0 ||
				    sim_find(s, q->scope, q->backend, p->vms) != p)
					continue;
				q->x[q->n] = p->vms;
				q->v[q->n++] = v;
				span(c, v);
				if (c->xmin < 0 || p->vms < c->xmin)
					c->xmin = p->vms;
				if (p->vms > c->xmax)
					c->xmax = p->vms;
				c->odd_x = c->odd_x || (long long)p->vms % 2 != 0;
			}
			if (q->n == 0) {
				free(q->x);
				free(q->v);
				c->n_series--;
			}
		}
	}
	for (sc = 0; ref != NULL && sc < c->n_series; sc++) {
		struct sseries *q = &c->s[sc];

		q->rx = calloc(ref->n + 1, sizeof(double));
		q->rv = calloc(ref->n + 1, sizeof(double));
		if (q->rx == NULL || q->rv == NULL)
			return -ENOMEM;
		/* over our range only, so a run of 2 to 6 VMs is not drawn against 14 */
		for (i = 0; i < ref->n; i++) {
			const struct ref_point *r = &ref->p[i];
			double v = ref_fig(r, c->k);

			if (strcmp(r->backend, q->backend) != 0 ||
			    strcmp(r->scope, q->scope) != 0 || strcmp(r->test, "simulate") != 0 ||
			    r->x < c->xmin || r->x > c->xmax || v <= 0)
				continue;
			q->rx[q->n_ref] = r->x;
			q->rv[q->n_ref++] = v;
			span(c, v);
		}
	}
	return 0;
}

static int
write_dat(const char *plots, const char *name, const char *comment, const double *x,
	  const double *v, size_t n)
{
	char path[PATH_MAX + 256], *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return -ENOMEM;
	fprintf(f, "# %s\n", comment);
	for (i = 0; i < n; i++)
		fprintf(f, "%g %.6g\n", x[i], v[i]);
	fclose(f);
	if (snprintf(path, sizeof(path), "%s/%s", plots, name) >= (int)sizeof(path)) {
		free(buf);
		return -ENAMETOOLONG;
	}
	return rp_write_text(path, buf, len);
}

static int
splot_write_data(const char *plots, struct splot *c, bool scoped, char *err, size_t errlen)
{
	char be[64], sc[64], comment[256];
	int i, ret;

	for (i = 0; i < c->n_series; i++) {
		struct sseries *q = &c->s[i];

		rp_file_part(be, sizeof(be), q->backend);
		rp_file_part(sc, sizeof(sc), q->scope);
		snprintf(q->file, sizeof(q->file), "%s-%s%s%s.dat", figs[c->k].png, be,
			 scoped ? "-" : "", scoped ? sc : "");
		snprintf(q->ref_file, sizeof(q->ref_file), "%s-ref-%s%s%s.dat", figs[c->k].png, be,
			 scoped ? "-" : "", scoped ? sc : "");
		snprintf(comment, sizeof(comment), "simulate, %s, %s: vms %s", q->backend, q->scope,
			 figs[c->k].key);
		ret = write_dat(plots, q->file, comment, q->x, q->v, q->n);
		if (ret == 0 && q->n_ref > 0) {
			snprintf(comment, sizeof(comment),
				 "Virtink reference, %s %s simulate: x %s", q->backend, q->scope,
				 c->k == F_LINK ? "link_bw_mbps"
				 : c->k == F_VM ? "bw_mbps"
						: "lat_us");
			ret = write_dat(plots, q->ref_file, comment, q->rx, q->rv, q->n_ref);
		}
		if (ret < 0) {
			snprintf(err, errlen, "%s/%s: %s", plots, q->file, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static char *
splot_script(const struct splot *c, const struct sim *s, bool scoped, size_t *len)
{
	const char *run_id = json_string_value(json_object_get(s->results, "run_id"));
	char *buf = NULL, title[256];
	FILE *f = open_memstream(&buf, len);
	double pad;
	int i, n;

	if (f == NULL)
		return NULL;
	rp_gp_head(f, figs[c->k].what, run_id, figs[c->k].png);
	snprintf(title, sizeof(title), "%s, run %s%s%s%s", figs[c->k].title, run_id ? run_id : "?",
		 scoped ? "" : " (", scoped ? "" : rp_scope_words(c->s[0].scope),
		 scoped ? "" : ")");
	fputs("set title ", f);
	rp_gp_str(f, title);
	fprintf(f, "\nset xlabel 'number of VMs'\nset ylabel '%s'\n", figs[c->k].ylabel);
	pad = c->odd_x ? 0.5 : 1;
	fprintf(f, "set xrange [%g:%g]\nset xtics %d\n", c->xmin - pad, c->xmax + pad,
		c->odd_x ? 1 : 2);
	/* ours on a small host can be ten times below the reference: log then, or it is flat */
	if (c->vmin > 0 && c->vmax / c->vmin > 10)
		fputs("set logscale y 10\nset format y '%.10g'\n", f);
	else
		fputs("set yrange [0:*]\nset format y '%.10g'\n", f);
	fputs("set grid xtics ytics mytics lc rgb '#dddddd'\n", f);
	for (i = 0, n = 0; i < c->n_series; i++)
		n += c->s[i].n_ref > 0 ? 2 : 1;
	if (scoped)
		rp_gp_key_scoped(f, n);
	else
		fputs("set key outside right top box opaque\n", f);
	fputs("plot \\\n", f);
	for (i = 0; i < c->n_series; i++) {
		const struct sseries *q = &c->s[i];

		fprintf(f, "%s  '%s' using 1:2 with linespoints ", i ? ", \\\n" : "", q->file);
		rp_gp_style(f, rp_colour(q->colour), q->scope, false);
		fputs(" ps 1 title ", f);
		rp_gp_title(f, q->backend, q->scope, scoped, false);
		if (q->n_ref == 0)
			continue;
		fprintf(f, ", \\\n  '%s' using 1:2 with linespoints ", q->ref_file);
		rp_gp_style(f, rp_colour(q->colour), q->scope, true);
		fputs(" ps 1 title ", f);
		rp_gp_title(f, q->backend, q->scope, scoped, true);
	}
	fputc('\n', f);
	fclose(f);
	return buf;
}

/* dir/<png>.png of one figure; -ENODATA when no point has it (no file). */
static int
sim_plot(const char *abs, const char *plots, const struct sim *s, const struct ref_table *ref,
	 enum fig k, char *err, size_t errlen)
{
	struct splot c = {.k = k};
	char script[PATH_MAX + 96], png[PATH_MAX + 96], tmp[PATH_MAX + 112], *text;
	size_t len;
	int ret;

	ret = splot_collect(&c, s, ref);
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", figs[k].png, strerror(-ret));
		goto out;
	}
	if (c.n_series == 0) {
		snprintf(err, errlen, "no successful point");
		ret = -ENODATA;
		goto out;
	}
	ret = tb_mkdir_p(plots, 0755);
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", plots, strerror(-ret));
		goto out;
	}
	ret = splot_write_data(plots, &c, s->n_scopes > 1, err, errlen);
	if (ret < 0)
		goto out;
	text = splot_script(&c, s, s->n_scopes > 1, &len);
	snprintf(script, sizeof(script), "%s/%s.gp", plots, figs[k].png);
	ret = rp_write_text(script, text, len);
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", script, strerror(-ret));
		goto out;
	}
	snprintf(png, sizeof(png), "%s/%s.png", abs, figs[k].png);
	snprintf(tmp, sizeof(tmp), "%s.tmp", png);
	ret = rp_run_gnuplot(script, tmp, png, err, errlen);
out:
	splot_free(&c);
	return ret;
}

/* Every plot's result in ret[] and err[]; the index of the first error, or -1. */
static int
sim_plots(const char *dir, const struct sim *s, const struct ref_table *ref, int *ret,
	  char err[][SIM_ERR_LEN])
{
	char abs[PATH_MAX], plots[PATH_MAX + 16];
	int k, first = -1;

	if (tb_tool_path("gnuplot") == NULL) {
		for (k = 0; k < F_N; k++) {
			ret[k] = -ENOENT;
			snprintf(err[k], SIM_ERR_LEN,
				 "gnuplot not found: apt-get install gnuplot-nox");
		}
		return 0;
	}
	/* gnuplot changes into plots/, so every path handed to it is absolute */
	if (realpath(dir, abs) == NULL) {
		int e = errno;

		for (k = 0; k < F_N; k++) {
			ret[k] = -e;
			snprintf(err[k], SIM_ERR_LEN, "%s: %s", dir, strerror(e));
		}
		return 0;
	}
	snprintf(plots, sizeof(plots), "%s/plots", abs);
	for (k = 0; k < F_N; k++) {
		ret[k] = sim_plot(abs, plots, s, ref, k, err[k], SIM_ERR_LEN);
		if (ret[k] < 0 && ret[k] != -ENODATA && first < 0)
			first = k;
	}
	return first;
}

int
rp_write_sim_report(const char *dir, json_t *results, const struct ref_table *ref, char *err,
		    size_t errlen)
{
	char plot_err[F_N][SIM_ERR_LEN], *buf = NULL;
	int plot_ret[F_N], first, ret;
	size_t len = 0;
	struct sim s;
	FILE *f;

	ret = sim_load(&s, results, err, errlen);
	if (ret < 0)
		return ret;
	first = sim_plots(dir, &s, ref, plot_ret, plot_err);
	f = open_memstream(&buf, &len);
	if (f == NULL) {
		snprintf(err, errlen, "report of %s: out of memory", dir);
		ret = -ENOMEM;
		goto out;
	}
	md_header(f, &s);
	rp_md_reference(f, ref, reference_note);
	rp_md_baseline(f, results, ref != NULL);
	md_sim(f, &s, ref, plot_ret, plot_err);
	ret = rp_md_close(dir, f, &buf, &len, first >= 0 ? plot_ret[first] : 0,
			  first >= 0 ? plot_err[first] : NULL, err, errlen);
out:
	free(s.p);
	return ret;
}

/* ---- rp_compare for two simulations ---- */

/* The figures a comparison judges: link bandwidth and latency. */
static const enum fig cmp_figs[] = {F_LINK, F_LAT};
#define N_CMP_FIGS (sizeof(cmp_figs) / sizeof(cmp_figs[0]))

/* A step's figure with its range over the repeats that succeeded (results' key_min/key_max). */
static struct rp_fig
sim_fig(const struct spt *p, enum fig k)
{
	struct rp_fig f = {.ok = false};
	char key[64];
	json_t *r;
	size_t i;

	f.med = pt_fig(p, figs[k].key);
	if (f.med < 0)
		return f;
	f.ok = true;
	snprintf(key, sizeof(key), "%s_min", figs[k].key);
	f.min = json_is_number(json_object_get(p->j, key)) ? rp_num(p->j, key) : f.med;
	snprintf(key, sizeof(key), "%s_max", figs[k].key);
	f.max = json_is_number(json_object_get(p->j, key)) ? rp_num(p->j, key) : f.med;
	json_array_foreach(json_object_get(p->j, "repeats"), i, r) {
		const char *st = json_string_value(json_object_get(r, "status"));

		f.n += st != NULL && strcmp(st, "ok") == 0;
	}
	if (json_object_get(p->j, "repeats") == NULL)
		f.n = 1; /* a run from before repeats: one measurement */
	return f;
}

static void
cmp_table(FILE *f, const struct sim *a, const struct sim *b, const char *scope, const char *backend)
{
	bool head = false;
	double last = -1, d;
	size_t i, k;

	for (i = 0; i < a->n; i++) {
		const struct spt *pa = &a->p[i], *pb;

		if (!pt_is(pa, scope, backend) || pa->vms == last)
			continue;
		last = pa->vms;
		pa = sim_find(a, scope, backend, pa->vms);
		pb = sim_find(b, scope, backend, pa->vms);
		if (pb == NULL)
			continue;
		if (!head) {
			fputs("\n### ", f);
			rp_md_name(f, backend);
			if (a->n_scopes > 1 || b->n_scopes > 1)
				fprintf(f, " (%s)", rp_scope_words(scope));
			fputs("\n\n| VMs | A link bandwidth | B link bandwidth | B/A | beyond spread | "
			      "A latency | B latency | B/A | beyond spread |\n"
			      "|---:|---:|---:|---:|:---:|---:|---:|---:|:---:|\n",
			      f);
			head = true;
		}
		fprintf(f, "| %g |", pa->vms);
		for (k = 0; k < N_CMP_FIGS; k++) {
			char ca[SIM_CELL], cb[SIM_CELL], r[32];
			const char *key = figs[cmp_figs[k]].key;

			cell_fig(ca, sizeof(ca), pa, cmp_figs[k]);
			cell_fig(cb, sizeof(cb), pb, cmp_figs[k]);
			rp_cell_ratio(r, sizeof(r), pt_fig(pb, key), pt_fig(pa, key));
			fprintf(f, " %s | %s | %s | %s |", ca, cb, r,
				rp_spread_cmp_word(rp_spread_cmp(sim_fig(pa, cmp_figs[k]),
								 sim_fig(pb, cmp_figs[k]), &d)));
		}
		fputc('\n', f);
	}
}

/* Over every step of A that B has: each figure judged (a point of the summary). */
static int
cmp_summary(const struct sim *a, const struct sim *b, struct rp_cmp_summary *s)
{
	double *d = calloc(a->n * N_CMP_FIGS + 1, sizeof(*d)), diff;
	size_t i, k;

	memset(s, 0, sizeof(*s));
	s->median_diff_pct = -1;
	if (d == NULL)
		return -ENOMEM;
	for (i = 0; i < a->n; i++) {
		const struct spt *pa = &a->p[i], *pb;

		if (sim_find(a, pa->scope, pa->backend, pa->vms) != pa)
			continue; /* a step that ran twice counts once */
		pb = sim_find(b, pa->scope, pa->backend, pa->vms);
		for (k = 0; pb != NULL && k < N_CMP_FIGS; k++)
			rp_cmp_summary_add(s, rp_spread_cmp(sim_fig(pa, cmp_figs[k]),
							    sim_fig(pb, cmp_figs[k]), &diff),
					   diff, d);
	}
	rp_cmp_summary_end(s, d);
	free(d);
	return 0;
}

/* Steps (scope, backend, VMs) of x that y does not have. */
static size_t
count_unmatched(const struct sim *x, const struct sim *y, size_t *steps)
{
	size_t i, n = 0;

	*steps = 0;
	for (i = 0; i < x->n; i++) {
		const struct spt *p = &x->p[i];

		if (sim_find(x, p->scope, p->backend, p->vms) != p)
			continue; /* a step that ran twice counts once */
		(*steps)++;
		n += sim_find(y, p->scope, p->backend, p->vms) == NULL;
	}
	return n;
}

static int
load_both(struct sim *sa, struct sim *sb, json_t *a, json_t *b, char *err, size_t errlen)
{
	int ret = sim_load(sa, a, err, errlen);

	if (ret < 0)
		return ret;
	ret = sim_load(sb, b, err, errlen);
	if (ret < 0)
		free(sa->p);
	return ret;
}

int
rp_compare_sim_summary(json_t *a, json_t *b, struct rp_cmp_summary *s, char *err, size_t errlen)
{
	struct sim sa, sb;
	int ret = load_both(&sa, &sb, a, b, err, errlen);

	if (ret < 0)
		return ret;
	ret = cmp_summary(&sa, &sb, s);
	if (ret < 0)
		snprintf(err, errlen, "comparison: out of memory");
	free(sa.p);
	free(sb.p);
	return ret;
}

int
rp_compare_sim(const char *out_path, json_t *a, json_t *b, char *err, size_t errlen)
{
	struct rp_cmp_summary sum;
	size_t only_a, only_b, n_a, n_b;
	struct sim sa, sb;
	char *buf = NULL, line[256];
	size_t len = 0;
	int s, k, ret;
	FILE *f;

	ret = load_both(&sa, &sb, a, b, err, errlen);
	if (ret < 0)
		return ret;
	ret = cmp_summary(&sa, &sb, &sum);
	f = ret == 0 ? open_memstream(&buf, &len) : NULL;
	if (f == NULL) {
		snprintf(err, errlen, "comparison: out of memory");
		ret = -ENOMEM;
		goto out;
	}
	only_a = count_unmatched(&sa, &sb, &n_a);
	only_b = count_unmatched(&sb, &sa, &n_b);
	rp_cmp_summary_line(line, sizeof(line), &sum);
	fprintf(f, "# Comparison of two simulations\n\n%s\n\n", line);
	rp_md_run_line(f, "A", a);
	rp_md_run_line(f, "B", b);
	rp_md_setup_diff(f, a, b);
	fprintf(f, "- points in both: %zu; only in A: %zu; only in B: %zu\n", n_a - only_a, only_a,
		only_b);
	fputs("\nB/A is the ratio of each step's median over its repeats. Link bandwidth (iperf, "
	      "sum over\nthe guest pairs): higher is better, B/A above 1 means B moves more data. "
	      "Latency (mtr\naverage to the peer): lower is better, B/A below 1 means B answers "
	      "faster. \"beyond\nspread\": yes when the [min-max] ranges of A's and B's repeats "
	      "do not overlap, so the\ndifference stands beyond both runs' noise; \"no spread\": "
	      "one side ran once. The line\nat the top counts each step's two figures as points.\n",
	      f);
	for (s = 0; s < sa.n_scopes; s++)
		for (k = 0; k < sa.n_backends; k++)
			if (sim_has(&sb, sa.scopes[s], sa.backends[k]))
				cmp_table(f, &sa, &sb, sa.scopes[s], sa.backends[k]);
	ret = rp_md_save(out_path, f, &buf, &len, err, errlen);
out:
	free(sa.p);
	free(sb.p);
	return ret;
}
