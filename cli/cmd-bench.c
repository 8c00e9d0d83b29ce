/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed bench NAME`: the bench table's row run; `bench switch` (measure/bench-setup.c). */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "commands.h"
#include "log.h"
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
