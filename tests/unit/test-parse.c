/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "toolparse.h"
#include "tool-fixtures.h"
#include "unit.h"

/* The same text with CR LF line ends. */
static char *
crlf(const char *text)
{
	char *out = malloc(strlen(text) * 2 + 1), *o = out;

	ck_assert_ptr_nonnull(out);
	for (; *text != '\0'; text++) {
		if (*text == '\n')
			*o++ = '\r';
		*o++ = *text;
	}
	*o = '\0';
	return out;
}

/* A line of n copies of c after a prefix, and a suffix. */
static char *
long_text(const char *prefix, char c, size_t n, const char *suffix)
{
	size_t lp = strlen(prefix), ls = strlen(suffix);
	char *s = malloc(lp + n + ls + 1);

	ck_assert_ptr_nonnull(s);
	memcpy(s, prefix, lp);
	memset(s + lp, c, n);
	memcpy(s + lp + n, suffix, ls + 1);
	return s;
}

/* ---- values and units ---- */

START_TEST(test_value_units)
{
	static const struct {
		const char *s;
		double v;
	} c[] = {
		/* times, to us */
		{"164 us", 164},
		{"0 ns", 0},
		{"500 ns", 0.5},
		{"1.2 ms", 1200},
		{"2 sec", 2e6},
		{"1.01 sec", 1010000},
		/* sizes, to bytes: KB decimal, KiB binary, the exact count preferred */
		{"1 bytes", 1},
		{"2.68 KB", 2680},
		{"32.8 MB", 32.8e6},
		{"1.5 GB", 1.5e9},
		{"2 TB", 2e12},
		{"246 MiB", 246 * 1048576.0},
		{"246 MiB (257,949,696)", 257949696},
		{"128 KiB (131,072)", 131072},
		{"1 KiB (1,024)", 1024},
		{"3 GiB", 3 * 1073741824.0},
		/* bandwidths, to bytes/s; bits (-ub) too */
		{"127 MB/sec", 127e6},
		{"0 bytes/sec", 0},
		{"108 KB/sec", 108e3},
		{"67.7 KB/sec", 67700},
		{"1.2 GB/sec", 1.2e9},
		{"8 Mb/sec", 1e6},
		{"800 bits/sec", 100},
		/* message rates, to 1/s */
		{"6.09 K/sec", 6090},
		{"969 /sec", 969},
		{"1.5 M/sec", 1.5e6},
		/* counts, with thousands separators */
		{"6,093 ", 6093},
		{"581,659", 581659},
		{"1,234,567.5", 1234567.5},
		{"1.5 million", 1.5e6},
		{"1807.", 1807},
		{"  42  ", 42},
		/* CPU use and costs */
		{"118 % cpus", 118},
		{"17.8 % cpus", 17.8},
		{"0.0 %", 0},
		{"15,869 sec/GB", 15869},
		{"500 ms/GB", 0.5},
	};
	size_t i;
	double v;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		v = -1;
		ck_assert_msg(tp_value_unit(c[i].s, &v) == 0, "\"%s\" rejected", c[i].s);
		ck_assert_msg(v == c[i].v, "\"%s\": %.17g, want %.17g", c[i].s, v, c[i].v);
	}
}
END_TEST

START_TEST(test_value_rejects)
{
	static const char *bad[] = {
		"",
		" ",
		"abc",
		"us",
		"12 parsecs",
		"-5 us",
		"+5 us",
		"1,23 us",
		"1,2345",
		"2sec",
		"1e5 us",
		"nan",
		"inf us",
		"0x10",
		".5 us",
		"127 MB/sec (5)",
		"246 MiB (12",
		"246 MiB (1,2)",
		"246 MiB (12) x",
		"246 MiB ()",
		"5 us us",
		"1 kb",
		"6,093,",
	};
	char *huge;
	size_t i;
	double v = 7;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(tp_value_unit(bad[i], &v) < 0, "\"%s\" accepted", bad[i]);
	ck_assert_int_eq(tp_value_unit(NULL, &v), -EINVAL);
	ck_assert_int_eq(tp_value_unit("1 us", NULL), -EINVAL);
	ck_assert(v == 7); /* untouched on failure */
	huge = long_text("", '9', 100000, " us");
	ck_assert_int_eq(tp_value_unit(huge, &v), -ERANGE);
	free(huge);
	huge = long_text("1.", '5', 100000, "");
	ck_assert_int_eq(tp_value_unit(huge, &v), -ERANGE);
	free(huge);
}
END_TEST

