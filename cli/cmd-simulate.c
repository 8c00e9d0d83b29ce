/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `testbed simulate`: options in, the simulation run (measure/simulate.c), the run directory out.
 */
#include <stdio.h>

#include "args.h"
#include "commands.h"
#include "log.h"
#include "simulate.h"
#include "stop.h"

int
cmd_simulate(int argc, char **argv)
{
	struct sim_conf c = SIM_CONF_DEFAULT;
	char err[1024], dir[4096] = "";
	json_t *results;
	int ret;

	if (sim_parse_args(argc, argv, &c, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = cli_lock(c.instance);
	if (ret != 0)
		return ret;
	ret = sim_measure(&c, &results, dir, sizeof(dir), err, sizeof(err));
	if (ret < 0 && err[0] != '\0')
		tb_err("%s", err);
	return cli_run_done(results, dir, ret, "the simulation's");
}
