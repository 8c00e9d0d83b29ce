/* SPDX-License-Identifier: BSD-3-Clause */
/* Repeats: sweep's auto-repeat rule and spread, simulate's runs folded into a point. */
#include <math.h>
#include <string.h>

#include <jansson.h>

#include "simulate-run.h"
#include "sweep-run.h"
#include "sweep.h"
#include "unit.h"

#define MORE(v, done) sweep_repeat_more(v, sizeof(v) / sizeof(v[0]), done, 3, 7, 0.20)

START_TEST(test_spread_rel)
{
	const double a[] = {10, 11, 12};   /* (12 - 10) / 11 */
	const double b[] = {5};
	const double z[] = {0, 0, 0};
	const double neg[] = {-3, -1, -2};

	ck_assert_double_eq_tol(sweep_spread_rel(a, 3), 2.0 / 11, 1e-12);
	ck_assert_double_eq_tol(sweep_spread_rel(a, 2), 1.0 / 10.5, 1e-12);
	ck_assert(sweep_spread_rel(b, 1) < 0);	/* one value: no spread */
	ck_assert(sweep_spread_rel(NULL, 0) < 0);
	ck_assert(sweep_spread_rel(z, 3) < 0);	/* median 0: nothing to relate to */
	ck_assert(sweep_spread_rel(neg, 3) < 0);
}
END_TEST

START_TEST(test_repeat_rule)
{
	const double tight[] = {100, 101, 99};		 /* 2 % */
	const double wide[] = {100, 130, 90};		 /* 40 % */
	const double edge[] = {90, 100, 110};		 /* exactly 20 %: not above */
	const double just[] = {90, 100, 110.01};	 /* just above */
	const double seven_wide[] = {1, 2, 1, 2, 1, 2, 1};

	/* below the minimum: always another, whatever the values */
	ck_assert(sweep_repeat_more(NULL, 0, 0, 3, 7, 0.20));
	ck_assert(sweep_repeat_more(tight, 2, 2, 3, 7, 0.20));
	ck_assert(sweep_repeat_more(NULL, 0, 2, 3, 7, 0.20));
	/* at the minimum: only while wide */
	ck_assert(!MORE(tight, 3));
	ck_assert(MORE(wide, 3));
	ck_assert(!MORE(edge, 3));
	ck_assert(MORE(just, 3));
	/* at the cap: never */
	ck_assert(!sweep_repeat_more(seven_wide, 7, 7, 3, 7, 0.20));
	ck_assert(sweep_repeat_more(seven_wide, 6, 6, 3, 7, 0.20));
	/* failed repeats: done counts them, the values do not; one value says nothing */
	ck_assert(!sweep_repeat_more(wide, 1, 4, 3, 7, 0.20));
	ck_assert(!sweep_repeat_more(NULL, 0, 3, 3, 7, 0.20));
	ck_assert(sweep_repeat_more(wide, 2, 4, 3, 7, 0.20)); /* 100, 130: 26 % */
	/* a fixed count: min = cap */
	ck_assert(sweep_repeat_more(wide, 0, 0, 1, 1, 0.20));
	ck_assert(!sweep_repeat_more(wide, 1, 1, 1, 1, 0.20));
	ck_assert(sweep_repeat_more(wide, 3, 4, 5, 5, 0.20));
	ck_assert(!sweep_repeat_more(wide, 3, 5, 5, 5, 0.20));
	/* the threshold decides */
	ck_assert(!sweep_repeat_more(wide, 3, 3, 3, 7, 0.50));
	ck_assert(sweep_repeat_more(tight, 3, 3, 3, 7, 0.01));
}
END_TEST

START_TEST(test_main_metric)
{
	ck_assert_str_eq(sweep_main_metric("tcp_lat"), "latency_us");
	ck_assert_str_eq(sweep_main_metric("udp_lat"), "latency_us");
	ck_assert_str_eq(sweep_main_metric("tcp_bw"), "bw_mbps");
	ck_assert_str_eq(sweep_main_metric("udp_bw"), "bw_mbps");
}
END_TEST

