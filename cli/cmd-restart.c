/* SPDX-License-Identifier: BSD-3-Clause */
/* `restart`: a new switch process under running guests, which reconnect by themselves. */
#include <errno.h>
#include <string.h>

#include "args.h"
#include "clock.h"
#include "commands.h"
#include "log.h"
#include "state.h"
#include "up.h"

int
cmd_restart(int argc, char **argv)
{
	char inst[TB_INSTANCE_MAX + 1] = "main", err[TB_ERR_LEN];
	double t0;
	struct up_ctx u;
	json_t *st = NULL;
	int ret;

	if (instance_parse_args(argc, argv, inst, sizeof(inst), err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = cli_lock(inst);
	if (ret != 0)
		return ret;
	ret = up_state_load_up(inst, &st, err, sizeof(err));
	if (ret < 0) {
		tb_err("%s", err);
		return CLI_EXIT_FAIL;
	}
	if (!json_is_object(json_object_get(st, "switch"))) {
		tb_err("instance %s has no vhost-user switch to restart", inst);
		json_decref(st);
		return CLI_EXIT_FAIL;
	}
	t0 = tb_now_s();
	ret = up_ctx_from_state(&u, st, inst, (int)json_array_size(json_object_get(st, "guests")));
	if (ret == 0) {
		up_cgroup_join(&u);
		ret = up_switch_restart(&u);
		up_cgroup_part(&u);
	}
	if (ret == 0)
		tb_info("instance %s: switch restarted in %.1f s", inst,
			tb_now_s() - t0);
	json_decref(st);
	return ret == 0 ? 0 : CLI_EXIT_FAIL;
}
