/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "args.h"
#include "bench.h"
#include "fsutil.h"
#include "report.h"
#include "results.h"
#include "telemetry.h"
#include "toolparse.h"
#include "unit.h"

static int
parse(struct bench_conf *c, char *err, int argc, char **argv)
{
	*c = (struct bench_conf)BENCH_CONF_DEFAULT;
	err[0] = '\0';
	return bench_parse_args(argc, argv, c, err, 256);
}

#define BENCH(...) (int)(sizeof((char *[]){"bench", __VA_ARGS__}) / sizeof(char *)), \
	((char *[]){"bench", __VA_ARGS__, NULL})

START_TEST(test_defaults)
{
	struct bench_conf c;
	char err[256];

	ck_assert_int_eq(parse(&c, err, BENCH("switch")), 0);
	ck_assert_int_eq(c.numa, -1);
	ck_assert_int_eq(c.n_sizes, 3);
	ck_assert_int_eq(c.sizes[0], 64);
	ck_assert_int_eq(c.sizes[2], 1518);
	ck_assert_int_eq(c.pairs, 5);
	ck_assert_int_eq(c.time_s, 3);
	ck_assert_uint_eq(c.switches, 0xf);
	ck_assert(!c.switches_given);
	ck_assert_str_eq(c.instance, "bench");
	ck_assert_str_eq(c.out, "results");
}
END_TEST

START_TEST(test_options)
{
	struct bench_conf c;
	char err[256];

	ck_assert_int_eq(parse(&c, err, BENCH("--sizes", "1518,64", "switch", "--pairs", "1",
					      "--time", "1", "--switches", "ovs,busy", "--numa",
					      "0", "--out", "/tmp/x", "--instance", "bx")),
			 0);
	ck_assert_int_eq(c.n_sizes, 2);
	ck_assert_int_eq(c.sizes[0], 1518);
	ck_assert_int_eq(c.sizes[1], 64);
	ck_assert_int_eq(c.pairs, 1);
	ck_assert_uint_eq(c.switches, (1u << BENCH_OVS) | (1u << BENCH_BUSY));
	ck_assert(c.switches_given);
	ck_assert_int_eq(c.numa, 0);
	ck_assert_str_eq(c.instance, "bx");
}
END_TEST

START_TEST(test_bad_input)
{
	struct bench_conf c;
	char err[256];

	ck_assert_int_lt(parse(&c, err, BENCH("--time", "1")), 0);
	ck_assert_str_eq(err, "bench: which bench? (valid: switch, net, ebpf, path, all)");
	ck_assert_int_lt(parse(&c, err, BENCH("router")), 0);
	ck_assert_str_eq(err, "bench: unknown bench \"router\" (valid: switch, net, ebpf, path, all)");
	ck_assert_int_lt(parse(&c, err, BENCH("switch", "--sizes", "63")), 0);
	ck_assert_ptr_nonnull(strstr(err, "bad --sizes \"63\" (allowed: "));
	ck_assert_int_lt(parse(&c, err, BENCH("switch", "--switches", "ovs,vpp")), 0);
	ck_assert_str_eq(err, "bad --switches \"ovs,vpp\" (allowed: a comma-separated list of "
			      "testpmd, ovs, busy, adaptive)");
	ck_assert_int_lt(parse(&c, err, BENCH("switch", "--pairs", "51")), 0);
	ck_assert_str_eq(err, "bad --pairs \"51\" (allowed: 1-50 rounds)");
	ck_assert_int_lt(parse(&c, err, BENCH("switch", "--time", "0")), 0);
	ck_assert_int_lt(parse(&c, err, BENCH("switch", "--numa", "-1")), 0);
	ck_assert_int_lt(parse(&c, err, BENCH("switch", "--instance", "Bench")), 0);
	ck_assert_int_lt(parse(&c, err, BENCH("switch", "--pairs")), 0);
	ck_assert_str_eq(err, "unknown or incomplete option \"--pairs\"");
	ck_assert_int_lt(parse(&c, err, BENCH("switch", "switch")), 0);
	ck_assert_str_eq(err, "unexpected argument \"switch\"");
	ck_assert_int_lt(parse(&c, err, BENCH("switch", "--rings", "split,packed,split")), 0);
	ck_assert_ptr_nonnull(strstr(err, "bad --rings \"split,packed,split\": \"split\" "
					  "(allowed: up to 6 different specs"));
	ck_assert_int_lt(parse(&c, err, BENCH("switch", "--rings", "split,paked")), 0);
	ck_assert_ptr_nonnull(strstr(err, "\"paked\" (allowed: "));
}
END_TEST

