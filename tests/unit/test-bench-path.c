/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench path`: the probe payload layout, the hop arithmetic (missing stamps: remainders), the CSV
 * and the options. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "bench-path.h"
#include "unit.h"

#define ARGV(...)                                                                                  \
	(int)(sizeof((char *[]){"bench", __VA_ARGS__}) / sizeof(char *)),                          \
		((char *[]){"bench", __VA_ARGS__, NULL})

/* An Ethernet + IPv4 + UDP frame to port with checksum csum and a probe payload. */
static uint32_t
frame(uint8_t *f, uint16_t port, uint16_t csum, uint32_t magic)
{
	struct probe_payload p = {.magic = magic, .seq = 7, .t_send = 1000};

	memset(f, 0, 256);
	f[12] = 0x08;
	f[14] = 0x45;
	f[14 + 9] = 17;
	f[14 + 22] = port >> 8;
	f[14 + 23] = port & 0xff;
	f[14 + 26] = csum >> 8;
	f[14 + 27] = csum & 0xff;
	memcpy(f + PROBE_PAYLOAD_OFF, &p, sizeof(p));
	return PROBE_FRAME_MIN;
}

START_TEST(test_layout)
{
	uint8_t f[256];
	struct probe_payload p;
	uint32_t len = frame(f, PROBE_PORT, 0, PROBE_MAGIC);

	ck_assert_uint_eq(PROBE_PAYLOAD_LEN, 64);
	ck_assert_uint_eq(PROBE_REPLY_LEN, 72);
	ck_assert_uint_eq(PROBE_PAYLOAD_OFF, 42);
	ck_assert_uint_eq(probe_stamp_off(f, len, PROBE_TAP_READ), 42 + 16);
	ck_assert_uint_eq(probe_stamp_off(f, len, PROBE_TAP_WRITE), 42 + 16 + 5 * 8);
	/* written once: a second pass (a retried enqueue) keeps the first */
	probe_stamp(f, len, PROBE_SW_RX, 111);
	probe_stamp(f, len, PROBE_SW_RX, 222);
	memcpy(&p, f + PROBE_PAYLOAD_OFF, sizeof(p));
	ck_assert_uint_eq(p.stamp[PROBE_SW_RX], 111);
	ck_assert_uint_eq(p.stamp[PROBE_SW_TX], 0);
	ck_assert_uint_eq(p.seq, 7);
	ck_assert_uint_eq(p.t_send, 1000);
	/* not probes: left as they are */
	ck_assert_uint_eq(probe_stamp_off(f, len - 1, PROBE_ENQ), 0);
	frame(f, PROBE_PORT + 1, 0, PROBE_MAGIC);
	ck_assert_uint_eq(probe_stamp_off(f, len, PROBE_ENQ), 0);
	frame(f, PROBE_PORT, 0x1234, PROBE_MAGIC); /* a checksum (or partial offload) in use */
	ck_assert_uint_eq(probe_stamp_off(f, len, PROBE_ENQ), 0);
	frame(f, PROBE_PORT, 0, PROBE_REPLY_MAGIC);
	ck_assert_uint_eq(probe_stamp_off(f, len, PROBE_ENQ), 0);
	frame(f, PROBE_PORT, 0, PROBE_MAGIC);
	f[13] = 0xdd; /* IPv6 */
	ck_assert_uint_eq(probe_stamp_off(f, len, PROBE_ENQ), 0);
}
END_TEST

START_TEST(test_reply_csv)
{
	struct probe_reply r = {.magic = PROBE_REPLY_MAGIC,
				.seq = 3,
				.t_send = 10,
				.stamp = {11, 12, 0, 0, 15, 16},
				.t_recv = 20};
	struct bpath_sample s, t;
	char *buf = NULL, *nl;
	size_t len = 0;
	FILE *f;

	ck_assert(bpath_sample_from_reply(&r, sizeof(r), &s));
	ck_assert(!bpath_sample_from_reply(&r, sizeof(r) - 1, &s));
	ck_assert_uint_eq(s.seq, 3);
	ck_assert_uint_eq(s.t[0], 10);
	ck_assert_uint_eq(s.t[1], 11);
	ck_assert_uint_eq(s.t[3], 0);
	ck_assert_uint_eq(s.t[BPATH_N_POINTS - 1], 20);
	f = open_memstream(&buf, &len);
	bpath_csv_header(f);
	bpath_csv_row(f, &s);
	fclose(f);
	ck_assert_int_eq(bpath_csv_parse(buf, &t), -EINVAL); /* the header */
	nl = strchr(buf, '\n');
	ck_assert_int_eq(bpath_csv_parse(nl + 1, &t), 0);
	ck_assert_uint_eq(s.seq, t.seq);
	ck_assert_mem_eq(s.t, t.t, sizeof(s.t));
	ck_assert_int_eq(bpath_csv_parse("1,2,3", &t), -EINVAL);
	ck_assert_int_eq(bpath_csv_parse("1,2,3,4,5,6,7,8,-9", &t), -EINVAL);
	ck_assert_int_eq(bpath_csv_parse("1,2,3,4,5,6,7,8,9,10", &t), -EINVAL);
	free(buf);
}
END_TEST

START_TEST(test_hops)
{
	struct bpath_sample all = {.t = {1000, 3000, 4000, 5000, 5500, 7000, 7100, 10000}};
	struct bpath_sample ovs = {.t = {1000, 3000, 4000, 0, 0, 7000, 7100, 10000}};
	struct bpath_sample br = {.t = {1000, 0, 0, 0, 0, 0, 0, 21000}};
	struct bpath_sample back = {.t = {1000, 3000, 1500, 0, 0, 7000, 7100, 10000}};
	struct bpath_sample none = {.t = {0, 3000, 4000, 0, 0, 7000, 7100, 10000}};
	double us[BPATH_N_HOPS], sum = 0;
	int end[BPATH_N_HOPS], i;
	char l[96];

	ck_assert_int_eq(bpath_hops(&all, us, end), 7);
	for (i = 0; i < BPATH_N_HOPS; i++) {
		ck_assert_int_eq(end[i], i + 1);
		ck_assert(us[i] >= 0);
		sum += us[i];
	}
	ck_assert_double_eq_tol(sum, 9.0, 1e-9);
	ck_assert_double_eq_tol(us[3], 0.5, 1e-9);
	/* OVS-DPDK: no switch stamps, the switch is the remainder enqueue -> dequeue */
	ck_assert_int_eq(bpath_hops(&ovs, us, end), 5);
	ck_assert_int_eq(end[2], 5);
	ck_assert_int_eq(end[3], -1);
	ck_assert_int_eq(end[4], -1);
	ck_assert_double_eq_tol(us[2], 3.0, 1e-9);
	bpath_span_label(2, 5, true, l, sizeof(l));
	ck_assert_str_eq(l, "switch (remainder, OVS-DPDK)");
	bpath_span_label(3, 4, false, l, sizeof(l));
	ck_assert_str_eq(l, "switch forward (rx -> tx)");
	/* the bridge: total only */
	ck_assert_int_eq(bpath_hops(&br, us, end), 1);
	ck_assert_int_eq(end[0], 7);
	ck_assert_double_eq_tol(us[0], 20.0, 1e-9);
	bpath_span_label(0, 7, false, l, sizeof(l));
	ck_assert_str_eq(l, "total (no inner stamps)");
	bpath_span_label(1, 3, false, l, sizeof(l));
	ck_assert_str_eq(l, "remainder tap_read -> switch_rx");
	/* time running backwards, or no send time: not a sample */
	ck_assert_int_eq(bpath_hops(&back, us, end), -EINVAL);
	ck_assert_int_eq(bpath_hops(&none, us, end), -EINVAL);
}
END_TEST

static int
parse(struct bpath_conf *c, char *err, int argc, char **argv)
{
	*c = (struct bpath_conf)BPATH_CONF_DEFAULT;
	err[0] = '\0';
	return bpath_parse_args(argc, argv, c, err, 256);
}

START_TEST(test_args)
{
	struct bpath_conf c;
	char err[256];

	ck_assert_int_eq(parse(&c, err, ARGV("path")), 0);
	ck_assert_str_eq(c.instance, "main");
	ck_assert_int_eq(c.size, 64);
	ck_assert_int_eq(c.count, 2000);
	ck_assert_int_eq(c.repeat, 3);
	ck_assert_uint_eq(c.backends, 0);
	ck_assert_int_eq(parse(&c, err,
			       ARGV("path", "--instance", "bp", "--size", "512", "--count", "50",
				    "--interval-us", "0", "--backends", "bridge")),
			 0);
	ck_assert_str_eq(c.instance, "bp");
	ck_assert_int_eq(c.size, 512);
	ck_assert_int_eq(c.count, 50);
	ck_assert_int_eq(c.interval_us, 0);
	ck_assert_uint_eq(c.backends, 1u << TB_BE_BRIDGE);
	ck_assert_int_eq(parse(&c, err, ARGV("path", "--size", "63")), -EINVAL);
	ck_assert_str_eq(err, "bad --size \"63\" (allowed: 64-1400 bytes)");
	ck_assert_int_eq(parse(&c, err, ARGV("path", "--count", "5")), -EINVAL);
	ck_assert_str_eq(err, "bad --count \"5\" (allowed: 10-100000 probes)");
	ck_assert_int_eq(parse(&c, err, ARGV("path", "--backends", "masquerade")), -EINVAL);
	ck_assert_str_eq(err, "bad --backends \"masquerade\" (allowed: vhost-user, bridge)");
	ck_assert_int_eq(parse(&c, err, ARGV("path", "--interval-us", "x")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, ARGV("path", "extra")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, ARGV("path", "--repeat", "20")), 0);
	ck_assert_int_eq(c.repeat, 20);
	ck_assert_int_eq(parse(&c, err, ARGV("path", "--repeat", "21")), -EINVAL);
	ck_assert_str_eq(err, "bad --repeat \"21\" (allowed: 1-20 rounds)");
}
END_TEST

START_TEST(test_probe_args)
{
	struct bpath_probe_conf c = BPATH_PROBE_CONF_DEFAULT;
	char err[256];

	ck_assert_int_eq(bpath_probe_parse_args(ARGV("probe", "--serve", "--idle", "5"), &c, err,
						sizeof(err)),
			 0);
	ck_assert_ptr_null(c.to);
	ck_assert_int_eq(c.idle_s, 5);
	c = (struct bpath_probe_conf)BPATH_PROBE_CONF_DEFAULT;
	ck_assert_int_eq(bpath_probe_parse_args(ARGV("probe", "--to", "198.18.1.2", "--count", "3"),
						&c, err, sizeof(err)),
			 0);
	ck_assert_str_eq(c.to, "198.18.1.2");
	ck_assert_int_eq(c.count, 3);
	ck_assert_int_eq(c.port, PROBE_PORT);
	c = (struct bpath_probe_conf)BPATH_PROBE_CONF_DEFAULT;
	ck_assert_int_eq(bpath_probe_parse_args(ARGV("probe"), &c, err, sizeof(err)), -EINVAL);
	ck_assert(strstr(err, "usage: testbed bench probe") != NULL);
	c = (struct bpath_probe_conf)BPATH_PROBE_CONF_DEFAULT;
	ck_assert_int_eq(bpath_probe_parse_args(ARGV("probe", "--serve", "--size", "2000"), &c, err,
						sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "bad --size \"2000\" (allowed: 64-1400 bytes)");
}
END_TEST

static Suite *
bench_path_suite(void)
{
	Suite *s = suite_create("bench-path");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_reply_csv);
	tcase_add_test(tc, test_hops);
	tcase_add_test(tc, test_args);
	tcase_add_test(tc, test_probe_args);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(bench_path_suite)
