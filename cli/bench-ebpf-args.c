/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench ebpf`: its options (variants and deltas are measure/bench-ebpf-deltas.c). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "bench-ebpf.h"
#include "commands.h"
#include "opts.h"

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

static int
own_opt(int o, const char *arg, void *conf, char *err, size_t errlen)
{
	struct bebpf_conf *c = conf;

	switch (o) {
	case 'v':
		if (bebpf_variants_parse(arg, &c->variants) < 0) {
			snprintf(err, errlen,
				 "bad --variants \"%s\" (allowed: a comma-separated list of none, tc, "
				 "xdp-generic, xdp-driver, or all; none, the baseline, is always "
				 "measured)",
				 arg);
			return -EINVAL;
		}
		return 0;
	}
	return 1;
}

int
bebpf_parse_args(int argc, char **argv, struct bebpf_conf *c, char *err, size_t errlen)
{
	struct bench_opts bo = {
		.instance = c->instance,
		.instance_len = sizeof(c->instance),
		.time_s = &c->time_s,
		.repeat = &c->repeat,
		.out = &c->out,
	};

	return parse_bench_argv(argc, argv, cli_bebpf_opts, "ebpf", &bo, own_opt, c, err, errlen);
}