START_TEST(test_rings)
{
	struct bench_ring rings[BENCH_MAX_RINGS];
	struct bench_conf c = BENCH_CONF_DEFAULT;
	char bad[80], args[128];

	ck_assert_int_eq(bench_rings_parse("split,packed,packed+no_in_order,q1024,nomrg", rings,
					   BENCH_MAX_RINGS, bad, sizeof(bad)), 5);
	ck_assert_str_eq(rings[2].name, "packed+no_in_order");
	ck_assert(rings[2].ring.packed && !rings[2].ring.in_order);
	ck_assert_uint_eq(rings[3].ring.queue_size, 1024);
	ck_assert(!rings[4].ring.mrg_rxbuf && !rings[4].ring.packed);
	ck_assert_int_eq(bench_rings_parse("a,b,c,d,e,f,g", rings, BENCH_MAX_RINGS, bad,
					   sizeof(bad)), -EINVAL);
	ck_assert_int_eq(bench_rings_parse("q1024,split+q64,q1024", rings, 6, bad, sizeof(bad)),
			 -EINVAL);
	ck_assert_str_eq(bad, "q1024");
	ck_assert_int_eq(bench_rings_parse("split,", rings, 6, bad, sizeof(bad)), -EINVAL);
	ck_assert_int_eq(bench_rings_parse("", rings, 6, bad, sizeof(bad)), -EINVAL);
	ck_assert_int_eq(bench_rings_parse("split,q100", rings, 6, bad, sizeof(bad)), -EINVAL);
	ck_assert_str_eq(bad, "q100");

	/* no --rings: the generator's devargs as before; with: the variant's */
	ck_assert_int_eq(bench_ring_devargs(&c, 0, args, sizeof(args)), 0);
	ck_assert_str_eq(args, "");
	c.n_rings = bench_rings_parse("split,packed+nomrg+q512", c.rings, BENCH_MAX_RINGS, bad,
				      sizeof(bad));
	ck_assert_int_eq(bench_ring_devargs(&c, 0, args, sizeof(args)), 0);
	ck_assert_str_eq(args, ",packed_vq=0,in_order=1,mrg_rxbuf=1");
	ck_assert_int_eq(bench_ring_devargs(&c, 1, args, sizeof(args)), 0);
	ck_assert_str_eq(args, ",packed_vq=1,in_order=1,mrg_rxbuf=0,queue_size=512");
	ck_assert_int_eq(bench_ring_devargs(&c, 2, args, sizeof(args)), -EINVAL);
}
END_TEST

START_TEST(test_sizes_and_switches)
{
	unsigned int bits;
	int s[BENCH_MAX_SIZES];

	ck_assert_int_eq(bench_sizes_parse("64", s, BENCH_MAX_SIZES), 1);
	ck_assert_int_eq(bench_sizes_parse("64,512,1518", s, BENCH_MAX_SIZES), 3);
	ck_assert_int_eq(s[1], 512);
	ck_assert_int_lt(bench_sizes_parse("", s, BENCH_MAX_SIZES), 0);
	ck_assert_int_lt(bench_sizes_parse("64,", s, BENCH_MAX_SIZES), 0);
	ck_assert_int_lt(bench_sizes_parse(",64", s, BENCH_MAX_SIZES), 0);
	ck_assert_int_lt(bench_sizes_parse("64,,128", s, BENCH_MAX_SIZES), 0);
	ck_assert_int_lt(bench_sizes_parse("64,64", s, BENCH_MAX_SIZES), 0);
	ck_assert_int_lt(bench_sizes_parse("1519", s, BENCH_MAX_SIZES), 0);
	ck_assert_int_lt(bench_sizes_parse("64B", s, BENCH_MAX_SIZES), 0);
	ck_assert_int_lt(bench_sizes_parse("-64", s, BENCH_MAX_SIZES), 0);
	ck_assert_int_lt(bench_sizes_parse("64,65,66", s, 2), 0);
	ck_assert_int_eq(bench_switches_parse("adaptive,testpmd", &bits), 0);
	ck_assert_uint_eq(bits, (1u << BENCH_ADAPTIVE) | (1u << BENCH_TESTPMD));
	ck_assert_int_lt(bench_switches_parse("ovs,ovs", &bits), 0);
	ck_assert_int_lt(bench_switches_parse("ovs,", &bits), 0);
	ck_assert_int_lt(bench_switches_parse(",ovs", &bits), 0);
	ck_assert_int_lt(bench_switches_parse("ovs,,busy", &bits), 0);
	ck_assert_int_lt(bench_switches_parse("", &bits), 0);
	ck_assert_int_lt(bench_switches_parse("OVS", &bits), 0);
	ck_assert_str_eq(bench_sw_name(BENCH_BUSY), "busy");
}
END_TEST

