/* SPDX-License-Identifier: BSD-3-Clause */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "log.h"
#include "relay.h"

/* `testbed relay`: the tap/macvtap backends' userspace copy loop, as `up` starts it. */

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	stop = sig;
}

int
cmd_relay(int argc, char **argv)
{
	static const struct option opts[] = {
		{"port", required_argument, NULL, 'p'},
		{"cpu", required_argument, NULL, 'c'},
		{"ready-file", required_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	static struct vm_relay_conf c = {.cpu = -1};
	struct sigaction sa = {.sa_handler = on_signal};
	char err[512];
	int o, ret;

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'p':
			if (vm_relay_parse_port(&c, optarg, err, sizeof(err)) < 0) {
				tb_err("%s", err);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'c':
			if (parse_int(optarg, 0, 4095, &c.cpu) < 0) {
				tb_err("bad --cpu \"%s\" (allowed: 0-4095)", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'r':
			c.ready_file = optarg;
			break;
		default:
			bad_option(argc, argv, err, sizeof(err));
			tb_err("%s", err);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc || c.n_ports == 0) {
		tb_err("relay needs --port GUEST_TAP,tap:HOST_TAP|macvtap:PATH (got %s)",
		       optind < argc ? argv[optind] : "none");
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
