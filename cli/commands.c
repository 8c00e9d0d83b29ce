/* SPDX-License-Identifier: BSD-3-Clause */
/* The command table and the bench table: dispatch by exact name, usage and --help from them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-all.h"
#include "bench-ebpf.h"
#include "bench-net.h"
#include "commands.h"
#include "lock.h"
#include "log.h"
#include "names.h"
#include "stop.h"

const struct cli_cmd cli_cmds[] = {
	{"doctor", 0, cmd_doctor, NULL, cli_doctor_opts, NULL, "what this host can run, and why not"},
	{"up", CMD_NEEDS_ROOT | CMD_LOCKS_INSTANCE, cmd_up, NULL, cli_up_opts, NULL,
	 "build the testbed on NUMA node N"},
	{"status", CMD_NEEDS_ROOT, cmd_status, NULL, cli_instance_opts, NULL,
	 "what is up: switch, ports, guests, cores, hugepages"},
	{"restart", CMD_NEEDS_ROOT | CMD_LOCKS_INSTANCE, cmd_restart, NULL, cli_instance_opts, NULL,
	 "a new vhost-user switch process under the running guests (they reconnect)"},
	{"sweep", CMD_NEEDS_ROOT | CMD_LOCKS_INSTANCE, cmd_sweep,
	 "tcp_lat|tcp_bw|udp_lat|udp_bw|all", cli_sweep_opts, NULL,
	 "qperf msg_size sweep per backend: raw outputs, JSON/CSV, report, plots"},
	{"simulate", CMD_NEEDS_ROOT | CMD_LOCKS_INSTANCE, cmd_simulate, NULL, cli_sim_opts, NULL,
	 "N guests per backend at once: iperf between pairs + mtr to the peer"},
	{"serve", CMD_NEEDS_ROOT | CMD_LOCKS_INSTANCE, cmd_serve, NULL, cli_serve_opts, NULL,
	 "keep qperf servers in the guests, for a sweep from another machine"},
	{"report", 0, cmd_report, "RUN_DIR [RUN_DIR_B]", NULL, NULL,
	 "rebuild a run's report.md and plots, or compare two runs point by point"},
	{"parse", 0, cmd_parse, "qperf|iperf|iperf3|mtr|sockperf|ping FILE", cli_parse_opts, NULL,
	 "the measurements in one raw tool output, as JSON (qperf: every -oo block)"},
	{"import", 0, cmd_import, "DIR|FILE", cli_import_opts, NULL,
	 "a run directory from raw outputs of the published method (qperf -oo, iperf, mtr)"},
	{"bench", CMD_NEEDS_ROOT | CMD_LOCKS_INSTANCE, cmd_bench, "NAME", NULL, NULL,
	 "one benchmark at a time (switch, net, ebpf, path, all); testbed bench NAME --help"},
	{"guest-exec", 0, cmd_guest_exec, NULL, cli_gexec_opts, "-- PROGRAM ARGS...",
	 "run a program in a QEMU guest through its agent; its output and exit status"},
	{"relay", CMD_NEEDS_ROOT, cmd_relay, NULL, cli_relay_opts, NULL,
	 "the tap and macvtap backends' userspace virtio backend for netns guests (up starts it)"},
	{"down", CMD_NEEDS_ROOT | CMD_LOCKS_INSTANCE, cmd_down, NULL, cli_instance_opts, NULL,
	 "remove everything `up` made"},
	{NULL, 0, NULL, NULL, NULL, NULL, NULL},
};

const struct cli_bench cli_benches[] = {
	{"switch", CLI_BENCH_LOCKS, cmd_bench_switch, cli_bswitch_opts,
	 "vhost-user forwarding of testpmd, OVS-DPDK and our switch, one at a time: rates, "
	 "ratios, RTT, idle CPU"},
	{"net", CLI_BENCH_LOCKS, cmd_bench_net, cli_bnet_opts,
	 "iperf3 throughput and PPS, ping/sockperf latency percentiles, RR/CRR rates per backend, "
	 "guest to guest and host to guest"},
	{"ebpf", CLI_BENCH_LOCKS, cmd_bench_ebpf, cli_bebpf_opts,
	 "an empty tc and XDP (generic, driver) program on the bridge path: iperf3 TCP throughput "
	 "and sockperf TCP latency against no program, the change in percent"},
	{"path", CLI_BENCH_LOCKS, cmd_bench_path, cli_bpath_opts,
	 "where a message's one-way time goes on vhost-user (adapter, ring, switch hops from "
	 "timestamps on probes) beside the bridge's total"},
	{"all", CLI_BENCH_LOCKS, cmd_bench_all, cli_ball_opts,
	 "every backend this host runs (the others listed with the reason): up, bench net, "
	 "bench ebpf, down; one comparison report"},
	/* bench net's TCP_CRR client, which bench net runs inside the guests */
	{"crr", CLI_BENCH_HIDDEN, bnet_crr_main, cli_bcrr_opts,
	 "TCP_CRR client (bench net runs it in the source guest): one JSON line of rates"},
	/* bench path's probe tool, which bench path runs inside both guests */
	{"probe", CLI_BENCH_HIDDEN, bpath_probe_main, cli_bprobe_opts,
	 "UDP probe sender (CSV of the replies) or receiver (bench path runs it in the guests)"},
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

