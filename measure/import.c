/* SPDX-License-Identifier: BSD-3-Clause */
/* `import`: raw outputs of the published method (qperf -oo, iperf -c, mtr) -> a run directory. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backend.h"
#include "fsutil.h"
#include "hosts.h"
#include "import.h"
#include "reference.h"
#include "report.h"
#include "results.h"
#include "run-info.h"
#include "sweep-run.h"
#include "toolparse.h"

enum imp_tool { IMP_QPERF, IMP_IPERF, IMP_MTR };

/*
 * The TEST words of the file names. iperf and mtr points are named by their main metric
 * (iperf_bw, mtr_lat, as the qperf tests) so reports draw and compare them; their msg_size
 * is the tool's default message, which their output does not print.
 */
static const struct imp_test {
	const char *word;
	const char *test;
	enum imp_tool tool;
	double size;
	const char *size_note;
} imp_tests[] = {
	{"tcp_lat", "tcp_lat", IMP_QPERF, 0, NULL},
	{"tcp_bw", "tcp_bw", IMP_QPERF, 0, NULL},
	{"udp_lat", "udp_lat", IMP_QPERF, 0, NULL},
	{"udp_bw", "udp_bw", IMP_QPERF, 0, NULL},
	{"iperf", "iperf_bw", IMP_IPERF, 131072,
	 "iperf 2's default TCP write length (-l 128K); its output does not print it"},
	{"mtr", "mtr_lat", IMP_MTR, 64,
	 "mtr's default packet size (-s 64); its report does not print it"},
};

#define N_TESTS (sizeof(imp_tests) / sizeof(imp_tests[0]))

/* One input file, read and named. */
struct imp_file {
	char name[NAME_MAX + 1]; /* as in raw/ */
	char path[PATH_MAX];
	char backend[32];
	const struct imp_test *t;
	char *text;
	size_t len;
};

static const struct imp_test *
test_of(const char *word)
{
	size_t i;

	for (i = 0; i < N_TESTS; i++)
		if (strcmp(imp_tests[i].word, word) == 0)
			return &imp_tests[i];
	return NULL;
}

int
imp_test_check(const char *word)
{
	return word != NULL && test_of(word) != NULL ? 0 : -EINVAL;
}

int
imp_name_parse(const char *name, char *backend, size_t blen, char *test, size_t tlen, char *err,
	       size_t errlen)
{
	char base[NAME_MAX + 1], *dash, *p;
	size_t n;

	if (snprintf(base, sizeof(base), "%s", name) >= (int)sizeof(base))
		goto bad_name;
	n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".txt") == 0)
		base[n -= 4] = '\0';
	/* -N: a repeat's label */
	dash = strrchr(base, '-');
	if (dash != NULL && dash[1] != '\0') {
		for (p = dash + 1; isdigit((unsigned char)*p); p++)
			;
		if (*p == '\0')
			*dash = '\0';
	}
	dash = strrchr(base, '-');
	if (dash == NULL || dash == base || dash[1] == '\0')
		goto bad_name;
	*dash = '\0';
	if (test_of(dash + 1) == NULL) {
		snprintf(err, errlen, "%s: unknown test \"%.64s\" (valid: %s)", name, dash + 1,
			 IMP_TESTS);
		return -EINVAL;
	}
	if (tb_backend_from_name(base) < 0) {
		snprintf(err, errlen, "%s: unknown backend \"%.64s\" (valid: %s)", name, base,
			 TB_BE_NAMES_LIST);
		return -EINVAL;
	}
	snprintf(backend, blen, "%s", base);
	snprintf(test, tlen, "%s", dash + 1);
	return 0;
bad_name:
	snprintf(err, errlen,
		 "%s: the name does not say backend and test (BACKEND-TEST[-N].txt, e.g. "
		 "bridge-tcp_lat.txt or vhost-user-udp_bw-2.txt)",
		 name);
	return -EINVAL;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
