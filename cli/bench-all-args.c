/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench all`: its options. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "opts.h"
#include "bench-all.h"
#include "bench-net.h"

const struct cli_opt cli_ball_opts[] = {
	{"numa", 'n', required_argument, "N", "NUMA node to build on (default: the first)", 0},
	{"guests", 'g', required_argument, "K", "guests per backend, 2 or more (default 2)", 0},
	{"profile", 'p', required_argument, "NAME", "guest profile, as up's (default netns)", 0},
	{"tests", 'T', required_argument, "LIST", "bench net's tests (default all)", 0},
	{"time", 't', required_argument, "SEC", "seconds per measurement (default: each bench's)",
	 0},
	{"repeat", 'r', required_argument, "R", "rounds (default: each bench's)", 0},
	{"no-ebpf", 'E', no_argument, NULL, "leave bench ebpf out", 0},
	{"keep", 'k', no_argument, NULL, "leave the instance up afterwards", 0},
	{"out", 'o', required_argument, "DIR", "where the run directory goes (default results)", 0},
	{"instance", 'i', required_argument, "NAME", "the instance: one that is up is measured as "
	 "it is, else made and removed (default bench)", 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

static int
own_opt(int o, const char *arg, void *conf, char *err, size_t errlen)
{
	struct ball_conf *c = conf;

	switch (o) {
	case 'g':
		if (parse_int(arg, 2, UP_MAX_GUESTS, &c->guests) < 0) {
			snprintf(err, errlen, "bad --guests \"%s\" (allowed: 2-%d per backend: a pair)",
				 arg, UP_MAX_GUESTS);
			return -EINVAL;
		}
		return 0;
	case 'p':
		c->profile = arg;
		return 0;
	case 'T': {
		unsigned int bits;

		if (bnet_tests_parse(arg, &bits) < 0) {
			snprintf(err, errlen,
				 "bad --tests \"%s\" (allowed: a comma-separated list of "
				 "throughput, pps, latency, rr, or all)",
				 arg);
			return -EINVAL;
		}
		c->tests = arg;
		return 0;
	}
	case 'E':
		c->ebpf = false;
		return 0;
	case 'k':
		c->keep = true;
		return 0;
	}
	return 1;
}

int
ball_parse_args(int argc, char **argv, struct ball_conf *c, char *err, size_t errlen)
{
	struct bench_opts bo = {
		.instance = c->instance,
		.instance_len = sizeof(c->instance),
		.numa = &c->numa,
		.time_s = &c->time_s,
		.repeat = &c->repeat,
		.out = &c->out,
	};

	return parse_bench_argv(argc, argv, cli_ball_opts, "all", &bo, own_opt, c, err, errlen);
}
