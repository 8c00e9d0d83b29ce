/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench ebpf`: its options and the ratio arithmetic of the deltas (no I/O here). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "opts.h"
#include "bench-ebpf.h"
#include "stats.h"

int
bebpf_variants_parse(const char *s, unsigned int *bits)
{
	char buf[256], *tok, *save = NULL;
	unsigned int b = 0;
	enum bh_mode m;

	if (s == NULL || snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return -EINVAL;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "all") == 0) {
			b |= BEBPF_ALL_VARIANTS;
			continue;
		}
		if (bh_mode_parse(tok, &m) < 0)
			return -EINVAL;
		b |= 1u << m;
	}
	if (b == 0)
		return -EINVAL;
	/* the baseline of every delta */
	*bits = b | (1u << BH_NONE);
	return 0;
}

const struct cli_opt cli_bebpf_opts[] = {
	{"instance", 'i', required_argument, "NAME", "the instance to measure, up with bridge "
	 "guests (default main)", 0},
	{"variants", 'v', required_argument, "none,tc,xdp-generic,xdp-driver|all",
	 "the programs to attach; none, the baseline, always runs (default all)", 0},
	{"time", 't', required_argument, "SEC", "seconds per measurement, 1-600 (default 5)", 0},
	{"repeat", 'r', required_argument, "R", "rounds, 1-50 (default 5)", 0},
	{"out", 'o', required_argument, "DIR", "where the run directory goes (default results)", 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

int
bebpf_parse_args(int argc, char **argv, struct bebpf_conf *c, char *err, size_t errlen)
{
	struct option opts[CLI_OPTS_MAX];
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

	cli_opts_getopt(cli_bebpf_opts, opts);
	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "-", opts, NULL)) != -1) {
		switch (o) {
		case 'v':
			if (bebpf_variants_parse(optarg, &c->variants) < 0) {
				snprintf(
					err, errlen,
					"bad --variants \"%s\" (allowed: a comma-separated list of "
					"none, tc, xdp-generic, xdp-driver, or all; none, the "
					"baseline, is always measured)",
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
	if (cli_bench_check(what, "ebpf", err, errlen) < 0)
		return -EINVAL;
	return 0;
}

/* ---- deltas ---- */

int
bebpf_ratio_of(const double *v, const double *base, size_t n, struct bebpf_ratio *r)
{
	double *q = malloc((n ? n : 1) * sizeof(*q));
	struct tb_spread s;
	size_t i, k = 0;

	memset(r, 0, sizeof(*r));
	if (q == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (base[i] > 0 && v[i] >= 0)
			q[k++] = v[i] / base[i];
	if (k == 0) {
		free(q);
		return -ENODATA;
	}
	s = tb_spread_of(q, k);
	free(q);
	r->median = s.median;
	r->min = s.min;
	r->max = s.max;
	r->n = k;
	return 0;
}

double
bebpf_pct(double ratio)
{
	return (ratio - 1) * 100;
}

/* The metric of the ok repeat of round `round` in point p; -1 when there is none. */
static double
round_value(json_t *p, int round, const char *key)
{
	json_t *rj;
	size_t i;

	json_array_foreach(json_object_get(p, "repeats"), i, rj) {
		json_t *v = json_object_get(rj, key);

		if (json_integer_value(json_object_get(rj, "round")) == round &&
		    strcmp(json_string_value(json_object_get(rj, "status")) ?: "", "ok") == 0 &&
		    json_is_number(v))
			return json_number_value(v);
	}
	return -1;
}

void
bebpf_point_delta(json_t *point, json_t *base)
{
	json_t *reps = json_object_get(point, "repeats"), *delta = json_object(), *mt, *rj;
	size_t n_reps = json_array_size(reps), i, m;
	double *v = calloc(n_reps ? n_reps : 1, sizeof(*v));
	double *b = calloc(n_reps ? n_reps : 1, sizeof(*b));

	json_object_del(point, "delta");
	if (v == NULL || b == NULL || base == NULL) {
		free(v);
		free(b);
		json_decref(delta);
		return;
	}
	json_array_foreach(json_object_get(point, "metrics"), m, mt) {
		const char *key = json_string_value(json_object_get(mt, "key"));
		struct bebpf_ratio r;
		size_t n = 0;

		if (key == NULL)
			continue;
		json_array_foreach(reps, i, rj) {
			int round = (int)json_integer_value(json_object_get(rj, "round"));
			size_t j;

			/* each round once, even if the point held it twice */
			for (j = 0; j < i; j++)
				if (json_integer_value(json_object_get(json_array_get(reps, j),
								       "round")) == round)
					break;
			if (j < i)
				continue;
			v[n] = round_value(point, round, key);
			b[n] = round_value(base, round, key);
			if (v[n] >= 0 && b[n] > 0)
				n++;
		}
		if (bebpf_ratio_of(v, b, n, &r) < 0)
			continue;
		json_object_set_new(delta, key,
				    json_pack("{s:f, s:f, s:f, s:i}", "median_pct",
					      bebpf_pct(r.median), "min_pct", bebpf_pct(r.min),
					      "max_pct", bebpf_pct(r.max), "n", (int)r.n));
	}
	if (json_object_size(delta) > 0)
		json_object_set_new(point, "delta", delta);
	else
		json_decref(delta);
	free(v);
	free(b);
}