/* A reply as DPDK 22.11's testpmd sends it (trimmed). */
static const char stats_reply[] =
	"{\"/ethdev/stats\":{\"ipackets\":19424096,\"opackets\":19425408,\"ibytes\":1165445760,"
	"\"obytes\":1165524480,\"imissed\":0,\"ierrors\":0,\"oerrors\":0,\"rx_nombuf\":0,"
	"\"q_ipackets\":[19424096,0,0,0]}}";

START_TEST(test_ethdev_counts)
{
	json_t *reply = json_loads(stats_reply, 0, NULL);
	uint64_t p, b;

	ck_assert_ptr_nonnull(reply);
	ck_assert_int_eq(bench_ethdev_counts(tb_telemetry_value(reply, "/ethdev/stats,0"), &p, &b),
			 0);
	ck_assert_uint_eq(p, 19424096);
	ck_assert_uint_eq(b, 1165445760);
	ck_assert_ptr_null(tb_telemetry_value(reply, "/ethdev/xstats,0"));
	ck_assert_int_eq(bench_ethdev_counts(NULL, &p, &b), -EINVAL);
	json_decref(reply);
	reply = json_loads("{\"ipackets\": \"12\", \"ibytes\": 3}", 0, NULL);
	ck_assert_int_eq(bench_ethdev_counts(reply, &p, &b), -EINVAL);
	json_decref(reply);
}
END_TEST

