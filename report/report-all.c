/* SPDX-License-Identifier: BSD-3-Clause */
/* The report of a `bench all` run: backends, steps, the benches' reports embedded. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "report-common.h"
#include "report.h"

/*
 * The report of `bench all`: which backends this host runs (and why not the others),
 * then the reports of the benches it ran, each under its own heading, as they are in
 * their own run directories (re-rendered there by `report` first).
 */

static void
md_backends(FILE *f, json_t *results)
{
	char cell[700];
	json_t *b;
	size_t i;

	fputs("\n## Backends\n\n| backend | measured | how it runs here, or why it does not |\n"
	      "|---|---|---|\n",
	      f);
	json_array_foreach(json_object_get(results, "backends"), i, b) {
		rp_cell_text(cell, sizeof(cell), "", rp_str(b, "why") ?: "");
		fprintf(f, "| %s | %s | %s |\n", rp_str(b, "backend") ?: "?",
			json_is_true(json_object_get(b, "measured")) ? "yes"
			: json_is_true(json_object_get(b, "runs"))   ? "no (not up)"
								     : "no",
			cell);
	}
}

/* A child report, its headings one level down so they sit under this report's title. */
static void
md_embed(FILE *f, const char *dir, const char *sub, const char *what)
{
	char path[PATH_MAX], *text = NULL, *line, *save = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/%s/report.md", dir, sub);
	if (tb_read_file(path, &text, &len) < 0) {
		fprintf(f, "\n## %s\n\n(no report: %s is missing)\n", what, path);
		return;
	}
	fputc('\n', f);
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			fputc('#', f);
		fprintf(f, "%s\n", line);
		/* blank lines are kept: strtok_r folds them, markdown needs them around tables */
		if (save != NULL && *save == '\n')
			fputc('\n', f);
	}
	free(text);
}

int
rp_write_all_report(const char *dir, json_t *results, char *err, size_t errlen)
{
	json_t *steps = json_object_get(results, "steps"), *s;
	const char *name;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (f == NULL) {
		snprintf(err, errlen, "report of %s: out of memory", dir);
		return -ENOMEM;
	}
	fprintf(f, "# bench all: %s\n\n", rp_str(results, "run_id") ?: "(no run id)");
	fprintf(f, "- instance: %s (%s guests, profile %s)%s\n", rp_str(results, "instance") ?: "?",
		rp_str(results, "guest_kind") ?: "?", rp_str(results, "profile") ?: "?",
		json_is_true(json_object_get(results, "instance_reused"))
			? ", an instance that was up already"
			: "");
	rp_md_time(f, results);
	json_object_foreach(steps, name, s) {
		fprintf(f, "- %s: %s", name, rp_str(s, "status") ?: "?");
		if (rp_str(s, "run_dir") != NULL)
			fprintf(f, ", %s/", rp_str(s, "run_dir"));
		if (rp_str(s, "reason") != NULL)
			fprintf(f, " (%s)", rp_str(s, "reason"));
		fputc('\n', f);
	}
	md_backends(f, results);
	json_object_foreach(steps, name, s) {
		if (rp_str(s, "run_dir") != NULL)
			md_embed(f, dir, rp_str(s, "run_dir"), name);
	}
	return rp_md_close(dir, f, &buf, &len, 0, NULL, err, errlen);
}

int
rp_all_subruns(json_t *results, const char **names, int max)
{
	const char *name;
	json_t *s;
	int n = 0;

	json_object_foreach(json_object_get(results, "steps"), name, s) {
		const char *sub = rp_str(s, "run_dir");

		/* a plain name inside the run directory, nothing else */
		if (sub == NULL || strchr(sub, '/') != NULL || sub[0] == '.' || sub[0] == '\0')
			continue;
		if (n < max)
			names[n++] = sub;
	}
	return n;
}
