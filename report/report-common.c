/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers every report kind shares: numbers, table cells, run and host sections, the write. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "report-common.h"
#include "report.h"
#include "stats.h"

double
rp_num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : -1;
}

/* Three significant digits without exponents: 0.512, 12.0, 145, 3160. */
void
rp_fmt3(char *b, size_t len, double v)
{
	size_t n;

	if (v < 0) {
		snprintf(b, len, "-");
	} else if (v >= 999.5 || v == 0) {
		snprintf(b, len, "%.0f", v);
	} else {
		/* '#' keeps the zeros of 12.0 but leaves a dot after 145 */
		snprintf(b, len, "%#.3g", v);
		n = strlen(b);
		if (n > 0 && b[n - 1] == '.')
			b[n - 1] = '\0';
	}
}

void
rp_fmt_mbps(char *b, size_t len, double mbps)
{
	char n[32];

	rp_fmt3(n, sizeof(n), mbps >= 999.5 ? mbps / 1000 : mbps);
	snprintf(b, len, "%s %s", n, mbps >= 999.5 ? "Gb/s" : "Mb/s");
}

void
rp_cell_ratio(char *b, size_t len, double num_, double den)
{
	if (num_ <= 0 || den <= 0)
		snprintf(b, len, "-");
	else
		rp_fmt3(b, len, num_ / den);
}

void
rp_cell_mbps(char *b, size_t len, double mbps)
{
	if (mbps < 0)
		snprintf(b, len, "-");
	else
		rp_fmt_mbps(b, len, mbps);
}

void
rp_cell_unit(char *b, size_t len, double v, const char *unit)
{
	char n[32];

	if (v < 0) {
		snprintf(b, len, "-");
		return;
	}
	rp_fmt3(n, sizeof(n), v);
	snprintf(b, len, "%s%s", n, unit);
}

/* Text from results.json inside a table cell: no pipes or line breaks, bounded. */
void
rp_cell_text(char *b, size_t len, const char *prefix, const char *s)
{
	size_t o = snprintf(b, len, "%s", prefix);

	for (; s != NULL && *s != '\0' && o + 3 < len; s++) {
		if (*s == '|')
			b[o++] = '\\';
		b[o++] = *s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s;
	}
	if (o < len)
		b[o] = '\0';
}

/* A name from results.json in a heading or table header: pipes would split the row. */
void
rp_md_name(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
	}
}

int
rp_name_add(const char **list, int *n, const char *s)
{
	int i;

	for (i = 0; i < *n; i++)
		if (strcmp(list[i], s) == 0)
			return 0;
	if (*n == RP_MAX_NAMES)
		return -E2BIG;
	list[(*n)++] = s;
	return 0;
}

static void
md_scalar(FILE *f, json_t *v)
{
	char *s;

	if (json_is_string(v)) {
		const char *c = json_string_value(v);

		for (; *c != '\0'; c++)
			fputc(*c == '\n' || *c == '\r' ? ' ' : *c, f);
	} else if (json_is_integer(v)) {
		fprintf(f, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		fprintf(f, "%g", json_real_value(v));
	} else if (json_is_boolean(v)) {
		fputs(json_is_true(v) ? "yes" : "no", f);
	} else if (json_is_null(v)) {
		fputs("-", f);
	} else {
		s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		fputs(s != NULL ? s : "?", f);
		free(s);
	}
}

static bool
is_multiline(json_t *v)
{
	const char *s = json_string_value(v);

	return s != NULL && strchr(s, '\n') != NULL && strchr(s, '\n')[1] != '\0';
}

/* host/testbed/versions hold whatever the sweep found: one "key: value" line each. */
static void
md_object(FILE *f, json_t *o, const char *prefix)
{
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v) {
		char name[256];

		snprintf(name, sizeof(name), "%s%s%s", prefix, *prefix ? "." : "", key);
		if (json_is_object(v) && json_object_size(v) > 0) {
			md_object(f, v, name);
			continue;
		}
		if (is_multiline(v)) {
			/* tool output such as pmd-rxq-show: kept verbatim */
			fprintf(f, "- %s:\n\n  ```\n  ", name);
			for (const char *c = json_string_value(v); *c != '\0'; c++) {
				fputc(*c, f);
				if (*c == '\n' && c[1] != '\0')
					fputs("  ", f);
			}
			if (json_string_value(v)[strlen(json_string_value(v)) - 1] != '\n')
				fputc('\n', f);
			fputs("  ```\n\n", f);
			continue;
		}
		fprintf(f, "- %s: ", name);
		if (json_is_array(v)) {
			size_t i;
			json_t *e;

			json_array_foreach(v, i, e) {
				fputs(i ? ", " : "", f);
				md_scalar(f, e);
			}
		} else {
			md_scalar(f, v);
		}
		fputc('\n', f);
	}
}

