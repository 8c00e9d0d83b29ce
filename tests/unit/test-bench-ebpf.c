/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `bench ebpf`: options, the ratio arithmetic of the deltas, results.csv and report.md from a
 * small results fixture; as root, the empty programs on a veth pair and on lo in a private
 * network namespace (attach, query, detach twice, the device that refuses driver mode).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "args.h"
#include "bench-ebpf.h"
#include "bench-net.h"
#include "bpf-hook.h"
#include "fsutil.h"
#include "report.h"
#include "results.h"
#include "tool-fixtures.h"
#include "unit.h"

#define EBPF(...)                                                                                  \
	(int)(sizeof((char *[]){"bench", __VA_ARGS__}) / sizeof(char *)),                          \
		((char *[]){"bench", __VA_ARGS__, NULL})

#define BIT(m) (1u << (m))

static int
parse(struct bebpf_conf *c, char *err, int argc, char **argv)
{
	*c = (struct bebpf_conf)BEBPF_CONF_DEFAULT;
	err[0] = '\0';
	return bebpf_parse_args(argc, argv, c, err, 512);
}

/* ---- options ---- */

START_TEST(test_args)
{
	struct bebpf_conf c;
	char err[512];

	ck_assert_int_eq(parse(&c, err, EBPF("ebpf")), 0);
	ck_assert_uint_eq(c.variants,
			  BIT(BH_NONE) | BIT(BH_TC) | BIT(BH_XDP_GENERIC) | BIT(BH_XDP_DRIVER));
	ck_assert_int_eq(c.time_s, 5);
	ck_assert_int_eq(c.repeat, 5);
	ck_assert_str_eq(c.instance, "main");
	ck_assert_str_eq(c.out, "results");
	ck_assert_int_eq(parse(&c, err,
			       EBPF("--time", "3", "ebpf", "--variants", "xdp-driver,tc",
				    "--repeat", "2", "--instance", "ebpf", "--out", "/tmp/r")),
			 0);
	/* none, the baseline, comes along */
	ck_assert_uint_eq(c.variants, BIT(BH_NONE) | BIT(BH_TC) | BIT(BH_XDP_DRIVER));
	ck_assert_int_eq(c.time_s, 3);
	ck_assert_int_eq(c.repeat, 2);
	ck_assert_str_eq(c.instance, "ebpf");
	ck_assert_str_eq(c.out, "/tmp/r");
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--variants", "none")), 0);
	ck_assert_uint_eq(c.variants, BIT(BH_NONE));
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--variants", "all")), 0);
	ck_assert_uint_eq(c.variants, BEBPF_ALL_VARIANTS);
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--variants=xdp-generic,xdp-generic")), 0);
	ck_assert_uint_eq(c.variants, BIT(BH_NONE) | BIT(BH_XDP_GENERIC));
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--time", "600", "--repeat", "50")), 0);

	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--variants", "xdp")), -EINVAL);
	ck_assert_str_eq(err, "bad --variants \"xdp\" (allowed: a comma-separated list of none, "
			      "tc, xdp-generic, xdp-driver, or all; none, the baseline, is always "
			      "measured)");
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--variants", ",")), -EINVAL);
	ck_assert_str_eq(err, "bad --variants \",\" (allowed: a comma-separated list of none, "
			      "tc, xdp-generic, xdp-driver, or all; none, the baseline, is always "
			      "measured)");
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--variants", "tc,TC")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--time", "0")), -EINVAL);
	ck_assert_str_eq(err, "bad --time \"0\" (allowed: 1-600 seconds)");
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--time", "601")), -EINVAL);
	ck_assert_str_eq(err, "bad --time \"601\" (allowed: 1-600 seconds)");
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--time", "3s")), -EINVAL);
	ck_assert_str_eq(err, "bad --time \"3s\" (allowed: 1-600 seconds)");
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--repeat", "0")), -EINVAL);
	ck_assert_str_eq(err, "bad --repeat \"0\" (allowed: 1-50)");
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--repeat", "51")), -EINVAL);
	ck_assert_str_eq(err, "bad --repeat \"51\" (allowed: 1-50)");
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--out", "")), -EINVAL);
	ck_assert_str_eq(err, "bad --out \"\" (allowed: a directory)");
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--instance", "Bad!")), -EINVAL);
	ck_assert_str_eq(err, "bad instance name \"Bad!\" (allowed: 1-8 lowercase letters and "
			      "digits, starting with a letter)");
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--backends", "bridge")), -EINVAL);
	ck_assert_str_eq(err, "unknown or incomplete option \"--backends\"");
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "--time")), -EINVAL);
	ck_assert_str_eq(err, "unknown or incomplete option \"--time\"");
	ck_assert_int_eq(parse(&c, err, EBPF("ebpf", "ebpf")), -EINVAL);
	ck_assert_str_eq(err, "unexpected argument \"ebpf\"");
	ck_assert_int_eq(parse(&c, err, EBPF("--time", "3")), -EINVAL);
	ck_assert_str_eq(err, "bench: which bench? (valid: switch, net, ebpf, path, all)");
	ck_assert_int_eq(parse(&c, err, EBPF("net")), -EINVAL);
	ck_assert_str_eq(err, "bench: unknown bench \"net\" (valid: switch, net, ebpf, path, all)");
}
END_TEST