files_free(struct imp_file *f, size_t n)
{
	size_t i;

	for (i = 0; f != NULL && i < n; i++)
		free(f[i].text);
	free(f);
}

/* The folder's file names (dot files left out), sorted; -EINVAL when there are none. */
static int
list_dir(const char *path, char ***names, size_t *n, char *err, size_t errlen)
{
	DIR *d = opendir(path);
	struct dirent *e;
	size_t cap = 0;
	char **v = NULL, **nv;
	int ret = 0;

	*n = 0;
	if (d == NULL) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			nv = realloc(v, cap * sizeof(*v));
			if (nv == NULL) {
				ret = -ENOMEM;
				break;
			}
			v = nv;
		}
		v[*n] = strdup(e->d_name);
		if (v[*n] == NULL) {
			ret = -ENOMEM;
			break;
		}
		(*n)++;
	}
	closedir(d);
	if (ret == 0 && *n == 0) {
		snprintf(err, errlen, "%s: no raw outputs in it (name them BACKEND-TEST[-N].txt)",
			 path);
		ret = -EINVAL;
	}
	if (ret < 0) {
		while (*n > 0)
			free(v[--(*n)]);
		free(v);
		if (ret == -ENOMEM)
			snprintf(err, errlen, "%s: out of memory", path);
		return ret;
	}
	qsort(v, *n, sizeof(*v), name_cmp);
	*names = v;
	return 0;
}

static int
read_one(struct imp_file *f, char *err, size_t errlen)
{
	struct stat st;
	int ret;

	if (stat(f->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a file (a raw output BACKEND-TEST[-N].txt is)",
			 f->path);
		return -EINVAL;
	}
	ret = tb_read_file(f->path, &f->text, &f->len);
	if (ret < 0)
		snprintf(err, errlen, "%s: %s", f->path, strerror(-ret));
	return ret;
}