const struct cli_bench *
cli_bench_find(const char *name)
{
	const struct cli_bench *b;

	for (b = cli_benches; name != NULL && b->name != NULL; b++)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

/* "switch, net, ebpf, all": the listed benches. */
static void
bench_names(char *buf, size_t len)
{
	const struct cli_bench *b;
	size_t n = 0;

	buf[0] = '\0';
	for (b = cli_benches; b->name != NULL; b++) {
		if (b->flags & CLI_BENCH_HIDDEN)
			continue;
		if (n < len)
			n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "", b->name);
	}
}

int
cli_bench_check(const char *what, const char *name, char *err, size_t errlen)
{
	char valid[256];

	if (what != NULL && name[0] != '\0' && strcmp(what, name) == 0)
		return 0;
	bench_names(valid, sizeof(valid));
	if (what == NULL)
		snprintf(err, errlen, "bench: which bench? (valid: %s)", valid);
	else
		snprintf(err, errlen, "bench: unknown bench \"%s\" (valid: %s)", what, valid);
	return -EINVAL;
}

/* Some bench's option --name takes a value. */
static bool
bench_opt_takes_value(const char *name)
{
	const struct cli_bench *b;
	const struct cli_opt *o;

	for (b = cli_benches; b->name != NULL; b++) {
		o = cli_opt_find(b->opts, name);
		if (o != NULL && o->has_arg != no_argument)
			return true;
	}
	return false;
}

const char *
cli_bench_which(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1 < argc ? argv[i + 1] : NULL;
		if (argv[i][0] != '-' || argv[i][1] == '\0')
			return argv[i];
		if (strncmp(argv[i], "--", 2) == 0 && strchr(argv[i], '=') == NULL &&
		    bench_opt_takes_value(argv[i] + 2))
			i++; /* its value */
	}
	return NULL;
}

static void
cmd_usage_lines(FILE *out, const struct cli_cmd *c, const char *first, const char *rest, int width)
{
	const struct cli_bench *b;
	const char *p = first;
	char lead[128];

	if (c->fn != cmd_bench) {
		snprintf(lead, sizeof(lead), "%stestbed %s", first, c->name);
		cli_synopsis(out, lead, c->pre, c->opts, c->post, width);
		return;
	}
	for (b = cli_benches; b->name != NULL; b++) {
		if (b->flags & CLI_BENCH_HIDDEN)
			continue;
		snprintf(lead, sizeof(lead), "%stestbed bench %s", p, b->name);
		cli_synopsis(out, lead, NULL, b->opts, NULL, width);
		p = rest;
	}
}

void
cli_cmd_usage(FILE *out, const struct cli_cmd *c, int width)
{
	cmd_usage_lines(out, c, "", "", width);
}

