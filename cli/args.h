/* SPDX-License-Identifier: BSD-3-Clause */
/* The option parsers of the commands and the helpers they share. */
#ifndef TB_CLI_ARGS_H
#define TB_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "bench.h"
#include "bench-all.h"
#include "bench-ebpf.h"
#include "bench-net.h"
#include "import.h"
#include "simulate.h"
#include "bench-path.h"
#include "sweep.h"
#include "up-conf.h"

struct cli_opt;

/* Parses argv (argv[0] = "up"); on bad input err holds one line for the user. */
int up_parse_args(int argc, char **argv, struct up_conf *c, char *err, size_t errlen);

/* The commands' and benches' parsers (argv[0] = the command, or "bench"); on bad input err
 * holds one line for the user. */
int bebpf_parse_args(int argc, char **argv, struct bebpf_conf *c, char *err, size_t errlen);
int bnet_parse_args(int argc, char **argv, struct bnet_conf *c, char *err, size_t errlen);
int bench_parse_args(int argc, char **argv, struct bench_conf *c, char *err, size_t errlen);
int sim_parse_args(int argc, char **argv, struct sim_conf *c, char *err, size_t errlen);
int sweep_parse_args(int argc, char **argv, struct sweep_conf *c, char *err, size_t errlen);
int ball_parse_args(int argc, char **argv, struct ball_conf *c, char *err, size_t errlen);
int bnet_crr_parse_args(int argc, char **argv, struct bnet_crr_conf *c, char *err,
			size_t errlen);
int bpath_parse_args(int argc, char **argv, struct bpath_conf *c, char *err, size_t errlen);
int bpath_probe_parse_args(int argc, char **argv, struct bpath_probe_conf *c, char *err,
			   size_t errlen);
int cli_import_parse_args(int argc, char **argv, struct imp_conf *c, char *err, size_t errlen);

/*
 * What the test t makes of --sizes: 0 all of it (note ""), 1 clipped (note says how), -EINVAL
 * clipped to nothing (note: one line naming the bad value and what is allowed).
 */
int sweep_sizes_note(const struct sweep_conf *c, enum sweep_test t, char *note, size_t len);
/* -EINVAL (err says why) when some test of c->tests is left no size. */
int sweep_sizes_check(const struct sweep_conf *c, char *err, size_t errlen);

/* For commands whose only option is --instance NAME. */
int instance_parse_args(int argc, char **argv, char *inst, size_t len, char *err, size_t errlen);

/* --instance NAME: checked and copied, or -EINVAL with the allowed form in err. */
int set_instance(const char *name, char *inst, size_t len, char *err, size_t errlen);
/* --pmd-maxsleep US: OVS's range. */
int parse_pmd_maxsleep(const char *s, int *us, char *err, size_t errlen);

/*
 * The positional word of a command whose options may stand around it (getopt_long with
 * "-", case 1): the first goes to *what, a second is an unexpected argument.
 */
int parse_positional(const char *arg, const char **what, char *err, size_t errlen);

/*
 * The options the benches share, with getopt_long's values: the positional name (1, with
 * "-" in optstring), --instance 'i', --numa 'n', --time 't', --repeat 'r', --out 'o'. Where
 * each goes; NULL: the bench does not take it.
 */
struct bench_opts {
	const char **what;
	char *instance;
	size_t instance_len;
	int *numa, *time_s, *repeat;
	const char **out;
};
/* 1: o was one of them and arg is good; 0: not one of them; -EINVAL: bad, why in err. */
int parse_bench_opt(int o, const char *arg, const struct bench_opts *b, char *err, size_t errlen);

/*
 * A bench's own options (those not in struct bench_opts): 0 taken, -EINVAL bad (why in err),
 * 1 not one of its options.
 */
typedef int (*bench_own_opt_fn)(int o, const char *arg, void *conf, char *err, size_t errlen);
/*
 * The whole parse of `bench NAME` (argv[0] = "bench"): getopt_long over the bench's option
 * table, the options the benches share into b (b->what is set here), the others to own; the
 * positional word must be name. 0, or -EINVAL with one line in err.
 */
int parse_bench_argv(int argc, char **argv, const struct cli_opt *table, const char *name,
		     struct bench_opts *b, bench_own_opt_fn own, void *conf, char *err,
		     size_t errlen);

/* --numa N: a node number (whether the host has it is checked where it is used). */
int parse_numa(const char *s, int *node, char *err, size_t errlen);

/* --wire-pmd NAME: *pmd points at the constant. */
int parse_wire_pmd(const char *s, const char **pmd, char *err, size_t errlen);

/* The benches' common options, with their one-line errors: --time SEC (1-600), --repeat R
 * (1-50), --out DIR (not empty; *out points at s). */
int parse_bench_time(const char *s, int *time_s, char *err, size_t errlen);
int parse_bench_repeat(const char *s, int *repeat, char *err, size_t errlen);
int parse_out_dir(const char *s, const char **out, char *err, size_t errlen);

/* After getopt_long returned '?' or ':': names the bad token, -EINVAL. */
int bad_option(int argc, char **argv, char *err, size_t errlen);

/* Strict integer: the whole string, within [min, max]. */
int parse_int(const char *s, int min, int max, int *val);

#endif
