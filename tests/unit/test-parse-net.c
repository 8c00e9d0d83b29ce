/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Parsers of `bench net`'s tools on their real outputs (tests/fixtures: captured with
 * iperf3 3.12, sockperf 3.7 and iputils ping 20221126 between two namespaces joined by a
 * veth, 198.18.251.1 -> .2, exactly as bench net runs them; the sockperf latency fixtures
 * with --mps 1000 to keep them short).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "toolparse.h"
#include "tool-fixtures.h"
#include "unit.h"

#define EPS 1e-9

/* ---- iperf3 ---- */

START_TEST(test_iperf3_tcp)
{
	char *t = fixture("iperf3-tcp.json");
	struct tp_iperf3 r;
	json_t *j;

	ck_assert_int_eq(tp_iperf3_parse(t, &r), 0);
	ck_assert(r.ok);
	ck_assert_str_eq(r.error, "");
	ck_assert(!r.udp);
	ck_assert(!r.reverse);
	ck_assert_int_eq(r.streams, 1);
	ck_assert_double_eq(r.blksize, 131072);
	ck_assert_double_eq(r.sent_bytes, 989200384);
	ck_assert_double_eq(r.received_bytes, 980549632);
	ck_assert_double_eq_tol(r.sent_bps, 7903952346.185308, EPS);
	ck_assert_double_eq_tol(r.received_bps, 7834220403.6956, EPS);
	ck_assert_double_eq_tol(r.seconds, 1.001299, EPS);
	ck_assert_double_eq(r.retransmits, 337);
	ck_assert_double_eq(r.packets, -1);
	ck_assert_double_eq(r.rx_pps, -1);
	ck_assert_double_eq_tol(r.cpu_local_pct, 35.89362786475338, EPS);
	ck_assert_double_eq_tol(r.cpu_remote_pct, 27.869526964340817, EPS);
	j = tp_iperf3_json(&r);
	ck_assert_double_eq_tol(num(j, "received_mbps"), 7834.2204036956, 1e-6);
	ck_assert(json_is_null(json_object_get(j, "error")));
	json_decref(j);
	free(t);
}
END_TEST

START_TEST(test_iperf3_p8_reverse)
{
	char *t = fixture("iperf3-tcp-P8.json");
	struct tp_iperf3 r;

	ck_assert_int_eq(tp_iperf3_parse(t, &r), 0);
	ck_assert(r.ok);
	ck_assert_int_eq(r.streams, 8);
	ck_assert_double_eq(r.received_bytes, 995491840);
	ck_assert_double_eq_tol(r.received_bps, 7912715711.201394, EPS);
	ck_assert_double_eq(r.retransmits, 0);
	free(t);
	t = fixture("iperf3-tcp-R.json");
	ck_assert_int_eq(tp_iperf3_parse(t, &r), 0);
	ck_assert(r.ok);
	ck_assert(r.reverse);
	ck_assert_int_eq(r.streams, 1);
	/* -R: the server sent, the client received; the totals keep their roles */
	ck_assert_double_eq(r.sent_bytes, 840040448);
	ck_assert_double_eq(r.received_bytes, 836435592);
	ck_assert_double_eq_tol(r.received_bps, 6690019621.7028475, EPS);
	ck_assert_double_eq(r.retransmits, 361);
	free(t);
}
END_TEST

START_TEST(test_iperf3_udp)
{
	char *t = fixture("iperf3-udp.json");
	struct tp_iperf3 r;

	ck_assert_int_eq(tp_iperf3_parse(t, &r), 0);
	ck_assert(r.ok);
	ck_assert(r.udp);
	ck_assert_double_eq(r.blksize, 1448);
	ck_assert_double_eq(r.packets, 58277);
	ck_assert_double_eq(r.lost_packets, 9790);
	ck_assert_double_eq_tol(r.lost_pct, 16.79821551132464, EPS);
	ck_assert_double_eq_tol(r.jitter_ms, 0.014749169543733464, EPS);
	ck_assert_double_eq(r.received_bytes, 70209176);
	ck_assert_double_eq_tol(r.received_bps, 561506640.5277632, EPS);
	ck_assert_double_eq_tol(r.rx_pps, 48472.6036367199, 1e-6);
	ck_assert_double_eq_tol(r.tx_pps, 58275.27970234411, 1e-6);
	ck_assert_double_eq(r.retransmits, -1);
	free(t);
	t = fixture("iperf3-udp-l64.json");
	ck_assert_int_eq(tp_iperf3_parse(t, &r), 0);
	ck_assert(r.ok);
	ck_assert_double_eq(r.blksize, 64);
	/* the receiver's count (67119) is the one loss is taken against, not the sender's */
	ck_assert_double_eq(r.packets, 67119);
	ck_assert_double_eq(r.lost_packets, 6064);
	ck_assert_double_eq_tol(r.rx_pps, 61038.580621812725, 1e-6);
	ck_assert_double_eq_tol(r.tx_pps, 67116.84550826112, 1e-6);
	ck_assert_double_eq_tol(r.lost_pct, 9.03456495828367, EPS);
	free(t);
}
END_TEST