static json_t *
point_of(const char *test, const char *metric, const double *v, int n, int n_failed)
{
	json_t *p = json_pack("{s:s, s:s, s:s, s:i, s:[]}", "backend", "bridge", "scope",
			      "same_host", "test", test, "msg_size", 64, "repeats");
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(json_object_get(p, "repeats"),
				      json_pack("{s:s, s:f}", "status", "ok", metric, v[i]));
	for (i = 0; i < n_failed; i++)
		json_array_append_new(json_object_get(p, "repeats"),
				      json_pack("{s:s, s:s, s:f}", "status", "failed", "error",
						"qperf: boom", metric, 1e9));
	return p;
}

START_TEST(test_sweep_point_spread)
{
	const double lat[] = {20, 30, 22};	 /* (30 - 20) / 22 = 45 % */
	const double bw[] = {1000, 1010, 990}; /* 2 % */
	double v[8];
	json_t *p;

	p = point_of("tcp_lat", "latency_us", lat, 3, 0);
	ck_assert_uint_eq(sweep_point_values(p, v, 8), 3);
	sweep_point_summarise(p, SW_WIDE_SPREAD);
	ck_assert_str_eq(json_string_value(json_object_get(p, "status")), "ok");
	ck_assert_double_eq_tol(json_real_value(json_object_get(p, "spread")), 10.0 / 22, 1e-9);
	ck_assert(json_is_true(json_object_get(p, "wide")));
	ck_assert_double_eq_tol(
		json_real_value(json_object_get(json_object_get(p, "latency_us"), "median")), 22,
		1e-9);
	/* the same values under a looser threshold */
	sweep_point_summarise(p, 0.5);
	ck_assert(json_is_false(json_object_get(p, "wide")));
	json_decref(p);

	/* the failed repeat's value is not counted: it would make the spread huge */
	p = point_of("udp_bw", "bw_mbps", bw, 3, 1);
	ck_assert_uint_eq(sweep_point_values(p, v, 8), 3);
	sweep_point_summarise(p, SW_WIDE_SPREAD);
	ck_assert_str_eq(json_string_value(json_object_get(p, "status")), "failed");
	ck_assert(json_is_false(json_object_get(p, "wide")));
	ck_assert_double_eq_tol(json_real_value(json_object_get(p, "spread")), 0.02, 1e-9);
	json_decref(p);

	/* a repeat cut short by Ctrl-C stops the point, it does not fail it */
	p = point_of("tcp_lat", "latency_us", lat, 2, 0);
	json_array_append_new(json_object_get(p, "repeats"),
			      json_pack("{s:s, s:s}", "status", "stopped", "error",
					"stopped by SIGINT"));
	sweep_point_summarise(p, SW_WIDE_SPREAD);
	ck_assert_str_eq(json_string_value(json_object_get(p, "status")), "stopped");
	ck_assert_str_eq(json_string_value(json_object_get(p, "reason")), "stopped by SIGINT");
	/* but a failed repeat anywhere fails it, whatever came after */
	json_array_insert_new(json_object_get(p, "repeats"), 0,
			      json_pack("{s:s, s:s}", "status", "failed", "error", "qperf: x"));
	json_array_append_new(json_object_get(p, "repeats"),
			      json_pack("{s:s, s:s}", "status", "stopped", "error",
					"stopped by SIGINT"));
	sweep_point_summarise(p, SW_WIDE_SPREAD);
	ck_assert_str_eq(json_string_value(json_object_get(p, "status")), "failed");
	ck_assert_str_eq(json_string_value(json_object_get(p, "reason")), "qperf: x");
	json_decref(p);

	/* one repeat: no spread, no verdict */
	p = point_of("tcp_lat", "latency_us", lat, 1, 0);
	sweep_point_summarise(p, SW_WIDE_SPREAD);
	ck_assert_ptr_null(json_object_get(p, "spread"));
	ck_assert_ptr_null(json_object_get(p, "wide"));
	json_decref(p);
}
END_TEST

static void
add_rep(json_t *p, double v)
{
	json_array_append_new(json_object_get(p, "repeats"),
			      json_pack("{s:s, s:f}", "status", "ok", "latency_us", v));
}

