/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench net`: its options (the cases, command lines and metrics are measure/bench-net-cases.c). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "backend.h"
#include "bench-net.h"

int
bnet_parse_args(int argc, char **argv, struct bnet_conf *c, char *err, size_t errlen)
{
	static const struct option opts[] = {
		{"instance", required_argument, NULL, 'i'},
		{"backends", required_argument, NULL, 'b'},
		{"tests", required_argument, NULL, 'T'},
		{"time", required_argument, NULL, 't'},
		{"repeat", required_argument, NULL, 'r'},
		{"out", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *what = NULL;
	int o;

	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "-", opts, NULL)) != -1) {
		switch (o) {
		case 1: /* the positional benchmark, wherever it stands */
			if (what != NULL) {
				snprintf(err, errlen, "unexpected argument \"%s\"", optarg);
				return -EINVAL;
			}
			what = optarg;
			break;
		case 'i':
			if (set_instance(optarg, c->instance, sizeof(c->instance), err, errlen) < 0)
				return -EINVAL;
			break;
		case 'b':
			if (tb_backend_parse_list(optarg, &c->backends, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'T':
			if (bnet_tests_parse(optarg, &c->tests) < 0) {
				snprintf(err, errlen,
					 "bad --tests \"%s\" (allowed: a comma-separated list of "
					 "throughput, pps, latency, rr, or all)",
					 optarg);
				return -EINVAL;
			}
			break;
		case 't':
			if (parse_bench_time(optarg, &c->time_s, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'r':
			if (parse_bench_repeat(optarg, &c->repeat, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'o':
			if (parse_out_dir(optarg, &c->out, err, errlen) < 0)
				return -EINVAL;
			break;
		default:
			return bad_option(argc, argv, err, errlen);
		}
	}
	if (what == NULL || strcmp(what, "net") != 0) {
		snprintf(err, errlen, "unknown benchmark \"%s\" (valid: switch, net)", what ?: "");
		return -EINVAL;
	}
	return 0;
}
