/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench net`: options, tool command lines, metrics of real outputs, summaries, the report
 * and CSV, and the CRR client against a sockperf-protocol echo server in a thread. */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "args.h"
#include "bench-net.h"
#include "fsutil.h"
#include "report.h"
#include "results.h"
#include "tool-fixtures.h"
#include "unit.h"

#define NET(...)                                                                                   \
	(int)(sizeof((char *[]){"bench", __VA_ARGS__}) / sizeof(char *)),                          \
		((char *[]){"bench", __VA_ARGS__, NULL})

static int
parse(struct bnet_conf *c, char *err, int argc, char **argv)
{
	*c = (struct bnet_conf)BNET_CONF_DEFAULT;
	err[0] = '\0';
	return bnet_parse_args(argc, argv, c, err, 256);
}

/* ---- options ---- */

START_TEST(test_args)
{
	struct bnet_conf c;
	char err[256];

	ck_assert_int_eq(parse(&c, err, NET("net")), 0);
	ck_assert_uint_eq(c.tests, 0xf);
	ck_assert_uint_eq(c.backends, 0);
	ck_assert_int_eq(c.time_s, 5);
	ck_assert_int_eq(c.repeat, 1);
	ck_assert_str_eq(c.instance, "main");
	ck_assert_str_eq(c.out, "results");
	ck_assert_int_eq(parse(&c, err,
			       NET("--time", "2", "net", "--tests", "rr,latency", "--backends",
				   "bridge,vhost-user", "--repeat", "3", "--instance", "bn",
				   "--out", "/tmp/r")),
			 0);
	ck_assert_uint_eq(c.tests, (1u << BNET_RR) | (1u << BNET_LATENCY));
	ck_assert_uint_eq(c.backends, (1u << TB_BE_BRIDGE) | (1u << TB_BE_VHOST_USER));
	ck_assert_int_eq(c.time_s, 2);
	ck_assert_int_eq(c.repeat, 3);
	ck_assert_str_eq(c.instance, "bn");
	ck_assert_str_eq(c.out, "/tmp/r");
	ck_assert_int_eq(parse(&c, err, NET("net", "--tests", "all")), 0);
	ck_assert_uint_eq(c.tests, 0xf);

	ck_assert_int_eq(parse(&c, err, NET("net", "--tests", "tcp_rr")), -EINVAL);
	ck_assert_str_eq(err, "bad --tests \"tcp_rr\" (allowed: a comma-separated list of "
			      "throughput, pps, latency, rr, or all)");
	ck_assert_int_eq(parse(&c, err, NET("net", "--tests", ",")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, NET("net", "--time", "0")), -EINVAL);
	ck_assert_str_eq(err, "bad --time \"0\" (allowed: 1-600 seconds)");
	ck_assert_int_eq(parse(&c, err, NET("net", "--repeat", "51")), -EINVAL);
	ck_assert_str_eq(err, "bad --repeat \"51\" (allowed: 1-50)");
	ck_assert_int_eq(parse(&c, err, NET("net", "--backends", "macvtab")), -EINVAL);
	ck_assert_str_eq(err, "unknown backend \"macvtab\" (valid: vhost-user, bridge, masquerade, "
			      "tap, macvtap, vhost-net, user)");
	ck_assert_int_eq(parse(&c, err, NET("net", "--instance", "Bad!")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, NET("net", "--out", "")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, NET("net", "net")), -EINVAL);
	ck_assert_str_eq(err, "unexpected argument \"net\"");
	ck_assert_int_eq(parse(&c, err, NET("net", "--pairs", "3")), -EINVAL);
	ck_assert_str_eq(err, "unknown or incomplete option \"--pairs\"");
	ck_assert_int_eq(parse(&c, err, NET("net", "--time")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, NET("--time", "3")), -EINVAL);
	ck_assert_str_eq(err, "bench: which bench? (valid: switch, net, ebpf, path, all)");
}
END_TEST

START_TEST(test_cases)
{
	int c, n[BNET_N_TESTS] = {0};

	for (c = 0; c < BC_N; c++) {
		const struct bnet_case_info *ci = bnet_case(c);

		ck_assert_int_eq(ci->id, c);
		ck_assert_ptr_eq(bnet_case_by_name(bnet_test_name(ci->test), ci->name), ci);
		ck_assert_int_ge(ci->n_metrics, 1);
		n[ci->test]++;
	}
	ck_assert_int_eq(n[BNET_THROUGHPUT], 4);
	ck_assert_int_eq(n[BNET_PPS], 4);
	ck_assert_int_eq(n[BNET_LATENCY], 3);
	ck_assert_int_eq(n[BNET_RR], 3);
	ck_assert_ptr_null(bnet_case_by_name("rr", "tcp"));
	ck_assert_ptr_null(bnet_case_by_name(NULL, "tcp"));
	ck_assert_ptr_null(bnet_case(BC_N));
	ck_assert_str_eq(bnet_dir_name(BNET_H2G), "host_to_guest");
	ck_assert_str_eq(bnet_test_name(BNET_PPS), "pps");
}
END_TEST

static void
argv_is(const struct bnet_argv *a, const char *const *want)
{
	int i;

	for (i = 0; want[i] != NULL; i++) {
		ck_assert_ptr_nonnull(a->argv[i]);
		ck_assert_str_eq(a->argv[i], want[i]);
	}
	ck_assert_ptr_null(a->argv[i]);
}

START_TEST(test_client_argv)
{
	struct bnet_argv a;

	ck_assert_int_eq(bnet_client_argv(BC_TCP_P8, "198.18.2.2", 2, NULL, &a), 0);
	argv_is(&a, (const char *[]){"iperf3", "-c", "198.18.2.2", "-p", "5301", "-t", "2", "-J",
				     "--connect-timeout", "5000", "-P", "8", NULL});
	ck_assert_int_eq(bnet_client_argv(BC_TCP_REVERSE, "198.18.2.2", 2, NULL, &a), 0);
	argv_is(&a, (const char *[]){"iperf3", "-c", "198.18.2.2", "-p", "5301", "-t", "2", "-J",
				     "--connect-timeout", "5000", "-R", NULL});
	ck_assert_int_eq(bnet_client_argv(BC_UDP, "198.18.2.2", 2, NULL, &a), 0);
	argv_is(&a, (const char *[]){"iperf3", "-c", "198.18.2.2", "-p", "5301", "-t", "2", "-J",
				     "--connect-timeout", "5000", "-u", "-b", "0", NULL});
	ck_assert_int_eq(bnet_client_argv(BC_PPS_256, "198.18.1.2", 3, NULL, &a), 0);
	argv_is(&a,
		(const char *[]){"iperf3", "-c", "198.18.1.2", "-p", "5301", "-t", "3", "-J",
				 "--connect-timeout", "5000", "-u", "-b", "0", "-l", "256", NULL});
	ck_assert_int_eq(bnet_client_argv(BC_LAT_ICMP, "198.18.3.2", 2, NULL, &a), 0);
	argv_is(&a, (const char *[]){"ping", "-n", "-c", "200", "-i", "0.01", "-w", "11",
				     "198.18.3.2", NULL});
	ck_assert_int_eq(bnet_client_argv(BC_LAT_TCP, "198.18.3.2", 2, NULL, &a), 0);
	argv_is(&a, (const char *[]){"sockperf", "ping-pong", "-i", "198.18.3.2", "-p", "11112",
				     "-t", "2", "-m", "14", "--full-rtt", "--tcp", "--full-log",
				     "/proc/self/fd/1", NULL});
	ck_assert_int_eq(bnet_client_argv(BC_UDP_RR, "198.18.3.2", 2, NULL, &a), 0);
	argv_is(&a, (const char *[]){"sockperf", "ping-pong", "-i", "198.18.3.2", "-p", "11111",
				     "-t", "2", "-m", "14", "--full-rtt", NULL});
	ck_assert_int_eq(bnet_client_argv(BC_TCP_CRR, "198.18.2.2", 2, "/x/testbed", &a), 0);
	argv_is(&a, (const char *[]){"/x/testbed", "bench", "crr", "--server", "198.18.2.2",
				     "--port", "11112", "--time", "2", "--size", "14", NULL});
	ck_assert_int_eq(bnet_client_argv(BC_TCP_CRR, "198.18.2.2", 2, NULL, &a), -EINVAL);
	ck_assert_int_eq(bnet_client_argv(BC_N, "198.18.2.2", 2, NULL, &a), -EINVAL);
	ck_assert_int_eq(bnet_client_argv(BC_TCP, NULL, 2, NULL, &a), -EINVAL);
}
END_TEST

START_TEST(test_methods)
{
	char m[700];
	int c;

	for (c = 0; c < BC_N; c++) {
		bnet_method(c, 2, m, sizeof(m));
		ck_assert_msg(strlen(m) > 40, "method of case %d: %s", c, m);
	}
	bnet_method(BC_TCP_CRR, 2, m, sizeof(m));
	ck_assert_ptr_nonnull(strstr(m, "testbed bench crr"));
	ck_assert_ptr_nonnull(strstr(m, "SO_LINGER 0"));
	bnet_method(BC_LAT_ICMP, 3, m, sizeof(m));
	ck_assert_ptr_nonnull(strstr(m, "ping -n -c 300 -i 0.01"));
	ck_assert_ptr_nonnull(strstr(m, "nearest rank"));
}
END_TEST

/* ---- metrics of real outputs ---- */

static json_t *
metrics_of(enum bnet_case c, const char *file, int want, char *err)
{
	char *t = fixture(file);
	json_t *o = json_object();

	err[0] = '\0';
	ck_assert_int_eq(bnet_metrics(c, t, o, err, 400), want);
	free(t);
	return o;
}

START_TEST(test_metrics)
{
	char err[400];
	json_t *o;

	o = metrics_of(BC_TCP, "iperf3-tcp.json", 0, err);
	ck_assert_double_eq_tol(num(o, "mbps"), 7834.2204036956, 1e-6);
	ck_assert_double_eq(num(o, "retransmits"), 337);
	json_decref(o);
	o = metrics_of(BC_UDP, "iperf3-udp.json", 0, err);
	ck_assert_double_eq_tol(num(o, "mbps"), 561.5066405277632, 1e-9);
	ck_assert_double_eq_tol(num(o, "loss_pct"), 16.79821551132464, 1e-9);
	json_decref(o);
	o = metrics_of(BC_PPS_64, "iperf3-udp-l64.json", 0, err);
	ck_assert_double_eq_tol(num(o, "rx_pps"), 61038.580621812725, 1e-6);
	ck_assert_double_eq_tol(num(o, "tx_pps"), 67116.84550826112, 1e-6);
	ck_assert_double_eq_tol(num(o, "loss_pct"), 9.03456495828367, 1e-9);
	json_decref(o);
	o = metrics_of(BC_LAT_UDP, "sockperf-pp-udp-full.txt", 0, err);
	ck_assert_double_eq_tol(num(o, "p50_us"), 268.058, 1e-9);
	ck_assert_double_eq_tol(num(o, "p95_us"), 1535.352, 1e-9);
	ck_assert_double_eq_tol(num(o, "p99_us"), 2361.497, 1e-9);
	ck_assert_double_eq_tol(num(o, "jitter_us"), 2093.439, 1e-6);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "observations")), 550);
	json_decref(o);
	o = metrics_of(BC_TCP_RR, "sockperf-pp-tcp.txt", 0, err);
	ck_assert_double_eq_tol(num(o, "tps"), 11692 / 0.548, 1e-9);
	json_decref(o);
	o = metrics_of(BC_LAT_ICMP, "ping-50.txt", 0, err);
	ck_assert_double_eq_tol(num(o, "p50_us"), 40, 1e-9);
	ck_assert_double_eq_tol(num(o, "p95_us"), 77, 1e-9);
	ck_assert_double_eq_tol(num(o, "p99_us"), 159, 1e-9);
	ck_assert_double_eq_tol(num(o, "jitter_us"), 119, 1e-9);
	ck_assert_double_eq(num(o, "loss_pct"), 0);
	json_decref(o);
	o = metrics_of(BC_TCP_CRR, "crr-ok.txt", 0, err);
	ck_assert_double_eq_tol(num(o, "tps"), 5938.3482306635751, 1e-9);
	ck_assert_double_eq_tol(num(o, "p50_us"), 171.16999879362993, 1e-9);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "errors")), 0);
	json_decref(o);

	/* failures say what the tool said */
	json_decref(metrics_of(BC_TCP, "iperf3-fail-refused.json", -EIO, err));
	ck_assert_str_eq(err, "iperf3: unable to connect to server: Connection refused");
	json_decref(metrics_of(BC_LAT_TCP, "sockperf-fail-tcp-refused.txt", -EIO, err));
	ck_assert_str_eq(err, "sockperf: Can`t connect socket (errno=111 Connection refused)");
	json_decref(metrics_of(BC_UDP_RR, "sockperf-fail-udp-noserver.txt", -EIO, err));
	ck_assert_str_eq(err, "sockperf: No messages were received from the server. Is the server "
			      "down?");
	json_decref(metrics_of(BC_LAT_ICMP, "ping-fail-unreachable.txt", -EIO, err));
	ck_assert_str_eq(err, "ping: From 198.18.251.1 icmp_seq=1 Destination Host Unreachable");
	json_decref(metrics_of(BC_TCP_CRR, "crr-fail-refused.txt", -EIO, err));
	ck_assert_str_eq(err, "crr: no transaction completed: connect: Connection refused");
	/* latency needs the full log: an RR-shaped output has none */
	json_decref(metrics_of(BC_LAT_TCP, "sockperf-pp-tcp.txt", -EIO, err));
	ck_assert_str_eq(err, "sockperf printed no full log (--full-log rows)");
	/* another tool's output */
	json_decref(metrics_of(BC_TCP, "sockperf-pp-tcp.txt", -EINVAL, err));
	json_decref(metrics_of(BC_TCP_CRR, "iperf3-tcp.json", -EINVAL, err));
	json_decref(metrics_of(BC_LAT_ICMP, "iperf3-tcp.json", -EINVAL, err));
}
END_TEST

