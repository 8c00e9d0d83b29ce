/* SPDX-License-Identifier: BSD-3-Clause */
/* `simulate`: its options. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "backend.h"
#include "opts.h"
#include "simulate.h"

#define VMS_RULE "an even number of guests per backend, 2-" /* + UP_MAX_GUESTS */

static int
parse_vms(const char *s, int *n, char *err, size_t errlen)
{
	if (parse_int(s, 2, UP_MAX_GUESTS, n) < 0 || *n % 2 != 0) {
		snprintf(err, errlen, "bad --vms \"%s\" (allowed: %s%d: guests run in pairs)", s,
			 VMS_RULE, UP_MAX_GUESTS);
		return -EINVAL;
	}
	return 0;
}

static int
parse_steps(const char *s, struct sim_conf *c, char *err, size_t errlen)
{
	int a, b, step, n;
	char tail;

	if (sscanf(s, "%d:%d:%d%c", &a, &b, &step, &tail) != 3 || a < 2 || b < a ||
	    b > UP_MAX_GUESTS || step < 2 || a % 2 || step % 2) {
		snprintf(err, errlen,
			 "bad --steps \"%s\" (allowed: A:B:STEP with even A <= B <= %d and even "
			 "STEP, e.g. 2:14:2)",
			 s, UP_MAX_GUESTS);
		return -EINVAL;
	}
	c->n_steps = 0;
	for (n = a; n <= b && c->n_steps < SIM_MAX_STEPS; n += step)
		c->steps[c->n_steps++] = n;
	return 0;
}

const struct cli_opt cli_sim_opts[] = {
	{"vms", 'v', required_argument, "N", "guests per backend, even, 2-32", CLI_OPT_REQUIRED},
	{"steps", 's', required_argument, "A:B:STEP", "a series of guest counts, e.g. 2:14:2 "
	 "(the reference's)", CLI_OPT_OR},
	{"backends", 'b', required_argument, "LIST", "comma-separated backends (default: every "
	 "backend that is up)", 0},
	{"duration", 'd', required_argument, "SEC", "iperf time per step, 1-3600 (default 30)", 0},
	{"mtr-cycles", 'm', required_argument, "N", "mtr report cycles per guest, one a second, "
	 "1-1000 (default: one per second of --duration, so mtr spans the whole load; the "
	 "reference ran 30)", 0},
	{"repeat", 'r', required_argument, "N", "runs of each step per backend, interleaved "
	 "across backends, 1-20 (default 2)", 0},
	{"out", 'o', required_argument, "DIR", "where the run directory goes (default results)", 0},
	{"instance", 'i', required_argument, "NAME", "the instance, up (default main)", 0},
	{"keep", 'k', no_argument, NULL, "leave the guests simulate added", 0},
	{"across-hosts", 'a', no_argument, NULL,
	 "also pairs on different hosts (an instance of two hosts)", 0},
	{"no-baseline", 'B', no_argument, NULL, "with --across-hosts: no host-to-host baseline "
	 "over the wire", CLI_OPT_NESTED},
	{"remote-guests", 'R', required_argument, "FILE", "across machines: `testbed -j serve` "
	 "of another machine, or a JSON array of M; pair k: guest k here, the server on machine "
	 "k mod M as its guest k div M (no baseline)", 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

int
sim_parse_args(int argc, char **argv, struct sim_conf *c, char *err, size_t errlen)
{
	struct option opts[CLI_OPTS_MAX];
	int o, n;

	cli_opts_getopt(cli_sim_opts, opts);
	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (o) {
		case 'v':
			if (parse_vms(optarg, &n, err, errlen) < 0)
				return -EINVAL;
			c->steps[0] = n;
			c->n_steps = 1;
			break;
		case 's':
			if (parse_steps(optarg, c, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'b':
			if (tb_backend_parse_list(optarg, &c->backends, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'd':
			if (parse_int(optarg, 1, 3600, &c->duration_s) < 0) {
				snprintf(err, errlen, "bad --duration \"%s\" (allowed: 1-3600 s)", optarg);
				return -EINVAL;
			}
			break;
		case 'm':
			if (parse_int(optarg, 1, SIM_MTR_CYCLES_MAX, &c->mtr_cycles) < 0) {
				snprintf(err, errlen, "bad --mtr-cycles \"%s\" (allowed: 1-%d)",
					 optarg, SIM_MTR_CYCLES_MAX);
				return -EINVAL;
			}
			break;
		case 'r':
			if (parse_int(optarg, 1, SIM_REPEAT_MAX, &c->repeat) < 0) {
				snprintf(err, errlen, "bad --repeat \"%s\" (allowed: 1-%d)", optarg,
					 SIM_REPEAT_MAX);
				return -EINVAL;
			}
			break;
		case 'o':
			if (parse_out_dir(optarg, &c->out, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'i':
			if (set_instance(optarg, c->instance, sizeof(c->instance), err, errlen) < 0)
				return -EINVAL;
			break;
		case 'k':
			c->keep = true;
			break;
		case 'a':
			c->across_hosts = true;
			break;
		case 'B':
			c->baseline = false;
			break;
		case 'R':
			c->remote_guests = optarg;
			c->across_hosts = true;
			break;
		default:
			return bad_option(argc, argv, err, errlen);
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument \"%s\"", argv[optind]);
		return -EINVAL;
	}
	if (c->n_steps == 0) {
		snprintf(err, errlen, "how many guests? --vms N or --steps A:B:STEP (e.g. --vms 14)");
		return -EINVAL;
	}
	return 0;
}

int
sim_max_vms(const struct sim_conf *c)
{
	int i, m = 0;

	for (i = 0; i < c->n_steps; i++)
		if (c->steps[i] > m)
			m = c->steps[i];
	return m;
}