void
cli_bench_usage(FILE *out, const struct cli_bench *b, int width)
{
	char lead[128];

	snprintf(lead, sizeof(lead), "testbed bench %s", b->name);
	cli_synopsis(out, lead, NULL, b->opts, NULL, width);
}

void
cli_cmd_help(FILE *out, const struct cli_cmd *c)
{
	const struct cli_bench *b;

	cmd_usage_lines(out, c, "usage: ", "       ", CLI_USAGE_WIDTH);
	fputc('\n', out);
	cli_put_wrapped(out, c->summary, 0, 0, CLI_USAGE_WIDTH);
	if (c->fn == cmd_bench) {
		fprintf(out, "\nbenches:\n");
		for (b = cli_benches; b->name != NULL; b++) {
			if (b->flags & CLI_BENCH_HIDDEN)
				continue;
			fprintf(out, "  %-8s ", b->name);
			cli_put_wrapped(out, b->summary, 11, 11, CLI_USAGE_WIDTH);
		}
	}
	cli_opts_help(out, c->opts);
}

void
cli_bench_help(FILE *out, const struct cli_bench *b)
{
	char lead[128];

	snprintf(lead, sizeof(lead), "usage: testbed bench %s", b->name);
	cli_synopsis(out, lead, NULL, b->opts, NULL, CLI_USAGE_WIDTH);
	fputc('\n', out);
	cli_put_wrapped(out, b->summary, 0, 0, CLI_USAGE_WIDTH);
	cli_opts_help(out, b->opts);
}

void
cli_usage(FILE *out)
{
	const struct cli_cmd *c;

	fprintf(out, "usage: testbed [-j|--json] COMMAND [ARGS]\n"
		     "       testbed COMMAND --help    (the command's options)\n\ncommands:\n");
	for (c = cli_cmds; c->name != NULL; c++) {
		fprintf(out, "  %-11s", c->name);
		cli_put_wrapped(out, c->summary, 13, 13, CLI_USAGE_WIDTH);
		cmd_usage_lines(out, c, "    ", "    ", CLI_USAGE_WIDTH);
	}
}

/* -h or --help among argv[1..], before any `--`. */
static bool
wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

static void
unknown_command(const char *name)
{
	const struct cli_cmd *c;
	char valid[256];
	size_t n = 0;

	valid[0] = '\0';
	for (c = cli_cmds; c->name != NULL; c++)
		if (n < sizeof(valid))
			n += snprintf(valid + n, sizeof(valid) - n, "%s%s", n ? ", " : "", c->name);
	tb_err("unknown command \"%s\" (valid: %s)", name, valid);
}

/* Set in our environment once we hold an instance's lock: "INSTANCE PID". bench all runs
 * testbed again for its steps (up, bench net, down): they share the lock it holds. */
#define LOCK_ENV "TESTBED_LOCK_HELD"

/* Our parent holds inst's lock and handed it down to us. */
static bool
parent_holds(const char *inst)
{
	const char *env = getenv(LOCK_ENV);
	char dir[256];
	size_t n = strlen(inst);
	pid_t pid;

	if (env == NULL || strncmp(env, inst, n) != 0 || env[n] != ' ' ||
	    atoi(env + n + 1) != (int)getppid() || tb_run_path(dir, sizeof(dir), inst, NULL) < 0)
		return false;
	return tb_lock_holder_pid(dir, &pid) == 0 && pid == getppid();
}

/* The lock a command took with cli_lock, released when it returns to cli_dispatch. */
static int held_fd = -1;
static char held_dir[256];
/* "sweep tcp_lat --instance", the running command as others waiting on the lock see it */
static char lock_who[128];
/* The running command's table row says it locks (CMD_LOCKS_INSTANCE / CLI_BENCH_LOCKS); it did. */
static bool lock_declared, lock_taken;