/* ---- qperf ---- */

struct qp_case {
	const char *file, *test;
	bool ok;
	double latency_us, bw_Bps, send_bw_Bps, msg_rate, msg_size, time_s, loc, rem;
};

static const struct qp_case qp_cases[] = {
	{"qperf-tcp_lat-1.txt", "tcp_lat", true, 197, -1, -1, 5070, 1, 1, 124, 124},
	{"qperf-tcp_lat-65536.txt", "tcp_lat", true, 999, -1, -1, 1000, 65536, 1, 148, 148},
	{"qperf-tcp_lat-134217728.txt", "tcp_lat", false, 0, -1, -1, -1, 134217728, 1, 167, 167},
	{"qperf-udp_lat-1.txt", "udp_lat", true, 239, -1, -1, 4190, 1, 1, 127, 127},
	{"qperf-udp_lat-1024.txt", "udp_lat", true, 239, -1, -1, 4180, 1024, 1, 131, 131},
	{"qperf-tcp_bw-1.txt", "tcp_bw", true, -1, 563e3, -1, 563e3, 1, 1, 197, 197},
	{"qperf-tcp_bw-131072.txt", "tcp_bw", true, -1, 122e6, -1, 931, 131072, 1, 184, 184},
	/* no message completed: loc_/rem_ instead of send_/recv_ */
	{"qperf-tcp_bw-134217728.txt", "tcp_bw", false, -1, 0, -1, -1, 134217728, 1, 171, 171},
	{"qperf-udp_bw-1.txt", "udp_bw", true, -1, 67700, 106e3, 67e3, 1, 1, 197, 199},
	{"qperf-udp_bw-1024.txt", "udp_bw", true, -1, 42.7e6, 96.5e6, 41.7e3, 1024, 1, 174, 173},
};

static void
check_qperf(const struct qp_case *c, const struct tp_qperf *q)
{
	ck_assert_str_eq(q->test, c->test);
	ck_assert_msg(q->ok == c->ok, "%s: ok %d (%s)", c->file, q->ok, q->error);
	if (!c->ok)
		ck_assert_str_eq(q->error, "no message completed in the test time");
	else
		ck_assert_str_eq(q->error, "");
	ck_assert_double_eq(q->latency_us, c->latency_us);
	ck_assert_double_eq(q->bw_Bps, c->bw_Bps);
	ck_assert_double_eq(q->send_bw_Bps, c->send_bw_Bps);
	ck_assert_double_eq(q->msg_rate, c->msg_rate);
	ck_assert_double_eq(q->msg_size, c->msg_size);
	ck_assert_double_eq(q->time_s, c->time_s);
	ck_assert_double_eq(q->loc_cpus_used, c->loc);
	ck_assert_double_eq(q->rem_cpus_used, c->rem);
}

START_TEST(test_qperf_fixtures)
{
	const struct qp_case *c = &qp_cases[_i];
	struct tp_qperf q, q2;
	char *text = fixture(c->file), *t2 = crlf(text);

	ck_assert_int_eq(tp_qperf_parse(text, &q), 0);
	check_qperf(c, &q);
	/* the same output saved with CR LF */
	ck_assert_int_eq(tp_qperf_parse(t2, &q2), 0);
	check_qperf(c, &q2);
	free(t2);
	free(text);
}
END_TEST

