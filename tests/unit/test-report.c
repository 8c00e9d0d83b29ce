/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "reference.h"
#include "report.h"
#include "results.h"
#include "report-fixtures.h"
#include "unit.h"


START_TEST(test_ref_real_file)
{
	const struct ref_point *vu, *br;
	struct ref_table t;

	load_ref(&t);
	ck_assert_uint_eq(t.n, 276);
	vu = ref_find(&t, "vhost-user", "same_host", "tcp", 1);
	br = ref_find(&t, "bridge", "same_host", "tcp", 1);
	ck_assert_ptr_nonnull(vu);
	ck_assert_ptr_nonnull(br);
	ck_assert_double_eq_tol(vu->lat_us, 11.7, 1e-9);
	ck_assert_double_eq_tol(br->lat_us, 42.6, 1e-9);
	ck_assert_double_eq_tol(vu->pps, 2440000, 1e-9);
	ck_assert_double_eq_tol(vu->link_bw_mbps, -1, 1e-9); /* empty field */
	ck_assert_double_eq_tol(ref_find(&t, "vhost-user", "same_host", "tcp", 131072)->bw_mbps,
				25360, 1e-9);
	ck_assert_double_eq_tol(ref_find(&t, "bridge", "same_host", "tcp", 131072)->bw_mbps, 13040,
				1e-9);
	ck_assert_double_eq_tol(ref_find(&t, "masquerade", "across_hosts", "simulate", 14)->pps, -1,
				1e-9);
	ck_assert_ptr_null(
		ref_find(&t, "vhost-user", "same_host", "udp", 2048)); /* udp ends at 1K */
	ck_assert_ptr_null(ref_find(&t, "vhost-user", "same_host", "tcp", 3));
	ck_assert_ptr_null(ref_find(NULL, "vhost-user", "same_host", "tcp", 1));
	ref_free(&t);
	ck_assert_ptr_null(t.p);
	ref_free(NULL);
}
END_TEST

/* Loads text as a CSV; returns ref_load's result with its message in err. */
static int
load_text(const char *text, struct ref_table *t, char *path, size_t pathlen, char *err,
	  size_t errlen)
{
	char dir[] = "/tmp/tb-unit-ref-XXXXXX";
	int ret;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, pathlen, "%s/ref.csv", dir);
	ck_assert_int_eq(tb_write_atomic(path, text, strlen(text), 0644), 0);
	err[0] = '\0';
	ret = ref_load(path, t, err, errlen);
	tb_rm_tree(dir);
	return ret;
}

START_TEST(test_ref_bad_lines)
{
	static const struct {
		const char *csv, *where, *why;
	} bad[] = {
		{"backend,scope,test,bw_mbps\n", ":1: ", "no column \"x\""},
		{"backend,scope,test,x,x\n", ":1: ", "twice"},
		{"backend,scope,test,x,lat_us\nbridge,same_host,tcp,1,42.6\nbridge,same_host,tcp,"
		 "2\n",
		 ":3: ", "4 fields, the header has 5"},
		{"backend,scope,test,x,lat_us\nbridge,same_host,tcp,1,42.6x\n", ":2: ", "lat_us"},
		{"backend,scope,test,x,lat_us\nbridge,same_host,tcp,1, 42.6\n",
		 ":2: ", "not a number"},
		{"backend,scope,test,x,lat_us\nbridge,same_host,tcp,1,-1\n",
		 ":2: ", "not a number"},
		{"backend,scope,test,x,lat_us\nbridge,same_host,tcp,1,nan\n",
		 ":2: ", "not a number"},
		{"backend,scope,test,x,lat_us\nbridge,same_host,tcp,0x10,1\n",
		 ":2: ", "not a number"},
		{"backend,scope,test,x,lat_us\nbridge,same_host,tcp,0,1\n", ":2: ", "positive"},
		{"backend,scope,test,x,lat_us\n,same_host,tcp,1,1\n", ":2: ", "empty backend"},
		{"backend,scope,test,x,lat_us\nbridge,same_host,a-very-long-test-name,1,1\n",
		 ":2: ", "longer than 15"},
		{"backend,scope,test,x,lat_us\nbridge,same_host,tcp,1,1\n\nbridge,same_host,tcp,1,"
		 "2\n",
		 ":4: ", "same point"},
		{"", ":1: ", "no column \"backend\""},
	};
	char path[256], err[512], where[300];
	struct ref_table t;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(load_text(bad[i].csv, &t, path, sizeof(path), err, sizeof(err)),
				 -EINVAL);
		snprintf(where, sizeof(where), "%s%s", path, bad[i].where);
		ck_assert_msg(strncmp(err, where, strlen(where)) == 0, "case %zu: \"%s\"", i, err);
		ck_assert_msg(strstr(err, bad[i].why) != NULL, "case %zu: \"%s\"", i, err);
		ck_assert_ptr_null(t.p);
	}
	ck_assert_int_eq(ref_load("/nonexistent/ref.csv", &t, err, sizeof(err)), -ENOENT);
	ck_assert_has(err, "/nonexistent/ref.csv");
}
END_TEST

