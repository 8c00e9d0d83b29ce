/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "args.h"
#include "backend.h"
#include "sweep.h"
#include "unit.h"

static int
parse(struct sweep_conf *c, char *err, int argc, char **argv)
{
	*c = (struct sweep_conf)SWEEP_CONF_DEFAULT;
	err[0] = '\0';
	return sweep_parse_args(argc, argv, c, err, 256);
}

#define SWEEP(...) (int)(sizeof((char *[]){"sweep", __VA_ARGS__}) / sizeof(char *)), \
	((char *[]){"sweep", __VA_ARGS__, NULL})

START_TEST(test_defaults_follow_reference)
{
	struct sweep_conf c;
	char err[256];
	long sizes[40];
	int n;

	ck_assert_int_eq(parse(&c, err, SWEEP("tcp_lat")), 0);
	ck_assert_uint_eq(c.tests, 1u << SW_TCP_LAT);
	ck_assert_uint_eq(c.backends, 0);
	ck_assert_int_eq(c.time_s, 1);
	ck_assert_int_eq(c.repeat, SW_REPEAT_AUTO);
	ck_assert_int_eq(c.pmd_maxsleep_us, -1);
	ck_assert(!c.across_hosts);
	ck_assert(c.baseline);
	n = sweep_sizes(&c, SW_TCP_LAT, sizes, 40);
	ck_assert_int_eq(n, 28); /* msg_size:1:128M:*2 */
	ck_assert_int_eq(sizes[0], 1);
	ck_assert_int_eq(sizes[27], 134217728);
	n = sweep_sizes(&c, SW_UDP_BW, sizes, 40);
	ck_assert_int_eq(n, 11); /* msg_size:1:1K:*2 */
	ck_assert_int_eq(sizes[10], 1024);
}
END_TEST

START_TEST(test_options)
{
	struct sweep_conf c;
	char err[256];
	long sizes[40];

	ck_assert_int_eq(parse(&c, err, SWEEP("--sizes", "64:4K", "all", "--backends",
					      "bridge,masquerade", "--time", "1", "--repeat", "5",
					      "--out", "/tmp/x", "--instance", "b")),
			 0);
	ck_assert_uint_eq(c.tests, 0xf);
	ck_assert_uint_eq(c.backends, (1u << TB_BE_BRIDGE) | (1u << TB_BE_MASQUERADE));
	ck_assert_int_eq(c.min_size, 64);
	ck_assert_int_eq(c.max_size, 4096);
	ck_assert_int_eq(c.repeat, 5);
	ck_assert_str_eq(c.out, "/tmp/x");
	ck_assert_str_eq(c.instance, "b");
	ck_assert_int_eq(sweep_sizes(&c, SW_TCP_BW, sizes, 40), 7);
	ck_assert_int_eq(parse(&c, err, SWEEP("tcp_lat", "--across-hosts", "--no-baseline")), 0);
	ck_assert(c.across_hosts);
	ck_assert(!c.baseline);
	/* UDP is clipped to what a datagram holds */
	ck_assert_int_eq(parse(&c, err, SWEEP("udp_lat", "--sizes", "1K:1G")), 0);
	ck_assert_int_eq(sweep_sizes(&c, SW_UDP_LAT, sizes, 40), 6);
	ck_assert_int_eq(sizes[5], 32768);
}
END_TEST

START_TEST(test_sizes_clipping_said)
{
	struct sweep_conf c;
	char err[256], note[256];

	/* clipped: said, with what is left */
	ck_assert_int_eq(parse(&c, err, SWEEP("all", "--sizes", "16K:1M")), 0);
	ck_assert_int_eq(sweep_sizes_note(&c, SW_UDP_BW, note, sizeof(note)), 1);
	ck_assert_str_eq(note, "udp_bw: sizes above 32768 bytes left out (a UDP message holds at "
			       "most that): 16384 to 32768");
	ck_assert_int_eq(sweep_sizes_note(&c, SW_TCP_BW, note, sizeof(note)), 0);
	ck_assert_str_eq(note, "");
	/* the default 1:1K for UDP is nothing clipped */
	ck_assert_int_eq(parse(&c, err, SWEEP("udp_lat")), 0);
	ck_assert_int_eq(sweep_sizes_note(&c, SW_UDP_LAT, note, sizeof(note)), 0);
	/* clipped to nothing: refused, naming the value and what is allowed */
	ck_assert_int_eq(parse(&c, err, SWEEP("udp_lat", "--sizes", "64K:1M")), -EINVAL);
	ck_assert_str_eq(err, "bad --sizes 65536:1048576 for udp_lat: a UDP message holds at most "
			      "32768 bytes, so nothing is left (allowed: MIN <= 32K)");
	ck_assert_int_eq(parse(&c, err, SWEEP("all", "--sizes", "64K:1M")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, SWEEP("tcp_lat", "--sizes", "64K:1M")), 0);
}
END_TEST