START_TEST(test_modes)
{
	enum bh_mode m;
	unsigned int bits;

	ck_assert_str_eq(bh_mode_name(BH_NONE), "none");
	ck_assert_str_eq(bh_mode_name(BH_TC), "tc");
	ck_assert_str_eq(bh_mode_name(BH_XDP_GENERIC), "xdp-generic");
	ck_assert_str_eq(bh_mode_name(BH_XDP_DRIVER), "xdp-driver");
	ck_assert_str_eq(bh_mode_name(BH_N_MODES), "?");
	ck_assert_int_eq(bh_mode_parse("xdp-driver", &m), 0);
	ck_assert_int_eq(m, BH_XDP_DRIVER);
	ck_assert_int_eq(bh_mode_parse("xdp", &m), -EINVAL);
	ck_assert_int_eq(bh_mode_parse(NULL, &m), -EINVAL);
	ck_assert_str_eq(bh_mode_attached(BH_TC), "tc-ingress");
	ck_assert_str_eq(bh_mode_attached(BH_XDP_GENERIC), "skb");
	ck_assert_str_eq(bh_mode_attached(BH_XDP_DRIVER), "drv");
	ck_assert_str_eq(bh_prog_text(BH_TC), "r0 = TC_ACT_OK (0); exit");
	ck_assert_str_eq(bh_prog_text(BH_XDP_DRIVER), "r0 = XDP_PASS (2); exit");
	ck_assert_int_eq(bebpf_variants_parse("tc", &bits), 0);
	ck_assert_uint_eq(bits, BIT(BH_NONE) | BIT(BH_TC));
	ck_assert_int_eq(bebpf_variants_parse("", &bits), -EINVAL);
	ck_assert_int_eq(bebpf_variants_parse("tc,,xdp-generic", &bits), 0);
	ck_assert_uint_eq(bits, BIT(BH_NONE) | BIT(BH_TC) | BIT(BH_XDP_GENERIC));
	ck_assert_ptr_nonnull(strstr(bh_libbpf_version(), "1."));
}
END_TEST

/* ---- deltas ---- */

START_TEST(test_ratio)
{
	const double v[] = {90, 100, 115, 50, -1};
	const double base[] = {100, 100, 100, 0, 100};
	struct bebpf_ratio r;

	/* the 4th (base 0) and 5th (no value) pairs are left out */
	ck_assert_int_eq(bebpf_ratio_of(v, base, 5, &r), 0);
	ck_assert_uint_eq(r.n, 3);
	ck_assert_double_eq_tol(r.median, 1.0, 1e-12);
	ck_assert_double_eq_tol(r.min, 0.9, 1e-12);
	ck_assert_double_eq_tol(r.max, 1.15, 1e-12);
	/* an even count: the mean of the middle two */
	ck_assert_int_eq(bebpf_ratio_of(v, base, 2, &r), 0);
	ck_assert_double_eq_tol(r.median, 0.95, 1e-12);
	ck_assert_int_eq(bebpf_ratio_of(v + 3, base + 3, 2, &r), -ENODATA);
	ck_assert_int_eq(bebpf_ratio_of(v, base, 0, &r), -ENODATA);
	ck_assert_double_eq_tol(bebpf_pct(0.97), -3.0, 1e-9);
	ck_assert_double_eq_tol(bebpf_pct(1.25), 25.0, 1e-9);
	ck_assert_double_eq_tol(bebpf_pct(1.0), 0.0, 1e-12);
}
END_TEST