START_TEST(test_rates)
{
	/* 60-byte frames as testpmd counts them (no FCS): 64 on the wire */
	struct bench_sample a = {.t = 10.0, .ipackets = {1000, 2000}, .ibytes = {60000, 120000}};
	struct bench_sample b = {.t = 12.0,
				 .ipackets = {1000 + 6000000, 2000 + 4000000},
				 .ibytes = {60000 + 360000000ULL, 120000 + 240000000ULL}};
	struct bench_rate r;
	double ratio[4];
	struct tb_spread s;

	ck_assert_int_eq(bench_rate_of(&a, &b, &r), 0);
	ck_assert_double_eq_tol(r.secs, 2.0, 1e-9);
	ck_assert_double_eq_tol(r.pps[0], 3e6, 1e-3);
	ck_assert_double_eq_tol(r.pps[1], 2e6, 1e-3);
	ck_assert_double_eq_tol(r.pps_total, 5e6, 1e-3);
	ck_assert_double_eq_tol(r.frame_bytes, 64.0, 1e-9);
	ck_assert_double_eq_tol(bench_gbps(64, 5e6), 2.56, 1e-9);
	ck_assert_double_eq_tol(bench_gbps(1518, 1e6), 12.144, 1e-9);
	/* one frame in flight each way, 1 Mpps per direction: 1 us per trip, 2 us round trip */
	ck_assert_double_eq_tol(bench_rtt_us(1e6), 2.0, 1e-9);
	ck_assert_double_eq_tol(bench_rtt_us(0), -1, 1e-9);
	ck_assert_double_eq_tol(bench_cpu_pct(50, 10.0, 100), 5.0, 1e-9);
	ck_assert_double_eq_tol(bench_cpu_pct(50, 0, 100), -1, 1e-9);
	/* counters that went back (a restarted generator) or no time between the samples */
	ck_assert_int_eq(bench_rate_of(&b, &a, &r), -EINVAL);
	ck_assert_int_eq(bench_rate_of(&a, &a, &r), -EINVAL);
	/* ratios per round, rounds where either side failed (0) left out */
	s = bench_ratios((double[]){2, 3, 0, 4}, (double[]){1, 2, 1, 1}, 4, ratio);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_double_eq_tol(s.median, 2.0, 1e-9);
	ck_assert_double_eq_tol(s.min, 1.5, 1e-9);
	ck_assert_double_eq_tol(s.max, 4.0, 1e-9);
	s = bench_ratios((double[]){1}, (double[]){0}, 1, ratio);
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

/* A stand-in for a DPDK process's telemetry socket: greeting, then one reply. */
struct fake_tel {
	int lfd;
	const char *greeting, *reply;
	char got[256];
};

static void *
fake_tel_serve(void *arg)
{
	struct fake_tel *f = arg;
	int fd = accept(f->lfd, NULL, NULL);
	ssize_t n;

	if (fd < 0)
		return NULL;
	send(fd, f->greeting, strlen(f->greeting), 0);
	n = recv(fd, f->got, sizeof(f->got) - 1, 0);
	f->got[n > 0 ? n : 0] = '\0';
	if (f->reply != NULL)
		send(fd, f->reply, strlen(f->reply), 0);
	close(fd);
	return NULL;
}

static int
fake_tel_query(const char *greeting, const char *reply, json_t **out, char *err, char *got)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct fake_tel f = {.greeting = greeting, .reply = reply};
	char dir[] = "/tmp/tb-test-tel.XXXXXX";
	pthread_t th;
	int ret;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/dpdk_telemetry.v2", dir);
	f.lfd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	ck_assert_int_ge(f.lfd, 0);
	ck_assert_int_eq(bind(f.lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(f.lfd, 1), 0);
	pthread_create(&th, NULL, fake_tel_serve, &f);
	ret = tb_telemetry_query(sa.sun_path, "/ethdev/stats,1", out, err, 256);
	pthread_join(th, NULL);
	close(f.lfd);
	unlink(sa.sun_path);
	rmdir(dir);
	if (got != NULL)
		strcpy(got, f.got);
	return ret;
}

START_TEST(test_ovs_cycles)
{
	/* pmd-stats-show of OVS 3.1, as the bench keeps it (raw/ovs/r1-switch-stats.txt) */
	static const char text[] =
		"pmd thread numa_id 0 core_id 1:\n"
		"  packets received: 17557797\n"
		"  idle cycles: 39227736792 (54.92%)\n"
		"  processing cycles: 32203402525 (45.08%)\n"
		"  avg cycles per packet: 4068.34 (71431139317/17557797)\n"
		"  avg processing cycles per packet: 1834.14 (32203402525/17557797)\n"
		"pmd thread numa_id 0 core_id 2:\n"
		"  processing cycles: 1000 (1.00%)\n"
		"main thread:\n"
		"  packets received: 0\n";
	double c;

	ck_assert_int_eq(tp_ovs_processing_cycles(text, &c), 0);
	ck_assert_double_eq(c, 32203402525.0 + 1000.0);
	ck_assert_int_eq(tp_ovs_processing_cycles("main thread:\n  packets received: 0\n", &c),
			 -EINVAL);
}
END_TEST

START_TEST(test_telemetry_client)
{
	char err[256], got[256], path[128];
	json_t *reply = NULL;
	uint64_t p, b;

	ck_assert_int_eq(fake_tel_query("{\"version\":\"DPDK 22.11.11\",\"pid\":1,"
					"\"max_output_len\":16384}",
					stats_reply, &reply, err, got),
			 0);
	ck_assert_str_eq(got, "/ethdev/stats,1");
	ck_assert_int_eq(bench_ethdev_counts(tb_telemetry_value(reply, "/ethdev/stats,1"), &p, &b),
			 0);
	ck_assert_uint_eq(p, 19424096);
	json_decref(reply);
	/* a reply that is not JSON */
	ck_assert_int_eq(fake_tel_query("{\"max_output_len\":16384}", "oops", &reply, err, NULL),
			 -EPROTO);
	ck_assert_ptr_null(reply);
	ck_assert_ptr_nonnull(strstr(err, "reply is not a JSON object"));
	/* the process closed the connection without answering */
	ck_assert_int_eq(fake_tel_query("{\"max_output_len\":16384}", NULL, &reply, err, NULL),
			 -ECONNRESET);
	/* nobody there */
	ck_assert_int_eq(tb_telemetry_query("/nonexistent/dpdk_telemetry.v2", "/", &reply, err,
					    sizeof(err)),
			 -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "telemetry /nonexistent/dpdk_telemetry.v2: connect:"));
	ck_assert_int_eq(tb_telemetry_path(path, sizeof(path), "tb-bench-gen"), 0);
	ck_assert_str_eq(path, "/var/run/dpdk/tb-bench-gen/dpdk_telemetry.v2");
}
END_TEST

