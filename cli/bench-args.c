/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "bench.h"

int
bench_parse_args(int argc, char **argv, struct bench_conf *c, char *err, size_t errlen)
{
	static const struct option opts[] = {
		{"numa", required_argument, NULL, 'n'},
		{"sizes", required_argument, NULL, 's'},
		{"pairs", required_argument, NULL, 'p'},
		{"time", required_argument, NULL, 't'},
		{"switches", required_argument, NULL, 'w'},
		{"out", required_argument, NULL, 'o'},
		{"instance", required_argument, NULL, 'i'},
		{NULL, 0, NULL, 0},
	};
	const char *what = NULL;
	const struct bench_opts bo = {
		.what = &what,
		.instance = c->instance,
		.instance_len = sizeof(c->instance),
		.numa = &c->numa,
		.time_s = &c->time_s,
		.out = &c->out,
	};
	int o, n, ret;

	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "-", opts, NULL)) != -1) {
		switch (o) {
		case 's':
			n = bench_sizes_parse(optarg, c->sizes, BENCH_MAX_SIZES);
			if (n < 0) {
				snprintf(err, errlen,
					 "bad --sizes \"%s\" (allowed: up to %d different frame sizes in "
					 "bytes, %d-%d, comma-separated, e.g. 64,512,1518)",
					 optarg, BENCH_MAX_SIZES, BENCH_MIN_FRAME, BENCH_MAX_FRAME);
				return -EINVAL;
			}
			c->n_sizes = n;
			break;
		case 'p':
			if (parse_int(optarg, 1, BENCH_MAX_PAIRS, &c->pairs) < 0) {
				snprintf(err, errlen, "bad --pairs \"%s\" (allowed: 1-%d rounds)", optarg,
					 BENCH_MAX_PAIRS);
				return -EINVAL;
			}
			break;
		case 'w':
			if (bench_switches_parse(optarg, &c->switches) < 0) {
				snprintf(err, errlen,
					 "bad --switches \"%s\" (allowed: a comma-separated list of "
					 "testpmd, ovs, busy, adaptive)",
					 optarg);
				return -EINVAL;
			}
			c->switches_given = true;
			break;
		default:
			ret = parse_bench_opt(o, optarg, &bo, err, errlen);
			if (ret == 0)
				return bad_option(argc, argv, err, errlen);
			if (ret < 0)
				return ret;
		}
	}
	return check_bench_name(what, "switch", err, errlen);
}
