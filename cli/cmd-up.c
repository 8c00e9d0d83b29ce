/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed up`: options in, one instance built (instance/up.c), its guests printed. */
#include <errno.h>
#include <stdio.h>

#include "args.h"
#include "clock.h"
#include "commands.h"
#include "log.h"
#include "stop.h"
#include "up.h"

static void
print_result(const struct up_ctx *u, double secs)
{
	size_t i;
	json_t *g;

	if (tb_log_json()) {
		json_t *out = json_deep_copy(u->st);

		json_object_set_new(out, "seconds", json_real(secs));
		json_dumpf(out, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(out);
		return;
	}
	printf("instance %s up on NUMA node %d in %.1f s%s\n", u->conf.instance, u->conf.numa, secs,
	       u->n_hosts > 1 ? ", 2 hosts joined by a wire" : "");
	printf("%-6s %-11s %-16s %-14s %-4s%s\n", "GUEST", "BACKEND", "NETNS", "ADDRESS", "CPU",
	       u->n_hosts > 1 ? " HOST" : "");
	json_array_foreach(u->guests, i, g) {
		printf("%-6s %-11s %-16s %-14s %-4d", json_string_value(json_object_get(g, "name")),
		       json_string_value(json_object_get(g, "backend")),
		       json_string_value(json_object_get(g, "netns")),
		       json_string_value(json_object_get(g, "address")),
		       (int)json_integer_value(json_object_get(g, "cpu")));
		if (u->n_hosts > 1)
			printf(" %d", (int)json_integer_value(json_object_get(g, "host")));
		putchar('\n');
	}
}

int
cmd_up(int argc, char **argv)
{
	struct up_ctx u = {.conf = UP_CONF_DEFAULT};
	double t0;
	char err[TB_ERR_LEN];
	int ret;

	t0 = tb_now_s();
	if (up_parse_args(argc, argv, &u.conf, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = cli_lock(u.conf.instance);
	if (ret != 0)
		return ret;
	ret = up_prepare(&u);
	if (ret < 0)
		return ret == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
	ret = up_build(&u);
	if (ret < 0) {
		json_decref(u.st);
		return tb_stop_signal() ? 128 + tb_stop_signal() : CLI_EXIT_FAIL;
	}
	print_result(&u, tb_now_s() - t0);
	json_decref(u.st);
	return 0;
}
