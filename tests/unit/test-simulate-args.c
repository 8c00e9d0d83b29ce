/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "args.h"
#include "backend.h"
#include "simulate.h"
#include "unit.h"

static int
parse(struct sim_conf *c, char *err, int argc, char **argv)
{
	*c = (struct sim_conf)SIM_CONF_DEFAULT;
	err[0] = '\0';
	return sim_parse_args(argc, argv, c, err, 256);
}

#define SIM(...) (int)(sizeof((char *[]){"simulate", __VA_ARGS__}) / sizeof(char *)), \
	((char *[]){"simulate", __VA_ARGS__, NULL})

START_TEST(test_vms_and_steps)
{
	struct sim_conf c;
	char err[256];

	ck_assert_int_eq(parse(&c, err, SIM("--vms", "14")), 0);
	ck_assert_int_eq(c.n_steps, 1);
	ck_assert_int_eq(c.steps[0], 14);
	ck_assert_int_eq(c.duration_s, 30);
	ck_assert_int_eq(c.mtr_cycles, SIM_MTR_CYCLES_AUTO);
	ck_assert_int_eq(sim_mtr_cycles(&c), 30);
	ck_assert_int_eq(c.repeat, 2);
	ck_assert(!c.keep);
	ck_assert_int_eq(parse(&c, err, SIM("--steps", "2:14:2", "--backends", "bridge",
					    "--duration", "10", "--keep", "--instance", "b")),
			 0);
	ck_assert_int_eq(c.n_steps, 7);
	ck_assert_int_eq(c.steps[6], 14);
	ck_assert_int_eq(sim_max_vms(&c), 14);
	ck_assert_uint_eq(c.backends, 1u << TB_BE_BRIDGE);
	ck_assert(c.keep);
	ck_assert_str_eq(c.instance, "b");
	ck_assert_int_eq(parse(&c, err, SIM("--steps", "4:8:4")), 0);
	ck_assert_int_eq(c.n_steps, 2);
	ck_assert_int_eq(c.steps[1], 8);
	ck_assert(!c.across_hosts);
	ck_assert_int_eq(parse(&c, err, SIM("--vms", "4", "--across-hosts", "--no-baseline")), 0);
	ck_assert(c.across_hosts);
	ck_assert(!c.baseline);
}
END_TEST

START_TEST(test_mtr_cycles)
{
	struct sim_conf c;
	char err[256];

	ck_assert_int_eq(parse(&c, err, SIM("--vms", "2", "--mtr-cycles", "3")), 0);
	ck_assert_int_eq(c.mtr_cycles, 3);
	ck_assert_int_eq(c.duration_s, 30);
	ck_assert_int_eq(parse(&c, err, SIM("--mtr-cycles=1", "--vms", "2")), 0);
	ck_assert_int_eq(c.mtr_cycles, 1);
	ck_assert_int_eq(parse(&c, err, SIM("--vms", "2", "--mtr-cycles", "1000")), 0);
	ck_assert_int_eq(c.mtr_cycles, 1000);
	ck_assert_int_lt(parse(&c, err, SIM("--vms", "2", "--mtr-cycles", "0")), 0);
	ck_assert_str_eq(err, "bad --mtr-cycles \"0\" (allowed: 1-1000)");
	ck_assert_int_lt(parse(&c, err, SIM("--vms", "2", "--mtr-cycles", "1001")), 0);
	ck_assert_str_eq(err, "bad --mtr-cycles \"1001\" (allowed: 1-1000)");
	ck_assert_int_lt(parse(&c, err, SIM("--vms", "2", "--mtr-cycles", "3x")), 0);
	ck_assert_str_eq(err, "bad --mtr-cycles \"3x\" (allowed: 1-1000)");
	ck_assert_int_lt(parse(&c, err, SIM("--vms", "2", "--mtr-cycles", "-5")), 0);
	ck_assert_str_eq(err, "bad --mtr-cycles \"-5\" (allowed: 1-1000)");
	ck_assert_int_lt(parse(&c, err, SIM("--vms", "2", "--mtr-cycles", "")), 0);
	ck_assert_str_eq(err, "bad --mtr-cycles \"\" (allowed: 1-1000)");
	ck_assert_int_lt(parse(&c, err, SIM("--vms", "2", "--mtr-cycles")), 0);
	ck_assert_ptr_nonnull(strstr(err, "--mtr-cycles"));
}
END_TEST