START_TEST(test_host_addr)
{
	char b[40];

	ck_assert_int_eq(bnet_host_addr("198.18.2.2", b, sizeof(b)), 0);
	ck_assert_str_eq(b, "198.18.2.254/24");
	ck_assert_int_eq(bnet_host_addr("198.19.3.130", b, sizeof(b)), 0);
	ck_assert_str_eq(b, "198.19.3.254/24");
	ck_assert_int_eq(bnet_host_addr("10.0.0.2", b, sizeof(b)), -EINVAL);
	ck_assert_int_eq(bnet_host_addr("198.20.0.1", b, sizeof(b)), -EINVAL);
	ck_assert_int_eq(bnet_host_addr("198.18.2", b, sizeof(b)), -EINVAL);
	ck_assert_int_eq(bnet_host_addr(NULL, b, sizeof(b)), -EINVAL);
	ck_assert_int_eq(bnet_host_addr("198.18.2.2", b, 8), -ENAMETOOLONG);
}
END_TEST

/* ---- points and the report ---- */

static json_t *
point(const char *be, const char *dir, const char *test, const char *cs, const char *label,
      const char *status)
{
	const struct bnet_case_info *ci = bnet_case_by_name(test, cs);
	json_t *metrics = json_array();
	int m;

	ck_assert_ptr_nonnull(ci);
	for (m = 0; m < ci->n_metrics; m++)
		json_array_append_new(metrics,
				      json_pack("{s:s, s:s, s:s}", "key", ci->metric[m].key, "unit",
						ci->metric[m].unit, "label", ci->metric[m].label));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:[]}", "backend", be,
			 "direction", dir, "test", test, "case", cs, "label", label, "method",
			 "iperf3 -c SERVER", "metrics", metrics, "status", status, "reason",
			 strcmp(status, "n/a") == 0 ? "not applicable: no way in" : "not measured",
			 "repeats");
}