static json_t *
point(const char *variant, const char *test, const char *cs)
{
	const struct bnet_case_info *ci = bnet_case_by_name(test, cs);
	json_t *metrics = json_array();
	int m;

	ck_assert_ptr_nonnull(ci);
	for (m = 0; m < ci->n_metrics; m++)
		json_array_append_new(metrics,
				      json_pack("{s:s, s:s, s:s}", "key", ci->metric[m].key, "unit",
						ci->metric[m].unit, "label", ci->metric[m].label));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:[]}", "variant", variant,
			 "test", test, "case", cs, "label", ci->label, "method", "iperf3 -c SERVER",
			 "metrics", metrics, "status", "failed", "reason", "not measured",
			 "repeats");
}

static void
add_tput(json_t *p, int round, double mbps, double retr)
{
	json_array_append_new(json_object_get(p, "repeats"),
			      json_pack("{s:i, s:s, s:f, s:f, s:s}", "round", round, "status", "ok",
					"mbps", mbps, "retransmits", retr, "raw", "raw/x.txt"));
	bnet_point_summarise(p);
}

static void
add_lat(json_t *p, int round, double p50, double p95, double p99)
{
	json_array_append_new(json_object_get(p, "repeats"),
			      json_pack("{s:i, s:s, s:f, s:f, s:f, s:f}", "round", round, "status",
					"ok", "p50_us", p50, "p95_us", p95, "p99_us", p99,
					"jitter_us", p99 - p50));
	bnet_point_summarise(p);
}

static void
add_failed(json_t *p, int round, const char *why)
{
	json_array_append_new(
		json_object_get(p, "repeats"),
		json_pack("{s:i, s:s, s:s}", "round", round, "status", "failed", "error", why));
	bnet_point_summarise(p);
}

START_TEST(test_point_delta)
{
	json_t *base = point("none", "throughput", "tcp"), *p = point("tc", "throughput", "tcp");
	json_t *d;

	/* round by round: 900/1000, 1100/1000, and round 3 (base failed) left out */
	add_tput(base, 1, 1000, 0);
	add_tput(base, 2, 1000, 2);
	add_failed(base, 3, "iperf3: boom");
	add_tput(p, 2, 1100, 4);
	add_tput(p, 1, 900, 1);
	add_tput(p, 3, 500, 1);
	bebpf_point_delta(p, base);
	d = json_object_get(json_object_get(p, "delta"), "mbps");
	ck_assert_ptr_nonnull(d);
	ck_assert_double_eq_tol(num(d, "median_pct"), 0, 1e-9);
	ck_assert_double_eq_tol(num(d, "min_pct"), -10, 1e-9);
	ck_assert_double_eq_tol(num(d, "max_pct"), 10, 1e-9);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "n")), 2);
	/* retransmits: round 1's base is 0 (no ratio), round 2: 4/2 */
	d = json_object_get(json_object_get(p, "delta"), "retransmits");
	ck_assert_double_eq_tol(num(d, "median_pct"), 100, 1e-9);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "n")), 1);
	/* no common round: no delta at all */
	json_decref(base);
	base = point("none", "throughput", "tcp");
	add_tput(base, 7, 1000, 1);
	bebpf_point_delta(p, base);
	ck_assert_ptr_null(json_object_get(p, "delta"));
	bebpf_point_delta(p, NULL);
	ck_assert_ptr_null(json_object_get(p, "delta"));
	json_decref(base);
	json_decref(p);
}
END_TEST