/* mtr runs as long as iperf: one cycle a second for --duration, unless --mtr-cycles says */
START_TEST(test_mtr_follows_duration)
{
	struct sim_conf c;
	char err[256];

	ck_assert_int_eq(parse(&c, err, SIM("--vms", "2", "--duration", "3")), 0);
	ck_assert_int_eq(sim_mtr_cycles(&c), 3);
	ck_assert_int_eq(parse(&c, err, SIM("--vms", "2", "--duration", "120")), 0);
	ck_assert_int_eq(sim_mtr_cycles(&c), 120);
	/* explicit wins, either order */
	ck_assert_int_eq(parse(&c, err, SIM("--mtr-cycles", "7", "--vms", "2", "--duration", "60")),
			 0);
	ck_assert_int_eq(sim_mtr_cycles(&c), 7);
	ck_assert_int_eq(parse(&c, err, SIM("--vms", "2", "--duration", "5", "--mtr-cycles", "30")),
			 0);
	ck_assert_int_eq(sim_mtr_cycles(&c), 30);
	/* longer than mtr's limit: as many as it takes */
	ck_assert_int_eq(parse(&c, err, SIM("--vms", "2", "--duration", "3600")), 0);
	ck_assert_int_eq(sim_mtr_cycles(&c), SIM_MTR_CYCLES_MAX);
}
END_TEST

START_TEST(test_repeat)
{
	struct sim_conf c;
	char err[256];

	ck_assert_int_eq(parse(&c, err, SIM("--vms", "2", "--repeat", "1")), 0);
	ck_assert_int_eq(c.repeat, 1);
	ck_assert_int_eq(parse(&c, err, SIM("--repeat=20", "--vms", "2")), 0);
	ck_assert_int_eq(c.repeat, 20);
	ck_assert_int_lt(parse(&c, err, SIM("--vms", "2", "--repeat", "0")), 0);
	ck_assert_str_eq(err, "bad --repeat \"0\" (allowed: 1-20)");
	ck_assert_int_lt(parse(&c, err, SIM("--vms", "2", "--repeat", "21")), 0);
	ck_assert_str_eq(err, "bad --repeat \"21\" (allowed: 1-20)");
	ck_assert_int_lt(parse(&c, err, SIM("--vms", "2", "--repeat", "auto")), 0);
	ck_assert_str_eq(err, "bad --repeat \"auto\" (allowed: 1-20)");
	ck_assert_int_lt(parse(&c, err, SIM("--vms", "2", "--repeat", "2.5")), 0);
	ck_assert_str_eq(err, "bad --repeat \"2.5\" (allowed: 1-20)");
	ck_assert_int_lt(parse(&c, err, SIM("--vms", "2", "--repeat")), 0);
	ck_assert_ptr_nonnull(strstr(err, "--repeat"));
}
END_TEST

START_TEST(test_bad_input)
{
	struct sim_conf c;
	char err[256];

	ck_assert_int_lt(parse(&c, err, SIM("--vms", "3")), 0);
	ck_assert_ptr_nonnull(strstr(err, "bad --vms \"3\" (allowed: an even number"));
	ck_assert_int_lt(parse(&c, err, SIM("--vms", "0")), 0);
	ck_assert_int_lt(parse(&c, err, SIM("--vms", "34")), 0);
	ck_assert_int_lt(parse(&c, err, SIM("--steps", "2:14")), 0);
	ck_assert_ptr_nonnull(strstr(err, "allowed: A:B:STEP"));
	ck_assert_int_lt(parse(&c, err, SIM("--steps", "14:2:2")), 0);
	ck_assert_int_lt(parse(&c, err, SIM("--steps", "2:14:3")), 0);
	ck_assert_int_lt(parse(&c, err, SIM("--steps", "2:14:2x")), 0);
	ck_assert_int_lt(parse(&c, err, SIM("--steps", "1:13:2")), 0);
	ck_assert_int_lt(parse(&c, err, SIM("--duration", "0", "--vms", "2")), 0);
	ck_assert_int_lt(parse(&c, err, SIM("--backends", "nat", "--vms", "2")), 0);
	ck_assert_int_lt(parse(&c, err, SIM("--keep")), 0);
	ck_assert_ptr_nonnull(strstr(err, "how many guests?"));
}
END_TEST

static Suite *
simulate_args_suite(void)
{
	Suite *s = suite_create("simulate-args");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_vms_and_steps);
	tcase_add_test(tc, test_mtr_cycles);
	tcase_add_test(tc, test_mtr_follows_duration);
	tcase_add_test(tc, test_repeat);
	tcase_add_test(tc, test_bad_input);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(simulate_args_suite)
