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
	int ret;

	if (sweep_parse_args(argc, argv, &conf, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = sweep_measure(&conf, &results, dir, sizeof(dir), err, sizeof(err));
	if (results == NULL) {
		if (err[0] != '\0')
			tb_err("%s", err);
		return CLI_EXIT_FAIL;
	}
	if (tb_log_json()) {
		json_dumpf(results, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else {
		printf("%s\n", dir);
	}
	json_decref(results);
	if (tb_stop_signal())
		return 128 + tb_stop_signal();
	if (ret > 0) {
		tb_err("%d of the sweep's points failed (see %s/results.json)", ret, dir);
		return CLI_EXIT_FAIL;
	}
	if (ret < 0) {
		if (err[0] != '\0')
			tb_err("%s", err);
		return CLI_EXIT_FAIL;
	}
	return 0;
}
