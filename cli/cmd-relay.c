/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed relay`: the tap/macvtap relay process of netns guests (vm-profiles/relay.c). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "log.h"
#include "opts.h"
#include "relay.h"

/* `testbed relay`: the tap/macvtap backends' userspace copy loop, as `up` starts it. */

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	stop = sig;
}

const struct cli_opt cli_relay_opts[] = {
	{"port", 'p', required_argument, "GUEST_TAP,tap:HOST_TAP|macvtap:PATH",
	 "a guest's tap and the host side it is copied to", CLI_OPT_REQUIRED | CLI_OPT_REPEAT},
	{"cpu", 'c', required_argument, "N", "the CPU to pin the copy loop to (default: none)", 0},
	{"ready-file", 'r', required_argument, "PATH", "written once every device is open", 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

int
cli_relay_parse_args(int argc, char **argv, struct vm_relay_conf *c, char *err, size_t errlen)
{
	struct option opts[CLI_OPTS_MAX];
	int o;

	cli_opts_getopt(cli_relay_opts, opts);
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'p':
			if (vm_relay_parse_port(c, optarg, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'c':
			if (parse_int(optarg, 0, 4095, &c->cpu) < 0) {
				snprintf(err, errlen, "bad --cpu \"%s\" (allowed: 0-4095)", optarg);
				return -EINVAL;
			}
			break;
		case 'r':
			c->ready_file = optarg;
			break;
		default:
			return bad_option(argc, argv, err, errlen);
		}
	}
	if (optind < argc || c->n_ports == 0) {
		snprintf(err, errlen, "relay needs --port GUEST_TAP,tap:HOST_TAP|macvtap:PATH (got %s)",
			 optind < argc ? argv[optind] : "none");
		return -EINVAL;
	}
	return 0;
}

int
cmd_relay(int argc, char **argv)
{
	static struct vm_relay_conf c = {.cpu = -1};
	struct sigaction sa = {.sa_handler = on_signal};
	char err[512];
	int ret;

	if (cli_relay_parse_args(argc, argv, &c, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (vm_relay_open(&c, err, sizeof(err)) < 0) {
		tb_err("relay: %s", err);
		return CLI_EXIT_FAIL;
	}
	ret = vm_relay_run(&c, &stop, err, sizeof(err));
	if (ret < 0) {
		tb_err("%s", err);
		return CLI_EXIT_FAIL;
	}
	return 0;
}
