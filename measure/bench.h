/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench switch`: ours against testpmd io, A/B interleaved. */
#ifndef TB_BENCH_H
#define TB_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "names.h"
#include "pmd/ring-spec.h"
#include "stats.h"
#include "up.h"

/*
 * `bench switch`: vhost-user to vhost-user forwarding of several switches, one at a
 * time, between the two virtio-user ports of one dpdk-testpmd generator (loopback:
 * gen port0 -> switch -> gen port1 -> gen port0 ...).
 */
enum bench_sw {
	BENCH_TESTPMD,  /* dpdk-testpmd io forwarding: no lookup, the vhost-to-vhost limit */
	BENCH_OVS,      /* OVS-DPDK as `up` configures it, NORMAL action */
	BENCH_BUSY,     /* testbed-pmd switch --idle busy */
	BENCH_ADAPTIVE, /* testbed-pmd switch --idle adaptive */
	BENCH_N_SW
};

#define BENCH_MAX_SIZES 8
#define BENCH_MAX_RINGS 6 /* --rings variants */
#define BENCH_MAX_PAIRS 50
#define BENCH_MIN_FRAME 64
#define BENCH_MAX_FRAME 1518 /* mbufs hold 2 KB: no jumbo frames */
#define BENCH_FCS 4          /* frame sizes count the FCS, which testpmd's txpkts does not */
#define BENCH_PINGPONG_FRAME 64
#define BENCH_WARMUP_S 1
#define BENCH_IDLE_S 10
/* idle CPU is measured for each switch; OVS twice: polling and at `up`'s shared-core sleep */
#define BENCH_OVS_SLEEP_SHARED_US 100

/*
 * A ring variant of the generator's virtio-user ports (--rings): its spec as given (the
 * name in results) and what it asks; the switch's vhost side takes what the guest asks.
 */
struct bench_ring {
	char name[PMD_RING_SPEC_MAX + 1];
	struct pmd_ring ring;
};

struct bench_conf {
	int numa; /* -1: the first node */
	int sizes[BENCH_MAX_SIZES];
	int n_sizes;
	int pairs; /* rounds of every switch in turn */
	int time_s;
	unsigned int switches; /* bit per enum bench_sw */
	bool switches_given;
	/* 0: no --rings, the generator's ports as virtio-user makes them by default */
	struct bench_ring rings[BENCH_MAX_RINGS];
	int n_rings;
	const char *out;
	char instance[TB_INSTANCE_MAX + 1];
};

#define BENCH_CONF_DEFAULT                                                                         \
	{                                                                                          \
		.numa = -1, .sizes = {64, 512, 1518}, .n_sizes = 3, .pairs = 5, .time_s = 3,       \
		.switches = (1u << BENCH_N_SW) - 1, .out = "results", .instance = "bench",         \
	}

const char *bench_sw_name(enum bench_sw s);

/* --- pure arithmetic (bench-calc.c) --- */

/* The generator's rx counters of both ports at one instant (CLOCK_MONOTONIC seconds). */
struct bench_sample {
	double t;
	uint64_t ipackets[2], ibytes[2];
};

struct bench_rate {
	double secs;
	double pps[2];     /* rx per port = forwarded per direction */
	double pps_total;  /* both directions: what the switch forwarded */
	double frame_bytes; /* average frame on the wire incl. FCS, to check the size sent */
	double cycles_per_packet; /* the switch's busy cycles per packet; 0: unknown */
};

/* ipackets/ibytes of a /ethdev/stats reply's value; -EINVAL when absent. */
int bench_ethdev_counts(json_t *stats, uint64_t *ipackets, uint64_t *ibytes);
/* Rates between two samples; -EINVAL when b is not later or counters went back. */
int bench_rate_of(const struct bench_sample *a, const struct bench_sample *b,
		  struct bench_rate *r);
/* Gb/s of frames of `size` bytes (FCS included, no preamble/IFG) at pps. */
double bench_gbps(int frame, double pps);
/* Ping-pong: one packet in flight per direction, each rx is one trip through the
 * switch, so a round trip (there and back) takes 2 / pps_per_direction. */
double bench_rtt_us(double pps_per_direction);
/* CPU use in % of one core from a utime+stime delta over secs. */
double bench_cpu_pct(unsigned long long jiffies, double secs, long hz);
/* Per round num[i]/den[i] (where both > 0) into ratio[]; their spread. */
struct tb_spread bench_ratios(const double *num, const double *den, size_t n, double *ratio);
/* Sizes "64,512,1518": each BENCH_MIN_FRAME..BENCH_MAX_FRAME, no repeats, at most max. */
int bench_sizes_parse(const char *s, int *sizes, int max);
/* "testpmd,ovs,busy,adaptive" -> bits; -EINVAL naming nothing. */
int bench_switches_parse(const char *s, unsigned int *bits);
/*
 * --rings "split,packed,packed+no_in_order,q1024": each a spec of pmd/ring-spec.h, at most
 * max, none twice (as written); returns how many, or -EINVAL with the bad one in bad.
 */
int bench_rings_parse(const char *s, struct bench_ring *rings, int max, char *bad, size_t len);
/* The generator port's virtio_user arguments beyond path/server/queues/mac: "" without
 * --rings (n_rings 0). */
int bench_ring_devargs(const struct bench_conf *c, int v, char *buf, size_t len);

/* --- the run (bench-gen.c, bench-switch.c, bench-run.c, bench-report.c) --- */

#define BENCH_GEN_MEM_MB 256
#define BENCH_SW_MEM_MB 256
#define BENCH_OVS_MEM_MB 1024 /* `up`'s default --switch-mem */

/* The generator: dpdk-testpmd -i with two virtio-user server ports, driven on its stdin. */
struct bench_gen {
	pid_t pid;
	unsigned long long start;
	int in_fd;
	char prefix[64];
	char tel[300]; /* its telemetry socket */
};

/* One switch under test; pid is what forwards (testpmd, ovs-vswitchd, testbed-pmd). */
struct bench_sw_proc {
	enum bench_sw kind;
	pid_t pid;
	unsigned long long start;
	int in_fd; /* testpmd's stdin: it exits at EOF, so it is kept open */
	char prefix[64];
	char tel[300];
};

struct bench_run {
	const struct bench_conf *conf;
	struct up_ctx *u;
	char dir[4096]; /* results/<run-id> */
	int gen_cpu, sw_cpu;
	int n_nodes;
	char pmd[512];
	char sock[2][300];
	char ovs_dir[300], bridge[32], ready[300];
	json_t *results;
	int ring_cur; /* the variant of the session under way */
	/* per ring variant (--rings; variant 0 is also what mpps/rtt_us/cpp hold) */
	double ring_mpps[BENCH_N_SW][BENCH_MAX_RINGS][BENCH_MAX_SIZES][BENCH_MAX_PAIRS];
	double ring_rtt_us[BENCH_N_SW][BENCH_MAX_RINGS][BENCH_MAX_PAIRS];
	/* what the summary is made of: 0 where not measured */
	double mpps[BENCH_N_SW][BENCH_MAX_SIZES][BENCH_MAX_PAIRS];
	double rtt_us[BENCH_N_SW][BENCH_MAX_PAIRS];
	/* the switch's busy cycles per forwarded packet (0: the switch does not say) */
	double cpp[BENCH_N_SW][BENCH_MAX_SIZES][BENCH_MAX_PAIRS];
	double idle_pct[BENCH_N_SW];
	double idle_ovs_sleep_pct; /* OVS at pmd-maxsleep BENCH_OVS_SLEEP_SHARED_US */
	double gen_cpu_min; /* least CPU the generator had in a measured interval, % */
	char gen_version[64];
	int n_failed;
};

/* Sleeps secs in slices; false when a stop signal came. */
bool bench_nap(double secs);

int bench_gen_start(struct bench_run *r, const char *log, struct bench_gen *g, char *err,
		    size_t errlen);
/* Until both ports are up (the switch connected both sockets) or timeout_ms passed. */
int bench_gen_wait_links(struct bench_gen *g, const struct bench_sw_proc *s, int timeout_ms,
			 char *err, size_t errlen);
/* One line of testpmd's command line, e.g. "set txpkts 60". */
int bench_gen_cmd(struct bench_gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int bench_gen_sample(struct bench_gen *g, struct bench_sample *s, char *err, size_t errlen);
/* "quit", then EOF; waits a little for it to exit (the journal undo makes sure). */
void bench_gen_quit(struct bench_gen *g);

int bench_sw_start(struct bench_run *r, enum bench_sw kind, const char *log,
		   struct bench_sw_proc *s, char *err, size_t errlen);
bool bench_sw_alive(const struct bench_sw_proc *s);
/* The switch's own counters, kept as raw/<switch>/r<k>-switch-stats.* */
void bench_sw_dump(struct bench_run *r, const struct bench_sw_proc *s, int round);
/*
 * Cycles the switch spent in polls that moved packets, so far: testbed-pmd's busy_cycles
 * (telemetry), OVS's PMD "processing cycles" (pmd-stats-show); -ENOTSUP for testpmd.
 */
int bench_sw_busy_cycles(struct bench_run *r, const struct bench_sw_proc *s, double *cycles);
/* After the journal undo stopped it: OVS's logs into raw/, its database dir away. */
void bench_sw_after(struct bench_run *r, const struct bench_sw_proc *s, int round);
int bench_ovs_maxsleep(struct bench_run *r, int us);

json_t *bench_results_new(struct bench_run *r, const char *run_id);
/* "raw/<switch>/r<round>-<what>", "raw/<switch>/v<variant>-r<round>-<what>" with --rings. */
void bench_raw_rel(const struct bench_run *r, enum bench_sw kind, int round, const char *what,
		   char *buf, size_t len);
/* Every round of every switch; sessions go into results as they finish. */
void bench_run_all(struct bench_run *r);

/* Medians, ratios and targets into results; the table for people. */
void bench_summarise(struct bench_run *r);
void bench_print(const struct bench_run *r);
int bench_write(const struct bench_run *r);

/*
 * The whole `bench switch` conf asks for: checks, a bench instance (r->u) built, every round
 * measured, the instance removed, results written (r->results, r->dir). Says what went wrong
 * itself; -errno when a step failed (r->results may still hold what was measured).
 */
int bench_switch_measure(struct bench_conf *conf, struct bench_run *r);

#endif
