/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "bench-all.h"
#include "bench-net.h"

int
ball_parse_args(int argc, char **argv, struct ball_conf *c, char *err, size_t errlen)
{
	static const struct option opts[] = {
		{"numa", required_argument, NULL, 'n'},
		{"guests", required_argument, NULL, 'g'},
		{"profile", required_argument, NULL, 'p'},
		{"tests", required_argument, NULL, 'T'},
		{"time", required_argument, NULL, 't'},
		{"repeat", required_argument, NULL, 'r'},
		{"no-ebpf", no_argument, NULL, 'E'},
		{"keep", no_argument, NULL, 'k'},
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
		.repeat = &c->repeat,
		.out = &c->out,
	};
	unsigned int bits;
	int o, ret;

	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "-", opts, NULL)) != -1) {
		switch (o) {
		case 'g':
			if (parse_int(optarg, 2, UP_MAX_GUESTS, &c->guests) < 0) {
				snprintf(err, errlen,
					 "bad --guests \"%s\" (allowed: 2-%d per backend: a pair)",
					 optarg, UP_MAX_GUESTS);
				return -EINVAL;
			}
			break;
		case 'p':
			c->profile = optarg;
			break;
		case 'T':
			if (bnet_tests_parse(optarg, &bits) < 0) {
				snprintf(err, errlen,
					 "bad --tests \"%s\" (allowed: a comma-separated list of "
					 "throughput, pps, latency, rr, or all)",
					 optarg);
				return -EINVAL;
			}
			c->tests = optarg;
			break;
		case 'E':
			c->ebpf = false;
			break;
		case 'k':
			c->keep = true;
			break;
		default:
			ret = parse_bench_opt(o, optarg, &bo, err, errlen);
			if (ret == 0)
				return bad_option(argc, argv, err, errlen);
			if (ret < 0)
				return ret;
		}
	}
	return check_bench_name(what, "all", err, errlen);
}
