/* SPDX-License-Identifier: BSD-3-Clause */
/* Option tables: one row per option, from which getopt_long's array and the usage are made. */
#ifndef TB_CLI_OPTS_H
#define TB_CLI_OPTS_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

/* How an option shows in the usage line. */
#define CLI_OPT_REQUIRED 0x1 /* bare, not in [] */
#define CLI_OPT_OR 0x2	     /* an alternative to the required option above it: "A | B" */
#define CLI_OPT_REPEAT 0x4   /* may be given again: "--x V [--x V ...]" */
#define CLI_OPT_NESTED 0x8   /* only with the option above it: "[--a [--b]]" */

/*
 * One option of a command, in the manner of ovs-vsctl's option tables: `val` is what
 * getopt_long returns for it (a letter only by custom: the commands take long options
 * only), `metavar` names its value in the usage (NULL with no_argument), `help` is its
 * line in --help, defaults included. A table ends with a row whose long_name is NULL.
 */
struct cli_opt {
	const char *long_name;
	int val;
	int has_arg; /* no_argument or required_argument */
	const char *metavar;
	const char *help;
	unsigned int flags;
};

/* Largest option table (rows, the end row included). */
#define CLI_OPTS_MAX 32

/* getopt_long's array of table t into o[CLI_OPTS_MAX], ended by a zero row. */
void cli_opts_getopt(const struct cli_opt *t, struct option *o);

/* The row whose long name is name (without "--"), or NULL; t may be NULL. */
const struct cli_opt *cli_opt_find(const struct cli_opt *t, const char *name);

/*
 * "LEAD PRE OPTIONS POST": the usage line of one command, wrapped before `width` columns
 * (0: one line) with the continuation under the first argument; a newline at the end.
 * pre and post may be NULL.
 */
void cli_synopsis(FILE *out, const char *lead, const char *pre, const struct cli_opt *t,
		  const char *post, int width);

/* Usage and help lines end before this column; option help starts at CLI_HELP_COL. */
#define CLI_USAGE_WIDTH 100
#define CLI_HELP_COL 27

/* text from column col on, wrapped at spaces before width, continued at indent; a newline. */
void cli_put_wrapped(FILE *out, const char *text, int col, int indent, int width);

/* One line per option of t ("  --name META   help"), then the options every command has. */
void cli_opts_help(FILE *out, const struct cli_opt *t);

/* The options every command has, handled in main.c and commands.c (-j, -h). */
extern const struct cli_opt cli_global_opts[];

/* The option tables, beside their parsers. */
extern const struct cli_opt cli_up_opts[];	 /* args.c */
extern const struct cli_opt cli_instance_opts[]; /* args.c: down, status, restart */
extern const struct cli_opt cli_sweep_opts[];	 /* sweep-args.c */
extern const struct cli_opt cli_sim_opts[];	 /* simulate-args.c */
extern const struct cli_opt cli_doctor_opts[]; /* cmd-doctor.c */
extern const struct cli_opt cli_serve_opts[];	 /* cmd-serve.c */
extern const struct cli_opt cli_relay_opts[];	 /* cmd-relay.c */
extern const struct cli_opt cli_gexec_opts[];	 /* cmd-guest-exec.c */
extern const struct cli_opt cli_parse_opts[];	 /* cmd-parse.c */
extern const struct cli_opt cli_import_opts[];	 /* cmd-import.c */
extern const struct cli_opt cli_bswitch_opts[];	 /* bench-args.c */
extern const struct cli_opt cli_bnet_opts[];	 /* bench-net-args.c */
extern const struct cli_opt cli_bebpf_opts[];	 /* bench-ebpf-args.c */
extern const struct cli_opt cli_ball_opts[];	 /* bench-all-args.c */
extern const struct cli_opt cli_bcrr_opts[];	 /* bench-net-crr.c */
extern const struct cli_opt cli_bpath_opts[];	 /* bench-path-args.c */
extern const struct cli_opt cli_bprobe_opts[];	 /* bench-path-args.c */

#endif