START_TEST(test_iperf3_failures)
{
	struct tp_iperf3 r;
	char *t = fixture("iperf3-fail-refused.json");
	json_t *j;

	ck_assert_int_eq(tp_iperf3_parse(t, &r), 0);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.error, "unable to connect to server: Connection refused");
	ck_assert_double_eq(r.received_bps, -1);
	j = tp_iperf3_json(&r);
	ck_assert_str_eq(json_string_value(json_object_get(j, "error")), r.error);
	json_decref(j);
	free(t);
	t = fixture("iperf3-fail-timeout.json");
	ck_assert_int_eq(tp_iperf3_parse(t, &r), 0);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.error, "unable to connect to server: Connection timed out");
	free(t);
	/* not iperf3's JSON */
	ck_assert_int_eq(tp_iperf3_parse("", &r), -EINVAL);
	ck_assert_int_eq(tp_iperf3_parse(NULL, &r), -EINVAL);
	ck_assert_int_eq(tp_iperf3_parse("{\"a\": 1}", &r), -EINVAL);
	ck_assert_int_eq(tp_iperf3_parse("[1, 2]", &r), -EINVAL);
	ck_assert_int_eq(tp_iperf3_parse("{\"start\": {}, \"end\": []}", &r), -EINVAL);
	/* its shape but nothing measured */
	ck_assert_int_eq(tp_iperf3_parse("{\"start\": {}, \"end\": {}}", &r), 0);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.error, "iperf3 did not start a test");
	ck_assert_int_eq(tp_iperf3_parse("{\"start\": {\"test_start\": {\"protocol\": \"TCP\"}}, "
					 "\"end\": {\"sum_sent\": {\"bytes\": 1}}}",
					 &r),
			 0);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.error, "iperf3 reported no totals for the receiver");
	/* hostile values are absent, not negative or infinite */
	ck_assert_int_eq(
		tp_iperf3_parse("{\"start\": {\"test_start\": {\"protocol\": \"UDP\", "
				"\"num_streams\": -4}}, \"end\": {\"sum_received\": "
				"{\"bits_per_second\": -5, \"seconds\": 1, \"packets\": 3, "
				"\"lost_packets\": 9}}}",
				&r),
		0);
	ck_assert_int_eq(r.streams, 0);
	ck_assert_double_eq(r.received_bps, -1);
	ck_assert_double_eq(r.rx_pps, -1); /* more lost than sent */
	ck_assert(!r.ok);
	/* an error string that is not one */
	ck_assert_int_eq(tp_iperf3_parse("{\"start\": {}, \"end\": {}, \"error\": 5}", &r), 0);
	ck_assert_str_eq(r.error, "iperf3 reported an error");
}
END_TEST

/* ---- sockperf ---- */

