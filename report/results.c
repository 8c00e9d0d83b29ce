/* SPDX-License-Identifier: BSD-3-Clause */
/* Run directories and result files: ids, atomic writes, CSV, results.json I/O. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsutil.h"
#include "results.h"

const char *const res_metrics[RES_N_METRICS] = {
	"latency_us", "bw_MBps", "bw_mbps", "msg_rate", "cpu_local_pct", "cpu_remote_pct",
};

void
res_run_id(const char *tag, char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	char when[32];

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, len, "%s-%s", when, tag);
}

int
res_run_dir_create(const char *base, const char *run_id, char *dir, size_t len, char *err,
		   size_t errlen)
{
	char raw[4200];
	int ret;

	if (snprintf(dir, len, "%s/%s", base, run_id) >= (int)len)
		return -ENAMETOOLONG;
	if (tb_path_exists(dir)) {
		snprintf(err, errlen, "run directory %s already exists", dir);
		return -EEXIST;
	}
	/* an existing out dir must be one of its own, not a symlink to somewhere else */
	ret = tb_real_dir(base);
	if (ret == -ELOOP || ret == -ENOTDIR) {
		snprintf(err, errlen, "%s is not a directory of its own (a symlink or a file): "
			 "give another --out", base);
		return ret;
	}
	snprintf(raw, sizeof(raw), "%s/raw", dir);
	ret = tb_mkdir_p(raw, 0755);
	if (ret < 0)
		snprintf(err, errlen, "cannot create %s: %s", raw, strerror(-ret));
	return ret;
}

int
res_write_text(const char *dir, const char *rel, const char *text)
{
	char path[4200], parent[4200];
	int ret;

	if (snprintf(path, sizeof(path), "%s/%s", dir, rel) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	snprintf(parent, sizeof(parent), "%s", path);
	ret = tb_mkdir_p(dirname(parent), 0755);
	if (ret < 0)
		return ret;
	return tb_write_atomic(path, text, strlen(text), 0644);
}

void
res_csv_str(FILE *f, const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\n\r") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
	}
	fputc('"', f);
}

void
res_csv_num(FILE *f, json_t *v)
{
	if (json_is_number(v))
		fprintf(f, "%.6g", json_number_value(v));
}

static const char *const sim_cols[] = {
	"link_bw_mbps", "vm_bw_mbps", "lat_us", "loss_pct", "switch_cpu_pct", "host_cpu_pct",
};

static char *
csv_of_simulate(json_t *results)
{
	char *buf = NULL;
	size_t len = 0, i, c;
	FILE *f = open_memstream(&buf, &len);
	json_t *p;

	if (f == NULL)
		return NULL;
	fputs("backend,scope,test,vms,status", f);
	for (c = 0; c < sizeof(sim_cols) / sizeof(sim_cols[0]); c++)
		fprintf(f, ",%s", sim_cols[c]);
	fputs(",reason\n", f);
	json_array_foreach(json_object_get(results, "points"), i, p) {
		res_csv_str(f, json_string_value(json_object_get(p, "backend")));
		fputc(',', f);
		res_csv_str(f, json_string_value(json_object_get(p, "scope")));
		fputs(",simulate,", f);
		res_csv_num(f, json_object_get(p, "vms"));
		fputc(',', f);
		res_csv_str(f, json_string_value(json_object_get(p, "status")));
		for (c = 0; c < sizeof(sim_cols) / sizeof(sim_cols[0]); c++) {
			fputc(',', f);
			res_csv_num(f, json_object_get(p, sim_cols[c]));
		}
		fputc(',', f);
		res_csv_str(f, json_string_value(json_object_get(p, "reason")));
		fputc('\n', f);
	}
	fclose(f);
	return buf;
}

static char *
csv_of(json_t *results)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	json_t *p;
	int m;

	if (f == NULL)
		return NULL;
	fputs("backend,scope,test,msg_size,status,repeats", f);
	for (m = 0; m < RES_N_METRICS; m++)
		fprintf(f, ",%s,%s_min,%s_max", res_metrics[m], res_metrics[m], res_metrics[m]);
	fputs(",reason\n", f);
	json_array_foreach(json_object_get(results, "points"), i, p) {
		const char *scope = json_string_value(json_object_get(p, "scope"));

		res_csv_str(f, json_string_value(json_object_get(p, "backend")));
		fputc(',', f);
		res_csv_str(f, scope != NULL ? scope : "same_host");
		fputc(',', f);
		res_csv_str(f, json_string_value(json_object_get(p, "test")));
		fputc(',', f);
		res_csv_num(f, json_object_get(p, "msg_size"));
		fputc(',', f);
		res_csv_str(f, json_string_value(json_object_get(p, "status")));
		fprintf(f, ",%zu", json_array_size(json_object_get(p, "repeats")));
		for (m = 0; m < RES_N_METRICS; m++) {
			json_t *s = json_object_get(p, res_metrics[m]);

			fputc(',', f);
			res_csv_num(f, json_object_get(s, "median"));
			fputc(',', f);
			res_csv_num(f, json_object_get(s, "min"));
			fputc(',', f);
			res_csv_num(f, json_object_get(s, "max"));
		}
		fputc(',', f);
		res_csv_str(f, json_string_value(json_object_get(p, "reason")));
		fputc('\n', f);
	}
	fclose(f);
	return buf;
}

