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
	/*
	 * per-repeat pairs: vhost-user ran 3 repeats, bridge and masquerade one, so the one
	 * pair is repeat 1: 14.9/28.9, 14.9/31.5 (not the medians' 15.2/28.9); reference
	 * 11.7/42.6, 11.7/45.1
	 */
	ck_assert_has(md, "| 1 B | 0.516 | 0.473 | 0.275 | 0.259 |");
	/* bandwidth: 2530/4120, masquerade failed; reference 25360/13040, 25360/12720 */
	ck_assert_has(md, "| 128 KiB | 0.614 | - | 1.94 | 1.99 |");
	ck_assert_has(md, "lower latency is better");
	ck_assert_has(md, "higher bandwidth is better");
	/* one scope: no scope in the headings, no side-by-side table, no baseline */
	ck_assert_has(md, "\n### vhost-user\n\n");
	ck_assert_ptr_null(strstr(md, "(same host)"));
	ck_assert_ptr_null(strstr(md, "Same host vs across hosts"));
	ck_assert_ptr_null(strstr(md, "across/same"));
	ck_assert_ptr_null(strstr(md, "## Baseline"));
	free(md);
	if (tb_path_exists("/usr/bin/gnuplot")) {
		md = slurp(dir, "plots/tcp_lat.gp");
		ck_assert_has(md, "set key top left box opaque\n");
		ck_assert_has(md, "lc rgb '#1f77b4' lw 2 pt 7 ps 0.8 title 'vhost-user', \\\n");
		ck_assert_has(md, "lc rgb '#1f77b4' dt 2 lw 1.5 pt 6 ps 0.8 title "
				  "'vhost-user, Virtink reference'");
		free(md);
	}

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