/* Every input named and read, before anything is written. */
static int
collect(const struct imp_conf *c, struct imp_file **files, size_t *n_files, char *err,
	size_t errlen)
{
	char **names = NULL, test[32], path[PATH_MAX], why[512];
	struct imp_file *f;
	size_t n = 0, i;
	int ret = 0;

	*files = NULL;
	*n_files = 0;
	if (c->test != NULL) {
		f = calloc(1, sizeof(*f));
		if (f == NULL)
			return -ENOMEM;
		snprintf(path, sizeof(path), "%s", c->path);
		snprintf(f->name, sizeof(f->name), "%s", basename(path));
		snprintf(f->path, sizeof(f->path), "%s", c->path);
		snprintf(f->backend, sizeof(f->backend), "%s", c->backend);
		f->t = test_of(c->test);
		*files = f;
		*n_files = 1;
		if (f->t == NULL) {
			snprintf(err, errlen, "--test \"%.64s\": allowed are %s", c->test,
				 IMP_TESTS);
			return -EINVAL;
		}
		if (tb_backend_from_name(c->backend) < 0) {
			snprintf(err, errlen, "--backend \"%.64s\": allowed are %s", c->backend,
				 TB_BE_NAMES_LIST);
			return -EINVAL;
		}
		return read_one(f, err, errlen);
	}
	ret = list_dir(c->path, &names, &n, err, errlen);
	if (ret < 0)
		return ret;
	f = calloc(n, sizeof(*f));
	if (f == NULL)
		ret = -ENOMEM;
	for (i = 0; ret == 0 && i < n; i++) {
		snprintf(f[i].name, sizeof(f[i].name), "%s", names[i]);
		if (snprintf(f[i].path, sizeof(f[i].path), "%s/%s", c->path, names[i]) >=
		    (int)sizeof(f[i].path)) {
			snprintf(err, errlen, "%s/%s: path too long", c->path, names[i]);
			ret = -ENAMETOOLONG;
			break;
		}
		ret = imp_name_parse(names[i], f[i].backend, sizeof(f[i].backend), test,
				     sizeof(test), why, sizeof(why));
		if (ret < 0)
			snprintf(err, errlen, "%s/%s", c->path, why);
		if (ret == 0) {
			f[i].t = test_of(test);
			ret = read_one(&f[i], err, errlen);
		}
		*n_files = i + 1;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	*files = f;
	return ret;
}

static bool
is_udp(const char *test)
{
	return strncmp(test, "udp", 3) == 0;
}

static void
set_num(json_t *o, const char *key, double v)
{
	if (v >= 0)
		json_object_set_new(o, key, json_real(v));
}

/* The point of backend, test and size in points, made when new. */
static json_t *
point_of(json_t *points, const char *backend, const struct imp_test *t, double size)
{
	json_t *p;
	size_t i;

	json_array_foreach(points, i, p) {
		if (strcmp(json_string_value(json_object_get(p, "backend")), backend) == 0 &&
		    strcmp(json_string_value(json_object_get(p, "test")), t->test) == 0 &&
		    json_number_value(json_object_get(p, "msg_size")) == size)
			return p;
	}
	p = json_pack("{s:s, s:s, s:s, s:I, s:[]}", "backend", backend, "scope", "same_host",
		      "test", t->test, "msg_size", (json_int_t)size, "repeats");
	if (p != NULL && t->size_note != NULL)
		json_object_set_new(p, "msg_size_note", json_string(t->size_note));
	json_array_append_new(points, p);
	return p;
}

static void
add_repeat(json_t *point, json_t *rep, const char *error)
{
	json_object_set_new(rep, "status", json_string(error == NULL ? "ok" : "failed"));
	if (error != NULL)
		json_object_set_new(rep, "error", json_string(error));
	json_array_append_new(json_object_get(point, "repeats"), rep);
}

/* A qperf output: every block one repeat of its point. */
static int
add_qperf(json_t *points, const struct imp_file *f, const char *oo, char *err, size_t errlen)
{
	struct tp_qperf_all a;
	char raw[NAME_MAX + 8];
	size_t i;
	int ret;

	/* every file is a -oo loop, even of one block (one that failed to connect) */
	if (oo == NULL)
		oo = is_udp(f->t->test) ? TP_QPERF_OO_UDP : TP_QPERF_OO_TCP;
	ret = tp_qperf_parse_all(f->text, oo, &a);

	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", f->path, ret == -EINVAL ? a.error : strerror(-ret));
		tp_qperf_all_free(&a);
		return ret == -EINVAL ? -EBADMSG : ret;
	}
	snprintf(raw, sizeof(raw), "raw/%s", f->name);
	for (i = 0; i < a.n; i++) {
		const struct tp_qperf *q = &a.b[i].r;
		json_t *rep;

		if (strcmp(q->test, f->t->test) != 0) {
			snprintf(err, errlen, "%s: line %d: a %s block in a file named for %s",
				 f->path, a.b[i].line, q->test, f->t->test);
			ret = -EBADMSG;
			break;
		}
		if (q->msg_size < 1) {
			snprintf(err, errlen,
				 "%s: line %d: the block does not say its msg_size (import the "
				 "output of qperf -oo msg_size:..., or give --oo)",
				 f->path, a.b[i].line);
			ret = -EBADMSG;
			break;
		}
		rep = json_pack("{s:s, s:i}", "raw", raw, "line", a.b[i].line);
		if (q->ok) {
			set_num(rep, "latency_us", q->latency_us);
			set_num(rep, "bw_MBps", q->bw_Bps >= 0 ? q->bw_Bps / 1e6 : -1);
			set_num(rep, "bw_mbps", q->bw_Bps >= 0 ? q->bw_Bps * 8 / 1e6 : -1);
			set_num(rep, "msg_rate", q->msg_rate);
			set_num(rep, "cpu_local_pct", q->loc_cpus_used);
			set_num(rep, "cpu_remote_pct", q->rem_cpus_used);
		}
		add_repeat(point_of(points, f->backend, f->t, q->msg_size), rep,
			   q->ok ? NULL : q->error);
	}
	tp_qperf_all_free(&a);
	return ret;
}

