/* SPDX-License-Identifier: BSD-3-Clause */
/* The command table and the exit codes of every command. */
#ifndef TB_CLI_COMMANDS_H
#define TB_CLI_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "opts.h"

/* Exit codes: 0 done, 1 failed, 2 bad usage. */
#define CLI_EXIT_FAIL 1
#define CLI_EXIT_USAGE 2

#define CMD_NEEDS_ROOT 0x1
/* one at a time per instance: the command takes /run/testbed/<instance>/lock with cli_lock
 * once its options are read (for bench, the bench's row says whether) */
#define CMD_LOCKS_INSTANCE 0x2
/* how long a command waits for a busy instance before it gives up */
#define CLI_LOCK_WAIT_MS 5000

/*
 * One command: its usage line is "testbed NAME PRE [OPTIONS] POST", made from opts (the
 * table its parser reads), and its --help adds the summary and one line per option.
 */
struct cli_cmd {
	const char *name;
	unsigned int flags;
	int (*fn)(int argc, char **argv); /* argv[0] is the command name */
	const char *pre;		  /* positional words before the options, or NULL */
	const struct cli_opt *opts;	  /* NULL: no options */
	const char *post;		  /* positional words after the options, or NULL */
	const char *summary;
};

#define CLI_BENCH_HIDDEN 0x1 /* not listed: an internal helper (run inside guests) */
#define CLI_BENCH_LOCKS 0x2  /* takes its instance's lock (cli_lock) */

/* One benchmark of `bench`: "testbed bench NAME [OPTIONS]". */
struct cli_bench {
	const char *name;
	unsigned int flags;
	int (*fn)(int argc, char **argv); /* argv[0] "bench", the name among argv[1..] */
	const struct cli_opt *opts;
	const char *summary;
};

extern const struct cli_cmd cli_cmds[];
extern const struct cli_bench cli_benches[];

const struct cli_cmd *cli_cmd_find(const char *name);
const struct cli_bench *cli_bench_find(const char *name);
/* Every command from the table; `testbed --help`. */
void cli_usage(FILE *out);
/* The usage line(s) of a command (of bench: one per listed bench), wrapped at 100 columns. */
void cli_cmd_usage(FILE *out, const struct cli_cmd *c, int width);
/* `testbed CMD --help`: usage, summary, options. */
void cli_cmd_help(FILE *out, const struct cli_cmd *c);
void cli_bench_usage(FILE *out, const struct cli_bench *b, int width);
void cli_bench_help(FILE *out, const struct cli_bench *b);
/*
 * For the benches' parsers: what (the positional word, NULL when none) must be `name`;
 * else -EINVAL and err "bench: unknown bench "X" (valid: ...)" or "bench: which bench?
 * (valid: ...)", the listed benches of the table. A name "" matches nothing.
 */
/* The bench named among argv[1..] (options and their values skipped), or NULL. */
const char *cli_bench_which(int argc, char **argv);
int cli_bench_check(const char *what, const char *name, char *err, size_t errlen);
int cli_dispatch(int argc, char **argv);
/*
 * One command at a time per instance: a locking command (CMD_LOCKS_INSTANCE, CLI_BENCH_LOCKS)
 * calls this once its options are read, so bad input is refused at once even on a busy
 * instance. Waits up to CLI_LOCK_WAIT_MS for the holder (who is named in the message).
 * 0 (held until the command returns to cli_dispatch, or held by the testbed that started us)
 * or the exit code, said.
 */
int cli_lock(const char *inst);

/* The parsers of commands whose handler holds no other parsing (the tests call them). */
struct vm_relay_conf;
/* argv[0] = "relay"; err holds one line for the user. */
int doctor_parse_args(int argc, char **argv, const char **nic, char *err, size_t errlen);
struct serve_conf;
int serve_parse_args(int argc, char **argv, struct serve_conf *c, char *err, size_t errlen);
int cli_relay_parse_args(int argc, char **argv, struct vm_relay_conf *c, char *err, size_t errlen);

#define CLI_GEXEC_MAX_SOCKS 16

struct cli_gexec_conf {
	const char *socks[CLI_GEXEC_MAX_SOCKS];
	int n_socks;
	int timeout_ms; /* 0: none */
	int prog;	/* argv[prog]: the program, after `--` */
};

/* argv[0] = "guest-exec"; err holds one line for the user. */
int cli_gexec_parse_args(int argc, char **argv, struct cli_gexec_conf *c, char *err, size_t errlen);

/* `parse`: the tool, its output file, qperf's -oo loop (NULL: the reference's). */
struct cli_parse_conf {
	const char *tool;
	const char *file;
	const char *oo;
};

#define CLI_PARSE_TOOLS "qperf, iperf, iperf3, mtr, sockperf, ping"

/* argv[0] = "parse"; err holds one line for the user. */
int cli_parse_parse_args(int argc, char **argv, struct cli_parse_conf *c, char *err,
			 size_t errlen);
/*
 * The tool's text -> *out, its JSON with "ok" (false: the tool's own failure, its words in
 * "error"). -EINVAL when the text is not the tool's output: err says why (qperf: the line).
 */
int cli_parse_text(const struct cli_parse_conf *c, const char *text, json_t **out, char *err,
		   size_t errlen);

int cmd_doctor(int argc, char **argv);
int cmd_up(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_restart(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_guest_exec(int argc, char **argv);
int cmd_relay(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_bench_switch(int argc, char **argv);
int cmd_bench_net(int argc, char **argv);
int cmd_bench_ebpf(int argc, char **argv);
int cmd_bench_all(int argc, char **argv);
int cmd_bench_path(int argc, char **argv);
int bpath_probe_main(int argc, char **argv); /* `bench probe`: bench path's probe tool */
int bnet_crr_main(int argc, char **argv); /* `bench crr`: cli/cmd-bench-crr.c */

/*
 * The end of a command that measured: prints results.json (-j) or the run directory (results
 * is released), then the exit code: 128 + the signal that stopped it, 1 when ret is the number
 * of failed points (> 0, said here) or an error (< 0, said where it happened), else 0.
 */
int cli_run_done(json_t *results, const char *dir, int ret, const char *whose);

#endif
