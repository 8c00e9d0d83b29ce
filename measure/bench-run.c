/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench switch`: the interleaved A/B rounds and their raw outputs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "clock.h"
#include "fsutil.h"
#include "log.h"
#include "ovs.h"
#include "results.h"
#include "run-info.h"
#include "runcmd.h"
#include "state.h"
#include "stats.h"
#include "stop.h"
#include "sweep-run.h"
#include "teardown.h"
#include "telemetry.h"

#define LINK_TIMEOUT_MS 60000
#define START_TRIES 5
#define DRAIN_S 0.3
#define SETTLE_S 1.0

/* The variants asked (--rings): name as given, every token, the generator's devargs. */
static json_t *
rings_json(const struct bench_conf *c)
{
	json_t *a = json_array();
	char spec[PMD_RING_SPEC_MAX], args[128];
	int v;

	for (v = 0; v < c->n_rings; v++) {
		pmd_ring_format(&c->rings[v].ring, spec, sizeof(spec));
		bench_ring_devargs(c, v, args, sizeof(args));
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "name", c->rings[v].name,
						   "spec", spec, "generator_devargs", args + 1));
	}
	return a;
}

json_t *
bench_results_new(struct bench_run *r, const char *run_id)
{
	const struct bench_conf *c = r->conf;
	json_t *sizes = json_array(), *sws = json_array(), *res;
	char now[32];
	int i;

	for (i = 0; i < c->n_sizes; i++)
		json_array_append_new(sizes, json_integer(c->sizes[i]));
	for (i = 0; i < BENCH_N_SW; i++)
		if (c->switches & (1u << i))
			json_array_append_new(sws, json_string(bench_sw_name(i)));
	ri_iso_now(now, sizeof(now));
	res = json_pack(
		"{s:i, s:s, s:s, s:s, s:o, s:o, s:{s:o, s:o, s:i, s:i, s:i, s:i, s:i, s:s, s:s}, "
		"s:{s:i, s:i, s:i, s:i, s:b, s:s}, s:[]}",
		"schema", RES_SCHEMA, "kind", "bench_switch", "run_id", run_id, "started", now, "host",
		ri_host_json(), "versions", ri_versions_json(), "params", "sizes", sizes, "switches",
		sws, "pairs", c->pairs, "time_s", c->time_s, "warmup_s", BENCH_WARMUP_S, "idle_s",
		BENCH_IDLE_S, "pingpong_frame", BENCH_PINGPONG_FRAME, "frame_size",
		"bytes on the wire incl. the 4-byte FCS: testpmd txpkts = size - 4", "rate",
		"generator rx of both ports over the interval = what the switch forwarded, both "
		"directions together",
		"placement", "node", r->u->conf.numa, "generator_cpu", r->gen_cpu, "housekeeping_cpu",
		r->gen_cpu, "switch_cpu", r->sw_cpu, "oversubscribed", r->gen_cpu == r->sw_cpu,
		"how",
		"generator (both lcores) on the housekeeping core with the switches' other threads "
		"(OVS dpdk-lcore-mask, testpmd's main lcore); the switch's forwarding lcore or PMD "
		"on the switch core",
		"sessions");
	if (res != NULL && c->n_rings > 0)
		json_object_set_new(json_object_get(res, "params"), "rings", rings_json(c));
	return res;
}

void
bench_raw_rel(const struct bench_run *r, enum bench_sw kind, int round, const char *what,
	      char *buf, size_t len)
{
	if (r->conf->n_rings > 0)
		snprintf(buf, len, "raw/%s/v%d-r%d-%s", bench_sw_name(kind), r->ring_cur, round,
			 what);
	else
		snprintf(buf, len, "raw/%s/r%d-%s", bench_sw_name(kind), round, what);
}

static void
raw_path(const struct bench_run *r, enum bench_sw kind, int round, const char *what, char *buf,
	 size_t len)
{
	char rel[128];

	bench_raw_rel(r, kind, round, what, rel, sizeof(rel));
	snprintf(buf, len, "%s/%s", r->dir, rel);
}

/* What testbed-pmd's vhost ports negotiated with the generator: "packed+in_order+mrg+q256". */
static json_t *
ring_negotiated(const struct bench_sw_proc *s)
{
	json_t *reply = NULL, *v, *p, *out = json_array();
	const char *key;
	char err[256];

	if ((s->kind != BENCH_BUSY && s->kind != BENCH_ADAPTIVE) ||
	    tb_telemetry_query(s->tel, "/testbed/switch/stats", &reply, err, sizeof(err)) < 0)
		return out;
	v = tb_telemetry_value(reply, "/testbed/switch/stats");
	json_object_foreach(v, key, p)
		if (json_is_string(json_object_get(p, "ring")))
			json_array_append(out, json_object_get(p, "ring"));
	json_decref(reply);
	return out;
}

/*
 * Starts a loop of packets: each port sends `first` bursts of `burst` frames, then the
 * generator forwards what comes back (io). testpmd's start flushes its rx queues, so
 * frames of the previous point that were still in the switch are dropped, not counted.
 * A start whose packets do not come back (the switch still setting up) is retried.
 */
static int
traffic_start(struct bench_gen *g, int frame, int burst, int first, char *err, size_t errlen)
{
	struct bench_sample a, b;
	struct bench_rate rate;
	int tries, ret = 0;

	for (tries = 0; tries < START_TRIES; tries++) {
		ret = bench_gen_cmd(g, "stop");
		if (ret == 0 && !bench_nap(DRAIN_S))
			return -EINTR;
		if (ret == 0)
			ret = bench_gen_cmd(g, "set burst %d", burst);
		if (ret == 0)
			ret = bench_gen_cmd(g, "set txpkts %d", frame - BENCH_FCS);
		if (ret == 0)
			ret = bench_gen_cmd(g, "start tx_first %d", first);
		if (ret < 0) {
			snprintf(err, errlen, "generator: command: %s", strerror(-ret));
			return ret;
		}
		if (!bench_nap(0.1))
			return -EINTR;
		ret = bench_gen_sample(g, &a, err, errlen);
		if (ret == 0 && !bench_nap(BENCH_WARMUP_S))
			return -EINTR;
		if (ret == 0)
			ret = bench_gen_sample(g, &b, err, errlen);
		if (ret < 0)
			return ret;
		if (bench_rate_of(&a, &b, &rate) == 0 && rate.pps[0] > 0 && rate.pps[1] > 0)
			return 0;
	}
	snprintf(err, errlen, "no %d-byte frames came back through the switch (%d starts)", frame,
		 START_TRIES);
	return -EIO;
}

/* One measured interval after warm-up; the point's JSON or NULL with err. */
static json_t *
measure(struct bench_run *r, struct bench_gen *g, const struct bench_sw_proc *s, int frame,
	int burst, int first, struct bench_rate *rate, char *err, size_t errlen)
{
	unsigned long long gj = 0, sj = 0;
	struct bench_sample s0, s1;
	double pct, c0 = 0, c1 = 0;
	bool cycles;
	json_t *pt;
	int ret;

	ret = traffic_start(g, frame, burst, first, err, errlen);
	if (ret == 0) {
		gj = ri_proc_jiffies(g->pid);
		sj = ri_proc_jiffies(s->pid);
		cycles = bench_sw_busy_cycles(r, s, &c0) == 0;
		ret = bench_gen_sample(g, &s0, err, errlen);
	}
	if (ret == 0 && !bench_nap(r->conf->time_s))
		ret = -EINTR;
	if (ret == 0) {
		ret = bench_gen_sample(g, &s1, err, errlen);
		gj = ri_proc_jiffies(g->pid) - gj;
		sj = ri_proc_jiffies(s->pid) - sj;
		cycles = cycles && bench_sw_busy_cycles(r, s, &c1) == 0;
	}
	bench_gen_cmd(g, "stop");
	if (ret == 0 && bench_rate_of(&s0, &s1, rate) < 0) {
		snprintf(err, errlen, "generator counters went backwards");
		ret = -EIO;
	}
	if (ret < 0) {
		if (ret == -EINTR)
			snprintf(err, errlen, "stopped");
		return NULL;
	}
	if (rate->frame_bytes < frame - 0.5 || rate->frame_bytes > frame + 0.5)
		tb_warn("%d-byte point: frames came back at %.1f bytes on average", frame,
			rate->frame_bytes);
	pt = json_pack("{s:i, s:f, s:[f, f], s:f, s:f, s:f, s:[I, I], s:[I, I]}", "frame", frame,
			 "interval_s", rate->secs, "pps", rate->pps[0], rate->pps[1], "mpps",
			 rate->pps_total / 1e6, "gbps", bench_gbps(frame, rate->pps_total),
			 "frame_bytes_seen", rate->frame_bytes, "rx_packets",
			 (json_int_t)(s1.ipackets[0] - s0.ipackets[0]),
			 (json_int_t)(s1.ipackets[1] - s0.ipackets[1]), "rx_bytes",
			 (json_int_t)(s1.ibytes[0] - s0.ibytes[0]),
			 (json_int_t)(s1.ibytes[1] - s0.ibytes[1]));
	/* the switch's own cost per packet does not depend on how fast the generator is */
	rate->cycles_per_packet = 0;
	if (cycles && c1 > c0 && rate->pps_total > 0) {
		rate->cycles_per_packet = (c1 - c0) / (rate->pps_total * rate->secs);
		json_object_set_new(pt, "switch_cycles_per_packet",
				    json_real(rate->cycles_per_packet));
	}
	/* the generator polls: less than a whole core means something else ran on it */
	pct = bench_cpu_pct(gj, rate->secs, sysconf(_SC_CLK_TCK));
	if (r->gen_cpu_min < 0 || pct < r->gen_cpu_min)
		r->gen_cpu_min = pct;
	json_object_set_new(pt, "cpu_pct",
			    json_pack("{s:f, s:f}", "generator", pct, "switch",
				      bench_cpu_pct(sj, rate->secs, sysconf(_SC_CLK_TCK))));
	return pt;
}

#define IDLE_SAMPLES 5

/*
 * CPU of the switch with the generator connected but silent: the median of IDLE_SAMPLES
 * windows over BENCH_IDLE_S (one busy moment of another process does not make the figure);
 * the windows' own values go to samples when given.
 */
static double
idle_cpu(const struct bench_sw_proc *s, json_t *samples)
{
	double v[IDLE_SAMPLES], win = (double)BENCH_IDLE_S / IDLE_SAMPLES;
	unsigned long long j0, j1;
	long hz = sysconf(_SC_CLK_TCK);
	int i;

	for (i = 0; i < IDLE_SAMPLES; i++) {
		j0 = ri_proc_jiffies(s->pid);
		if (!bench_nap(win))
			return -1;
		j1 = ri_proc_jiffies(s->pid);
		if (!bench_sw_alive(s) || j1 < j0)
			return -1;
		v[i] = bench_cpu_pct(j1 - j0, win, hz);
		if (samples != NULL)
			json_array_append_new(samples, json_real(v[i]));
	}
	return tb_spread_of(v, IDLE_SAMPLES).median;
}

static void
measure_idle(struct bench_run *r, const struct bench_sw_proc *s, json_t *ses)
{
	json_t *idle = json_array(), *samples;
	double pct;

	if (!bench_nap(SETTLE_S))
		return;
	samples = json_array();
	pct = idle_cpu(s, samples);
	r->idle_pct[s->kind] = pct;
	json_array_append_new(idle, json_pack("{s:f, s:o}", "cpu_pct", pct, "samples", samples));
	if (s->kind == BENCH_OVS)
		json_object_set_new(json_array_get(idle, 0), "pmd_maxsleep_us", json_integer(0));
	if (s->kind == BENCH_OVS && pct >= 0) {
		if (bench_ovs_maxsleep(r, BENCH_OVS_SLEEP_SHARED_US) == 0 && bench_nap(SETTLE_S)) {
			samples = json_array();
			pct = idle_cpu(s, samples);
			r->idle_ovs_sleep_pct = pct;
			json_array_append_new(idle, json_pack("{s:f, s:i, s:o}", "cpu_pct", pct,
							      "pmd_maxsleep_us",
							      BENCH_OVS_SLEEP_SHARED_US, "samples",
							      samples));
		}
		if (bench_ovs_maxsleep(r, 0) < 0)
			tb_warn("ovs: could not set pmd-maxsleep back to 0");
	}
	if (r->idle_pct[s->kind] >= 0)
		tb_info("  idle CPU of %s: %.1f%% of a core%s", bench_sw_name(s->kind),
			r->idle_pct[s->kind], s->kind == BENCH_OVS ? " (pmd-maxsleep 0)" : "");
	if (s->kind == BENCH_OVS && r->idle_ovs_sleep_pct >= 0)
		tb_info("  idle CPU of ovs: %.1f%% of a core (pmd-maxsleep %d)", r->idle_ovs_sleep_pct,
			BENCH_OVS_SLEEP_SHARED_US);
	json_object_set_new(ses, "idle_cpu", idle);
}

static double
cpu_of(json_t *pt, const char *who)
{
	return json_real_value(json_object_get(json_object_get(pt, "cpu_pct"), who));
}

/* Throughput at each size, then ping-pong; each fills its place in r. */
static int
points(struct bench_run *r, struct bench_gen *g, const struct bench_sw_proc *s, int round,
       json_t *ses, char *err, size_t errlen)
{
	const struct bench_conf *c = r->conf;
	struct bench_rate rate;
	json_t *pt;
	int i;

	for (i = 0; i < c->n_sizes; i++) {
		pt = measure(r, g, s, c->sizes[i], 32, 32, &rate, err, errlen);
		if (pt == NULL)
			return -EIO;
		r->ring_mpps[s->kind][r->ring_cur][i][round - 1] = rate.pps_total / 1e6;
		if (r->ring_cur == 0) {
			r->mpps[s->kind][i][round - 1] = rate.pps_total / 1e6;
			r->cpp[s->kind][i][round - 1] = rate.cycles_per_packet;
		}
		json_array_append_new(json_object_get(ses, "points"), pt);
		char cpp[48] = "";

		if (rate.cycles_per_packet > 0)
			snprintf(cpp, sizeof(cpp), ", %.0f cycles/packet", rate.cycles_per_packet);
		tb_info("  %-8s %4d B  %7.3f Mpps  %6.2f Gb/s  (cpu: generator %.0f%%, switch %.0f%%%s)",
			bench_sw_name(s->kind), c->sizes[i], rate.pps_total / 1e6,
			bench_gbps(c->sizes[i], rate.pps_total), cpu_of(pt, "generator"),
			cpu_of(pt, "switch"), cpp);
	}
	/* one frame in flight each way */
	pt = measure(r, g, s, BENCH_PINGPONG_FRAME, 1, 1, &rate, err, errlen);
	if (pt == NULL)
		return -EIO;
	r->ring_rtt_us[s->kind][r->ring_cur][round - 1] =
		bench_rtt_us((rate.pps[0] + rate.pps[1]) / 2);
	if (r->ring_cur == 0)
		r->rtt_us[s->kind][round - 1] = r->ring_rtt_us[s->kind][0][round - 1];
	json_object_set_new(pt, "rtt_us",
			    json_real(r->ring_rtt_us[s->kind][r->ring_cur][round - 1]));
	json_object_set_new(ses, "pingpong", pt);
	tb_info("  %-8s ping-pong RTT %.2f us", bench_sw_name(s->kind),
		r->ring_rtt_us[s->kind][r->ring_cur][round - 1]);
	return 0;
}

/* What the generator says it is: DPDK's version as the running process reports it. */
static void
gen_version(struct bench_run *r, struct bench_gen *g)
{
	json_t *reply;
	const char *v;
	char err[256];

	if (!tb_path_exists(g->tel) || tb_telemetry_query(g->tel, "/info", &reply, err,
							  sizeof(err)) < 0)
		return;
	v = json_string_value(json_object_get(tb_telemetry_value(reply, "/info"), "version"));
	snprintf(r->gen_version, sizeof(r->gen_version), "%s", v != NULL ? v : "");
	json_decref(reply);
}

/* One switch, one round: generator + switch up, measured, both stopped again. */
static json_t *
session(struct bench_run *r, enum bench_sw kind, int round)
{
	json_t *objs = json_object_get(r->u->st, "objects");
	size_t mark = json_array_size(objs);
	char gen_log[4400], sw_log[4400], sw_dir[4200], err[1024] = "";
	struct bench_gen g = {.in_fd = -1};
	struct bench_sw_proc s = {.in_fd = -1, .kind = kind};
	json_t *ses;
	double t0;
	int ret;

	raw_path(r, kind, round, "generator.log", gen_log, sizeof(gen_log));
	raw_path(r, kind, round, "switch.log", sw_log, sizeof(sw_log));
	ses = json_pack("{s:s, s:i, s:s, s:[]}", "switch", bench_sw_name(kind), "round", round,
			"status", "ok", "points");
	if (r->conf->n_rings > 0)
		json_object_set_new(ses, "ring", json_string(r->conf->rings[r->ring_cur].name));
	snprintf(sw_dir, sizeof(sw_dir), "%s/raw/%s", r->dir, bench_sw_name(kind));
	tb_mkdir_p(sw_dir, 0755);
	tb_info("round %d/%d: %s%s%s", round, r->conf->pairs, bench_sw_name(kind),
		r->conf->n_rings > 0 ? ", ring " : "",
		r->conf->n_rings > 0 ? r->conf->rings[r->ring_cur].name : "");
	t0 = tb_now_s();
	ret = bench_gen_start(r, gen_log, &g, err, sizeof(err));
	if (ret == 0)
		ret = bench_sw_start(r, kind, sw_log, &s, err, sizeof(err));
	if (ret == 0)
		ret = bench_gen_wait_links(&g, &s, LINK_TIMEOUT_MS, err, sizeof(err));
	/* from the generator's start: its EAL init, the switch's start, both connections */
	if (ret == 0)
		json_object_set_new(ses, "connect_s", json_real(tb_now_s() - t0));
	json_object_set_new(ses, "switch_pid", json_integer(s.pid));
	if (ret == 0 && r->conf->n_rings > 0)
		json_object_set_new(ses, "ring_negotiated", ring_negotiated(&s));
	if (ret == 0 && round == 1 && r->ring_cur == 0)
		measure_idle(r, &s, ses);
	if (ret == 0 && !tb_stop_signal())
		ret = points(r, &g, &s, round, ses, err, sizeof(err));
	if (tb_stop_signal() && ret == 0)
		ret = -EINTR;
	if (s.pid > 0)
		bench_sw_dump(r, &s, round);
	if (r->gen_version[0] == '\0')
		gen_version(r, &g);
	bench_gen_quit(&g);
	td_undo_from(r->u->st, mark); /* the switch, the generator, their hugepage files */
	if (s.in_fd >= 0)
		close(s.in_fd);
	bench_sw_after(r, &s, round);
	if (ret < 0) {
		if (ret == -EINTR && err[0] == '\0')
			snprintf(err, sizeof(err), "stopped");
		json_object_set_new(ses, "status", json_string("failed"));
		json_object_set_new(ses, "error", json_string(err));
		r->n_failed++;
		tb_err("round %d, %s: %s (logs in %s/raw/%s)", round, bench_sw_name(kind), err, r->dir,
		       bench_sw_name(kind));
	}
	return ses;
}

/*
 * ABAB: every round runs each switch, and each ring variant of it, in turn, so drift in host
 * load touches all alike.
 */
void
bench_run_all(struct bench_run *r)
{
	json_t *sessions = json_object_get(r->results, "sessions");
	int n_var = r->conf->n_rings > 0 ? r->conf->n_rings : 1;
	int round, k, v;

	for (round = 1; round <= r->conf->pairs && !tb_stop_signal(); round++) {
		for (k = 0; k < BENCH_N_SW && !tb_stop_signal(); k++) {
			if (!(r->conf->switches & (1u << k)))
				continue;
			for (v = 0; v < n_var && !tb_stop_signal(); v++) {
				r->ring_cur = v;
				json_array_append_new(sessions, session(r, k, round));
				bench_write(r); /* measured is on disk whatever happens next */
			}
		}
	}
	r->ring_cur = 0;
}
