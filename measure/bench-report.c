/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "log.h"
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
#define GEN_CPU_FULL_PCT 90.0

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

static void
add_ratio(const struct bench_run *r, const struct ratio_def *d, int size_idx, json_t *out)
{
	const int n = r->conf->pairs;
	const double *num, *den;
	double ratio[BENCH_MAX_PAIRS];
	struct tb_spread s;
	json_t *o, *rounds = json_array();
	char name[64];
	size_t i;

	num = d->m == M_MPPS ? r->mpps[d->num][size_idx]
	      : d->m == M_CPP ? r->cpp[d->num][size_idx] : r->rtt_us[d->num];
	den = d->m == M_MPPS ? r->mpps[d->den][size_idx]
	      : d->m == M_CPP ? r->cpp[d->den][size_idx] : r->rtt_us[d->den];
	s = bench_ratios(num, den, n, ratio);
	if (d->m == M_CPP && s.n == 0) { /* a switch that does not count its cycles */
		json_decref(rounds);
		return;
	}
	for (i = 0; i < s.n; i++)
		json_array_append_new(rounds, json_real(ratio[i]));
	snprintf(name, sizeof(name), "%s/%s", bench_sw_name(d->num), bench_sw_name(d->den));
	o = json_pack("{s:s, s:s, s:o, s:o}", "name", name, "metric", metric_name(d->m), "spread",
		      spread_json(s), "per_round", rounds);
	if (d->m == M_MPPS || d->m == M_CPP)
		json_object_set_new(o, "frame", json_integer(r->conf->sizes[size_idx]));
	if (d->op != NULL && (d->target_frame == 0 || r->conf->sizes[size_idx] == d->target_frame))
		json_object_set_new(o, "target",
				    json_pack("{s:s, s:f, s:o}", "op", d->op, "value", d->target,
					      "met", s.n > 0 ? json_boolean(met(d->op, s.median,
										d->target))
							     : json_null()));
	json_array_append_new(out, o);
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
	json_object_set_new(json_object_get(r->results, "host"), "loadavg_end", ri_loadavg());
	json_object_set_new(json_object_get(r->results, "versions"), "dpdk_generator",
			    r->gen_version[0] ? json_string(r->gen_version) : json_null());
	json_object_set_new(r->results, "failed_sessions", json_integer(r->n_failed));
	json_object_set_new(r->results, "generator_cpu_min_pct", json_real(r->gen_cpu_min));
	ri_iso_now(now, sizeof(now));
	json_object_set_new(r->results, "finished", json_string(now));
}

static void
print_spread(FILE *f, json_t *s, const char *fmt)
{
	char a[32], b[32], c[32];

	if (json_integer_value(json_object_get(s, "n")) == 0) {
		fprintf(f, "%-24s", "-");
		return;
	}
	snprintf(a, sizeof(a), fmt, json_real_value(json_object_get(s, "median")));
	snprintf(b, sizeof(b), fmt, json_real_value(json_object_get(s, "min")));
	snprintf(c, sizeof(c), fmt, json_real_value(json_object_get(s, "max")));
	fprintf(f, "%s [%s-%s]%*s", a, b, c, (int)(22 - strlen(a) - strlen(b) - strlen(c)), "");
}

