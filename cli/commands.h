/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TB_CLI_COMMANDS_H
#define TB_CLI_COMMANDS_H

#include <stdio.h>

/* Exit codes: 0 done, 1 failed, 2 bad usage. */
#define CLI_EXIT_FAIL 1
#define CLI_EXIT_USAGE 2

#define CMD_NEEDS_ROOT 0x1

struct cli_cmd {
	const char *name;
	unsigned int flags;
	int (*fn)(int argc, char **argv); /* argv[0] is the command name */
	const char *usage;
	const char *summary;
};

extern const struct cli_cmd cli_cmds[];

const struct cli_cmd *cli_cmd_find(const char *name);
void cli_usage(FILE *out);
int cli_dispatch(int argc, char **argv);

int cmd_doctor(int argc, char **argv);
int cmd_up(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_restart(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_guest_exec(int argc, char **argv);
int cmd_relay(int argc, char **argv);

#endif
