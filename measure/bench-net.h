/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench net`: its tests, cases, options and results. */
#ifndef TB_BENCH_NET_H
#define TB_BENCH_NET_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#include "backend.h"
#include "names.h"

/*
 * `bench net`: the tests of related studies on an instance that is up, per backend and
 * direction (guest to guest, host to guest): iperf3 throughput, UDP packets per second,
 * ICMP/TCP/UDP latency percentiles, TCP_RR/UDP_RR/TCP_CRR transaction rates.
 */
enum bnet_test { BNET_THROUGHPUT, BNET_PPS, BNET_LATENCY, BNET_RR, BNET_N_TESTS };

enum bnet_dir { BNET_G2G, BNET_H2G, BNET_N_DIRS };

/* One tool call shape; a test is several of them (the rows of its table). */
enum bnet_case {
	BC_TCP,		/* iperf3, one stream */
	BC_TCP_P8,	/* iperf3 -P 8 */
	BC_TCP_REVERSE, /* iperf3 -R: server to client */
	BC_UDP,		/* iperf3 -u -b 0 */
	BC_PPS_64,	/* iperf3 -u -b 0 -l 64 */
	BC_PPS_128,
	BC_PPS_256,
	BC_PPS_512,
	BC_LAT_ICMP, /* ping -i 0.01 */
	BC_LAT_TCP,  /* sockperf ping-pong --tcp --full-log */
	BC_LAT_UDP,  /* sockperf ping-pong --full-log */
	BC_TCP_RR,   /* sockperf ping-pong --tcp: round trips per second */
	BC_UDP_RR,   /* sockperf ping-pong */
	BC_TCP_CRR,  /* testbed bench crr: connect, request, response, close */
	BC_N
};

enum bnet_tool { BT_IPERF3, BT_PING, BT_SOCKPERF, BT_CRR };

/* What a row of a report table shows: a metric of a case, its unit and how to scale it. */
struct bnet_metric {
	const char *key;   /* in results.json, e.g. "mbps" */
	const char *unit;  /* of the stored value: "Mb/s", "pps", "%", "us", "1/s" */
	const char *label; /* for people: "throughput", "P99" */
};

#define BNET_MAX_METRICS 6

struct bnet_case_info {
	enum bnet_case id;
	enum bnet_test test;
	enum bnet_tool tool;
	const char *name;  /* "tcp_p8": in results and raw file names */
	const char *label; /* "TCP, 8 streams" */
	int msg_size;	   /* UDP payload / request size, 0: the tool's default */
	int n_metrics;
	struct bnet_metric metric[BNET_MAX_METRICS];
};

#define BNET_IPERF3_PORT "5301"
#define BNET_SOCKPERF_UDP_PORT "11111"
#define BNET_SOCKPERF_TCP_PORT "11112"
#define BNET_PING_INTERVAL "0.01"
#define BNET_PING_PER_S 100
#define BNET_P8_STREAMS "8"
/* an address of each kernel backend's subnet for the host namespace, outside the guests'
 * (1..250); see bnet_host_addr */
#define BNET_HOST_OCTET 254

struct bnet_conf {
	unsigned int tests;    /* bit per enum bnet_test */
	unsigned int backends; /* 0: every backend that is up */
	int time_s;
	int repeat;
	const char *out;
	char instance[TB_INSTANCE_MAX + 1];
};

#define BNET_CONF_DEFAULT                                                                          \
	{                                                                                          \
		.tests = (1u << BNET_N_TESTS) - 1, .time_s = 5, .repeat = 1, .out = "results",     \
		.instance = "main",                                                                \
	}

/* --- pure parts (bench-net-args.c) --- */

const char *bnet_test_name(enum bnet_test t);  /* "throughput" */
const char *bnet_test_title(enum bnet_test t); /* "Throughput (iperf3)" */
const char *bnet_dir_name(enum bnet_dir d);    /* "guest_to_guest" */
const char *bnet_dir_words(enum bnet_dir d);   /* "guest to guest" */
const struct bnet_case_info *bnet_case(enum bnet_case c);
const struct bnet_case_info *bnet_case_by_name(const char *test, const char *name);
/* "throughput,rr" -> bits; -EINVAL naming nothing. */
int bnet_tests_parse(const char *s, unsigned int *bits);

/*
 * The client's argv (tool first, NULL-terminated) for case c against addr for time_s
 * seconds; self is this program (for BT_CRR). Storage in buf. -E2BIG when it does not fit.
 */
struct bnet_argv {
	const char *argv[40];
	char time[16], count[16], deadline[16], size[16], self[512];
};
int bnet_client_argv(enum bnet_case c, const char *addr, int time_s, const char *self,
		     struct bnet_argv *a);
/* The method recorded with a point: what ran and how its numbers were derived. */
void bnet_method(enum bnet_case c, int time_s, char *buf, size_t len);

/*
 * Metrics of one tool output for case c into o ({"mbps": ..., ...}); 0, or -EINVAL
 * (output not the tool's) or -EIO (the tool's own failure) with why in err.
 */
int bnet_metrics(enum bnet_case c, const char *out, json_t *o, char *err, size_t errlen);

/* "198.18.2.2" -> "198.18.2.254/24": the host namespace's address in that /24. */
int bnet_host_addr(const char *guest_addr, char *cidr, size_t len);

/* Median/min/max of each metric over the ok repeats, status and reason (point of case c). */
void bnet_point_summarise(json_t *point);

/* --- the CRR client (bench-net-crr.c): `testbed bench crr` --- */

#define BNET_CRR_MSG_MIN 14 /* sockperf's message header */
#define BNET_CRR_MSG_MAX 65536
#define BNET_CRR_MAX_SAMPLES (1u << 21)
#define BNET_CRR_GIVE_UP 100 /* consecutive failed transactions */

struct bnet_crr_conf {
	const char *server;
	int port;
	double time_s;
	int size;	/* request and reply bytes, sockperf header included */
	int timeout_ms; /* per step (connect, send, receive) */
};

struct bnet_crr_result {
	double seconds;
	unsigned long long transactions, errors;
	char first_error[256];
	double rate;		       /* transactions per second */
	double p50_us, p95_us, p99_us; /* one transaction, connect to close */
};

/*
 * Transactions against a `sockperf server --tcp` for conf->time_s seconds: each a new TCP
 * connection, one sockperf request (14-byte header: sequence, client+pong-request flags,
 * length; network order) and its reply, then a close with RST (SO_LINGER 0) so the client
 * leaves no TIME_WAIT behind and its ports last any run. Stops early when *stop is set or
 * after BNET_CRR_GIVE_UP failures in a row. 0 when at least one transaction completed.
 */
int bnet_crr_run(const struct bnet_crr_conf *conf, struct bnet_crr_result *res,
		 volatile sig_atomic_t *stop);
json_t *bnet_crr_json(const struct bnet_crr_conf *conf, const struct bnet_crr_result *res);
/* Reads bnet_crr_json's text back; -EINVAL when it is not; ok false with the error. */
int bnet_crr_parse(const char *text, struct bnet_crr_result *res, bool *ok, char *err,
		   size_t errlen);

/* --- the whole bench (bench-net.c) --- */


/*
 * The whole `bench net` conf asks for, on its instance. *out receives results.json (NULL when
 * nothing was measured) and dir the run directory. Says what went wrong itself; returns 0, the
 * number of failed points, or -errno.
 */
int bnet_measure(const struct bnet_conf *conf, json_t **out, char *dir, size_t dirlen);

#endif