START_TEST(test_qperf_failures)
{
	static const struct {
		const char *file, *error;
	} c[] = {
		{"qperf-fail-refused.txt", "198.18.1.2: failed to connect"},
		{"qperf-fail-unreachable.txt", "198.18.1.9: failed to connect"},
	};
	struct tp_qperf q;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char *text = fixture(c[i].file);

		ck_assert_int_eq(tp_qperf_parse(text, &q), 0);
		ck_assert_str_eq(q.test, "tcp_lat");
		ck_assert(!q.ok);
		ck_assert_str_eq(q.error, c[i].error);
		ck_assert_double_eq(q.latency_us, -1);
		ck_assert_double_eq(q.msg_rate, -1);
		free(text);
	}
}
END_TEST

START_TEST(test_qperf_json)
{
	char *text = fixture("qperf-tcp_bw-131072.txt");
	struct tp_qperf q;
	json_t *j;

	ck_assert_int_eq(tp_qperf_parse(text, &q), 0);
	j = tp_qperf_json(&q);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(json_object_get(j, "test")), "tcp_bw");
	ck_assert(json_is_true(json_object_get(j, "ok")));
	ck_assert(json_is_null(json_object_get(j, "error")));
	ck_assert_double_eq(num(j, "bw_Bps"), 122e6);
	ck_assert_double_eq(num(j, "bw_MBps"), 122);
	ck_assert_double_eq(num(j, "bw_mbps"), 976);
	ck_assert_double_eq(num(j, "msg_rate"), 931);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "msg_size_B")), 131072);
	ck_assert_double_eq(num(j, "cpu_local_pct"), 184);
	ck_assert_double_eq(num(j, "cpu_remote_pct"), 184);
	ck_assert_double_eq(num(j, "time_s"), 1);
	/* absent values are left out */
	ck_assert_ptr_null(json_object_get(j, "latency_us"));
	ck_assert_ptr_null(json_object_get(j, "send_bw_Bps"));
	json_decref(j);
	free(text);

	text = fixture("qperf-tcp_lat-134217728.txt");
	ck_assert_int_eq(tp_qperf_parse(text, &q), 0);
	j = tp_qperf_json(&q);
	ck_assert(json_is_false(json_object_get(j, "ok")));
	ck_assert_str_eq(json_string_value(json_object_get(j, "error")),
			 "no message completed in the test time");
	ck_assert_double_eq(num(j, "latency_us"), 0);
	ck_assert_ptr_null(json_object_get(j, "msg_rate"));
	json_decref(j);
	free(text);
	ck_assert_ptr_null(tp_qperf_json(NULL));
}
END_TEST