START_TEST(test_sockperf_full_log)
{
	char *t = fixture("sockperf-pp-udp-full.txt");
	struct tp_sockperf r;
	json_t *j;

	ck_assert_int_eq(tp_sockperf_parse(t, &r), 0);
	ck_assert(r.ok);
	ck_assert(!r.tcp);
	ck_assert(r.full_rtt);
	ck_assert_double_eq_tol(r.run_s, 0.549, EPS);
	ck_assert_double_eq(r.sent, 550);
	ck_assert_double_eq(r.received, 550);
	ck_assert_double_eq_tol(r.rate, 550 / 0.549, 1e-9);
	ck_assert_double_eq_tol(r.avg_us, 454.409, EPS);
	ck_assert_double_eq_tol(r.stddev_us, 539.386, EPS);
	ck_assert_double_eq(r.dropped, 0);
	ck_assert_double_eq(r.duplicated, 0);
	ck_assert_double_eq(r.out_of_order, 0);
	ck_assert_double_eq_tol(r.max_us, 3256.408, EPS);
	ck_assert_double_eq_tol(r.min_us, 16.230, EPS);
	/* the summary's own percentiles, once (the full log repeats them) */
	ck_assert_int_eq(r.n_pct, 8);
	ck_assert_double_eq_tol(r.pct[0], 99.999, EPS);
	ck_assert_double_eq_tol(r.pct_us[0], 3256.408, EPS);
	ck_assert_double_eq_tol(r.pct[3], 99, EPS);
	ck_assert_double_eq_tol(r.pct_us[3], 2361.496, EPS);
	ck_assert_double_eq_tol(r.pct[6], 50, EPS);
	ck_assert_double_eq_tol(r.pct_us[6], 268.057, EPS);
	ck_assert_double_eq_tol(r.pct[7], 25, EPS);
	/* every observation of the valid period */
	ck_assert_uint_eq(r.n_rtt, 550);
	ck_assert_double_eq_tol(r.rtt_us[0], 305.468, EPS);
	ck_assert_double_eq_tol(r.rtt_us[549], 268.199, EPS);
	j = tp_sockperf_json(&r);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "observations")), 550);
	/* nearest rank over the full log: sockperf's own P50 and P99 agree here to the
	 * printing precision (268.057 / 2361.496) */
	ck_assert_double_eq_tol(num(j, "p50_us"), 268.058, EPS);
	ck_assert_double_eq_tol(num(j, "p95_us"), 1535.352, EPS);
	ck_assert_double_eq_tol(num(j, "p99_us"), 2361.497, EPS);
	ck_assert_double_eq_tol(num(j, "jitter_us"), 2361.497 - 268.058, 1e-6);
	json_decref(j);
	tp_sockperf_free(&r);
	ck_assert_ptr_null(r.rtt_us);
	free(t);

	t = fixture("sockperf-pp-tcp-full.txt");
	ck_assert_int_eq(tp_sockperf_parse(t, &r), 0);
	ck_assert(r.ok);
	ck_assert(r.tcp);
	ck_assert_uint_eq(r.n_rtt, 550);
	ck_assert_double_eq_tol(r.rtt_us[0], 35.366, EPS);
	ck_assert_double_eq_tol(r.rtt_us[549], 99.015, EPS);
	j = tp_sockperf_json(&r);
	ck_assert_double_eq_tol(num(j, "p50_us"), 39.704, EPS);
	ck_assert_double_eq_tol(num(j, "p95_us"), 116.236, EPS);
	ck_assert_double_eq_tol(num(j, "p99_us"), 138.087, EPS);
	json_decref(j);
	tp_sockperf_free(&r);
	free(t);
}
END_TEST

START_TEST(test_sockperf_rr)
{
	char *t = fixture("sockperf-pp-tcp.txt");
	struct tp_sockperf r;

	ck_assert_int_eq(tp_sockperf_parse(t, &r), 0);
	ck_assert(r.ok);
	ck_assert(r.tcp);
	ck_assert_double_eq_tol(r.run_s, 0.548, EPS);
	ck_assert_double_eq(r.received, 11692);
	ck_assert_double_eq_tol(r.rate, 11692 / 0.548, 1e-9);
	ck_assert_double_eq_tol(r.avg_us, 46.823, EPS);
	ck_assert_uint_eq(r.n_rtt, 0);
	ck_assert_ptr_null(r.rtt_us);
	tp_sockperf_free(&r);
	free(t);
	t = fixture("sockperf-pp-udp.txt");
	ck_assert_int_eq(tp_sockperf_parse(t, &r), 0);
	ck_assert(r.ok);
	ck_assert(!r.tcp);
	ck_assert(r.rate > 0);
	tp_sockperf_free(&r);
	free(t);
}
END_TEST

