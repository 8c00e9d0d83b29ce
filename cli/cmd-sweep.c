/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed sweep`: options in, the sweep measured (measure/sweep.c), the run directory out. */
#include <stdio.h>

#include "args.h"
#include "commands.h"
#include "guest-cmd.h"
#include "log.h"
#include "stop.h"
#include "sweep-run.h"

int
cmd_sweep(int argc, char **argv)
{
	struct sweep_conf conf = SWEEP_CONF_DEFAULT;
	char err[1024], dir[4096];
	json_t *results;
	int ret, t;

	if (sweep_parse_args(argc, argv, &conf, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = cli_lock(conf.instance);
	if (ret != 0)
		return ret;
	for (t = 0; t < SW_N_TESTS; t++)
		if ((conf.tests & (1u << t)) && sweep_sizes_note(&conf, t, err, sizeof(err)) > 0)
			tb_warn("%s", err);
	ret = sweep_measure(&conf, &results, dir, sizeof(dir), err, sizeof(err));
	if (results == NULL) {
		if (err[0] != '\0')
			tb_err("%s", err);
		return CLI_EXIT_FAIL;
	}
	if (ret < 0 && err[0] != '\0')
		tb_err("%s", err);
	return cli_run_done(results, dir, ret, "the sweep's");
}