/* A size's rounds: every pair until the minimum, then while any pair is wide, within budget. */
START_TEST(test_next_round)
{
	struct sweep_conf conf = SWEEP_CONF_DEFAULT;
	struct sweep_run r = {.conf = &conf, .rep_min = 3, .rep_cap = 7, .extra_left = 5};
	const double a[] = {10, 10.1, 9.9}, b[] = {10, 15, 10}; /* tight, wide (50 %) */
	json_t *row[2];
	int k, done;

	row[0] = point_of("tcp_lat", "latency_us", a, 0, 0);
	row[1] = point_of("tcp_lat", "latency_us", b, 0, 0);
	for (done = 0; done < 3; done++) {
		ck_assert(sweep_next_round(&r, row, 2, done));
		add_rep(row[0], a[done]);
		add_rep(row[1], b[done]);
	}
	ck_assert_int_eq(r.extra_left, 5); /* the minimum is not taken from the budget */
	/* pair 1 is wide: another round for both pairs, 2 runs x --time 1 s from the budget */
	ck_assert(sweep_next_round(&r, row, 2, 3));
	ck_assert_int_eq(r.extra_left, 3);
	ck_assert_int_eq(r.n_total, 2);
	add_rep(row[0], 10);
	add_rep(row[1], 14);
	ck_assert(sweep_next_round(&r, row, 2, 4));
	ck_assert_int_eq(r.extra_left, 1);
	add_rep(row[0], 10);
	add_rep(row[1], 16);
	/* still wide, but a round costs 2 s and 1 s is left */
	ck_assert(!sweep_next_round(&r, row, 2, 5));
	ck_assert_int_eq(r.extra_left, 1);
	ck_assert_int_eq(r.n_total, 4);
	/* a longer time that the test's large sizes needed costs more */
	r.extra_left = 100;
	r.time_floor = 16;
	ck_assert(sweep_next_round(&r, row, 2, 5));
	ck_assert_int_eq(r.extra_left, 68);
	for (k = 0; k < 2; k++)
		add_rep(row[k], 13);
	ck_assert(sweep_next_round(&r, row, 2, 6));
	for (k = 0; k < 2; k++)
		add_rep(row[k], 13);
	ck_assert(!sweep_next_round(&r, row, 2, 7)); /* the cap */
	json_decref(row[0]);
	json_decref(row[1]);

	/* all tight after the minimum: no extra round, no budget spent */
	r = (struct sweep_run){.conf = &conf, .rep_min = 3, .rep_cap = 7, .extra_left = 5};
	row[0] = point_of("tcp_lat", "latency_us", a, 3, 0);
	ck_assert(!sweep_next_round(&r, row, 1, 3));
	ck_assert_int_eq(r.extra_left, 5);
	json_decref(row[0]);

	/* a fixed count: exactly that many, wide or not */
	r = (struct sweep_run){.conf = &conf, .rep_min = 2, .rep_cap = 2, .extra_left = 0};
	row[0] = point_of("tcp_lat", "latency_us", b, 0, 0);
	ck_assert(sweep_next_round(&r, row, 1, 0));
	add_rep(row[0], 10);
	ck_assert(sweep_next_round(&r, row, 1, 1));
	add_rep(row[0], 30);
	ck_assert(!sweep_next_round(&r, row, 1, 2));
	json_decref(row[0]);
}
END_TEST

static json_t *
sim_run(const char *status, double link, double lat, int n_pairs)
{
	json_t *r = json_pack("{s:s, s:s, s:s, s:i, s:s, s:f, s:f, s:f, s:f, s:f, s:[]}",
			      "backend", "bridge", "scope", "same_host", "test", "simulate",
			      "vms", 2 * n_pairs, "status", status, "link_bw_mbps", link,
			      "vm_bw_mbps", link / n_pairs, "lat_us", lat, "loss_pct", 0.0,
			      "seconds", 3.5, "pairs");
	int i;

	for (i = 0; i < n_pairs; i++)
		json_array_append_new(json_object_get(r, "pairs"),
				      json_pack("{s:s, s:s}", "client", "br0", "status", status));
	if (strcmp(status, "ok") != 0)
		json_object_set_new(r, "reason", json_string("iperf: refused"));
	return r;
}

static double
num(json_t *o, const char *key)
{
	json_t *x = json_object_get(o, key);

	ck_assert_msg(json_is_number(x), "%s missing", key);
	return json_number_value(x);
}

