/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "log.h"

const struct cli_cmd cli_cmds[] = {
	{"doctor", 0, cmd_doctor, "doctor [-j]", "what this host can run, and why not"},
	{"up", CMD_NEEDS_ROOT, cmd_up,
	 "up --numa N [--guests K] [--backends LIST|all] [--instance NAME] [--page-size 2M|1G] "
	 "[--pmd-cores N] [--switch-mem MB] [--switch ovs|testbed-pmd] [--pmd-maxsleep US] "
	 "[--switch-idle busy|adaptive]",
	 "build the testbed on NUMA node N"},
	{"status", CMD_NEEDS_ROOT, cmd_status, "status [-j] [--instance NAME]",
	 "what is up: switch, ports, guests, cores, hugepages"},
	{"restart", CMD_NEEDS_ROOT, cmd_restart, "restart [--instance NAME]",
	 "a new vhost-user switch process under the running guests (they reconnect)"},
	{"sweep", CMD_NEEDS_ROOT, cmd_sweep,
	 "sweep tcp_lat|tcp_bw|udp_lat|udp_bw|all [--backends LIST] [--sizes MIN:MAX] [--time SEC] "
	 "[--repeat R] [--out DIR] [--instance NAME] [--pmd-maxsleep US]",
	 "qperf msg_size sweep per backend: raw outputs, JSON/CSV, report, plots"},
	{"simulate", CMD_NEEDS_ROOT, cmd_simulate,
	 "simulate --vms N | --steps A:B:STEP [--backends LIST] [--duration SEC] [--mtr-cycles N] "
	 "[--out DIR] [--instance NAME] [--keep]",
	 "N guests per backend at once: iperf between pairs + mtr to the peer"},
	{"report", 0, cmd_report, "report RUN_DIR [RUN_DIR_B]",
	 "rebuild a run's report.md and plots, or compare two runs point by point"},
	{"parse", 0, cmd_parse, "parse qperf|iperf|mtr FILE",
	 "the measurements in one raw tool output, as JSON"},
	{"bench", CMD_NEEDS_ROOT, cmd_bench,
	 "bench switch [--numa N] [--sizes 64,512,1518] [--pairs N] [--time SEC] "
	 "[--switches testpmd,ovs,busy,adaptive] [--out DIR] [--instance NAME]",
	 "vhost-user forwarding of testpmd, OVS-DPDK and our switch, one at a time: rates, "
	 "ratios, RTT, idle CPU"},
	{"bench", CMD_NEEDS_ROOT, cmd_bench,
	 "bench net [--instance NAME] [--backends LIST] [--tests throughput,pps,latency,rr|all] "
	 "[--time SEC] [--repeat R] [--out DIR]",
	 "iperf3 throughput and PPS, ping/sockperf latency percentiles, RR/CRR rates per backend, "
	 "guest to guest and host to guest"},
	{"bench", CMD_NEEDS_ROOT, cmd_bench,
	 "bench ebpf [--instance NAME] [--variants none,tc,xdp-generic,xdp-driver|all] "
	 "[--time SEC] [--repeat R] [--out DIR]",
	 "an empty tc and XDP (generic, driver) program on the bridge path: iperf3 TCP throughput "
	 "and sockperf TCP latency against no program, the change in percent"},
	{"bench", CMD_NEEDS_ROOT, cmd_bench,
	 "bench all [--numa N] [--guests K] [--profile NAME] [--tests LIST] [--time SEC] "
	 "[--repeat R] [--no-ebpf] [--keep] [--out DIR] [--instance NAME]",
	 "every backend this host runs (the others listed with the reason): up, bench net, "
	 "bench ebpf, down; one comparison report"},
	{"guest-exec", 0, cmd_guest_exec,
	 "guest-exec --socket PATH [--socket PATH ...] [--timeout SEC] -- PROGRAM ARGS...",
	 "run a program in a QEMU guest through its agent; its output and exit status"},
	{"relay", CMD_NEEDS_ROOT, cmd_relay,
	 "relay --port GUEST_TAP,tap:HOST_TAP|macvtap:PATH [--port ...] [--cpu N] "
	 "[--ready-file PATH]",
	 "the tap and macvtap backends' userspace virtio backend for netns guests (up starts it)"},
	{"down", CMD_NEEDS_ROOT, cmd_down, "down [--instance NAME]", "remove everything `up` made"},
	{NULL, 0, NULL, NULL, NULL},
};

const struct cli_cmd *
cli_cmd_find(const char *name)
{
	const struct cli_cmd *c;

	for (c = cli_cmds; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void
cli_usage(FILE *out)
{
	const struct cli_cmd *c;

	fprintf(out, "usage: testbed [-j|--json] COMMAND [ARGS]\n\n");
	for (c = cli_cmds; c->name != NULL; c++)
		fprintf(out, "  %-8s %s\n           %s\n", c->name, c->summary, c->usage);
}

int
cli_dispatch(int argc, char **argv)
{
	const struct cli_cmd *c;

	if (argc < 1 || strcmp(argv[0], "help") == 0 || strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0) {
		cli_usage(argc < 1 ? stderr : stdout);
		return argc < 1 ? CLI_EXIT_USAGE : 0;
	}
	c = cli_cmd_find(argv[0]);
	if (c == NULL) {
		tb_err("unknown command \"%s\" (valid: doctor, up, status, restart, guest-exec, sweep, simulate, report, parse, bench, down)", argv[0]);
		return CLI_EXIT_USAGE;
	}
	if ((c->flags & CMD_NEEDS_ROOT) && geteuid() != 0) {
		tb_err("%s needs root (hugepages, namespaces, OVS-DPDK): run it with sudo", c->name);
		return CLI_EXIT_FAIL;
	}
	return c->fn(argc, argv);
}
