/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench switch`: its options. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "bench.h"
#include "commands.h"
#include "opts.h"

const struct cli_opt cli_bswitch_opts[] = {
	{"numa", 'n', required_argument, "N", "NUMA node of the generator and the switch "
	 "(default: the first)", 0},
	{"sizes", 's', required_argument, "64,512,1518", "frame sizes in bytes, comma-separated "
	 "(default 64,512,1518)", 0},
	{"pairs", 'p', required_argument, "N", "rounds of every switch, interleaved (default 5)", 0},
	{"time", 't', required_argument, "SEC", "seconds per point, 1-600 (default 3)", 0},
	{"switches", 'w', required_argument, "testpmd,ovs,busy,adaptive",
	 "the switches to measure (default: all four)", 0},
	{"rings", 'r', required_argument, "SPEC,SPEC...",
	 "ring variants of the generator's virtio-user ports, A/B'd in every round against the "
	 "first; a SPEC is tokens joined by '+': split|packed, in_order|no_in_order, mrg|nomrg, "
	 "qN (ring size, a power of 2 in 64-4096), e.g. split,packed,packed+no_in_order,q1024 "
	 "(default: virtio-user's own, split+in_order+mrg+q256)", 0},
	{"out", 'o', required_argument, "DIR", "where the run directory goes (default results)", 0},
	{"instance", 'i', required_argument, "NAME", "the instance the bench makes and removes "
	 "(default bench)", 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

static int
own_opt(int o, const char *arg, void *conf, char *err, size_t errlen)
{
	struct bench_conf *c = conf;

	switch (o) {
	case 's': {
		int n = bench_sizes_parse(arg, c->sizes, BENCH_MAX_SIZES);

		if (n < 0) {
			snprintf(err, errlen,
				 "bad --sizes \"%s\" (allowed: up to %d different frame sizes in "
				 "bytes, %d-%d, comma-separated, e.g. 64,512,1518)",
				 arg, BENCH_MAX_SIZES, BENCH_MIN_FRAME, BENCH_MAX_FRAME);
			return -EINVAL;
		}
		c->n_sizes = n;
		return 0;
	}
	case 'p':
		if (parse_int(arg, 1, BENCH_MAX_PAIRS, &c->pairs) < 0) {
			snprintf(err, errlen, "bad --pairs \"%s\" (allowed: 1-%d rounds)", arg,
				 BENCH_MAX_PAIRS);
			return -EINVAL;
		}
		return 0;
	case 'w':
		if (bench_switches_parse(arg, &c->switches) < 0) {
			snprintf(err, errlen,
				 "bad --switches \"%s\" (allowed: a comma-separated list of "
				 "testpmd, ovs, busy, adaptive)",
				 arg);
			return -EINVAL;
		}
		c->switches_given = true;
		return 0;
	case 'r': {
		char bad[80];
		int n = bench_rings_parse(arg, c->rings, BENCH_MAX_RINGS, bad, sizeof(bad));

		if (n < 0) {
			snprintf(err, errlen,
				 "bad --rings \"%s\": \"%s\" (allowed: up to %d different specs, "
				 "comma-separated, each %s)",
				 arg, bad, BENCH_MAX_RINGS, PMD_RING_GRAMMAR);
			return -EINVAL;
		}
		c->n_rings = n;
		return 0;
	}
	}
	return 1;
}

int
bench_parse_args(int argc, char **argv, struct bench_conf *c, char *err, size_t errlen)
{
	struct bench_opts bo = {
		.instance = c->instance,
		.instance_len = sizeof(c->instance),
		.numa = &c->numa,
		.time_s = &c->time_s,
		.out = &c->out,
	};

	return parse_bench_argv(argc, argv, cli_bswitch_opts, "switch", &bo, own_opt, c, err, errlen);
}