START_TEST(test_qperf_edges)
{
	struct tp_qperf q;
	char *s;

	/* not qperf's output */
	ck_assert_int_eq(tp_qperf_parse("", &q), -EINVAL);
	ck_assert_int_eq(tp_qperf_parse("\n\n\r\n", &q), -EINVAL);
	ck_assert_int_eq(tp_qperf_parse("hello world\n", &q), -EINVAL);
	ck_assert_int_eq(tp_qperf_parse("    latency = 5 us\n", &q), -EINVAL);
	ck_assert_int_eq(tp_qperf_parse("tcp_lat: x\n    latency = 5 us\n", &q), -EINVAL);
	ck_assert_int_eq(tp_qperf_parse("tcp_lat:\n    latency = 5 parsecs\n", &q), -EINVAL);
	ck_assert_int_eq(tp_qperf_parse(NULL, &q), -EINVAL);
	ck_assert_int_eq(tp_qperf_parse("tcp_lat:\n", NULL), -EINVAL);
	s = long_text("", 'x', 100, ":\n    latency = 5 us\n");
	ck_assert_int_eq(tp_qperf_parse(s, &q), -EINVAL); /* a name longer than any test */
	free(s);

	/* cut short after the header */
	ck_assert_int_eq(tp_qperf_parse("tcp_lat:\n", &q), 0);
	ck_assert(!q.ok);
	ck_assert_ptr_nonnull(strstr(q.error, "no result"));

	/* no final newline, CR LF, warnings, unknown keys, lines before the header */
	ck_assert_int_eq(tp_qperf_parse("junk\r\nwarning: x set but not used\r\nrc_bw:\r\n"
					"warning: y\r\n    id = mlx5_0:1\r\n    bw  =  1.5 GB/sec",
					&q),
			 0);
	ck_assert(q.ok);
	ck_assert_str_eq(q.test, "rc_bw");
	ck_assert_double_eq(q.bw_Bps, 1.5e9);

	/* one test per parse: the second block is not mixed in */
	ck_assert_int_eq(tp_qperf_parse("tcp_lat:\n    latency = 10 us\nudp_lat:\n"
					"    latency = 20 us\n    msg_rate = 5 K/sec\n",
					&q),
			 0);
	ck_assert_double_eq(q.latency_us, 10);
	ck_assert_double_eq(q.msg_rate, -1);

	/* an error line of any length is cut to the field, control bytes replaced */
	s = long_text("tcp_lat:\n", 'e', 1 << 20, "\n");
	ck_assert_int_eq(tp_qperf_parse(s, &q), 0);
	ck_assert(!q.ok);
	ck_assert_uint_eq(strlen(q.error), TP_ERR_LEN - 1);
	free(s);
	ck_assert_int_eq(tp_qperf_parse("tcp_lat:\nhost: \x01\x1b[31mfailed \xc3\xa9\n", &q), 0);
	ck_assert_str_eq(q.error, "host: ??[31mfailed ??");

	/* an over-long value line is just a bad value */
	s = long_text("tcp_lat:\n    latency = ", '1', 1 << 20, " us\n");
	ck_assert_int_eq(tp_qperf_parse(s, &q), -EINVAL);
	free(s);
}
END_TEST

/* ---- iperf ---- */

START_TEST(test_iperf_fixtures)
{
	static const struct {
		const char *file;
		int streams;
		double seconds, bytes, bps;
	} c[] = {
		{"iperf-client.txt", 1, 2.0373, 285 * 1048576.0, 1172e6},
		{"iperf-client-csv.txt", 1, 2.0, 232915004, 909683872},
		{"iperf-client-P2-synthetic.txt", 2, 2.0352, 290 * 1048576.0, 1195e6},
		{"iperf-client-csv-P2-synthetic.txt", 2, 2.0, 304087040, 1216348160},
	};
	struct tp_iperf r;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char *text = fixture(c[i].file), *t2 = crlf(text);
		int pass;

		for (pass = 0; pass < 2; pass++) {
			ck_assert_int_eq(tp_iperf_parse(pass ? t2 : text, &r), 0);
			ck_assert_msg(r.ok, "%s: %s", c[i].file, r.error);
			ck_assert_str_eq(r.error, "");
			ck_assert_int_eq(r.streams, c[i].streams);
			ck_assert_double_eq(r.seconds, c[i].seconds);
			ck_assert_double_eq(r.bytes, c[i].bytes);
			ck_assert_double_eq(r.bw_bps, c[i].bps);
		}
		free(t2);
		free(text);
	}
}
END_TEST

START_TEST(test_iperf_fail)
{
	char *text = fixture("iperf-fail.txt");
	struct tp_iperf r;
	json_t *j;

	ck_assert_int_eq(tp_iperf_parse(text, &r), 0);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.error, "tcp connect failed: No route to host");
	ck_assert_int_eq(r.streams, 0);
	ck_assert_double_eq(r.bytes, -1);
	ck_assert_double_eq(r.bw_bps, -1);
	j = tp_iperf_json(&r);
	ck_assert(json_is_false(json_object_get(j, "ok")));
	ck_assert_str_eq(json_string_value(json_object_get(j, "error")),
			 "tcp connect failed: No route to host");
	ck_assert_ptr_null(json_object_get(j, "bw_mbps"));
	json_decref(j);
	free(text);
}
END_TEST

