/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench net`: its options (the cases, command lines and metrics are measure/bench-net-cases.c). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "opts.h"
#include "backend.h"
#include "bench-net.h"

const struct cli_opt cli_bnet_opts[] = {
	{"instance", 'i', required_argument, "NAME", "the instance to measure, up (default main)", 0},
	{"backends", 'b', required_argument, "LIST", "comma-separated backends (default: every "
	 "backend that is up)", 0},
	{"tests", 'T', required_argument, "throughput,pps,latency,rr|all", "what to measure "
	 "(default all)", 0},
	{"time", 't', required_argument, "SEC", "seconds per measurement, 1-600 (default 5)", 0},
	{"repeat", 'r', required_argument, "R", "rounds, 1-50 (default 1)", 0},
	{"out", 'o', required_argument, "DIR", "where the run directory goes (default results)", 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

static int
own_opt(int o, const char *arg, void *conf, char *err, size_t errlen)
{
	struct bnet_conf *c = conf;

	switch (o) {
	case 'b':
		return tb_backend_parse_list(arg, &c->backends, err, errlen);
	case 'T':
		if (bnet_tests_parse(arg, &c->tests) < 0) {
			snprintf(err, errlen,
				 "bad --tests \"%s\" (allowed: a comma-separated list of "
				 "throughput, pps, latency, rr, or all)",
				 arg);
			return -EINVAL;
		}
		return 0;
	}
	return 1;
}

int
bnet_parse_args(int argc, char **argv, struct bnet_conf *c, char *err, size_t errlen)
{
	struct bench_opts bo = {
		.instance = c->instance,
		.instance_len = sizeof(c->instance),
		.time_s = &c->time_s,
		.repeat = &c->repeat,
		.out = &c->out,
	};

	return parse_bench_argv(argc, argv, cli_bnet_opts, "net", &bo, own_opt, c, err, errlen);
}
