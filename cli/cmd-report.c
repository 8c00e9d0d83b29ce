/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed report`: re-renders a run, or compares two runs (with a one-line summary). */
#include <errno.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "fsutil.h"
#include "log.h"
#include "reference.h"
#include "report.h"
#include "results.h"

#define MAX_SUBRUNS 32

/* The report of the run in dir from its results.json, by its kind (report.h's kind table). */
static int
rebuild(const char *dir)
{
	const char *subs[MAX_SUBRUNS];
	struct ref_table ref = {0};
	char err[1024];
	int ret, n, i;
	json_t *res;

	if (res_load(dir, &res, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_FAIL;
	}
	/* runs inside this one (bench all's benches) first: its report may embed theirs */
	n = rp_subruns(res, subs, MAX_SUBRUNS);
	for (i = 0; i < n && i < MAX_SUBRUNS; i++) {
		char child[4200];

		snprintf(child, sizeof(child), "%s/%s", dir, subs[i]);
		if (rebuild(child) != 0)
			tb_warn("%s: its report was not rebuilt", child);
	}
	if (ref_load(ref_default_path(), &ref, err, sizeof(err)) < 0)
		tb_warn("reference figures not shown: %s", err);
	ret = rp_write_report(dir, res, ref.n ? &ref : NULL, err, sizeof(err));
	ref_free(&ref);
	json_decref(res);
	if (ret < 0) {
		tb_err("%s: %s", dir, err);
		return CLI_EXIT_FAIL;
	}
	tb_info("%s/report.md and plots rebuilt", dir);
	return 0;
}

/* The summary as JSON: its counts, the share beyond spread and the line people read. */
static json_t *
summary_json(const struct rp_cmp_summary *s)
{
	double pct = s->compared > 0 ? 100.0 * s->beyond / s->compared : 0;
	char line[256];

	rp_cmp_summary_line(line, sizeof(line), s);
	return json_pack("{s:i, s:i, s:f, s:i, s:o, s:s}", "compared", s->compared,
			 "beyond_spread", s->beyond, "beyond_spread_pct", pct, "no_spread",
			 s->no_spread, "median_abs_difference_pct",
			 s->median_diff_pct >= 0 ? json_real(s->median_diff_pct) : json_null(),
			 "line", line);
}

static int
compare(const char *dir_a, const char *dir_b)
{
	char err[1024], out[4200], a_name[4200], *text = NULL;
	struct rp_cmp_summary sum;
	json_t *a = NULL, *b = NULL, *j;
	bool has_sum;
	int ret;

	if (res_load(dir_a, &a, err, sizeof(err)) < 0 ||
	    res_load(dir_b, &b, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		json_decref(a);
		return CLI_EXIT_FAIL;
	}
	snprintf(a_name, sizeof(a_name), "%s", dir_a);
	snprintf(out, sizeof(out), "%s/compare-%s.md", dir_b, basename(a_name));
	ret = rp_compare(out, a, b, err, sizeof(err));
	/* a kind without a summary (bench runs) is still compared */
	has_sum = ret == 0 && rp_compare_summary(a, b, &sum, err, sizeof(err)) == 0;
	json_decref(a);
	json_decref(b);
	if (ret < 0) {
		tb_err("compare %s %s: %s", dir_a, dir_b, err);
		return CLI_EXIT_FAIL;
	}
	if (tb_log_json()) {
		j = json_pack("{s:s, s:s, s:s, s:o}", "a", dir_a, "b", dir_b, "comparison", out,
			      "summary", has_sum ? summary_json(&sum) : json_null());
		json_dumpf(j, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(j);
		return 0;
	}
	if (tb_read_file(out, &text, NULL) == 0)
		fputs(text, stdout);
	free(text);
	/* the outcome last, where the terminal leaves it in view */
	if (has_sum) {
		rp_cmp_summary_line(err, sizeof(err), &sum);
		printf("\n%s\n", err);
	}
	tb_info("written to %s", out);
	return 0;
}

int
cmd_report(int argc, char **argv)
{
	if (argc == 2)
		return rebuild(argv[1]);
	if (argc == 3)
		return compare(argv[1], argv[2]);
	tb_err("report takes one run directory (rebuild its report) or two (compare them)");
	return CLI_EXIT_USAGE;
}