START_TEST(test_sim_point_repeats)
{
	json_t *p = json_pack("{s:s, s:s, s:s, s:i, s:[], s:[]}", "backend", "bridge", "scope",
			      "same_host", "test", "simulate", "vms", 4, "repeats", "pairs");
	json_t *r;

	sim_point_add_repeat(p, sim_run("ok", 1000, 50, 2), 1);
	ck_assert_str_eq(json_string_value(json_object_get(p, "status")), "ok");
	ck_assert_double_eq_tol(num(p, "link_bw_mbps"), 1000, 1e-9);
	ck_assert_double_eq_tol(num(p, "link_bw_mbps_min"), 1000, 1e-9);
	ck_assert_double_eq_tol(num(p, "link_bw_mbps_max"), 1000, 1e-9);
	sim_point_add_repeat(p, sim_run("ok", 1400, 70, 2), 2);
	sim_point_add_repeat(p, sim_run("ok", 1100, 40, 2), 3);
	/* the median of 1000, 1400, 1100 under the key the report reads, min and max beside */
	ck_assert_double_eq_tol(num(p, "link_bw_mbps"), 1100, 1e-9);
	ck_assert_double_eq_tol(num(p, "link_bw_mbps_min"), 1000, 1e-9);
	ck_assert_double_eq_tol(num(p, "link_bw_mbps_max"), 1400, 1e-9);
	ck_assert_double_eq_tol(num(p, "vm_bw_mbps"), 550, 1e-9);
	ck_assert_double_eq_tol(num(p, "lat_us"), 50, 1e-9);
	ck_assert_double_eq_tol(num(p, "lat_us_min"), 40, 1e-9);
	ck_assert_double_eq_tol(num(p, "lat_us_max"), 70, 1e-9);
	ck_assert_double_eq_tol(num(p, "loss_pct_max"), 0, 1e-9);
	ck_assert_double_eq_tol(num(p, "seconds"), 10.5, 1e-9);
	ck_assert_uint_eq(json_array_size(json_object_get(p, "repeats")), 3);
	ck_assert_uint_eq(json_array_size(json_object_get(p, "pairs")), 6);
	r = json_array_get(json_object_get(p, "repeats"), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "repeat")), 2);
	ck_assert_double_eq_tol(num(r, "link_bw_mbps"), 1400, 1e-9);
	ck_assert_ptr_null(json_object_get(r, "pairs")); /* they are in the point's, marked */
	ck_assert_int_eq(json_integer_value(json_object_get(
				 json_array_get(json_object_get(p, "pairs"), 5), "repeat")),
			 3);
	/* a failed run fails the point (named) but does not move the figures */
	sim_point_add_repeat(p, sim_run("failed", 1, 9999, 2), 4);
	ck_assert_str_eq(json_string_value(json_object_get(p, "status")), "failed");
	ck_assert_str_eq(json_string_value(json_object_get(p, "reason")), "iperf: refused");
	ck_assert_double_eq_tol(num(p, "link_bw_mbps_min"), 1000, 1e-9);
	ck_assert_double_eq_tol(num(p, "lat_us_max"), 70, 1e-9);
	json_decref(p);

	/* no run succeeded: the figures are of the failed runs, the point says failed */
	p = json_pack("{s:s, s:i, s:[], s:[]}", "backend", "bridge", "vms", 2, "repeats", "pairs");
	sim_point_add_repeat(p, sim_run("failed", 10, 100, 1), 1);
	sim_point_add_repeat(p, sim_run("failed", 30, 300, 1), 2);
	ck_assert_str_eq(json_string_value(json_object_get(p, "status")), "failed");
	ck_assert_double_eq_tol(num(p, "link_bw_mbps"), 20, 1e-9);
	json_decref(p);
}
END_TEST

static Suite *
repeat_suite(void)
{
	Suite *s = suite_create("repeat");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_spread_rel);
	tcase_add_test(tc, test_repeat_rule);
	tcase_add_test(tc, test_main_metric);
	tcase_add_test(tc, test_sweep_point_spread);
	tcase_add_test(tc, test_next_round);
	tcase_add_test(tc, test_sim_point_repeats);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(repeat_suite)