static int
add_iperf(json_t *points, const struct imp_file *f, char *err, size_t errlen)
{
	struct tp_iperf r;
	char raw[NAME_MAX + 8];
	json_t *rep;

	if (tp_iperf_parse(f->text, &r) < 0) {
		snprintf(err, errlen, "%s: not the output of iperf -c (iperf 2, text or -y C)",
			 f->path);
		return -EBADMSG;
	}
	snprintf(raw, sizeof(raw), "raw/%s", f->name);
	rep = json_pack("{s:s}", "raw", raw);
	if (r.ok) {
		set_num(rep, "bw_mbps", r.bw_bps / 1e6);
		set_num(rep, "bw_MBps", r.bw_bps / 8e6);
		json_object_set_new(rep, "streams", json_integer(r.streams));
	}
	add_repeat(point_of(points, f->backend, f->t, f->t->size), rep, r.ok ? NULL : r.error);
	return 0;
}

static int
add_mtr(json_t *points, const struct imp_file *f, char *err, size_t errlen)
{
	struct tp_mtr r;
	char raw[NAME_MAX + 8];
	json_t *rep;

	if (tp_mtr_parse(f->text, &r) < 0) {
		snprintf(err, errlen, "%s: not the output of mtr --report", f->path);
		return -EBADMSG;
	}
	snprintf(raw, sizeof(raw), "raw/%s", f->name);
	rep = json_pack("{s:s}", "raw", raw);
	if (r.ok && r.n_hops > 0) {
		const struct tp_mtr_hop *h = &r.hop[r.n_hops - 1]; /* the destination */

		set_num(rep, "latency_us", h->avg_ms * 1000);
		set_num(rep, "loss_pct", h->loss_pct);
		json_object_set_new(rep, "hops", json_integer(r.n_hops));
	}
	add_repeat(point_of(points, f->backend, f->t, f->t->size), rep, r.ok ? NULL : r.error);
	return 0;
}

/* results.json of the files: the points (in the order of the tests), where they came from. */
static int
results_of(const struct imp_conf *c, const struct imp_file *f, size_t n, const char *run_id,
	   json_t **out, char *err, size_t errlen)
{
	json_t *res, *points = json_array(), *tests = json_array(), *files = json_array(), *p;
	char from[PATH_MAX], when[32];
	size_t i, k;
	int ret = 0, failed = 0;

	if (points == NULL || tests == NULL || files == NULL) {
		json_decref(points);
		json_decref(tests);
		json_decref(files);
		return -ENOMEM;
	}
	for (i = 0; ret == 0 && i < n; i++) {
		if (f[i].t->tool == IMP_QPERF)
			ret = add_qperf(points, &f[i], c->oo, err, errlen);
		else if (f[i].t->tool == IMP_IPERF)
			ret = add_iperf(points, &f[i], err, errlen);
		else
			ret = add_mtr(points, &f[i], err, errlen);
		json_array_append_new(files,
				      json_pack("{s:s, s:s, s:s}", "file", f[i].name, "backend",
						f[i].backend, "test", f[i].t->word));
	}
	if (ret < 0) {
		json_decref(points);
		json_decref(tests);
		json_decref(files);
		return ret;
	}
	for (k = 0; k < N_TESTS; k++)
		for (i = 0; i < n; i++)
			if (f[i].t == &imp_tests[k]) {
				json_array_append_new(tests, json_string(imp_tests[k].test));
				break;
			}
	json_array_foreach(points, i, p) {
		json_object_set_new(p, "scope", json_string(tb_scope_name(c->scope)));
		sweep_point_summarise(p, SW_WIDE_SPREAD);
		failed += strcmp(json_string_value(json_object_get(p, "status")), "ok") != 0;
	}
	if (realpath(c->path, from) == NULL)
		snprintf(from, sizeof(from), "%s", c->path);
	ri_iso_now(when, sizeof(when));
	res = json_pack("{s:i, s:s, s:s, s:b, s:s, s:s, s:o, s:o, s:{s:b, s:s, s:s}, s:o}",
			"schema", RES_SCHEMA, "kind", "sweep", "run_id", run_id, "imported", 1,
			"imported_from", from, "imported_at", when, "imported_files", files,
			"tests", tests, "testbed", "imported", 1, "from", from, "method",
			"the published method's raw outputs (qperf -oo msg_size, iperf -c, mtr "
			"--report), not measured by the testbed",
			"points", points);
	if (res == NULL)
		return -ENOMEM;
	*out = res;
	return failed;
}

