/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench all`: options, and its report (backends, steps, the benches' reports embedded). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "bench-all.h"
#include "fsutil.h"
#include "report.h"
#include "unit.h"

#define ALL(...)                                                                                   \
	(int)(sizeof((char *[]){"bench", __VA_ARGS__}) / sizeof(char *)),                          \
		((char *[]){"bench", __VA_ARGS__, NULL})

static int
parse(struct ball_conf *c, char *err, int argc, char **argv)
{
	*c = (struct ball_conf)BALL_CONF_DEFAULT;
	err[0] = '\0';
	return ball_parse_args(argc, argv, c, err, 256);
}

START_TEST(test_args)
{
	struct ball_conf c;
	char err[256];

	ck_assert_int_eq(parse(&c, err, ALL("all")), 0);
	ck_assert_int_eq(c.numa, -1);
	ck_assert_int_eq(c.guests, 2);
	ck_assert_str_eq(c.profile, "netns");
	ck_assert_ptr_null(c.tests);
	ck_assert(c.ebpf && !c.keep);
	ck_assert_str_eq(c.instance, "bench");
	ck_assert_str_eq(c.out, "results");
	ck_assert_int_eq(parse(&c, err, ALL("--time", "2", "all", "--numa", "1", "--guests", "4",
					    "--tests", "throughput,rr", "--repeat", "3", "--no-ebpf",
					    "--keep", "--out", "/tmp/x", "--instance", "b2",
					    "--profile", "vm-small")),
			 0);
	ck_assert_int_eq(c.time_s, 2);
	ck_assert_int_eq(c.numa, 1);
	ck_assert_int_eq(c.guests, 4);
	ck_assert_str_eq(c.tests, "throughput,rr");
	ck_assert_int_eq(c.repeat, 3);
	ck_assert(!c.ebpf && c.keep);
	ck_assert_str_eq(c.out, "/tmp/x");
	ck_assert_str_eq(c.instance, "b2");
	ck_assert_str_eq(c.profile, "vm-small");
}
END_TEST

START_TEST(test_bad_args)
{
	struct ball_conf c;
	char err[256];

	ck_assert_int_eq(parse(&c, err, ALL("all", "--guests", "1")), -EINVAL);
	ck_assert_str_eq(err, "bad --guests \"1\" (allowed: 2-32 per backend: a pair)");
	ck_assert_int_eq(parse(&c, err, ALL("all", "--numa", "-1")), -EINVAL);
	ck_assert_str_eq(err, "bad --numa \"-1\" (allowed: a NUMA node number, 0-1023)");
	ck_assert_int_eq(parse(&c, err, ALL("all", "--tests", "tcp_rr")), -EINVAL);
	ck_assert_str_eq(err, "bad --tests \"tcp_rr\" (allowed: a comma-separated list of "
			      "throughput, pps, latency, rr, or all)");
	ck_assert_int_eq(parse(&c, err, ALL("all", "--time", "0")), -EINVAL);
	ck_assert_str_eq(err, "bad --time \"0\" (allowed: 1-600 seconds)");
	ck_assert_int_eq(parse(&c, err, ALL("all", "--repeat", "51")), -EINVAL);
	ck_assert_str_eq(err, "bad --repeat \"51\" (allowed: 1-50)");
	ck_assert_int_eq(parse(&c, err, ALL("all", "--out", "")), -EINVAL);
	ck_assert_str_eq(err, "bad --out \"\" (allowed: a directory)");
	ck_assert_int_eq(parse(&c, err, ALL("all", "--instance", "Bad!")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, ALL("all", "all")), -EINVAL);
	ck_assert_str_eq(err, "unexpected argument \"all\"");
	ck_assert_int_eq(parse(&c, err, ALL("all", "--frob")), -EINVAL);
	ck_assert_str_eq(err, "unknown or incomplete option \"--frob\"");
	ck_assert_int_eq(parse(&c, err, ALL("--time", "1")), -EINVAL);
	ck_assert_str_eq(err, "bench: which bench? (valid: switch, net, ebpf, path, all)");
}
END_TEST

/* The report: the backends table, the steps, a bench's report with its headings demoted. */
START_TEST(test_report)
{
	char dir[] = "/tmp/tb-unit-ball-XXXXXX", path[256], *text = NULL, err[256];
	json_t *res;
	size_t len;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/net1", dir);
	ck_assert_int_eq(tb_mkdir_p(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/net1/report.md", dir);
	ck_assert_int_eq(tb_write_atomic(path, "# bench net: net1\n\n- tests: throughput\n\n## "
					       "Throughput (iperf3)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
					 strlen("# bench net: net1\n\n- tests: throughput\n\n## "
						"Throughput (iperf3)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"),
					 0644),
			 0);
	res = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:[{s:s, s:b, s:b, s:s}, {s:s, s:b, s:b, "
			"s:s}], s:{s:{s:s}, s:{s:s, s:s}, s:{s:s, s:s}}}",
			"kind", "bench-all", "run_id", "r1", "instance", "bench", "profile", "netns",
			"guest_kind", "netns", "instance_reused", 0, "backends", "backend", "tap",
			"runs", 1, "measured", 1, "why", "relay | userspace", "backend", "vhost-net",
			"runs", 0, "measured", 0, "why", "/dev/vhost-net: No such file", "steps", "up",
			"status", "ok", "net", "status", "ok", "run_dir", "net1", "ebpf", "status",
			"failed", "reason", "exit status 1");
	ck_assert_ptr_nonnull(res);
	ck_assert_int_eq(rp_write_report(dir, res, NULL, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/report.md", dir);
	ck_assert_int_eq(tb_read_file(path, &text, &len), 0);
	ck_assert_ptr_nonnull(strstr(text, "# bench all: r1\n"));
	ck_assert_ptr_nonnull(strstr(text, "- instance: bench (netns guests, profile netns)\n"));
	ck_assert_ptr_nonnull(strstr(text, "- net: ok, net1/\n"));
	ck_assert_ptr_nonnull(strstr(text, "- ebpf: failed (exit status 1)\n"));
	/* a pipe in a reason cannot break the table */
	ck_assert_ptr_nonnull(strstr(text, "| tap | yes | relay \\| userspace |\n"));
	ck_assert_ptr_nonnull(strstr(text, "| vhost-net | no | /dev/vhost-net: No such file |\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n## bench net: net1\n\n- tests: throughput\n\n### "
					   "Throughput (iperf3)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"));
	free(text);
	json_decref(res);
	tb_rm_tree(dir);
}
END_TEST

static Suite *
bench_all_suite(void)
{
	Suite *s = suite_create("bench-all");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_args);
	tcase_add_test(tc, test_bad_args);
	tcase_add_test(tc, test_report);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(bench_all_suite)