int
cli_lock(const char *inst)
{
	char holder[300], env[64];
	int fd;

	if (!lock_declared) {
		tb_err("internal error: %s takes an instance lock its command table row does not "
		       "declare", lock_who);
		return CLI_EXIT_FAIL;
	}
	lock_taken = true;
	if (held_fd >= 0 || parent_holds(inst))
		return 0;
	if (tb_run_path(held_dir, sizeof(held_dir), inst, NULL) < 0) {
		tb_err("bad instance name \"%s\": its run dir does not fit a path", inst);
		return CLI_EXIT_USAGE;
	}
	fd = tb_lock_take(inst, lock_who, CLI_LOCK_WAIT_MS, holder, sizeof(holder));
	if (fd == -EBUSY) {
		tb_err("instance %s is busy: %s is running on it; wait for it to end (waited %d s)",
		       inst, holder, CLI_LOCK_WAIT_MS / 1000);
		return CLI_EXIT_FAIL;
	}
	if (fd == -ELOOP || fd == -ENOTDIR) {
		tb_err("run dir %s/%s is not a directory of its own (a symlink or a file): "
		       "remove it", TB_RUN_BASE, inst);
		return CLI_EXIT_FAIL;
	}
	if (fd < 0) {
		tb_err("instance %s: cannot take its lock in %s/%s: %s", inst, TB_RUN_BASE, inst,
		       strerror(-fd));
		return CLI_EXIT_FAIL;
	}
	/* O_CLOEXEC: the programs we start do not hold it; exiting releases it */
	held_fd = fd;
	snprintf(env, sizeof(env), "%s %d", inst, (int)getpid());
	setenv(LOCK_ENV, env, 1);
	return 0;
}

int
cli_dispatch(int argc, char **argv)
{
	int ret;
	const struct cli_cmd *c;
	const struct cli_bench *b;

	if (argc < 1 || strcmp(argv[0], "help") == 0 || strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0) {
		cli_usage(argc < 1 ? stderr : stdout);
		return argc < 1 ? CLI_EXIT_USAGE : 0;
	}
	c = cli_cmd_find(argv[0]);
	if (c == NULL) {
		unknown_command(argv[0]);
		return CLI_EXIT_USAGE;
	}
	/* a bench's own row: its help, and whether it locks */
	b = c->fn == cmd_bench ? cli_bench_find(cli_bench_which(argc, argv)) : NULL;
	if (wants_help(argc, argv)) {
		if (b != NULL)
			cli_bench_help(stdout, b);
		else
			cli_cmd_help(stdout, c);
		return 0;
	}
	if ((c->flags & CMD_NEEDS_ROOT) && geteuid() != 0) {
		tb_err("%s needs root (hugepages, namespaces, OVS-DPDK): run it with sudo",
		       c->name);
		return CLI_EXIT_FAIL;
	}
	/* a locking command takes its instance's lock once its options are read (cli_lock) */
	snprintf(lock_who, sizeof(lock_who), "%s%s%s%s%s", argv[0], argc > 1 ? " " : "",
		 argc > 1 ? argv[1] : "", argc > 2 ? " " : "", argc > 2 ? argv[2] : "");
	lock_declared = (c->flags & CMD_LOCKS_INSTANCE) &&
			(c->fn != cmd_bench || (b != NULL && (b->flags & CLI_BENCH_LOCKS)));
	lock_taken = false;
	ret = c->fn(argc, argv);
	if (held_fd >= 0)
		tb_lock_release(held_fd, held_dir);
	held_fd = -1;
	if (ret == 0 && lock_declared && !lock_taken) {
		/* the table says it runs one at a time per instance; it did not ask */
		tb_err("internal error: %s declares an instance lock it never took", lock_who);
		return CLI_EXIT_FAIL;
	}
	return ret;
}

int
cli_run_done(json_t *results, const char *dir, int ret, const char *whose)
{
	if (results != NULL) {
		if (tb_log_json()) {
			json_dumpf(results, stdout, JSON_INDENT(2));
			fputc('\n', stdout);
		} else {
			printf("%s\n", dir);
		}
		json_decref(results);
	}
	if (tb_stop_signal())
		return 128 + tb_stop_signal();
	if (ret > 0) {
		tb_err("%d of %s points failed (see %s/results.json)", ret, whose, dir);
		return CLI_EXIT_FAIL;
	}
	return ret < 0 ? CLI_EXIT_FAIL : 0;
}
