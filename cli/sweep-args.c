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

static const char *const test_names[SW_N_TESTS] = {"tcp_lat", "tcp_bw", "udp_lat", "udp_bw"};

const char *
sweep_test_name(enum sweep_test t)
{
	return t < SW_N_TESTS ? test_names[t] : "?";
}

bool
sweep_test_is_lat(enum sweep_test t)
{
	return t == SW_TCP_LAT || t == SW_UDP_LAT;
}

int
sweep_size_parse(const char *s, long *bytes)
{
	char *end;
	long v, mul = 1;

	if (s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0)
		return -EINVAL;
	if (*end == 'K' || *end == 'k')
		mul = 1L << 10;
	else if (*end == 'M' || *end == 'm')
		mul = 1L << 20;
	else if (*end == 'G' || *end == 'g')
		mul = 1L << 30;
	if (mul != 1)
		end++;
	if (*end != '\0' || v < 1 || v > SW_SIZE_MAX / mul)
		return -EINVAL;
	*bytes = v * mul;
	return 0;
}

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
		if (strcmp(s, test_names[t]) == 0) {
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
		default:
			return bad_option(argc, argv, err, errlen);
		}
	}
	if (test == NULL) {
		snprintf(err, errlen, "which test? (valid: tcp_lat, tcp_bw, udp_lat, udp_bw, all)");
		return -EINVAL;
	}
	return parse_tests(test, &c->tests, err, errlen);
}

int
sweep_sizes(const struct sweep_conf *c, enum sweep_test t, long *sizes, int max)
{
	bool udp = t == SW_UDP_LAT || t == SW_UDP_BW;
	long lo = c->min_size ? c->min_size : 1;
	long hi = c->max_size ? c->max_size : udp ? SW_UDP_MAX_DEFAULT : SW_TCP_MAX_DEFAULT;
	long s;
	int n = 0;

	if (udp && hi > SW_UDP_MAX)
		hi = SW_UDP_MAX;
	for (s = lo; s <= hi && n < max; s *= 2)
		sizes[n++] = s;
	return n;
}
