/* SPDX-License-Identifier: BSD-3-Clause */
/* The report of `bench switch` (results "kind": "bench_switch"): summary.txt, report.md, CSV. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-common.h"
#include "report.h"
#include "results.h"

/* Below this share of its core the generator was not alone there: rates are unreliable. */
#define GEN_CPU_FULL_PCT 90.0

static bool
is_switch(json_t *results)
{
	return strcmp(json_string_value(json_object_get(results, "kind")) ?: "", "bench_switch") ==
	       0;
}

static int
int_of(json_t *o, const char *key)
{
	return (int)json_integer_value(json_object_get(o, key));
}

static const char *
str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
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
text_throughput(FILE *f, json_t *res)
{
	json_t *params = json_object_get(res, "params"), *pl = json_object_get(res, "placement");
	json_t *o;
	size_t i;

	fprintf(f,
		"bench switch, node %d: generator + housekeeping on cpu %d, switch on cpu %d; "
		"%d round(s), %d s per point\n",
		int_of(pl, "node"), int_of(pl, "generator_cpu"), int_of(pl, "switch_cpu"),
		int_of(params, "pairs"), int_of(params, "time_s"));
	fprintf(f, "frames include the 4-byte FCS; Mpps = both directions through the switch; "
		   "median [min-max] over rounds\n\n");
	fprintf(f, "%-9s %6s  %-24s %-24s %s\n", "SWITCH", "FRAME", "Mpps", "Gb/s",
		"switch cycles/packet");
	json_array_foreach(json_object_get(res, "throughput"), i, o) {
		json_t *cpp = json_object_get(o, "cycles_per_packet");

		fprintf(f, "%-9s %4d B  ", str(o, "switch"), int_of(o, "frame"));
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
}

static void
text_latency_idle(FILE *f, json_t *res)
{
	json_t *params = json_object_get(res, "params"), *o, *t;
	size_t i;

	fprintf(f,
		"\nping-pong, %d B, one frame in flight each way; RTT = 2 / (pps per direction)\n",
		int_of(params, "pingpong_frame"));
	json_array_foreach(json_object_get(res, "latency"), i, o) {
		fprintf(f, "%-9s RTT us  ", str(o, "switch"));
		print_spread(f, json_object_get(o, "rtt_us"), "%.2f");
		fputc('\n', f);
	}
	fprintf(f, "\nidle CPU (generator connected, no traffic, %d s), %% of one core\n",
		int_of(params, "idle_s"));
	json_array_foreach(json_object_get(res, "idle_cpu"), i, o) {
		json_t *ms = json_object_get(o, "pmd_maxsleep_us");
		double cpu = json_real_value(json_object_get(o, "cpu_pct"));
		char what[48];

		snprintf(what, sizeof(what), "%s%s", str(o, "switch"),
			 ms == NULL ? "" : json_integer_value(ms) ? " (pmd-maxsleep 100)"
								  : " (pmd-maxsleep 0)");
		if (cpu < 0)
			fprintf(f, "%-24s %6s", what, "-");
		else
			fprintf(f, "%-24s %6.1f", what, cpu);
		t = json_object_get(o, "target");
		if (t != NULL)
			fprintf(f, "   target < %.0f: %s",
				json_real_value(json_object_get(t, "value")),
				json_is_true(json_object_get(t, "met"))    ? "met"
				: json_is_false(json_object_get(t, "met")) ? "NOT met"
									   : "not measured");
		fputc('\n', f);
	}
}

static void
text_ratios(FILE *f, json_t *res)
{
	json_t *o, *t;
	size_t i;

	fprintf(f, "\n%-18s %6s  %-24s %s\n", "RATIO", "FRAME", "median [min-max]", "TARGET");
	json_array_foreach(json_object_get(res, "ratios"), i, o) {
		const char *m = str(o, "metric") ?: "";
		char name[64], frame[16] = "";

		snprintf(name, sizeof(name), "%s %s", str(o, "name"),
			 strcmp(m, "mpps") == 0	    ? "Mpps"
			 : strcmp(m, "rtt_us") == 0 ? "RTT"
						    : "cyc/pkt");
		if (json_object_get(o, "frame") != NULL)
			snprintf(frame, sizeof(frame), "%d B", int_of(o, "frame"));
		fprintf(f, "%-18s %6s  ", name, frame);
		print_spread(f, json_object_get(o, "spread"), "%.2f");
		t = json_object_get(o, "target");
		if (t != NULL)
			fprintf(f, "%s %.2f: %s", str(t, "op"),
				json_real_value(json_object_get(t, "value")),
				json_is_true(json_object_get(t, "met"))	   ? "met"
				: json_is_false(json_object_get(t, "met")) ? "NOT met"
									   : "not measured");
		fputc('\n', f);
	}
}

/* The spread of o's "spread" where switch, ring, metric (and frame, 0: none) match. */
static json_t *
ring_ratio_of(json_t *rings, const char *sw, const char *ring, const char *metric, int frame)
{
	json_t *o;
	size_t i;

	json_array_foreach(json_object_get(rings, "ratios"), i, o)
		if (strcmp(str(o, "switch") ?: "", sw) == 0 &&
		    strcmp(str(o, "ring") ?: "", ring) == 0 &&
		    strcmp(str(o, "metric") ?: "", metric) == 0 && int_of(o, "frame") == frame)
			return json_object_get(o, "spread");
	return NULL;
}

/* --rings: each variant's rate and RTT, and its ratio to the first variant (pair ratios). */
static void
text_rings(FILE *f, json_t *res)
{
	json_t *rings = json_object_get(res, "rings"), *o, *sp;
	const char *base = json_string_value(json_array_get(json_object_get(rings, "variants"), 0));
	size_t i;

	if (rings == NULL || base == NULL)
		return;
	fprintf(f, "\nRING VARIANTS (ratio: variant/%s, per round, median [min-max])\n", base);
	fprintf(f, "%-9s %-22s %6s  %-24s %s\n", "SWITCH", "RING", "FRAME", "Mpps", "RATIO");
	json_array_foreach(json_object_get(rings, "throughput"), i, o) {
		int frame = int_of(o, "frame");

		fprintf(f, "%-9s %-22s %4d B  ", str(o, "switch"), str(o, "ring"), frame);
		print_spread(f, json_object_get(o, "mpps"), "%.3f");
		sp = ring_ratio_of(rings, str(o, "switch"), str(o, "ring"), "mpps", frame);
		if (sp != NULL)
			print_spread(f, sp, "%.2f");
		fputc('\n', f);
	}
	fprintf(f, "%-9s %-22s %6s  %-24s %s\n", "SWITCH", "RING", "", "RTT us", "RATIO");
	json_array_foreach(json_object_get(rings, "latency"), i, o) {
		fprintf(f, "%-9s %-22s %6s  ", str(o, "switch"), str(o, "ring"), "");
		print_spread(f, json_object_get(o, "rtt_us"), "%.2f");
		sp = ring_ratio_of(rings, str(o, "switch"), str(o, "ring"), "rtt_us", 0);
		if (sp != NULL)
			print_spread(f, sp, "%.2f");
		fputc('\n', f);
	}
}

int
rp_switch_text(FILE *f, json_t *res)
{
	double gen_min = rp_num(res, "generator_cpu_min_pct");
	int gen_cpu = int_of(json_object_get(res, "placement"), "generator_cpu");
	int failed = int_of(res, "failed_sessions");

	if (!is_switch(res))
		return -EINVAL;
	if (json_object_get(res, "throughput") == NULL)
		return -ENODATA;
	text_throughput(f, res);
	text_latency_idle(f, res);
	text_ratios(f, res);
	text_rings(f, res);
	if (gen_min >= 0 && gen_min < GEN_CPU_FULL_PCT)
		fprintf(f,
			"\nwarning: the generator had only %.0f%% of cpu %d in some intervals (it "
			"polls: other processes ran there), so rates are low and ratios "
			"unreliable; see each point's cpu_pct in results.json\n",
			gen_min, gen_cpu);
	if (failed > 0)
		fprintf(f, "\n%d session(s) failed: see results.json\n", failed);
	return 0;
}

static void
csv_row(FILE *f, json_t *o, int frame, const char *metric, json_t *s)
{
	fprintf(f, "%s,%d,%s,%.6f,%.6f,%.6f,%d\n", str(o, "switch"), frame, metric,
		json_real_value(json_object_get(s, "median")),
		json_real_value(json_object_get(s, "min")),
		json_real_value(json_object_get(s, "max")), int_of(s, "n"));
}

static char *
csv_of(json_t *res)
{
	static const char *const m[] = {"mpps", "gbps", "cycles_per_packet"};
	int pingpong = int_of(json_object_get(res, "params"), "pingpong_frame");
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	json_t *o;
	int k;

	if (f == NULL)
		return NULL;
	fprintf(f, "switch,frame,metric,median,min,max,n\n");
	json_array_foreach(json_object_get(res, "throughput"), i, o)
		for (k = 0; k < 3; k++)
			csv_row(f, o, int_of(o, "frame"), m[k], json_object_get(o, m[k]));
	json_array_foreach(json_object_get(res, "latency"), i, o)
		csv_row(f, o, pingpong, "rtt_us", json_object_get(o, "rtt_us"));
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int
rp_write_switch_results(const char *dir, json_t *results)
{
	char *json, *csv = NULL;
	int ret;

	if (!is_switch(results))
		return -EINVAL;
	json = json_dumps(results, JSON_INDENT(2));
	ret = json != NULL ? res_write_text(dir, "results.json", json) : -ENOMEM;
	/* the table exists once the run is summarised */
	if (ret == 0 && json_object_get(results, "throughput") != NULL) {
		csv = csv_of(results);
		ret = csv != NULL ? res_write_text(dir, "results.csv", csv) : -ENOMEM;
	}
	free(json);
	free(csv);
	return ret;
}

/* The text of rp_switch_text, malloc'd. */
static int
text_of(json_t *results, char **text)
{
	size_t len = 0;
	FILE *f = open_memstream(text, &len);
	int ret;

	*text = NULL;
	if (f == NULL)
		return -ENOMEM;
	ret = rp_switch_text(f, results);
	if (fclose(f) != 0 && ret == 0)
		ret = -ENOMEM;
	if (ret == 0 && *text == NULL)
		ret = -ENOMEM;
	if (ret < 0) {
		free(*text);
		*text = NULL;
	}
	return ret;
}

int
rp_write_switch_report(const char *dir, json_t *results, char *err, size_t errlen)
{
	char *text = NULL, *buf = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int ret;

	ret = text_of(results, &text);
	if (ret == -EINVAL) {
		snprintf(err, errlen, "not the results of `bench switch` (kind \"bench_switch\")");
		return ret;
	}
	if (ret == -ENODATA) {
		snprintf(err, errlen,
			 "%s: the run was not summarised (no \"throughput\"): it did not finish; "
			 "its sessions are in results.json",
			 dir);
		return ret;
	}
	if (ret == 0)
		ret = res_write_text(dir, "summary.txt", text);
	if (ret < 0 && ret != -ENOMEM) {
		snprintf(err, errlen, "%s/summary.txt: %s", dir, strerror(-ret));
		goto out;
	}
	if (ret == 0)
		f = open_memstream(&buf, &len);
	if (ret == 0 && f == NULL)
		ret = -ENOMEM;
	if (ret == 0) {
		fprintf(f, "# bench switch: %s\n\n", str(results, "run_id") ?: "(no run id)");
		rp_md_time(f, results);
		fprintf(f, "\n```\n%s```\n", text);
		rp_md_host(f, results);
		if (fclose(f) != 0 || buf == NULL)
			ret = -ENOMEM;
	}
	if (ret == 0)
		ret = rp_md_commit(dir, buf, len, 0, NULL, err, errlen);
out:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "report of %s: out of memory", dir);
	free(text);
	free(buf);
	return ret;
}