static void
text(const struct bench_run *r, FILE *f)
{
	json_t *res = r->results, *o, *t;
	size_t i;

	fprintf(f,
		"bench switch, node %d: generator + housekeeping on cpu %d, switch on cpu %d; "
		"%d round(s), %d s per point\n",
		r->u->conf.numa, r->gen_cpu, r->sw_cpu, r->conf->pairs, r->conf->time_s);
	fprintf(f, "frames include the 4-byte FCS; Mpps = both directions through the switch; "
		   "median [min-max] over rounds\n\n");
	fprintf(f, "%-9s %6s  %-24s %-24s %s\n", "SWITCH", "FRAME", "Mpps", "Gb/s",
		"switch cycles/packet");
	json_array_foreach(json_object_get(res, "throughput"), i, o) {
		json_t *cpp = json_object_get(o, "cycles_per_packet");

		fprintf(f, "%-9s %4d B  ", json_string_value(json_object_get(o, "switch")),
			(int)json_integer_value(json_object_get(o, "frame")));
		print_spread(f, json_object_get(o, "mpps"), "%.3f");
		print_spread(f, json_object_get(o, "gbps"), "%.2f");
		if (json_integer_value(json_object_get(cpp, "n")) > 0)
			print_spread(f, cpp, "%.0f");
		else
			fprintf(f, "-");
		fputc('\n', f);
	}
	fprintf(f, "(cycles/packet: the switch's cycles in polls that moved packets, per packet: "
		   "testbed-pmd busy_cycles, OVS PMD processing cycles; testpmd does not say)\n");
	fprintf(f, "\nping-pong, %d B, one frame in flight each way; RTT = 2 / (pps per direction)\n",
		BENCH_PINGPONG_FRAME);
	json_array_foreach(json_object_get(res, "latency"), i, o) {
		fprintf(f, "%-9s RTT us  ", json_string_value(json_object_get(o, "switch")));
		print_spread(f, json_object_get(o, "rtt_us"), "%.2f");
		fputc('\n', f);
	}
	fprintf(f, "\nidle CPU (generator connected, no traffic, %d s), %% of one core\n",
		BENCH_IDLE_S);
	json_array_foreach(json_object_get(res, "idle_cpu"), i, o) {
		json_t *ms = json_object_get(o, "pmd_maxsleep_us");
		char what[48];

		snprintf(what, sizeof(what), "%s%s", json_string_value(json_object_get(o, "switch")),
			 ms == NULL ? "" : json_integer_value(ms) ? " (pmd-maxsleep 100)"
								  : " (pmd-maxsleep 0)");
		if (json_real_value(json_object_get(o, "cpu_pct")) < 0)
			fprintf(f, "%-24s %6s", what, "-");
		else
			fprintf(f, "%-24s %6.1f", what, json_real_value(json_object_get(o, "cpu_pct")));
		t = json_object_get(o, "target");
		if (t != NULL)
			fprintf(f, "   target < %.0f: %s", json_real_value(json_object_get(t, "value")),
				json_is_true(json_object_get(t, "met")) ? "met" : "NOT met");
		fputc('\n', f);
	}
	fprintf(f, "\n%-18s %6s  %-24s %s\n", "RATIO", "FRAME", "median [min-max]", "TARGET");
	json_array_foreach(json_object_get(res, "ratios"), i, o) {
		char name[64], frame[16] = "";

		const char *m = json_string_value(json_object_get(o, "metric"));

		snprintf(name, sizeof(name), "%s %s", json_string_value(json_object_get(o, "name")),
			 strcmp(m, "mpps") == 0 ? "Mpps" : strcmp(m, "rtt_us") == 0 ? "RTT" : "cyc/pkt");
		if (json_object_get(o, "frame") != NULL)
			snprintf(frame, sizeof(frame), "%d B",
				 (int)json_integer_value(json_object_get(o, "frame")));
		fprintf(f, "%-18s %6s  ", name, frame);
		print_spread(f, json_object_get(o, "spread"), "%.2f");
		t = json_object_get(o, "target");
		if (t != NULL)
			fprintf(f, "%s %.2f: %s", json_string_value(json_object_get(t, "op")),
				json_real_value(json_object_get(t, "value")),
				json_is_true(json_object_get(t, "met"))	   ? "met"
				: json_is_false(json_object_get(t, "met")) ? "NOT met"
									   : "not measured");
		fputc('\n', f);
	}
	if (r->gen_cpu_min >= 0 && r->gen_cpu_min < GEN_CPU_FULL_PCT)
		fprintf(f,
			"\nwarning: the generator had only %.0f%% of cpu %d in some intervals (it polls: "
			"other processes ran there), so rates are low and ratios unreliable; see each "
			"point's cpu_pct in results.json\n",
			r->gen_cpu_min, r->gen_cpu);
	if (r->n_failed > 0)
		fprintf(f, "\n%d session(s) failed: see results.json\n", r->n_failed);
}

static char *
csv(const struct bench_run *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_t *o, *s;
	size_t i;

	if (f == NULL)
		return NULL;
	fprintf(f, "switch,frame,metric,median,min,max,n\n");
	json_array_foreach(json_object_get(r->results, "throughput"), i, o) {
		static const char *const m[] = {"mpps", "gbps", "cycles_per_packet"};
		int k;

		for (k = 0; k < 3; k++) {
			s = json_object_get(o, m[k]);
			fprintf(f, "%s,%d,%s,%.6f,%.6f,%.6f,%d\n",
				json_string_value(json_object_get(o, "switch")),
				(int)json_integer_value(json_object_get(o, "frame")), m[k],
				json_real_value(json_object_get(s, "median")),
				json_real_value(json_object_get(s, "min")),
				json_real_value(json_object_get(s, "max")),
				(int)json_integer_value(json_object_get(s, "n")));
		}
	}
	json_array_foreach(json_object_get(r->results, "latency"), i, o) {
		s = json_object_get(o, "rtt_us");
		fprintf(f, "%s,%d,rtt_us,%.6f,%.6f,%.6f,%d\n",
			json_string_value(json_object_get(o, "switch")), BENCH_PINGPONG_FRAME,
			json_real_value(json_object_get(s, "median")),
			json_real_value(json_object_get(s, "min")),
			json_real_value(json_object_get(s, "max")),
			(int)json_integer_value(json_object_get(s, "n")));
	}
	fclose(f);
	return buf;
}

int
bench_write(const struct bench_run *r)
{
	char *json = json_dumps(r->results, JSON_INDENT(2)), *c = NULL, *t = NULL;
	size_t len = 0;
	FILE *f;
	int ret = json != NULL ? res_write_text(r->dir, "results.json", json) : -ENOMEM;

	/* the tables exist once summarised */
	if (ret == 0 && json_object_get(r->results, "throughput") != NULL) {
		c = csv(r);
		f = open_memstream(&t, &len);
		if (f != NULL) {
			text(r, f);
			fclose(f);
		}
		ret = c != NULL && t != NULL ? res_write_text(r->dir, "results.csv", c) : -ENOMEM;
		if (ret == 0)
			ret = res_write_text(r->dir, "summary.txt", t);
	}
	free(json);
	free(c);
	free(t);
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
	text(r, stdout);
	printf("results: %s\n", r->dir);
}
