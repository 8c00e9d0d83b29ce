/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `testbed bench NAME`: the bench table's row run; each bench parses, calls its engine (measure/),
 * prints.
 */
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "bench.h"
#include "bench-all.h"
#include "bench-ebpf.h"
#include "bench-net.h"
#include "bench-path.h"
#include "commands.h"
#include "log.h"
#include "profile.h"
#include "report.h"
#include "stop.h"

/* `bench NAME`: the row of the bench table (commands.c) named among argv[1..]. */
int
cmd_bench(int argc, char **argv)
{
	const struct cli_bench *b = cli_bench_find(cli_bench_which(argc, argv));
	char err[512];

	if (b == NULL) {
		cli_bench_check(cli_bench_which(argc, argv), "", err, sizeof(err));
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	return b->fn(argc, argv);
}

int
cmd_bench_switch(int argc, char **argv)
{
	static struct bench_run r; /* large: the per-round tables */
	struct bench_conf conf = BENCH_CONF_DEFAULT;
	struct up_ctx u = {.conf = UP_CONF_DEFAULT};
	char err[1024];
	int ret;

	if (bench_parse_args(argc, argv, &conf, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = cli_lock(conf.instance);
	if (ret != 0)
		return ret;
	memset(&r, 0, sizeof(r));
	r.u = &u;
	ret = bench_switch_measure(&conf, &r);
	if (ret == 0)
		bench_print(&r);
	json_decref(r.results);
	if (tb_stop_signal())
		return 128 + tb_stop_signal();
	return ret < 0 || r.n_failed > 0 ? CLI_EXIT_FAIL : 0;
}

int
cmd_bench_net(int argc, char **argv)
{
	struct bnet_conf conf = BNET_CONF_DEFAULT;
	char err[1024], dir[4096] = "";
	json_t *results;
	int ret;

	if (bnet_parse_args(argc, argv, &conf, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = cli_lock(conf.instance);
	if (ret != 0)
		return ret;
	ret = bnet_measure(&conf, &results, dir, sizeof(dir));
	return cli_run_done(results, dir, ret, "the bench's");
}

int
cmd_bench_ebpf(int argc, char **argv)
{
	struct bebpf_conf conf = BEBPF_CONF_DEFAULT;
	char err[1024], dir[4096] = "";
	json_t *results;
	int ret;

	if (bebpf_parse_args(argc, argv, &conf, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = cli_lock(conf.instance);
	if (ret != 0)
		return ret;
	ret = bebpf_measure(&conf, &results, dir, sizeof(dir));
	return cli_run_done(results, dir, ret, "the bench's");
}

int
cmd_bench_all(int argc, char **argv)
{
	struct ball_conf conf = BALL_CONF_DEFAULT;
	struct vm_profile prof;
	char err[1024], dir[4096] = "";
	int ret;

	if (ball_parse_args(argc, argv, &conf, err, sizeof(err)) < 0 ||
	    vm_profile_load(TB_PROFILE_DIR, conf.profile, &prof, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = cli_lock(conf.instance);
	if (ret != 0)
		return ret;
	ret = ball_measure(&conf, &prof, dir, sizeof(dir));
	if (dir[0] != '\0')
		printf("%s\n", dir);
	if (tb_stop_signal())
		return 128 + tb_stop_signal();
	if (ret != 0) {
		if (dir[0] != '\0')
			tb_err("bench all: %s (see %s/report.md)",
			       ret < 0 ? "could not run" : "a bench failed", dir);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

int
cmd_bench_path(int argc, char **argv)
{
	struct bpath_conf conf = BPATH_CONF_DEFAULT;
	char err[1024], dir[4096] = "";
	json_t *results;
	int ret;

	if (bpath_parse_args(argc, argv, &conf, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = cli_lock(conf.instance);
	if (ret != 0)
		return ret;
	ret = bpath_measure(&conf, &results, dir, sizeof(dir));
	if (ret >= 0 && results != NULL && !tb_log_json())
		rp_path_print(stderr, results); /* stdout: the run directory only */
	return cli_run_done(results, dir, ret, "the bench's");
}

static volatile sig_atomic_t probe_stop;

static void
probe_on_signal(int sig)
{
	probe_stop = sig;
}

int
bpath_probe_main(int argc, char **argv)
{
	struct bpath_probe_conf c = BPATH_PROBE_CONF_DEFAULT;
	struct sigaction sa = {.sa_handler = probe_on_signal};
	char err[512];
	int ret;

	if (bpath_probe_parse_args(argc, argv, &c, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return CLI_EXIT_USAGE;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = bpath_probe_run(&c, stdout, &probe_stop);
	if (ret == -EINVAL) {
		fprintf(stderr, "bad --to \"%s\" (allowed: an IPv4 address)\n", c.to ?: "");
		return CLI_EXIT_USAGE;
	}
	if (ret < 0)
		fprintf(stderr, "probe: %s\n", strerror(-ret));
	return ret == 0 ? 0 : CLI_EXIT_FAIL;
}
