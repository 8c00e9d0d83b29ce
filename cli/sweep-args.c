/* SPDX-License-Identifier: BSD-3-Clause */
/* `sweep`: its options, tests and message sizes. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "backend.h"
#include "opts.h"
#include "sweep.h"

#define STR_(x) #x
#define STR(x) STR_(x)

int
sweep_repeat_parse(const char *s, int *repeat)
{
	if (strcmp(s, "auto") == 0) {
		*repeat = SW_REPEAT_AUTO;
		return 0;
	}
	return parse_int(s, 1, SW_REPEAT_MAX, repeat) < 0 ? -EINVAL : 0;
}

static int
parse_tests(const char *s, unsigned int *tests, char *err, size_t errlen)
{
	int t;

	if (strcmp(s, "all") == 0) {
		*tests = (1u << SW_N_TESTS) - 1;
		return 0;
	}
	for (t = 0; t < SW_N_TESTS; t++) {
		if (strcmp(s, sweep_test_name(t)) == 0) {
			*tests = 1u << t;
			return 0;
		}
	}
	snprintf(err, errlen, "unknown test \"%s\" (valid: tcp_lat, tcp_bw, udp_lat, udp_bw, all)", s);
	return -EINVAL;
}

static int
parse_sizes(const char *s, struct sweep_conf *c, char *err, size_t errlen)
{
	char buf[64], *colon;

	snprintf(buf, sizeof(buf), "%s", s);
	colon = strchr(buf, ':');
	if (colon != NULL)
		*colon = '\0';
	if (colon == NULL || sweep_size_parse(buf, &c->min_size) < 0 ||
	    sweep_size_parse(colon + 1, &c->max_size) < 0 || c->min_size > c->max_size) {
		snprintf(err, errlen,
			 "bad --sizes \"%s\" (allowed: MIN:MAX in bytes, MIN <= MAX, K/M/G suffixes, "
			 "up to 1G, e.g. 1:128M)",
			 s);
		return -EINVAL;
	}
	return 0;
}

const struct cli_opt cli_sweep_opts[] = {
	{"backends", 'b', required_argument, "LIST", "comma-separated backends (default: every "
	 "backend that is up)", 0},
	{"sizes", 's', required_argument, "MIN:MAX", "message sizes, doubling, K/M/G suffixes "
	 "(default 1:128M TCP, 1:1K UDP)", 0},
	{"time", 't', required_argument, "SEC", "seconds per qperf run, 1-600 (default 1)", 0},
	{"repeat", 'r', required_argument, "auto|N", "runs per point: auto (at least "
	 STR(SW_REPEAT_MIN) ", up to " STR(SW_REPEAT_CAP) " while the spread (max-min)/median "
	 "exceeds " STR(SW_WIDE_SPREAD_PCT) "%, within " STR(SW_EXTRA_BUDGET_PCT)
	 "% more qperf time) or a fixed N, 1-" STR(SW_REPEAT_MAX) " (default auto)", 0},
	{"out", 'o', required_argument, "DIR", "where the run directory goes (default results)", 0},
	{"instance", 'i', required_argument, "NAME", "the instance, up (default main)", 0},
	{"pmd-maxsleep", 'p', required_argument, "US", "OVS PMD sleep bound while measuring "
	 "(default 0 on its own core, else as is)", 0},
	{"across-hosts", 'a', no_argument, NULL,
	 "also pairs on different hosts (an instance of two hosts)", 0},
	{"no-baseline", 'B', no_argument, NULL, "with --across-hosts: no host-to-host baseline "
	 "over the wire", CLI_OPT_NESTED},
	{"remote-guests", 'R', required_argument, "FILE", "across machines: `testbed -j serve` "
	 "of another machine, or a JSON array of several; each one's guest 0 serves this "
	 "machine's guest 0, machine after machine (no baseline)", 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

int
sweep_parse_args(int argc, char **argv, struct sweep_conf *c, char *err, size_t errlen)
{
	struct option opts[CLI_OPTS_MAX];
	const char *test = NULL;
	int o;

	cli_opts_getopt(cli_sweep_opts, opts);
	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "-", opts, NULL)) != -1) {
		switch (o) {
		case 1: /* the positional TEST, wherever it stands */
			if (parse_positional(optarg, &test, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'b':
			if (tb_backend_parse_list(optarg, &c->backends, err, errlen) < 0)
				return -EINVAL;
			break;
		case 's':
			if (parse_sizes(optarg, c, err, errlen) < 0)
				return -EINVAL;
			break;
		case 't':
			if (parse_bench_time(optarg, &c->time_s, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'r':
			if (sweep_repeat_parse(optarg, &c->repeat) < 0) {
				snprintf(err, errlen, "bad --repeat \"%s\" (allowed: auto or 1-%d)",
					 optarg, SW_REPEAT_MAX);
				return -EINVAL;
			}
			break;
		case 'o':
			if (parse_out_dir(optarg, &c->out, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'p':
			if (parse_pmd_maxsleep(optarg, &c->pmd_maxsleep_us, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'i':
			if (set_instance(optarg, c->instance, sizeof(c->instance), err, errlen) < 0)
				return -EINVAL;
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
	if (test == NULL) {
		snprintf(err, errlen, "which test? (valid: tcp_lat, tcp_bw, udp_lat, udp_bw, all)");
		return -EINVAL;
	}
	if (parse_tests(test, &c->tests, err, errlen) < 0)
		return -EINVAL;
	return sweep_sizes_check(c, err, errlen);
}

int
sweep_sizes_note(const struct sweep_conf *c, enum sweep_test t, char *note, size_t len)
{
	bool udp = t == SW_UDP_LAT || t == SW_UDP_BW;
	long sizes[64];
	int n = sweep_sizes(c, t, sizes, 64);

	note[0] = '\0';
	if (!udp || c->max_size <= SW_UDP_MAX)
		return 0;
	if (n == 0) {
		snprintf(note, len, "bad --sizes %ld:%ld for %s: a UDP message holds at most %ld "
			 "bytes, so nothing is left (allowed: MIN <= 32K)", c->min_size,
			 c->max_size, sweep_test_name(t), SW_UDP_MAX);
		return -EINVAL;
	}
	snprintf(note, len, "%s: sizes above %ld bytes left out (a UDP message holds at most "
		 "that): %ld to %ld", sweep_test_name(t), SW_UDP_MAX, sizes[0], sizes[n - 1]);
	return 1;
}

int
sweep_sizes_check(const struct sweep_conf *c, char *err, size_t errlen)
{
	int t;

	for (t = 0; t < SW_N_TESTS; t++)
		if ((c->tests & (1u << t)) && sweep_sizes_note(c, t, err, errlen) < 0)
			return -EINVAL;
	err[0] = '\0';
	return 0;
}
