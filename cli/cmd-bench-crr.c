/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed bench crr`: bench net's TCP_CRR client (measure/bench-net-crr.c), run in a guest. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "bench-net.h"
#include "commands.h"
#include "opts.h"

static volatile sig_atomic_t crr_stop;

static void
crr_on_signal(int sig)
{
	crr_stop = sig;
}

const struct cli_opt cli_bcrr_opts[] = {
	{"server", 's', required_argument, "IPV4", "the address of a TCP sockperf server",
	 CLI_OPT_REQUIRED},
	{"port", 'p', required_argument, "P", "its port, 1-65535 (default 11112)", 0},
	{"time", 't', required_argument, "SEC", "seconds, 1-600 (default 5)", 0},
	{"size", 'm', required_argument, "BYTES", "request and reply size, sockperf header "
	 "included (default: the smallest)", 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

int
bnet_crr_parse_args(int argc, char **argv, struct bnet_crr_conf *c, char *err, size_t errlen)
{
	struct option opts[CLI_OPTS_MAX];
	FILE *f;
	int o, t;

	/* argv: "bench" "crr" options... */
	cli_opts_getopt(cli_bcrr_opts, opts);
	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (o) {
		case 's':
			c->server = optarg;
			break;
		case 'p':
			if (parse_int(optarg, 1, 65535, &c->port) < 0) {
				snprintf(err, errlen, "bad --port \"%s\" (allowed: 1-65535)", optarg);
				return -EINVAL;
			}
			break;
		case 't':
			if (parse_int(optarg, 1, 600, &t) < 0) {
				snprintf(err, errlen, "bad --time \"%s\" (allowed: 1-600 seconds)",
					 optarg);
				return -EINVAL;
			}
			c->time_s = t;
			break;
		case 'm':
			if (parse_int(optarg, BNET_CRR_MSG_MIN, BNET_CRR_MSG_MAX, &c->size) < 0) {
				snprintf(err, errlen, "bad --size \"%s\" (allowed: %d-%d bytes)", optarg,
					 BNET_CRR_MSG_MIN, BNET_CRR_MSG_MAX);
				return -EINVAL;
			}
			break;
		default:
			return bad_option(argc - 1, argv + 1, err, errlen);
		}
	}
	if (c->server == NULL || optind != argc - 1) {
		/* the usage line, from the table */
		f = fmemopen(err, errlen, "w");
		if (f != NULL) {
			cli_synopsis(f, "usage: testbed bench crr", NULL, cli_bcrr_opts, NULL, 0);
			fclose(f);
			err[strcspn(err, "\n")] = '\0';
		}
		return -EINVAL;
	}
	return 0;
}

int
bnet_crr_main(int argc, char **argv)
{
	struct bnet_crr_conf c = {
		.port = 11112, .time_s = 5, .size = BNET_CRR_MSG_MIN, .timeout_ms = 1000};
	struct sigaction sa = {.sa_handler = crr_on_signal};
	struct bnet_crr_result r;
	char err[256];
	int ret;
	json_t *j;

	if (bnet_crr_parse_args(argc, argv, &c, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return CLI_EXIT_USAGE;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ret = bnet_crr_run(&c, &r, &crr_stop);
	if (ret == -EINVAL) {
		fprintf(stderr, "bad --server \"%s\" (allowed: an IPv4 address)\n", c.server);
		return CLI_EXIT_USAGE;
	}
	j = bnet_crr_json(&c, &r);
	if (j != NULL) {
		json_dumpf(j, stdout, JSON_COMPACT);
		fputc('\n', stdout);
		json_decref(j);
	}
	return ret == 0 ? 0 : CLI_EXIT_FAIL;
}