START_TEST(test_sockperf_failures)
{
	char *t = fixture("sockperf-fail-tcp-refused.txt");
	struct tp_sockperf r;

	ck_assert_int_eq(tp_sockperf_parse(t, &r), 0);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.error, "Can`t connect socket (errno=111 Connection refused)");
	ck_assert_double_eq(r.rate, -1);
	tp_sockperf_free(&r);
	free(t);
	t = fixture("sockperf-fail-udp-noserver.txt");
	ck_assert_int_eq(tp_sockperf_parse(t, &r), 0);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.error, "No messages were received from the server. Is the server down?");
	ck_assert_uint_eq(r.n_rtt, 0);
	tp_sockperf_free(&r);
	free(t);
	/* cut off before its summary (killed) */
	ck_assert_int_eq(tp_sockperf_parse("sockperf: Starting test...\n", &r), 0);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.error,
			 "sockperf printed no results (stopped before the end of the test?)");
	tp_sockperf_free(&r);
	/* a valid period without replies */
	ck_assert_int_eq(tp_sockperf_parse("sockperf: [Valid Duration] RunTime=1.0 sec; "
					   "SentMessages=5; ReceivedMessages=0\n",
					   &r),
			 0);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.error, "no reply in the valid period");
	tp_sockperf_free(&r);
	/* not sockperf */
	ck_assert_int_eq(tp_sockperf_parse("", &r), -EINVAL);
	ck_assert_int_eq(tp_sockperf_parse("hello\n1, 2, 3, 4\n", &r), -EINVAL);
	ck_assert_int_eq(tp_sockperf_parse(NULL, &r), -EINVAL);
	/* colour codes in the middle of a number line, CR LF, bad rows skipped */
	ck_assert_int_eq(
		tp_sockperf_parse("sockperf: [Valid Duration] RunTime=2.000 sec; "
				  "SentMessages=4; ReceivedMessages=4\r\n"
				  "sockperf: \033[2;35m====> avg-rtt=10.5 (std-dev=1.0)\033[0m\r\n"
				  "test was performed using the following parameters: --full-rtt\n"
				  "packet, txTime(sec), rxTime(sec), rtt(usec)\n"
				  "0, 1.0, 1.1, 12.5\n1, x, 1.2, 3\n2, 1.0, 1.1, -4\n"
				  "3, 1.0, 1.1, 7.25\n-----\n4, 1, 1, 99\n",
				  &r),
		0);
	ck_assert(r.ok);
	ck_assert_double_eq(r.rate, 2);
	ck_assert_double_eq(r.avg_us, 10.5);
	ck_assert_uint_eq(r.n_rtt, 2);
	ck_assert_double_eq(r.rtt_us[0], 12.5);
	ck_assert_double_eq(r.rtt_us[1], 7.25);
	tp_sockperf_free(&r);
}
END_TEST

/* ---- ping ---- */

START_TEST(test_ping)
{
	char *t = fixture("ping-50.txt");
	struct tp_ping r;
	json_t *j;

	ck_assert_int_eq(tp_ping_parse(t, &r), 0);
	ck_assert(r.ok);
	ck_assert_double_eq(r.transmitted, 50);
	ck_assert_double_eq(r.received, 50);
	ck_assert_double_eq(r.loss_pct, 0);
	ck_assert_int_eq(r.duplicates, 0);
	ck_assert_uint_eq(r.n_rtt, 50);
	ck_assert_double_eq_tol(r.rtt_us[0], 44, 1e-9);
	ck_assert_double_eq_tol(r.rtt_us[49], 89, 1e-9);
	ck_assert_double_eq_tol(r.min_us, 30, 1e-9);
	ck_assert_double_eq_tol(r.avg_us, 43, 1e-9);
	ck_assert_double_eq_tol(r.max_us, 159, 1e-9);
	ck_assert_double_eq_tol(r.mdev_us, 18, 1e-9);
	j = tp_ping_json(&r);
	ck_assert_double_eq_tol(num(j, "p50_us"), 40, 1e-9);
	ck_assert_double_eq_tol(num(j, "p95_us"), 77, 1e-9);
	ck_assert_double_eq_tol(num(j, "p99_us"), 159, 1e-9);
	ck_assert_double_eq_tol(num(j, "jitter_us"), 119, 1e-9);
	json_decref(j);
	tp_ping_free(&r);
	free(t);
}
END_TEST