int
res_write_json_csv(const char *dir, json_t *results, char *csv)
{
	char *json = json_dumps(results, JSON_INDENT(2));
	int ret = json != NULL && csv != NULL ? 0 : -ENOMEM;

	if (ret == 0)
		ret = res_write_text(dir, "results.json", json);
	if (ret == 0)
		ret = res_write_text(dir, "results.csv", csv);
	free(json);
	free(csv);
	return ret;
}

int
res_write(const char *dir, json_t *results)
{
	const char *kind = json_string_value(json_object_get(results, "kind"));

	return res_write_json_csv(dir, results,
			      kind != NULL && strcmp(kind, "simulate") == 0
				      ? csv_of_simulate(results)
				      : csv_of(results));
}

static const char *
str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void
long_cell(FILE *f, const struct res_col *c, json_t *p, json_t *metric)
{
	const char *key = c->key != NULL ? c->key : c->name;
	const char *mkey = str(metric, "key");

	switch (c->src) {
	case RES_COL_STR:
		res_csv_str(f, str(p, key));
		break;
	case RES_COL_NUM:
		res_csv_num(f, json_object_get(p, key));
		break;
	case RES_COL_METRIC:
		res_csv_str(f, mkey);
		break;
	case RES_COL_UNIT:
		res_csv_str(f, str(metric, "unit"));
		break;
	case RES_COL_STAT:
		if (mkey != NULL)
			res_csv_num(f, json_object_get(json_object_get(p, mkey), key));
		break;
	case RES_COL_DELTA:
		if (mkey != NULL)
			res_csv_num(f, json_object_get(
					       json_object_get(json_object_get(p, "delta"), mkey),
					       key));
		break;
	case RES_COL_REPEATS:
		fprintf(f, "%zu", json_array_size(json_object_get(p, "repeats")));
		break;
	}
}

static char *
csv_long(json_t *results, const struct res_col *cols, size_t n_cols)
{
	char *buf = NULL;
	size_t len = 0, i, m, c;
	FILE *f = open_memstream(&buf, &len);
	json_t *p;

	if (f == NULL)
		return NULL;
	for (c = 0; c < n_cols; c++)
		fprintf(f, "%s%s", c > 0 ? "," : "", cols[c].name);
	fputc('\n', f);
	json_array_foreach(json_object_get(results, "points"), i, p) {
		json_t *metrics = json_object_get(p, "metrics");
		size_t n = json_array_size(metrics);

		for (m = 0; m < (n ? n : 1); m++) {
			for (c = 0; c < n_cols; c++) {
				if (c > 0)
					fputc(',', f);
				long_cell(f, &cols[c], p, json_array_get(metrics, m));
			}
			fputc('\n', f);
		}
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int
res_write_long(const char *dir, json_t *results, const char *kind, const struct res_col *cols,
	       size_t n_cols)
{
	const char *k = str(results, "kind");

	if (k == NULL || strcmp(k, kind) != 0)
		return -EINVAL;
	return res_write_json_csv(dir, results, csv_long(results, cols, n_cols));
}

int
res_load(const char *dir, json_t **results, char *err, size_t errlen)
{
	char path[4200];
	json_error_t jerr;
	json_t *j;

	snprintf(path, sizeof(path), "%s/results.json", dir);
	if (!tb_path_exists(path)) {
		snprintf(err, errlen, "%s: no such file (is %s a run directory?)", path, dir);
		return -ENOENT;
	}
	j = json_load_file(path, 0, &jerr);
	if (j == NULL) {
		snprintf(err, errlen, "%s:%d: %s", path, jerr.line, jerr.text);
		return -EINVAL;
	}
	/*
	 * A sweep has points; other kinds say what they are (bench all and bench switch hold no
	 * points: the report's kind table knows what they hold)
	 */
	if (json_integer_value(json_object_get(j, "schema")) != RES_SCHEMA ||
	    (!json_is_array(json_object_get(j, "points")) &&
	     !json_is_string(json_object_get(j, "kind")))) {
		snprintf(err, errlen, "%s: not a results file of schema %d", path, RES_SCHEMA);
		json_decref(j);
		return -EINVAL;
	}
	*results = j;
	return 0;
}