/* Columns are found by name: any order, unknown ones ignored, CRLF, absent figures -1. */
START_TEST(test_ref_columns_by_name)
{
	const char *csv = "x,note,lat_us,test,backend,scope\r\n"
			  "64,first,11.6,tcp,vhost-user,same_host\r\n"
			  "128,,,tcp,vhost-user,same_host\r\n";
	char path[256], err[512];
	struct ref_table t;
	const struct ref_point *p;

	ck_assert_msg(load_text(csv, &t, path, sizeof(path), err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(t.n, 2);
	p = ref_find(&t, "vhost-user", "same_host", "tcp", 64);
	ck_assert_ptr_nonnull(p);
	ck_assert_double_eq_tol(p->lat_us, 11.6, 1e-9);
	ck_assert_double_eq_tol(p->bw_mbps, -1, 1e-9);
	ck_assert_double_eq_tol(ref_find(&t, "vhost-user", "same_host", "tcp", 128)->lat_us, -1,
				1e-9);
	ref_free(&t);
}
END_TEST

static void
assert_png(const char *dir, const char *name)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	char path[4200], tmp[4300];
	unsigned char head[8] = {0};
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s missing", path);
	ck_assert_uint_eq(fread(head, 1, 8, f), 8);
	fclose(f);
	ck_assert_msg(memcmp(head, sig, 8) == 0, "%s is not a PNG", path);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	ck_assert(!tb_path_exists(tmp));
}

START_TEST(test_report)
{
	char dir[] = "/tmp/tb-unit-report-XXXXXX", err[512] = "", path[4200];
	json_t *res = load_fixture("a");
	struct ref_table ref;
	char *md;
	int ret;

	load_ref(&ref);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ret = rp_write_report(dir, res, &ref, err, sizeof(err));
	md = slurp(dir, "report.md");
	if (tb_path_exists("/usr/bin/gnuplot")) {
		ck_assert_msg(ret == 0, "%d: %s", ret, err);
		assert_png(dir, "tcp_lat.png");
		assert_png(dir, "tcp_bw.png");
		snprintf(path, sizeof(path), "%s/plots/tcp_lat.gp", dir);
		ck_assert(tb_path_exists(path));
		snprintf(path, sizeof(path), "%s/plots/tcp_bw-ref-bridge.dat", dir);
		ck_assert(tb_path_exists(path));
		ck_assert_has(md, "![tcp_lat](tcp_lat.png)");
	} else {
		ck_assert_int_eq(ret, -ENOENT);
		ck_assert_has(err, "gnuplot not found: apt-get install gnuplot-nox");
		ck_assert_has(md, "No plot: gnuplot not found");
	}
	ck_assert_has(md, "# Testbed report: 20261123-134800-tcp");
	ck_assert_has(md, "**OVERSUBSCRIBED**");
	ck_assert_has(md, "(6 needed, 2 available on NUMA node 0)");
	ck_assert_has(md, "- kernel: 6.1.0-26-amd64");
	ck_assert_has(md, "- plan.pmd: 1");
	ck_assert_has(md, "- pmd_maxsleep_us: 100");
	ck_assert_has(md, "- dpdk: 22.11.5");
	ck_assert_has(md, "| msg size | bandwidth | PPS | latency | ref bandwidth | ref PPS | "
			  "ref latency |");
	/* 3 repeats: median [min-max]; the reference row holds bw, PPS and latency */
	ck_assert_has(md, "| 1 B | - | 65.8K [62.5K-67.1K] | 15.2 us [14.9-16.0] | "
			  "2.44 MB/s (19.5 Mb/s) | 2.44M | 11.7 us |");
	ck_assert_has(md, "| 128 KiB | 2530 MB/s (20.2 Gb/s) | 19.3K | - | 3170 MB/s (25.4 Gb/s) | "
			  "24.2K | 86.6 us |");
	ck_assert_has(md, "| 128 KiB | failed: 198.18.3.2: failed to connect | - | - |");
	ck_assert_has(md, "| msg size | vhost-user/bridge | vhost-user/masquerade | "
			  "ref vhost-user/bridge | ref vhost-user/masquerade |");
	/* 15.2/28.9, 15.2/31.5; reference 11.7/42.6, 11.7/45.1 */
	ck_assert_has(md, "| 1 B | 0.526 | 0.483 | 0.275 | 0.259 |");
	/* bandwidth: 2530/4120, masquerade failed; reference 25360/13040, 25360/12720 */
	ck_assert_has(md, "| 128 KiB | 0.614 | - | 1.94 | 1.99 |");
	ck_assert_has(md, "lower latency is better");
	ck_assert_has(md, "higher bandwidth is better");
	free(md);

	/* Without the reference: no ref columns. */
	ret = rp_write_report(dir, res, NULL, err, sizeof(err));
	ck_assert(ret == 0 || ret == -ENOENT);
	md = slurp(dir, "report.md");
	ck_assert_ptr_null(strstr(md, "ref "));
	ck_assert_has(md, "| msg size | vhost-user/bridge | vhost-user/masquerade |\n");
	free(md);
	json_decref(res);
	ref_free(&ref);
	tb_rm_tree(dir);
}
END_TEST

START_TEST(test_report_rejects_non_results)
{
	char dir[] = "/tmp/tb-unit-report-XXXXXX", err[512] = "";
	json_t *j = json_pack("{s:i}", "schema", 1);

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(rp_write_report(dir, j, NULL, err, sizeof(err)), -EINVAL);
	ck_assert_has(err, "points");
	json_decref(j);
	tb_rm_tree(dir);
}
END_TEST

START_TEST(test_compare)
{
	char dir[] = "/tmp/tb-unit-report-XXXXXX", err[512] = "", out[4200];
	json_t *a = load_fixture("a"), *b = load_fixture("b");
	char *md;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/compare.md", dir);
	ck_assert_msg(rp_compare(out, a, b, err, sizeof(err)) == 0, "%s", err);
	md = slurp(dir, "compare.md");
	ck_assert_has(md, "- A: 20261123-134800-tcp, started 2026-11-23T13:48:00Z, "
			  "**oversubscribed**");
	ck_assert_has(md, "- points in both: 16; only in A: 8; only in B: 0");
	ck_assert_has(md, "| msg size | A latency | B latency | B/A | beyond spread |");
	/* 12.3 vs 15.2: 2.9 apart, spreads 1.1 and 0.5 */
	ck_assert_has(md, "| 1 B | 15.2 us [14.9-16.0] | 12.3 us [12.1-12.6] | 0.809 | yes |");
	/* 0.1 apart within B's 1.8 */
	ck_assert_has(md, "| 1 B | 28.9 us | 29.0 us [28.1-29.9] | 1.00 | no |");
	/* B's point kept one repeat of three, A ran once */
	ck_assert_has(md, "| 128 KiB | 4120 MB/s (33.0 Gb/s) | 4090 MB/s (32.7 Gb/s) | 0.993 | "
			  "no repeats |");
	ck_assert_ptr_null(strstr(md, "masquerade")); /* not in B */
	free(md);
	json_decref(a);
	json_decref(b);
	tb_rm_tree(dir);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ref_real_file);
	tcase_add_test(tc, test_ref_bad_lines);
	tcase_add_test(tc, test_ref_columns_by_name);
	tcase_add_test(tc, test_report);
	tcase_add_test(tc, test_report_rejects_non_results);
	tcase_add_test(tc, test_compare);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(report_suite)