/* A run across two hosts: points of both scopes, interleaved, and the baseline. */
START_TEST(test_report_across)
{
	char dir[] = "/tmp/tb-unit-report-XXXXXX";
	json_t *res = load_fixture("across");
	struct ref_table ref;
	char *md, *side, *gp;
	int ret;

	load_ref(&ref);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	md = render(rp_write_report, dir, res, &ref, &ret);
	/* the per-scope tables as before, then the side-by-side one */
	ck_assert_has(md, "\n### vhost-user (same host)\n\n");
	ck_assert_has(md, "\n### vhost-user (across hosts)\n\n");
	ck_assert_has(md, "| 64 KiB | - | - | failed: 198.18.1.2: no route to host | "
			  "1380 MB/s (11.0 Gb/s) | 21.2K | 172 us |\n");
	side = strstr(md, "### Same host vs across hosts");
	ck_assert_ptr_nonnull(side);
	ck_assert(side > strstr(md, "### masquerade (across hosts)"));
	ck_assert(side < strstr(md, "## tcp_bw"));
	ck_assert_has(md, "### Same host vs across hosts\n\n| msg size | vhost-user same host | "
			  "vhost-user across hosts | vhost-user across/same | "
			  "ref vhost-user across/same | bridge same host | bridge across hosts | "
			  "bridge across/same | ref bridge across/same | masquerade same host | "
			  "masquerade across hosts | masquerade across/same | "
			  "ref masquerade across/same |\n"
			  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	/*
	 * repeat 1 across over repeat 1 on one host: 22.8/14.9 (not the medians' 22.8/15.2),
	 * reference 15.4/11.7; 34.7/28.9, 48.1/42.6; 39.4/31.5, 55.3/45.1
	 */
	ck_assert_has(md, "| 1 B | 15.2 us [14.9-16.0] | 22.8 us | 1.53 | 1.32 | 28.9 us | "
			  "34.7 us | 1.20 | 1.13 | 31.5 us | 39.4 us | 1.25 | 1.23 |\n");
	/* masquerade did not run 1 KiB across hosts: no point, no ratio; its reference's */
	ck_assert_has(md, "| 1 KiB | 16.1 us | 24.0 us | 1.49 | 1.44 | 30.2 us | 36.9 us | "
			  "1.22 | 1.12 | 33.0 us | - | - | 1.16 |\n");
	/* bridge failed across hosts at 64 KiB */
	ck_assert_has(md, "| 64 KiB | 98.5 us | 150 us | 1.52 | 1.43 | 120 us | failed: "
			  "198.18.1.2: no route to host | - | 1.40 | 125 us | 160 us | 1.28 | "
			  "1.30 |\n");
	/* bandwidth: 1150/2530; reference 9600/23360 */
	ck_assert_has(md, "| 64 KiB | 2530 MB/s (20.2 Gb/s) | 1150 MB/s (9.20 Gb/s) | 0.455 | "
			  "0.411 | 4120 MB/s (33.0 Gb/s) | 1140 MB/s (9.12 Gb/s) | 0.277 | "
			  "0.868 | ");
	ck_assert_has(md, "across/same: the latency across hosts divided by the latency on one "
			  "host (median [min-max] of\nrepeat k over repeat k); above 1 means "
			  "crossing the wire adds latency. Read it against the baseline above.\n");
	ck_assert_has(md, "below 1 means crossing the wire costs bandwidth.");
	/* the baseline before the tests, ours beside the reference's */
	ck_assert(strstr(md, "\n## Baseline: host to host over the wire\n\n") <
		  strstr(md, "\n## tcp_lat\n"));
	ck_assert_has(md, "\n## Baseline: host to host over the wire\n\n- path: host-to-host "
			  "over the wire tbmain-wk0 <-> tbmain-wk1 (veth)\n\n"
			  "| measurement | ours | reference | raw |\n|---|---:|---:|---|\n"
			  "| iperf bandwidth | 9.12 Gb/s | 23.5 Gb/s | raw/baseline/iperf.txt |\n"
			  "| qperf latency (tcp_lat) | 12.3 us | 13.0 us | "
			  "raw/baseline/qperf-tcp_lat-1.txt |\n"
			  "| qperf bandwidth (tcp_bw) | 8.00 Gb/s | - | "
			  "raw/baseline/qperf-tcp_bw-64K.txt |\n\n"
			  "Read the across-hosts figures against this baseline");
	ck_assert_has(md, "gave 23.5 Gb/s (iperf) and 13.0 us (qperf)");
	ck_assert_ptr_null(strstr(md, "not measured"));
	free(md);
	if (ret == 0) {
		/* one plot per test: same colour per backend, across hosts dash-dotted */
		gp = slurp(dir, "plots/tcp_lat.gp");
		ck_assert_has(gp, "set key below box maxcols 2\nset bmargin 11\n");
		ck_assert_has(gp, "'tcp_lat-vhost-user-same_host.dat' using 1:2:3:4 with "
				  "yerrorlines lc rgb '#1f77b4' lw 2 pt 7 ps 0.8 title "
				  "'vhost-user (same host)'");
		ck_assert_has(gp, "'tcp_lat-vhost-user-across_hosts.dat' using 1:2:3:4 with "
				  "yerrorlines lc rgb '#1f77b4' dt 4 lw 2 pt 5 ps 0.8 title "
				  "'vhost-user (across hosts)'");
		ck_assert_has(gp, "'tcp_lat-ref-bridge-across_hosts.dat' using 1:2 with "
				  "linespoints lc rgb '#ff7f0e' dt 3 lw 1.5 pt 4 ps 0.8 title "
				  "'bridge (across hosts), Virtink reference'");
		free(gp);
		gp = slurp(dir, "plots/tcp_lat-vhost-user-across_hosts.dat");
		ck_assert_has(gp, "\n1 22.8 22.8 22.8\n1024 24 24 24\n65536 150 150 150\n");
		free(gp);
		gp = slurp(dir, "plots/tcp_lat-ref-masquerade-across_hosts.dat");
		ck_assert_has(gp, "\n1 55.3\n");
		free(gp);
	}

	/* without the reference: no ref columns, nor the reference's baseline */
	md = render(rp_write_report, dir, res, NULL, NULL);
	ck_assert_ptr_null(strstr(md, "ref "));
	ck_assert_ptr_null(strstr(md, "23.5 Gb/s"));
	ck_assert_has(md, "| msg size | vhost-user same host | vhost-user across hosts | "
			  "vhost-user across/same | bridge same host |");
	ck_assert_has(md, "| 1 B | 15.2 us [14.9-16.0] | 22.8 us | 1.53 | 28.9 us | 34.7 us | "
			  "1.20 | 31.5 us | 39.4 us | 1.25 |\n");
	ck_assert_has(md, "| measurement | ours | raw |\n|---|---:|---|\n"
			  "| iperf bandwidth | 9.12 Gb/s | raw/baseline/iperf.txt |\n");
	free(md);
	json_decref(res);
	ref_free(&ref);
	tb_rm_tree(dir);
}
END_TEST

/* A baseline missing a measurement, one that failed, and none. */
START_TEST(test_report_baseline)
{
	char dir[] = "/tmp/tb-unit-report-XXXXXX";
	json_t *res = load_fixture("across"), *bl = json_object_get(res, "baseline");
	struct ref_table ref;
	char *md;

	load_ref(&ref);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	json_object_del(bl, "qperf_tcp_lat");
	md = render(rp_write_report, dir, res, &ref, NULL);
	ck_assert_has(md, "| qperf latency (tcp_lat) | - | 13.0 us | - |\n");
	ck_assert_has(md, "| iperf bandwidth | 9.12 Gb/s | 23.5 Gb/s | raw/baseline/iperf.txt |\n");
	free(md);

	json_object_set_new(res, "baseline",
			    json_pack("{s:s, s:s, s:s}", "status", "failed", "reason",
				      "iperf -c 198.19.0.2: No route | host", "path",
				      "host-to-host over the wire tbmain-wk0 <-> tbmain-wk1 "
				      "(veth)"));
	md = render(rp_write_report, dir, res, &ref, NULL);
	ck_assert_has(md, "## Baseline: host to host over the wire\n\n- path: host-to-host over "
			  "the wire tbmain-wk0 <-> tbmain-wk1 (veth)\n- not measured: iperf -c "
			  "198.19.0.2: No route \\| host\n\nRead the across-hosts figures");
	ck_assert_ptr_null(strstr(md, "| measurement |"));
	free(md);

	/* no baseline: no section, and the side-by-side table does not point at one */
	json_object_del(res, "baseline");
	md = render(rp_write_report, dir, res, &ref, NULL);
	ck_assert_ptr_null(strstr(md, "aseline"));
	ck_assert_has(md, "### Same host vs across hosts");
	ck_assert_has(md, "means crossing the wire adds latency.\n");
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
	/* [14.9-16.0] and [12.1-12.6] do not overlap */
	ck_assert_has(md, "| 1 B | 15.2 us [14.9-16.0] | 12.3 us [12.1-12.6] | 0.809 | yes |");
	/* A ran once: no range on its side, whatever B's */
	ck_assert_has(md, "| 1 B | 28.9 us | 29.0 us [28.1-29.9] | 1.00 | no spread |");
	/* B's point kept one repeat of three, A ran once */
	ck_assert_has(md, "| 128 KiB | 4120 MB/s (33.0 Gb/s) | 4090 MB/s (32.7 Gb/s) | 0.993 | "
			  "no spread |");
	/* 16 in both, only vhost-user 1 B has repeats on both sides; the median of the 16
	 * |B-A|/A is 9.2% */
	ck_assert_has(md, "# Comparison of two runs\n\ncompared 16 points: 1 (6.2%) differ "
			  "beyond both runs' spread, 15 with no spread (one repeat); median "
			  "|difference| 9.2%\n");
	ck_assert_ptr_null(strstr(md, "masquerade")); /* not in B */
	free(md);
	json_decref(a);
	json_decref(b);
	tb_rm_tree(dir);
}
END_TEST

/*
 * Fixture r3: three repeats per point, vhost-user, bridge and masquerade, tcp_lat and tcp_bw
 * at 1 B and 1 KiB (repeat values in the comments below).
 */
START_TEST(test_report_repeats)
{
	char dir[] = "/tmp/tb-unit-report-XXXXXX";
	json_t *res = load_fixture("r3");
	struct ref_table ref;
	char *md, *txt;

	load_ref(&ref);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	md = render(rp_write_report, dir, res, &ref, NULL);
	ck_assert_has(md, "- qperf: 2 s per run, 3 run(s) per point");
	ck_assert_has(md, "- method: each cell is the median [min-max] of the point's repeats; "
			  "a trailing `*` marks\n  a wide spread, (max-min)/median above 20%");
	ck_assert_ptr_null(strstr(md, "ran once"));
	/* cells: median [min-max]; bridge 1 B latency 40, 30, 44: (44-30)/40 = 35% > 20% */
	ck_assert_has(md, "| 1 B | - | 90.9K [83.3K-100K] | 11.0 us [10.0-12.0] | "
			  "2.44 MB/s (19.5 Mb/s) | 2.44M | 11.7 us |\n");
	ck_assert_has(md, "| 1 B | - | 25.0K [22.7K-33.3K] * | 40.0 us [30.0-44.0] * | ");
	ck_assert_has(md, "| 1 KiB | - | 19.6K [19.2K-20.0K] | 51.0 us [50.0-52.0] | ");
	/* masquerade 1 B bandwidth 0.9, 1.0, 0.78 MB/s: 0.22/0.9 = 24.4% */
	ck_assert_has(md, "| 1 B | 0.900 MB/s [0.780-1.00] (7.20 Mb/s) * | 900K [780K-1.00M] * | "
			  "- |");
	/* vhost-user 1 KiB latency 20, 21, 22 (9.5%) carries "wide": true from the sweep */
	ck_assert_has(md, "| 1 KiB | - | 47.6K [45.5K-50.0K] | 21.0 us [20.0-22.0] * | ");
	/*
	 * pair ratios, repeat k over repeat k. Latency 1 B: vhost-user 10, 12, 11; bridge 40,
	 * 30, 44: 0.25, 0.4, 0.25 -> 0.250 [0.250-0.400], spread 60%: wide (the ratio of the
	 * medians would be 11/40 = 0.275); masquerade 44, 48, 46: 0.2273, 0.25, 0.2391.
	 * 1 KiB: vhost-user 20, 21, 22; bridge 50, 52, 51: 0.4, 0.4038, 0.4314; masquerade
	 * 60, 55, 58: 0.3333, 0.3818, 0.3793. The reference's beside them: 11.7/42.6, 11.7/45.1.
	 */
	ck_assert_has(md, "| 1 B | 0.250 [0.250-0.400] * | 0.239 [0.227-0.250] | 0.275 | "
			  "0.259 |\n");
	ck_assert_has(md, "| 1 KiB | 0.404 [0.400-0.431] | 0.379 [0.333-0.382] | ");
	/*
	 * bandwidth 1 B: vhost-user 2.0, 2.2, 2.1; bridge 1.0, 1.1, 1.05: 2, 2, 2; masquerade
	 * 0.9, 1.0, 0.78: 2.222, 2.2, 2.692 -> 2.22 [2.20-2.69], spread 22.2%: wide.
	 * 1 KiB: vhost-user 1000, 1100, 1050; bridge 500, 520, 510: 2, 2.115, 2.059; masquerade
	 * 480, 500, 490: 2.083, 2.2, 2.143.
	 */
	ck_assert_has(md, "| 1 B | 2.00 [2.00-2.00] | 2.22 [2.20-2.69] * | 1.15 | 1.23 |\n");
	ck_assert_has(md, "| 1 KiB | 2.06 [2.00-2.12] | 2.14 [2.08-2.20] | ");
	ck_assert_has(md, "Ours: median [min-max] of the per-repeat ratios (repeat k of "
			  "vhost-user over repeat k of the\nother, run back to back); the "
			  "reference's: of its single figures.\n");
	/* the wide points listed, by main metric only (bridge's 1 B PPS is not a point) */
	ck_assert_has(md, "\n## Wide spread\n\nPoints whose main metric (latency for *_lat, "
			  "bandwidth for *_bw) spread more than 20%\n");
	ck_assert_has(md, "- tcp_lat, bridge, 1 B: 40.0 us [30.0-44.0] *, spread 35.0%\n"
			  "- tcp_bw, masquerade, 1 B: 0.900 MB/s [0.780-1.00] (7.20 Mb/s) *, "
			  "spread 24.4%\n- tcp_lat, vhost-user, 1 KiB: 21.0 us [20.0-22.0] *, "
			  "spread 9.5%, flagged wide by the sweep\n\n");
	free(md);

	/* the plot's data: median, min, max per size; drawn as error bars */
	txt = slurp(dir, "plots/tcp_lat-bridge.dat");
	ck_assert_has(txt, "msg_size latency_us median min max\n1 40 30 44\n1024 51 50 52\n");
	free(txt);
	txt = slurp(dir, "plots/tcp_bw-masquerade.dat");
	ck_assert_has(txt, "msg_size bw_mbps median min max\n1 7.2 6.24 8\n1024 3920 3840 4000\n");
	free(txt);
	txt = slurp(dir, "plots/tcp_lat.gp");
	ck_assert_has(txt, "'tcp_lat-bridge.dat' using 1:2:3:4 with yerrorlines ");
	ck_assert_has(txt, "set logscale x 2\n");
	free(txt);

	/* results.csv: min and max beside each median, the old columns in their order */
	ck_assert_int_eq(res_write(dir, res), 0);
	txt = slurp(dir, "results.csv");
	ck_assert_has(txt, "backend,scope,test,msg_size,status,repeats,latency_us,latency_us_min,"
			   "latency_us_max,bw_MBps,bw_MBps_min,bw_MBps_max,bw_mbps,bw_mbps_min,"
			   "bw_mbps_max,msg_rate,msg_rate_min,msg_rate_max,");
	ck_assert_has(txt, "\nbridge,same_host,tcp_lat,1,ok,3,40,30,44,,,,,,,25000,22727,33333,");
	ck_assert_has(txt, "\nmasquerade,same_host,tcp_bw,1,ok,3,,,,0.9,0.78,1,7.2,6.24,8,");
	free(txt);
	json_decref(res);
	ref_free(&ref);
	tb_rm_tree(dir);
}
END_TEST

/* Every point of res keeps its first repeat only, as a sweep run once. */
static void
keep_first_repeat(json_t *res)
{
	static const char *const m[] = {"latency_us", "bw_MBps", "bw_mbps", "msg_rate"};
	json_t *p, *reps;
	size_t i, k;

	json_array_foreach(json_object_get(res, "points"), i, p) {
		reps = json_object_get(p, "repeats");
		while (json_array_size(reps) > 1)
			json_array_remove(reps, json_array_size(reps) - 1);
		for (k = 0; k < 4; k++) {
			json_t *v = json_object_get(json_array_get(reps, 0), m[k]);

			if (v != NULL)
				json_object_set_new(p, m[k],
						    json_pack("{s:O, s:O, s:O}", "median", v, "min",
							      v, "max", v));
		}
		json_object_del(p, "wide");
	}
}

START_TEST(test_report_ran_once)
{
	char dir[] = "/tmp/tb-unit-report-XXXXXX";
	json_t *res = load_fixture("r3");
	char *md;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	keep_first_repeat(res);
	md = render(rp_write_report, dir, res, NULL, NULL);
	ck_assert_has(md, "- method: points ran once: each cell is that one measurement, with "
			  "no spread to tell\n  noise from difference;");
	/* the value alone, no mark; ratios of the single repeats: 10/40, 10/44 */
	ck_assert_has(md, "| 1 B | - | 25.0K | 40.0 us |\n");
	ck_assert_has(md, "| 1 B | 0.250 | 0.227 |\n");
	ck_assert_ptr_null(strstr(md, "Wide spread"));
	ck_assert_ptr_null(strstr(md, " *"));
	ck_assert_ptr_null(strstr(md, "] |"));
	free(md);
	json_decref(res);
	tb_rm_tree(dir);
}
END_TEST

/* Multiplies the main metric of points of test (NULL: every test) by f, repeats and summary. */
static void
scale(json_t *res, const char *test, double f)
{
	static const char *const m[] = {"latency_us", "bw_MBps", "bw_mbps"};
	static const char *const st[] = {"median", "min", "max"};
	json_t *p, *r;
	size_t i, j, k, s;

	json_array_foreach(json_object_get(res, "points"), i, p) {
		if (test != NULL && strcmp(json_string_value(json_object_get(p, "test")), test))
			continue;
		for (k = 0; k < 3; k++) {
			json_t *o = json_object_get(p, m[k]);

			for (s = 0; o != NULL && s < 3; s++)
				json_object_set_new(o, st[s],
						    json_real(json_number_value(json_object_get(
								      o, st[s])) * f));
			json_array_foreach(json_object_get(p, "repeats"), j, r) {
				json_t *v = json_object_get(r, m[k]);

				if (v != NULL)
					json_object_set_new(r, m[k],
							    json_real(json_number_value(v) * f));
			}
		}
	}
}

/* tcp_lat of backend at size in res: repeats v[0..n) and their median, min and max. */
static void
set_lat(json_t *res, const char *backend, int size, const double *v, size_t n, double median)
{
	json_t *p, *reps;
	double lo = v[0], hi = v[0];
	size_t i, k;

	json_array_foreach(json_object_get(res, "points"), i, p) {
		if (strcmp(json_string_value(json_object_get(p, "test")), "tcp_lat") != 0 ||
		    strcmp(json_string_value(json_object_get(p, "backend")), backend) != 0 ||
		    json_integer_value(json_object_get(p, "msg_size")) != size)
			continue;
		reps = json_array();
		for (k = 0; k < n; k++) {
			json_array_append_new(reps, json_pack("{s:s, s:f}", "status", "ok",
							      "latency_us", v[k]));
			lo = v[k] < lo ? v[k] : lo;
			hi = v[k] > hi ? v[k] : hi;
		}
		json_object_set_new(p, "repeats", reps);
		json_object_set_new(p, "latency_us", json_pack("{s:f, s:f, s:f}", "median", median,
							       "min", lo, "max", hi));
		return;
	}
	ck_abort_msg("no tcp_lat point of %s at %d", backend, size);
}

/* A comparison names what was set up differently (switch, guest placement, ...). */
START_TEST(test_compare_setup)
{
	char dir[] = "/tmp/tb-unit-report-XXXXXX", err[512] = "", out[4200];
	json_t *a = load_fixture("r3"), *b = load_fixture("r3");
	char *md;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/compare.md", dir);
	ck_assert_msg(rp_compare(out, a, b, err, sizeof(err)) == 0, "%s", err);
	md = slurp(dir, "compare.md");
	ck_assert_has(md, "- set up alike: the same host, kernel, switch, adapter, guest cores and "
			  "guest profile\n");
	free(md);
	/* A: OVS-DPDK, guests on the cores its PMD leaves (a run from before the key: rest) */
	json_object_set_new(a, "testbed",
			    json_pack("{s:{s:s}, s:{s:b}}", "config", "switch", "ovs", "plan",
				      "oversubscribed", 1));
	json_object_set_new(b, "testbed",
			    json_pack("{s:{s:s}, s:{s:b, s:b}}", "config", "switch", "testbed-pmd",
				      "plan", "oversubscribed", 1, "guests_on_all", 1));
	ck_assert_msg(rp_compare(out, a, b, err, sizeof(err)) == 0, "%s", err);
	md = slurp(dir, "compare.md");
	ck_assert_has(md, "- **set up differently**: switch ovs in A, testbed-pmd in B; guest "
			  "cores rest in A, all in B (the differences below include these, not "
			  "only the network's)\n");
	free(md);
	json_decref(a);
	json_decref(b);
	tb_rm_tree(dir);
}
END_TEST

/* Two runs of the same sweep compared: the summary line, per point beyond spread or not. */
START_TEST(test_compare_spread)
{
	char dir[] = "/tmp/tb-unit-report-XXXXXX", err[512] = "", out[4200], line[256];
	json_t *a = load_fixture("r3"), *b = load_fixture("r3");
	struct rp_cmp_summary s;
	char *md;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/compare.md", dir);

	/* B 3% above A everywhere: every range overlaps (the tightest, bridge 1 KiB latency
	 * [50-52] and [51.5-53.56]) */
	scale(b, NULL, 1.03);
	ck_assert_msg(rp_compare(out, a, b, err, sizeof(err)) == 0, "%s", err);
	md = slurp(dir, "compare.md");
	ck_assert_has(md, "# Comparison of two runs\n\ncompared 12 points: 0 (0.0%) differ beyond "
			  "both runs' spread; median |difference| 3.0%\n");
	ck_assert_has(md, "| 1 KiB | 51.0 us [50.0-52.0] | 52.5 us [51.5-53.6] | 1.03 | no |\n");
	free(md);
	ck_assert_int_eq(rp_compare_summary(a, b, &s, err, sizeof(err)), 0);
	ck_assert_int_eq(s.compared, 12);
	ck_assert_int_eq(s.beyond, 0);
	ck_assert_int_eq(s.no_spread, 0);
	ck_assert_double_eq_tol(s.median_diff_pct, 3.0, 1e-9);

	/*
	 * Latency 1.5 x A's in B: no range overlaps (the widest, bridge 1 B [30-44], becomes
	 * [45-66]), but masquerade 1 KiB ran once in B (90 us against A's 58 [55-60]): no
	 * spread, out of the count, in the median: |difference| 50% x 5, 55.2%, 3% x 6 ->
	 * median (3 + 50) / 2 = 26.5%.
	 */
	json_decref(b);
	b = load_fixture("r3");
	scale(b, "tcp_lat", 1.5);
	scale(b, "tcp_bw", 1.03);
	set_lat(b, "masquerade", 1024, (const double[]){90}, 1, 90);
	ck_assert_msg(rp_compare(out, a, b, err, sizeof(err)) == 0, "%s", err);
	md = slurp(dir, "compare.md");
	ck_assert_has(md, "\n\ncompared 12 points: 5 (41.7%) differ beyond both runs' spread, "
			  "1 with no spread (one repeat); median |difference| 26.5%\n");
	ck_assert_has(md, "| 1 B | 40.0 us [30.0-44.0] * | 60.0 us [45.0-66.0] * | 1.50 | "
			  "yes |\n");
	ck_assert_has(md, "| 1 KiB | 58.0 us [55.0-60.0] | 90.0 us | 1.55 | no spread |\n");
	free(md);
	ck_assert_int_eq(rp_compare_summary(a, b, &s, err, sizeof(err)), 0);
	ck_assert_int_eq(s.beyond, 5);
	ck_assert_int_eq(s.no_spread, 1);
	ck_assert_double_eq_tol(s.median_diff_pct, 26.5, 1e-9);
	rp_cmp_summary_line(line, sizeof(line), &s);
	ck_assert_str_eq(line, "compared 12 points: 5 (41.7%) differ beyond both runs' spread, "
			       "1 with no spread (one repeat); median |difference| 26.5%");

	/*
	 * Medians 40% apart, more than either range is wide (2 and 2.5), yet A's [10-12] and
	 * B's [11.5-14] overlap: not beyond the spread.
	 */
	set_lat(a, "vhost-user", 1, (const double[]){10, 10, 12}, 3, 10);
	set_lat(b, "vhost-user", 1, (const double[]){11.5, 14, 14}, 3, 14);
	ck_assert_msg(rp_compare(out, a, b, err, sizeof(err)) == 0, "%s", err);
	md = slurp(dir, "compare.md");
	ck_assert_has(md, "| 1 B | 10.0 us [10.0-12.0] | 14.0 us [11.5-14.0] | 1.40 | no |\n");
	free(md);

	/* nothing in common */
	s = (struct rp_cmp_summary){.compared = 0};
	rp_cmp_summary_line(line, sizeof(line), &s);
	ck_assert_str_eq(line, "compared 0 points: no point has a result in both runs");

	/* simulate runs have a summary too, bench runs none; runs of two kinds are refused */
	json_decref(b);
	b = json_pack("{s:s, s:s, s:[]}", "kind", "bench-net", "run_id", "x", "points");
	ck_assert_int_eq(rp_compare_summary(b, b, &s, err, sizeof(err)), -ENOTSUP);
	ck_assert_has(err, "\"bench-net\" have no comparison summary");
	json_decref(b);
	b = load_fixture("sim");
	ck_assert_int_eq(rp_compare_summary(b, b, &s, err, sizeof(err)), 0);
	ck_assert_int_gt(s.compared, 0);
	ck_assert_int_eq(s.beyond, 0);
	ck_assert_int_eq(rp_compare_summary(a, b, &s, err, sizeof(err)), -EINVAL);
	ck_assert_has(err, "compare runs of the same kind");
	json_decref(a);
	json_decref(b);
	tb_rm_tree(dir);
}
END_TEST

/* The kind table: an unknown kind is refused by name; bench all names its sub-runs. */
START_TEST(test_report_kinds)
{
	char dir[] = "/tmp/tb-unit-report-XXXXXX", err[512] = "", path[4200];
	json_t *j = json_pack("{s:i, s:s, s:[]}", "schema", 1, "kind", "bench-foo", "points");
	json_t *net = json_pack("{s:i, s:s, s:s, s:[]}", "schema", 1, "kind", "bench-net",
				"run_id", "n1", "points");
	json_t *all = json_pack("{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}}", "kind",
				"bench-all", "steps", "up", "status", "ok", "net", "run_dir",
				"net1", "ebpf", "run_dir", "../elsewhere", "dot", "run_dir", ".");
	const char *subs[4];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(rp_write_report(dir, j, NULL, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "unknown kind of run \"bench-foo\" (known: sweep, simulate, "
			      "bench-net, bench-path, bench-ebpf, bench-all, bench_switch)");
	snprintf(path, sizeof(path), "%s/report.md", dir);
	ck_assert(!tb_path_exists(path));
	ck_assert_ptr_null(rp_kind_find(j, err, sizeof(err)));
	snprintf(path, sizeof(path), "%s/c.md", dir);
	ck_assert_int_eq(rp_compare(path, j, j, err, sizeof(err)), -EINVAL);
	ck_assert_has(err, "unknown kind of run \"bench-foo\"");
	/* a kind without a comparison, two kinds */
	ck_assert_int_eq(rp_compare(path, net, net, err, sizeof(err)), -ENOTSUP);
	ck_assert_has(err, "\"bench-net\" have no comparison");
	ck_assert_int_eq(rp_compare(path, net, all, err, sizeof(err)), -EINVAL);
	ck_assert_has(err, "run n1 is a bench net run and run (no run id) a bench all run");
	/* the sweep renderer refuses other kinds */
	ck_assert_int_eq(rp_write_sweep_report(dir, net, NULL, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "not the results of a sweep (kind \"bench-net\")");
	/* no kind: a sweep */
	json_object_del(j, "kind");
	ck_assert_str_eq(rp_kind_find(j, err, sizeof(err))->name, "sweep");
	/* only plain names inside the run directory */
	ck_assert_int_eq(rp_subruns(all, subs, 4), 1);
	ck_assert_str_eq(subs[0], "net1");
	ck_assert_int_eq(rp_subruns(net, subs, 4), 0);
	json_decref(j);
	json_decref(net);
	json_decref(all);
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
	tcase_add_test(tc, test_report_across);
	tcase_add_test(tc, test_report_baseline);
	tcase_add_test(tc, test_report_rejects_non_results);
	tcase_add_test(tc, test_compare);
	tcase_add_test(tc, test_report_repeats);
	tcase_add_test(tc, test_report_ran_once);
	tcase_add_test(tc, test_compare_spread);
	tcase_add_test(tc, test_compare_setup);
	tcase_add_test(tc, test_report_kinds);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(report_suite)