START_TEST(test_ping_failures)
{
	char *t = fixture("ping-fail-unreachable.txt");
	struct tp_ping r;

	ck_assert_int_eq(tp_ping_parse(t, &r), 0);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.error, "From 198.18.251.1 icmp_seq=1 Destination Host Unreachable");
	ck_assert_double_eq(r.transmitted, 12);
	ck_assert_double_eq(r.received, 0);
	ck_assert_double_eq(r.loss_pct, 100);
	ck_assert_uint_eq(r.n_rtt, 0);
	tp_ping_free(&r);
	free(t);
	/* ping failing before its PING line (stderr and stdout together) */
	ck_assert_int_eq(tp_ping_parse("ping: connect: Network is unreachable\n", &r), 0);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.error, "connect: Network is unreachable");
	tp_ping_free(&r);
	/* no reply, nothing said */
	ck_assert_int_eq(
		tp_ping_parse("PING 198.18.1.2 (198.18.1.2) 56(84) bytes of data.\n\n"
			      "--- 198.18.1.2 ping statistics ---\n"
			      "5 packets transmitted, 0 received, 100% packet loss, time 4ms\n",
			      &r),
		0);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.error, "no reply: 5 packets transmitted, 0 received");
	tp_ping_free(&r);
	/* busybox, a duplicate, a lost reply's error line that does not fail the rest */
	ck_assert_int_eq(
		tp_ping_parse("PING 198.18.1.2 (198.18.1.2): 56 data bytes\n"
			      "64 bytes from 198.18.1.2: seq=0 ttl=64 time=0.123 ms\n"
			      "64 bytes from 198.18.1.2: seq=0 ttl=64 time=0.200 ms (DUP!)\n"
			      "From 198.18.1.1 icmp_seq=1 Destination Host Unreachable\n"
			      "64 bytes from 198.18.1.2: seq=2 ttl=64 time=1.5 ms\n"
			      "--- 198.18.1.2 ping statistics ---\n"
			      "3 packets transmitted, 2 packets received, +1 duplicates, "
			      "33.3% packet loss\n"
			      "round-trip min/avg/max = 0.123/0.811/1.500 ms\n",
			      &r),
		0);
	ck_assert(r.ok);
	ck_assert_str_eq(r.error, "");
	ck_assert_uint_eq(r.n_rtt, 2);
	ck_assert_double_eq_tol(r.rtt_us[0], 123, 1e-9);
	ck_assert_double_eq_tol(r.rtt_us[1], 1500, 1e-9);
	ck_assert_int_eq(r.duplicates, 1);
	ck_assert_double_eq(r.transmitted, 3);
	ck_assert_double_eq(r.received, 2);
	ck_assert_double_eq_tol(r.loss_pct, 33.3, 1e-9);
	ck_assert_double_eq_tol(r.max_us, 1500, 1e-9);
	ck_assert_double_eq(r.mdev_us, -1);
	tp_ping_free(&r);
	/* not ping: mail headers, an empty output */
	ck_assert_int_eq(tp_ping_parse("From someone\n64 bytes from x: icmp_seq=1 time=1 ms\n", &r),
			 -EINVAL);
	ck_assert_int_eq(tp_ping_parse("", &r), -EINVAL);
}
END_TEST

/*
 * Every fixture through the new parsers: each one answers only its own tool's output, and
 * the outputs of the other tools (qperf, iperf 2, mtr) are refused. Then every prefix of
 * each new fixture (a tool killed mid-output) parses or refuses without harm.
 */
START_TEST(test_cross_and_truncated)
{
	const char *dir = getenv("FIXTURES");
	struct dirent *e;
	DIR *d;
	int n = 0;

	ck_assert_ptr_nonnull(dir);
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		bool i3 = strncmp(e->d_name, "iperf3-", 7) == 0;
		bool sp = strncmp(e->d_name, "sockperf-", 9) == 0;
		bool pg = strncmp(e->d_name, "ping-", 5) == 0;
		struct tp_iperf3 a;
		struct tp_sockperf b;
		struct tp_ping c;
		char *t;
		size_t len, cut;

		if (e->d_name[0] == '.' || strchr(e->d_name, '.') == NULL ||
		    strcmp(e->d_name, "results") == 0)
			continue;
		t = fixture(e->d_name);
		ck_assert_msg((tp_iperf3_parse(t, &a) == 0) == i3, "iperf3 on %s", e->d_name);
		ck_assert_msg((tp_sockperf_parse(t, &b) == 0) == sp, "sockperf on %s", e->d_name);
		tp_sockperf_free(&b);
		ck_assert_msg((tp_ping_parse(t, &c) == 0) == pg, "ping on %s", e->d_name);
		tp_ping_free(&c);
		if (i3 || sp || pg) {
			len = strlen(t);
			for (cut = 0; cut < len; cut += 1 + len / 97) {
				char save = t[cut];

				t[cut] = '\0';
				if (tp_iperf3_parse(t, &a) == 0)
					ck_assert(a.error[0] != '\0' || a.ok);
				if (tp_sockperf_parse(t, &b) == 0)
					ck_assert(b.ok == (b.error[0] == '\0'));
				tp_sockperf_free(&b);
				if (tp_ping_parse(t, &c) == 0)
					ck_assert(c.ok == (c.n_rtt > 0));
				tp_ping_free(&c);
				t[cut] = save;
			}
		}
		free(t);
		n++;
	}
	closedir(d);
	ck_assert_int_ge(n, 30);
}
END_TEST

