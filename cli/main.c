/* SPDX-License-Identifier: BSD-3-Clause */
/* testbed: the control program's entry (-j/--json, then the command table). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "log.h"

/* -j/--json may stand anywhere before `--`: every command honours it. */
static int
strip_json_flag(int argc, char **argv)
{
	int i, n = 0;
	bool json = false, rest = false;

	for (i = 0; i < argc; i++) {
		if (!rest && strcmp(argv[i], "--") == 0)
			rest = true;
		if (!rest && (strcmp(argv[i], "-j") == 0 || strcmp(argv[i], "--json") == 0)) {
			json = true;
			continue;
		}
		argv[n++] = argv[i];
	}
	tb_log_set_json(json);
	argv[n] = NULL;
	return n;
}

int
main(int argc, char **argv)
{
	argc = strip_json_flag(argc - 1, argv + 1);
	return cli_dispatch(argc, argv + 1);
}
