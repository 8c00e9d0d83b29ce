/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `bench path` results (kind "bench-path"): results.json and results.csv (a row per backend
 * and hop), report.md with the latency budget per backend, and a stacked bar PNG per backend
 * (the hops' medians beside the measured total).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-common.h"
#include "report.h"
#include "results.h"

/* ---- results.json, results.csv ---- */

static void
csv_row(FILE *f, json_t *p, const char *label, json_t *h)
{
	static const char *const nums[] = {"median_us", "p10_us", "p90_us", "n"};
	const char *strs[] = {rp_str(p, "backend"), rp_str(p, "switch"), label, rp_str(h, "from"),
			      rp_str(h, "to")};
	size_t i;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		res_csv_str(f, strs[i]);
		fputc(',', f);
	}
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		res_csv_num(f, json_object_get(h, nums[i]));
		fputc(',', f);
	}
	res_csv_str(f, rp_str(p, "status"));
	fputc('\n', f);
}

int
rp_write_path_results(const char *dir, json_t *results)
{
	char *csv = NULL;
	size_t len = 0, i, k;
	json_t *p, *h;
	FILE *f;

	if (!rp_is_kind(results, "bench-path"))
		return -EINVAL;
	f = open_memstream(&csv, &len);
	if (f == NULL)
		return -ENOMEM;
	fputs("backend,switch,hop,from,to,median_us,p10_us,p90_us,n,status\n", f);
	json_array_foreach(json_object_get(results, "points"), i, p)
	{
		json_array_foreach(json_object_get(p, "hops"), k, h)
			csv_row(f, p, rp_str(h, "label"), h);
		csv_row(f, p, "total (measured)", json_object_get(p, "total"));
	}
	fclose(f);
	return res_write_json_csv(dir, results, csv);
}

/* ---- report.md ---- */

/* "median [lo-hi]" of h's three numbers keys[0..2], or "-" when h is not an object. */
static void
range_cell(char *b, size_t len, json_t *h, const char *const keys[3])
{
	char v[3][32];
	int i;

	if (!json_is_object(h)) {
		snprintf(b, len, "-");
		return;
	}
	for (i = 0; i < 3; i++)
		rp_fmt3(v[i], sizeof(v[i]), rp_num(h, keys[i]));
	snprintf(b, len, "%s [%s-%s]", v[0], v[1], v[2]);
}

/* A hop's median [p10-p90] over all probes. */
static void
cell(char *b, size_t len, json_t *h)
{
	static const char *const keys[3] = {"median_us", "p10_us", "p90_us"};

	range_cell(b, len, h, keys);
}

/* "median [min-max]" of a hop's rounds' medians, or "-" for one round or none. */
static void
rounds_cell(char *b, size_t len, json_t *h)
{
	static const char *const keys[3] = {"median_us", "min_us", "max_us"};
	json_t *r = json_object_get(h, "rounds");

	range_cell(b, len, rp_num(r, "n") >= 2 ? r : NULL, keys);
}

/* The vhost-user / bridge ratio line, or nothing without one. */
static void
ratio_line(FILE *f, json_t *results, const char *pre, const char *post)
{
	static const char *const keys[3] = {"median", "min", "max"};
	json_t *r = json_object_get(results, "ratio");
	char c[128];

	if (!json_is_object(r))
		return;
	range_cell(c, sizeof(c), r, keys);
	fprintf(f, "%svhost-user / bridge, one-way total: %s (median [min-max] over %lld round%s, "
		   "each backend's median in it)%s",
		pre, c, (long long)rp_num(r, "pairs"), rp_num(r, "pairs") == 1 ? "" : "s", post);
}