START_TEST(test_iperf_forms)
{
	struct tp_iperf r;
	int i, len;
	json_t *j;
	char *s;

	/* iperf 2.0 with -i 1: the whole-run line, not the last interval; spaced interval */
	ck_assert_int_eq(tp_iperf_parse("[  3]  0.0- 1.0 sec   112 MBytes   940 Mbits/sec\n"
					"[  3]  1.0- 2.0 sec   112 MBytes   941 Mbits/sec\n"
					"[  3]  0.0- 2.0 sec   224 MBytes   940 Mbits/sec\n",
					&r),
			 0);
	ck_assert(r.ok);
	ck_assert_double_eq(r.seconds, 2);
	ck_assert_double_eq(r.bytes, 224 * 1048576.0);
	ck_assert_double_eq(r.bw_bps, 940e6);

	/* other units: GBytes, Gbits, KBytes, Kbits, bytes per second (-f M) */
	ck_assert_int_eq(
		tp_iperf_parse("[  1] 0.0000-1.0000 sec  1.10 GBytes  9.45 Gbits/sec\n", &r), 0);
	ck_assert_double_eq(r.bytes, 1.10 * 1073741824.0);
	ck_assert_double_eq(r.bw_bps, 9.45e9);
	ck_assert_int_eq(tp_iperf_parse("[  1] 0.0-1.0 sec  64.0 KBytes  524 Kbits/sec\n", &r), 0);
	ck_assert_double_eq(r.bytes, 65536);
	ck_assert_double_eq(r.bw_bps, 524e3);
	ck_assert_int_eq(tp_iperf_parse("[  1] 0.0-1.0 sec  2 MBytes  2 MBytes/sec\n", &r), 0);
	ck_assert_double_eq(r.bw_bps, 16 * 1048576.0);

	/* -P 2 cut before the [SUM] line: the streams added up */
	ck_assert_int_eq(tp_iperf_parse("[  1] 0.0-2.0 sec  10 MBytes  40 Mbits/sec\n"
					"[  2] 0.0-2.5 sec  20 MBytes  60 Mbits/sec\n",
					&r),
			 0);
	ck_assert_int_eq(r.streams, 2);
	ck_assert_double_eq(r.seconds, 2.5);
	ck_assert_double_eq(r.bytes, 30 * 1048576.0);
	ck_assert_double_eq(r.bw_bps, 100e6);

	/* nothing moved */
	ck_assert_int_eq(tp_iperf_parse("[  1] 0.0-2.0 sec  0.00 Bytes  0.00 bits/sec\n", &r), 0);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.error, "no data transferred");

	/* the banner and nothing else */
	ck_assert_int_eq(tp_iperf_parse("Client connecting to 198.18.1.2, TCP port 5001\n", &r), 0);
	ck_assert(!r.ok);
	ck_assert_ptr_nonnull(strstr(r.error, "no result"));

	j = tp_iperf_json(&r);
	ck_assert_ptr_nonnull(j);
	json_decref(j);
	ck_assert_int_eq(tp_iperf_parse("[  1] 0.0-2.0 sec  250 MBytes  1049 Mbits/sec", &r), 0);
	j = tp_iperf_json(&r);
	ck_assert(json_is_true(json_object_get(j, "ok")));
	ck_assert_double_eq(num(j, "bw_mbps"), 1049);
	ck_assert_double_eq(num(j, "bw_bps"), 1049e6);
	ck_assert_double_eq(num(j, "time_s"), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "streams")), 1);
	json_decref(j);

	/* not iperf's output */
	ck_assert_int_eq(tp_iperf_parse("", &r), -EINVAL);
	ck_assert_int_eq(tp_iperf_parse("hello\nworld\n", &r), -EINVAL);
	ck_assert_int_eq(tp_iperf_parse("tcp connect failed: No route to host\n", &r), -EINVAL);
	ck_assert_int_eq(tp_iperf_parse("[  1] local 1.2.3.4 port 5 connected\n", &r), -EINVAL);
	ck_assert_int_eq(tp_iperf_parse("[  1] 2.0-1.0 sec  1 MBytes  1 Mbits/sec\n", &r), -EINVAL);
	ck_assert_int_eq(tp_iperf_parse("[  1] 0.0-1.0 sec  1 Mbytes  1 Mbits/sec\n", &r), -EINVAL);
	ck_assert_int_eq(tp_iperf_parse("1,2,3,4,5,6,0.0-2.0,7\n", &r), -EINVAL);
	ck_assert_int_eq(tp_iperf_parse("1,2,3,4,5,x,0.0-2.0,7,8\n", &r), -EINVAL);
	ck_assert_int_eq(tp_iperf_parse(NULL, &r), -EINVAL);
	s = long_text("[", ' ', 1 << 20, "1] 0.0-1.0 sec 1 MBytes 8 Mbits/sec\n");
	ck_assert_int_eq(tp_iperf_parse(s, &r), 0);
	ck_assert_double_eq(r.bw_bps, 8e6);
	free(s);
	s = long_text("", ',', 1 << 20, "\n");
	ck_assert_int_eq(tp_iperf_parse(s, &r), -EINVAL);
	free(s);

	/* more streams than any run uses: refused rather than searched for ever */
	s = malloc(2000 * 64);
	ck_assert_ptr_nonnull(s);
	for (i = 0, len = 0; i < 2000; i++)
		len += sprintf(s + len, "[%d] 0.0-1.0 sec 1 MBytes 8 Mbits/sec\n", i + 1);
	ck_assert_int_eq(tp_iperf_parse(s, &r), -E2BIG);
	free(s);
}
END_TEST