/* ---- results.csv and report.md ---- */

static json_t *
results_fixture(void)
{
	static const char *const names[] = {"none", "tc", "xdp-generic", "xdp-driver"};
	json_t *res = json_pack(
		"{s:i, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:[f, f, f], s:[f, f, f]}, "
		"s:{s:s, s:b, s:{s:s, s:s, s:i, s:s, s:s, s:i}}, s:{s:s, s:s}, "
		"s:{s:i, s:i, s:s, s:s}, "
		"s:{s:s, s:[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}], s:{s:s, s:i, s:i, s:b}, "
		"s:{s:s, s:s}}, s:[], s:{s:b, s:[{s:s, s:s}, {s:s, s:s}]}, s:[]}",
		"schema", RES_SCHEMA, "kind", "bench-ebpf", "run_id", "r1", "started",
		"2026-11-23T10:00:00Z", "finished", "2026-11-23T10:05:00Z", "host", "hostname",
		"vm", "kernel", "6.18.0", "loadavg_start", 0.5, 0.25, 0.125, "loadavg_end", 1.5,
		1.25, 1.0, "testbed", "instance", "eb", "oversubscribed", 1, "pair", "client",
		"br0", "client_netns", "tb-eb-br0", "client_cpu", 1, "server", "br1",
		"server_address", "198.18.2.2", "server_cpu", 0, "versions", "iperf3", "iperf 3.12",
		"libbpf", "v1.1", "params", "time_s", 3, "repeat", 2, "order", "warm-up first",
		"percentiles", "nearest rank", "placement", "direction", "ingress", "ports", "port",
		"tbebb0", "netns", "tb-eb-host", "guest", "br0", "role", "client", "port", "tbebb1",
		"netns", "tb-eb-host", "guest", "br1", "role", "server", "tc", "hook", "clsact",
		"handle", 1, "priority", 1, "direct_action", 1, "programs", "tc",
		"r0 = TC_ACT_OK (0); exit", "xdp", "r0 = XDP_PASS (2); exit", "variants", "warmup",
		"discarded", 1, "repeats", "test", "throughput", "status", "ok", "test", "latency",
		"status", "ok", "points");
	json_t *pts = json_object_get(res, "points"), *var = json_object_get(res, "variants");
	json_t *t[4], *l[4];
	int k;

	for (k = 0; k < 4; k++) {
		json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:[]}", "name", names[k], "program",
				      "p", "attach", k == 0 ? "no program" : "somehow", "status",
				      k == 3 ? "n/a" : "ok", "rounds");

		if (k == 1)
			json_array_append_new(
				json_object_get(v, "rounds"),
				json_pack("{s:i, s:s, s:[{s:s, s:i, s:s}, {s:s, s:i, s:s}]}",
					  "round", 1, "status", "ok", "ports", "port", "tbebb0",
					  "prog_id", 41, "attached", "tc-ingress", "port", "tbebb1",
					  "prog_id", 42, "attached", "tc-ingress"));
		if (k == 3) {
			json_object_set_new(
				v, "reason",
				json_string("not applicable: the device refused "
					    "driver-mode XDP: tbebb0: XDP attach (driver "
					    "mode): Operation not supported"));
			json_array_append_new(json_object_get(v, "rounds"),
					      json_pack("{s:i, s:s}", "round", 1, "status", "n/a"));
		}
		json_array_append_new(var, v);
		t[k] = point(names[k], "throughput", "tcp");
		l[k] = point(names[k], "latency", "tcp");
		json_array_append_new(pts, t[k]);
		json_array_append_new(pts, l[k]);
	}
	/* none: 10 and 8 Gb/s; tc: 9 and 8 (ratios 0.9, 1.0); xdp-generic: 5, 4 */
	add_tput(t[0], 1, 10000, 0);
	add_tput(t[0], 2, 8000, 0);
	add_tput(t[1], 1, 9000, 0);
	add_tput(t[1], 2, 8000, 0);
	add_tput(t[2], 1, 5000, 0);
	add_tput(t[2], 2, 4000, 0);
	add_lat(l[0], 1, 20, 30, 40);
	add_lat(l[0], 2, 20, 30, 40);
	add_lat(l[1], 1, 22, 33, 44);
	add_lat(l[1], 2, 21, 30, 50);
	/* xdp-generic's latency: round 1 failed, round 2 measured */
	add_failed(l[2], 1, "sockperf: timeout | twice\nat all");
	add_lat(l[2], 2, 30, 60, 80);
	for (k = 1; k < 3; k++) {
		bebpf_point_delta(t[k], t[0]);
		bebpf_point_delta(l[k], l[0]);
	}
	for (k = 0; k < 2; k++) {
		json_t *p = k ? l[3] : t[3];

		json_object_set_new(p, "status", json_string("n/a"));
		json_object_set_new(p, "reason", json_string("not applicable: refused"));
	}
	return res;
}