START_TEST(test_summarise)
{
	json_t *p =
		point("bridge", "guest_to_guest", "throughput", "tcp", "TCP, 1 stream", "failed");
	json_t *reps = json_object_get(p, "repeats"), *m;

	bnet_point_summarise(p);
	ck_assert_str_eq(json_string_value(json_object_get(p, "status")), "failed");
	ck_assert_str_eq(json_string_value(json_object_get(p, "reason")), "not measured");
	json_array_append_new(reps, json_pack("{s:s, s:f, s:f}", "status", "ok", "mbps", 900.0,
					      "retransmits", 3.0));
	json_array_append_new(reps, json_pack("{s:s, s:f, s:f}", "status", "ok", "mbps", 1000.0,
					      "retransmits", 1.0));
	json_array_append_new(reps, json_pack("{s:s, s:f}", "status", "ok", "mbps", 2000.0));
	bnet_point_summarise(p);
	ck_assert_str_eq(json_string_value(json_object_get(p, "status")), "ok");
	ck_assert_ptr_null(json_object_get(p, "reason"));
	m = json_object_get(p, "mbps");
	ck_assert_double_eq(num(m, "median"), 1000);
	ck_assert_double_eq(num(m, "min"), 900);
	ck_assert_double_eq(num(m, "max"), 2000);
	ck_assert_str_eq(json_string_value(json_object_get(m, "unit")), "Mb/s");
	ck_assert_int_eq(json_integer_value(json_object_get(m, "n")), 3);
	ck_assert_double_eq(num(json_object_get(p, "retransmits"), "median"), 2);
	json_array_append_new(reps, json_pack("{s:s, s:s}", "status", "failed", "error", "boom"));
	bnet_point_summarise(p);
	ck_assert_str_eq(json_string_value(json_object_get(p, "status")), "failed");
	ck_assert_str_eq(json_string_value(json_object_get(p, "reason")), "boom");
	ck_assert_double_eq(num(json_object_get(p, "mbps"), "median"), 1000);
	json_decref(p);
	/* n/a stays n/a */
	p = point("vhost-user", "host_to_guest", "throughput", "tcp", "TCP, 1 stream", "n/a");
	bnet_point_summarise(p);
	ck_assert_str_eq(json_string_value(json_object_get(p, "status")), "n/a");
	json_decref(p);
}
END_TEST

