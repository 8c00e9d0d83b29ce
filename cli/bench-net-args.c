/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench net`: its options, cases, tool command lines and metrics (no I/O here). */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "backend.h"
#include "bench-net.h"
#include "stats.h"
#include "toolparse.h"

static const char *const test_names[BNET_N_TESTS] = {"throughput", "pps", "latency", "rr"};
static const char *const test_titles[BNET_N_TESTS] = {
	"Throughput (iperf3)",
	"Packets per second (iperf3 UDP)",
	"Latency (ping, sockperf ping-pong)",
	"Request/response rates (sockperf, testbed bench crr)",
};

/* clang-format off: one case a line reads better than the formatter's columns */
#define M_MBPS                                                                                     \
	{                                                                                          \
		"mbps", "Mb/s", "throughput"                                                       \
	}
#define M_RETR                                                                                     \
	{                                                                                          \
		"retransmits", "segments", "TCP retransmits"                                       \
	}
#define M_LOSS                                                                                     \
	{                                                                                          \
		"loss_pct", "%", "loss"                                                            \
	}
#define M_RXPPS                                                                                    \
	{                                                                                          \
		"rx_pps", "pps", "received packets/s"                                              \
	}
#define M_TXPPS                                                                                    \
	{                                                                                          \
		"tx_pps", "pps", "sent packets/s"                                                  \
	}
#define M_P50                                                                                      \
	{                                                                                          \
		"p50_us", "us", "P50"                                                              \
	}
#define M_P95                                                                                      \
	{                                                                                          \
		"p95_us", "us", "P95"                                                              \
	}
#define M_P99                                                                                      \
	{                                                                                          \
		"p99_us", "us", "P99"                                                              \
	}
#define M_JIT                                                                                      \
	{                                                                                          \
		"jitter_us", "us", "jitter (P99 - P50)"                                            \
	}
#define M_TPS                                                                                      \
	{                                                                                          \
		"tps", "1/s", "transactions/s"                                                     \
	}

static const struct bnet_case_info cases[BC_N] = {
	{BC_TCP, BNET_THROUGHPUT, BT_IPERF3, "tcp", "TCP, 1 stream", 0, 2, {M_MBPS, M_RETR}},
	{BC_TCP_P8, BNET_THROUGHPUT, BT_IPERF3, "tcp_p8", "TCP, 8 streams", 0, 2, {M_MBPS, M_RETR}},
	{BC_TCP_REVERSE,
	 BNET_THROUGHPUT,
	 BT_IPERF3,
	 "tcp_reverse",
	 "TCP, reverse (server sends)",
	 0,
	 2,
	 {M_MBPS, M_RETR}},
	{BC_UDP, BNET_THROUGHPUT, BT_IPERF3, "udp", "UDP, maximum rate", 0, 2, {M_MBPS, M_LOSS}},
	{BC_PPS_64,
	 BNET_PPS,
	 BT_IPERF3,
	 "udp_64",
	 "UDP, 64 B payload",
	 64,
	 3,
	 {M_RXPPS, M_TXPPS, M_LOSS}},
	{BC_PPS_128,
	 BNET_PPS,
	 BT_IPERF3,
	 "udp_128",
	 "UDP, 128 B payload",
	 128,
	 3,
	 {M_RXPPS, M_TXPPS, M_LOSS}},
	{BC_PPS_256,
	 BNET_PPS,
	 BT_IPERF3,
	 "udp_256",
	 "UDP, 256 B payload",
	 256,
	 3,
	 {M_RXPPS, M_TXPPS, M_LOSS}},
	{BC_PPS_512,
	 BNET_PPS,
	 BT_IPERF3,
	 "udp_512",
	 "UDP, 512 B payload",
	 512,
	 3,
	 {M_RXPPS, M_TXPPS, M_LOSS}},
	{BC_LAT_ICMP,
	 BNET_LATENCY,
	 BT_PING,
	 "icmp",
	 "ICMP echo (ping)",
	 0,
	 5,
	 {M_P50, M_P95, M_P99, M_JIT, M_LOSS}},
	{BC_LAT_TCP,
	 BNET_LATENCY,
	 BT_SOCKPERF,
	 "tcp",
	 "TCP ping-pong (sockperf)",
	 14,
	 4,
	 {M_P50, M_P95, M_P99, M_JIT}},
	{BC_LAT_UDP,
	 BNET_LATENCY,
	 BT_SOCKPERF,
	 "udp",
	 "UDP ping-pong (sockperf)",
	 14,
	 4,
	 {M_P50, M_P95, M_P99, M_JIT}},
	{BC_TCP_RR, BNET_RR, BT_SOCKPERF, "tcp_rr", "TCP_RR", 14, 1, {M_TPS}},
	{BC_UDP_RR, BNET_RR, BT_SOCKPERF, "udp_rr", "UDP_RR", 14, 1, {M_TPS}},
	{BC_TCP_CRR, BNET_RR, BT_CRR, "tcp_crr", "TCP_CRR", 14, 1, {M_TPS}},
};
/* clang-format on */

const char *
bnet_test_name(enum bnet_test t)
{
	return t < BNET_N_TESTS ? test_names[t] : "?";
}

const char *
bnet_test_title(enum bnet_test t)
{
	return t < BNET_N_TESTS ? test_titles[t] : "?";
}

const char *
bnet_dir_name(enum bnet_dir d)
{
	return d == BNET_G2G ? "guest_to_guest" : d == BNET_H2G ? "host_to_guest" : "?";
}

const char *
bnet_dir_words(enum bnet_dir d)
{
	return d == BNET_G2G ? "guest to guest" : d == BNET_H2G ? "host to guest" : "?";
}

const struct bnet_case_info *
bnet_case(enum bnet_case c)
{
	return c < BC_N ? &cases[c] : NULL;
}

const struct bnet_case_info *
bnet_case_by_name(const char *test, const char *name)
{
	int c;

	if (test == NULL || name == NULL)
		return NULL;
	for (c = 0; c < BC_N; c++)
		if (strcmp(test_names[cases[c].test], test) == 0 &&
		    strcmp(cases[c].name, name) == 0)
			return &cases[c];
	return NULL;
}

int
bnet_tests_parse(const char *s, unsigned int *bits)
{
	char buf[256], *tok, *save = NULL;
	unsigned int b = 0;
	int t;

	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return -EINVAL;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "all") == 0) {
			b |= (1u << BNET_N_TESTS) - 1;
			continue;
		}
		for (t = 0; t < BNET_N_TESTS; t++)
			if (strcmp(tok, test_names[t]) == 0)
				break;
		if (t == BNET_N_TESTS)
			return -EINVAL;
		b |= 1u << t;
	}
	if (b == 0)
		return -EINVAL;
	*bits = b;
	return 0;
}

int
bnet_parse_args(int argc, char **argv, struct bnet_conf *c, char *err, size_t errlen)
{
	static const struct option opts[] = {
		{"instance", required_argument, NULL, 'i'},
		{"backends", required_argument, NULL, 'b'},
		{"tests", required_argument, NULL, 'T'},
		{"time", required_argument, NULL, 't'},
		{"repeat", required_argument, NULL, 'r'},
		{"out", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *what = NULL;
	const struct bench_opts bo = {
		.what = &what,
		.instance = c->instance,
		.instance_len = sizeof(c->instance),
		.time_s = &c->time_s,
		.repeat = &c->repeat,
		.out = &c->out,
	};
	int o, ret;

	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "-", opts, NULL)) != -1) {
		switch (o) {
		case 'b':
			if (tb_backend_parse_list(optarg, &c->backends, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'T':
			if (bnet_tests_parse(optarg, &c->tests) < 0) {
				snprintf(err, errlen,
					 "bad --tests \"%s\" (allowed: a comma-separated list of "
					 "throughput, pps, latency, rr, or all)",
					 optarg);
				return -EINVAL;
			}
			break;
		default:
			ret = parse_bench_opt(o, optarg, &bo, err, errlen);
			if (ret == 0)
				return bad_option(argc, argv, err, errlen);
			if (ret < 0)
				return ret;
		}
	}
	return check_bench_name(what, "net", err, errlen);
}

/* ---- tool command lines ---- */

static int
push(struct bnet_argv *a, int *n, const char *s)
{
	if (*n >= (int)(sizeof(a->argv) / sizeof(a->argv[0])) - 1)
		return -E2BIG;
	a->argv[(*n)++] = s;
	a->argv[*n] = NULL;
	return 0;
}

#define PUSH(...)                                                                                  \
	do {                                                                                       \
		const char *const _w[] = {__VA_ARGS__};                                            \
		size_t _i;                                                                         \
		for (_i = 0; _i < sizeof(_w) / sizeof(_w[0]); _i++)                                \
			ret |= push(a, &n, _w[_i]);                                                \
	} while (0)

int
bnet_client_argv(enum bnet_case c, const char *addr, int time_s, const char *self,
		 struct bnet_argv *a)
{
	const struct bnet_case_info *ci = bnet_case(c);
	int n = 0, ret = 0;

	if (ci == NULL || addr == NULL || time_s < 1)
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	snprintf(a->time, sizeof(a->time), "%d", time_s);
	snprintf(a->size, sizeof(a->size), "%d", ci->msg_size);
	switch (ci->tool) {
	case BT_IPERF3:
		PUSH("iperf3", "-c", addr, "-p", BNET_IPERF3_PORT, "-t", a->time, "-J",
		     "--connect-timeout", "5000");
		if (c == BC_TCP_P8)
			PUSH("-P", BNET_P8_STREAMS);
		else if (c == BC_TCP_REVERSE)
			PUSH("-R");
		else if (c == BC_UDP)
			PUSH("-u", "-b", "0");
		else if (ci->test == BNET_PPS)
			PUSH("-u", "-b", "0", "-l", a->size);
		break;
	case BT_PING:
		/* 100 per second; the deadline only ends a run whose replies stopped */
		snprintf(a->count, sizeof(a->count), "%d", time_s * BNET_PING_PER_S);
		snprintf(a->deadline, sizeof(a->deadline), "%d", time_s * 3 + 5);
		PUSH("ping", "-n", "-c", a->count, "-i", BNET_PING_INTERVAL, "-w", a->deadline,
		     addr);
		break;
	case BT_SOCKPERF:
		PUSH("sockperf", "ping-pong", "-i", addr, "-p",
		     (c == BC_LAT_TCP || c == BC_TCP_RR) ? BNET_SOCKPERF_TCP_PORT
							 : BNET_SOCKPERF_UDP_PORT,
		     "-t", a->time, "-m", a->size, "--full-rtt");
		if (c == BC_LAT_TCP || c == BC_TCP_RR)
			PUSH("--tcp");
		/* every round trip, after the summary on the same stdout (no file in the guest) */
		if (ci->test == BNET_LATENCY)
			PUSH("--full-log", "/proc/self/fd/1");
		break;
	case BT_CRR:
		if (self == NULL)
			return -EINVAL;
		snprintf(a->self, sizeof(a->self), "%s", self);
		PUSH(a->self, "bench", "crr", "--server", addr, "--port", BNET_SOCKPERF_TCP_PORT,
		     "--time", a->time, "--size", a->size);
		break;
	}
	return ret < 0 ? -E2BIG : 0;
}

void
bnet_method(enum bnet_case c, int time_s, char *buf, size_t len)
{
	const struct bnet_case_info *ci = bnet_case(c);

	switch (c) {
	case BC_TCP:
	case BC_TCP_P8:
	case BC_TCP_REVERSE:
		snprintf(buf, len,
			 "iperf3 -c SERVER -t %d -J%s (client in the source, `iperf3 -s` in the "
			 "server guest): throughput = end.sum_received.bits_per_second, what "
			 "arrived%s; retransmits = end.sum_sent.retransmits",
			 time_s,
			 c == BC_TCP_P8	       ? " -P 8"
			 : c == BC_TCP_REVERSE ? " -R"
					       : "",
			 c == BC_TCP_P8	       ? ", summed over the 8 streams"
			 : c == BC_TCP_REVERSE ? " (-R: the server sends, the client receives)"
					       : "");
		break;
	case BC_UDP:
		snprintf(
			buf, len,
			"iperf3 -c SERVER -t %d -J -u -b 0 (unlimited rate, default datagram "
			"size): throughput = end.sum_received.bits_per_second (what arrived), loss "
			"= end.sum_received.lost_percent",
			time_s);
		break;
	case BC_PPS_64:
	case BC_PPS_128:
	case BC_PPS_256:
	case BC_PPS_512:
		snprintf(buf, len,
			 "iperf3 -c SERVER -t %d -J -u -b 0 -l %d: received packets/s = "
			 "(sum_received.packets - sum_received.lost_packets) / "
			 "sum_received.seconds, sent packets/s = sum_sent.packets / "
			 "sum_sent.seconds, loss = sum_received.lost_percent",
			 time_s, ci->msg_size);
		break;
	case BC_LAT_ICMP:
		snprintf(buf, len,
			 "ping -n -c %d -i %s -w %d SERVER: P50/P95/P99 by nearest rank over the "
			 "per-reply RTTs (duplicates left out), jitter = P99 - P50, loss from "
			 "ping's summary",
			 time_s * BNET_PING_PER_S, BNET_PING_INTERVAL, time_s * 3 + 5);
		break;
	case BC_LAT_TCP:
	case BC_LAT_UDP:
		snprintf(
			buf, len,
			"sockperf ping-pong -i SERVER -t %d -m 14 --full-rtt%s --full-log (against "
			"`sockperf server%s`): P50/P95/P99 by nearest rank over every round trip "
			"of sockperf's valid period (its warm-up left out), jitter = P99 - P50",
			time_s, c == BC_LAT_TCP ? " --tcp" : "", c == BC_LAT_TCP ? " --tcp" : "");
		break;
	case BC_TCP_RR:
	case BC_UDP_RR:
		snprintf(
			buf, len,
			"sockperf ping-pong -i SERVER -t %d -m 14 --full-rtt%s (one 14-byte "
			"message in flight, as netperf %s_RR): transactions/s = ReceivedMessages / "
			"RunTime of sockperf's valid period",
			time_s, c == BC_TCP_RR ? " --tcp" : "", c == BC_TCP_RR ? "TCP" : "UDP");
		break;
	case BC_TCP_CRR:
		snprintf(buf, len,
			 "testbed bench crr --time %d (our client, run in the source namespace) "
			 "against `sockperf server --tcp`: per transaction a new TCP connection, "
			 "one 14-byte sockperf request and its reply, close with RST (SO_LINGER "
			 "0: no TIME_WAIT, so ports last); transactions/s = completed / elapsed",
			 time_s);
		break;
	default:
		snprintf(buf, len, "?");
	}
}

/* ---- metrics of one output ---- */

static void
set_num(json_t *o, const char *key, double v)
{
	if (v >= 0)
		json_object_set_new(o, key, json_real(v));
}

static int
pct_metrics(const double *v, size_t n, json_t *o, char *err, size_t errlen)
{
	static const double p[] = {50, 95, 99};
	double out[3];

	if (n == 0 || tb_percentiles(v, n, p, 3, out) < 0) {
		snprintf(err, errlen, "no round trip to take percentiles of");
		return -EIO;
	}
	set_num(o, "p50_us", out[0]);
	set_num(o, "p95_us", out[1]);
	set_num(o, "p99_us", out[2]);
	set_num(o, "jitter_us", out[2] - out[0]);
	json_object_set_new(o, "observations", json_integer((json_int_t)n));
	return 0;
}

static int
iperf3_metrics(enum bnet_case c, const char *out, json_t *o, char *err, size_t errlen)
{
	struct tp_iperf3 r;

	if (tp_iperf3_parse(out, &r) < 0) {
		snprintf(err, errlen, "iperf3 output not understood");
		return -EINVAL;
	}
	if (!r.ok) {
		snprintf(err, errlen, "iperf3: %s", r.error);
		return -EIO;
	}
	switch (bnet_case(c)->test) {
	case BNET_THROUGHPUT:
		set_num(o, "mbps", r.received_bps / 1e6);
		set_num(o, "retransmits", r.retransmits);
		set_num(o, "loss_pct", r.lost_pct);
		break;
	default:
		if (r.rx_pps < 0) {
			snprintf(err, errlen, "iperf3 reported no UDP datagram counts");
			return -EIO;
		}
		set_num(o, "rx_pps", r.rx_pps);
		set_num(o, "tx_pps", r.tx_pps);
		set_num(o, "loss_pct", r.lost_pct);
		set_num(o, "mbps", r.received_bps / 1e6);
		break;
	}
	set_num(o, "cpu_local_pct", r.cpu_local_pct);
	set_num(o, "cpu_remote_pct", r.cpu_remote_pct);
	return 0;
}

static int
ping_metrics(const char *out, json_t *o, char *err, size_t errlen)
{
	struct tp_ping r;
	int ret;

	if (tp_ping_parse(out, &r) < 0) {
		snprintf(err, errlen, "ping output not understood");
		return -EINVAL;
	}
	if (!r.ok) {
		snprintf(err, errlen, "ping: %s", r.error);
		tp_ping_free(&r);
		return -EIO;
	}
	ret = pct_metrics(r.rtt_us, r.n_rtt, o, err, errlen);
	set_num(o, "loss_pct", r.loss_pct);
	tp_ping_free(&r);
	return ret;
}

static int
sockperf_metrics(enum bnet_case c, const char *out, json_t *o, char *err, size_t errlen)
{
	struct tp_sockperf r;
	int ret = 0;

	if (tp_sockperf_parse(out, &r) < 0) {
		snprintf(err, errlen, "sockperf output not understood");
		return -EINVAL;
	}
	if (!r.ok) {
		snprintf(err, errlen, "sockperf: %s", r.error);
		tp_sockperf_free(&r);
		return -EIO;
	}
	if (bnet_case(c)->test == BNET_LATENCY) {
		if (r.n_rtt == 0) {
			snprintf(err, errlen, "sockperf printed no full log (--full-log rows)");
			ret = -EIO;
		} else {
			ret = pct_metrics(r.rtt_us, r.n_rtt, o, err, errlen);
		}
	} else {
		set_num(o, "tps", r.rate);
	}
	set_num(o, "avg_us", r.avg_us);
	tp_sockperf_free(&r);
	return ret;
}

static int
crr_metrics(const char *out, json_t *o, char *err, size_t errlen)
{
	struct bnet_crr_result r;
	char why[300];
	bool ok;

	if (bnet_crr_parse(out, &r, &ok, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "testbed bench crr output not understood");
		return -EINVAL;
	}
	if (!ok) {
		snprintf(err, errlen, "crr: %s", why);
		return -EIO;
	}
	set_num(o, "tps", r.rate);
	set_num(o, "p50_us", r.p50_us);
	set_num(o, "p99_us", r.p99_us);
	json_object_set_new(o, "errors", json_integer((json_int_t)r.errors));
	return 0;
}

int
bnet_metrics(enum bnet_case c, const char *out, json_t *o, char *err, size_t errlen)
{
	const struct bnet_case_info *ci = bnet_case(c);

	if (ci == NULL || out == NULL)
		return -EINVAL;
	switch (ci->tool) {
	case BT_IPERF3:
		return iperf3_metrics(c, out, o, err, errlen);
	case BT_PING:
		return ping_metrics(out, o, err, errlen);
	case BT_SOCKPERF:
		return sockperf_metrics(c, out, o, err, errlen);
	case BT_CRR:
		return crr_metrics(out, o, err, errlen);
	}
	return -EINVAL;
}

int
bnet_host_addr(const char *guest_addr, char *cidr, size_t len)
{
	struct in_addr a;
	unsigned int h;

	if (guest_addr == NULL || inet_pton(AF_INET, guest_addr, &a) != 1)
		return -EINVAL;
	h = ntohl(a.s_addr);
	/* 198.18.0.0/15 only (CONVENTIONS.md) */
	if ((h & 0xfffe0000u) != 0xc6120000u)
		return -EINVAL;
	h = (h & 0xffffff00u) | BNET_HOST_OCTET;
	if (snprintf(cidr, len, "%u.%u.%u.%u/24", h >> 24, (h >> 16) & 255, (h >> 8) & 255,
		     h & 255) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

void
bnet_point_summarise(json_t *point)
{
	const struct bnet_case_info *ci =
		bnet_case_by_name(json_string_value(json_object_get(point, "test")),
				  json_string_value(json_object_get(point, "case")));
	json_t *reps = json_object_get(point, "repeats"), *rj;
	const char *status = json_string_value(json_object_get(point, "status"));
	const char *reason = NULL;
	double v[64];
	size_t i;
	int m;

	if (ci == NULL || (status != NULL && strcmp(status, "n/a") == 0))
		return;
	for (m = 0; m < ci->n_metrics; m++) {
		const struct bnet_metric *mt = &ci->metric[m];
		size_t n = 0;

		json_array_foreach(reps, i, rj) {
			json_t *x = json_object_get(rj, mt->key);

			if (json_is_number(x) && n < sizeof(v) / sizeof(v[0]))
				v[n++] = json_number_value(x);
		}
		json_object_del(point, mt->key);
		if (n == 0)
			continue;
		struct tb_spread s = tb_spread_of(v, n);

		json_object_set_new(point, mt->key,
				    json_pack("{s:f, s:f, s:f, s:s, s:i}", "median", s.median,
					      "min", s.min, "max", s.max, "unit", mt->unit, "n",
					      (int)n));
	}
	json_array_foreach(reps, i, rj) {
		const char *st = json_string_value(json_object_get(rj, "status"));

		if (reason == NULL && (st == NULL || strcmp(st, "ok") != 0))
			reason = json_string_value(json_object_get(rj, "error")) ?: "failed";
	}
	if (json_array_size(reps) == 0 && reason == NULL)
		reason = json_string_value(json_object_get(point, "reason")) ?: "not measured";
	json_object_set_new(point, "status", json_string(reason ? "failed" : "ok"));
	if (reason != NULL)
		json_object_set_new(point, "reason", json_string(reason));
	else
		json_object_del(point, "reason");
}