void
rp_md_time(FILE *f, json_t *res)
{
	if (json_is_string(json_object_get(res, "started")))
		fprintf(f, "- time: %s to %s (UTC)\n",
			json_string_value(json_object_get(res, "started")),
			json_string_value(json_object_get(res, "finished")) ?: "(unfinished)");
}

void
rp_md_oversubscribed(FILE *f, json_t *res)
{
	json_t *plan = json_object_get(json_object_get(res, "testbed"), "plan");

	if (json_is_true(json_object_get(plan, "oversubscribed")) ||
	    json_is_true(json_object_get(json_object_get(res, "testbed"), "oversubscribed"))) {
		fputs("\n> **OVERSUBSCRIBED**: the testbed shared CPU cores", f);
		if (rp_num(plan, "cores_needed") > 0)
			fprintf(f, " (%g needed, %g available on NUMA node %g)",
				rp_num(plan, "cores_needed"), rp_num(plan, "cores_available"),
				rp_num(plan, "node"));
		fputs(".\n> The PMD, the shim and the guests took turns on them, so these numbers "
		      "are not\n> those of dedicated cores; do not compare them with the reference "
		      "as equals.\n",
		      f);
		if (json_is_true(json_object_get(plan, "guests_on_all")))
			fputs("> A measured pair's two guests ran on different cores, the switch's "
			      "core one of them\n> (`--guest-cores all`), as two VMs with a core "
			      "each would: every backend's\n> messages cross cores.\n",
			      f);
		else if (json_is_object(plan))
			fputs("> The guests shared the cores the switch's PMDs left (`--guest-cores "
			      "rest`): a measured\n> pair's two guests ran on one core, so the kernel "
			      "backends' messages never crossed\n> cores while vhost-user's went "
			      "through the switch's core and back.\n",
			      f);
	}
}

void
rp_md_host(FILE *f, json_t *res)
{
	const char *sect[] = {"host", "testbed", "versions"};
	int i, n;

	for (i = 0, n = 0; i < 3; i++) {
		json_t *o = json_object_get(res, sect[i]);

		if (!json_is_object(o) || json_object_size(o) == 0)
			continue;
		if (n++ == 0)
			fputs("\n## Host and testbed\n", f);
		fprintf(f, "\n### %s\n\n", sect[i]);
		md_object(f, o, "");
	}
}

const char *
rp_scope_words(const char *scope)
{
	if (strcmp(scope, "same_host") == 0)
		return "same host";
	if (strcmp(scope, "across_hosts") == 0)
		return "across hosts";
	return scope;
}

int
rp_md_commit(const char *dir, const char *buf, size_t len, int plot_ret, const char *plot_err,
	     char *err, size_t errlen)
{
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), "%s/report.md", dir);
	ret = tb_write_atomic(path, buf, len, 0644);
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (plot_ret < 0)
		snprintf(err, errlen, "%s", plot_err);
	return plot_ret < 0 ? plot_ret : 0;
}

void
rp_md_run_line(FILE *f, const char *label, json_t *res)
{
	const char *id = json_string_value(json_object_get(res, "run_id"));
	const char *started = json_string_value(json_object_get(res, "started"));
	json_t *plan = json_object_get(json_object_get(res, "testbed"), "plan");

	fprintf(f, "- %s: %s%s%s%s\n", label, id != NULL ? id : "(no run id)",
		started != NULL ? ", started " : "", started != NULL ? started : "",
		json_is_true(json_object_get(plan, "oversubscribed")) ? ", **oversubscribed**"
								      : "");
}

