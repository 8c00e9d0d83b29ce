/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "reference.h"
#include "report.h"
#include "results.h"
#include "report-fixtures.h"
#include "unit.h"


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

/* The report.md rows the fixture must give, with the reference. */
static void
assert_sim_md(const char *md)
{
	ck_assert_has(md, "# Testbed report: 20261123-151200-simulate");
	ck_assert_has(md, "- backends: vhost-user, bridge, masquerade\n");
	ck_assert_has(md, "- time: 2026-11-23T15:12:00Z to 2026-11-23T15:31:47Z (UTC)");
	ck_assert_has(md, "- steps: 2, 4, 14 VMs; iperf 30 s per step; mtr 30 report cycles\n");
	ck_assert_has(md, "**OVERSUBSCRIBED**");
	ck_assert_has(md, "(18 needed, 2 available on NUMA node 0)");
	ck_assert_has(md, "## Host and testbed");
	ck_assert_has(md, "- kernel: 6.1.0-26-amd64");
	ck_assert_has(md, "- iperf: 2.1.8");
	ck_assert_has(md, "- plan.cores_needed: 18");
	ck_assert_has(md,
		      "\n### vhost-user\n\n| VMs | link bandwidth | VM bandwidth | latency | loss "
		      "| switch CPU | host CPU | ref link bandwidth | ref VM bandwidth | "
		      "ref latency |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	/* reference vhost-user same_host simulate 2: 28000 per VM, 28000 link, 100 us */
	ck_assert_has(md, "| 2 | 3.18 Gb/s | 3.18 Gb/s | 150 us | 0% | 98.7% | 199% | "
			  "28.0 Gb/s | 28.0 Gb/s | 100 us |\n");
	ck_assert_has(md, "| 4 | 2.89 Gb/s | 1.45 Gb/s | 320 us | 0% | 97.9% | 200% | "
			  "21.0 Gb/s | 10.5 Gb/s | 100 us |\n");
	/* 14: 2900 per VM, 20300 link */
	ck_assert_has(md, "| 14 | 1.84 Gb/s | 306 Mb/s | 1994 us | 1.40% | 99.4% | 200% | "
			  "20.3 Gb/s | 2.90 Gb/s | 100 us |\n");
	ck_assert_has(md,
		      "- 14 VMs: 1 of 7 pairs failed: vu8 -> vu9: iperf -c 198.18.0.9: connect "
		      "failed: Connection timed out (raw/vhost-user/simulate-14/iperf-vu8.txt)\n");
	/* bridge: no switch CPU (the kernel switches); 14 failed, its reference still shown */
	ck_assert_has(md, "| 2 | 9.63 Gb/s | 9.63 Gb/s | 62.0 us | 0% | - | 200% | 12.2 Gb/s | "
			  "12.2 Gb/s | 100 us |\n");
	ck_assert_has(md, "| 14 | failed: guest br13: no route to its peer br12 (198.18.0.25): "
			  "ping: 100% packet loss; iperf not started | - | - | - | - | - | "
			  "38.6 Gb/s | 5.51 Gb/s | 190 us |\n");
	ck_assert_has(md, "| 14 | 6.90 Gb/s | 986 Mb/s | 1096 us | 0% | - | 200% | 38.9 Gb/s | "
			  "5.56 Gb/s | 150 us |\n");
	/* ratios of vhost-user to bridge and masquerade, ours beside the reference's */
	ck_assert_has(md,
		      "### vhost-user compared with the other backends\n\n| VMs | "
		      "link bandwidth vhost-user/bridge | ref link bandwidth vhost-user/bridge | "
		      "latency vhost-user/bridge | ref latency vhost-user/bridge | "
		      "link bandwidth vhost-user/masquerade | "
		      "ref link bandwidth vhost-user/masquerade | "
		      "latency vhost-user/masquerade | ref latency vhost-user/masquerade |\n"
		      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	/* 3180.4/9630, 28000/12200, 150/62, 100/100, 3180.4/8210, 28000/9310, 150/75, 100/100 */
	ck_assert_has(md, "| 2 | 0.330 | 2.30 | 2.42 | 1.00 | 0.387 | 3.01 | 2.00 | 1.00 |\n");
	/* bridge failed; 20300/38590, 100/190, 1835.8/6899.5, 20300/38920, 1993.6/1095.7, 100/150
	 */
	ck_assert_has(md, "| 14 | - | 0.526 | - | 0.526 | 0.266 | 0.522 | 1.82 | 0.667 |\n");
	ck_assert_has(md, "above 1 means vhost-user moves more data");
	ck_assert_has(md, "below 1 means vhost-user answers faster");
	ck_assert_has(md, "## Reference");
	/* one scope: no side-by-side table, no baseline */
	ck_assert_ptr_null(strstr(md, "(same host)"));
	ck_assert_ptr_null(strstr(md, "same host vs across hosts"));
	ck_assert_ptr_null(strstr(md, "across/same"));
	ck_assert_ptr_null(strstr(md, "## Baseline"));
}

START_TEST(test_sim_report)
{
	char dir[] = "/tmp/tb-unit-report-sim-XXXXXX", err[512] = "", path[4200];
	json_t *res = load_fixture("sim");
	struct ref_table ref;
	char *md, *dat;
	int ret;

	load_ref(&ref);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ret = rp_write_sim_report(dir, res, &ref, err, sizeof(err));
	md = slurp(dir, "report.md");
	if (tb_path_exists("/usr/bin/gnuplot")) {
		ck_assert_msg(ret == 0, "%d: %s", ret, err);
		assert_png(dir, "sim_link_bw.png");
		assert_png(dir, "sim_vm_bw.png");
		assert_png(dir, "sim_latency.png");
		ck_assert_has(md, "![link bandwidth](sim_link_bw.png)");
		ck_assert_has(md, "![VM bandwidth](sim_vm_bw.png)");
		ck_assert_has(md, "![latency](sim_latency.png)");
		snprintf(path, sizeof(path), "%s/plots/sim_latency.gp", dir);
		ck_assert(tb_path_exists(path));
		/* ours: the successful points only (bridge 14 failed) */
		dat = slurp(dir, "plots/sim_link_bw-vhost-user.dat");
		ck_assert_has(dat, "\n2 3180.4\n4 2892.8\n14 1835.8\n");
		free(dat);
		dat = slurp(dir, "plots/sim_link_bw-bridge.dat");
		ck_assert_ptr_null(strstr(dat, "\n14 "));
		free(dat);
		dat = slurp(dir, "plots/sim_vm_bw-ref-masquerade.dat");
		ck_assert_has(dat, "\n2 9310\n4 9090\n6 7910\n");
		ck_assert_has(dat, "\n14 5560\n");
		free(dat);
	} else {
		ck_assert_int_eq(ret, -ENOENT);
		ck_assert_has(err, "gnuplot not found: apt-get install gnuplot-nox");
		ck_assert_has(md, "_No plots: gnuplot not found");
	}
	assert_sim_md(md);
	free(md);

	/* rp_write_report hands simulations over: the same report */
	ret = rp_write_report(dir, res, &ref, err, sizeof(err));
	ck_assert(ret == 0 || ret == -ENOENT);
	md = slurp(dir, "report.md");
	assert_sim_md(md);
	free(md);

	/* without the reference: no ref columns */
	ret = rp_write_sim_report(dir, res, NULL, err, sizeof(err));
	ck_assert(ret == 0 || ret == -ENOENT);
	md = slurp(dir, "report.md");
	ck_assert_ptr_null(strstr(md, "ref "));
	ck_assert_ptr_null(strstr(md, "## Reference"));
	ck_assert_has(md, "| VMs | link bandwidth | VM bandwidth | latency | loss | switch CPU | "
			  "host CPU |\n|---:|---:|---:|---:|---:|---:|---:|\n");
	ck_assert_has(md,
		      "| VMs | link bandwidth vhost-user/bridge | latency vhost-user/bridge | "
		      "link bandwidth vhost-user/masquerade | latency vhost-user/masquerade |\n");
	ck_assert_has(md, "| 2 | 0.330 | 2.42 | 0.387 | 2.00 |\n");
	free(md);
	json_decref(res);
	ref_free(&ref);
	tb_rm_tree(dir);
}
END_TEST

/* A simulation across two hosts: both scopes side by side, a baseline that failed. */
START_TEST(test_sim_report_across)
{
	char dir[] = "/tmp/tb-unit-report-sim-XXXXXX";
	json_t *res = load_fixture("sim-across");
	struct ref_table ref;
	char *md, *side, *gp;
	int ret;

	load_ref(&ref);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	md = render(rp_write_sim_report, dir, res, &ref, &ret);
	ck_assert_has(md, "\n### bridge (across hosts)\n\n");
	side = strstr(md, "\n### vhost-user: same host vs across hosts\n\n");
	ck_assert_ptr_nonnull(side);
	ck_assert(side > strstr(md, "compared with the other backends (across hosts)"));
	ck_assert_has(md, "### vhost-user: same host vs across hosts\n\n| VMs | "
			  "link bandwidth same host | link bandwidth across hosts | "
			  "link bandwidth across/same | ref link bandwidth across/same | "
			  "latency same host | latency across hosts | latency across/same | "
			  "ref latency across/same |\n"
			  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	/* 1590.2/3180.4, reference 10400/28000; 225/150, 100/100 */
	ck_assert_has(md, "| 2 | 3.18 Gb/s | 1.59 Gb/s | 0.500 | 0.371 | 150 us | 225 us | 1.50 | "
			  "1.00 |\n");
	/* reference 21400/21000 */
	ck_assert_has(md, "| 4 | 2.89 Gb/s | 1.45 Gb/s | 0.500 | 1.02 | 320 us | 480 us | 1.50 | "
			  "1.00 |\n");
	/* bridge: reference 10600/12200, 200/100 */
	ck_assert_has(md, "### bridge: same host vs across hosts\n\n");
	ck_assert_has(md, "| 2 | 9.63 Gb/s | 4.82 Gb/s | 0.500 | 0.869 | 62.0 us | 93.0 us | "
			  "1.50 | 2.00 |\n");
	/* failed across hosts: its reason, no ratio; the reference's 16050/17920 */
	ck_assert_has(md, "| 4 | 8.80 Gb/s | failed: guest br3: no route to its peer br2 on the "
			  "other host: ping: 100% packet loss; iperf not started | - | 0.896 | "
			  "180 us | - | - | 2.00 |\n");
	ck_assert_has(md, "Link bandwidth below\n1 means crossing the wire costs bandwidth; "
			  "latency above 1 means it adds latency.\nRead them against the "
			  "baseline above.\n");
	/* the baseline could not be measured: the reason, no table */
	ck_assert_has(md, "\n## Baseline: host to host over the wire\n\n- path: host-to-host "
			  "over the wire tbmain-wk0 <-> tbmain-wk1 (veth)\n- not measured: iperf "
			  "-c 198.19.0.2: connect failed: No route to host\n\nRead the "
			  "across-hosts figures against this baseline");
	ck_assert(strstr(md, "## Baseline") < strstr(md, "## Simulation"));
	ck_assert_ptr_null(strstr(md, "| measurement |"));
	free(md);
	if (ret == 0) {
		gp = slurp(dir, "plots/sim_link_bw.gp");
		ck_assert_has(gp, "set key below box maxcols 2\nset bmargin 9\n");
		ck_assert_has(gp, "'sim_link_bw-bridge-across_hosts.dat' using 1:2 with "
				  "linespoints lc rgb '#ff7f0e' dt 4 lw 2 pt 5 ps 1 title "
				  "'bridge (across hosts)'");
		ck_assert_has(gp, "'sim_link_bw-ref-vhost-user-across_hosts.dat' using 1:2 with "
				  "linespoints lc rgb '#1f77b4' dt 3 lw 1.5 pt 4 ps 1 title "
				  "'vhost-user (across hosts), Virtink reference'");
		free(gp);
		gp = slurp(dir, "plots/sim_link_bw-vhost-user-across_hosts.dat");
		ck_assert_has(gp, "\n2 1590.2\n4 1446.4\n");
		free(gp);
	}

	/* a baseline of iperf only, without the reference */
	json_object_set_new(res, "baseline",
			    json_pack("{s:s, s:{s:f, s:s}}", "status", "ok", "iperf", "bw_mbps",
				      9123.4, "raw", "raw/baseline/iperf.txt"));
	md = render(rp_write_sim_report, dir, res, NULL, NULL);
	ck_assert_ptr_null(strstr(md, "ref "));
	ck_assert_has(md, "## Baseline: host to host over the wire\n\n| measurement | ours | raw "
			  "|\n|---|---:|---|\n| iperf bandwidth | 9.12 Gb/s | "
			  "raw/baseline/iperf.txt |\n| qperf latency (tcp_lat) | - | - |\n");
	ck_assert_has(md, "| VMs | link bandwidth same host | link bandwidth across hosts | "
			  "link bandwidth across/same | latency same host | latency across hosts | "
			  "latency across/same |\n|---:|---:|---:|---:|---:|---:|---:|\n"
			  "| 2 | 3.18 Gb/s | 1.59 Gb/s | 0.500 | 150 us | 225 us | 1.50 |\n");
	free(md);
	json_decref(res);
	ref_free(&ref);
	tb_rm_tree(dir);
}
END_TEST

/* Nothing to plot is no error: report.md says so and shows the failure. */
START_TEST(test_sim_report_no_points)
{
	char dir[] = "/tmp/tb-unit-report-sim-XXXXXX", err[512] = "", path[4200];
	json_t *res = load_fixture("sim");
	char *md;
	int ret;

	/* every point failed: no plot to draw, which is no error */
	json_array_clear(json_object_get(res, "points"));
	json_array_append_new(json_object_get(res, "points"),
			      json_pack("{s:s, s:s, s:i, s:s, s:s}", "backend", "vhost-user",
					"test", "simulate", "vms", 2, "status", "failed", "reason",
					"vhost port \"vhu0\": connect failed: No such file"));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ret = rp_write_sim_report(dir, res, NULL, err, sizeof(err));
	md = slurp(dir, "report.md");
	if (tb_path_exists("/usr/bin/gnuplot")) {
		ck_assert_msg(ret == 0, "%d: %s", ret, err);
		ck_assert_has(md, "_No plot of link bandwidth: no successful point._");
		snprintf(path, sizeof(path), "%s/sim_link_bw.png", dir);
		ck_assert(!tb_path_exists(path));
	} else {
		ck_assert_int_eq(ret, -ENOENT);
	}
	ck_assert_has(md, "| 2 | failed: vhost port \"vhu0\": connect failed: No such file | - | - "
			  "| - | - | - |\n");
	ck_assert_ptr_null(strstr(md, "compared with"));
	free(md);
	json_decref(res);
	tb_rm_tree(dir);
}
END_TEST

START_TEST(test_sim_report_rejects)
{
	char dir[] = "/tmp/tb-unit-report-sim-XXXXXX", err[512] = "", path[4200];
	json_t *sweep = load_fixture("a"), *j = json_pack("{s:s}", "kind", "simulate");

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(rp_write_sim_report(dir, sweep, NULL, err, sizeof(err)), -EINVAL);
	ck_assert_has(err, "run 20261123-134800-tcp is a sweep, not a simulation");
	ck_assert_int_eq(rp_write_report(dir, j, NULL, err, sizeof(err)), -EINVAL);
	ck_assert_has(err, "points");
	snprintf(path, sizeof(path), "%s/report.md", dir);
	ck_assert(!tb_path_exists(path));
	json_decref(sweep);
	json_decref(j);
	tb_rm_tree(dir);
}
END_TEST

/* The point of backend at vms in a results tree. */
static json_t *
point(json_t *res, const char *backend, int vms)
{
	json_t *p;
	size_t i;

	json_array_foreach(json_object_get(res, "points"), i, p) {
		if (strcmp(json_string_value(json_object_get(p, "backend")), backend) == 0 &&
		    json_integer_value(json_object_get(p, "vms")) == vms)
			return p;
	}
	ck_abort_msg("no point %s %d", backend, vms);
	return NULL;
}

START_TEST(test_sim_compare)
{
	char dir[] = "/tmp/tb-unit-report-sim-XXXXXX", err[512] = "", out[4200];
	json_t *a = load_fixture("sim"), *b = json_deep_copy(a), *sweep = load_fixture("a");
	json_t *pts = json_object_get(b, "points"), *p;
	size_t i;
	char *md;

	json_object_set_new(b, "run_id", json_string("20261124-090000-simulate"));
	/* two repeats a side: link bandwidth ranges apart, latency ranges overlapping */
	p = point(a, "vhost-user", 2);
	json_object_set_new(p, "repeats", json_pack("[{s:s}, {s:s}]", "status", "ok", "status",
						     "ok"));
	json_object_set_new(p, "link_bw_mbps_min", json_real(3100.0));
	json_object_set_new(p, "link_bw_mbps_max", json_real(3250.0));
	json_object_set_new(p, "lat_us_min", json_real(140.0));
	json_object_set_new(p, "lat_us_max", json_real(160.0));
	p = point(b, "vhost-user", 2);
	json_object_set_new(p, "repeats", json_pack("[{s:s}, {s:s}]", "status", "ok", "status",
						     "ok"));
	json_object_set_new(p, "link_bw_mbps", json_real(3500.0));
	json_object_set_new(p, "link_bw_mbps_min", json_real(3400.0));
	json_object_set_new(p, "link_bw_mbps_max", json_real(3600.0));
	json_object_set_new(p, "lat_us", json_real(120.0));
	json_object_set_new(p, "lat_us_min", json_real(110.0));
	json_object_set_new(p, "lat_us_max", json_real(145.0));
	p = point(b, "masquerade", 14);
	for (i = 0; json_array_get(pts, i) != p; i++)
		;
	json_array_remove(pts, i);

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/compare.md", dir);
	ck_assert_msg(rp_compare(out, a, b, err, sizeof(err)) == 0, "%s", err);
	md = slurp(dir, "compare.md");
	ck_assert_has(md, "# Comparison of two simulations");
	ck_assert_has(md, "- A: 20261123-151200-simulate, started 2026-11-23T15:12:00Z, "
			  "**oversubscribed**");
	ck_assert_has(md, "- points in both: 8; only in A: 1; only in B: 0\n");
	ck_assert_has(md, "### vhost-user\n\n| VMs | A link bandwidth | B link bandwidth | B/A | "
			  "beyond spread | A latency | B latency | B/A | beyond spread |\n");
	/* 3500/3180.4 with [3400-3600] apart from [3100-3250]; 120/150, [110-145] meets [140-160] */
	ck_assert_has(md, "| 2 | 3.18 Gb/s | 3.50 Gb/s | 1.10 | yes | 150 us | 120 us | 0.800 | "
			  "no |\n");
	ck_assert_has(md, "| 14 | 1.84 Gb/s | 1.84 Gb/s | 1.00 | no spread | 1994 us | 1994 us | "
			  "1.00 | no spread |\n");
	ck_assert_has(md, "| 14 | failed: guest br13: no route to its peer br12 (198.18.0.25): "
			  "ping: 100% packet loss; iperf not started | failed: guest br13");
	ck_assert_has(md, "iperf not started | - | - | - | - | - | - |\n");
	/* 7 steps with figures in both, two figures each; the one 'yes' of 14 */
	ck_assert_has(md, "# Comparison of two simulations\n\ncompared 14 points: 1 (7.1%) differ "
			  "beyond both runs' spread, 12 with no spread (one repeat); median "
			  "|difference| 0.0%\n");
	{
		struct rp_cmp_summary sum;

		ck_assert_int_eq(rp_compare_summary(a, b, &sum, err, sizeof(err)), 0);
		ck_assert_int_eq(sum.compared, 14);
		ck_assert_int_eq(sum.beyond, 1);
		ck_assert_int_eq(sum.no_spread, 12);
	}
	ck_assert_ptr_null(strstr(md, "| 14 | 6.90 Gb/s")); /* masquerade 14 not in B */
	free(md);

	/* a simulation and a sweep do not compare */
	ck_assert_int_eq(rp_compare(out, a, sweep, err, sizeof(err)), -EINVAL);
	ck_assert_has(err, "run 20261123-151200-simulate is a simulation and run "
			   "20261123-134800-tcp a sweep");
	ck_assert_int_eq(rp_compare(out, sweep, a, err, sizeof(err)), -EINVAL);
	ck_assert_has(err, "compare runs of the same kind");
	json_decref(a);
	json_decref(b);
	json_decref(sweep);
	tb_rm_tree(dir);
}
END_TEST

Suite *report_sim_suite(void);

Suite *
report_sim_suite(void)
{
	Suite *s = suite_create("report-sim");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sim_report);
	tcase_add_test(tc, test_sim_report_across);
	tcase_add_test(tc, test_sim_report_no_points);
	tcase_add_test(tc, test_sim_report_rejects);
	tcase_add_test(tc, test_sim_compare);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(report_sim_suite)
