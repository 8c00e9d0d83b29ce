/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench switch`: its results.json and report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "log.h"
#include "report.h"
#include "results.h"
#include "run-info.h"

enum metric { M_MPPS, M_RTT, M_IDLE, M_CPP };

/* A ratio num/den of one metric, per round; a target where the project set one. */
struct ratio_def {
	enum bench_sw num, den;
	enum metric m;
	const char *op; /* ">=", "<=", "<" or NULL */
	double target;
	int target_frame; /* throughput targets hold at this frame size only */
};

static const struct ratio_def ratio_defs[] = {
	{BENCH_BUSY, BENCH_TESTPMD, M_MPPS, ">=", 0.85, 64},
	{BENCH_BUSY, BENCH_OVS, M_MPPS, ">=", 1.5, 64},
	{BENCH_ADAPTIVE, BENCH_BUSY, M_MPPS, NULL, 0, 0},
	{BENCH_ADAPTIVE, BENCH_BUSY, M_RTT, "<=", 1.5, 0},
	{BENCH_BUSY, BENCH_OVS, M_RTT, NULL, 0, 0},
	/* cycles the switch spends per packet: independent of how fast the generator is */
	{BENCH_OVS, BENCH_BUSY, M_CPP, NULL, 0, 0},
	{BENCH_TESTPMD, BENCH_BUSY, M_CPP, NULL, 0, 0},
};

static const char *
metric_name(enum metric m)
{
	return m == M_MPPS ? "mpps" : m == M_CPP ? "cycles_per_packet" : "rtt_us";
}
#define ADAPTIVE_IDLE_MAX_PCT 2.0

static bool
used(const struct bench_run *r, enum bench_sw s)
{
	return (r->conf->switches & (1u << s)) != 0;
}

static json_t *
spread_json(struct tb_spread s)
{
	return json_pack("{s:f, s:f, s:f, s:i}", "median", s.median, "min", s.min, "max", s.max, "n",
			 (int)s.n);
}

static bool
met(const char *op, double v, double target)
{
	if (strcmp(op, ">=") == 0)
		return v >= target;
	if (strcmp(op, "<=") == 0)
		return v <= target;
	return v < target;
}

static struct tb_spread
values(const double *v, int n)
{
	double pos[BENCH_MAX_PAIRS];
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (v[i] > 0)
			pos[k++] = v[i];
	return tb_spread_of(pos, k);
}

/*
 * num/den per round as {metric, spread: median [min-max], per_round[, frame]} (frame only
 * when above 0); *n_out the rounds that gave a ratio.
 */
static json_t *
ratio_obj(const struct bench_run *r, const double *num, const double *den, const char *metric,
	  int frame, size_t *n_out)
{
	double ratio[BENCH_MAX_PAIRS];
	struct tb_spread sp = bench_ratios(num, den, r->conf->pairs, ratio);
	json_t *rounds = json_array(), *o;
	size_t i;

	for (i = 0; i < sp.n; i++)
		json_array_append_new(rounds, json_real(ratio[i]));
	o = json_pack("{s:s, s:o, s:o}", "metric", metric, "spread", spread_json(sp), "per_round",
		      rounds);
	if (frame > 0)
		json_object_set_new(o, "frame", json_integer(frame));
	*n_out = sp.n;
	return o;
}

static void
add_ratio(const struct bench_run *r, const struct ratio_def *d, int size_idx, json_t *out)
{
	const double *num, *den;
	json_t *o;
	char name[64];
	size_t n;

	num = d->m == M_MPPS ? r->mpps[d->num][size_idx]
	      : d->m == M_CPP ? r->cpp[d->num][size_idx] : r->rtt_us[d->num];
	den = d->m == M_MPPS ? r->mpps[d->den][size_idx]
	      : d->m == M_CPP ? r->cpp[d->den][size_idx] : r->rtt_us[d->den];
	o = ratio_obj(r, num, den, metric_name(d->m),
		      d->m == M_MPPS || d->m == M_CPP ? r->conf->sizes[size_idx] : 0, &n);
	if (d->m == M_CPP && n == 0) { /* a switch that does not count its cycles */
		json_decref(o);
		return;
	}
	snprintf(name, sizeof(name), "%s/%s", bench_sw_name(d->num), bench_sw_name(d->den));
	json_object_set_new(o, "name", json_string(name));
	if (d->op != NULL && (d->target_frame == 0 || r->conf->sizes[size_idx] == d->target_frame)) {
		double median = json_real_value(
			json_object_get(json_object_get(o, "spread"), "median"));

		json_object_set_new(o, "target",
				    json_pack("{s:s, s:f, s:o}", "op", d->op, "value", d->target,
					      "met", n > 0 ? json_boolean(met(d->op, median,
									      d->target))
							   : json_null()));
	}
	json_array_append_new(out, o);
}

/* variant/first of one metric of one switch, per round, as median [min-max] */
static json_t *
ring_ratio(const struct bench_run *r, int s, int v, const double *num, const double *den,
	   const char *metric, int frame)
{
	size_t n;
	json_t *o = ratio_obj(r, num, den, metric, frame, &n);

	json_object_set_new(o, "switch", json_string(bench_sw_name(s)));
	json_object_set_new(o, "ring", json_string(r->conf->rings[v].name));
	json_object_set_new(o, "base", json_string(r->conf->rings[0].name));
	return o;
}

/* --rings: every variant's rates and RTT, and its ratio to the first variant per round. */
static json_t *
rings_summary(const struct bench_run *r)
{
	const struct bench_conf *c = r->conf;
	json_t *tp = json_array(), *lat = json_array(), *ratios = json_array();
	json_t *names = json_array();
	int s, v, i;

	for (v = 0; v < c->n_rings; v++)
		json_array_append_new(names, json_string(c->rings[v].name));
	for (s = 0; s < BENCH_N_SW; s++) {
		if (!used(r, s))
			continue;
		for (v = 0; v < c->n_rings; v++) {
			const char *sw = bench_sw_name(s), *name = c->rings[v].name;
			const double(*mpps)[BENCH_MAX_PAIRS] = r->ring_mpps[s][v];

			json_t *o;

			for (i = 0; i < c->n_sizes; i++) {
				o = json_pack("{s:s, s:s, s:i, s:o}", "switch", sw, "ring", name,
					      "frame", c->sizes[i], "mpps",
					      spread_json(values(mpps[i], c->pairs)));
				json_array_append_new(tp, o);
			}
			o = json_pack("{s:s, s:s, s:o}", "switch", sw, "ring", name, "rtt_us",
				      spread_json(values(r->ring_rtt_us[s][v], c->pairs)));
			json_array_append_new(lat, o);
			if (v == 0)
				continue;
			for (i = 0; i < c->n_sizes; i++)
				json_array_append_new(ratios,
						      ring_ratio(r, s, v, mpps[i],
								 r->ring_mpps[s][0][i], "mpps",
								 c->sizes[i]));
			json_array_append_new(ratios,
					      ring_ratio(r, s, v, r->ring_rtt_us[s][v],
							 r->ring_rtt_us[s][0], "rtt_us", 0));
		}
	}
	return json_pack("{s:o, s:o, s:o, s:o}", "variants", names, "throughput", tp, "latency",
			 lat, "ratios", ratios);
}

void
bench_summarise(struct bench_run *r)
{
	const struct bench_conf *c = r->conf;
	json_t *tp = json_array(), *lat = json_array(), *idle = json_array();
	json_t *ratios = json_array();
	char now[32];
	size_t k;
	int s, i;

	for (s = 0; s < BENCH_N_SW; s++) {
		if (!used(r, s))
			continue;
		for (i = 0; i < c->n_sizes; i++) {
			struct tb_spread m = values(r->mpps[s][i], c->pairs), g = m;
			double f = c->sizes[i] * 8 / 1e3; /* Mpps -> Gb/s */

			if (g.n > 0) {
				g.median *= f;
				g.min *= f;
				g.max *= f;
			}
			json_array_append_new(tp, json_pack("{s:s, s:i, s:o, s:o, s:o}", "switch",
							    bench_sw_name(s), "frame", c->sizes[i],
							    "mpps", spread_json(m), "gbps",
							    spread_json(g), "cycles_per_packet",
							    spread_json(values(r->cpp[s][i],
									       c->pairs))));
		}
		json_array_append_new(lat, json_pack("{s:s, s:i, s:o}", "switch", bench_sw_name(s),
						     "frame", BENCH_PINGPONG_FRAME, "rtt_us",
						     spread_json(values(r->rtt_us[s], c->pairs))));
		json_array_append_new(idle, json_pack("{s:s, s:f}", "switch", bench_sw_name(s),
						      "cpu_pct", r->idle_pct[s]));
		if (s == BENCH_ADAPTIVE)
			json_object_set_new(json_array_get(idle, json_array_size(idle) - 1), "target",
					    json_pack("{s:s, s:f, s:o}", "op", "<", "value",
						      ADAPTIVE_IDLE_MAX_PCT, "met",
						      r->idle_pct[s] < 0
							      ? json_null()
							      : json_boolean(r->idle_pct[s] <
									     ADAPTIVE_IDLE_MAX_PCT)));
		if (s == BENCH_OVS) {
			json_object_set_new(json_array_get(idle, json_array_size(idle) - 1),
					    "pmd_maxsleep_us", json_integer(0));
			json_array_append_new(idle, json_pack("{s:s, s:f, s:i}", "switch", "ovs",
							      "cpu_pct", r->idle_ovs_sleep_pct,
							      "pmd_maxsleep_us",
							      BENCH_OVS_SLEEP_SHARED_US));
		}
	}
	for (k = 0; k < sizeof(ratio_defs) / sizeof(ratio_defs[0]); k++) {
		const struct ratio_def *d = &ratio_defs[k];

		if (!used(r, d->num) || !used(r, d->den))
			continue;
		if (d->m == M_RTT)
			add_ratio(r, d, 0, ratios);
		else
			for (i = 0; i < c->n_sizes; i++)
				add_ratio(r, d, i, ratios);
	}
	json_object_set_new(r->results, "throughput", tp);
	json_object_set_new(r->results, "latency", lat);
	json_object_set_new(r->results, "idle_cpu", idle);
	json_object_set_new(r->results, "ratios", ratios);
	if (c->n_rings > 0)
		json_object_set_new(r->results, "rings", rings_summary(r));
	json_object_set_new(json_object_get(r->results, "host"), "loadavg_end", ri_loadavg());
	json_object_set_new(json_object_get(r->results, "versions"), "dpdk_generator",
			    r->gen_version[0] ? json_string(r->gen_version) : json_null());
	json_object_set_new(r->results, "failed_sessions", json_integer(r->n_failed));
	json_object_set_new(r->results, "generator_cpu_min_pct", json_real(r->gen_cpu_min));
	ri_iso_now(now, sizeof(now));
	json_object_set_new(r->results, "finished", json_string(now));
}

int
bench_write(const struct bench_run *r)
{
	char err[512];
	int ret = rp_write_switch_results(r->dir, r->results);

	/* the report exists once summarised: the same as `report RUN` renders from results.json */
	if (ret < 0 || json_object_get(r->results, "throughput") == NULL)
		return ret;
	ret = rp_write_switch_report(r->dir, r->results, err, sizeof(err));
	if (ret < 0)
		tb_err("%s", err);
	return ret;
}

void
bench_print(const struct bench_run *r)
{
	if (tb_log_json()) {
		json_dumpf(r->results, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		return;
	}
	rp_switch_text(stdout, r->results);
	printf("results: %s\n", r->dir);
}
