/* SPDX-License-Identifier: BSD-3-Clause */
/* `import`: file names, a fixture folder into a run that loads and renders, bad input refused. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "import.h"
#include "report.h"
#include "results.h"
#include "tool-fixtures.h"
#include "unit.h"

/*
 * tests/fixtures/import/: raw outputs of the published method as a user would bring them.
 * The qperf files are real `qperf 127.0.0.1 -t 1 -oo msg_size:1:128M:*2 -vvs tcp_lat` (and
 * `-oo msg_size:1:1K:*2 -vvs udp_bw`) outputs of qperf 0.4.11 over loopback; bridge-tcp_lat-1
 * and -2 are two runs, so two repeats of each of their points. masquerade-iperf.txt and
 * bridge-mtr.txt are copies of iperf-client.txt and mtr-report.txt.
 */

START_TEST(test_names)
{
	static const struct {
		const char *name, *backend, *test, *error;
	} c[] = {
		{"vhost-user-tcp_lat.txt", "vhost-user", "tcp_lat", NULL},
		{"bridge-udp_bw-2.txt", "bridge", "udp_bw", NULL},
		{"masquerade-iperf", "masquerade", "iperf", NULL},
		{"vhost-net-mtr-10.txt", "vhost-net", "mtr", NULL},
		{"bridge-tcp_lat.log", NULL, NULL, "unknown test \"tcp_lat.log\""},
		{"foo-tcp_lat.txt", NULL, NULL, "unknown backend \"foo\""},
		{"bridge-ping.txt", NULL, NULL, "unknown test \"ping\""},
		{"notes.txt", NULL, NULL, "the name does not say backend and test"},
		{"bridge-.txt", NULL, NULL, "the name does not say backend and test"},
		{"-tcp_lat.txt", NULL, NULL, "the name does not say backend and test"},
		{"bridge-3.txt", NULL, NULL, "the name does not say backend and test"},
	};
	char be[32], test[32], err[512];
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int ret = imp_name_parse(c[i].name, be, sizeof(be), test, sizeof(test), err,
					 sizeof(err));

		if (c[i].error == NULL) {
			ck_assert_msg(ret == 0, "%s: %s", c[i].name, err);
			ck_assert_str_eq(be, c[i].backend);
			ck_assert_str_eq(test, c[i].test);
			continue;
		}
		ck_assert_int_eq(ret, -EINVAL);
		ck_assert_msg(strstr(err, c[i].error) != NULL &&
				      strncmp(err, c[i].name, strlen(c[i].name)) == 0,
			      "%s: \"%s\"", c[i].name, err);
	}
}
END_TEST

/* A new empty directory under /tmp (the caller removes it). */
static void
tmp_dir(char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/tb-test-import-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(buf));
}

static json_t *
point(json_t *res, const char *backend, const char *test, json_int_t size)
{
	json_t *p;
	size_t i;

	json_array_foreach(json_object_get(res, "points"), i, p) {
		if (strcmp(json_string_value(json_object_get(p, "backend")), backend) == 0 &&
		    strcmp(json_string_value(json_object_get(p, "test")), test) == 0 &&
		    json_integer_value(json_object_get(p, "msg_size")) == size)
			return p;
	}
	return NULL;
}