START_TEST(test_bad_input)
{
	struct sweep_conf c;
	char err[256];

	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_rr")), 0);
	ck_assert_str_eq(err, "unknown test \"tcp_rr\" (valid: tcp_lat, tcp_bw, udp_lat, udp_bw, all)");
	ck_assert_int_lt(parse(&c, err, SWEEP("--time", "1")), 0);
	ck_assert_ptr_nonnull(strstr(err, "which test?"));
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--sizes", "64:1")), 0);
	ck_assert_ptr_nonnull(strstr(err, "bad --sizes \"64:1\" (allowed: MIN:MAX"));
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--sizes", "1-64")), 0);
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--sizes", "0:64")), 0);
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--sizes", "1:2T")), 0);
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--sizes", "1:")), 0);
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--sizes", "1:4G")), 0);
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--backends", "ovs")), 0);
	ck_assert_ptr_nonnull(strstr(err, "valid: vhost-user, bridge, masquerade"));
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--time", "0")), 0);
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--repeat", "x")), 0);
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--pmd-maxsleep", "-1")), 0);
	ck_assert_ptr_nonnull(strstr(err, "allowed: 0-10000 us"));
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "udp_lat")), 0);
	ck_assert_ptr_nonnull(strstr(err, "unexpected argument \"udp_lat\""));
}
END_TEST

START_TEST(test_repeat)
{
	struct sweep_conf c;
	char err[256];
	int r = -1;

	ck_assert_int_eq(parse(&c, err, SWEEP("tcp_lat", "--repeat", "auto")), 0);
	ck_assert_int_eq(c.repeat, SW_REPEAT_AUTO);
	ck_assert_int_eq(parse(&c, err, SWEEP("tcp_lat", "--repeat", "1")), 0);
	ck_assert_int_eq(c.repeat, 1);
	ck_assert_int_eq(parse(&c, err, SWEEP("--repeat=100", "tcp_bw")), 0);
	ck_assert_int_eq(c.repeat, 100);
	/* a fixed count after auto: the last one counts */
	ck_assert_int_eq(parse(&c, err, SWEEP("tcp_lat", "--repeat", "auto", "--repeat", "4")), 0);
	ck_assert_int_eq(c.repeat, 4);
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--repeat", "0")), 0);
	ck_assert_str_eq(err, "bad --repeat \"0\" (allowed: auto or 1-100)");
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--repeat", "101")), 0);
	ck_assert_str_eq(err, "bad --repeat \"101\" (allowed: auto or 1-100)");
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--repeat", "Auto")), 0);
	ck_assert_str_eq(err, "bad --repeat \"Auto\" (allowed: auto or 1-100)");
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--repeat", "3x")), 0);
	ck_assert_str_eq(err, "bad --repeat \"3x\" (allowed: auto or 1-100)");
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--repeat", "")), 0);
	ck_assert_str_eq(err, "bad --repeat \"\" (allowed: auto or 1-100)");
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--repeat", "-3")), 0);
	ck_assert_int_lt(parse(&c, err, SWEEP("tcp_lat", "--repeat")), 0);
	ck_assert_ptr_nonnull(strstr(err, "--repeat"));
	ck_assert_int_eq(sweep_repeat_parse("auto", &r), 0);
	ck_assert_int_eq(r, SW_REPEAT_AUTO);
	ck_assert_int_eq(sweep_repeat_parse("7", &r), 0);
	ck_assert_int_eq(r, 7);
	ck_assert_int_lt(sweep_repeat_parse("autox", &r), 0);
	ck_assert_int_eq(r, 7);
}
END_TEST

START_TEST(test_size_suffixes)
{
	long b;

	ck_assert_int_eq(sweep_size_parse("1", &b), 0);
	ck_assert_int_eq(b, 1);
	ck_assert_int_eq(sweep_size_parse("64K", &b), 0);
	ck_assert_int_eq(b, 65536);
	ck_assert_int_eq(sweep_size_parse("128M", &b), 0);
	ck_assert_int_eq(b, 134217728);
	ck_assert_int_eq(sweep_size_parse("1G", &b), 0);
	ck_assert_int_lt(sweep_size_parse("2G", &b), 0);
	ck_assert_int_lt(sweep_size_parse("-1", &b), 0);
	ck_assert_int_lt(sweep_size_parse("K", &b), 0);
	ck_assert_int_lt(sweep_size_parse("12KB", &b), 0);
}
END_TEST

static Suite *
sweep_args_suite(void)
{
	Suite *s = suite_create("sweep-args");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_defaults_follow_reference);
	tcase_add_test(tc, test_options);
	tcase_add_test(tc, test_bad_input);
	tcase_add_test(tc, test_sizes_clipping_said);
	tcase_add_test(tc, test_repeat);
	tcase_add_test(tc, test_size_suffixes);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(sweep_args_suite)