static void
md_point(FILE *f, json_t *results, json_t *p)
{
	double sum = rp_num(p, "sum_of_medians_us"), tot;
	char c[128], s[32], t[128];
	json_t *h;
	size_t k;

	fputs("\n## ", f);
	rp_md_name(f, rp_str(p, "backend") ?: "?");
	fputs(" (", f);
	rp_md_name(f, rp_str(p, "switch") ?: "?");
	fputs(")\n\n", f);
	if (strcmp(rp_str(p, "status") ?: "", "ok") != 0) {
		rp_cell_text(c, sizeof(c), "", rp_str(p, "reason") ?: "not measured");
		fprintf(f, "_Not measured: %s._\n", c);
		return;
	}
	fprintf(f,
		"%lld of %lld probes came back (%lld of %lld rounds measured), %lld with send and "
		"receive times in order.\n\n",
		(long long)rp_num(p, "returned"),
		(long long)(rp_num(json_object_get(results, "params"), "count") *
			    (double)json_array_size(json_object_get(p, "rounds"))),
		(long long)rp_num(p, "rounds_ok"),
		(long long)json_array_size(json_object_get(p, "rounds")), (long long)rp_num(p, "valid"));
	fputs("| hop | median [p10-p90] of all probes (us) | rounds' medians, median [min-max] "
	      "(us) |\n|---|---|---|\n",
	      f);
	json_array_foreach(json_object_get(p, "hops"), k, h)
	{
		char l[128], rc[128];

		rp_cell_text(l, sizeof(l), "", rp_str(h, "label") ?: "?");
		cell(c, sizeof(c), h);
		rounds_cell(rc, sizeof(rc), h);
		fprintf(f, "| %s | %s | %s |\n", l, c, rc);
	}
	tot = rp_num(json_object_get(p, "total"), "median_us");
	rp_fmt3(s, sizeof(s), sum);
	rp_fmt3(t, sizeof(t), tot);
	cell(c, sizeof(c), json_object_get(p, "total"));
	rounds_cell(t, sizeof(t), json_object_get(p, "total"));
	fprintf(f, "| **sum of the hops' medians** | %s | |\n| **measured one-way total** | %s | "
		   "%s |\n",
		s, c, t);
	rp_fmt3(t, sizeof(t), tot);
	if (sum > 0 && tot > 0)
		fprintf(f,
			"\nThe hops' medians add up to %.0f%% of the median total (medians do not "
			"add exactly).\n",
			100.0 * sum / tot);
}

void
rp_path_print(FILE *f, json_t *results)
{
	char c[128];
	json_t *p, *h;
	size_t i, k;

	json_array_foreach(json_object_get(results, "points"), i, p)
	{
		fprintf(f, "%s (%s): ", rp_str(p, "backend") ?: "?", rp_str(p, "switch") ?: "?");
		if (strcmp(rp_str(p, "status") ?: "", "ok") != 0) {
			fprintf(f, "not measured: %s\n", rp_str(p, "reason") ?: "?");
			continue;
		}
		fprintf(f, "%lld probes in %lld rounds, us median [p10-p90]; rounds' medians "
			   "[min-max]\n",
			(long long)rp_num(p, "valid"), (long long)rp_num(p, "rounds_ok"));
		json_array_foreach(json_object_get(p, "hops"), k, h)
		{
			char rc[128];

			cell(c, sizeof(c), h);
			rounds_cell(rc, sizeof(rc), h);
			fprintf(f, "  %-36s %-28s %s\n", rp_str(h, "label") ?: "?", c, rc);
		}
		rp_fmt3(c, sizeof(c), rp_num(p, "sum_of_medians_us"));
		fprintf(f, "  %-36s %s\n", "sum of the hops' medians", c);
		cell(c, sizeof(c), json_object_get(p, "total"));
		{
			char rc[128];

			rounds_cell(rc, sizeof(rc), json_object_get(p, "total"));
			fprintf(f, "  %-36s %-28s %s\n", "measured one-way total", c, rc);
		}
	}
	ratio_line(f, results, "", "\n");
}

/* ---- plots: a stacked bar per backend ---- */