START_TEST(test_report)
{
	char dir[] = "/tmp/tb-bebpf-report.XXXXXX", path[256], err[256], *md = NULL, *csv = NULL;
	char *tab = NULL;
	size_t tlen = 0;
	json_t *res = results_fixture(), *back;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(rp_write_ebpf_results(dir, res), 0);
	ck_assert_int_eq(rp_write_ebpf_report(dir, res, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/report.md", dir);
	ck_assert_int_eq(tb_read_file(path, &md, NULL), 0);
	ck_assert_ptr_nonnull(strstr(md, "# bench ebpf: r1\n"));
	ck_assert_ptr_nonnull(strstr(md, "- variants: none, tc, xdp-generic, xdp-driver\n"));
	ck_assert_ptr_nonnull(strstr(
		md,
		"\n## Overhead of an empty eBPF program on the bridge path\n\n"
		"| metric | unit | none | tc | xdp-generic | xdp-driver |\n"
		"|---|---|---:|---:|---:|---:|\n"
		"| TCP throughput (iperf3, 1 stream) | Gb/s | 9.00 (8.00-10.0) | "
		"8.50 (8.00-9.00) | 4.50 (4.00-5.00) | n/a |\n"
		"| change vs none | % | baseline | -5.0% [-10.0..+0.0] | "
		"-50.0% [-50.0..-50.0] | n/a |\n"
		"| TCP latency P50 (sockperf ping-pong) | us | 20.0 (20.0-20.0) | "
		"21.5 (21.0-22.0) | 30.0 * | n/a |\n"
		"| change vs none | % | baseline | +7.5% [+5.0..+10.0] | +50.0% | n/a |\n"
		"| TCP latency P95 | us | 30.0 (30.0-30.0) | 31.5 (30.0-33.0) | 60.0 * | n/a |\n"
		"| change vs none | % | baseline | +5.0% [+0.0..+10.0] | +100.0% | n/a |\n"
		"| TCP latency P99 | us | 40.0 (40.0-40.0) | 47.0 (44.0-50.0) | 80.0 * | n/a |\n"
		"| change vs none | % | baseline | +17.5% [+10.0..+25.0] | +100.0% | n/a |\n"));
	/* why xdp-driver is n/a, the failed round with its text made safe */
	ck_assert_ptr_nonnull(strstr(md, "- xdp-driver: not applicable: the device refused "
					 "driver-mode XDP: tbebb0: XDP attach (driver mode): "
					 "Operation not supported\n"));
	ck_assert_ptr_nonnull(strstr(md, "- xdp-generic, TCP ping-pong (sockperf): **failed**: "
					 "sockperf: timeout \\| twice at all\n"));
	/* where the programs were */
	ck_assert_ptr_nonnull(strstr(md, "\n## Hook placement\n\n- direction: ingress, on the "
					 "host-side bridge port of each guest:\n"
					 "  - tbebb0 in namespace tb-eb-host (client br0)\n"
					 "  - tbebb1 in namespace tb-eb-host (server br1)\n"));
	ck_assert_ptr_nonnull(strstr(md, "- tc: clsact hook, handle 1, priority 1, direct-action; "
					 "program: r0 = TC_ACT_OK (0); exit\n"));
	ck_assert_ptr_nonnull(strstr(md, "  - tc (somehow): r1 tbebb0 prog 41 (tc-ingress), "
					 "tbebb1 prog 42 (tc-ingress)\n"));
	ck_assert_ptr_nonnull(strstr(md, "  - xdp-driver (somehow): r1 n/a\n"));
	ck_assert_ptr_nonnull(strstr(md, "  - none (no program): not run\n"));
	ck_assert_ptr_nonnull(strstr(md, "- pinning: client br0 on cpu 1, server br1 on cpu 0\n"));
	ck_assert_ptr_nonnull(strstr(md, "- host load average (1, 5, 15 min): 0.50 0.25 0.12 at "
					 "the start, 1.50 1.25 1.00 at the end\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n## Methods\n\n- TCP, 1 stream: iperf3 -c SERVER\n"));
	ck_assert_ptr_nonnull(strstr(md, "- warm-up (discarded): throughput ok, latency ok\n"));
	ck_assert_ptr_nonnull(strstr(md, "**OVERSUBSCRIBED**"));
	ck_assert_ptr_nonnull(strstr(md, "\n## Host and testbed\n"));
	ck_assert_ptr_nonnull(strstr(md, "- libbpf: v1.1\n"));
	/* the tables alone, for another report: no title, the same table */
	f = open_memstream(&tab, &tlen);
	ck_assert_int_eq(rp_ebpf_tables(f, res), 0);
	fclose(f);
	ck_assert_ptr_eq(strstr(tab, "| metric | unit | none | tc | xdp-generic | xdp-driver |\n"),
			 tab);
	ck_assert_ptr_null(strstr(tab, "# "));
	ck_assert_ptr_nonnull(
		strstr(tab, "| change vs none | % | baseline | -5.0% [-10.0..+0.0] |"));
	ck_assert_ptr_nonnull(strstr(tab, "- xdp-driver: not applicable"));
	free(tab);
	/* the CSV: a row per point and metric, with the deltas */
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	ck_assert_int_eq(tb_read_file(path, &csv, NULL), 0);
	ck_assert_ptr_eq(strstr(csv, "variant,test,case,metric,unit,median,min,max,"
				     "delta_median_pct,delta_min_pct,delta_max_pct,repeats,status,"
				     "reason,method\n"),
			 csv);
	ck_assert_ptr_nonnull(strstr(csv, "tc,throughput,tcp,mbps,Mb/s,8500,8000,9000,-5,-10,0,2,"
					  "ok,,iperf3 -c SERVER\n"));
	ck_assert_ptr_nonnull(
		strstr(csv, "none,throughput,tcp,mbps,Mb/s,9000,8000,10000,,,,2,ok,,"));
	ck_assert_ptr_nonnull(strstr(csv, "xdp-driver,latency,tcp,p99_us,us,,,,,,,0,n/a,"
					  "not applicable: refused,"));
	ck_assert_ptr_nonnull(strstr(csv, "xdp-generic,latency,tcp,p50_us,us,30,30,30,50,50,50,2,"
					  "failed,\"sockperf: timeout | twice at all\","));
	/* results.json reads back; report RUN dispatches on the kind */
	ck_assert_int_eq(res_load(dir, &back, err, sizeof(err)), 0);
	ck_assert_str_eq(json_string_value(json_object_get(back, "kind")), "bench-ebpf");
	unlink(path);
	snprintf(path, sizeof(path), "%s/report.md", dir);
	unlink(path);
	ck_assert_int_eq(rp_write_report(dir, back, NULL, err, sizeof(err)), 0);
	free(md);
	ck_assert_int_eq(tb_read_file(path, &md, NULL), 0);
	ck_assert_ptr_nonnull(
		strstr(md, "| change vs none | % | baseline | -5.0% [-10.0..+0.0] |"));
	json_decref(back);
	/* another kind is refused */
	json_object_set_new(res, "kind", json_string("bench-net"));
	ck_assert_int_eq(rp_write_ebpf_report(dir, res, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "not the results of `bench ebpf` (kind \"bench-ebpf\")");
	ck_assert_int_eq(rp_write_ebpf_results(dir, res), -EINVAL);
	f = open_memstream(&tab, &tlen);
	ck_assert_int_eq(rp_ebpf_tables(f, res), -EINVAL);
	fclose(f);
	free(tab);
	free(md);
	free(csv);
	json_decref(res);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	ck_assert_int_eq(system(path), 0);
}
END_TEST

/* ---- the programs themselves: root, in a private network namespace ---- */

struct netns_child {
	pid_t pid;
	int hold; /* closing it ends the child and its namespace */
	char path[64];
};

/* A child in a new network namespace with a veth pair tbut0/tbut1 (up) and lo. */
static void
netns_start(struct netns_child *c)
{
	int ready[2], hold[2];
	char b;

	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(hold), 0);
	c->pid = fork();
	ck_assert_int_ge(c->pid, 0);
	if (c->pid == 0) {
		close(ready[0]);
		close(hold[1]);
		if (unshare(CLONE_NEWNET) < 0 ||
		    system("ip link add tbut0 type veth peer name tbut1 && ip link set tbut0 up "
			   "&& ip link set tbut1 up && ip link set lo up") != 0)
			_exit(1);
		if (write(ready[1], "y", 1) != 1)
			_exit(1);
		if (read(hold[0], &b, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	ck_assert_int_eq(read(ready[0], &b, 1), 1);
	close(ready[0]);
	c->hold = hold[1];
	snprintf(c->path, sizeof(c->path), "/proc/%d/ns/net", (int)c->pid);
}

static void
netns_stop(struct netns_child *c)
{
	int st;

	close(c->hold);
	ck_assert_int_eq(waitpid(c->pid, &st, 0), c->pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static bool
can_bpf(void)
{
	if (geteuid() == 0)
		return true;
	fprintf(stderr, "bench-ebpf: eBPF tests skipped (not root: loading programs needs "
			"CAP_BPF and CAP_NET_ADMIN)\n");
	return false;
}

START_TEST(test_prog_load)
{
	char err[BH_ERR_LEN];
	unsigned int id1, id2;
	int fd1, fd2;

	if (!can_bpf())
		return;
	ck_assert_msg(bh_prog_load(BH_TC, &fd1, &id1, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(bh_prog_load(BH_XDP_GENERIC, &fd2, &id2, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_ge(fd1, 0);
	ck_assert_int_ge(fd2, 0);
	ck_assert_uint_gt(id1, 0);
	ck_assert_uint_ne(id1, id2);
	close(fd1);
	close(fd2);
	ck_assert_int_eq(bh_prog_load(BH_NONE, &fd1, &id1, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "no program for mode none");
	ck_assert_int_eq(fd1, -1);
}
END_TEST

/* mode attached on ifname, its program id (> 0), the kernel's word for the mode; alone: the
 * only program there, so the query for any (BH_NONE) finds it too */
static unsigned int
attach_ok(const char *ns, const char *ifname, enum bh_mode m, bool alone)
{
	struct bh_info a, q;
	char err[BH_ERR_LEN];

	ck_assert_msg(bh_attach(ns, ifname, m, &a, err, sizeof(err)) == 0, "%s %s: %s", ifname,
		      bh_mode_name(m), err);
	ck_assert_uint_gt(a.prog_id, 0);
	ck_assert_str_eq(a.attached, bh_mode_attached(m));
	ck_assert(!a.refused);
	ck_assert_msg(bh_query(ns, ifname, m, &q, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(q.prog_id, a.prog_id);
	ck_assert_str_eq(q.attached, bh_mode_attached(m));
	ck_assert_int_eq(q.ifindex, a.ifindex);
	if (alone) {
		ck_assert_msg(bh_query(ns, ifname, BH_NONE, &q, err, sizeof(err)) == 0, "%s", err);
		ck_assert_uint_eq(q.prog_id, a.prog_id);
		ck_assert_str_eq(q.attached, bh_mode_attached(m));
	}
	return a.prog_id;
}

static void
assert_clean(const char *ns, const char *ifname)
{
	struct bh_info q;
	char err[BH_ERR_LEN];
	int m;

	for (m = BH_NONE; m < BH_N_MODES; m++) {
		ck_assert_msg(bh_query(ns, ifname, m, &q, err, sizeof(err)) == 0, "%s", err);
		ck_assert_uint_eq(q.prog_id, 0);
		ck_assert_str_eq(q.attached, "none");
	}
}

START_TEST(test_hooks)
{
	struct netns_child c;
	struct bh_info a;
	char err[BH_ERR_LEN];
	int m;

	if (!can_bpf())
		return;
	netns_start(&c);
	assert_clean(c.path, "tbut0");
	/* each mode on, seen, off; off again is no error */
	for (m = BH_TC; m < BH_N_MODES; m++) {
		attach_ok(c.path, "tbut0", m, true);
		ck_assert_msg(bh_detach(c.path, "tbut0", m, err, sizeof(err)) == 0, "%s", err);
		assert_clean(c.path, "tbut0");
		ck_assert_msg(bh_detach(c.path, "tbut0", m, err, sizeof(err)) == 0, "%s", err);
	}
	/* attaching again replaces: a new program, still one */
	ck_assert_uint_ne(attach_ok(c.path, "tbut1", BH_TC, true),
			  attach_ok(c.path, "tbut1", BH_TC, true));
	/* tc and XDP together */
	attach_ok(c.path, "tbut1", BH_XDP_GENERIC, false);
	/* the other XDP mode while one is on: refused by the kernel */
	ck_assert_int_lt(bh_attach(c.path, "tbut1", BH_XDP_DRIVER, &a, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "tbut1: XDP attach (driver mode): "));
	ck_assert(a.refused);
	/* everything off at once, twice */
	ck_assert_msg(bh_detach_all(c.path, "tbut1", err, sizeof(err)) == 0, "%s", err);
	assert_clean(c.path, "tbut1");
	ck_assert_msg(bh_detach_all(c.path, "tbut1", err, sizeof(err)) == 0, "%s", err);
	/* lo has no native XDP: the device refuses, the kernel says why */
	ck_assert_int_lt(bh_attach(c.path, "lo", BH_XDP_DRIVER, &a, err, sizeof(err)), 0);
	ck_assert(a.refused);
	ck_assert_msg(strncmp(err, "lo: XDP attach (driver mode): ", 30) == 0 &&
			      strchr(err, '(') != NULL,
		      "%s", err);
	ck_assert_msg(bh_detach(c.path, "lo", BH_XDP_DRIVER, err, sizeof(err)) == 0, "%s", err);
	assert_clean(c.path, "lo");
	/* what is not there */
	ck_assert_int_eq(bh_detach(c.path, "tbnope0", BH_TC, err, sizeof(err)), -ENODEV);
	ck_assert_str_eq(err, "tbnope0: no such interface in the namespace");
	ck_assert_int_eq(bh_attach("tb-nope-x", "tbut0", BH_TC, &a, err, sizeof(err)), -ENOENT);
	ck_assert_str_eq(err, "network namespace tb-nope-x: No such file or directory");
	ck_assert_int_eq(bh_attach(c.path, "tbut0", BH_NONE, &a, err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(bh_detach(c.path, "", BH_TC, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "bad interface name \"\"");
	ck_assert_int_eq(bh_detach(c.path, "tbut0", BH_NONE, err, sizeof(err)), 0);
	netns_stop(&c);
}
END_TEST

static Suite *
bench_ebpf_suite(void)
{
	Suite *s = suite_create("bench-ebpf");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_args);
	tcase_add_test(tc, test_modes);
	tcase_add_test(tc, test_ratio);
	tcase_add_test(tc, test_point_delta);
	tcase_add_test(tc, test_report);
	tcase_add_test(tc, test_prog_load);
	tcase_add_test(tc, test_hooks);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(bench_ebpf_suite)