#define ck_assert_has(text, needle)                                                                \
	ck_assert_msg(strstr(text, needle) != NULL, "missing \"%s\"", needle)

/* A bench switch run as bench_summarise leaves it: three rounds, testpmd without cycles. */
static json_t *
switch_run(struct bench_run *r, struct bench_conf *c, struct up_ctx *u)
{
	int s, i, k;

	*c = (struct bench_conf)BENCH_CONF_DEFAULT;
	c->pairs = 3;
	memset(u, 0, sizeof(*u));
	memset(r, 0, sizeof(*r));
	r->conf = c;
	r->u = u;
	r->gen_cpu = 2;
	r->sw_cpu = 3;
	/* the fields of bench_results_new that the report reads (it also runs version probes) */
	r->results = json_pack("{s:i, s:s, s:s, s:s, s:{s:s}, s:{s:s}, s:{s:i, s:i, s:i, s:i}, "
			       "s:{s:i, s:i, s:i, s:i, s:b}, s:[]}",
			       "schema", 1, "kind", "bench_switch", "run_id",
			       "20260101-000000-switch",
			       "started", "2026-01-01T00:00:00Z", "host", "kernel", "6.1",
			       "versions", "dpdk", "22.11", "params", "pairs", c->pairs, "time_s",
			       c->time_s, "idle_s", BENCH_IDLE_S, "pingpong_frame",
			       BENCH_PINGPONG_FRAME, "placement", "node", 0, "generator_cpu",
			       r->gen_cpu, "housekeeping_cpu", r->gen_cpu, "switch_cpu", r->sw_cpu,
			       "oversubscribed", 0, "sessions");
	ck_assert_ptr_nonnull(r->results);
	for (s = 0; s < BENCH_N_SW; s++) {
		for (i = 0; i < c->n_sizes; i++)
			for (k = 0; k < c->pairs; k++) {
				r->mpps[s][i][k] = s == BENCH_TESTPMD && k == 1
							   ? 0
							   : 1.0 + s * 0.37 + i * 0.11 + k * 0.013;
				r->cpp[s][i][k] = s == BENCH_TESTPMD ? 0 : 100 + s * 7 + k;
			}
		for (k = 0; k < c->pairs; k++)
			r->rtt_us[s][k] = 10 + s + k * 0.5;
		r->idle_pct[s] = s == BENCH_ADAPTIVE ? 1.25 : 99.5;
	}
	/* two ring variants: the second 10% faster at every size, RTT 0.9x, per round */
	c->n_rings = bench_rings_parse("split,packed", c->rings, BENCH_MAX_RINGS, NULL, 0);
	for (s = 0; s < BENCH_N_SW; s++) {
		for (i = 0; i < c->n_sizes; i++)
			for (k = 0; k < c->pairs; k++) {
				r->ring_mpps[s][0][i][k] = r->mpps[s][i][k];
				r->ring_mpps[s][1][i][k] = r->mpps[s][i][k] * (1.1 + 0.01 * k);
			}
		for (k = 0; k < c->pairs; k++) {
			r->ring_rtt_us[s][0][k] = r->rtt_us[s][k];
			r->ring_rtt_us[s][1][k] = r->rtt_us[s][k] * 0.9;
		}
	}
	r->idle_ovs_sleep_pct = 3.3;
	r->gen_cpu_min = 80;
	r->n_failed = 1;
	bench_summarise(r);
	return r->results;
}

static char *
read_in(const char *dir, const char *name)
{
	char path[4200], *text = NULL;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_msg(tb_read_file(path, &text, NULL) == 0, "cannot read %s", path);
	unlink(path);
	return text;
}

/* What bench switch writes at the end of a run, report RUN renders again from results.json. */
/* A target whose value was not measured says so, not "NOT met". */
START_TEST(test_unmeasured_target)
{
	json_t *res = json_pack("{s:s, s:[], s:[], s:[{s:s, s:f, s:{s:s, s:f, s:n}}], s:[]}",
				"kind", "bench_switch", "throughput", "latency", "idle_cpu",
				"switch", "adaptive", "cpu_pct", -1.0, "target", "op", "<",
				"value", 2.0, "met", "ratios");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_int_eq(rp_switch_text(f, res), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text, "target < 2: not measured"));
	ck_assert_ptr_null(strstr(text, "NOT met"));
	free(text);
	json_decref(res);
}
END_TEST