static int
plot_point(const char *dir, json_t *results, json_t *p, char *err, size_t errlen)
{
	char name[64], file[128], path[PATH_MAX], script[PATH_MAX], tmp[PATH_MAX], png[PATH_MAX];
	char *buf = NULL;
	size_t len = 0, k, n = json_array_size(json_object_get(p, "hops"));
	json_t *h;
	FILE *f;
	int ret;

	rp_file_part(name, sizeof(name), rp_str(p, "backend") ?: "backend");
	snprintf(file, sizeof(file), "path-%s", name);
	/* the data: one row of hop medians, one of the measured total */
	f = open_memstream(&buf, &len);
	if (f == NULL)
		return -ENOMEM;
	fputs("# bar", f);
	json_array_foreach(json_object_get(p, "hops"), k, h) fprintf(f, " hop%zu", k);
	fputs(" total\n\"hops (medians)\"", f);
	json_array_foreach(json_object_get(p, "hops"), k, h)
		fprintf(f, " %.4f", rp_num(h, "median_us"));
	fputs(" 0\n\"measured total (median)\"", f);
	for (k = 0; k < n; k++)
		fputs(" 0", f);
	fprintf(f, " %.4f\n", rp_num(json_object_get(p, "total"), "median_us"));
	fclose(f);
	snprintf(path, sizeof(path), "plots/%s.dat", file);
	ret = res_write_text(dir, path, buf);
	free(buf);
	if (ret < 0) {
		snprintf(err, errlen, "plots/%s.dat: %s", file, strerror(-ret));
		return ret;
	}
	buf = NULL;
	len = 0;
	f = open_memstream(&buf, &len);
	if (f == NULL)
		return -ENOMEM;
	rp_gp_head(f, "bench path", rp_str(results, "run_id"), file);
	snprintf(path, sizeof(path), "%s (%s): one-way time of a %lld B message",
		 rp_str(p, "backend") ?: "?", rp_str(p, "switch") ?: "?",
		 (long long)rp_num(json_object_get(results, "params"), "msg_size"));
	fputs("set title ", f);
	rp_gp_str(f, path);
	fputc('\n', f);
	fputs("set style data histograms\nset style histogram rowstacked\n"
	      "set style fill solid 0.8 border -1\nset boxwidth 0.5\nset ylabel 'us'\n"
	      "set yrange [0:*]\nset key outside right\nset grid ytics\n",
	      f);
	fputs("plot ", f);
	json_array_foreach(json_object_get(p, "hops"), k, h)
	{
		fprintf(f, "%s'%s.dat' using %zu%s title ", k ? ", \\\n     " : "", file, k + 2,
			k == 0 ? ":xtic(1)" : "");
		rp_gp_str(f, rp_str(h, "label") ?: "?");
		fprintf(f, " lc rgb '%s'", rp_colour((int)k));
	}
	fprintf(f, "%s'%s.dat' using %zu%s title 'measured total' lc rgb '#404040'\n",
		n ? ", \\\n     " : "", file, n + 2, n ? "" : ":xtic(1)");
	fclose(f);
	snprintf(script, sizeof(script), "plots/%s.gp", file);
	ret = res_write_text(dir, script, buf);
	free(buf);
	if (ret < 0) {
		snprintf(err, errlen, "plots/%s.gp: %s", file, strerror(-ret));
		return ret;
	}
	snprintf(script, sizeof(script), "%s/plots/%s.gp", dir, file);
	snprintf(tmp, sizeof(tmp), "%s/.%s.png.tmp", dir, file);
	snprintf(png, sizeof(png), "%s/%s.png", dir, file);
	return rp_run_gnuplot(script, tmp, png, err, errlen);
}

int
rp_write_path_report(const char *dir, json_t *results, char *err, size_t errlen)
{
	char *buf = NULL, perr[512] = "";
	json_t *params = json_object_get(results, "params"), *p;
	int plot_ret = 0, ret;
	size_t len = 0, i;
	FILE *f;

	if (!rp_is_kind(results, "bench-path")) {
		snprintf(err, errlen, "%s: not a bench path run", dir);
		return -EINVAL;
	}
	f = open_memstream(&buf, &len);
	if (f == NULL) {
		snprintf(err, errlen, "report of %s: out of memory", dir);
		return -ENOMEM;
	}
	fprintf(f, "# Latency budget: where a %lld B message's one-way time goes\n\n",
		(long long)rp_num(params, "msg_size"));
	fprintf(f, "Run %s on instance ", rp_str(results, "run_id") ?: "?");
	rp_md_name(f, rp_str(results, "instance") ?: "?");
	fprintf(f,
		": %lld UDP probes per backend and round, one every %lld us, guest 0 -> guest 1 "
		"(pinned to their cores). Times are CLOCK_MONOTONIC_RAW; the adapter and the "
		"switch stamp vhost-user probes from the TSC, calibrated to that clock. A hop "
		"named remainder spans stamps that were not written (OVS-DPDK writes none; the "
		"bridge path has no inner stamps: total only).\n\n",
		(long long)rp_num(params, "count"), (long long)rp_num(params, "interval_us"));
	rp_md_time(f, results);
	ratio_line(f, results, "", ".\n");
	json_array_foreach(json_object_get(results, "points"), i, p)
	{
		md_point(f, results, p);
		if (strcmp(rp_str(p, "status") ?: "", "ok") == 0) {
			char name[64];
			int r = plot_point(dir, results, p, perr, sizeof(perr));

			rp_file_part(name, sizeof(name), rp_str(p, "backend") ?: "backend");
			if (r < 0 && plot_ret == 0)
				plot_ret = r;
			else if (r == 0)
				fprintf(f, "\n![%s](path-%s.png)\n", name, name);
		}
	}
	if (plot_ret < 0)
		fprintf(f, "\n_No plots: %s._\n", perr);
	fputs("\nRaw probes (ns): raw/<backend>-r<round>.csv.\n", f);
	rp_md_host(f, results);
	ret = rp_md_close(dir, f, &buf, &len, plot_ret, perr, err, errlen);
	return ret;
}
