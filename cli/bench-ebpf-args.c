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