static json_t *
results_fixture(void)
{
	static const char *const bes[] = {"vhost-user", "bridge", "masquerade"};
	static const char *const dirs[] = {"guest_to_guest", "host_to_guest"};
	json_t *res = json_pack(
		"{s:i, s:s, s:s, s:[s, s], s:{s:s, s:s}, s:s, s:s, "
		"s:{s:s, s:s, s:i}, s:{s:s}, s:{s:s, s:b, s:[{s:s, s:s, s:s, s:s, "
		"s:s, s:s}]}, s:{s:i, s:i, s:s}, s:[]}",
		"schema", RES_SCHEMA, "kind", "bench-net", "run_id", "r1", "tests", "throughput",
		"latency", "test_titles", "throughput", "Throughput (iperf3)", "latency",
		"Latency (ping, sockperf)", "started", "2026-11-23T10:00:00Z", "finished",
		"2026-11-23T10:05:00Z", "host", "hostname", "vm", "kernel", "6.1", "cpus", 2,
		"versions", "iperf3", "iperf 3.12", "testbed", "instance", "bn", "oversubscribed",
		1, "pairs", "backend", "bridge", "direction", "host_to_guest", "client", "host",
		"client_netns", "tb-bn-host", "server", "br1", "server_address", "198.18.2.2",
		"params", "time_s", 2, "repeat", 2, "percentiles", "nearest rank", "points");
	json_t *pts = json_object_get(res, "points"), *p;
	int b, d;

	for (b = 0; b < 3; b++) {
		for (d = 0; d < 2; d++) {
			bool na = b == 0 && d == 1;

			p = point(bes[b], dirs[d], "throughput", "tcp", "TCP, 1 stream",
				  na ? "n/a" : "failed");
			if (!na) {
				json_array_append_new(json_object_get(p, "repeats"),
						      json_pack("{s:s, s:f, s:f}", "status", "ok",
								"mbps", 1000.0 * (b + 1) + d * 100,
								"retransmits", 5.0));
				json_array_append_new(json_object_get(p, "repeats"),
						      json_pack("{s:s, s:f, s:f}", "status", "ok",
								"mbps", 1200.0 * (b + 1) + d * 100,
								"retransmits", 7.0));
				bnet_point_summarise(p);
			}
			json_array_append_new(pts, p);
		}
	}
	/* a failed case: the cell says so, the reason is listed */
	p = point("bridge", "guest_to_guest", "latency", "icmp", "ICMP echo (ping)", "failed");
	json_array_append_new(json_object_get(p, "repeats"),
			      json_pack("{s:s, s:s}", "status", "failed", "error",
					"ping: no reply | twice\nat all"));
	bnet_point_summarise(p);
	json_array_append_new(pts, p);
	p = point("vhost-user", "guest_to_guest", "latency", "icmp", "ICMP echo (ping)", "failed");
	json_array_append_new(json_object_get(p, "repeats"),
			      json_pack("{s:s, s:f, s:f, s:f, s:f, s:f}", "status", "ok", "p50_us",
					20.0, "p95_us", 30.0, "p99_us", 45.5, "jitter_us", 25.5,
					"loss_pct", 0.0));
	bnet_point_summarise(p);
	json_array_append_new(pts, p);
	return res;
}

