/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench path` and its hidden probe tool `bench probe`: their option tables and parsers. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "backend.h"
#include "bench-path.h"
#include "commands.h"
#include "opts.h"

const struct cli_opt cli_bpath_opts[] = {
	{"instance", 'i', required_argument, "NAME", "the instance to measure, up (default main)",
	 0},
	{"backends", 'b', required_argument, "LIST",
	 "vhost-user, bridge or both (default: those "
	 "that are up)",
	 0},
	{"size", 'm', required_argument, "BYTES", "UDP payload of a probe, 64-1400 (default 64)",
	 0},
	{"count", 'c', required_argument, "N", "probes per backend and round, 10-100000 (default 2000)",
	 0},
	{"interval-us", 'g', required_argument, "US", "between probes, 0-1000000 (default 1000)",
	 0},
	{"repeat", 'r', required_argument, "N",
	 "rounds, the backends interleaved in each, 1-20 (default 3)", 0},
	{"out", 'o', required_argument, "DIR", "where the run directory goes (default results)", 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

static int
bad_int(const char *opt, const char *arg, int min, int max, const char *unit, char *err,
	size_t errlen)
{
	snprintf(err, errlen, "bad --%s \"%s\" (allowed: %d-%d%s)", opt, arg, min, max, unit);
	return -EINVAL;
}

static int
path_opt(int o, const char *arg, void *conf, char *err, size_t errlen)
{
	struct bpath_conf *c = conf;
	int ret;

	switch (o) {
	case 'b':
		ret = tb_backend_parse_list(arg, &c->backends, err, errlen);
		if (ret == 0 &&
		    (c->backends & ~((1u << TB_BE_VHOST_USER) | (1u << TB_BE_BRIDGE))) != 0) {
			snprintf(err, errlen, "bad --backends \"%s\" (allowed: vhost-user, bridge)",
				 arg);
			return -EINVAL;
		}
		return ret;
	case 'm':
		if (parse_int(arg, PROBE_PAYLOAD_LEN, BPATH_SIZE_MAX, &c->size) < 0)
			return bad_int("size", arg, PROBE_PAYLOAD_LEN, BPATH_SIZE_MAX, " bytes",
				       err, errlen);
		return 0;
	case 'c':
		if (parse_int(arg, 10, BPATH_COUNT_MAX, &c->count) < 0)
			return bad_int("count", arg, 10, BPATH_COUNT_MAX, " probes", err, errlen);
		return 0;
	case 'g':
		if (parse_int(arg, 0, 1000000, &c->interval_us) < 0)
			return bad_int("interval-us", arg, 0, 1000000, " us", err, errlen);
		return 0;
	case 'r':
		if (parse_int(arg, 1, BPATH_REPEAT_MAX, &c->repeat) < 0)
			return bad_int("repeat", arg, 1, BPATH_REPEAT_MAX, " rounds", err, errlen);
		return 0;
	}
	return 1;
}

int
bpath_parse_args(int argc, char **argv, struct bpath_conf *c, char *err, size_t errlen)
{
	struct bench_opts bo = {
		.instance = c->instance,
		.instance_len = sizeof(c->instance),
		.out = &c->out,
	};

	return parse_bench_argv(argc, argv, cli_bpath_opts, "path", &bo, path_opt, c, err, errlen);
}

const struct cli_opt cli_bprobe_opts[] = {
	{"to", 't', required_argument, "IPV4", "send probes to this receiver", 0},
	{"serve", 's', no_argument, NULL, "be the receiver: reply to probes", 0},
	{"port", 'p', required_argument, "P",
	 "UDP port, 1-65535 (default 47999, the one the data "
	 "path stamps)",
	 0},
	{"size", 'm', required_argument, "BYTES", "UDP payload, 64-1400 (default 64)", 0},
	{"count", 'c', required_argument, "N", "probes, 1-100000 (default 100)", 0},
	{"interval-us", 'g', required_argument, "US", "between probes, 0-1000000 (default 1000)",
	 0},
	{"idle", 'I', required_argument, "SEC",
	 "receiver: exit after this long without a probe, "
	 "1-600 (default 30)",
	 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

int
bpath_probe_parse_args(int argc, char **argv, struct bpath_probe_conf *c, char *err, size_t errlen)
{
	struct option opts[CLI_OPTS_MAX];
	bool serve = false;
	FILE *f;
	int o;

	/* argv: "bench" "probe" options... */
	cli_opts_getopt(cli_bprobe_opts, opts);
	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (o) {
		case 't':
			c->to = optarg;
			break;
		case 's':
			serve = true;
			break;
		case 'p':
			if (parse_int(optarg, 1, 65535, &c->port) < 0)
				return bad_int("port", optarg, 1, 65535, "", err, errlen);
			break;
		case 'm':
			if (parse_int(optarg, PROBE_PAYLOAD_LEN, BPATH_SIZE_MAX, &c->size) < 0)
				return bad_int("size", optarg, PROBE_PAYLOAD_LEN, BPATH_SIZE_MAX,
					       " bytes", err, errlen);
			break;
		case 'c':
			if (parse_int(optarg, 1, BPATH_COUNT_MAX, &c->count) < 0)
				return bad_int("count", optarg, 1, BPATH_COUNT_MAX, "", err,
					       errlen);
			break;
		case 'g':
			if (parse_int(optarg, 0, 1000000, &c->interval_us) < 0)
				return bad_int("interval-us", optarg, 0, 1000000, " us", err,
					       errlen);
			break;
		case 'I':
			if (parse_int(optarg, 1, 600, &c->idle_s) < 0)
				return bad_int("idle", optarg, 1, 600, " seconds", err, errlen);
			break;
		default:
			return bad_option(argc - 1, argv + 1, err, errlen);
		}
	}
	if (serve == (c->to != NULL) || optind != argc - 1) {
		f = fmemopen(err, errlen, "w");
		if (f != NULL) {
			cli_synopsis(f, "usage: testbed bench probe (--to IPV4 | --serve)", NULL,
				     cli_bprobe_opts, NULL, 0);
			fclose(f);
			err[strcspn(err, "\n")] = '\0';
		}
		return -EINVAL;
	}
	return 0;
}
