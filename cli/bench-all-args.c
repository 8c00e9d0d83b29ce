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
	unsigned int bits;
	int o;

	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "-", opts, NULL)) != -1) {
		switch (o) {
		case 1: /* the positional benchmark, wherever it stands */
			if (parse_positional(optarg, &what, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'n':
			if (parse_numa(optarg, &c->numa, err, errlen) < 0)
				return -EINVAL;
			break;
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
		case 't':
			if (parse_bench_time(optarg, &c->time_s, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'r':
			if (parse_bench_repeat(optarg, &c->repeat, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'E':
			c->ebpf = false;
			break;
		case 'k':
			c->keep = true;
			break;
		case 'o':
			if (parse_out_dir(optarg, &c->out, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'i':
			if (set_instance(optarg, c->instance, sizeof(c->instance), err, errlen) < 0)
				return -EINVAL;
			break;
		default:
			return bad_option(argc, argv, err, errlen);
		}
	}
	return check_bench_name(what, "all", err, errlen);
}