/* ---- mtr ---- */

START_TEST(test_mtr_report)
{
	char *text = fixture("mtr-report.txt"), *t2 = crlf(text);
	const struct tp_mtr_hop *h;
	struct tp_mtr m;
	json_t *j, *hops;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		ck_assert_int_eq(tp_mtr_parse(pass ? t2 : text, &m), 0);
		ck_assert(m.ok);
		ck_assert_int_eq(m.n_hops, 2);
		h = &m.hop[0];
		ck_assert_int_eq(h->n, 1);
		ck_assert_str_eq(h->host, "198.19.0.1");
		ck_assert_double_eq(h->loss_pct, 0);
		ck_assert_int_eq(h->sent, 5);
		ck_assert_double_eq(h->last_ms, 0.1);
		ck_assert_double_eq(h->avg_ms, 0.4);
		ck_assert_double_eq(h->best_ms, 0.1);
		ck_assert_double_eq(h->worst_ms, 1.8);
		ck_assert_double_eq(h->stdev_ms, 0.7);
		ck_assert_int_eq(m.hop[1].n, 2);
		ck_assert_str_eq(m.hop[1].host, "198.18.3.2");
		ck_assert_double_eq(m.hop[1].avg_ms, 0.2);
	}
	j = tp_mtr_json(&m);
	ck_assert(json_is_true(json_object_get(j, "ok")));
	ck_assert(json_is_null(json_object_get(j, "error")));
	ck_assert_str_eq(json_string_value(json_object_get(j, "destination")), "198.18.3.2");
	ck_assert_double_eq(num(j, "loss_pct"), 0);
	ck_assert_double_eq(num(j, "avg_ms"), 0.2);
	hops = json_object_get(j, "hops");
	ck_assert_uint_eq(json_array_size(hops), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(hops, 0), "host")),
			 "198.19.0.1");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(hops, 0), "sent")), 5);
	ck_assert_double_eq(num(json_array_get(hops, 0), "worst_ms"), 1.8);
	json_decref(j);
	free(t2);
	free(text);
}
END_TEST