START_TEST(test_report)
{
	char dir[] = "/tmp/tb-bnet-report.XXXXXX", path[256], err[256], *md = NULL, *csv = NULL;
	json_t *res = results_fixture(), *back;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(rp_write_net_results(dir, res), 0);
	ck_assert_int_eq(rp_write_net_report(dir, res, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/report.md", dir);
	ck_assert_int_eq(tb_read_file(path, &md, NULL), 0);
	/* a table per test in the results template's shape */
	ck_assert_ptr_nonnull(strstr(md, "# bench net: r1\n"));
	ck_assert_ptr_nonnull(strstr(md,
				     "\n## Throughput (iperf3)\n\n| case | metric | direction | "
				     "unit | vhost-user | bridge | masquerade |\n"
				     "|---|---|---|---|---:|---:|---:|\n"));
	ck_assert_ptr_nonnull(strstr(md,
				     "| TCP, 1 stream | throughput | guest to guest | Gb/s | "
				     "1.10 (1.00-1.20) | 2.20 (2.00-2.40) | 3.30 (3.00-3.60) |\n"));
	ck_assert_ptr_nonnull(strstr(md, "|  |  | host to guest | Gb/s | n/a | 2.30 (2.10-2.50) | "
					 "3.40 (3.10-3.70) |\n"));
	ck_assert_ptr_nonnull(
		strstr(md, "|  | TCP retransmits | guest to guest | segments | 6 (5-7) |"));
	ck_assert_ptr_nonnull(strstr(md, "- vhost-user, host to guest, every case: not applicable: "
					 "no way in\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n## Latency (ping, sockperf)\n"));
	ck_assert_ptr_nonnull(strstr(md, "| ICMP echo (ping) | P50 | guest to guest | us | 20.0 | "
					 "failed | - |\n"));
	ck_assert_ptr_nonnull(strstr(md, "| P99 | guest to guest | us | 45.5 |"));
	/* a reason's pipe and line break cannot break the table or the list */
	ck_assert_ptr_nonnull(strstr(md, "- bridge, guest to guest, ICMP echo (ping): **failed**: "
					 "ping: no reply"));
	ck_assert_ptr_nonnull(strstr(md, "ping: no reply \\| twice at all\n"));
	ck_assert_ptr_nonnull(strstr(md, "Methods:\n\n- TCP, 1 stream: iperf3 -c SERVER\n"));
	ck_assert_ptr_nonnull(strstr(md, "**OVERSUBSCRIBED**"));
	ck_assert_ptr_nonnull(strstr(md, "\n## Host and testbed\n"));
	ck_assert_ptr_nonnull(strstr(md, "- hostname: vm\n"));
	ck_assert_ptr_nonnull(strstr(md, "- iperf3: iperf 3.12\n"));
	ck_assert_ptr_nonnull(strstr(md, "  - bridge, host to guest: client host (tb-bn-host), "
					 "server br1 at 198.18.2.2\n"));
	/* the CSV: a row per point and metric */
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	ck_assert_int_eq(tb_read_file(path, &csv, NULL), 0);
	ck_assert_ptr_nonnull(strstr(csv, "backend,direction,test,case,msg_size,metric,unit,median,"
					  "min,max,repeats,status,reason,method\n"));
	ck_assert_ptr_nonnull(strstr(csv, "bridge,guest_to_guest,throughput,tcp,,mbps,Mb/s,2200,"
					  "2000,2400,2,ok,,iperf3 -c SERVER\n"));
	ck_assert_ptr_nonnull(strstr(csv, "vhost-user,host_to_guest,throughput,tcp,,mbps,Mb/s,,,,0,"
					  "n/a,not applicable: no way in,iperf3 -c SERVER\n"));
	ck_assert_ptr_nonnull(strstr(csv, ",failed,\"ping: no reply | twice at all\","));
	/* results.json reads back as a results file */
	ck_assert_int_eq(res_load(dir, &back, err, sizeof(err)), 0);
	ck_assert_str_eq(json_string_value(json_object_get(back, "kind")), "bench-net");
	json_decref(back);
	/* another kind is refused */
	json_object_set_new(res, "kind", json_string("sweep"));
	ck_assert_int_eq(rp_write_net_report(dir, res, err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(rp_write_net_results(dir, res), -EINVAL);
	free(md);
	free(csv);
	json_decref(res);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	ck_assert_int_eq(system(path), 0);
}
END_TEST

/* ---- the CRR client against a sockperf-protocol server in a thread ---- */

struct echo {
	int lfd;
	int port;
	int served;
	bool bad_reply;
};

static void *
echo_serve(void *arg)
{
	struct echo *e = arg;
	unsigned char m[64];

	for (;;) {
		int fd = accept(e->lfd, NULL, NULL);
		ssize_t got = 0, k;
		uint16_t f;

		if (fd < 0)
			return NULL;
		while (got < 14 && (k = recv(fd, m + got, 14 - (size_t)got, 0)) > 0)
			got += k;
		if (got == 14) {
			/* as sockperf's server: the client flag cleared, the rest echoed */
			memcpy(&f, m + 8, 2);
			f = htons(ntohs(f) & ~1u);
			if (e->bad_reply)
				f = htons(3);
			memcpy(m + 8, &f, 2);
			send(fd, m, 14, MSG_NOSIGNAL);
			e->served++;
		}
		close(fd);
	}
}

static void
echo_start(struct echo *e, pthread_t *th)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);

	e->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(e->lfd, 0);
	ck_assert_int_eq(bind(e->lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(e->lfd, 64), 0);
	ck_assert_int_eq(getsockname(e->lfd, (struct sockaddr *)&sa, &len), 0);
	e->port = ntohs(sa.sin_port);
	ck_assert_int_eq(pthread_create(th, NULL, echo_serve, e), 0);
}

static void
echo_stop(struct echo *e, pthread_t th)
{
	shutdown(e->lfd, SHUT_RDWR);
	close(e->lfd);
	pthread_join(th, NULL);
}

START_TEST(test_crr_client)
{
	struct echo e = {0};
	struct bnet_crr_conf c = {
		.server = "127.0.0.1", .time_s = 0.3, .size = 14, .timeout_ms = 500};
	struct bnet_crr_result r, back;
	pthread_t th;
	char *text, err[256];
	bool ok;
	json_t *j;

	echo_start(&e, &th);
	c.port = e.port;
	ck_assert_int_eq(bnet_crr_run(&c, &r, NULL), 0);
	ck_assert_uint_gt(r.transactions, 10);
	ck_assert_uint_eq(r.errors, 0);
	ck_assert(r.rate > 0);
	ck_assert(r.p50_us > 0 && r.p50_us <= r.p95_us && r.p95_us <= r.p99_us);
	ck_assert(r.seconds >= 0.3);
	/* its output reads back */
	j = bnet_crr_json(&c, &r);
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	ck_assert_int_eq(bnet_crr_parse(text, &back, &ok, err, sizeof(err)), 0);
	ck_assert(ok);
	ck_assert_uint_eq(back.transactions, r.transactions);
	ck_assert_double_eq_tol(back.rate, r.rate, 1e-6);
	free(text);
	/* a reply that still says "client": a protocol error, counted, then given up */
	e.bad_reply = true;
	ck_assert_int_eq(bnet_crr_run(&c, &r, NULL), -EIO);
	ck_assert_uint_eq(r.transactions, 0);
	ck_assert_str_eq(r.first_error, "reply: Protocol error");
	echo_stop(&e, th);
	/* nobody listening: refused at once, given up after BNET_CRR_GIVE_UP tries */
	ck_assert_int_eq(bnet_crr_run(&c, &r, NULL), -EIO);
	ck_assert_uint_eq(r.errors, BNET_CRR_GIVE_UP);
	ck_assert_str_eq(r.first_error, "connect: Connection refused");
	/* bad arguments */
	c.size = 13;
	ck_assert_int_eq(bnet_crr_run(&c, &r, NULL), -EINVAL);
	c.size = 14;
	c.server = "host.example";
	ck_assert_int_eq(bnet_crr_run(&c, &r, NULL), -EINVAL);
	/* other text */
	ck_assert_int_eq(bnet_crr_parse("{\"tool\": \"iperf3\"}", &back, &ok, err, sizeof(err)),
			 -EINVAL);
	ck_assert_int_eq(bnet_crr_parse("", &back, &ok, err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(bnet_crr_parse(NULL, &back, &ok, err, sizeof(err)), -EINVAL);
}
END_TEST

START_TEST(test_crr_fixtures)
{
	struct bnet_crr_result r;
	char *t = fixture("crr-ok.txt"), err[256];
	bool ok;

	ck_assert_int_eq(bnet_crr_parse(t, &r, &ok, err, sizeof(err)), 0);
	ck_assert(ok);
	ck_assert_uint_eq(r.transactions, 5939);
	ck_assert_uint_eq(r.errors, 0);
	ck_assert_double_eq_tol(r.rate, 5938.3482306635751, 1e-9);
	ck_assert_double_eq_tol(r.p99_us, 366.92499998025596, 1e-9);
	free(t);
	t = fixture("crr-fail-refused.txt");
	ck_assert_int_eq(bnet_crr_parse(t, &r, &ok, err, sizeof(err)), 0);
	ck_assert(!ok);
	ck_assert_uint_eq(r.errors, 100);
	ck_assert_str_eq(err, "no transaction completed: connect: Connection refused");
	free(t);
}
END_TEST

static Suite *
bench_net_suite(void)
{
	Suite *s = suite_create("bench-net");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_args);
	tcase_add_test(tc, test_cases);
	tcase_add_test(tc, test_client_argv);
	tcase_add_test(tc, test_methods);
	tcase_add_test(tc, test_metrics);
	tcase_add_test(tc, test_host_addr);
	tcase_add_test(tc, test_summarise);
	tcase_add_test(tc, test_report);
	tcase_add_test(tc, test_crr_client);
	tcase_add_test(tc, test_crr_fixtures);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(bench_net_suite)