START_TEST(test_folder)
{
	char in[512], out[600], dir[4096], err[1024], warn[1024], path[4200];
	struct imp_conf c = IMP_CONF_DEFAULT;
	json_t *res = NULL, *loaded = NULL, *p;
	char *a = NULL, *b = NULL;
	size_t la, lb;
	int ret;

	snprintf(in, sizeof(in), "%s/import", getenv("FIXTURES"));
	tmp_dir(out, sizeof(out));
	c.path = in;
	c.out = out;
	ret = imp_run(&c, &res, dir, sizeof(dir), err, sizeof(err), warn, sizeof(warn));
	ck_assert_msg(ret == 0, "import: %d %s", ret, err);
	ck_assert_ptr_nonnull(res);
	/* the run loads as any run and renders as a sweep */
	ck_assert_int_eq(res_load(dir, &loaded, err, sizeof(err)), 0);
	ck_assert_str_eq(json_string_value(json_object_get(loaded, "kind")), "sweep");
	ck_assert(json_is_true(json_object_get(loaded, "imported")));
	ck_assert_str_eq(json_string_value(json_object_get(loaded, "imported_from")), in);
	ck_assert_uint_eq(json_array_size(json_object_get(loaded, "imported_files")), 6);
	/* 28 + 28 tcp_lat sizes, 11 udp_bw, one iperf and one mtr point */
	ck_assert_uint_eq(json_array_size(json_object_get(loaded, "points")), 28 * 2 + 11 + 2);
	/* two files of bridge tcp_lat: two repeats of each size, min <= median <= max */
	p = point(loaded, "bridge", "tcp_lat", 1024);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(json_array_size(json_object_get(p, "repeats")), 2);
	ck_assert(num(json_object_get(p, "latency_us"), "min") <
		  num(json_object_get(p, "latency_us"), "max"));
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(json_object_get(p, "repeats"), 1), "raw")),
			 "raw/bridge-tcp_lat-2.txt");
	p = point(loaded, "vhost-user", "tcp_lat", 134217728);
	ck_assert_ptr_nonnull(p);
	ck_assert_double_eq(num(json_object_get(p, "latency_us"), "median"), 510000);
	p = point(loaded, "bridge", "udp_bw", 1024);
	ck_assert_ptr_nonnull(p);
	ck_assert(num(json_object_get(p, "bw_mbps"), "median") > 0);
	p = point(loaded, "masquerade", "iperf_bw", 131072);
	ck_assert_ptr_nonnull(p);
	ck_assert(num(json_object_get(p, "bw_mbps"), "median") > 0);
	p = point(loaded, "bridge", "mtr_lat", 64);
	ck_assert_ptr_nonnull(p);
	ck_assert(num(json_object_get(p, "latency_us"), "median") > 0);
	/* raw/ holds the inputs byte for byte */
	snprintf(path, sizeof(path), "%s/bridge-tcp_lat-1.txt", in);
	ck_assert_int_eq(tb_read_file(path, &a, &la), 0);
	snprintf(path, sizeof(path), "%s/raw/bridge-tcp_lat-1.txt", dir);
	ck_assert_int_eq(tb_read_file(path, &b, &lb), 0);
	ck_assert_uint_eq(la, lb);
	ck_assert_mem_eq(a, b, la);
	free(a);
	free(b);
	/* the report of a sweep renders it (plots need gnuplot: report.md is written anyway) */
	ret = rp_write_report(dir, loaded, NULL, err, sizeof(err));
	ck_assert_msg(ret == 0 || ret == -ENOENT, "report: %d %s", ret, err);
	snprintf(path, sizeof(path), "%s/report.md", dir);
	ck_assert_int_eq(tb_read_file(path, &a, NULL), 0);
	ck_assert_ptr_nonnull(strstr(a, "## tcp_lat"));
	ck_assert_ptr_nonnull(strstr(a, "## iperf_bw"));
	ck_assert_ptr_nonnull(strstr(a, "| 128 MiB | - | 1.98 | 510000 us |"));
	free(a);
	/* nothing but the run directory in out: no temporary left */
	snprintf(path, sizeof(path), "%s", dir);
	ck_assert_ptr_nonnull(strstr(path, out));
	json_decref(loaded);
	json_decref(res);
	ck_assert_int_eq(tb_rm_tree(out), 0);
}
END_TEST

START_TEST(test_one_file)
{
	char in[512], out[600], dir[4096], err[1024], warn[1024];
	struct imp_conf c = IMP_CONF_DEFAULT;
	json_t *res = NULL;
	int ret;

	snprintf(in, sizeof(in), "%s/qperf-oo-udp_bw-vu.txt", getenv("FIXTURES"));
	tmp_dir(out, sizeof(out));
	c.path = in;
	c.out = out;
	c.backend = "tap";
	c.test = "udp_bw";
	ret = imp_run(&c, &res, dir, sizeof(dir), err, sizeof(err), warn, sizeof(warn));
	ck_assert_msg(ret == 0, "import: %d %s", ret, err);
	ck_assert_uint_eq(json_array_size(json_object_get(res, "points")), 11);
	ck_assert_ptr_nonnull(point(res, "tap", "udp_bw", 512));
	ck_assert_str_eq(json_string_value(json_object_get(point(res, "tap", "udp_bw", 512),
							   "scope")), "same_host");
	json_decref(res);
	/* measured across hosts: every point says so */
	c.scope = TB_SCOPE_ACROSS_HOSTS;
	ck_assert_int_eq(tb_rm_tree(out), 0);
	ret = imp_run(&c, &res, dir, sizeof(dir), err, sizeof(err), warn, sizeof(warn));
	ck_assert_msg(ret == 0, "import: %d %s", ret, err);
	ck_assert_str_eq(json_string_value(json_object_get(point(res, "tap", "udp_bw", 512),
							   "scope")), "across_hosts");
	json_decref(res);
	c.scope = TB_SCOPE_SAME_HOST;
	/* the same file said to be of another test: refused, the block's line named */
	c.test = "udp_lat";
	ret = imp_run(&c, &res, dir, sizeof(dir), err, sizeof(err), warn, sizeof(warn));
	ck_assert_int_eq(ret, -EBADMSG);
	ck_assert_ptr_null(res);
	ck_assert_msg(strstr(err, "line 1: a udp_bw block in a file named for udp_lat") != NULL,
		      "%s", err);
	ck_assert_int_eq(tb_rm_tree(out), 0);
}
END_TEST