START_TEST(test_mtr_others)
{
	struct tp_mtr m;
	char *text;
	json_t *j;

	/* the hop that answered for an unreachable address; "1807." cut by mtr */
	text = fixture("mtr-unreachable.txt");
	ck_assert_int_eq(tp_mtr_parse(text, &m), 0);
	ck_assert(m.ok);
	ck_assert_int_eq(m.n_hops, 1);
	ck_assert_str_eq(m.hop[0].host, "198.18.1.1");
	ck_assert_int_eq(m.hop[0].sent, 3);
	ck_assert_double_eq(m.hop[0].last_ms, 671.9);
	ck_assert_double_eq(m.hop[0].avg_ms, 1807);
	ck_assert_double_eq(m.hop[0].worst_ms, 3077);
	ck_assert_double_eq(m.hop[0].stdev_ms, 1208.4);
	free(text);

	text = fixture("mtr-silent-hop-synthetic.txt");
	ck_assert_int_eq(tp_mtr_parse(text, &m), 0);
	ck_assert(m.ok);
	ck_assert_int_eq(m.n_hops, 3);
	ck_assert_str_eq(m.hop[1].host, "???");
	ck_assert_double_eq(m.hop[1].loss_pct, 100);
	ck_assert_int_eq(m.hop[1].sent, 5);
	ck_assert_double_eq(m.hop[1].avg_ms, -1); /* mtr's 0.0 is no measurement */
	ck_assert_double_eq(m.hop[1].worst_ms, -1);
	ck_assert_double_eq(m.hop[2].loss_pct, 20);
	free(text);

	text = fixture("mtr-all-lost-synthetic.txt");
	ck_assert_int_eq(tp_mtr_parse(text, &m), 0);
	ck_assert(!m.ok);
	ck_assert_int_eq(m.n_hops, 2);
	ck_assert_ptr_nonnull(strstr(m.error, "no hop answered"));
	j = tp_mtr_json(&m);
	ck_assert(json_is_false(json_object_get(j, "ok")));
	ck_assert_double_eq(num(j, "loss_pct"), 100);
	ck_assert_ptr_null(json_object_get(j, "avg_ms"));
	json_decref(j);
	free(text);

	/* answered on the way, not at the end */
	ck_assert_int_eq(tp_mtr_parse("HOST: vm Loss% Snt Last Avg Best Wrst StDev\n"
				      "  1.|-- 198.19.0.1 0.0% 5 0.1 0.1 0.1 0.1 0.0\n"
				      "  2.|-- ??? 100.0 5 0.0 0.0 0.0 0.0 0.0\n",
				      &m),
			 0);
	ck_assert(!m.ok);
	ck_assert_ptr_nonnull(strstr(m.error, "destination not reached"));

	/* header only */
	ck_assert_int_eq(
		tp_mtr_parse("Start: now\nHOST: vm Loss% Snt Last Avg Best Wrst StDev\n", &m), 0);
	ck_assert(!m.ok);
	ck_assert_int_eq(m.n_hops, 0);
	j = tp_mtr_json(&m);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "hops")), 0);
	ck_assert_ptr_null(json_object_get(j, "avg_ms"));
	json_decref(j);

	/* -b: "name (address)"; other column choice (-o); ECMP lines skipped */
	ck_assert_int_eq(tp_mtr_parse("HOST: vm   Snt Avg Drop\n"
				      "  1.|-- gw (198.19.0.1)   10 0.5 0\n"
				      "       198.19.0.9\n"
				      "  2.`|-- 198.18.3.2   10 0.7 1\n",
				      &m),
			 0);
	ck_assert(m.ok);
	ck_assert_int_eq(m.n_hops, 2);
	ck_assert_str_eq(m.hop[0].host, "gw (198.19.0.1)");
	ck_assert_int_eq(m.hop[0].sent, 10);
	ck_assert_double_eq(m.hop[0].avg_ms, 0.5);
	ck_assert_double_eq(m.hop[0].loss_pct, -1);
	ck_assert_double_eq(m.hop[1].avg_ms, 0.7);
}
END_TEST