START_TEST(test_switch_report_rerenders)
{
	static const char *const files[] = {"report.md", "summary.txt", "results.csv"};
	char dir[] = "/tmp/tb-unit-bench-switch-XXXXXX", err[512] = "", *first[3], *again;
	struct bench_conf c;
	struct bench_run r;
	struct up_ctx u;
	json_t *back;
	int i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	switch_run(&r, &c, &u);
	snprintf(r.dir, sizeof(r.dir), "%s", dir);
	ck_assert_int_eq(bench_write(&r), 0);
	for (i = 0; i < 3; i++)
		first[i] = read_in(dir, files[i]);
	ck_assert_has(first[1], "bench switch, node 0: generator + housekeeping on cpu 2, switch "
				"on cpu 3; 3 round(s), 3 s per point\n");
	ck_assert_has(first[1], "\nping-pong, 64 B, one frame in flight each way");
	ck_assert_has(first[1], "\nidle CPU (generator connected, no traffic, 10 s)");
	ck_assert_has(first[1], "adaptive                    1.2   target < 2: met\n");
	ck_assert_has(first[1], "busy/ovs Mpps        64 B  1.27 [1.27-1.27]          >= 1.50: "
				"NOT met\n");
	ck_assert_has(first[1], "only 80% of cpu 2 in some intervals");
	ck_assert_has(first[1], "\n1 session(s) failed: see results.json\n");
	ck_assert_has(first[2], "switch,frame,metric,median,min,max,n\n"
				"testpmd,64,mpps,1.013000,1.000000,1.026000,2\n");
	ck_assert_has(first[2], "\nadaptive,64,rtt_us,13.500000,13.000000,14.000000,3\n");
	ck_assert_has(first[1], "\nRING VARIANTS (ratio: variant/split, per round, median "
				"[min-max])\n");
	ck_assert_has(first[1], "\nadaptive  packed                   64 B  2.357 [2.321-2.392]"
				"       1.11 [1.10-1.12]");
	ck_assert_has(first[1], "\nbusy      packed                         11.25 [10.80-11.70]"
				"       0.90 [0.90-0.90]");
	ck_assert_has(first[0], "# bench switch: 20260101-000000-switch\n");
	ck_assert_has(first[0], first[1]);

	/* report RUN: results.json read back, the kind table picks the renderer */
	ck_assert_msg(res_load(dir, &back, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(rp_write_report(dir, back, NULL, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(rp_write_switch_results(dir, back), 0);
	for (i = 0; i < 3; i++) {
		again = read_in(dir, files[i]);
		ck_assert_msg(strcmp(first[i], again) == 0, "%s differs once re-rendered",
			      files[i]);
		free(again);
		free(first[i]);
	}
	json_decref(back);

	/* a run that did not finish has no table yet: results.json only, and report says why */
	json_object_del(r.results, "throughput");
	ck_assert_int_eq(bench_write(&r), 0);
	ck_assert_int_eq(rp_write_report(dir, r.results, NULL, err, sizeof(err)), -ENODATA);
	ck_assert_ptr_nonnull(strstr(err, "the run was not summarised"));
	json_object_set_new(r.results, "kind", json_string("bench-net"));
	ck_assert_int_eq(rp_write_switch_report(dir, r.results, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "not the results of `bench switch` (kind \"bench_switch\")");
	json_decref(r.results);
	tb_rm_tree(dir);
}
END_TEST

static Suite *
bench_suite(void)
{
	Suite *s = suite_create("bench");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_options);
	tcase_add_test(tc, test_bad_input);
	tcase_add_test(tc, test_sizes_and_switches);
	tcase_add_test(tc, test_rings);
	tcase_add_test(tc, test_ethdev_counts);
	tcase_add_test(tc, test_rates);
	tcase_add_test(tc, test_ovs_cycles);
	tcase_add_test(tc, test_telemetry_client);
	tcase_add_test(tc, test_switch_report_rerenders);
	tcase_add_test(tc, test_unmeasured_target);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(bench_suite)