/* raw/ (inputs byte for byte) and results.json/.csv into a new dir. */
static int
write_run(const char *tmp, const struct imp_file *f, size_t n, json_t *res, char *err,
	  size_t errlen)
{
	char path[PATH_MAX + 16];
	size_t i;
	int ret;

	snprintf(path, sizeof(path), "%s/raw", tmp);
	ret = tb_mkdir_p(path, 0755);
	if (ret < 0) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(-ret));
		return ret;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/raw/%s", tmp, f[i].name);
		ret = tb_write_atomic(path, f[i].text, f[i].len, 0644);
		if (ret < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
			return ret;
		}
	}
	ret = res_write(tmp, res);
	if (ret < 0)
		snprintf(err, errlen, "%s: cannot write results: %s", tmp, strerror(-ret));
	return ret;
}

int
imp_run(const struct imp_conf *c, json_t **out, char *dir, size_t dirlen, char *err, size_t errlen,
	char *warn, size_t warnlen)
{
	char run_id[64], tmp[PATH_MAX], rerr[512];
	struct ref_table ref = {0};
	struct imp_file *f = NULL;
	json_t *res = NULL;
	size_t n = 0;
	int ret, failed;

	*out = NULL;
	err[0] = warn[0] = '\0';
	if (c->path == NULL || c->out == NULL || (c->test != NULL) != (c->backend != NULL)) {
		snprintf(err, errlen, "import: a folder, or one file with --backend and --test");
		return -EINVAL;
	}
	ret = collect(c, &f, &n, err, errlen);
	if (ret == 0) {
		res_run_id("import", run_id, sizeof(run_id));
		ret = results_of(c, f, n, run_id, &res, err, errlen);
	}
	if (ret < 0)
		goto out;
	failed = ret;
	ret = tb_mkdir_p(c->out, 0755);
	if (ret == 0 &&
	    (snprintf(dir, dirlen, "%s/%s", c->out, run_id) >= (int)dirlen ||
	     snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", c->out, run_id) >= (int)sizeof(tmp)))
		ret = -ENAMETOOLONG;
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", c->out, strerror(-ret));
		goto out;
	}
	if (tb_path_exists(dir) || tb_path_exists(tmp)) {
		snprintf(err, errlen, "run directory %s already exists", dir);
		ret = -EEXIST;
		goto out;
	}
	ret = write_run(tmp, f, n, res, err, errlen);
	if (ret == 0 && rename(tmp, dir) < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s -> %s: %s", tmp, dir, strerror(errno));
	}
	if (ret < 0) {
		tb_rm_tree(tmp);
		goto out;
	}
	/* the run is complete: its report now, in place (plots hold absolute paths) */
	if (ref_load(ref_default_path(), &ref, rerr, sizeof(rerr)) < 0)
		snprintf(warn, warnlen, "reference figures not shown: %s", rerr);
	if (rp_write_report(dir, res, ref.n ? &ref : NULL, rerr, sizeof(rerr)) < 0)
		snprintf(warn, warnlen, "report: %s", rerr);
	ref_free(&ref);
	*out = res;
	res = NULL;
	ret = failed;
out:
	json_decref(res);
	files_free(f, n);
	return ret;
}