START_TEST(test_mtr_rejects)
{
	char buf[8192], *s;
	struct tp_mtr m;
	int i, len;

	ck_assert_int_eq(tp_mtr_parse("", &m), -EINVAL);
	ck_assert_int_eq(tp_mtr_parse("hello\n", &m), -EINVAL);
	ck_assert_int_eq(tp_mtr_parse("  1.|-- 198.19.0.1 0.0% 5 0.1 0.4 0.1 1.8 0.7\n", &m),
			 -EINVAL); /* no header */
	ck_assert_int_eq(tp_mtr_parse("HOST: vm\n", &m), -EINVAL);
	ck_assert_int_eq(tp_mtr_parse("HOST: vm Loss% Snt\n  1.|-- h 0.0% x\n", &m), -EINVAL);
	ck_assert_int_eq(tp_mtr_parse("HOST: vm Loss% Snt\n  1.|-- 0.0% 5\n", &m), -EINVAL);
	ck_assert_int_eq(tp_mtr_parse(NULL, &m), -EINVAL);
	/* more hops than the struct holds */
	len = snprintf(buf, sizeof(buf), "HOST: vm Loss%% Snt\n");
	for (i = 1; i <= TP_MTR_MAX_HOPS + 1; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%d.|-- h%d 0.0%% 5\n", i, i);
	ck_assert_int_eq(tp_mtr_parse(buf, &m), -E2BIG);
	/* a host name longer than the field */
	s = long_text("HOST: vm Loss% Snt\n  1.|-- ", 'h', 1 << 20, " 0.0% 5\n");
	ck_assert_int_eq(tp_mtr_parse(s, &m), 0);
	ck_assert_uint_eq(strlen(m.hop[0].host), sizeof(m.hop[0].host) - 1);
	free(s);
	s = long_text("HOST: vm Loss% Snt\n  1.|-- ", ' ', 1 << 20, "h 0.0% 5\n");
	ck_assert_int_eq(tp_mtr_parse(s, &m), 0);
	ck_assert_str_eq(m.hop[0].host, "h");
	free(s);
}
END_TEST

/* Every fixture through every parser: each answers or refuses, none misreads another's. */
START_TEST(test_cross_fixtures)
{
	static const char *files[] = {
		"qperf-tcp_lat-1.txt", "qperf-tcp_bw-131072.txt", "qperf-fail-refused.txt",
		"iperf-client.txt",    "iperf-client-csv.txt",	  "iperf-fail.txt",
		"mtr-report.txt",      "mtr-unreachable.txt",
	};
	struct tp_qperf q;
	struct tp_iperf ip;
	struct tp_mtr m;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *text = fixture(files[i]);
		bool is_q = strncmp(files[i], "qperf", 5) == 0;
		bool is_i = strncmp(files[i], "iperf", 5) == 0;
		bool is_m = strncmp(files[i], "mtr", 3) == 0;

		ck_assert_msg((tp_qperf_parse(text, &q) == 0) == is_q, "qperf on %s", files[i]);
		ck_assert_msg((tp_iperf_parse(text, &ip) == 0) == is_i, "iperf on %s", files[i]);
		ck_assert_msg((tp_mtr_parse(text, &m) == 0) == is_m, "mtr on %s", files[i]);
		free(text);
	}
}
END_TEST

static Suite *
parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_value_units);
	tcase_add_test(tc, test_value_rejects);
	tcase_add_loop_test(tc, test_qperf_fixtures, 0, sizeof(qp_cases) / sizeof(qp_cases[0]));
	tcase_add_test(tc, test_qperf_failures);
	tcase_add_test(tc, test_qperf_json);
	tcase_add_test(tc, test_qperf_edges);
	tcase_add_test(tc, test_iperf_fixtures);
	tcase_add_test(tc, test_iperf_fail);
	tcase_add_test(tc, test_iperf_forms);
	tcase_add_test(tc, test_mtr_report);
	tcase_add_test(tc, test_mtr_others);
	tcase_add_test(tc, test_mtr_rejects);
	tcase_add_test(tc, test_cross_fixtures);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(parse_suite)