/* One set-up property of a run, as text into b ("?" when the run does not say). */
static void
setup_value(json_t *res, int which, char *b, size_t len)
{
	json_t *tb = json_object_get(res, "testbed"), *cfg = json_object_get(tb, "config");
	json_t *plan = json_object_get(tb, "plan"), *v = NULL;

	switch (which) {
	case 0:
		v = json_object_get(json_object_get(res, "host"), "hostname");
		break;
	case 1:
		v = json_object_get(json_object_get(res, "host"), "kernel");
		break;
	case 2:
		v = json_object_get(cfg, "switch");
		break;
	case 3:
		v = json_object_get(cfg, "adapter");
		break;
	case 4:
		/* runs from before --guest-cores all had the rest placement */
		snprintf(b, len, "%s", !json_is_object(plan) ? "?"
				       : json_is_true(json_object_get(plan, "guests_on_all")) ? "all"
												: "rest");
		return;
	case 5:
		v = json_object_get(json_object_get(cfg, "profile"), "name");
		break;
	}
	snprintf(b, len, "%s", json_string_value(v) ?: "?");
}

void
rp_md_setup_diff(FILE *f, json_t *a, json_t *b)
{
	static const char *const names[] = {"host", "kernel", "switch", "adapter",
					    "guest cores", "guest profile"};
	char va[128], vb[128];
	int i, n = 0;

	for (i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		setup_value(a, i, va, sizeof(va));
		setup_value(b, i, vb, sizeof(vb));
		if (strcmp(va, vb) == 0)
			continue;
		fprintf(f, "%s%s %s in A, %s in B", n++ == 0 ? "- **set up differently**: " : "; ",
			names[i], va, vb);
	}
	if (n > 0)
		fputs(" (the differences below include these, not only the network's)\n", f);
	else
		fputs("- set up alike: the same host, kernel, switch, adapter, guest cores and "
		      "guest profile\n",
		      f);
}

const char *
rp_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

bool
rp_is_kind(json_t *results, const char *kind)
{
	const char *k = rp_str(results, "kind");

	return k != NULL && strcmp(k, kind) == 0;
}

int
rp_md_close(const char *dir, FILE *f, char **buf, size_t *len, int plot_ret, const char *plot_err,
	    char *err, size_t errlen)
{
	int ret;

	if (fclose(f) != 0 || *buf == NULL) {
		free(*buf);
		*buf = NULL;
		snprintf(err, errlen, "report of %s: out of memory", dir);
		return -ENOMEM;
	}
	ret = rp_md_commit(dir, *buf, *len, plot_ret, plot_err, err, errlen);
	free(*buf);
	*buf = NULL;
	return ret;
}

void
rp_md_reference(FILE *f, const struct ref_table *ref, const char *note)
{
	if (ref == NULL)
		return;
	fputs("\n## Reference\n\n", f);
	fputs(note, f);
}

int
rp_md_save(const char *path, FILE *f, char **buf, size_t *len, char *err, size_t errlen)
{
	int ret;

	if (fclose(f) != 0 || *buf == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		ret = -ENOMEM;
	} else {
		ret = tb_write_atomic(path, *buf, *len, 0644);
		if (ret < 0)
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
	}
	free(*buf);
	*buf = NULL;
	return ret;
}

enum rp_spread_cmp
rp_spread_cmp(struct rp_fig a, struct rp_fig b, double *diff_pct)
{
	*diff_pct = -1;
	if (!a.ok || !b.ok || a.med <= 0)
		return RP_SC_NONE;
	*diff_pct = (b.med > a.med ? b.med - a.med : a.med - b.med) / a.med * 100;
	/* one repeat says nothing about the noise on its side */
	if (a.n <= 1 || b.n <= 1)
		return RP_SC_NO_SPREAD;
	return a.max < b.min || b.max < a.min ? RP_SC_BEYOND : RP_SC_WITHIN;
}

const char *
rp_spread_cmp_word(enum rp_spread_cmp c)
{
	static const char *const words[] = {
		[RP_SC_NONE] = "-", [RP_SC_NO_SPREAD] = "no spread", [RP_SC_WITHIN] = "no",
		[RP_SC_BEYOND] = "yes"};

	return words[c];
}

void
rp_cmp_summary_add(struct rp_cmp_summary *s, enum rp_spread_cmp c, double diff_pct,
		   double *diffs)
{
	if (c == RP_SC_NONE)
		return;
	diffs[s->compared++] = diff_pct;
	s->beyond += c == RP_SC_BEYOND;
	s->no_spread += c == RP_SC_NO_SPREAD;
}

void
rp_cmp_summary_end(struct rp_cmp_summary *s, const double *diffs)
{
	s->median_diff_pct = s->compared > 0 ? tb_spread_of(diffs, s->compared).median : -1;
}