/* ---- mutations: what tests/fuzz does for the older parsers, here with a fixed seed ---- */

static unsigned long long mut_state = 0x9e3779b97f4a7c15ULL;

static size_t
mut_below(size_t n)
{
	mut_state ^= mut_state >> 12;
	mut_state ^= mut_state << 25;
	mut_state ^= mut_state >> 27;
	return n == 0 ? 0 : (size_t)((mut_state * 0x2545f4914f6cdd1dULL) % n);
}

static void
json_ok(json_t *j)
{
	char *d;

	ck_assert_ptr_nonnull(j);
	d = json_dumps(j, JSON_COMPACT);
	ck_assert_ptr_nonnull(d);
	free(d);
	json_decref(j);
}

/* One mutated text through every new parser: no crash, results consistent, JSON valid. */
static void
mut_check(const char *t)
{
	struct tp_iperf3 a;
	struct tp_sockperf b;
	struct tp_ping c;

	if (tp_iperf3_parse(t, &a) == 0) {
		ck_assert(memchr(a.error, 0, sizeof(a.error)) != NULL);
		ck_assert(a.ok == (a.error[0] == '\0'));
		ck_assert(!a.ok || (a.received_bps >= 0 && a.seconds >= 0));
		json_ok(tp_iperf3_json(&a));
	}
	if (tp_sockperf_parse(t, &b) == 0) {
		ck_assert(b.ok == (b.error[0] == '\0'));
		ck_assert(!b.ok || b.rate >= 0);
		ck_assert(b.n_rtt == 0 || b.rtt_us != NULL);
		json_ok(tp_sockperf_json(&b));
		tp_sockperf_free(&b);
	}
	if (tp_ping_parse(t, &c) == 0) {
		ck_assert(c.ok == (c.n_rtt > 0));
		ck_assert(c.ok || c.error[0] != '\0');
		json_ok(tp_ping_json(&c));
		tp_ping_free(&c);
	}
}

START_TEST(test_mutations)
{
	static const char *const files[] = {
		"iperf3-tcp.json",	    "iperf3-udp-l64.json",	 "iperf3-fail-refused.json",
		"sockperf-pp-udp-full.txt", "sockperf-pp-tcp.txt",	 "sockperf-fail-tcp-refused.txt",
		"ping-50.txt",		    "ping-fail-unreachable.txt",
	};
	static const char alphabet[] = "0123456789.,=-: \n\t\033[]{}\"%/abcmsuPIN";
	size_t f, k;

	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char *orig = fixture(files[f]);
		size_t len = strlen(orig);
		char *t = malloc(len * 2 + 2);

		ck_assert_ptr_nonnull(t);
		for (k = 0; k < 300; k++) {
			size_t n = len, i, at, span;

			memcpy(t, orig, len + 1);
			for (i = 0; i < 1 + mut_below(8); i++) {
				at = mut_below(n);
				span = 1 + mut_below(64);
				switch (mut_below(3)) {
				case 0: /* a byte replaced */
					t[at] = alphabet[mut_below(sizeof(alphabet) - 1)];
					break;
				case 1: /* a span deleted */
					if (span > n - at)
						span = n - at;
					memmove(t + at, t + at + span, n - at - span + 1);
					n -= span;
					break;
				default: /* a span repeated */
					if (span > n - at)
						span = n - at;
					if (n + span > len * 2)
						break;
					memmove(t + at + span, t + at, n - at + 1);
					n += span;
					break;
				}
				if (n == 0)
					break;
			}
			mut_check(t);
		}
		free(t);
		free(orig);
	}
}
END_TEST

static Suite *
parse_net_suite(void)
{
	Suite *s = suite_create("parse-net");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_iperf3_tcp);
	tcase_add_test(tc, test_iperf3_p8_reverse);
	tcase_add_test(tc, test_iperf3_udp);
	tcase_add_test(tc, test_iperf3_failures);
	tcase_add_test(tc, test_sockperf_full_log);
	tcase_add_test(tc, test_sockperf_rr);
	tcase_add_test(tc, test_sockperf_failures);
	tcase_add_test(tc, test_ping);
	tcase_add_test(tc, test_ping_failures);
	tcase_add_test(tc, test_cross_and_truncated);
	tcase_add_test(tc, test_mutations);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(parse_net_suite)