/* A copy of the fixture folder with one more file (name, content), imported into out. */
static int
import_with(const char *name, const char *content, char *out, size_t outlen, char *err,
	    size_t errlen, json_t **res)
{
	static const char *const files[] = {"bridge-tcp_lat-1.txt", "bridge-mtr.txt"};
	char in[600], src[600], dst[1300], dir[4096], warn[1024];
	struct imp_conf c = IMP_CONF_DEFAULT;
	char *text;
	size_t i, len;

	tmp_dir(in, sizeof(in));
	for (i = 0; i < 2; i++) {
		snprintf(src, sizeof(src), "%s/import/%s", getenv("FIXTURES"), files[i]);
		ck_assert_int_eq(tb_read_file(src, &text, &len), 0);
		snprintf(dst, sizeof(dst), "%s/%s", in, files[i]);
		ck_assert_int_eq(tb_write_atomic(dst, text, len, 0644), 0);
		free(text);
	}
	snprintf(dst, sizeof(dst), "%s/%s", in, name);
	ck_assert_int_eq(tb_write_atomic(dst, content, strlen(content), 0644), 0);
	snprintf(out, outlen, "%s/out", in);
	c.path = in;
	c.out = out;
	return imp_run(&c, res, dir, sizeof(dir), err, errlen, warn, sizeof(warn));
}

START_TEST(test_bad_input)
{
	static const struct {
		const char *name, *content;
		int ret;
		const char *error;
	} c[] = {
		{"notes.txt", "x\n", -EINVAL, "notes.txt: the name does not say backend and test"},
		{"foo-tcp_lat.txt", "tcp_lat:\n", -EINVAL, "foo-tcp_lat.txt: unknown backend"},
		{"bridge-tcp_rr.txt", "tcp_lat:\n", -EINVAL, "bridge-tcp_rr.txt: unknown test"},
		{"bridge-tcp_bw.txt", "hello\n", -EBADMSG,
		 "bridge-tcp_bw.txt: line 1: \"hello\": not qperf output"},
		{"bridge-tcp_bw-3.txt", "tcp_bw:\n    bw  =  12 furlongs\n", -EBADMSG,
		 "bridge-tcp_bw-3.txt: line 2: \"    bw  =  12 furlongs\": value not understood"},
		{"bridge-iperf.txt", "tcp_lat:\n", -EBADMSG,
		 "bridge-iperf.txt: not the output of iperf"},
		{"vhost-user-mtr.txt", "nothing\n", -EBADMSG,
		 "vhost-user-mtr.txt: not the output of mtr"},
	};
	char out[700], err[1024], parent[700];
	json_t *res;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		res = NULL;
		int ret = import_with(c[i].name, c[i].content, out, sizeof(out), err, sizeof(err),
				      &res);

		ck_assert_msg(ret == c[i].ret, "%s: %d %s", c[i].name, ret, err);
		ck_assert_ptr_null(res);
		ck_assert_msg(strstr(err, c[i].error) != NULL, "%s: \"%s\"", c[i].name, err);
		ck_assert_ptr_null(strchr(err, '\n'));
		/* no run directory, not even half of one */
		ck_assert_msg(!tb_path_exists(out), "%s: %s was made", c[i].name, out);
		snprintf(parent, sizeof(parent), "%s", out);
		parent[strlen(parent) - strlen("/out")] = '\0';
		ck_assert_int_eq(tb_rm_tree(parent), 0);
	}
	/* a qperf output that reports qperf's failure: imported, the point failed, counted */
	ck_assert_int_eq(import_with("masquerade-tcp_lat.txt",
				     "tcp_lat:\n198.18.3.2: failed to "
				     "connect\n",
				     out, sizeof(out), err, sizeof(err), &res),
			 1);
	ck_assert_ptr_nonnull(res);
	ck_assert_str_eq(json_string_value(
				 json_object_get(point(res, "masquerade", "tcp_lat", 1), "reason")),
			 "198.18.3.2: failed to connect");
	json_decref(res);
	snprintf(parent, sizeof(parent), "%s", out);
	parent[strlen(parent) - strlen("/out")] = '\0';
	ck_assert_int_eq(tb_rm_tree(parent), 0);
}
END_TEST

static Suite *
import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_folder);
	tcase_add_test(tc, test_one_file);
	tcase_add_test(tc, test_bad_input);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(import_suite)
