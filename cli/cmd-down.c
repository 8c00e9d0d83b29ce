/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed down`: removes everything `up` made, from the journal (idempotent). */
#include <errno.h>
#include <stdio.h>

#include "args.h"
#include "clock.h"
#include "commands.h"
#include "log.h"
#include "netcmd.h"
#include "state.h"
#include "teardown.h"

int
cmd_down(int argc, char **argv)
{
	char inst[TB_INSTANCE_MAX + 1] = "main", err[TB_ERR_LEN];
	double t0;
	json_t *st = NULL;
	int ret, failed;

	if (instance_parse_args(argc, argv, inst, sizeof(inst), err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = cli_lock(inst);
	if (ret != 0)
		return ret;
	t0 = tb_now_s();
	ret = tb_state_load(inst, &st);
	if (ret == -EINVAL)
		tb_warn("state file of instance %s is unreadable: removing by name", inst);
	if (ret == -EXDEV)
		tb_warn("state file of instance %s names another instance (a copy?): not "
			"undoing its journal, removing by name", inst);
	if (st == NULL && !td_anything_left(inst)) {
		td_teardown(inst, NULL); /* DPDK runtime dirs and such: cheap and idempotent */
		if (tb_log_json())
			printf("{\"instance\": \"%s\", \"removed\": false, \"was_up\": false}\n", inst);
		else
			tb_info("instance %s is not up: nothing to remove", inst);
		return 0;
	}
	failed = td_teardown(inst, st);
	json_decref(st);
	double secs = tb_now_s() - t0;

	if (tb_log_json())
		printf("{\"instance\": \"%s\", \"removed\": %s, \"was_up\": true, \"seconds\": %.2f}\n",
		       inst, failed ? "false" : "true", secs);
	else if (!failed)
		tb_info("instance %s: removed in %.1f s", inst, secs);
	if (failed) {
		tb_err("instance %s: %d objects could not be removed (see above); run down again",
		       inst, failed);
		return CLI_EXIT_FAIL;
	}
	return 0;
}
